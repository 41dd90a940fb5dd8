//! Panics and fatal runtime errors (Go's panic.go): throw and fatal, the gopanic funnel every
//! run-time panic goes through, and the panic entry points compiled code calls (bounds checks,
//! divide, shift, nil dereference, panic with a string).

use crate::error::{BoundsCode, BoundsError, PanicValue};
use crate::print::{print_str, FixedBuf};
use crate::runtime2::G;

/// Reports an unrecoverable runtime error as gc does ("fatal error: <msg>" on standard error)
/// and exits with status 2.
///
/// Writes directly, without the print lock: throw may come from inside the lock itself.
/// In unit tests it panics instead, so that `#[should_panic]` can observe it.
pub fn throw(msg: &str) -> ! {
    if cfg!(test) {
        // The panic may happen on a goroutine stack, where it cannot unwind: say why first.
        fatal_message(&[b"(test) throw: ", msg.as_bytes(), b"\n"]);
        panic!("{}", msg);
    }
    PANICKING.fetch_add(1, core::sync::atomic::Ordering::SeqCst);
    fatal_message(&[b"fatal error: ", msg.as_bytes(), b"\n"]);
    crate::os_linux::exit(2)
}

/// Nonzero while the process is dying of a fatal error or panic (gc's panicking): deadlock
/// detection stands down.
static PANICKING: core::sync::atomic::AtomicU32 = core::sync::atomic::AtomicU32::new(0);

/// Whether the process is dying (gc's panicking > 0).
pub fn panicking() -> bool {
    PANICKING.load(core::sync::atomic::Ordering::SeqCst) != 0
}

/// A fatal error caused by the user program, such as a deadlock (gc's fatal): prints
/// "fatal error: <msg>", then a header for every user goroutine as gc's traceback does (the
/// frames themselves need the compiler's pc tables), and exits with status 2.
pub fn fatal(msg: &str) -> ! {
    PANICKING.fetch_add(1, core::sync::atomic::Ordering::SeqCst);
    crate::print::printlock();
    fatal_message(&[b"fatal error: ", msg.as_bytes(), b"\n"]);
    // SAFETY: reads goroutine records, which are never freed.
    unsafe { crate::traceback::tracebackothers(core::ptr::null_mut()) };
    crate::print::printunlock();
    crate::os_linux::exit(2)
}

/// Writes the pieces of a fatal message to standard error in one system call where it fits, so
/// that messages from crashing threads do not interleave mid-line.
pub fn fatal_message(pieces: &[&[u8]]) {
    let mut buf = crate::print::FixedBuf::<256>::new();
    for piece in pieces {
        if buf.remaining() < piece.len() {
            crate::os_linux::write_all(2, buf.as_bytes());
            crate::os_linux::write_all(2, piece);
            buf.clear();
        } else {
            buf.push(piece);
        }
    }
    crate::os_linux::write_all(2, buf.as_bytes());
}

/// A fatal error in goroutine `gp` (gc's throw for stack overflow and the like): "fatal
/// error: <msg>", the signal that caused it if any, then gp's goroutine header (frames need
/// the compiler's pc tables), exit 2.
pub fn fatal_with_goroutine(msg: &str, gp: *mut G) -> ! {
    PANICKING.fetch_add(1, core::sync::atomic::Ordering::SeqCst);
    crate::print::printlock();
    fatal_message(&[b"fatal error: ", msg.as_bytes(), b"\n"]);
    // SAFETY: G records are never freed.
    unsafe { dopanic(gp) };
    crate::print::printunlock();
    crate::os_linux::exit(2)
}

/// A run-time panic with a plain message, such as "close of nil channel" (gc's
/// panic(plainError(msg))), raised where the goroutine is not at hand.
pub fn panic_plain(msg: &'static str) -> ! {
    gopanic(core::ptr::null_mut(), PanicValue::Plain(msg))
}

/// A run-time error panic (gc's panic(errorString(msg))): "panic: runtime error: <msg>".
pub fn panic_error_string(gp: *mut G, msg: &'static str) -> ! {
    gopanic(gp, PanicValue::ErrorString(msg))
}

/// Panics with value `v` on goroutine `gp` (gc's gopanic): the one funnel every panic goes
/// through, so that deferred calls and recover can be added here. Until then every panic is
/// unrecovered: gc's fatalpanic output ("panic: " value, the "[signal ...]" line for faults,
/// the goroutine header) and exit status 2.
///
/// `gp` is the panicking goroutine, or null where the caller does not know it (the header then
/// says goroutine 1). In unit tests the panic becomes a Rust panic with the value's text, so
/// that `#[should_panic]` can observe it.
pub fn gopanic(gp: *mut G, v: PanicValue) -> ! {
    if cfg!(test) {
        #[cfg(test)]
        panic!("{}", crate::error::message_string(&v));
    }
    // gc's panicCheck2: a panic while allocating would deadlock on the heap; throw instead.
    // SAFETY: a non-null gp is the running goroutine, its M live.
    unsafe {
        if !gp.is_null() && !(*gp).m.is_null() && (*(*gp).m).mallocing != 0 {
            let mut buf = FixedBuf::<{ crate::error::MAX_ERROR_LEN }>::new();
            let msg = v.message(&mut buf);
            let text = core::str::from_utf8(msg).unwrap_or("panic during malloc");
            throw(text);
        }
    }
    fatalpanic(gp, &v)
}

/// Prints an unrecovered panic and exits with status 2 (gc's fatalpanic: printpanics, then
/// dopanic_m).
fn fatalpanic(gp: *mut G, v: &PanicValue) -> ! {
    PANICKING.fetch_add(1, core::sync::atomic::Ordering::SeqCst);
    crate::print::printlock();
    let mut buf = FixedBuf::<{ crate::error::MAX_ERROR_LEN }>::new();
    let msg = v.message(&mut buf);
    fatal_message(&[b"panic: ", msg, b"\n"]);
    // SAFETY: G records are never freed.
    unsafe { dopanic(gp) };
    crate::print::printunlock();
    crate::os_linux::exit(2)
}

/// What gc's dopanic_m prints after the panic or fatal error line: the signal that caused it,
/// if any ("[signal SIGSEGV: segmentation violation code=0x1 addr=0x0 pc=0x...]"), then a
/// blank line and the goroutine's header ("goroutine 1 [running]:" when gp is unknown).
///
/// # Safety
/// `gp` is null or a G record.
unsafe fn dopanic(gp: *mut G) {
    if !gp.is_null() && (*gp).sig != 0 {
        crate::signal_linux::print_signal_line((*gp).sig, (*gp).sigcode0, (*gp).sigcode1, (*gp).sigpc);
    }
    print_str("\n");
    if gp.is_null() {
        print_str("goroutine 1 [running]:\n");
    } else {
        crate::traceback::goroutineheader(gp);
    }
}

// ---------------------------------------------------------------------------------------------
// Entry points for compiled Go code. Each never returns; the g register gives the goroutine
// for the header. The implementations are "C-unwind" only so that unit tests can observe their
// panics; executables abort.

/// The bounds-check failure entries (gc's goPanicIndex and friends): x is the failing index
/// or bound (signed or unsigned per the function), y the length or capacity.
macro_rules! bounds_entries {
    ($($entry:ident / $imp:ident = $sym:literal, $code:ident, $signed:literal, $xty:literal;)*) => {$(
        unsafe extern "C-unwind" fn $imp(x: i64, y: i64, gp: *mut G) -> ! {
            gopanic(gp, PanicValue::Bounds(BoundsError { x, y, signed: $signed, code: BoundsCode::$code }))
        }
        crate::go_entry!(
            #[doc = concat!("`", $sym, "(x ", $xty, ", y int)`: panics with gc's bounds error (", stringify!($code), ").")]
            $entry = $sym(x: i64, y: i64) -> !;
            g in "rdx" / "x2" => $imp
        );
    )*};
}

bounds_entries! {
    go_panic_index_entry / go_panic_index = "runtime.goPanicIndex", Index, true, "int";
    go_panic_index_u_entry / go_panic_index_u = "runtime.goPanicIndexU", Index, false, "uint";
    go_panic_slice_alen_entry / go_panic_slice_alen = "runtime.goPanicSliceAlen", SliceAlen, true, "int";
    go_panic_slice_alen_u_entry / go_panic_slice_alen_u = "runtime.goPanicSliceAlenU", SliceAlen, false, "uint";
    go_panic_slice_acap_entry / go_panic_slice_acap = "runtime.goPanicSliceAcap", SliceAcap, true, "int";
    go_panic_slice_acap_u_entry / go_panic_slice_acap_u = "runtime.goPanicSliceAcapU", SliceAcap, false, "uint";
    go_panic_slice_b_entry / go_panic_slice_b = "runtime.goPanicSliceB", SliceB, true, "int";
    go_panic_slice_b_u_entry / go_panic_slice_b_u = "runtime.goPanicSliceBU", SliceB, false, "uint";
    go_panic_slice3_alen_entry / go_panic_slice3_alen = "runtime.goPanicSlice3Alen", Slice3Alen, true, "int";
    go_panic_slice3_alen_u_entry / go_panic_slice3_alen_u = "runtime.goPanicSlice3AlenU", Slice3Alen, false, "uint";
    go_panic_slice3_acap_entry / go_panic_slice3_acap = "runtime.goPanicSlice3Acap", Slice3Acap, true, "int";
    go_panic_slice3_acap_u_entry / go_panic_slice3_acap_u = "runtime.goPanicSlice3AcapU", Slice3Acap, false, "uint";
    go_panic_slice3_b_entry / go_panic_slice3_b = "runtime.goPanicSlice3B", Slice3B, true, "int";
    go_panic_slice3_b_u_entry / go_panic_slice3_b_u = "runtime.goPanicSlice3BU", Slice3B, false, "uint";
    go_panic_slice3_c_entry / go_panic_slice3_c = "runtime.goPanicSlice3C", Slice3C, true, "int";
    go_panic_slice3_c_u_entry / go_panic_slice3_c_u = "runtime.goPanicSlice3CU", Slice3C, false, "uint";
    go_panic_slice_convert_entry / go_panic_slice_convert = "runtime.goPanicSliceConvert", Convert, true, "int";
}

/// Integer division or remainder by zero (generated code's divide check).
pub unsafe extern "C-unwind" fn panicdivide(gp: *mut G) -> ! {
    panic_error_string(gp, "integer divide by zero")
}

/// A shift by a negative signed count (generated code's shift check).
pub unsafe extern "C-unwind" fn panicshift(gp: *mut G) -> ! {
    panic_error_string(gp, "negative shift amount")
}

/// A nil pointer dereference that compiled code detected itself rather than through a fault
/// (gc's panicmem); faults reach the same panic through sigpanic.
pub unsafe extern "C-unwind" fn panicmem(gp: *mut G) -> ! {
    panic_error_string(gp, MEMORY_ERROR)
}

/// gc's memoryError text.
pub const MEMORY_ERROR: &str = "invalid memory address or nil pointer dereference";

/// `panic(s)` for a string `s` (`ptr`, `len`) from compiled code.
unsafe extern "C-unwind" fn gopanicstring(ptr: *const u8, len: isize, gp: *mut G) -> ! {
    gopanic(gp, PanicValue::String(crate::string::bytes(ptr, len)))
}

crate::go_entry!(
    /// `runtime.panicdivide()`: "panic: runtime error: integer divide by zero".
    panicdivide_entry = "runtime.panicdivide"() -> !;
    g in "rdi" / "x0" => panicdivide
);
crate::go_entry!(
    /// `runtime.panicshift()`: "panic: runtime error: negative shift amount".
    panicshift_entry = "runtime.panicshift"() -> !;
    g in "rdi" / "x0" => panicshift
);
crate::go_entry!(
    /// `runtime.panicmem()`: "panic: runtime error: invalid memory address or nil pointer
    /// dereference", for nil checks the compiler makes explicitly.
    panicmem_entry = "runtime.panicmem"() -> !;
    g in "rdi" / "x0" => panicmem
);
crate::go_entry!(
    /// `goclift.gopanicstring(s string)`: `panic(s)` for a string value, printed as gc prints
    /// a string panic value ("panic: " s). Not a gc function: gc's gopanic takes an interface
    /// value, which comes with the runtime's interface support.
    gopanicstring_entry = "goclift.gopanicstring"(ptr: *const u8, len: isize) -> !;
    g in "rdx" / "x2" => gopanicstring
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    #[should_panic(expected = "runtime error: integer divide by zero")]
    fn divide_panics_with_gcs_message() {
        // SAFETY: a null g is allowed.
        unsafe { panicdivide(core::ptr::null_mut()) };
    }

    #[test]
    #[should_panic(expected = "runtime error: negative shift amount")]
    fn shift_panics_with_gcs_message() {
        // SAFETY: a null g is allowed.
        unsafe { panicshift(core::ptr::null_mut()) };
    }

    #[test]
    #[should_panic(expected = "runtime error: invalid memory address or nil pointer dereference")]
    fn panicmem_panics_with_gcs_message() {
        // SAFETY: a null g is allowed.
        unsafe { panicmem(core::ptr::null_mut()) };
    }

    #[test]
    #[should_panic(expected = "runtime error: index out of range [5] with length 3")]
    fn index_entry_panics_with_the_values() {
        // SAFETY: a null g is allowed.
        unsafe { go_panic_index(5, 3, core::ptr::null_mut()) };
    }

    #[test]
    #[should_panic(expected = "runtime error: slice bounds out of range [:18446744073709551615] with capacity 3")]
    fn unsigned_entries_print_x_unsigned() {
        // SAFETY: a null g is allowed.
        unsafe { go_panic_slice_acap_u(-1, 3, core::ptr::null_mut()) };
    }

    #[test]
    #[should_panic(expected = "cannot convert slice with length 3 to pointer to array with length 4")]
    fn convert_entry_takes_array_length_first() {
        // SAFETY: a null g is allowed.
        unsafe { go_panic_slice_convert(4, 3, core::ptr::null_mut()) };
    }

    #[test]
    #[should_panic(expected = "boom")]
    fn string_panics_print_the_string() {
        // SAFETY: the string is live.
        unsafe { gopanicstring(b"boom".as_ptr(), 4, core::ptr::null_mut()) };
    }
}
