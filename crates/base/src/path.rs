//! Paths that files name inside a folder (a pack's `pack.yaml` naming its parameter files,
//! scripts and labels): they must stay inside that folder, written and resolved. An uploaded pack
//! is untrusted text, so a path is a request to read a file, and the answer is no for anything
//! outside the pack.

use std::path::{Component, Path, PathBuf};

/// Why a path written in a file was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outside {
    /// Empty.
    Empty,
    /// Absolute (`/etc/…`, `C:\…`).
    Absolute,
    /// Climbs out with `..`.
    Parent,
    /// Written inside, but a symbolic link along it leads out of the folder.
    Link,
}

impl Outside {
    /// What is wrong, for a message that names the key holding the path.
    pub fn reason(self) -> &'static str {
        match self {
            Self::Empty => "is empty",
            Self::Absolute => "is absolute",
            Self::Parent => "climbs out of the folder with `..`",
            Self::Link => "is a link that leads out of the folder",
        }
    }
}

/// Resolve `rel`, as written in a file of `root`, to a path inside `root`. A path that does not
/// exist yet is returned as written (reading it will say it is missing); one that exists must
/// resolve, links followed, inside `root` resolved the same way.
pub fn within(root: &Path, rel: &str) -> Result<PathBuf, Outside> {
    if rel.trim().is_empty() {
        return Err(Outside::Empty);
    }
    for c in Path::new(rel).components() {
        match c {
            Component::Normal(_) | Component::CurDir => {}
            Component::ParentDir => return Err(Outside::Parent),
            Component::RootDir | Component::Prefix(_) => return Err(Outside::Absolute),
        }
    }
    let path = root.join(rel);
    let Ok(meta) = std::fs::symlink_metadata(&path) else { return Ok(path) };
    // A path of plain files and folders written without `..` cannot leave: only links can.
    let through_link = meta.file_type().is_symlink()
        || Path::new(rel).ancestors().skip(1).any(|a| {
            !a.as_os_str().is_empty()
                && std::fs::symlink_metadata(root.join(a)).is_ok_and(|m| m.file_type().is_symlink())
        });
    if !through_link {
        return Ok(path);
    }
    match (root.canonicalize(), path.canonicalize()) {
        (Ok(root), Ok(real)) if real.starts_with(&root) => Ok(path),
        _ => Err(Outside::Link),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn written_paths_must_stay_inside() {
        let root = Path::new("/nonexistent-pack");
        assert_eq!(within(root, "tariff.yaml"), Ok(root.join("tariff.yaml")));
        assert_eq!(within(root, "./scripts/quote.rhai"), Ok(root.join("./scripts/quote.rhai")));
        assert_eq!(within(root, ""), Err(Outside::Empty));
        assert_eq!(within(root, "/etc/passwd"), Err(Outside::Absolute));
        assert_eq!(within(root, "../other/pack.yaml"), Err(Outside::Parent));
        assert_eq!(within(root, "a/../../b.yaml"), Err(Outside::Parent));
    }

    #[cfg(unix)]
    #[test]
    fn links_must_resolve_inside() {
        let (outside, pack) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
        let (outside, root) = (outside.path(), pack.path());
        std::fs::write(outside.join("secret.yaml"), "secret: 1\n").unwrap();
        std::fs::create_dir(root.join("sub")).unwrap();
        std::fs::write(root.join("sub/real.yaml"), "a: 1\n").unwrap();
        std::os::unix::fs::symlink(outside.join("secret.yaml"), root.join("leak.yaml")).unwrap();
        std::os::unix::fs::symlink(outside, root.join("dir")).unwrap();
        std::os::unix::fs::symlink(root.join("sub/real.yaml"), root.join("alias.yaml")).unwrap();
        assert_eq!(within(root, "leak.yaml"), Err(Outside::Link));
        assert_eq!(within(root, "dir/secret.yaml"), Err(Outside::Link));
        assert_eq!(within(root, "alias.yaml"), Ok(root.join("alias.yaml")));
        assert_eq!(within(root, "sub/real.yaml"), Ok(root.join("sub/real.yaml")));
    }
}
