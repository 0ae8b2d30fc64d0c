//! Writing a script's value as JSON text: decimals as strings, dates and instants as ISO 8601 in
//! the pack's timezone, within the sandbox's size limits.

use chrono::{Datelike, SecondsFormat, Timelike};
use chrono_tz::Tz;
use rhai::{Array, Dynamic, ImmutableString, Map};

use crate::error::EvalError;
use crate::limits::ScriptLimits;
use crate::types::{Date, Instant};
use missions_base::json as output;

/// `2026-12-24T16:00:00+01:00`: the instant in the pack's timezone, to the second. Written by
/// hand because evaluations write several instants each and chrono's formatter parses its
/// pattern every time; years outside 0..=9999 go through chrono (tested to agree).
pub(crate) fn format_instant(t: &Instant, tz: Tz) -> String {
    let mut out = String::with_capacity(25);
    push_instant(&mut out, t, tz);
    out
}

/// Append [`format_instant`]'s text to `out`.
fn push_instant(out: &mut String, t: &Instant, tz: Tz) {
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

/// Deepest output a script may return.
const MAX_OUTPUT_DEPTH: usize = 64;

/// Turn a script's value into JSON: decimals become strings, dates and instants ISO 8601 text.
/// Why a script's value has no JSON form.
#[derive(Debug)]
pub(crate) enum OutputError {
    /// Not representable (a function pointer, an unknown type, nesting too deep).
    Invalid { path: String, message: String },
    /// Larger than the sandbox allows. rhai does not check every way a map can grow (index
    /// assignment inside nested blocks escapes it), so sizes are checked again on the way out.
    Limit { limit: &'static str, what: String },
}

/// An output error before its path is known: the path is built while unwinding, so a successful
/// conversion spends nothing on it.
struct Unplaced {
    /// Path segments, innermost first.
    segments: Vec<String>,
    kind: Problem,
}

enum Problem {
    Invalid(String),
    Limit(&'static str, String),
}

impl Unplaced {
    fn new(kind: Problem) -> Self {
        Self { segments: Vec::new(), kind }
    }

    fn within(mut self, segment: String) -> Self {
        self.segments.push(segment);
        self
    }

    fn place(self, root: &str) -> OutputError {
        let mut path = root.to_owned();
        for seg in self.segments.iter().rev() {
            if !seg.starts_with('[') && !path.is_empty() {
                path.push('.');
            }
            path.push_str(seg);
        }
        match self.kind {
            Problem::Invalid(message) => OutputError::Invalid { path, message },
            Problem::Limit(limit, what) => OutputError::Limit { limit, what: format!("{what} at `{path}`") },
        }
    }
}

/// Turn a script's value into JSON, enforcing `limits` on every string, array and map.
/// `root` names the value in error paths (empty for an entry's output).
pub(crate) fn to_json(
    v: &Dynamic,
    tz: Tz,
    limits: &ScriptLimits,
    root: &str,
) -> Result<serde_json::Value, OutputError> {
    let mut out = String::new();
    write_json(v, tz, limits, root, &mut out)?;
    serde_json::from_str(&out).map_err(|e| OutputError::Invalid { path: root.to_owned(), message: e.to_string() })
}

/// Append the JSON text of a script's value to `out`: decimals as strings, dates and instants in
/// ISO 8601, map keys sorted. A value with no JSON form, or over the pack's size limits, is an
/// error naming its path under `root`.
pub(crate) fn write_json(
    v: &Dynamic,
    tz: Tz,
    limits: &ScriptLimits,
    root: &str,
    out: &mut String,
) -> Result<(), OutputError> {
    write(v, tz, limits, 0, out).map_err(|e| e.place(root))
}

fn write(v: &Dynamic, tz: Tz, limits: &ScriptLimits, depth: usize, out: &mut String) -> Result<(), Unplaced> {
    if depth > MAX_OUTPUT_DEPTH {
        return Err(Unplaced::new(Problem::Invalid(format!("output nests deeper than {MAX_OUTPUT_DEPTH} levels"))));
    }
    if v.is_unit() {
        out.push_str("null");
    } else if let Ok(b) = v.as_bool() {
        out.push_str(if b { "true" } else { "false" });
    } else if let Ok(i) = v.as_int() {
        output::push_int(out, i);
    } else if let Ok(d) = v.as_decimal() {
        output::push_decimal_str(out, d);
    } else if let Some(text) = v.read_lock::<ImmutableString>() {
        if text.len() > limits.max_string_size {
            return Err(Unplaced::new(Problem::Limit(
                "max_string_size",
                format!("a string of {} bytes exceeds {}", text.len(), limits.max_string_size),
            )));
        }
        output::push_str(out, text.as_str());
    } else if let Some(d) = v.read_lock::<Date>() {
        output::push_str(out, &format_date(d.0));
    } else if let Some(t) = v.read_lock::<Instant>() {
        // Digits, signs and separators only: nothing to escape.
        out.push('"');
        push_instant(out, &t, tz);
        out.push('"');
    } else if let Some(arr) = v.read_lock::<Array>() {
        if arr.len() > limits.max_array_size {
            return Err(Unplaced::new(Problem::Limit(
                "max_array_size",
                format!("an array of {} elements exceeds {}", arr.len(), limits.max_array_size),
            )));
        }
        out.push('[');
        for (i, item) in arr.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            write(item, tz, limits, depth + 1, out).map_err(|e| e.within(format!("[{i}]")))?;
        }
        out.push(']');
    } else if let Some(map) = v.read_lock::<Map>() {
        if map.len() > limits.max_map_size {
            return Err(Unplaced::new(Problem::Limit(
                "max_map_size",
                format!("a map of {} entries exceeds {}", map.len(), limits.max_map_size),
            )));
        }
        let mut object = output::Object::open(out);
        for (k, item) in map.iter() {
            write(item, tz, limits, depth + 1, object.key(k)).map_err(|e| e.within(k.to_string()))?;
        }
        object.close();
    } else {
        return Err(Unplaced::new(Problem::Invalid(format!(
            "a script returned a value of type `{}`, which has no JSON form",
            v.type_name()
        ))));
    }
    Ok(())
}

impl From<OutputError> for EvalError {
    fn from(e: OutputError) -> Self {
        match e {
            OutputError::Invalid { path, message } => EvalError::Output { path, message },
            OutputError::Limit { limit, what } => EvalError::Limit { limit, what },
        }
    }
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
