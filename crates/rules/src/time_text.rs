//! Dates and instants as text: ISO 8601, instants in the pack's timezone to the second. Outputs,
//! messages and scripts' `to_string` all write them so.

use chrono::{Datelike, SecondsFormat, Timelike};
use chrono_tz::Tz;

use crate::types::Instant;

/// `2026-12-24T16:00:00+01:00`: the instant in the pack's timezone, to the second. Written by
/// hand because evaluations write several instants each and chrono's formatter parses its
/// pattern every time; years outside 0..=9999 go through chrono (tested to agree).
pub(crate) fn format_instant(t: &Instant, tz: Tz) -> String {
    let mut out = String::with_capacity(25);
    push_instant(&mut out, t, tz);
    out
}

/// Append [`format_instant`]'s text to `out`.
pub(crate) fn push_instant(out: &mut String, t: &Instant, tz: Tz) {
    use chrono::Offset;
    let local = t.0.with_timezone(&tz);
    let offset = local.offset().fix().local_minus_utc();
    let naive = local.naive_local();
    if !(0..=9999).contains(&naive.year()) || offset % 60 != 0 {
        out.push_str(&local.to_rfc3339_opts(SecondsFormat::Secs, false));
        return;
    }
    // Filled in place, then appended at once: 25 ASCII bytes.
    let mut text = *b"0000-00-00T00:00:00+00:00";
    let year = naive.year().unsigned_abs();
    let minutes = offset.unsigned_abs() / 60;
    let fields = [
        (0, year / 100),
        (2, year % 100),
        (5, naive.month()),
        (8, naive.day()),
        (11, naive.hour()),
        (14, naive.minute()),
        (17, naive.second()),
        (20, minutes / 60),
        (23, minutes % 60),
    ];
    for (at, n) in fields {
        two_digits(&mut text, at, n);
    }
    if offset < 0 {
        text[19] = b'-';
    }
    match std::str::from_utf8(&text) {
        Ok(text) => out.push_str(text),
        // Digits and separators only: always UTF-8.
        Err(_) => out.push_str(&local.to_rfc3339_opts(SecondsFormat::Secs, false)),
    }
}

/// The two digits of `n` (below 100) at `at` of `text`.
fn two_digits(text: &mut [u8; 25], at: usize, n: u32) {
    if let Some(pair) = text.get_mut(at..at + 2) {
        pair[0] = b'0' + (n / 10 % 10) as u8;
        pair[1] = b'0' + (n % 10) as u8;
    }
}

/// `2026-12-24`, as chrono's `%Y-%m-%d` writes it.
pub(crate) fn format_date(d: chrono::NaiveDate) -> String {
    if !(0..=9999).contains(&d.year()) {
        return d.format("%Y-%m-%d").to_string();
    }
    let mut out = String::with_capacity(10);
    push_date(&mut out, d);
    out
}

/// A date of year 0..=9999 as `YYYY-MM-DD`.
fn push_date(out: &mut String, d: chrono::NaiveDate) {
    let y = d.year().unsigned_abs();
    push_2(out, y / 100);
    push_2(out, y % 100);
    out.push('-');
    push_2(out, d.month());
    out.push('-');
    push_2(out, d.day());
}

/// Two digits of `n` (below 100).
fn push_2(out: &mut String, n: u32) {
    out.push(char::from(b'0' + (n / 10 % 10) as u8));
    out.push(char::from(b'0' + (n % 10) as u8));
}

#[cfg(test)]
mod tests {
    use chrono::{DateTime, NaiveDate, TimeDelta, Utc};

    use super::*;

    /// The hand-written formatters agree with chrono's over DST changes, offsets on both sides
    /// of UTC (and a half-hour one), and years at the edges of four digits.
    #[test]
    fn instants_and_dates_are_written_as_chrono_writes_them() {
        let zones =
            [chrono_tz::Europe::Brussels, chrono_tz::America::New_York, chrono_tz::Asia::Kolkata, chrono_tz::UTC];
        let starts = ["2026-03-28T22:00:00Z", "2026-10-24T23:59:59Z", "0000-01-02T00:00:00Z", "9999-12-30T23:00:00Z"];
        for start in starts {
            let start: DateTime<Utc> = start.parse().unwrap();
            for step in 0..200 {
                let t = start + TimeDelta::minutes(step * 37);
                for tz in zones {
                    let want = t.with_timezone(&tz).to_rfc3339_opts(SecondsFormat::Secs, false);
                    assert_eq!(format_instant(&Instant(t), tz), want);
                    let day = t.with_timezone(&tz).date_naive();
                    assert_eq!(format_date(day), day.format("%Y-%m-%d").to_string());
                }
            }
        }
        for d in [NaiveDate::from_ymd_opt(-1, 12, 31), NaiveDate::from_ymd_opt(10000, 1, 1)] {
            let d = d.unwrap();
            assert_eq!(format_date(d), d.format("%Y-%m-%d").to_string());
        }
    }
}
