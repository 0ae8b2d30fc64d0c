//! The norriq `sla` by hand: the hours table and the "always P3" categories as constants, the
//! engine's business calendar (the same `Calendar` the pack uses) to count working hours.

use chrono::{DateTime, SecondsFormat, TimeDelta, Utc};
use chrono_tz::Europe::Brussels;
use missions_engine::{Calendar, CalendarSpec};
use serde_json::{Map, Value};

/// The calendar of `rules/norriq/pack.yaml`: Mon–Fri 08:30–12:30, 13:30–17:30, Belgian holidays.
pub fn calendar() -> Calendar {
    Calendar::new(CalendarSpec::belgian_office_hours()).unwrap_or_else(|e| unreachable!("{e}"))
}

fn hours(contract: &str, priority: &str) -> Option<i64> {
    Some(match (contract, priority) {
        ("nav", "P1") => 4,
        ("nav", "P2") => 8,
        ("nav", "P3") => 16,
        ("crm", "P1") => 2,
        ("crm", "P2") => 6,
        ("crm", "P3") => 16,
        _ => return None,
    })
}

fn label(priority: &str) -> Value {
    let (fr, nl, en) = match priority {
        "P1" => ("P1 — rouge : activité à l'arrêt", "P1 — rood: activiteit ligt stil", "P1 — red: business halted"),
        "P2" => (
            "P2 — orange : activité impactée",
            "P2 — oranje: activiteit wordt gehinderd",
            "P2 — orange: business impacted",
        ),
        _ => ("P3 — vert", "P3 — groen", "P3 — green"),
    };
    let mut m = Map::new();
    m.insert("fr".into(), fr.into());
    m.insert("nl".into(), nl.into());
    m.insert("en".into(), en.into());
    Value::Object(m)
}

fn instant(t: DateTime<Utc>) -> Value {
    Value::String(t.with_timezone(&Brussels).to_rfc3339_opts(SecondsFormat::Secs, false))
}

/// The same JSON in and out as the pack's `sla` entry (fields checked, labels included).
pub fn sla(input: &Value, cal: &Calendar) -> Result<Value, String> {
    let obj = input.as_object().ok_or("not an object")?;
    for k in obj.keys() {
        if !["contract", "priority", "category", "opened", "key_users"].contains(&k.as_str()) {
            return Err(format!("unknown field {k}"));
        }
    }
    let contract = input["contract"].as_str().filter(|c| ["nav", "crm"].contains(c)).ok_or("contract")?;
    let category = input["category"].as_str();
    if let Some(c) = category
        && !["support", "software_incident", "user_incident", "request_for_change"].contains(&c)
    {
        return Err(format!("category {c}"));
    }
    let forced = category.is_some_and(|c| c == "support" || c == "request_for_change");
    let priority = if forced { "P3" } else { input["priority"].as_str().ok_or("priority required")? };
    if let Some(k) = input["key_users"].as_i64()
        && contract == "crm"
        && k > 2
    {
        return Err("too many key users".into());
    }
    let hours = hours(contract, priority).ok_or("priority")?;
    let opened = DateTime::parse_from_rfc3339(input["opened"].as_str().ok_or("opened")?)
        .map_err(|e| e.to_string())?
        .with_timezone(&Utc);
    let starts = cal.next_working_instant(opened).map_err(|e| e.to_string())?;
    let deadline = cal.add_working(starts, TimeDelta::hours(hours)).map_err(|e| e.to_string())?;
    let mut out = Map::new();
    out.insert("contract".into(), contract.into());
    out.insert("priority".into(), priority.into());
    out.insert("priority_forced".into(), forced.into());
    out.insert("target_working_hours".into(), hours.to_string().into());
    out.insert("opened".into(), instant(opened));
    out.insert("starts_counting".into(), instant(starts));
    out.insert("deadline".into(), instant(deadline));
    out.insert("label".into(), label(priority));
    if let Some(c) = category {
        out.insert("category".into(), c.into());
    }
    Ok(Value::Object(out))
}
