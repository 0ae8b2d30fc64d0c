//! Label texts with `{name}` placeholders, parsed once when a pack loads.
//!
//! An invoice line or note fills its label's texts in every language on each evaluation; a text
//! parsed into literal runs and placeholders is filled by copying the runs and writing each value,
//! without searching the text again. A line keeps its label as the template and its values
//! ([`Texts::ToFill`]) and writes it straight into the output's JSON, from runs escaped once at
//! load: the texts are only filled into strings when someone asks for them.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::sync::Arc;

use missions_base::json as output;

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
pub struct Template {
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
pub type Templates = BTreeMap<String, Arc<Template>>;

/// Parse every label of a pack.
pub fn parse_all(labels: &BTreeMap<String, Labels>) -> Templates {
    labels.iter().map(|(code, texts)| (code.clone(), Arc::new(Template::parse(texts)))).collect()
}

/// A label's texts: written out, or a pack label still to fill with its values.
#[derive(Debug, Clone, Default)]
pub struct Texts {
    /// The texts, when `to_fill` is `None`.
    written: Labels,
    to_fill: Option<(Arc<Template>, Arc<dyn Vars>)>,
}

/// The values a label's placeholders are filled from (a script's map, in the rules crate).
pub trait Vars: Send + Sync + std::fmt::Debug {
    /// Append the value of `name` to `out`, a decimal with `point` as its decimal mark; `false`
    /// when there is no such value.
    fn push(&self, out: &mut String, name: &str, point: char) -> bool;
    /// [`Vars::push`], escaped for the inside of a JSON string.
    fn push_json(&self, out: &mut String, name: &str, point: char) -> bool;
}

impl Texts {
    /// Texts written out.
    pub fn written(labels: Labels) -> Texts {
        Texts { written: labels, to_fill: None }
    }

    /// A pack label, filled from `vars` when written or read.
    pub fn to_fill(template: Arc<Template>, vars: Arc<dyn Vars>) -> Texts {
        Texts { written: Labels::new(), to_fill: Some((template, vars)) }
    }

    /// The texts, filled if need be.
    pub fn labels(&self) -> Cow<'_, Labels> {
        match &self.to_fill {
            Some((t, vars)) => Cow::Owned(t.fill(&**vars)),
            None => Cow::Borrowed(&self.written),
        }
    }

    /// The texts, to change; filled first if need be.
    pub fn labels_mut(&mut self) -> &mut Labels {
        if let Some((t, vars)) = self.to_fill.take() {
            self.written = t.fill(&*vars);
        }
        &mut self.written
    }

    /// Append the texts' JSON object to `out`, languages in order.
    pub fn write_json(&self, out: &mut String) {
        match &self.to_fill {
            Some((t, vars)) => t.write_json(out, &**vars),
            None => write_labels(out, &self.written),
        }
    }
}

/// Append written texts as a JSON object to `out`, languages in order.
pub fn write_labels(out: &mut String, labels: &Labels) {
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
    pub fn parse(labels: &Labels) -> Template {
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
    pub fn fill(&self, vars: &dyn Vars) -> Labels {
        // Inserted one by one: collecting would first gather and sort the texts.
        let mut labels = Labels::new();
        for t in &self.texts {
            labels.insert(t.lang.clone(), t.fill(vars));
        }
        labels
    }

    /// Append the filled texts as a JSON object to `out`, as [`Template::fill`] would fill them.
    pub fn write_json(&self, out: &mut String, vars: &dyn Vars) {
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
                    Part::Var(name) => {
                        if !vars.push_json(out, name, t.point) {
                            out.push('{');
                            output::push_str_content(out, name);
                            out.push('}');
                        }
                    }
                }
            }
            out.push('"');
        }
        out.push('}');
    }
}

impl Text {
    fn fill(&self, vars: &dyn Vars) -> String {
        if let Some(plain) = &self.plain {
            return plain.clone();
        }
        let mut out = String::with_capacity(self.parts.iter().map(|p| p.len_hint()).sum());
        for part in &self.parts {
            match part {
                Part::Text { raw, .. } => out.push_str(raw),
                Part::Var(name) => {
                    if !vars.push(&mut out, name, self.point) {
                        out.push('{');
                        out.push_str(name);
                        out.push('}');
                    }
                }
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
