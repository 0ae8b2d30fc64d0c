//! SLA clocks of the helpdesk ledger. A ticket's clock is the SLA entry evaluated on the input the
//! ticket was filed with, all its status changes in time order and `as_of`; nothing of it is
//! stored, so a late change, a new version of the pack or time passing is another evaluation.
//! Listing evaluates the clocks of many tickets at once, spread over the cores.

use std::collections::HashMap;
use std::sync::{Arc, OnceLock};

use chrono::{DateTime, NaiveDate, SecondsFormat, Utc};
use missions_engine::{EvalOptions, Pack, PackId};
use missions_store::{TicketClock, TicketEvent};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use tokio::sync::Semaphore;

use super::{PackRegistry, SelectError};

/// The fewest tickets worth a thread of their own when a listing computes clocks.
const MIN_SHARE: usize = 256;

/// A clock's state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum SlaState {
    /// Counting.
    Running,
    /// Waiting for the customer.
    Paused,
    /// Analysis started on time.
    Met,
    /// Past the deadline, or analysis started after it.
    Breached,
}

/// A warning of a clock.
#[derive(Debug, Clone, Deserialize, Serialize, utoipa::ToSchema)]
pub struct Warning {
    /// The percent of the target.
    pub percent: u8,
    /// When the clock consumes it; null when it never does (an open pause).
    #[schema(value_type = Option<String>)]
    pub at: Option<String>,
}

/// The clock fields of the SLA entry's answer, as a listing shows them.
#[derive(Debug, Clone, Deserialize, Serialize, utoipa::ToSchema)]
pub struct ClockSummary {
    /// The priority.
    pub priority: Option<String>,
    /// The category.
    pub category: Option<String>,
    /// When analysis must start; null when an open pause keeps it from ever being reached.
    pub deadline: Option<String>,
    /// The warnings (none from a pack version without them).
    #[serde(default)]
    pub warnings: Vec<Warning>,
    /// Working minutes consumed as of now.
    pub elapsed_working_minutes: Option<i64>,
    /// Working minutes left (negative once past).
    pub remaining_working_minutes: Option<i64>,
    /// The state now.
    pub state: Option<SlaState>,
    /// When analysis started.
    pub analysis_started: Option<String>,
    /// Whether analysis started by the deadline (null before it started).
    pub met: Option<bool>,
}

impl ClockSummary {
    /// Whether the clock is in `state` and has passed warning `warning` (a percent) without
    /// analysis having started, as of `as_of`.
    pub fn matches(&self, state: Option<SlaState>, warning: Option<u8>, as_of: DateTime<Utc>) -> bool {
        if state.is_some_and(|s| self.state != Some(s)) {
            return false;
        }
        let Some(w) = warning else { return true };
        // Events after `as_of` are ignored: `analysis_started` is set only when it started by then.
        self.analysis_started.is_none()
            && self
                .warnings
                .iter()
                .find(|x| x.percent == w)
                .and_then(|x| x.at.as_deref())
                .and_then(|at| DateTime::parse_from_rfc3339(at).ok())
                .is_some_and(|at| at.to_utc() <= as_of)
    }
}

/// `now` as a clock's `as_of`, to the fraction of a second: a change recorded a moment ago is
/// not later than it.
pub fn as_of(now: DateTime<Utc>) -> String {
    now.to_rfc3339_opts(SecondsFormat::AutoSi, true)
}

/// The SLA input of a ticket: the one it was filed with, its events and `as_of`.
pub fn clock_input(filed: &Value, events: &[TicketEvent], as_of: &str) -> Value {
    let mut input = filed.clone();
    if let Value::Object(o) = &mut input {
        let events: Vec<Value> = events
            .iter()
            .map(|e| json!({"at": e.at.to_rfc3339_opts(SecondsFormat::AutoSi, true), "status": e.status}))
            .collect();
        o.insert("events".into(), Value::Array(events));
        o.insert("as_of".into(), Value::String(as_of.to_owned()));
    }
    input
}

/// The day a ticket's SLA pack version is chosen by: the local date it was filed on.
pub fn filed_on(at: &str) -> Option<NaiveDate> {
    DateTime::parse_from_rfc3339(at).ok().map(|t| t.date_naive())
}

/// Where clocks come from: the SLA pack and entry, as the registry holds them at `now`.
#[derive(Clone)]
pub struct ClockSource {
    /// The registry of pack versions.
    pub registry: Arc<PackRegistry>,
    /// The SLA pack (`norriq`).
    pub pack: String,
    /// Its entry (`sla`).
    pub entry: String,
    /// The instant versions are selected at.
    pub now: DateTime<Utc>,
}

impl std::fmt::Debug for ClockSource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ClockSource")
            .field("pack", &self.pack)
            .field("entry", &self.entry)
            .field("now", &self.now)
            .finish()
    }
}

/// Why a ticket has no clock.
#[derive(Debug, Clone)]
pub struct ClockError {
    /// `no_sla`, `output`, or the evaluation error's kind.
    pub kind: String,
    /// What went wrong.
    pub message: String,
    /// The pack version that answered, when one did.
    pub pack: Option<PackId>,
}

/// A ticket of a listing with its clock, or why it has none.
#[derive(Debug)]
pub struct ListedClock {
    /// The ticket.
    pub ticket: TicketClock,
    /// Its clock.
    pub clock: Result<ClockSummary, ClockError>,
}

/// The clock of each ticket, as of `as_of`: evaluated directly, without the audit log (a
/// listing would write one record per ticket).
fn clocks(src: &ClockSource, tickets: Vec<TicketClock>, as_of: &str) -> Result<Vec<ListedClock>, SelectError> {
    let mut packs: HashMap<Option<NaiveDate>, Pack> = HashMap::new();
    let mut out = Vec::with_capacity(tickets.len());
    for ticket in tickets {
        let Some(filed) = &ticket.sla_input else {
            let message = "the ticket was filed without an SLA".to_owned();
            out.push(ListedClock { ticket, clock: Err(ClockError { kind: "no_sla".into(), message, pack: None }) });
            continue;
        };
        let day = filed_on(&ticket.at);
        let pack = match packs.get(&day) {
            Some(p) => p.clone(),
            None => {
                let p = src.registry.select(&src.pack, day, src.now)?;
                packs.insert(day, p.clone());
                p
            }
        };
        let failed =
            |kind: &str, message: String| ClockError { kind: kind.into(), message, pack: Some(pack.id().clone()) };
        let clock = match pack.eval_with(&src.entry, &clock_input(filed, &ticket.events, as_of), EvalOptions::default())
        {
            // A pack version whose answer is no clock (or another shape) is named as such.
            Ok(ev) => serde_json::from_str::<ClockSummary>(ev.output.as_str())
                .map_err(|e| failed("output", format!("the SLA answer is not a clock: {e}"))),
            Err(e) => Err(failed(e.kind(), e.to_string())),
        };
        out.push(ListedClock { ticket, clock });
    }
    Ok(out)
}

/// Threads listings may take at once, over all listings: the machine's cores. A listing is one
/// batch of thousands of evaluations, so it is spread over the cores (the evaluation pool keeps
/// one for the sockets) but never takes more than there are.
fn listing_threads() -> &'static Arc<Semaphore> {
    static THREADS: OnceLock<Arc<Semaphore>> = OnceLock::new();
    THREADS.get_or_init(|| Arc::new(Semaphore::new(std::thread::available_parallelism().map_or(1, |n| n.get()))))
}

/// Why a listing's clocks could not be computed.
#[derive(Debug)]
pub enum ListingError {
    /// No version of the SLA pack for a ticket's date.
    Select(SelectError),
    /// A thread of the listing failed.
    Thread(String),
}

impl From<SelectError> for ListingError {
    fn from(e: SelectError) -> Self {
        ListingError::Select(e)
    }
}

/// The clocks of `tickets`, in their order: one share per core, each on a blocking thread once a
/// core is free for it.
pub async fn listed_clocks(
    src: &ClockSource,
    tickets: Vec<TicketClock>,
    as_of: &str,
) -> Result<Vec<ListedClock>, ListingError> {
    let threads = listing_threads();
    let share = tickets.len().div_ceil(threads.available_permits().max(1)).max(MIN_SHARE);
    let mut jobs = Vec::new();
    let mut rest = tickets;
    while !rest.is_empty() {
        let tail = rest.split_off(share.min(rest.len()));
        let part = std::mem::replace(&mut rest, tail);
        let permit = threads.clone().acquire_owned().await.map_err(|e| ListingError::Thread(e.to_string()))?;
        let (src, at) = (src.clone(), as_of.to_owned());
        jobs.push(tokio::task::spawn_blocking(move || {
            let _core = permit;
            clocks(&src, part, &at)
        }));
    }
    let mut listed = Vec::new();
    for job in jobs {
        listed.extend(job.await.map_err(|e| ListingError::Thread(e.to_string()))??);
    }
    Ok(listed)
}
