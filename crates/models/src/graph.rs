//! The model's dependency graph: cycles reported once with their path, due dates that cannot
//! follow their dependencies, and inputs no action produces.

use missions_base::said;
use std::collections::{HashMap, HashSet};

use super::ck::{Ck, Names};
use super::draft::DAction;
use super::due::certainly_before;
use super::types::Action;

/// Report every dependency cycle once, with its path, at the first action's dependency.
pub(super) fn cycles(ck: &mut Ck<'_>, actions: &[Action], deps: &[Vec<usize>], pos: &[Vec<usize>], src: &[&DAction]) {
    for comp in strongly_connected(deps) {
        let Some(&start) = comp.iter().min() else {
            continue;
        };
        let is_cycle = comp.len() > 1 || deps.get(start).is_some_and(|d| d.contains(&start));
        if !is_cycle {
            continue;
        }
        let in_comp: HashSet<usize> = comp.iter().copied().collect();
        let Some(path) = cycle_path(start, deps, &in_comp) else {
            continue;
        };
        let names: Vec<String> =
            path.iter().chain([&start]).filter_map(|&i| actions.get(i)).map(|a| format!("`{}`", a.id)).collect();
        // Locate at the entry of `start`'s `depends_on` that leads along the cycle.
        let next = path.get(1).copied().unwrap_or(start);
        let k = deps
            .get(start)
            .and_then(|d| d.iter().position(|&x| x == next))
            .and_then(|i| pos.get(start).and_then(|p| p.get(i)).copied())
            .unwrap_or(0);
        let Some(a) = src.get(start) else { continue };
        let Some(list) = &a.depends_on else { continue };
        let at = ck.d.loc(&list.src, &format!("depends_on[{k}]"));
        let cycle = names.join(" → ");
        ck.error("model.cycle", said!("models-dependency-cycle", cycle), at)
            .set_help_said(said!("models-action-cannot-depend-even-indirectly"));
    }
}

/// The shortest path from `start` along dependencies inside one component back to `start`
/// (without repeating `start` at the end).
fn cycle_path(start: usize, deps: &[Vec<usize>], comp: &HashSet<usize>) -> Option<Vec<usize>> {
    let mut parent: HashMap<usize, usize> = HashMap::new();
    let mut queue = std::collections::VecDeque::from([start]);
    while let Some(v) = queue.pop_front() {
        for &w in deps.get(v)? {
            if w == start {
                let mut path = vec![v];
                let mut at = v;
                while at != start {
                    at = *parent.get(&at)?;
                    path.push(at);
                }
                path.reverse();
                return Some(path);
            }
            if comp.contains(&w) && !parent.contains_key(&w) && w != start {
                parent.insert(w, v);
                queue.push_back(w);
            }
        }
    }
    None
}

/// Tarjan's strongly connected components, iteratively (a long dependency chain must not
/// overflow the stack).
pub(crate) fn strongly_connected(adj: &[Vec<usize>]) -> Vec<Vec<usize>> {
    const NONE: usize = usize::MAX;
    let n = adj.len();
    let mut index = vec![NONE; n];
    let mut low = vec![0; n];
    let mut on_stack = vec![false; n];
    let mut stack = Vec::new();
    let mut next = 0;
    let mut out = Vec::new();
    let mut call: Vec<(usize, usize)> = Vec::new();
    for root in 0..n {
        if index[root] != NONE {
            continue;
        }
        index[root] = next;
        low[root] = next;
        next += 1;
        stack.push(root);
        on_stack[root] = true;
        call.push((root, 0));
        while let Some(&mut (v, ref mut edge)) = call.last_mut() {
            if let Some(&w) = adj[v].get(*edge) {
                *edge += 1;
                if w >= n {
                    continue;
                }
                if index[w] == NONE {
                    index[w] = next;
                    low[w] = next;
                    next += 1;
                    stack.push(w);
                    on_stack[w] = true;
                    call.push((w, 0));
                } else if on_stack[w] {
                    low[v] = low[v].min(index[w]);
                }
            } else {
                call.pop();
                if let Some(&(u, _)) = call.last() {
                    low[u] = low[u].min(low[v]);
                }
                if low[v] == index[v] {
                    let mut comp = Vec::new();
                    while let Some(w) = stack.pop() {
                        on_stack[w] = false;
                        comp.push(w);
                        if w == v {
                            break;
                        }
                    }
                    out.push(comp);
                }
            }
        }
    }
    out
}

/// No action may be due before an action it depends on.
pub(super) fn due_order(ck: &mut Ck<'_>, actions: &[Action], deps: &[Vec<usize>], src: &[&DAction]) {
    for (i, a) in actions.iter().enumerate() {
        let Some(due) = &a.due else { continue };
        for &j in deps.get(i).map_or(&[][..], Vec::as_slice) {
            let Some(dep) = actions.get(j) else { continue };
            let Some(dep_due) = &dep.due else { continue };
            if certainly_before(due, dep_due) {
                let Some(raw) = src.get(i).and_then(|s| s.due.as_ref()) else {
                    continue;
                };
                let at = ck.d.loc(&raw.src, "due");
                let (x, y) = (&a.id, &dep.id);
                ck.error(
                    "model.due-before-dependency",
                    said!("models-action-due-before-action-depends", x, due, y, dep_due),
                    at,
                )
                .set_help_said(said!("models-make-due-later-earlier", x, y));
            }
        }
    }
}

/// An action that works from another action's document should depend on that action.
pub(super) fn inputs_reachable(
    ck: &mut Ck<'_>,
    actions: &[Action],
    deps: &[Vec<usize>],
    inputs: &[Vec<(usize, usize)>],
    doc_owner: &[usize],
    docs: &Names<'_>,
    src: &[&DAction],
) {
    let mut seen = vec![0usize; actions.len()];
    let mut stamp = 0usize;
    for (i, ins) in inputs.iter().enumerate() {
        for &(doc, k) in ins {
            let Some(&producer) = doc_owner.get(doc) else {
                continue;
            };
            let doc_id = docs.list.get(doc).copied().unwrap_or_default();
            let (Some(a), Some(p)) = (actions.get(i), actions.get(producer)) else {
                continue;
            };
            let Some(list) = src.get(i).and_then(|s| s.inputs.as_ref()) else {
                continue;
            };
            if producer == i {
                let at = ck.d.loc(&list.src, &format!("inputs[{k}]"));
                let x = &a.id;
                ck.warning("model.input-not-dependency", said!("models-action-works-from-own-document", x, doc_id), at);
                continue;
            }
            // Depth-first search over dependencies; `seen` is stamped per (action, input).
            stamp += 1;
            let mut todo = vec![i];
            let mut found = false;
            while let Some(v) = todo.pop() {
                for &w in deps.get(v).map_or(&[][..], Vec::as_slice) {
                    if w == producer {
                        found = true;
                        break;
                    }
                    if seen.get(w) != Some(&stamp) {
                        if let Some(s) = seen.get_mut(w) {
                            *s = stamp;
                        }
                        todo.push(w);
                    }
                }
                if found {
                    break;
                }
            }
            if !found {
                let at = ck.d.loc(&list.src, &format!("inputs[{k}]"));
                let (x, y) = (&a.id, &p.id);
                ck.warning(
                    "model.input-not-dependency",
                    said!("models-action-works-from-document-action", x, doc_id, y),
                    at,
                )
                .set_help_said(said!("models-help-depends-on", y, x));
            }
        }
    }
}
