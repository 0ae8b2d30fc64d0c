//! What the helpers of one pack see when a script calls them: its calendar, timezone and texts.

use std::collections::BTreeMap;
use std::sync::Arc;

use chrono_tz::Tz;
use missions_calendar::Calendar;
use rhai::{Dynamic, ImmutableString};

use crate::template::{self, Labels, Templates};

/// What the script functions of one pack can see: its calendar, timezone and texts.
#[derive(Debug)]
pub(crate) struct PackContext {
    pub calendar: Arc<Calendar>,
    pub timezone: Tz,
    pub labels: BTreeMap<String, Labels>,
    /// The same labels, parsed for filling.
    pub templates: Templates,
    /// The same labels as script values (`label(code)`), built once: a call clones a small map of
    /// shared strings.
    pub label_values: BTreeMap<String, Dynamic>,
}

impl PackContext {
    /// The context of a pack with these labels; their templates and script values are built here.
    pub(crate) fn new(calendar: Arc<Calendar>, timezone: Tz, labels: BTreeMap<String, Labels>) -> Self {
        let templates = template::parse_all(&labels);
        let label_values = labels.iter().map(|(code, texts)| (code.clone(), label_value(texts))).collect();
        Self { calendar, timezone, labels, templates, label_values }
    }
}

/// A label's texts as a script value: a map of language to text.
pub(crate) fn label_value(texts: &Labels) -> Dynamic {
    Dynamic::from_map(
        texts.iter().map(|(l, t)| (l.as_str().into(), Dynamic::from(ImmutableString::from(t.as_str())))).collect(),
    )
}

/// The marker a `reject(…)` error carries so evaluation can tell it from a script bug.
pub(crate) const REJECT_MARK: &str = "__missions_reject";
