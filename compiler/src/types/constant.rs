//! Exact values of constant expressions, as go/constant keeps them: arbitrary-precision
//! integers, exact rationals for floats, byte strings, booleans; and evaluation of
//! literals into them (the counterpart of go/constant.MakeFromLiteral and strconv.Unquote).

use num_bigint::BigInt;
use num_rational::BigRational;
use crate::syntax::token::Operator;
use num_traits::{Num, One, Signed, ToPrimitive, Zero};

/// A constant value. Untyped and typed constants share this representation; the type is
/// recorded separately by the checker.
#[derive(Clone, Debug, PartialEq)]
pub enum ConstValue {
    Bool(bool),
    String(Vec<u8>),
    Int(BigInt),
    Float(BigRational),
    Complex(BigRational, BigRational),
}

impl ConstValue {
    /// The value as an i64, if it is an integer (or integral float) that fits.
    pub fn to_i64(&self) -> Option<i64> {
        match self {
            ConstValue::Int(i) => i.to_i64(),
            ConstValue::Float(r) if r.is_integer() => r.to_integer().to_i64(),
            _ => None,
        }
    }

    /// The value as the nearest f64 (for float and complex real parts, and integers).
    pub fn to_f64(&self) -> Option<f64> {
        match self {
            ConstValue::Int(i) => i.to_f64(),
            ConstValue::Float(r) => r.to_f64(),
            _ => None,
        }
    }

    /// The value negated (`-x`), for numeric constants.
    pub fn neg(&self) -> Option<ConstValue> {
        Some(match self {
            ConstValue::Int(i) => ConstValue::Int(-i),
            ConstValue::Float(r) => ConstValue::Float(-r),
            ConstValue::Complex(re, im) => ConstValue::Complex(-re, -im),
            _ => return None,
        })
    }

    /// The value complemented (`^x`) for untyped integers, or negated logically (`!x`).
    pub fn not(&self, op: Operator) -> Option<ConstValue> {
        match (op, self) {
            (Operator::Xor, ConstValue::Int(i)) => Some(ConstValue::Int(-i - 1)),
            (Operator::Not, ConstValue::Bool(b)) => Some(ConstValue::Bool(!b)),
            _ => None,
        }
    }

    /// Formats the value as gc shows constants in messages (integers in decimal,
    /// strings quoted, booleans as words).
    pub fn describe(&self) -> String {
        match self {
            ConstValue::Bool(b) => b.to_string(),
            ConstValue::String(s) => format!("{:?}", String::from_utf8_lossy(s)),
            ConstValue::Int(i) => i.to_string(),
            ConstValue::Float(r) if r.is_integer() => r.to_integer().to_string(),
            ConstValue::Float(r) => format!("{}", r.to_f64().unwrap_or(f64::NAN)),
            ConstValue::Complex(re, im) => {
                format!("({} + {}i)", re.to_f64().unwrap_or(0.0), im.to_f64().unwrap_or(0.0))
            }
        }
    }
}

/// Applies a binary operator to two constants of the same representation (the checker
/// has already matched their kinds: [`ConstValue::Float`] when either operand was a float,
/// and so on). `integer_division` selects truncated integer division for `/` on integer
/// kinds. Errors are gc's message texts.
pub fn binary_op(op: Operator, x: &ConstValue, y: &ConstValue, integer_division: bool) -> Result<ConstValue, String> {
    use ConstValue::*;
    use Operator::*;
    if let Some(b) = compare(op, x, y) {
        return Ok(Bool(b));
    }
    Ok(match (x, y) {
        (Bool(a), Bool(b)) => match op {
            AndAnd => Bool(*a && *b),
            OrOr => Bool(*a || *b),
            _ => return Err(format!("operator {} not defined on untyped bool", op.as_str())),
        },
        (String(a), String(b)) if op == Add => String([a.as_slice(), b.as_slice()].concat()),
        (Int(a), Int(b)) => Int(int_op(op, a, b, integer_division)?),
        (Float(a), Float(b)) => Float(match op {
            Add => a + b,
            Sub => a - b,
            Mul => a * b,
            Div if b.is_zero() => return Err("invalid operation: division by zero".into()),
            Div => a / b,
            _ => return Err(format!("operator {} not defined on untyped float", op.as_str())),
        }),
        (Complex(ar, ai), Complex(br, bi)) => match op {
            Add => Complex(ar + br, ai + bi),
            Sub => Complex(ar - br, ai - bi),
            Mul => Complex(ar * br - ai * bi, ar * bi + ai * br),
            Div => {
                let d = br * br + bi * bi;
                if d.is_zero() {
                    return Err("invalid operation: division by zero".into());
                }
                Complex((ar * br + ai * bi) / &d, (ai * br - ar * bi) / &d)
            }
            _ => return Err(format!("operator {} not defined on untyped complex", op.as_str())),
        },
        _ => return Err(format!("invalid operation: operator {} not defined on these constants", op.as_str())),
    })
}

fn int_op(op: Operator, a: &BigInt, b: &BigInt, integer_division: bool) -> Result<BigInt, String> {
    use Operator::*;
    Ok(match op {
        Add => a + b,
        Sub => a - b,
        Mul => a * b,
        Div | Rem if b.is_zero() => return Err("invalid operation: division by zero".into()),
        Div if integer_division => a / b,
        Rem => a % b,
        And => a & b,
        Or => a | b,
        Xor => a ^ b,
        AndNot => a & !b,
        Shl | Shr => {
            let n = b.to_u32().filter(|&n| n <= MAX_SHIFT).ok_or_else(|| format!("invalid shift count {b}"))?;
            if op == Shl {
                a << n
            } else {
                a >> n
            }
        }
        _ => return Err(format!("operator {} not defined on untyped int", op.as_str())),
    })
}

/// The largest constant shift count accepted (gc rejects larger ones as well).
const MAX_SHIFT: u32 = 10_000;

fn compare(op: Operator, x: &ConstValue, y: &ConstValue) -> Option<bool> {
    use std::cmp::Ordering;
    use ConstValue::*;
    let ord: Option<Ordering> = match (x, y) {
        (Int(a), Int(b)) => Some(a.cmp(b)),
        (Float(a), Float(b)) => Some(a.cmp(b)),
        (String(a), String(b)) => Some(a.cmp(b)),
        _ => None,
    };
    let eq = match (x, y) {
        (Bool(a), Bool(b)) => a == b,
        (Complex(ar, ai), Complex(br, bi)) => ar == br && ai == bi,
        _ => ord == Some(Ordering::Equal),
    };
    Some(match op {
        Operator::Eql => eq,
        Operator::Neq => !eq,
        Operator::Lss => ord? == Ordering::Less,
        Operator::Leq => ord? != Ordering::Greater,
        Operator::Gtr => ord? == Ordering::Greater,
        Operator::Geq => ord? != Ordering::Less,
        _ => return None,
    })
}

/// The value converted to the representation of a "larger" constant kind: Int -> Float ->
/// Complex (the order in which untyped operands are matched).
pub fn widen(v: &ConstValue, to_float: bool, to_complex: bool) -> ConstValue {
    let as_float = |v: &ConstValue| match v {
        ConstValue::Int(i) => BigRational::from_integer(i.clone()),
        ConstValue::Float(f) => f.clone(),
        _ => BigRational::zero(),
    };
    match v {
        ConstValue::Int(_) | ConstValue::Float(_) if to_complex => ConstValue::Complex(as_float(v), BigRational::zero()),
        ConstValue::Int(_) if to_float => ConstValue::Float(as_float(v)),
        _ => v.clone(),
    }
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

/// The exact value of a decimal or hexadecimal floating-point literal (`1.5`, `1e100`,
/// `.5`, `0x1p-2`). Exponents are limited to ±100000 so that a hostile literal cannot
/// exhaust memory; gc rejects far smaller exponents as overflowing anyway.
pub fn float_literal(text: &str) -> Option<BigRational> {
    let clean: String = text.chars().filter(|&c| c != '_').collect();
    let lower = clean.to_ascii_lowercase();
    let (mantissa, exp, radix, exp_base) = if let Some(hex) = lower.strip_prefix("0x") {
        let (m, e) = hex.split_once('p')?;
        (m.to_string(), e.parse::<i64>().ok()?, 16, 2u32)
    } else {
        match lower.split_once('e') {
            Some((m, e)) => (m.to_string(), e.parse::<i64>().ok()?, 10, 10u32),
            None => (lower.clone(), 0, 10, 10u32),
        }
    };
    if exp.abs() > 100_000 {
        return None;
    }
    let (int_part, frac_part) = mantissa.split_once('.').unwrap_or((&mantissa, ""));
    let digits = format!("{int_part}{frac_part}");
    let numer = if digits.is_empty() { BigInt::zero() } else { BigInt::from_str_radix(&digits, radix).ok()? };
    // Each fractional digit divides by the radix; for hex mantissas that is 2^4 per digit.
    let frac_scale = BigInt::from(radix).pow(frac_part.len() as u32);
    let mut value = BigRational::new(numer, frac_scale);
    let base = BigRational::from_integer(BigInt::from(exp_base));
    let factor = num_traits::pow::pow(base, exp.unsigned_abs() as usize);
    if exp >= 0 {
        value *= factor;
    } else {
        value /= factor;
    }
    Some(value)
}

/// The value of an imaginary literal (`2i`, `1.5i`, `0x1p2i`, `017i` is decimal 17i).
pub fn imag_literal(text: &str) -> Option<BigRational> {
    let body = text.strip_suffix('i')?;
    let lower = body.to_ascii_lowercase();
    let is_int = !lower.starts_with("0x") && !lower.contains(['.', 'e']);
    if is_int && !lower.starts_with("0b") && !lower.starts_with("0o") {
        // Legacy-octal-looking imaginary literals are decimal (spec: "for backward compatibility").
        let clean: String = lower.chars().filter(|&c| c != '_').collect();
        return BigInt::from_str_radix(&clean, 10).ok().map(BigRational::from_integer);
    }
    if is_int {
        return int_literal(body).map(BigRational::from_integer);
    }
    float_literal(body)
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

/// Whether an integer constant is representable in a signed or unsigned integer of `bits`.
pub fn int_fits(v: &BigInt, bits: u32, signed: bool) -> bool {
    if signed {
        let lim = BigInt::one() << (bits - 1);
        v >= &-lim.clone() && v < &lim
    } else {
        !v.is_negative() && v < &(BigInt::one() << bits)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integers_in_every_base() {
        assert_eq!(int_literal("42"), Some(BigInt::from(42)));
        assert_eq!(int_literal("0x_FF"), Some(BigInt::from(255)));
        assert_eq!(int_literal("0o17"), Some(BigInt::from(15)));
        assert_eq!(int_literal("017"), Some(BigInt::from(15)));
        assert_eq!(int_literal("0b1_01"), Some(BigInt::from(5)));
        assert_eq!(int_literal("1_000_000"), Some(BigInt::from(1_000_000)));
        assert_eq!(int_literal("0"), Some(BigInt::from(0)));
        assert!(int_fits(&int_literal("9223372036854775807").unwrap(), 64, true));
        assert!(!int_fits(&int_literal("9223372036854775808").unwrap(), 64, true));
    }

    #[test]
    fn floats_are_exact() {
        let f = |s| float_literal(s).unwrap().to_f64().unwrap();
        assert_eq!(f("1.5"), 1.5);
        assert_eq!(f(".25"), 0.25);
        assert_eq!(f("1e3"), 1000.0);
        assert_eq!(f("1E-2"), 0.01);
        assert_eq!(f("0x1p-2"), 0.25);
        assert_eq!(f("0x1.8p1"), 3.0);
        assert_eq!(f("1_0.5"), 10.5);
        assert!(float_literal("1e999999999").is_none());
        assert_eq!(imag_literal("017i").unwrap().to_f64(), Some(17.0));
        assert_eq!(imag_literal("1.5i").unwrap().to_f64(), Some(1.5));
    }

    #[test]
    fn arithmetic() {
        let i = |v: i64| ConstValue::Int(BigInt::from(v));
        assert_eq!(binary_op(Operator::Div, &i(7), &i(2), true), Ok(i(3)));
        assert_eq!(binary_op(Operator::Rem, &i(-7), &i(2), true), Ok(i(-1)));
        assert_eq!(binary_op(Operator::Shl, &i(1), &i(70), true).unwrap().describe(), "1180591620717411303424");
        assert_eq!(binary_op(Operator::AndNot, &i(0b1111), &i(0b0101), true), Ok(i(0b1010)));
        assert!(binary_op(Operator::Div, &i(1), &i(0), true).unwrap_err().contains("division by zero"));
        assert_eq!(binary_op(Operator::Lss, &i(1), &i(2), true), Ok(ConstValue::Bool(true)));
        let half = widen(&i(1), true, false);
        let q = binary_op(Operator::Div, &half, &widen(&i(2), true, false), false).unwrap();
        assert_eq!(q.to_f64(), Some(0.5));
        let s = |t: &str| ConstValue::String(t.as_bytes().to_vec());
        assert_eq!(binary_op(Operator::Add, &s("a"), &s("b"), false), Ok(s("ab")));
        assert_eq!(i(5).not(Operator::Xor), Some(i(-6)));
    }

    #[test]
    fn strings_and_runes() {
        assert_eq!(string_literal(r#""hello, world\n""#).unwrap(), b"hello, world\n");
        assert_eq!(string_literal(r#""\x41\101\u00e9\U0001F600\"""#).unwrap(), "AA\u{e9}\u{1F600}\"".as_bytes());
        assert_eq!(string_literal(r#""\xff""#).unwrap(), vec![0xff]);
        assert_eq!(string_literal("`a\r\nb`").unwrap(), b"a\nb");
        assert!(string_literal(r#""\q""#).is_none());
        assert_eq!(rune_literal("'a'"), Some(97));
        assert_eq!(rune_literal(r"'\n'"), Some(10));
        assert_eq!(rune_literal(r"'\''"), Some(39));
        assert_eq!(rune_literal(r"'\377'"), Some(255));
        assert_eq!(rune_literal("'é'"), Some(0xe9));
        assert_eq!(rune_literal(r"'\u00e9'"), Some(0xe9));
    }
}
