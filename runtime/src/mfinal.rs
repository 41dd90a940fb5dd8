//! Finalizers (Go's mfinal.go): runtime.SetFinalizer's table and the queue of finalizers
//! whose objects became unreachable.
//!
//! gc keeps finalizers as "specials" on spans; goclift keeps one table of (object, func
//! value) pairs in memory outside the heap, under a lock. Each cycle (mgc.rs), after the
//! roots are marked, every func value is marked and everything an object with a finalizer
//! reaches is marked, but not the object itself (gc's markrootSpans), so that a chain of
//! finalizable objects is finalized one link per cycle, as in gc. Objects still unmarked
//! then are resurrected (marked) and their finalizers move to the queue, which the finalizer
//! goroutine drains; the object is freed by a later cycle once the finalizer has run and
//! nothing else refers to it.

use crate::lock_futex::Locked;
use crate::mgcmark::{Marker, WorkStack};
use crate::runtime2::G;

/// The registered finalizers: pairs of words (object base address, func value).
static TABLE: Locked<WorkStack> = Locked::new(WorkStack::new());
/// Finalizers whose objects were found unreachable, not yet run: (object, func value) pairs.
static QUEUE: Locked<WorkStack> = Locked::new(WorkStack::new());

/// Why SetFinalizer refused an object.
#[derive(Debug, PartialEq, Eq)]
pub enum SetFinalizerError {
    /// The pointer is not into the heap (gc lets globals and the zero base through).
    NotHeap,
    /// The pointer is not at the start of its object.
    NotAtStart,
    /// The object already has a finalizer.
    AlreadySet,
}

/// Registers `fv` (a func value, non-null) to run with the object at `obj` once it becomes
/// unreachable, or, with a null `fv`, removes the object's finalizer (gc's SetFinalizer after
/// its type checks, which belong to the caller).
pub fn set_finalizer(obj: usize, fv: usize) -> Result<(), SetFinalizerError> {
    let Some((base, _, _)) = crate::mheap::MHEAP.find_object(obj) else {
        return Err(SetFinalizerError::NotHeap);
    };
    if base != obj {
        return Err(SetFinalizerError::NotAtStart);
    }
    let mut t = TABLE.lock();
    let words = t.as_mut_slice();
    let at = words.chunks(2).position(|e| e[0] == obj);
    match (at, fv) {
        (Some(i), 0) => {
            let n = words.len();
            words.copy_within(n - 2..n, 2 * i);
            t.truncate(n - 2);
            Ok(())
        }
        (Some(_), _) => Err(SetFinalizerError::AlreadySet),
        (None, 0) => Ok(()),
        (None, fv) => {
            t.push(obj);
            t.push(fv);
            Ok(())
        }
    }
}

/// The mark phase's finalizer step (see the module comment): keeps func values and what
/// finalizable objects reach alive, then queues the finalizers of unreachable objects and
/// resurrects those objects. Runs with the world stopped, after the roots were drained.
pub fn mark_finalizers(m: &mut Marker) {
    let mut t = TABLE.lock();
    for e in t.as_mut_slice().chunks(2) {
        m.grey(e[1]);
        m.grey_referents(e[0]);
    }
    m.drain();
    let mut q = QUEUE.lock();
    let words = t.as_mut_slice();
    let mut keep = 0;
    for i in (0..words.len()).step_by(2) {
        let (obj, fv) = (words[i], words[i + 1]);
        if m.is_marked(obj) == Some(false) {
            q.push(obj);
            q.push(fv);
            m.grey(obj);
        } else {
            words[keep] = obj;
            words[keep + 1] = fv;
            keep += 2;
        }
    }
    t.truncate(keep);
    // The queue is a root until the finalizers ran.
    for e in q.as_mut_slice().chunks(2) {
        m.grey(e[0]);
        m.grey(e[1]);
    }
    m.drain();
}

/// Takes the next queued finalizer: (object, func value).
pub fn next_queued() -> Option<(usize, usize)> {
    let mut q = QUEUE.lock();
    let fv = q.pop()?;
    let obj = q.pop()?;
    Some((obj, fv))
}

/// Number of registered finalizers (for tests and diagnostics).
pub fn registered() -> usize {
    TABLE.lock().as_mut_slice().len() / 2
}

/// Lets the finalizer goroutine run queued finalizers (gc's wakefing).
///
/// # Safety
/// `gp` must be the calling goroutine.
pub unsafe fn wake_finalizer_goroutine(gp: *mut G) {
    let _ = gp;
}
