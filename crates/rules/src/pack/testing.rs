//! What the unit tests need of a pack beyond its API: the same pack under another operation
//! limit, and the operations an evaluation takes, counted both ways.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use missions_base::value::Node;

use super::inner::{Entry, Inner};
use super::{Pack, Route};
use crate::direct;
use crate::error::EvalOptions;
use crate::limits::ScriptLimits;
use crate::script::build_engine;

impl Pack {
    /// The same pack under another operation limit, with every operation rhai performs counted
    /// into the returned counter (the highest count reached by the last evaluation). Entries are
    /// lowered again under the new limit, as a load would.
    pub(crate) fn with_max_operations(&self, max_operations: u64) -> (Pack, Arc<AtomicU64>) {
        let inner = &*self.inner;
        let limits = ScriptLimits { max_operations, ..inner.limits };
        let mut engine = build_engine(&limits, inner.ctx.clone());
        let counter = Arc::new(AtomicU64::new(0));
        let count = counter.clone();
        engine.on_progress(move |ops| {
            count.store(ops, Ordering::Relaxed);
            None
        });
        let entries = inner
            .entries
            .iter()
            .map(|(name, e)| {
                let direct = direct::lower(&e.ast, name, &limits, &inner.ctx);
                let entry = Entry::new(
                    e.ast.clone(),
                    direct,
                    e.input.clone(),
                    e.returns.clone(),
                    e.script.clone(),
                    e.doc.clone(),
                    e.output,
                );
                (name.clone(), entry)
            })
            .collect();
        let pack = Pack {
            inner: Arc::new(Inner {
                id: inner.id.clone(),
                dir: inner.dir.clone(),
                currency: inner.currency.clone(),
                languages: inner.languages.clone(),
                description: inner.description.clone(),
                engine,
                limits,
                ctx: inner.ctx.clone(),
                params: inner.params.clone(),
                param_files: inner.param_files.clone(),
                params_schema: inner.params_schema.clone(),
                entries,
                scripts: inner.scripts.clone(),
            }),
        };
        (pack, counter)
    }

    /// The operations `entry` takes on `input`, counted by rhai and by the direct walk (`None`
    /// when the entry is not lowered or the walk gave up). `self` and `counter` come from
    /// [`Pack::with_max_operations`].
    pub(crate) fn count_operations(&self, counter: &AtomicU64, entry: &str, input: &Node) -> (u64, Option<u64>) {
        counter.store(0, Ordering::Relaxed);
        let _ = self.eval_routed(entry, input, EvalOptions::default(), &[], Route::Rhai);
        let rhai = counter.load(Ordering::Relaxed);
        let inner = &*self.inner;
        let direct = inner.entries.get(entry).and_then(|e| {
            let d = e.direct.as_ref().ok()?;
            let typed = e.typed(input, &mut Vec::new());
            match d.run_counted(typed, &inner.params, None) {
                (Ok(_), ops) => Some(ops),
                (Err(_), _) => None,
            }
        });
        (rhai, direct)
    }
}
