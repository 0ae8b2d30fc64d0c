//! The impact of a candidate version of a pack: both versions evaluate the same inputs (golden
//! cases, recorded requests), and the report says which outputs changed, field by field, which
//! inputs now fail or now succeed, and what the change does to money: the net totals before and
//! after, the largest increases, and the same per tenant. `missions diff` prints it; the tariff
//! console and the dry run of an upload read the same report.
//!
//! It is a pure function of two compiled packs and a list of inputs. Each evaluation runs under
//! the packs' own limits, so a candidate whose script loops forever costs its operation budget
//! per input, never a hang.

use std::collections::{BTreeMap, HashSet};
use std::str::FromStr;

use rust_decimal::Decimal;
use serde::Serialize;

use missions_base::value::Node;

use crate::error::{EvalError, EvalOptions};
use crate::golden::CaseInput;
use crate::pack::Pack;

mod changes;

pub use changes::FieldChange;

/// One input to replay on both versions.
#[derive(Debug, Clone, PartialEq)]
pub struct ReplayInput {
    /// The entry it evaluates.
    pub entry: String,
    /// The input.
    pub input: Node,
    /// Where it comes from, as a person reads it: a golden case, a line of a recorded file.
    pub source: String,
    /// The tenant that sent it, for recorded requests.
    pub tenant: Option<String>,
}

impl ReplayInput {
    /// The input of a golden case, shown by its name and place.
    pub fn from_case(c: CaseInput) -> Self {
        let source = format!("case `{}` ({})", c.name, c.location);
        Self { entry: c.entry, input: c.input, source, tenant: None }
    }
}

/// How many items the report lists in full; the counts are always exact.
#[derive(Debug, Clone, Copy)]
pub struct ImpactLimits {
    /// Outputs, status changes and inputs not replayed listed, each.
    pub max_listed: usize,
    /// Fields listed per changed output.
    pub max_fields: usize,
    /// Largest increases listed.
    pub max_increases: usize,
    /// When to stop replaying: the inputs left are counted in `not_compared`.
    pub deadline: Option<std::time::Instant>,
    /// The share of one core the replay may take, in percent (1 to 100): after each batch of
    /// inputs it sleeps so that its busy time stays at this share, leaving the rest of the core to
    /// live work. 100 never sleeps.
    pub cpu_percent: u32,
}

/// Inputs replayed between two pauses when [`ImpactLimits::cpu_percent`] is below 100.
const PACE_BATCH: usize = 100;

impl Default for ImpactLimits {
    fn default() -> Self {
        Self { max_listed: 1000, max_fields: 50, max_increases: 10, deadline: None, cpu_percent: 100 }
    }
}

/// An input whose output changed.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct ChangedOutput {
    /// The entry.
    pub entry: String,
    /// Where the input comes from.
    pub source: String,
    /// Who sent it, if known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tenant: Option<String>,
    /// The fields that differ.
    pub fields: Vec<FieldChange>,
}

/// An input that succeeded under one version and fails under the other.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct StatusChange {
    /// The entry.
    pub entry: String,
    /// Where the input comes from.
    pub source: String,
    /// Who sent it, if known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tenant: Option<String>,
    /// The error of the version that fails.
    pub error: String,
}

/// An input that could not be compared, and why.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct NotReplayed {
    /// The entry.
    pub entry: String,
    /// Where the input comes from.
    pub source: String,
    /// Why it was not compared.
    pub reason: String,
}

/// Counts for one entry.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct EntryImpact {
    /// Inputs evaluated by both versions.
    pub replayed: usize,
    /// Outputs that differ.
    pub changed: usize,
    /// Succeeded under the base, fail under the candidate.
    pub now_failing: usize,
    /// Failed under the base, succeed under the candidate.
    pub now_succeeding: usize,
    /// Fail under both.
    pub failing_under_both: usize,
}

/// The effect on one input's net total.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct MoneyChange {
    /// Where the input comes from.
    pub source: String,
    /// Who sent it, if known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tenant: Option<String>,
    /// Its net total under the base.
    pub before: String,
    /// Its net total under the candidate.
    pub after: String,
    /// `after − before`.
    pub difference: String,
}

/// Net totals summed over the inputs both versions priced, for all and for one tenant.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct MoneyTotals {
    /// The tenant, for a per-tenant line.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tenant: Option<String>,
    /// Inputs summed.
    pub inputs: usize,
    /// Sum under the base.
    pub before: String,
    /// Sum under the candidate.
    pub after: String,
    /// `after − before`.
    pub difference: String,
}

/// The effect on money, from the outputs' `net_total`.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct MoneyImpact {
    /// All inputs whose output has a `net_total` under both versions.
    pub total: MoneyTotals,
    /// The largest increases of one input's net total, largest first.
    pub largest_increases: Vec<MoneyChange>,
    /// The same totals per tenant, for inputs that carry one, by tenant.
    pub per_tenant: Vec<MoneyTotals>,
}

/// What a candidate version changes.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct ImpactReport {
    /// Inputs given, duplicates removed.
    pub inputs: usize,
    /// Per entry, by name.
    pub entries: BTreeMap<String, EntryImpact>,
    /// Outputs that differ (the first `max_listed`).
    pub changed: Vec<ChangedOutput>,
    /// Inputs that succeeded before and fail now.
    pub now_failing: Vec<StatusChange>,
    /// Inputs that failed before and succeed now.
    pub now_succeeding: Vec<StatusChange>,
    /// Inputs that could not be compared.
    pub not_replayed: Vec<NotReplayed>,
    /// The effect on net totals, when the outputs have them.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub money: Option<MoneyImpact>,
    /// Inputs left unreplayed because the deadline passed (0 when the report is complete).
    pub not_compared: usize,
}

impl ImpactReport {
    /// Whether anything differs: an output, or an input's success or failure.
    pub fn anything_changed(&self) -> bool {
        self.entries.values().any(|e| e.changed + e.now_failing + e.now_succeeding > 0)
    }
}

/// Evaluate every input under `base` and `candidate` and compare. Identical inputs (the same
/// entry and input, e.g. a golden case both versions carry) are evaluated once.
pub fn impact(base: &Pack, candidate: &Pack, inputs: &[ReplayInput], limits: ImpactLimits) -> ImpactReport {
    let mut report = ImpactReport {
        inputs: 0,
        entries: BTreeMap::new(),
        changed: Vec::new(),
        now_failing: Vec::new(),
        now_succeeding: Vec::new(),
        not_replayed: Vec::new(),
        money: None,
        not_compared: 0,
    };
    let mut money = Money::default();
    let mut seen: HashSet<String> = HashSet::new();
    let mut same_schema: BTreeMap<&str, bool> = BTreeMap::new();
    let mut batch_start = std::time::Instant::now();
    for (i, item) in inputs.iter().enumerate() {
        // Past the deadline, or nobody waits for the report any more.
        if limits.deadline.is_some_and(|d| std::time::Instant::now() >= d) || missions_base::interrupt::interrupted() {
            report.not_compared = inputs.len() - i;
            break;
        }
        if limits.cpu_percent < 100 && i > 0 && i % PACE_BATCH == 0 {
            let busy = batch_start.elapsed();
            let share = limits.cpu_percent.max(1);
            std::thread::sleep(busy * (100 - share) / share);
            batch_start = std::time::Instant::now();
        }
        // Recorded requests carry a tenant: the same input from two tenants counts twice.
        if !seen.insert(format!("{}\u{0}{:?}\u{0}{:?}", item.entry, item.tenant, item.input)) {
            continue;
        }
        report.inputs += 1;
        let (in_base, in_candidate) = (base.has_entry(&item.entry), candidate.has_entry(&item.entry));
        if !(in_base && in_candidate) {
            let reason = match (in_base, in_candidate) {
                (true, _) => format!("entry `{}` exists only in the base", item.entry),
                (_, true) => format!("entry `{}` exists only in the candidate", item.entry),
                _ => format!("neither version has an entry `{}`", item.entry),
            };
            push_bounded(
                &mut report.not_replayed,
                limits,
                NotReplayed { entry: item.entry.clone(), source: item.source.clone(), reason },
            );
            continue;
        }
        let before = base.eval_node(&item.entry, &item.input, EvalOptions::default());
        let after = candidate.eval_node(&item.entry, &item.input, EvalOptions::default());
        let schema_same = *same_schema
            .entry(item.entry.as_str())
            .or_insert_with(|| base.input_schema(&item.entry) == candidate.input_schema(&item.entry));
        let refused = |r: &Result<_, EvalError>| matches!(r, Err(EvalError::Input(_)));
        if !schema_same && (refused(&before) != refused(&after)) {
            let (who, err) = match (&before, &after) {
                (Err(e), _) => ("the base", e),
                (_, Err(e)) => ("the candidate", e),
                _ => continue,
            };
            push_bounded(
                &mut report.not_replayed,
                limits,
                NotReplayed {
                    entry: item.entry.clone(),
                    source: item.source.clone(),
                    reason: format!(
                        "the input of `{}` changed between the versions, and {who} refuses this one: {err}",
                        item.entry
                    ),
                },
            );
            continue;
        }
        let counts = report.entries.entry(item.entry.clone()).or_default();
        counts.replayed += 1;
        let status = |error: &EvalError| StatusChange {
            entry: item.entry.clone(),
            source: item.source.clone(),
            tenant: item.tenant.clone(),
            error: error.to_string(),
        };
        match (before, after) {
            (Ok(b), Ok(a)) => {
                money.add(item, &b.output, &a.output);
                let fields = if b.output.as_str() == a.output.as_str() {
                    Vec::new()
                } else {
                    changes::changes(&b.output, &a.output, limits.max_fields)
                };
                if !fields.is_empty() {
                    counts.changed += 1;
                    push_bounded(
                        &mut report.changed,
                        limits,
                        ChangedOutput {
                            entry: item.entry.clone(),
                            source: item.source.clone(),
                            tenant: item.tenant.clone(),
                            fields,
                        },
                    );
                }
            }
            (Ok(_), Err(e)) => {
                counts.now_failing += 1;
                push_bounded(&mut report.now_failing, limits, status(&e));
            }
            (Err(e), Ok(_)) => {
                counts.now_succeeding += 1;
                push_bounded(&mut report.now_succeeding, limits, status(&e));
            }
            (Err(_), Err(_)) => counts.failing_under_both += 1,
        }
    }
    report.money = money.finish(limits);
    report
}

fn push_bounded<T>(list: &mut Vec<T>, limits: ImpactLimits, item: T) {
    if list.len() < limits.max_listed {
        list.push(item);
    }
}

/// Running sums of net totals.
#[derive(Default)]
struct Money {
    total: Sums,
    per_tenant: BTreeMap<String, Sums>,
    increases: Vec<(Decimal, Decimal, Decimal, String, Option<String>)>,
}

#[derive(Default, Clone, Copy)]
struct Sums {
    inputs: usize,
    before: Decimal,
    after: Decimal,
}

impl Sums {
    fn add(&mut self, before: Decimal, after: Decimal) {
        self.inputs += 1;
        self.before += before;
        self.after += after;
    }

    fn totals(self, tenant: Option<String>) -> MoneyTotals {
        MoneyTotals {
            tenant,
            inputs: self.inputs,
            before: self.before.to_string(),
            after: self.after.to_string(),
            difference: (self.after - self.before).to_string(),
        }
    }
}

fn net_total(output: &serde_json::Value) -> Option<Decimal> {
    match output.get("net_total")? {
        serde_json::Value::String(s) => Decimal::from_str(s).ok(),
        serde_json::Value::Number(n) => Decimal::from_str(&n.to_string()).ok(),
        _ => None,
    }
}

impl Money {
    fn add(&mut self, item: &ReplayInput, before: &serde_json::Value, after: &serde_json::Value) {
        let (Some(b), Some(a)) = (net_total(before), net_total(after)) else { return };
        self.total.add(b, a);
        if let Some(t) = &item.tenant {
            self.per_tenant.entry(t.clone()).or_default().add(b, a);
        }
        if a > b {
            self.increases.push((a - b, b, a, item.source.clone(), item.tenant.clone()));
        }
    }

    fn finish(mut self, limits: ImpactLimits) -> Option<MoneyImpact> {
        if self.total.inputs == 0 {
            return None;
        }
        // Largest first; equal increases keep the order the inputs came in.
        self.increases.sort_by_key(|x| std::cmp::Reverse(x.0));
        self.increases.truncate(limits.max_increases);
        Some(MoneyImpact {
            total: self.total.totals(None),
            largest_increases: self
                .increases
                .into_iter()
                .map(|(d, b, a, source, tenant)| MoneyChange {
                    source,
                    tenant,
                    before: b.to_string(),
                    after: a.to_string(),
                    difference: d.to_string(),
                })
                .collect(),
            per_tenant: self.per_tenant.into_iter().map(|(t, s)| s.totals(Some(t))).collect(),
        })
    }
}
