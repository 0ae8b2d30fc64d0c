//! What reading an invoice entry's result needs from its pack: languages, labels, currency,
//! timezone and limits.

use std::collections::BTreeMap;

use chrono_tz::Tz;
use rhai::{Dynamic, ImmutableString, Map};

use crate::limits::ScriptLimits;
use crate::template::{Labels, Templates};
use missions_money::{InvoiceError, err};

/// Everything [`finish`] needs from the pack.
pub(crate) struct Context<'a> {
    pub languages: &'a [String],
    pub labels: &'a BTreeMap<String, Labels>,
    pub templates: &'a Templates,
    pub currency: &'a str,
    pub tz: Tz,
    pub limits: &'a ScriptLimits,
}

impl Context<'_> {
    pub(super) fn labels_of(&self, v: &Dynamic, path: &str) -> Result<Labels, InvoiceError> {
        if let Some(code) = v.read_lock::<ImmutableString>() {
            return match self.labels.get(code.as_str()) {
                Some(l) => Ok(l.clone()),
                None => err(path, format!("no label `{}` in the pack's labels", code.as_str())),
            };
        }
        let Some(m) = v.read_lock::<Map>() else {
            return err(path, "a label is a label code or a map of texts per language");
        };
        let mut out = Labels::new();
        for lang in self.languages {
            match m.get(lang.as_str()).and_then(|t| t.read_lock::<ImmutableString>().map(|t| t.to_string())) {
                Some(t) if !t.trim().is_empty() => {
                    out.insert(lang.clone(), t);
                }
                _ => return err(format!("{path}.{lang}"), format!("the label has no `{lang}` text")),
            }
        }
        Ok(out)
    }

    /// Whether a label written outside the pack's labels (an adjuster's) has every language.
    pub(crate) fn check_languages(&self, label: &Labels, path: &str) -> Result<(), InvoiceError> {
        match self.languages.iter().find(|l| label.get(l.as_str()).is_none_or(|t| t.trim().is_empty())) {
            Some(lang) => err(format!("{path}.label.{lang}"), format!("the label has no `{lang}` text")),
            None => Ok(()),
        }
    }
}
