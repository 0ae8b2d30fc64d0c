//! Instants written in RFC 3339. Inputs carry many (a ticket's status changes, each with its
//! `at`), nearly all in one form, `2026-12-24T16:00:00+01:00` or `…Z`: that form is read here
//! digit by digit; any other (fractions of a second, a leap second, a lowercase `t`, a space) goes
//! to chrono's general parser, which also refuses what is not RFC 3339. Both give the same
//! instant for the same text (tested below).

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveTime, Utc};

/// An instant written in RFC 3339 (`2026-12-24T16:00:00+01:00`), in UTC.
pub fn parse_instant(s: &str) -> Option<DateTime<Utc>> {
    common_form(s.as_bytes()).or_else(|| DateTime::parse_from_rfc3339(s).ok().map(|d| d.with_timezone(&Utc)))
}

/// `YYYY-MM-DDTHH:MM:SS` then `Z` or `±HH:MM`, seconds 00 to 59; `None` for anything else.
fn common_form(b: &[u8]) -> Option<DateTime<Utc>> {
    let digits = |from: usize, len: usize| -> Option<u32> {
        b.get(from..from + len)?.iter().try_fold(0u32, |v, &c| c.is_ascii_digit().then(|| v * 10 + u32::from(c - b'0')))
    };
    let is = |i: usize, c: u8| b.get(i) == Some(&c);
    if !(is(4, b'-') && is(7, b'-') && is(10, b'T') && is(13, b':') && is(16, b':')) {
        return None;
    }
    let offset = match b.get(19..)? {
        [b'Z'] => 0i32,
        [sign @ (b'+' | b'-'), _, _, b':', _, _] => {
            let (hours, minutes) = (digits(20, 2)?, digits(23, 2)?);
            if hours > 23 || minutes > 59 {
                return None;
            }
            let secs = i32::try_from(hours * 3600 + minutes * 60).ok()?;
            if *sign == b'-' { -secs } else { secs }
        }
        _ => return None,
    };
    let year = i32::try_from(digits(0, 4)?).ok()?;
    let date = NaiveDate::from_ymd_opt(year, digits(5, 2)?, digits(8, 2)?)?;
    let (hour, minute, second) = (digits(11, 2)?, digits(14, 2)?, digits(17, 2)?);
    if second > 59 {
        return None;
    }
    let local = date.and_time(NaiveTime::from_hms_opt(hour, minute, second)?);
    Some(local.checked_sub_offset(FixedOffset::east_opt(offset)?)?.and_utc())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chrono(s: &str) -> Option<DateTime<Utc>> {
        DateTime::parse_from_rfc3339(s).ok().map(|d| d.with_timezone(&Utc))
    }

    /// Texts of the common form, valid or not by a digit, and texts near it: whenever the quick
    /// reading answers, chrono gives the same instant; every valid common text is read quickly;
    /// and the two together refuse exactly what chrono refuses.
    #[test]
    fn the_quick_reading_agrees_with_chrono() {
        let mut seed: u64 = 20_261_204;
        let mut next = |n: u64| {
            seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
            (seed >> 33) % n
        };
        let (mut quick, mut valid) = (0, 0);
        for _ in 0..100_000 {
            let mut s = format!(
                "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}",
                next(10_000),
                next(14),
                next(33),
                next(26),
                next(62),
                next(62)
            );
            let common = next(4);
            match common {
                0 => s.push('Z'),
                1 => s.push_str(&format!("+{:02}:{:02}", next(26), next(62))),
                2 => s.push_str(&format!("-{:02}:{:02}", next(26), next(62))),
                _ => s.push_str(["", "z", ".5Z", "+0100", "+01:00:00", " ", "+1:00"][next(7) as usize]),
            }
            // Now and then a character changed: a separator, a digit, a letter.
            let changed = next(5) == 0;
            if changed {
                let i = next(s.len() as u64) as usize;
                let c = ['x', '-', ':', 'T', 't', ' ', '9', '0'][next(8) as usize];
                s.replace_range(i..i + 1, &c.to_string());
            }
            let want = chrono(&s);
            let got = common_form(s.as_bytes());
            if got.is_some() {
                quick += 1;
                assert_eq!(got, want, "{s}");
            }
            if want.is_some() && common < 3 && !changed && !s.contains(":60") {
                valid += 1;
                assert!(got.is_some(), "{s} is read by chrono only");
            }
            assert_eq!(parse_instant(&s), want, "{s}");
        }
        assert!(quick > 5_000 && valid > 5_000, "{quick} read quickly, {valid} valid common texts");
        for s in
            ["2026-12-24T16:00:00+01:00", "2026-03-29T02:30:00+02:00", "0000-01-01T00:00:00Z", "2026-12-24t16:00:00z"]
        {
            assert_eq!(parse_instant(s), chrono(s), "{s}");
        }
    }
}
