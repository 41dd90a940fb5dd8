//! Go's numeric semantics in Cranelift: arithmetic that wraps at the type's width, truncated
//! division with a run-time check for zero (and the defined result for MinInt / -1), shifts by
//! any count (with a panic for negative signed counts), comparisons, and conversions.

use super::base::FunctionCx;
use crate::ir::ty::{Ty, TyId};
use crate::ir::{BinOp, UnOp};
use crate::runtime_abi::RuntimeFn;
use cranelift_codegen::ir::condcodes::{FloatCC, IntCC};
use cranelift_codegen::ir::{types, InstBuilder, Type, Value};
use cranelift_frontend::FunctionBuilder;

/// The zero value of a scalar type.
pub fn zero(b: &mut FunctionBuilder, t: Type) -> Value {
    match t {
        types::F32 => b.ins().f32const(0.0),
        types::F64 => b.ins().f64const(0.0),
        _ => b.ins().iconst(t, 0),
    }
}

/// A float constant of type `t` (F32 or F64).
pub fn fconst(b: &mut FunctionBuilder, t: Type, v: f64) -> Value {
    if t == types::F32 {
        b.ins().f32const(v as f32)
    } else {
        b.ins().f64const(v)
    }
}

/// `value`'s bit pattern cut to the width of `t`, sign-extended back as Cranelift's iconst
/// immediates expect.
pub fn truncate(value: i64, t: Type) -> i64 {
    match t.bits() {
        8 => i64::from(value as i8),
        16 => i64::from(value as i16),
        32 => i64::from(value as i32),
        _ => value,
    }
}

/// The numeric class of an IR type.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Class {
    Int { bits: u8, signed: bool },
    Float,
    Complex,
    Bool,
    Other,
}

fn class(fx: &FunctionCx, ty: TyId) -> Class {
    match fx.program.tys.get(ty) {
        Ty::Int { bits, signed } => Class::Int { bits: *bits, signed: *signed },
        Ty::Float { .. } => Class::Float,
        Ty::Complex { .. } => Class::Complex,
        Ty::Bool => Class::Bool,
        // Pointers compare and convert like uintptr.
        Ty::Ptr => Class::Int { bits: 64, signed: false },
        _ => Class::Other,
    }
}

/// `op x`.
pub(super) fn unary(fx: &mut FunctionCx, op: UnOp, ty: TyId, x: &[Value]) -> Result<Vec<Value>, String> {
    let c = class(fx, ty);
    let b = &mut fx.b;
    Ok(match (op, c) {
        (UnOp::Neg, Class::Int { .. }) => vec![b.ins().ineg(x[0])],
        (UnOp::Neg, Class::Float | Class::Complex) => x.iter().map(|&v| b.ins().fneg(v)).collect(),
        (UnOp::Complement, Class::Int { .. }) => vec![b.ins().bnot(x[0])],
        (UnOp::Not, Class::Bool) => vec![b.ins().bxor_imm_u(x[0], 1)],
        _ => return Err(format!("internal error: unary {op:?} on this type")),
    })
}

/// `x op y`; comparisons yield a bool (I8 0/1).
pub(super) fn binary(
    fx: &mut FunctionCx,
    op: BinOp,
    (xt, x): (TyId, &[Value]),
    (yt, y): (TyId, &[Value]),
) -> Result<Vec<Value>, String> {
    match class(fx, xt) {
        Class::Int { bits, signed } if matches!(op, BinOp::Shl | BinOp::Shr) => {
            let count_signed = matches!(class(fx, yt), Class::Int { signed: true, .. });
            shift(fx, op, bits, signed, x[0], y[0], count_signed).map(|v| vec![v])
        }
        Class::Int { signed, .. } => int_binary(fx, op, signed, x[0], y[0]).map(|v| vec![v]),
        Class::Float => float_binary(&mut fx.b, op, x[0], y[0]).map(|v| vec![v]),
        Class::Bool if matches!(op, BinOp::Eq | BinOp::Ne) => {
            let cc = if op == BinOp::Eq { IntCC::Equal } else { IntCC::NotEqual };
            Ok(vec![fx.b.ins().icmp(cc, x[0], y[0])])
        }
        Class::Bool if op == BinOp::And => Ok(vec![fx.b.ins().band(x[0], y[0])]),
        Class::Bool if op == BinOp::Or => Ok(vec![fx.b.ins().bor(x[0], y[0])]),
        Class::Complex => complex_binary(&mut fx.b, op, x, y),
        _ => Err(format!("goclift cannot compile {op:?} on this type yet")),
    }
}

fn int_binary(fx: &mut FunctionCx, op: BinOp, signed: bool, x: Value, y: Value) -> Result<Value, String> {
    if let Some(cc) = int_cc(op, signed) {
        return Ok(fx.b.ins().icmp(cc, x, y));
    }
    let b = &mut fx.b;
    Ok(match op {
        BinOp::Add => b.ins().iadd(x, y),
        BinOp::Sub => b.ins().isub(x, y),
        BinOp::Mul => b.ins().imul(x, y),
        BinOp::And => b.ins().band(x, y),
        BinOp::Or => b.ins().bor(x, y),
        BinOp::Xor => b.ins().bxor(x, y),
        BinOp::AndNot => b.ins().band_not(x, y),
        BinOp::Div | BinOp::Rem => return divide(fx, op, signed, x, y),
        _ => return Err(format!("internal error: {op:?} on integers")),
    })
}

fn int_cc(op: BinOp, signed: bool) -> Option<IntCC> {
    use IntCC::*;
    Some(match (op, signed) {
        (BinOp::Eq, _) => Equal,
        (BinOp::Ne, _) => NotEqual,
        (BinOp::Lt, true) => SignedLessThan,
        (BinOp::Le, true) => SignedLessThanOrEqual,
        (BinOp::Gt, true) => SignedGreaterThan,
        (BinOp::Ge, true) => SignedGreaterThanOrEqual,
        (BinOp::Lt, false) => UnsignedLessThan,
        (BinOp::Le, false) => UnsignedLessThanOrEqual,
        (BinOp::Gt, false) => UnsignedGreaterThan,
        (BinOp::Ge, false) => UnsignedGreaterThanOrEqual,
        _ => return None,
    })
}

/// x / y or x % y: panics on a zero divisor; for signed types, y == -1 gives -x and 0
/// (Go defines MinInt / -1 == MinInt; the hardware instruction would trap).
fn divide(fx: &mut FunctionCx, op: BinOp, signed: bool, x: Value, y: Value) -> Result<Value, String> {
    let is_zero = fx.b.ins().icmp_imm_s(IntCC::Equal, y, 0);
    fx.panic_if(is_zero, RuntimeFn::PanicDivide)?;
    if !signed {
        return Ok(if op == BinOp::Div { fx.b.ins().udiv(x, y) } else { fx.b.ins().urem(x, y) });
    }
    let t = fx.b.func.dfg.value_type(x);
    let (minus_one, general, join) = (fx.b.create_block(), fx.b.create_block(), fx.b.create_block());
    let result = fx.b.append_block_param(join, t);
    let is_minus_one = fx.b.ins().icmp_imm_s(IntCC::Equal, y, -1);
    fx.b.ins().brif(is_minus_one, minus_one, &[], general, &[]);

    fx.b.switch_to_block(minus_one);
    let r = if op == BinOp::Div { fx.b.ins().ineg(x) } else { fx.b.ins().iconst(t, 0) };
    fx.b.ins().jump(join, &[r.into()]);

    fx.b.switch_to_block(general);
    let r = if op == BinOp::Div { fx.b.ins().sdiv(x, y) } else { fx.b.ins().srem(x, y) };
    fx.b.ins().jump(join, &[r.into()]);

    fx.b.switch_to_block(join);
    Ok(result)
}

/// x << y or x >> y with Go's rules: any count type; a negative signed count panics; counts
/// of at least the width give 0, or all sign bits for a signed right shift.
fn shift(fx: &mut FunctionCx, op: BinOp, bits: u8, signed: bool, x: Value, y: Value, count_signed: bool) -> Result<Value, String> {
    if count_signed {
        let negative = fx.b.ins().icmp_imm_s(IntCC::SignedLessThan, y, 0);
        fx.panic_if(negative, RuntimeFn::PanicShift)?;
    }
    let b = &mut fx.b;
    let count = match b.func.dfg.value_type(y) {
        types::I64 => y,
        _ => b.ins().uextend(types::I64, y),
    };
    let too_big = b.ins().icmp_imm_u(IntCC::UnsignedGreaterThanOrEqual, count, i64::from(bits));
    let t = b.func.dfg.value_type(x);
    Ok(match (op, signed) {
        (BinOp::Shr, true) => {
            let max = b.ins().iconst(types::I64, i64::from(bits) - 1);
            let amount = b.ins().select(too_big, max, count);
            b.ins().sshr(x, amount)
        }
        _ => {
            let shifted = if op == BinOp::Shl { b.ins().ishl(x, count) } else { b.ins().ushr(x, count) };
            let zero = b.ins().iconst(t, 0);
            b.ins().select(too_big, zero, shifted)
        }
    })
}

fn float_binary(b: &mut FunctionBuilder, op: BinOp, x: Value, y: Value) -> Result<Value, String> {
    use FloatCC::*;
    let cc = match op {
        BinOp::Add => return Ok(b.ins().fadd(x, y)),
        BinOp::Sub => return Ok(b.ins().fsub(x, y)),
        BinOp::Mul => return Ok(b.ins().fmul(x, y)),
        BinOp::Div => return Ok(b.ins().fdiv(x, y)),
        BinOp::Eq => Equal,
        BinOp::Ne => NotEqual,
        BinOp::Lt => LessThan,
        BinOp::Le => LessThanOrEqual,
        BinOp::Gt => GreaterThan,
        BinOp::Ge => GreaterThanOrEqual,
        _ => return Err(format!("internal error: {op:?} on floats")),
    };
    Ok(b.ins().fcmp(cc, x, y))
}

/// Complex arithmetic on (re, im) pairs, as gc computes it (division through the runtime
/// comes later).
fn complex_binary(b: &mut FunctionBuilder, op: BinOp, x: &[Value], y: &[Value]) -> Result<Vec<Value>, String> {
    let (a, bi, c, d) = (x[0], x[1], y[0], y[1]);
    Ok(match op {
        BinOp::Add => vec![b.ins().fadd(a, c), b.ins().fadd(bi, d)],
        BinOp::Sub => vec![b.ins().fsub(a, c), b.ins().fsub(bi, d)],
        BinOp::Mul => {
            let (ac, bd) = (b.ins().fmul(a, c), b.ins().fmul(bi, d));
            let (ad, bc) = (b.ins().fmul(a, d), b.ins().fmul(bi, c));
            vec![b.ins().fsub(ac, bd), b.ins().fadd(ad, bc)]
        }
        BinOp::Eq | BinOp::Ne => {
            let re = b.ins().fcmp(FloatCC::Equal, a, c);
            let im = b.ins().fcmp(FloatCC::Equal, bi, d);
            let both = b.ins().band(re, im);
            vec![if op == BinOp::Eq { both } else { b.ins().bxor_imm_u(both, 1) }]
        }
        _ => return Err(format!("goclift cannot compile complex {op:?} yet")),
    })
}

/// A numeric conversion from `from` to `to`.
pub(super) fn convert(fx: &mut FunctionCx, v: &[Value], from: TyId, to: TyId) -> Result<Vec<Value>, String> {
    let (fc, tc) = (class(fx, from), class(fx, to));
    let target = super::abi::scalars(&fx.program.tys, to).ok_or("internal error: conversion to a memory type")?;
    let b = &mut fx.b;
    let t = target[0];
    Ok(match (fc, tc) {
        (Class::Int { bits: fb, signed }, Class::Int { bits: tb, .. }) => vec![match fb.cmp(&tb) {
            std::cmp::Ordering::Greater => b.ins().ireduce(t, v[0]),
            std::cmp::Ordering::Less if signed => b.ins().sextend(t, v[0]),
            std::cmp::Ordering::Less => b.ins().uextend(t, v[0]),
            std::cmp::Ordering::Equal => v[0],
        }],
        (Class::Int { signed: true, .. }, Class::Float) => vec![b.ins().fcvt_from_sint(t, v[0])],
        (Class::Int { signed: false, .. }, Class::Float) => vec![b.ins().fcvt_from_uint(t, v[0])],
        (Class::Float, Class::Int { bits, signed }) => {
            // Out-of-range results are implementation-defined in Go; this saturates (as gc
            // does on arm64).
            let wide = if bits == 64 { types::I64 } else { types::I32 };
            let r = if signed { b.ins().fcvt_to_sint_sat(wide, v[0]) } else { b.ins().fcvt_to_uint_sat(wide, v[0]) };
            vec![if bits < 32 { b.ins().ireduce(t, r) } else { r }]
        }
        (Class::Float, Class::Float) | (Class::Complex, Class::Complex) => {
            v.iter().map(|&x| float_resize(b, x, t)).collect()
        }
        _ => return Err("goclift cannot compile this conversion yet".into()),
    })
}

fn float_resize(b: &mut FunctionBuilder, x: Value, t: Type) -> Value {
    match (b.func.dfg.value_type(x), t) {
        (types::F32, types::F64) => b.ins().fpromote(t, x),
        (types::F64, types::F32) => b.ins().fdemote(t, x),
        _ => x,
    }
}

