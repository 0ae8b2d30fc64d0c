//! `missions quote --pack DIR --input JSON`: the `quote` entry as a readable table (lines, VAT,
//! totals and notes with their labels in `--lang`), or the SPEC's JSON with `--json`. The figures
//! are the engine's; this file only lays them out.

use missions_engine::{Invoice, InvoiceLine, Labels, Lang, catalogue, decimal_point};

use super::eval::{EvalArgs, evaluate, json_result, print_human};
use super::io::EXIT_OK;
use super::io::{Streams, exit_code, print_json};

#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    #[command(flatten)]
    common: EvalArgs,
}

pub(crate) fn run(a: Args, s: &mut Streams<'_>) -> u8 {
    let (pack, ev) = match evaluate("quote", &a.common, s) {
        Ok(r) => r,
        Err(f) => return exit_code(f, s),
    };
    let out = json_result(&pack, &ev);
    if a.common.json {
        print_json(s, &out);
        return EXIT_OK;
    }
    match Invoice::from_json(&ev.output) {
        Some(invoice) => {
            let id = pack.id();
            let title = format!("{} {} ({})", id.name, id.version, pack.currency());
            let _ = write!(s.stdout, "{}", table(&invoice, &title, pack.currency(), &a.common.lang));
            if let Some(trace) = &ev.trace {
                let _ = write!(s.stdout, "{}", plugin_changes(trace, &a.common.lang));
            }
        }
        // A pack whose `quote` is not an invoice entry still gets a readable result.
        None => print_human(s, &out, &a.common.lang, pack.languages()),
    }
    EXIT_OK
}

/// Column and total headings, in the reader's language (`locales/*/host.ftl`).
struct Words {
    quote: String,
    description: String,
    quantity: String,
    unit_price: String,
    amount: String,
    vat: String,
    net_total: String,
    vat_on: String,
    total: String,
    notes: String,
    buyer_vat: String,
    colon: String,
}

fn words(lang: &str) -> Words {
    let lang = Lang::from_code(lang).unwrap_or(Lang::En);
    let w = |id: &str| catalogue::text(lang.code(), id, &[]);
    Words {
        quote: w("host-quote-quote"),
        description: w("host-quote-description"),
        quantity: w("host-quote-quantity"),
        unit_price: w("host-quote-unit-price"),
        amount: w("host-quote-amount"),
        vat: w("host-quote-vat"),
        net_total: w("host-quote-net-total"),
        vat_on: w("host-quote-vat-on"),
        total: w("host-quote-total"),
        notes: w("host-quote-notes"),
        buyer_vat: w("host-quote-buyer-vat"),
        colon: w("host-quote-colon"),
    }
}

/// A decimal as the language writes it (`1250,00` in French and Dutch).
fn num(text: impl ToString, lang: &str) -> String {
    let t = text.to_string();
    match decimal_point(lang) {
        '.' => t,
        point => t.replace('.', &point.to_string()),
    }
}

fn text<'a>(l: &'a Labels, lang: &str) -> &'a str {
    l.get(lang).or_else(|| l.values().next()).map_or("", String::as_str)
}

/// Split `t` into lines of at most `width` characters, at spaces where possible.
fn wrap(t: &str, width: usize) -> Vec<String> {
    let mut out = Vec::new();
    let mut line = String::new();
    for word in t.split(' ') {
        let len = line.chars().count();
        if len > 0 && len + 1 + word.chars().count() > width {
            out.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    out.push(line);
    out
}

const DESCRIPTION_WIDTH: usize = 56;

fn quantity(l: &InvoiceLine, lang: &str) -> String {
    match &l.unit {
        Some(u) => format!("{} {u}", num(l.quantity, lang)),
        None => num(l.quantity, lang),
    }
}

fn unit_price(l: &InvoiceLine, lang: &str) -> String {
    if l.base_quantity == 1.into() {
        num(l.unit_price, lang)
    } else {
        format!("{} / {}", num(l.unit_price, lang), num(l.base_quantity, lang))
    }
}

/// The quote as a table: one row per line (long descriptions wrap), then VAT per category and
/// rate, the totals and the notes.
fn table(inv: &Invoice, title: &str, currency: &str, lang: &str) -> String {
    use std::fmt::Write as _;
    let w = words(lang);
    let rows: Vec<[String; 4]> = inv
        .lines
        .iter()
        .map(|l| {
            [
                quantity(l, lang),
                unit_price(l, lang),
                num(l.amount, lang),
                format!("{} {} %", l.vat_category, num(l.vat_rate, lang)),
            ]
        })
        .collect();
    let width = |i: usize, head: &str| {
        rows.iter().map(|r| r[i].chars().count()).chain([head.chars().count()]).max().unwrap_or(0)
    };
    let (qw, pw, vw) = (width(0, &w.quantity), width(1, &w.unit_price), width(3, &w.vat));
    let aw = width(2, &w.amount).max(num(inv.total, lang).chars().count());
    let dw = DESCRIPTION_WIDTH;

    let mut out = String::new();
    let _ = writeln!(out, "{} — {title}\n", w.quote);
    let _ = writeln!(
        out,
        "{:<dw$}  {:>qw$}  {:>pw$}  {:>aw$}  {}",
        w.description, w.quantity, w.unit_price, w.amount, w.vat
    );
    let _ = writeln!(out, "{}", "─".repeat(dw + qw + pw + aw + vw + 8));
    for (l, r) in inv.lines.iter().zip(&rows) {
        let lines = wrap(text(&l.label(), lang), dw);
        for (i, d) in lines.iter().enumerate() {
            if i == 0 {
                let _ = writeln!(out, "{d:<dw$}  {:>qw$}  {:>pw$}  {:>aw$}  {}", r[0], r[1], r[2], r[3]);
            } else {
                let _ = writeln!(out, "  {d}");
            }
        }
    }
    let _ = writeln!(out, "{}", "─".repeat(dw + qw + pw + aw + vw + 8));
    let label_width = dw + qw + pw + 4;
    let _ = writeln!(out, "{:>label_width$}  {:>aw$}", w.net_total, num(inv.net_total, lang));
    for v in &inv.vat {
        let what = format!("{} {} {} % {} {}", w.vat, v.category, num(v.rate, lang), w.vat_on, num(v.base, lang));
        let _ = writeln!(out, "{what:>label_width$}  {:>aw$}", num(v.amount, lang));
    }
    let _ = writeln!(out, "{:>label_width$}  {:>aw$}  {currency}", w.total, num(inv.total, lang));
    if let Some(n) = &inv.buyer_vat_number {
        let _ = writeln!(out, "\n{}{} {n}", w.buyer_vat, w.colon);
    }
    if !inv.notes.is_empty() {
        let _ = writeln!(out, "\n{}", w.notes);
        for n in &inv.notes {
            for (i, t) in wrap(text(&n.label, lang), dw + qw + pw + aw).iter().enumerate() {
                let _ = writeln!(out, "{} {t}", if i == 0 { "  •" } else { "   " });
            }
        }
    }
    out
}

/// What plugins changed, from the trace (`--trace`): one bullet per change with its reason.
fn plugin_changes(trace: &[serde_json::Value], lang: &str) -> String {
    use std::fmt::Write as _;
    let (heading, added, replaced, removed) = match lang {
        "fr" => ("Modifications des plugins", "ajoute", "remplace la ligne", "retire la ligne"),
        "nl" => ("Wijzigingen door plugins", "voegt toe", "vervangt lijn", "verwijdert lijn"),
        _ => ("Plugin changes", "adds", "replaces line", "removes line"),
    };
    let mut out = String::new();
    for t in trace.iter().filter(|t| t["rule"] == "plugin") {
        let d = &t["detail"];
        let code = |v: &serde_json::Value| v["code"].as_str().unwrap_or("").to_owned();
        let what = match d["change"].as_str() {
            Some("add") => {
                format!("{added} `{}` ({})", code(&d["line"]), num(d["line"]["amount"].as_str().unwrap_or(""), lang))
            }
            Some("replace") => format!(
                "{replaced} {} `{}` → ({})",
                d["index"],
                code(&d["before"]),
                num(d["line"]["amount"].as_str().unwrap_or(""), lang)
            ),
            _ => format!("{removed} {} `{}`", d["index"], code(&d["before"])),
        };
        if out.is_empty() {
            let _ = writeln!(out, "\n{heading}");
        }
        let reason = d["reason"][lang].as_str().unwrap_or("");
        let _ = writeln!(out, "  • {} {what}: {reason}", d["plugin"].as_str().unwrap_or(""));
    }
    out
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use std::path::PathBuf;

    fn missions(args: &[&str]) -> (u8, String, String) {
        let (mut out, mut err) = (Vec::new(), Vec::new());
        let mut stdin = std::io::Cursor::new(Vec::new());
        let code =
            super::super::run(std::iter::once("missions").chain(args.iter().copied()), &mut stdin, &mut out, &mut err);
        (code, String::from_utf8(out).unwrap(), String::from_utf8(err).unwrap())
    }

    fn esomus() -> String {
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../rules/esomus").display().to_string()
    }

    const SPEC: &str = r#"{"date": "2026-11-20", "year": 1, "users": 12, "data_gb": 95, "prepaid_years": 1,
        "client": {"country": "BE", "vat_number": "BE0123456789", "isqm_manager_customer": false, "distance_km": 25},
        "options": {"user_training_sessions": 1, "master_training_sessions": 1, "parametrisation_hours": 7}}"#;

    #[test]
    fn the_spec_example_as_a_table() {
        let (code, out, err) = missions(&["quote", "--pack", &esomus(), "--input", SPEC]);
        assert_eq!(code, 0, "{err}");
        let expected = "\
Quote — esomus 2026.1.0 (EUR)

Description                                               Qty  Unit price    Amount  VAT
───────────────────────────────────────────────────────────────────────────────────────────
Technical setup (12 users): account, database, access       1     1250.00   1250.00  S 21 %
  rights and 2 h start training
Missions-Manager licenses: 12 users × 12 months           144       35.00   5040.00  S 21 %
Servers, backups and data: 12 users × 12 months (60 GB    144        8.00   1152.00  S 21 %
  included)
Data beyond the included volume: 4 started block(s) of     48       15.00    720.00  S 21 %
  10 GB × 12 months (95 GB stored, 60 GB included)
Maintenance and updates: 12 months                         12       50.00    600.00  S 21 %
User training: 3 h session                                  1      360.00    360.00  S 21 %
Master training: 3 h session                                1      360.00    360.00  S 21 %
Parametrisation assistance: prepaid package of 5 hours      1      475.00    475.00  S 21 %
Parametrisation assistance: hours                         2 h      110.00    220.00  S 21 %
───────────────────────────────────────────────────────────────────────────────────────────
                                                                Net total  10177.00
                                                   VAT S 21 % on 10177.00   2137.17
                                                                    Total  12314.17  EUR

Client VAT number: BE0123456789

Notes
  • Billed yearly in advance; prices may be revised on 1 January
  • The 2 h start training is included: at your premises or by video
  • Training sessions at your premises
";
        assert_eq!(out, expected);
    }

    #[test]
    fn labels_and_numbers_in_french() {
        let (code, out, _) = missions(&["quote", "--pack", &esomus(), "--input", SPEC, "--lang", "fr"]);
        assert_eq!(code, 0);
        assert!(out.starts_with("Offre — esomus"), "{out}");
        assert!(
            out.contains(
                "Licences Missions-Manager : 12 utilisateurs × 12 mois     144          35,00   5040,00  S 21 %"
            ),
            "{out}"
        );
        assert!(out.contains("Total TVA comprise  12314,17  EUR"), "{out}");
        assert!(out.contains("N° de TVA du client : BE0123456789"), "{out}");
    }

    #[test]
    fn json_is_the_spec_document() {
        let (code, out, _) = missions(&["quote", "--pack", &esomus(), "--input", SPEC, "--json"]);
        assert_eq!(code, 0);
        let v: serde_json::Value = serde_json::from_str(&out).unwrap();
        assert_eq!(
            (v["net_total"].as_str(), v["vat_total"].as_str(), v["total"].as_str()),
            (Some("10177.00"), Some("2137.17"), Some("12314.17"))
        );
        assert_eq!(v["lines"][0]["code"], "setup");
        assert_eq!(v["pack"]["name"], "esomus");
    }

    #[test]
    fn an_eu_client_without_vat_number_is_refused_with_exit_1() {
        let input = SPEC.replace(r#""country": "BE", "vat_number": "BE0123456789""#, r#""country": "DE""#);
        let (code, out, err) = missions(&["quote", "--pack", &esomus(), "--input", &input]);
        assert_eq!(code, 1, "{out}");
        assert!(err.contains("client.vat_number") && err.contains("must give its VAT number"), "{err}");
        let (code, out, _) = missions(&["quote", "--pack", &esomus(), "--input", &input, "--json"]);
        assert_eq!(code, 1);
        let v: serde_json::Value = serde_json::from_str(&out).unwrap();
        assert_eq!(v["error"]["code"], "eu_client_without_vat_number", "{v}");
    }
}
