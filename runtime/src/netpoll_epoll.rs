//! The epoll side of the netpoller (gc's netpoll_epoll.go): one epoll instance for the
//! process, an eventfd to interrupt a blocked `netpoll`, and `netpoll(delay)`, which waits for
//! events and returns the goroutines they make runnable. Descriptors are registered
//! edge-triggered for reading and writing at once, with their pollDesc as the event data.

use crate::netpoll::{netpollready, PollDesc};
use crate::os_linux::{syscall6, EINTR};
use crate::panic::throw;
use crate::runtime2::GList;
use core::sync::atomic::Ordering::SeqCst;
use core::sync::atomic::{AtomicI32, AtomicU32};

#[cfg(target_arch = "x86_64")]
mod nr {
    pub const READ: usize = 0;
    pub const WRITE: usize = 1;
    pub const EPOLL_CTL: usize = 233;
    pub const EPOLL_PWAIT: usize = 281;
    pub const EVENTFD2: usize = 290;
    pub const EPOLL_CREATE1: usize = 291;
}

#[cfg(target_arch = "aarch64")]
mod nr {
    pub const READ: usize = 63;
    pub const WRITE: usize = 64;
    pub const EPOLL_CTL: usize = 21;
    pub const EPOLL_PWAIT: usize = 22;
    pub const EVENTFD2: usize = 19;
    pub const EPOLL_CREATE1: usize = 20;
}

const EPOLLIN: u32 = 0x1;
const EPOLLOUT: u32 = 0x4;
const EPOLLERR: u32 = 0x8;
const EPOLLHUP: u32 = 0x10;
const EPOLLRDHUP: u32 = 0x2000;
const EPOLLET: u32 = 0x8000_0000;
const EPOLL_CLOEXEC: usize = 0x80000;
const EPOLL_CTL_ADD: usize = 1;
const EPOLL_CTL_DEL: usize = 2;
const EFD_CLOEXEC: usize = 0x80000;
const EFD_NONBLOCK: usize = 0x800;

/// struct epoll_event: packed on amd64 (12 bytes), naturally aligned on arm64 (16).
#[cfg(target_arch = "x86_64")]
#[repr(C, packed)]
#[derive(Clone, Copy)]
struct EpollEvent {
    events: u32,
    data: u64,
}

#[cfg(target_arch = "aarch64")]
#[repr(C)]
#[derive(Clone, Copy)]
struct EpollEvent {
    events: u32,
    data: u64,
}

/// The epoll descriptor, -1 until netpollinit.
static EPFD: AtomicI32 = AtomicI32::new(-1);
/// The eventfd that netpoll_break writes to wake a blocked netpoll.
static BREAK_FD: AtomicI32 = AtomicI32::new(-1);
/// 1 while a wake-up is pending in BREAK_FD (gc's netpollWakeSig): one write suffices.
static WAKE_SIG: AtomicU32 = AtomicU32::new(0);
/// The event data that marks BREAK_FD's events (no pollDesc has this address).
const BREAK_DATA: u64 = 1;

/// Creates the epoll instance and the wake-up eventfd (gc's netpollinit).
pub fn netpollinit() {
    // SAFETY: plain system calls without pointers, then epoll_ctl with a live event.
    unsafe {
        let epfd = syscall6(nr::EPOLL_CREATE1, [EPOLL_CLOEXEC, 0, 0, 0, 0, 0]);
        if epfd < 0 {
            throw("runtime: netpollinit failed");
        }
        let efd = syscall6(nr::EVENTFD2, [0, EFD_CLOEXEC | EFD_NONBLOCK, 0, 0, 0, 0]);
        if efd < 0 {
            throw("runtime: netpollinit failed to create eventfd");
        }
        let mut ev = EpollEvent { events: EPOLLIN, data: BREAK_DATA };
        let r = syscall6(
            nr::EPOLL_CTL,
            [epfd as usize, EPOLL_CTL_ADD, efd as usize, &raw mut ev as usize, 0, 0],
        );
        if r < 0 {
            throw("runtime: netpollinit failed to register eventfd");
        }
        BREAK_FD.store(efd as i32, SeqCst);
        EPFD.store(epfd as i32, SeqCst);
    }
}

/// Whether `fd` is one of the netpoller's own descriptors (gc's netpollIsPollDescriptor).
pub fn netpoll_is_poll_descriptor(fd: usize) -> bool {
    let epfd = EPFD.load(SeqCst);
    epfd >= 0 && (fd == epfd as usize || fd == BREAK_FD.load(SeqCst) as usize)
}

/// Registers `fd` for edge-triggered read and write events; 0 or an errno (gc's
/// netpollopen).
pub unsafe fn netpollopen(fd: usize, pd: *mut PollDesc) -> i32 {
    let mut ev = EpollEvent {
        events: EPOLLIN | EPOLLOUT | EPOLLRDHUP | EPOLLET,
        data: pd as u64,
    };
    let r = syscall6(
        nr::EPOLL_CTL,
        [EPFD.load(SeqCst) as usize, EPOLL_CTL_ADD, fd, &raw mut ev as usize, 0, 0],
    );
    if r < 0 {
        -r as i32
    } else {
        0
    }
}

/// Removes `fd` from the epoll set (gc's netpollclose).
pub unsafe fn netpollclose(fd: usize) {
    let mut ev = EpollEvent { events: 0, data: 0 };
    syscall6(
        nr::EPOLL_CTL,
        [EPFD.load(SeqCst) as usize, EPOLL_CTL_DEL, fd, &raw mut ev as usize, 0, 0],
    );
}

/// Interrupts a netpoll blocked in epoll_wait (gc's netpollBreak).
pub fn netpoll_break() {
    let efd = BREAK_FD.load(SeqCst);
    if efd < 0 || WAKE_SIG.compare_exchange(0, 1, SeqCst, SeqCst).is_err() {
        return;
    }
    let one: u64 = 1;
    loop {
        // SAFETY: the kernel reads eight bytes from a live u64.
        let r = unsafe { syscall6(nr::WRITE, [efd as usize, &raw const one as usize, 8, 0, 0, 0]) };
        if r != -EINTR {
            return;
        }
    }
}

/// Waits up to `delay` ns (< 0: forever, 0: not at all) for I/O readiness and returns the
/// goroutines it unblocks (gc's netpoll).
pub unsafe fn netpoll(delay: i64) -> GList {
    let mut to_run = GList::new();
    let epfd = EPFD.load(SeqCst);
    if epfd < 0 {
        return to_run;
    }
    let waitms: i32 = if delay < 0 {
        -1
    } else if delay == 0 {
        0
    } else if delay < 1_000_000 {
        1
    } else if delay < 1_000_000_000_000_000 {
        (delay / 1_000_000) as i32
    } else {
        1_000_000_000
    };
    let mut events = [EpollEvent { events: 0, data: 0 }; 128];
    let n = loop {
        let n = syscall6(
            nr::EPOLL_PWAIT,
            [epfd as usize, events.as_mut_ptr() as usize, events.len(), waitms as isize as usize, 0, 8],
        );
        if n >= 0 {
            break n as usize;
        }
        if n != -EINTR {
            throw("runtime: netpoll failed");
        }
        // A signal: return so the caller can recompute its timeout.
        if waitms > 0 {
            return to_run;
        }
    };
    for ev in &events[..n] {
        let (bits, data) = (ev.events, ev.data);
        if bits == 0 {
            continue;
        }
        if data == BREAK_DATA {
            if delay != 0 {
                // Only a blocking netpoll consumes the wake-up; a polling one leaves it for
                // the M that is blocked.
                let mut buf: u64 = 0;
                syscall6(nr::READ, [BREAK_FD.load(SeqCst) as usize, &raw mut buf as usize, 8, 0, 0, 0]);
                WAKE_SIG.store(0, SeqCst);
            }
            continue;
        }
        let mut mode = 0;
        if bits & (EPOLLIN | EPOLLRDHUP | EPOLLHUP | EPOLLERR) != 0 {
            mode += b'r' as i32;
        }
        if bits & (EPOLLOUT | EPOLLHUP | EPOLLERR) != 0 {
            mode += b'w' as i32;
        }
        if mode != 0 {
            let pd = data as *mut PollDesc;
            (*pd).set_event_err(bits == EPOLLERR);
            netpollready(&mut to_run, pd, mode);
        }
    }
    to_run
}
