//! Type predicates (types2's predicates.go): basic-kind tests, identity, comparability,
//! nil-ability, core types.

use super::object::ObjId;
use super::subst::SubstMap;
use super::ty::*;
use super::world::World;

/// Interface pairs under comparison (to stop infinite recursion through methods).
type IfacePairs = Vec<(TypeId, TypeId)>;

impl World {
    /// Whether the underlying type of `t` is a basic type with any of the `info` bits.
    pub fn is_basic_info(&mut self, t: TypeId, bits: u8) -> bool {
        let u = self.under(t);
        self.ty(u).basic().is_some_and(|k| k.info() & bits != 0)
    }

    /// isBoolean
    pub fn is_boolean(&mut self, t: TypeId) -> bool {
        self.is_basic_info(t, info::BOOLEAN)
    }
    /// isInteger
    pub fn is_integer(&mut self, t: TypeId) -> bool {
        self.is_basic_info(t, info::INTEGER)
    }
    /// isUnsigned
    pub fn is_unsigned(&mut self, t: TypeId) -> bool {
        self.is_basic_info(t, info::UNSIGNED)
    }
    /// isFloat
    pub fn is_float(&mut self, t: TypeId) -> bool {
        self.is_basic_info(t, info::FLOAT)
    }
    /// isComplex
    pub fn is_complex(&mut self, t: TypeId) -> bool {
        self.is_basic_info(t, info::COMPLEX)
    }
    /// isNumeric
    pub fn is_numeric(&mut self, t: TypeId) -> bool {
        self.is_basic_info(t, info::NUMERIC)
    }
    /// isString
    pub fn is_string(&mut self, t: TypeId) -> bool {
        self.is_basic_info(t, info::STRING)
    }
    /// isConstType: boolean, numeric or string.
    pub fn is_const_type(&mut self, t: TypeId) -> bool {
        self.is_basic_info(t, info::CONST_TYPE)
    }

    /// Whether `t` is an untyped basic type (not looking through names).
    pub fn is_untyped(&self, t: TypeId) -> bool {
        self.ty(t).basic().is_some_and(BasicKind::is_untyped)
    }

    /// Whether `t` is typed.
    pub fn is_typed(&self, t: TypeId) -> bool {
        !self.is_untyped(t)
    }

    /// allBasic: for a type parameter, whether every type in its type set has the property
    /// (false if it has no specific types); for other types, isBasic.
    pub fn all_basic(&mut self, t: TypeId, bits: u8) -> bool {
        if self.is_type_param(t) {
            let Some(terms) = self.tparam_terms(t) else { return false };
            return terms.iter().all(|term| term.ty.is_some_and(|ty| self.is_basic_info(ty, bits)));
        }
        self.is_basic_info(t, bits)
    }

    /// allBoolean
    pub fn all_boolean(&mut self, t: TypeId) -> bool {
        self.all_basic(t, info::BOOLEAN)
    }
    /// allInteger
    pub fn all_integer(&mut self, t: TypeId) -> bool {
        self.all_basic(t, info::INTEGER)
    }
    /// allUnsigned
    pub fn all_unsigned(&mut self, t: TypeId) -> bool {
        self.all_basic(t, info::UNSIGNED)
    }
    /// allNumeric
    pub fn all_numeric(&mut self, t: TypeId) -> bool {
        self.all_basic(t, info::NUMERIC)
    }
    /// allString
    pub fn all_string(&mut self, t: TypeId) -> bool {
        self.all_basic(t, info::STRING)
    }
    /// allOrdered
    pub fn all_ordered(&mut self, t: TypeId) -> bool {
        self.all_basic(t, info::ORDERED)
    }
    /// allNumericOrString
    pub fn all_numeric_or_string(&mut self, t: TypeId) -> bool {
        self.all_basic(t, info::NUMERIC | info::STRING)
    }

    /// The specific terms of a type parameter's type set (None if it has none).
    pub fn tparam_terms(&mut self, t: TypeId) -> Option<Vec<Term>> {
        let iface = self.tparam_iface(t);
        let ts = self.type_set(iface);
        let set = self.type_set_data(ts);
        set.has_terms().then(|| set.terms.clone())
    }

    /// The underlying types of the terms of a type parameter's type set (types2's underIs
    /// domain); None if it has no specific terms.
    pub fn tparam_under_terms(&mut self, t: TypeId) -> Option<Vec<TypeId>> {
        let terms = self.tparam_terms(t)?;
        let mut out = Vec::with_capacity(terms.len());
        for term in terms {
            let ty = term.ty.unwrap_or(TypeId::INVALID);
            out.push(if term.tilde { ty } else { self.under(ty) });
        }
        Some(out)
    }

    /// hasName: basic, named and type parameter types have names.
    pub fn has_name(&self, t: TypeId) -> bool {
        matches!(self.ty(t), Type::Basic(_) | Type::BasicAlias(..) | Type::Named(_) | Type::TypeParam(_))
    }

    /// Whether the underlying type is an interface (incl. type parameters).
    pub fn is_interface(&mut self, t: TypeId) -> bool {
        let u = self.under(t);
        matches!(self.ty(u), Type::Interface(_))
    }

    /// An interface that is not a type parameter.
    pub fn is_non_tparam_interface(&mut self, t: TypeId) -> bool {
        !self.is_type_param(t) && self.is_interface(t)
    }

    /// A generic defined type that is not instantiated.
    pub fn is_generic(&self, t: TypeId) -> bool {
        matches!(self.ty(t), Type::Named(n) if n.targs.is_empty() && !n.tparams.is_empty())
    }

    /// `*I` for an interface I.
    pub fn is_interface_ptr(&mut self, t: TypeId) -> bool {
        let u = self.under(t);
        match *self.ty(u) {
            Type::Pointer(b) => self.is_interface(b),
            _ => false,
        }
    }

    /// The default type of an untyped type (rune for untyped rune); `t` itself otherwise.
    pub fn default_type(&self, t: TypeId) -> TypeId {
        match self.ty(t) {
            Type::Basic(BasicKind::UntypedRune) => RUNE,
            Type::Basic(k) if k.is_untyped() && *k != BasicKind::UntypedNil => k.default_kind().id(),
            _ => t,
        }
    }

    /// Type identity (spec: "Type identity"), struct tags included.
    pub fn identical(&mut self, x: TypeId, y: TypeId) -> bool {
        self.identical_inner(x, y, true, &mut Vec::new())
    }

    /// Type identity ignoring struct tags (for conversions).
    pub fn identical_ignore_tags(&mut self, x: TypeId, y: TypeId) -> bool {
        self.identical_inner(x, y, false, &mut Vec::new())
    }

    fn identical_inner(&mut self, x: TypeId, y: TypeId, tags: bool, p: &mut IfacePairs) -> bool {
        if x == y {
            return true;
        }
        let (tx, ty) = (self.ty(x).clone(), self.ty(y).clone());
        match (&tx, &ty) {
            (Type::Basic(a) | Type::BasicAlias(a, _), Type::Basic(b) | Type::BasicAlias(b, _)) => a == b,
            (Type::Array(n, e), Type::Array(m, f)) => {
                (*n < 0 || *m < 0 || n == m) && self.identical_inner(*e, *f, tags, p)
            }
            (Type::Slice(e), Type::Slice(f)) | (Type::Pointer(e), Type::Pointer(f)) => {
                self.identical_inner(*e, *f, tags, p)
            }
            (Type::Struct(a), Type::Struct(b)) => self.identical_structs(a, b, tags, p),
            (Type::Tuple(a), Type::Tuple(b)) => self.identical_vars(a, b, tags, p),
            (Type::Signature(a), Type::Signature(b)) => self.identical_sigs(a, b, tags, p),
            (Type::Union(_), Type::Union(_)) => {
                let (xs, ys) = (self.union_terms(x), self.union_terms(y));
                match (xs, ys) {
                    (Some(a), Some(b)) => self.terms_equal(&a, &b),
                    _ => false,
                }
            }
            (Type::Interface(_), Type::Interface(_)) => self.identical_ifaces(x, y, tags, p),
            (Type::Map(k1, v1), Type::Map(k2, v2)) => {
                self.identical_inner(*k1, *k2, tags, p) && self.identical_inner(*v1, *v2, tags, p)
            }
            (Type::Chan(d1, e1), Type::Chan(d2, e2)) => d1 == d2 && self.identical_inner(*e1, *e2, tags, p),
            (Type::Named(a), Type::Named(b)) => {
                if a.targs.len() != b.targs.len() {
                    return false;
                }
                if !a.targs.is_empty() {
                    return a.orig == b.orig && a.targs.iter().zip(&b.targs).all(|(&s, &t)| self.identical(s, t));
                }
                a.obj == b.obj
            }
            _ => false,
        }
    }

    fn identical_vars(&mut self, a: &[ObjId], b: &[ObjId], tags: bool, p: &mut IfacePairs) -> bool {
        a.len() == b.len()
            && a.iter().zip(b).all(|(&v, &w)| {
                let (vt, wt) = (self.obj(v).typ(), self.obj(w).typ());
                self.identical_inner(vt, wt, tags, p)
            })
    }

    fn identical_structs(&mut self, a: &StructType, b: &StructType, tags: bool, p: &mut IfacePairs) -> bool {
        if a.fields.len() != b.fields.len() {
            return false;
        }
        for (i, (&f, &g)) in a.fields.iter().zip(&b.fields).enumerate() {
            let (fo, go) = (self.obj(f), self.obj(g));
            if fo.is_embedded() != go.is_embedded() || tags && a.tag(i) != b.tag(i) {
                return false;
            }
            let (gpkg, gname) = (go.pkg, go.name);
            if !self.same_id(f, gpkg, gname) {
                return false;
            }
            let (ft, gt) = (self.obj(f).typ(), self.obj(g).typ());
            if !self.identical_inner(ft, gt, tags, p) {
                return false;
            }
        }
        true
    }

    fn identical_sigs(&mut self, a: &Signature, b: &Signature, tags: bool, p: &mut IfacePairs) -> bool {
        if a.tparams.len() != b.tparams.len() || a.variadic != b.variadic {
            return false;
        }
        let (mut bparams, mut bresults) = (b.params, b.results);
        if !a.tparams.is_empty() {
            let smap = SubstMap::new(&b.tparams, &a.tparams);
            for (&xt, &yt) in a.tparams.iter().zip(&b.tparams) {
                let xb = self.type_param(xt).map_or(TypeId::INVALID, |t| t.bound);
                let yb = self.type_param(yt).map_or(TypeId::INVALID, |t| t.bound);
                let yb = self.subst(yb, &smap);
                if !self.identical_inner(xb, yb, tags, p) {
                    return false;
                }
            }
            bparams = self.subst(bparams, &smap);
            bresults = self.subst(bresults, &smap);
        }
        self.identical_inner(a.params, bparams, tags, p) && self.identical_inner(a.results, bresults, tags, p)
    }

    fn identical_ifaces(&mut self, x: TypeId, y: TypeId, tags: bool, p: &mut IfacePairs) -> bool {
        let (sx, sy) = (self.type_set(x), self.type_set(y));
        let (a, b) = (self.type_set_data(sx).clone(), self.type_set_data(sy).clone());
        if a.comparable != b.comparable || !self.terms_equal(&a.terms, &b.terms) {
            return false;
        }
        if a.methods.len() != b.methods.len() {
            return false;
        }
        if p.iter().any(|&(u, v)| (u, v) == (x, y) || (u, v) == (y, x)) {
            return true;
        }
        p.push((x, y));
        let mut ok = true;
        for (&f, &g) in a.methods.iter().zip(&b.methods) {
            let (gp, gn) = (self.obj(g).pkg, self.obj(g).name);
            let (ft, gt) = (self.obj(f).typ(), self.obj(g).typ());
            if !self.same_id(f, gp, gn) || !self.identical_inner(ft, gt, tags, p) {
                ok = false;
                break;
            }
        }
        p.pop();
        ok
    }

    /// Comparable(T): whether values of type `t` can be compared with `==`.
    pub fn comparable(&mut self, t: TypeId) -> bool {
        self.comparable_full(t, true, &mut Vec::new()).is_ok()
    }

    /// types2's comparable with `dynamic` (interfaces count as comparable) and a seen list;
    /// on failure, the cause as types2 reports it (`reportf` messages), or "".
    pub fn comparable_full(&mut self, t: TypeId, dynamic: bool, seen: &mut Vec<TypeId>) -> Result<(), Cause> {
        if seen.contains(&t) {
            return Ok(());
        }
        seen.push(t);
        let u = self.under(t);
        match self.ty(u).clone() {
            Type::Basic(k) | Type::BasicAlias(k, _) => {
                if k == BasicKind::UntypedNil {
                    Err(Cause::None)
                } else {
                    Ok(())
                }
            }
            Type::Pointer(_) | Type::Chan(..) => Ok(()),
            Type::Struct(st) => {
                for &f in &st.fields {
                    let ft = self.obj(f).typ();
                    if self.comparable_full(ft, dynamic, seen).is_err() {
                        return Err(Cause::StructField(ft));
                    }
                }
                Ok(())
            }
            Type::Array(_, e) => {
                if self.comparable_full(e, dynamic, seen).is_err() {
                    return Err(Cause::ArrayElem(u));
                }
                Ok(())
            }
            Type::Interface(_) => {
                if dynamic && !self.is_type_param(t) || self.type_set_comparable(u, seen) {
                    return Ok(());
                }
                let ts = self.type_set(u);
                if self.type_set_data(ts).is_empty() {
                    Err(Cause::EmptyTypeSet)
                } else {
                    Err(Cause::IncomparableTypeSet)
                }
            }
            _ => Err(Cause::None),
        }
    }

    /// Whether every type of an interface's type set is comparable.
    pub(crate) fn type_set_comparable(&mut self, iface: TypeId, seen: &mut Vec<TypeId>) -> bool {
        let ts = self.type_set(iface);
        let set = self.type_set_data(ts).clone();
        if set.all_terms() {
            return set.comparable;
        }
        if !set.has_terms() {
            return false;
        }
        set.terms.iter().all(|term| term.ty.is_some_and(|ty| self.comparable_full(ty, false, seen).is_ok()))
    }

    /// hasNil: whether `nil` can be assigned to values of type `t`.
    pub fn has_nil(&mut self, t: TypeId) -> bool {
        let u = self.under(t);
        match self.ty(u) {
            Type::Basic(k) => *k == BasicKind::UnsafePointer,
            Type::Slice(_) | Type::Pointer(_) | Type::Signature(_) | Type::Map(..) | Type::Chan(..) => true,
            Type::Interface(_) => {
                if !self.is_type_param(t) {
                    return true;
                }
                match self.tparam_under_terms(t) {
                    Some(us) => us.into_iter().all(|u| self.has_nil(u)),
                    None => false,
                }
            }
            _ => false,
        }
    }

    /// The core type of `t` (types2's coreType): its underlying type, or for a type
    /// parameter the single underlying type of all types in its type set (channels may
    /// differ in direction); None if there is none.
    pub fn core_type(&mut self, t: TypeId) -> Option<TypeId> {
        if !self.is_type_param(t) {
            return Some(self.under(t));
        }
        let us = self.tparam_under_terms(t)?;
        let mut su: Option<TypeId> = None;
        for u in us {
            su = Some(match su {
                None => u,
                Some(s) => self.match_core(s, u)?,
            });
        }
        su
    }

    /// coreString: like core_type, but string types count as []byte (for append, copy
    /// and slicing); gives `string` if all types are strings.
    pub fn core_string(&mut self, t: TypeId) -> Option<TypeId> {
        if !self.is_type_param(t) {
            return Some(self.under(t));
        }
        let us = self.tparam_under_terms(t)?;
        let mut su: Option<TypeId> = None;
        let mut has_string = false;
        for mut u in us {
            if self.is_string(u) {
                u = self.slice(BYTE);
                has_string = true;
            }
            su = Some(match su {
                None => u,
                Some(s) => self.match_core(s, u)?,
            });
        }
        if has_string {
            return Some(BasicKind::String.id());
        }
        su
    }

    fn match_core(&mut self, x: TypeId, y: TypeId) -> Option<TypeId> {
        if self.identical(x, y) {
            return Some(x);
        }
        if let (Type::Chan(dx, ex), Type::Chan(dy, ey)) = (self.ty(x).clone(), self.ty(y).clone()) {
            if self.identical(ex, ey) {
                if dx == ChanDir::Both {
                    return Some(y);
                }
                if dy == ChanDir::Both {
                    return Some(x);
                }
            }
        }
        None
    }

    /// `(base, true)` for a pointer type (not looking through names), `(t, false)` otherwise.
    pub fn deref(&self, t: TypeId) -> (TypeId, bool) {
        match self.ty(t) {
            Type::Pointer(b) => (*b, true),
            _ => (t, false),
        }
    }

    /// The base of a pointer to a struct (looking through names), else `t`.
    pub fn deref_struct_ptr(&mut self, t: TypeId) -> TypeId {
        let u = self.under(t);
        if let Type::Pointer(b) = *self.ty(u) {
            let bu = self.under(b);
            if matches!(self.ty(bu), Type::Struct(_)) {
                return b;
            }
        }
        t
    }
}

/// Why a type is not comparable (types2's reportf messages).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Cause {
    None,
    /// "struct containing %s cannot be compared"
    StructField(TypeId),
    /// "%s cannot be compared" (of the array type)
    ArrayElem(TypeId),
    /// "empty type set"
    EmptyTypeSet,
    /// "incomparable types in type set"
    IncomparableTypeSet,
}
