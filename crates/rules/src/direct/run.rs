//! The walk: a lowered entry evaluated on one input, counting operations and checking sizes
//! where rhai does, and giving up ([`Bail`]) wherever it would not reach rhai's result.

use rhai::{Array, Dynamic, ImmutableString, Map};

use super::tree::{Ex, St};
use super::values::{Sizes, binary, method, property, push_property, set_property, sizes, sub_string};
use super::{Bail, Direct, R};

mod call;
use crate::context::PackContext;
use crate::helpers::Bound;
use crate::limits::ScriptLimits;

/// Most entries of a map literal inserted one by one (see `Ex::Map`): measured on the shipped
/// packs, building at once pays from about this size.
const SMALL_MAP: usize = 6;

enum Flow {
    Value(Dynamic),
    Break,
    Continue,
    Return(Dynamic),
}

struct Run<'a> {
    slots: Vec<Dynamic>,
    /// The sizes of each slot's value as last measured, while nothing but a property
    /// assignment changed it (then updated by the difference): assigning properties one by one
    /// to a map then costs the size of what is assigned, not of the whole map each time.
    sized: Vec<Option<Sizes>>,
    ctx: &'a PackContext,
    limits: &'a ScriptLimits,
    ops: u64,
    trace: Option<&'a mut Array>,
}

impl Direct {
    /// Evaluate the entry on a typed input; `trace` collects `trace(…)` records when given.
    pub(crate) fn run(&self, input: Dynamic, params: &Dynamic, trace: Option<&mut Array>) -> R<Dynamic> {
        self.run_counted(input, params, trace).0
    }

    /// [`Direct::run`], with the operations it counted.
    pub(crate) fn run_counted(&self, input: Dynamic, params: &Dynamic, trace: Option<&mut Array>) -> (R<Dynamic>, u64) {
        let mut slots = vec![Dynamic::UNIT; self.slots];
        slots[0] = input;
        slots[1] = params.clone();
        let sized = vec![None; slots.len()];
        let mut run = Run { slots, sized, ctx: &self.ctx, limits: &self.limits, ops: 0, trace };
        let value = run.entry(&self.body);
        (value, run.ops)
    }
}

/// Operations rhai counts for a construct beyond the one the walk counts for every statement and
/// expression: the target of an assignment, each step of a property chain, each native call and
/// its arguments' handling. rhai's exact count depends on more than the walk sees (whether a
/// value is a map or has a getter, how a call is resolved), so these are the largest counts
/// measured for each construct, and the walk is meant never to count fewer operations than rhai:
/// where rhai would stop on `max_operations`, the walk stops too, and leaves the error to rhai.
/// That is measured, not proven: `op_limits` checks it on every golden case and the differential
/// test on every generated script, and a construct that breaks it needs a larger count here.
mod extra_ops {
    /// `x = …` and `x op= …`: rhai also counts the target.
    pub(super) const ASSIGN: u64 = 1;
    /// `x.p = …`: the target and the property step.
    pub(super) const SET_PROPERTY: u64 = 2;
    /// `….p`: the chain's arguments and the lookup, besides the step itself.
    pub(super) const PROPERTY: u64 = 2;
    /// `…[i]`.
    pub(super) const INDEX: u64 = 2;
    /// `a op b`: rhai counts the call of the operator where it is not one of its built-ins.
    pub(super) const OPERATOR: u64 = 1;
    /// A native call.
    pub(super) const CALL: u64 = 1;
    /// `x in y`.
    pub(super) const CONTAINS: u64 = 2;
    /// `x.m()`.
    pub(super) const METHOD: u64 = 2;
    /// `x.push(…)`.
    pub(super) const PUSH: u64 = 3;
    /// Each part of `` `…${e}…` ``: its evaluation and its `to_string`.
    pub(super) const INTERPOLATED_PART: u64 = 2;
    /// `s.sub_string(a, b)`: the call and its two arguments.
    pub(super) const SUB_STRING: u64 = 3;
    /// `take(x)`.
    pub(super) const TAKE: u64 = 2;
}

impl Run<'_> {
    /// The entry's body: rhai counts the call of the entry function itself as an operation.
    fn entry(&mut self, body: &[St]) -> R<Dynamic> {
        self.tick()?;
        // An entry ending on a variable (`… out`) returns it: the variable is not read again,
        // so its value moves out instead of being copied and the original dropped.
        let value = match body.split_last() {
            Some((St::Eval(Ex::Var(slot)), rest)) => match self.block(rest)? {
                Flow::Value(_) => {
                    // The statement's and the read's operations.
                    self.tick_n(2)?;
                    let value = std::mem::take(&mut self.slots[*slot]).flatten();
                    // Its sizes, when kept up to date as it was built, need no new walk.
                    match self.sized[*slot].take() {
                        Some(known) => self.check_sizes(known)?,
                        None => self.check_size(&value)?,
                    }
                    return Ok(value);
                }
                Flow::Return(v) => v,
                Flow::Break | Flow::Continue => return Err(Bail),
            },
            _ => match self.block(body)? {
                Flow::Value(v) | Flow::Return(v) => v,
                Flow::Break | Flow::Continue => return Err(Bail),
            },
        };
        self.check_size(&value)?;
        Ok(value)
    }

    fn tick(&mut self) -> R<()> {
        self.tick_n(1)
    }

    /// Count `n` operations: what rhai counts for one construct the walk does in one step (see
    /// [`extra_ops`]).
    fn tick_n(&mut self, n: u64) -> R<()> {
        self.ops += n;
        if self.limits.max_operations > 0 && self.ops > self.limits.max_operations {
            return Err(Bail);
        }
        Ok(())
    }

    /// rhai's size check: arrays, maps and strings counted all the way down.
    fn check_size(&self, v: &Dynamic) -> R<()> {
        self.check_sizes(sizes(v))
    }

    fn check_sizes(&self, (a, m, s): Sizes) -> R<()> {
        let l = self.limits;
        let over = |n: usize, max: usize| max > 0 && n > max;
        if over(a, l.max_array_size) || over(m, l.max_map_size) || over(s, l.max_string_size) {
            return Err(Bail);
        }
        Ok(())
    }

    /// Store `v` in `slot`; its size is unknown until measured.
    fn put(&mut self, slot: usize, v: Dynamic) {
        self.slots[slot] = v;
        self.sized[slot] = None;
    }

    /// `slot.prop = v`, then rhai's size check of the whole value in `slot`: measured once, then
    /// kept up to date by the difference each assignment makes (a replaced property's value out,
    /// the new one in, one more map entry for a new property).
    fn set_prop(&mut self, slot: usize, prop: &str, v: Dynamic) -> R<()> {
        let known = self.sized[slot].and_then(|total| {
            let map = self.slots[slot].read_lock::<Map>()?;
            Some((total, map.get(prop).map(sizes)))
        });
        let (a, m, s) = sizes(&v);
        set_property(&mut self.slots[slot], prop, v)?;
        let now = match known {
            Some(((ta, tm, ts), Some((oa, om, os)))) => {
                (ta.saturating_sub(oa) + a, tm.saturating_sub(om) + m, ts.saturating_sub(os) + s)
            }
            Some(((ta, tm, ts), None)) => (ta + a, tm + 1 + m, ts + s),
            None => sizes(&self.slots[slot]),
        };
        self.check_sizes(now)?;
        self.sized[slot] = Some(now);
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
            St::Let(slot, e) => {
                let v = self.eval(e)?;
                self.put(*slot, v);
            }
            St::Set(slot, e) => {
                self.tick_n(extra_ops::ASSIGN)?;
                let v = self.eval(e)?;
                self.put(*slot, v);
            }
            St::OpSet(slot, op, e) => {
                self.tick_n(extra_ops::ASSIGN + extra_ops::OPERATOR)?;
                let rhs = self.eval(e)?;
                let v = binary(*op, &self.slots[*slot], &rhs, self.limits)?;
                self.put(*slot, v);
            }
            St::SetProp(slot, prop, e) => {
                self.tick_n(extra_ops::SET_PROPERTY)?;
                let v = self.eval(e)?;
                self.set_prop(*slot, prop, v)?;
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
                    self.put(*slot, item.clone());
                    match self.block(body)? {
                        Flow::Break => break,
                        Flow::Return(v) => return Ok(Flow::Return(v)),
                        Flow::Value(_) | Flow::Continue => {}
                    }
                }
            }
            St::Break => return Ok(Flow::Break),
            St::Continue => return Ok(Flow::Continue),
            // A variable returned is not read again: it moves out (see `entry`).
            St::Return(Ex::Var(slot)) => {
                self.tick()?;
                self.sized[*slot] = None;
                return Ok(Flow::Return(std::mem::take(&mut self.slots[*slot]).flatten()));
            }
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
                self.tick_n(1 + extra_ops::PROPERTY)?;
                let tz = self.ctx.timezone;
                self.with_ref_dyn(base, &mut |b| {
                    if let Some(map) = b.read_lock::<Map>() {
                        // rhai is set to fail on a missing property.
                        return f(map.get(prop.as_str()).ok_or(Bail)?);
                    }
                    f(&property(b, prop, tz)?)
                })
            }
            Ex::Index(base, index) => {
                self.tick_n(1 + extra_ops::INDEX)?;
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
            Ex::Prop(base, prop) => {
                // What `with_ref_dyn` counts for a property. A map's property is copied out; a
                // computed one (a clock's, an instant's) is built for this read and taken as is.
                self.tick_n(1 + extra_ops::PROPERTY)?;
                let tz = self.ctx.timezone;
                self.with_ref(base, |b| match b.read_lock::<Map>() {
                    // rhai is set to fail on a missing property.
                    Some(map) => Ok(map.get(prop.as_str()).ok_or(Bail)?.flatten_clone()),
                    None => property(b, prop, tz),
                })
            }
            Ex::Index(..) => self.with_ref(e, |v| Ok(v.flatten_clone())),
            Ex::Op(op, operands) => {
                self.tick_n(extra_ops::OPERATOR)?;
                let (a, b) = &**operands;
                let limits = self.limits;
                if let Ex::Const(c) = b {
                    // `x op constant` (`x != ()`): `x` is read in place, not copied. The read and
                    // the constant count the operations their evaluation would have counted.
                    self.tick_n(u64::from(matches!(a, Ex::Var(_) | Ex::Prop(..) | Ex::Index(..))) + 1)?;
                    return self.with_ref(a, |lhs| binary(*op, lhs, c, limits));
                }
                let lhs = self.eval(a)?;
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
            Ex::Map(entries, sorted) => {
                // Evaluated in the script's order. A few entries are inserted one by one; more
                // are built at once in key order, which spares a search and a shift of keys per
                // entry but costs a list and a sort.
                let map: Map = if entries.len() <= SMALL_MAP {
                    let mut map = Map::new();
                    for (k, e) in entries {
                        let v = self.eval(e)?;
                        map.insert(k.clone(), v);
                    }
                    map
                } else {
                    let mut values = Vec::with_capacity(entries.len());
                    for (_, e) in entries {
                        values.push(self.eval(e)?);
                    }
                    sorted
                        .iter()
                        .filter_map(|&i| Some((entries.get(i)?.0.clone(), std::mem::take(values.get_mut(i)?))))
                        .collect()
                };
                let v = Dynamic::from_map(map);
                self.check_size(&v)?;
                Ok(v)
            }
            Ex::Call(func, args) => {
                self.tick_n(if *func == Bound::Contains { extra_ops::CONTAINS } else { extra_ops::CALL })?;
                self.call(*func, args)
            }
            Ex::Method(m, base) => {
                self.tick_n(extra_ops::METHOD)?;
                let v = self.eval(base)?;
                method(*m, &v)
            }
            Ex::Interpolated(parts) => {
                let mut text = String::new();
                for part in parts {
                    self.tick_n(extra_ops::INTERPOLATED_PART)?;
                    let v = self.eval(part)?;
                    // Texts as they are, integers as `to_string` writes them; anything else is
                    // rhai's to write.
                    if let Some(s) = v.read_lock::<ImmutableString>() {
                        text.push_str(&s);
                    } else {
                        text.push_str(&v.as_int().map_err(|_| Bail)?.to_string());
                    }
                }
                let v = Dynamic::from(text);
                self.check_size(&v)?;
                Ok(v)
            }
            Ex::SubString(parts) => {
                self.tick_n(extra_ops::SUB_STRING)?;
                let s = self.eval(&parts.0)?;
                let start = self.eval(&parts.1)?;
                let len = self.eval(&parts.2)?;
                sub_string(&s, &start, &len)
            }
            Ex::Push(slot, item) => {
                self.tick_n(extra_ops::PUSH)?;
                let item = self.eval(item)?;
                self.sized[*slot] = None;
                let target = &mut self.slots[*slot];
                if target.is_shared() || target.is_read_only() {
                    return Err(Bail);
                }
                target.as_array_mut().map_err(|_| Bail)?.push(item);
                self.check_size(&self.slots[*slot])?;
                Ok(Dynamic::UNIT)
            }
            Ex::PushProp(slot, prop, item) => {
                self.tick_n(extra_ops::PUSH + extra_ops::PROPERTY)?;
                let item = self.eval(item)?;
                self.sized[*slot] = None;
                push_property(&mut self.slots[*slot], prop, item)?;
                self.check_size(&self.slots[*slot])?;
                Ok(Dynamic::UNIT)
            }
            Ex::Take(slot) => {
                self.tick_n(extra_ops::TAKE)?;
                self.sized[*slot] = None;
                Ok(std::mem::take(&mut self.slots[*slot]).flatten())
            }
            Ex::Block(stmts) => {
                match self.block(stmts)? {
                    Flow::Value(v) => Ok(v),
                    // `break` or `return` inside an expression: rhai's business.
                    _ => Err(Bail),
                }
            }
        }
    }
}
