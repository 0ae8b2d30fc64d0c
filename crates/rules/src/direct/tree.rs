//! The lowered tree: statements, expressions, operators and the calls bound to Rust functions.

use rhai::{Dynamic, Identifier, Token};

use crate::helpers::Bound;

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

/// Methods on a value: `x.ceiling()`, `x.to_int()` …
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Method {
    Ceiling,
    Floor,
    ToInt,
    ToString,
    IsEmpty,
}

impl Method {
    pub(super) fn of(name: &str) -> Option<Method> {
        Some(match name {
            "ceiling" => Method::Ceiling,
            "floor" => Method::Floor,
            "to_int" => Method::ToInt,
            "to_string" => Method::ToString,
            "is_empty" => Method::IsEmpty,
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
    /// A map literal: its entries in the script's order (their evaluation order), and the same
    /// entries' positions in key order, to build the map at once.
    Map(Vec<(Identifier, Ex)>, Box<[usize]>),
    /// A helper, through its binding in the helper table.
    Call(Bound, Vec<Ex>),
    Method(Method, Box<Ex>),
    /// `` `text ${e} text` ``: the parts, in order.
    Interpolated(Vec<Ex>),
    /// `s.sub_string(start, len)`: the string, the start and the length.
    SubString(Box<(Ex, Ex, Ex)>),
    /// `x.push(e)` on a variable.
    Push(usize, Box<Ex>),
    /// `x.p.push(e)` on a property of a variable.
    PushProp(usize, Identifier, Box<Ex>),
    /// `take(x)`: the variable's value, leaving `()`.
    Take(usize),
    /// A block used as a value (`if … { a } else { b }`).
    Block(Vec<St>),
}
