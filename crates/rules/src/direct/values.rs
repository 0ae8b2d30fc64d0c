//! rhai's built-in rules on values, as the walk applies them: operators on integers, decimals,
//! strings and booleans, properties, methods, and sizes as rhai counts them against its limits.

use std::any::TypeId;

use rhai::{Array, Dynamic, INT, ImmutableString, Map};
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;

use super::tree::{Method, Op};
use super::{Bail, R};
use crate::helpers::{dates, pricing};
use crate::limits::ScriptLimits;
use crate::money::{self, VatTreatment};
use crate::time_text::format_date;
use crate::types::{Clock, Date, Instant, clock_property};

/// Array items, map entries and string bytes, as rhai counts them against its limits.
pub(super) type Sizes = (usize, usize, usize);

/// The size of a value as rhai counts it against its limits: (array items, map entries, string
/// bytes), all the way down.
pub(super) fn sizes(v: &Dynamic) -> Sizes {
    // The variant tests first: most values are scalars, and a failed `read_lock` of a script
    // type (an instant, a VAT treatment) costs a dynamic type check each time.
    if v.is_array() {
        if let Some(a) = v.read_lock::<Array>() {
            return a.iter().fold((0, 0, 0), |(x, y, z), item| {
                let (a, m, s) = sizes(item);
                (x + 1 + a, y + m, z + s)
            });
        }
    } else if v.is_map() {
        if let Some(map) = v.read_lock::<Map>() {
            return map.values().fold((0, 0, 0), |(x, y, z), item| {
                let (a, m, s) = sizes(item);
                (x + a, y + 1 + m, z + s)
            });
        }
    } else if v.is_string()
        && let Some(s) = v.read_lock::<ImmutableString>()
    {
        return (0, 0, s.len());
    }
    (0, 0, 0)
}

/// A property of a script type (`vat.buyer_vat_number`).
pub(super) fn property(v: &Dynamic, prop: &str, tz: chrono_tz::Tz) -> R<Dynamic> {
    // One look at the value's type, then one read of it.
    let ty = v.type_id();
    if ty == TypeId::of::<Clock>() {
        return clock_property(&*v.read_lock::<Clock>().ok_or(Bail)?, prop).ok_or(Bail);
    }
    if ty == TypeId::of::<Instant>() {
        return dates::instant_property(&*v.read_lock::<Instant>().ok_or(Bail)?, tz, prop).ok_or(Bail);
    }
    if ty == TypeId::of::<Date>() {
        return dates::date_property(&*v.read_lock::<Date>().ok_or(Bail)?, prop).map(Dynamic::from_int).ok_or(Bail);
    }
    if ty == TypeId::of::<VatTreatment>() {
        return pricing::vat_property(&*v.read_lock::<VatTreatment>().ok_or(Bail)?, prop).ok_or(Bail);
    }
    Err(Bail)
}

pub(super) fn set_property(target: &mut Dynamic, prop: &str, value: Dynamic) -> R<()> {
    // The pack's parameters are shared by every evaluation: rhai refuses to change them.
    if target.is_shared() || target.is_read_only() {
        return Err(Bail);
    }
    if let Some(mut map) = target.write_lock::<Map>() {
        // Assignment adds a missing property, as rhai's does (only reading one fails); the caller
        // checks the map's size afterwards, as rhai does.
        map.insert(prop.into(), value);
        return Ok(());
    }
    if let Some(mut line) = target.write_lock::<money::InvoiceLine>() {
        return pricing::set_line_property(&mut line, prop, value).map_err(|_| Bail);
    }
    Err(Bail)
}

/// `x.p.push(item)`: `p` must be a list in the map `x`, neither of them shared or read-only.
pub(super) fn push_property(target: &mut Dynamic, prop: &str, item: Dynamic) -> R<()> {
    if target.is_shared() || target.is_read_only() {
        return Err(Bail);
    }
    let mut map = target.as_map_mut().map_err(|_| Bail)?;
    let list = map.get_mut(prop).ok_or(Bail)?;
    if list.is_shared() || list.is_read_only() {
        return Err(Bail);
    }
    list.as_array_mut().map_err(|_| Bail)?.push(item);
    Ok(())
}

pub(super) fn method(m: Method, v: &Dynamic) -> R<Dynamic> {
    match m {
        Method::Ceiling => v.as_decimal().map(|d| Dynamic::from_decimal(d.ceil())).map_err(|_| Bail),
        Method::Floor => v.as_decimal().map(|d| Dynamic::from_decimal(d.floor())).map_err(|_| Bail),
        Method::ToInt => {
            let d = v.as_decimal().map_err(|_| Bail)?;
            d.to_i64().map(Dynamic::from_int).ok_or(Bail)
        }
        Method::IsEmpty => {
            if let Ok(a) = v.as_array_ref() {
                return Ok(Dynamic::from_bool(a.is_empty()));
            }
            if let Ok(m) = v.as_map_ref() {
                return Ok(Dynamic::from_bool(m.is_empty()));
            }
            v.read_lock::<ImmutableString>().map(|s| Dynamic::from_bool(s.is_empty())).ok_or(Bail)
        }
        Method::ToString => {
            if let Ok(n) = v.as_int() {
                return Ok(Dynamic::from(n.to_string()));
            }
            if v.is_string() {
                return Ok(v.clone());
            }
            if let Some(date) = v.read_lock::<Date>() {
                return Ok(Dynamic::from(format_date(date.0)));
            }
            Err(Bail)
        }
    }
}

/// `s.sub_string(start, len)` counted in characters, for a start and a length that are not
/// negative; rhai's rules for negative ones (from the end, or nothing) are left to rhai.
pub(super) fn sub_string(s: &Dynamic, start: &Dynamic, len: &Dynamic) -> R<Dynamic> {
    let (Ok(start), Ok(len)) = (start.as_int(), len.as_int()) else { return Err(Bail) };
    let (Ok(start), Ok(len)) = (usize::try_from(start), usize::try_from(len)) else { return Err(Bail) };
    let Some(text) = s.read_lock::<ImmutableString>() else { return Err(Bail) };
    Ok(Dynamic::from(text.chars().skip(start).take(len).collect::<String>()))
}

/// What a value is, for the operators rhai builds in.
pub(super) enum Kind<'a> {
    Unit,
    Bool(bool),
    Int(INT),
    Dec(Decimal),
    Str(&'a str),
    /// Maps (`true`) and arrays (`false`): no operator of their own here, but `==` with another
    /// type is `false`.
    Data(bool),
    /// Script types, characters and the rest: rhai may call a registered function.
    Other,
}

pub(super) fn kind<'a>(v: &'a Dynamic, s: &'a Option<impl std::ops::Deref<Target = ImmutableString>>) -> Kind<'a> {
    if let Some(s) = s {
        return Kind::Str(s.as_str());
    }
    if v.is_unit() {
        Kind::Unit
    } else if let Ok(n) = v.as_int() {
        Kind::Int(n)
    } else if let Ok(d) = v.as_decimal() {
        Kind::Dec(d)
    } else if let Ok(b) = v.as_bool() {
        Kind::Bool(b)
    } else if v.is_map() {
        Kind::Data(true)
    } else if v.is_array() {
        Kind::Data(false)
    } else {
        Kind::Other
    }
}

pub(super) fn compare<T: PartialOrd>(op: Op, a: T, b: T) -> Option<Dynamic> {
    Some(Dynamic::from_bool(match op {
        Op::Eq => a == b,
        Op::Ne => a != b,
        Op::Lt => a < b,
        Op::Le => a <= b,
        Op::Gt => a > b,
        Op::Ge => a >= b,
        _ => return None,
    }))
}

/// rhai's two number types, with its checked arithmetic: an overflow or a division by zero is
/// rhai's error to build.
pub(super) trait Number: PartialOrd + Copy + Into<Dynamic> {
    fn checked(self, op: Op, other: Self) -> Option<Self>;
}

macro_rules! number {
    ($t:ty) => {
        impl Number for $t {
            fn checked(self, op: Op, b: Self) -> Option<Self> {
                match op {
                    Op::Add => self.checked_add(b),
                    Op::Sub => self.checked_sub(b),
                    Op::Mul => self.checked_mul(b),
                    Op::Div => self.checked_div(b),
                    Op::Rem => self.checked_rem(b),
                    _ => None,
                }
            }
        }
    };
}
number!(INT);
number!(Decimal);

pub(super) fn number_op<N: Number>(op: Op, a: N, b: N) -> Option<Dynamic> {
    if is_arith(op) { a.checked(op, b).map(Into::into) } else { compare(op, a, b) }
}

/// A binary operator as rhai's built-in operators compute it (rhai uses them, ahead of any
/// registered function, whenever neither side is a script type). Anything else is rhai's.
pub(super) fn binary(op: Op, a: &Dynamic, b: &Dynamic, limits: &ScriptLimits) -> R<Dynamic> {
    let sa = a.read_lock::<ImmutableString>();
    let sb = b.read_lock::<ImmutableString>();
    let value = match (kind(a, &sa), kind(b, &sb)) {
        (Kind::Int(x), Kind::Int(y)) => number_op(op, x, y),
        (Kind::Dec(x), Kind::Dec(y)) => number_op(op, x, y),
        (Kind::Dec(x), Kind::Int(y)) => number_op(op, x, Decimal::from(y)),
        (Kind::Int(x), Kind::Dec(y)) => number_op(op, Decimal::from(x), y),
        (Kind::Bool(x), Kind::Bool(y)) => compare(op, x, y),
        (Kind::Str(x), Kind::Str(y)) => match op {
            Op::Add => {
                let len = x.len() + y.len();
                if limits.max_string_size > 0 && len > limits.max_string_size {
                    return Err(Bail);
                }
                let mut s = String::with_capacity(len);
                s.push_str(x);
                s.push_str(y);
                Some(Dynamic::from(s))
            }
            Op::Sub => None,
            _ => compare(op, x, y),
        },
        (Kind::Unit, Kind::Unit) => (!is_arith(op)).then(|| Dynamic::from_bool(op == Op::Eq)),
        (Kind::Unit, Kind::Str(_)) if op == Op::Add => Some(b.clone()),
        (Kind::Str(_), Kind::Unit) if op == Op::Add => Some(a.clone()),
        (Kind::Other, Kind::Other) => script_types(op, a, b),
        // A date or an instant against `()` (an optional input left out): different types, so
        // rhai says they are not equal. Orderings stay rhai's.
        (Kind::Other, Kind::Unit) | (Kind::Unit, Kind::Other)
            if matches!(op, Op::Eq | Op::Ne) && [a, b].iter().any(|v| v.is::<Date>() || v.is::<Instant>()) =>
        {
            Some(Dynamic::from_bool(op == Op::Ne))
        }
        (Kind::Other, _) | (_, Kind::Other) => None,
        // Two maps or two arrays: rhai calls the registered `==`.
        (Kind::Data(x), Kind::Data(y)) if x == y => None,
        // Two different types, not both numbers: rhai says `!=`, and nothing else holds.
        _ if !is_arith(op) => Some(Dynamic::from_bool(op == Op::Ne)),
        _ => None,
    };
    value.ok_or(Bail)
}

/// The engine's own types, with the operators it registers for them: dates subtract to days and
/// compare, instants compare. Anything else is rhai's.
fn script_types(op: Op, a: &Dynamic, b: &Dynamic) -> Option<Dynamic> {
    if let (Some(x), Some(y)) = (a.read_lock::<Date>(), b.read_lock::<Date>()) {
        return match op {
            Op::Sub => Some(Dynamic::from_int(dates::days_between(*x, *y))),
            _ if is_arith(op) => None,
            _ => compare(op, *x, *y),
        };
    }
    if let (Some(x), Some(y)) = (a.read_lock::<Instant>(), b.read_lock::<Instant>()) {
        return if is_arith(op) { None } else { compare(op, *x, *y) };
    }
    None
}

pub(super) fn is_arith(op: Op) -> bool {
    matches!(op, Op::Add | Op::Sub | Op::Mul | Op::Div | Op::Rem)
}
