//! Rule packs: a folder with `pack.yaml`, parameter files, labels and rhai scripts. Loading reads,
//! checks and compiles everything once, reporting every problem with its place; evaluating runs one
//! entry against a JSON input with the compiled scripts, shared by all callers.

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::sync::Arc;

use chrono::NaiveDate;
use chrono_tz::Tz;
use rhai::{AST, Array, CallFnOptions, Dynamic, Engine, EvalAltResult, Map, Scope};
use serde::Deserialize;
use sha2::{Digest, Sha256};

use missions_base::diag::{Diagnostic, Diagnostics, Location, did_you_mean};
use missions_base::value::Node;
use missions_base::yaml::{self, SourceText, SpanIndex, YamlLimits};
use missions_calendar::{Calendar, CalendarConfig, CalendarSpec};

use crate::context::{PackContext, REJECT_MARK};
use crate::direct::{self, Direct};
pub(crate) use crate::error::{EvalError, EvalOptions, Evaluation, PackId};
use crate::limits::ScriptLimits;
use crate::money::{self, Adjusting, InvoiceAdjuster, OutputKind};
use crate::output::Output;
use crate::schema::{self, DefError, Field, InputError, Type, compile_fields};
use crate::script::build_engine;
use crate::template::Labels;
use crate::value_json;

/// Largest file a pack may contain (YAML or script).
const MAX_FILE_BYTES: usize = 1024 * 1024;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Manifest {
    name: String,
    version: String,
    effective_from: String,
    currency: String,
    timezone: String,
    languages: Vec<String>,
    #[serde(default)]
    description: Option<String>,
    #[serde(default)]
    calendar: Option<yaml::Value>,
    #[serde(default)]
    labels: Option<String>,
    #[serde(default)]
    limits: Option<ScriptLimits>,
    #[serde(default)]
    params: Option<ParamsDef>,
    /// Scripts of helper functions every entry can call.
    #[serde(default)]
    scripts: Vec<String>,
    entries: indexmap::IndexMap<String, EntryDef>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ParamsDef {
    files: Vec<String>,
    #[serde(default)]
    schema: Option<yaml::Mapping>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct EntryDef {
    script: String,
    #[serde(default)]
    doc: Option<String>,
    /// `invoice`: the script returns lines and notes, the engine computes amounts, VAT and totals.
    #[serde(default)]
    output: Option<String>,
    input: yaml::Mapping,
}

struct Entry {
    ast: AST,
    /// The entry lowered for direct evaluation, or why it runs in rhai.
    direct: Result<Direct, String>,
    input: Field,
    doc: Option<String>,
    output: OutputKind,
}

struct Inner {
    id: PackId,
    dir: PathBuf,
    currency: String,
    languages: Vec<String>,
    description: Option<String>,
    engine: Engine,
    limits: ScriptLimits,
    ctx: Arc<PackContext>,
    params: Dynamic,
    entries: BTreeMap<String, Entry>,
}

/// A loaded, compiled rule pack. Cheap to clone and safe to share between threads.
#[derive(Clone)]
pub struct Pack {
    inner: Arc<Inner>,
}

impl fmt::Debug for Pack {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Pack").field("id", &self.inner.id).field("dir", &self.inner.dir).finish_non_exhaustive()
    }
}

/// Which way an evaluation may take.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Route {
    /// Directly when the entry is lowered, in rhai otherwise or when the direct way gives up.
    Direct,
    /// In rhai only (to compare the two ways).
    Rhai,
}

impl Pack {
    /// Load, check and compile the pack in `dir`. Every problem found is reported, each with its
    /// file and position; a pack with any error is not returned.
    pub fn load(dir: impl AsRef<Path>) -> Result<Pack, Diagnostics> {
        Loader::new(dir.as_ref()).load()
    }

    /// Which pack and version this is.
    pub fn id(&self) -> &PackId {
        &self.inner.id
    }

    /// The folder it was loaded from.
    pub fn dir(&self) -> &Path {
        &self.inner.dir
    }

    /// The currency of its amounts (`EUR`).
    pub fn currency(&self) -> &str {
        &self.inner.currency
    }

    /// The languages every label of the pack comes in.
    pub fn languages(&self) -> &[String] {
        &self.inner.languages
    }

    /// The pack's description, if it has one.
    pub fn description(&self) -> Option<&str> {
        self.inner.description.as_deref()
    }

    /// The names of its entries.
    pub fn entries(&self) -> impl Iterator<Item = &str> {
        self.inner.entries.keys().map(String::as_str)
    }

    /// What an entry does, as documented in `pack.yaml`.
    pub fn entry_doc(&self, entry: &str) -> Option<&str> {
        self.inner.entries.get(entry).and_then(|e| e.doc.as_deref())
    }

    /// The pack's business calendar.
    pub fn calendar(&self) -> &Calendar {
        &self.inner.ctx.calendar
    }

    /// The pack's timezone.
    pub fn timezone(&self) -> Tz {
        self.inner.ctx.timezone
    }

    /// The label `code` in every language, if the pack has it.
    pub fn label(&self, code: &str) -> Option<&Labels> {
        self.inner.ctx.labels.get(code)
    }

    /// Evaluate `entry` on a JSON input.
    pub fn eval(&self, entry: &str, input: &serde_json::Value) -> Result<Evaluation, EvalError> {
        self.eval_with(entry, input, EvalOptions::default())
    }

    /// Evaluate `entry` on a JSON input, with options.
    pub fn eval_with(
        &self,
        entry: &str,
        input: &serde_json::Value,
        opts: EvalOptions,
    ) -> Result<Evaluation, EvalError> {
        self.eval_node(entry, &Node::from_json(input), opts)
    }

    /// Evaluate `entry` and let `adjusters` change an invoice entry's lines, in turn, between the
    /// script and the VAT and totals; with `opts.trace` the trace records each change and its
    /// reason. Other entries ignore the adjusters.
    pub fn eval_adjusted(
        &self,
        entry: &str,
        input: &serde_json::Value,
        opts: EvalOptions,
        adjusters: &[&dyn InvoiceAdjuster],
    ) -> Result<Evaluation, EvalError> {
        self.eval_node_adjusted(entry, &Node::from_json(input), opts, adjusters)
    }

    pub(crate) fn eval_node(&self, entry_name: &str, input: &Node, opts: EvalOptions) -> Result<Evaluation, EvalError> {
        self.eval_node_adjusted(entry_name, input, opts, &[])
    }

    /// Evaluate `entry` in rhai's interpreter only, never directly: the reference the direct
    /// evaluation is compared with, in tests and benchmarks.
    pub fn eval_interpreted(
        &self,
        entry: &str,
        input: &serde_json::Value,
        opts: EvalOptions,
    ) -> Result<Evaluation, EvalError> {
        self.eval_routed(entry, &Node::from_json(input), opts, &[], Route::Rhai).map(|(ev, _)| ev)
    }

    /// Whether `entry` runs directly (see the `direct` module) rather than in rhai's interpreter.
    /// Either way gives the same result; the direct way is faster (1.7× on the esomus quote).
    pub fn runs_directly(&self, entry: &str) -> bool {
        self.inner.entries.get(entry).is_some_and(|e| e.direct.is_ok())
    }

    /// Why `entry` runs in rhai's interpreter rather than directly: the first thing it uses that
    /// the direct evaluation does not cover. `None` when it runs directly (or does not exist).
    pub fn why_interpreted(&self, entry: &str) -> Option<&str> {
        self.inner.entries.get(entry).and_then(|e| e.direct.as_ref().err()).map(String::as_str)
    }

    fn eval_node_adjusted(
        &self,
        entry_name: &str,
        input: &Node,
        opts: EvalOptions,
        adjusters: &[&dyn InvoiceAdjuster],
    ) -> Result<Evaluation, EvalError> {
        self.eval_routed(entry_name, input, opts, adjusters, Route::Direct).map(|(ev, _)| ev)
    }

    /// Evaluate, directly when the entry allows it and `route` says so, and say whether the
    /// direct evaluation gave the result (`false`: rhai did).
    pub(crate) fn eval_routed(
        &self,
        entry_name: &str,
        input: &Node,
        opts: EvalOptions,
        adjusters: &[&dyn InvoiceAdjuster],
        route: Route,
    ) -> Result<(Evaluation, bool), EvalError> {
        let inner = &*self.inner;
        let entry = inner.entries.get(entry_name).ok_or_else(|| {
            let available: Vec<String> = inner.entries.keys().cloned().collect();
            EvalError::UnknownEntry {
                pack: inner.id.name.clone(),
                entry: entry_name.to_owned(),
                suggestion: did_you_mean(entry_name, available.iter().map(String::as_str)).map(str::to_owned),
                available,
            }
        })?;
        let mut errors = Vec::new();
        let typed = schema::check(&entry.input, Some(input), &mut String::new(), &mut errors);
        if !errors.is_empty() {
            return Err(EvalError::Input(errors));
        }
        let mut typed = Some(typed);
        let direct = entry.direct.as_ref().ok().filter(|_| route == Route::Direct).and_then(|d| {
            let mut trace = opts.trace.then(Array::new);
            let value = d.run(typed.take()?, &inner.params, trace.as_mut()).ok()?;
            Some((value, trace.map(Dynamic::from_array)))
        });
        let ran_directly = direct.is_some();
        let (result, trace) = match direct {
            Some(done) => done,
            // Not lowered, or the direct evaluation left this one to rhai.
            None => {
                let trace = opts.trace.then(|| Dynamic::from_array(Vec::new()).into_shared());
                let mut options = CallFnOptions::new().eval_ast(false).rewind_scope(false);
                if let Some(t) = &trace {
                    options = options.with_tag(t.clone());
                }
                // The direct evaluation consumed the typed input; typing it again cannot fail.
                let typed = match typed {
                    Some(t) => t,
                    None => schema::check(&entry.input, Some(input), &mut String::new(), &mut Vec::new()),
                };
                let mut scope = Scope::new();
                let result: Dynamic = inner
                    .engine
                    .call_fn_with_options(options, &mut scope, &entry.ast, entry_name, (typed, inner.params.clone()))
                    .map_err(|e| self.map_error(*e, entry.ast.source()))?;
                (result, trace)
            }
        };
        let tz = inner.ctx.timezone;
        let mut adjusting = (!adjusters.is_empty()).then(|| Adjusting {
            adjusters,
            pack: &inner.id,
            entry: entry_name,
            trace: opts.trace.then(Vec::new),
        });
        let output = match entry.output {
            OutputKind::Invoice => money::finish(
                result,
                &money::Context {
                    languages: &inner.languages,
                    labels: &inner.ctx.labels,
                    templates: &inner.ctx.templates,
                    currency: &inner.currency,
                    tz,
                    limits: &inner.limits,
                },
                adjusting.as_mut(),
            )?,
            OutputKind::Plain => {
                let mut text = String::with_capacity(512);
                value_json::write_json(&result, tz, &inner.limits, "", &mut text).map_err(EvalError::from)?;
                text
            }
        };
        let output = Output::from_text(output);
        let trace = match trace {
            Some(t) => match value_json::to_json(&t.flatten(), tz, &inner.limits, "trace").map_err(EvalError::from)? {
                serde_json::Value::Array(a) => Some(a),
                _ => Some(Vec::new()),
            },
            None => None,
        };
        let trace = match (trace, adjusting.and_then(|a| a.trace)) {
            (Some(mut t), Some(changes)) => {
                t.extend(changes);
                Some(t)
            }
            (t, _) => t,
        };
        Ok((Evaluation { output, trace }, ran_directly))
    }

    /// The same pack under another operation limit, with every operation rhai performs counted
    /// into the returned counter (the highest count reached by the last evaluation). Entries are
    /// lowered again under the new limit, as a load would.
    #[cfg(test)]
    pub(crate) fn with_max_operations(&self, max_operations: u64) -> (Pack, Arc<std::sync::atomic::AtomicU64>) {
        use std::sync::atomic::{AtomicU64, Ordering};
        let inner = &*self.inner;
        let limits = ScriptLimits { max_operations, ..inner.limits };
        let mut engine = build_engine(&limits, inner.ctx.clone());
        let counter = Arc::new(AtomicU64::new(0));
        let count = counter.clone();
        engine.on_progress(move |ops| {
            count.store(ops, Ordering::Relaxed);
            None
        });
        let entries = inner
            .entries
            .iter()
            .map(|(name, e)| {
                let direct = direct::lower(&e.ast, name, &limits, &inner.ctx);
                let entry =
                    Entry { ast: e.ast.clone(), direct, input: e.input.clone(), doc: e.doc.clone(), output: e.output };
                (name.clone(), entry)
            })
            .collect();
        let pack = Pack {
            inner: Arc::new(Inner {
                id: inner.id.clone(),
                dir: inner.dir.clone(),
                currency: inner.currency.clone(),
                languages: inner.languages.clone(),
                description: inner.description.clone(),
                engine,
                limits,
                ctx: inner.ctx.clone(),
                params: inner.params.clone(),
                entries,
            }),
        };
        (pack, counter)
    }

    fn map_error(&self, err: EvalAltResult, entry_source: Option<&str>) -> EvalError {
        let lim = self.inner.engine.max_operations();
        let limit = |limit: &'static str, what: String| EvalError::Limit { limit, what };
        // Errors inside called functions are wrapped; the cause and its place are innermost.
        let mut source: Option<String> = entry_source.map(str::to_owned);
        let mut err = err;
        while let EvalAltResult::ErrorInFunctionCall(_, src, inner, _) = err {
            if !src.is_empty() {
                source = Some(src);
            }
            err = *inner;
        }
        let pos = err.position();
        let location = match (&source, pos.line()) {
            (Some(src), Some(line)) => Some(Location::new(src.clone(), line, pos.position().unwrap_or(1))),
            _ => None,
        };
        match err {
            EvalAltResult::ErrorTooManyOperations(_) => {
                limit("max_operations", format!("the script ran more than {lim} operations (an endless loop?)"))
            }
            EvalAltResult::ErrorStackOverflow(_) => limit(
                "max_call_levels",
                format!("functions nested more than {} calls deep", self.inner.engine.max_call_levels()),
            ),
            EvalAltResult::ErrorTooManyVariables(_) => {
                limit("max_variables", format!("more than {} variables at once", self.inner.engine.max_variables()))
            }
            EvalAltResult::ErrorDataTooLarge(what, _) => {
                let (name, max) = if what.contains("ength of string") || what.to_lowercase().contains("string") {
                    ("max_string_size", self.inner.engine.max_string_size())
                } else if what.to_lowercase().contains("array") {
                    ("max_array_size", self.inner.engine.max_array_size())
                } else {
                    ("max_map_size", self.inner.engine.max_map_size())
                };
                limit(name, format!("{what} exceeds {max}"))
            }
            EvalAltResult::ErrorRuntime(v, _) if v.is::<InputError>() => EvalError::Input(vec![v.cast::<InputError>()]),
            EvalAltResult::ErrorRuntime(v, _) if v.is_map() => {
                let map = v.cast::<Map>();
                if map.contains_key(REJECT_MARK) {
                    let path = map.get("path").map(ToString::to_string).filter(|p| !p.is_empty());
                    let code = map.get("code").map(ToString::to_string).unwrap_or_default();
                    let vars =
                        map.get("vars").and_then(|v| v.read_lock::<Map>().map(|m| m.clone())).unwrap_or_default();
                    let message = self.render(&code, &vars);
                    EvalError::Rule { path, code, message }
                } else {
                    EvalError::Script { location, message: format!("thrown: {map:?}") }
                }
            }
            EvalAltResult::ErrorRuntime(v, _) => EvalError::Script { location, message: v.to_string() },
            other => EvalError::Script { location, message: other.to_string() },
        }
    }

    /// A rule refusal's message in every language, with `{name}` placeholders filled from `vars`.
    fn render(&self, code: &str, vars: &Map) -> Labels {
        let fill = |text: &str| {
            let mut out = text.to_owned();
            for (k, v) in vars {
                out = out.replace(&format!("{{{k}}}"), &v.to_string());
            }
            out
        };
        match self.inner.ctx.labels.get(code) {
            Some(labels) => labels.iter().map(|(l, t)| (l.clone(), fill(t))).collect(),
            None => self.inner.languages.iter().map(|l| (l.clone(), code.to_owned())).collect(),
        }
    }
}

/// Several versions of several packs; a request dated D uses the newest version of its pack whose
/// `effective_from` is on or before D.
#[derive(Debug, Default, Clone)]
pub struct PackSet {
    packs: BTreeMap<String, Vec<Pack>>,
}

impl PackSet {
    /// An empty set.
    pub fn new() -> Self {
        Self::default()
    }

    /// Add a version. A version with the same name and `effective_from` replaces the old one.
    pub fn insert(&mut self, pack: Pack) {
        let versions = self.packs.entry(pack.id().name.clone()).or_default();
        versions.retain(|p| p.id().effective_from != pack.id().effective_from);
        versions.push(pack);
        versions.sort_by_key(|p| p.id().effective_from);
    }

    /// The version of `name` in force on `date`.
    pub fn get(&self, name: &str, date: NaiveDate) -> Option<&Pack> {
        self.packs.get(name)?.iter().rev().find(|p| p.id().effective_from <= date)
    }

    /// Every version of `name`, oldest first.
    pub fn versions(&self, name: &str) -> &[Pack] {
        self.packs.get(name).map_or(&[], Vec::as_slice)
    }

    /// The names of the packs.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.packs.keys().map(String::as_str)
    }

    /// Evaluate `entry` of pack `name` with the version in force on `date`.
    pub fn eval(
        &self,
        name: &str,
        date: NaiveDate,
        entry: &str,
        input: &serde_json::Value,
        opts: EvalOptions,
    ) -> Result<Evaluation, EvalError> {
        let pack = self.get(name, date).ok_or_else(|| EvalError::NoVersion { pack: name.to_owned(), date })?;
        pack.eval_with(entry, input, opts)
    }
}

struct Loader<'a> {
    dir: &'a Path,
    diags: Vec<Diagnostic>,
    hasher: Sha256,
}

impl<'a> Loader<'a> {
    fn new(dir: &'a Path) -> Self {
        Self { dir, diags: Vec::new(), hasher: Sha256::new() }
    }

    fn read(&mut self, rel: &str) -> Option<SourceText> {
        let path = self.dir.join(rel);
        match SourceText::read(&path, MAX_FILE_BYTES) {
            Ok(s) => {
                self.hasher.update(rel.as_bytes());
                self.hasher.update([0]);
                self.hasher.update(s.text.as_bytes());
                self.hasher.update([0]);
                Some(s)
            }
            Err(d) => {
                self.diags.push(d);
                None
            }
        }
    }

    fn def_errors(&mut self, idx: &SpanIndex, errs: Vec<DefError>) {
        for e in errs {
            let mut d = Diagnostic::error("pack.schema", e.message).at(idx.value(&e.path));
            if let Some(h) = e.help {
                d = d.help(h);
            }
            self.diags.push(d);
        }
    }

    fn load(mut self) -> Result<Pack, Diagnostics> {
        if !self.dir.is_dir() {
            return Err(Diagnostic::error(
                "pack.missing",
                format!("pack folder `{}` does not exist", self.dir.display()),
            )
            .help("give the folder that holds `pack.yaml`, e.g. `rules/norriq`")
            .into());
        }
        let Some(src) = self.read("pack.yaml") else { return Err(Diagnostics(self.diags)) };
        let (m, idx) =
            yaml::parse::<Manifest>(&src, YamlLimits { max_bytes: MAX_FILE_BYTES, ..YamlLimits::default() })?;
        let at = |path: &str| idx.value(path);

        let effective_from = schema::parse_date(&m.effective_from);
        if effective_from.is_none() {
            self.diags.push(
                Diagnostic::error(
                    "pack.invalid",
                    format!("`effective_from` must be a date like `2026-01-01`, not `{}`", m.effective_from),
                )
                .at(at("effective_from")),
            );
        }
        if m.currency.len() != 3 || !m.currency.bytes().all(|c| c.is_ascii_uppercase()) {
            self.diags.push(
                Diagnostic::error(
                    "pack.invalid",
                    format!("`currency` must be an ISO 4217 code like `EUR`, not `{}`", m.currency),
                )
                .at(at("currency")),
            );
        }
        if m.name.is_empty()
            || !m.name.bytes().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == b'-' || c == b'_')
        {
            self.diags.push(
                Diagnostic::error(
                    "pack.invalid",
                    format!("pack name `{}` must be lowercase letters, digits, `-` or `_`", m.name),
                )
                .at(at("name")),
            );
        }
        if m.languages.is_empty() {
            self.diags.push(
                Diagnostic::error("pack.invalid", "`languages` must list at least one language").at(at("languages")),
            );
        }
        let timezone = match Tz::from_str(&m.timezone) {
            Ok(tz) => Some(tz),
            Err(_) => {
                self.diags.push(
                    Diagnostic::error("pack.invalid", format!("unknown timezone `{}`", m.timezone))
                        .at(at("timezone"))
                        .help("use an IANA name such as `Europe/Brussels`"),
                );
                None
            }
        };
        let limits = m.limits.unwrap_or_default();
        for (name, asked, max) in limits.above_host_max() {
            self.diags.push(
                Diagnostic::error(
                    "pack.limit-above-max",
                    format!("`limits.{name}` is {asked}, above the host maximum of {max}"),
                )
                .at(at(&format!("limits.{name}")))
                .help(format!("lower it to {max} or less")),
            );
        }

        let calendar = self.calendar(&m, &idx, timezone);
        let labels = self.labels(&m);
        let params_schema = m.params.as_ref().and_then(|p| p.schema.as_ref()).map(|s| {
            let mut errs = Vec::new();
            let fields = compile_fields(s, "params.schema", &mut errs);
            self.def_errors(&idx, errs);
            Field { ty: Type::Object(fields), optional: false, default: None }
        });
        // Parameters are shared by every evaluation, read-only: a call clones a handle, not the tree.
        let params = self.params(&m, &idx, params_schema.as_ref()).into_read_only().into_shared().into_read_only();

        // Inputs: compiled before any script, so schema errors show even when a script is broken.
        let mut inputs = BTreeMap::new();
        for (name, e) in &m.entries {
            let mut errs = Vec::new();
            let fields = compile_fields(&e.input, &format!("entries.{name}.input"), &mut errs);
            self.def_errors(&idx, errs);
            inputs.insert(name.clone(), Field { ty: Type::Object(fields), optional: false, default: None });
        }

        let (Some(calendar), Some(timezone), Some(effective_from)) = (calendar, timezone, effective_from) else {
            return Err(Diagnostics(self.diags));
        };
        let templates = crate::template::parse_all(&labels);
        let ctx = Arc::new(PackContext { calendar: Arc::new(calendar), timezone, labels, templates });
        let engine = build_engine(&limits, ctx.clone());

        let mut common = AST::empty();
        for (i, rel) in m.scripts.iter().enumerate() {
            if let Some(ast) = self.compile(&engine, rel, &idx, &format!("scripts[{i}]")) {
                common = common.merge(&ast);
            }
        }
        let mut entries = BTreeMap::new();
        for (name, e) in &m.entries {
            let key = format!("entries.{name}.script");
            let Some(ast) = self.compile(&engine, &e.script, &idx, &key) else { continue };
            let ast = common.merge(&ast);
            let has_entry = ast.iter_functions().any(|f| f.name == name && f.params.len() == 2);
            if !has_entry {
                self.diags.push(
                    Diagnostic::error(
                        "pack.missing-entry-fn",
                        format!("`{}` does not define `fn {name}(input, params)`", e.script),
                    )
                    .at(idx.value(&key))
                    .help(format!("add `fn {name}(input, params) {{ … }}` to the script")),
                );
                continue;
            }
            let input = inputs.remove(name).unwrap_or(Field { ty: Type::Any, optional: false, default: None });
            let output = match OutputKind::parse(e.output.as_deref()) {
                Ok(o) => o,
                Err(msg) => {
                    self.diags
                        .push(Diagnostic::error("pack.invalid", msg).at(idx.value(&format!("entries.{name}.output"))));
                    continue;
                }
            };
            if output == OutputKind::Invoice {
                for code in money::REQUIRED_LABELS.iter().filter(|c| !ctx.labels.contains_key(**c)) {
                    self.diags.push(
                        Diagnostic::error(
                            "pack.missing-label",
                            format!("invoice entry `{name}` needs the label `{code}` (a legal VAT mention)"),
                        )
                        .at(idx.value(&format!("entries.{name}.output")))
                        .help(format!("add `{code}: {{fr: …, nl: …, en: …}}` to the labels file")),
                    );
                }
            }
            let direct = direct::lower(&ast, name, &limits, &ctx);
            entries.insert(name.clone(), Entry { ast, direct, input, doc: e.doc.clone(), output });
        }
        if m.entries.is_empty() {
            self.diags.push(Diagnostic::error("pack.no-entries", "the pack declares no entries").at(at("entries")));
        }

        if self.diags.iter().any(Diagnostic::is_error) {
            return Err(Diagnostics(self.diags));
        }
        let digest = self.hasher.finalize().iter().map(|b| format!("{b:02x}")).collect();
        Ok(Pack {
            inner: Arc::new(Inner {
                id: PackId { name: m.name, version: m.version, effective_from, digest },
                dir: self.dir.to_path_buf(),
                currency: m.currency,
                languages: m.languages,
                description: m.description,
                engine,
                limits,
                ctx,
                params,
                entries,
            }),
        })
    }

    fn calendar(&mut self, m: &Manifest, idx: &SpanIndex, tz: Option<Tz>) -> Option<Calendar> {
        let at = idx.value("calendar");
        let config = match &m.calendar {
            None => {
                let mut spec = CalendarSpec::belgian_office_hours();
                spec.timezone = tz?;
                return self.build_calendar(spec, at);
            }
            Some(v) => v.clone(),
        };
        let mut v = config;
        if let yaml::Value::Mapping(map) = &mut v {
            let key = yaml::Value::from("timezone");
            match map.get(&key).and_then(|t| t.as_str()) {
                Some(t) if t != m.timezone => {
                    self.diags.push(
                        Diagnostic::error(
                            "pack.invalid",
                            format!("`calendar.timezone` is `{t}` but the pack's `timezone` is `{}`", m.timezone),
                        )
                        .at(idx.value("calendar.timezone"))
                        .help("remove `calendar.timezone`; the pack's timezone applies"),
                    );
                    return None;
                }
                Some(_) => {}
                None => {
                    map.insert(key, yaml::Value::from(m.timezone.clone()));
                }
            }
        }
        let cfg: CalendarConfig = match yaml::from_value(v) {
            Ok(c) => c,
            Err(e) => {
                self.diags.push(Diagnostic::error("pack.calendar", format!("invalid `calendar`: {e}")).at(at));
                return None;
            }
        };
        match cfg.to_spec() {
            Ok(spec) => self.build_calendar(spec, at),
            Err(e) => {
                self.diags.push(Diagnostic::error("pack.calendar", format!("invalid `calendar`: {e}")).at(at));
                None
            }
        }
    }

    fn build_calendar(&mut self, spec: CalendarSpec, at: Location) -> Option<Calendar> {
        match Calendar::new(spec) {
            Ok(c) => Some(c),
            Err(e) => {
                self.diags.push(Diagnostic::error("pack.calendar", format!("invalid `calendar`: {e}")).at(at));
                None
            }
        }
    }

    fn labels(&mut self, m: &Manifest) -> BTreeMap<String, Labels> {
        let mut out = BTreeMap::new();
        let Some(rel) = &m.labels else { return out };
        let Some(src) = self.read(rel) else { return out };
        let (node, lidx) = match Node::from_yaml(&src, YamlLimits::default()) {
            Ok(parsed) => parsed,
            Err(d) => {
                self.diags.push(d);
                return out;
            }
        };
        let Node::Map(codes) = node else {
            self.diags.push(
                Diagnostic::error("labels.invalid", format!("`{rel}` must map each label code to its texts"))
                    .at(lidx.value(""))
                    .help("write `code: {fr: …, nl: …, en: …}`"),
            );
            return out;
        };
        for (code, texts) in codes {
            let Node::Map(texts) = texts else {
                self.diags.push(
                    Diagnostic::error("labels.invalid", format!("label `{code}` must give a text per language"))
                        .at(lidx.value(&code))
                        .help(format!("write `{code}: {{fr: …, nl: …, en: …}}`")),
                );
                continue;
            };
            let mut labels = Labels::new();
            for (lang, text) in texts {
                match text {
                    Node::Str(t) | Node::Number(t) => {
                        if !m.languages.contains(&lang) {
                            self.diags.push(
                                Diagnostic::warning(
                                    "labels.extra-language",
                                    format!("label `{code}` has a text in `{lang}`, which the pack does not declare"),
                                )
                                .at(lidx.key(&format!("{code}.{lang}"))),
                            );
                        }
                        if t.trim().is_empty() {
                            // Lines and notes take their texts from here unchecked (see invoice.rs).
                            self.diags.push(
                                Diagnostic::error("labels.empty-text", format!("label `{code}` in `{lang}` is empty"))
                                    .at(lidx.value(&format!("{code}.{lang}")))
                                    .help("write the text a client reads in this language"),
                            );
                        }
                        labels.insert(lang, t);
                    }
                    _ => self.diags.push(
                        Diagnostic::error("labels.invalid", format!("label `{code}` in `{lang}` must be a text"))
                            .at(lidx.value(&format!("{code}.{lang}"))),
                    ),
                }
            }
            for lang in &m.languages {
                if !labels.contains_key(lang) {
                    self.diags.push(
                        Diagnostic::error("labels.missing-language", format!("label `{code}` has no `{lang}` text"))
                            .at(lidx.key(&code))
                            .help(format!("add `{lang}: …` to `{code}`")),
                    );
                }
            }
            out.insert(code, labels);
        }
        out
    }

    fn params(&mut self, m: &Manifest, idx: &SpanIndex, schema: Option<&Field>) -> Dynamic {
        let Some(p) = &m.params else { return Dynamic::from_map(Map::new()) };
        let mut merged: Vec<(String, Node)> = Vec::new();
        // Each file's positions, and for each parameter the file that sets it.
        let mut files: Vec<SpanIndex> = Vec::new();
        let mut origin: BTreeMap<String, usize> = BTreeMap::new();
        for (i, rel) in p.files.iter().enumerate() {
            let Some(src) = self.read(rel) else { continue };
            let (node, fidx) = match Node::from_yaml(&src, YamlLimits::default()) {
                Ok(parsed) => parsed,
                Err(d) => {
                    self.diags.push(d);
                    continue;
                }
            };
            let Node::Map(entries) = node else {
                self.diags.push(
                    Diagnostic::error(
                        "params.invalid",
                        format!("`{rel}` must be a mapping of parameter names to values"),
                    )
                    .at(idx.value(&format!("params.files[{i}]"))),
                );
                continue;
            };
            for (k, v) in entries {
                if let Some(prev) = origin.get(&k).and_then(|f| files.get(*f)) {
                    self.diags.push(
                        Diagnostic::error(
                            "params.duplicate",
                            format!("parameter `{k}` is also set in `{}`", prev.file()),
                        )
                        .at(fidx.key(&k))
                        .help("set each parameter in one file only"),
                    );
                    continue;
                }
                origin.insert(k.clone(), files.len());
                merged.push((k, v));
            }
            files.push(fidx);
        }
        let node = Node::Map(merged);
        let Some(schema) = schema else { return schema::any_to_dynamic(&node) };
        let mut errors = Vec::new();
        let value = schema::check(schema, Some(&node), &mut String::new(), &mut errors);
        for e in errors {
            // Each problem is shown in the parameter file that holds it (or pack.yaml for a missing one).
            let top = e.path.split(['.', '[']).next().unwrap_or("");
            let location = match origin.get(top).and_then(|f| files.get(*f)) {
                Some(fidx) => {
                    if matches!(e.problem, schema::InputProblem::UnknownField { .. }) {
                        fidx.key(&e.path)
                    } else {
                        fidx.value(&e.path)
                    }
                }
                None => idx.value(&format!("params.schema.{top}")),
            };
            let help = match &e.problem {
                schema::InputProblem::MissingField => Some(format!("add `{}` to a parameter file", e.path)),
                _ => None,
            };
            let mut d = Diagnostic::error("params.invalid", format!("parameter {e}")).at(location);
            if let Some(h) = help {
                d = d.help(h);
            }
            self.diags.push(d);
        }
        value
    }

    fn compile(&mut self, engine: &Engine, rel: &str, idx: &SpanIndex, key: &str) -> Option<AST> {
        if !rel.ends_with(".rhai") {
            self.diags.push(
                Diagnostic::error("pack.script", format!("script `{rel}` must be a `.rhai` file")).at(idx.value(key)),
            );
            return None;
        }
        let src = self.read(rel)?;
        match engine.compile(&src.text) {
            Ok(mut ast) => {
                ast.set_source(src.name.as_str());
                Some(ast)
            }
            Err(e) => {
                let pos = e.position();
                let loc = Location::new(src.name.clone(), pos.line().unwrap_or(1), pos.position().unwrap_or(1));
                let (code, help) = match e.err_type() {
                    rhai::ParseErrorType::ExprTooDeep => {
                        ("pack.limit", "split the expression, or raise `limits.max_expr_depth`")
                    }
                    _ => ("pack.script-syntax", "fix the script's syntax at this place"),
                };
                self.diags.push(
                    Diagnostic::error(code, format!("cannot compile `{rel}`: {}", e.err_type())).at(loc).help(help),
                );
                None
            }
        }
    }
}
