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
    set_finalizer_in(&crate::mheap::MHEAP, obj, fv)
}

/// `set_finalizer` for an object of heap `h`.
pub fn set_finalizer_in(
    h: &crate::mheap::MHeap,
    obj: usize,
    fv: usize,
) -> Result<(), SetFinalizerError> {
    let Some((base, _, _)) = h.find_object(obj) else {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::malloc::mallocgc_cache_typed;
    use crate::mcache::MCache;
    use crate::mheap::MHeap;
    use std::sync::Mutex;

    /// The table and queue are global: one finalizer test at a time.
    static SERIAL: Mutex<()> = Mutex::new(());

    fn heap_and_cache() -> (&'static MHeap, &'static mut MCache) {
        let h: &'static MHeap = Box::leak(Box::new(MHeap::new()));
        h.init();
        // SAFETY: a fresh mcache used by this test only.
        (h, unsafe { &mut *h.alloc_mcache() })
    }

    /// A two-word object scanned conservatively (both words may be pointers).
    fn obj(c: &mut MCache) -> *mut usize {
        // SAFETY: the test owns the cache.
        unsafe { mallocgc_cache_typed(c, 16, core::ptr::null(), false, true) as *mut usize }
    }

    /// One stopped-world cycle over `h` with `roots`, as mgc.rs runs it.
    fn cycle(h: &'static MHeap, c: &mut MCache, roots: &[usize]) {
        c.release_all();
        let mut m = Marker::new(h);
        let r = roots.as_ptr() as usize;
        // SAFETY: readable.
        unsafe { m.scan_conservative(r, r + roots.len() * 8) };
        m.drain();
        mark_finalizers(&mut m);
        h.start_sweep_cycle();
        h.next_mark_bit_arena_epoch();
        h.sweep_all();
    }

    fn allocated(h: &MHeap, p: usize) -> bool {
        let s = h.span_of_heap(p);
        // SAFETY: in-use span containing p.
        !s.is_null() && unsafe { !(*s).is_free((*s).obj_index(p)) }
    }

    fn drain_queue() -> Vec<(usize, usize)> {
        core::iter::from_fn(next_queued).collect()
    }

    #[test]
    fn unreachable_objects_are_queued_once_and_resurrected_until_finalized() {
        let _s = SERIAL.lock().unwrap();
        drain_queue();
        let (h, c) = heap_and_cache();
        let a = obj(c);
        let b = obj(c);
        let child = obj(c);
        let fv = obj(c) as usize; // stands for the func value
        unsafe { *a = child as usize };
        set_finalizer_in(h, a as usize, fv).unwrap();
        set_finalizer_in(h, b as usize, fv).unwrap();
        assert_eq!(registered(), 2);
        // b stays reachable; a does not.
        cycle(h, c, &[b as usize]);
        assert_eq!(drain_queue(), vec![(a as usize, fv)]);
        assert_eq!(registered(), 1);
        // a was resurrected for its finalizer, with what it points to.
        assert!(allocated(h, a as usize) && allocated(h, child as usize));
        // Finalizer ran (dequeued); the next cycle frees a and child, b's stays registered.
        cycle(h, c, &[b as usize]);
        assert!(!allocated(h, a as usize) && !allocated(h, child as usize));
        assert!(allocated(h, b as usize) && allocated(h, fv));
        assert!(drain_queue().is_empty());
        // Removing b's finalizer, then dropping b: freed with no finalizer run.
        set_finalizer_in(h, b as usize, 0).unwrap();
        cycle(h, c, &[]);
        assert!(drain_queue().is_empty());
        assert!(!allocated(h, b as usize));
        assert_eq!(registered(), 0);
    }

    #[test]
    fn a_chain_of_finalizable_objects_is_finalized_one_link_per_cycle() {
        let _s = SERIAL.lock().unwrap();
        drain_queue();
        let (h, c) = heap_and_cache();
        let x = obj(c);
        let y = obj(c);
        let fv = obj(c) as usize;
        unsafe { *x = y as usize };
        set_finalizer_in(h, x as usize, fv).unwrap();
        set_finalizer_in(h, y as usize, fv).unwrap();
        cycle(h, c, &[]);
        // y is reachable from x's finalizer argument: only x's finalizer may run now.
        assert_eq!(drain_queue(), vec![(x as usize, fv)]);
        cycle(h, c, &[]);
        assert_eq!(drain_queue(), vec![(y as usize, fv)]);
        cycle(h, c, &[]);
        assert!(!allocated(h, x as usize) && !allocated(h, y as usize));
    }

    #[test]
    fn set_finalizer_checks_its_object() {
        let _s = SERIAL.lock().unwrap();
        let (h, c) = heap_and_cache();
        let a = obj(c) as usize;
        let local = 0usize;
        assert_eq!(set_finalizer_in(h, &local as *const usize as usize, 1), Err(SetFinalizerError::NotHeap));
        assert_eq!(set_finalizer_in(h, a + 8, 1), Err(SetFinalizerError::NotAtStart));
        set_finalizer_in(h, a, 1).unwrap();
        assert_eq!(set_finalizer_in(h, a, 2), Err(SetFinalizerError::AlreadySet));
        set_finalizer_in(h, a, 0).unwrap();
    }
}
