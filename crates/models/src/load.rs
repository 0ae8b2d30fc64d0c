//! Reading a model and the chain of models it `extends`, and merging them into one draft whose
//! every value remembers the file and YAML path it came from, so that a problem found later is
//! reported in the file that caused it. Checking the merged draft is `check.rs`'s job.

use std::collections::HashMap;
use std::path::{Component, Path};
use std::sync::Arc;

use missions_base::diag::{Diagnostic, Said, clip, did_you_mean};
use missions_base::said;
use missions_base::yaml::{self, SourceText, SpanIndex, YamlLimits};

use super::ck::Kind;
use super::draft::{DAction, DDate, DItem, DKind, DPhase, DRisk, DRole, DSeverity, Draft, F, Removed, SourceFile, Src};
use super::raw::{RawAction, RawKeyPoints, RawLabel, RawLibrary, RawModel, RawPhase};

/// The largest model file accepted (8 MiB): far beyond any hand-written model, small enough that
/// a hostile file costs bounded memory. Larger files are refused before they are read.
pub const MODEL_MAX_BYTES: usize = 8 * 1024 * 1024;

/// How many models deep an `extends` chain may go.
pub const MAX_EXTENDS_DEPTH: usize = 8;

/// Where `extends:` finds the models it names. The library reads the file system with
/// [`FsModelFiles`]; a host that keeps models elsewhere (a database) implements this.
pub trait ModelFiles {
    /// The text of the model that the model `from` names as `name` in its `extends:`.
    fn extended(&self, from: &str, name: &str) -> Result<SourceText, Diagnostic>;
}

/// Finds extended models on disk, relative to the directory of the model that extends them.
#[derive(Debug, Clone, Copy, Default)]
pub struct FsModelFiles;

impl ModelFiles for FsModelFiles {
    fn extended(&self, from: &str, name: &str) -> Result<SourceText, Diagnostic> {
        let dir = Path::new(from).parent().unwrap_or(Path::new(""));
        let path = dir.join(name);
        SourceText::read(&path, MODEL_MAX_BYTES).map_err(|d| {
            if d.code != "file.unreadable" {
                return d;
            }
            let siblings = yaml_files_in(dir);
            match did_you_mean(name, siblings.iter().map(String::as_str)) {
                Some(best) => d.help_said(Said::did_you_mean_help(best)),
                None => d.help_said(said!("models-path-relative-directory", from)),
            }
        })
    }
}

fn yaml_files_in(dir: &Path) -> Vec<String> {
    let dir = if dir.as_os_str().is_empty() { Path::new(".") } else { dir };
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    entries
        .filter_map(Result::ok)
        .filter_map(|e| e.file_name().into_string().ok())
        .filter(|n| n.ends_with(".yaml") || n.ends_with(".yml"))
        .take(1000)
        .collect()
}

/// Models kept in memory, by name (tests, hosts that store models in a database). `extends:`
/// names are looked up as written.
#[derive(Debug, Clone, Default)]
pub struct MemModelFiles(pub HashMap<String, String>);

impl ModelFiles for MemModelFiles {
    fn extended(&self, _from: &str, name: &str) -> Result<SourceText, Diagnostic> {
        match self.0.get(name) {
            Some(text) => SourceText::from_bytes(name.to_owned(), text.clone().into_bytes()),
            None => {
                let name = clip(name);
                let d = Diagnostic::error_said("file.unreadable", said!("models-no-model-named", name));
                Err(match did_you_mean(&name, self.0.keys().map(String::as_str)) {
                    Some(best) => d.help_said(Said::did_you_mean_help(best)),
                    None => d,
                })
            }
        }
    }
}

/// Decode a model. The limits are checked first, on the event stream, so a deep or alias-bomb
/// file stops there; then the fast decode alone when the file is fine, and when it is not,
/// `yaml::parse` again for its located, suggestion-bearing diagnostics (unknown keys, types).
fn parse_raw(src: &SourceText, limits: YamlLimits) -> Result<(RawModel, Option<SpanIndex>), Diagnostic> {
    yaml::check(src, limits)?;
    if let Ok(raw) = yaml::decode::<RawModel>(&src.text) {
        return Ok((raw, None));
    }
    yaml::parse::<RawModel>(src, limits).map(|(raw, index)| (raw, Some(index)))
}

/// Read `src` and every model it extends, and merge them.
pub(crate) fn load(src: SourceText, files: &dyn ModelFiles, limits: YamlLimits) -> Result<Draft, Vec<Diagnostic>> {
    let mut chain: Vec<(RawModel, SourceFile)> = Vec::new();
    let mut next = Some(src);
    while let Some(src) = next.take() {
        let (raw, index) = parse_raw(&src, limits).map_err(|d| vec![d])?;
        let file = SourceFile::new(src, limits, index);
        if let Some(ext) = &raw.extends {
            let at = file.locate(|ix| ix.value("extends"));
            if chain.len() + 2 > MAX_EXTENDS_DEPTH {
                return Err(vec![
                    Diagnostic::error_said(
                        "model.extends-too-deep",
                        said!("models-chains-more-than-models", MAX_EXTENDS_DEPTH),
                    )
                    .at(at),
                ]);
            }
            if Path::new(ext).is_absolute() || Path::new(ext).components().any(|c| matches!(c, Component::Prefix(_))) {
                return Err(vec![
                    Diagnostic::error_said("model.extends-absolute", said!("models-must-relative-path-not", ext))
                        .at(at)
                        .help_said(said!("models-name-model-relative-directory-this")),
                ]);
            }
            let text = files.extended(&file.name, ext).map_err(|d| {
                let d = if d.location.is_none() { d.at(at.clone()) } else { d };
                vec![d]
            })?;
            if text.name == file.name || chain.iter().any(|(_, f)| f.name == text.name) {
                let mut names: Vec<&str> = chain.iter().map(|(_, f)| f.name.as_str()).collect();
                names.push(&file.name);
                names.push(&text.name);
                return Err(vec![
                    {
                        let cycle = names.iter().map(|n| format!("`{n}`")).collect::<Vec<_>>().join(" → ");
                        Diagnostic::error_said(
                            "model.extends-cycle",
                            said!("models-models-extend-each-other-cycle", cycle),
                        )
                    }
                    .at(at),
                ]);
            }
            next = Some(text);
        } else if !raw.remove.is_empty() {
            return Err(vec![
                Diagnostic::error_said("model.remove-without-extends", said!("models-only-model-that-another"))
                    .at(file.locate(|ix| ix.key("remove")))
                    .help_said(said!("models-add-delete-actions-from-this")),
            ]);
        }
        chain.push((raw, file));
    }

    let mut draft = Draft::default();
    // Apply the most basic model first.
    for (raw, file) in chain.into_iter().rev() {
        let fi = draft.files.len();
        draft.files.push(file);
        draft.apply(raw, fi);
    }
    Ok(draft)
}

fn src(file: usize, item: String) -> Src {
    Src { file, item: Arc::from(item) }
}

fn f<T>(v: Option<T>, s: &Src) -> Option<F<T>> {
    v.map(|v| F { v, src: s.clone() })
}

fn over<T>(a: &mut Option<F<T>>, b: Option<F<T>>) {
    if b.is_some() {
        *a = b;
    }
}

/// Labels merge per language, so an extending model can reword one language only.
fn merge_label(a: &mut Option<F<RawLabel>>, b: Option<F<RawLabel>>) {
    match (a.as_mut(), b) {
        (Some(a), Some(b)) => {
            a.v.extend(b.v);
            a.src = b.src;
        }
        (None, b @ Some(_)) => *a = b,
        (_, None) => {}
    }
}

fn ditem(id: String, label: Option<RawLabel>, description: Option<RawLabel>, s: Src) -> DItem {
    DItem { label: f(label, &s), description: f(description, &s), id, src: s }
}

impl DItem {
    fn merge(&mut self, o: DItem) {
        merge_label(&mut self.label, o.label);
        merge_label(&mut self.description, o.description);
    }
}

/// Entries merged by id.
trait Entry {
    fn item(&self) -> &DItem;
    fn merge(&mut self, other: Self);
}

impl Entry for DItem {
    fn item(&self) -> &DItem {
        self
    }
    fn merge(&mut self, o: Self) {
        DItem::merge(self, o);
    }
}

impl Entry for DDate {
    fn item(&self) -> &DItem {
        &self.item
    }
    fn merge(&mut self, o: Self) {
        self.item.merge(o.item);
        over(&mut self.default, o.default);
    }
}

impl Entry for DRole {
    fn item(&self) -> &DItem {
        &self.item
    }
    fn merge(&mut self, o: Self) {
        self.item.merge(o.item);
        over(&mut self.reports_to, o.reports_to);
    }
}

impl Entry for DRisk {
    fn item(&self) -> &DItem {
        &self.item
    }
    fn merge(&mut self, o: Self) {
        self.item.merge(o.item);
        over(&mut self.objectives, o.objectives);
    }
}

impl Entry for DSeverity {
    fn item(&self) -> &DItem {
        &self.item
    }
    fn merge(&mut self, o: Self) {
        self.item.merge(o.item);
        over(&mut self.escalate_after, o.escalate_after);
    }
}

impl Entry for DKind {
    fn item(&self) -> &DItem {
        &self.item
    }
    fn merge(&mut self, o: Self) {
        self.item.merge(o.item);
        over(&mut self.alert, o.alert);
        over(&mut self.escalate_after, o.escalate_after);
        over(&mut self.escalate_to, o.escalate_to);
    }
}

impl DAction {
    fn merge(&mut self, o: Self) {
        self.item.merge(o.item);
        over(&mut self.kind, o.kind);
        over(&mut self.role, o.role);
        over(&mut self.documents, o.documents);
        over(&mut self.inputs, o.inputs);
        over(&mut self.depends_on, o.depends_on);
        over(&mut self.objectives, o.objectives);
        over(&mut self.risks, o.risks);
        over(&mut self.due, o.due);
    }
}

/// Ids already seen in the file being applied, to tell a duplicate from an override.
#[derive(Default)]
struct Seen(HashMap<String, Src>);

impl Seen {
    /// Whether `id` is new in this file; if not, report the duplicate.
    fn first(&mut self, what: Kind, item: &DItem, draft: &Draft, diags: &mut Vec<Diagnostic>) -> bool {
        if let Some(first) = self.0.get(&item.id) {
            let (n, id, first_at) = (what.noun(), clip(&item.id), draft.loc(first, "id"));
            diags.push(
                Diagnostic::error_said("model.duplicate-id", said!("models-duplicate-id", n, id))
                    .at(draft.loc(&item.src, "id"))
                    .help_said(said!("models-first-ids-must-unique", first_at)),
            );
            return false;
        }
        self.0.insert(item.id.clone(), item.src.clone());
        true
    }
}

impl Draft {
    fn merge_list<T: Entry>(&mut self, list: fn(&mut Draft) -> &mut Vec<T>, what: Kind, items: Vec<T>) {
        let mut seen = Seen::default();
        let mut diags = Vec::new();
        for it in items {
            if !seen.first(what, it.item(), self, &mut diags) {
                continue;
            }
            let target = list(self);
            match target.iter_mut().find(|e| e.item().id == it.item().id) {
                Some(existing) => existing.merge(it),
                None => target.push(it),
            }
        }
        self.diags.extend(diags);
    }

    fn apply(&mut self, raw: RawModel, fi: usize) {
        let root = src(fi, String::new());
        over(&mut self.id, f(raw.id, &root));
        over(&mut self.version, f(raw.version, &root));
        over(&mut self.languages, f(raw.languages, &root));
        merge_label(&mut self.label, f(raw.label, &root));
        merge_label(&mut self.description, f(raw.description, &root));

        let dates = raw.dates.into_iter().enumerate().map(|(i, d)| {
            let s = src(fi, format!("dates[{i}]"));
            DDate { default: f(d.default, &s), item: ditem(d.id, d.label, d.description, s) }
        });
        self.merge_list(|d| &mut d.dates, Kind::Date, dates.collect());

        let roles = raw.roles.into_iter().enumerate().map(|(i, r)| {
            let s = src(fi, format!("roles[{i}]"));
            DRole { reports_to: f(r.reports_to, &s), item: ditem(r.id, r.label, r.description, s) }
        });
        self.merge_list(|d| &mut d.roles, Kind::Role, roles.collect());

        let types = raw
            .action_types
            .into_iter()
            .enumerate()
            .map(|(i, t)| ditem(t.id, t.label, t.description, src(fi, format!("action_types[{i}]"))));
        self.merge_list(|d| &mut d.action_types, Kind::ActionType, types.collect());

        let RawLibrary { objectives, risks } = raw.library.unwrap_or_default();
        let objectives = objectives
            .into_iter()
            .enumerate()
            .map(|(i, o)| ditem(o.id, o.label, o.description, src(fi, format!("library.objectives[{i}]"))));
        self.merge_list(|d| &mut d.objectives, Kind::Objective, objectives.collect());
        let risks = risks.into_iter().enumerate().map(|(i, r)| {
            let s = src(fi, format!("library.risks[{i}]"));
            DRisk { objectives: f(r.objectives, &s), item: ditem(r.id, r.label, r.description, s) }
        });
        self.merge_list(|d| &mut d.risks, Kind::Risk, risks.collect());

        let RawKeyPoints { severities, kinds } = raw.key_points.unwrap_or_default();
        let severities = severities.into_iter().enumerate().map(|(i, s)| {
            let at = src(fi, format!("key_points.severities[{i}]"));
            DSeverity { escalate_after: f(s.escalate_after, &at), item: ditem(s.id, s.label, s.description, at) }
        });
        self.merge_list(|d| &mut d.severities, Kind::Severity, severities.collect());
        let kinds = kinds.into_iter().enumerate().map(|(i, k)| {
            let at = src(fi, format!("key_points.kinds[{i}]"));
            DKind {
                alert: f(k.alert, &at),
                escalate_after: f(k.escalate_after, &at),
                escalate_to: f(k.escalate_to, &at),
                item: ditem(k.id, k.label, k.description, at),
            }
        });
        self.merge_list(|d| &mut d.kinds, Kind::KeyPointKind, kinds.collect());

        self.apply_phases(raw.phases, fi);
        self.apply_removals(raw.remove, fi);
    }

    fn apply_phases(&mut self, phases: Vec<RawPhase>, fi: usize) {
        let mut seen_phases = Seen::default();
        let mut seen_actions = Seen::default();
        let mut diags = Vec::new();
        for (pi, p) in phases.into_iter().enumerate() {
            let path = format!("phases[{pi}]");
            let item = ditem(p.id, p.label, p.description, src(fi, path.clone()));
            if !seen_phases.first(Kind::Phase, &item, self, &mut diags) {
                continue;
            }
            let phase = match self.phases.iter().position(|e| e.item.id == item.id) {
                Some(i) => {
                    if let Some(e) = self.phases.get_mut(i) {
                        e.item.merge(item);
                    }
                    i
                }
                None => {
                    self.phases.push(DPhase { item, actions: Vec::new() });
                    self.phases.len() - 1
                }
            };
            for (ai, a) in p.actions.into_iter().enumerate() {
                let action = action(a, src(fi, format!("{path}.actions[{ai}]")));
                if !seen_actions.first(Kind::Action, &action.item, self, &mut diags) {
                    continue;
                }
                self.put_action(phase, action);
            }
        }
        self.diags.extend(diags);
    }

    /// Add an action to a phase, or merge it into the action with its id — moving that action
    /// here when it sits in another phase.
    fn put_action(&mut self, phase: usize, action: DAction) {
        let existing = self.action_at.get(&action.item.id).copied();
        match existing {
            Some((p, a)) if p == phase => {
                if let Some(e) = self.phases.get_mut(p).and_then(|ph| ph.actions.get_mut(a)) {
                    e.merge(action);
                }
            }
            Some((p, a)) => {
                if let Some(mut moved) = self.take_action(p, a) {
                    moved.merge(action);
                    self.push_action(phase, moved);
                }
            }
            None => self.push_action(phase, action),
        }
    }

    fn push_action(&mut self, phase: usize, action: DAction) {
        if let Some(ph) = self.phases.get_mut(phase) {
            self.action_at.insert(action.item.id.clone(), (phase, ph.actions.len()));
            ph.actions.push(action);
        }
    }

    fn take_action(&mut self, phase: usize, index: usize) -> Option<DAction> {
        let ph = self.phases.get_mut(phase)?;
        if index >= ph.actions.len() {
            return None;
        }
        let taken = ph.actions.remove(index);
        self.action_at.remove(&taken.item.id);
        for (i, a) in ph.actions.iter().enumerate().skip(index) {
            self.action_at.insert(a.item.id.clone(), (phase, i));
        }
        Some(taken)
    }

    fn apply_removals(&mut self, remove: Vec<String>, fi: usize) {
        for (i, id) in remove.into_iter().enumerate() {
            let s = src(fi, format!("remove[{i}]"));
            match self.action_at.get(&id).copied() {
                Some((p, a)) => {
                    let documents = self
                        .take_action(p, a)
                        .and_then(|a| a.documents)
                        .map(|d| d.v.into_iter().map(|d| d.id).collect())
                        .unwrap_or_default();
                    self.removed.push(Removed { id, src: s, documents });
                }
                None => {
                    let shown = clip(&id);
                    let mut message = said!("models-cannot-remove-unknown-action", shown);
                    message.push(&Said::did_you_mean(did_you_mean(&id, self.action_at.keys().map(String::as_str))));
                    self.diags.push(Diagnostic::error_said("model.unknown-action", message).at(self.loc(&s, "")));
                }
            }
        }
    }
}

fn action(a: RawAction, s: Src) -> DAction {
    DAction {
        kind: f(a.kind, &s),
        role: f(a.role, &s),
        documents: f(a.documents, &s),
        inputs: f(a.inputs, &s),
        depends_on: f(a.depends_on, &s),
        objectives: f(a.objectives, &s),
        risks: f(a.risks, &s),
        due: f(a.due, &s),
        item: ditem(a.id, a.label, a.description, s),
    }
}
