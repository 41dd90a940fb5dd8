//! Signals (Go's signal_unix.go, signal_{amd64,arm64}.go, signal_linux_*.go): the SIGSEGV and
//! SIGBUS handler that turns a fault in Go code into a run-time panic ("invalid memory address
//! or nil pointer dereference" for addresses below 0x1000), or into gc's fatal "unexpected
//! fault address" error otherwise.
//!
//! As in gc, the handler does not panic on the signal stack: it records the signal in the
//! goroutine (g.sig, sigcode0, sigcode1, sigpc) and edits the interrupted context so that the
//! goroutine, when the handler returns, calls `runtime.sigpanic` as if the faulting
//! instruction had called it. sigpanic then panics on the goroutine's own stack, where
//! deferred calls and recover will be able to run.
//!
//! Every M has its own alternate signal stack (gc's gsignal stack), set up when its thread
//! starts (`minit`). The handler finds its M through that stack: a header below the stack
//! holds the M pointer. Compiled Go code keeps g in a register, but runtime code does not, so
//! the register in the context is not trusted; the M's curg is.

use crate::os_linux::{self, Sigaction, StackT};
use crate::print::{print_hex, print_i64, print_str};
use crate::runtime2::{G, G_RUNNING, M};
use crate::sigtab_linux::{self as sigtab, NSIG};
use core::sync::atomic::{AtomicBool, AtomicUsize, Ordering::SeqCst};

/// Terminal hangup.
pub const SIGHUP: u32 = 1;
/// Interrupt (^C).
pub const SIGINT: u32 = 2;
/// Illegal instruction.
pub const SIGILL: u32 = 4;
/// Trace/breakpoint trap.
pub const SIGTRAP: u32 = 5;
/// Bus error (misaligned or nonexistent physical address).
pub const SIGBUS: u32 = 7;
/// Floating-point (arithmetic) exception.
pub const SIGFPE: u32 = 8;
/// Invalid memory reference.
pub const SIGSEGV: u32 = 11;

const SA_SIGINFO: u64 = 0x4;
const SA_ONSTACK: u64 = 0x0800_0000;
const SA_RESTART: u64 = 0x1000_0000;
const SA_RESTORER: u64 = 0x0400_0000;
const SS_DISABLE: i32 = 2;

/// si_code of a signal sent by kill(2) (gc's _SI_USER); kernel-generated faults have codes > 0.
pub const SI_USER: i32 = 0;
/// si_code of a signal sent by tgkill(2).
pub const SI_TKILL: i32 = -6;
/// si_code of SIGSEGV: address not mapped.
pub const SEGV_MAPERR: usize = 1;
/// si_code of SIGSEGV: no permission for the access.
pub const SEGV_ACCERR: usize = 2;
/// si_code of SIGBUS: nonexistent physical address.
pub const BUS_ADRERR: usize = 2;

/// Faults at addresses below this are nil dereferences (a nil pointer plus a field offset);
/// gc's limit, which the compiler relies on when it omits explicit nil checks.
pub const NIL_FAULT_LIMIT: usize = 0x1000;

/// gc's name of signal `sig` in its signal table ("SIGSEGV: segmentation violation"); "" for
/// signals it does not name (printed as a number then).
pub fn signame(sig: u32) -> &'static str {
    crate::sigtab_linux::name(sig)
}

/// Prints gc's description of the signal behind a panic or fatal error (part of gc's
/// dopanic_m): "[signal SIGSEGV: segmentation violation code=0x1 addr=0x0 pc=0x4553e2]".
pub fn print_signal_line(sig: u32, code: usize, addr: usize, pc: usize) {
    let name = signame(sig);
    if name.is_empty() {
        print_str("[signal ");
        print_hex(sig as u64);
    } else {
        print_str("[signal ");
        print_str(name);
    }
    print_str(" code=");
    print_hex(code as u64);
    print_str(" addr=");
    print_hex(addr as u64);
    print_str(" pc=");
    print_hex(pc as u64);
    print_str("]\n");
}

/// The part of the kernel's siginfo_t the handler reads (the same on amd64 and arm64).
#[repr(C)]
pub struct SigInfo {
    /// Signal number.
    pub signo: i32,
    /// errno (unused on Linux).
    pub errno: i32,
    /// si_code: SI_USER or a kernel code such as SEGV_MAPERR.
    pub code: i32,
    _pad: i32,
    /// The faulting address, for SIGSEGV and SIGBUS.
    pub addr: usize,
}

/// The interrupted thread's registers in the kernel's ucontext (gc's sigctxt).
pub struct SigCtxt {
    ctx: *mut u8,
}

/// Byte offsets into the kernel's ucontext: uc_mcontext.gregs[REG_*] (amd64).
#[cfg(target_arch = "x86_64")]
mod uc {
    /// uc_flags, uc_link, uc_stack (24 bytes), then the general registers.
    const GREGS: usize = 40;
    /// gregs[REG_R15]: the g register.
    pub const G: usize = GREGS + 7 * 8;
    /// gregs[REG_RSP].
    pub const SP: usize = GREGS + 15 * 8;
    /// gregs[REG_RIP].
    pub const PC: usize = GREGS + 16 * 8;
}

/// Byte offsets into the kernel's ucontext: uc_mcontext.regs/sp/pc (arm64).
#[cfg(target_arch = "aarch64")]
mod uc {
    /// uc_flags, uc_link, uc_stack, uc_sigmask padded to 128 bytes, aligned to 16: 176; the
    /// sigcontext starts with fault_address, then regs[31], sp, pc.
    const REGS: usize = 176 + 8;
    /// regs[21]: the g register.
    pub const G: usize = REGS + 21 * 8;
    /// regs[30]: the link register.
    pub const LR: usize = REGS + 30 * 8;
    /// sp.
    pub const SP: usize = REGS + 31 * 8;
    /// pc.
    pub const PC: usize = REGS + 32 * 8;
}

impl SigCtxt {
    /// The context the kernel passed to the handler.
    ///
    /// # Safety
    /// `ctx` must be a ucontext (or a buffer laid out like one, in tests).
    pub unsafe fn new(ctx: *mut u8) -> SigCtxt {
        SigCtxt { ctx }
    }

    fn get(&self, off: usize) -> usize {
        // SAFETY: the offsets lie inside the ucontext.
        unsafe { (self.ctx.add(off) as *const usize).read_unaligned() }
    }

    fn set(&mut self, off: usize, v: usize) {
        // SAFETY: as for get.
        unsafe { (self.ctx.add(off) as *mut usize).write_unaligned(v) }
    }

    /// The program counter of the interrupted instruction.
    pub fn pc(&self) -> usize {
        self.get(uc::PC)
    }

    /// Sets where the thread resumes.
    pub fn set_pc(&mut self, v: usize) {
        self.set(uc::PC, v)
    }

    /// The stack pointer.
    pub fn sp(&self) -> usize {
        self.get(uc::SP)
    }

    /// Sets the stack pointer.
    pub fn set_sp(&mut self, v: usize) {
        self.set(uc::SP, v)
    }

    /// The g register (r15 / x21).
    pub fn g(&self) -> usize {
        self.get(uc::G)
    }

    /// Sets the g register.
    pub fn set_g(&mut self, v: usize) {
        self.set(uc::G, v)
    }

    /// The link register.
    #[cfg(target_arch = "aarch64")]
    pub fn lr(&self) -> usize {
        self.get(uc::LR)
    }

    /// Sets the link register.
    #[cfg(target_arch = "aarch64")]
    pub fn set_lr(&mut self, v: usize) {
        self.set(uc::LR, v)
    }

    /// Makes the thread call `target` when it resumes, as if the interrupted instruction at
    /// pc had called it, with `g` in the g register (gc's preparePanic). A pc of 0 (a call
    /// through a nil function) is not a frame: then target appears called by the caller.
    ///
    /// # Safety
    /// The stack below sp must be writable (it is the interrupted goroutine's).
    #[cfg(target_arch = "x86_64")]
    pub unsafe fn prepare_call(&mut self, target: usize, g: usize) {
        let pc = self.pc();
        let mut sp = self.sp();
        let ret = if pc != 0 {
            pc
        } else {
            // The call into address 0 pushed its return address: take it back.
            let ra = *(sp as *const usize);
            sp += 8;
            ra
        };
        // A function is entered with sp = 8 (mod 16); realign in case the fault came from
        // code in the middle of aligning (nothing above is needed again).
        let sp = (sp & !15) - 8;
        *(sp as *mut usize) = ret;
        self.set_sp(sp);
        self.set_pc(target);
        self.set_g(g);
    }

    /// Makes the thread call `target` when it resumes, as if the interrupted instruction at
    /// pc had called it, with `g` in the g register (gc's preparePanic). The old lr is saved
    /// on the stack as gc does, so that a leaf function's caller stays findable; a pc of 0
    /// (a call through a nil function) keeps lr, so that target appears called by the caller.
    ///
    /// # Safety
    /// The stack below sp must be writable (it is the interrupted goroutine's).
    #[cfg(target_arch = "aarch64")]
    pub unsafe fn prepare_call(&mut self, target: usize, g: usize) {
        let pc = self.pc();
        let sp = (self.sp() & !15) - 16;
        *(sp as *mut usize) = self.lr();
        self.set_sp(sp);
        if pc != 0 {
            self.set_lr(pc);
        }
        self.set_pc(target);
        self.set_g(g);
    }
}

// ---------------------------------------------------------------------------------------------
// Installation.

/// The action each signal had before the runtime installed its handler (gc's fwdSig), for
/// signal.Reset to restore.
static FWD_SIG: [AtomicUsize; NSIG as usize] = [const { AtomicUsize::new(0) }; NSIG as usize];
/// Whether the runtime's handler is installed for each signal (gc's handlingSig).
static HANDLING_SIG: [AtomicBool; NSIG as usize] = [const { AtomicBool::new(false) }; NSIG as usize];

const SIG_DFL: usize = 0;
const SIG_IGN: usize = 1;

/// The handler disposition the runtime installs.
fn go_action() -> Sigaction {
    Sigaction {
        handler: sighandler as *const () as usize,
        flags: SA_SIGINFO | SA_ONSTACK | SA_RESTORER | SA_RESTART,
        restorer: os_linux::sigreturn as *const () as usize,
        // Block every signal while handling one (gc's sigfillset).
        mask: !0,
    }
}

/// Sets signal `sig`'s action to the runtime's handler, SIG_DFL or SIG_IGN (gc's setsig).
/// Failures are ignored except for the faults: qemu's user mode refuses some real-time
/// signals it uses itself, as gc's workaround for qemu notes.
fn setsig(sig: u32, handler: usize) {
    let sa = if handler == sighandler as *const () as usize {
        go_action()
    } else {
        Sigaction { handler, flags: SA_RESTORER, restorer: os_linux::sigreturn as *const () as usize, mask: 0 }
    };
    // SAFETY: the action is a default, ignore, or the runtime's SA_SIGINFO handler.
    let r = unsafe { os_linux::rt_sigaction(sig, &sa, core::ptr::null_mut()) };
    if r.is_err() && (sig == SIGSEGV || sig == SIGBUS) {
        crate::panic::throw("rt_sigaction failure");
    }
}

/// The current action of signal `sig` (gc's getsig); SIG_DFL if it cannot be read.
fn getsig(sig: u32) -> usize {
    let mut old = Sigaction::default();
    // SAFETY: only reads the action.
    match unsafe { os_linux::rt_sigaction(sig, core::ptr::null(), &mut old) } {
        Ok(()) => old.handler,
        Err(_) => SIG_DFL,
    }
}

/// Whether the runtime's handler belongs on signal `sig` while the program has not asked
/// for it (gc's sigInstallGoHandler): not for glibc's signals, and not for SIGHUP or SIGINT
/// when the program was started with them ignored (nohup).
fn install_go_handler(sig: u32) -> bool {
    if (sig == SIGHUP || sig == SIGINT) && FWD_SIG[sig as usize].load(SeqCst) == SIG_IGN {
        return false;
    }
    sigtab::flags(sig) & sigtab::SET_STACK == 0
}

/// Installs the runtime's handler (gc's initsig) for every signal gc's table gives a
/// meaning, except those left at their default until the program asks (SIGCONT, SIGTSTP,
/// ...) and SIGFPE, which compiled code never raises (it checks divisions itself). Called
/// once at start-up, before Go code runs; a no-op in unit tests, whose process belongs to
/// the test harness.
pub fn initsig() {
    if cfg!(test) {
        return;
    }
    for sig in 1..NSIG {
        let flags = sigtab::flags(sig);
        if flags == 0 || flags & sigtab::DEFAULT != 0 || sig == SIGFPE {
            continue;
        }
        FWD_SIG[sig as usize].store(getsig(sig), SeqCst);
        if !install_go_handler(sig) {
            continue;
        }
        HANDLING_SIG[sig as usize].store(true, SeqCst);
        setsig(sig, sighandler as *const () as usize);
    }
}

/// `runtime.sigenable(sig uint32)`: the program asked for signal `sig` (signal.Notify): the
/// runtime's handler catches it from now on (gc's sigenable).
#[unsafe(export_name = "runtime.sigenable")]
pub extern "C" fn sigenable(sig: u32) {
    if sig >= NSIG || sigtab::flags(sig) & sigtab::NOTIFY == 0 {
        return;
    }
    if !HANDLING_SIG[sig as usize].swap(true, SeqCst) {
        FWD_SIG[sig as usize].store(getsig(sig), SeqCst);
        setsig(sig, sighandler as *const () as usize);
    }
}

/// `runtime.sigdisable(sig uint32)`: the program no longer asks for signal `sig`
/// (signal.Stop, signal.Reset) (gc's sigdisable).
#[unsafe(export_name = "runtime.sigdisable")]
pub extern "C" fn sigdisable(sig: u32) {
    if sig >= NSIG || sigtab::flags(sig) & sigtab::NOTIFY == 0 {
        return;
    }
    // As gc: only a signal the runtime would not catch by itself gets its old action back
    // (so SIGTSTP, once asked for, stays caught, and ignored unless asked for again; an
    // ignored signal stays ignored).
    if !install_go_handler(sig) {
        HANDLING_SIG[sig as usize].store(false, SeqCst);
        setsig(sig, FWD_SIG[sig as usize].load(SeqCst));
    }
}

/// `runtime.sigignore(sig uint32)`: signal.Ignore: the kernel discards the signal, and
/// programs this one executes inherit that (gc's sigignore).
#[unsafe(export_name = "runtime.sigignore")]
pub extern "C" fn sigignore(sig: u32) {
    if sig >= NSIG || sigtab::flags(sig) & sigtab::NOTIFY == 0 {
        return;
    }
    HANDLING_SIG[sig as usize].store(false, SeqCst);
    setsig(sig, SIG_IGN);
}

/// `runtime.clearSignalHandlers()`: in a forked child before exec, the default action for
/// every signal the runtime catches, so that the handler cannot run in the child (gc's
/// clearSignalHandlers); ignored signals stay ignored.
#[unsafe(export_name = "runtime.clearSignalHandlers")]
pub extern "C" fn clear_signal_handlers() {
    for sig in 1..NSIG {
        if HANDLING_SIG[sig as usize].load(SeqCst) {
            setsig(sig, SIG_DFL);
        }
    }
}

/// Kills the process with signal `sig`'s default action (gc's dieFromSignal): the default
/// restored, the signal unblocked and sent to this thread; exit status 2 if that did not
/// kill it.
fn die_from_signal(sig: u32) -> ! {
    setsig(sig, SIG_DFL);
    os_linux::unblock_signal(sig);
    os_linux::tgkill(os_linux::gettid(), sig as i32);
    os_linux::osyield();
    os_linux::osyield();
    os_linux::exit(2)
}

/// Usable bytes of an M's signal stack (gc's gsignal stack is 32 KiB; the handler here prints
/// from Rust code, so it gets more).
pub const SIG_STACK_SIZE: usize = 64 << 10;

/// Marks a header as the runtime's ("gsig").
const SIG_STACK_MAGIC: usize = 0x6773_6967;

/// What lies just below an M's signal stack: how the handler finds its M, and how to unmap
/// the stack.
#[repr(C)]
struct SigStackHeader {
    magic: usize,
    mp: *mut M,
    base: usize,
    len: usize,
}

/// Bytes reserved for the header (keeps the stack 16-byte aligned).
const HEADER_SIZE: usize = 64;

/// Gives the calling thread, the thread of `mp`, its own signal stack (gc's minit /
/// minitSignalStack): a mapping with a guard page below, the header, then the stack. A no-op
/// in unit tests.
///
/// # Safety
/// `mp` is the calling thread's M; called once when the thread starts.
pub unsafe fn minit(mp: *mut M) {
    if cfg!(test) {
        return;
    }
    use os_linux::{MAP_ANON, MAP_PRIVATE, PROT_NONE, PROT_READ, PROT_WRITE};
    let guard = os_linux::phys_page_size().max(4096);
    let len = guard + HEADER_SIZE + SIG_STACK_SIZE;
    let base = match os_linux::mmap(
        core::ptr::null_mut(),
        len,
        PROT_READ | PROT_WRITE,
        MAP_PRIVATE | MAP_ANON,
        -1,
        0,
    ) {
        Ok(p) => p,
        Err(_) => crate::panic::throw("runtime: cannot allocate memory"),
    };
    let _ = os_linux::mprotect(base, guard, PROT_NONE);
    let header = base.add(guard) as *mut SigStackHeader;
    header.write(SigStackHeader {
        magic: SIG_STACK_MAGIC,
        mp,
        base: base as usize,
        len,
    });
    let st = StackT {
        sp: base.add(guard + HEADER_SIZE),
        flags: 0,
        size: SIG_STACK_SIZE,
    };
    if os_linux::sigaltstack(&st, core::ptr::null_mut()).is_err() {
        crate::panic::throw("sigaltstack failure");
    }
}

/// The M of the calling thread, found through its signal stack; null on threads without one
/// (for runtime code that has no g at hand, such as panics raised deep in the runtime).
///
/// # Safety
/// Reads the signal stack header the runtime installed.
pub unsafe fn current_m() -> *mut M {
    let h = sig_stack_header();
    if h.is_null() {
        core::ptr::null_mut()
    } else {
        (*h).mp
    }
}

/// The header of the calling thread's signal stack, if the runtime installed it.
unsafe fn sig_stack_header() -> *mut SigStackHeader {
    let mut st = StackT {
        sp: core::ptr::null_mut(),
        flags: 0,
        size: 0,
    };
    if os_linux::sigaltstack(core::ptr::null(), &mut st).is_err()
        || st.flags & SS_DISABLE != 0
        || (st.sp as usize) < HEADER_SIZE
    {
        return core::ptr::null_mut();
    }
    let h = st.sp.sub(HEADER_SIZE) as *mut SigStackHeader;
    if (*h).magic != SIG_STACK_MAGIC {
        return core::ptr::null_mut();
    }
    h
}

/// Removes and frees the calling thread's signal stack before the thread exits (gc's unminit
/// and the gsignal stackfree in mexit). A no-op in unit tests.
///
/// # Safety
/// Called on the exiting M's thread, not on the signal stack.
pub unsafe fn unminit() {
    if cfg!(test) {
        return;
    }
    let h = sig_stack_header();
    if h.is_null() {
        return;
    }
    let (base, len) = ((*h).base, (*h).len);
    let off = StackT {
        sp: core::ptr::null_mut(),
        flags: SS_DISABLE,
        size: 0,
    };
    let _ = os_linux::sigaltstack(&off, core::ptr::null_mut());
    let _ = os_linux::munmap(base as *mut u8, len);
}

// ---------------------------------------------------------------------------------------------
// The handler.

/// Whether a fault on `gp` at stack pointer `sp` may become a panic (gc's canpanic): gp must
/// be its M's running user goroutine, on its own stack, not holding runtime locks, not
/// allocating, not in a system call.
///
/// # Safety
/// `mp` is null or an M; `gp` null or a G.
pub unsafe fn canpanic(mp: *mut M, gp: *mut G, sp: usize) -> bool {
    if mp.is_null() || gp.is_null() || gp != (*mp).curg {
        return false;
    }
    if (*mp).locks != 0 || (*mp).mallocing != 0 || (*mp).preemptoff.is_some() {
        return false;
    }
    if (*gp).status() != G_RUNNING || (*gp).syscallsp != 0 {
        return false;
    }
    // Runtime code on g0 or the signal stack is not the goroutine's to unwind.
    (*gp).stack.lo <= sp && sp < (*gp).stack.hi
}

/// The runtime's SA_SIGINFO handler (gc's sighandler), on the M's signal stack with every
/// signal blocked. A fault in Go code becomes a panic; a signal the program asked for goes
/// to os/signal's queue; otherwise gc's table decides: ignore it, die of it, or crash.
unsafe extern "C" fn sighandler(sig: u32, info: *mut SigInfo, uctx: *mut u8) {
    let c = SigCtxt::new(uctx);
    let header = sig_stack_header();
    let mp = if header.is_null() {
        core::ptr::null_mut()
    } else {
        (*header).mp
    };
    let gp = if mp.is_null() {
        core::ptr::null_mut()
    } else {
        (*mp).curg
    };
    let code = (*info).code;
    // gc's sigFromUser: sent by kill(2) or tgkill(2).
    let from_user = code == SI_USER || code == SI_TKILL;
    let flags = sigtab::flags(sig);
    if !from_user && flags & sigtab::PANIC != 0 {
        fault(sig, code, (*info).addr, c, mp, gp);
        return;
    }
    if (from_user || flags & sigtab::NOTIFY != 0) && crate::sigqueue::sigsend(sig) {
        return;
    }
    if from_user && crate::sigqueue::ignored(sig) {
        return;
    }
    if flags & sigtab::KILL != 0 {
        die_from_signal(sig);
    }
    if flags & (sigtab::THROW | sigtab::PANIC) == 0 {
        return;
    }
    crash(sig, code, &c, mp, gp);
}

/// A SIGSEGV or SIGBUS raised by an instruction: the goroutine panics in sigpanic, or the
/// program dies of gc's "unexpected signal" error where it cannot.
unsafe fn fault(sig: u32, code: i32, addr: usize, mut c: SigCtxt, mp: *mut M, gp: *mut G) {
    let (sigcode0, pc) = (code as isize as usize, c.pc());
    if !canpanic(mp, gp, c.sp()) {
        // gc's sigpanic would find it cannot panic and throw.
        unexpected_signal(sig, sigcode0, addr, pc, gp);
    }
    (*gp).sig = sig;
    (*gp).sigcode0 = sigcode0;
    (*gp).sigcode1 = addr;
    (*gp).sigpc = pc;
    c.prepare_call(sigpanic_entry as *const () as usize, gp as usize);
}

/// A fault gc's sigpanic would refuse to turn into a panic: "fatal error: unexpected signal
/// during runtime execution", the signal, and the goroutine (or "runtime stack:" off any
/// goroutine), exit 2.
unsafe fn unexpected_signal(sig: u32, code: usize, addr: usize, pc: usize, gp: *mut G) -> ! {
    let msg = "unexpected signal during runtime execution";
    if !gp.is_null() {
        (*gp).sig = sig;
        (*gp).sigcode0 = code;
        (*gp).sigcode1 = addr;
        (*gp).sigpc = pc;
        crate::panic::fatal_with_goroutine(msg, gp);
    }
    crate::print::printlock();
    crate::panic::fatal_message(&[b"fatal error: ", msg.as_bytes(), b"\n"]);
    print_signal_line(sig, code, addr, pc);
    print_str("\nruntime stack:\n");
    os_linux::exit(2)
}

/// gc's report for a fatal signal that is not a fault (SIGQUIT, SIGILL, SIGTRAP from
/// runtime.Breakpoint, or SIGSEGV sent with kill): the signal's name, "PC=... m=N sigcode=N", the goroutines, exit status 2.
unsafe fn crash(sig: u32, code: i32, c: &SigCtxt, mp: *mut M, gp: *mut G) -> ! {
    crate::print::printlock();
    let name = signame(sig);
    if name.is_empty() {
        print_str("Signal ");
        print_i64(sig as i64);
    } else {
        print_str(name);
    }
    print_str("\nPC=");
    print_hex(c.pc() as u64);
    print_str(" m=");
    print_i64(if mp.is_null() { -1 } else { (*mp).id });
    print_str(" sigcode=");
    print_i64(code as i64);
    print_str("\n\n");
    if !gp.is_null() {
        crate::traceback::goroutineheader(gp);
    }
    crate::traceback::tracebackothers(gp);
    print_str("\n");
    os_linux::exit(2)
}

/// Where a goroutine that faulted continues (gc's sigpanic): on its own stack, as if called
/// by the faulting instruction. Turns the recorded signal into gc's panic or fatal error.
///
/// # Safety
/// Entered only through the context the handler prepared, with gp in the g register.
unsafe extern "C" fn sigpanic(gp: *mut G) -> ! {
    let (sig, code, addr) = ((*gp).sig, (*gp).sigcode0, (*gp).sigcode1);
    let nil_fault = match sig {
        SIGBUS => code == BUS_ADRERR,
        _ => code == 0 || code == SEGV_MAPERR || code == SEGV_ACCERR,
    };
    if nil_fault && addr < NIL_FAULT_LIMIT {
        crate::panic::panicmem(gp);
    }
    crate::print::printlock();
    print_str("unexpected fault address ");
    print_hex(addr as u64);
    print_str("\n");
    crate::panic::fatal_with_goroutine("fault", gp)
}

crate::go_entry!(
    /// `runtime.sigpanic()`: where the signal handler makes a faulting goroutine continue
    /// (never called by compiled code).
    sigpanic_entry = "runtime.sigpanic"() -> !;
    g in "rdi" / "x0" => sigpanic
);

/// `runtime.breakpoint()`: a breakpoint trap (gc's breakpoint, behind runtime.Breakpoint):
/// SIGTRAP, which without a debugger is gc's fatal crash report.
#[cfg(target_arch = "x86_64")]
#[unsafe(export_name = "runtime.breakpoint")]
#[unsafe(naked)]
pub unsafe extern "C" fn breakpoint() {
    core::arch::naked_asm!("int3", "ret");
}

/// `runtime.breakpoint()`: a breakpoint trap (gc's breakpoint, behind runtime.Breakpoint):
/// SIGTRAP, which without a debugger is gc's fatal crash report.
#[cfg(target_arch = "aarch64")]
#[unsafe(export_name = "runtime.breakpoint")]
#[unsafe(naked)]
pub unsafe extern "C" fn breakpoint() {
    core::arch::naked_asm!("brk #0", "ret");
}

/// `runtime.physPageSize() int`: the system's page size (syscall.Getpagesize).
#[unsafe(export_name = "runtime.physPageSize")]
pub extern "C" fn phys_page_size() -> isize {
    os_linux::phys_page_size() as isize
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signal_lines_match_gc() {
        // gc 1.19, *(*int)(nil+8): "[signal SIGSEGV: segmentation violation code=0x1 addr=0x8
        // pc=0x457c60]"; the format is checked end to end against gc in tests/staticlib.rs.
        assert_eq!(signame(SIGSEGV), "SIGSEGV: segmentation violation");
        assert_eq!(signame(SIGBUS), "SIGBUS: bus error");
        assert_eq!(signame(12), "SIGUSR2: user-defined signal 2");
        assert_eq!(signame(40), "");
    }

    /// A fake ucontext with the registers at the kernel's offsets.
    struct FakeCtxt([u64; 128]);

    #[test]
    fn prepared_call_looks_like_a_call_from_the_faulting_pc() {
        let mut stack = vec![0usize; 64];
        let top = stack.as_mut_ptr() as usize + 48 * 8;
        let mut buf = FakeCtxt([0; 128]);
        // SAFETY: buf is large enough for every offset used.
        let mut c = unsafe { SigCtxt::new(buf.0.as_mut_ptr() as *mut u8) };
        c.set_sp(top + 8); // misaligned on purpose
        c.set_pc(0x1234);
        #[cfg(target_arch = "aarch64")]
        c.set_lr(0x5678);
        // SAFETY: the fake stack has room below sp.
        unsafe { c.prepare_call(0xabcd, 0x9999) };
        assert_eq!(c.pc(), 0xabcd);
        assert_eq!(c.g(), 0x9999);
        let sp = c.sp();
        assert!(sp < top + 8 && sp >= top - 32);
        // SAFETY: sp points into the fake stack.
        let saved = unsafe { *(sp as *const usize) };
        #[cfg(target_arch = "x86_64")]
        {
            assert_eq!(sp % 16, 8, "entered with a call's alignment");
            assert_eq!(saved, 0x1234, "return address = faulting pc");
        }
        #[cfg(target_arch = "aarch64")]
        {
            assert_eq!(sp % 16, 0);
            assert_eq!(c.lr(), 0x1234, "lr = faulting pc");
            assert_eq!(saved, 0x5678, "old lr saved on the stack");
        }
    }

    #[test]
    fn a_call_through_nil_appears_called_by_the_caller() {
        let mut stack = vec![0usize; 64];
        let top = stack.as_mut_ptr() as usize + 48 * 8;
        let top = top & !15;
        let mut buf = FakeCtxt([0; 128]);
        // SAFETY: buf is large enough for every offset used.
        let mut c = unsafe { SigCtxt::new(buf.0.as_mut_ptr() as *mut u8) };
        #[cfg(target_arch = "x86_64")]
        {
            // call 0 from 0x4444: the return address is on the stack, sp = 8 (mod 16).
            let sp = top - 8;
            // SAFETY: sp is in the fake stack.
            unsafe { *(sp as *mut usize) = 0x4444 };
            c.set_sp(sp);
        }
        #[cfg(target_arch = "aarch64")]
        {
            c.set_sp(top);
            c.set_lr(0x4444);
        }
        c.set_pc(0);
        // SAFETY: the fake stack has room below sp.
        unsafe { c.prepare_call(0xabcd, 1) };
        #[cfg(target_arch = "x86_64")]
        {
            assert_eq!(c.sp(), top - 8);
            // SAFETY: sp points into the fake stack.
            assert_eq!(unsafe { *(c.sp() as *const usize) }, 0x4444);
        }
        #[cfg(target_arch = "aarch64")]
        assert_eq!(c.lr(), 0x4444);
    }

    #[test]
    fn only_the_running_goroutine_on_its_own_stack_may_panic() {
        let mut g = G::default();
        let mut m = M::zeroed();
        m.curg = &mut g;
        g.m = &mut m;
        g.stack.lo = 0x10000;
        g.stack.hi = 0x20000;
        g.atomicstatus
            .store(G_RUNNING, core::sync::atomic::Ordering::SeqCst);
        // SAFETY: g and m are live.
        unsafe {
            assert!(canpanic(&mut m, &mut g, 0x18000));
            assert!(!canpanic(&mut m, &mut g, 0x28000), "on another stack");
            assert!(!canpanic(core::ptr::null_mut(), &mut g, 0x18000));
            m.locks = 1;
            assert!(!canpanic(&mut m, &mut g, 0x18000), "holding locks");
            m.locks = 0;
            m.mallocing = 1;
            assert!(!canpanic(&mut m, &mut g, 0x18000), "allocating");
            m.mallocing = 0;
            g.syscallsp = 1;
            assert!(!canpanic(&mut m, &mut g, 0x18000), "in a system call");
            let mut other = G::default();
            assert!(!canpanic(&mut m, &mut other, 0x18000), "not curg");
        }
    }
}
