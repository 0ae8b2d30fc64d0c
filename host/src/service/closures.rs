//! A firm's closure days as its Master writes them, for `PUT /v1/tenant/calendar` and the
//! `--closures` file of `missions plan`, `dashboard` and `migrate`:
//! `{"closures": ["2026-11-02", {"from": "2026-12-24", "to": "2026-12-31"}]}` (days, and ranges
//! with both ends included).

use chrono::{Datelike, NaiveDate};
use missions_engine::{Calendar, CalendarError, Said, clip, said};
use serde_json::Value;

/// Most closure days a tenant may declare, all ranges together: bounds the work of checking
/// them, with room for decades of year-end closures.
pub const MAX_CLOSURE_DAYS: usize = 1_000;

/// A problem of a closure list: where (a JSON path) and what.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClosureProblem {
    /// JSON path (`closures[2].to`).
    pub path: String,
    /// What is wrong, in every language of the catalogues.
    pub message: Said,
}

fn problem(path: impl Into<String>, message: Said) -> ClosureProblem {
    ClosureProblem { path: path.into(), message }
}

fn date(v: Option<&Value>, path: &str, problems: &mut Vec<ClosureProblem>) -> Option<NaiveDate> {
    let parsed = v.and_then(Value::as_str).and_then(|s| NaiveDate::parse_from_str(s, "%Y-%m-%d").ok());
    match (parsed, v) {
        (Some(d), _) if (1900..=2200).contains(&d.year()) => Some(d),
        (Some(_), _) => {
            problems.push(problem(path, said!("host-closure-out-of-range")));
            None
        }
        (None, None) => {
            problems.push(problem(path, said!("host-closure-missing-date")));
            None
        }
        (None, Some(v)) => {
            let shown = v.as_str().map_or_else(|| v.to_string(), str::to_owned);
            let value = clip(&shown);
            problems.push(problem(path, said!("host-closure-not-a-date", value)));
            None
        }
    }
}

/// The closure days of `{"closures": [...]}`, sorted and without duplicates, or every problem.
pub fn read_closures(body: &Value) -> Result<Vec<NaiveDate>, Vec<ClosureProblem>> {
    let Value::Object(map) = body else {
        return Err(vec![problem("", said!("host-closure-not-an-object"))]);
    };
    if let Some(k) = map.keys().find(|k| *k != "closures") {
        let field = clip(k);
        return Err(vec![problem(field.clone(), said!("host-closure-unknown-field", field))]);
    }
    let Some(Value::Array(items)) = map.get("closures") else {
        return Err(vec![problem("closures", said!("host-closure-not-a-list"))]);
    };
    let mut problems = Vec::new();
    let mut days = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let path = format!("closures[{i}]");
        match item {
            Value::Object(range) => {
                if let Some(k) = range.keys().find(|k| *k != "from" && *k != "to") {
                    problems.push(problem(format!("{path}.{}", clip(k)), said!("host-closure-range-keys")));
                    continue;
                }
                let from = date(range.get("from"), &format!("{path}.from"), &mut problems);
                let to = date(range.get("to"), &format!("{path}.to"), &mut problems);
                let (Some(from), Some(to)) = (from, to) else { continue };
                if to < from {
                    problems.push(problem(format!("{path}.to"), said!("host-closure-range-backwards", to, from)));
                    continue;
                }
                let mut d = Some(from);
                while let Some(day) = d.filter(|d| *d <= to && days.len() <= MAX_CLOSURE_DAYS) {
                    days.push(day);
                    d = day.succ_opt();
                }
            }
            other => days.extend(date(Some(other), &path, &mut problems)),
        }
        if days.len() > MAX_CLOSURE_DAYS {
            let most = MAX_CLOSURE_DAYS;
            problems.push(problem(path, said!("host-closure-too-many", most)));
            break;
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    days.sort_unstable();
    days.dedup();
    Ok(days)
}

/// The first year of `days` in which `calendar` (which holds them) leaves no working day.
pub fn year_without_working_day(calendar: &Calendar, days: &[NaiveDate]) -> Result<Option<i32>, CalendarError> {
    let mut years: Vec<i32> = days.iter().map(Datelike::year).collect();
    years.dedup();
    for year in years {
        let mut d = NaiveDate::from_ymd_opt(year, 1, 1);
        let mut open = false;
        while let Some(day) = d.filter(|d| d.year() == year) {
            if calendar.is_working_day(day)? {
                open = true;
                break;
            }
            d = day.succ_opt();
        }
        if !open {
            return Ok(Some(year));
        }
    }
    Ok(None)
}

/// `base` with `closures` added to its own.
pub fn calendar_with(base: &Calendar, closures: &[NaiveDate]) -> Result<Calendar, CalendarError> {
    let mut spec = base.spec().clone();
    spec.closures.extend_from_slice(closures);
    Calendar::new(spec)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use serde_json::json;

    use super::*;

    #[test]
    fn days_and_ranges_are_read_with_the_path_of_each_problem() {
        let days =
            read_closures(&json!({"closures": ["2026-12-31", {"from": "2026-12-24", "to": "2026-12-26"}]})).unwrap();
        assert_eq!(days.len(), 4);
        assert_eq!(days[0], NaiveDate::from_ymd_opt(2026, 12, 24).unwrap());
        let err =
            read_closures(&json!({"closures": [3, {"from": "2026-12-24"}, {"from": "2026-12-24", "to": "x", "y": 1}]}))
                .unwrap_err();
        let paths: Vec<&str> = err.iter().map(|p| p.path.as_str()).collect();
        assert_eq!(paths, ["closures[0]", "closures[1].to", "closures[2].y"]);
        let err = read_closures(&json!({"closures": [{"from": "1900-01-01", "to": "2200-12-31"}]})).unwrap_err();
        assert_eq!(err[0].message.get(missions_engine::Lang::En), "more than 1000 closure days in all");
        assert_eq!(err[0].message.get(missions_engine::Lang::Fr), "plus de 1000 jours de fermeture au total");
        assert_eq!(read_closures(&json!({"days": []})).unwrap_err()[0].path, "days");
    }
}
