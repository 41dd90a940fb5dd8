//! Goroutine tracebacks (Go's traceback.go), as far as goclift can produce them: goroutine
//! header lines. Frames need the compiler's pc tables, which do not exist yet.

use crate::print::{print_i64, print_str};
use crate::runtime2::{gstatus_string, G, G_DEAD, G_SCAN, G_SYSCALL, G_WAITING, WaitReason};

/// Prints "goroutine N [status]:" as gc's goroutineheader does, with the wait time in minutes
/// once it reaches one and ", locked to thread" when locked.
///
/// # Safety
/// `gp` must be a G record (they are never freed).
pub unsafe fn goroutineheader(gp: *mut G) {
    let raw = (*gp).atomicstatus.load(core::sync::atomic::Ordering::SeqCst);
    let is_scan = raw & G_SCAN != 0;
    let status = raw & !G_SCAN;
    let mut text = gstatus_string(status);
    if status == G_WAITING && (*gp).waitreason != WaitReason::Zero {
        text = (*gp).waitreason.as_str();
    }
    let mut waitfor = 0;
    if (status == G_WAITING || status == G_SYSCALL) && (*gp).waitsince != 0 {
        waitfor = (crate::time::nanotime() - (*gp).waitsince) / 60_000_000_000;
    }
    print_str("goroutine ");
    print_i64((*gp).goid);
    print_str(" [");
    print_str(text);
    if is_scan {
        print_str(" (scan)");
    }
    if waitfor >= 1 {
        print_str(", ");
        print_i64(waitfor);
        print_str(" minutes");
    }
    if !(*gp).lockedm.is_null() {
        print_str(", locked to thread");
    }
    print_str("]:\n");
}

/// Prints the header of every live user goroutine except `me`, each after a blank line, in
/// gc's order (gc's tracebackothers at the default GOTRACEBACK=single: the current M's
/// goroutine first, then allgs in creation order).
///
/// # Safety
/// Called while dying; reads G records without locks.
pub unsafe fn tracebackothers(me: *mut G) {
    crate::proc::for_each_g(|gp| {
        if gp == me || (*gp).is_system {
            return;
        }
        let status = (*gp).status();
        if status == G_DEAD || status == crate::runtime2::G_IDLE {
            return;
        }
        print_str("\n");
        goroutineheader(gp);
    });
}
