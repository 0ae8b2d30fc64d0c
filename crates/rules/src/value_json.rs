//! Writing a script's value as JSON text: decimals as strings, dates and instants as ISO 8601 in
//! the pack's timezone, within the sandbox's size limits.

use chrono_tz::Tz;
use rhai::{Array, Dynamic, ImmutableString, Map};

use crate::error::EvalError;
use crate::limits::ScriptLimits;
use crate::time_text::{format_date, push_instant};
use crate::types::{Date, Instant};
use missions_base::json as output;

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
    // Each kind asked first, cheaply: reading a value as the wrong kind builds an error.
    } else if v.is_bool()
        && let Ok(b) = v.as_bool()
    {
        out.push_str(if b { "true" } else { "false" });
    } else if v.is_int()
        && let Ok(i) = v.as_int()
    {
        output::push_int(out, i);
    } else if v.is_decimal()
        && let Ok(d) = v.as_decimal()
    {
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
    } else if let Some(c) = v.read_lock::<crate::types::Clock>() {
        // A clock written whole: the object of its properties.
        write(&Dynamic::from_map(crate::types::clock_map(&c)), tz, limits, depth, out)?;
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
