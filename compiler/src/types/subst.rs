//! Underlying types of defined types, instantiation of generic types and signatures, and
//! type substitution (types2's named.go, instantiate.go, subst.go).

use super::object::{ObjId, ObjKind, Object};
use super::ty::*;
use super::world::World;

/// A substitution of type parameters by types.
#[derive(Clone, Debug, Default)]
pub struct SubstMap {
    pub from: Vec<TypeId>,
    pub to: Vec<TypeId>,
}

impl SubstMap {
    /// The map `from[i] -> to[i]` (lists of equal length).
    pub fn new(from: &[TypeId], to: &[TypeId]) -> SubstMap {
        let n = from.len().min(to.len());
        SubstMap { from: from[..n].to_vec(), to: to[..n].to_vec() }
    }

    fn lookup(&self, t: TypeId) -> TypeId {
        self.from.iter().position(|&p| p == t).map_or(t, |i| self.to[i])
    }

    /// Whether the map substitutes nothing.
    pub fn is_empty(&self) -> bool {
        self.from.is_empty()
    }
}

/// Maximum depth of nested substitutions (guards against runaway expansion of invalid
/// recursive generic types; such types are reported by the validity check).
const MAX_SUBST_DEPTH: u32 = 64;

impl World {
    /// The underlying type of `t` (types2's `under`): follows defined types (expanding
    /// instances as needed) and gives a type parameter's constraint interface.
    pub fn under(&mut self, t: TypeId) -> TypeId {
        match self.ty(t) {
            Type::Named(_) => self.named_under(t),
            Type::TypeParam(_) => self.tparam_iface(t),
            _ => t,
        }
    }

    /// The underlying type without expanding instances (for printing): INVALID for
    /// unexpanded instances.
    pub fn under_no_expand(&self, mut t: TypeId) -> TypeId {
        for _ in 0..100 {
            match self.ty(t) {
                Type::Named(n) => t = n.underlying,
                _ => return t,
            }
        }
        TypeId::INVALID
    }

    fn named_under(&mut self, t: TypeId) -> TypeId {
        let mut cur = t;
        for _ in 0..100 {
            self.expand_named(cur);
            let Some(n) = self.named(cur) else { return cur };
            let u = n.underlying;
            if !matches!(self.ty(u), Type::Named(_)) {
                return u;
            }
            cur = u;
        }
        TypeId::INVALID
    }

    /// Computes the underlying type of an instance from its origin's, once the origin is
    /// fully declared.
    pub fn expand_named(&mut self, t: TypeId) {
        let Some(n) = self.named(t) else { return };
        if n.expanded {
            return;
        }
        let (orig, targs) = (n.orig, n.targs.clone());
        let Some(on) = self.named(orig) else { return };
        let (tparams, orig_under, orig_obj) = (on.tparams.clone(), on.underlying, on.obj);
        let origin_done = self.obj(orig_obj).color == super::object::BLACK;
        if origin_done {
            if let Some(n) = self.named_mut(t) {
                n.expanded = true;
                n.tparams = tparams.clone();
            }
        }
        if self.expand_depth > MAX_SUBST_DEPTH {
            return;
        }
        // Like types2, substitute into the origin's direct underlying type, which may still
        // be a defined type (chains are resolved, and cycles reported, by the checker).
        // Instances made on the way are positioned at this instance.
        let own = self.named(t).map(|n| n.obj).map(|o| (self.obj(o).file, self.obj(o).pos));
        self.expand_depth += 1;
        let u = if tparams.len() != targs.len() {
            TypeId::INVALID
        } else {
            let smap = SubstMap::new(&tparams, &targs);
            let saved = std::mem::replace(&mut self.subst_pos, own);
            let u = self.subst(orig_under, &smap);
            self.subst_pos = saved;
            self.replace_iface_recv(u, orig_under, t)
        };
        self.expand_depth -= 1;
        let method_count = self.named(orig).map_or(0, |o| o.methods.len());
        if let Some(n) = self.named_mut(t) {
            n.underlying = u;
            n.from_rhs = u;
            if n.methods.len() != method_count {
                n.methods = vec![None; method_count];
            }
        }
    }

    /// An interface obtained by substitution whose methods still name the generic
    /// interface as receiver gets the instance as receiver.
    fn replace_iface_recv(&mut self, u: TypeId, old: TypeId, inst: TypeId) -> TypeId {
        let Some(it) = self.iface(u) else { return u };
        let methods = it.methods.clone();
        let mut changed = Vec::with_capacity(methods.len());
        let mut any = false;
        for m in methods {
            let sig = self.obj(m).typ();
            let recv = self.sig(sig).and_then(|s| s.recv);
            let Some(recv) = recv.filter(|&r| self.obj(r).typ() == old || self.obj(r).typ() == u) else {
                changed.push(m);
                continue;
            };
            any = true;
            let new_recv = self.copy_var(recv, inst);
            let mut new_sig = self.sig(sig).cloned().unwrap_or_else(|| unreachable_sig(self));
            new_sig.recv = Some(new_recv);
            let st = self.add_type(Type::Signature(Box::new(new_sig)));
            changed.push(self.copy_func(m, st));
        }
        if !any {
            return u;
        }
        let mut it = self.iface(u).cloned().unwrap_or_default();
        it.methods = changed;
        it.tset = None;
        if u == old {
            return self.add_type(Type::Interface(Box::new(it)));
        }
        if let Type::Interface(b) = self.ty_mut(u) {
            **b = it;
        }
        u
    }

    /// A type parameter's constraint as an interface (types2's TypeParam.iface): a non-
    /// interface bound is wrapped into an implicit interface.
    pub fn tparam_iface(&mut self, tp: TypeId) -> TypeId {
        let Some(p) = self.type_param(tp) else { return tp };
        let bound = p.bound;
        let u = self.under(bound);
        match self.ty(u) {
            Type::Basic(BasicKind::Invalid) => return self.predeclared.empty_interface,
            Type::Interface(_) if self.is_type_param(bound) => return self.predeclared.empty_interface,
            Type::Interface(_) => return u,
            _ => {}
        }
        let it = self.add_type(Type::Interface(Box::new(InterfaceType {
            embeddeds: vec![bound],
            implicit: true,
            complete: true,
            ..Default::default()
        })));
        if let Type::TypeParam(p) = self.ty_mut(tp) {
            p.bound = it;
        }
        it
    }

    /// The `i`th method of a defined type (instantiated on demand for instances).
    pub fn named_method(&mut self, t: TypeId, i: usize) -> Option<ObjId> {
        self.expand_named(t);
        let n = self.named(t)?;
        if n.orig == t {
            return n.methods.get(i).copied().flatten();
        }
        if let Some(Some(m)) = n.methods.get(i) {
            return Some(*m);
        }
        let orig = n.orig;
        let targs = n.targs.clone();
        let origm = self.named(orig)?.methods.get(i).copied().flatten()?;
        let m = self.instantiate_method(origm, t, &targs);
        if let Some(n) = self.named_mut(t) {
            if n.methods.len() <= i {
                n.methods.resize(i + 1, None);
            }
            n.methods[i] = Some(m);
        }
        Some(m)
    }

    /// The number of methods declared for a defined type (its origin's).
    pub fn named_method_count(&self, t: TypeId) -> usize {
        let Some(n) = self.named(t) else { return 0 };
        self.named(n.orig).map_or(0, |o| o.methods.len())
    }

    fn instantiate_method(&mut self, origm: ObjId, inst: TypeId, targs: &[TypeId]) -> ObjId {
        let orig_sig = self.obj(origm).typ();
        let Some(sig) = self.sig(orig_sig).cloned() else { return origm };
        let smap = SubstMap::new(&sig.rparams, targs);
        let new_sig_id = if sig.rparams.len() == targs.len() { self.subst(orig_sig, &smap) } else { orig_sig };
        let mut new_sig = self.sig(new_sig_id).cloned().unwrap_or(sig.clone());
        let rtyp = if self.obj(origm).has_ptr_recv() { self.pointer(inst) } else { inst };
        if let Some(r) = sig.recv {
            new_sig.recv = Some(self.copy_var(r, rtyp));
        }
        let st = self.add_type(Type::Signature(Box::new(new_sig)));
        self.copy_func(origm, st)
    }

    /// A copy of variable `v` with type `t`, remembering the original.
    pub fn copy_var(&mut self, v: ObjId, t: TypeId) -> ObjId {
        let mut o: Object = self.obj(v).clone();
        o.ty = Some(t);
        if let ObjKind::Var { origin, .. } = &mut o.kind {
            *origin = Some(origin.unwrap_or(v));
        }
        self.add_obj(o)
    }

    /// A copy of function `f` with type `t`, remembering the original.
    pub fn copy_func(&mut self, f: ObjId, t: TypeId) -> ObjId {
        let mut o: Object = self.obj(f).clone();
        o.ty = Some(t);
        if let ObjKind::Func { origin, .. } = &mut o.kind {
            *origin = Some(origin.unwrap_or(f));
        }
        self.add_obj(o)
    }

    /// The instance of generic type `orig` with `targs` (shared with an identical earlier
    /// instance). The underlying type is computed lazily. Like types2, each instance has
    /// its own type name object, positioned where it was first instantiated (`at`, or the
    /// generic type's position).
    pub fn instantiate_named(
        &mut self,
        orig: TypeId,
        targs: &[TypeId],
        at: Option<(crate::syntax::pos::FileId, crate::syntax::pos::Pos)>,
    ) -> TypeId {
        if let Some(t) = self.find_instance(orig, targs) {
            return t;
        }
        let Some(on) = self.named(orig) else { return TypeId::INVALID };
        let oo = self.obj(on.obj).clone();
        let (file, pos) = at.unwrap_or((oo.file, oo.pos));
        let obj =
            self.add_obj(Object { file, pos, ty: None, parent: None, order: 0, color: super::object::BLACK, ..oo });
        let id = TypeId(self.type_count() as u32);
        self.obj_mut(obj).ty = Some(id);
        self.add_type(Type::Named(Box::new(NamedType {
            obj,
            orig,
            targs: targs.to_vec(),
            tparams: Vec::new(),
            underlying: TypeId::INVALID,
            from_rhs: TypeId::INVALID,
            methods: Vec::new(),
            expanded: false,
        })));
        self.instances.entry(orig).or_default().push((targs.into(), id));
        id
    }

    /// The instance of generic signature `sig` with `targs` (type parameters dropped).
    pub fn instantiate_signature(&mut self, sig: TypeId, targs: &[TypeId]) -> TypeId {
        if let Some(t) = self.find_instance(sig, targs) {
            return t;
        }
        let Some(s) = self.sig(sig) else { return TypeId::INVALID };
        let tparams = s.tparams.clone();
        if tparams.len() != targs.len() {
            return TypeId::INVALID;
        }
        let smap = SubstMap::new(&tparams, targs);
        let res = self.subst(sig, &smap);
        let mut new = self.sig(res).cloned().unwrap_or_else(|| unreachable_sig(self));
        new.tparams = Vec::new();
        let id = self.add_type(Type::Signature(Box::new(new)));
        self.instances.entry(sig).or_default().push((targs.into(), id));
        id
    }

    fn find_instance(&mut self, orig: TypeId, targs: &[TypeId]) -> Option<TypeId> {
        let candidates: Vec<super::world::InstanceEntry> = self.instances.get(&orig)?.clone();
        'outer: for (args, inst) in candidates {
            if args.len() != targs.len() {
                continue;
            }
            for (&a, &b) in args.iter().zip(targs) {
                if !self.identical(a, b) {
                    continue 'outer;
                }
            }
            return Some(inst);
        }
        None
    }

    /// `t` with the type parameters of `smap` replaced (types2's subst): unchanged parts
    /// keep their ids.
    pub fn subst(&mut self, t: TypeId, smap: &SubstMap) -> TypeId {
        if smap.is_empty() {
            return t;
        }
        self.subst_depth(t, smap, 0)
    }

    fn subst_depth(&mut self, t: TypeId, smap: &SubstMap, depth: u32) -> TypeId {
        if depth > MAX_SUBST_DEPTH {
            return TypeId::INVALID;
        }
        let d = depth + 1;
        match self.ty(t).clone() {
            Type::Basic(_) | Type::BasicAlias(..) => t,
            Type::TypeParam(_) => smap.lookup(t),
            Type::Array(n, e) => {
                let e2 = self.subst_depth(e, smap, d);
                if e2 == e {
                    t
                } else {
                    self.array(n, e2)
                }
            }
            Type::Slice(e) => {
                let e2 = self.subst_depth(e, smap, d);
                if e2 == e {
                    t
                } else {
                    self.slice(e2)
                }
            }
            Type::Pointer(b) => {
                let b2 = self.subst_depth(b, smap, d);
                if b2 == b {
                    t
                } else {
                    self.pointer(b2)
                }
            }
            Type::Map(k, v) => {
                let (k2, v2) = (self.subst_depth(k, smap, d), self.subst_depth(v, smap, d));
                if k2 == k && v2 == v {
                    t
                } else {
                    self.map(k2, v2)
                }
            }
            Type::Chan(dir, e) => {
                let e2 = self.subst_depth(e, smap, d);
                if e2 == e {
                    t
                } else {
                    self.chan(dir, e2)
                }
            }
            Type::Struct(st) => match self.subst_vars(&st.fields, smap, d) {
                Some(fields) => {
                    let s = StructType { fields, tags: st.tags.clone(), complete: true };
                    self.add_type(Type::Struct(Box::new(s)))
                }
                None => t,
            },
            Type::Tuple(vars) => match self.subst_vars(&vars, smap, d) {
                Some(v) => self.tuple(v),
                None => t,
            },
            Type::Signature(sig) => {
                let p = self.subst_depth(sig.params, smap, d);
                let r = self.subst_depth(sig.results, smap, d);
                if p == sig.params && r == sig.results {
                    return t;
                }
                let mut s2 = (*sig).clone();
                s2.params = p;
                s2.results = r;
                self.add_type(Type::Signature(Box::new(s2)))
            }
            Type::Union(terms) => {
                let mut out = terms.to_vec();
                let mut changed = false;
                for term in &mut out {
                    if let Some(ty) = term.ty {
                        let ty2 = self.subst_depth(ty, smap, d);
                        changed |= ty2 != ty;
                        term.ty = Some(ty2);
                    }
                }
                if changed {
                    self.add_type(Type::Union(out.into_boxed_slice()))
                } else {
                    t
                }
            }
            Type::Interface(it) => self.subst_interface(t, &it, smap, d),
            Type::Named(n) => {
                let on = self.named(n.orig).map(|o| o.tparams.len()).unwrap_or(0);
                if on == 0 || n.targs.is_empty() {
                    return t;
                }
                if n.targs.len() != on {
                    return TypeId::INVALID;
                }
                let mut changed = false;
                let mut targs = n.targs.clone();
                for a in &mut targs {
                    let a2 = self.subst_depth(*a, smap, d);
                    changed |= a2 != *a;
                    *a = a2;
                }
                if !changed {
                    return t;
                }
                let at = self.subst_pos;
                self.instantiate_named(n.orig, &targs, at)
            }
        }
    }

    fn subst_interface(&mut self, t: TypeId, it: &InterfaceType, smap: &SubstMap, d: u32) -> TypeId {
        let mut methods = it.methods.clone();
        let mut changed = false;
        for m in &mut methods {
            let mt = self.obj(*m).typ();
            let mt2 = self.subst_depth(mt, smap, d);
            if mt2 != mt {
                *m = self.copy_func(*m, mt2);
                changed = true;
            }
        }
        let mut embeddeds = it.embeddeds.clone();
        for e in &mut embeddeds {
            let e2 = self.subst_depth(*e, smap, d);
            changed |= e2 != *e;
            *e = e2;
        }
        if !changed {
            return t;
        }
        let new = self.add_type(Type::Interface(Box::new(InterfaceType {
            methods: methods.clone(),
            embeddeds,
            embed_pos: Vec::new(),
            implicit: it.implicit,
            complete: it.complete,
            tset: None,
        })));
        // Methods whose receiver is the old interface get the new one.
        let fixed = self.replace_iface_recv(new, t, new);
        debug_assert_eq!(fixed, new);
        new
    }

    fn subst_vars(&mut self, vars: &[ObjId], smap: &SubstMap, d: u32) -> Option<Vec<ObjId>> {
        let mut out: Option<Vec<ObjId>> = None;
        for (i, &v) in vars.iter().enumerate() {
            let vt = self.obj(v).typ();
            let vt2 = self.subst_depth(vt, smap, d);
            if vt2 != vt {
                let nv = self.copy_var(v, vt2);
                out.get_or_insert_with(|| vars.to_vec())[i] = nv;
            }
        }
        out
    }
}

fn unreachable_sig(w: &World) -> Signature {
    Signature {
        recv: None,
        rparams: Vec::new(),
        tparams: Vec::new(),
        params: w.empty_tuple,
        results: w.empty_tuple,
        variadic: false,
        scope: None,
    }
}
