//! What the unit tests of several modules share: the shipped packs and their golden cases.

use std::path::PathBuf;

use missions_base::value::Node;
use missions_base::yaml::{SourceText, YamlLimits};

use crate::golden::case_files;
use crate::pack::Pack;

pub(crate) fn shipped(name: &str) -> Pack {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../rules").join(name);
    Pack::load(&dir).unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// Every case of a pack, as (entry, case name, input).
pub(crate) fn cases(pack: &Pack) -> Vec<(String, String, Node)> {
    let mut out = Vec::new();
    for file in case_files(pack.dir()) {
        let src = SourceText::read(&file, 1 << 22).unwrap();
        let (root, _) = Node::from_yaml(&src, YamlLimits::default()).unwrap();
        let Node::Map(top) = root else { panic!("{}", file.display()) };
        let get = |m: &[(String, Node)], k: &str| m.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone());
        let Some(Node::Str(entry)) = get(&top, "entry") else { panic!("{}", file.display()) };
        let Some(Node::List(list)) = get(&top, "cases") else { panic!("{}", file.display()) };
        for case in list {
            let Node::Map(c) = case else { panic!("{}", file.display()) };
            let name = match get(&c, "name") {
                Some(Node::Str(n)) => n,
                _ => String::new(),
            };
            out.push((entry.clone(), name, get(&c, "input").unwrap()));
        }
    }
    out
}
