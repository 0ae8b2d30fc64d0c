//! The esomus `quote` written by hand in plain Rust: the tariff as constants, the rules as Rust,
//! the engine's invoice arithmetic (line rounding, VAT per category, totals). The floor of the
//! comparison.
//!
//! Moved here from `engine/benches/quote.rs`, where it first served as the floor of the
//! library bench; it depends only on `missions_engine`, `rust_decimal` and `serde_json`, so that
//! bench includes this file (`#[path = "../../benches/compare/src/floor/esomus.rs"] mod floor;`)
//! the two benches share one hand-written quote.
//!
//! What it covers: everything the comparison's inputs use (tiers, ISQM discount, data overage,
//! prepayment, trainings, parametrisation, BE/EU/non-EU VAT). Not `data_overrun_month`,
//! `training_location`, `transport`, `hotel`, nor the informational notes the pack adds (start
//! training, free months, training location) — only the yearly-billing and VAT notes.
#![allow(clippy::unwrap_used, dead_code)]

use std::collections::BTreeMap;

use missions_engine::{Invoice, InvoiceLine, InvoiceNote, Labels, VatRegime};
use rust_decimal::Decimal;
use serde_json::{Value, json};

fn d(s: &str) -> Decimal {
    s.parse().unwrap()
}

pub struct Tariff {
    tiers: [(Option<i64>, Decimal); 4],
    isqm_discount: Decimal,
    license: Decimal,
    hosting: Decimal,
    included_gb: Decimal,
    block_gb: Decimal,
    block: Decimal,
    maintenance: Decimal,
    session: Decimal,
    hourly: Decimal,
    package_hours: Decimal,
    package: Decimal,
    standard_rate: Decimal,
}

pub fn tariff() -> Tariff {
    Tariff {
        tiers: [(Some(5), d("750.00")), (Some(15), d("1250.00")), (Some(50), d("2000.00")), (None, d("3000.00"))],
        isqm_discount: d("20"),
        license: d("35.00"),
        hosting: d("8.00"),
        included_gb: d("5"),
        block_gb: d("10"),
        block: d("15.00"),
        maintenance: d("50.00"),
        session: d("360.00"),
        hourly: d("110.00"),
        package_hours: d("5"),
        package: d("475.00"),
        standard_rate: d("21"),
    }
}

fn labels(fr: String, nl: String, en: String, de: String) -> Labels {
    BTreeMap::from([("fr".to_owned(), fr), ("nl".to_owned(), nl), ("en".to_owned(), en), ("de".to_owned(), de)])
}

/// French and Dutch write decimals with a comma.
fn comma(x: Decimal) -> String {
    x.to_string().replace('.', ",")
}

fn int(v: &Value, min: i64, max: i64) -> Result<i64, String> {
    v.as_i64().filter(|i| (min..=max).contains(i)).ok_or_else(|| format!("bad integer {v}"))
}

fn dec(v: &Value) -> Result<Decimal, String> {
    match v {
        Value::String(s) => s.parse().map_err(|_| format!("bad decimal {s}")),
        Value::Number(n) if n.is_i64() => Ok(Decimal::from(n.as_i64().unwrap_or_default())),
        _ => Err(format!("bad decimal {v}")),
    }
}

pub fn quote_by_hand(input: &Value, t: &Tariff) -> Result<Value, String> {
    let obj = input.as_object().ok_or("not an object")?;
    for k in obj.keys() {
        if !["date", "year", "users", "data_gb", "prepaid_years", "client", "options"].contains(&k.as_str()) {
            return Err(format!("unknown field {k}"));
        }
    }
    let year = int(&input["year"], 1, i64::MAX)?;
    let users = int(&input["users"], 1, i64::MAX)?;
    let data_gb = dec(&input["data_gb"])?;
    let prepaid = if input["prepaid_years"].is_null() { 1 } else { int(&input["prepaid_years"], 1, 3)? };
    let client = &input["client"];
    let country = client["country"].as_str().ok_or("country")?;
    let regime = VatRegime::for_client("BE", country, client["vat_number"].as_str()).map_err(|e| e.to_string())?;
    let (cat, rate) = (regime.category(), if regime == VatRegime::Domestic { t.standard_rate } else { Decimal::ZERO });
    let isqm = client["isqm_manager_customer"].as_bool().unwrap_or(false);
    let opts = &input["options"];
    let opt_int = |k: &str| if opts[k].is_null() { Ok(0) } else { int(&opts[k], 0, i64::MAX) };
    let (user_sessions, master_sessions) = (opt_int("user_training_sessions")?, opt_int("master_training_sessions")?);
    let param_hours =
        if opts["parametrisation_hours"].is_null() { Decimal::ZERO } else { dec(&opts["parametrisation_hours"])? };

    let mut lines = Vec::new();
    let mut line = |code: &str, q: Decimal, p: Decimal, l: Labels| {
        lines.push(InvoiceLine::new(code, l, q, p, Decimal::ONE, cat, rate).map_err(|e| e.to_string()))
    };
    if year == 1 {
        let setup = t.tiers.iter().find(|(max, _)| max.is_none_or(|m| users <= m)).map(|(_, p)| *p).ok_or("tiers")?;
        line(
            "setup",
            Decimal::ONE,
            setup,
            labels(
                format!(
                    "Installation technique ({users} utilisateurs) : compte, base de données, droits d'accès et formation de démarrage de 2 h"
                ),
                format!(
                    "Technische installatie ({users} gebruikers): account, databank, toegangsrechten en opstartopleiding van 2 u"
                ),
                format!("Technical setup ({users} users): account, database, access rights and 2 h start training"),
                format!(
                    "Technische Einrichtung ({users} Benutzer): Konto, Datenbank, Zugriffsrechte und 2 h Startschulung"
                ),
            ),
        );
        if isqm {
            let off = (setup * t.isqm_discount / Decimal::ONE_HUNDRED)
                .round_dp_with_strategy(2, rust_decimal::RoundingStrategy::MidpointAwayFromZero);
            line(
                "setup_discount",
                Decimal::NEGATIVE_ONE,
                off,
                labels(
                    format!("Remise client ISQM-Manager : {} % sur l'installation", t.isqm_discount),
                    format!("Korting voor ISQM-Manager-klanten: {} % op de installatie", t.isqm_discount),
                    format!("ISQM-Manager customer discount: {} % on the setup", t.isqm_discount),
                    format!("Rabatt für ISQM-Manager-Kunden: {} % auf die Einrichtung", t.isqm_discount),
                ),
            );
        }
    }
    let um = Decimal::from(users * 12);
    line(
        "license",
        um,
        t.license,
        labels(
            format!("Licences Missions-Manager : {users} utilisateurs × 12 mois"),
            format!("Missions-Manager-licenties: {users} gebruikers × 12 maanden"),
            format!("Missions-Manager licenses: {users} users × 12 months"),
            format!("Missions-Manager-Lizenzen: {users} Benutzer × 12 Monate"),
        ),
    );
    let included = Decimal::from(users) * t.included_gb;
    line(
        "hosting",
        um,
        t.hosting,
        labels(
            format!("Serveurs, sauvegardes et données : {users} utilisateurs × 12 mois ({included} Go inclus)"),
            format!("Servers, back-ups en gegevens: {users} gebruikers × 12 maanden ({included} GB inbegrepen)"),
            format!("Servers, backups and data: {users} users × 12 months ({included} GB included)"),
            format!("Server, Sicherungen und Daten: {users} Benutzer × 12 Monate ({included} GB inbegriffen)"),
        ),
    );
    if data_gb > included {
        let blocks = ((data_gb - included) / t.block_gb).ceil();
        line(
            "data_overage",
            blocks * Decimal::from(12),
            t.block,
            labels(
                format!(
                    "Données au-delà du volume inclus : {blocks} bloc(s) entamé(s) de 10 Go × 12 mois ({} Go stockés, {included} Go inclus)",
                    comma(data_gb)
                ),
                format!(
                    "Gegevens boven het inbegrepen volume: {blocks} aangevangen blok(ken) van 10 GB × 12 maanden ({} GB opgeslagen, {included} GB inbegrepen)",
                    comma(data_gb)
                ),
                format!(
                    "Data beyond the included volume: {blocks} started block(s) of 10 GB × 12 months ({data_gb} GB stored, {included} GB included)"
                ),
                format!(
                    "Daten über dem inbegriffenen Volumen: {blocks} angefangene(r) Block/Blöcke zu 10 GB × 12 Monate ({} GB gespeichert, {included} GB inbegriffen)",
                    comma(data_gb)
                ),
            ),
        );
    }
    line(
        "maintenance",
        Decimal::from(12),
        t.maintenance,
        labels(
            "Maintenance et mises à jour : 12 mois".into(),
            "Onderhoud en updates: 12 maanden".into(),
            "Maintenance and updates: 12 months".into(),
            "Wartung und Aktualisierungen: 12 Monate".into(),
        ),
    );
    let mut left = match prepaid {
        2 => 1,
        3 => 3,
        _ => 0,
    };
    let mut this_year = 0;
    for y in 2..=year {
        let take = left.min(2);
        if y == year {
            this_year = take;
        }
        left -= take;
        if left == 0 {
            break;
        }
    }
    if this_year > 0 {
        line(
            "free_months",
            Decimal::from(-(this_year * users)),
            t.license,
            labels(
                format!(
                    "Mois de licence offerts (prépaiement de {prepaid} ans) : {this_year} mois × {users} utilisateurs"
                ),
                format!(
                    "Gratis licentiemaanden (vooruitbetaling van {prepaid} jaar): {this_year} maanden × {users} gebruikers"
                ),
                format!("Free license months ({prepaid}-year prepayment): {this_year} months × {users} users"),
                format!(
                    "Kostenlose Lizenzmonate ({prepaid} Jahre Vorauszahlung): {this_year} Monate × {users} Benutzer"
                ),
            ),
        );
    }
    if user_sessions > 0 {
        line(
            "user_training",
            Decimal::from(user_sessions),
            t.session,
            labels(
                "Formation des utilisateurs : séance de 3 h".into(),
                "Gebruikersopleiding: sessie van 3 u".into(),
                "User training: 3 h session".into(),
                "Benutzerschulung: Sitzung von 3 h".into(),
            ),
        );
    }
    if master_sessions > 0 {
        line(
            "master_training",
            Decimal::from(master_sessions),
            t.session,
            labels(
                "Formation du Master : séance de 3 h".into(),
                "Opleiding voor de Master: sessie van 3 u".into(),
                "Master training: 3 h session".into(),
                "Master-Schulung: Sitzung von 3 h".into(),
            ),
        );
    }
    let packages = (param_hours / t.package_hours).floor();
    let rest = param_hours - packages * t.package_hours;
    if packages > Decimal::ZERO {
        line(
            "parametrisation_package",
            packages,
            t.package,
            labels(
                "Assistance au paramétrage : forfait prépayé de 5 heures".into(),
                "Hulp bij de parametrering: vooruitbetaald pakket van 5 uur".into(),
                "Parametrisation assistance: prepaid package of 5 hours".into(),
                "Unterstützung bei der Parametrierung: vorausbezahltes Paket von 5 Stunden".into(),
            ),
        );
    }
    if rest > Decimal::ZERO {
        line(
            "parametrisation_hours",
            rest,
            t.hourly,
            labels(
                "Assistance au paramétrage : heures".into(),
                "Hulp bij de parametrering: uren".into(),
                "Parametrisation assistance: hours".into(),
                "Unterstützung bei der Parametrierung: Stunden".into(),
            ),
        );
    }
    let lines = lines.into_iter().collect::<Result<Vec<_>, _>>()?;
    let mut notes = vec![InvoiceNote {
        code: "note_yearly_billing".into(),
        label: labels(
            "Facturation annuelle, à l'avance ; les prix peuvent être révisés au 1er janvier".into(),
            "Jaarlijkse facturatie, vooraf; de prijzen kunnen op 1 januari worden herzien".into(),
            "Billed yearly in advance; prices may be revised on 1 January".into(),
            "Jährlich im Voraus berechnet; die Preise können am 1. Januar angepasst werden".into(),
        ),
    }];
    if let VatRegime::ReverseCharge { vat_number } = &regime {
        notes.push(InvoiceNote {
            code: "vat_reverse_charge".into(),
            label: labels(
                format!("Autoliquidation / Verlegging van heffing / Reverse charge — TVA due par le preneur (art. 196 de la directive 2006/112/CE) ; numéro de TVA du client : {vat_number}"),
                format!("Autoliquidation / Verlegging van heffing / Reverse charge — btw verschuldigd door de afnemer (art. 196 van Richtlijn 2006/112/EG); btw-nummer van de klant: {vat_number}"),
                format!("Autoliquidation / Verlegging van heffing / Reverse charge — VAT due by the customer (art. 196 of Directive 2006/112/EC); customer's VAT number: {vat_number}"),
                format!("Autoliquidation / Verlegging van heffing / Steuerschuldnerschaft des Leistungsempfängers — MwSt. vom Kunden geschuldet (Art. 196 der Richtlinie 2006/112/EG); USt-IdNr. des Kunden: {vat_number}"),
            ),
        });
    }
    let invoice = Invoice::new(lines, notes).map_err(|e| e.to_string())?;
    let mut out = invoice.to_json();
    out["currency"] = json!("EUR");
    out["year"] = json!(year);
    Ok(out)
}
