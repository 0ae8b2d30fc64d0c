//! Lowering: an entry function's body, read from rhai's AST once at load, as the tree the walk
//! runs; or why it cannot be (the first construct the walk does not cover).

use std::sync::Arc;

use rhai::{AST, ASTFlags, Dynamic, Expr, FnCallExpr, Identifier, ImmutableString, Stmt, Token};

use super::Direct;
use super::tree::{Ex, Method, Op, St};
use crate::context::PackContext;
use crate::helpers::{self, Bound};
use crate::limits::ScriptLimits;

/// Lower the entry function `name(input, params)` of `ast`, or say why it runs in rhai: the
/// first thing it uses that the direct evaluation does not cover.
pub(crate) fn lower(ast: &AST, name: &str, limits: &ScriptLimits, ctx: &Arc<PackContext>) -> Result<Direct, String> {
    let defs: Vec<_> = ast.iter_fn_def().collect();
    let def = defs
        .iter()
        .find(|f| f.name == name && f.params.len() == 2)
        .ok_or_else(|| format!("there is no `fn {name}(input, params)`"))?;
    // rhai does not export the type of a function's body; its walk hands each statement over.
    // It walks every function of the script (`clone_functions_only_filtered` of rhai 1.27 keeps
    // them all), so only the statements inside this function's body are kept, by position.
    let only = ast.clone_functions_only_filtered(|_, _, _, n, arity| n == name && arity == 2);
    let at = |p: rhai::Position| (p.line().unwrap_or(0), p.position().unwrap_or(0));
    let (first, last) = (at(def.body.start_position()), at(def.body.end_position()));
    let mut body: Vec<Stmt> = Vec::new();
    only.walk(&mut |path: &[rhai::ASTNode<'_>]| {
        if let [rhai::ASTNode::Stmt(s)] = path
            && (first..=last).contains(&at(s.position()))
        {
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
                St::Let(self.declare(x.0.name.as_str()), value)
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
            Expr::InterpolatedString(parts, _) => Ex::Interpolated(self.exprs(parts)?),
            Expr::Map(m, _) => {
                let entries: Vec<(Identifier, Ex)> =
                    m.0.iter().map(|(k, v)| Some((k.name.as_str().into(), self.expr(v)?))).collect::<Option<_>>()?;
                let mut sorted: Vec<usize> = (0..entries.len()).collect();
                sorted.sort_by(|&a, &b| entries[a].0.cmp(&entries[b].0));
                Ex::Map(entries, sorted.into())
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
            // `a[b][c]`: rhai nests it as `a [b [c]]`, the inner node holding the next index.
            Expr::Index(d, flags, _) if flags.is_empty() => {
                let base = self.expr(&d.lhs)?;
                self.indices(base, &d.rhs)?
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
            // `base.p[b][c]`: the property, then the indices.
            Expr::Index(d, flags, _) if flags.is_empty() => {
                let inner = self.chain(base, &d.lhs)?;
                self.indices(inner, &d.rhs)
            }
            _ => self.lacks(|| format!("the expression at {}", rhs.start_position())),
        }
    }

    /// The rest of an index chain after `base`: `[b]` then `[c]` …, where rhai nests each
    /// following index in the node of the one before (`BREAK` marks the last).
    fn indices(&mut self, base: Ex, next: &Expr) -> Option<Ex> {
        match next {
            Expr::Index(d, flags, _) if flags.is_empty() || *flags == ASTFlags::BREAK => {
                let first = self.expr(&d.lhs)?;
                let indexed = self.reordered(Ex::Index(Box::new(base), Box::new(first)))?;
                if flags.is_empty() {
                    self.indices(indexed, &d.rhs)
                } else {
                    let last = self.expr(&d.rhs)?;
                    self.reordered(Ex::Index(Box::new(indexed), Box::new(last)))
                }
            }
            Expr::Index(..) | Expr::Dot(..) => self.lacks(|| format!("the expression at {}", next.start_position())),
            last => {
                let last = self.expr(last)?;
                self.reordered(Ex::Index(Box::new(base), Box::new(last)))
            }
        }
    }

    fn method(&mut self, base: Ex, call: &FnCallExpr) -> Option<Ex> {
        if self.is_script_fn(&call.name, call.args.len() + 1) {
            return self.lacks(|| format!("a call of the script's own `{}`", call.name));
        }
        match (call.name.as_str(), call.args.len(), base) {
            ("push", 1, Ex::Var(slot)) => Some(Ex::Push(slot, Box::new(self.expr(&call.args[0])?))),
            ("push", 1, Ex::Prop(target, prop)) => match *target {
                Ex::Var(slot) => Some(Ex::PushProp(slot, prop, Box::new(self.expr(&call.args[0])?))),
                _ => self.lacks(|| "`push` on a property of something other than a variable".into()),
            },
            ("sub_string", 2, base) => {
                let (start, len) = (self.expr(&call.args[0])?, self.expr(&call.args[1])?);
                self.reordered(Ex::SubString(Box::new((base, start, len))))
            }
            ("contains", 1, base) => {
                let item = self.expr(&call.args[0])?;
                self.reordered(Ex::Call(Bound::Contains, vec![base, item]))
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
        let Some(func) = helpers::bound(&call.name, args.len()) else {
            return self.lacks(|| format!("a call of `{}` with {} arguments", call.name, args.len()));
        };
        let call = Ex::Call(func, self.exprs(args)?);
        if matches!(func, Bound::VatRegime | Bound::Contains) { self.reordered(call) } else { Some(call) }
    }

    /// `e`, which the walk evaluates out of rhai's order (it reads one operand in place after
    /// evaluating the others), if no operand can change what another reads.
    fn reordered(&mut self, e: Ex) -> Option<Ex> {
        let operands: Vec<&Ex> = match &e {
            Ex::Index(a, b) => vec![a, b],
            Ex::Call(_, args) => args.iter().collect(),
            Ex::SubString(parts) => vec![&parts.0, &parts.1, &parts.2],
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
        Ex::Take(_) | Ex::Push(..) | Ex::PushProp(..) | Ex::Block(_) | Ex::Call(Bound::Trace, _) => true,
        Ex::Const(_) | Ex::Var(_) => false,
        Ex::Prop(b, _) | Ex::Neg(b) | Ex::Not(b) | Ex::Method(_, b) => has_effects(b),
        Ex::Index(a, b) => has_effects(a) || has_effects(b),
        Ex::Op(_, ab) => has_effects(&ab.0) || has_effects(&ab.1),
        Ex::SubString(p) => has_effects(&p.0) || has_effects(&p.1) || has_effects(&p.2),
        Ex::And(v) | Ex::Or(v) | Ex::Array(v) | Ex::Interpolated(v) | Ex::Call(_, v) => v.iter().any(has_effects),
        Ex::Map(v, _) => v.iter().any(|(_, e)| has_effects(e)),
    }
}
