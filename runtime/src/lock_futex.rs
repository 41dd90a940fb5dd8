//! The runtime's mutex on a futex word (Go's lock_futex.go).
//!
//! Three states, as in gc: unlocked, locked, and locked with possible sleepers; only an unlock
//! that finds sleepers pays for a futex wake-up.

use crate::os_linux::{futexsleep, futexwakeup, osyield};
use core::sync::atomic::{AtomicU32, Ordering};

const MUTEX_UNLOCKED: u32 = 0;
const MUTEX_LOCKED: u32 = 1;
const MUTEX_SLEEPING: u32 = 2;

/// Rounds of busy spinning before yielding (gc's active_spin).
const ACTIVE_SPIN: u32 = 4;
/// Pause instructions per spin round (gc's active_spin_cnt).
const ACTIVE_SPIN_CNT: u32 = 30;
/// Yields to the OS scheduler before sleeping (gc's passive_spin).
const PASSIVE_SPIN: u32 = 1;

/// A non-recursive runtime mutex (gc's `mutex`), usable from any thread.
pub struct Mutex {
    key: AtomicU32,
}

impl Mutex {
    /// An unlocked mutex; usable in statics.
    pub const fn new() -> Mutex {
        Mutex {
            key: AtomicU32::new(MUTEX_UNLOCKED),
        }
    }

    /// Acquires the mutex, spinning briefly and then sleeping on the futex (gc's lock2).
    pub fn lock(&self) {
        let v = self.key.swap(MUTEX_LOCKED, Ordering::Acquire);
        if v == MUTEX_UNLOCKED {
            return;
        }
        // `wait` is what we store when we take the lock: once anyone may be sleeping, the
        // state must stay MUTEX_SLEEPING so that our unlock wakes them.
        let mut wait = v;
        loop {
            for _ in 0..ACTIVE_SPIN {
                if self.try_take(wait) {
                    return;
                }
                for _ in 0..ACTIVE_SPIN_CNT {
                    core::hint::spin_loop();
                }
            }
            for _ in 0..PASSIVE_SPIN {
                if self.try_take(wait) {
                    return;
                }
                osyield();
            }
            if self.key.swap(MUTEX_SLEEPING, Ordering::Acquire) == MUTEX_UNLOCKED {
                return;
            }
            wait = MUTEX_SLEEPING;
            futexsleep(&self.key, MUTEX_SLEEPING, -1);
        }
    }

    /// Takes the mutex if it is free at the moment, storing `wait` as the locked state.
    fn try_take(&self, wait: u32) -> bool {
        while self.key.load(Ordering::Relaxed) == MUTEX_UNLOCKED {
            if self
                .key
                .compare_exchange(MUTEX_UNLOCKED, wait, Ordering::Acquire, Ordering::Relaxed)
                .is_ok()
            {
                return true;
            }
        }
        false
    }

    /// Releases the mutex and wakes one sleeper if there may be one (gc's unlock2).
    pub fn unlock(&self) {
        let v = self.key.swap(MUTEX_UNLOCKED, Ordering::Release);
        if v == MUTEX_UNLOCKED {
            crate::panic::throw("unlock of unlocked lock");
        }
        if v == MUTEX_SLEEPING {
            futexwakeup(&self.key, 1);
        }
    }
}

impl Default for Mutex {
    fn default() -> Mutex {
        Mutex::new()
    }
}

/// Data guarded by a runtime `Mutex`: the Rust shape of gc's "lock; touch fields; unlock"
/// pattern, so that the fields cannot be reached without holding the lock.
pub struct Locked<T> {
    mutex: Mutex,
    value: core::cell::UnsafeCell<T>,
}

// SAFETY: the value is only reachable through a guard, which exists only while the mutex is
// held, so at most one thread touches it at a time.
unsafe impl<T: Send> Sync for Locked<T> {}
// SAFETY: as above; moving the container moves the value with it.
unsafe impl<T: Send> Send for Locked<T> {}

impl<T> Locked<T> {
    /// Wraps `value` behind an unlocked mutex; usable in statics.
    pub const fn new(value: T) -> Locked<T> {
        Locked {
            mutex: Mutex::new(),
            value: core::cell::UnsafeCell::new(value),
        }
    }

    /// Takes the lock; it is released when the guard is dropped.
    pub fn lock(&self) -> LockGuard<'_, T> {
        self.mutex.lock();
        LockGuard { locked: self }
    }

    /// The value, without locking: for callers that own the container exclusively.
    pub fn get_mut(&mut self) -> &mut T {
        self.value.get_mut()
    }
}

/// Proof that a `Locked` is held; gives access to its value.
pub struct LockGuard<'a, T> {
    locked: &'a Locked<T>,
}

impl<T> core::ops::Deref for LockGuard<'_, T> {
    type Target = T;
    fn deref(&self) -> &T {
        // SAFETY: the guard exists only while the mutex is held.
        unsafe { &*self.locked.value.get() }
    }
}

impl<T> core::ops::DerefMut for LockGuard<'_, T> {
    fn deref_mut(&mut self) -> &mut T {
        // SAFETY: the guard exists only while the mutex is held, and it is borrowed mutably.
        unsafe { &mut *self.locked.value.get() }
    }
}

impl<T> Drop for LockGuard<'_, T> {
    fn drop(&mut self) {
        self.locked.mutex.unlock();
    }
}

/// A one-shot sleep/wake-up event between threads (gc's note): `notesleep` blocks until
/// `notewakeup`; `noteclear` re-arms it. At most one thread sleeps and one wakes per use.
#[repr(C)]
pub struct Note {
    key: AtomicU32,
}

impl Note {
    /// A cleared note; usable in statics.
    pub const fn new() -> Note {
        Note {
            key: AtomicU32::new(0),
        }
    }

    /// Re-arms the note (gc's noteclear); no one may be sleeping on it.
    pub fn clear(&self) {
        self.key.store(0, Ordering::Relaxed);
    }

    /// Wakes the sleeper, if any; a later `sleep` returns at once (gc's notewakeup).
    pub fn wakeup(&self) {
        let old = self.key.swap(1, Ordering::Release);
        if old != 0 {
            crate::panic::throw("notewakeup - double wakeup");
        }
        futexwakeup(&self.key, 1);
    }

    /// Blocks the thread until the note is woken (gc's notesleep).
    pub fn sleep(&self) {
        while self.key.load(Ordering::Acquire) == 0 {
            futexsleep(&self.key, 0, -1);
        }
    }

    /// Blocks for at most `ns` nanoseconds (`ns < 0`: forever); whether the note was woken
    /// (gc's notetsleep).
    pub fn tsleep(&self, ns: i64) -> bool {
        if ns < 0 {
            self.sleep();
            return true;
        }
        if self.key.load(Ordering::Acquire) != 0 {
            return true;
        }
        let deadline = crate::time::nanotime() + ns;
        loop {
            let left = deadline - crate::time::nanotime();
            if left <= 0 {
                break;
            }
            futexsleep(&self.key, 0, left);
            if self.key.load(Ordering::Acquire) != 0 {
                return true;
            }
        }
        self.key.load(Ordering::Acquire) != 0
    }

    /// Whether the note has been woken.
    pub fn is_set(&self) -> bool {
        self.key.load(Ordering::Acquire) != 0
    }
}

impl Default for Note {
    fn default() -> Note {
        Note::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    /// A counter whose increments are not atomic, so lost updates show a broken mutex.
    struct Shared {
        lock: Mutex,
        count: core::cell::UnsafeCell<u64>,
    }
    // SAFETY: `count` is only touched under `lock`.
    unsafe impl Sync for Shared {}

    #[test]
    fn mutex_serialises_contending_threads() {
        const THREADS: u64 = 4;
        const ROUNDS: u64 = 20_000;
        let shared = Arc::new(Shared {
            lock: Mutex::new(),
            count: 0.into(),
        });
        let workers: Vec<_> = (0..THREADS)
            .map(|_| {
                let s = Arc::clone(&shared);
                std::thread::spawn(move || {
                    for _ in 0..ROUNDS {
                        s.lock.lock();
                        // SAFETY: under the lock; the volatile read-modify-write widens the race
                        // window that a broken lock would expose.
                        unsafe {
                            let v = core::ptr::read_volatile(s.count.get());
                            core::ptr::write_volatile(s.count.get(), v + 1);
                        }
                        s.lock.unlock();
                    }
                })
            })
            .collect();
        for w in workers {
            w.join().unwrap();
        }
        // SAFETY: all workers have finished.
        assert_eq!(unsafe { *shared.count.get() }, THREADS * ROUNDS);
        assert_eq!(shared.lock.key.load(Ordering::SeqCst), MUTEX_UNLOCKED);
    }

    #[test]
    fn a_sleeping_waiter_is_woken_by_unlock() {
        let shared = Arc::new(Shared {
            lock: Mutex::new(),
            count: 0.into(),
        });
        shared.lock.lock();
        let s = Arc::clone(&shared);
        let waiter = std::thread::spawn(move || {
            s.lock.lock();
            s.lock.unlock();
        });
        // Give the waiter time to exhaust its spinning and sleep on the futex.
        while shared.lock.key.load(Ordering::SeqCst) != MUTEX_SLEEPING {
            std::thread::yield_now();
        }
        shared.lock.unlock();
        waiter.join().unwrap();
        assert_eq!(shared.lock.key.load(Ordering::SeqCst), MUTEX_UNLOCKED);
    }

    #[test]
    fn locked_counter_survives_contention() {
        static COUNTER: Locked<u64> = Locked::new(0);
        let workers: Vec<_> = (0..4)
            .map(|_| {
                std::thread::spawn(|| {
                    for _ in 0..10_000 {
                        let mut g = COUNTER.lock();
                        let v = core::hint::black_box(*g);
                        *g = v + 1;
                    }
                })
            })
            .collect();
        for w in workers {
            w.join().unwrap();
        }
        assert_eq!(*COUNTER.lock(), 40_000);
    }

    #[test]
    #[should_panic(expected = "unlock of unlocked lock")]
    fn unlocking_an_unlocked_mutex_throws() {
        Mutex::new().unlock();
    }

    #[test]
    fn note_wakes_a_sleeping_thread_once() {
        let note = Arc::new(Note::new());
        let n = Arc::clone(&note);
        let sleeper = std::thread::spawn(move || n.sleep());
        std::thread::sleep(std::time::Duration::from_millis(10));
        note.wakeup();
        sleeper.join().unwrap();
        assert!(note.is_set());
        assert!(note.tsleep(1_000_000_000), "a woken note returns at once");
        note.clear();
        let start = std::time::Instant::now();
        assert!(!note.tsleep(5_000_000), "timeout");
        assert!(start.elapsed() >= std::time::Duration::from_millis(5));
    }

    #[test]
    #[should_panic(expected = "notewakeup - double wakeup")]
    fn double_wakeup_throws() {
        let note = Note::new();
        note.wakeup();
        note.wakeup();
    }
}
