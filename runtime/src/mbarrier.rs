//! Write barriers (Go's mbarrier.go): the flag compiled code tests before every pointer
//! store that may hit the heap, the barrier it calls while the flag is set, and the bulk
//! barriers of the runtime's own copies (typedmemmove, growslice, channel and map copies).
//!
//! goclift's barrier is gc 1.19's hybrid one: before a pointer slot is overwritten, both the
//! pointer in it (Yuasa's deletion barrier) and the pointer being written (Dijkstra's
//! insertion barrier) are shaded. The pointers go to the P's write barrier buffer
//! (mwbbuf.rs), which greys them in batches. Since every stack is scanned while the world is
//! stopped at the start of the cycle (mgc.rs), the deletion half alone already keeps every
//! object reachable at the snapshot alive; the insertion half is kept as gc keeps it.

use crate::runtime2::G;
use core::sync::atomic::{AtomicU32, Ordering::Relaxed};

/// gc's `runtime.writeBarrier` struct, as far as compiled code reads it: `enabled` is
/// non-zero while the collector marks concurrently.
#[repr(C)]
pub struct WriteBarrierFlag {
    /// Tested by compiled code (a 32-bit load) before every barriered store.
    pub enabled: AtomicU32,
    pad: [u32; 3],
}

/// The flag compiled code tests (`runtime.writeBarrier`, codegen/barrier.rs).
#[unsafe(export_name = "runtime.writeBarrier")]
pub static WRITE_BARRIER: WriteBarrierFlag = WriteBarrierFlag {
    enabled: AtomicU32::new(0),
    pad: [0; 3],
};

/// Whether barriers are on (only changed with the world stopped).
#[inline(always)]
pub fn enabled() -> bool {
    WRITE_BARRIER.enabled.load(Relaxed) != 0
}

/// Turns barriers on or off. The world must be stopped: every goroutine sees the new value
/// when it resumes, and none is between its flag test and its store.
pub fn set_enabled(on: bool) {
    WRITE_BARRIER.enabled.store(on as u32, core::sync::atomic::Ordering::SeqCst);
}

/// The barrier of one pointer store of compiled code, before `*slot = ptr`.
unsafe extern "C" fn gc_write_barrier_from_go(slot: *mut usize, ptr: usize, g: *mut G) {
    if !enabled() {
        return;
    }
    let old = (slot as *const usize).read_volatile();
    crate::mwbbuf::put(g, old, ptr);
}

crate::go_entry!(
    /// `goclift.gcWriteBarrier(slot *unsafe.Pointer, ptr unsafe.Pointer)`: records the
    /// pointer in `*slot` and `ptr` for the collector; the caller then stores `ptr`.
    gc_write_barrier_entry = "goclift.gcWriteBarrier"(slot: *mut usize, ptr: usize);
    g in "rdx" / "x2" => gc_write_barrier_from_go
);

/// The barrier of a copy (or, with `src` null, a clear) of `size` bytes of pointer-bearing
/// memory at `dst` by compiled code.
unsafe extern "C" fn wbmove_from_go(dst: usize, src: usize, size: usize, _g: *mut G) {
    bulk_barrier_pre_write(dst, src, size);
}

crate::go_entry!(
    /// `goclift.wbmove(dst, src unsafe.Pointer, size uintptr)`: the barrier before
    /// `size` bytes at `src` (or zeros, if `src` is nil) are copied over `dst`.
    wbmove_entry = "goclift.wbmove"(dst: usize, src: usize, size: usize);
    g in "rcx" / "x3" => wbmove_from_go
);

/// gc's bulkBarrierPreWrite: before `size` bytes at `src` (zeros if `src` is 0) are copied
/// over `dst`, shades every pointer about to be overwritten and every pointer about to be
/// written. Heap destinations use the heap bitmap; any other destination (a global, a
/// stack) is treated word by word, which is harmless: shading tolerates non-pointers.
/// The pointers are greyed in batches straight onto the global work list (no P needed,
/// so runtime code without its g at hand can call this).
///
/// # Safety
/// The ranges must be readable.
pub unsafe fn bulk_barrier_pre_write(dst: usize, src: usize, size: usize) {
    if !enabled() || size < 8 {
        return;
    }
    let heap = &crate::mheap::MHEAP;
    let mut batch = [0usize; 64];
    let mut n = 0;
    let mut shade = |slot: usize| {
        let old = (slot as *const usize).read_volatile();
        let new = if src == 0 { 0 } else { ((src + (slot - dst)) as *const usize).read_unaligned() };
        if old | new != 0 {
            if n + 2 > batch.len() {
                crate::mgcmark::shade_now(&batch[..n]);
                n = 0;
            }
            batch[n] = old;
            batch[n + 1] = new;
            n += 2;
        }
    };
    let span = heap.span_of_heap(dst);
    if !span.is_null() {
        if (*span).spanclass.noscan() || dst & 7 != 0 {
            // Pointer-free object (its heap bits are not kept), or bytes at an odd offset.
            return;
        }
        crate::mbitmap::for_each_pointer_slot(heap, dst, size & !7, &mut shade);
    } else {
        let mut a = (dst + 7) & !7;
        while a + 8 <= dst + size {
            shade(a);
            a += 8;
        }
    }
    if n != 0 {
        crate::mgcmark::shade_now(&batch[..n]);
    }
}
