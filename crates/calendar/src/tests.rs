//! Exact-value tests of the calendar, plus property checks against a slow reference that
//! converts every period with chrono-tz (no tables).

use std::sync::Arc;

use chrono::{DateTime, Datelike, Days, LocalResult, NaiveDate, NaiveDateTime, TimeDelta, TimeZone, Utc};
use chrono_tz::Tz;

use super::*;

fn office() -> Calendar {
    Calendar::new(CalendarSpec::belgian_office_hours()).unwrap()
}

fn period(start: (u32, u32), end: (u32, u32)) -> WorkPeriod {
    WorkPeriod::hm(start.0, start.1, end.0, end.1).unwrap()
}

/// Office hours plus a whole Sunday (00:00–24:00), so 23 h and 25 h days are measured.
fn office_and_sunday() -> CalendarSpec {
    let mut spec = CalendarSpec::belgian_office_hours();
    spec.week[6] = vec![period((0, 0), (24, 0))];
    spec
}

fn around_the_clock(tz: Tz) -> CalendarSpec {
    CalendarSpec {
        timezone: tz,
        week: std::array::from_fn(|_| vec![period((0, 0), (24, 0))]),
        holidays: HolidayRule::None,
        closures: Vec::new(),
    }
}

fn at(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
}

/// `t` as RFC 3339 in Brussels time, the way the SPEC writes instants.
fn brussels(t: DateTime<Utc>) -> String {
    t.with_timezone(&chrono_tz::Europe::Brussels).to_rfc3339()
}

fn date(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn hours(h: i64) -> TimeDelta {
    TimeDelta::hours(h)
}

// ----- holidays -----

#[test]
fn easter_of_known_years() {
    for (year, expected) in [
        (1900, "1900-04-15"),
        (1943, "1943-04-25"),
        (2000, "2000-04-23"),
        (2008, "2008-03-23"),
        (2024, "2024-03-31"),
        (2026, "2026-04-05"),
        (2038, "2038-04-25"),
        (2100, "2100-03-28"),
        (2200, "2200-04-06"),
    ] {
        assert_eq!(easter_sunday(year).unwrap(), date(expected), "easter {year}");
    }
}

#[test]
fn easter_is_a_sunday_between_22_march_and_25_april_for_every_year() {
    for year in 1900..=2200 {
        let easter = easter_sunday(year).unwrap();
        assert_eq!(easter.weekday(), chrono::Weekday::Sun, "{year}");
        let (earliest, latest) = (date(&format!("{year}-03-22")), date(&format!("{year}-04-25")));
        assert!(earliest <= easter && easter <= latest, "{year}: {easter}");
    }
}

#[test]
fn belgian_holidays_of_2026() {
    let got: Vec<(String, &str)> =
        belgian_holidays(2026).unwrap().into_iter().map(|h| (h.date.to_string(), h.kind.code())).collect();
    let expected = [
        ("2026-01-01", "new_year"),
        ("2026-04-06", "easter_monday"),
        ("2026-05-01", "labour_day"),
        ("2026-05-14", "ascension"),
        ("2026-05-25", "whit_monday"),
        ("2026-07-21", "national_day"),
        ("2026-08-15", "assumption"),
        ("2026-11-01", "all_saints"),
        ("2026-11-11", "armistice"),
        ("2026-12-25", "christmas"),
    ];
    let expected: Vec<(String, &str)> = expected.iter().map(|&(d, c)| (d.to_owned(), c)).collect();
    assert_eq!(got, expected);
}

#[test]
fn ascension_may_share_labour_day() {
    let holidays = belgian_holidays(2008).unwrap();
    assert_eq!(holidays.len(), 10);
    let on_1_may: Vec<_> = holidays.iter().filter(|h| h.date == date("2008-05-01")).map(|h| h.kind).collect();
    assert_eq!(on_1_may, [BelgianHoliday::LabourDay, BelgianHoliday::Ascension]);
}

#[test]
fn holiday_labels_and_codes() {
    let easter_monday = BelgianHoliday::EasterMonday;
    assert_eq!(easter_monday.label(Lang::Fr), "Lundi de Pâques");
    assert_eq!(easter_monday.label(Lang::Nl), "Paasmaandag");
    assert_eq!(easter_monday.label(Lang::En), "Easter Monday");
    assert_eq!(BelgianHoliday::WhitMonday.label(Lang::Nl), "Pinkstermaandag");
    for &lang in Lang::all() {
        let mut labels: Vec<_> = BelgianHoliday::ALL.iter().map(|h| h.label(lang)).collect();
        labels.sort_unstable();
        labels.dedup();
        assert_eq!(labels.len(), 10, "labels in {lang} are distinct");
    }
    let mut codes: Vec<_> = BelgianHoliday::ALL.iter().map(|h| h.code()).collect();
    codes.dedup();
    assert_eq!(codes.len(), 10);
}

#[test]
fn lang_codes() {
    assert_eq!(Lang::from_code("nl"), Some(Lang::Nl));
    assert_eq!(Lang::from_code("xx"), None);
    assert_eq!(Lang::Fr.to_string(), "fr");
    assert_eq!(missions_base::yaml::decode::<Lang>("en").unwrap(), Lang::En);
}

#[test]
fn holiday_years_out_of_range() {
    assert_eq!(easter_sunday(2201).unwrap_err().to_string(), "year `2201` is outside the calendar's range 1900..2200");
    assert_eq!(
        belgian_holidays(1899).unwrap_err().to_string(),
        "year `1899` is outside the calendar's range 1900..2200"
    );
}

// ----- working time -----

#[test]
fn spec_example_nav_p1_over_christmas() {
    // 24th 16:00–17:30 = 1.5 h, 25th holiday, weekend, 28th 08:30–11:00 = 2.5 h.
    let deadline = office().add_working(at("2026-12-24T16:00:00+01:00"), hours(4)).unwrap();
    assert_eq!(brussels(deadline), "2026-12-28T11:00:00+01:00");
}

#[test]
fn deadline_on_a_period_end_stays_there() {
    let cal = office();
    let monday = at("2026-03-02T08:30:00+01:00");
    assert_eq!(brussels(cal.add_working(monday, hours(4)).unwrap()), "2026-03-02T12:30:00+01:00");
    assert_eq!(brussels(cal.add_working(monday, hours(8)).unwrap()), "2026-03-02T17:30:00+01:00");
    let friday = at("2026-03-06T08:30:00+01:00");
    assert_eq!(brussels(cal.add_working(friday, hours(8)).unwrap()), "2026-03-06T17:30:00+01:00");
    assert_eq!(
        brussels(cal.add_working(friday, hours(8) + TimeDelta::nanoseconds(1)).unwrap()),
        "2026-03-09T08:30:00.000000001+01:00"
    );
}

#[test]
fn opened_during_lunch_starts_at_1330() {
    let cal = office();
    let lunch = at("2026-03-02T12:45:00+01:00");
    assert!(!cal.is_working_time(lunch).unwrap());
    assert_eq!(brussels(cal.next_working_instant(lunch).unwrap()), "2026-03-02T13:30:00+01:00");
    assert_eq!(brussels(cal.add_working(lunch, hours(1)).unwrap()), "2026-03-02T14:30:00+01:00");
}

#[test]
fn periods_are_half_open() {
    let cal = office();
    assert!(cal.is_working_time(at("2026-03-02T08:30:00+01:00")).unwrap());
    assert!(cal.is_working_time(at("2026-03-02T12:29:59.999999999+01:00")).unwrap());
    assert!(!cal.is_working_time(at("2026-03-02T12:30:00+01:00")).unwrap());
    assert!(!cal.is_working_time(at("2026-03-02T08:29:59+01:00")).unwrap());
}

#[test]
fn opened_friday_evening_starts_monday_morning() {
    let cal = office();
    let friday = at("2026-03-06T18:00:00+01:00");
    assert_eq!(brussels(cal.next_working_instant(friday).unwrap()), "2026-03-09T08:30:00+01:00");
    assert_eq!(brussels(cal.add_working(friday, TimeDelta::minutes(30)).unwrap()), "2026-03-09T09:00:00+01:00");
}

#[test]
fn zero_and_negative_durations() {
    let cal = office();
    let working = at("2026-03-02T10:17:03.5+01:00");
    assert_eq!(cal.add_working(working, TimeDelta::zero()).unwrap(), working);
    let evening = at("2026-03-02T19:00:00+01:00");
    assert_eq!(brussels(cal.add_working(evening, TimeDelta::zero()).unwrap()), "2026-03-03T08:30:00+01:00");
    assert_eq!(
        cal.add_working(working, TimeDelta::hours(-1)).unwrap_err().to_string(),
        "working duration `-PT3600S` is negative: pass zero or a positive duration"
    );
}

#[test]
fn working_between_basics() {
    let cal = office();
    let monday = at("2026-03-02T08:30:00+01:00");
    let friday_end = at("2026-03-06T17:30:00+01:00");
    assert_eq!(cal.working_between(monday, friday_end).unwrap(), hours(40));
    assert_eq!(cal.working_between(friday_end, monday).unwrap(), TimeDelta::zero());
    assert_eq!(cal.working_between(monday, monday).unwrap(), TimeDelta::zero());
    // 2026: 261 weekdays, 8 of the 10 holidays on weekdays (15 Aug and 1 Nov are weekend).
    let year = cal.working_between(at("2026-01-01T00:00:00+01:00"), at("2027-01-01T00:00:00+01:00"));
    assert_eq!(year.unwrap(), hours(8 * (261 - 8)));
}

#[test]
fn dst_weekends_with_office_hours() {
    let cal = office();
    // Spring forward on Sunday 2026-03-29: Friday 17:00 CET + 1 h = Monday 09:00 CEST.
    let friday = at("2026-03-27T17:00:00+01:00");
    assert_eq!(brussels(cal.add_working(friday, hours(1)).unwrap()), "2026-03-30T09:00:00+02:00");
    let week = cal.working_between(at("2026-03-23T00:00:00+01:00"), at("2026-04-03T00:00:00+02:00"));
    assert_eq!(week.unwrap(), hours(72));
    // Fall back on Sunday 2026-10-25.
    let friday = at("2026-10-23T17:00:00+02:00");
    assert_eq!(brussels(cal.add_working(friday, hours(1)).unwrap()), "2026-10-26T09:00:00+01:00");
}

#[test]
fn dst_days_last_23_and_25_hours() {
    let cal = Calendar::new(office_and_sunday()).unwrap();
    let spring = (at("2026-03-29T00:00:00+01:00"), at("2026-03-30T00:00:00+02:00"));
    assert_eq!(cal.working_between(spring.0, spring.1).unwrap(), hours(23));
    let autumn = (at("2026-10-25T00:00:00+02:00"), at("2026-10-26T00:00:00+01:00"));
    assert_eq!(cal.working_between(autumn.0, autumn.1).unwrap(), hours(25));
    // The deadline at the end of the Sunday period stays at midnight.
    assert_eq!(cal.add_working(spring.0, hours(23)).unwrap(), spring.1);
    assert_eq!(cal.add_working(autumn.0, hours(25)).unwrap(), autumn.1);
    // Both passes of the repeated hour are working time.
    assert!(cal.is_working_time(at("2026-10-25T02:30:00+02:00")).unwrap());
    assert!(cal.is_working_time(at("2026-10-25T02:30:00+01:00")).unwrap());
    assert_eq!(
        brussels(cal.add_working(at("2026-10-25T01:00:00+02:00"), hours(2)).unwrap()),
        "2026-10-25T02:00:00+01:00"
    );
}

#[test]
fn period_boundaries_in_a_gap_or_a_fold() {
    let mut spec = around_the_clock(Tz::Europe__Brussels);
    spec.week = std::array::from_fn(|_| Vec::new());
    spec.week[6] = vec![period((2, 30), (4, 0))];
    let cal = Calendar::new(spec).unwrap();
    // 02:30 does not exist on 29 March: the period starts at 03:00 CEST.
    let spring = (at("2026-03-29T00:00:00+01:00"), at("2026-03-30T00:00:00+02:00"));
    assert_eq!(cal.working_between(spring.0, spring.1).unwrap(), hours(1));
    assert_eq!(brussels(cal.next_working_instant(spring.0).unwrap()), "2026-03-29T03:00:00+02:00");
    // 02:30 happens twice on 25 October: the period starts at the first one.
    let autumn = (at("2026-10-25T00:00:00+02:00"), at("2026-10-26T00:00:00+01:00"));
    assert_eq!(cal.working_between(autumn.0, autumn.1).unwrap(), TimeDelta::minutes(150));
    assert_eq!(brussels(cal.next_working_instant(autumn.0).unwrap()), "2026-10-25T02:30:00+02:00");
    let normal = (at("2026-03-22T00:00:00+01:00"), at("2026-03-23T00:00:00+01:00"));
    assert_eq!(cal.working_between(normal.0, normal.1).unwrap(), TimeDelta::minutes(90));
}

#[test]
fn ascension_and_whit_monday_are_skipped() {
    let cal = office();
    // Wednesday 13 May 17:00 + 1 h: 0.5 h on Wednesday, Ascension Thursday, 0.5 h on Friday.
    let wednesday = at("2026-05-13T17:00:00+02:00");
    assert_eq!(brussels(cal.add_working(wednesday, hours(1)).unwrap()), "2026-05-15T09:00:00+02:00");
    let friday = at("2026-05-22T17:00:00+02:00");
    assert_eq!(brussels(cal.add_working(friday, hours(1)).unwrap()), "2026-05-26T09:00:00+02:00");
    assert_eq!(cal.is_holiday(date("2026-05-25")).unwrap(), Some(DayOff::Holiday(BelgianHoliday::WhitMonday)));
    assert!(!cal.is_working_day(date("2026-05-14")).unwrap());
}

#[test]
fn closures_are_skipped() {
    let mut spec = CalendarSpec::belgian_office_hours();
    spec.closures = vec![date("2026-12-31"), date("2027-01-02"), date("2026-12-31")];
    let cal = Calendar::new(spec).unwrap();
    // 30th 17:00–17:30, 31st closed, 1st holiday, weekend, 4th 08:30–09:00.
    let deadline = cal.add_working(at("2026-12-30T17:00:00+01:00"), hours(1)).unwrap();
    assert_eq!(brussels(deadline), "2027-01-04T09:00:00+01:00");
    assert_eq!(cal.is_holiday(date("2026-12-31")).unwrap(), Some(DayOff::Closure));
    assert_eq!(cal.is_holiday(date("2027-01-02")).unwrap(), Some(DayOff::Closure));
    assert_eq!(cal.is_holiday(date("2027-01-01")).unwrap(), Some(DayOff::Holiday(BelgianHoliday::NewYear)));
    assert_eq!(cal.is_holiday(date("2026-12-30")).unwrap(), None);
    assert_eq!(cal.is_holiday(date("2027-01-03")).unwrap(), None);
    assert!(cal.is_working_day(date("2026-12-30")).unwrap());
    assert!(!cal.is_working_day(date("2026-12-31")).unwrap());
    assert!(!cal.is_working_day(date("2027-01-03")).unwrap());
}

#[test]
fn no_legal_holidays_rule() {
    let mut spec = CalendarSpec::belgian_office_hours();
    spec.holidays = HolidayRule::None;
    let cal = Calendar::new(spec).unwrap();
    assert!(cal.is_working_day(date("2026-12-25")).unwrap());
    assert_eq!(cal.is_holiday(date("2026-12-25")).unwrap(), None);
}

#[test]
fn working_days_forward_and_back() {
    let cal = office();
    assert_eq!(cal.add_working_days(date("2026-12-24"), 1).unwrap(), date("2026-12-28"));
    assert_eq!(cal.add_working_days(date("2026-12-28"), -1).unwrap(), date("2026-12-24"));
    assert_eq!(cal.add_working_days(date("2026-01-05"), 10).unwrap(), date("2026-01-19"));
    assert_eq!(cal.add_working_days(date("2026-04-01"), 20).unwrap(), date("2026-04-30"));
    assert_eq!(cal.add_working_days(date("2026-04-30"), -20).unwrap(), date("2026-04-01"));
    assert_eq!(cal.add_working_days(date("2026-12-30"), 3).unwrap(), date("2027-01-05"));
    assert_eq!(cal.add_working_days(date("2027-01-05"), -3).unwrap(), date("2026-12-30"));
    // From a day off: Saturday + 1 = Monday, Saturday − 1 = Friday.
    assert_eq!(cal.add_working_days(date("2026-03-07"), 1).unwrap(), date("2026-03-09"));
    assert_eq!(cal.add_working_days(date("2026-03-07"), -1).unwrap(), date("2026-03-06"));
    // n = 0 is the date itself, worked or not.
    assert_eq!(cal.add_working_days(date("2026-03-08"), 0).unwrap(), date("2026-03-08"));
    assert_eq!(cal.add_working_days(date("2200-12-01"), 20).unwrap(), date("2200-12-30"));
    assert_eq!(cal.add_working_days(date("1900-01-31"), -20).unwrap(), date("1900-01-03"));
    // A whole span of years, both ways.
    let far = cal.add_working_days(date("1950-06-01"), 50_000).unwrap();
    assert_eq!(cal.add_working_days(far, -50_000).unwrap(), date("1950-06-01"));
}

#[test]
fn range_errors_at_the_end_of_2200() {
    let cal = office();
    let last_afternoon = at("2200-12-31T16:00:00+01:00");
    assert_eq!(brussels(cal.add_working(last_afternoon, hours(1)).unwrap()), "2200-12-31T17:00:00+01:00");
    assert_eq!(
        cal.add_working(last_afternoon, hours(2)).unwrap_err().to_string(),
        "adding `PT7200S` of working time to `2200-12-31T15:00:00Z` ends after 2200-12-31, the end of the calendar's range"
    );
    assert_eq!(
        cal.next_working_instant(at("2200-12-31T18:00:00+01:00")).unwrap_err().to_string(),
        "no working time after `2200-12-31T17:00:00Z` before 2200-12-31, the end of the calendar's range"
    );
    assert_eq!(
        cal.add_working_days(date("2200-12-31"), 1).unwrap_err().to_string(),
        "1 working days from `2200-12-31` falls outside the calendar's range 1900-01-01..2200-12-31"
    );
    assert!(cal.add_working_days(date("1900-01-02"), -1).is_err());
    assert!(cal.add_working_days(date("2000-01-01"), i64::MAX).is_err());
    assert!(cal.add_working_days(date("2000-01-01"), i64::MIN).is_err());
    assert!(cal.add_working(last_afternoon, TimeDelta::MAX).is_err());
    assert!(cal.add_working(at("1950-01-01T00:00:00Z"), TimeDelta::days(365 * 260)).is_err());
    assert_eq!(
        cal.is_working_day(date("2201-01-03")).unwrap_err().to_string(),
        "date `2201-01-03` is outside the calendar's range 1900-01-01..2200-12-31"
    );
    assert_eq!(
        cal.is_working_time(at("2201-01-01T00:00:00+01:00")).unwrap_err().to_string(),
        "instant `2200-12-31T23:00:00Z` is outside the calendar's range 1900-01-01..2200-12-31 (local time)"
    );
    assert!(cal.is_working_time(at("2200-12-31T23:59:59+01:00")).is_ok());
    assert!(cal.is_working_time(at("1899-12-31T23:59:59+00:00")).is_err());
    assert!(cal.is_holiday(date("1899-12-31")).is_err());
}

#[test]
fn dst_continues_after_2100() {
    // chrono-tz's data stop in 2100; the EU rule (last Sundays of March and October) goes on.
    let cal = Calendar::new(office_and_sunday()).unwrap();
    let spring = (at("2150-03-29T00:00:00+01:00"), at("2150-03-30T00:00:00+02:00"));
    assert_eq!(cal.working_between(spring.0, spring.1).unwrap(), hours(23));
    assert_eq!(cal.add_working(spring.0, hours(23)).unwrap(), spring.1);
    let autumn = (at("2150-10-25T00:00:00+02:00"), at("2150-10-26T00:00:00+01:00"));
    assert_eq!(cal.working_between(autumn.0, autumn.1).unwrap(), hours(25));
    assert_eq!(cal.add_working(autumn.0, hours(25)).unwrap(), autumn.1);
    // 2100, right after chrono-tz's last transition (October 2099).
    let spring = (at("2100-03-28T00:00:00+01:00"), at("2100-03-29T00:00:00+02:00"));
    assert_eq!(cal.working_between(spring.0, spring.1).unwrap(), hours(23));
    assert_eq!(cal.add_working(spring.0, hours(23)).unwrap(), spring.1);
    assert_eq!(cal.next_working_instant(at("2150-07-06T00:00:00Z")).unwrap(), at("2150-07-06T06:30:00Z"));
    assert_eq!(cal.next_working_instant(at("2200-07-01T00:00:00Z")).unwrap(), at("2200-07-01T06:30:00Z"));
}

#[test]
fn half_hour_dst_continues_after_2100() {
    // Lord Howe Island shifts by 30 minutes; expected days from Python's zoneinfo.
    let cal = Calendar::new(around_the_clock(Tz::Australia__Lord_Howe)).unwrap();
    for (from, to, length) in [
        ("2150-10-04T00:00:00+10:30", "2150-10-05T00:00:00+11:00", TimeDelta::minutes(23 * 60 + 30)),
        ("2151-04-04T00:00:00+11:00", "2151-04-05T00:00:00+10:30", TimeDelta::minutes(24 * 60 + 30)),
        ("2199-10-06T00:00:00+10:30", "2199-10-07T00:00:00+11:00", TimeDelta::minutes(23 * 60 + 30)),
    ] {
        assert_eq!(cal.working_between(at(from), at(to)).unwrap(), length, "{from}");
    }
}

#[test]
fn calendar_is_shared_between_threads() {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<Calendar>();
    let cal = Arc::new(office());
    let starts: Vec<DateTime<Utc>> = (0..8).map(|i| at(&format!("{}-06-01T10:00:00Z", 1990 + 13 * i))).collect();
    let expected: Vec<_> = {
        let fresh = office();
        starts.iter().map(|&t| fresh.add_working(t, hours(2_000)).unwrap()).collect()
    };
    let handles: Vec<_> = starts
        .iter()
        .map(|&t| {
            let cal = Arc::clone(&cal);
            std::thread::spawn(move || cal.add_working(t, hours(2_000)).unwrap())
        })
        .collect();
    let got: Vec<_> = handles.into_iter().map(|h| h.join().unwrap()).collect();
    assert_eq!(got, expected);
}

// ----- properties -----

/// A deterministic generator (SplitMix64) so failures reproduce.
struct Samples(u64);

impl Samples {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: u64) -> i64 {
        i64::try_from(self.next() % n).unwrap()
    }

    fn instant(&mut self, from: &str, to: &str) -> DateTime<Utc> {
        let (from, to) = (at(from).timestamp(), at(to).timestamp());
        let secs = from + self.below(u64::try_from(to - from).unwrap());
        // Mostly whole minutes (period boundaries are hit), sometimes nanoseconds.
        let secs = if self.below(2) == 0 { secs - secs.rem_euclid(60) } else { secs };
        let nanos = if self.below(4) == 0 { u32::try_from(self.below(1_000_000_000)).unwrap() } else { 0 };
        DateTime::from_timestamp(secs, nanos).unwrap()
    }
}

#[test]
fn working_between_inverts_add_working() {
    let mut samples = Samples(2026);
    for spec in [CalendarSpec::belgian_office_hours(), office_and_sunday()] {
        let cal = Calendar::new(spec).unwrap();
        for _ in 0..300 {
            let t = samples.instant("2025-01-01T00:00:00Z", "2028-01-01T00:00:00Z");
            let d = match samples.below(3) {
                0 => TimeDelta::minutes(samples.below(60 * 16) + 1),
                1 => TimeDelta::seconds(samples.below(3_600 * 3_000) + 1),
                _ => TimeDelta::nanoseconds(samples.below(3_600 * 1_000_000_000_000) + 1),
            };
            let deadline = cal.add_working(t, d).unwrap();
            assert_eq!(cal.working_between(t, deadline).unwrap(), d, "from {t} + {d}");
            let just_before = deadline - TimeDelta::nanoseconds(1);
            assert!(cal.working_between(t, just_before).unwrap() < d, "from {t} + {d}");
            // The deadline is working time or the end of a period.
            assert!(
                cal.is_working_time(deadline).unwrap() || cal.is_working_time(just_before).unwrap(),
                "from {t} + {d}: {deadline}"
            );
            let start = cal.next_working_instant(t).unwrap();
            assert_eq!(cal.working_between(t, start).unwrap(), TimeDelta::zero());
            assert!(cal.is_working_time(start).unwrap());
        }
    }
}

#[test]
fn working_days_roundtrip() {
    let cal = office();
    let mut samples = Samples(7);
    for _ in 0..300 {
        let day = date("1901-01-01") + Days::new(u64::try_from(samples.below(365 * 298)).unwrap());
        let n = samples.below(600) + 1;
        let later = cal.add_working_days(day, n).unwrap();
        assert!(cal.is_working_day(later).unwrap());
        let back = cal.add_working_days(later, -n).unwrap();
        // Back lands on `day` if it is worked, else on the last working day before it.
        let expected = if cal.is_working_day(day).unwrap() { day } else { cal.add_working_days(day, -1).unwrap() };
        assert_eq!(back, expected, "{day} + {n}");
    }
}

/// Working time in `[a, b)` by converting every period of every day with chrono-tz: slow,
/// table-free, and with its own gap rule (walk forward minute by minute).
fn reference_between(spec: &CalendarSpec, a: DateTime<Utc>, b: DateTime<Utc>) -> TimeDelta {
    let tz = spec.timezone;
    let resolve = |naive: NaiveDateTime| -> DateTime<Utc> {
        let mut local = naive;
        loop {
            match tz.from_local_datetime(&local) {
                LocalResult::Single(t) => return t.with_timezone(&Utc),
                LocalResult::Ambiguous(x, y) => return x.min(y).with_timezone(&Utc),
                LocalResult::None => local += TimeDelta::minutes(1),
            }
        }
    };
    let mut total = TimeDelta::zero();
    let mut day = a.with_timezone(&tz).date_naive().pred_opt().unwrap();
    let last = b.with_timezone(&tz).date_naive().succ_opt().unwrap();
    while day <= last {
        let off = spec.closures.contains(&day)
            || (spec.holidays == HolidayRule::Belgium
                && belgian_holidays(day.year()).unwrap().iter().any(|h| h.date == day));
        let weekday = usize::try_from(day.weekday().num_days_from_monday()).unwrap();
        for p in spec.week.get(weekday).unwrap().iter().filter(|_| !off) {
            let start = resolve(day.and_time(p.start));
            let end = if p.end == chrono::NaiveTime::MIN {
                resolve(day.succ_opt().unwrap().and_time(p.end))
            } else {
                resolve(day.and_time(p.end))
            };
            let (s, e) = (start.max(a), end.min(b));
            if e > s {
                total += e - s;
            }
        }
        day = day.succ_opt().unwrap();
    }
    total
}

#[test]
fn working_between_matches_a_slow_reference() {
    let mut lunch_and_evening = around_the_clock(Tz::Australia__Lord_Howe);
    lunch_and_evening.week[6] = vec![period((1, 45), (2, 15)), period((13, 0), (23, 0))];
    let specs = [
        CalendarSpec::belgian_office_hours(),
        office_and_sunday(),
        // DST at midnight (until 2019).
        around_the_clock(Tz::America__Sao_Paulo),
        // A 30-minute DST shift at 02:00.
        lunch_and_evening,
    ];
    let mut samples = Samples(1900);
    for spec in specs {
        let cal = Calendar::new(spec.clone()).unwrap();
        for _ in 0..150 {
            let a = samples.instant("1900-01-02T00:00:00Z", "2099-12-01T00:00:00Z");
            let b = a + TimeDelta::seconds(samples.below(40 * 86_400));
            assert_eq!(
                cal.working_between(a, b).unwrap(),
                reference_between(&spec, a, b),
                "{} from {a} to {b}",
                spec.timezone
            );
        }
    }
}

// ----- config -----

const EXAMPLE: &str = r#"
timezone: Europe/Brussels
holidays: belgium
week:
  monday: ["08:30-12:30", "13:30-17:30"]
  tuesday: ["08:30-12:30", "13:30-17:30"]
  wednesday: ["08:30-12:30", "13:30-17:30"]
  thursday: ["08:30-12:30", "13:30-17:30"]
  friday: ["08:30-12:30", "13:30-17:30"]
closures: [2026-12-31, 2027-01-02]
"#;

fn config_error(yaml: &str) -> String {
    missions_base::yaml::decode::<CalendarConfig>(yaml).unwrap().to_spec().unwrap_err().to_string()
}

fn with_week(week: &str) -> String {
    format!("timezone: Europe/Brussels\nholidays: none\nweek:\n{week}\n")
}

#[test]
fn config_example_is_belgian_office_hours_with_closures() {
    let spec = missions_base::yaml::decode::<CalendarConfig>(EXAMPLE).unwrap().to_spec().unwrap();
    let mut expected = CalendarSpec::belgian_office_hours();
    expected.closures = vec![date("2026-12-31"), date("2027-01-02")];
    assert_eq!(spec, expected);
}

#[test]
fn config_midnight_and_seconds() {
    let yaml = with_week("  sunday: [\"00:00-24:00\"]\n  monday: [\"8:00-12:00\", \"22:00 - 24:00\"]");
    let spec = missions_base::yaml::decode::<CalendarConfig>(&yaml).unwrap().to_spec().unwrap();
    assert_eq!(spec.week[6], [period((0, 0), (24, 0))]);
    assert_eq!(spec.week[0], [period((8, 0), (12, 0)), period((22, 0), (24, 0))]);
    assert_eq!(spec.week[0][1].to_string(), "22:00-24:00");
}

#[test]
fn config_errors_say_what_and_how() {
    assert_eq!(
        config_error(&EXAMPLE.replace("Europe/Brussels", "Europe/Brusels")),
        "unknown timezone `Europe/Brusels` (did you mean `Europe/Brussels`?): use an IANA name such as `Europe/Brussels`"
    );
    assert_eq!(
        config_error(&EXAMPLE.replace("Europe/Brussels", "Mars/Olympus")),
        "unknown timezone `Mars/Olympus`: use an IANA name such as `Europe/Brussels`"
    );
    assert_eq!(
        config_error(&with_week("  monday: [\"8h30-12:30\"]")),
        "malformed working period `8h30-12:30` on monday: `:` between hours and minutes is missing; write it as `HH:MM-HH:MM`, e.g. `08:30-12:30`"
    );
    assert_eq!(
        config_error(&with_week("  tuesday: [\"08:30\"]")),
        "malformed working period `08:30` on tuesday: `-` between start and end is missing; write it as `HH:MM-HH:MM`, e.g. `08:30-12:30`"
    );
    assert_eq!(
        config_error(&with_week("  monday: [\"08:30-12:75\"]")),
        "malformed working period `08:30-12:75` on monday: minutes go from 00 to 59; write it as `HH:MM-HH:MM`, e.g. `08:30-12:30`"
    );
    assert_eq!(
        config_error(&with_week("  monday: [\"24:00-24:00\"]")),
        "malformed working period `24:00-24:00` on monday: `24:00` can only end a period; write it as `HH:MM-HH:MM`, e.g. `08:30-12:30`"
    );
    assert_eq!(
        config_error(&with_week("  friday: [\"12:30-08:30\"]")),
        "working period `12:30-08:30` on friday ends at or before its start: make the end later than the start (write midnight as `24:00`)"
    );
    assert_eq!(
        config_error(&with_week("  friday: [\"18:00-00:00\"]")),
        "working period `18:00-00:00` on friday ends at or before its start: make the end later than the start (write midnight as `24:00`)"
    );
    assert_eq!(
        config_error(&with_week("  monday: [\"12:00-17:00\", \"08:00-12:30\"]")),
        "working periods `08:00-12:30` and `12:00-17:00` overlap on monday: make them disjoint (a period may start where another ends)"
    );
    assert_eq!(
        config_error(&with_week("  monday: []")),
        "the week has no working time: give at least one day a working period, e.g. `monday: [\"08:30-12:30\"]`"
    );
    assert_eq!(
        config_error(&EXAMPLE.replace("2027-01-02", "2201-01-03")),
        "closure `2201-01-03` is outside the calendar's range 1900-01-01..2200-12-31: remove it or pick a date inside the range"
    );
    assert_eq!(
        config_error(&EXAMPLE.replace("2027-01-02", "02/01/2027")),
        "malformed closure date `02/01/2027`: write it as `YYYY-MM-DD`, e.g. `2026-12-31`"
    );
}

#[test]
fn config_rejects_unknown_fields_and_values() {
    let typo = EXAMPLE.replace("  tuesday:", "  tuesdy:");
    let err = missions_base::yaml::decode::<CalendarConfig>(&typo).unwrap_err().to_string();
    assert!(err.starts_with("week: unknown field `tuesdy`, expected one of `monday`"), "{err}");
    let extra = format!("{EXAMPLE}currency: EUR\n");
    let err = missions_base::yaml::decode::<CalendarConfig>(&extra).unwrap_err().to_string();
    assert!(err.starts_with("unknown field `currency`"), "{err}");
    let rule = EXAMPLE.replace("holidays: belgium", "holidays: france");
    let err = missions_base::yaml::decode::<CalendarConfig>(&rule).unwrap_err().to_string();
    assert!(err.starts_with("holidays: unknown variant `france`, expected `belgium` or `none`"), "{err}");
}

#[test]
fn spec_validation_in_calendar_new() {
    let mut spec = CalendarSpec::belgian_office_hours();
    spec.week[2].push(period((12, 0), (13, 0)));
    assert_eq!(
        Calendar::new(spec).unwrap_err().to_string(),
        "working periods `08:30-12:30` and `12:00-13:00` overlap on wednesday: make them disjoint (a period may start where another ends)"
    );
    let mut spec = CalendarSpec::belgian_office_hours();
    spec.week[0] = vec![WorkPeriod::new(
        chrono::NaiveTime::from_hms_milli_opt(8, 0, 0, 500).unwrap(),
        chrono::NaiveTime::from_hms_opt(9, 0, 0).unwrap(),
    )];
    assert_eq!(
        Calendar::new(spec).unwrap_err().to_string(),
        "working period `08:00-09:00` on monday has a fraction of a second: use whole seconds"
    );
    let mut spec = CalendarSpec::belgian_office_hours();
    spec.closures.push(date("1899-12-31"));
    assert!(matches!(Calendar::new(spec), Err(CalendarError::ClosureOutOfRange { .. })));
    let mut spec = CalendarSpec::belgian_office_hours();
    spec.week = Default::default();
    assert_eq!(Calendar::new(spec).unwrap_err(), CalendarError::NoWorkingTime);
}
