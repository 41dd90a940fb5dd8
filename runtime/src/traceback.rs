//! Goroutine tracebacks (Go's traceback.go): the goroutine header, then every Go frame of the
//! goroutine, innermost first, as gc prints them at GOTRACEBACK=single:
//!
//! ```text
//! goroutine 1 [running]:
//! main.f(...)
//!         /path/x.go:7 +0x1d
//! main.main()
//!         /path/x.go:12 +0x25
//! created by main.main          (for goroutines started by a go statement)
//!         /path/x.go:10 +0x6a
//! ```
//!
//! **Walking.** Compiled Go code and the runtime (built with forced frame pointers) keep a
//! frame record in every frame: the caller's frame pointer and the return address. The walk
//! follows the records from the runtime's own frame (the current goroutine) or from the frame
//! pointer saved when a goroutine was switched out (gobuf.bp), and names each return address
//! with the compiler's function table (symtab.rs). Runtime frames are not in the table and are
//! left out, as gc leaves out its unexported runtime functions; so are compiler-made wrappers
//! (table flag). Two kinds of runtime frames are seen through: morestack's re-entry of a
//! function (the function's first entry stands below morestack's frame and is not printed
//! twice) and goclift.deferframe, which calls the body of a function with defers (the body is
//! named as the function; the frame half is hidden). A deferred call run by a panic shows gc's
//! `panic(...)` frame for the runtime's gopanic, with gc's source position for it.
//!
//! **Arguments.** gc prints a function's argument words in hex, from its stack or spill slots.
//! goclift passes arguments in registers that the callee does not keep anywhere a traceback
//! can find, so frames print `(...)` for functions with arguments and `()` for those without
//! (what gc prints for inlined frames); the test runner compares argument lists only as
//! empty or not (docs/decisions.md, "Tracebacks").

use crate::print::{print_bytes, print_hex, print_i64, print_str, print_u64};
use crate::runtime2::{gstatus_string, G, G_DEAD, G_RUNNING, G_SCAN, G_SYSCALL, G_WAITING, WaitReason};
use crate::symtab::{find_func, Func, FLAG_ARGS, FLAG_HIDDEN};

/// gc's _TracebackMaxFrames: the frames a traceback walks, hidden runtime frames included
/// ("...additional frames elided..." when all of them were printed).
const MAX_FRAMES: usize = 100;

/// Records followed at most in one walk (a guard against a corrupt chain; hidden frames and
/// runtime frames are not printed but are walked).
const MAX_RECORDS: usize = 100_000;

/// gc 1.19's source position of the deferred call in gopanic (runtime/panic.go), printed for
/// the `panic(...)` frame as gc prints it for deferred calls it open-codes (the common case;
/// calls through defer records would say 890).
const GOPANIC_LINE: u32 = 884;
/// gc 1.19's source position of Goexit's deferred call (runtime/panic.go).
const GOEXIT_LINE: u32 = 540;

unsafe extern "C" {
    /// The return address of goclift_calldefer's call of a deferred function.
    fn goclift_calldefer_called();
    /// The return address of goclift.deferframe's call of deferreturn.
    fn goclift_deferframe_returned();
}

/// The current frame pointer (the calling function's frame record).
#[inline(always)]
pub fn current_fp() -> usize {
    let fp: usize;
    // SAFETY: reads a register.
    unsafe {
        #[cfg(target_arch = "x86_64")]
        core::arch::asm!("mov {}, rbp", out(reg) fp, options(nomem, nostack, preserves_flags));
        #[cfg(target_arch = "aarch64")]
        core::arch::asm!("mov {}, x29", out(reg) fp, options(nomem, nostack, preserves_flags));
    }
    fp
}

/// The return address in frame record `fp`.
unsafe fn ret(fp: usize) -> usize {
    *((fp + 8) as *const usize)
}

/// The caller's frame record saved in frame record `fp`.
unsafe fn caller(fp: usize) -> usize {
    *(fp as *const usize)
}

fn is_reentry(pc: usize) -> bool {
    pc == crate::morestack::morestack_call_return() || pc == crate::morestack::morestack_recall_return()
}

/// The address a runtime entry reached from compiled code returns to, given its frame record
/// `fp`: the return address, or, if runtime.morestack re-entered the entry stub, the one
/// morestack's frame holds (the stub itself has no frame).
///
/// # Safety
/// `fp` must be the frame record of a runtime function called (through its entry stub) from
/// compiled code.
pub unsafe fn return_address(fp: usize) -> usize {
    let pc = ret(fp);
    if is_reentry(pc) {
        ret(caller(fp))
    } else {
        pc
    }
}

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

/// Prints the frames of `gp`, the goroutine running on this thread, from the caller of this
/// function outwards, then "created by" (gc's traceback of the current goroutine).
///
/// # Safety
/// `gp` must be the running goroutine and the caller on its stack.
#[inline(never)]
pub unsafe fn traceback_current(gp: *mut G) {
    // gc's walk starts in gopanic, and in sigpanic below it for a fault: frames it counts
    // against MAX_FRAMES without printing them.
    let hidden = if (*gp).sig != 0 { 2 } else { 1 };
    print_frames(gp, current_fp(), hidden, 0);
    print_created_by(gp);
}

/// Prints the frames of `gp`, which is not running (switched out with its frame pointer in
/// gp.sched.bp), then "created by".
///
/// # Safety
/// `gp` must be a G record that no thread runs.
pub unsafe fn traceback_parked(gp: *mut G) {
    print_frames(gp, (*gp).sched.bp, 0, 0);
    print_created_by(gp);
}

/// Prints the Go frames above frame record `fp` of goroutine `gp` but the first `skip`, at
/// most MAX_FRAMES less the `hidden` runtime frames gc would have counted first.
unsafe fn print_frames(gp: *mut G, fp: usize, hidden: usize, mut skip: usize) {
    let mut printed = hidden;
    walk_frames(gp, fp, |frame| {
        if skip > 0 {
            if !matches!(frame, Frame::Unnamed) {
                skip -= 1;
            }
            return true;
        }
        if printed == MAX_FRAMES {
            // gc says so only when it printed every frame it walked.
            if hidden == 0 {
                print_str("...additional frames elided...\n");
            }
            return false;
        }
        match frame {
            Frame::Go { f, pc, exact } => print_frame(&f, pc, exact),
            Frame::Runner(p) => print_runtime_frame(p),
            Frame::Unnamed => return true,
        }
        printed += 1;
        true
    });
}

/// What a walk finds in one frame record.
pub enum Frame {
    /// A Go function shown in tracebacks, at `pc`: a return address, or the faulting
    /// instruction if `exact`.
    Go { f: Func, pc: usize, exact: bool },
    /// The runtime function running a deferred call (gc's gopanic or Goexit frame).
    Runner(DeferRunner),
    /// A frame tracebacks leave out (runtime code, compiler-made wrappers).
    Unnamed,
}

/// Calls `visit` with each frame above frame record `fp` of goroutine `gp`, innermost first,
/// until it returns false or the records end. Two kinds of runtime frames are seen through
/// (see the module doc): morestack's re-entry of a function and goclift.deferframe.
unsafe fn walk_frames(gp: *mut G, mut fp: usize, mut visit: impl FnMut(Frame) -> bool) {
    let fault_pc = if (*gp).sig != 0 { (*gp).sigpc } else { 0 };
    let calldefer = goclift_calldefer_called as *const () as usize;
    let mut walked = 0;
    // Whether the function owning `fp` is compiled Go code (else runtime code).
    let mut in_go = false;
    // The frame half of a function with defers is shown when its deferred calls run at its
    // return (its body has returned; gc shows the function there).
    let returning = goclift_deferframe_returned as *const () as usize;
    let mut show_frame_half = false;
    while valid_record(fp) && walked < MAX_RECORDS {
        walked += 1;
        // A function re-entered by morestack: a compiled function's first entry, below
        // morestack's frame, is the same call, so continue from there; a runtime entry stub
        // has no frame of its own, so morestack's frame stands for it.
        let mut rec = fp;
        while is_reentry(ret(rec)) {
            rec = if in_go { caller(caller(rec)) } else { caller(rec) };
            if !valid_record(rec) {
                return;
            }
        }
        let pc = ret(rec);
        if pc == 0 {
            return;
        }
        in_go = crate::symtab::in_compiled_code(pc);
        let mut frame = Frame::Unnamed;
        if pc == calldefer {
            // The function at `rec` is a deferred call (or its wrapper): its canonical frame
            // address tells which panic or Goexit runs it, if any.
            if let Some(p) = crate::panic::running_deferred_call(gp, rec + 16) {
                frame = Frame::Runner(p);
            }
        } else if let Some(f) = find_func(pc) {
            if f.flags & FLAG_HIDDEN == 0 || show_frame_half {
                frame = Frame::Go { f, pc, exact: pc == fault_pc };
            }
        }
        if !visit(frame) {
            return;
        }
        if pc == returning {
            show_frame_half = true;
        } else if in_go {
            show_frame_half = false;
        }
        fp = caller(rec);
    }
}

/// Fills `buf` with the return addresses of the Go frames of the running goroutine `gp`,
/// from the caller of the function whose frame record is `fp` outwards, after skipping
/// `skip` of them; returns how many it stored (gc's callers for runtime.Callers). A
/// faulting frame's pc is stored plus one, so that every entry can be looked up at pc-1.
///
/// # Safety
/// `gp` must be the running goroutine and `fp` a frame record on its stack.
pub unsafe fn callers(gp: *mut G, fp: usize, mut skip: usize, buf: &mut [usize]) -> usize {
    let mut n = 0;
    walk_frames(gp, fp, |frame| {
        let Frame::Go { f, pc, exact } = frame else { return true };
        if skip > 0 {
            skip -= 1;
            return true;
        }
        if n == buf.len() {
            return false;
        }
        buf[n] = if exact || pc == f.entry { pc + 1 } else { pc };
        n += 1;
        true
    });
    n
}

/// Whether `fp` can be a frame record.
fn valid_record(fp: usize) -> bool {
    fp >= 4096 && fp % 8 == 0
}

/// Prints one Go frame: `name(...)`, then its file and line and the offset of `pc`. `pc` is a
/// return address (the line is the call's, at pc-1) unless `exact` (a faulting instruction).
unsafe fn print_frame(f: &Func, pc: usize, exact: bool) {
    print_func_name(f.name());
    print_str(if f.flags & FLAG_ARGS != 0 { "(...)\n" } else { "()\n" });
    print_position(f, pc, exact);
}

/// "\tfile:line +0xoff\n" for `pc` in `f`.
unsafe fn print_position(f: &Func, pc: usize, exact: bool) {
    let tracepc = if exact || pc <= f.entry { pc } else { pc - 1 };
    print_str("\t");
    print_bytes(f.file());
    print_str(":");
    print_u64(u64::from(f.line(tracepc)));
    if pc > f.entry {
        print_str(" +");
        print_hex((pc - f.entry) as u64);
    }
    print_str("\n");
}

/// Prints a function name as gc's funcNameForPrint does: type arguments of an instantiated
/// generic function as `[...]`.
fn print_func_name(name: &[u8]) {
    let Some(open) = name.iter().position(|&b| b == b'[') else {
        print_bytes(name);
        return;
    };
    let mut depth = 0;
    let mut close = name.len();
    for (i, &b) in name.iter().enumerate().skip(open) {
        match b {
            b'[' => depth += 1,
            b']' => {
                depth -= 1;
                if depth == 0 {
                    close = i;
                    break;
                }
            }
            _ => {}
        }
    }
    print_bytes(&name[..open]);
    print_str("[...]");
    if close < name.len() {
        print_func_name(&name[close + 1..]);
    }
}

/// What ran a deferred call found on a stack: a panic (with its value's words) or Goexit.
pub enum DeferRunner {
    /// gopanic, panicking with the interface value (type word, data word).
    Panic(usize, usize),
    /// runtime.Goexit.
    Goexit,
}

/// The frame gc shows for the runtime function that runs deferred calls: `panic({0x..,
/// 0x..})` or `runtime.Goexit()`, at gc's own source position for it.
fn print_runtime_frame(p: DeferRunner) {
    let line = match p {
        DeferRunner::Panic(typ, data) => {
            print_str("panic({");
            print_hex(typ as u64);
            print_str(", ");
            print_hex(data as u64);
            print_str("})\n");
            GOPANIC_LINE
        }
        DeferRunner::Goexit => {
            print_str("runtime.Goexit()\n");
            GOEXIT_LINE
        }
    };
    print_str("\t");
    print_bytes(crate::symtab::goroot());
    print_str("/src/runtime/panic.go:");
    print_u64(u64::from(line));
    print_str("\n");
}

/// "created by F" and the go statement's position, for a goroutine started by a go statement
/// (gc's printcreatedby).
unsafe fn print_created_by(gp: *mut G) {
    let pc = (*gp).gopc;
    if pc == 0 || (*gp).goid == 1 {
        return;
    }
    let Some(f) = find_func(pc) else { return };
    print_str("created by ");
    print_func_name(f.name());
    print_str("\n");
    print_position(&f, pc, false);
}

/// Prints the header and frames of every live user goroutine except `me`, each after a blank
/// line, in gc's order (gc's tracebackothers at the default GOTRACEBACK=single: the current
/// M's goroutine first, then allgs in creation order).
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
        if status == G_RUNNING {
            print_str("\tgoroutine running on other thread; stack unavailable\n");
            print_created_by(gp);
        } else {
            traceback_parked(gp);
        }
    });
}

unsafe extern "C" fn stack_from_go(buf: *mut u8, len: isize, all: bool, gp: *mut G) -> isize {
    if len <= 0 {
        return 0;
    }
    if all {
        crate::proc::stop_the_world(gp, "stack trace");
    }
    let fp = current_fp();
    let n = crate::print::capture_output(buf, len as usize, || {
        goroutineheader(gp);
        // The first Go frame is runtime.Stack, which gc's traceback starts above.
        print_frames(gp, fp, 0, 1);
        print_created_by(gp);
        if all {
            tracebackothers(gp);
        }
    });
    if all {
        crate::proc::start_the_world(gp);
    }
    n as isize
}

crate::go_entry!(
    /// `runtime.stack(buf *byte, n int, all bool) int`: the traceback of the calling
    /// goroutine (and of all others if `all`, with the world stopped) written to buf[:n]
    /// instead of standard error (gc's runtime.Stack); returns the bytes written.
    stack_entry = "runtime.stack"(buf: *mut u8, len: isize, all: bool) -> isize;
    g in "rcx" / "x3" => stack_from_go
);

