//! What the helpers of one pack see when a script calls them: its calendar, timezone and texts.

use std::collections::BTreeMap;
use std::sync::Arc;

use chrono_tz::Tz;
use missions_calendar::Calendar;

use crate::template::{Labels, Templates};

/// What the script functions of one pack can see: its calendar, timezone and texts.
#[derive(Debug)]
pub(crate) struct PackContext {
    pub calendar: Arc<Calendar>,
    pub timezone: Tz,
    pub labels: BTreeMap<String, Labels>,
    /// The same labels, parsed for filling.
    pub templates: Templates,
}

/// The marker a `reject(…)` error carries so evaluation can tell it from a script bug.
pub(crate) const REJECT_MARK: &str = "__missions_reject";
