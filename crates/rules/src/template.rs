//! Labels as scripts fill them: the label texts of `missions-money`, their placeholders filled
//! from a script's map of values.

use std::borrow::Borrow;

use rhai::{Dynamic, ImmutableString, Map};

use missions_base::json as output;
pub use missions_money::{Labels, decimal_point};
pub(crate) use missions_money::{Template, Templates, Texts, Vars, parse_all};

/// A script's map of values for a label's placeholders, owned (a line's label filled when it is
/// written) or borrowed (a label filled at once).
#[derive(Debug)]
pub(crate) struct ScriptVars<M>(pub M);

impl<M: Borrow<Map> + Send + Sync + std::fmt::Debug> Vars for ScriptVars<M> {
    fn push(&self, out: &mut String, name: &str, point: char) -> bool {
        self.0.borrow().get(name).map(|v| push_value(out, v, point)).is_some()
    }

    fn push_json(&self, out: &mut String, name: &str, point: char) -> bool {
        self.0.borrow().get(name).map(|v| push_value_json(out, v, point)).is_some()
    }
}

/// A script value in a text: decimals with the language's decimal mark, strings as they are.
fn push_value(out: &mut String, v: &Dynamic, point: char) {
    use std::fmt::Write as _;
    if let Ok(d) = v.as_decimal() {
        output::push_decimal(out, d, point);
    } else if let Ok(i) = v.as_int() {
        output::push_int(out, i);
    } else if let Some(s) = v.read_lock::<ImmutableString>() {
        out.push_str(s.as_str());
    } else {
        let _ = write!(out, "{v}");
    }
}

/// [`push_value`], escaped for the inside of a JSON string; numbers need no escaping.
fn push_value_json(out: &mut String, v: &Dynamic, point: char) {
    if let Some(s) = v.read_lock::<ImmutableString>() {
        output::push_str_content(out, s.as_str());
    } else if v.is_decimal() || v.is_int() {
        push_value(out, v, point);
    } else {
        let mut text = String::new();
        push_value(&mut text, v, point);
        output::push_str_content(out, &text);
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use rust_decimal::Decimal;

    use std::collections::BTreeMap;
    use std::sync::Arc;

    use super::*;

    fn template(text: &str) -> Template {
        Template::parse(&[("en", text), ("fr", text), ("nl", text)].map(|(l, t)| (l.to_owned(), t.to_owned())).into())
    }

    fn vars() -> Map {
        let mut vars = Map::new();
        vars.insert("n".into(), Dynamic::from_decimal(Decimal::new(15, 1)));
        vars.insert("who".into(), "Master".into());
        vars.insert("k".into(), Dynamic::from_int(-12));
        vars.insert("yes".into(), Dynamic::TRUE);
        vars
    }

    #[test]
    fn placeholders_are_filled_per_language() {
        let filled = template("{n} h for {who} × {k}, {yes}").fill(&ScriptVars(vars()));
        assert_eq!(filled["en"], "1.5 h for Master × -12, true");
        assert_eq!(filled["fr"], "1,5 h for Master × -12, true");
        assert_eq!(filled["nl"], "1,5 h for Master × -12, true");
    }

    /// What a line writes into the output is what its filled texts read as, escaped by serde_json.
    #[test]
    fn texts_to_fill_write_the_json_of_their_filled_texts() {
        let mut vars = vars();
        vars.insert("q".into(), "say \"hi\" \\ \n\t\u{1}".into());
        vars.insert("d".into(), Dynamic::from_decimal(Decimal::new(-12345, 2)));
        vars.insert("list".into(), Dynamic::from_array(vec![Dynamic::from_int(1), "x\"".into()]));
        let texts = [
            "",
            "plain, with \"quotes\" and a \\ and a tab\t",
            "{n} h for {who} × {k}, {yes}",
            "{q} / {d} / {list} / {missing} / {\"odd\"}",
            "unclosed {n and {} then {n}}",
            "😀 {who}😀",
        ];
        for text in texts {
            let t = template(text);
            let filled: BTreeMap<String, String> = t.fill(&ScriptVars(&vars));
            let mut json = String::new();
            Texts::to_fill(Arc::new(t.clone()), Arc::new(ScriptVars(vars.clone()))).write_json(&mut json);
            let read: serde_json::Value = serde_json::from_str(&json).unwrap();
            assert_eq!(read, serde_json::to_value(&filled).unwrap(), "{text:?}");
            let mut written = String::new();
            Texts::written(filled.clone()).write_json(&mut written);
            assert_eq!(json, written, "{text:?}");
        }
    }

    #[test]
    fn texts_read_the_same_however_they_are_held() {
        let t = Arc::new(template("{n} for {who}"));
        let mut lazy = Texts::to_fill(t.clone(), Arc::new(ScriptVars(vars())));
        let written = Texts::written(t.fill(&ScriptVars(vars())));
        assert_eq!(lazy, written);
        assert_eq!(lazy.labels()["fr"], "1,5 for Master");
        lazy.labels_mut().insert("fr".into(), "changed".into());
        assert_eq!(lazy.labels()["fr"], "changed");
        assert_eq!(lazy.labels()["en"], "1.5 for Master", "the other texts were filled, not lost");
        assert_ne!(lazy, written);
    }

    #[test]
    fn unknown_or_unclosed_placeholders_stay_as_written() {
        assert_eq!(template("{missing} and {n").fill(&ScriptVars(vars()))["nl"], "{missing} and {n");
        assert_eq!(template("{} {n}{n}}").fill(&ScriptVars(vars()))["en"], "{} 1.51.5}");
        assert_eq!(template("{a{n}").fill(&ScriptVars(vars()))["en"], "{a{n}");
        assert_eq!(template("no placeholder").fill(&ScriptVars(Map::new()))["fr"], "no placeholder");
        assert_eq!(template("{n} left").fill(&ScriptVars(Map::new()))["fr"], "{n} left");
        assert_eq!(template("").fill(&ScriptVars(vars()))["fr"], "");
    }
}
