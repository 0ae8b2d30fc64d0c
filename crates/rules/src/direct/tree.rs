//! The lowered tree: statements, expressions, operators and the calls bound to Rust functions.

use rhai::{Dynamic, Identifier, Token};

#[derive(Debug)]
pub(super) enum St {
    /// `let x = e;` (a new slot).
    Let(usize, Ex),
    /// `x = e;`
    Set(usize, Ex),
    /// `x op= e;`
    OpSet(usize, Op, Ex),
    /// `x.prop = e;`
    SetProp(usize, Identifier, Ex),
    If(Ex, Vec<St>, Vec<St>),
    While(Ex, Vec<St>),
    For(usize, Ex, Vec<St>),
    Break,
    Continue,
    Return(Ex),
    /// `throw`: rhai builds the error.
    Throw,
    Eval(Ex),
    Block(Vec<St>),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Op {
    Add,
    Sub,
    Mul,
    Div,
    Rem,
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

impl Op {
    pub(super) fn of(token: &Token) -> Option<Op> {
        Some(match token {
            Token::Plus => Op::Add,
            Token::Minus => Op::Sub,
            Token::Multiply => Op::Mul,
            Token::Divide => Op::Div,
            Token::Modulo => Op::Rem,
            Token::EqualsTo => Op::Eq,
            Token::NotEqualsTo => Op::Ne,
            Token::LessThan => Op::Lt,
            Token::LessThanEqualsTo => Op::Le,
            Token::GreaterThan => Op::Gt,
            Token::GreaterThanEqualsTo => Op::Ge,
            _ => return None,
        })
    }
}

/// The functions a lowered entry may call, each bound to the Rust code rhai calls for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Func {
    InvoiceLine,
    Note,
    VatRegime,
    RoundMoney,
    Trace,
    /// `reject(…)` always ends the evaluation with an error: rhai builds it.
    Reject,
    /// `x in y` (rhai's `contains(y, x)`).
    Contains,
    IsEuMember,
}

impl Func {
    pub(super) fn of(name: &str, args: usize) -> Option<Func> {
        Some(match (name, args) {
            ("invoice_line", 5 | 6) => Func::InvoiceLine,
            ("note", 1 | 2) => Func::Note,
            ("vat_regime", 3) => Func::VatRegime,
            ("round_money", 1) => Func::RoundMoney,
            ("trace", 2) => Func::Trace,
            ("reject", 2 | 3) => Func::Reject,
            ("contains", 2) => Func::Contains,
            ("is_eu_member", 1) => Func::IsEuMember,
            _ => return None,
        })
    }
}

/// Methods on a value: `x.ceiling()`, `x.to_int()` …
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Method {
    Ceiling,
    Floor,
    ToInt,
    ToString,
}

impl Method {
    pub(super) fn of(name: &str) -> Option<Method> {
        Some(match name {
            "ceiling" => Method::Ceiling,
            "floor" => Method::Floor,
            "to_int" => Method::ToInt,
            "to_string" => Method::ToString,
            _ => return None,
        })
    }
}

#[derive(Debug)]
pub(super) enum Ex {
    Const(Dynamic),
    Var(usize),
    Prop(Box<Ex>, Identifier),
    Index(Box<Ex>, Box<Ex>),
    Op(Op, Box<(Ex, Ex)>),
    Neg(Box<Ex>),
    Not(Box<Ex>),
    And(Vec<Ex>),
    Or(Vec<Ex>),
    Array(Vec<Ex>),
    Map(Vec<(Identifier, Ex)>),
    Call(Func, Vec<Ex>),
    Method(Method, Box<Ex>),
    /// `x.push(e)` on a variable.
    Push(usize, Box<Ex>),
    /// `take(x)`: the variable's value, leaving `()`.
    Take(usize),
    /// A block used as a value (`if … { a } else { b }`).
    Block(Vec<St>),
}
