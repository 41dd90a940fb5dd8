//! The panic values the runtime raises itself (Go's error.go): gc's errorString, plainError
//! and boundsError, and how a panic prints them (gc's printpanicval).
//!
//! In gc these are Go values of types that implement runtime.Error, boxed in an interface and
//! passed to gopanic. Until the runtime can box values (type descriptors for its own types),
//! goclift carries them as `PanicValue`; `gopanic` in panic.rs is the single place they go, so
//! that boxing, defers and recover can be added there without touching the raisers.

use crate::print::{append_int, append_uint, FixedBuf};

/// Which bounds check failed (gc's boundsErrorCode); selects the message format.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u8)]
pub enum BoundsCode {
    /// s[x], 0 <= x < len(s) failed.
    Index,
    /// s[?:x], 0 <= x <= len(s) failed.
    SliceAlen,
    /// s[?:x], 0 <= x <= cap(s) failed.
    SliceAcap,
    /// s[x:y], 0 <= x <= y failed (y is checked first).
    SliceB,
    /// s[?:?:x], 0 <= x <= len(s) failed.
    Slice3Alen,
    /// s[?:?:x], 0 <= x <= cap(s) failed.
    Slice3Acap,
    /// s[?:x:y], 0 <= x <= y failed.
    Slice3B,
    /// s[x:y:?], 0 <= x <= y failed.
    Slice3C,
    /// (*[x]T)(s), 0 <= x <= len(s) failed.
    Convert,
}

/// A failed bounds check (gc's boundsError): the values involved and which check it was.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BoundsError {
    /// The index or bound that failed; an unsigned value when `!signed` (stored as its bits).
    pub x: i64,
    /// The length, capacity or other bound it was checked against (always signed).
    pub y: i64,
    /// Whether `x` has a signed type; a negative signed `x` gets the shorter message.
    pub signed: bool,
    /// Which check failed.
    pub code: BoundsCode,
}

/// gc's boundsErrorFmts: the message for each code; %x and %y are the values.
fn bounds_format(code: BoundsCode) -> &'static [u8] {
    match code {
        BoundsCode::Index => b"index out of range [%x] with length %y",
        BoundsCode::SliceAlen => b"slice bounds out of range [:%x] with length %y",
        BoundsCode::SliceAcap => b"slice bounds out of range [:%x] with capacity %y",
        BoundsCode::SliceB => b"slice bounds out of range [%x:%y]",
        BoundsCode::Slice3Alen => b"slice bounds out of range [::%x] with length %y",
        BoundsCode::Slice3Acap => b"slice bounds out of range [::%x] with capacity %y",
        BoundsCode::Slice3B => b"slice bounds out of range [:%x:%y]",
        BoundsCode::Slice3C => b"slice bounds out of range [%x:%y:]",
        BoundsCode::Convert => {
            b"cannot convert slice with length %y to pointer to array with length %x"
        }
    }
}

/// gc's boundsNegErrorFmts: the format when a signed `x` is negative (y is not reported).
fn bounds_neg_format(code: BoundsCode) -> &'static [u8] {
    match code {
        BoundsCode::Index => b"index out of range [%x]",
        BoundsCode::SliceAlen | BoundsCode::SliceAcap => b"slice bounds out of range [:%x]",
        BoundsCode::SliceB => b"slice bounds out of range [%x:]",
        BoundsCode::Slice3Alen | BoundsCode::Slice3Acap => b"slice bounds out of range [::%x]",
        BoundsCode::Slice3B => b"slice bounds out of range [:%x:]",
        BoundsCode::Slice3C => b"slice bounds out of range [%x::]",
        // x is an array length, never negative.
        BoundsCode::Convert => bounds_format(BoundsCode::Convert),
    }
}

/// Longest Error() text: "runtime error: " (15) + the longest format (72) + two numbers of at
/// most 20 characters each.
pub const MAX_ERROR_LEN: usize = 15 + 72 + 40;

impl BoundsError {
    /// Appends the message without the "runtime error: " prefix.
    pub fn append_message<const N: usize>(&self, out: &mut FixedBuf<N>) {
        let fmt = if self.signed && self.x < 0 {
            bounds_neg_format(self.code)
        } else {
            bounds_format(self.code)
        };
        let mut i = 0;
        while i < fmt.len() {
            if fmt[i] != b'%' {
                out.push_byte(fmt[i]);
                i += 1;
                continue;
            }
            match fmt[i + 1] {
                b'x' if self.signed => append_int(out, self.x),
                b'x' => append_uint(out, self.x as u64),
                _ => append_int(out, self.y),
            }
            i += 2;
        }
    }
}

/// A panic value raised by the runtime (or, for `String`, by compiled code), as gopanic
/// receives it.
#[derive(Clone, Copy, Debug)]
pub enum PanicValue<'a> {
    /// gc's errorString: a runtime.Error whose Error() is "runtime error: " + the text
    /// ("integer divide by zero", "makeslice: len out of range").
    ErrorString(&'static str),
    /// gc's boundsError, a runtime.Error: "runtime error: index out of range [5] with length 3".
    Bounds(BoundsError),
    /// gc's plainError: a runtime.Error printed without the prefix ("close of closed channel").
    Plain(&'static str),
    /// `panic(s)` with a Go string (gc's printpanicval of a string prints it as is).
    String(&'a [u8]),
}

impl PanicValue<'_> {
    /// The text gc prints after "panic: " (the Error() text, or the string itself), in
    /// `out`, or a long user string returned as is.
    pub fn message<'b, const N: usize>(&'b self, out: &'b mut FixedBuf<N>) -> &'b [u8] {
        match self {
            PanicValue::ErrorString(s) => {
                out.push(b"runtime error: ");
                out.push(s.as_bytes());
            }
            PanicValue::Bounds(e) => {
                out.push(b"runtime error: ");
                e.append_message(out);
            }
            PanicValue::Plain(s) => out.push(s.as_bytes()),
            PanicValue::String(s) => return s,
        }
        out.as_bytes()
    }

    /// Whether the value implements runtime.Error in gc (everything the runtime raises itself;
    /// recover will hand these out as runtime.Error values).
    pub fn is_runtime_error(&self) -> bool {
        !matches!(self, PanicValue::String(_))
    }
}

/// The Error() text of `v` as a Rust string (unit tests and Rust panics in test builds).
#[cfg(test)]
pub fn message_string(v: &PanicValue) -> String {
    let mut buf = FixedBuf::<MAX_ERROR_LEN>::new();
    String::from_utf8_lossy(v.message(&mut buf)).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bounds(x: i64, y: i64, signed: bool, code: BoundsCode) -> String {
        message_string(&PanicValue::Bounds(BoundsError { x, y, signed, code }))
    }

    /// The messages gc 1.19 prints for the same failed checks (/tmp programs built with gc;
    /// see runtime/tests/c/panic_calls.go for the live comparison).
    #[test]
    fn bounds_messages_match_gc() {
        use BoundsCode::*;
        let cases: &[(String, &str)] = &[
            (bounds(5, 3, true, Index), "index out of range [5] with length 3"),
            (bounds(-1, 3, true, Index), "index out of range [-1]"),
            (
                bounds((1u64 << 63 | 5) as i64, 3, false, Index),
                "index out of range [9223372036854775813] with length 3",
            ),
            (bounds(5, 3, true, SliceAlen), "slice bounds out of range [:5] with length 3"),
            (bounds(5, 3, true, SliceAcap), "slice bounds out of range [:5] with capacity 3"),
            (
                bounds(-1, 3, false, SliceAcap),
                "slice bounds out of range [:18446744073709551615] with capacity 3",
            ),
            (bounds(2, 1, true, SliceB), "slice bounds out of range [2:1]"),
            (bounds(-1, 0, true, SliceB), "slice bounds out of range [-1:]"),
            (bounds(5, 3, true, Slice3Alen), "slice bounds out of range [::5] with length 3"),
            (bounds(5, 3, true, Slice3Acap), "slice bounds out of range [::5] with capacity 3"),
            (bounds(-7, 3, true, Slice3Acap), "slice bounds out of range [::-7]"),
            (bounds(4, 2, true, Slice3B), "slice bounds out of range [:4:2]"),
            (bounds(2, 1, true, Slice3C), "slice bounds out of range [2:1:]"),
            (bounds(-1, 1, true, Slice3C), "slice bounds out of range [-1::]"),
            (
                bounds(4, 3, true, Convert),
                "cannot convert slice with length 3 to pointer to array with length 4",
            ),
            (bounds(i64::MIN, i64::MIN, true, Index), "index out of range [-9223372036854775808]"),
            (
                bounds(i64::MAX, i64::MIN, true, Slice3Acap),
                "slice bounds out of range [::9223372036854775807] with capacity -9223372036854775808",
            ),
        ];
        for (got, want) in cases {
            assert_eq!(got, &format!("runtime error: {want}"));
            assert!(got.len() <= MAX_ERROR_LEN);
        }
    }

    #[test]
    fn other_values_print_as_gc_prints_them() {
        assert_eq!(
            message_string(&PanicValue::ErrorString("integer divide by zero")),
            "runtime error: integer divide by zero"
        );
        assert_eq!(
            message_string(&PanicValue::Plain("close of closed channel")),
            "close of closed channel"
        );
        let long = vec![b'x'; 1000];
        assert_eq!(message_string(&PanicValue::String(&long)).len(), 1000);
        assert!(!PanicValue::String(b"x").is_runtime_error());
        assert!(PanicValue::Plain("x").is_runtime_error());
    }
}
