//! Label texts with `{name}` placeholders, parsed once when the pack loads.
//!
//! An invoice line or note fills its label's texts in every language on each evaluation; a text
//! parsed into literal runs and placeholders is filled by copying the runs and writing each value,
//! without searching the text again.

use std::collections::BTreeMap;

use rhai::{Dynamic, ImmutableString, Map};

use crate::output;
use crate::script::Labels;

/// Languages that write decimals with a point; the others (fr, nl, de …) write a comma.
const DECIMAL_POINT_LANGUAGES: [&str; 1] = ["en"];

#[derive(Debug, Clone, PartialEq, Eq)]
enum Part {
    Text(Box<str>),
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
    parts: Vec<Part>,
    /// The plain text, for a text without placeholders (a clone, nothing to fill).
    plain: Option<String>,
    point: char,
}

/// Every label of a pack, parsed.
pub(crate) type Templates = BTreeMap<String, Template>;

/// Parse every label of a pack.
pub(crate) fn parse_all(labels: &BTreeMap<String, Labels>) -> Templates {
    labels.iter().map(|(code, texts)| (code.clone(), Template::parse(texts))).collect()
}

impl Template {
    /// Parse each text: `{name}` is a placeholder up to the first `}`; a `{` without a closing
    /// `}` is text.
    pub(crate) fn parse(labels: &Labels) -> Template {
        let texts = labels
            .iter()
            .map(|(lang, text)| {
                let parts = parse_text(text);
                let plain = (!parts.iter().any(|p| matches!(p, Part::Var(_)))).then(|| text.clone());
                let point = if DECIMAL_POINT_LANGUAGES.contains(&lang.as_str()) { '.' } else { ',' };
                Text { lang: lang.clone(), parts, plain, point }
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
}

impl Text {
    fn fill(&self, vars: &Map) -> String {
        if let Some(plain) = &self.plain {
            return plain.clone();
        }
        let mut out = String::with_capacity(self.parts.iter().map(|p| p.len_hint()).sum());
        for part in &self.parts {
            match part {
                Part::Text(t) => out.push_str(t),
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
            Part::Text(t) => t.len(),
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
            parts.push(Part::Text(std::mem::take(&mut literal).into()));
        }
        parts.push(Part::Var(after[..close].into()));
        rest = &after[close + 1..];
    }
    literal.push_str(rest);
    if !literal.is_empty() {
        parts.push(Part::Text(literal.into()));
    }
    parts
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
