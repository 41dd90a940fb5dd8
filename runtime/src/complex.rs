//! Complex division (gc's runtime/complex.go): Smith's algorithm, with C99's corrections
//! to infinities and zeros where it yields NaN for both parts. Compiled code divides
//! complex64 values by widening them to complex128.

/// A complex128 as two float64 results (returned in two float registers).
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Complex128 {
    pub re: f64,
    pub im: f64,
}

const SIGN: u64 = 1 << 63;

fn abs(f: f64) -> f64 {
    f64::from_bits(f.to_bits() & !SIGN)
}

fn copysign(f: f64, sign: f64) -> f64 {
    f64::from_bits((f.to_bits() & !SIGN) | (sign.to_bits() & SIGN))
}

/// A signed 1 if `f` is an infinity, else a signed 0 (the sign of `f`).
fn inf2one(f: f64) -> f64 {
    copysign(if f.is_infinite() { 1.0 } else { 0.0 }, f)
}

/// `n / m` for complex128 n = (a, b) and m = (c, d).
pub fn complex128div(a: f64, b: f64, c: f64, d: f64) -> Complex128 {
    // Robert L. Smith: Algorithm 116: Complex division. Commun. ACM 5(8): 435 (1962).
    let (mut e, mut f);
    if abs(c) >= abs(d) {
        let ratio = d / c;
        let denom = c + ratio * d;
        e = (a + b * ratio) / denom;
        f = (b - a * ratio) / denom;
    } else {
        let ratio = c / d;
        let denom = d + ratio * c;
        e = (a * ratio + b) / denom;
        f = (b * ratio - a) / denom;
    }
    if e.is_nan() && f.is_nan() {
        // C99 (ISO/IEC 9899:1999 G.5.1 Multiplicative operators).
        let (mut a, mut b, mut c, mut d) = (a, b, c, d);
        let inf = f64::INFINITY;
        if c == 0.0 && d == 0.0 && (!a.is_nan() || !b.is_nan()) {
            e = copysign(inf, c) * a;
            f = copysign(inf, c) * b;
        } else if (a.is_infinite() || b.is_infinite()) && c.is_finite() && d.is_finite() {
            a = inf2one(a);
            b = inf2one(b);
            e = inf * (a * c + b * d);
            f = inf * (b * c - a * d);
        } else if (c.is_infinite() || d.is_infinite()) && a.is_finite() && b.is_finite() {
            c = inf2one(c);
            d = inf2one(d);
            e = 0.0 * (a * c + b * d);
            f = 0.0 * (b * c - a * d);
        }
    }
    Complex128 { re: e, im: f }
}

unsafe extern "C" fn complex128div_from_go(a: f64, b: f64, c: f64, d: f64, _gp: *mut crate::runtime2::G) -> Complex128 {
    complex128div(a, b, c, d)
}

crate::go_entry!(
    /// `runtime.complex128div(n, m complex128) complex128`, parts in float registers.
    nosplit complex128div_entry = "runtime.complex128div"(a: f64, b: f64, c: f64, d: f64) -> Complex128;
    g in "rdi" / "x0" => complex128div_from_go
);

#[cfg(test)]
mod tests {
    use super::*;

    fn div(a: f64, b: f64, c: f64, d: f64) -> (f64, f64) {
        let r = complex128div(a, b, c, d);
        (r.re, r.im)
    }

    #[test]
    fn divides_finite_values() {
        assert_eq!(div(1.0, 2.0, 3.0, 4.0), (0.44, 0.08));
        assert_eq!(div(10.0, 0.0, 0.0, 2.0), (0.0, -5.0));
    }

    #[test]
    fn corrects_to_infinities_and_zeros_as_c99() {
        // Division by zero: infinities with the signs of the numerator's parts.
        assert_eq!(div(1.0, -1.0, 0.0, 0.0), (f64::INFINITY, f64::NEG_INFINITY));
        // An infinite numerator over a finite divisor.
        let (e, f) = div(f64::INFINITY, 0.0, 1.0, 1.0);
        assert!(e == f64::INFINITY && f == f64::NEG_INFINITY);
        // A finite numerator over an infinite divisor.
        let (e, f) = div(1.0, 1.0, f64::INFINITY, 0.0);
        assert!(e == 0.0 && f == 0.0);
        // NaN stays NaN.
        let (e, f) = div(f64::NAN, f64::NAN, 0.0, 0.0);
        assert!(e.is_nan() && f.is_nan());
    }
}
