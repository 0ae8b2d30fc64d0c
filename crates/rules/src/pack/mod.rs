//! Rule packs: a folder with `pack.yaml`, parameter files, labels and rhai scripts. Loading reads,
//! checks and compiles everything once, reporting every problem with its place; evaluating runs one
//! entry against a JSON input with the compiled scripts, shared by all callers.

use std::collections::BTreeMap;
use std::fmt;
use std::path::Path;
use std::sync::Arc;

use chrono::NaiveDate;
use chrono_tz::Tz;
use rhai::{Array, CallFnOptions, Dynamic, Engine, EvalAltResult, Map, Scope};

use missions_base::diag::{Diagnostics, Location, did_you_mean};
use missions_base::value::Node;
use missions_calendar::Calendar;

mod blame;
mod coverage;
mod inner;
mod load;
mod returns;
#[cfg(test)]
mod testing;

pub use coverage::{Coverage, ScriptCoverage};

use crate::context::REJECT_MARK;
pub(crate) use crate::error::{EvalError, EvalOptions, Evaluation, PackId};
use crate::helpers::bounds_error;
use crate::money::{self, Adjusting, InvoiceAdjuster, OutputKind};
use crate::schema::{self, InputError, Tree};
use crate::template::Labels;
use crate::value_json;
use inner::Inner;
use load::Loader;
use missions_base::json::Output;

/// Most input problems one evaluation reports.
pub const MAX_INPUT_ERRORS: usize = 50;

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

/// What an evaluation runs on: the pack's engine and parameters, unless a coverage run lends
/// others.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Runtime<'a> {
    pub(crate) engine: &'a Engine,
    pub(crate) params: &'a Dynamic,
}

impl Pack {
    /// Load, check and compile the pack in `dir`. Every problem found is reported, each with its
    /// file and position; a pack with any error is not returned.
    pub fn load(dir: impl AsRef<Path>) -> Result<Pack, Diagnostics> {
        Loader::new(dir.as_ref()).load().map(|inner| Pack { inner: Arc::new(inner) })
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

    /// Whether the pack has an entry of that name.
    pub fn has_entry(&self, entry: &str) -> bool {
        self.inner.entries.contains_key(entry)
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
        self.eval_routed(entry, input, opts, &[], Route::Direct).map(|(ev, _)| ev)
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
        self.eval_routed(entry, input, opts, adjusters, Route::Direct).map(|(ev, _)| ev)
    }

    pub(crate) fn eval_node(&self, entry_name: &str, input: &Node, opts: EvalOptions) -> Result<Evaluation, EvalError> {
        self.eval_routed(entry_name, input, opts, &[], Route::Direct).map(|(ev, _)| ev)
    }

    /// Evaluate `entry` in rhai's interpreter only, never directly: the reference the direct
    /// evaluation is compared with, in tests and benchmarks.
    pub fn eval_interpreted(
        &self,
        entry: &str,
        input: &serde_json::Value,
        opts: EvalOptions,
    ) -> Result<Evaluation, EvalError> {
        self.eval_routed(entry, input, opts, &[], Route::Rhai).map(|(ev, _)| ev)
    }

    /// The JSON Schema (2020-12) of the input of `entry`, as the HTTP host publishes it.
    pub fn input_schema(&self, entry: &str) -> Option<serde_json::Value> {
        self.inner.entries.get(entry).map(|e| schema::json_schema(&e.input))
    }

    /// The pack's parameter files, as `pack.yaml` lists them (each top-level parameter is set
    /// in one of them).
    pub fn param_files(&self) -> &[String] {
        &self.inner.param_files
    }

    /// The parameter values, merged from every parameter file, as JSON (decimals as strings,
    /// dates in ISO 8601); the error says which value has no JSON form.
    pub fn params_json(&self) -> Result<serde_json::Value, String> {
        crate::value_json::to_json(&self.inner.params, self.timezone(), &self.inner.limits, "params").map_err(|e| {
            match e {
                crate::value_json::OutputError::Invalid { path, message } => format!("`{path}`: {message}"),
                crate::value_json::OutputError::Limit { limit, what } => format!("{what} is over `{limit}`"),
            }
        })
    }

    /// The JSON Schema (2020-12) of the pack's parameter files, from `params.schema` with its
    /// `doc:` texts, for editors: each file holds some of the keys (none is required), and
    /// decimals are written plainly as YAML numbers. `None` when the pack has no parameters.
    pub fn params_schema(&self) -> Option<serde_json::Value> {
        let field = self.inner.params_schema.as_ref()?;
        let mut schema = schema::yaml_schema(field);
        if let Some(obj) = schema.as_object_mut() {
            obj.remove("required");
            obj.insert("$schema".into(), "https://json-schema.org/draft/2020-12/schema".into());
            obj.insert("title".into(), format!("parameters of rule pack `{}`", self.inner.id.name).into());
        }
        Some(schema)
    }

    /// `input` with every field the entry's input schema marks `personal: true` masked, for
    /// storing it (the audit log): digits become `0` and letters `X` after the first two
    /// characters, so `BE0123456789` is kept as `BE0000000000`. The shape stays (a replay still
    /// sees a VAT number of the right country and length); the person does not. `None` when
    /// the entry's input has no personal field: the input is kept as it is, without a copy.
    pub fn mask_personal(&self, entry: &str, input: &serde_json::Value) -> Option<serde_json::Value> {
        let e = self.inner.entries.get(entry).filter(|e| schema::has_personal(&e.input))?;
        let mut out = input.clone();
        schema::mask(&e.input, &mut out);
        Some(out)
    }

    /// Whether `entry` runs directly (see the `direct` module) rather than in rhai's interpreter.
    /// Either way gives the same result; the direct way is faster (1.7× on the esomus quote).
    pub fn runs_directly(&self, entry: &str) -> bool {
        self.inner.entries.get(entry).is_some_and(|e| e.direct.is_ok())
    }

    /// The input field of `entry` typed whole as status changes, because the entry only hands it
    /// to `sla_clock` (see `direct::uses`).
    #[cfg(test)]
    pub(crate) fn typed_whole(&self, entry: &str) -> Option<&str> {
        self.inner.entries.get(entry).and_then(|e| e.rows.as_deref())
    }

    /// Why `entry` runs in rhai's interpreter rather than directly: the first thing it uses that
    /// the direct evaluation does not cover. `None` when it runs directly (or does not exist).
    pub fn why_interpreted(&self, entry: &str) -> Option<&str> {
        self.inner.entries.get(entry).and_then(|e| e.direct.as_ref().err()).map(String::as_str)
    }

    /// Evaluate, directly when the entry allows it and `route` says so, and say whether the
    /// direct evaluation gave the result (`false`: rhai did).
    pub(crate) fn eval_routed<T: Tree>(
        &self,
        entry_name: &str,
        input: &T,
        opts: EvalOptions,
        adjusters: &[&dyn InvoiceAdjuster],
        route: Route,
    ) -> Result<(Evaluation, bool), EvalError> {
        let runtime = Runtime { engine: &self.inner.engine, params: &self.inner.params };
        self.eval_on(runtime, entry_name, input, opts, adjusters, route)
    }

    /// [`Pack::eval_routed`] on another engine or other parameters than the pack's own: a
    /// coverage run's engine (with a debugger), or parameters with one value taken away.
    pub(crate) fn eval_on<T: Tree>(
        &self,
        runtime: Runtime<'_>,
        entry_name: &str,
        input: &T,
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
        let typed = entry.typed(input, &mut errors);
        if !errors.is_empty() {
            // The first ones are enough to fix the input; a long list of bad items must not
            // grow the answer and the audit row with it.
            errors.truncate(MAX_INPUT_ERRORS);
            return Err(EvalError::Input(errors));
        }
        let mut typed = Some(typed);
        let direct = entry.direct.as_ref().ok().filter(|_| route == Route::Direct).and_then(|d| {
            let mut trace = opts.trace.then(Array::new);
            let value = d.run(typed.take()?, runtime.params, trace.as_mut()).ok()?;
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
                    None => entry.typed(input, &mut Vec::new()),
                };
                let mut scope = Scope::new();
                let result: Dynamic = runtime
                    .engine
                    .call_fn_with_options(options, &mut scope, &entry.ast, entry_name, (typed, runtime.params.clone()))
                    .map_err(|e| blame::blame(self.map_error(*e, entry.ast.source()), &input.to_node()))?;
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
            // Overflow and division by zero come from values the schema let through.
            EvalAltResult::ErrorArithmetic(detail, _) => EvalError::Input(vec![bounds_error(&detail)]),
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
