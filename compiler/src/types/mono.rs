//! Detection of instantiation cycles that would need infinitely many instantiations
//! (types2's mono.go): a graph of type parameters and local defined types, with weighted
//! edges for each instantiation; a positive-weight cycle is an error.

use super::check::{At, Checker};
use super::object::ObjId;
use super::ty::{Type, TypeId};
use super::typestring::Qualifier;
use super::world::FxHashMap;
use crate::syntax::pos::{FileId, Pos};

#[derive(Clone, Copy)]
struct Vertex {
    weight: i64,
    pre: usize,
    len: usize,
    obj: ObjId,
}

#[derive(Clone, Copy)]
struct Edge {
    dst: usize,
    src: usize,
    weight: i64,
    pos: (FileId, Pos),
    typ: TypeId,
}

/// The instantiation graph of a package.
#[derive(Default)]
pub(crate) struct MonoGraph {
    vertices: Vec<Vertex>,
    edges: Vec<Edge>,
    /// Receiver type parameters of methods, by the generic type's parameter they stand for.
    canon: FxHashMap<TypeId, TypeId>,
    name_idx: FxHashMap<ObjId, Option<usize>>,
}

impl Checker<'_> {
    /// Records that method receiver type parameter `mpar` stands for `tpar`.
    pub(crate) fn mono_record_canon(&mut self, mpar: TypeId, tpar: TypeId) {
        self.mono.canon.insert(mpar, tpar);
    }

    /// Records an instantiation of `tparams` with `targs` (at `at`, or at the type
    /// argument expressions `xlist`).
    pub(crate) fn mono_record_instance(
        &mut self,
        at: (FileId, Pos),
        tparams: &[TypeId],
        targs: &[TypeId],
        xlist: &[crate::syntax::ast::ExprId],
    ) {
        for (i, &tp) in tparams.iter().enumerate() {
            let pos = match xlist.get(i) {
                Some(&e) => (self.file_id(), self.start_pos(e)),
                None => at,
            };
            if let Some(&t) = targs.get(i) {
                self.mono_assign(pos, tp, t);
            }
        }
    }

    fn mono_assign(&mut self, pos: (FileId, Pos), tpar: TypeId, targ: TypeId) {
        let Some(p) = self.w.type_param(tpar) else { return };
        if self.w.obj(p.obj).pkg != Some(self.pkg) {
            return;
        }
        let dst = self.type_param_vertex(tpar);
        self.mono_do(pos, dst, targ, targ, 0);
    }

    fn mono_flow(&mut self, dst: usize, src: usize, typ: TypeId, targ: TypeId, pos: (FileId, Pos)) {
        let weight = if typ == targ { 0 } else { 1 };
        self.mono.edges.push(Edge { dst, src, weight, pos, typ: targ });
    }

    fn mono_do(&mut self, pos: (FileId, Pos), dst: usize, typ: TypeId, targ: TypeId, depth: u32) {
        if depth > 100 {
            return;
        }
        let d = depth + 1;
        match self.w.ty(typ).clone() {
            Type::TypeParam(_) => {
                let src = self.type_param_vertex(typ);
                self.mono_flow(dst, src, typ, targ, pos);
            }
            Type::Named(n) => {
                if let Some(src) = self.local_named_vertex(n.orig) {
                    self.mono_flow(dst, src, typ, targ, pos);
                }
                for a in n.targs {
                    self.mono_do(pos, dst, a, targ, d);
                }
            }
            Type::Array(_, e) | Type::Chan(_, e) | Type::Pointer(e) | Type::Slice(e) => {
                self.mono_do(pos, dst, e, targ, d)
            }
            Type::Map(k, v) => {
                self.mono_do(pos, dst, k, targ, d);
                self.mono_do(pos, dst, v, targ, d);
            }
            Type::Interface(it) => {
                let ts = self.w.type_set(typ);
                let _ = it;
                for m in self.w.type_set_data(ts).methods.clone() {
                    let mt = self.w.obj(m).typ();
                    self.mono_do(pos, dst, mt, targ, d);
                }
            }
            Type::Signature(s) => {
                for v in self.w.tuple_vars(s.params).to_vec().into_iter().chain(self.w.tuple_vars(s.results).to_vec()) {
                    let vt = self.w.obj(v).typ();
                    self.mono_do(pos, dst, vt, targ, d);
                }
            }
            Type::Struct(st) => {
                for f in st.fields {
                    let ft = self.w.obj(f).typ();
                    self.mono_do(pos, dst, ft, targ, d);
                }
            }
            _ => {}
        }
    }

    /// The vertex of a defined type declared inside a generic function (which is
    /// implicitly parameterized by the function's type parameters); None otherwise.
    fn local_named_vertex(&mut self, orig: TypeId) -> Option<usize> {
        let obj = self.w.named(orig)?.obj;
        if self.w.obj(obj).pkg != Some(self.pkg) {
            return None;
        }
        let root = self.w.pkg(self.pkg).scope;
        let parent = self.w.obj(obj).parent?;
        if parent == root {
            return None;
        }
        if let Some(&idx) = self.mono.name_idx.get(&obj) {
            return idx;
        }
        let mut idx: Option<usize> = None;
        let opos = self.w.obj(obj).pos;
        let mut scope = Some(parent);
        while let Some(s) = scope.filter(|&s| s != root) {
            for (_, elem) in self.w.scope(s).elems().to_vec() {
                let eo = self.w.obj(elem);
                if !eo.is_type_name() || self.w.is_alias(elem) || (eo.pos.line, eo.pos.col) >= (opos.line, opos.col) {
                    continue;
                }
                let et = eo.typ();
                if self.w.is_type_param(et) {
                    let i = *idx.get_or_insert_with(|| {
                        self.mono.vertices.push(Vertex { weight: 0, pre: 0, len: 0, obj });
                        self.mono.vertices.len() - 1
                    });
                    let src = self.type_param_vertex(et);
                    let o = self.w.obj(obj);
                    let pos = (o.file, o.pos);
                    self.mono.edges.push(Edge { dst: i, src, weight: 1, pos, typ: et });
                }
            }
            scope = self.w.scope(s).parent;
        }
        self.mono.name_idx.insert(obj, idx);
        idx
    }

    fn type_param_vertex(&mut self, mut tpar: TypeId) -> usize {
        if let Some(&c) = self.mono.canon.get(&tpar) {
            tpar = c;
        }
        let obj = self.w.type_param(tpar).map_or(ObjId(0), |p| p.obj);
        if let Some(Some(idx)) = self.mono.name_idx.get(&obj) {
            return *idx;
        }
        self.mono.vertices.push(Vertex { weight: 0, pre: 0, len: 0, obj });
        let idx = self.mono.vertices.len() - 1;
        self.mono.name_idx.insert(obj, Some(idx));
        idx
    }

    /// Reports an instantiation cycle if the graph has one (Bellman-Ford on the longest
    /// paths).
    pub(crate) fn monomorph(&mut self) {
        let nv = self.mono.vertices.len();
        let mut again = true;
        while again {
            again = false;
            for i in 0..self.mono.edges.len() {
                let e = self.mono.edges[i];
                let w = self.mono.vertices[e.src].weight + e.weight;
                if w <= self.mono.vertices[e.dst].weight {
                    continue;
                }
                let len = self.mono.vertices[e.src].len + 1;
                let dst = &mut self.mono.vertices[e.dst];
                dst.pre = i;
                dst.len = len;
                if len == nv {
                    self.report_instance_loop(e.dst);
                    return;
                }
                dst.weight = w;
                again = true;
            }
        }
    }

    fn report_instance_loop(&mut self, mut v: usize) {
        let mut stack = Vec::new();
        let mut seen = vec![false; self.mono.vertices.len()];
        while !seen[v] {
            stack.push(v);
            seen[v] = true;
            v = self.mono.edges[self.mono.vertices[v].pre].src;
        }
        while let Some(&first) = stack.first() {
            if first == v {
                break;
            }
            stack.remove(0);
        }
        let obj0 = self.mono.vertices[v].obj;
        let mut parts = vec![(Some(At::Obj(obj0)), "instantiation cycle:".to_string())];
        for &v in &stack {
            let edge = self.mono.edges[self.mono.vertices[v].pre];
            let obj = self.mono.vertices[edge.dst].obj;
            let name = self.w.obj(obj).name;
            let ts = self.w.type_string(edge.typ, Qualifier::Relative(self.pkg, &[]));
            let what = if self.w.is_type_param(self.w.obj(obj).typ()) {
                "instantiated as"
            } else {
                "implicitly parameterized by"
            };
            parts.push((Some(At::FilePos(edge.pos.0, edge.pos.1)), format!("{name} {what} {ts}")));
        }
        self.report(parts);
    }
}
