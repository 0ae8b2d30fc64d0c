//! The types scripts see beside rhai's own: dates and instants, which wrap chrono so that no
//! chrono or rhai detail leaks into script-facing names and both print the way the JSON contract
//! writes them; a ticket's status changes typed whole; and what `sla_clock` answers.

use chrono::{DateTime, NaiveDate, Utc};
use rhai::{Array, Dynamic, INT, ImmutableString, Map};

type Time = DateTime<Utc>;

/// A calendar date (`2026-12-24`), as scripts see it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) struct Date(pub NaiveDate);

/// An instant in time, as scripts see it. Stored in UTC; shown in the pack's timezone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) struct Instant(pub DateTime<Utc>);

pub(crate) use missions_base::schema::in_range;

/// A ticket's status changes, `(at, status)` in the input's order: what an entry's `events` list
/// is typed into when the entry only hands it to `sla_clock` (see `direct::uses`), so a change
/// costs no map. Scripts never see inside it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct StatusChanges(pub Vec<(DateTime<Utc>, rhai::ImmutableString)>);

/// The clock's state at `as_of`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum State {
    Running,
    Paused,
    Met,
    Breached,
}

impl State {
    fn as_str(self) -> &'static str {
        match self {
            State::Running => "running",
            State::Paused => "paused",
            State::Met => "met",
            State::Breached => "breached",
        }
    }
}

/// What the clock says: the fields of the SPEC, read by a script as properties.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Clock {
    pub deadline: Option<Time>,
    pub warnings: Vec<(INT, Option<Time>)>,
    pub paused_working_minutes: INT,
    pub analysis_started: Option<Time>,
    pub met: Option<bool>,
    /// With `as_of`: elapsed and remaining working minutes, and the state.
    pub at: Option<(INT, INT, State)>,
}

/// The properties of a [`Clock`]: each has a value (`()` where the clock has none).
pub(crate) const CLOCK_PROPERTIES: [&str; 8] = [
    "deadline",
    "warnings",
    "paused_working_minutes",
    "analysis_started",
    "met",
    "elapsed_working_minutes",
    "remaining_working_minutes",
    "state",
];

/// Property `name` of a clock (`None` for a name it does not have): an instant, a number, a
/// state or nothing (`()`) where the clock has no value, as the SPEC's fields.
pub(crate) fn clock_property(c: &Clock, name: &str) -> Option<Dynamic> {
    let instant = |t: Option<Time>| t.map_or(Dynamic::UNIT, |t| Dynamic::from(Instant(t)));
    let at = |pick: fn(&(INT, INT, State)) -> Dynamic| c.at.as_ref().map_or(Dynamic::UNIT, pick);
    Some(match name {
        "deadline" => instant(c.deadline),
        "warnings" => {
            let warnings: Array = c
                .warnings
                .iter()
                .map(|&(p, at)| {
                    let mut w = Map::new();
                    w.insert("percent".into(), Dynamic::from_int(p));
                    w.insert("at".into(), instant(at));
                    Dynamic::from_map(w)
                })
                .collect();
            Dynamic::from_array(warnings)
        }
        "paused_working_minutes" => Dynamic::from_int(c.paused_working_minutes),
        "analysis_started" => instant(c.analysis_started),
        "met" => c.met.map_or(Dynamic::UNIT, Dynamic::from_bool),
        "elapsed_working_minutes" => at(|&(e, _, _)| Dynamic::from_int(e)),
        "remaining_working_minutes" => at(|&(_, r, _)| Dynamic::from_int(r)),
        "state" => at(|&(_, _, s)| Dynamic::from(ImmutableString::from(s.as_str()))),
        _ => return None,
    })
}

/// A clock as the map of its properties: its JSON form.
pub(crate) fn clock_map(c: &Clock) -> Map {
    CLOCK_PROPERTIES.iter().filter_map(|&name| clock_property(c, name).map(|v| (name.into(), v))).collect()
}
