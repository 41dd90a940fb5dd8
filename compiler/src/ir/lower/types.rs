//! The IR type (layout) of a checker type.

use super::Lowerer;
use crate::ir::ty::{Ty, TyId};
use crate::types::ty::Type;
use crate::types::{BasicKind, TypeId};

impl Lowerer<'_> {
    /// The IR type of checker type `t`.
    pub(super) fn ir_ty(&self, t: TypeId) -> TyId {
        let ty = self.ir_ty_structure(t);
        self.tys.borrow_mut().intern(ty)
    }

    fn ir_ty_structure(&self, t: TypeId) -> Ty {
        let w = self.world;
        match w.ty(w.under_no_expand(t)) {
            Type::Basic(k) | Type::BasicAlias(k, _) => basic(*k),
            Type::Pointer(_) | Type::Map(..) | Type::Chan(..) | Type::Signature(_) => Ty::Ptr,
            Type::Slice(_) => Ty::Slice,
            Type::Array(n, e) => Ty::Array { len: (*n).max(0) as u64, elem: self.ir_ty(*e) },
            Type::Struct(s) => Ty::Struct(s.fields.iter().map(|&f| self.ir_ty(w.obj(f).typ())).collect()),
            Type::Interface(_) => Ty::Interface,
            Type::Tuple(vars) => Ty::Struct(vars.iter().map(|&v| self.ir_ty(w.obj(v).typ())).collect()),
            // Type parameters and unions only occur in generic code, which is not lowered.
            Type::Named(_) | Type::TypeParam(_) | Type::Union(_) => Ty::Struct(Vec::new()),
        }
    }

    /// The predeclared type `bool`.
    pub(super) fn bool_type(&self) -> TypeId {
        self.universe_type("bool")
    }

    /// A predeclared type by name (`int`, `rune`, ...).
    pub(super) fn universe_type(&self, name: &str) -> TypeId {
        self.world.universe_lookup(name).map(|o| self.world.obj(o).typ()).unwrap_or_default()
    }

    /// The underlying checker type of `t`.
    pub(super) fn under(&self, t: TypeId) -> &Type {
        self.world.ty(self.world.under_no_expand(t))
    }

    /// The basic kind of `t`'s underlying type, if basic.
    pub(super) fn basic_kind(&self, t: TypeId) -> Option<BasicKind> {
        self.under(t).basic()
    }

    /// The element type of a pointer, slice, array, map (value) or channel type.
    pub(super) fn elem(&self, t: TypeId) -> TypeId {
        match self.under(t) {
            Type::Pointer(e) | Type::Slice(e) | Type::Array(_, e) | Type::Map(_, e) | Type::Chan(_, e) => *e,
            other => panic!("internal error: element type of {other:?}"),
        }
    }

    /// The size in bytes of a value of `t`.
    pub(super) fn size_of(&self, t: TypeId) -> u64 {
        let id = self.ir_ty(t);
        self.tys.borrow().layout(id).size
    }
}

/// The IR type of a basic kind. Untyped kinds only reach here for values the checker left
/// untyped (e.g. `nil` compared with a pointer), which take their default types.
fn basic(k: BasicKind) -> Ty {
    use BasicKind::*;
    match k {
        Bool | UntypedBool => Ty::Bool,
        Int8 => Ty::Int { bits: 8, signed: true },
        Int16 => Ty::Int { bits: 16, signed: true },
        Int32 | UntypedRune => Ty::Int { bits: 32, signed: true },
        Int | Int64 | UntypedInt => Ty::Int { bits: 64, signed: true },
        Uint8 => Ty::Int { bits: 8, signed: false },
        Uint16 => Ty::Int { bits: 16, signed: false },
        Uint32 => Ty::Int { bits: 32, signed: false },
        Uint | Uint64 | Uintptr => Ty::Int { bits: 64, signed: false },
        Float32 => Ty::Float { bits: 32 },
        Float64 | UntypedFloat => Ty::Float { bits: 64 },
        Complex64 => Ty::Complex { bits: 64 },
        Complex128 | UntypedComplex => Ty::Complex { bits: 128 },
        String | UntypedString => Ty::String,
        UnsafePointer | UntypedNil | Invalid => Ty::Ptr,
    }
}
