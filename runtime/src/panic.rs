//! Panics, deferred calls and recover, and fatal runtime errors (Go's panic.go): throw and
//! fatal; the defer chain (deferproc, deferreturn); gopanic, the funnel every panic goes
//! through, which runs deferred calls; gorecover and the recovery that resumes a deferring
//! frame; Goexit; the printing of unrecovered panics; and the panic entry points compiled code
//! calls (bounds checks, divide, shift, nil dereference, panic with a value).
//!
//! **Frames with defers.** A compiled function `f` that contains defer statements is split by
//! the compiler into `f` itself, which keeps `f`'s signature, and a body function holding
//! `f`'s code. `f` calls the body through `goclift.deferframe(&ck, body, &args)`, an assembly
//! routine that saves the callee-saved registers in its own small frame, stores that frame's
//! sp in `f`'s word `ck`, calls the body and then `goclift.deferreturn(&ck)`; `f` then
//! returns its results, which the body and the deferred calls left in memory cells `f` owns.
//! Deferred calls record `&ck` as their frame. When a deferred call recovers, `recovery`
//! resumes the goroutine in that frame, after the body call: deferframe runs the remaining
//! deferred calls and returns, as if the body had returned normally. From the code
//! generator's point of view every call returns normally, so no value can be stale.
//! See docs/decisions.md ("Defer, panic and recover").
//!
//! **Which call may recover.** A deferred call is made through `goclift_calldefer`, which
//! records the callee's canonical frame address (the sp at the call) in the panic as `argp`.
//! `goclift.gorecover` passes its caller's frame pointer; recover succeeds when that frame's
//! canonical frame address (frame pointer + 16) is `argp`, or, for deferred calls the compiler
//! wrapped into a closure (`defer f(x)`), when its caller's is.

use crate::error::{BoundsCode, BoundsError, Eface, PanicValue};
use crate::print::{print_str, FixedBuf};
use crate::runtime2::G;
use core::ptr::null_mut;

#[cfg(target_arch = "x86_64")]
#[path = "arch/panic_amd64.rs"]
mod asm;
#[cfg(target_arch = "aarch64")]
#[path = "arch/panic_arm64.rs"]
mod asm;

// The assembly only passes G pointers on; their Rust-only fields are irrelevant to it.
#[allow(improper_ctypes)]
unsafe extern "C" {
    /// Calls `f(arg)` after saving the callee-saved registers and storing the sp of its
    /// frame in `*ck`; returns 0, or 1 when resumed by `goclift_deferframe_resume(*ck)`.
    fn goclift_checkpoint_call(ck: *mut usize, f: unsafe extern "C" fn(*mut u8), arg: *mut u8) -> usize;
    /// The return address of goclift.deferframe's call of the body.
    fn goclift_deferframe_called();
    /// Resumes the checkpoint frame (of goclift.deferframe or goclift_checkpoint_call) whose
    /// sp is `sp`.
    fn goclift_deferframe_resume(sp: usize) -> !;
    /// Calls the argument-less func value `fv` with `g` in the g register, storing in
    /// `*argp` the callee's canonical frame address.
    fn goclift_calldefer(fv: *const u8, g: *mut G, argp: *mut usize);
    /// Calls `code(recv)` with `g` in the g register and returns its string result.
    fn goclift_callmethod(code: *const u8, recv: *const u8, g: *mut G) -> StringPair;
}

/// A Go string returned in two registers.
#[repr(C)]
#[derive(Clone, Copy)]
struct StringPair {
    ptr: *const u8,
    len: isize,
}

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

/// `runtime.throw(s string)` for Go code (goclift's go/runtime): gc's throw.
#[unsafe(export_name = "runtime.throw")]
unsafe extern "C" fn throw_from_go(ptr: *const u8, len: isize) -> ! {
    // SAFETY: a Go string is valid UTF-8 by convention; throw only prints its bytes.
    throw(core::str::from_utf8_unchecked(core::slice::from_raw_parts(ptr, len as usize)))
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

/// Panics with a value the runtime raises on goroutine `gp` (null where the raiser does not
/// know it: it is then the current M's goroutine): boxes the value and goes on as
/// [`gopanic_value`].
///
/// In unit tests the panic becomes a Rust panic with the value's text, so that
/// `#[should_panic]` can observe it.
pub fn gopanic(gp: *mut G, v: PanicValue) -> ! {
    if cfg!(test) {
        #[cfg(test)]
        panic!("{}", crate::error::message_string(&v));
    }
    // SAFETY: a non-null gp is the running goroutine, its M live.
    unsafe {
        let gp = if gp.is_null() { current_g() } else { gp };
        // gc's panicCheck2: a panic while allocating would deadlock on the heap; throw instead.
        if !gp.is_null() && !(*gp).m.is_null() && (*(*gp).m).mallocing != 0 {
            let mut buf = FixedBuf::<{ crate::error::MAX_ERROR_LEN }>::new();
            let msg = v.message(&mut buf);
            let text = core::str::from_utf8(msg).unwrap_or("panic during malloc");
            throw(text);
        }
        if gp.is_null() {
            // Not on a goroutine's own stack (runtime code on g0): nothing to unwind.
            let mut buf = FixedBuf::<{ crate::error::MAX_ERROR_LEN }>::new();
            let msg = v.message(&mut buf);
            PANICKING.fetch_add(1, core::sync::atomic::Ordering::SeqCst);
            crate::print::printlock();
            fatal_message(&[b"panic: ", msg, b"\n"]);
            dopanic(gp);
            crate::os_linux::exit(2)
        }
        let e = v.boxed(gp);
        gopanic_value(gp, e)
    }
}

/// The goroutine the calling thread runs, if the caller is on that goroutine's stack (found
/// through the M the thread's signal stack belongs to); else null.
unsafe fn current_g() -> *mut G {
    let mp = crate::signal_linux::current_m();
    if mp.is_null() || (*mp).curg.is_null() {
        return null_mut();
    }
    let gp = (*mp).curg;
    let sp = crate::arch::current_sp();
    if (*gp).stack.lo <= sp && sp < (*gp).stack.hi {
        gp
    } else {
        null_mut()
    }
}

// ---------------------------------------------------------------------------------------------
// Deferred calls.

/// The compiler reserves five words per stack-allocated record (compiler/src/ir/lower/defer.rs).
const _: () = assert!(core::mem::size_of::<Defer>() == 40);

/// A deferred call (gc's _defer), on the goroutine's chain until it runs.
#[repr(C)]
pub struct Defer {
    /// A panic or Goexit has started the call (gc's started).
    pub started: bool,
    /// `fv` is a wrapper the compiler made for a call with arguments or of a method or
    /// built-in: the deferred function proper is its callee, which is where recover works.
    pub wrapped: bool,
    /// The record stands for the open-coded defers of its frame (gc's openDefer): `fv` points
    /// at the frame's [`OpenDefers`] area instead of a func value.
    pub open: bool,
    /// The checkpoint word of the deferring frame: which frame the call belongs to (gc's sp).
    pub frame: *mut usize,
    /// The func value to call, without arguments (gc's fn).
    pub fv: *const u8,
    /// The panic or Goexit running the call (gc's _panic).
    pub panic: *mut Panic,
    /// The next older deferred call.
    pub link: *mut Defer,
}

/// A panic or Goexit in progress (gc's _panic), on the stack of the gopanic or Goexit that
/// made it.
pub struct Panic {
    /// Canonical frame address of the deferred call being run, 0 between calls (gc's argp).
    argp: usize,
    /// Whether that deferred call is a compiler-made wrapper.
    wrapped: bool,
    /// The panic value (gc's arg).
    arg: Eface,
    /// The next older panic.
    link: *mut Panic,
    /// For Goexit: the checkpoint of its loop, where a recovery that would abort the Goexit
    /// resumes instead (gc's pc and sp).
    goexit_ck: usize,
    /// recover() has returned this panic's value (gc's recovered).
    recovered: bool,
    /// A later panic took over the deferred call this one was running (gc's aborted).
    aborted: bool,
    /// The record stands for runtime.Goexit, not a panic (gc's goexit).
    goexit: bool,
}

impl Panic {
    fn new(arg: Eface, link: *mut Panic) -> Panic {
        Panic { argp: 0, wrapped: false, arg, link, goexit_ck: 0, recovered: false, aborted: false, goexit: false }
    }
}

/// `defer`: pushes a call of func value `fv` by the frame whose checkpoint word is `frame`
/// (gc's deferproc). The record is a heap object (the collector must find the func value).
unsafe extern "C" fn deferproc(frame: *mut usize, fv: *const u8, wrapped: u8, gp: *mut G) {
    let d = crate::malloc::malloc_untyped(core::mem::size_of::<Defer>(), false, true, (*gp).m) as *mut Defer;
    d.write(Defer { started: false, wrapped: wrapped != 0, open: false, frame, fv, panic: null_mut(), link: (*gp).defers });
    (*gp).defers = d;
}

/// The open-coded defers of a frame (gc's deferBits and closure slots), in the frame that
/// calls deferframe: word 0 holds the pending bits (bit i: defer statement i has run and its
/// call is pending) and, in bits 8..16, which pending calls are compiler-made wrappers; the
/// func values follow, one word per defer statement. The compiled body sets a bit after
/// storing the func value and clears it before making the call at an exit; a panic, Goexit or
/// the deferreturn after a recovery runs the calls still pending, newest first.
/// Only the func values of the frame's defer statements exist (at most eight).
#[repr(C)]
pub struct OpenDefers {
    bits: usize,
    fvs: [*const u8; 0],
}

/// Registers record `d` for the open-coded defers of the frame whose checkpoint word is
/// `frame`, whose area (see [`OpenDefers`]) is `area`; clears its bits. Called when the body
/// starts, so that a panic anywhere in it finds the calls pending by then.
unsafe extern "C" fn deferopenframe(d: *mut Defer, frame: *mut usize, area: *mut OpenDefers, gp: *mut G) {
    (*area).bits = 0;
    d.write(Defer { started: false, wrapped: false, open: true, frame, fv: area as *const u8, panic: null_mut(), link: (*gp).defers });
    (*gp).defers = d;
}

/// Runs the pending open-coded calls of record `d`, newest first, each unmarked before it
/// runs (gc's runOpenDeferFrame); `p` is the panic or Goexit running them, if any. Stops after
/// a call that recovers `p`; returns whether no call is pending any more.
unsafe fn run_open_defers(gp: *mut G, d: *mut Defer, p: *mut Panic) -> bool {
    let area = (*d).fv as *mut OpenDefers;
    loop {
        let bits = (*area).bits;
        let pending = bits & 0xff;
        if pending == 0 {
            return true;
        }
        let i = usize::BITS as usize - 1 - pending.leading_zeros() as usize;
        (*area).bits = bits & !(1 << i);
        let fv = *(&raw const (*area).fvs).cast::<*const u8>().add(i);
        if p.is_null() {
            let mut argp = 0;
            calldefer(gp, fv, &mut argp);
            continue;
        }
        (*p).wrapped = bits & (1 << (8 + i)) != 0;
        calldefer(gp, fv, &raw mut (*p).argp);
        (*p).argp = 0;
        if (*p).recovered {
            return (*area).bits & 0xff == 0;
        }
    }
}

/// `defer` with a record in the deferring frame (gc's deferprocStack): for a defer statement
/// that runs at most once per call (outside loops), the compiler reserves the record in the
/// frame that calls deferframe, which outlives every use of it: deferreturn unlinks the
/// frame's records before that frame returns, and a panic or Goexit unlinks them before
/// running them. The stack is scanned conservatively, so the func value stays alive.
unsafe extern "C" fn deferprocstack(d: *mut Defer, frame: *mut usize, fv: *const u8, wrapped: u8, gp: *mut G) {
    d.write(Defer { started: false, wrapped: wrapped != 0, open: false, frame, fv, panic: null_mut(), link: (*gp).defers });
    (*gp).defers = d;
}

/// Runs, newest first, the deferred calls of the frame whose checkpoint word is `frame`
/// (gc's deferreturn): each is taken off the chain before it runs.
unsafe extern "C" fn deferreturn(frame: *mut usize, gp: *mut G) {
    loop {
        let d = (*gp).defers;
        if d.is_null() || (*d).frame != frame {
            return;
        }
        if (*d).open {
            // The frame's only record: its calls still pending after a recovery run now.
            run_open_defers(gp, d, null_mut());
            (*gp).defers = (*d).link;
            return;
        }
        (*gp).defers = (*d).link;
        let mut argp = 0;
        calldefer(gp, (*d).fv, &mut argp);
    }
}

/// Calls deferred func value `fv` on `gp`, recording the callee's frame address in `*argp`.
/// A nil func value panics as the call would fault in gc (a nil dereference with the signal
/// recorded).
unsafe fn calldefer(gp: *mut G, fv: *const u8, argp: *mut usize) {
    if fv.is_null() {
        (*gp).sig = crate::signal_linux::SIGSEGV;
        (*gp).sigcode0 = crate::signal_linux::SEGV_MAPERR;
        (*gp).sigcode1 = 0;
        (*gp).sigpc = goclift_calldefer as *const () as usize;
        panicmem(gp);
    }
    goclift_calldefer(fv, gp, argp);
}

// ---------------------------------------------------------------------------------------------
// Panicking.

/// Panics with interface value `e` on goroutine `gp`, the running goroutine on its own stack
/// (gc's gopanic): runs the deferred calls, newest first, until one recovers, which resumes
/// the frame that deferred it; if none does, prints the panics and exits with status 2.
///
/// # Safety
/// `gp` must be the running goroutine and the caller on its stack.
pub unsafe fn gopanic_value(gp: *mut G, e: Eface) -> ! {
    let mut rec = Panic::new(e, (*gp).panics);
    let p: *mut Panic = &mut rec;
    (*gp).panics = p;
    loop {
        let d = (*gp).defers;
        if d.is_null() {
            break;
        }
        // A call started by an earlier panic or Goexit panicked (this panic): the earlier one
        // will not continue running it. A frame's open-coded calls still pending run now.
        if (*d).started {
            if !(*d).panic.is_null() {
                (*(*d).panic).aborted = true;
            }
            (*d).panic = null_mut();
            if !(*d).open {
                (*gp).defers = (*d).link;
                continue;
            }
        }
        // Keep d on the chain while it runs, so that a panic inside it finds it started.
        (*d).started = true;
        (*d).panic = p;
        let done = if (*d).open {
            run_open_defers(gp, d, p)
        } else {
            (*p).wrapped = (*d).wrapped;
            calldefer(gp, (*d).fv, &raw mut (*p).argp);
            (*p).argp = 0;
            true
        };
        if (*gp).defers != d {
            throw("bad defer entry in panic");
        }
        (*d).panic = null_mut();
        // An open-coded record with calls pending after a recovery stays for the deferreturn
        // of its resumed frame.
        if done {
            (*gp).defers = (*d).link;
        }
        if (*p).recovered {
            recovered(gp, p, (*d).frame);
        }
    }
    preprintpanics(gp);
    fatalpanic(gp)
}

/// The deferred call that `frame` made recovered panic `p`: drop the panic (and the panics it
/// aborted) and resume the frame, or the Goexit that the recovery would otherwise bypass.
unsafe fn recovered(gp: *mut G, p: *mut Panic, frame: *mut usize) -> ! {
    (*gp).panics = (*p).link;
    let outer = (*gp).panics;
    if !outer.is_null() && (*outer).goexit && (*outer).aborted {
        // A normal recovery would abandon the Goexit: return to its loop instead.
        resume(gp, (*outer).goexit_ck);
    }
    while !(*gp).panics.is_null() && (*(*gp).panics).aborted {
        (*gp).panics = (*(*gp).panics).link;
    }
    if (*gp).panics.is_null() {
        (*gp).sig = 0;
    }
    resume(gp, *frame)
}

/// Resumes `gp` at the deferframe call whose frame is at `sp` (gc's mcall(recovery)).
unsafe fn resume(gp: *mut G, sp: usize) -> ! {
    (*gp).recovery_sp = sp;
    crate::proc::mcall(gp, recovery);
    throw("recovery failed")
}

/// On g0: drops the stack segments the goroutine grew after the frame being resumed, then
/// resumes it (gc's recovery).
unsafe extern "C" fn recovery(gp: *mut G) {
    let sp = (*gp).recovery_sp;
    while !((*gp).stack.lo <= sp && sp < (*gp).stack.hi) {
        if (*gp).stack == (*gp).stack0 {
            crate::print::print_str("recover: ");
            crate::print::print_hex(sp as u64);
            crate::print::print_str(" not on the goroutine's stack\n");
            throw("bad recovery");
        }
        crate::morestack::unlink_segment(gp);
    }
    goclift_deferframe_resume(sp)
}

/// `recover()` called by a function whose frame pointer is `fp` (gc's gorecover): the value of
/// the current panic if that function is the deferred call the panic runs (or, for a wrapped
/// deferred call, the wrapper's callee), and the panic is not recovered yet; else nil.
unsafe extern "C" fn gorecover(fp: usize, gp: *mut G) -> Eface {
    let p = (*gp).panics;
    if p.is_null() || (*p).goexit || (*p).recovered || (*p).argp == 0 {
        return Eface::NIL;
    }
    let own = logical_frame(fp);
    let frame = if (*p).wrapped { logical_frame(*(own as *const usize)) } else { own };
    if frame + 16 != (*p).argp {
        return Eface::NIL;
    }
    (*p).recovered = true;
    (*p).arg
}

/// Which panic or Goexit of `gp` is running the deferred call whose canonical frame address
/// is `cfa`, if one is (for tracebacks; deferred calls run at a normal return have none).
///
/// # Safety
/// `gp` must be a G record.
pub unsafe fn running_deferred_call(gp: *mut G, cfa: usize) -> Option<crate::traceback::DeferRunner> {
    let mut p = (*gp).panics;
    while !p.is_null() {
        if (*p).argp == cfa {
            return Some(if (*p).goexit {
                crate::traceback::DeferRunner::Goexit
            } else {
                crate::traceback::DeferRunner::Panic((*p).arg.typ as usize, (*p).arg.data as usize)
            });
        }
        p = (*p).link;
    }
    None
}

/// The frame record (frame pointer) of the Go function whose code has frame pointer `fp`:
/// the frame its caller made the call to. Looks through re-entries by runtime.morestack (a
/// function whose stack check failed runs again, called by morestack on a new segment or,
/// after a preemption, on the same stack; morestack's frame links to the function's first
/// entry) and through the split of a function with defers (the body, called by
/// goclift.deferframe, stands for the frame function that called deferframe).
unsafe fn logical_frame(mut fp: usize) -> usize {
    let ret = |fp: usize| *((fp + 8) as *const usize);
    let caller = |fp: usize| *(fp as *const usize);
    let reentries = [crate::morestack::morestack_call_return(), crate::morestack::morestack_recall_return()];
    while reentries.contains(&ret(fp)) {
        fp = caller(caller(fp));
    }
    if ret(fp) == goclift_deferframe_called as *const () as usize {
        fp = logical_frame(caller(caller(fp)));
    }
    fp
}

/// Replaces the values of the panics of `gp` that have an Error or String method by the
/// method's result (gc's preprintpanics), before the printing that must not run user code.
unsafe fn preprintpanics(gp: *mut G) {
    static PRINTING: core::sync::atomic::AtomicBool = core::sync::atomic::AtomicBool::new(false);
    if PRINTING.swap(true, core::sync::atomic::Ordering::SeqCst) {
        throw("panic while printing panic value");
    }
    let mut p = (*gp).panics;
    while !p.is_null() {
        if let Some(s) = method_string(gp, (*p).arg) {
            (*p).arg = s;
        }
        p = (*p).link;
    }
}

/// `v.Error()`, else `v.String()`, boxed as a string, if `v`'s type has such a method with
/// signature `func() string` (gc's switch on error and stringer).
unsafe fn method_string(gp: *mut G, v: Eface) -> Option<Eface> {
    use crate::r#type::*;
    if v.typ.is_null() || v.runtime_value().is_some() {
        return None;
    }
    let methods = (*v.typ).uncommon()?.methods();
    for want in [&b"Error"[..], b"String"] {
        let Some(m) = methods.iter().find(|m| resolve_name_off(m.name).name() == want) else { continue };
        let ft = resolve_type_off(m.mtyp) as *const FuncType;
        if ft.is_null() || m.ifn == -1 || !(*ft).ins().is_empty() || (*ft).outs().len() != 1 {
            continue;
        }
        let out = (*ft).outs()[0];
        if (*out).kind() != KIND_STRING || (*out).string() != b"string" {
            continue;
        }
        let s = goclift_callmethod(resolve_text_off(m.ifn), v.data, gp);
        let bytes = if s.len > 0 { core::slice::from_raw_parts(s.ptr, s.len as usize) } else { &[][..] };
        return Some(PanicValue::String(bytes).boxed(gp));
    }
    None
}

/// Prints the unrecovered panics of `gp` and exits with status 2 (gc's fatalpanic:
/// printpanics, then dopanic_m).
unsafe fn fatalpanic(gp: *mut G) -> ! {
    PANICKING.fetch_add(1, core::sync::atomic::Ordering::SeqCst);
    crate::print::printlock();
    printpanics((*gp).panics);
    dopanic(gp);
    crate::print::printunlock();
    crate::os_linux::exit(2)
}

/// Prints the panic chain oldest first, later ones indented ("panic: first [recovered]" /
/// "\tpanic: second"), as gc's printpanics; Goexit records print nothing.
unsafe fn printpanics(p: *mut Panic) {
    if !(*p).link.is_null() {
        printpanics((*p).link);
        if !(*(*p).link).goexit {
            print_str("\t");
        }
    }
    if (*p).goexit {
        return;
    }
    print_str("panic: ");
    crate::error::print_panic_value((*p).arg);
    if (*p).recovered {
        print_str(" [recovered]");
    }
    print_str("\n");
}

// ---------------------------------------------------------------------------------------------
// runtime.Goexit.

/// Runs all deferred calls of `gp` for runtime.Goexit (gc's Goexit, up to goexit1). recover
/// returns nil in them; a panic in one that a later deferred call recovers comes back here.
pub unsafe fn goexit_run_defers(gp: *mut G) {
    let mut rec = Panic::new(Eface::NIL, (*gp).panics);
    let p: *mut Panic = &mut rec;
    (*p).goexit = true;
    (*gp).panics = p;
    loop {
        let d = (*gp).defers;
        if d.is_null() {
            break;
        }
        if (*d).started {
            if !(*d).panic.is_null() {
                (*(*d).panic).aborted = true;
                (*d).panic = null_mut();
            }
            if !(*d).open {
                (*gp).defers = (*d).link;
                continue;
            }
        }
        (*d).started = true;
        (*d).panic = p;
        (*p).wrapped = (*d).wrapped;
        // Through a checkpoint (gc's deferCallSave), so that a recovery can come back here.
        let mut call = GoexitCall { gp, d, p };
        goclift_checkpoint_call(&raw mut (*p).goexit_ck, goexit_call, &raw mut call as *mut u8);
        (*p).argp = 0;
        if (*p).aborted {
            // A panic in d was recovered further down the chain; d is gone already.
            (*p).aborted = false;
            continue;
        }
        if (*gp).defers != d {
            throw("bad defer entry in Goexit");
        }
        (*d).panic = null_mut();
        (*gp).defers = (*d).link;
    }
    (*gp).panics = (*p).link;
}

/// One deferred call made by Goexit's loop.
struct GoexitCall {
    gp: *mut G,
    d: *mut Defer,
    p: *mut Panic,
}

/// Runs the deferred call described by `arg` (a GoexitCall), under Goexit's checkpoint.
unsafe extern "C" fn goexit_call(arg: *mut u8) {
    let c = &*(arg as *const GoexitCall);
    if (*c.d).open {
        // Goexit cannot be recovered: every pending call runs.
        run_open_defers(c.gp, c.d, c.p);
    } else {
        calldefer(c.gp, (*c.d).fv, &raw mut (*c.p).argp);
    }
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
        return;
    }
    crate::traceback::goroutineheader(gp);
    let sp = crate::arch::current_sp();
    if (*gp).stack.lo <= sp && sp < (*gp).stack.hi {
        crate::traceback::traceback_current(gp);
    } else if (*gp).status() != crate::runtime2::G_RUNNING {
        crate::traceback::traceback_parked(gp);
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

/// `panic(v)` for an interface value (`typ`, `data`) from compiled code.
unsafe extern "C-unwind" fn gopanic_from_go(typ: *const crate::r#type::Type, data: *const u8, gp: *mut G) -> ! {
    let e = Eface { typ, data };
    if cfg!(test) {
        panic!("panic with an interface value");
    }
    if (*(*gp).m).mallocing != 0 {
        throw("panic during malloc");
    }
    gopanic_value(gp, e)
}

crate::go_entry!(
    /// `runtime.gopanic(e any)`: `panic(e)`, the interface value passed as its two words
    /// (type descriptor, data word), as gc's gopanic takes it.
    gopanic_entry = "runtime.gopanic"(typ: *const crate::r#type::Type, data: *const u8) -> !;
    g in "rdx" / "x2" => gopanic_from_go
);
crate::go_entry!(
    /// `goclift.deferproc(frame *uintptr, fv func(), wrapped bool)`: defers the call of func
    /// value `fv` (no arguments) by the frame whose checkpoint word is `frame`; `wrapped` when
    /// `fv` is a compiler-made wrapper around the deferred function.
    deferproc_entry = "goclift.deferproc"(frame: *mut usize, fv: *const u8, wrapped: u8);
    g in "rcx" / "x3" => deferproc
);

crate::go_entry!(
    /// `goclift.deferprocstack(d *_defer, frame *uintptr, fv func(), wrapped bool)`: defers the
    /// call of func value `fv` with record `d` in the deferring frame.
    deferprocstack_entry = "goclift.deferprocstack"(d: *mut Defer, frame: *mut usize, fv: *const u8, wrapped: u8);
    g in "r8" / "x4" => deferprocstack
);
crate::go_entry!(
    /// `goclift.deferreturn(frame *uintptr)`: runs the deferred calls of that frame, newest
    /// first (at its return, and again after a recovery resumed it).
    deferreturn_entry = "goclift.deferreturn"(frame: *mut usize);
    g in "rsi" / "x1" => deferreturn
);
crate::go_entry!(
    /// `goclift.deferopenframe(d *_defer, frame *uintptr, area *openDefers)`: registers the
    /// record of a frame's open-coded defers (see OpenDefers).
    deferopenframe_entry = "goclift.deferopenframe"(d: *mut Defer, frame: *mut usize, area: *mut OpenDefers);
    g in "rcx" / "x3" => deferopenframe
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

    /// Builds frame records in `mem`: record i (at index 2*i) links to record `links[i].0`
    /// with return address `links[i].1`; returns the records' addresses.
    fn frames(mem: &mut [usize], links: &[(usize, usize)]) -> Vec<usize> {
        let base = mem.as_ptr() as usize;
        let addr = |i: usize| base + 16 * i;
        for (i, &(to, ret)) in links.iter().enumerate() {
            mem[2 * i] = addr(to);
            mem[2 * i + 1] = ret;
        }
        (0..links.len()).map(addr).collect()
    }

    #[test]
    fn logical_frames_see_through_morestack_and_split_frames() {
        let grown = crate::morestack::morestack_call_return();
        let recalled = crate::morestack::morestack_recall_return();
        let body = goclift_deferframe_called as *const () as usize;
        let caller = 0x1234;
        let mut mem = vec![0usize; 26];
        // 0: a plain frame. 1: re-entered by morestack, whose frame (2) links to the first
        // entry (3). 4: a body called by deferframe (5), called by its frame function (6).
        // 7: a body re-entered by morestack (8), first entered at 4. 9: re-entered after a
        // preemption (10) by 11, itself re-entered on a new segment (12) from 3.
        let f = frames(
            &mut mem,
            &[
                (0, caller),
                (2, grown),
                (3, 0x99),
                (0, caller),
                (5, body),
                (6, 0x98),
                (0, caller),
                (8, grown),
                (4, 0x97),
                (10, recalled),
                (11, 0x96),
                (12, grown),
                (3, 0x95),
            ],
        );
        // SAFETY: the records are in `mem`.
        unsafe {
            assert_eq!(logical_frame(f[0]), f[0]);
            assert_eq!(logical_frame(f[1]), f[3]);
            assert_eq!(logical_frame(f[4]), f[6]);
            assert_eq!(logical_frame(f[7]), f[6]);
            assert_eq!(logical_frame(f[9]), f[3]);
        }
    }

    #[test]
    #[should_panic(expected = "boom")]
    fn string_panics_print_the_string() {
        // SAFETY: the string is live.
        unsafe { gopanicstring(b"boom".as_ptr(), 4, core::ptr::null_mut()) };
    }
}
