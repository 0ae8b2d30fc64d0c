//! Label texts with `{name}` placeholders, parsed once when the pack loads.
//!
//! An invoice line or note fills its label's texts in every language on each evaluation; a text
//! parsed into literal runs and placeholders is filled by copying the runs and writing each value,
//! without searching the text again. A line keeps its label as the template and its values
//! ([`Texts::ToFill`]) and writes it straight into the output's JSON, from runs escaped once at
//! load: the texts are only filled into strings when someone asks for them.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::sync::Arc;

use rhai::{Dynamic, ImmutableString, Map};

use crate::output;

/// Translations of one text, by language code.
pub type Labels = BTreeMap<String, String>;

/// Languages that write decimals with a point; the others (fr, nl, de …) write a comma.
const DECIMAL_POINT_LANGUAGES: [&str; 1] = ["en"];

/// The character language `lang` writes between a decimal's units and its fraction.
pub fn decimal_point(lang: &str) -> char {
    if DECIMAL_POINT_LANGUAGES.contains(&lang) { '.' } else { ',' }
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Part {
    /// Literal text, and the same escaped for a JSON string.
    Text { raw: Box<str>, json: Box<str> },
    /// `{name}`: the value of `name`, or the placeholder as written when there is none.
    Var(Box<str>),
}

/// One label's texts, by language, ready to fill.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Template {
    texts: Vec<Text>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Text {
    lang: String,
    /// The language code as a JSON object key, with its colon.
    json_key: Box<str>,
    parts: Vec<Part>,
    /// The plain text, for a text without placeholders (a clone, nothing to fill).
    plain: Option<String>,
    point: char,
}

/// Every label of a pack, parsed.
pub(crate) type Templates = BTreeMap<String, Arc<Template>>;

/// Parse every label of a pack.
pub(crate) fn parse_all(labels: &BTreeMap<String, Labels>) -> Templates {
    labels.iter().map(|(code, texts)| (code.clone(), Arc::new(Template::parse(texts)))).collect()
}

/// A label's texts: written out, or a pack label still to fill with its values.
#[derive(Debug, Clone, Default)]
pub(crate) struct Texts {
    /// The texts, when `to_fill` is `None`.
    written: Labels,
    to_fill: Option<(Arc<Template>, Map)>,
}

impl Texts {
    pub(crate) fn written(labels: Labels) -> Texts {
        Texts { written: labels, to_fill: None }
    }

    pub(crate) fn to_fill(template: Arc<Template>, vars: Map) -> Texts {
        Texts { written: Labels::new(), to_fill: Some((template, vars)) }
    }

    /// The texts, filled if need be.
    pub(crate) fn labels(&self) -> Cow<'_, Labels> {
        match &self.to_fill {
            Some((t, vars)) => Cow::Owned(t.fill(vars)),
            None => Cow::Borrowed(&self.written),
        }
    }

    /// The texts, to change; filled first if need be.
    pub(crate) fn labels_mut(&mut self) -> &mut Labels {
        if let Some((t, vars)) = self.to_fill.take() {
            self.written = t.fill(&vars);
        }
        &mut self.written
    }

    /// Append the texts' JSON object to `out`, languages in order.
    pub(crate) fn write_json(&self, out: &mut String) {
        match &self.to_fill {
            Some((t, vars)) => t.write_json(out, vars),
            None => write_labels(out, &self.written),
        }
    }
}

/// Append written texts as a JSON object to `out`, languages in order.
pub(crate) fn write_labels(out: &mut String, labels: &Labels) {
    let mut o = output::Object::open(out);
    for (lang, text) in labels {
        o.str(lang, text);
    }
    o.close();
}

/// Texts are equal when they read the same, however they are held.
impl PartialEq for Texts {
    fn eq(&self, other: &Self) -> bool {
        self.labels() == other.labels()
    }
}

impl Eq for Texts {}

impl Template {
    /// Parse each text: `{name}` is a placeholder up to the first `}`; a `{` without a closing
    /// `}` is text.
    pub(crate) fn parse(labels: &Labels) -> Template {
        let texts = labels
            .iter()
            .map(|(lang, text)| {
                let parts = parse_text(text);
                let plain = (!parts.iter().any(|p| matches!(p, Part::Var(_)))).then(|| text.clone());
                let point = decimal_point(lang);
                let mut json_key = String::new();
                output::push_str(&mut json_key, lang);
                json_key.push(':');
                Text { lang: lang.clone(), json_key: json_key.into(), parts, plain, point }
            })
            .collect();
        Template { texts }
    }

    /// The texts with their placeholders filled from `vars`. Decimals are written the way each
    /// language writes them (`1,5` in French and Dutch); a placeholder with no value is left as
    /// written.
    pub(crate) fn fill(&self, vars: &Map) -> Labels {
        // Inserted one by one: collecting would first gather and sort the texts.
        let mut labels = Labels::new();
        for t in &self.texts {
            labels.insert(t.lang.clone(), t.fill(vars));
        }
        labels
    }

    /// Append the filled texts as a JSON object to `out`, as [`Template::fill`] would fill them.
    pub(crate) fn write_json(&self, out: &mut String, vars: &Map) {
        out.push('{');
        for (i, t) in self.texts.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            out.push_str(&t.json_key);
            out.push('"');
            for part in &t.parts {
                match part {
                    Part::Text { json, .. } => out.push_str(json),
                    Part::Var(name) => match vars.get(&**name) {
                        Some(v) => push_value_json(out, v, t.point),
                        None => {
                            out.push('{');
                            output::push_str_content(out, name);
                            out.push('}');
                        }
                    },
                }
            }
            out.push('"');
        }
        out.push('}');
    }
}

impl Text {
    fn fill(&self, vars: &Map) -> String {
        if let Some(plain) = &self.plain {
            return plain.clone();
        }
        let mut out = String::with_capacity(self.parts.iter().map(|p| p.len_hint()).sum());
        for part in &self.parts {
            match part {
                Part::Text { raw, .. } => out.push_str(raw),
                Part::Var(name) => match vars.get(&**name) {
                    Some(v) => push_value(&mut out, v, self.point),
                    None => {
                        out.push('{');
                        out.push_str(name);
                        out.push('}');
                    }
                },
            }
        }
        out
    }
}

impl Part {
    fn len_hint(&self) -> usize {
        match self {
            Part::Text { raw, .. } => raw.len(),
            Part::Var(_) => 8,
        }
    }
}

fn parse_text(text: &str) -> Vec<Part> {
    let mut parts = Vec::new();
    let mut literal = String::new();
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        let after = &rest[open + 1..];
        let Some(close) = after.find('}') else { break };
        literal.push_str(&rest[..open]);
        if !literal.is_empty() {
            parts.push(text_part(std::mem::take(&mut literal)));
        }
        parts.push(Part::Var(after[..close].into()));
        rest = &after[close + 1..];
    }
    literal.push_str(rest);
    if !literal.is_empty() {
        parts.push(text_part(literal));
    }
    parts
}

fn text_part(raw: String) -> Part {
    let mut json = String::with_capacity(raw.len());
    output::push_str_content(&mut json, &raw);
    Part::Text { raw: raw.into(), json: json.into() }
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
        let filled = template("{n} h for {who} × {k}, {yes}").fill(&vars());
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
            let filled: BTreeMap<String, String> = t.fill(&vars);
            let mut json = String::new();
            Texts::to_fill(Arc::new(t.clone()), vars.clone()).write_json(&mut json);
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
        let mut lazy = Texts::to_fill(t.clone(), vars());
        let written = Texts::written(t.fill(&vars()));
        assert_eq!(lazy, written);
        assert_eq!(lazy.labels()["fr"], "1,5 for Master");
        lazy.labels_mut().insert("fr".into(), "changed".into());
        assert_eq!(lazy.labels()["fr"], "changed");
        assert_eq!(lazy.labels()["en"], "1.5 for Master", "the other texts were filled, not lost");
        assert_ne!(lazy, written);
    }

    #[test]
    fn unknown_or_unclosed_placeholders_stay_as_written() {
        assert_eq!(template("{missing} and {n").fill(&vars())["nl"], "{missing} and {n");
        assert_eq!(template("{} {n}{n}}").fill(&vars())["en"], "{} 1.51.5}");
        assert_eq!(template("{a{n}").fill(&vars())["en"], "{a{n}");
        assert_eq!(template("no placeholder").fill(&Map::new())["fr"], "no placeholder");
        assert_eq!(template("{n} left").fill(&Map::new())["fr"], "{n} left");
        assert_eq!(template("").fill(&vars())["fr"], "");
    }
}
