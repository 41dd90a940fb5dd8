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
use crate::r#type::FuncType;
use crate::runtime2::G;
use core::sync::atomic::{AtomicBool, AtomicU32, Ordering::Relaxed};

/// Words per finalizer record: the object's address, the func value, how the object is
/// passed (0 as a pointer, else as an empty interface with this type word), and the
/// finalizer's func type (0 in unit tests: no results).
const ENTRY: usize = 4;

/// A finalizer to run: one record of the queue.
#[derive(Debug, PartialEq, Eq, Clone, Copy)]
pub struct Queued {
    /// The object (the finalizer's argument).
    pub obj: usize,
    /// The func value.
    pub fv: usize,
    /// 0 to pass `obj` as a pointer, else the type word of the empty interface to pass.
    pub argtyp: usize,
    /// The finalizer's `*FuncType`, or 0 for a function without results.
    pub ftyp: usize,
}

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
    set_finalizer_typed(h, obj, fv, 0, 0, false)
}

/// Registers or removes a finalizer; `argtyp` is 0 to pass the object as a pointer, else the
/// type word of the empty interface to pass it in; `ftyp` is the finalizer's func type.
/// `tiny` lets `obj` point inside its block: gc allows that for pointer-free objects under
/// 16 bytes, which the tiny allocator packs together (the finalizer then runs once the whole
/// block is unreachable, since marking any of its objects marks the block).
fn set_finalizer_typed(
    h: &crate::mheap::MHeap,
    obj: usize,
    fv: usize,
    argtyp: usize,
    ftyp: usize,
    tiny: bool,
) -> Result<(), SetFinalizerError> {
    let Some((base, _, _)) = h.find_object(obj) else {
        return Err(SetFinalizerError::NotHeap);
    };
    if base != obj && !tiny {
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
            for w in [obj, fv, argtyp, ftyp] {
                t.push(w);
            }
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
        let e: [usize; ENTRY] = words[i..i + ENTRY].try_into().unwrap();
        if m.is_marked(e[0]) == Some(false) {
            // Not resurrected yet: other objects of a tiny block must see it unmarked too
            // (gc's sweep decides for all of an object's finalizers before marking it).
            for w in e {
                q.push(w);
            }
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

/// Takes the oldest queued finalizer.
pub fn next_queued() -> Option<Queued> {
    let mut q = QUEUE.lock();
    let words = q.as_mut_slice();
    if words.is_empty() {
        return None;
    }
    let e = Queued { obj: words[0], fv: words[1], argtyp: words[2], ftyp: words[3] };
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
        while let Some(f) = next_queued() {
            run_finalizer(f, gp);
        }
    }
}

/// Calls the finalizer `fv` with `obj` (as an empty interface of type `argtyp` if that is
/// not 0), giving it somewhere to write its results, which are then dropped (gc's runfinq
/// frame has room for them too).
unsafe fn run_finalizer(f: Queued, gp: *mut G) {
    let Queued { obj, fv, argtyp, ftyp } = f;
    let code = *(fv as *const usize);
    let shape = ResultShape::of(ftyp as *const FuncType);
    let buf = result_buffer(shape.buffer_bytes());
    let mut words = [0usize; MAX_CALL_WORDS];
    let mut n = 0;
    let mut push = |w: usize| {
        words[n] = w;
        n += 1;
    };
    // x86_64: Cranelift passes the implicit return area as the first argument; aarch64 passes
    // it in x8, which goclift_callfin always sets.
    if cfg!(target_arch = "x86_64") && shape.needs_ret_area() {
        push(buf + shape.mem_bytes);
    }
    let mut off = 0;
    for &sz in shape.mem_results() {
        push(buf + off);
        off += sz;
    }
    if argtyp != 0 {
        push(argtyp);
    }
    push(obj);
    push(fv);
    goclift_callfin(code, words.as_ptr(), n, gp as usize, buf + shape.mem_bytes);
}
/// Most argument words a finalizer call passes: the return-area pointer, one pointer per
/// result returned in memory, the argument (two words) and the closure context. Go allows
/// any number of results; finalizers with more than 16 in-memory results are refused.
const MAX_CALL_WORDS: usize = 20;

/// How a finalizer's results come back in goclift's convention (compiler/src/codegen/abi.rs
/// go_signature): each result too big for registers through a pointer argument, the others
/// as scalars in return registers, and those beyond the registers through Cranelift's
/// implicit return area.
#[derive(Debug, PartialEq, Eq)]
struct ResultShape {
    /// Sizes (rounded up to words) of the results passed in memory, in order.
    mem: [usize; MAX_CALL_WORDS - 4],
    /// How many of `mem` are used.
    n_mem: usize,
    /// Sum of `mem`.
    mem_bytes: usize,
    /// Integer scalars of the register results.
    ints: usize,
    /// Float scalars of the register results.
    floats: usize,
}

impl ResultShape {
    /// The shape of the results of func type `ft` (null: no results).
    ///
    /// # Safety
    /// `ft` is null or a func type descriptor.
    unsafe fn of(ft: *const FuncType) -> ResultShape {
        let mut s = ResultShape { mem: [0; MAX_CALL_WORDS - 4], n_mem: 0, mem_bytes: 0, ints: 0, floats: 0 };
        if ft.is_null() {
            return s;
        }
        for &t in (*ft).outs() {
            match reg_scalars(t) {
                Some((i, f)) => {
                    s.ints += i;
                    s.floats += f;
                }
                None => {
                    if s.n_mem == s.mem.len() {
                        crate::panic::throw("runtime: finalizer has too many results");
                    }
                    let sz = (*t).size.next_multiple_of(8);
                    s.mem[s.n_mem] = sz;
                    s.n_mem += 1;
                    s.mem_bytes += sz;
                }
            }
        }
        s
    }

    /// Sizes of the results passed in memory.
    fn mem_results(&self) -> &[usize] {
        &self.mem[..self.n_mem]
    }

    /// Whether the register results overflow the return registers (Cranelift's SystemV
    /// convention returns in rax, rdx and xmm0, xmm1; AAPCS64 in x0-x7 and v0-v7).
    fn needs_ret_area(&self) -> bool {
        let regs = if cfg!(target_arch = "x86_64") { 2 } else { 8 };
        self.ints > regs || self.floats > regs
    }

    /// Bytes of result buffer: the in-memory results, then a return area with room for
    /// every register result (a 16-byte slot each is more than Cranelift uses).
    fn buffer_bytes(&self) -> usize {
        self.mem_bytes + 16 * (self.ints + self.floats) + 16
    }
}

/// Whether goclift passes a value of type `t` in registers, and then its (integer, float)
/// scalar counts: the layout rule of compiler/src/ir/ty.rs (an array of one element is its
/// element; longer arrays and aggregates of more than four scalars live in memory).
///
/// # Safety
/// `t` is a type descriptor.
unsafe fn reg_scalars(t: *const crate::r#type::Type) -> Option<(usize, usize)> {
    use crate::r#type::*;
    const MAX_SCALARS: usize = 4;
    let r = match (*t).kind() {
        KIND_FLOAT32 | KIND_FLOAT64 => (0, 1),
        KIND_COMPLEX64 | KIND_COMPLEX128 => (0, 2),
        KIND_STRING | KIND_INTERFACE => (2, 0),
        KIND_SLICE => (3, 0),
        KIND_ARRAY => {
            let a = &*(t as *const ArrayType);
            match a.len {
                0 => (0, 0),
                1 => reg_scalars(a.elem)?,
                _ => return None,
            }
        }
        KIND_STRUCT => {
            let st = &*(t as *const StructType);
            let (mut i, mut f) = (0, 0);
            for fld in st.fields.as_slice() {
                let (fi, ff) = reg_scalars(fld.typ)?;
                i += fi;
                f += ff;
            }
            if i + f > MAX_SCALARS {
                return None;
            }
            (i, f)
        }
        _ => (1, 0),
    };
    Some(r)
}

/// The finalizer goroutine's result buffer (address, size), outside the heap: results are
/// written, never read, and nothing may free it under a running finalizer.
static RESULT_BUF: Locked<(usize, usize)> = Locked::new((0, 0));

/// A writable buffer of at least `n` bytes for finalizer results.
fn result_buffer(n: usize) -> usize {
    let mut b = RESULT_BUF.lock();
    if b.1 < n {
        let size = n.next_multiple_of(64 << 10);
        let p = crate::mem_linux::sys_alloc_os(size);
        if p.is_null() {
            crate::panic::throw("runtime: cannot allocate finalizer result buffer");
        }
        if b.1 != 0 {
            // SAFETY: allocated by an earlier call; only the finalizer goroutine uses it,
            // and no finalizer is running now.
            unsafe { crate::mem_linux::sys_free_os(b.0 as *mut u8, b.1) };
        }
        *b = (p as usize, size);
    }
    b.0
}

unsafe extern "C" {
    /// Calls compiled Go code `code` with the `n` argument words at `words` (in registers,
    /// then on the stack; at least 8 words must be readable), g in the g register and, on
    /// arm64, `ret_area` in x8 (Cranelift's implicit return area register there). Results
    /// are dropped.
    fn goclift_callfin(code: usize, words: *const usize, n: usize, g: usize, ret_area: usize);
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
    "push r12",
    "push r13",
    "mov r15, rcx",
    "mov r12, rdi",
    "mov r13, rsi",
    // Words 6.. go on the stack, the first lowest; rsp stays 16-aligned at the call.
    "mov rcx, rdx",
    "sub rcx, 6",
    "jbe 2f",
    "test rcx, 1",
    "jz 1f",
    "sub rsp, 8",
    "1:",
    "push qword ptr [r13 + 8*rcx + 40]",
    "dec rcx",
    "jnz 1b",
    "2:",
    "mov rdi, [r13]",
    "mov rsi, [r13 + 8]",
    "mov rdx, [r13 + 16]",
    "mov rcx, [r13 + 24]",
    "mov r8, [r13 + 32]",
    "mov r9, [r13 + 40]",
    "call r12",
    "lea rsp, [rbp - 32]",
    "pop r13",
    "pop r12",
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
    "mov x21, x3",
    "mov x9, x0",
    "mov x10, x1",
    "mov x8, x4",
    // Words 8.. go on the stack, the first lowest; sp stays 16-aligned.
    "subs x11, x2, #8",
    "b.ls 2f",
    "add x12, x11, #1",
    "and x12, x12, #-2",
    "sub sp, sp, x12, lsl #3",
    "add x13, x10, #64",
    "mov x14, sp",
    "1:",
    "ldr x15, [x13], #8",
    "str x15, [x14], #8",
    "subs x11, x11, #1",
    "b.ne 1b",
    "2:",
    "ldp x0, x1, [x10]",
    "ldp x2, x3, [x10, #16]",
    "ldp x4, x5, [x10, #32]",
    "ldp x6, x7, [x10, #48]",
    "blr x9",
    "mov sp, x29",
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
    let elem = (*(etyp as *const crate::r#type::PtrType)).elem;
    let tiny = !elem.is_null() && (*elem).ptrdata == 0 && (*elem).size < crate::malloc::MAX_TINY_SIZE;
    match set_finalizer_typed(h, data, fvw, argtyp, ftyp as usize, tiny) {
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
        core::iter::from_fn(next_queued).map(|q| (q.obj, q.fv, q.argtyp)).collect()
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

    extern "C" fn many_words(a: usize, b: usize, c: usize, d: usize, e: usize, f: usize, g: usize, h: usize, i: usize, j: usize, k: usize) {
        CALLED.lock().unwrap().extend([a, b, c, d, e, f, g, h, i, j, k]);
    }

    #[test]
    fn callfin_passes_the_argument_words_in_registers_then_on_the_stack() {
        let _s = SERIAL.lock().unwrap();
        let mut words = [0usize; MAX_CALL_WORDS];
        for (i, w) in words.iter_mut().enumerate() {
            *w = 11 * (i + 1);
        }
        for (code, n) in [(fake_finalizer as *const () as usize, 3), (many_words as *const () as usize, 11), (many_words as *const () as usize, 10)] {
            CALLED.lock().unwrap().clear();
            // SAFETY: calls a C-ABI function of n words (extra words are ignored); g is unused.
            unsafe { goclift_callfin(code, words.as_ptr(), n, 0, 0) };
            let got = CALLED.lock().unwrap().clone();
            assert_eq!(&got[..n], &words[..n]);
        }
    }

    #[test]
    fn result_shapes_follow_goclifts_layout_rule() {
        use crate::r#type::*;
        // Descriptors built by hand: int, [250]int, a struct of 5 ints, float64.
        fn ty(kind: u8, size: usize) -> Type {
            Type { size, ptrdata: 0, hash: 0, tflag: 0, align: 8, field_align: 8, kind, equal: None, gcdata: core::ptr::null(), str_: 0, ptr_to_this: 0 }
        }
        let int = ty(KIND_INT, 8);
        let f64t = ty(KIND_FLOAT64, 8);
        let arr = ArrayType { typ: ty(KIND_ARRAY, 2000), elem: &int, slice: core::ptr::null(), len: 250 };
        let one = ArrayType { typ: ty(KIND_ARRAY, 8), elem: &f64t, slice: core::ptr::null(), len: 1 };
        unsafe {
            assert_eq!(reg_scalars(&int), Some((1, 0)));
            assert_eq!(reg_scalars(&arr.typ), None);
            assert_eq!(reg_scalars(&one.typ), Some((0, 1)));
            assert_eq!(reg_scalars(&ty(KIND_SLICE, 24)), Some((3, 0)));
            assert_eq!(reg_scalars(&ty(KIND_COMPLEX128, 16)), Some((0, 2)));
        }
        let mut s = ResultShape { mem: [0; MAX_CALL_WORDS - 4], n_mem: 1, mem_bytes: 2000, ints: 3, floats: 0 };
        s.mem[0] = 2000;
        assert_eq!(s.mem_results(), &[2000]);
        assert_eq!(s.needs_ret_area(), cfg!(target_arch = "x86_64"));
        assert!(s.buffer_bytes() >= 2000 + 3 * 8);
    }

    #[test]
    fn set_finalizer_checks_its_object() {
        let _s = SERIAL.lock().unwrap();
        let (h, c) = heap_and_cache();
        let a = obj(c) as usize;
        let local = 0usize;
        assert_eq!(set_finalizer_in(h, &local as *const usize as usize, 1), Err(SetFinalizerError::NotHeap));
        assert_eq!(set_finalizer_in(h, a + 8, 1), Err(SetFinalizerError::NotAtStart));
        // Inside a tiny block: allowed, and keyed by the inner address.
        set_finalizer_typed(h, a + 8, 1, 0, 0, true).unwrap();
        assert_eq!(set_finalizer_typed(h, a + 8, 1, 0, 0, true), Err(SetFinalizerError::AlreadySet));
        set_finalizer_typed(h, a + 8, 0, 0, 0, true).unwrap();
        set_finalizer_in(h, a, 1).unwrap();
        assert_eq!(set_finalizer_in(h, a, 2), Err(SetFinalizerError::AlreadySet));
        set_finalizer_in(h, a, 0).unwrap();
    }
}
