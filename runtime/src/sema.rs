//! Goroutine semaphores (Go's sema.go): the sleep/wake-up behind sync.Mutex, sync.WaitGroup
//! and the runtime's own worldsema.
//!
//! gc hashes the semaphore address to one of 251 roots, each a treap of addresses with a wait
//! list per address. goclift keeps the 251 roots but a single FIFO list of waiters per root
//! (address-tagged): the same semantics (FIFO per address, optional LIFO for a starving
//! sync.Mutex, handoff), with a linear scan of the waiters of colliding addresses in place of
//! the treap.

use crate::lock_futex::Mutex;
use crate::panic::throw;
use crate::proc::{acquire_sudog, goparkunlock, goready, goyield, lock, release_sudog, unlock};
use crate::runtime2::{Sudog, WaitReason, G};
use core::ptr::null_mut;
use core::sync::atomic::Ordering::SeqCst;
use core::sync::atomic::AtomicU32;

/// Number of roots (gc's semTabSize).
const SEM_TAB_SIZE: usize = 251;

/// Waiters of the semaphores hashing to one root (gc's semaRoot).
struct SemaRoot {
    lock: Mutex,
    /// Oldest waiter, linked through `next`.
    head: *mut Sudog,
    /// Newest waiter.
    tail: *mut Sudog,
    /// Number of waiters (gc's nwait), read without the lock.
    nwait: AtomicU32,
}

/// The roots, padded to cache lines as in gc.
#[repr(C, align(64))]
struct PaddedRoot(core::cell::UnsafeCell<SemaRoot>);

// SAFETY: each root is only touched under its lock (nwait is atomic).
unsafe impl Sync for PaddedRoot {}

static SEMTABLE: [PaddedRoot; SEM_TAB_SIZE] = [const {
    PaddedRoot(core::cell::UnsafeCell::new(SemaRoot {
        lock: Mutex::new(),
        head: null_mut(),
        tail: null_mut(),
        nwait: AtomicU32::new(0),
    }))
}; SEM_TAB_SIZE];

fn semroot(addr: *mut u32) -> *mut SemaRoot {
    SEMTABLE[(addr as usize >> 3) % SEM_TAB_SIZE].0.get()
}

/// Decrements *addr if positive (gc's cansemacquire).
unsafe fn cansemacquire(addr: *mut u32) -> bool {
    let a = &*(addr as *const AtomicU32);
    loop {
        let v = a.load(SeqCst);
        if v == 0 {
            return false;
        }
        if a.compare_exchange(v, v - 1, SeqCst, SeqCst).is_ok() {
            return true;
        }
    }
}

impl SemaRoot {
    /// Adds `s` waiting on `addr`: at the back, or at the front with `lifo` (gc's queue).
    unsafe fn queue(&mut self, addr: *mut u32, s: *mut Sudog, lifo: bool) {
        (*s).sema_addr = addr;
        (*s).ticket = 0;
        (*s).next = null_mut();
        if self.head.is_null() {
            self.head = s;
            self.tail = s;
        } else if lifo {
            (*s).next = self.head;
            self.head = s;
        } else {
            (*self.tail).next = s;
            self.tail = s;
        }
    }

    /// Removes the first waiter on `addr` (gc's dequeue).
    unsafe fn dequeue(&mut self, addr: *mut u32) -> *mut Sudog {
        let mut prev: *mut Sudog = null_mut();
        let mut s = self.head;
        while !s.is_null() {
            if (*s).sema_addr == addr {
                let next = (*s).next;
                if prev.is_null() {
                    self.head = next;
                } else {
                    (*prev).next = next;
                }
                if self.tail == s {
                    self.tail = prev;
                }
                (*s).next = null_mut();
                return s;
            }
            prev = s;
            s = (*s).next;
        }
        null_mut()
    }
}

/// Waits until *addr > 0 and decrements it (gc's semacquire).
///
/// # Safety
/// `gp` must be the calling goroutine; `addr` a live u32.
pub unsafe fn semacquire(gp: *mut G, addr: *mut u32) {
    semacquire1(gp, addr, false, WaitReason::Semacquire)
}

/// gc's semacquire1: with `lifo` the waiter goes to the front of the queue (a starving
/// sync.Mutex waiter that waited before).
pub unsafe fn semacquire1(gp: *mut G, addr: *mut u32, lifo: bool, reason: WaitReason) {
    // Easy case.
    if cansemacquire(addr) {
        return;
    }
    // Harder case: increment waiter count, try cansemacquire one more time, return if it
    // succeeded, else enqueue and sleep.
    let s = acquire_sudog(gp);
    (*s).g = gp;
    let root = semroot(addr);
    loop {
        lock(&(*root).lock);
        (*root).nwait.fetch_add(1, SeqCst);
        // Check cansemacquire to avoid a missed wakeup.
        if cansemacquire(addr) {
            (*root).nwait.fetch_sub(1, SeqCst);
            unlock(&(*root).lock);
            break;
        }
        // Any semrelease after the cansemacquire knows we're waiting (we set nwait above),
        // so go to sleep.
        (*root).queue(addr, s, lifo);
        goparkunlock(gp, &(*root).lock, reason);
        if (*s).ticket != 0 || cansemacquire(addr) {
            break;
        }
    }
    (*s).g = null_mut();
    (*s).sema_addr = null_mut();
    release_sudog(gp, s);
}

/// Increments *addr and wakes a waiter (gc's semrelease).
pub unsafe fn semrelease(gp: *mut G, addr: *mut u32) {
    semrelease1(gp, addr, false)
}

/// gc's semrelease1: with `handoff` the count goes straight to the woken waiter, which then
/// runs at once on this P (sync.Mutex starvation mode).
pub unsafe fn semrelease1(gp: *mut G, addr: *mut u32, handoff: bool) {
    let root = semroot(addr);
    (*(addr as *const AtomicU32)).fetch_add(1, SeqCst);
    // Easy case: no waiters? This check must happen after the add, to avoid a missed
    // wakeup (see loop in semacquire).
    if (*root).nwait.load(SeqCst) == 0 {
        return;
    }
    lock(&(*root).lock);
    if (*root).nwait.load(SeqCst) == 0 {
        // The count is already consumed by another goroutine.
        unlock(&(*root).lock);
        return;
    }
    let s = (*root).dequeue(addr);
    if !s.is_null() {
        (*root).nwait.fetch_sub(1, SeqCst);
    }
    unlock(&(*root).lock);
    if !s.is_null() {
        if (*s).ticket != 0 {
            throw("corrupted semaphore ticket");
        }
        if handoff && cansemacquire(addr) {
            (*s).ticket = 1;
        }
        goready((*gp).m, (*s).g);
        if (*s).ticket == 1 && (*(*gp).m).locks == 0 {
            // Direct G handoff: the waiter runs next on this P (gc's goyield).
            goyield(gp);
        }
    }
}

/// Counts waiters for tests.
#[cfg(test)]
pub fn waiters(addr: *mut u32) -> u32 {
    // SAFETY: an atomic read of the root's counter.
    unsafe { (*semroot(addr)).nwait.load(SeqCst) }
}

// Entry points for compiled Go code (C ABI, g in the g register; see runtime/README.md).

unsafe extern "C" fn semacquire_from_go(addr: *mut u32, lifo: usize, gp: *mut G) {
    semacquire1(gp, addr, lifo & 0xff != 0, WaitReason::Semacquire)
}

crate::go_entry!(
    /// `runtime.semacquire1(addr *uint32, lifo bool)`: sync's runtime_Semacquire (lifo
    /// false) and runtime_SemacquireMutex.
    semacquire_entry = "runtime.semacquire1"(addr: *mut u32, lifo: usize);
    g in "rdx" / "x2" => semacquire_from_go
);

unsafe extern "C" fn semrelease_from_go(addr: *mut u32, handoff: usize, gp: *mut G) {
    semrelease1(gp, addr, handoff & 0xff != 0)
}

crate::go_entry!(
    /// `runtime.semrelease1(addr *uint32, handoff bool)`: sync's runtime_Semrelease.
    semrelease_entry = "runtime.semrelease1"(addr: *mut u32, handoff: usize);
    g in "rdx" / "x2" => semrelease_from_go
);
