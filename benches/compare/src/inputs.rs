//! The input sets: fixed, deterministic, generated from a seed with a small PRNG written here
//! (no dependency, so the set can never change under us with a crate update).

use chrono::Datelike;
use serde_json::{Value, json};

/// SplitMix64: tiny, fast, and good enough to spread inputs over the cases.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed)
    }
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// Uniform in `lo..=hi`.
    pub fn range(&mut self, lo: i64, hi: i64) -> i64 {
        lo + (self.next_u64() % (hi - lo + 1) as u64) as i64
    }
    pub fn chance(&mut self, percent: u64) -> bool {
        self.next_u64() % 100 < percent
    }
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[(self.next_u64() % items.len() as u64) as usize]
    }
}

/// The seed of every set in the comparison.
pub const SEED: u64 = 20_261_120;

/// Clients: Belgium (standard rate), EU businesses with a VAT number (reverse charge), and
/// countries outside the EU (out of scope), with and without a VAT number.
const CLIENTS: [(&str, Option<&str>); 12] = [
    ("BE", Some("BE0123456789")),
    ("BE", None),
    ("BE", Some("BE 0987.654.321")),
    ("DE", Some("DE123456789")),
    ("FR", Some("FR12345678901")),
    ("NL", Some("NL123456789B01")),
    ("LU", Some("LU12345678")),
    ("GR", Some("EL123456789")),
    ("CH", None),
    ("US", Some("12-3456789")),
    ("GB", Some("GB123456789")),
    ("NO", None),
];

/// `n` esomus `quote` inputs covering every setup tier (and its edges), the ISQM discount, data
/// within and beyond the included volume (whole and half GB), 1–3 prepaid years in years 1–4,
/// user and Master trainings, parametrisation hours below, at and above the package size, and
/// BE / EU / non-EU clients. Amounts and volumes are decimal strings, as the SPEC writes them.
pub fn esomus_quotes(n: usize) -> Vec<Value> {
    let mut r = Rng::new(SEED);
    (0..n)
        .map(|_| {
            let users = match r.range(0, 5) {
                0 => r.range(1, 5),
                1 => r.range(6, 15),
                2 => r.range(16, 50),
                3 => r.range(51, 250),
                _ => *r.pick(&[1, 5, 6, 15, 16, 50, 51]),
            };
            let included = users * 5;
            let data_gb = match r.range(0, 3) {
                0 => "0".to_owned(),
                1 => r.range(0, included).to_string(),
                2 => (included + r.range(1, 400)).to_string(),
                _ => format!("{}.5", included + r.range(0, 300)),
            };
            let (country, vat_number) = *r.pick(&CLIENTS);
            let mut client = json!({"country": country});
            if let Some(v) = vat_number {
                client["vat_number"] = json!(v);
            }
            if r.chance(30) {
                client["isqm_manager_customer"] = json!(r.chance(70));
            }
            if country == "BE" && r.chance(50) {
                client["distance_km"] = json!(r.range(0, 120));
            }
            let mut input = json!({
                "date": "2026-11-20",
                "year": r.range(1, 4),
                "users": users,
                "data_gb": data_gb,
                "client": client,
            });
            if r.chance(80) {
                input["prepaid_years"] = json!(r.range(1, 3));
            }
            if r.chance(75) {
                let mut options = json!({});
                if r.chance(50) {
                    options["user_training_sessions"] = json!(r.range(0, 4));
                }
                if r.chance(40) {
                    options["master_training_sessions"] = json!(r.range(0, 2));
                }
                if r.chance(60) {
                    let h = r.range(0, 23);
                    options["parametrisation_hours"] =
                        json!(if r.chance(25) { format!("{h}.5") } else { h.to_string() });
                }
                input["options"] = options;
            }
            input
        })
        .collect()
}

/// `n` inputs of the 5-row tier decision: users 1–400, with the rows' edges over-represented.
pub fn tiers(n: usize) -> Vec<Value> {
    let mut r = Rng::new(SEED + 1);
    (0..n)
        .map(|_| {
            let users = if r.chance(30) { *r.pick(&[1, 5, 6, 15, 16, 50, 51, 200, 201]) } else { r.range(1, 400) };
            json!({"users": users})
        })
        .collect()
}

/// `n` norriq `sla` inputs: both contracts, every priority, the categories that force P3,
/// tickets opened at any quarter hour of 2026–2027 (nights, weekends, holidays, DST changes).
pub fn slas(n: usize) -> Vec<Value> {
    let mut r = Rng::new(SEED + 2);
    let categories = ["support", "software_incident", "user_incident", "request_for_change"];
    (0..n)
        .map(|_| {
            let day = chrono::NaiveDate::from_ymd_opt(2026, 1, 1)
                .and_then(|d| d.checked_add_days(chrono::Days::new(r.range(0, 729) as u64)))
                .unwrap_or_default();
            let (h, m) = (r.range(0, 23), 15 * r.range(0, 3));
            // Brussels offsets: the summer ones for mid-April to mid-October, winter otherwise;
            // an instant is valid whatever the offset, the engine converts it.
            let offset = if (105..=285).contains(&day.ordinal()) { "+02:00" } else { "+01:00" };
            let mut input = json!({
                "contract": *r.pick(&["nav", "crm"]),
                "opened": format!("{day}T{h:02}:{m:02}:00{offset}"),
            });
            if r.chance(85) {
                input["priority"] = json!(*r.pick(&["P1", "P2", "P3"]));
            }
            if r.chance(60) || input["priority"].is_null() {
                let c = if input["priority"].is_null() { *r.pick(&["support", "request_for_change"]) } else { *r.pick(&categories) };
                input["category"] = json!(c);
            }
            if input["contract"] == "crm" && r.chance(20) {
                input["key_users"] = json!(r.range(0, 2));
            }
            input
        })
        .collect()
}
