//! Calling conventions: Cranelift signatures of Go functions and of runtime functions.
//!
//! For now every Go function uses the target's C convention (System V on amd64, AAPCS64
//! on arm64) with g in the pinned register, so Go code calls the Rust runtime directly.

use crate::ir::{self, ty::{Scalar, TyId, TyTable}};
use crate::runtime_abi::{AbiType, RuntimeFn};
use cranelift_codegen::ir::{types, AbiParam, Signature, Type};
use cranelift_codegen::isa::TargetIsa;

/// The Cranelift type of one runtime ABI parameter kind.
pub fn abi_type(t: AbiType, isa: &dyn TargetIsa) -> Type {
    match t {
        AbiType::Ptr => isa.pointer_type(),
        AbiType::I8 => types::I8,
        AbiType::I32 => types::I32,
        AbiType::I64 => types::I64,
        AbiType::F64 => types::F64,
    }
}

/// One runtime parameter. Narrow integers are zero-extended by the caller, because rustc
/// assumes a `u8` argument arrives zero-extended (booleans are passed as u8).
fn abi_param(t: AbiType, isa: &dyn TargetIsa) -> AbiParam {
    let p = AbiParam::new(abi_type(t, isa));
    if t == AbiType::I8 {
        p.uext()
    } else {
        p
    }
}

/// The signature of a runtime function.
pub fn runtime_signature(f: RuntimeFn, isa: &dyn TargetIsa) -> Signature {
    let mut sig = Signature::new(isa.default_call_conv());
    sig.params.extend(f.params().iter().map(|&t| abi_param(t, isa)));
    sig.returns.extend(f.results().iter().map(|&t| AbiParam::new(abi_type(t, isa))));
    sig
}

/// The Cranelift type of one IR scalar.
pub fn scalar_type(s: Scalar) -> Type {
    match s {
        Scalar::Int(8) => types::I8,
        Scalar::Int(16) => types::I16,
        Scalar::Int(32) => types::I32,
        Scalar::Int(_) => types::I64,
        Scalar::F32 => types::F32,
        Scalar::F64 => types::F64,
    }
}

/// The scalars a value of `ty` splits into, or None for types that live in memory.
pub fn scalars(tys: &TyTable, ty: TyId) -> Option<Vec<Type>> {
    let layout = tys.layout(ty);
    Some(layout.scalars.as_ref()?.iter().map(|&(s, _)| scalar_type(s)).collect())
}

/// Whether values of `ty` live in memory rather than in registers (see `Layout::scalars`).
pub fn in_memory(tys: &TyTable, ty: TyId) -> bool {
    tys.layout(ty).scalars.is_none()
}

/// The machine shape of a Go function type: parameter and result types, and whether a
/// closure context follows the parameters.
#[derive(Clone, Debug, PartialEq)]
pub struct GoSig<'a> {
    pub params: &'a [TyId],
    pub results: &'a [TyId],
    pub closure: bool,
}

/// The signature of a Go function, in the target's C convention (so that the runtime can
/// call Go code and Go code the runtime):
/// - first, one pointer per result that lives in memory, where the callee writes it;
/// - then each parameter flattened into its scalars, or, if it lives in memory, a pointer to
///   a copy the caller made (which the callee owns);
/// - last, the closure context of function literals: calls through func values always pass
///   it, and functions that take none ignore it (an extra trailing argument is harmless in
///   the C conventions, where the caller owns the argument area);
/// - results flattened into scalars, except those returned in memory (Cranelift returns
///   more than the registers hold through an implicit pointer).
pub fn go_signature(tys: &TyTable, sig: &GoSig, isa: &dyn TargetIsa) -> Signature {
    let ptr = isa.pointer_type();
    let mut out = Signature::new(isa.default_call_conv());
    for &r in sig.results {
        if in_memory(tys, r) {
            out.params.push(AbiParam::new(ptr));
        }
    }
    for &p in sig.params {
        match scalars(tys, p) {
            Some(ss) => out.params.extend(ss.into_iter().map(AbiParam::new)),
            None => out.params.push(AbiParam::new(ptr)),
        }
    }
    if sig.closure {
        out.params.push(AbiParam::new(ptr));
    }
    for &r in sig.results {
        if let Some(ss) = scalars(tys, r) {
            out.returns.extend(ss.into_iter().map(AbiParam::new));
        }
    }
    out
}

/// The shape of an IR function's own signature.
pub fn func_sig<'a>(func: &'a ir::Func, param_tys: &'a [TyId]) -> GoSig<'a> {
    GoSig { params: param_tys, results: &func.results, closure: func.closure.is_some() }
}

/// The parameter types of an IR function.
pub fn param_tys(func: &ir::Func) -> Vec<TyId> {
    func.params.iter().map(|p| func.locals[p.0 as usize].ty).collect()
}
