//! Type unification for type inference (types2's unify.go).

use super::ty::*;
use super::world::World;

/// Maximum recursion depth of unification.
const DEPTH_LIMIT: u32 = 50;

/// The type parameters of one side of a unification and their inferred types (indices
/// into the unifier's shared type list: > 0 set, < 0 joined but unknown, 0 unknown).
#[derive(Clone, Debug, Default)]
struct TpList {
    tparams: Vec<TypeId>,
    indices: Vec<i32>,
}

/// A unifier: infers the type parameters of `x` (and of `y`, which may be the same list).
pub(crate) struct Unifier {
    exact: bool,
    x: TpList,
    y: TpList,
    /// Whether y's type parameters are x's (constraint type inference).
    shared: bool,
    types: Vec<Option<TypeId>>,
    depth: u32,
}

/// The index of type parameter `t` in `list`, if it is one of them.
pub(crate) fn tparam_index(w: &World, list: &[TypeId], t: TypeId) -> Option<usize> {
    let p = w.type_param(t)?;
    let i = p.index as usize;
    (i < list.len() && list[i] == t).then_some(i)
}

impl Unifier {
    /// A unifier for the type parameters `tparams` (on the x side; `shared` makes them
    /// the y side's too).
    pub fn new(tparams: &[TypeId], shared: bool) -> Unifier {
        let x = TpList { tparams: tparams.to_vec(), indices: vec![0; tparams.len()] };
        Unifier { exact: false, x, y: TpList::default(), shared, types: Vec::new(), depth: 0 }
    }

    fn list(&mut self, left: bool) -> &mut TpList {
        if left || self.shared {
            &mut self.x
        } else {
            &mut self.y
        }
    }

    fn index_of(&self, w: &World, left: bool, t: TypeId) -> Option<usize> {
        let l = if left || self.shared { &self.x } else { &self.y };
        tparam_index(w, &l.tparams, t)
    }

    /// The inferred type of x's `i`th type parameter.
    pub fn at(&self, i: usize) -> Option<TypeId> {
        self.at_side(true, i)
    }

    fn at_side(&self, left: bool, i: usize) -> Option<TypeId> {
        let l = if left || self.shared { &self.x } else { &self.y };
        let ti = l.indices[i];
        if ti > 0 {
            return self.types[ti as usize - 1];
        }
        None
    }

    /// Sets the type of x's `i`th type parameter.
    pub fn set(&mut self, i: usize, t: TypeId) {
        self.set_side(true, i, t);
    }

    fn set_side(&mut self, left: bool, i: usize, t: TypeId) {
        let ti = self.list(left).indices[i];
        match ti {
            _ if ti < 0 => {
                self.types[(-ti - 1) as usize] = Some(t);
                self.set_index(left, i, -ti);
            }
            0 => {
                self.types.push(Some(t));
                let n = self.types.len() as i32;
                self.list(left).indices[i] = n;
            }
            _ => {}
        }
    }

    fn set_index(&mut self, left: bool, i: usize, tj: i32) {
        let l = self.list(left);
        let ti = l.indices[i];
        for k in 0..l.indices.len() {
            if l.indices[k] == ti {
                l.indices[k] = tj;
            }
        }
    }

    fn join(&mut self, i: usize, j: usize) -> bool {
        let ti = self.list(true).indices[i];
        let tj = self.list(false).indices[j];
        match (ti, tj) {
            (0, 0) => {
                self.types.push(None);
                let n = -(self.types.len() as i32);
                self.list(true).indices[i] = n;
                self.list(false).indices[j] = n;
            }
            (0, _) => self.list(true).indices[i] = tj,
            (_, 0) => self.list(false).indices[j] = ti,
            _ if ti == tj => {}
            _ if ti > 0 && tj > 0 => return false,
            _ if ti > 0 => self.set_index(false, j, ti),
            _ => self.set_index(true, i, tj),
        }
        true
    }

    /// The number of x's type parameters without inferred type.
    pub fn unknowns(&self) -> usize {
        self.x.indices.iter().filter(|&&t| t <= 0).count()
    }

    /// The inferred types (None: unknown) and the index of the first unknown.
    pub fn types(&self) -> (Vec<Option<TypeId>>, Option<usize>) {
        let list: Vec<Option<TypeId>> = (0..self.x.tparams.len()).map(|i| self.at(i)).collect();
        let index = list.iter().position(Option::is_none);
        (list, index)
    }

    /// Unifies `x` and `y`, inferring type parameters.
    pub fn unify(&mut self, w: &mut World, x: TypeId, y: TypeId) -> bool {
        self.nify(w, x, y, &mut Vec::new())
    }

    fn nify_eq(&mut self, w: &mut World, x: Option<TypeId>, y: Option<TypeId>, p: &mut Vec<(TypeId, TypeId)>) -> bool {
        match (x, y) {
            (Some(a), Some(b)) => a == b || self.nify(w, a, b, p),
            (None, None) => true,
            _ => false,
        }
    }

    fn nify(&mut self, w: &mut World, x: TypeId, y: TypeId, p: &mut Vec<(TypeId, TypeId)>) -> bool {
        if self.depth >= DEPTH_LIMIT {
            return false;
        }
        self.depth += 1;
        let r = self.nify_inner(w, x, y, p);
        self.depth -= 1;
        r
    }

    fn nify_inner(&mut self, w: &mut World, x: TypeId, y: TypeId, p: &mut Vec<(TypeId, TypeId)>) -> bool {
        if !self.exact {
            if matches!(w.ty(x), Type::Named(_)) && !w.has_name(y) {
                let u = w.under(x);
                return self.nify(w, u, y, p);
            } else if matches!(w.ty(y), Type::Named(_)) && !w.has_name(x) {
                let u = w.under(y);
                return self.nify(w, x, u, p);
            }
        }
        let (i, j) = (self.index_of(w, true, x), self.index_of(w, false, y));
        match (i, j) {
            (Some(i), Some(j)) => {
                if self.join(i, j) {
                    return true;
                }
                let (a, b) = (self.at_side(true, i), self.at_side(false, j));
                return self.nify_eq(w, a, b, p);
            }
            (Some(i), None) => {
                if let Some(tx) = self.at_side(true, i) {
                    return self.nify_eq(w, Some(tx), Some(y), p);
                }
                self.set_side(true, i, y);
                return true;
            }
            (None, Some(j)) => {
                if let Some(ty) = self.at_side(false, j) {
                    return self.nify_eq(w, Some(x), Some(ty), p);
                }
                self.set_side(false, j, x);
                return true;
            }
            _ => {}
        }
        if !self.exact {
            if w.is_type_param(x) && !w.has_name(y) {
                if let Some(cx) = w.core_type(x) {
                    return self.nify(w, cx, y, p);
                }
            } else if w.is_type_param(y) && !w.has_name(x) {
                if let Some(cy) = w.core_type(y) {
                    return self.nify(w, x, cy, p);
                }
            }
        }
        let (tx, ty) = (w.ty(x).clone(), w.ty(y).clone());
        match (&tx, &ty) {
            (Type::Basic(a) | Type::BasicAlias(a, _), Type::Basic(b) | Type::BasicAlias(b, _)) => a == b,
            (Type::Array(n, e), Type::Array(m, f)) => (*n < 0 || *m < 0 || n == m) && self.nify(w, *e, *f, p),
            (Type::Slice(e), Type::Slice(f)) | (Type::Pointer(e), Type::Pointer(f)) => self.nify(w, *e, *f, p),
            (Type::Struct(a), Type::Struct(b)) => {
                if a.fields.len() != b.fields.len() {
                    return false;
                }
                for (i, (&f, &g)) in a.fields.iter().zip(&b.fields).enumerate() {
                    let (fo, go) = (w.obj(f).clone(), w.obj(g).clone());
                    if fo.is_embedded() != go.is_embedded() || a.tag(i) != b.tag(i) || !w.same_id(f, go.pkg, go.name) {
                        return false;
                    }
                    if !self.nify(w, fo.typ(), go.typ(), p) {
                        return false;
                    }
                }
                true
            }
            (Type::Tuple(a), Type::Tuple(b)) => {
                if a.len() != b.len() {
                    return false;
                }
                for (&v, &u) in a.iter().zip(b.iter()) {
                    let (vt, ut) = (w.obj(v).typ(), w.obj(u).typ());
                    if !self.nify(w, vt, ut, p) {
                        return false;
                    }
                }
                true
            }
            (Type::Signature(a), Type::Signature(b)) => {
                a.variadic == b.variadic && self.nify(w, a.params, b.params, p) && self.nify(w, a.results, b.results, p)
            }
            (Type::Interface(_), Type::Interface(_)) => self.nify_ifaces(w, x, y, p),
            (Type::Map(k1, v1), Type::Map(k2, v2)) => self.nify(w, *k1, *k2, p) && self.nify(w, *v1, *v2, p),
            (Type::Chan(d1, e1), Type::Chan(d2, e2)) => (!self.exact || d1 == d2) && self.nify(w, *e1, *e2, p),
            (Type::Named(a), Type::Named(b)) => {
                if a.targs.len() != b.targs.len() {
                    return false;
                }
                let (oa, ob) = (w.obj(a.obj), w.obj(b.obj));
                if oa.pkg == ob.pkg && oa.name == ob.name {
                    for (&s, &t) in a.targs.iter().zip(&b.targs) {
                        if !self.nify(w, s, t, p) {
                            return false;
                        }
                    }
                    return true;
                }
                false
            }
            (Type::TypeParam(_), _) => x == y,
            _ => false,
        }
    }

    fn nify_ifaces(&mut self, w: &mut World, x: TypeId, y: TypeId, p: &mut Vec<(TypeId, TypeId)>) -> bool {
        let (sx, sy) = (w.type_set(x), w.type_set(y));
        let (a, b) = (w.type_set_data(sx).clone(), w.type_set_data(sy).clone());
        if a.comparable != b.comparable || !w.terms_equal(&a.terms, &b.terms) || a.methods.len() != b.methods.len() {
            return false;
        }
        if p.iter().any(|&(u, v)| (u, v) == (x, y) || (u, v) == (y, x)) {
            return true;
        }
        p.push((x, y));
        let mut ok = true;
        for (&f, &g) in a.methods.iter().zip(&b.methods) {
            let (gp, gn) = (w.obj(g).pkg, w.obj(g).name);
            let (ft, gt) = (w.obj(f).typ(), w.obj(g).typ());
            if !w.same_id(f, gp, gn) || !self.nify(w, ft, gt, p) {
                ok = false;
                break;
            }
        }
        p.pop();
        ok
    }
}
