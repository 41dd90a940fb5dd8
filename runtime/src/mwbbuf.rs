//! Per-P write barrier buffers (Go's mwbbuf.go): the barrier records pointers here with two
//! stores, and the buffer is flushed (its pointers greyed, onto the global mark work list)
//! when it fills up, and by mark termination for every P.

use crate::runtime2::{G, MAX_GOMAXPROCS};
use core::sync::atomic::{AtomicPtr, Ordering::Relaxed};

/// Pointers a buffer holds before it is flushed (gc's wbBufEntryPointers * entries).
const WBBUF_LEN: usize = 512;

/// One P's buffer. Only the P's owner touches it, or anyone while the world is stopped.
pub struct WbBuf {
    next: usize,
    buf: [usize; WBBUF_LEN],
}

/// Each P's buffer, by P id, mapped on first use (outside the heap and the data segment, so
/// neither the collector's root scan nor the heap sees it).
static WBBUFS: [AtomicPtr<WbBuf>; MAX_GOMAXPROCS] =
    [const { AtomicPtr::new(core::ptr::null_mut()) }; MAX_GOMAXPROCS];

/// The buffer of P `id`, mapped if it has none yet.
unsafe fn buf_of(id: usize) -> *mut WbBuf {
    let b = WBBUFS[id].load(Relaxed);
    if !b.is_null() {
        return b;
    }
    use crate::os_linux::{mmap, MAP_ANON, MAP_PRIVATE, PROT_READ, PROT_WRITE};
    let p = match mmap(
        core::ptr::null_mut(),
        core::mem::size_of::<WbBuf>(),
        PROT_READ | PROT_WRITE,
        MAP_PRIVATE | MAP_ANON,
        -1,
        0,
    ) {
        Ok(p) => p as *mut WbBuf,
        Err(_) => crate::panic::throw("runtime: cannot allocate a write barrier buffer"),
    };
    WBBUFS[id].store(p, Relaxed);
    p
}

/// Records `old` and `new` (either may be 0 or a non-heap pointer) in the buffer of `g`'s P.
///
/// # Safety
/// `g` must be the calling goroutine, holding a P.
#[inline]
pub unsafe fn put(g: *mut G, old: usize, new: usize) {
    let mp = (*g).m;
    let pp = if mp.is_null() { core::ptr::null_mut() } else { (*mp).p };
    if pp.is_null() {
        // No P (cannot happen in compiled code): shade directly.
        crate::mgcmark::shade_now(&[old, new]);
        return;
    }
    let b = &mut *buf_of((*pp).id as usize);
    if b.next + 2 > WBBUF_LEN {
        flush(b);
    }
    b.buf[b.next] = old;
    b.buf[b.next + 1] = new;
    b.next += 2;
}

/// Greys the buffer's pointers onto the global work list and empties it (gc's wbBufFlush1).
fn flush(b: &mut WbBuf) {
    let n = b.next;
    b.next = 0;
    crate::mgcmark::shade_now(&b.buf[..n]);
}

/// Flushes every P's buffer (mark termination, with the world stopped).
pub fn flush_all() {
    for slot in WBBUFS.iter() {
        let b = slot.load(Relaxed);
        if !b.is_null() {
            // SAFETY: the world is stopped; no P's owner is running.
            flush(unsafe { &mut *b });
        }
    }
}

/// Drops every buffered pointer (the start of a cycle: what was recorded before is stale).
pub fn reset_all() {
    for slot in WBBUFS.iter() {
        let b = slot.load(Relaxed);
        if !b.is_null() {
            // SAFETY: the world is stopped.
            unsafe { (*b).next = 0 };
        }
    }
}
