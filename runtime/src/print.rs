//! The `print`/`println` built-ins (Go's print.go), byte-exact with gc 1.19.
//!
//! The compiler lowers `println(a, b)` to
//! `printlock(); print<a>(a); printsp(); print<b>(b); printnl(); printunlock()`, calling the
//! exported C-ABI functions below by their gc names. Each call formats into a stack buffer and
//! writes it to standard error with one write(2), as gc's gwrite does.

use crate::lock_futex::Mutex;
use crate::os_linux;
use core::sync::atomic::{AtomicI32, AtomicU32, Ordering};

/// A byte buffer of fixed capacity on the stack, for formatting without an allocator.
pub struct FixedBuf<const N: usize> {
    bytes: [u8; N],
    len: usize,
}

impl<const N: usize> FixedBuf<N> {
    /// An empty buffer.
    pub const fn new() -> Self {
        FixedBuf {
            bytes: [0; N],
            len: 0,
        }
    }

    /// Appends `b`; the formatters size their buffers so that this cannot overflow.
    pub fn push(&mut self, b: &[u8]) {
        self.bytes[self.len..self.len + b.len()].copy_from_slice(b);
        self.len += b.len();
    }

    /// Appends one byte.
    pub fn push_byte(&mut self, b: u8) {
        self.push(&[b]);
    }

    /// How many more bytes fit.
    pub fn remaining(&self) -> usize {
        N - self.len
    }

    /// Empties the buffer.
    pub fn clear(&mut self) {
        self.len = 0;
    }

    /// The bytes appended so far.
    pub fn as_bytes(&self) -> &[u8] {
        &self.bytes[..self.len]
    }
}

impl<const N: usize> Default for FixedBuf<N> {
    fn default() -> Self {
        Self::new()
    }
}

/// Large enough for any single print call: the longest is a slice header,
/// "[" int "/" int "]" pointer = 1 + 20 + 1 + 20 + 1 + 18 bytes.
const LINE: usize = 64;

/// Appends `v` in decimal (gc's printuint).
pub fn append_uint<const N: usize>(out: &mut FixedBuf<N>, mut v: u64) {
    let mut digits = [0u8; 20];
    let mut i = digits.len();
    loop {
        i -= 1;
        digits[i] = b'0' + (v % 10) as u8;
        v /= 10;
        if v == 0 {
            break;
        }
    }
    out.push(&digits[i..]);
}

/// Appends `v` in decimal with a leading '-' when negative (gc's printint; the most negative
/// value prints as its magnitude, as gc's wrapping negation does).
pub fn append_int<const N: usize>(out: &mut FixedBuf<N>, v: i64) {
    if v < 0 {
        out.push_byte(b'-');
    }
    append_uint(out, v.unsigned_abs());
}

/// Most hex digits `append_hex` pads to (gc only ever asks for a pointer's 16).
pub const MAX_HEX_DIGITS: usize = 16;

/// Appends "0x" and `v` in lower-case hex, zero-padded to `min_digits` (gc's printhex with
/// minhexdigits; at most MAX_HEX_DIGITS).
pub fn append_hex<const N: usize>(out: &mut FixedBuf<N>, mut v: u64, min_digits: usize) {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut buf = [0u8; MAX_HEX_DIGITS];
    let mut i = buf.len();
    loop {
        i -= 1;
        buf[i] = DIGITS[(v % 16) as usize];
        v /= 16;
        if v == 0 && buf.len() - i >= min_digits.min(MAX_HEX_DIGITS) {
            break;
        }
    }
    out.push(b"0x");
    out.push(&buf[i..]);
}

/// Digits gc prints after the leading one is 6: "d.dddddd".
const FLOAT_DIGITS: usize = 7;

/// Appends `v` in gc's print format, "+d.dddddde+ddd", or NaN, +Inf, -Inf (gc's printfloat).
///
/// This is gc's algorithm step for step: the decimal scaling by repeated division or
/// multiplication by 10 loses precision in the last digit for extreme values, and matching gc
/// means losing it the same way.
pub fn append_float<const N: usize>(out: &mut FixedBuf<N>, v: f64) {
    if v.is_nan() {
        return out.push(b"NaN");
    }
    if v + v == v && v > 0.0 {
        return out.push(b"+Inf");
    }
    if v + v == v && v < 0.0 {
        return out.push(b"-Inf");
    }
    let sign = if v.is_sign_negative() { b'-' } else { b'+' };
    let (mut mantissa, exp) = if v == 0.0 {
        (0.0, 0)
    } else {
        normalize_and_round(v.abs())
    };

    let mut digits = [0u8; FLOAT_DIGITS];
    for d in digits.iter_mut() {
        let s = mantissa as i32;
        *d = b'0' + s as u8;
        mantissa -= s as f64;
        mantissa *= 10.0;
    }
    out.push_byte(sign);
    out.push_byte(digits[0]);
    out.push_byte(b'.');
    out.push(&digits[1..]);
    out.push_byte(b'e');
    out.push_byte(if exp < 0 { b'-' } else { b'+' });
    let e = exp.unsigned_abs();
    out.push(&[
        b'0' + (e / 100) as u8,
        b'0' + (e / 10 % 10) as u8,
        b'0' + (e % 10) as u8,
    ]);
}

/// Scales positive finite `v` into [1, 10) and rounds it at the last printed digit, returning
/// the mantissa and the decimal exponent.
fn normalize_and_round(mut v: f64) -> (f64, i32) {
    let mut e = 0;
    while v >= 10.0 {
        e += 1;
        v /= 10.0;
    }
    while v < 1.0 {
        e -= 1;
        v *= 10.0;
    }
    let mut h = 5.0;
    for _ in 0..FLOAT_DIGITS {
        h /= 10.0;
    }
    v += h;
    if v >= 10.0 {
        e += 1;
        v /= 10.0;
    }
    (v, e)
}

/// Appends a complex number as gc does: "(" real imag "i)", e.g. "(+1.000000e+000-2.000000e+000i)".
pub fn append_complex<const N: usize>(out: &mut FixedBuf<N>, re: f64, im: f64) {
    out.push_byte(b'(');
    append_float(out, re);
    append_float(out, im);
    out.push(b"i)");
}

/// Appends a slice header as gc does: "[len/cap]0xptr".
pub fn append_slice<const N: usize>(out: &mut FixedBuf<N>, ptr: usize, len: isize, cap: isize) {
    out.push_byte(b'[');
    append_int(out, len as i64);
    out.push_byte(b'/');
    append_int(out, cap as i64);
    out.push_byte(b']');
    append_hex(out, ptr as u64, 0);
}

/// Writes printed bytes to standard error (gc's gwrite without the panic backlog).
fn gwrite(b: &[u8]) {
    if b.is_empty() {
        return;
    }
    if CAPTURE_OWNER.load(Ordering::Acquire) != 0 && CAPTURE_OWNER.load(Ordering::Relaxed) == os_linux::gettid() {
        // SAFETY: only the owner thread touches CAPTURE while it owns it.
        unsafe { capture_append(b) };
        return;
    }
    os_linux::write_all(2, b);
}

/// Serialises captures (one thread at a time redirects its output).
static CAPTURE_LOCK: Mutex = Mutex::new();
/// Thread id of the thread whose output goes to CAPTURE, 0 when none.
static CAPTURE_OWNER: AtomicI32 = AtomicI32::new(0);
/// The capture buffer: start, capacity, bytes written.
static mut CAPTURE: (*mut u8, usize, usize) = (core::ptr::null_mut(), 0, 0);

unsafe fn capture_append(b: &[u8]) {
    let (buf, cap, len) = CAPTURE;
    let n = b.len().min(cap - len);
    core::ptr::copy_nonoverlapping(b.as_ptr(), buf.add(len), n);
    CAPTURE.2 = len + n;
}

/// Runs `f` with this thread's printed output going to the `cap` bytes at `buf` instead of
/// standard error, truncated to fit (gc's m.writebuf, for runtime.Stack); returns how many
/// bytes were stored. `f` must not switch threads (park or reschedule).
///
/// # Safety
/// `buf` must be writable for `cap` bytes.
pub unsafe fn capture_output(buf: *mut u8, cap: usize, f: impl FnOnce()) -> usize {
    CAPTURE_LOCK.lock();
    CAPTURE = (buf, cap, 0);
    CAPTURE_OWNER.store(os_linux::gettid(), Ordering::Release);
    f();
    CAPTURE_OWNER.store(0, Ordering::Release);
    let n = CAPTURE.2;
    CAPTURE_LOCK.unlock();
    n
}

/// Prints a string from runtime code (gc's print of a string constant).
pub fn print_str(s: &str) {
    gwrite(s.as_bytes());
}

/// Prints bytes (a string that is not a Rust `str`, such as a file name) from runtime code.
pub fn print_bytes(b: &[u8]) {
    gwrite(b);
}

/// Prints an unsigned integer from runtime code.
pub fn print_u64(v: u64) {
    print_formatted(|b| append_uint(b, v));
}

/// Prints a signed integer from runtime code.
pub fn print_i64(v: i64) {
    print_formatted(|b| append_int(b, v));
}

/// Prints "0x" and a hexadecimal number from runtime code (gc's print of a hex value).
pub fn print_hex(v: u64) {
    print_formatted(|b| append_hex(b, v, 0));
}

/// Formats with `f` into a line buffer and writes the result.
fn print_formatted(f: impl FnOnce(&mut FixedBuf<LINE>)) {
    let mut buf = FixedBuf::<LINE>::new();
    f(&mut buf);
    gwrite(buf.as_bytes());
}

/// Serialises print statements between threads (gc's debuglock).
static DEBUG_LOCK: Mutex = Mutex::new();
/// Thread id of the thread holding DEBUG_LOCK for printing, 0 when none.
static PRINT_OWNER: AtomicI32 = AtomicI32::new(0);
/// How many printlocks the owner holds; the lock is recursive per thread as in gc, because a
/// crash while printing must still be able to print.
static PRINT_DEPTH: AtomicU32 = AtomicU32::new(0);

/// Starts a print statement: takes the print lock, recursively for the same thread.
pub extern "C" fn printlock() {
    let me = os_linux::gettid();
    // Only this thread can have stored its own id, so a relaxed read suffices to detect recursion.
    if PRINT_OWNER.load(Ordering::Relaxed) != me {
        DEBUG_LOCK.lock();
        PRINT_OWNER.store(me, Ordering::Relaxed);
    }
    PRINT_DEPTH.fetch_add(1, Ordering::Relaxed);
}

/// Ends a print statement: releases one level of the print lock.
pub extern "C" fn printunlock() {
    if PRINT_OWNER.load(Ordering::Relaxed) != os_linux::gettid() {
        crate::panic::throw("printunlock without printlock");
    }
    if PRINT_DEPTH.fetch_sub(1, Ordering::Relaxed) == 1 {
        PRINT_OWNER.store(0, Ordering::Relaxed);
        DEBUG_LOCK.unlock();
    }
}

/// Prints the `len` bytes at `ptr` (a Go string's data and length).
///
/// # Safety
/// `ptr` must point to `len` readable bytes (it may be dangling when `len` is 0).
pub unsafe extern "C" fn printstring(ptr: *const u8, len: isize) {
    if len > 0 {
        gwrite(core::slice::from_raw_parts(ptr, len as usize));
    }
}

/// Prints a signed integer in decimal.
pub extern "C" fn printint(v: i64) {
    print_formatted(|b| append_int(b, v));
}

/// Prints an unsigned integer (also uintptr) in decimal.
pub extern "C" fn printuint(v: u64) {
    print_formatted(|b| append_uint(b, v));
}

/// Prints "0x" and hex digits (values of the runtime's `hex` type).
pub extern "C" fn printhex(v: u64) {
    print_formatted(|b| append_hex(b, v, 0));
}

/// Prints "true" or "false"; any nonzero byte is true.
pub extern "C" fn printbool(v: u8) {
    gwrite(if v != 0 { b"true" } else { b"false" });
}

/// Prints a float64 (float32 values are converted by the caller) in gc's format.
pub extern "C" fn printfloat(v: f64) {
    print_formatted(|b| append_float(b, v));
}

/// Prints a complex128 (complex64 values are converted by the caller).
pub extern "C" fn printcomplex(re: f64, im: f64) {
    print_formatted(|b| append_complex(b, re, im));
}

/// Prints a pointer (also chan, map, func, unsafe.Pointer) as hex.
pub extern "C" fn printpointer(p: *const u8) {
    print_formatted(|b| append_hex(b, p as usize as u64, 0));
}

/// Prints a slice header: "[len/cap]0xptr".
pub extern "C" fn printslice(ptr: *const u8, len: isize, cap: isize) {
    print_formatted(|b| append_slice(b, ptr as usize, len, cap));
}

/// Prints the space between println operands.
pub extern "C" fn printsp() {
    gwrite(b" ");
}

/// Prints the newline that ends println.
pub extern "C" fn printnl() {
    gwrite(b"\n");
}

// Entry points for compiled Go code (C ABI, g in the g register; see runtime/README.md).
// Each stub checks the stack like every runtime entry and passes g in the register after the
// arguments; the formatting functions ignore it.

unsafe extern "C" fn printlock_from_go(gp: *mut crate::runtime2::G) {
    // The print lock belongs to the thread: no preemption (and so no migration) until
    // printunlock (gc's printlock takes an M lock for the same reason).
    (*(*gp).m).locks += 1;
    printlock();
}

unsafe extern "C" fn printunlock_from_go(gp: *mut crate::runtime2::G) {
    printunlock();
    (*(*gp).m).locks -= 1;
}

crate::go_entry!(
    /// `runtime.printlock()`: starts a print statement.
    printlock_entry = "runtime.printlock"();
    g in "rdi" / "x0" => printlock_from_go
);
crate::go_entry!(
    /// `runtime.printunlock()`: ends a print statement.
    printunlock_entry = "runtime.printunlock"();
    g in "rdi" / "x0" => printunlock_from_go
);
crate::go_entry!(
    /// `runtime.printstring(p *byte, len int)`.
    printstring_entry = "runtime.printstring"(ptr: *const u8, len: isize);
    g in "rdx" / "x2" => printstring
);
crate::go_entry!(
    /// `runtime.printint(v int64)`.
    printint_entry = "runtime.printint"(v: i64);
    g in "rsi" / "x1" => printint
);
crate::go_entry!(
    /// `runtime.printuint(v uint64)` (also uintptr).
    printuint_entry = "runtime.printuint"(v: u64);
    g in "rsi" / "x1" => printuint
);
crate::go_entry!(
    /// `runtime.printhex(v uint64)`: "0x..." (the runtime's hex type).
    printhex_entry = "runtime.printhex"(v: u64);
    g in "rsi" / "x1" => printhex
);
crate::go_entry!(
    /// `runtime.printbool(v bool)`: nonzero low byte is true.
    printbool_entry = "runtime.printbool"(v: u8);
    g in "rsi" / "x1" => printbool
);
crate::go_entry!(
    /// `runtime.printfloat(v float64)` (float32 converted by the caller).
    printfloat_entry = "runtime.printfloat"(v: f64);
    g in "rdi" / "x0" => printfloat
);
crate::go_entry!(
    /// `runtime.printcomplex(re, im float64)`.
    printcomplex_entry = "runtime.printcomplex"(re: f64, im: f64);
    g in "rdi" / "x0" => printcomplex
);
crate::go_entry!(
    /// `runtime.printpointer(p unsafe.Pointer)` (pointers, chans, maps, funcs).
    printpointer_entry = "runtime.printpointer"(p: *const u8);
    g in "rsi" / "x1" => printpointer
);
crate::go_entry!(
    /// `runtime.printslice(p unsafe.Pointer, len, cap int)`.
    printslice_entry = "runtime.printslice"(ptr: *const u8, len: isize, cap: isize);
    g in "rcx" / "x3" => printslice
);
crate::go_entry!(
    /// `runtime.printsp()`: the space between println operands.
    printsp_entry = "runtime.printsp"();
    g in "rdi" / "x0" => printsp
);
crate::go_entry!(
    /// `runtime.printnl()`: the newline that ends println.
    printnl_entry = "runtime.printnl"();
    g in "rdi" / "x0" => printnl
);

#[cfg(test)]
mod tests {
    //! Expected strings are what gc 1.19 prints for the same println operands
    //! (`/usr/lib/go-1.19/bin/go run`); runtime/tests/entry.rs compares against gc live.
    use super::*;

    fn float(v: f64) -> String {
        let mut b = FixedBuf::<LINE>::new();
        append_float(&mut b, v);
        String::from_utf8(b.as_bytes().to_vec()).unwrap()
    }

    #[test]
    fn floats_match_gc() {
        let cases: &[(f64, &str)] = &[
            (0.0, "+0.000000e+000"),
            (-0.0, "-0.000000e+000"),
            (1.5, "+1.500000e+000"),
            (1e100, "+1.000000e+100"),
            (1e-300, "+1.000000e-300"),
            (f64::NAN, "NaN"),
            (f64::INFINITY, "+Inf"),
            (f64::NEG_INFINITY, "-Inf"),
            (f64::MAX, "+1.797693e+308"),
            (5e-324, "+4.940656e-324"),
            (9.9999999, "+1.000000e+001"),
            (0.1, "+1.000000e-001"),
            (123456789.0, "+1.234568e+008"),
            (-2.5e-10, "-2.500000e-010"),
            (1e23, "+1.000000e+023"),
            (0.1f32 as f64, "+1.000000e-001"),
            (16777217f32 as f64, "+1.677722e+007"),
        ];
        for &(v, want) in cases {
            assert_eq!(float(v), want, "printfloat({v:e})");
        }
    }

    fn formatted(f: impl FnOnce(&mut FixedBuf<LINE>)) -> String {
        let mut b = FixedBuf::<LINE>::new();
        f(&mut b);
        String::from_utf8(b.as_bytes().to_vec()).unwrap()
    }

    #[test]
    fn integers_match_gc() {
        assert_eq!(formatted(|b| append_int(b, 0)), "0");
        assert_eq!(formatted(|b| append_int(b, -1)), "-1");
        assert_eq!(
            formatted(|b| append_int(b, i64::MAX)),
            "9223372036854775807"
        );
        assert_eq!(
            formatted(|b| append_int(b, i64::MIN)),
            "-9223372036854775808"
        );
        assert_eq!(
            formatted(|b| append_uint(b, u64::MAX)),
            "18446744073709551615"
        );
        assert_eq!(formatted(|b| append_uint(b, 10)), "10");
    }

    #[test]
    fn hex_matches_gc() {
        assert_eq!(formatted(|b| append_hex(b, 0, 0)), "0x0");
        assert_eq!(formatted(|b| append_hex(b, 0xdeadbeef, 0)), "0xdeadbeef");
        assert_eq!(
            formatted(|b| append_hex(b, u64::MAX, 0)),
            "0xffffffffffffffff"
        );
        assert_eq!(formatted(|b| append_hex(b, 0xab, 16)), "0x00000000000000ab");
        assert_eq!(formatted(|b| append_hex(b, 0xab, 99)), "0x00000000000000ab");
    }

    #[test]
    fn composites_match_gc() {
        assert_eq!(
            formatted(|b| append_complex(b, 1.0, 2.0)),
            "(+1.000000e+000+2.000000e+000i)"
        );
        assert_eq!(
            formatted(|b| append_complex(b, -0.5, f64::INFINITY)),
            "(-5.000000e-001+Infi)"
        );
        assert_eq!(formatted(|b| append_slice(b, 0, 0, 0)), "[0/0]0x0");
        assert_eq!(
            formatted(|b| append_slice(b, 0xc000010000, 3, 8)),
            "[3/8]0xc000010000"
        );
        let widest = formatted(|b| append_slice(b, usize::MAX, isize::MIN, isize::MIN));
        assert_eq!(widest.len(), 61);
    }

    #[test]
    fn printlock_is_recursive_per_thread_and_exclusive_between_threads() {
        printlock();
        printlock();
        let me = os_linux::gettid();
        assert_eq!(PRINT_OWNER.load(Ordering::SeqCst), me);
        let other = std::thread::spawn(|| {
            printlock();
            let owner = PRINT_OWNER.load(Ordering::SeqCst);
            printunlock();
            owner
        });
        std::thread::sleep(std::time::Duration::from_millis(20));
        assert_eq!(
            PRINT_OWNER.load(Ordering::SeqCst),
            me,
            "other thread must wait"
        );
        printunlock();
        assert_eq!(PRINT_OWNER.load(Ordering::SeqCst), me, "still held once");
        printunlock();
        let other_owner = other.join().unwrap();
        assert!(other_owner != me && other_owner != 0);
    }
}
