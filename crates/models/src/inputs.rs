//! The inputs of a plan and a dashboard, declared in the schema language (`inputs.yaml`) and
//! checked by the engine's one input checker (`missions_base::schema`), as a rule pack's entry
//! inputs are: every problem at its JSON path, in fr, nl and en. What only the model can tell (an
//! unknown role, a date it does not declare) is checked afterwards, by the planner and the
//! dashboard ([`Problems`]).

use std::sync::LazyLock;

use serde::de::DeserializeOwned;
use serde_json::Value;

use missions_base::diag::{Diagnostic, Said};
use missions_base::schema::{self, Field, InputError, Json, compile_fields};
use missions_base::yaml;

/// The schema language text of the inputs.
const TEXT: &str = include_str!("inputs.yaml");

/// The inputs, compiled.
struct Inputs {
    plan: Field,
    state: Field,
    recorded_state: Field,
    new_mission: Field,
    migration: Field,
}

static INPUTS: LazyLock<Result<Inputs, String>> = LazyLock::new(compile);

fn compile() -> Result<Inputs, String> {
    let root: yaml::Mapping = yaml::decode(TEXT).map_err(|e| e.to_string())?;
    let mut errors = Vec::new();
    let mut fields = |name: &str| -> Result<Vec<(String, Field)>, String> {
        let fields = root.get(name).and_then(yaml::Value::as_mapping).ok_or_else(|| format!("no `{name}:`"))?;
        Ok(compile_fields(fields, name, &mut errors))
    };
    let plan = fields("plan")?;
    let (mut state, recorded_state) = (fields("state")?, fields("recorded_state")?);
    let (mut new_mission, migration) = (fields("new_mission")?, fields("migration")?);
    new_mission.extend(plan.iter().cloned());
    state.extend(recorded_state.iter().cloned());
    match errors.first() {
        Some(e) => Err(format!("`{}`: {}", e.path, e.message)),
        None => Ok(Inputs {
            plan: Field::object(plan),
            state: Field::object(state),
            recorded_state: Field::object(recorded_state),
            new_mission: Field::object(new_mission),
            migration: Field::object(migration),
        }),
    }
}

/// One of the inputs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Input {
    /// What a mission is planned from.
    Plan,
    /// A mission's state, for its dashboard.
    State,
    /// What a mission's state records: its actions and key points.
    RecordedState,
    /// A new mission over HTTP: the plan's input, the model and the mission's id.
    NewMission,
    /// A migration to another version of the model.
    Migration,
}

fn field(input: Input) -> Result<&'static Field, Diagnostic> {
    let inputs = INPUTS.as_ref().map_err(|why| {
        Diagnostic::error("input.schema", format!("the engine's own input schema does not compile: {why}"))
    })?;
    Ok(match input {
        Input::Plan => &inputs.plan,
        Input::State => &inputs.state,
        Input::RecordedState => &inputs.recorded_state,
        Input::NewMission => &inputs.new_mission,
        Input::Migration => &inputs.migration,
    })
}

/// Check `value` against the input's schema and read it: every problem, each at its JSON path.
pub fn read<T: DeserializeOwned>(input: Input, value: &Value) -> Result<T, Vec<Diagnostic>> {
    let field = field(input).map_err(|d| vec![d])?;
    let mut errors = Vec::new();
    let typed = schema::check::<Json, Value>(field, Some(value), &mut errors);
    if !errors.is_empty() {
        return Err(errors.iter().map(InputError::to_diagnostic).collect());
    }
    // The checked value has the declared shape; serde reading it otherwise is a defect of the
    // declaration, reported rather than hidden.
    serde_json::from_value(typed).map_err(|e| {
        vec![Diagnostic::error("input.schema", format!("a checked input does not read as the engine's type: {e}"))]
    })
}

/// The JSON Schema of an input (draft 2020-12), each field with its `doc:`.
pub fn input_schema(input: Input) -> Result<Value, Diagnostic> {
    field(input).map(schema::json_schema)
}

/// The problems of an input that only the model can see, each at its JSON path.
#[derive(Debug, Default)]
pub(crate) struct Problems {
    pub diags: Vec<Diagnostic>,
}

impl Problems {
    /// An error about the value at `path`, written in every language.
    pub fn error_at(&mut self, code: &'static str, path: &str, message: Said) -> &mut Diagnostic {
        self.diags.push(Diagnostic::error_said(code, message).at_path(path));
        let last = self.diags.len() - 1;
        &mut self.diags[last]
    }

    /// Every name of `names` (at `path`) that is blank.
    pub fn blank_names(&mut self, names: &[String], path: &str) {
        for (i, name) in names.iter().enumerate() {
            if name.trim().is_empty() {
                let path = format!("{path}[{i}]");
                self.error_at("input.invalid", &path, missions_base::said!("models-input-name-empty", path));
            }
        }
    }
}

/// `path.key`, or `key` at the top.
pub(crate) fn at(path: &str, key: &str) -> String {
    if path.is_empty() { key.to_owned() } else { format!("{path}.{key}") }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_declared_inputs_compile() {
        assert!(INPUTS.is_ok(), "{:?}", INPUTS.as_ref().err());
        let schema = input_schema(Input::State).unwrap_or_else(|d| panic!("{d}"));
        assert_eq!(schema["properties"]["mission"]["properties"]["people"]["type"], "object", "{schema:#}");
    }

    #[test]
    fn problems_come_with_their_path_in_every_language() {
        let v =
            serde_json::json!({"client": 3, "start": "2026-13-01", "closing": "2026-12-31", "people": {}, "extra": 1});
        let errs = read::<serde_json::Value>(Input::Plan, &v).err().unwrap_or_default();
        let paths: Vec<_> = errs.iter().map(|d| d.path.clone().unwrap_or_default()).collect();
        assert_eq!(paths, ["extra", "client", "start"]);
        let fr = errs[2].localized(missions_base::Lang::Fr).message;
        assert_eq!(fr, "`start` : `2026-13-01` n'est pas une date valide (exemple : `2026-12-24`)");
    }
}
