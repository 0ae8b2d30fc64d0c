//! A compiled schema: the type of each field, whether it is optional, its default.

use std::fmt;

use rust_decimal::Decimal;

use crate::value::Node;

/// The text of an enumeration's value as a checked input holds it. A crate picks the form its
/// values take: rules keeps rhai's shared strings, so a typed value is one of them and not a copy.
pub trait Atom: Clone + fmt::Debug + AsRef<str> + for<'a> From<&'a str> {}

impl<T: Clone + fmt::Debug + AsRef<str> + for<'a> From<&'a str>> Atom for T {}

/// A typed field of an input or parameter file.
#[derive(Debug, Clone)]
pub struct Field<S = String> {
    /// Its type.
    pub ty: Type<S>,
    /// Whether it may be left out (or `null`).
    pub optional: bool,
    /// The value it takes when left out.
    pub default: Option<Node>,
    /// Personal data (`personal: true`, e.g. a VAT number): masked before an input is stored.
    pub personal: bool,
    /// What it means (`doc:`), shown by editors and in the published schemas.
    pub doc: Option<String>,
}

impl<S> Field<S> {
    /// A required object with these fields: an entry's input or output, a pack's parameters.
    pub fn object(fields: Vec<(String, Field<S>)>) -> Field<S> {
        Field { ty: Type::Object(fields), optional: false, default: None, personal: false, doc: None }
    }
}

/// The types of the schema language.
#[derive(Debug, Clone)]
pub enum Type<S = String> {
    /// Anything: numbers with a point become decimals, others integers.
    Any,
    /// Text, at most `max_len` characters.
    String {
        /// The most characters.
        max_len: Option<usize>,
    },
    /// `true` or `false`.
    Bool,
    /// A whole number within its bounds.
    Integer {
        /// The smallest allowed.
        min: Option<i64>,
        /// The largest allowed.
        max: Option<i64>,
    },
    /// An exact decimal, written as a string (or a number as written).
    Decimal {
        /// The smallest allowed.
        min: Option<Decimal>,
        /// The largest allowed.
        max: Option<Decimal>,
        /// A bound it must exceed.
        greater_than: Option<Decimal>,
    },
    /// A calendar date, `2026-12-24`.
    Date,
    /// An instant with its offset, RFC 3339.
    Instant,
    /// One of these texts.
    Enum(Vec<S>),
    /// An object with exactly these fields.
    Object(Vec<(String, Field<S>)>),
    /// A list of items of one type.
    List {
        /// The items' type.
        items: Box<Field<S>>,
        /// The fewest items.
        min_items: usize,
        /// The most items.
        max_items: Option<usize>,
    },
    /// An object whose keys are free and whose values have one type.
    MapOf(Box<Field<S>>),
}
