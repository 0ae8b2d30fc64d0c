//! The shipped `rules/` folder is built into the binary (`include_dir!` in `http::server`);
//! rebuild when it changes, which stable Rust does not track by itself.

fn main() {
    println!("cargo:rerun-if-changed=../rules");
}
