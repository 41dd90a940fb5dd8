//! os/signal's queue (gc's sigqueue.go): the signal handler records each caught signal the
//! program asked for in a pending mask, and the goroutine of os/signal that waits in
//! signal_recv takes them from there.
//!
//! The handler side (`sigsend`) is lock-free: a bit set in the pending mask, then a bump of
//! a futex word and a wake-up, all async-signal-safe. The receiver sleeps on that futex word
//! in a system call (go/runtime/signal.go brackets the sleep with entersyscall/exitsyscall,
//! as gc's notetsleepg does), so that the scheduler gives its P to other goroutines.

use crate::sigtab_linux::NSIG;
use core::sync::atomic::{AtomicBool, AtomicU32, AtomicU64, Ordering::SeqCst};

/// A set of signals 0..127 as two atomic words.
struct SigSet([AtomicU64; 2]);

impl SigSet {
    const fn new() -> SigSet {
        SigSet([AtomicU64::new(0), AtomicU64::new(0)])
    }

    fn word(&self, sig: u32) -> (&AtomicU64, u64) {
        (&self.0[(sig / 64) as usize], 1u64 << (sig % 64))
    }

    fn has(&self, sig: u32) -> bool {
        let (w, bit) = self.word(sig);
        w.load(SeqCst) & bit != 0
    }

    /// Adds sig; whether it was already there.
    fn add(&self, sig: u32) -> bool {
        let (w, bit) = self.word(sig);
        w.fetch_or(bit, SeqCst) & bit != 0
    }

    fn remove(&self, sig: u32) {
        let (w, bit) = self.word(sig);
        w.fetch_and(!bit, SeqCst);
    }

    fn is_empty(&self) -> bool {
        self.0.iter().all(|w| w.load(SeqCst) == 0)
    }
}

/// Signals the program asked for (signal.Notify).
static WANTED: SigSet = SigSet::new();
/// Signals the program ignores (signal.Ignore).
static IGNORED: SigSet = SigSet::new();
/// Signals caught and not yet received.
static PENDING: SigSet = SigSet::new();
/// Set by the first signal_enable: before it, nothing is queued (gc's sig.inuse).
static IN_USE: AtomicBool = AtomicBool::new(false);
/// Handlers between their check of WANTED and their wake-up (gc's sig.delivering).
static DELIVERING: AtomicU32 = AtomicU32::new(0);
/// The futex word the receiver sleeps on: bumped by every delivery.
static SEQ: AtomicU32 = AtomicU32::new(0);
/// 1 while the receiver sleeps (or is about to).
static RECEIVING: AtomicU32 = AtomicU32::new(0);

/// Queues signal `sig` for os/signal if the program asked for it; whether it did (then the
/// signal is handled). Called by the signal handler.
pub fn sigsend(sig: u32) -> bool {
    if !IN_USE.load(SeqCst) || sig >= NSIG {
        return false;
    }
    DELIVERING.fetch_add(1, SeqCst);
    if !WANTED.has(sig) {
        DELIVERING.fetch_sub(1, SeqCst);
        return false;
    }
    if !PENDING.add(sig) {
        SEQ.fetch_add(1, SeqCst);
        crate::os_linux::futexwakeup(&SEQ, 1);
    }
    DELIVERING.fetch_sub(1, SeqCst);
    true
}

/// Whether the program ignores signal `sig` (gc's signal_ignored).
pub fn ignored(sig: u32) -> bool {
    sig < NSIG && IGNORED.has(sig)
}

/// `runtime.sigqueueSeq() uint32`: the delivery count, read before looking for pending
/// signals so that a delivery after the look ends the wait at once.
#[unsafe(export_name = "runtime.sigqueueSeq")]
pub extern "C" fn sigqueue_seq() -> u32 {
    SEQ.load(SeqCst)
}

/// `runtime.sigqueueTake() uint32`: removes and returns the lowest pending signal; 0 if none.
#[unsafe(export_name = "runtime.sigqueueTake")]
pub extern "C" fn sigqueue_take() -> u32 {
    for (i, w) in PENDING.0.iter().enumerate() {
        let mut cur = w.load(SeqCst);
        while cur != 0 {
            let bit = cur.trailing_zeros();
            match w.compare_exchange(cur, cur & !(1u64 << bit), SeqCst, SeqCst) {
                Ok(_) => return i as u32 * 64 + bit,
                Err(now) => cur = now,
            }
        }
    }
    0
}

/// `runtime.sigqueueWait(seq uint32)`: sleeps until a delivery after the count `seq` was
/// read (at once if there was one). A blocking system call: the caller is in entersyscall.
#[unsafe(export_name = "runtime.sigqueueWait")]
pub extern "C" fn sigqueue_wait(seq: u32) {
    RECEIVING.store(1, SeqCst);
    while SEQ.load(SeqCst) == seq {
        crate::os_linux::futexsleep(&SEQ, seq, -1);
    }
    RECEIVING.store(0, SeqCst);
}

/// `runtime.sigqueueIdle() bool`: whether no handler is delivering a signal, none is
/// pending and the receiver sleeps (gc's signalWaitUntilIdle waits for this).
#[unsafe(export_name = "runtime.sigqueueIdle")]
pub extern "C" fn sigqueue_idle() -> bool {
    DELIVERING.load(SeqCst) == 0 && PENDING.is_empty() && RECEIVING.load(SeqCst) == 1
}

/// `runtime.sigqueueWant(sig uint32, op uint32)`: records what the program asked for
/// signal `sig` (gc's bookkeeping in signal_enable, signal_disable and signal_ignore): op is
/// [`ENABLE`] (relay it; no longer ignored), [`DISABLE`] (stop relaying it; gc leaves an
/// ignored signal ignored) or [`IGNORE`]. The first call starts the queue.
#[unsafe(export_name = "runtime.sigqueueWant")]
pub extern "C" fn sigqueue_want(sig: u32, op: u32) {
    IN_USE.store(true, SeqCst);
    if sig >= NSIG {
        return;
    }
    match op {
        ENABLE => {
            WANTED.add(sig);
            IGNORED.remove(sig);
        }
        DISABLE => WANTED.remove(sig),
        _ => {
            WANTED.remove(sig);
            IGNORED.add(sig);
        }
    }
}

/// [`sigqueue_want`]'s operations (go/runtime/signal.go uses the same numbers).
pub const ENABLE: u32 = 0;
/// See [`ENABLE`].
pub const DISABLE: u32 = 1;
/// See [`ENABLE`].
pub const IGNORE: u32 = 2;

/// `runtime.sigqueueIgnored(sig uint32) bool`: gc's signal_ignored.
#[unsafe(export_name = "runtime.sigqueueIgnored")]
pub extern "C" fn sigqueue_ignored(sig: u32) -> bool {
    ignored(sig)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wanted_signals_are_queued_once_and_taken_lowest_first() {
        assert!(!sigsend(10), "nothing queued before the first enable");
        sigqueue_want(12, ENABLE);
        sigqueue_want(10, ENABLE);
        sigqueue_want(65, ENABLE);
        let seq = sigqueue_seq();
        assert!(sigsend(12) && sigsend(10) && sigsend(12));
        assert!(!sigsend(14), "not wanted");
        assert_eq!(sigqueue_seq(), seq + 2, "a signal already pending is not counted twice");
        sigqueue_wait(seq); // returns at once: deliveries since seq
        assert_eq!((sigqueue_take(), sigqueue_take(), sigqueue_take()), (10, 12, 0));
        sigqueue_want(10, IGNORE);
        assert!(!sigsend(10) && ignored(10) && !ignored(12));
        sigqueue_want(10, DISABLE);
        assert!(ignored(10), "gc's signal_disable leaves an ignored signal ignored");
        sigqueue_want(10, ENABLE);
        assert!(sigsend(10) && !ignored(10));
    }
}
