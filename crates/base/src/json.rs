//! JSON written by hand, and an evaluation's output as JSON text: written straight from the
//! script's values and the engine's invoice, with no intermediate JSON tree. Callers that send the result on (the HTTP
//! host, `--json`) use the text as it is; callers that inspect it get a [`serde_json::Value`],
//! parsed once, on first use.
//!
//! Keys are written in sorted order, as a `serde_json::Value` would write them, so the text is
//! the same whichever way a caller reads the output.

use std::fmt::{self, Write as _};
use std::ops::Deref;
use std::sync::OnceLock;

use rust_decimal::Decimal;
use serde::{Serialize, Serializer};
use serde_json::Value;

/// An entry's output: compact JSON text, and its [`Value`] once asked for.
///
/// It dereferences to the [`Value`], so `output["total"]` reads a field.
#[derive(Clone)]
pub struct Output {
    text: String,
    value: OnceLock<Value>,
}

impl Output {
    /// Wrap JSON text the engine wrote.
    pub fn from_text(text: String) -> Output {
        Output { text, value: OnceLock::new() }
    }

    /// The output as compact JSON text.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The output as a JSON value (parsed on first use, then kept).
    pub fn value(&self) -> &Value {
        // The engine wrote the text; it is valid JSON (tested), so `Null` is never seen.
        self.value.get_or_init(|| serde_json::from_str(&self.text).unwrap_or(Value::Null))
    }

    /// The output as a JSON value.
    pub fn into_value(self) -> Value {
        match self.value.into_inner() {
            Some(v) => v,
            None => serde_json::from_str(&self.text).unwrap_or(Value::Null),
        }
    }

    /// The output as compact JSON text.
    pub fn into_string(self) -> String {
        self.text
    }
}

impl Deref for Output {
    type Target = Value;

    fn deref(&self) -> &Value {
        self.value()
    }
}

impl PartialEq for Output {
    fn eq(&self, other: &Output) -> bool {
        self.text == other.text || self.value() == other.value()
    }
}

impl PartialEq<Value> for Output {
    fn eq(&self, other: &Value) -> bool {
        self.value() == other
    }
}

impl fmt::Debug for Output {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Output").field(&self.text).finish()
    }
}

impl fmt::Display for Output {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl Serialize for Output {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.value().serialize(serializer)
    }
}

/// A JSON string literal of `s`, escaped exactly as `serde_json` escapes it.
pub fn push_str(out: &mut String, s: &str) {
    out.push('"');
    push_str_content(out, s);
    out.push('"');
}

/// The inside of a JSON string literal of `s`, escaped as [`push_str`] escapes it.
pub fn push_str_content(out: &mut String, s: &str) {
    // Labels are long and almost never need escaping: test 16 bytes at a time, branch-free.
    let (chunks, tail) = s.as_bytes().as_chunks::<16>();
    let clean = chunks.iter().all(|chunk| !chunk.iter().fold(false, |acc, &b| acc | needs_escape(b)))
        && !tail.iter().any(|&b| needs_escape(b));
    if clean {
        out.push_str(s);
    } else {
        push_escaped(out, s);
    }
}

fn needs_escape(b: u8) -> bool {
    (b < 0x20) | (b == b'"') | (b == b'\\')
}

fn push_escaped(out: &mut String, s: &str) {
    let mut start = 0;
    for (i, b) in s.bytes().enumerate() {
        let escape = match b {
            b'"' => "\\\"",
            b'\\' => "\\\\",
            b'\n' => "\\n",
            b'\r' => "\\r",
            b'\t' => "\\t",
            0x08 => "\\b",
            0x0c => "\\f",
            0..=0x1f => "",
            _ => continue,
        };
        out.push_str(&s[start..i]);
        if escape.is_empty() {
            let _ = write!(out, "\\u{b:04x}");
        } else {
            out.push_str(escape);
        }
        start = i + 1;
    }
    out.push_str(&s[start..]);
}

/// A JSON string literal of a decimal (`"12.50"`).
pub fn push_decimal_str(out: &mut String, d: Decimal) {
    out.push('"');
    push_decimal(out, d, '.');
    out.push('"');
}

/// `d` as `Decimal`'s `Display` writes it (`-0.05`, `1250.00`), with `point` as the decimal
/// separator. Written from the mantissa: the formatter machinery cost more than the digits.
pub fn push_decimal(out: &mut String, d: Decimal, point: char) {
    let mut digits = [0u8; 40];
    let len = digits_of(d.mantissa().unsigned_abs(), &mut digits);
    let scale = d.scale() as usize;
    // At least one digit before the point.
    let whole = len.saturating_sub(scale).max(1);
    out.reserve(whole + scale + 2);
    if d.is_sign_negative() {
        out.push('-');
    }
    for i in (0..whole + scale).rev() {
        out.push(char::from(if i < len { digits[i] } else { b'0' }));
        if i == scale && scale > 0 {
            out.push(point);
        }
    }
}

/// The decimal digits of `n`, least significant first; returns how many.
fn digits_of(n: u128, digits: &mut [u8; 40]) -> usize {
    // Money fits in 64 bits, whose division is far cheaper than 128-bit division.
    match u64::try_from(n) {
        Ok(n) => digits_in(n, digits),
        Err(_) => digits_in(n, digits),
    }
}

fn digits_in<T>(mut n: T, digits: &mut [u8; 40]) -> usize
where
    T: Copy + PartialEq + From<u8> + std::ops::Div<Output = T> + std::ops::Rem<Output = T>,
    u8: TryFrom<T>,
{
    let (zero, ten) = (T::from(0), T::from(10));
    let mut len = 0;
    loop {
        digits[len] = b'0' + u8::try_from(n % ten).unwrap_or_default();
        n = n / ten;
        len += 1;
        if n == zero {
            return len;
        }
    }
}

/// `i` as `i64`'s `Display` writes it.
pub fn push_int(out: &mut String, i: i64) {
    let mut digits = [0u8; 40];
    let len = digits_in(i.unsigned_abs(), &mut digits);
    if i < 0 {
        out.push('-');
    }
    out.extend(digits[..len].iter().rev().map(|&b| char::from(b)));
}

/// A JSON array of `items`, each written by `write`, with the commas between them.
pub fn push_array<T>(out: &mut String, items: &[T], mut write: impl FnMut(&mut String, &T)) {
    out.push('[');
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        write(out, item);
    }
    out.push(']');
}

/// Writes the members of one JSON object, with the commas between them.
#[derive(Debug)]
pub struct Object<'a> {
    out: &'a mut String,
    first: bool,
}

impl<'a> Object<'a> {
    /// Open an object in `out`.
    pub fn open(out: &'a mut String) -> Object<'a> {
        out.push('{');
        Object { out, first: true }
    }

    /// Start the member `key`; write its value into the returned buffer next.
    pub fn key(&mut self, key: &str) -> &mut String {
        if !self.first {
            self.out.push(',');
        }
        self.first = false;
        self.out.reserve(key.len() + 3);
        push_str(self.out, key);
        self.out.push(':');
        self.out
    }

    /// A member whose value is a JSON string.
    pub fn str(&mut self, key: &str, value: &str) {
        push_str(self.key(key), value);
    }

    /// A member whose value is a decimal, as a JSON string.
    pub fn decimal(&mut self, key: &str, value: Decimal) {
        push_decimal_str(self.key(key), value);
    }

    /// Close the object.
    pub fn close(self) {
        self.out.push('}');
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_are_escaped_as_serde_json_escapes_them() {
        let samples = [
            "",
            "plain",
            "quote \" and backslash \\",
            "line\nfeed\r\ttab",
            "\u{8}\u{c}\u{0}\u{1f}\u{7f}",
            "accents éèà, ß, 日本, emoji 🎉",
            "slash / stays",
        ];
        for s in samples {
            let mut out = String::new();
            push_str(&mut out, s);
            assert_eq!(out, serde_json::to_string(s).unwrap(), "{s:?}");
        }
        // Short, and in a 16-byte block or in the tail of a long text.
        let pad = "0123456789abcdef";
        for c in (0u32..0x80).filter_map(char::from_u32) {
            for s in [format!("a{c}b"), format!("{pad}{c}{pad}{pad}"), format!("{pad}{pad}x{c}")] {
                let mut out = String::new();
                push_str(&mut out, &s);
                assert_eq!(out, serde_json::to_string(&s).unwrap(), "{c:?}");
            }
        }
    }

    #[test]
    fn integers_are_written_as_display_writes_them() {
        for i in [0, 1, -1, 9, 10, -10, 12345, i64::MAX, i64::MIN, i64::MIN + 1] {
            let mut out = String::new();
            push_int(&mut out, i);
            assert_eq!(out, i.to_string());
        }
    }

    #[test]
    fn decimals_are_written_as_display_writes_them() {
        let mut values = vec![Decimal::ZERO, -Decimal::new(0, 2), Decimal::MAX, Decimal::MIN, Decimal::new(1, 28)];
        let mut x: i64 = 1;
        for scale in 0..12 {
            for m in [0, 1, 5, 9, 10, 99, 100, 12345, 1_000_000, 987_654_321_012] {
                values.push(Decimal::new(m, scale));
                values.push(Decimal::new(-m, scale));
            }
            // A cheap deterministic spread of mantissas.
            x = x.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            values.push(Decimal::new(x, scale));
        }
        for d in values {
            let mut out = String::new();
            push_decimal(&mut out, d, '.');
            assert_eq!(out, d.to_string(), "{d:?}");
            let mut comma = String::new();
            push_decimal(&mut comma, d, ',');
            assert_eq!(comma, d.to_string().replace('.', ","));
        }
    }

    #[test]
    fn objects_have_commas_between_members_only() {
        let mut out = String::new();
        let mut o = Object::open(&mut out);
        o.str("a", "x");
        o.decimal("b", Decimal::new(1250, 2));
        o.key("c").push_str("[]");
        o.close();
        assert_eq!(out, r#"{"a":"x","b":"12.50","c":[]}"#);
        let mut empty = String::new();
        Object::open(&mut empty).close();
        assert_eq!(empty, "{}");
    }

    #[test]
    fn an_output_reads_as_its_value() {
        let out = Output::from_text(r#"{"total":"12.50","lines":[1,2]}"#.to_owned());
        assert_eq!(out["total"], "12.50");
        assert_eq!(out, serde_json::json!({"lines": [1, 2], "total": "12.50"}));
        assert_eq!(serde_json::to_string(&out).unwrap(), r#"{"lines":[1,2],"total":"12.50"}"#);
        assert_eq!(out.clone().into_value()["lines"][1], 2);
    }
}
