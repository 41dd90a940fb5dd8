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
    pub const GETTID: usize = 186;
    pub const FUTEX: usize = 202;
    pub const EXIT_GROUP: usize = 231;
}

/// System call numbers; they differ between the two architectures.
#[cfg(target_arch = "aarch64")]
mod nr {
    pub const WRITE: usize = 64;
    pub const MMAP: usize = 222;
    pub const MUNMAP: usize = 215;
    pub const SCHED_YIELD: usize = 124;
    pub const GETTID: usize = 178;
    pub const FUTEX: usize = 98;
    pub const EXIT_GROUP: usize = 94;
}

/// Issues system call `n` with six arguments (unused ones are ignored by the kernel).
///
/// # Safety
/// The arguments must be valid for the call: pointers the kernel reads or writes must be live.
#[cfg(target_arch = "x86_64")]
#[inline(always)]
unsafe fn syscall6(n: usize, a: [usize; 6]) -> isize {
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
unsafe fn syscall6(n: usize, a: [usize; 6]) -> isize {
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

/// mmap protection bits and flags used by the runtime.
pub const PROT_READ: i32 = 1;
/// Pages may be written.
pub const PROT_WRITE: i32 = 2;
/// Changes are private to the process.
pub const MAP_PRIVATE: i32 = 0x02;
/// Not backed by a file.
pub const MAP_ANON: i32 = 0x20;

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
}
