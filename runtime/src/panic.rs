//! Fatal runtime errors (Go's panic.go: throw).

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

/// An unrecovered run-time error panic: gc's "panic: runtime error: <msg>" (with
/// "[recovered]" variants and defers to come with the panic machinery), the goroutine header,
/// and exit status 2. Goroutine tracebacks need the compiler's pc tables, which do not exist
/// yet; until then only the header line of the traceback is printed.
fn panic_runtime_error(msg: &str) -> ! {
    if cfg!(test) {
        panic!("runtime error: {}", msg);
    }
    fatal_message(&[b"panic: runtime error: ", msg.as_bytes(), b"\n\ngoroutine 1 [running]:\n"]);
    crate::os_linux::exit(2)
}

/// A fatal error in goroutine `gp` (gc's throw for stack overflow and the like): "fatal
/// error: <msg>", then gp's goroutine header (frames need the compiler's pc tables), exit 2.
pub fn fatal_with_goroutine(msg: &str, gp: *mut crate::runtime2::G) -> ! {
    PANICKING.fetch_add(1, core::sync::atomic::Ordering::SeqCst);
    crate::print::printlock();
    fatal_message(&[b"fatal error: ", msg.as_bytes(), b"\n\n"]);
    // SAFETY: G records are never freed.
    unsafe { crate::traceback::goroutineheader(gp) };
    crate::print::printunlock();
    crate::os_linux::exit(2)
}

/// A run-time panic with a plain message, such as "close of nil channel" (gc's
/// panic(plainError(msg))): "panic: <msg>", the goroutine header, exit status 2. These are
/// recoverable in Go; once the panic machinery exists it takes over here.
pub fn panic_plain(msg: &str) -> ! {
    if cfg!(test) {
        panic!("{}", msg);
    }
    PANICKING.fetch_add(1, core::sync::atomic::Ordering::SeqCst);
    fatal_message(&[b"panic: ", msg.as_bytes(), b"\n\ngoroutine 1 [running]:\n"]);
    crate::os_linux::exit(2)
}

/// Integer division or remainder by zero (called by generated code's divide check).
/// ("C-unwind" only so that unit tests can observe the panic; executables abort.)
#[unsafe(export_name = "runtime.panicdivide")]
pub extern "C-unwind" fn panicdivide() -> ! {
    panic_runtime_error("integer divide by zero")
}

/// A shift by a negative signed count (called by generated code's shift check).
#[unsafe(export_name = "runtime.panicshift")]
pub extern "C-unwind" fn panicshift() -> ! {
    panic_runtime_error("negative shift amount")
}

#[cfg(test)]
mod tests {
    #[test]
    #[should_panic(expected = "runtime error: integer divide by zero")]
    fn divide_panics_with_gcs_message() {
        super::panicdivide();
    }

    #[test]
    #[should_panic(expected = "runtime error: negative shift amount")]
    fn shift_panics_with_gcs_message() {
        super::panicshift();
    }
}
