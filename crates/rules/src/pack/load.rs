//! Loading a pack folder: `pack.yaml`, the parameter files and their schema, labels, scripts
//! and entries, each checked with located diagnostics; then the engine built and every entry
//! compiled and lowered.

use std::collections::BTreeMap;
use std::path::Path;
use std::str::FromStr;
use std::sync::Arc;

use chrono_tz::Tz;
use missions_base::diag::{Diagnostic, Diagnostics, Location};
use missions_base::value::Node;
use missions_base::yaml::{self, SourceText, SpanIndex, YamlLimits};
use missions_calendar::{Calendar, CalendarConfig, CalendarSpec};
use rhai::{AST, Dynamic, Engine, Map};
use serde::Deserialize;
use sha2::{Digest, Sha256};

use super::inner::{Entry, Inner, ScriptFile};
use crate::context::PackContext;
use crate::direct;
use crate::error::PackId;
use crate::limits::ScriptLimits;
use crate::money::{self, OutputKind};
use crate::schema::{self, DefError, Field, Type, compile_fields};
use crate::script::build_engine;
use crate::template::Labels;

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
    /// The fields of the output (for an invoice entry: the script's own, besides the invoice's),
    /// published with the HTTP routes and checked on every golden case.
    #[serde(default)]
    returns: Option<yaml::Mapping>,
}

/// Reads, checks and compiles one pack folder, collecting every problem it finds.
pub(super) struct Loader<'a> {
    dir: &'a Path,
    diags: Vec<Diagnostic>,
    hasher: Sha256,
}

impl<'a> Loader<'a> {
    pub(super) fn new(dir: &'a Path) -> Self {
        Self { dir, diags: Vec::new(), hasher: Sha256::new() }
    }

    /// Read the file `rel` of the pack, named by the manifest at `key` (`None` for `pack.yaml`
    /// itself). It must stay inside the pack folder, as written and with links resolved: a pack
    /// may be uploaded, and it must not read the machine it runs on.
    fn read(&mut self, rel: &str, key: Option<(&SpanIndex, &str)>) -> Option<SourceText> {
        let path = match missions_base::path::within(self.dir, rel) {
            Ok(path) => path,
            Err(why) => {
                let named = key.map_or_else(|| format!("`{rel}`"), |(_, key)| format!("`{key}`"));
                let mut d = Diagnostic::error("pack.path-outside", format!("{named} {}", why.reason())).help(
                    "name a file inside the pack folder, relative to `pack.yaml` (`tariff.yaml`, `scripts/quote.rhai`)",
                );
                if let Some((idx, key)) = key {
                    d = d.at(idx.value(key));
                }
                self.diags.push(d);
                return None;
            }
        };
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

    pub(super) fn load(mut self) -> Result<Inner, Diagnostics> {
        if !self.dir.is_dir() {
            return Err(Diagnostic::error(
                "pack.missing",
                format!("pack folder `{}` does not exist", self.dir.display()),
            )
            .help("give the folder that holds `pack.yaml`, e.g. `rules/norriq`")
            .into());
        }
        let Some(src) = self.read("pack.yaml", None) else { return Err(Diagnostics(self.diags)) };
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
        let labels = self.labels(&m, &idx);
        let params_schema = m.params.as_ref().and_then(|p| p.schema.as_ref()).map(|s| {
            let mut errs = Vec::new();
            let fields = compile_fields(s, "params.schema", &mut errs);
            self.def_errors(&idx, errs);
            Field::object(fields)
        });
        // Parameters are shared by every evaluation, read-only: a call clones a handle, not the tree.
        let params = self.params(&m, &idx, params_schema.as_ref()).into_read_only().into_shared().into_read_only();

        // Inputs and outputs: compiled before any script, so schema errors show even when a
        // script is broken.
        let mut inputs = BTreeMap::new();
        let mut outputs = BTreeMap::new();
        for (name, e) in &m.entries {
            let mut errs = Vec::new();
            let fields = compile_fields(&e.input, &format!("entries.{name}.input"), &mut errs);
            inputs.insert(name.clone(), Field::object(fields));
            if let Some(returns) = &e.returns {
                let fields = compile_fields(returns, &format!("entries.{name}.returns"), &mut errs);
                outputs.insert(name.clone(), Field::object(fields));
            }
            self.def_errors(&idx, errs);
        }

        let (Some(calendar), Some(timezone), Some(effective_from)) = (calendar, timezone, effective_from) else {
            return Err(Diagnostics(self.diags));
        };
        let ctx = Arc::new(PackContext::new(Arc::new(calendar), timezone, labels));
        let engine = build_engine(&limits, ctx.clone());

        let mut common = AST::empty();
        let mut scripts: Vec<ScriptFile> = Vec::new();
        let mut keep = |rel: &str, ast: &AST, shared: bool| {
            if !scripts.iter().any(|s| s.rel == rel) {
                scripts.push(ScriptFile::of(rel, ast, shared));
            }
        };
        for (i, rel) in m.scripts.iter().enumerate() {
            if let Some(ast) = self.compile(&engine, rel, &idx, &format!("scripts[{i}]")) {
                keep(rel, &ast, true);
                common = common.merge(&ast);
            }
        }
        let mut entries = BTreeMap::new();
        for (name, e) in &m.entries {
            let key = format!("entries.{name}.script");
            let Some(ast) = self.compile(&engine, &e.script, &idx, &key) else { continue };
            keep(&e.script, &ast, false);
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
            let input = inputs.remove(name).unwrap_or(Field {
                ty: Type::Any,
                optional: false,
                default: None,
                personal: false,
                doc: None,
            });
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
            let returns = outputs.remove(name);
            let entry = Entry::new(ast, direct, input, returns, e.script.clone(), e.doc.clone(), output);
            entries.insert(name.clone(), entry);
        }
        if m.entries.is_empty() {
            self.diags.push(Diagnostic::error("pack.no-entries", "the pack declares no entries").at(at("entries")));
        }

        if self.diags.iter().any(Diagnostic::is_error) {
            return Err(Diagnostics(self.diags));
        }
        let digest = self.hasher.finalize().iter().map(|b| format!("{b:02x}")).collect();
        let param_files = m.params.as_ref().map(|p| p.files.clone()).unwrap_or_default();
        Ok(Inner {
            id: PackId { name: m.name, version: m.version, effective_from, digest },
            dir: self.dir.to_path_buf(),
            currency: m.currency,
            languages: m.languages,
            description: m.description,
            engine,
            limits,
            ctx,
            params,
            param_files,
            params_schema,
            entries,
            scripts,
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

    fn labels(&mut self, m: &Manifest, idx: &SpanIndex) -> BTreeMap<String, Labels> {
        let mut out = BTreeMap::new();
        let Some(rel) = &m.labels else { return out };
        let Some(src) = self.read(rel, Some((idx, "labels"))) else { return out };
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
            let Some(src) = self.read(rel, Some((idx, &format!("params.files[{i}]")))) else { continue };
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
        let value = schema::check(schema, Some(&node), &mut errors);
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
        let src = self.read(rel, Some((idx, key)))?;
        match engine.compile(&src.text) {
            Ok(mut ast) => {
                // Runtime errors name the script as the pack names it: a client of the host
                // reads them, and the folder the pack is served from is none of its business.
                ast.set_source(rel);
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
