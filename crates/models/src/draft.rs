//! The merged model before it is checked: every value with the file and item it came from, so
//! a problem is reported where it was written.

use std::cell::OnceCell;
use std::collections::HashMap;
use std::sync::Arc;

use missions_base::diag::{Diagnostic, Location};
use missions_base::yaml::{self, SourceText, SpanIndex, YamlLimits};

use super::raw::{RawDocument, RawDue, RawLabel};

/// One file of the chain. Where things sit in it is worked out only when a diagnostic needs a
/// location: a clean model never pays for the position pass.
#[derive(Debug)]
pub(crate) struct SourceFile {
    pub name: String,
    src: SourceText,
    limits: YamlLimits,
    index: OnceCell<Option<SpanIndex>>,
}

impl SourceFile {
    pub(super) fn new(src: SourceText, limits: YamlLimits, index: Option<SpanIndex>) -> Self {
        let cell = OnceCell::new();
        if let Some(index) = index {
            cell.set(Some(index)).ok();
        }
        Self { name: src.name.clone(), src, limits, index: cell }
    }

    fn index(&self) -> Option<&SpanIndex> {
        self.index.get_or_init(|| yaml::index(&self.src, self.limits).ok()).as_ref()
    }

    pub(super) fn locate(&self, f: impl FnOnce(&SpanIndex) -> Location) -> Location {
        match self.index() {
            Some(index) => f(index),
            None => Location::new(self.name.clone(), 1, 1),
        }
    }
}

/// Where a value came from: a file of the chain and the YAML path of the item that holds it.
#[derive(Debug, Clone)]
pub(crate) struct Src {
    pub file: usize,
    pub item: Arc<str>,
}

/// A value with its origin.
#[derive(Debug, Clone)]
pub(crate) struct F<T> {
    pub v: T,
    pub src: Src,
}

/// What every identified entry has.
#[derive(Debug)]
pub(crate) struct DItem {
    pub id: String,
    /// Where the entry was first defined (its `id` is at `src.item` + `.id`).
    pub src: Src,
    pub label: Option<F<RawLabel>>,
    pub description: Option<F<RawLabel>>,
}

#[derive(Debug)]
pub(crate) struct DDate {
    pub item: DItem,
    pub default: Option<F<RawDue>>,
}

#[derive(Debug)]
pub(crate) struct DRole {
    pub item: DItem,
    pub reports_to: Option<F<String>>,
}

#[derive(Debug)]
pub(crate) struct DRisk {
    pub item: DItem,
    pub objectives: Option<F<Vec<String>>>,
}

#[derive(Debug)]
pub(crate) struct DAction {
    pub item: DItem,
    pub kind: Option<F<String>>,
    pub role: Option<F<String>>,
    pub documents: Option<F<Vec<RawDocument>>>,
    pub inputs: Option<F<Vec<String>>>,
    pub depends_on: Option<F<Vec<String>>>,
    pub objectives: Option<F<Vec<String>>>,
    pub risks: Option<F<Vec<String>>>,
    pub due: Option<F<RawDue>>,
}

#[derive(Debug)]
pub(crate) struct DPhase {
    pub item: DItem,
    pub actions: Vec<DAction>,
}

#[derive(Debug)]
pub(crate) struct DSeverity {
    pub item: DItem,
    pub escalate_after: Option<F<u32>>,
}

#[derive(Debug)]
pub(crate) struct DKind {
    pub item: DItem,
    pub alert: Option<F<Vec<String>>>,
    pub escalate_after: Option<F<u32>>,
    pub escalate_to: Option<F<Vec<String>>>,
}

/// An action dropped by an extending model's `remove:` (at `src.item`).
#[derive(Debug)]
pub(crate) struct Removed {
    pub id: String,
    pub src: Src,
    /// The documents it produced, gone with it.
    pub documents: Vec<String>,
}

/// The merged model before checking.
#[derive(Debug, Default)]
pub(crate) struct Draft {
    /// The chain, the most basic model first, the file asked for last.
    pub files: Vec<SourceFile>,
    pub id: Option<F<String>>,
    pub version: Option<F<String>>,
    pub languages: Option<F<Vec<String>>>,
    pub label: Option<F<RawLabel>>,
    pub description: Option<F<RawLabel>>,
    pub dates: Vec<DDate>,
    pub roles: Vec<DRole>,
    pub action_types: Vec<DItem>,
    pub objectives: Vec<DItem>,
    pub risks: Vec<DRisk>,
    pub phases: Vec<DPhase>,
    pub severities: Vec<DSeverity>,
    pub kinds: Vec<DKind>,
    pub removed: Vec<Removed>,
    /// Problems found while merging (duplicates, bad `remove`).
    pub diags: Vec<Diagnostic>,
    /// Where each action sits: (phase, index in phase).
    pub(super) action_at: HashMap<String, (usize, usize)>,
}

impl Draft {
    /// The location of `field` (a key, `label`, `depends_on[2]`, or empty) of the item at `src`.
    pub fn loc(&self, src: &Src, field: &str) -> Location {
        self.locate(src.file, |ix| ix.value(&join(&src.item, field)))
    }

    /// The location of the key naming `field` of the item at `src`.
    pub fn key_loc(&self, src: &Src, field: &str) -> Location {
        self.locate(src.file, |ix| ix.key(&join(&src.item, field)))
    }

    fn locate(&self, file: usize, f: impl FnOnce(&SpanIndex) -> Location) -> Location {
        match self.files.get(file) {
            Some(sf) => sf.locate(f),
            None => Location::new("", 1, 1),
        }
    }

    /// The name of a file of the chain.
    pub fn file_name(&self, file: usize) -> &str {
        self.files.get(file).map_or("", |f| f.name.as_str())
    }
}

/// `item.field`, `item[3]`, or either alone.
pub(crate) fn join(item: &str, field: &str) -> String {
    if item.is_empty() {
        field.to_owned()
    } else if field.is_empty() {
        item.to_owned()
    } else if field.starts_with('[') {
        format!("{item}{field}")
    } else {
        format!("{item}.{field}")
    }
}
