//! Belgium's ten legal holidays, with Easter computed for any year of the calendar's range
//! (1900–2200). Tenant closures are not here: they belong to the calendar spec.

use chrono::{Days, NaiveDate};

use super::{CalendarError, Lang, MAX_YEAR, MIN_YEAR};

/// Which legal holidays a calendar observes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum HolidayRule {
    /// Belgium's ten legal holidays (`belgium` in a config).
    Belgium,
    /// No legal holidays (`none` in a config); closures still apply.
    None,
}

/// One of Belgium's ten legal holidays.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum BelgianHoliday {
    /// 1 January.
    NewYear,
    /// The Monday after Easter Sunday.
    EasterMonday,
    /// 1 May.
    LabourDay,
    /// Easter Sunday + 39 days (a Thursday).
    Ascension,
    /// Easter Sunday + 50 days.
    WhitMonday,
    /// 21 July.
    NationalDay,
    /// 15 August.
    Assumption,
    /// 1 November.
    AllSaints,
    /// 11 November.
    Armistice,
    /// 25 December.
    Christmas,
}

impl BelgianHoliday {
    /// The ten holidays in calendar order.
    pub const ALL: [BelgianHoliday; 10] = [
        BelgianHoliday::NewYear,
        BelgianHoliday::EasterMonday,
        BelgianHoliday::LabourDay,
        BelgianHoliday::Ascension,
        BelgianHoliday::WhitMonday,
        BelgianHoliday::NationalDay,
        BelgianHoliday::Assumption,
        BelgianHoliday::AllSaints,
        BelgianHoliday::Armistice,
        BelgianHoliday::Christmas,
    ];

    /// A stable snake_case identifier, e.g. `easter_monday`.
    pub const fn code(self) -> &'static str {
        match self {
            BelgianHoliday::NewYear => "new_year",
            BelgianHoliday::EasterMonday => "easter_monday",
            BelgianHoliday::LabourDay => "labour_day",
            BelgianHoliday::Ascension => "ascension",
            BelgianHoliday::WhitMonday => "whit_monday",
            BelgianHoliday::NationalDay => "national_day",
            BelgianHoliday::Assumption => "assumption",
            BelgianHoliday::AllSaints => "all_saints",
            BelgianHoliday::Armistice => "armistice",
            BelgianHoliday::Christmas => "christmas",
        }
    }

    /// The holiday's usual name in `lang`, e.g. "Lundi de Pâques" / "Paasmaandag" / "Easter Monday",
    /// from the calendar's catalogue (`locales/*/calendar.ftl`).
    pub fn label(self, lang: Lang) -> String {
        let id = format!("calendar-holiday-{}", self.code().replace('_', "-"));
        missions_base::catalogue::text(lang.code(), &id, &[])
    }
}

/// A legal holiday on a given date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Holiday {
    /// The date (local, in the calendar's timezone).
    pub date: NaiveDate,
    /// Which holiday it is.
    pub kind: BelgianHoliday,
}

/// Easter Sunday of `year` (Gregorian), for 1900 ≤ `year` ≤ 2200.
pub fn easter_sunday(year: i32) -> Result<NaiveDate, CalendarError> {
    if !(MIN_YEAR..=MAX_YEAR).contains(&year) {
        return Err(CalendarError::YearOutOfRange { year });
    }
    easter_in_range(year).ok_or(CalendarError::YearOutOfRange { year })
}

/// Belgium's ten legal holidays of `year`, in date order, for 1900 ≤ `year` ≤ 2200.
pub fn belgian_holidays(year: i32) -> Result<Vec<Holiday>, CalendarError> {
    if !(MIN_YEAR..=MAX_YEAR).contains(&year) {
        return Err(CalendarError::YearOutOfRange { year });
    }
    let holidays = holidays_in_range(year);
    if holidays.len() == BelgianHoliday::ALL.len() { Ok(holidays) } else { Err(CalendarError::YearOutOfRange { year }) }
}

/// The holidays of a year already known to be in range (every date then exists).
pub(crate) fn holidays_in_range(year: i32) -> Vec<Holiday> {
    let fixed = |month, day| NaiveDate::from_ymd_opt(year, month, day);
    let easter = easter_in_range(year);
    let after_easter = |days| easter.and_then(|e| e.checked_add_days(Days::new(days)));
    let dates = [
        fixed(1, 1),
        after_easter(1),
        fixed(5, 1),
        after_easter(39),
        after_easter(50),
        fixed(7, 21),
        fixed(8, 15),
        fixed(11, 1),
        fixed(11, 11),
        fixed(12, 25),
    ];
    let mut holidays: Vec<Holiday> = dates
        .into_iter()
        .zip(BelgianHoliday::ALL)
        .filter_map(|(date, kind)| date.map(|date| Holiday { date, kind }))
        .collect();
    // Ascension falls between 30 April and 3 June, so it may share 1 May (2008) or precede it;
    // a stable sort keeps date order and, on a shared date, the listing order.
    holidays.sort_by_key(|h| h.date);
    holidays
}

/// The anonymous Gregorian algorithm (Meeus/Jones/Butcher); `None` only if chrono cannot
/// represent the year.
fn easter_in_range(year: i32) -> Option<NaiveDate> {
    let a = year % 19;
    let b = year / 100;
    let c = year % 100;
    let d = b / 4;
    let e = b % 4;
    let f = (b + 8) / 25;
    let g = (b - f + 1) / 3;
    let h = (19 * a + b - d - g + 15) % 30;
    let i = c / 4;
    let k = c % 4;
    let l = (32 + 2 * e + 2 * i - h - k) % 7;
    let m = (a + 11 * h + 22 * l) / 451;
    let n = h + l - 7 * m + 114;
    let month = u32::try_from(n / 31).ok()?;
    let day = u32::try_from(n % 31 + 1).ok()?;
    NaiveDate::from_ymd_opt(year, month, day)
}
