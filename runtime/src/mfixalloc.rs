//! Fixed-size object allocator for runtime metadata (Go's mfixalloc.go).
//!
//! mspans, mcaches and arena hints are not heap objects: they come from a `FixAlloc`, which
//! carves 16 KiB chunks from `persistentalloc` and keeps a free list of returned objects. The
//! memory is never given back to the OS, so a stale pointer to a freed mspan still points to
//! a (possibly reused) mspan: the lock-free `span_of` relies on that, as gc's does.
//!
//! A FixAlloc is not thread-safe; its owner serialises calls (the heap lock, for the heap's).

use crate::malloc::{persistentalloc, FIX_ALLOC_CHUNK};
use crate::mstats::SysMemStat;

/// A free-list link stored in the first word of a free object (gc's mlink).
struct MLink {
    next: *mut MLink,
}

/// Allocator of objects of one size (gc's fixalloc).
pub struct FixAlloc {
    size: usize,
    list: *mut MLink,
    chunk: usize,
    nchunk: usize,
    nalloc: usize,
    inuse: usize,
    stat: *const SysMemStat,
    zero: bool,
}

// SAFETY: a FixAlloc owns its chunks; its owner serialises use (see the module comment).
unsafe impl Send for FixAlloc {}

impl FixAlloc {
    /// An allocator that must be `init`ed before use; usable in statics.
    pub const fn uninit() -> FixAlloc {
        FixAlloc {
            size: 0,
            list: core::ptr::null_mut(),
            chunk: 0,
            nchunk: 0,
            nalloc: 0,
            inuse: 0,
            stat: core::ptr::null(),
            zero: true,
        }
    }

    /// Prepares the allocator for objects of `size` bytes, counted in `stat` (gc's init).
    /// `zero`: objects reused from the free list are cleared (fresh ones are always zero).
    pub fn init(&mut self, size: usize, stat: &'static SysMemStat, zero: bool) {
        if size > FIX_ALLOC_CHUNK {
            crate::panic::throw("runtime: fixalloc size too large");
        }
        let size = size.max(core::mem::size_of::<MLink>()).next_multiple_of(8);
        *self = FixAlloc {
            size,
            // Round the chunk down to a multiple of size to leave no tail waste.
            nalloc: FIX_ALLOC_CHUNK / size * size,
            stat,
            zero,
            ..FixAlloc::uninit()
        };
    }

    /// An object of the allocator's size (gc's alloc).
    pub fn alloc(&mut self) -> *mut u8 {
        if self.size == 0 {
            crate::panic::throw("runtime: use of FixAlloc_Alloc before FixAlloc_Init");
        }
        if !self.list.is_null() {
            let v = self.list;
            // SAFETY: objects on the free list were handed back by `free` and are ours.
            unsafe {
                self.list = (*v).next;
                if self.zero {
                    core::ptr::write_bytes(v as *mut u8, 0, self.size);
                }
            }
            self.inuse += self.size;
            return v as *mut u8;
        }
        if self.nchunk < self.size {
            // SAFETY: `stat` was set from a &'static in init.
            let stat = unsafe { &*self.stat };
            self.chunk = persistentalloc(self.nalloc, 0, stat) as usize;
            self.nchunk = self.nalloc;
        }
        let v = self.chunk as *mut u8;
        self.chunk += self.size;
        self.nchunk -= self.size;
        self.inuse += self.size;
        v
    }

    /// Returns `p` to the free list (gc's free).
    ///
    /// # Safety
    /// `p` must come from this allocator's `alloc` and not be used afterwards.
    pub unsafe fn free(&mut self, p: *mut u8) {
        self.inuse -= self.size;
        let v = p as *mut MLink;
        (*v).next = self.list;
        self.list = v;
    }

    /// Bytes in objects handed out and not freed.
    pub fn inuse(&self) -> usize {
        self.inuse
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    static STAT: SysMemStat = SysMemStat::new();

    #[test]
    fn objects_are_distinct_zeroed_and_reused_after_free() {
        let mut f = FixAlloc::uninit();
        f.init(40, &STAT, true);
        let objs: Vec<*mut u8> = (0..1000).map(|_| f.alloc()).collect();
        let mut sorted: Vec<usize> = objs.iter().map(|&p| p as usize).collect();
        sorted.sort();
        assert!(sorted.windows(2).all(|w| w[1] - w[0] >= 40), "overlap");
        assert_eq!(f.inuse(), 40 * 1000);
        // SAFETY: the objects are ours.
        unsafe {
            for &p in &objs {
                assert_eq!(core::slice::from_raw_parts(p, 40), &[0u8; 40][..]);
                core::ptr::write_bytes(p, 0xab, 40);
            }
            f.free(objs[7]);
        }
        let again = f.alloc();
        assert_eq!(again, objs[7], "the free list is used first");
        // SAFETY: reallocated above.
        assert_eq!(
            unsafe { core::slice::from_raw_parts(again, 40) },
            &[0u8; 40]
        );
        assert!(STAT.load() >= 40 * 1000);
    }

    #[test]
    #[should_panic(expected = "before FixAlloc_Init")]
    fn alloc_before_init_throws() {
        FixAlloc::uninit().alloc();
    }
}
