//! What an entry does with its input, read from the lowered tree: whether a list field of the
//! input only ever goes to `sla_clock` as its events. Such a list is typed whole, in a form of
//! its own ([`crate::types::StatusChanges`]): no map per status change to build, read and drop.
//! Both ways of running the entry accept that form (rhai through an overload of `sla_clock`),
//! and nothing else in the entry can tell, since nothing else reads the list.

#[cfg(test)]
#[path = "uses_tests.rs"]
mod tests;

use super::Direct;
use super::tree::{Ex, St};
use crate::helpers::Bound;

/// The slot of the entry's `input` (its first parameter).
const INPUT: usize = 0;

impl Direct {
    /// The field `f` of the input such that `input.f` is read only as the events of
    /// `sla_clock`, and the input itself only through its properties.
    pub(crate) fn clock_events_field(&self) -> Option<&str> {
        let mut uses = Uses { events: Vec::new(), read: Vec::new(), other: false };
        uses.block(&self.body);
        match uses.events.as_slice() {
            [first, rest @ ..] if !uses.other && rest.iter().all(|f| f == first) && !uses.read.contains(first) => {
                Some(first)
            }
            _ => None,
        }
    }
}

struct Uses<'a> {
    /// The fields read as `sla_clock`'s events.
    events: Vec<&'a str>,
    /// The fields read otherwise.
    read: Vec<&'a str>,
    /// The input read other than through a property, or written.
    other: bool,
}

impl<'a> Uses<'a> {
    fn block(&mut self, stmts: &'a [St]) {
        stmts.iter().for_each(|s| self.stmt(s));
    }

    fn slot(&mut self, slot: usize) {
        self.other |= slot == INPUT;
    }

    fn stmt(&mut self, s: &'a St) {
        match s {
            St::Let(slot, e) | St::Set(slot, e) | St::OpSet(slot, _, e) | St::SetProp(slot, _, e) => {
                self.slot(*slot);
                self.ex(e);
            }
            St::If(c, a, b) => {
                self.ex(c);
                self.block(a);
                self.block(b);
            }
            St::While(c, body) => {
                self.ex(c);
                self.block(body);
            }
            St::For(slot, e, body) => {
                self.slot(*slot);
                self.ex(e);
                self.block(body);
            }
            St::Return(e) | St::Eval(e) => self.ex(e),
            St::Block(b) => self.block(b),
            St::Break | St::Continue | St::Throw => {}
        }
    }

    fn ex(&mut self, e: &'a Ex) {
        match e {
            Ex::Const(_) => {}
            Ex::Var(slot) | Ex::Take(slot) => self.slot(*slot),
            Ex::Prop(base, p) => match &**base {
                Ex::Var(INPUT) => self.read.push(p.as_str()),
                base => self.ex(base),
            },
            Ex::Call(Bound::SlaClock, args) => {
                for (i, a) in args.iter().enumerate() {
                    match (i, a) {
                        (3, Ex::Prop(base, p)) if matches!(**base, Ex::Var(INPUT)) => self.events.push(p.as_str()),
                        _ => self.ex(a),
                    }
                }
            }
            Ex::Index(a, b) => {
                self.ex(a);
                self.ex(b);
            }
            Ex::Op(_, ab) => {
                self.ex(&ab.0);
                self.ex(&ab.1);
            }
            Ex::Neg(a) | Ex::Not(a) | Ex::Method(_, a) => self.ex(a),
            Ex::And(es) | Ex::Or(es) | Ex::Array(es) | Ex::Call(_, es) | Ex::Interpolated(es) => {
                es.iter().for_each(|e| self.ex(e));
            }
            Ex::Map(entries, _) => entries.iter().for_each(|(_, e)| self.ex(e)),
            Ex::SubString(parts) => {
                self.ex(&parts.0);
                self.ex(&parts.1);
                self.ex(&parts.2);
            }
            Ex::Push(slot, e) | Ex::PushProp(slot, _, e) => {
                self.slot(*slot);
                self.ex(e);
            }
            Ex::Block(b) => self.block(b),
        }
    }
}
