//! The portable part of the netpoller (gc's netpoll.go): poll descriptors, blocking a
//! goroutine until its descriptor is ready, read and write deadlines on timers, and the
//! hooks of internal/poll (`runtime_poll*`). The scheduler calls `netpoll` (netpoll_epoll.rs)
//! from findrunnable and sysmon and makes the goroutines it returns runnable.
//!
//! As in gc, each direction of a pollDesc has a semaphore word (`rg`, `wg`): 0 (nothing),
//! PD_READY (an I/O notification arrived and is not consumed), PD_WAIT (a goroutine is about
//! to park) or the parked G. Deadlines are runtime timers whose function unblocks the waiter;
//! `rseq`/`wseq` invalidate timers of older deadlines and of reused descriptors.

use crate::lock_futex::Mutex;
use crate::netpoll_epoll::{netpoll_is_poll_descriptor, netpollclose, netpollinit, netpollopen};
use crate::panic::throw;
use crate::proc::{lock, unlock};
use crate::runtime2::{GList, WaitReason, G, M};
use crate::time::{deltimer, modtimer, nanotime, resettimer, FuncVal, Timer};
use core::ptr::null_mut;
use core::sync::atomic::Ordering::SeqCst;
use core::sync::atomic::{AtomicU32, AtomicUsize};

/// internal/poll's error codes (gc's pollNoError ...).
const POLL_NO_ERROR: isize = 0;
const POLL_ERR_CLOSING: isize = 1;
const POLL_ERR_TIMEOUT: isize = 2;
const POLL_ERR_NOT_POLLABLE: isize = 3;

/// An I/O readiness notification is pending.
const PD_READY: usize = 1;
/// A goroutine is about to park on the semaphore.
const PD_WAIT: usize = 2;

/// Bits of `atomic_info`, readable without the lock (gc's pollClosing ...).
const POLL_CLOSING: u32 = 1 << 0;
const POLL_EVENT_ERR: u32 = 1 << 1;
const POLL_EXPIRED_READ_DEADLINE: u32 = 1 << 2;
const POLL_EXPIRED_WRITE_DEADLINE: u32 = 1 << 3;

const MODE_R: i32 = b'r' as i32;
const MODE_W: i32 = b'w' as i32;

/// A poll descriptor (gc's pollDesc). Lives in runtime memory and is reused, never freed:
/// a stale event or timer for a reused descriptor is recognised by its sequence number.
#[repr(C)]
pub struct PollDesc {
    /// Next free descriptor in the cache (under the cache lock).
    link: *mut PollDesc,
    fd: usize,
    /// Closing, deadlines and the error bit for lock-free readers.
    atomic_info: AtomicU32,
    rg: AtomicUsize,
    wg: AtomicUsize,
    /// Protects the fields below.
    lock: Mutex,
    closing: bool,
    /// The last event was EPOLLERR alone (under no lock: written by netpoll).
    everr: AtomicU32,
    /// Read timer sequence; a timer of an older sequence is stale.
    rseq: usize,
    /// Read deadline timer.
    rt: Timer,
    /// Read deadline (nanotime), 0 none, -1 expired.
    rd: i64,
    wseq: usize,
    wt: Timer,
    wd: i64,
}

impl PollDesc {
    /// Records whether the descriptor reported an error event (gc's setEventErr).
    pub fn set_event_err(&self, b: bool) {
        if b {
            self.everr.store(1, SeqCst);
            self.atomic_info.fetch_or(POLL_EVENT_ERR, SeqCst);
        } else {
            self.everr.store(0, SeqCst);
            self.atomic_info.fetch_and(!POLL_EVENT_ERR, SeqCst);
        }
    }

    /// Publishes closing and deadline state to `atomic_info`; the lock is held (gc's
    /// publishInfo).
    fn publish_info(&self) {
        let mut info = 0;
        if self.closing {
            info |= POLL_CLOSING;
        }
        if self.rd < 0 {
            info |= POLL_EXPIRED_READ_DEADLINE;
        }
        if self.wd < 0 {
            info |= POLL_EXPIRED_WRITE_DEADLINE;
        }
        if self.everr.load(SeqCst) != 0 {
            info |= POLL_EVENT_ERR;
        }
        self.atomic_info.store(info, SeqCst);
    }

    fn sema(&self, mode: i32) -> &AtomicUsize {
        if mode == MODE_W {
            &self.wg
        } else {
            &self.rg
        }
    }
}

/// Free poll descriptors (gc's pollCache), allocated in blocks of runtime memory.
struct PollCache {
    lock: Mutex,
    first: core::cell::UnsafeCell<*mut PollDesc>,
}

// SAFETY: `first` is only touched under `lock`.
unsafe impl Sync for PollCache {}

static POLLCACHE: PollCache = PollCache {
    lock: Mutex::new(),
    first: core::cell::UnsafeCell::new(null_mut()),
};

/// 1 once netpollinit ran (gc's netpollInited).
static NETPOLL_INITED: AtomicU32 = AtomicU32::new(0);
static NETPOLL_INIT_LOCK: Mutex = Mutex::new();
/// Goroutines parked in netpollblock (gc's netpollWaiters).
static NETPOLL_WAITERS: AtomicU32 = AtomicU32::new(0);

/// Whether the netpoller is running (gc's netpollinited).
pub fn netpollinited() -> bool {
    NETPOLL_INITED.load(SeqCst) != 0
}

/// Whether some goroutine waits for I/O: an idle M should block in netpoll.
pub fn netpoll_has_waiters() -> bool {
    NETPOLL_WAITERS.load(SeqCst) > 0
}

unsafe fn pollcache_alloc() -> *mut PollDesc {
    lock(&POLLCACHE.lock);
    let first = POLLCACHE.first.get();
    if (*first).is_null() {
        const BLOCK: usize = 4096;
        let size = core::mem::size_of::<PollDesc>();
        let n = (BLOCK / size).max(1);
        let mem = crate::malloc::persistentalloc(n * size, 64, &crate::mstats::MEMSTATS.other_sys)
            as *mut PollDesc;
        for i in 0..n {
            let pd = mem.add(i);
            pd.write(PollDesc {
                link: *first,
                fd: 0,
                atomic_info: AtomicU32::new(0),
                rg: AtomicUsize::new(0),
                wg: AtomicUsize::new(0),
                lock: Mutex::new(),
                closing: false,
                everr: AtomicU32::new(0),
                rseq: 0,
                rt: Timer::new(),
                rd: 0,
                wseq: 0,
                wt: Timer::new(),
                wd: 0,
            });
            *first = pd;
        }
    }
    let pd = *first;
    *first = (*pd).link;
    unlock(&POLLCACHE.lock);
    pd
}

unsafe fn pollcache_free(pd: *mut PollDesc) {
    lock(&POLLCACHE.lock);
    let first = POLLCACHE.first.get();
    (*pd).link = *first;
    *first = pd;
    unlock(&POLLCACHE.lock);
}

/// Starts the netpoller once (gc's netpollGenericInit).
pub fn netpoll_generic_init() {
    if NETPOLL_INITED.load(SeqCst) == 0 {
        lock(&NETPOLL_INIT_LOCK);
        if NETPOLL_INITED.load(SeqCst) == 0 {
            netpollinit();
            NETPOLL_INITED.store(1, SeqCst);
        }
        unlock(&NETPOLL_INIT_LOCK);
    }
}

unsafe fn poll_open(fd: usize) -> (*mut PollDesc, i32) {
    let pd = pollcache_alloc();
    lock(&(*pd).lock);
    for g in [&(*pd).wg, &(*pd).rg] {
        let v = g.load(SeqCst);
        if v != 0 && v != PD_READY {
            throw("runtime: blocked read or write on free polldesc");
        }
    }
    (*pd).fd = fd;
    (*pd).closing = false;
    (*pd).set_event_err(false);
    (*pd).rseq = (*pd).rseq.wrapping_add(1);
    (*pd).rg.store(0, SeqCst);
    (*pd).rd = 0;
    (*pd).wseq = (*pd).wseq.wrapping_add(1);
    (*pd).wg.store(0, SeqCst);
    (*pd).wd = 0;
    (*pd).publish_info();
    unlock(&(*pd).lock);
    let errno = netpollopen(fd, pd);
    if errno != 0 {
        pollcache_free(pd);
        return (null_mut(), errno);
    }
    (pd, 0)
}

unsafe fn poll_close(pd: *mut PollDesc) {
    if !(*pd).closing {
        throw("runtime: close polldesc w/o unblock");
    }
    for g in [&(*pd).wg, &(*pd).rg] {
        let v = g.load(SeqCst);
        if v != 0 && v != PD_READY {
            throw("runtime: blocked read or write on closing polldesc");
        }
    }
    netpollclose((*pd).fd);
    pollcache_free(pd);
}

/// internal/poll's error code for `pd` in `mode` (gc's netpollcheckerr).
fn netpollcheckerr(pd: &PollDesc, mode: i32) -> isize {
    let info = pd.atomic_info.load(SeqCst);
    if info & POLL_CLOSING != 0 {
        return POLL_ERR_CLOSING;
    }
    if (mode == MODE_R && info & POLL_EXPIRED_READ_DEADLINE != 0)
        || (mode == MODE_W && info & POLL_EXPIRED_WRITE_DEADLINE != 0)
    {
        return POLL_ERR_TIMEOUT;
    }
    // Report an event scanning error only on a read event; an error on a write event is
    // caught by the write itself.
    if mode == MODE_R && info & POLL_EVENT_ERR != 0 {
        return POLL_ERR_NOT_POLLABLE;
    }
    POLL_NO_ERROR
}

unsafe fn poll_reset(pd: *mut PollDesc, mode: i32) -> isize {
    let err = netpollcheckerr(&*pd, mode);
    if err != POLL_NO_ERROR {
        return err;
    }
    if mode == MODE_R {
        (*pd).rg.store(0, SeqCst);
    } else if mode == MODE_W {
        (*pd).wg.store(0, SeqCst);
    }
    POLL_NO_ERROR
}

unsafe fn poll_wait(gp: *mut G, pd: *mut PollDesc, mode: i32) -> isize {
    let err = netpollcheckerr(&*pd, mode);
    if err != POLL_NO_ERROR {
        return err;
    }
    while !netpollblock(gp, pd, mode, false) {
        let err = netpollcheckerr(&*pd, mode);
        if err != POLL_NO_ERROR {
            return err;
        }
        // An expired deadline was reset: retry.
    }
    POLL_NO_ERROR
}

/// Commits a park on `gpp` once the goroutine is off its stack (gc's netpollblockcommit).
unsafe fn netpollblockcommit(gp: *mut G, gpp: *mut u8, _mp: *mut M) -> bool {
    let gpp = &*(gpp as *const AtomicUsize);
    let ok = gpp.compare_exchange(PD_WAIT, gp as usize, SeqCst, SeqCst).is_ok();
    if ok {
        // Count waiters only once parked: an M deciding whether to block in netpoll must
        // not see a waiter that an event has already released.
        NETPOLL_WAITERS.fetch_add(1, SeqCst);
    }
    ok
}

/// Readies a goroutine that netpollblock parked (gc's netpollgoready).
unsafe fn netpollgoready(mp: *mut M, gp: *mut G) {
    NETPOLL_WAITERS.fetch_sub(1, SeqCst);
    crate::proc::goready(mp, gp);
}

/// Blocks until I/O is ready on `pd` in `mode` or the wait is cancelled (deadline, close);
/// whether I/O is ready (gc's netpollblock).
unsafe fn netpollblock(gp: *mut G, pd: *mut PollDesc, mode: i32, waitio: bool) -> bool {
    let gpp = (*pd).sema(mode);
    // Set the semaphore to PD_WAIT, or consume a pending notification.
    loop {
        if gpp.compare_exchange(PD_READY, 0, SeqCst, SeqCst).is_ok() {
            return true;
        }
        if gpp.compare_exchange(0, PD_WAIT, SeqCst, SeqCst).is_ok() {
            break;
        }
        let v = gpp.load(SeqCst);
        if v != PD_READY && v != 0 {
            throw("runtime: double wait");
        }
    }
    // Check for errors after setting PD_WAIT: a close or deadline that comes later sees it.
    if waitio || netpollcheckerr(&*pd, mode) == POLL_NO_ERROR {
        crate::proc::gopark(
            gp,
            Some(netpollblockcommit),
            gpp as *const AtomicUsize as *mut u8,
            WaitReason::IoWait,
        );
    }
    let old = gpp.swap(0, SeqCst);
    if old > PD_WAIT {
        throw("runtime: corrupted polldesc");
    }
    old == PD_READY
}

/// Takes the goroutine parked on `pd` in `mode`, if any; with `ioready` leaves a
/// notification for the next wait (gc's netpollunblock).
unsafe fn netpollunblock(pd: *mut PollDesc, mode: i32, ioready: bool) -> *mut G {
    let gpp = (*pd).sema(mode);
    loop {
        let old = gpp.load(SeqCst);
        if old == PD_READY {
            return null_mut();
        }
        if old == 0 && !ioready {
            // Only ioready sets PD_READY; a deadline or close without a waiter does nothing.
            return null_mut();
        }
        let new = if ioready { PD_READY } else { 0 };
        if gpp.compare_exchange(old, new, SeqCst, SeqCst).is_ok() {
            return if old == PD_WAIT { null_mut() } else { old as *mut G };
        }
    }
}

/// Adds the goroutines an event on `pd` unblocks to `to_run` (gc's netpollready).
pub unsafe fn netpollready(to_run: &mut GList, pd: *mut PollDesc, mode: i32) {
    let mut rg = null_mut();
    let mut wg = null_mut();
    if mode == MODE_R || mode == MODE_R + MODE_W {
        rg = netpollunblock(pd, MODE_R, true);
    }
    if mode == MODE_W || mode == MODE_R + MODE_W {
        wg = netpollunblock(pd, MODE_W, true);
    }
    for gp in [rg, wg] {
        if !gp.is_null() {
            NETPOLL_WAITERS.fetch_sub(1, SeqCst);
            to_run.push(gp);
        }
    }
}

// Deadlines.

static NETPOLL_READ_DEADLINE: FuncVal = FuncVal { code: netpoll_read_deadline };
static NETPOLL_WRITE_DEADLINE: FuncVal = FuncVal { code: netpoll_write_deadline };
static NETPOLL_DEADLINE: FuncVal = FuncVal { code: netpoll_deadline };

unsafe extern "C" fn netpoll_read_deadline(_t: usize, pd: usize, seq: usize, _f: *const FuncVal, g: *mut G) {
    netpolldeadlineimpl((*g).m, pd as *mut PollDesc, seq, true, false);
}

unsafe extern "C" fn netpoll_write_deadline(_t: usize, pd: usize, seq: usize, _f: *const FuncVal, g: *mut G) {
    netpolldeadlineimpl((*g).m, pd as *mut PollDesc, seq, false, true);
}

unsafe extern "C" fn netpoll_deadline(_t: usize, pd: usize, seq: usize, _f: *const FuncVal, g: *mut G) {
    netpolldeadlineimpl((*g).m, pd as *mut PollDesc, seq, true, true);
}

/// A deadline timer fired: expire the deadline and wake the waiters, unless the timer is
/// stale (gc's netpolldeadlineimpl).
unsafe fn netpolldeadlineimpl(mp: *mut M, pd: *mut PollDesc, seq: usize, read: bool, write: bool) {
    lock(&(*pd).lock);
    let current = if read { (*pd).rseq } else { (*pd).wseq };
    if seq != current {
        // The descriptor was reused or the deadline reset.
        unlock(&(*pd).lock);
        return;
    }
    let mut rg = null_mut();
    if read {
        if (*pd).rd <= 0 || (*pd).rt.f.is_null() {
            throw("runtime: inconsistent read deadline");
        }
        (*pd).rd = -1;
        (*pd).publish_info();
        rg = netpollunblock(pd, MODE_R, false);
    }
    let mut wg = null_mut();
    if write {
        if (*pd).wd <= 0 || ((*pd).wt.f.is_null() && !read) {
            throw("runtime: inconsistent write deadline");
        }
        (*pd).wd = -1;
        (*pd).publish_info();
        wg = netpollunblock(pd, MODE_W, false);
    }
    unlock(&(*pd).lock);
    for gp in [rg, wg] {
        if !gp.is_null() {
            netpollgoready(mp, gp);
        }
    }
}

unsafe fn poll_set_deadline(mp: *mut M, pd: *mut PollDesc, mut d: i64, mode: i32) {
    lock(&(*pd).lock);
    if (*pd).closing {
        unlock(&(*pd).lock);
        return;
    }
    let (rd0, wd0) = ((*pd).rd, (*pd).wd);
    let combo0 = rd0 > 0 && rd0 == wd0;
    if d > 0 {
        d = d.wrapping_add(nanotime());
        if d <= 0 {
            // Overflow: no deadline.
            d = i64::MAX;
        }
    }
    if mode == MODE_R || mode == MODE_R + MODE_W {
        (*pd).rd = d;
    }
    if mode == MODE_W || mode == MODE_R + MODE_W {
        (*pd).wd = d;
    }
    (*pd).publish_info();
    let combo = (*pd).rd > 0 && (*pd).rd == (*pd).wd;
    let rtf: *const FuncVal = if combo { &NETPOLL_DEADLINE } else { &NETPOLL_READ_DEADLINE };
    let rt = &raw mut (*pd).rt;
    if (*rt).f.is_null() {
        if (*pd).rd > 0 {
            (*rt).f = rtf;
            (*rt).arg_type = 0;
            (*rt).arg_data = pd as usize;
            (*rt).seq = (*pd).rseq;
            resettimer(rt, (*pd).rd, mp);
        }
    } else if (*pd).rd != rd0 || combo != combo0 {
        (*pd).rseq = (*pd).rseq.wrapping_add(1);
        if (*pd).rd > 0 {
            modtimer(rt, (*pd).rd, 0, rtf, 0, pd as usize, (*pd).rseq, mp);
        } else {
            deltimer(rt, mp);
            (*rt).f = core::ptr::null();
        }
    }
    let wt = &raw mut (*pd).wt;
    if (*wt).f.is_null() {
        if (*pd).wd > 0 && !combo {
            (*wt).f = &NETPOLL_WRITE_DEADLINE;
            (*wt).arg_type = 0;
            (*wt).arg_data = pd as usize;
            (*wt).seq = (*pd).wseq;
            resettimer(wt, (*pd).wd, mp);
        }
    } else if (*pd).wd != wd0 || combo != combo0 {
        (*pd).wseq = (*pd).wseq.wrapping_add(1);
        if (*pd).wd > 0 && !combo {
            modtimer(wt, (*pd).wd, 0, &NETPOLL_WRITE_DEADLINE, 0, pd as usize, (*pd).wseq, mp);
        } else {
            deltimer(wt, mp);
            (*wt).f = core::ptr::null();
        }
    }
    // A deadline in the past unblocks pending I/O at once.
    let rg = if (*pd).rd < 0 { netpollunblock(pd, MODE_R, false) } else { null_mut() };
    let wg = if (*pd).wd < 0 { netpollunblock(pd, MODE_W, false) } else { null_mut() };
    unlock(&(*pd).lock);
    for gp in [rg, wg] {
        if !gp.is_null() {
            netpollgoready(mp, gp);
        }
    }
}

unsafe fn poll_unblock(mp: *mut M, pd: *mut PollDesc) {
    lock(&(*pd).lock);
    if (*pd).closing {
        throw("runtime: unblock on closing polldesc");
    }
    (*pd).closing = true;
    (*pd).rseq = (*pd).rseq.wrapping_add(1);
    (*pd).wseq = (*pd).wseq.wrapping_add(1);
    (*pd).publish_info();
    let rg = netpollunblock(pd, MODE_R, false);
    let wg = netpollunblock(pd, MODE_W, false);
    if !(*pd).rt.f.is_null() {
        deltimer(&raw mut (*pd).rt, mp);
        (*pd).rt.f = core::ptr::null();
    }
    if !(*pd).wt.f.is_null() {
        deltimer(&raw mut (*pd).wt, mp);
        (*pd).wt.f = core::ptr::null();
    }
    unlock(&(*pd).lock);
    for gp in [rg, wg] {
        if !gp.is_null() {
            netpollgoready(mp, gp);
        }
    }
}

// Entry points behind internal/poll's hooks (go/runtime/poll.go pushes them: a naked entry
// cannot carry a symbol with a slash). A poll descriptor travels through Go as a uintptr.

unsafe extern "C" fn poll_server_init_from_go(_gp: *mut G) {
    netpoll_generic_init();
}

crate::go_entry!(
    /// `internal/poll.runtime_pollServerInit()`.
    poll_server_init_entry = "runtime.pollServerInit"();
    g in "rdi" / "x0" => poll_server_init_from_go
);

unsafe extern "C" fn is_poll_server_descriptor_from_go(fd: usize, _gp: *mut G) -> bool {
    netpoll_is_poll_descriptor(fd)
}

crate::go_entry!(
    /// `internal/poll.runtime_isPollServerDescriptor(fd uintptr) bool`.
    is_poll_server_descriptor_entry = "runtime.isPollServerDescriptor"(fd: usize) -> bool;
    g in "rsi" / "x1" => is_poll_server_descriptor_from_go
);

unsafe extern "C" fn poll_open_from_go(fd: usize, _gp: *mut G) -> crate::arch::Pair {
    let (pd, errno) = poll_open(fd);
    crate::arch::Pair(pd as usize, errno as isize as usize)
}

crate::go_entry!(
    /// `internal/poll.runtime_pollOpen(fd uintptr) (uintptr, int)`.
    poll_open_entry = "runtime.pollOpen"(fd: usize) -> crate::arch::Pair;
    g in "rsi" / "x1" => poll_open_from_go
);

unsafe extern "C" fn poll_close_from_go(pd: *mut PollDesc, _gp: *mut G) {
    poll_close(pd);
}

crate::go_entry!(
    /// `internal/poll.runtime_pollClose(ctx uintptr)`.
    poll_close_entry = "runtime.pollClose"(pd: *mut PollDesc);
    g in "rsi" / "x1" => poll_close_from_go
);

unsafe extern "C" fn poll_reset_from_go(pd: *mut PollDesc, mode: isize, _gp: *mut G) -> isize {
    poll_reset(pd, mode as i32)
}

crate::go_entry!(
    /// `internal/poll.runtime_pollReset(ctx uintptr, mode int) int`.
    poll_reset_entry = "runtime.pollReset"(pd: *mut PollDesc, mode: isize) -> isize;
    g in "rdx" / "x2" => poll_reset_from_go
);

unsafe extern "C" fn poll_wait_from_go(pd: *mut PollDesc, mode: isize, gp: *mut G) -> isize {
    poll_wait(gp, pd, mode as i32)
}

crate::go_entry!(
    /// `internal/poll.runtime_pollWait(ctx uintptr, mode int) int`: parks the goroutine.
    poll_wait_entry = "runtime.pollWait"(pd: *mut PollDesc, mode: isize) -> isize;
    g in "rdx" / "x2" => poll_wait_from_go
);

unsafe extern "C" fn poll_wait_canceled_from_go(pd: *mut PollDesc, mode: isize, gp: *mut G) {
    // Used on Windows only in gc; kept for the complete hook set.
    while !netpollblock(gp, pd, mode as i32, true) {}
}

crate::go_entry!(
    /// `internal/poll.runtime_pollWaitCanceled(ctx uintptr, mode int)`.
    poll_wait_canceled_entry = "runtime.pollWaitCanceled"(pd: *mut PollDesc, mode: isize);
    g in "rdx" / "x2" => poll_wait_canceled_from_go
);

unsafe extern "C" fn poll_set_deadline_from_go(pd: *mut PollDesc, d: i64, mode: isize, gp: *mut G) {
    poll_set_deadline((*gp).m, pd, d, mode as i32);
}

crate::go_entry!(
    /// `internal/poll.runtime_pollSetDeadline(ctx uintptr, d int64, mode int)`.
    poll_set_deadline_entry = "runtime.pollSetDeadline"(pd: *mut PollDesc, d: i64, mode: isize);
    g in "rcx" / "x3" => poll_set_deadline_from_go
);

unsafe extern "C" fn poll_unblock_from_go(pd: *mut PollDesc, gp: *mut G) {
    poll_unblock((*gp).m, pd);
}

crate::go_entry!(
    /// `internal/poll.runtime_pollUnblock(ctx uintptr)`.
    poll_unblock_entry = "runtime.pollUnblock"(pd: *mut PollDesc);
    g in "rsi" / "x1" => poll_unblock_from_go
);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::netpoll_epoll::{netpoll, netpoll_break};

    /// An eventfd: a descriptor that becomes readable when written to.
    fn eventfd() -> usize {
        #[cfg(target_arch = "x86_64")]
        const EVENTFD2: usize = 290;
        #[cfg(target_arch = "aarch64")]
        const EVENTFD2: usize = 19;
        // SAFETY: no pointers.
        let fd = unsafe { crate::os_linux::syscall6(EVENTFD2, [0, 0x800, 0, 0, 0, 0]) };
        assert!(fd >= 0);
        fd as usize
    }

    fn signal(fd: usize) {
        #[cfg(target_arch = "x86_64")]
        const WRITE: usize = 1;
        #[cfg(target_arch = "aarch64")]
        const WRITE: usize = 64;
        let one: u64 = 1;
        // SAFETY: the kernel reads eight bytes from a live u64.
        let r = unsafe { crate::os_linux::syscall6(WRITE, [fd, &raw const one as usize, 8, 0, 0, 0]) };
        assert_eq!(r, 8);
    }

    #[test]
    fn readiness_before_a_wait_is_kept_and_consumed_once() {
        netpoll_generic_init();
        // SAFETY: the descriptor is ours; no goroutine waits on it, so netpoll readies nobody.
        unsafe {
            let fd = eventfd();
            let (pd, errno) = poll_open(fd);
            assert_eq!(errno, 0);
            assert_eq!(poll_reset(pd, MODE_R), POLL_NO_ERROR);
            signal(fd);
            // Several tests share the epoll instance: poll until our event shows up.
            for _ in 0..100 {
                let list = netpoll(10_000_000);
                assert!(list.empty(), "no goroutine was parked");
                if (*pd).rg.load(SeqCst) == PD_READY {
                    break;
                }
            }
            assert_eq!((*pd).rg.load(SeqCst), PD_READY);
            // A wait now returns at once and consumes the notification.
            assert!(netpollblock(null_mut(), pd, MODE_R, false));
            assert_eq!((*pd).rg.load(SeqCst), 0);
            (*pd).closing = true;
            poll_close(pd);
        }
    }

    #[test]
    fn closing_and_expired_deadlines_are_reported() {
        netpoll_generic_init();
        // SAFETY: as above; deadlines are set directly (no timers: no M here).
        unsafe {
            let (pd, errno) = poll_open(eventfd());
            assert_eq!(errno, 0);
            (*pd).rd = -1;
            (*pd).publish_info();
            assert_eq!(netpollcheckerr(&*pd, MODE_R), POLL_ERR_TIMEOUT);
            assert_eq!(netpollcheckerr(&*pd, MODE_W), POLL_NO_ERROR);
            (*pd).set_event_err(true);
            (*pd).rd = 0;
            (*pd).publish_info();
            assert_eq!(netpollcheckerr(&*pd, MODE_R), POLL_ERR_NOT_POLLABLE);
            (*pd).closing = true;
            (*pd).publish_info();
            assert_eq!(poll_wait(null_mut(), pd, MODE_W), POLL_ERR_CLOSING);
            poll_close(pd);
        }
    }

    #[test]
    fn a_break_ends_a_blocking_poll() {
        netpoll_generic_init();
        // Another test's poll may consume a break meant for this one: try a few times.
        let quick = (0..3).any(|_| {
            netpoll_break();
            let t0 = nanotime();
            // SAFETY: nothing is registered that could ready a goroutine.
            let list = unsafe { netpoll(2_000_000_000) };
            assert!(list.empty());
            nanotime() - t0 < 1_000_000_000
        });
        assert!(quick, "netpoll_break did not end a blocking netpoll");
    }
}
