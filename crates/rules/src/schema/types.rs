//! A compiled schema: the type of each field, whether it is optional, its default.

use rust_decimal::Decimal;

use missions_base::value::Node;

/// A typed field of an input or parameter file.
#[derive(Debug, Clone)]
pub(crate) struct Field {
    pub ty: Type,
    pub optional: bool,
    pub default: Option<Node>,
    /// Personal data (`personal: true`, e.g. a VAT number): masked before an input is stored.
    pub personal: bool,
    /// What it means (`doc:`), shown by editors and in the published schemas.
    pub doc: Option<String>,
}

impl Field {
    /// A required object with these fields: an entry's input or output, a pack's parameters.
    pub(crate) fn object(fields: Vec<(String, Field)>) -> Field {
        Field { ty: Type::Object(fields), optional: false, default: None, personal: false, doc: None }
    }
}

#[derive(Debug, Clone)]
pub(crate) enum Type {
    Any,
    String {
        max_len: Option<usize>,
    },
    Bool,
    Integer {
        min: Option<i64>,
        max: Option<i64>,
    },
    Decimal {
        min: Option<Decimal>,
        max: Option<Decimal>,
        greater_than: Option<Decimal>,
    },
    Date,
    Instant,
    /// Shared strings: a typed value is one of them, not a copy.
    Enum(Vec<rhai::ImmutableString>),
    Object(Vec<(String, Field)>),
    List {
        items: Box<Field>,
        min_items: usize,
        max_items: Option<usize>,
    },
    MapOf(Box<Field>),
}
