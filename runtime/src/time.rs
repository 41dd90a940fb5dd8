//! Time and timers (Go's time.go): nanotime, per-P timer heaps, time.Sleep, and the timer
//! operations behind the time package (startTimer, stopTimer, resetTimer, modTimer).
//!
//! gc's design, state machine and all: every P keeps a 4-ary heap of its timers ordered by
//! `when`, guarded by the P's timers lock; timers are added to the current P's heap, deleted
//! or modified lazily by changing their status (the owning P cleans them up when it next looks
//! at its heap), and run by the scheduler (`check_timers` in `schedule`/`findrunnable`, and by
//! work stealing from other Ps). An M without work sleeps until the earliest timer (gc sleeps in
//! netpoll; goclift too once the netpoller runs, on a futex with a timeout before, see proc.rs).

use crate::lock_futex::Mutex;
use crate::panic::throw;
use crate::proc::{acquirem, lock, releasem, unlock};
use crate::runtime2::{GOMAXPROCS, ALLP, G, M, P};
use core::ptr::null_mut;
use core::sync::atomic::Ordering::SeqCst;
use core::sync::atomic::{AtomicI64, AtomicU32};

/// Monotonic time in nanoseconds (gc's nanotime).
pub fn nanotime() -> i64 {
    let (s, ns) = crate::os_linux::clock_gettime(crate::os_linux::CLOCK_MONOTONIC);
    s * 1_000_000_000 + ns
}

/// Wall-clock time: seconds and nanoseconds since 1970 (gc's walltime).
pub fn walltime() -> (i64, i32) {
    let (s, ns) = crate::os_linux::clock_gettime(crate::os_linux::CLOCK_REALTIME);
    (s, ns as i32)
}

/// The largest `when` (gc's maxWhen).
pub const MAX_WHEN: i64 = i64::MAX;

/// Timer status (gc's timerNoStatus ...): not in a heap.
pub const TIMER_NO_STATUS: u32 = 0;
/// In a P's heap, waiting to fire.
pub const TIMER_WAITING: u32 = 1;
/// Its function is running.
pub const TIMER_RUNNING: u32 = 2;
/// Deleted; still in a heap until that P cleans up.
pub const TIMER_DELETED: u32 = 3;
/// Being removed from a heap.
pub const TIMER_REMOVING: u32 = 4;
/// Removed from its heap.
pub const TIMER_REMOVED: u32 = 5;
/// Being modified; briefly.
pub const TIMER_MODIFYING: u32 = 6;
/// Modified to an earlier time; `nextwhen` holds it.
pub const TIMER_MODIFIED_EARLIER: u32 = 7;
/// Modified to the same or a later time; `nextwhen` holds it.
pub const TIMER_MODIFIED_LATER: u32 = 8;
/// Being moved within or between heaps.
pub const TIMER_MOVING: u32 = 9;

/// The C-ABI code of a timer function, called as goclift calls a Go `func(any, uintptr)`
/// value (decision 31): `code(arg_type, arg_data, seq, fv, g)`, the two words of gc's
/// `arg any`, `seq`, then the func value itself as the trailing closure context. `g` is the
/// goroutine running the timer (a g0), also in the g register; compiled Go code ignores it.
pub type TimerCode =
    unsafe extern "C" fn(arg_type: usize, arg_data: usize, seq: usize, fv: *const FuncVal, g: *mut G);

/// A Go func value as the runtime sees it: a pointer to a closure whose first word is the
/// code address (gc's funcval).
#[repr(C)]
pub struct FuncVal {
    /// The code, called as `TimerCode` for timer functions.
    pub code: TimerCode,
}

/// A runtime timer, laid out like gc's `timer` (and the time package's `runtimeTimer`).
#[repr(C)]
pub struct Timer {
    /// The P whose heap holds the timer (gc's pp).
    pub pp: *mut P,
    /// When the timer fires, in nanotime units; positive while active.
    pub when: i64,
    /// Period of a repeating timer, 0 for one-shot.
    pub period: i64,
    /// Called as `f(arg, seq)` when the timer fires; must not block.
    pub f: *const FuncVal,
    /// Type word of `arg any`.
    pub arg_type: usize,
    /// Data word of `arg any`.
    pub arg_data: usize,
    /// Passed to f (gc's seq).
    pub seq: usize,
    /// `when` to take on in the timerModified states.
    pub nextwhen: i64,
    /// TIMER_* (gc's status).
    pub status: AtomicU32,
}

impl Timer {
    /// An inactive timer.
    pub const fn new() -> Timer {
        Timer {
            pp: null_mut(),
            when: 0,
            period: 0,
            f: core::ptr::null(),
            arg_type: 0,
            arg_data: 0,
            seq: 0,
            nextwhen: 0,
            status: AtomicU32::new(TIMER_NO_STATUS),
        }
    }
}

impl Default for Timer {
    fn default() -> Timer {
        Timer::new()
    }
}

/// A P's timers (gc's timersLock, timers, timer0When, timerModifiedEarliest, numTimers,
/// deletedTimers).
#[repr(C)]
pub struct PTimers {
    /// Guards the heap.
    pub lock: Mutex,
    /// The heap array: `len` timers, 4-ary heap on `when`.
    pub heap: *mut *mut Timer,
    /// Timers in the heap.
    pub len: usize,
    /// Capacity of the array.
    pub cap: usize,
    /// When of the heap's first timer, 0 if none (gc's timer0When).
    pub timer0_when: AtomicI64,
    /// Earliest nextwhen of modified-earlier timers, 0 if none (gc's timerModifiedEarliest).
    pub modified_earliest: AtomicI64,
    /// Timers in the heap (gc's numTimers).
    pub num_timers: AtomicU32,
    /// Deleted timers still in the heap (gc's deletedTimers).
    pub deleted_timers: AtomicU32,
}

impl PTimers {
    fn slice(&mut self) -> &mut [*mut Timer] {
        if self.len == 0 {
            return &mut [];
        }
        // SAFETY: `heap` holds `len` initialised entries; the timers lock is held.
        unsafe { core::slice::from_raw_parts_mut(self.heap, self.len) }
    }

    /// Appends `t`, growing the array (in OS memory: timer heaps are runtime metadata).
    fn push(&mut self, t: *mut Timer) {
        if self.len == self.cap {
            let cap = (self.cap * 2).max(512);
            let bytes = cap * core::mem::size_of::<*mut Timer>();
            let new = crate::mem_linux::sys_alloc(bytes, &crate::mstats::MEMSTATS.other_sys)
                as *mut *mut Timer;
            if new.is_null() {
                throw("runtime: cannot allocate memory");
            }
            if self.cap > 0 {
                // SAFETY: both arrays hold at least `len` entries and do not overlap; the old
                // one is not used afterwards.
                unsafe {
                    core::ptr::copy_nonoverlapping(self.heap, new, self.len);
                    crate::mem_linux::sys_free(
                        self.heap as *mut u8,
                        self.cap * core::mem::size_of::<*mut Timer>(),
                        &crate::mstats::MEMSTATS.other_sys,
                    );
                }
            }
            self.heap = new;
            self.cap = cap;
        }
        // SAFETY: len < cap.
        unsafe { self.heap.add(self.len).write(t) };
        self.len += 1;
    }
}

fn bad_timer() -> ! {
    throw("timer data corruption")
}

/// The timer heap of `pp`.
#[inline]
unsafe fn timers_of(pp: *mut P) -> &'static mut PTimers {
    &mut (*pp).timers
}

/// Puts the current goroutine to sleep for at least `ns` nanoseconds (gc's timeSleep, behind
/// time.Sleep).
///
/// # Safety
/// `gp` must be the calling goroutine.
pub unsafe fn time_sleep(gp: *mut G, ns: i64) {
    if ns <= 0 {
        return;
    }
    let mut t = (*gp).timer;
    if t.is_null() {
        t = alloc_timer();
        (*gp).timer = t;
    }
    (*t).f = &GOROUTINE_READY;
    (*t).arg_type = 0;
    (*t).arg_data = gp as usize;
    (*t).nextwhen = nanotime().saturating_add(ns);
    if (*t).nextwhen < 0 {
        (*t).nextwhen = MAX_WHEN;
    }
    crate::proc::gopark(
        gp,
        Some(reset_for_sleep),
        t as *mut u8,
        crate::runtime2::WaitReason::Sleep,
    );
}

/// Memory for a runtime-owned timer (never freed; reused through the G that owns it).
fn alloc_timer() -> *mut Timer {
    let t = crate::malloc::persistentalloc(
        core::mem::size_of::<Timer>(),
        8,
        &crate::mstats::MEMSTATS.other_sys,
    ) as *mut Timer;
    // SAFETY: fresh memory for one timer.
    unsafe { t.write(Timer::new()) };
    t
}

/// Arms the sleep timer once the goroutine is parked, so the timer cannot fire before it is
/// asleep (gc's resetForSleep). Runs on g0 with the M's P.
unsafe fn reset_for_sleep(_gp: *mut G, t: *mut u8, mp: *mut M) -> bool {
    let t = t as *mut Timer;
    resettimer(t, (*t).nextwhen, mp);
    true
}

/// The timer function of sleeping goroutines (gc's goroutineReady).
static GOROUTINE_READY: FuncVal = FuncVal {
    code: goroutine_ready,
};

unsafe extern "C" fn goroutine_ready(
    _arg_type: usize,
    arg_data: usize,
    _seq: usize,
    _fv: *const FuncVal,
    g: *mut G,
) {
    crate::proc::goready((*g).m, arg_data as *mut G);
}

/// Adds a timer to the current P (gc's addtimer); `mp` is the calling M.
pub unsafe fn addtimer(t: *mut Timer, mp: *mut M) {
    if (*t).when <= 0 {
        throw("timer when must be positive");
    }
    if (*t).period < 0 {
        throw("timer period must be non-negative");
    }
    if (*t).status.load(SeqCst) != TIMER_NO_STATUS {
        throw("addtimer called with initialized timer");
    }
    (*t).status.store(TIMER_WAITING, SeqCst);
    let when = (*t).when;
    acquirem(mp);
    let pp = (*mp).p;
    let ts = timers_of(pp);
    lock(&ts.lock);
    cleantimers(pp);
    doaddtimer(pp, t);
    unlock(&ts.lock);
    crate::proc::wake_timer_thread(when, mp);
    releasem(mp);
}

/// Adds `t` to `pp`'s heap; the timers lock is held (gc's doaddtimer).
unsafe fn doaddtimer(pp: *mut P, t: *mut Timer) {
    if !(*t).pp.is_null() {
        throw("doaddtimer: P already set in timer");
    }
    (*t).pp = pp;
    let ts = timers_of(pp);
    let i = ts.len;
    ts.push(t);
    siftup_timer(ts.slice(), i);
    if t == ts.slice()[0] {
        ts.timer0_when.store((*t).when, SeqCst);
    }
    ts.num_timers.fetch_add(1, SeqCst);
}

/// Deletes a timer; whether it was removed before it ran (gc's deltimer).
pub unsafe fn deltimer(t: *mut Timer, mp: *mut M) -> bool {
    loop {
        let s = (*t).status.load(SeqCst);
        match s {
            TIMER_WAITING | TIMER_MODIFIED_LATER | TIMER_MODIFIED_EARLIER => {
                // Prevent preemption while the timer is in TIMER_MODIFYING.
                acquirem(mp);
                if (*t)
                    .status
                    .compare_exchange(s, TIMER_MODIFYING, SeqCst, SeqCst)
                    .is_ok()
                {
                    let tpp = (*t).pp;
                    if (*t)
                        .status
                        .compare_exchange(TIMER_MODIFYING, TIMER_DELETED, SeqCst, SeqCst)
                        .is_err()
                    {
                        bad_timer();
                    }
                    releasem(mp);
                    timers_of(tpp).deleted_timers.fetch_add(1, SeqCst);
                    return true;
                }
                releasem(mp);
            }
            TIMER_DELETED | TIMER_REMOVING | TIMER_REMOVED | TIMER_NO_STATUS => return false,
            TIMER_RUNNING | TIMER_MOVING | TIMER_MODIFYING => crate::os_linux::osyield(),
            _ => bad_timer(),
        }
    }
}

/// Removes timer `i` from `pp`'s heap; the lock is held (gc's dodeltimer). Returns the
/// smallest index whose timer changed.
unsafe fn dodeltimer(pp: *mut P, i: usize) -> usize {
    let ts = timers_of(pp);
    let t = ts.slice()[i];
    if (*t).pp != pp {
        throw("dodeltimer: wrong P");
    }
    (*t).pp = null_mut();
    let last = ts.len - 1;
    if i != last {
        ts.slice()[i] = ts.slice()[last];
    }
    ts.len = last;
    let mut smallest_changed = i;
    if i != last {
        smallest_changed = siftup_timer(ts.slice(), i);
        siftdown_timer(ts.slice(), i);
    }
    if i == 0 {
        update_timer0_when(pp);
    }
    if ts.num_timers.fetch_sub(1, SeqCst) == 1 {
        ts.modified_earliest.store(0, SeqCst);
    }
    smallest_changed
}

/// Removes the first timer of `pp`'s heap; the lock is held (gc's dodeltimer0).
unsafe fn dodeltimer0(pp: *mut P) {
    let ts = timers_of(pp);
    let t = ts.slice()[0];
    if (*t).pp != pp {
        throw("dodeltimer0: wrong P");
    }
    (*t).pp = null_mut();
    let last = ts.len - 1;
    if last > 0 {
        ts.slice()[0] = ts.slice()[last];
    }
    ts.len = last;
    if last > 0 {
        siftdown_timer(ts.slice(), 0);
    }
    update_timer0_when(pp);
    if ts.num_timers.fetch_sub(1, SeqCst) == 1 {
        ts.modified_earliest.store(0, SeqCst);
    }
}

/// Modifies an existing timer (gc's modtimer); whether it was still pending.
#[allow(clippy::too_many_arguments)]
pub unsafe fn modtimer(
    t: *mut Timer,
    when: i64,
    period: i64,
    f: *const FuncVal,
    arg_type: usize,
    arg_data: usize,
    seq: usize,
    mp: *mut M,
) -> bool {
    if when <= 0 {
        throw("timer when must be positive");
    }
    if period < 0 {
        throw("timer period must be non-negative");
    }
    let mut was_removed = false;
    let pending;
    loop {
        let status = (*t).status.load(SeqCst);
        match status {
            TIMER_WAITING | TIMER_MODIFIED_EARLIER | TIMER_MODIFIED_LATER => {
                acquirem(mp);
                if (*t)
                    .status
                    .compare_exchange(status, TIMER_MODIFYING, SeqCst, SeqCst)
                    .is_ok()
                {
                    pending = true;
                    break;
                }
                releasem(mp);
            }
            TIMER_NO_STATUS | TIMER_REMOVED => {
                acquirem(mp);
                if (*t)
                    .status
                    .compare_exchange(status, TIMER_MODIFYING, SeqCst, SeqCst)
                    .is_ok()
                {
                    was_removed = true;
                    pending = false;
                    break;
                }
                releasem(mp);
            }
            TIMER_DELETED => {
                acquirem(mp);
                if (*t)
                    .status
                    .compare_exchange(status, TIMER_MODIFYING, SeqCst, SeqCst)
                    .is_ok()
                {
                    timers_of((*t).pp).deleted_timers.fetch_sub(1, SeqCst);
                    pending = false;
                    break;
                }
                releasem(mp);
            }
            TIMER_RUNNING | TIMER_REMOVING | TIMER_MOVING | TIMER_MODIFYING => {
                crate::os_linux::osyield()
            }
            _ => bad_timer(),
        }
    }
    (*t).period = period;
    (*t).f = f;
    (*t).arg_type = arg_type;
    (*t).arg_data = arg_data;
    (*t).seq = seq;
    if was_removed {
        (*t).when = when;
        let pp = (*mp).p;
        let ts = timers_of(pp);
        lock(&ts.lock);
        doaddtimer(pp, t);
        unlock(&ts.lock);
        if (*t)
            .status
            .compare_exchange(TIMER_MODIFYING, TIMER_WAITING, SeqCst, SeqCst)
            .is_err()
        {
            bad_timer();
        }
        releasem(mp);
        crate::proc::wake_timer_thread(when, mp);
    } else {
        // The timer is in some other P's heap: record the new time and let that P move it.
        (*t).nextwhen = when;
        let new_status = if when < (*t).when {
            TIMER_MODIFIED_EARLIER
        } else {
            TIMER_MODIFIED_LATER
        };
        let tpp = (*t).pp;
        if new_status == TIMER_MODIFIED_EARLIER {
            update_timer_modified_earliest(tpp, when);
        }
        if (*t)
            .status
            .compare_exchange(TIMER_MODIFYING, new_status, SeqCst, SeqCst)
            .is_err()
        {
            bad_timer();
        }
        releasem(mp);
        if new_status == TIMER_MODIFIED_EARLIER {
            crate::proc::wake_timer_thread(when, mp);
        }
    }
    pending
}

/// Resets the time of an inactive or active timer (gc's resettimer).
pub unsafe fn resettimer(t: *mut Timer, when: i64, mp: *mut M) -> bool {
    modtimer(
        t,
        when,
        (*t).period,
        (*t).f,
        (*t).arg_type,
        (*t).arg_data,
        (*t).seq,
        mp,
    )
}

/// Cleans deleted and moved timers off the top of the heap; the lock is held (gc's
/// cleantimers).
unsafe fn cleantimers(pp: *mut P) {
    let ts = timers_of(pp);
    loop {
        if ts.len == 0 {
            return;
        }
        let t = ts.slice()[0];
        if (*t).pp != pp {
            throw("cleantimers: bad p");
        }
        let s = (*t).status.load(SeqCst);
        match s {
            TIMER_DELETED => {
                if (*t)
                    .status
                    .compare_exchange(s, TIMER_REMOVING, SeqCst, SeqCst)
                    .is_err()
                {
                    continue;
                }
                dodeltimer0(pp);
                if (*t)
                    .status
                    .compare_exchange(TIMER_REMOVING, TIMER_REMOVED, SeqCst, SeqCst)
                    .is_err()
                {
                    bad_timer();
                }
                ts.deleted_timers.fetch_sub(1, SeqCst);
            }
            TIMER_MODIFIED_EARLIER | TIMER_MODIFIED_LATER => {
                if (*t)
                    .status
                    .compare_exchange(s, TIMER_MOVING, SeqCst, SeqCst)
                    .is_err()
                {
                    continue;
                }
                (*t).when = (*t).nextwhen;
                dodeltimer0(pp);
                doaddtimer(pp, t);
                if (*t)
                    .status
                    .compare_exchange(TIMER_MOVING, TIMER_WAITING, SeqCst, SeqCst)
                    .is_err()
                {
                    bad_timer();
                }
            }
            _ => return,
        }
    }
}

/// Moves the timers of a P that GOMAXPROCS removed to `pp` (gc's moveTimers). The world is
/// stopped.
pub unsafe fn move_timers(from: *mut P, pp: *mut P) {
    let src = timers_of(from);
    let n = src.len;
    if n == 0 {
        return;
    }
    let list = src.heap;
    src.len = 0;
    src.num_timers.store(0, SeqCst);
    src.deleted_timers.store(0, SeqCst);
    src.timer0_when.store(0, SeqCst);
    let dst = timers_of(pp);
    lock(&dst.lock);
    for i in 0..n {
        let t = *list.add(i);
        loop {
            let s = (*t).status.load(SeqCst);
            match s {
                TIMER_WAITING | TIMER_MODIFIED_EARLIER | TIMER_MODIFIED_LATER => {
                    if (*t)
                        .status
                        .compare_exchange(s, TIMER_MOVING, SeqCst, SeqCst)
                        .is_err()
                    {
                        continue;
                    }
                    if s != TIMER_WAITING {
                        (*t).when = (*t).nextwhen;
                    }
                    (*t).pp = null_mut();
                    doaddtimer(pp, t);
                    if (*t)
                        .status
                        .compare_exchange(TIMER_MOVING, TIMER_WAITING, SeqCst, SeqCst)
                        .is_err()
                    {
                        bad_timer();
                    }
                    break;
                }
                TIMER_DELETED => {
                    if (*t)
                        .status
                        .compare_exchange(s, TIMER_REMOVED, SeqCst, SeqCst)
                        .is_err()
                    {
                        continue;
                    }
                    (*t).pp = null_mut();
                    break;
                }
                TIMER_MODIFYING => crate::os_linux::osyield(),
                _ => bad_timer(),
            }
        }
    }
    unlock(&dst.lock);
}

/// Moves modified timers to their new places when one of them is due (gc's adjusttimers);
/// the lock is held.
unsafe fn adjusttimers(pp: *mut P, now: i64) {
    let ts = timers_of(pp);
    let first = ts.modified_earliest.load(SeqCst);
    if first == 0 || first > now {
        return;
    }
    // Modified timers of earlier times will be moved below.
    ts.modified_earliest.store(0, SeqCst);
    let mut moved: [*mut Timer; 64] = [null_mut(); 64];
    let mut nmoved = 0;
    let mut i = 0isize;
    while (i as usize) < ts.len {
        let t = ts.slice()[i as usize];
        if (*t).pp != pp {
            throw("adjusttimers: bad p");
        }
        let s = (*t).status.load(SeqCst);
        match s {
            TIMER_DELETED => {
                if (*t)
                    .status
                    .compare_exchange(s, TIMER_REMOVING, SeqCst, SeqCst)
                    .is_ok()
                {
                    let changed = dodeltimer(pp, i as usize);
                    if (*t)
                        .status
                        .compare_exchange(TIMER_REMOVING, TIMER_REMOVED, SeqCst, SeqCst)
                        .is_err()
                    {
                        bad_timer();
                    }
                    ts.deleted_timers.fetch_sub(1, SeqCst);
                    // Look at this heap position again.
                    i = changed as isize - 1;
                }
            }
            TIMER_MODIFIED_EARLIER | TIMER_MODIFIED_LATER => {
                if nmoved == moved.len() {
                    // Put back what we have and rescan later: the array is full.
                    ts.modified_earliest.store(now, SeqCst);
                    break;
                }
                if (*t)
                    .status
                    .compare_exchange(s, TIMER_MOVING, SeqCst, SeqCst)
                    .is_ok()
                {
                    (*t).when = (*t).nextwhen;
                    let changed = dodeltimer(pp, i as usize);
                    moved[nmoved] = t;
                    nmoved += 1;
                    i = changed as isize - 1;
                }
            }
            TIMER_WAITING => {}
            TIMER_MODIFYING => {
                crate::os_linux::osyield();
                i -= 1;
            }
            _ => bad_timer(),
        }
        i += 1;
    }
    for &t in &moved[..nmoved] {
        doaddtimer(pp, t);
        if (*t)
            .status
            .compare_exchange(TIMER_MOVING, TIMER_WAITING, SeqCst, SeqCst)
            .is_err()
        {
            bad_timer();
        }
    }
}

/// When `pp`'s next timer fires, 0 if none, without locking (gc's nobarrierWakeTime).
pub unsafe fn nobarrier_wake_time(pp: *mut P) -> i64 {
    let ts = timers_of(pp);
    let next = ts.timer0_when.load(SeqCst);
    let next_adj = ts.modified_earliest.load(SeqCst);
    if next == 0 || (next_adj != 0 && next_adj < next) {
        next_adj
    } else {
        next
    }
}

/// The same, for handoffp (gc's nobarrierWakeTime).
pub unsafe fn next_timer_when(pp: *mut P) -> i64 {
    nobarrier_wake_time(pp)
}

/// Runs the first timer of the heap if due (gc's runtimer); the lock is held. Returns 0 if a
/// timer ran, -1 if there are no more timers, else when the first timer is due.
unsafe fn runtimer(pp: *mut P, now: i64, mp: *mut M) -> i64 {
    let ts = timers_of(pp);
    loop {
        let t = ts.slice()[0];
        if (*t).pp != pp {
            throw("runtimer: bad p");
        }
        let s = (*t).status.load(SeqCst);
        match s {
            TIMER_WAITING => {
                if (*t).when > now {
                    // Not ready to run.
                    return (*t).when;
                }
                if (*t)
                    .status
                    .compare_exchange(s, TIMER_RUNNING, SeqCst, SeqCst)
                    .is_err()
                {
                    continue;
                }
                run_one_timer(pp, t, now, mp);
                return 0;
            }
            TIMER_DELETED => {
                if (*t)
                    .status
                    .compare_exchange(s, TIMER_REMOVING, SeqCst, SeqCst)
                    .is_err()
                {
                    continue;
                }
                dodeltimer0(pp);
                if (*t)
                    .status
                    .compare_exchange(TIMER_REMOVING, TIMER_REMOVED, SeqCst, SeqCst)
                    .is_err()
                {
                    bad_timer();
                }
                ts.deleted_timers.fetch_sub(1, SeqCst);
                if ts.len == 0 {
                    return -1;
                }
            }
            TIMER_MODIFIED_EARLIER | TIMER_MODIFIED_LATER => {
                if (*t)
                    .status
                    .compare_exchange(s, TIMER_MOVING, SeqCst, SeqCst)
                    .is_err()
                {
                    continue;
                }
                (*t).when = (*t).nextwhen;
                dodeltimer0(pp);
                doaddtimer(pp, t);
                if (*t)
                    .status
                    .compare_exchange(TIMER_MOVING, TIMER_WAITING, SeqCst, SeqCst)
                    .is_err()
                {
                    bad_timer();
                }
            }
            TIMER_MODIFYING => crate::os_linux::osyield(),
            _ => bad_timer(),
        }
    }
}

/// Runs timer `t` (gc's runOneTimer): reschedules or removes it, then calls its function
/// with the lock released.
unsafe fn run_one_timer(pp: *mut P, t: *mut Timer, now: i64, mp: *mut M) {
    let ts = timers_of(pp);
    let f = (*t).f;
    let (arg_type, arg_data, seq) = ((*t).arg_type, (*t).arg_data, (*t).seq);
    if (*t).period > 0 {
        // Leave in heap but adjust next time to fire.
        let delta = (*t).when - now;
        (*t).when = (*t)
            .when
            .saturating_add((*t).period.saturating_mul(1 + -delta / (*t).period));
        if (*t).when < 0 {
            (*t).when = MAX_WHEN;
        }
        siftdown_timer(ts.slice(), 0);
        if (*t)
            .status
            .compare_exchange(TIMER_RUNNING, TIMER_WAITING, SeqCst, SeqCst)
            .is_err()
        {
            bad_timer();
        }
        update_timer0_when(pp);
    } else {
        // Remove from heap.
        dodeltimer0(pp);
        if (*t)
            .status
            .compare_exchange(TIMER_RUNNING, TIMER_NO_STATUS, SeqCst, SeqCst)
            .is_err()
        {
            bad_timer();
        }
    }
    unlock(&ts.lock);
    call_timer_func(f, arg_type, arg_data, seq, (*mp).g0);
    lock(&ts.lock);
}

/// Calls a timer's function on g0 with g0 in the g register (it may be compiled Go code).
unsafe fn call_timer_func(f: *const FuncVal, arg_type: usize, arg_data: usize, seq: usize, g0: *mut G) {
    crate::arch::goclift_call5_with_g(
        (*f).code as usize,
        arg_type,
        arg_data,
        seq,
        f as usize,
        g0,
    );
}

/// Removes all deleted timers and moves modified ones (gc's clearDeletedTimers); the lock is
/// held.
unsafe fn clear_deleted_timers(pp: *mut P) {
    let ts = timers_of(pp);
    ts.modified_earliest.store(0, SeqCst);
    let mut cdel = 0u32;
    let mut to = 0usize;
    let mut changed_heap = false;
    let n = ts.len;
    let timers = ts.slice();
    'next: for i in 0..n {
        let t = timers[i];
        loop {
            let s = (*t).status.load(SeqCst);
            match s {
                TIMER_WAITING => {
                    if changed_heap {
                        timers[to] = t;
                        siftup_timer(&mut timers[..=to], to);
                    }
                    to += 1;
                    continue 'next;
                }
                TIMER_MODIFIED_EARLIER | TIMER_MODIFIED_LATER => {
                    if (*t)
                        .status
                        .compare_exchange(s, TIMER_MOVING, SeqCst, SeqCst)
                        .is_ok()
                    {
                        (*t).when = (*t).nextwhen;
                        timers[to] = t;
                        siftup_timer(&mut timers[..=to], to);
                        to += 1;
                        changed_heap = true;
                        if (*t)
                            .status
                            .compare_exchange(TIMER_MOVING, TIMER_WAITING, SeqCst, SeqCst)
                            .is_err()
                        {
                            bad_timer();
                        }
                        continue 'next;
                    }
                }
                TIMER_DELETED => {
                    if (*t)
                        .status
                        .compare_exchange(s, TIMER_REMOVING, SeqCst, SeqCst)
                        .is_ok()
                    {
                        (*t).pp = null_mut();
                        cdel += 1;
                        if (*t)
                            .status
                            .compare_exchange(TIMER_REMOVING, TIMER_REMOVED, SeqCst, SeqCst)
                            .is_err()
                        {
                            bad_timer();
                        }
                        changed_heap = true;
                        continue 'next;
                    }
                }
                TIMER_MODIFYING => crate::os_linux::osyield(),
                _ => bad_timer(),
            }
        }
    }
    ts.deleted_timers.fetch_sub(cdel, SeqCst);
    ts.num_timers.fetch_sub(cdel, SeqCst);
    ts.len = to;
    update_timer0_when(pp);
}

unsafe fn update_timer0_when(pp: *mut P) {
    let ts = timers_of(pp);
    if ts.len == 0 {
        ts.timer0_when.store(0, SeqCst);
    } else {
        let when = (*ts.slice()[0]).when;
        ts.timer0_when.store(when, SeqCst);
    }
}

unsafe fn update_timer_modified_earliest(pp: *mut P, nextwhen: i64) {
    let ts = timers_of(pp);
    loop {
        let old = ts.modified_earliest.load(SeqCst);
        if old != 0 && old < nextwhen {
            return;
        }
        if ts
            .modified_earliest
            .compare_exchange(old, nextwhen, SeqCst, SeqCst)
            .is_ok()
        {
            return;
        }
    }
}

/// The earliest timer of all Ps, MAX_WHEN if none (gc's timeSleepUntil).
pub unsafe fn time_sleep_until() -> i64 {
    let mut next = MAX_WHEN;
    for i in 0..GOMAXPROCS.load(SeqCst) {
        let pp = ALLP[i as usize].load(SeqCst);
        if pp.is_null() {
            continue;
        }
        let ts = timers_of(pp);
        let w = ts.timer0_when.load(SeqCst);
        if w != 0 && w < next {
            next = w;
        }
        let w = ts.modified_earliest.load(SeqCst);
        if w != 0 && w < next {
            next = w;
        }
    }
    next
}

/// Marks the heap objects holding the timers of every P's heap (a collector root): a
/// time.Timer or time.Ticker that only the runtime refers to must survive until it fires or
/// is stopped, as gc's timer slices (in its heap-allocated Ps) keep them. The world is
/// stopped. The timers themselves are scanned precisely as part of their objects.
pub unsafe fn mark_timer_heaps(m: &mut crate::mgcmark::Marker) {
    for slot in ALLP.iter() {
        let pp = slot.load(SeqCst);
        if pp.is_null() {
            continue;
        }
        let ts = timers_of(pp);
        if ts.len > 0 {
            let lo = ts.heap as usize;
            m.scan_conservative(lo, lo + ts.len * core::mem::size_of::<*mut Timer>());
        }
    }
}

/// Clears `pp` from the timer mask if it has no timers (gc's updateTimerPMask); sched.lock is
/// held.
pub unsafe fn update_timer_pmask(pp: *mut P) {
    let ts = timers_of(pp);
    if ts.num_timers.load(SeqCst) > 0 {
        return;
    }
    lock(&ts.lock);
    if ts.num_timers.load(SeqCst) == 0 {
        crate::proc::TIMERP_MASK.clear((*pp).id);
    }
    unlock(&ts.lock);
}

/// Runs `pp`'s due timers (gc's checkTimers). `now` 0 means unknown. Returns the time used,
/// when the next timer is due (0 if none) and whether any ran. `mp` is the calling M; it
/// holds a P.
pub unsafe fn check_timers(pp: *mut P, now: i64, mp: *mut M) -> (i64, i64, bool) {
    let ts = timers_of(pp);
    let mut next = ts.timer0_when.load(SeqCst);
    let next_adj = ts.modified_earliest.load(SeqCst);
    if next == 0 || (next_adj != 0 && next_adj < next) {
        next = next_adj;
    }
    if next == 0 {
        return (now, 0, false);
    }
    let now = if now == 0 { nanotime() } else { now };
    if now < next {
        // Not due yet; but clear deleted timers of our own P when there are many.
        if pp != (*mp).p
            || ts.deleted_timers.load(SeqCst) <= ts.num_timers.load(SeqCst) / 4
        {
            return (now, next, false);
        }
    }
    lock(&ts.lock);
    let mut poll_until = 0;
    let mut ran = false;
    if ts.len > 0 {
        adjusttimers(pp, now);
        while ts.len > 0 {
            // runtimer may temporarily unlock the timers lock.
            let tw = runtimer(pp, now, mp);
            if tw != 0 {
                if tw > 0 {
                    poll_until = tw;
                }
                break;
            }
            ran = true;
        }
    }
    if pp == (*mp).p && ts.deleted_timers.load(SeqCst) as usize > ts.len / 4 {
        clear_deleted_timers(pp);
    }
    unlock(&ts.lock);
    (now, poll_until, ran)
}

/// Moves timer `i` up the 4-ary heap; returns its final index (gc's siftupTimer).
fn siftup_timer(t: &mut [*mut Timer], mut i: usize) -> usize {
    if i >= t.len() {
        bad_timer();
    }
    // SAFETY: heap entries are live timers.
    let when = unsafe { (*t[i]).when };
    if when <= 0 {
        bad_timer();
    }
    let tmp = t[i];
    while i > 0 {
        let p = (i - 1) / 4;
        // SAFETY: as above.
        if when >= unsafe { (*t[p]).when } {
            break;
        }
        t[i] = t[p];
        i = p;
    }
    t[i] = tmp;
    i
}

/// Moves timer `i` down the 4-ary heap (gc's siftdownTimer).
fn siftdown_timer(t: &mut [*mut Timer], mut i: usize) {
    let n = t.len();
    if i >= n {
        bad_timer();
    }
    // SAFETY: heap entries are live timers.
    let w_of = |x: *mut Timer| unsafe { (*x).when };
    let when = w_of(t[i]);
    if when <= 0 {
        bad_timer();
    }
    let tmp = t[i];
    loop {
        let mut c = i * 4 + 1;
        let mut c3 = c + 2;
        if c >= n {
            break;
        }
        let mut w = w_of(t[c]);
        if c + 1 < n && w_of(t[c + 1]) < w {
            w = w_of(t[c + 1]);
            c += 1;
        }
        if c3 < n {
            let mut w3 = w_of(t[c3]);
            if c3 + 1 < n && w_of(t[c3 + 1]) < w3 {
                w3 = w_of(t[c3 + 1]);
                c3 += 1;
            }
            if w3 < w {
                w = w3;
                c = c3;
            }
        }
        if w >= when {
            break;
        }
        t[i] = t[c];
        i = c;
    }
    t[i] = tmp;
}

#[cfg(test)]
mod tests {
    use super::*;

    fn timer(when: i64) -> *mut Timer {
        let t = Box::leak(Box::new(Timer::new()));
        t.when = when;
        t
    }

    #[test]
    fn four_ary_heap_orders_by_when() {
        let mut v: Vec<*mut Timer> = Vec::new();
        let mut x: u64 = 12345;
        for i in 0..500 {
            x = x.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            v.push(timer((x >> 40) as i64 + 1));
            siftup_timer(&mut v, i);
        }
        let mut out = Vec::new();
        while !v.is_empty() {
            // SAFETY: the timers are leaked boxes.
            out.push(unsafe { (*v[0]).when });
            let last = v.pop().unwrap();
            if !v.is_empty() {
                v[0] = last;
                siftdown_timer(&mut v, 0);
            }
        }
        let mut sorted = out.clone();
        sorted.sort();
        assert_eq!(out, sorted);
    }

    #[test]
    fn nanotime_is_monotonic_and_walltime_is_recent() {
        let a = nanotime();
        let b = nanotime();
        assert!(b >= a);
        assert!(walltime().0 > 1_600_000_000);
    }
}

// Entry points for compiled Go code (C ABI, g in the g register; see runtime/README.md).

unsafe extern "C" fn time_sleep_from_go(ns: i64, gp: *mut G) {
    time_sleep(gp, ns)
}

crate::go_entry!(
    /// `time.Sleep(d)`: `runtime.timeSleep(ns int64)`.
    time_sleep_entry = "runtime.timeSleep"(ns: i64);
    g in "rsi" / "x1" => time_sleep_from_go
);

unsafe extern "C" fn nanotime_from_go(_gp: *mut G) -> i64 {
    nanotime()
}

crate::go_entry!(
    /// `runtime.nanotime() int64`: the monotonic clock.
    nanotime_entry = "runtime.nanotime"() -> i64;
    g in "rdi" / "x0" => nanotime_from_go
);

unsafe extern "C" fn walltime_from_go(_gp: *mut G) -> crate::arch::Pair {
    let (sec, nsec) = walltime();
    crate::arch::Pair(sec as usize, nsec as u32 as usize)
}

crate::go_entry!(
    /// `runtime.walltime() (sec int64, nsec int32)`: the wall clock, in two registers.
    walltime_entry = "runtime.walltime"() -> crate::arch::Pair;
    g in "rdi" / "x0" => walltime_from_go
);

unsafe extern "C" fn start_timer_from_go(t: *mut Timer, gp: *mut G) {
    addtimer(t, (*gp).m)
}

crate::go_entry!(
    /// `time.startTimer(t *runtimeTimer)`: `runtime.startTimer`.
    start_timer_entry = "runtime.startTimer"(t: *mut Timer);
    g in "rsi" / "x1" => start_timer_from_go
);

unsafe extern "C" fn stop_timer_from_go(t: *mut Timer, gp: *mut G) -> bool {
    deltimer(t, (*gp).m)
}

crate::go_entry!(
    /// `time.stopTimer(t *runtimeTimer) bool`: `runtime.stopTimer`.
    stop_timer_entry = "runtime.stopTimer"(t: *mut Timer) -> bool;
    g in "rsi" / "x1" => stop_timer_from_go
);

unsafe extern "C" fn reset_timer_from_go(t: *mut Timer, when: i64, gp: *mut G) -> bool {
    resettimer(t, when, (*gp).m)
}

crate::go_entry!(
    /// `time.resetTimer(t *runtimeTimer, when int64) bool`: `runtime.resetTimer`.
    reset_timer_entry = "runtime.resetTimer"(t: *mut Timer, when: i64) -> bool;
    g in "rdx" / "x2" => reset_timer_from_go
);

unsafe extern "C" fn mod_timer_from_go(
    t: *mut Timer,
    when: i64,
    period: i64,
    f: *const FuncVal,
    arg_type: usize,
    arg_data: usize,
    seq: usize,
    gp: *mut G,
) {
    modtimer(t, when, period, f, arg_type, arg_data, seq, (*gp).m);
}

/// `time.modTimer(t *runtimeTimer, when, period int64, f func(any, uintptr), arg any, seq
/// uintptr)`: `runtime.modTimer(t, when, period, f, arg.type, arg.data, seq)`. Seven
/// arguments: on amd64 `seq` arrives on the stack, so the stub builds a frame to append g
/// (no stack check: the Rust side is shallow).
///
/// # Safety
/// Must be called from compiled Go code, with g in the g register.
#[unsafe(naked)]
#[unsafe(export_name = "runtime.modTimer")]
pub unsafe extern "C" fn mod_timer_entry(
    t: *mut Timer,
    when: i64,
    period: i64,
    f: *const FuncVal,
    arg_type: usize,
    arg_data: usize,
    seq: usize,
) {
    #[cfg(target_arch = "x86_64")]
    core::arch::naked_asm!(
        "sub rsp, 24",
        "mov rax, [rsp + 32]",
        "mov [rsp], rax",
        "mov [rsp + 8], r15",
        "call {f}",
        "add rsp, 24",
        "ret",
        f = sym mod_timer_from_go,
    );
    #[cfg(target_arch = "aarch64")]
    core::arch::naked_asm!("mov x7, x21", "b {f}", f = sym mod_timer_from_go);
}
