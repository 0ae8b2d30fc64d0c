//! What a loaded pack holds: its entries, compiled and lowered, its engine, parameters and
//! identity. The loader builds it; [`super::Pack`] shares it between threads.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;

use rhai::{AST, Dynamic, Engine};

use crate::context::PackContext;
use crate::direct::Direct;
use crate::error::PackId;
use crate::limits::ScriptLimits;
use crate::money::OutputKind;
use crate::schema::Field;

/// One entry of a loaded pack.
pub(super) struct Entry {
    pub(super) ast: AST,
    /// The entry lowered for direct evaluation, or why it runs in rhai.
    pub(super) direct: Result<Direct, String>,
    pub(super) input: Field,
    pub(super) doc: Option<String>,
    pub(super) output: OutputKind,
}

/// Everything a loaded pack holds, shared by its clones.
pub(super) struct Inner {
    pub(super) id: PackId,
    pub(super) dir: PathBuf,
    pub(super) currency: String,
    pub(super) languages: Vec<String>,
    pub(super) description: Option<String>,
    pub(super) engine: Engine,
    pub(super) limits: ScriptLimits,
    pub(super) ctx: Arc<PackContext>,
    pub(super) params: Dynamic,
    /// The schema of the parameter files (`params.schema`), when the pack has one.
    pub(super) params_schema: Option<Field>,
    pub(super) entries: BTreeMap<String, Entry>,
}
