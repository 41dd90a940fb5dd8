//! Goroutine stacks (Go's stack.go): the stack allocator and the constants of the stack check.
//!
//! The allocator is gc's: stacks of 2, 4, 8 and 16 KiB ("orders") are carved from 32 KiB
//! manually managed spans kept in per-order pools (`stackpool`), with a per-P cache of each
//! order in front (`stackcache`) so that most allocations take no lock; larger stacks get a
//! span of their own, recycled through `stackLarge` by log2 of their page count while the
//! collector runs, freed to the heap otherwise.
//!
//! Growth is segmented: see morestack.rs. Each collection releases what idle and dead
//! goroutines hold beyond their first stack (`release_unused_stacks`, docs/decisions.md 60).

use crate::lock_futex::Locked;
use crate::mheap::{MSpan, SpanAllocType, MHEAP, MSPAN_MANUAL};
use crate::panic::throw;
use crate::runtime2::{Stack, P};
use crate::sizeclasses::{PAGE_SHIFT, PAGE_SIZE};

/// Bytes below stackguard0 that code may use without checking (gc's _StackGuard, which is
/// 928 on linux). goclift's is larger: compiled functions check the stack after Cranelift's
/// prologue has allocated the frame, so the guard covers the largest frame allowed before
/// the check (`STACK_MAX_UNCHECKED_FRAME`) plus `runtime.morestack`'s own frame.
pub const STACK_GUARD: usize = 2048;

/// The largest frame (return address and everything the prologue pushes or allocates) a
/// compiled function may have before its stack check; larger frames need the wrapper scheme
/// described in runtime/README.md.
pub const STACK_MAX_UNCHECKED_FRAME: usize = 1024;

/// Bytes of stack a runtime entry point guarantees its Rust code below the guard: the C-ABI
/// entry stubs check `sp - RUNTIME_STACK_RESERVE > stackguard0` and grow the stack otherwise.
/// Deeper runtime work (heap growth, thread creation, fatal errors) runs on the system stack.
pub const RUNTIME_STACK_RESERVE: usize = 4096;

/// stackguard0 value that makes every stack check fail, requesting preemption (gc's
/// stackPreempt). Larger than any stack address.
pub const STACK_PREEMPT: usize = 0xffff_ffff_ffff_fade;

/// The initial stack of a goroutine (gc's _StackMin is 2 KiB; goclift's runtime runs its Rust
/// code on goroutine stacks, hence 8 KiB).
pub const STACK_MIN: usize = 8192;

/// Smallest stack the allocator hands out (gc's _FixedStack on linux).
pub const FIXED_STACK: usize = 2048;

/// Number of small stack sizes: 2, 4, 8, 16 KiB (gc's _NumStackOrders on linux).
pub const NUM_STACK_ORDERS: usize = 4;

/// Bytes of stacks a P caches per order, and the span size of the stack pools (gc's
/// _StackCacheSize).
pub const STACK_CACHE_SIZE: usize = 32768;

/// Size of the stack given to the main thread's g0 out of the OS thread stack (gc's rt0_go
/// takes 64 KiB as well).
pub const G0_STACK_SIZE: usize = 64 * 1024;

/// Size of the g0 stack of Ms the runtime creates (gc uses 16 KiB; goclift's scheduler is
/// Rust code, so it gets more), mapped with a guard page below it.
pub const M_G0_STACK_SIZE: usize = 128 * 1024;

/// Default maximum total stack of one goroutine (gc's maxstacksize for 64-bit systems).
pub const DEFAULT_MAX_STACK: usize = 1_000_000_000;

/// A free small stack (gc's gclink), linked through the first word of its top page: a free
/// stack is named by the address of that word (see [`link_of`]). gc links through a stack's
/// first word, which is harmless with its 2 KiB stacks; with goclift's 8 KiB stacks both
/// pages would be resident as soon as a stack is cached, while a goroutine that does not go
/// deep touches only the top one (a million parked goroutines: 8.5 GB instead of 4.5).
#[repr(C)]
struct GcLink {
    next: *mut GcLink,
}

/// A P's cached free stacks of one order (gc's stackfreelist).
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct StackFreeList {
    list: *mut GcLink,
    size: usize,
}

/// A doubly linked list of spans (gc's mSpanList).
struct SpanList {
    first: *mut MSpan,
}

impl SpanList {
    const fn new() -> SpanList {
        SpanList {
            first: core::ptr::null_mut(),
        }
    }

    /// Adds `s` at the front.
    unsafe fn insert(&mut self, s: *mut MSpan) {
        (*s).prev = core::ptr::null_mut();
        (*s).next = self.first;
        if !self.first.is_null() {
            (*self.first).prev = s;
        }
        self.first = s;
    }

    /// Unlinks `s`, which must be on this list.
    unsafe fn remove(&mut self, s: *mut MSpan) {
        if (*s).prev.is_null() {
            self.first = (*s).next;
        } else {
            (*(*s).prev).next = (*s).next;
        }
        if !(*s).next.is_null() {
            (*(*s).next).prev = (*s).prev;
        }
        (*s).next = core::ptr::null_mut();
        (*s).prev = core::ptr::null_mut();
    }
}

/// Spans with free stacks of one order (gc's stackpool entry).
struct StackPool {
    spans: SpanList,
}

// SAFETY: the spans are only touched under the pool's lock.
unsafe impl Send for StackPool {}

/// Global pools of small stacks, one per order (gc's stackpool).
static STACKPOOL: [Locked<StackPool>; NUM_STACK_ORDERS] = [const {
    Locked::new(StackPool {
        spans: SpanList::new(),
    })
}; NUM_STACK_ORDERS];

/// Free large stack spans by log2 of their page count (gc's stackLarge), used while the
/// collector runs (it may still scan a freed stack); otherwise large stacks go to the heap.
struct StackLarge {
    free: [SpanList; 48 - PAGE_SHIFT],
}

// SAFETY: the spans are only touched under the lock.
unsafe impl Send for StackLarge {}

static STACK_LARGE: Locked<StackLarge> = Locked::new(StackLarge {
    free: [const { SpanList::new() }; 48 - PAGE_SHIFT],
});

/// The OS page size: what becomes resident when a word is written.
const OS_PAGE: usize = 4096;

/// The link word of the free stack `[lo, lo + n)`: the first word of its top OS page.
fn link_of(lo: usize, n: usize) -> *mut GcLink {
    (lo + n.saturating_sub(OS_PAGE)) as *mut GcLink
}

/// The stack whose link word is `x`, for stacks of `n` bytes.
fn stack_of(x: *mut GcLink, n: usize) -> usize {
    x as usize - n.saturating_sub(OS_PAGE)
}

/// The order of a small stack of `n` bytes: log2(n / FIXED_STACK).
fn order_of(n: usize) -> usize {
    (n / FIXED_STACK).trailing_zeros() as usize
}

/// Whether `n` is served by the small-stack pools.
fn is_small(n: usize) -> bool {
    n < FIXED_STACK << NUM_STACK_ORDERS && n < STACK_CACHE_SIZE
}

/// Takes a stack of `order` from the global pool; the pool's lock must be held (gc's
/// stackpoolalloc).
unsafe fn stackpoolalloc(pool: &mut StackPool, order: usize) -> *mut GcLink {
    let mut s = pool.spans.first;
    if s.is_null() {
        s = MHEAP.alloc_manual(STACK_CACHE_SIZE >> PAGE_SHIFT, SpanAllocType::Stack);
        if s.is_null() {
            throw("out of memory");
        }
        if (*s).alloc_count != 0 {
            throw("bad allocCount");
        }
        if (*s).manual_free_list != 0 {
            throw("bad manualFreeList");
        }
        (*s).elemsize = FIXED_STACK << order;
        let mut i = 0;
        while i < STACK_CACHE_SIZE {
            let x = link_of((*s).base() + i, (*s).elemsize);
            (*x).next = (*s).manual_free_list as *mut GcLink;
            (*s).manual_free_list = x as usize;
            i += (*s).elemsize;
        }
        pool.spans.insert(s);
    }
    let x = (*s).manual_free_list as *mut GcLink;
    if x.is_null() {
        throw("span has no free stacks");
    }
    (*s).manual_free_list = (*x).next as usize;
    (*s).alloc_count += 1;
    if (*s).manual_free_list == 0 {
        // All stacks in s are allocated.
        pool.spans.remove(s);
    }
    x
}

/// Returns a small stack to the global pool; the pool's lock must be held (gc's
/// stackpoolfree). An entirely free span goes back to the heap.
unsafe fn stackpoolfree(pool: &mut StackPool, x: *mut GcLink) {
    let s = MHEAP.span_of(x as usize);
    if s.is_null() || (*s).state() != MSPAN_MANUAL {
        throw("freeing stack not in a stack span");
    }
    if (*s).manual_free_list == 0 {
        // s will now have a free stack.
        pool.spans.insert(s);
    }
    (*x).next = (*s).manual_free_list as *mut GcLink;
    (*s).manual_free_list = x as usize;
    (*s).alloc_count -= 1;
    // gc keeps the span while the collector runs (it may scan the stacks); goclift's
    // collector will add that condition.
    if (*s).alloc_count == 0 {
        pool.spans.remove(s);
        (*s).manual_free_list = 0;
        MHEAP.free_manual(s, SpanAllocType::Stack);
    }
}

/// Fills P's cache of `order` with half a cache's worth of stacks (gc's stackcacherefill).
unsafe fn stackcacherefill(c: &mut StackFreeList, order: usize) {
    let mut list: *mut GcLink = core::ptr::null_mut();
    let mut size = 0;
    let mut pool = STACKPOOL[order].lock();
    while size < STACK_CACHE_SIZE / 2 {
        let x = stackpoolalloc(&mut pool, order);
        (*x).next = list;
        list = x;
        size += FIXED_STACK << order;
    }
    drop(pool);
    c.list = list;
    c.size = size;
}

/// Returns P's cached stacks of `order` to the pool down to half a cache (gc's
/// stackcacherelease).
unsafe fn stackcacherelease(c: &mut StackFreeList, order: usize) {
    let mut x = c.list;
    let mut size = c.size;
    let mut pool = STACKPOOL[order].lock();
    while size > STACK_CACHE_SIZE / 2 {
        let y = (*x).next;
        stackpoolfree(&mut pool, x);
        x = y;
        size -= FIXED_STACK << order;
    }
    drop(pool);
    c.list = x;
    c.size = size;
}

/// Returns all of P's cached stacks to the pools (gc's stackcache_clear), when a P is
/// destroyed.
///
/// # Safety
/// `pp` must be a P owned by the caller.
pub unsafe fn stackcache_clear(pp: *mut P) {
    for order in 0..NUM_STACK_ORDERS {
        let c = &mut (*pp).stackcache[order];
        let mut x = c.list;
        let mut pool = STACKPOOL[order].lock();
        while !x.is_null() {
            let y = (*x).next;
            stackpoolfree(&mut pool, x);
            x = y;
        }
        c.list = core::ptr::null_mut();
        c.size = 0;
    }
}

/// Allocates a stack of `n` bytes, a power of two of at least FIXED_STACK (gc's stackalloc).
/// Small stacks come from `pp`'s cache when a P is given, else from the global pools.
///
/// # Safety
/// `pp` must be null or the P owned by the calling M. Runs Rust code that may allocate
/// spans: call it on the system stack or with enough stack.
pub unsafe fn stackalloc(n: usize, pp: *mut P) -> Stack {
    if !n.is_power_of_two() || n < FIXED_STACK {
        throw("stackalloc: bad size");
    }
    let v = if is_small(n) {
        let order = order_of(n);
        let x = if pp.is_null() {
            stackpoolalloc(&mut STACKPOOL[order].lock(), order)
        } else {
            let c = &mut (*pp).stackcache[order];
            if c.list.is_null() {
                stackcacherefill(c, order);
            }
            let x = c.list;
            c.list = (*x).next;
            c.size -= n;
            x
        };
        stack_of(x, n)
    } else {
        let npage = n >> PAGE_SHIFT;
        let log2npage = npage.trailing_zeros() as usize;
        let mut s = {
            let mut large = STACK_LARGE.lock();
            let s = large.free[log2npage].first;
            if !s.is_null() {
                large.free[log2npage].remove(s);
            }
            s
        };
        if s.is_null() {
            s = MHEAP.alloc_manual(npage, SpanAllocType::Stack);
            if s.is_null() {
                throw("out of memory");
            }
            (*s).elemsize = n;
        }
        (*s).base()
    };
    Stack { lo: v, hi: v + n }
}

/// Frees a stack from `stackalloc` (gc's stackfree).
///
/// # Safety
/// Nothing may run on or point into the stack any more; `pp` as for `stackalloc`.
pub unsafe fn stackfree(stk: Stack, pp: *mut P) {
    let n = stk.hi - stk.lo;
    if !n.is_power_of_two() || n < FIXED_STACK || stk.lo & (n.min(PAGE_SIZE) - 1) != 0 {
        throw("stackfree: bad stack");
    }
    if is_small(n) {
        let order = order_of(n);
        let x = link_of(stk.lo, n);
        if pp.is_null() {
            stackpoolfree(&mut STACKPOOL[order].lock(), x);
        } else {
            let c = &mut (*pp).stackcache[order];
            if c.size >= STACK_CACHE_SIZE {
                stackcacherelease(c, order);
            }
            (*x).next = c.list;
            c.list = x;
            c.size += n;
        }
    } else {
        let s = MHEAP.span_of(stk.lo);
        if s.is_null() || (*s).state() != MSPAN_MANUAL {
            throw("bad span state");
        }
        // Without a running collector nothing can still scan the stack: free it at once
        // (gc's gcphase == _GCoff case). STACK_LARGE takes them while marking.
        let _ = &STACK_LARGE;
        MHEAP.free_manual(s, SpanAllocType::Stack);
    }
}

/// Releases stack memory nobody uses, once per collection with the world stopped (gc frees
/// dead goroutines' stacks in markrootFreeGStacks and shrinks live ones in scanstack): the
/// spare segments of goroutines that are not running, and the stacks of the dead goroutines
/// on the global free list. Emptied stack spans go back to the heap, whose scavenger returns
/// free pages beyond the goal to the OS. Returns the bytes freed.
///
/// # Safety
/// The world must be stopped, on g0 or the system stack.
pub unsafe fn release_unused_stacks() -> usize {
    use crate::runtime2::{G_PREEMPTED, G_RUNNABLE, G_WAITING};
    let mut freed = 0;
    crate::proc::for_each_g(|gp| {
        // Running goroutines and those in system calls may be growing or shrinking.
        let status = crate::proc::readgstatus(gp);
        if status == G_RUNNABLE || status == G_WAITING || status == G_PREEMPTED {
            freed += crate::morestack::release_spare_segment(gp);
        }
    });
    freed + crate::proc::free_global_gfree_stacks()
}

/// Rounds a requested stack size up to what the allocator hands out.
pub fn round_stack_size(n: usize) -> usize {
    n.max(FIXED_STACK).next_power_of_two()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn heap() {
        crate::malloc::mallocinit();
    }

    #[test]
    fn small_stacks_come_from_pools_and_are_disjoint_and_reused() {
        heap();
        let mut p = Box::new(P::zeroed());
        let pp: *mut P = &mut *p;
        // SAFETY: the P belongs to this test; stacks are only written while allocated.
        unsafe {
            let mut stacks = Vec::new();
            for &n in &[2048usize, 4096, 8192, 16384] {
                for _ in 0..40 {
                    let s = stackalloc(n, pp);
                    assert_eq!(s.hi - s.lo, n);
                    assert_eq!(s.lo % n.min(PAGE_SIZE), 0, "aligned");
                    core::ptr::write_bytes(s.lo as *mut u8, 0xab, n);
                    stacks.push(s);
                }
            }
            let mut sorted = stacks.clone();
            sorted.sort_by_key(|s| s.lo);
            for w in sorted.windows(2) {
                assert!(w[0].hi <= w[1].lo, "{:?} overlaps {:?}", w[0], w[1]);
            }
            // Freed through the cache and allocated again: the same memory comes back.
            let last = stacks.pop().unwrap();
            stackfree(last, pp);
            assert_eq!(stackalloc(16384, pp), last);
            stackfree(last, pp);
            for s in stacks {
                stackfree(s, if s.lo % 3 == 0 { core::ptr::null_mut() } else { pp });
            }
            stackcache_clear(pp);
        }
    }

    #[test]
    fn large_stacks_get_spans_of_their_own() {
        heap();
        // SAFETY: stacks used only here.
        unsafe {
            let a = stackalloc(1 << 20, core::ptr::null_mut());
            let b = stackalloc(64 << 10, core::ptr::null_mut());
            assert_eq!(a.hi - a.lo, 1 << 20);
            assert_eq!(b.hi - b.lo, 64 << 10);
            assert!(a.hi <= b.lo || b.hi <= a.lo);
            core::ptr::write_bytes(a.lo as *mut u8, 1, 1 << 20);
            let s = MHEAP.span_of(a.lo);
            assert_eq!((*s).state(), MSPAN_MANUAL);
            stackfree(a, core::ptr::null_mut());
            stackfree(b, core::ptr::null_mut());
        }
    }

    #[test]
    fn sizes_round_to_powers_of_two() {
        assert_eq!(round_stack_size(1), 2048);
        assert_eq!(round_stack_size(8192), 8192);
        assert_eq!(round_stack_size(8193), 16384);
        assert_eq!(order_of(8192), 2);
        assert!(is_small(16384) && !is_small(32768));
    }
}
