//! The comparison is only worth something if its check can fail: the SPEC example's figures
//! through all three implementations, and a changed figure caught by the projection.

use missions_compare::zen::{self, Zen};
use missions_compare::{floor, project, repo_path};
use missions_engine::Pack;
use serde_json::{Value, json};

fn spec_input() -> Value {
    json!({"date": "2026-11-20", "year": 1, "users": 12, "data_gb": 95, "prepaid_years": 1,
           "client": {"country": "BE", "vat_number": "BE0123456789", "isqm_manager_customer": false, "distance_km": 25},
           "options": {"user_training_sessions": 1, "master_training_sessions": 1, "parametrisation_hours": 7}})
}

#[test]
fn the_spec_quote_is_the_same_three_ways() {
    let pack = Pack::load(repo_path("rules/esomus")).unwrap();
    let ours: Value = {
        let e = pack.eval("quote", &spec_input()).unwrap();
        let v: &Value = &e.output;
        v.clone()
    };
    let floor = floor::esomus::quote_by_hand(&spec_input(), &floor::esomus::tariff()).unwrap();
    let z = zen::to_json(&Zen::load("esomus-quote.json").unwrap().eval(&spec_input(), false).unwrap());
    let want = project::quote(&ours);
    assert_eq!(want["net_total"], "10177");
    assert_eq!(want["vat_total"], "2137.17");
    assert_eq!(want["total"], "12314.17");
    assert_eq!(want["lines"][0], json!(["setup", "1", "1250", "1250", "S", "21"]));
    assert_eq!(project::quote(&floor), want);
    assert_eq!(project::quote(&z), want);
}

#[test]
fn a_changed_amount_is_a_difference() {
    let mut out = floor::esomus::quote_by_hand(&spec_input(), &floor::esomus::tariff()).unwrap();
    let before = project::quote(&out);
    out["lines"][2]["amount"] = json!("5040.01");
    assert_ne!(project::quote(&out), before);
    // Written differently, the same amount is no difference.
    let mut same = floor::esomus::quote_by_hand(&spec_input(), &floor::esomus::tariff()).unwrap();
    same["total"] = json!(12314.170);
    assert_eq!(project::quote(&same), before);
}
