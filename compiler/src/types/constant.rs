//! Exact values of constant expressions, as go/constant keeps them: arbitrary-precision
//! integers, exact rationals for floats (go's ratVal), 512-bit binary floats for
//! magnitudes beyond the rationals' range (go's floatVal, e.g. `1e1000000`), complex
//! numbers of those, byte strings, booleans, and the unknown value left behind by errors;
//! evaluation of literals into them (the counterpart of go/constant.MakeFromLiteral and
//! strconv.Unquote) and the operations types2 applies.

use crate::syntax::token::Operator;
use num_bigint::{BigInt, Sign};
use num_rational::BigRational;
use num_traits::{Num, One, Signed, ToPrimitive, Zero};
use std::sync::{Arc, OnceLock};

/// A constant value. Untyped and typed constants share this representation; the type is
/// recorded separately by the checker. Large variants are boxed to keep values small.
#[derive(Clone, Debug, PartialEq, Default)]
pub enum ConstValue {
    /// The result of an invalid operation (an error was reported).
    #[default]
    Unknown,
    Bool(bool),
    String(StrVal),
    Int(BigInt),
    /// A float held exactly (numerator and denominator of at most 4096 bits).
    Float(Box<BigRational>),
    /// A float too large or small for a rational: 512 bits of mantissa.
    BigFloat(Box<BigFloat>),
    /// A complex number; both parts are Int, Float or BigFloat values.
    Complex(Box<(ConstValue, ConstValue)>),
}

/// A string constant, shared and concatenated lazily (as go/constant's stringVal), so
/// that long chains of `+` take linear time and memory; the bytes of a concatenation are
/// computed on first use.
#[derive(Clone)]
pub struct StrVal(Arc<StrNode>);

struct StrNode {
    len: usize,
    children: Option<(StrVal, StrVal)>,
    flat: OnceLock<Box<[u8]>>,
}

impl StrVal {
    /// A string with the given bytes.
    pub fn new(b: &[u8]) -> StrVal {
        let flat = OnceLock::new();
        let _ = flat.set(Box::from(b));
        StrVal(Arc::new(StrNode { len: b.len(), children: None, flat }))
    }

    /// `a + b` without copying.
    pub fn concat(a: &StrVal, b: &StrVal) -> StrVal {
        let len = a.len() + b.len();
        StrVal(Arc::new(StrNode { len, children: Some((a.clone(), b.clone())), flat: OnceLock::new() }))
    }

    /// Length in bytes.
    pub fn len(&self) -> usize {
        self.0.len
    }

    /// Whether the string is empty.
    pub fn is_empty(&self) -> bool {
        self.0.len == 0
    }

    /// The bytes (concatenations are flattened once, without recursion).
    pub fn bytes(&self) -> &[u8] {
        self.0.flat.get_or_init(|| {
            let mut out = Vec::with_capacity(self.0.len);
            let mut stack: Vec<&StrVal> = vec![self];
            while let Some(s) = stack.pop() {
                if let Some(f) = s.0.flat.get() {
                    out.extend_from_slice(f);
                } else if let Some((l, r)) = &s.0.children {
                    stack.push(r);
                    stack.push(l);
                }
            }
            out.into_boxed_slice()
        })
    }
}

impl Drop for StrNode {
    /// Drops long concatenation chains iteratively (a recursive drop could overflow the
    /// stack).
    fn drop(&mut self) {
        let mut stack: Vec<StrVal> = Vec::new();
        if let Some((l, r)) = self.children.take() {
            stack.push(l);
            stack.push(r);
        }
        while let Some(s) = stack.pop() {
            if let Ok(mut node) = Arc::try_unwrap(s.0) {
                if let Some((l, r)) = node.children.take() {
                    stack.push(l);
                    stack.push(r);
                }
            }
        }
    }
}

impl PartialEq for StrVal {
    fn eq(&self, other: &StrVal) -> bool {
        self.len() == other.len() && (Arc::ptr_eq(&self.0, &other.0) || self.bytes() == other.bytes())
    }
}

impl std::fmt::Debug for StrVal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", shorten_quoted(&quote(self.bytes())))
    }
}

/// The kind of a constant value (go/constant's Kind).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum ValueKind {
    Unknown,
    Bool,
    String,
    Int,
    Float,
    Complex,
}

/// go/constant's threshold (in bits of numerator or denominator, and of binary exponent)
/// beyond which floats are kept as [`BigFloat`]s.
const MAX_EXP: i64 = 4 << 10;
/// Precision in bits of go/constant's floats.
pub const FLOAT_PREC: u64 = 512;
/// big.Float's exponent range.
const BIG_MIN_EXP: i64 = i32::MIN as i64;
const BIG_MAX_EXP: i64 = i32::MAX as i64;

/// A binary floating-point number `(-1)^neg × mant × 2^exp` with a mantissa of exactly
/// [`FLOAT_PREC`] bits (go/constant's big.Float values).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BigFloat {
    neg: bool,
    mant: BigInt,
    exp: i64,
}

impl BigFloat {
    /// big.Float's exponent: the value is in `[2^(e-1), 2^e)` in magnitude.
    fn big_exp(&self) -> i64 {
        self.exp + self.mant.bits() as i64
    }

    /// The exact value as a rational (only for moderate exponents).
    fn to_rat(&self) -> Option<BigRational> {
        if self.exp.abs() > 2 * MAX_EXP + FLOAT_PREC as i64 {
            return None;
        }
        let (n, d) = scale(&self.mant, &BigInt::one(), self.exp);
        let r = BigRational::new(n, d);
        Some(if self.neg { -r } else { r })
    }

    /// The value rounded to an IEEE format (infinite on overflow, zero on underflow).
    fn to_float(&self, fmt: FloatFormat) -> f64 {
        let e = self.big_exp();
        if e > fmt.emax + 2 {
            return if self.neg { f64::NEG_INFINITY } else { f64::INFINITY };
        }
        if e < fmt.emin - fmt.mant as i64 - 2 {
            return if self.neg { -0.0 } else { 0.0 };
        }
        self.to_rat().map_or(0.0, |r| rat_to_float(&r, fmt))
    }
}

/// A number during float arithmetic: a rational, or a big float.
enum Num2 {
    Rat(BigRational),
    Big(BigFloat),
}

/// Rounds `q × 2^e` (q ≥ 0; `sticky`: nonzero bits were dropped below q) half to even
/// to `prec` bits.
fn round_bits(q: BigInt, mut e: i64, sticky: bool, prec: u64) -> (BigInt, i64) {
    let bits = q.bits();
    if bits <= prec {
        let s = (prec - bits) as usize;
        return (q << s, e - s as i64);
    }
    let extra = bits - prec;
    let half = q.bit(extra - 1);
    let low_mask = (BigInt::one() << (extra - 1) as usize) - 1;
    let rest = sticky || (&q & &low_mask) != BigInt::zero();
    let mut m = q >> extra as usize;
    e += extra as i64;
    if half && (rest || m.bit(0)) {
        m += 1;
        if m.bits() > prec {
            m >>= 1usize;
            e += 1;
        }
    }
    (m, e)
}

/// `n/d × 2^s` (n, d > 0) rounded to `prec` bits: (mantissa, exponent).
fn round_quotient(n: &BigInt, d: &BigInt, s: i64, prec: u64) -> (BigInt, i64) {
    let k = prec as i64 + 2 - (n.bits() as i64 - d.bits() as i64);
    let (num, den) = scale(n, d, k);
    let (q, r) = div_rem(&num, &den);
    round_bits(q, s - k, !r.is_zero(), prec)
}

fn big_from_rat(r: &BigRational, prec: u64) -> Option<BigFloat> {
    if r.is_zero() {
        return None;
    }
    let (m, e) = round_quotient(&r.numer().abs(), r.denom(), 0, prec);
    Some(BigFloat { neg: r.is_negative(), mant: m, exp: e })
}

fn big_op(op: Operator, a: &BigFloat, b: &BigFloat) -> Option<(bool, BigInt, i64)> {
    use Operator::*;
    Some(match op {
        Mul => {
            let (m, e) = round_bits(&a.mant * &b.mant, a.exp + b.exp, false, FLOAT_PREC);
            (a.neg != b.neg, m, e)
        }
        Div => {
            let k = FLOAT_PREC as i64 + 2 + b.mant.bits() as i64 - a.mant.bits() as i64;
            let (num, den) = scale(&a.mant, &b.mant, k);
            let (q, r) = div_rem(&num, &den);
            let (m, e) = round_bits(q, a.exp - b.exp - k, !r.is_zero(), FLOAT_PREC);
            (a.neg != b.neg, m, e)
        }
        Add | Sub => {
            let bneg = if op == Sub { !b.neg } else { b.neg };
            let (hi, hneg, lo, lneg) =
                if a.big_exp() >= b.big_exp() { (a, a.neg, b, bneg) } else { (b, bneg, a, a.neg) };
            if hi.big_exp() - lo.big_exp() > 2 * FLOAT_PREC as i64 + 8 {
                return Some((hneg, hi.mant.clone(), hi.exp));
            }
            let shift = (hi.exp - lo.exp) as usize;
            let x = if hneg { -(&hi.mant << shift) } else { &hi.mant << shift };
            let y = if lneg { -lo.mant.clone() } else { lo.mant.clone() };
            let sum = x + y;
            if sum.is_zero() {
                return Some((false, BigInt::zero(), 0));
            }
            let (m, e) = round_bits(sum.abs(), lo.exp, false, FLOAT_PREC);
            (sum.is_negative(), m, e)
        }
        _ => return None,
    })
}

/// A float result as go/constant's makeFloat: zero, unknown (infinite), or a big float;
/// moderate magnitudes become exact rationals.
fn make_float(neg: bool, m: BigInt, e: i64) -> ConstValue {
    if m.is_zero() {
        return ConstValue::Float(Box::new(BigRational::zero()));
    }
    let b = BigFloat { neg, mant: m, exp: e };
    let be = b.big_exp();
    if be > BIG_MAX_EXP {
        return ConstValue::Unknown;
    }
    if be < BIG_MIN_EXP {
        return ConstValue::Float(Box::new(BigRational::zero()));
    }
    if -MAX_EXP < be && be < MAX_EXP {
        if let Some(r) = b.to_rat() {
            return ConstValue::Float(Box::new(r));
        }
    }
    ConstValue::BigFloat(Box::new(b))
}

/// go/constant's makeRat: rationals with very long numerator or denominator become big
/// floats.
fn make_rat(r: BigRational) -> ConstValue {
    if r.numer().bits() < MAX_EXP as u64 && r.denom().bits() < MAX_EXP as u64 {
        return ConstValue::Float(Box::new(r));
    }
    match big_from_rat(&r, FLOAT_PREC) {
        Some(b) => make_float(b.neg, b.mant, b.exp),
        None => ConstValue::Float(Box::new(BigRational::zero())),
    }
}

impl ConstValue {
    /// An integer value.
    pub fn int(v: impl Into<BigInt>) -> ConstValue {
        ConstValue::Int(v.into())
    }

    /// A float value from a rational (as go/constant's makeRat).
    pub fn float(r: BigRational) -> ConstValue {
        make_rat(r)
    }

    /// A complex value from rational parts.
    pub fn complex(re: BigRational, im: BigRational) -> ConstValue {
        make_complex(make_rat(re), make_rat(im))
    }

    /// A complex value from real parts (Unknown if a part is).
    pub fn complex_of(re: ConstValue, im: ConstValue) -> ConstValue {
        make_complex(re, im)
    }

    /// A string value.
    pub fn string(s: &[u8]) -> ConstValue {
        ConstValue::String(StrVal::new(s))
    }

    /// The exact value of a finite f64 (Unknown for infinities and NaN).
    pub fn from_f64(x: f64) -> ConstValue {
        match BigRational::from_float(x) {
            Some(r) if x.is_finite() => ConstValue::Float(Box::new(r)),
            _ => ConstValue::Unknown,
        }
    }

    /// The value's kind.
    pub fn kind(&self) -> ValueKind {
        match self {
            ConstValue::Unknown => ValueKind::Unknown,
            ConstValue::Bool(_) => ValueKind::Bool,
            ConstValue::String(_) => ValueKind::String,
            ConstValue::Int(_) => ValueKind::Int,
            ConstValue::Float(_) | ConstValue::BigFloat(_) => ValueKind::Float,
            ConstValue::Complex(_) => ValueKind::Complex,
        }
    }

    /// Whether this is the unknown value.
    pub fn is_unknown(&self) -> bool {
        matches!(self, ConstValue::Unknown)
    }

    /// The value as an i64, if it is an integer (or integral float) that fits.
    pub fn to_i64(&self) -> Option<i64> {
        match self.to_int() {
            ConstValue::Int(i) => i.to_i64(),
            _ => None,
        }
    }

    /// The value as a u64, if it is an integer (or integral float) that fits.
    pub fn to_u64(&self) -> Option<u64> {
        match self.to_int() {
            ConstValue::Int(i) => i.to_u64(),
            _ => None,
        }
    }

    /// The nearest f64 (round half to even) of a numeric value's real part; infinities
    /// when out of range.
    pub fn to_f64(&self) -> Option<f64> {
        self.to_ieee(F64)
    }

    /// The nearest f32 (as an f64) of a numeric value's real part.
    pub fn to_f32(&self) -> Option<f64> {
        self.to_ieee(F32)
    }

    fn to_ieee(&self, fmt: FloatFormat) -> Option<f64> {
        match self {
            ConstValue::Int(i) => Some(rat_to_float(&BigRational::from_integer(i.clone()), fmt)),
            ConstValue::Float(r) => Some(rat_to_float(r, fmt)),
            ConstValue::BigFloat(b) => Some(b.to_float(fmt)),
            ConstValue::Complex(c) => c.0.to_ieee(fmt),
            _ => None,
        }
    }

    /// The boolean of a Bool value.
    pub fn as_bool(&self) -> Option<bool> {
        match self {
            ConstValue::Bool(b) => Some(*b),
            _ => None,
        }
    }

    /// The bytes of a String value.
    pub fn as_bytes(&self) -> Option<&[u8]> {
        match self {
            ConstValue::String(s) => Some(s.bytes()),
            _ => None,
        }
    }

    /// The value of a real number as an exact rational (None for big floats).
    pub fn as_rat(&self) -> Option<BigRational> {
        match self {
            ConstValue::Int(i) => Some(BigRational::from_integer(i.clone())),
            ConstValue::Float(r) => Some((**r).clone()),
            ConstValue::BigFloat(b) => b.to_rat(),
            _ => None,
        }
    }

    /// go/constant.ToInt: the value as an Int if it is integral, else Unknown.
    pub fn to_int(&self) -> ConstValue {
        match self {
            ConstValue::Int(_) => self.clone(),
            ConstValue::Float(r) if r.is_integer() => ConstValue::Int(r.to_integer()),
            ConstValue::BigFloat(b) if b.big_exp().abs() < MAX_EXP => match b.to_rat() {
                Some(r) if r.is_integer() => ConstValue::Int(r.to_integer()),
                _ => ConstValue::Unknown,
            },
            ConstValue::Complex(c) if c.1.sign() == 0 => c.0.to_int(),
            _ => ConstValue::Unknown,
        }
    }

    /// go/constant.ToFloat: the value as a Float if it is real, else Unknown.
    pub fn to_float(&self) -> ConstValue {
        match self {
            ConstValue::Int(i) => ConstValue::Float(Box::new(BigRational::from_integer(i.clone()))),
            ConstValue::Float(_) | ConstValue::BigFloat(_) => self.clone(),
            ConstValue::Complex(c) if c.1.sign() == 0 => c.0.to_float(),
            _ => ConstValue::Unknown,
        }
    }

    /// go/constant.ToComplex: the value as a Complex if it is numeric, else Unknown.
    pub fn to_complex(&self) -> ConstValue {
        match self {
            ConstValue::Complex(_) => self.clone(),
            ConstValue::Int(_) | ConstValue::Float(_) | ConstValue::BigFloat(_) => {
                make_complex(self.clone(), ConstValue::int(0))
            }
            _ => ConstValue::Unknown,
        }
    }

    /// The real part of a numeric value (go/constant.Real).
    pub fn real(&self) -> ConstValue {
        match self {
            ConstValue::Complex(c) => c.0.clone(),
            ConstValue::Int(_) | ConstValue::Float(_) | ConstValue::BigFloat(_) => self.clone(),
            _ => ConstValue::Unknown,
        }
    }

    /// The imaginary part of a numeric value (go/constant.Imag).
    pub fn imag(&self) -> ConstValue {
        match self {
            ConstValue::Complex(c) => c.1.clone(),
            ConstValue::Int(_) | ConstValue::Float(_) | ConstValue::BigFloat(_) => ConstValue::int(0),
            _ => ConstValue::Unknown,
        }
    }

    /// The sign (-1, 0, 1) of a numeric value; for complex values 0 only if both parts are.
    pub fn sign(&self) -> i32 {
        let s = |neg: bool, zero: bool| {
            if zero {
                0
            } else if neg {
                -1
            } else {
                1
            }
        };
        match self {
            ConstValue::Int(i) => s(i.is_negative(), i.is_zero()),
            ConstValue::Float(r) => s(r.is_negative(), r.is_zero()),
            ConstValue::BigFloat(b) => s(b.neg, false),
            ConstValue::Complex(c) => i32::from(!(c.0.sign() == 0 && c.1.sign() == 0)),
            _ => 1,
        }
    }

    /// Number of bits of the absolute value of an Int.
    pub fn bit_len(&self) -> u64 {
        match self {
            ConstValue::Int(i) => i.bits(),
            _ => 0,
        }
    }

    /// The value as go/constant's String() shows it in messages: integers in decimal,
    /// floats with 6 significant digits (%.6g), strings quoted and cut at 72 characters.
    pub fn describe(&self) -> String {
        match self {
            ConstValue::Unknown => "unknown".into(),
            ConstValue::Bool(b) => b.to_string(),
            ConstValue::String(s) => shorten_quoted(&quote(s.bytes())),
            ConstValue::Int(i) => i.to_string(),
            ConstValue::Float(r) => format_float(r),
            ConstValue::BigFloat(b) => format_big(b),
            ConstValue::Complex(c) => format!("({} + {}i)", c.0.describe(), c.1.describe()),
        }
    }

    /// The value written exactly (go/constant's ExactString): rationals as `a/b`.
    pub fn exact_string(&self) -> String {
        match self {
            ConstValue::String(s) => quote(s.bytes()),
            ConstValue::Float(r) if r.is_integer() => r.to_integer().to_string(),
            ConstValue::Float(r) => format!("{}/{}", r.numer(), r.denom()),
            ConstValue::BigFloat(b) => format!("{}0x{:x}p{}", if b.neg { "-" } else { "" }, b.mant, b.exp),
            ConstValue::Complex(c) => format!("({} + {}i)", c.0.exact_string(), c.1.exact_string()),
            _ => self.describe(),
        }
    }

    fn as_num(&self) -> Option<Num2> {
        match self {
            ConstValue::Int(i) => Some(Num2::Rat(BigRational::from_integer(i.clone()))),
            ConstValue::Float(r) => Some(Num2::Rat((**r).clone())),
            ConstValue::BigFloat(b) => Some(Num2::Big((**b).clone())),
            _ => None,
        }
    }
}

impl std::fmt::Display for ConstValue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.describe())
    }
}

/// A complex value from real parts (Unknown if a part is).
fn make_complex(re: ConstValue, im: ConstValue) -> ConstValue {
    if re.is_unknown() || im.is_unknown() {
        return ConstValue::Unknown;
    }
    ConstValue::Complex(Box::new((re, im)))
}

/// (n × 2^k, d) for k >= 0, (n, d × 2^-k) otherwise.
fn scale(n: &BigInt, d: &BigInt, k: i64) -> (BigInt, BigInt) {
    if k >= 0 {
        (n << k as usize, d.clone())
    } else {
        (n.clone(), d << (-k) as usize)
    }
}

/// Quotient and remainder of non-negative integers.
fn div_rem(a: &BigInt, b: &BigInt) -> (BigInt, BigInt) {
    let q = a / b;
    let r = a - &q * b;
    (q, r)
}

/// Rounds the quotient `q` with remainder `rem` of a division by `den` half to even.
fn round_half_even(q: BigInt, rem: &BigInt, den: &BigInt) -> BigInt {
    let twice: BigInt = rem * 2;
    match twice.cmp(den) {
        std::cmp::Ordering::Greater => q + 1,
        std::cmp::Ordering::Equal if q.bit(0) => q + 1,
        _ => q,
    }
}

/// An IEEE binary format: mantissa bits (incl. the implicit one), minimum normal exponent,
/// maximum exponent.
#[derive(Clone, Copy)]
struct FloatFormat {
    mant: u64,
    emin: i64,
    emax: i64,
}

const F64: FloatFormat = FloatFormat { mant: 53, emin: -1022, emax: 1023 };
const F32: FloatFormat = FloatFormat { mant: 24, emin: -126, emax: 127 };

/// The value of `r` correctly rounded (half to even) to the format, as an f64 (infinite
/// when it overflows the format).
fn rat_to_float(r: &BigRational, fmt: FloatFormat) -> f64 {
    if r.is_zero() {
        return 0.0;
    }
    let neg = r.is_negative();
    let (n, d) = (r.numer().abs(), r.denom().clone());
    // Exponent of the leading bit: 2^e <= n/d < 2^(e+1).
    let mut e = n.bits() as i64 - d.bits() as i64;
    let (a, b) = scale(&n, &d, -e);
    if a < b {
        e -= 1;
    }
    if e > fmt.emax + 1 {
        return if neg { f64::NEG_INFINITY } else { f64::INFINITY };
    }
    let e = e.max(fmt.emin);
    // Quantum of the result: 2^(e - mant + 1).
    let shift = fmt.mant as i64 - 1 - e;
    let (num, den) = scale(&n, &d, shift);
    let (q, rem) = div_rem(&num, &den);
    let mut q = round_half_even(q, &rem, &den);
    let mut e2 = e;
    if q.bits() > fmt.mant {
        q >>= 1usize;
        e2 += 1;
    }
    if e2 > fmt.emax {
        return if neg { f64::NEG_INFINITY } else { f64::INFINITY };
    }
    let m = q.to_f64().unwrap_or(0.0);
    let p = e2 - (fmt.mant as i64 - 1);
    let v = ldexp(m, p);
    if neg {
        -v
    } else {
        v
    }
}

/// `m * 2^p`, exact whenever the result is representable.
fn ldexp(mut m: f64, mut p: i64) -> f64 {
    while p > 1000 {
        m *= 2f64.powi(1000);
        p -= 1000;
    }
    while p < -1000 {
        m *= 2f64.powi(-1000);
        p += 1000;
    }
    m * 2f64.powi(p as i32)
}

/// go/constant's float String(): `%.6g` of the nearest f64.
fn format_float(r: &BigRational) -> String {
    let x = rat_to_float(r, F64);
    if x.is_finite() && (x == 0.0) == r.is_zero() {
        return format_g(x, 6);
    }
    match big_from_rat(r, FLOAT_PREC) {
        Some(b) => format_big(&b),
        None => "0".into(),
    }
}

/// go/constant's String() of a big float: `%.6g` if in float64 range, else an
/// approximate `m e±d` form.
fn format_big(b: &BigFloat) -> String {
    let x = b.to_float(F64);
    if x.is_finite() && x != 0.0 {
        return format_g(x, 6);
    }
    // f = mant × 2^exp with 0.5 <= mant < 1.
    let e2 = b.big_exp();
    // The top 60 bits as a fraction in [0.5, 1] (rounding may give 1, as in Go).
    let top = (&b.mant >> (b.mant.bits().saturating_sub(60)) as usize).to_f64().unwrap_or(0.0);
    let mant = top / 2f64.powi(b.mant.bits().min(60) as i32);
    let d = e2 as f64 * std::f64::consts::LOG10_2;
    let mut e = d as i64;
    let mut m = mant * 10f64.powf(d - e as f64);
    let am = m.abs();
    if am < 1.0 - 0.5e-6 {
        m *= 10.0;
        e -= 1;
    } else if am >= 10.0 {
        m /= 10.0;
        e += 1;
    }
    if b.neg {
        m = -m;
    }
    format!("{}e{}{}", format_g(m, 6), if e >= 0 { "+" } else { "-" }, e.abs())
}

/// Go's `%.{prec}g` formatting of a finite f64.
pub fn format_g(x: f64, prec: usize) -> String {
    if x == 0.0 {
        return if x.is_sign_negative() { "-0".into() } else { "0".into() };
    }
    let s = format!("{:.*e}", prec.max(1) - 1, x);
    let (mant, exp) = s.split_once('e').unwrap_or((&s, "0"));
    let exp: i64 = exp.parse().unwrap_or(0);
    let neg = mant.starts_with('-');
    let digits: String = mant.chars().filter(char::is_ascii_digit).collect();
    let digits = digits.trim_end_matches('0');
    let digits = if digits.is_empty() { "0" } else { digits };
    let sign = if neg { "-" } else { "" };
    if exp < -4 || exp >= prec as i64 {
        let frac = &digits[1..];
        let dot = if frac.is_empty() { String::new() } else { format!(".{frac}") };
        let esign = if exp < 0 { '-' } else { '+' };
        return format!("{sign}{}{dot}e{esign}{:02}", &digits[..1], exp.abs());
    }
    if exp < 0 {
        let zeros = "0".repeat((-exp - 1) as usize);
        return format!("{sign}0.{zeros}{digits}");
    }
    let int_len = exp as usize + 1;
    if digits.len() <= int_len {
        format!("{sign}{digits}{}", "0".repeat(int_len - digits.len()))
    } else {
        format!("{sign}{}.{}", &digits[..int_len], &digits[int_len..])
    }
}

/// strconv.Quote of a byte string (Go's escaping rules).
pub fn quote(s: &[u8]) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    let mut i = 0;
    while i < s.len() {
        let (c, size) = crate::syntax::scanner::decode_rune(&s[i..]);
        if c == 0xFFFD && size == 1 {
            out.push_str(&format!("\\x{:02x}", s[i]));
            i += 1;
            continue;
        }
        i += size;
        match c {
            0x07 => out.push_str("\\a"),
            0x08 => out.push_str("\\b"),
            0x0c => out.push_str("\\f"),
            0x0a => out.push_str("\\n"),
            0x0d => out.push_str("\\r"),
            0x09 => out.push_str("\\t"),
            0x0b => out.push_str("\\v"),
            0x5c => out.push_str("\\\\"),
            0x22 => out.push_str("\\\""),
            _ if crate::syntax::scanner::is_print(c) => out.push(char::from_u32(c).unwrap_or('\u{fffd}')),
            _ if c < 0x80 => out.push_str(&format!("\\x{c:02x}")),
            _ if c < 0x10000 => out.push_str(&format!("\\u{c:04x}")),
            _ => out.push_str(&format!("\\U{c:08x}")),
        }
    }
    out.push('"');
    out
}

/// go/constant shortens quoted strings longer than 72 characters to 69 plus "...".
fn shorten_quoted(s: &str) -> String {
    const MAX_LEN: usize = 72;
    if s.chars().count() <= MAX_LEN {
        return s.to_string();
    }
    let cut: String = s.chars().take(MAX_LEN - 3).collect();
    cut + "..."
}

/// Promotes two numeric values to the same kind (Int < Float < Complex), as go/constant's
/// match does.
fn match_values(x: &ConstValue, y: &ConstValue) -> (ConstValue, ConstValue) {
    let (kx, ky) = (x.kind(), y.kind());
    let up = |v: &ConstValue, k: ValueKind| match k {
        ValueKind::Float => v.to_float(),
        ValueKind::Complex => v.to_complex(),
        _ => v.clone(),
    };
    let numeric = |k: ValueKind| matches!(k, ValueKind::Int | ValueKind::Float | ValueKind::Complex);
    if kx == ky || !numeric(kx) || !numeric(ky) {
        return (x.clone(), y.clone());
    }
    if kx < ky {
        (up(x, ky), y.clone())
    } else {
        (x.clone(), up(y, kx))
    }
}

/// go/constant.UnaryOp: `+x`, `-x`, `^x` (limited to `prec` bits if prec > 0, for
/// unsigned types) and `!x`. Returns Unknown for operations the kinds don't support.
pub fn unary_op(op: Operator, x: &ConstValue, prec: u32) -> ConstValue {
    use ConstValue as V;
    match (op, x) {
        (_, V::Unknown) => V::Unknown,
        (Operator::Add, V::Int(_) | V::Float(_) | V::BigFloat(_) | V::Complex(_)) => x.clone(),
        (Operator::Sub, V::Int(i)) => V::Int(-i),
        (Operator::Sub, V::Float(r)) => V::Float(Box::new(-(**r).clone())),
        (Operator::Sub, V::BigFloat(b)) => V::BigFloat(Box::new(BigFloat { neg: !b.neg, ..(**b).clone() })),
        (Operator::Sub, V::Complex(c)) => make_complex(unary_op(op, &c.0, 0), unary_op(op, &c.1, 0)),
        (Operator::Xor, V::Int(i)) => {
            let z = -i - 1;
            if prec > 0 {
                let mask = (BigInt::one() << prec as usize) - 1;
                V::Int(z & mask)
            } else {
                V::Int(z)
            }
        }
        (Operator::Not, V::Bool(b)) => V::Bool(!b),
        _ => V::Unknown,
    }
}

/// go/constant.BinaryOp for `+ - * / % & | ^ &^ && ||`; `int_div` requests truncated
/// integer division for `/` (go's QUO_ASSIGN). Division by zero gives Unknown (the
/// checker reports it before). Unknown for unsupported combinations.
pub fn binary_op(x: &ConstValue, op: Operator, y: &ConstValue, int_div: bool) -> ConstValue {
    use ConstValue as V;
    use Operator::*;
    let (x, y) = match_values(x, y);
    match (&x, &y) {
        (V::Unknown, _) | (_, V::Unknown) => V::Unknown,
        (V::Bool(a), V::Bool(b)) => match op {
            AndAnd => V::Bool(*a && *b),
            OrOr => V::Bool(*a || *b),
            _ => V::Unknown,
        },
        (V::String(a), V::String(b)) if op == Add => V::String(StrVal::concat(a, b)),
        (V::Int(a), V::Int(b)) => match op {
            Div if !int_div => {
                if b.is_zero() {
                    V::Unknown
                } else {
                    make_rat(BigRational::new(a.clone(), b.clone()))
                }
            }
            Div | Rem if b.is_zero() => V::Unknown,
            Add => V::Int(a + b),
            Sub => V::Int(a - b),
            Mul => V::Int(a * b),
            Div => V::Int(a / b),
            Rem => V::Int(a % b),
            And => V::Int(a & b),
            Or => V::Int(a | b),
            Xor => V::Int(a ^ b),
            AndNot => V::Int(a & !b),
            _ => V::Unknown,
        },
        (V::Complex(a), V::Complex(b)) => complex_op(op, a, b),
        _ if x.kind() == ValueKind::Float && y.kind() == ValueKind::Float => float_op(op, &x, &y),
        _ => V::Unknown,
    }
}

/// `+ - * /` on floats: exact for rationals, rounded for big floats.
fn float_op(op: Operator, x: &ConstValue, y: &ConstValue) -> ConstValue {
    use Operator::*;
    let (Some(a), Some(b)) = (x.as_num(), y.as_num()) else { return ConstValue::Unknown };
    if y.sign() == 0 && op == Div {
        return ConstValue::Unknown;
    }
    if let (Num2::Rat(a), Num2::Rat(b)) = (&a, &b) {
        return match op {
            Add => make_rat(a + b),
            Sub => make_rat(a - b),
            Mul => make_rat(a * b),
            Div => make_rat(a / b),
            _ => ConstValue::Unknown,
        };
    }
    let to_big = |n: Num2| match n {
        Num2::Big(b) => Some(b),
        Num2::Rat(r) => big_from_rat(&r, FLOAT_PREC),
    };
    match (to_big(a), to_big(b)) {
        (Some(a), Some(b)) => match big_op(op, &a, &b) {
            Some((neg, m, e)) => make_float(neg, m, e),
            None => ConstValue::Unknown,
        },
        // One operand is zero.
        (a, b) => match op {
            Add => a.map_or(y.clone(), |_| x.clone()),
            Sub => match b {
                None => x.clone(),
                Some(_) => unary_op(Sub, y, 0),
            },
            Mul => ConstValue::Float(Box::new(BigRational::zero())),
            Div => ConstValue::Float(Box::new(BigRational::zero())),
            _ => ConstValue::Unknown,
        },
    }
}

fn complex_op(op: Operator, x: &(ConstValue, ConstValue), y: &(ConstValue, ConstValue)) -> ConstValue {
    use Operator::*;
    let bin = |a: &ConstValue, o: Operator, b: &ConstValue| binary_op(a, o, b, false);
    let ((a, b), (c, d)) = (x, y);
    match op {
        Add => make_complex(bin(a, Add, c), bin(b, Add, d)),
        Sub => make_complex(bin(a, Sub, c), bin(b, Sub, d)),
        Mul => {
            let (ac, bd, bc, ad) = (bin(a, Mul, c), bin(b, Mul, d), bin(b, Mul, c), bin(a, Mul, d));
            make_complex(bin(&ac, Sub, &bd), bin(&bc, Add, &ad))
        }
        Div => {
            let (ac, bd, bc, ad) = (bin(a, Mul, c), bin(b, Mul, d), bin(b, Mul, c), bin(a, Mul, d));
            let s = bin(&bin(c, Mul, c), Add, &bin(d, Mul, d));
            if s.sign() == 0 {
                return ConstValue::Unknown;
            }
            make_complex(bin(&bin(&ac, Add, &bd), Div, &s), bin(&bin(&bc, Sub, &ad), Div, &s))
        }
        _ => ConstValue::Unknown,
    }
}

/// go/constant.Shift of an Int by `s` bits (`>>` rounds toward negative infinity).
pub fn shift(x: &ConstValue, op: Operator, s: u64) -> ConstValue {
    match x {
        ConstValue::Int(i) if op == Operator::Shl => ConstValue::Int(i << s as usize),
        ConstValue::Int(i) if op == Operator::Shr => ConstValue::Int(i >> s as usize),
        _ => ConstValue::Unknown,
    }
}

/// The ordering of two real values.
fn cmp_real(x: &ConstValue, y: &ConstValue) -> Option<std::cmp::Ordering> {
    use std::cmp::Ordering;
    match (x, y) {
        (ConstValue::Int(a), ConstValue::Int(b)) => Some(a.cmp(b)),
        _ => {
            let d = binary_op(x, Operator::Sub, y, false);
            if d.is_unknown() {
                return None;
            }
            Some(match d.sign() {
                0 => Ordering::Equal,
                s if s < 0 => Ordering::Less,
                _ => Ordering::Greater,
            })
        }
    }
}

/// go/constant.Compare with a comparison operator (false for Unknown operands).
pub fn compare(x: &ConstValue, op: Operator, y: &ConstValue) -> bool {
    use std::cmp::Ordering;
    use ConstValue as V;
    let (x, y) = match_values(x, y);
    let ord: Option<Ordering> = match (&x, &y) {
        (V::String(a), V::String(b)) => Some(a.bytes().cmp(b.bytes())),
        (V::Int(_) | V::Float(_) | V::BigFloat(_), V::Int(_) | V::Float(_) | V::BigFloat(_)) => cmp_real(&x, &y),
        _ => None,
    };
    let eq = match (&x, &y) {
        (V::Bool(a), V::Bool(b)) => Some(a == b),
        (V::Complex(a), V::Complex(b)) => {
            Some(cmp_real(&a.0, &b.0) == Some(Ordering::Equal) && cmp_real(&a.1, &b.1) == Some(Ordering::Equal))
        }
        _ => ord.map(|o| o == Ordering::Equal),
    };
    match op {
        Operator::Eql => eq == Some(true),
        Operator::Neq => eq == Some(false),
        Operator::Lss => ord == Some(Ordering::Less),
        Operator::Leq => matches!(ord, Some(Ordering::Less | Ordering::Equal)),
        Operator::Gtr => ord == Some(Ordering::Greater),
        Operator::Geq => matches!(ord, Some(Ordering::Greater | Ordering::Equal)),
        _ => false,
    }
}

/// Whether an Int value fits in a signed or unsigned integer of `bits` bits.
pub fn int_fits(v: &BigInt, bits: u32, signed: bool) -> bool {
    if signed {
        let lim = BigInt::one() << (bits - 1);
        v >= &-lim.clone() && v < &lim
    } else {
        v.sign() != Sign::Minus && v.bits() <= u64::from(bits)
    }
}

/// Rounds a real value to float32 (`bits` 32) or float64 precision: the rounded value,
/// or None if it overflows.
pub fn round_float(v: &ConstValue, bits: u32) -> Option<ConstValue> {
    let x = if bits == 32 { v.to_f32()? } else { v.to_f64()? };
    x.is_finite().then(|| ConstValue::from_f64(x))
}

/// A value for the map-literal duplicate-key check (go's keyVal): numerically equal
/// constants give equal keys.
pub fn key_string(v: &ConstValue) -> String {
    match v {
        ConstValue::Complex(c) if c.1.sign() == 0 => key_string(&c.0),
        ConstValue::Float(r) if r.is_integer() => r.to_integer().to_string(),
        _ => v.exact_string(),
    }
}

/// The value of a float literal: exact for moderate exponents, a 512-bit big float for
/// huge or tiny ones (Unknown if even that overflows; zero if it underflows).
pub fn float_literal_value(text: &str) -> Option<ConstValue> {
    let clean: String = text.chars().filter(|&c| c != '_').collect();
    let lower = clean.to_ascii_lowercase();
    let (mantissa, exp, hex) = if let Some(h) = lower.strip_prefix("0x") {
        let (m, e) = h.split_once('p')?;
        (m.to_string(), e.parse::<i64>().ok()?, true)
    } else {
        match lower.split_once('e') {
            Some((m, e)) => (m.to_string(), e.parse::<i64>().ok()?, false),
            None => (lower.clone(), 0, false),
        }
    };
    let (int_part, frac_part) = mantissa.split_once('.').unwrap_or((&mantissa, ""));
    let digits = format!("{int_part}{frac_part}");
    let radix = if hex { 16 } else { 10 };
    let numer = if digits.is_empty() { BigInt::zero() } else { BigInt::from_str_radix(&digits, radix).ok()? };
    if numer.is_zero() {
        return Some(ConstValue::Float(Box::new(BigRational::zero())));
    }
    if hex {
        // numer × 16^-frac × 2^exp, exactly a binary float.
        let e2 = exp.checked_sub(4 * frac_part.len() as i64)?;
        if e2.abs() <= 2 * MAX_EXP {
            let (n, d) = scale(&numer, &BigInt::one(), e2);
            return Some(make_rat(BigRational::new(n, d)));
        }
        let (m, e) = round_bits(numer, e2, false, FLOAT_PREC);
        return Some(make_float(false, m, e));
    }
    let d10 = exp.checked_sub(frac_part.len() as i64)?;
    if d10.abs() <= 1500 {
        let p = BigInt::from(10).pow(d10.unsigned_abs() as u32);
        let r = if d10 >= 0 { BigRational::from_integer(numer * p) } else { BigRational::new(numer, p) };
        return Some(make_rat(r));
    }
    // numer × 10^d10 with a power of ten computed in extra precision.
    const P: u64 = FLOAT_PREC + 64;
    let (mut pm, mut pe) = (BigInt::one(), 0i64);
    let (mut bm, mut be) = (BigInt::from(10), 0i64);
    let mut n = d10.unsigned_abs();
    while n > 0 {
        if n & 1 == 1 {
            (pm, pe) = round_bits(&pm * &bm, pe + be, false, P);
        }
        n >>= 1;
        if n > 0 {
            (bm, be) = round_bits(&bm * &bm, be + be, false, P);
        }
        if pe.abs() > 1 << 40 || be.abs() > 1 << 40 {
            return Some(if d10 > 0 { ConstValue::Unknown } else { ConstValue::Float(Box::new(BigRational::zero())) });
        }
    }
    let (m, e) = if d10 >= 0 {
        round_bits(&numer * &pm, pe, false, FLOAT_PREC)
    } else {
        let k = P as i64 + 2 + pm.bits() as i64 - numer.bits() as i64;
        let (num, den) = scale(&numer, &pm, k);
        let (q, r) = div_rem(&num, &den);
        round_bits(q, -pe - k, !r.is_zero(), FLOAT_PREC)
    };
    Some(make_float(false, m, e))
}

/// The value of a float literal as an exact rational (None for exponents beyond the
/// rationals' range; see [`float_literal_value`]).
pub fn float_literal(text: &str) -> Option<BigRational> {
    match float_literal_value(text)? {
        ConstValue::Float(r) => Some(*r),
        _ => None,
    }
}

/// The value of an imaginary literal (`2i`, `1.5i`, `0x1p2i`, `017i` is decimal 17i):
/// its imaginary part.
pub fn imag_literal_value(text: &str) -> Option<ConstValue> {
    let body = text.strip_suffix('i')?;
    let lower = body.to_ascii_lowercase();
    let hex = lower.starts_with("0x");
    let is_int = if hex { !lower.contains(['.', 'p']) } else { !lower.contains(['.', 'e']) };
    if is_int && !hex && !lower.starts_with("0b") && !lower.starts_with("0o") {
        // Legacy-octal-looking imaginary literals are decimal (spec: "for backward compatibility").
        let clean: String = lower.chars().filter(|&c| c != '_').collect();
        return BigInt::from_str_radix(&clean, 10).ok().map(ConstValue::Int);
    }
    if is_int {
        return int_literal(body).map(ConstValue::Int);
    }
    float_literal_value(body)
}

/// The imaginary part of an imaginary literal as an exact rational.
pub fn imag_literal(text: &str) -> Option<BigRational> {
    imag_literal_value(text)?.as_rat()
}

/// The value of an integer literal (`42`, `0x_FF`, `0o17`, `017`, `0b101`).
pub fn int_literal(text: &str) -> Option<BigInt> {
    let clean: String = text.chars().filter(|&c| c != '_').collect();
    let lower = clean.to_ascii_lowercase();
    let (digits, radix) = if let Some(d) = lower.strip_prefix("0x") {
        (d, 16)
    } else if let Some(d) = lower.strip_prefix("0b") {
        (d, 2)
    } else if let Some(d) = lower.strip_prefix("0o") {
        (d, 8)
    } else if lower.len() > 1 && lower.starts_with('0') {
        (&lower[1..], 8)
    } else {
        (lower.as_str(), 10)
    };
    BigInt::from_str_radix(digits, radix).ok()
}

/// The bytes of an interpreted ("...") or raw (`...`) string literal, as written in source.
/// Raw strings drop carriage returns. Returns None on a malformed escape.
pub fn string_literal(text: &str) -> Option<Vec<u8>> {
    if let Some(raw) = text.strip_prefix('`').and_then(|t| t.strip_suffix('`')) {
        return Some(raw.bytes().filter(|&b| b != b'\r').collect());
    }
    let body = text.strip_prefix('"')?.strip_suffix('"')?;
    unquote(body, b'"')
}

/// The code point of a rune literal ('a', '\n', '\u00e9', '\377').
pub fn rune_literal(text: &str) -> Option<i32> {
    let body = text.strip_prefix('\'')?.strip_suffix('\'')?;
    if !body.starts_with('\\') {
        let mut chars = body.chars();
        let c = chars.next()?;
        return chars.next().is_none().then_some(c as i32);
    }
    let mut it = Unescaper { s: body.as_bytes(), i: 0, quote: b'\'' };
    let v = it.escape()?;
    (it.i == body.len()).then_some(match v {
        Escaped::Byte(b) => i32::from(b),
        Escaped::Rune(r) => r as i32,
    })
}

fn unquote(body: &str, quote: u8) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(body.len());
    let mut it = Unescaper { s: body.as_bytes(), i: 0, quote };
    while it.i < it.s.len() {
        if it.s[it.i] != b'\\' {
            out.push(it.s[it.i]);
            it.i += 1;
            continue;
        }
        match it.escape()? {
            Escaped::Byte(b) => out.push(b),
            Escaped::Rune(r) => {
                let mut buf = [0u8; 4];
                out.extend_from_slice(r.encode_utf8(&mut buf).as_bytes());
            }
        }
    }
    Some(out)
}

enum Escaped {
    /// `\xNN` and octal escapes denote single bytes.
    Byte(u8),
    /// Everything else denotes a code point, UTF-8 encoded in strings.
    Rune(char),
}

struct Unescaper<'a> {
    s: &'a [u8],
    i: usize,
    quote: u8,
}

impl Unescaper<'_> {
    /// Decodes the escape sequence at `i` (which holds the backslash).
    fn escape(&mut self) -> Option<Escaped> {
        let c = *self.s.get(self.i + 1)?;
        self.i += 2;
        let simple = match c {
            b'a' => Some(0x07),
            b'b' => Some(0x08),
            b'f' => Some(0x0c),
            b'n' => Some(b'\n'),
            b'r' => Some(b'\r'),
            b't' => Some(b'\t'),
            b'v' => Some(0x0b),
            b'\\' => Some(b'\\'),
            _ if c == self.quote => Some(c),
            _ => None,
        };
        if let Some(b) = simple {
            return Some(Escaped::Rune(char::from(b)));
        }
        match c {
            b'x' => self.hex(2).map(|v| Escaped::Byte(v as u8)),
            b'u' => self.hex(4).and_then(char::from_u32).map(Escaped::Rune),
            b'U' => self.hex(8).and_then(char::from_u32).map(Escaped::Rune),
            b'0'..=b'7' => {
                self.i -= 1;
                let v = self.digits(3, 8)?;
                (v <= 255).then_some(Escaped::Byte(v as u8))
            }
            _ => None,
        }
    }

    fn hex(&mut self, n: usize) -> Option<u32> {
        self.digits(n, 16)
    }

    fn digits(&mut self, n: usize, radix: u32) -> Option<u32> {
        let text = std::str::from_utf8(self.s.get(self.i..self.i + n)?).ok()?;
        self.i += n;
        u32::from_str_radix(text, radix).ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn i(v: i64) -> ConstValue {
        ConstValue::int(v)
    }

    fn fl(s: &str) -> ConstValue {
        ConstValue::float(float_literal(s).unwrap())
    }

    #[test]
    fn integers_in_every_base() {
        assert_eq!(int_literal("42"), Some(BigInt::from(42)));
        assert_eq!(int_literal("0x_FF"), Some(BigInt::from(255)));
        assert_eq!(int_literal("0o17"), Some(BigInt::from(15)));
        assert_eq!(int_literal("017"), Some(BigInt::from(15)));
        assert_eq!(int_literal("0b1_01"), Some(BigInt::from(5)));
        assert_eq!(int_literal("1_000_000"), Some(BigInt::from(1_000_000)));
        assert!(int_fits(&int_literal("9223372036854775807").unwrap(), 64, true));
        assert!(!int_fits(&int_literal("9223372036854775808").unwrap(), 64, true));
        assert!(int_fits(&int_literal("18446744073709551615").unwrap(), 64, false));
        assert!(!int_fits(&BigInt::from(-1), 64, false));
    }

    #[test]
    fn floats_and_imaginaries() {
        let f = |s| fl(s).to_f64().unwrap();
        assert_eq!(f("1.5"), 1.5);
        assert_eq!(f(".25"), 0.25);
        assert_eq!(f("1E-2"), 0.01);
        assert_eq!(f("0x1.8p1"), 3.0);
        assert_eq!(f("1_0.5"), 10.5);
        assert_eq!(imag_literal("017i").unwrap().to_f64(), Some(17.0));
        assert_eq!(imag_literal("0x_cafei").unwrap().to_f64(), Some(51966.0));
        assert_eq!(imag_literal("0x1p-2i").unwrap().to_f64(), Some(0.25));
    }

    #[test]
    fn go_formatting() {
        assert_eq!(fl("1e100").describe(), "1e+100");
        assert_eq!(fl("1.5").describe(), "1.5");
        assert_eq!(fl("100000").describe(), "100000");
        assert_eq!(fl("1e6").describe(), "1e+06");
        assert_eq!(fl("0.0001").describe(), "0.0001");
        assert_eq!(fl("0.00001").describe(), "1e-05");
        assert_eq!(fl("123456789").describe(), "1.23457e+08");
        assert_eq!(fl("1e1000").describe(), "1e+1000");
        assert_eq!(
            ConstValue::complex(BigRational::from_integer(1.into()), BigRational::zero()).describe(),
            "(1 + 0i)"
        );
        assert_eq!(ConstValue::string(b"a\"b\n\xff").describe(), r#""a\"b\n\xff""#);
        let long = ConstValue::string("x".repeat(100).as_bytes()).describe();
        assert_eq!(long.chars().count(), 72);
        assert!(long.ends_with("..."));
    }

    #[test]
    fn correctly_rounded_conversions() {
        let third = ConstValue::float(BigRational::new(1.into(), 3.into()));
        assert_eq!(third.to_f64(), Some(1.0 / 3.0));
        assert_eq!(third.to_f32(), Some((1.0f32 / 3.0) as f64));
        assert_eq!(fl("1e40").to_f32(), Some(f64::INFINITY));
        assert!(round_float(&fl("1e40"), 32).is_none());
        assert!(round_float(&fl("1e308"), 64).is_some());
        assert_eq!(fl("4.9e-324").to_f64(), Some(5e-324));
        assert_eq!(fl("0x1.fffffffffffff8p1023").to_f64(), Some(f64::INFINITY));
    }

    #[test]
    fn arithmetic() {
        assert_eq!(binary_op(&i(7), Operator::Div, &i(2), true), i(3));
        assert_eq!(binary_op(&i(-7), Operator::Rem, &i(2), true), i(-1));
        assert_eq!(shift(&i(1), Operator::Shl, 70).describe(), "1180591620717411303424");
        assert_eq!(shift(&i(-5), Operator::Shr, 1), i(-3));
        assert_eq!(binary_op(&i(0b1111), Operator::AndNot, &i(0b0101), true), i(0b1010));
        assert!(compare(&i(1), Operator::Lss, &i(2)));
        assert_eq!(binary_op(&i(1), Operator::Div, &i(2), false).to_f64(), Some(0.5));
        assert_eq!(binary_op(&i(1), Operator::Add, &fl("0.5"), false).to_f64(), Some(1.5));
        let s = |t: &str| ConstValue::string(t.as_bytes());
        assert_eq!(binary_op(&s("a"), Operator::Add, &s("b"), false), s("ab"));
        assert_eq!(unary_op(Operator::Xor, &i(5), 0), i(-6));
        assert_eq!(unary_op(Operator::Xor, &i(5), 8), i(250));
        assert!(binary_op(&i(1), Operator::Rem, &i(0), true).is_unknown());
    }

    #[test]
    fn long_string_concatenation_is_linear() {
        let mut v = ConstValue::string(b"x");
        for _ in 0..20000 {
            v = binary_op(&v, Operator::Add, &ConstValue::string(b"y"), false);
        }
        assert_eq!(v.as_bytes().map(|b| b.len()), Some(20001));
        drop(v);
    }

    #[test]
    fn strings_and_runes() {
        assert_eq!(string_literal(r#""hello, world\n""#).unwrap(), b"hello, world\n");
        assert_eq!(string_literal(r#""\x41\101\u00e9\U0001F600\"""#).unwrap(), "AA\u{e9}\u{1F600}\"".as_bytes());
        assert_eq!(string_literal("`a\r\nb`").unwrap(), b"a\nb");
        assert!(string_literal(r#""\q""#).is_none());
        assert_eq!(rune_literal(r"'\377'"), Some(255));
        assert_eq!(rune_literal("'é'"), Some(0xe9));
    }
}
