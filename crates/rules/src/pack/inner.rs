//! What a loaded pack holds: its entries, compiled and lowered, its engine, parameters and
//! identity. The loader builds it; [`super::Pack`] shares it between threads.

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;
use std::sync::Arc;

use rhai::{AST, ASTNode, Dynamic, Engine};

use crate::context::PackContext;
use crate::direct::Direct;
use crate::error::PackId;
use crate::limits::ScriptLimits;
use crate::money::OutputKind;
use crate::schema::{Field, InputError, Tree, Type, check_entry, is_status_changes};

/// One entry of a loaded pack.
pub(super) struct Entry {
    pub(super) ast: AST,
    /// The entry lowered for direct evaluation, or why it runs in rhai.
    pub(super) direct: Result<Direct, String>,
    pub(super) input: Field,
    /// What it returns (`returns:`), when the pack declares it.
    pub(super) returns: Option<Field>,
    /// Its script file, as `pack.yaml` names it (the pack's `scripts:` are merged into it).
    pub(super) script: String,
    pub(super) doc: Option<String>,
    pub(super) output: OutputKind,
    /// The input's list field typed whole as status changes (see `direct::uses`), if any.
    pub(super) rows: Option<String>,
}

impl Entry {
    pub(super) fn new(
        ast: AST,
        direct: Result<Direct, String>,
        input: Field,
        returns: Option<Field>,
        script: String,
        doc: Option<String>,
        output: OutputKind,
    ) -> Entry {
        let rows = direct.as_ref().ok().and_then(Direct::clock_events_field).filter(|name| match &input.ty {
            Type::Object(fields) => fields.iter().any(|(f, field)| f == name && is_status_changes(field)),
            _ => false,
        });
        let rows = rows.map(str::to_owned);
        Entry { ast, direct, input, returns, script, doc, output, rows }
    }

    /// `input` typed against the entry's input schema, problems in `errors` (then unit).
    pub(super) fn typed<T: Tree>(&self, input: &T, errors: &mut Vec<InputError>) -> Dynamic {
        check_entry(&self.input, Some(input), self.rows.as_deref(), errors)
    }
}

/// One script file of the pack as written, before it is merged into the entries that use it:
/// what `missions test --coverage` reports on.
#[derive(Debug, Clone)]
pub(super) struct ScriptFile {
    /// Its path in the pack, as `pack.yaml` names it.
    pub(super) rel: String,
    /// The functions it defines: name and number of parameters.
    pub(super) functions: Vec<(String, usize)>,
    /// Whether it is one of the pack's `scripts:`, shared by every entry.
    pub(super) shared: bool,
    /// The lines where its statements start.
    pub(super) lines: BTreeSet<usize>,
}

impl ScriptFile {
    pub(super) fn of(rel: &str, ast: &AST, shared: bool) -> ScriptFile {
        let functions = ast.iter_functions().map(|f| (f.name.to_owned(), f.params.len())).collect();
        let mut lines = BTreeSet::new();
        ast.walk(&mut |path: &[ASTNode<'_>]| {
            if let Some(line) = path.last().filter(|n| n.is_stmt()).and_then(|n| n.position().line()) {
                lines.insert(line);
            }
            true
        });
        ScriptFile { rel: rel.to_owned(), functions, shared, lines }
    }
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
    /// The parameter files, as `pack.yaml` lists them (`params.files`).
    pub(super) param_files: Vec<String>,
    /// The schema of the parameter files (`params.schema`), when the pack has one.
    pub(super) params_schema: Option<Field>,
    pub(super) entries: BTreeMap<String, Entry>,
    /// Its script files, each once, in the order `pack.yaml` names them.
    pub(super) scripts: Vec<ScriptFile>,
}
