//! Business calendar: when is it working time, in a timezone, given weekly working periods,
//! Belgium's legal holidays and a tenant's closures. It knows nothing of SLAs or tickets: it
//! answers "is this working time", "add N working hours/days", "how much working time between".
#![deny(missing_docs)]

mod engine;
mod error;
mod holidays;
mod spec;
#[cfg(test)]
mod tests;
mod time;

pub use engine::{Calendar, DayOff};
pub use error::CalendarError;
pub use holidays::{BelgianHoliday, Holiday, HolidayRule, belgian_holidays, easter_sunday};
pub use missions_base::Lang;
pub use spec::{CalendarConfig, CalendarSpec, WeekConfig, WorkPeriod};

/// First year of every calendar's range.
const MIN_YEAR: i32 = 1900;
/// Last year of every calendar's range.
const MAX_YEAR: i32 = 2200;
