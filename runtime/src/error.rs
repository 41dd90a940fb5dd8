//! The panic values the runtime raises itself (Go's error.go): gc's errorString, plainError
//! and boundsError; how panic values are boxed as interface values; and how a panic prints
//! them (gc's printany and printanycustomtype).
//!
//! The raisers describe their value as a `PanicValue`; `panic::gopanic` boxes it into an
//! [`Eface`] with one of the runtime's own descriptors below (so that recover returns a
//! non-nil interface value, and a re-panic of it prints the same message). Values panicked by
//! compiled code come with the compiler's descriptors from `goclift.types`.

use crate::print::{append_int, append_uint, FixedBuf};
use crate::r#type::*;

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
    /// A runtime.Error made at run time whose Error() text is given in full (gc's
    /// TypeAssertionError, and errorStrings with a computed message).
    Error(&'a [u8]),
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
            PanicValue::String(s) | PanicValue::Error(s) => return s,
        }
        out.as_bytes()
    }

    /// Whether the value implements runtime.Error in gc (everything the runtime raises itself;
    /// recover will hand these out as runtime.Error values).
    pub fn is_runtime_error(&self) -> bool {
        !matches!(self, PanicValue::String(_))
    }
}

/// An interface value as `any` holds it (gc's eface): the dynamic type's descriptor (null
/// for nil) and the data word (the value itself for pointer-shaped types, else a pointer to
/// it). The panic value, and what recover returns, in two registers.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Eface {
    pub typ: *const Type,
    pub data: *const u8,
}

impl Eface {
    /// The nil interface value.
    pub const NIL: Eface = Eface { typ: core::ptr::null(), data: core::ptr::null() };
}

/// A descriptor of one of the runtime's own types, in a static (raw pointers are not Sync).
#[repr(transparent)]
pub struct RuntimeType(pub Type);

// SAFETY: the descriptors are immutable and their pointers are null.
unsafe impl Sync for RuntimeType {}

/// A runtime-owned descriptor of `kind` and `size` bytes, `ptrdata` of them pointers. Its
/// name is empty (no offset into goclift.types): the runtime recognises its own types by
/// address.
const fn runtime_type(kind: u8, size: usize, ptrdata: usize) -> RuntimeType {
    RuntimeType(Type {
        size,
        ptrdata,
        hash: 0,
        tflag: TFLAG_NAMED,
        align: 8,
        field_align: 8,
        kind,
        equal: None,
        gcdata: core::ptr::null(),
        str_: 0,
        ptr_to_this: 0,
    })
}

/// gc's runtime.errorString (a string: "runtime error: " + text).
pub static ERROR_STRING_TYPE: RuntimeType = runtime_type(KIND_STRING, 16, 8);
/// gc's runtime.plainError (a string printed as is).
pub static PLAIN_ERROR_TYPE: RuntimeType = runtime_type(KIND_STRING, 16, 8);
/// gc's runtime.boundsError (struct { x int64; y int; signed bool; code uint8 }).
pub static BOUNDS_ERROR_TYPE: RuntimeType = runtime_type(KIND_STRUCT, 24, 0);
/// A runtime.Error with its full text (gc's TypeAssertionError and computed errorStrings).
pub static ERROR_TEXT_TYPE: RuntimeType = runtime_type(KIND_STRING, 16, 8);
/// `string`, for `panic(s)` raised through goclift.gopanicstring (compiled code that passes
/// its own descriptor uses runtime.gopanic instead).
pub static STRING_TYPE: RuntimeType = runtime_type(KIND_STRING, 16, 8);

/// The descriptors go/runtime/error.go registers at package initialisation for the types
/// above (errorString, plainError, boundsError, errorText, string), in that order: the
/// compiler's descriptors, with method tables (Error, RuntimeError), so that a recovered
/// run-time error satisfies `error` and `runtime.Error`. Null until registered; the
/// runtime-owned statics stand in before.
static REGISTERED: [core::sync::atomic::AtomicPtr<Type>; 5] =
    [const { core::sync::atomic::AtomicPtr::new(core::ptr::null_mut()) }; 5];

/// The runtime-owned statics, in REGISTERED's order.
fn runtime_statics() -> [&'static RuntimeType; 5] {
    [&ERROR_STRING_TYPE, &PLAIN_ERROR_TYPE, &BOUNDS_ERROR_TYPE, &ERROR_TEXT_TYPE, &STRING_TYPE]
}

/// The descriptor to box error type number `which` with: the registered one, else the static.
fn error_type(which: usize) -> *const Type {
    let t = REGISTERED[which].load(core::sync::atomic::Ordering::Relaxed);
    if t.is_null() { &runtime_statics()[which].0 } else { t }
}

/// Which of the runtime's error types `t` is (a static or a registered descriptor).
fn error_type_index(t: *const Type) -> Option<usize> {
    let statics = runtime_statics();
    (0..5).find(|&i| t == &statics[i].0 as *const Type || t == REGISTERED[i].load(core::sync::atomic::Ordering::Relaxed) as *const Type)
}

unsafe extern "C" fn register_error_type(which: isize, typ: *const Type, _data: *const u8, _gp: *mut crate::runtime2::G) {
    if (0..5).contains(&which) && !typ.is_null() {
        REGISTERED[which as usize].store(typ as *mut Type, core::sync::atomic::Ordering::Relaxed);
    }
}

crate::go_entry!(
    /// `runtime.registerErrorType(which int, v any)` (go/runtime/error.go).
    register_error_type_entry = "runtime.registerErrorType"(which: isize, typ: *const Type, data: *const u8);
    g in "rcx" / "x3" => register_error_type
);

/// A Go string header, as a string panic value's data word points at it.
#[repr(C)]
#[derive(Clone, Copy)]
struct StringHeader {
    ptr: *const u8,
    len: usize,
}

/// gc's boundsError layout, the data of a boxed bounds error.
#[repr(C)]
#[derive(Clone, Copy)]
struct BoxedBounds {
    x: i64,
    y: i64,
    signed: bool,
    code: BoundsCode,
}

impl PanicValue<'_> {
    /// The value boxed as an interface value, allocated by goroutine `gp` (gc converts its
    /// error values to `any` when it panics with them). String data is copied, because
    /// raisers may format messages in stack buffers. Each allocation reads `gp`'s M anew:
    /// an allocation may park the goroutine in a collection and resume it on another M.
    ///
    /// # Safety
    /// `gp` must be the calling goroutine, holding a P, not allocating.
    pub unsafe fn boxed(&self, gp: *mut crate::runtime2::G) -> Eface {
        use crate::malloc::malloc_untyped;
        let string = |which: usize, bytes: &[u8], copy: bool| {
            let ptr = if copy && !bytes.is_empty() {
                let p = malloc_untyped(bytes.len(), true, false, (*gp).m);
                core::ptr::copy_nonoverlapping(bytes.as_ptr(), p, bytes.len());
                p as *const u8
            } else {
                bytes.as_ptr()
            };
            let h = malloc_untyped(core::mem::size_of::<StringHeader>(), false, true, (*gp).m) as *mut StringHeader;
            h.write(StringHeader { ptr, len: bytes.len() });
            Eface { typ: error_type(which), data: h as *const u8 }
        };
        match *self {
            PanicValue::ErrorString(s) => string(0, s.as_bytes(), false),
            PanicValue::Plain(s) => string(1, s.as_bytes(), false),
            PanicValue::String(s) => string(4, s, true),
            PanicValue::Error(s) => string(3, s, true),
            PanicValue::Bounds(e) => {
                let b = malloc_untyped(core::mem::size_of::<BoxedBounds>(), true, true, (*gp).m) as *mut BoxedBounds;
                b.write(BoxedBounds { x: e.x, y: e.y, signed: e.signed, code: e.code });
                Eface { typ: error_type(2), data: b as *const u8 }
            }
        }
    }
}

impl Eface {
    /// The value as the runtime raised it, if its type is one of the runtime's own.
    ///
    /// # Safety
    /// The data word must match the type (as boxing made it).
    pub unsafe fn runtime_value(&self) -> Option<PanicValue<'static>> {
        let text = || {
            let h = *(self.data as *const StringHeader);
            if h.len == 0 {
                return &[][..];
            }
            core::slice::from_raw_parts(h.ptr, h.len)
        };
        let as_str = |b: &'static [u8]| core::str::from_utf8_unchecked(b);
        Some(match error_type_index(self.typ)? {
            0 => PanicValue::ErrorString(as_str(text())),
            1 => PanicValue::Plain(as_str(text())),
            3 => PanicValue::Error(text()),
            4 => PanicValue::String(text()),
            _ => {
                let b = *(self.data as *const BoxedBounds);
                PanicValue::Bounds(BoundsError { x: b.x, y: b.y, signed: b.signed, code: b.code })
            }
        })
    }
}

/// Prints a panic value as gc's printpanics does (gc's printany): nil; a value of a
/// predeclared boolean, numeric or string type as print prints it; a value of another type
/// with such a kind as `T(value)` (strings quoted); anything else as `(T) 0xADDR`. Error and
/// String methods have already been applied (see panic.rs's preprintpanics).
///
/// # Safety
/// `e` must be a valid interface value; the print lock should be held.
pub unsafe fn print_panic_value(e: Eface) {
    use crate::print::*;
    if e.typ.is_null() {
        return print_str("nil");
    }
    if let Some(v) = e.runtime_value() {
        let mut buf = FixedBuf::<MAX_ERROR_LEN>::new();
        let msg = v.message(&mut buf);
        return printstring(msg.as_ptr(), msg.len() as isize);
    }
    let t = &*e.typ;
    let name = t.string();
    // Predeclared types have unqualified names; every other named type has a package.
    let predeclared = !name.contains(&b'.');
    let d = e.data;
    let print_name = || printstring(name.as_ptr(), name.len() as isize);
    let value = || match t.kind() {
        KIND_BOOL => printbool(*d),
        KIND_INT | KIND_INT64 => printint(*(d as *const i64)),
        KIND_INT8 => printint(*(d as *const i8) as i64),
        KIND_INT16 => printint(*(d as *const i16) as i64),
        KIND_INT32 => printint(*(d as *const i32) as i64),
        KIND_UINT | KIND_UINT64 | KIND_UINTPTR => printuint(*(d as *const u64)),
        KIND_UINT8 => printuint(*d as u64),
        KIND_UINT16 => printuint(*(d as *const u16) as u64),
        KIND_UINT32 => printuint(*(d as *const u32) as u64),
        KIND_FLOAT32 => printfloat(*(d as *const f32) as f64),
        KIND_FLOAT64 => printfloat(*(d as *const f64)),
        KIND_COMPLEX64 => {
            let c = d as *const f32;
            printcomplex(*c as f64, *c.add(1) as f64)
        }
        KIND_COMPLEX128 => {
            let c = d as *const f64;
            printcomplex(*c, *c.add(1))
        }
        _ => {
            let h = *(d as *const StringHeader);
            printstring(h.ptr, h.len as isize)
        }
    };
    match t.kind() {
        KIND_BOOL | KIND_INT..=KIND_UINTPTR | KIND_FLOAT32 | KIND_FLOAT64 | KIND_STRING if predeclared => value(),
        KIND_COMPLEX64 | KIND_COMPLEX128 if predeclared => value(),
        KIND_STRING => {
            print_name();
            print_str("(\"");
            value();
            print_str("\")");
        }
        KIND_BOOL | KIND_INT..=KIND_UINTPTR | KIND_FLOAT32 | KIND_FLOAT64 => {
            print_name();
            print_str("(");
            value();
            print_str(")");
        }
        KIND_COMPLEX64 | KIND_COMPLEX128 => {
            print_name();
            value();
        }
        _ => {
            print_str("(");
            print_name();
            print_str(") ");
            printpointer(d);
        }
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
