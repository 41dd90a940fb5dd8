//! Raw Linux system calls (Go's os_linux.go and sys_linux_{amd64,arm64}.s).
//!
//! Like gc's runtime, goclift's runtime talks to the kernel directly rather than through libc:
//! the executables are linked against glibc only so that crt1 can start them. Every call returns
//! the kernel's raw result, where -4095..=-1 is a negated errno.

use core::arch::asm;

/// errno EINTR: the call was interrupted by a signal before doing anything; retry it.
pub const EINTR: isize = 4;
/// errno EAGAIN: nothing to do now (futex value mismatch, non-blocking fd full).
pub const EAGAIN: isize = 11;

/// System call numbers; they differ between the two architectures.
#[cfg(target_arch = "x86_64")]
mod nr {
    pub const WRITE: usize = 1;
    pub const MMAP: usize = 9;
    pub const MUNMAP: usize = 11;
    pub const SCHED_YIELD: usize = 24;
    pub const MADVISE: usize = 28;
    pub const GETTID: usize = 186;
    pub const FUTEX: usize = 202;
    pub const EXIT_GROUP: usize = 231;
    pub const MPROTECT: usize = 10;
    pub const NANOSLEEP: usize = 35;
    pub const GETPID: usize = 39;
    pub const SCHED_GETAFFINITY: usize = 204;
    pub const CLOCK_GETTIME: usize = 228;
    pub const TGKILL: usize = 234;
    pub const RT_SIGACTION: usize = 13;
    pub const RT_SIGPROCMASK: usize = 14;
    pub const RT_SIGRETURN: usize = 15;
    pub const SIGALTSTACK: usize = 131;
}

/// System call numbers; they differ between the two architectures.
#[cfg(target_arch = "aarch64")]
mod nr {
    pub const WRITE: usize = 64;
    pub const MMAP: usize = 222;
    pub const MUNMAP: usize = 215;
    pub const SCHED_YIELD: usize = 124;
    pub const MADVISE: usize = 233;
    pub const GETTID: usize = 178;
    pub const FUTEX: usize = 98;
    pub const EXIT_GROUP: usize = 94;
    pub const MPROTECT: usize = 226;
    pub const NANOSLEEP: usize = 101;
    pub const GETPID: usize = 172;
    pub const SCHED_GETAFFINITY: usize = 123;
    pub const CLOCK_GETTIME: usize = 113;
    pub const TGKILL: usize = 131;
    pub const RT_SIGACTION: usize = 134;
    pub const RT_SIGPROCMASK: usize = 135;
    pub const RT_SIGRETURN: usize = 139;
    pub const SIGALTSTACK: usize = 132;
}

/// Issues system call `n` with six arguments (unused ones are ignored by the kernel).
///
/// # Safety
/// The arguments must be valid for the call: pointers the kernel reads or writes must be live.
#[cfg(target_arch = "x86_64")]
#[inline(always)]
pub(crate) unsafe fn syscall6(n: usize, a: [usize; 6]) -> isize {
    let ret: isize;
    // The syscall instruction clobbers rcx (return address) and r11 (saved rflags).
    asm!(
        "syscall",
        inlateout("rax") n as isize => ret,
        in("rdi") a[0], in("rsi") a[1], in("rdx") a[2],
        in("r10") a[3], in("r8") a[4], in("r9") a[5],
        lateout("rcx") _, lateout("r11") _,
        options(nostack),
    );
    ret
}

/// Issues system call `n` with six arguments (unused ones are ignored by the kernel).
///
/// # Safety
/// The arguments must be valid for the call: pointers the kernel reads or writes must be live.
#[cfg(target_arch = "aarch64")]
#[inline(always)]
pub(crate) unsafe fn syscall6(n: usize, a: [usize; 6]) -> isize {
    let ret: isize;
    asm!(
        "svc 0",
        in("x8") n,
        inlateout("x0") a[0] as isize => ret,
        in("x1") a[1], in("x2") a[2], in("x3") a[3], in("x4") a[4], in("x5") a[5],
        options(nostack),
    );
    ret
}

/// write(2) once: the number of bytes written, or a negated errno (gc's write1).
pub fn write(fd: i32, buf: &[u8]) -> isize {
    // SAFETY: the kernel only reads `buf.len()` bytes from a live slice.
    unsafe {
        syscall6(
            nr::WRITE,
            [fd as usize, buf.as_ptr() as usize, buf.len(), 0, 0, 0],
        )
    }
}

/// Writes all of `buf` to `fd`, continuing after partial writes and EINTR.
///
/// Any other error (a closed descriptor, EAGAIN on a non-blocking one) drops the rest, as gc's
/// writeErr does: the runtime has nowhere else to report it. Returns the bytes written.
pub fn write_all(fd: i32, buf: &[u8]) -> usize {
    let mut done = 0;
    while done < buf.len() {
        let n = write(fd, &buf[done..]);
        if n == -EINTR {
            continue;
        }
        if n <= 0 {
            break;
        }
        done += n as usize;
    }
    done
}

/// Ends the process with status `code` (exit_group: all threads, like gc's exit).
pub fn exit(code: i32) -> ! {
    loop {
        // SAFETY: exit_group takes no pointers and does not return.
        unsafe { syscall6(nr::EXIT_GROUP, [code as usize, 0, 0, 0, 0, 0]) };
    }
}

/// The kernel thread id of the calling thread; it identifies the M in locks that need an owner.
pub fn gettid() -> i32 {
    // SAFETY: gettid takes no arguments and cannot fail.
    unsafe { syscall6(nr::GETTID, [0; 6]) as i32 }
}

/// Gives up the CPU to other runnable threads (gc's osyield).
pub fn osyield() {
    // SAFETY: sched_yield takes no arguments.
    unsafe { syscall6(nr::SCHED_YIELD, [0; 6]) };
}

/// Pages may not be accessed (reserved address space).
pub const PROT_NONE: i32 = 0;
/// mmap protection bits and flags used by the runtime.
pub const PROT_READ: i32 = 1;
/// Pages may be written.
pub const PROT_WRITE: i32 = 2;
/// Changes are private to the process.
pub const MAP_PRIVATE: i32 = 0x02;
/// Place the mapping exactly at the address given, replacing what is there.
pub const MAP_FIXED: i32 = 0x10;
/// Not backed by a file.
pub const MAP_ANON: i32 = 0x20;

/// madvise: the pages' contents may be discarded; they read back as zeros (gc's sysUnused
/// with debug.madvdontneed=1, the default on Linux since Go 1.16).
pub const MADV_DONTNEED: i32 = 4;

/// Maps memory (gc's mmap): the address, or the errno on failure.
///
/// # Safety
/// With a non-null `addr` and MAP_FIXED the call may replace live mappings.
pub unsafe fn mmap(
    addr: *mut u8,
    len: usize,
    prot: i32,
    flags: i32,
    fd: i32,
    off: u64,
) -> Result<*mut u8, i32> {
    let args = [
        addr as usize,
        len,
        prot as usize,
        flags as usize,
        fd as usize,
        off as usize,
    ];
    let r = syscall6(nr::MMAP, args);
    if (-4095..0).contains(&r) {
        return Err(-r as i32);
    }
    Ok(r as *mut u8)
}

/// Unmaps `len` bytes at `addr`; the errno on failure.
///
/// # Safety
/// Nothing may use the range afterwards.
pub unsafe fn munmap(addr: *mut u8, len: usize) -> Result<(), i32> {
    let r = syscall6(nr::MUNMAP, [addr as usize, len, 0, 0, 0, 0]);
    if r < 0 {
        return Err(-r as i32);
    }
    Ok(())
}

/// Gives the kernel advice about a range of pages (gc's madvise): the errno on failure.
///
/// # Safety
/// With MADV_DONTNEED the contents of the range are lost: nothing may still need them.
pub unsafe fn madvise(addr: *mut u8, len: usize, advice: i32) -> Result<(), i32> {
    let r = syscall6(nr::MADVISE, [addr as usize, len, advice as usize, 0, 0, 0]);
    if r < 0 {
        return Err(-r as i32);
    }
    Ok(())
}

/// auxv tag of the system page size.
const AT_PAGESZ: usize = 6;
/// auxv terminator.
const AT_NULL: usize = 0;

/// The size of the OS's physical pages (gc's physPageSize): set from the auxiliary vector by
/// `sysargs`, or, in unit tests, from glibc's copy of it. Zero until then.
static PHYS_PAGE_SIZE: core::sync::atomic::AtomicUsize = core::sync::atomic::AtomicUsize::new(0);

/// Reads what the runtime needs from the ELF auxiliary vector that follows the environment
/// (gc's sysargs/sysauxv): the physical page size.
///
/// # Safety
/// `envp` must be the process's environment array as the kernel laid it out, so that the
/// auxiliary vector follows its terminating null.
pub unsafe fn sysargs(envp: *const *const u8) {
    let mut p = envp;
    while !(*p).is_null() {
        p = p.add(1);
    }
    sysauxv(p.add(1) as *const usize);
}

/// Scans auxv pairs (tag, value) up to AT_NULL and stores what the runtime uses.
///
/// # Safety
/// `auxv` must point to a well-formed auxiliary vector.
unsafe fn sysauxv(auxv: *const usize) {
    if let Some(n) = auxv_value(auxv, AT_PAGESZ) {
        PHYS_PAGE_SIZE.store(n, core::sync::atomic::Ordering::Relaxed);
    }
}

/// The value of the first `tag` entry of an auxiliary vector.
///
/// # Safety
/// `auxv` must point to a well-formed auxiliary vector.
unsafe fn auxv_value(auxv: *const usize, tag: usize) -> Option<usize> {
    let mut i = 0;
    loop {
        let t = *auxv.add(i);
        if t == AT_NULL {
            return None;
        }
        if t == tag {
            return Some(*auxv.add(i + 1));
        }
        i += 2;
    }
}

/// The physical page size in bytes, or 0 if nobody has read it yet.
pub fn phys_page_size() -> usize {
    let n = PHYS_PAGE_SIZE.load(core::sync::atomic::Ordering::Relaxed);
    if cfg!(test) && n == 0 {
        return test_phys_page_size();
    }
    n
}

/// In unit tests there is no C `main` of ours to see the auxiliary vector: ask glibc.
#[cfg(test)]
fn test_phys_page_size() -> usize {
    extern "C" {
        fn getauxval(tag: u64) -> u64;
    }
    // SAFETY: getauxval only reads the process's auxiliary vector.
    let n = unsafe { getauxval(AT_PAGESZ as u64) } as usize;
    PHYS_PAGE_SIZE.store(n, core::sync::atomic::Ordering::Relaxed);
    n
}

#[cfg(not(test))]
fn test_phys_page_size() -> usize {
    0
}

/// FUTEX_WAIT | FUTEX_PRIVATE_FLAG: the runtime's futexes are never shared between processes.
const FUTEX_WAIT_PRIVATE: usize = 128;
/// FUTEX_WAKE | FUTEX_PRIVATE_FLAG.
const FUTEX_WAKE_PRIVATE: usize = 129;

/// struct timespec for futex timeouts.
#[repr(C)]
struct Timespec {
    sec: i64,
    nsec: i64,
}

/// Atomically `if *addr == val { sleep }`, for at most `ns` nanoseconds (`ns < 0`: forever).
///
/// Returns the raw result (0 after a wake-up, -EAGAIN on a value mismatch, -ETIMEDOUT, -EINTR);
/// callers must treat every return as a possibly spurious wake-up, as gc's futexsleep does.
pub fn futexsleep(addr: &core::sync::atomic::AtomicU32, val: u32, ns: i64) -> isize {
    let ts = Timespec {
        sec: ns / 1_000_000_000,
        nsec: ns % 1_000_000_000,
    };
    let ts_ptr = if ns < 0 {
        0
    } else {
        &ts as *const Timespec as usize
    };
    let args = [
        addr.as_ptr() as usize,
        FUTEX_WAIT_PRIVATE,
        val as usize,
        ts_ptr,
        0,
        0,
    ];
    // SAFETY: `addr` and `ts` outlive the call.
    unsafe { syscall6(nr::FUTEX, args) }
}

/// Wakes at most `cnt` threads sleeping on `addr`; returns how many woke (or a negated errno).
pub fn futexwakeup(addr: &core::sync::atomic::AtomicU32, cnt: u32) -> isize {
    let args = [
        addr.as_ptr() as usize,
        FUTEX_WAKE_PRIVATE,
        cnt as usize,
        0,
        0,
        0,
    ];
    // SAFETY: `addr` outlives the call.
    unsafe { syscall6(nr::FUTEX, args) }
}

/// clock ids for clock_gettime.
pub const CLOCK_REALTIME: usize = 0;
/// The monotonic clock (gc's nanotime).
pub const CLOCK_MONOTONIC: usize = 1;

/// Reads `clock` as (seconds, nanoseconds).
pub fn clock_gettime(clock: usize) -> (i64, i64) {
    let mut ts = Timespec { sec: 0, nsec: 0 };
    // SAFETY: the kernel writes one timespec to a live local.
    unsafe {
        syscall6(
            nr::CLOCK_GETTIME,
            [clock, &mut ts as *mut Timespec as usize, 0, 0, 0, 0],
        )
    };
    (ts.sec, ts.nsec)
}

/// Sleeps the thread for `us` microseconds (gc's usleep); signals may cut it short.
pub fn usleep(us: u32) {
    let ts = Timespec {
        sec: (us / 1_000_000) as i64,
        nsec: (us % 1_000_000) as i64 * 1000,
    };
    // SAFETY: the kernel reads one timespec from a live local; no remainder is requested.
    unsafe {
        syscall6(
            nr::NANOSLEEP,
            [&ts as *const Timespec as usize, 0, 0, 0, 0, 0],
        )
    };
}

/// The number of CPUs the calling thread may run on (gc's getproccount, from
/// sched_getaffinity); 1 if the kernel will not say.
pub fn getproccount() -> u32 {
    let mut mask = [0u64; 1024 / 64];
    // SAFETY: the kernel writes at most size_of_val(mask) bytes to a live local.
    let r = unsafe {
        syscall6(
            nr::SCHED_GETAFFINITY,
            [
                0,
                core::mem::size_of_val(&mask),
                mask.as_mut_ptr() as usize,
                0,
                0,
                0,
            ],
        )
    };
    if r < 0 {
        return 1;
    }
    let n: u32 = mask[..(r as usize / 8).min(mask.len())]
        .iter()
        .map(|w| w.count_ones())
        .sum();
    n.max(1)
}

/// The process id.
pub fn getpid() -> i32 {
    // SAFETY: getpid takes no arguments.
    unsafe { syscall6(nr::GETPID, [0; 6]) as i32 }
}

/// Sends signal `sig` to thread `tid` of this process (gc's tgkill).
pub fn tgkill(tid: i32, sig: i32) -> isize {
    let pid = getpid();
    // SAFETY: no pointers.
    unsafe {
        syscall6(
            nr::TGKILL,
            [pid as usize, tid as usize, sig as usize, 0, 0, 0],
        )
    }
}

/// Changes the protection of pages; the errno on failure.
///
/// # Safety
/// Removing access from memory that is in use makes its users fault.
pub unsafe fn mprotect(addr: *mut u8, len: usize, prot: i32) -> Result<(), i32> {
    let r = syscall6(nr::MPROTECT, [addr as usize, len, prot as usize, 0, 0, 0]);
    if r < 0 {
        return Err(-r as i32);
    }
    Ok(())
}

/// The kernel's struct sigaction for rt_sigaction (the same layout on amd64 and arm64).
#[repr(C)]
#[derive(Clone, Copy, Debug, Default)]
pub struct Sigaction {
    /// The handler (SA_SIGINFO: `fn(sig, *siginfo, *ucontext)`), or SIG_DFL (0) / SIG_IGN (1).
    pub handler: usize,
    /// SA_* flags.
    pub flags: u64,
    /// Where the handler returns to: code that calls rt_sigreturn (with SA_RESTORER).
    pub restorer: usize,
    /// Signals blocked while the handler runs.
    pub mask: u64,
}

/// The kernel's stack_t, for sigaltstack.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct StackT {
    /// Lowest address of the stack.
    pub sp: *mut u8,
    /// SS_ONSTACK / SS_DISABLE.
    pub flags: i32,
    /// Size in bytes.
    pub size: usize,
}

/// Installs (if `new` is non-null) and reads (if `old` is non-null) the action for signal
/// `sig` (gc's rt_sigaction); the errno on failure.
///
/// # Safety
/// A handler installed must be a valid signal handler for the flags given.
pub unsafe fn rt_sigaction(sig: u32, new: *const Sigaction, old: *mut Sigaction) -> Result<(), i32> {
    let r = syscall6(
        nr::RT_SIGACTION,
        [sig as usize, new as usize, old as usize, 8, 0, 0],
    );
    if r < 0 {
        return Err(-r as i32);
    }
    Ok(())
}

/// Unblocks signal `sig` in the calling thread (rt_sigprocmask SIG_UNBLOCK).
pub fn unblock_signal(sig: u32) {
    const SIG_UNBLOCK: usize = 1;
    let set: u64 = 1 << (sig - 1);
    // SAFETY: the kernel reads the 8-byte set.
    unsafe { syscall6(nr::RT_SIGPROCMASK, [SIG_UNBLOCK, &set as *const u64 as usize, 0, 8, 0, 0]) };
}

/// Sets (if `new` is non-null) and reads (if `old` is non-null) the calling thread's
/// alternate signal stack (gc's sigaltstack); the errno on failure.
///
/// # Safety
/// A stack installed must stay mapped while it is installed.
pub unsafe fn sigaltstack(new: *const StackT, old: *mut StackT) -> Result<(), i32> {
    let r = syscall6(nr::SIGALTSTACK, [new as usize, old as usize, 0, 0, 0, 0]);
    if r < 0 {
        return Err(-r as i32);
    }
    Ok(())
}

/// The signal restorer (gc's sigreturn): where signal handlers return to with SA_RESTORER;
/// it asks the kernel to resume the interrupted context the handler may have changed.
#[cfg(target_arch = "x86_64")]
#[unsafe(naked)]
pub unsafe extern "C" fn sigreturn() -> ! {
    core::arch::naked_asm!("mov eax, {nr}", "syscall", "ud2", nr = const nr::RT_SIGRETURN);
}

/// The signal restorer (gc's sigreturn): where signal handlers return to with SA_RESTORER;
/// it asks the kernel to resume the interrupted context the handler may have changed.
#[cfg(target_arch = "aarch64")]
#[unsafe(naked)]
pub unsafe extern "C" fn sigreturn() -> ! {
    core::arch::naked_asm!("mov x8, #{nr}", "svc #0", "brk #0", nr = const nr::RT_SIGRETURN);
}

/// clone flags for a new M: share everything a thread shares (gc's cloneFlags).
pub const CLONE_THREAD_FLAGS: usize = 0x100 // CLONE_VM
    | 0x200 // CLONE_FS
    | 0x400 // CLONE_FILES
    | 0x800 // CLONE_SIGHAND
    | 0x40000 // CLONE_SYSVSEM
    | 0x10000; // CLONE_THREAD

#[cfg(test)]
mod tests {
    use super::*;
    use core::sync::atomic::{AtomicU32, Ordering};

    #[test]
    fn write_to_a_closed_descriptor_reports_ebadf() {
        assert_eq!(write(-1, b"x"), -9);
        assert_eq!(write_all(-1, b"xyz"), 0);
    }

    #[test]
    fn write_all_sends_every_byte_through_a_pipe() {
        let mut fds = [0i32; 2];
        extern "C" {
            fn pipe(fds: *mut i32) -> i32;
            fn read(fd: i32, buf: *mut u8, n: usize) -> isize;
            fn close(fd: i32) -> i32;
        }
        // SAFETY: plain libc calls on descriptors owned by this test.
        unsafe {
            assert_eq!(pipe(fds.as_mut_ptr()), 0);
            assert_eq!(write_all(fds[1], b"hello, pipe"), 11);
            let mut buf = [0u8; 32];
            let n = read(fds[0], buf.as_mut_ptr(), buf.len());
            assert_eq!(&buf[..n as usize], b"hello, pipe");
            close(fds[0]);
            close(fds[1]);
        }
    }

    #[test]
    fn gettid_differs_between_threads() {
        let main = gettid();
        assert!(main > 0);
        let other = std::thread::spawn(gettid).join().unwrap();
        assert!(other > 0 && other != main);
        osyield();
    }

    #[test]
    fn mmap_gives_writable_zeroed_memory_and_munmap_releases_it() {
        // SAFETY: a fresh anonymous mapping, used only here.
        unsafe {
            let len = 1 << 16;
            let p = mmap(
                core::ptr::null_mut(),
                len,
                PROT_READ | PROT_WRITE,
                MAP_PRIVATE | MAP_ANON,
                -1,
                0,
            )
            .expect("mmap");
            assert_eq!(*p.add(len - 1), 0);
            *p.add(len - 1) = 7;
            assert_eq!(*p.add(len - 1), 7);
            assert_eq!(munmap(p, len), Ok(()));
            assert_eq!(munmap(p.add(1), len), Err(22), "unaligned munmap is EINVAL");
        }
    }

    #[test]
    fn madvise_dontneed_zeroes_pages_and_rejects_unaligned_ranges() {
        let page = phys_page_size();
        assert!(page >= 4096 && page.is_power_of_two(), "page size {page}");
        // SAFETY: a fresh anonymous mapping, used only here.
        unsafe {
            let len = 4 * page;
            let p = mmap(
                core::ptr::null_mut(),
                len,
                PROT_READ | PROT_WRITE,
                MAP_PRIVATE | MAP_ANON,
                -1,
                0,
            )
            .expect("mmap");
            *p.add(page) = 9;
            assert_eq!(madvise(p.add(1), page, MADV_DONTNEED), Err(22));
            assert_eq!(madvise(p, len, MADV_DONTNEED), Ok(()));
            assert_eq!(*p.add(page), 0, "DONTNEED pages read back as zero");
            munmap(p, len).unwrap();
        }
    }

    #[test]
    fn sysauxv_finds_the_page_size() {
        let auxv = [3usize, 0x400040, AT_PAGESZ, 65536, AT_NULL, 0];
        // SAFETY: well-formed vectors.
        unsafe {
            assert_eq!(auxv_value(auxv.as_ptr(), AT_PAGESZ), Some(65536));
            assert_eq!(auxv_value(auxv.as_ptr(), 25), None);
        }
        assert_eq!(phys_page_size(), test_phys_page_size());
    }

    #[test]
    fn mmap_reports_errno() {
        // SAFETY: a zero-length mapping is rejected by the kernel without side effects.
        let r = unsafe {
            mmap(
                core::ptr::null_mut(),
                0,
                PROT_READ,
                MAP_PRIVATE | MAP_ANON,
                -1,
                0,
            )
        };
        assert_eq!(r, Err(22));
    }

    #[test]
    fn futexsleep_returns_at_once_on_value_mismatch_and_after_timeout() {
        let word = AtomicU32::new(1);
        assert_eq!(futexsleep(&word, 0, -1), -EAGAIN);
        let start = std::time::Instant::now();
        assert_eq!(futexsleep(&word, 1, 20_000_000), -110, "ETIMEDOUT");
        assert!(start.elapsed() >= std::time::Duration::from_millis(20));
        assert_eq!(futexwakeup(&word, 1), 0, "nobody sleeps");
    }

    #[test]
    fn futexwakeup_wakes_a_sleeper() {
        static WORD: AtomicU32 = AtomicU32::new(0);
        let sleeper = std::thread::spawn(|| {
            while WORD.load(Ordering::SeqCst) == 0 {
                futexsleep(&WORD, 0, -1);
            }
        });
        std::thread::sleep(std::time::Duration::from_millis(20));
        WORD.store(1, Ordering::SeqCst);
        futexwakeup(&WORD, 1);
        sleeper.join().unwrap();
    }

    #[test]
    fn clocks_advance_and_usleep_sleeps() {
        let (s0, n0) = clock_gettime(CLOCK_MONOTONIC);
        usleep(2000);
        let (s1, n1) = clock_gettime(CLOCK_MONOTONIC);
        let d = (s1 - s0) * 1_000_000_000 + (n1 - n0);
        assert!(d >= 2_000_000, "slept {d} ns");
        let (wall, _) = clock_gettime(CLOCK_REALTIME);
        assert!(wall > 1_600_000_000, "wall clock {wall}");
    }

    #[test]
    fn proc_count_matches_std() {
        let std_n = std::thread::available_parallelism().unwrap().get() as u32;
        assert_eq!(getproccount(), std_n);
    }
}

/// `runtime.rawsyscall6(trap, a1, ..., a6 uintptr) int`: the system call's raw result
/// (a negated errno on failure), for go/runtime's syscall.RawSyscall6. A leaf function; the
/// caller brackets blocking calls with entersyscall/exitsyscall.
#[unsafe(export_name = "runtime.rawsyscall6")]
unsafe extern "C" fn rawsyscall6(trap: usize, a1: usize, a2: usize, a3: usize, a4: usize, a5: usize, a6: usize) -> isize {
    syscall6(trap, [a1, a2, a3, a4, a5, a6])
}
