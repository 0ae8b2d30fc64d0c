//! Direct evaluation of an entry: the entry function's body, lowered once at load into a tree
//! whose variables are numbered slots and whose calls are bound to their Rust functions, then
//! walked on each evaluation.
//!
//! rhai's interpreter spends about 500 instructions on each operation of a quote: it resolves every
//! function call by hashing its name and argument types, looks variables up by name, and copies
//! every argument. The lowered tree does none of that. It covers the part of the language entries
//! use (variables, `if`, `while`, `for` over arrays, maps, arrays, arithmetic, comparisons and the
//! pricing helpers); an entry that uses anything else is not lowered and runs in rhai.
//!
//! The lowered tree is only ever a faster way to reach rhai's result. Whenever it meets something
//! it does not do exactly as rhai does (a type it does not handle, an overflow, a `throw`, a
//! `reject`, a limit), it gives up ([`Bail`]) and the pack runs the entry again in rhai, which
//! produces the result or the error with its message and position. Entries are pure functions of
//! their input and parameters, so running one twice is safe. The test `direct_matches_rhai` runs
//! every golden case of the shipped packs both ways and compares output, trace and error;
//! `tests/limits.rs` does the same for small scripts at the edges of rhai's semantics and for
//! every sandbox limit.

use std::sync::Arc;

use rhai::{AST, ASTFlags, Array, Dynamic, Expr, FnCallExpr, INT, Identifier, ImmutableString, Map, Stmt, Token};
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;

use crate::context::PackContext;
use crate::helpers::{pricing, vat};
use crate::limits::ScriptLimits;
use crate::money::{self, VatTreatment, round_half_away};

/// The lowered tree cannot give rhai's result for this evaluation; run it in rhai.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Bail;

type R<T> = Result<T, Bail>;

/// An entry function lowered for direct evaluation.
pub(crate) struct Direct {
    body: Vec<St>,
    slots: usize,
    ctx: Arc<PackContext>,
    /// The pack's limits, the same rhai enforces.
    limits: ScriptLimits,
}

impl std::fmt::Debug for Direct {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Direct").field("statements", &self.body.len()).field("slots", &self.slots).finish()
    }
}

// ---------------------------------------------------------------------------------------------
// The lowered tree

#[derive(Debug)]
enum St {
    /// `let x = e;` (a new slot) and `x = e;`.
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
enum Op {
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
    fn of(token: &Token) -> Option<Op> {
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
enum Func {
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
    fn of(name: &str, args: usize) -> Option<Func> {
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
enum Method {
    Ceiling,
    Floor,
    ToInt,
    ToString,
}

impl Method {
    fn of(name: &str) -> Option<Method> {
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
enum Ex {
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

// ---------------------------------------------------------------------------------------------
// Lowering

/// Lower the entry function `name(input, params)` of `ast`, or say why it runs in rhai: the
/// first thing it uses that the direct evaluation does not cover.
pub(crate) fn lower(ast: &AST, name: &str, limits: &ScriptLimits, ctx: &Arc<PackContext>) -> Result<Direct, String> {
    let defs: Vec<_> = ast.iter_fn_def().collect();
    let def = defs
        .iter()
        .find(|f| f.name == name && f.params.len() == 2)
        .ok_or_else(|| format!("there is no `fn {name}(input, params)`"))?;
    // rhai does not export the type of a function's body; its walk hands each statement over.
    let only = ast.clone_functions_only_filtered(|_, _, _, n, arity| n == name && arity == 2);
    let mut body: Vec<Stmt> = Vec::new();
    only.walk(&mut |path: &[rhai::ASTNode<'_>]| {
        if let [rhai::ASTNode::Stmt(s)] = path {
            body.push((*s).clone());
        }
        true
    });
    // A function of the script's own could stand in for a helper of the same name.
    let script_fns: Vec<(ImmutableString, usize)> = defs.iter().map(|f| (f.name.clone(), f.params.len())).collect();
    let mut l = Lowerer { why: None, names: Vec::new(), slots: 0, script_fns };
    for p in &def.params {
        l.declare(p.as_str());
    }
    let Some(body) = l.block(&body) else {
        return Err(l.why.unwrap_or_else(|| "it uses what the direct evaluation lacks".into()));
    };
    if l.slots > limits.max_variables {
        return Err(format!("it declares more variables than the limit ({})", limits.max_variables));
    }
    Ok(Direct { body, slots: l.slots, ctx: ctx.clone(), limits: *limits })
}

struct Lowerer {
    /// Why the entry is not lowered: the first thing met that the direct evaluation lacks.
    why: Option<String>,
    /// Variables in scope, innermost last, with their slot.
    names: Vec<(ImmutableString, usize)>,
    slots: usize,
    script_fns: Vec<(ImmutableString, usize)>,
}

impl Lowerer {
    /// Note what the direct evaluation lacks (the first thing only) and give up on the entry.
    fn lacks<T>(&mut self, what: impl FnOnce() -> String) -> Option<T> {
        if self.why.is_none() {
            self.why = Some(what());
        }
        None
    }

    fn declare(&mut self, name: &str) -> usize {
        let slot = self.slots;
        self.slots += 1;
        self.names.push((name.into(), slot));
        slot
    }

    fn var(&mut self, name: &str) -> Option<usize> {
        match self.names.iter().rev().find(|(n, _)| n.as_str() == name) {
            Some((_, slot)) => Some(*slot),
            None => self.lacks(|| format!("the variable `{name}`, declared outside the entry")),
        }
    }

    fn op(&mut self, token: &Token) -> Option<Op> {
        match Op::of(token) {
            Some(op) => Some(op),
            None => self.lacks(|| format!("the operator `{}`", token.literal_syntax())),
        }
    }

    /// A block: its variables go out of scope at its end.
    fn block(&mut self, stmts: &[Stmt]) -> Option<Vec<St>> {
        let depth = self.names.len();
        let out = stmts.iter().filter(|s| !s.is_noop()).map(|s| self.stmt(s)).collect();
        self.names.truncate(depth);
        out
    }

    fn stmt(&mut self, s: &Stmt) -> Option<St> {
        Some(match s {
            Stmt::Var(x, flags, _) if !flags.intersects(ASTFlags::EXPORTED) => {
                let value = self.expr(&x.1)?;
                // Declared after its value is lowered: `let x = x + 1` reads the outer `x`.
                St::Set(self.declare(x.0.name.as_str()), value)
            }
            Stmt::Assignment(x) => {
                let (op, bin) = &**x;
                let value = self.expr(&bin.rhs)?;
                match (&bin.lhs, op.get_op_assignment_info()) {
                    (Expr::Variable(v, ..), None) => St::Set(self.var(v.1.as_str())?, value),
                    (Expr::Variable(v, ..), Some((.., token, _))) => {
                        St::OpSet(self.var(v.1.as_str())?, self.op(token)?, value)
                    }
                    (Expr::Dot(d, flags, _), None) if flags.is_empty() => match (&d.lhs, &d.rhs) {
                        (Expr::Variable(v, ..), Expr::Property(p, _)) => {
                            St::SetProp(self.var(v.1.as_str())?, p.2.as_str().into(), value)
                        }
                        _ => return self.lacks(|| format!("the assignment at {}", bin.lhs.position())),
                    },
                    _ => return self.lacks(|| format!("the assignment at {}", bin.lhs.position())),
                }
            }
            Stmt::If(x, _) => {
                let cond = self.expr(&x.expr)?;
                St::If(cond, self.block(x.body.statements())?, self.block(x.branch.statements())?)
            }
            Stmt::While(x, _) => {
                // `loop { … }` (and a `while` whose condition the optimiser proved true) has `()`.
                let cond = match &x.expr {
                    Expr::Unit(_) => Ex::Const(Dynamic::TRUE),
                    e => self.expr(e)?,
                };
                St::While(cond, self.block(x.body.statements())?)
            }
            Stmt::For(x, _) if x.1.is_none() => {
                let iter = self.expr(&x.2.expr)?;
                let depth = self.names.len();
                let slot = self.declare(x.0.name.as_str());
                let body = self.block(x.2.body.statements());
                self.names.truncate(depth);
                St::For(slot, iter, body?)
            }
            Stmt::BreakLoop(None, flags, _) => {
                if flags.intersects(ASTFlags::BREAK) {
                    St::Break
                } else {
                    St::Continue
                }
            }
            Stmt::Return(value, flags, _) => {
                if flags.intersects(ASTFlags::BREAK) {
                    St::Throw
                } else {
                    St::Return(value.as_deref().map_or(Some(Ex::Const(Dynamic::UNIT)), |e| self.expr(e))?)
                }
            }
            Stmt::FnCall(call, _) => St::Eval(self.call(call)?),
            Stmt::Expr(e) => St::Eval(self.expr(e)?),
            Stmt::Block(b) => St::Block(self.block(b.statements())?),
            _ => return self.lacks(|| format!("the statement at {}", s.position())),
        })
    }

    fn exprs(&mut self, es: &[Expr]) -> Option<Vec<Ex>> {
        es.iter().map(|e| self.expr(e)).collect()
    }

    fn expr(&mut self, e: &Expr) -> Option<Ex> {
        Some(match e {
            Expr::DynamicConstant(v, _) => Ex::Const((**v).clone()),
            Expr::BoolConstant(b, _) => Ex::Const(Dynamic::from_bool(*b)),
            Expr::IntegerConstant(n, _) => Ex::Const(Dynamic::from_int(*n)),
            Expr::StringConstant(s, _) => Ex::Const(Dynamic::from(s.clone())),
            Expr::Unit(_) => Ex::Const(Dynamic::UNIT),
            Expr::Variable(v, ..) => Ex::Var(self.var(v.1.as_str())?),
            Expr::Array(items, _) => Ex::Array(self.exprs(items)?),
            Expr::Map(m, _) => {
                Ex::Map(m.0.iter().map(|(k, v)| Some((k.name.as_str().into(), self.expr(v)?))).collect::<Option<_>>()?)
            }
            Expr::And(es, _) => Ex::And(self.exprs(es)?),
            Expr::Or(es, _) => Ex::Or(self.exprs(es)?),
            Expr::Stmt(b) => Ex::Block(self.block(b.statements())?),
            Expr::FnCall(call, _) => self.call(call)?,
            Expr::Dot(d, flags, _) if flags.is_empty() => {
                let base = self.expr(&d.lhs)?;
                self.chain(base, &d.rhs)?
            }
            // `BREAK` marks an index that ends the chain; without it the rest of the chain
            // follows the index, which is not lowered.
            Expr::Index(d, flags, _) if *flags == ASTFlags::BREAK => {
                let index = Ex::Index(Box::new(self.expr(&d.lhs)?), Box::new(self.expr(&d.rhs)?));
                self.reordered(index)?
            }
            _ => return self.lacks(|| format!("the expression at {}", e.start_position())),
        })
    }

    /// The right side of `base.…`: rhai nests `a.b.c` as `a . (b . c)`.
    fn chain(&mut self, base: Ex, rhs: &Expr) -> Option<Ex> {
        match rhs {
            Expr::Property(p, _) => Some(Ex::Prop(Box::new(base), p.2.as_str().into())),
            Expr::MethodCall(call, _) => self.method(base, call),
            Expr::Dot(d, flags, _) if flags.is_empty() => {
                let inner = self.chain(base, &d.lhs)?;
                self.chain(inner, &d.rhs)
            }
            // Inside a chain, `BREAK` marks an index that ends it (otherwise the rest of the
            // chain follows the index, which is not lowered).
            Expr::Index(d, flags, _) if *flags == ASTFlags::BREAK => {
                let inner = self.chain(base, &d.lhs)?;
                let index = Ex::Index(Box::new(inner), Box::new(self.expr(&d.rhs)?));
                self.reordered(index)
            }
            _ => self.lacks(|| format!("the expression at {}", rhs.start_position())),
        }
    }

    fn method(&mut self, base: Ex, call: &FnCallExpr) -> Option<Ex> {
        if self.is_script_fn(&call.name, call.args.len() + 1) {
            return self.lacks(|| format!("a call of the script's own `{}`", call.name));
        }
        match (call.name.as_str(), call.args.len(), base) {
            ("push", 1, Ex::Var(slot)) => Some(Ex::Push(slot, Box::new(self.expr(&call.args[0])?))),
            ("contains", 1, base) => {
                let item = self.expr(&call.args[0])?;
                self.reordered(Ex::Call(Func::Contains, vec![base, item]))
            }
            (name, 0, base) => match Method::of(name) {
                Some(m) => Some(Ex::Method(m, Box::new(base))),
                None => self.lacks(|| format!("the method `{name}`")),
            },
            (name, ..) => self.lacks(|| format!("the method `{name}`")),
        }
    }

    fn is_script_fn(&self, name: &str, args: usize) -> bool {
        self.script_fns.iter().any(|(n, a)| n.as_str() == name && *a == args)
    }

    fn call(&mut self, call: &FnCallExpr) -> Option<Ex> {
        if call.capture_parent_scope {
            return self.lacks(|| format!("`{}!` (a call that sees the caller's variables)", call.name));
        }
        let args = &call.args[..];
        // rhai's parser already turned `x in y` into `contains(y, x)`: an ordinary call below.
        if let Some(token) = call.op_token.as_ref().filter(|t| **t != Token::In) {
            return match (token, args) {
                (Token::UnaryMinus | Token::Minus, [a]) => Some(Ex::Neg(Box::new(self.expr(a)?))),
                (Token::Bang, [a]) => Some(Ex::Not(Box::new(self.expr(a)?))),
                (t, [a, b]) => Some(Ex::Op(self.op(t)?, Box::new((self.expr(a)?, self.expr(b)?)))),
                (t, _) => self.lacks(|| format!("the operator `{}`", t.literal_syntax())),
            };
        }
        if self.is_script_fn(&call.name, args.len()) {
            return self.lacks(|| format!("a call of the script's own `{}`", call.name));
        }
        if call.name == "take" && args.len() == 1 {
            return match &args[0] {
                Expr::Variable(v, ..) => Some(Ex::Take(self.var(v.1.as_str())?)),
                _ => self.lacks(|| format!("`take` of something else than a variable, at {}", args[0].position())),
            };
        }
        let Some(func) = Func::of(&call.name, args.len()) else {
            return self.lacks(|| format!("a call of `{}` with {} arguments", call.name, args.len()));
        };
        let call = Ex::Call(func, self.exprs(args)?);
        if matches!(func, Func::VatRegime | Func::Contains) { self.reordered(call) } else { Some(call) }
    }

    /// `e`, which the walk evaluates out of rhai's order (it reads one operand in place after
    /// evaluating the others), if no operand can change what another reads.
    fn reordered(&mut self, e: Ex) -> Option<Ex> {
        let operands: Vec<&Ex> = match &e {
            Ex::Index(a, b) => vec![a, b],
            Ex::Call(_, args) => args.iter().collect(),
            _ => Vec::new(),
        };
        if operands.into_iter().any(has_effects) {
            return self.lacks(|| {
                "an operand that changes a variable (`take`, `push` …) where the order of evaluation matters".into()
            });
        }
        Some(e)
    }
}

/// Whether evaluating `e` can change a variable or the trace.
fn has_effects(e: &Ex) -> bool {
    match e {
        Ex::Take(_) | Ex::Push(..) | Ex::Block(_) | Ex::Call(Func::Trace, _) => true,
        Ex::Const(_) | Ex::Var(_) => false,
        Ex::Prop(b, _) | Ex::Neg(b) | Ex::Not(b) | Ex::Method(_, b) => has_effects(b),
        Ex::Index(a, b) => has_effects(a) || has_effects(b),
        Ex::Op(_, ab) => has_effects(&ab.0) || has_effects(&ab.1),
        Ex::And(v) | Ex::Or(v) | Ex::Array(v) | Ex::Call(_, v) => v.iter().any(has_effects),
        Ex::Map(v) => v.iter().any(|(_, e)| has_effects(e)),
    }
}

// ---------------------------------------------------------------------------------------------
// Evaluation

enum Flow {
    Value(Dynamic),
    Break,
    Continue,
    Return(Dynamic),
}

struct Run<'a> {
    slots: Vec<Dynamic>,
    ctx: &'a PackContext,
    limits: &'a ScriptLimits,
    ops: u64,
    trace: Option<&'a mut Array>,
}

impl Direct {
    /// Evaluate the entry on a typed input; `trace` collects `trace(…)` records when given.
    pub(crate) fn run(&self, input: Dynamic, params: &Dynamic, trace: Option<&mut Array>) -> R<Dynamic> {
        let mut slots = vec![Dynamic::UNIT; self.slots];
        slots[0] = input;
        slots[1] = params.clone();
        let mut run = Run { slots, ctx: &self.ctx, limits: &self.limits, ops: 0, trace };
        let value = match run.block(&self.body)? {
            Flow::Value(v) | Flow::Return(v) => v,
            Flow::Break | Flow::Continue => return Err(Bail),
        };
        run.check_size(&value)?;
        Ok(value)
    }
}

impl Run<'_> {
    fn tick(&mut self) -> R<()> {
        self.ops += 1;
        if self.limits.max_operations > 0 && self.ops > self.limits.max_operations {
            return Err(Bail);
        }
        Ok(())
    }

    /// rhai's size check: arrays, maps and strings counted all the way down.
    fn check_size(&self, v: &Dynamic) -> R<()> {
        let (a, m, s) = sizes(v);
        let l = self.limits;
        let over = |n: usize, max: usize| max > 0 && n > max;
        if over(a, l.max_array_size) || over(m, l.max_map_size) || over(s, l.max_string_size) {
            return Err(Bail);
        }
        Ok(())
    }

    fn block(&mut self, stmts: &[St]) -> R<Flow> {
        let mut last = Dynamic::UNIT;
        for s in stmts {
            match self.stmt(s)? {
                Flow::Value(v) => last = v,
                flow => return Ok(flow),
            }
        }
        Ok(Flow::Value(last))
    }

    fn stmt(&mut self, s: &St) -> R<Flow> {
        self.tick()?;
        match s {
            St::Set(slot, e) => {
                let v = self.eval(e)?;
                self.slots[*slot] = v;
            }
            St::OpSet(slot, op, e) => {
                let rhs = self.eval(e)?;
                let v = binary(*op, &self.slots[*slot], &rhs, self.limits)?;
                self.slots[*slot] = v;
            }
            St::SetProp(slot, prop, e) => {
                let v = self.eval(e)?;
                set_property(&mut self.slots[*slot], prop, v)?;
            }
            St::If(cond, then, other) => {
                let c = self.condition(cond)?;
                return self.block(if c { then } else { other });
            }
            St::While(cond, body) => loop {
                if !self.condition(cond)? {
                    break;
                }
                match self.block(body)? {
                    Flow::Break => break,
                    Flow::Return(v) => return Ok(Flow::Return(v)),
                    Flow::Value(_) | Flow::Continue => {}
                }
            },
            St::For(slot, iter, body) => {
                let items = self.eval(iter)?;
                let items = items.as_array_ref().map_err(|_| Bail)?;
                for item in items.iter() {
                    self.tick()?;
                    self.slots[*slot] = item.clone();
                    match self.block(body)? {
                        Flow::Break => break,
                        Flow::Return(v) => return Ok(Flow::Return(v)),
                        Flow::Value(_) | Flow::Continue => {}
                    }
                }
            }
            St::Break => return Ok(Flow::Break),
            St::Continue => return Ok(Flow::Continue),
            St::Return(e) => return Ok(Flow::Return(self.eval(e)?)),
            St::Throw => return Err(Bail),
            St::Eval(e) => return Ok(Flow::Value(self.eval(e)?)),
            St::Block(b) => return self.block(b),
        }
        Ok(Flow::Value(Dynamic::UNIT))
    }

    fn condition(&mut self, e: &Ex) -> R<bool> {
        self.eval(e)?.as_bool().map_err(|_| Bail)
    }

    /// Call `f` with a reference to the value of `e`, without copying what it reads through.
    fn with_ref<T>(&mut self, e: &Ex, f: impl FnOnce(&Dynamic) -> R<T>) -> R<T> {
        let mut f = Some(f);
        self.with_ref_dyn(e, &mut |v| f.take().ok_or(Bail)?(v))
    }

    /// [`Run::with_ref`], recursive: a `dyn` callback keeps the compiler from instantiating it once per
    /// level of nesting.
    fn with_ref_dyn<T>(&mut self, e: &Ex, f: &mut dyn FnMut(&Dynamic) -> R<T>) -> R<T> {
        match e {
            Ex::Var(slot) => {
                let v = &self.slots[*slot];
                if v.is_shared() {
                    let guard = v.read_lock::<Dynamic>().ok_or(Bail)?;
                    f(&guard)
                } else {
                    f(v)
                }
            }
            Ex::Prop(base, prop) => {
                self.tick()?;
                self.with_ref_dyn(base, &mut |b| {
                    if let Some(map) = b.read_lock::<Map>() {
                        // rhai is set to fail on a missing property.
                        return f(map.get(prop.as_str()).ok_or(Bail)?);
                    }
                    f(&property(b, prop)?)
                })
            }
            Ex::Index(base, index) => {
                self.tick()?;
                let index = self.eval(index)?;
                self.with_ref_dyn(base, &mut |b| {
                    if let Some(map) = b.read_lock::<Map>() {
                        let key = index.read_lock::<ImmutableString>().ok_or(Bail)?;
                        return f(map.get(key.as_str()).ok_or(Bail)?);
                    }
                    if let Some(array) = b.read_lock::<Array>() {
                        let i = index.as_int().map_err(|_| Bail)?;
                        return f(usize::try_from(i).ok().and_then(|i| array.get(i)).ok_or(Bail)?);
                    }
                    Err(Bail)
                })
            }
            _ => {
                let v = self.eval(e)?;
                f(&v)
            }
        }
    }

    fn eval(&mut self, e: &Ex) -> R<Dynamic> {
        self.tick()?;
        match e {
            Ex::Const(v) => Ok(v.clone()),
            // A read is a copy, as in rhai; the shared parameters are copied out of their cell.
            Ex::Var(slot) => Ok(self.slots[*slot].flatten_clone()),
            Ex::Prop(..) | Ex::Index(..) => self.with_ref(e, |v| Ok(v.flatten_clone())),
            Ex::Op(op, operands) => {
                let (a, b) = &**operands;
                let lhs = self.eval(a)?;
                let limits = self.limits;
                self.with_ref(b, |rhs| binary(*op, &lhs, rhs, limits))
            }
            Ex::Neg(a) => {
                let v = self.eval(a)?;
                if let Ok(n) = v.as_int() {
                    return n.checked_neg().map(Dynamic::from_int).ok_or(Bail);
                }
                v.as_decimal().map(|d| Dynamic::from_decimal(-d)).map_err(|_| Bail)
            }
            Ex::Not(a) => Ok(Dynamic::from_bool(!self.condition(a)?)),
            Ex::And(es) => {
                for e in es {
                    if !self.condition(e)? {
                        return Ok(Dynamic::FALSE);
                    }
                }
                Ok(Dynamic::TRUE)
            }
            Ex::Or(es) => {
                for e in es {
                    if self.condition(e)? {
                        return Ok(Dynamic::TRUE);
                    }
                }
                Ok(Dynamic::FALSE)
            }
            Ex::Array(items) => {
                let mut array = Array::with_capacity(items.len());
                for item in items {
                    array.push(self.eval(item)?);
                }
                let v = Dynamic::from_array(array);
                self.check_size(&v)?;
                Ok(v)
            }
            Ex::Map(entries) => {
                let mut map = Map::new();
                for (k, e) in entries {
                    let v = self.eval(e)?;
                    map.insert(k.clone(), v);
                }
                let v = Dynamic::from_map(map);
                self.check_size(&v)?;
                Ok(v)
            }
            Ex::Call(func, args) => self.call(*func, args),
            Ex::Method(m, base) => {
                let v = self.eval(base)?;
                method(*m, &v)
            }
            Ex::Push(slot, item) => {
                let item = self.eval(item)?;
                let target = &mut self.slots[*slot];
                if target.is_shared() || target.is_read_only() {
                    return Err(Bail);
                }
                target.as_array_mut().map_err(|_| Bail)?.push(item);
                self.check_size(&self.slots[*slot])?;
                Ok(Dynamic::UNIT)
            }
            Ex::Take(slot) => Ok(std::mem::take(&mut self.slots[*slot]).flatten()),
            Ex::Block(stmts) => {
                match self.block(stmts)? {
                    Flow::Value(v) => Ok(v),
                    // `break` or `return` inside an expression: rhai's business.
                    _ => Err(Bail),
                }
            }
        }
    }

    fn call(&mut self, func: Func, args: &[Ex]) -> R<Dynamic> {
        let value = match (func, args) {
            (Func::InvoiceLine, [code, q, p, vat, label, rest @ ..]) => {
                let code = self.eval(code)?;
                let q = self.eval(q)?;
                let p = self.eval(p)?;
                let vat = self.eval(vat)?;
                let label = self.eval(label)?;
                let vars = match rest {
                    [vars] => Some(self.eval(vars)?.try_cast::<Map>().ok_or(Bail)?),
                    _ => None,
                };
                let code = code.read_lock::<ImmutableString>().ok_or(Bail)?;
                let label = label.read_lock::<ImmutableString>().ok_or(Bail)?;
                let vat = vat.read_lock::<VatTreatment>().ok_or(Bail)?;
                let line = pricing::invoice_line(self.ctx, &code, &q, &p, &vat, &label, vars.unwrap_or_default())
                    .map_err(|_| Bail)?;
                Dynamic::from(line)
            }
            (Func::Note, [code, rest @ ..]) => {
                let code = self.eval(code)?;
                let vars = match rest {
                    [vars] => Some(self.eval(vars)?.try_cast::<Map>().ok_or(Bail)?),
                    _ => None,
                };
                let code = code.read_lock::<ImmutableString>().ok_or(Bail)?;
                Dynamic::from(pricing::note(self.ctx, &code, &vars.unwrap_or_default()).map_err(|_| Bail)?)
            }
            (Func::VatRegime, [client, path, vat]) => {
                let path = self.eval(path)?;
                let path = path.read_lock::<ImmutableString>().ok_or(Bail)?;
                let vat = self.eval(vat)?;
                let vat = vat.read_lock::<Map>().ok_or(Bail)?;
                let treatment = self.with_ref(client, |c| {
                    let c = c.read_lock::<Map>().ok_or(Bail)?;
                    vat::vat_regime_of(&c, &path, &vat).map_err(|_| Bail)
                })?;
                Dynamic::from(treatment)
            }
            (Func::RoundMoney, [x]) => {
                let x = self.eval(x)?.as_decimal().map_err(|_| Bail)?;
                Dynamic::from_decimal(round_half_away(x, 2))
            }
            (Func::Trace, [rule, detail]) => {
                let rule = self.eval(rule)?;
                let detail = self.eval(detail)?.flatten();
                let rule = rule.read_lock::<ImmutableString>().ok_or(Bail)?;
                if let Some(trace) = self.trace.as_deref_mut() {
                    let mut m = Map::new();
                    m.insert("rule".into(), Dynamic::from(rule.to_string()));
                    m.insert("detail".into(), detail);
                    trace.push(Dynamic::from_map(m));
                }
                Dynamic::UNIT
            }
            (Func::Reject, _) => return Err(Bail),
            (Func::Contains, [container, item]) => {
                let item = self.eval(item)?;
                let key = item.read_lock::<ImmutableString>().ok_or(Bail)?;
                let found = self.with_ref(container, |c| {
                    if let Some(map) = c.read_lock::<Map>() {
                        return Ok(map.contains_key(key.as_str()));
                    }
                    // The engine's own `contains(array, string)`.
                    let array = c.read_lock::<Array>().ok_or(Bail)?;
                    Ok(array.iter().any(|v| v.read_lock::<ImmutableString>().is_some_and(|x| *x == *key)))
                })?;
                Dynamic::from_bool(found)
            }
            (Func::IsEuMember, [c]) => {
                let c = self.eval(c)?;
                let c = c.read_lock::<ImmutableString>().ok_or(Bail)?;
                Dynamic::from_bool(money::is_eu_member(&c))
            }
            _ => return Err(Bail),
        };
        self.check_size(&value)?;
        Ok(value)
    }
}

/// The size of a value as rhai counts it against its limits: (array items, map entries, string
/// bytes), all the way down.
fn sizes(v: &Dynamic) -> (usize, usize, usize) {
    if let Some(a) = v.read_lock::<Array>() {
        return a.iter().fold((0, 0, 0), |(x, y, z), item| {
            let (a, m, s) = sizes(item);
            (x + 1 + a, y + m, z + s)
        });
    }
    if let Some(map) = v.read_lock::<Map>() {
        return map.values().fold((0, 0, 0), |(x, y, z), item| {
            let (a, m, s) = sizes(item);
            (x + a, y + 1 + m, z + s)
        });
    }
    if let Some(s) = v.read_lock::<ImmutableString>() {
        return (0, 0, s.len());
    }
    (0, 0, 0)
}

/// A property of a script type (`vat.buyer_vat_number`).
fn property(v: &Dynamic, prop: &str) -> R<Dynamic> {
    if let Some(vat) = v.read_lock::<VatTreatment>() {
        return pricing::vat_property(&vat, prop).ok_or(Bail);
    }
    Err(Bail)
}

fn set_property(target: &mut Dynamic, prop: &str, value: Dynamic) -> R<()> {
    // The pack's parameters are shared by every evaluation: rhai refuses to change them.
    if target.is_shared() || target.is_read_only() {
        return Err(Bail);
    }
    if let Some(mut map) = target.write_lock::<Map>() {
        // rhai refuses to add a property by assignment when set to fail on invalid properties.
        let slot = map.get_mut(prop).ok_or(Bail)?;
        *slot = value;
        return Ok(());
    }
    if let Some(mut line) = target.write_lock::<money::InvoiceLine>() {
        return pricing::set_line_property(&mut line, prop, value).map_err(|_| Bail);
    }
    Err(Bail)
}

fn method(m: Method, v: &Dynamic) -> R<Dynamic> {
    match m {
        Method::Ceiling => v.as_decimal().map(|d| Dynamic::from_decimal(d.ceil())).map_err(|_| Bail),
        Method::Floor => v.as_decimal().map(|d| Dynamic::from_decimal(d.floor())).map_err(|_| Bail),
        Method::ToInt => {
            let d = v.as_decimal().map_err(|_| Bail)?;
            d.to_i64().map(Dynamic::from_int).ok_or(Bail)
        }
        Method::ToString => {
            if let Ok(n) = v.as_int() {
                return Ok(Dynamic::from(n.to_string()));
            }
            if v.is_string() {
                return Ok(v.clone());
            }
            Err(Bail)
        }
    }
}

/// What a value is, for the operators rhai builds in.
enum Kind<'a> {
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

fn kind<'a>(v: &'a Dynamic, s: &'a Option<impl std::ops::Deref<Target = ImmutableString>>) -> Kind<'a> {
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

fn compare<T: PartialOrd>(op: Op, a: T, b: T) -> Option<Dynamic> {
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
trait Number: PartialOrd + Copy + Into<Dynamic> {
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

fn number_op<N: Number>(op: Op, a: N, b: N) -> Option<Dynamic> {
    if is_arith(op) { a.checked(op, b).map(Into::into) } else { compare(op, a, b) }
}

/// A binary operator as rhai's built-in operators compute it (rhai uses them, ahead of any
/// registered function, whenever neither side is a script type). Anything else is rhai's.
fn binary(op: Op, a: &Dynamic, b: &Dynamic, limits: &ScriptLimits) -> R<Dynamic> {
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
        (Kind::Other, _) | (_, Kind::Other) => None,
        // Two maps or two arrays: rhai calls the registered `==`.
        (Kind::Data(x), Kind::Data(y)) if x == y => None,
        // Two different types, not both numbers: rhai says `!=`, and nothing else holds.
        _ if !is_arith(op) => Some(Dynamic::from_bool(op == Op::Ne)),
        _ => None,
    };
    value.ok_or(Bail)
}

fn is_arith(op: Op) -> bool {
    matches!(op, Op::Add | Op::Sub | Op::Mul | Op::Div | Op::Rem)
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;
    use crate::error::EvalOptions;
    use crate::pack::Route;
    use crate::test_support::{cases, shipped};

    /// The two ways must agree on every golden case of the shipped packs: the same output text,
    /// the same trace, the same error. Each lowered entry must give its results directly (a
    /// direct evaluation that always gave up would pass the comparison and be useless).
    #[test]
    fn direct_matches_rhai() {
        for name in ["esomus", "norriq"] {
            let pack = shipped(name);
            let mut direct_results: BTreeMap<String, (usize, usize)> = BTreeMap::new();
            for (entry, case, input) in cases(&pack) {
                for trace in [false, true] {
                    let opts = EvalOptions { trace };
                    let fast = pack.eval_routed(&entry, &input, opts, &[], Route::Direct);
                    let slow = pack.eval_routed(&entry, &input, opts, &[], Route::Rhai);
                    let show = |r: &Result<(crate::error::Evaluation, bool), crate::error::EvalError>| match r {
                        Ok((ev, _)) => format!("{} {:?}", ev.output, ev.trace),
                        Err(e) => format!("error: {e} {e:?}"),
                    };
                    assert_eq!(show(&fast), show(&slow), "{name} {entry} `{case}` (trace: {trace})");
                    let tally = direct_results.entry(entry.clone()).or_default();
                    tally.0 += 1;
                    match fast {
                        Ok((_, true)) => tally.1 += 1,
                        // The shipped packs' lowered entries give every result directly; rhai
                        // only builds their errors.
                        Ok((_, false)) => assert!(!pack.runs_directly(&entry), "{name} {entry} `{case}` gave up"),
                        Err(_) => {}
                    }
                }
            }
            for (entry, (all, direct)) in &direct_results {
                if pack.runs_directly(entry) {
                    assert!(*direct > 0, "{name} {entry}: lowered, but no case ran directly");
                } else {
                    assert_eq!(*direct, 0, "{name} {entry}");
                }
                match pack.why_interpreted(entry) {
                    None => eprintln!("{name} {entry}: {direct} of {all} evaluations direct"),
                    Some(why) => eprintln!("{name} {entry}: in rhai, because of {why}"),
                }
            }
        }
        assert!(shipped("esomus").runs_directly("quote"), "the esomus quote is the one the speed target is about");
    }

    fn limits() -> ScriptLimits {
        ScriptLimits::DEFAULT
    }

    fn d(s: &str) -> Dynamic {
        Dynamic::from_decimal(s.parse().unwrap_or_default())
    }

    #[test]
    fn operators_follow_rhai_builtins() {
        let l = limits();
        let i = Dynamic::from_int;
        assert_eq!(binary(Op::Add, &i(2), &i(3), &l).ok().and_then(|v| v.as_int().ok()), Some(5));
        assert!(binary(Op::Add, &i(INT::MAX), &i(1), &l).is_err(), "overflow is rhai's error");
        assert!(binary(Op::Div, &i(1), &i(0), &l).is_err(), "division by zero is rhai's error");
        assert_eq!(binary(Op::Div, &i(7), &i(2), &l).ok().and_then(|v| v.as_int().ok()), Some(3));
        let mixed = binary(Op::Mul, &d("2.50"), &i(3), &l).ok().and_then(|v| v.as_decimal().ok());
        assert_eq!(mixed.map(|m| m.to_string()), Some("7.50".to_owned()));
        let mixed = binary(Op::Lt, &i(3), &d("3.5"), &l).ok().and_then(|v| v.as_bool().ok());
        assert_eq!(mixed, Some(true));
        assert!(binary(Op::Div, &d("1"), &i(0), &l).is_err());
        // Different types: equal never, unequal always, ordered never.
        let b = |op, x: &Dynamic, y: &Dynamic| binary(op, x, y, &l).ok().and_then(|v| v.as_bool().ok());
        assert_eq!(b(Op::Eq, &i(1), &Dynamic::UNIT), Some(false));
        assert_eq!(b(Op::Ne, &d("1"), &Dynamic::UNIT), Some(true));
        assert_eq!(b(Op::Le, &i(1), &Dynamic::UNIT), Some(false));
        assert_eq!(b(Op::Eq, &Dynamic::UNIT, &Dynamic::UNIT), Some(true));
        assert_eq!(b(Op::Eq, &Dynamic::from("a"), &i(1)), Some(false));
        assert!(binary(Op::Add, &i(1), &Dynamic::UNIT, &l).is_err());
        assert!(binary(Op::Add, &Dynamic::from("a"), &i(1), &l).is_err(), "a registered `+`: rhai's");
        let s = binary(Op::Add, &Dynamic::from("note_"), &Dynamic::from("video"), &l).ok();
        assert_eq!(s.and_then(|v| v.into_immutable_string().ok()).as_deref(), Some("note_video"));
        assert_eq!(b(Op::Lt, &Dynamic::from("a"), &Dynamic::from("b")), Some(true));
        assert!(binary(Op::Eq, &Dynamic::from_map(Map::new()), &Dynamic::from_map(Map::new()), &l).is_err());
        assert_eq!(b(Op::Eq, &Dynamic::from_map(Map::new()), &Dynamic::UNIT), Some(false));
    }

    #[test]
    fn a_string_longer_than_the_limit_is_left_to_rhai() {
        let l = ScriptLimits { max_string_size: 4, ..limits() };
        assert!(binary(Op::Add, &Dynamic::from("abc"), &Dynamic::from("de"), &l).is_err());
        assert!(binary(Op::Add, &Dynamic::from("ab"), &Dynamic::from("de"), &l).is_ok());
    }

    #[test]
    fn sizes_count_like_rhai() {
        let mut inner = Map::new();
        inner.insert("a".into(), Dynamic::from("xyz"));
        let array = vec![Dynamic::from_map(inner), Dynamic::from_int(1)];
        // Two items, one map entry, three bytes.
        assert_eq!(sizes(&Dynamic::from_array(array)), (2, 1, 3));
    }
}
