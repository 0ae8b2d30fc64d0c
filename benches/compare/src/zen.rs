//! GoRules ZEN as its documentation intends it to be embedded: the JDM content parsed once,
//! `create_decision` once, `Decision::compile` once (expressions to bytecode, table indexes),
//! then `evaluate_with_opts` per input. ZEN's evaluation is `async`; the graphs here have no
//! function or HTTP node, so nothing ever waits: each evaluation is one `block_on` on a
//! current-thread tokio runtime made once, nothing is spawned.

use std::path::Path;
use std::sync::Arc;

use serde_json::Value;
use zen_engine::model::DecisionContent;
use zen_engine::{Decision, DecisionEngine, EvaluationOptions, Variable};

pub struct Zen {
    rt: tokio::runtime::Runtime,
    decision: Decision,
}

impl Zen {
    /// Load a JDM file (relative to this crate's `jdm/` folder) and compile it.
    pub fn load(name: &str) -> anyhow::Result<Zen> {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("jdm").join(name);
        let content: DecisionContent = serde_json::from_slice(&std::fs::read(&path)?)?;
        let engine = DecisionEngine::default();
        let mut decision = engine.create_decision(Arc::new(content))?;
        decision.compile();
        decision.validate()?;
        let rt = tokio::runtime::Builder::new_current_thread().build()?;
        Ok(Zen { rt, decision })
    }

    /// One evaluation from the same `serde_json::Value` the other implementations take (the
    /// conversion to ZEN's `Variable` is part of it), to ZEN's own result (`Variable`; not
    /// converted back to JSON — a host would serialise it to text directly).
    pub fn eval(&self, input: &Value, trace: bool) -> Result<Variable, String> {
        let context = Variable::from(input);
        let options = EvaluationOptions { trace, max_depth: 10 };
        self.rt
            .block_on(self.decision.evaluate_with_opts(context, options))
            .map(|r| {
                if trace {
                    // Keep the trace alive as long as the result: it is what was asked for.
                    std::hint::black_box(&r.trace);
                }
                r.result
            })
            .map_err(|e| e.to_string())
    }

    /// What one `block_on` of an already-ready future costs on this runtime (reported with the
    /// table, so a reader can subtract it).
    pub fn block_on_overhead(&self) -> std::time::Duration {
        let n = 100_000;
        let t = std::time::Instant::now();
        for i in 0..n {
            std::hint::black_box(self.rt.block_on(async { std::hint::black_box(i) }));
        }
        t.elapsed() / n
    }
}

/// ZEN's result as JSON with every number written as its exact decimal text. (ZEN's own
/// `Value::from(Variable)` goes through `f64` unless serde_json's `arbitrary_precision` feature
/// is on; this keeps the comparison exact.)
pub fn to_json(v: &Variable) -> Value {
    match v {
        Variable::Null => Value::Null,
        Variable::Bool(b) => Value::Bool(*b),
        Variable::Number(d) => Value::String(d.normalize().to_string()),
        Variable::String(s) => Value::String(s.to_string()),
        Variable::Array(a) => Value::Array(a.borrow().iter().map(to_json).collect()),
        Variable::Object(o) => {
            Value::Object(o.borrow().iter().map(|(k, v)| (k.to_string(), to_json(v))).collect())
        }
        Variable::Dynamic(d) => d.to_value(),
    }
}
