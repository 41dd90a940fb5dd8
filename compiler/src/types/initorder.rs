//! Initialization order of package-level variables and initialization cycles (types2's
//! initorder.go).

use super::check::{At, Checker, DeclKind};
use super::object::{ObjId, ObjKind};
use super::Initializer;
use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashSet};

type Set = HashSet<usize, crate::syntax::intern::FxBuild>;

struct Node {
    obj: ObjId,
    pred: Set,
    succ: Set,
    ndeps: usize,
    is_func: bool,
}

impl Checker<'_> {
    /// Computes `Info::init_order` and reports initialization cycles.
    pub(crate) fn init_order(&mut self) {
        let (mut nodes, order) = self.dependency_graph();
        let mut heap: BinaryHeap<Reverse<(usize, u32, usize)>> = BinaryHeap::new();
        let mut done = vec![false; nodes.len()];
        for &i in &order {
            heap.push(Reverse((nodes[i].ndeps, self.w.obj(nodes[i].obj).order, i)));
        }
        let mut emitted: HashSet<(usize, u32)> = HashSet::new();
        while let Some(Reverse((ndeps, _, i))) = heap.pop() {
            if done[i] || ndeps != nodes[i].ndeps {
                continue;
            }
            done[i] = true;
            let obj = nodes[i].obj;
            if nodes[i].ndeps > 0 {
                let mut seen = HashSet::new();
                if let Some(cycle) = self.find_path(obj, obj, &mut seen) {
                    self.report_cycle(&cycle);
                }
            }
            let preds: Vec<usize> = nodes[i].pred.iter().copied().collect();
            for p in preds {
                if done[p] {
                    continue;
                }
                nodes[p].ndeps = nodes[p].ndeps.saturating_sub(1);
                heap.push(Reverse((nodes[p].ndeps, self.w.obj(nodes[p].obj).order, p)));
            }
            if !matches!(self.w.obj(obj).kind, ObjKind::Var { .. }) {
                continue;
            }
            let Some(d) = self.obj_map.get(&obj) else { continue };
            let DeclKind::Var { lhs, init: Some(init), .. } = &d.kind else { continue };
            if !emitted.insert((d.file, init.index() as u32)) {
                continue;
            }
            let lhs = lhs.clone().unwrap_or_else(|| vec![obj]);
            self.info.init_order.push(Initializer { lhs, file: d.file, rhs: *init });
        }
    }

    /// The dependency graph of package-level constants, variables and functions with
    /// functions eliminated (their dependencies moved to their dependents); returns the
    /// nodes and the indices of the non-function nodes.
    fn dependency_graph(&mut self) -> (Vec<Node>, Vec<usize>) {
        let mut objs: Vec<ObjId> = self
            .obj_map
            .keys()
            .copied()
            .filter(|&o| {
                matches!(self.w.obj(o).kind, ObjKind::Const { .. } | ObjKind::Var { .. } | ObjKind::Func { .. })
            })
            .collect();
        objs.sort_by_key(|&o| self.w.obj(o).order);
        let index: super::world::FxHashMap<ObjId, usize> = objs.iter().enumerate().map(|(i, &o)| (o, i)).collect();
        let mut nodes: Vec<Node> = objs
            .iter()
            .map(|&o| Node {
                obj: o,
                pred: Set::default(),
                succ: Set::default(),
                ndeps: 0,
                is_func: self.w.obj(o).is_func(),
            })
            .collect();
        for (i, &o) in objs.iter().enumerate() {
            let deps = self.deps_of(o).to_vec();
            for d in deps {
                if let Some(&j) = index.get(&d) {
                    nodes[i].succ.insert(j);
                    nodes[j].pred.insert(i);
                }
            }
        }
        let mut funcs: Vec<usize> = (0..nodes.len()).filter(|&i| nodes[i].is_func).collect();
        funcs.sort_by_key(|&i| nodes[i].pred.len() * nodes[i].succ.len());
        for n in funcs {
            let preds: Vec<usize> = nodes[n].pred.iter().copied().collect();
            let succs: Vec<usize> = nodes[n].succ.iter().copied().collect();
            for &p in &preds {
                if p == n {
                    continue;
                }
                for &s in &succs {
                    if s != n {
                        nodes[p].succ.insert(s);
                        nodes[s].pred.insert(p);
                    }
                }
                nodes[p].succ.remove(&n);
            }
            for &s in &succs {
                nodes[s].pred.remove(&n);
            }
        }
        let order: Vec<usize> = (0..nodes.len()).filter(|&i| !nodes[i].is_func).collect();
        for &i in &order {
            nodes[i].ndeps = nodes[i].succ.len();
        }
        (nodes, order)
    }

    /// A path of dependencies from `from` to `to` (in reverse order), if any.
    fn find_path(&self, from: ObjId, to: ObjId, seen: &mut HashSet<ObjId>) -> Option<Vec<ObjId>> {
        if !seen.insert(from) {
            return None;
        }
        self.obj_map.get(&from)?;
        let deps = self.deps_of(from).to_vec();
        for d in deps {
            if d == to {
                return Some(vec![d]);
            }
            if let Some(mut p) = self.find_path(d, to, seen) {
                p.push(d);
                return Some(p);
            }
        }
        None
    }

    fn report_cycle(&mut self, cycle: &[ObjId]) {
        let mut obj = cycle[0];
        let name = |c: &Self, o: ObjId| c.w.obj(o).name;
        let mut parts = vec![(Some(At::Obj(obj)), format!("initialization loop for {}", name(self, obj)))];
        for i in (0..cycle.len()).rev() {
            parts.push((Some(At::Obj(obj)), format!("{} refers to", name(self, obj))));
            obj = cycle[i];
        }
        parts.push((Some(At::Obj(obj)), name(self, obj).to_string()));
        self.report(parts);
    }
}
