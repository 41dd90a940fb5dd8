//! Calling conventions: Cranelift signatures of Go functions and of runtime functions.
//!
//! For now every Go function uses the target's C convention (System V on amd64, AAPCS64
//! on arm64) with g in the pinned register, so Go code calls the Rust runtime directly.

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

/// The signature of a Go function with no parameters or results (main.main, init, the entry).
pub fn nullary_signature(isa: &dyn TargetIsa) -> Signature {
    Signature::new(isa.default_call_conv())
}
