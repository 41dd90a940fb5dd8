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

/// The scalars a value of `ty` is passed as, or an error for types that live in memory
/// (not supported as parameters or results yet).
pub fn scalars(tys: &TyTable, ty: TyId) -> Result<Vec<Type>, String> {
    let layout = tys.layout(ty);
    let scalars = layout
        .scalars
        .as_ref()
        .ok_or_else(|| format!("goclift cannot pass values of {} bytes in registers yet", layout.size))?;
    Ok(scalars.iter().map(|&(s, _)| scalar_type(s)).collect())
}

/// The signature of a Go function: each parameter and result flattened into its scalars,
/// in order. Narrow integers are extended by the caller (sign or zero by Go type), which
/// keeps the convention compatible with the C one for calls from the runtime.
pub fn go_signature(tys: &TyTable, func: &ir::Func, isa: &dyn TargetIsa) -> Result<Signature, String> {
    let mut sig = Signature::new(isa.default_call_conv());
    for &p in &func.params {
        let ty = func.locals[p.0 as usize].ty;
        sig.params.extend(scalars(tys, ty)?.into_iter().map(AbiParam::new));
    }
    for &r in &func.results {
        sig.returns.extend(scalars(tys, r)?.into_iter().map(AbiParam::new));
    }
    Ok(sig)
}
