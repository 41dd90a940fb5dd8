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
use core::sync::atomic::{AtomicBool, AtomicU32, Ordering::Relaxed};

/// Words per finalizer record: the object's base address, the func value, and how the object
/// is passed: 0 as a pointer, else as an empty interface with this type word.
const ENTRY: usize = 3;

/// The registered finalizers, `ENTRY` words each.
static TABLE: Locked<WorkStack> = Locked::new(WorkStack::new());
/// Finalizers whose objects were found unreachable, not yet run, `ENTRY` words each.
static QUEUE: Locked<WorkStack> = Locked::new(WorkStack::new());
/// Finalizers queued by the last cycle that the finalizer goroutine was not told about yet.
static UNANNOUNCED: AtomicU32 = AtomicU32::new(0);
/// The finalizer goroutine's semaphore: one count per queued finalizer (gc's fing wakeups).
static FIN_SEMA: AtomicU32 = AtomicU32::new(0);
/// Whether the finalizer goroutine exists (gc's fingCreate).
static FING_CREATED: AtomicBool = AtomicBool::new(false);

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
    set_finalizer_typed(h, obj, fv, 0)
}

/// Registers or removes a finalizer; `argtyp` is 0 to pass the object as a pointer, else the
/// type word of the empty interface to pass it in.
fn set_finalizer_typed(
    h: &crate::mheap::MHeap,
    obj: usize,
    fv: usize,
    argtyp: usize,
) -> Result<(), SetFinalizerError> {
    let Some((base, _, _)) = h.find_object(obj) else {
        return Err(SetFinalizerError::NotHeap);
    };
    if base != obj {
        return Err(SetFinalizerError::NotAtStart);
    }
    let mut t = TABLE.lock();
    let words = t.as_mut_slice();
    let at = words.chunks(ENTRY).position(|e| e[0] == obj);
    match (at, fv) {
        (Some(i), 0) => {
            let n = words.len();
            words.copy_within(n - ENTRY..n, ENTRY * i);
            t.truncate(n - ENTRY);
            Ok(())
        }
        (Some(_), _) => Err(SetFinalizerError::AlreadySet),
        (None, 0) => Ok(()),
        (None, fv) => {
            t.push(obj);
            t.push(fv);
            t.push(argtyp);
            Ok(())
        }
    }
}

/// The mark phase's finalizer step (see the module comment): keeps func values and what
/// finalizable objects reach alive, then queues the finalizers of unreachable objects and
/// resurrects those objects. Runs with the world stopped, after the roots were drained.
pub fn mark_finalizers(m: &mut Marker) {
    let mut t = TABLE.lock();
    for e in t.as_mut_slice().chunks(ENTRY) {
        m.grey(e[1]);
        m.grey_referents(e[0]);
    }
    m.drain();
    let mut q = QUEUE.lock();
    let words = t.as_mut_slice();
    let mut keep = 0;
    let mut queued = 0;
    for i in (0..words.len()).step_by(ENTRY) {
        let e = [words[i], words[i + 1], words[i + 2]];
        if m.is_marked(e[0]) == Some(false) {
            for w in e {
                q.push(w);
            }
            m.grey(e[0]);
            queued += 1;
        } else {
            words[keep..keep + ENTRY].copy_from_slice(&e);
            keep += ENTRY;
        }
    }
    t.truncate(keep);
    // The queue is a root until the finalizers ran.
    for e in q.as_mut_slice().chunks(ENTRY) {
        m.grey(e[0]);
        m.grey(e[1]);
    }
    m.drain();
    UNANNOUNCED.fetch_add(queued, Relaxed);
}

/// Takes the oldest queued finalizer: (object, func value, argument type word or 0).
pub fn next_queued() -> Option<(usize, usize, usize)> {
    let mut q = QUEUE.lock();
    let words = q.as_mut_slice();
    if words.is_empty() {
        return None;
    }
    let e = (words[0], words[1], words[2]);
    let n = words.len();
    words.copy_within(ENTRY..n, 0);
    q.truncate(n - ENTRY);
    Some(e)
}

/// Number of registered finalizers (for tests and diagnostics).
pub fn registered() -> usize {
    TABLE.lock().as_mut_slice().len() / ENTRY
}

/// Lets the finalizer goroutine run the finalizers the last cycle queued (gc's wakefing).
///
/// # Safety
/// `gp` must be the calling goroutine.
pub unsafe fn wake_finalizer_goroutine(gp: *mut G) {
    if !FING_CREATED.load(Relaxed) {
        return;
    }
    for _ in 0..UNANNOUNCED.swap(0, Relaxed) {
        crate::sema::semrelease(gp, FIN_SEMA.as_ptr());
    }
}

/// Starts the finalizer goroutine once (gc's createfing).
unsafe fn create_fing(gp: *mut G) {
    if FING_CREATED.swap(true, Relaxed) {
        return;
    }
    // Rust code runs on it between finalizers: give it room.
    crate::proc::newproc_sized(gp, runfinq, core::ptr::null_mut(), 64 << 10);
}

/// The finalizer goroutine (gc's runfinq): runs queued finalizers one at a time, each as a
/// call of its func value with the object, on this goroutine's stack.
unsafe extern "C" fn runfinq(_arg: *mut u8, gp: *mut G) {
    // A system goroutine: its waiting does not keep a deadlocked program alive.
    (*gp).is_system = true;
    (*crate::runtime2::sched()).ngsys.fetch_add(1, Relaxed);
    loop {
        crate::sema::semacquire(gp, FIN_SEMA.as_ptr());
        while let Some((obj, fv, argtyp)) = next_queued() {
            let code = *(fv as *const usize);
            if argtyp == 0 {
                goclift_callfin(code, obj, fv, 0, gp as usize);
            } else {
                goclift_callfin(code, argtyp, obj, fv, gp as usize);
            }
        }
    }
}

unsafe extern "C" {
    /// Calls compiled Go code `code(a, b, c)` with g in the g register (a finalizer takes its
    /// argument's words and then the closure context; extra words are ignored).
    fn goclift_callfin(code: usize, a: usize, b: usize, c: usize, g: usize);
}

#[cfg(target_arch = "x86_64")]
core::arch::global_asm!(
    ".globl goclift_callfin",
    ".type goclift_callfin, @function",
    ".p2align 4",
    "goclift_callfin:",
    "push rbp",
    "mov rbp, rsp",
    "push r15",
    "push rbx",
    "mov r15, r8",
    "mov rax, rdi",
    "mov rdi, rsi",
    "mov rsi, rdx",
    "mov rdx, rcx",
    "call rax",
    "pop rbx",
    "pop r15",
    "pop rbp",
    "ret",
    ".size goclift_callfin, . - goclift_callfin",
);

#[cfg(target_arch = "aarch64")]
core::arch::global_asm!(
    ".globl goclift_callfin",
    ".type goclift_callfin, %function",
    ".p2align 2",
    "goclift_callfin:",
    "stp x29, x30, [sp, #-32]!",
    "mov x29, sp",
    "str x21, [sp, #16]",
    "mov x21, x4",
    "mov x9, x0",
    "mov x0, x1",
    "mov x1, x2",
    "mov x2, x3",
    "blr x9",
    "ldr x21, [sp, #16]",
    "ldp x29, x30, [sp], #32",
    "ret",
    ".size goclift_callfin, . - goclift_callfin",
);

/// Throws gc's SetFinalizer error: "runtime.SetFinalizer: " followed by `parts`.
fn setfinalizer_throw(parts: &[&[u8]]) -> ! {
    let mut b: crate::print::FixedBuf<512> = crate::print::FixedBuf::new();
    b.push(b"runtime.SetFinalizer: ");
    for p in parts {
        b.push(p);
    }
    // SAFETY: type strings and the literals are UTF-8.
    crate::panic::throw(unsafe { core::str::from_utf8_unchecked(b.as_bytes()) })
}

/// `runtime.SetFinalizer(obj any, finalizer any)` with gc's checks: obj must be a pointer to
/// the start of a heap object (pointers to the zero base and to globals are accepted and
/// ignored), finalizer nil (remove) or a func of one argument that obj's type can be passed
/// as: the same type, or an empty interface.
unsafe extern "C" fn setfinalizer_from_go(
    etyp: *const crate::r#type::Type,
    data: usize,
    ftyp: *const crate::r#type::Type,
    fv: usize,
    gp: *mut G,
) {
    use crate::r#type::{FuncType, KIND_FUNC, KIND_INTERFACE, KIND_PTR};
    if etyp.is_null() {
        setfinalizer_throw(&[b"first argument is nil"]);
    }
    if (*etyp).kind() != KIND_PTR {
        setfinalizer_throw(&[b"first argument is ", (*etyp).string(), b", not pointer"]);
    }
    let h = &crate::mheap::MHEAP;
    if h.find_object(data).is_none() {
        let (lo, hi) = crate::mgcmark::data_and_bss();
        if data == &raw const crate::malloc::ZEROBASE as usize || (lo..hi).contains(&data) {
            return;
        }
        setfinalizer_throw(&[b"pointer not in allocated block"]);
    }
    let argtyp = if ftyp.is_null() {
        0
    } else {
        if (*ftyp).kind() != KIND_FUNC {
            setfinalizer_throw(&[b"second argument is ", (*ftyp).string(), b", not a function"]);
        }
        let ft = &*(ftyp as *const FuncType);
        let cannot: [&[u8]; 4] = [b"cannot pass ", (*etyp).string(), b" to finalizer ", (*ftyp).string()];
        if ft.is_variadic() {
            setfinalizer_throw(&[cannot[0], cannot[1], cannot[2], cannot[3], b" because dotdotdot"]);
        }
        if ft.ins().len() != 1 {
            setfinalizer_throw(&cannot);
        }
        let fint = ft.ins()[0];
        if fint == etyp {
            0
        } else if (*fint).kind() == KIND_INTERFACE && (*fint).size == 16 && is_empty_interface(fint) {
            etyp as usize
        } else {
            setfinalizer_throw(&cannot);
        }
    };
    let fvw = if ftyp.is_null() { 0 } else { fv };
    match set_finalizer_typed(h, data, fvw, argtyp) {
        Ok(()) => {}
        Err(SetFinalizerError::AlreadySet) => setfinalizer_throw(&[b"finalizer already set"]),
        Err(SetFinalizerError::NotAtStart) => {
            setfinalizer_throw(&[b"pointer not at beginning of allocated block"])
        }
        Err(SetFinalizerError::NotHeap) => setfinalizer_throw(&[b"pointer not in allocated block"]),
    }
    if fvw != 0 {
        create_fing(gp);
    }
}

/// Whether interface type `t` has no methods.
unsafe fn is_empty_interface(t: *const crate::r#type::Type) -> bool {
    let it = &*(t as *const crate::r#type::InterfaceType);
    it.mhdr.len == 0
}

crate::go_entry!(
    /// `runtime.SetFinalizer(obj any, finalizer any)`: both interfaces as (type, data) words.
    setfinalizer_entry = "runtime.SetFinalizer"(etyp: usize, data: usize, ftyp: usize, fv: usize);
    g in "r8" / "x4" => setfinalizer_from_go
);

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

    fn drain_queue() -> Vec<(usize, usize, usize)> {
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
        assert_eq!(drain_queue(), vec![(a as usize, fv, 0)]);
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
        assert_eq!(drain_queue(), vec![(x as usize, fv, 0)]);
        cycle(h, c, &[]);
        assert_eq!(drain_queue(), vec![(y as usize, fv, 0)]);
        cycle(h, c, &[]);
        assert!(!allocated(h, x as usize) && !allocated(h, y as usize));
    }

    static CALLED: std::sync::Mutex<Vec<usize>> = std::sync::Mutex::new(Vec::new());

    extern "C" fn fake_finalizer(a: usize, b: usize, c: usize) {
        CALLED.lock().unwrap().extend([a, b, c]);
    }

    #[test]
    fn callfin_passes_the_argument_words_and_the_context() {
        let code = fake_finalizer as *const () as usize;
        // SAFETY: calls a C-ABI function of three words; g is unused by it.
        unsafe { goclift_callfin(code, 11, 22, 33, 0) };
        assert_eq!(*CALLED.lock().unwrap(), vec![11, 22, 33]);
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
