//! The page heap (Go's mheap.go): spans, heap arenas and the arena index, span allocation and
//! freeing, and the mark/alloc bitmap arenas.
//!
//! The heap owns the address space: it reserves 64 MiB arenas from the OS at gc's address
//! hints (0x00c000000000, 0x01c000000000, ... on amd64; 0x4000000000, ... on arm64), maps
//! them piecewise as it grows, and gives runs of pages to spans. Every arena has a
//! `HeapArena` of metadata, found through a two-level index from any address, which maps
//! each page to its span: that is how `span_of` and `find_object` (and later the collector)
//! get from an arbitrary pointer to its object.
//!
//! Locking as in gc: the heap lock guards the page allocator, the arena hints, the current
//! arena and the mspan/mcache allocators; the arena index, `HeapArena::spans` and span
//! states are published with atomics and read without the lock.

use crate::lock_futex::Locked;
use crate::malloc::{
    persistentalloc, ARENA_BASE_OFFSET, ARENA_BITS, ARENA_L1_BITS, ARENA_L2_BITS, HEAP_ARENA_BYTES,
    PAGES_PER_ARENA, TINY_SIZE_CLASS,
};
use crate::mcache::MCache;
use crate::mcentral::MCentral;
use crate::mem_linux::{sys_alloc, sys_alloc_os, sys_free_os, sys_map, sys_reserve, sys_used};
use crate::mfixalloc::FixAlloc;
use crate::mpagealloc::PageAlloc;
use crate::mpallocbits::PALLOC_CHUNK_PAGES;
use crate::mstats::{xadd, HeapStats, MEMSTATS};
use crate::panic::throw;
use crate::sizeclasses::{CLASS_TO_DIVMAGIC, CLASS_TO_SIZE, NUM_SIZE_CLASSES, PAGE_SIZE};
use core::sync::atomic::Ordering::{Acquire, Relaxed, Release};
use core::sync::atomic::{AtomicBool, AtomicPtr, AtomicU32, AtomicU64, AtomicU8, AtomicUsize};

/// Span classes: every size class in a scan and a noscan flavour (gc's numSpanClasses).
pub const NUM_SPAN_CLASSES: usize = NUM_SIZE_CLASSES << 1;

/// A size class and whether its objects are pointer-free ("noscan"), packed as
/// `sizeclass << 1 | noscan` (gc's spanClass).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SpanClass(pub u8);

impl SpanClass {
    /// The span class of `sizeclass` objects with (`noscan == false`) or without pointers.
    pub const fn new(sizeclass: u8, noscan: bool) -> SpanClass {
        SpanClass(sizeclass << 1 | noscan as u8)
    }

    /// The size class (0: large objects).
    pub fn sizeclass(self) -> u8 {
        self.0 >> 1
    }

    /// Whether the objects hold no pointers.
    pub fn noscan(self) -> bool {
        self.0 & 1 != 0
    }
}

/// The span class of tiny blocks: 16 bytes, pointer-free (gc's tinySpanClass).
pub const TINY_SPAN_CLASS: SpanClass = SpanClass::new(TINY_SIZE_CLASS, true);

/// Span state: not in use; the mspan may be on the free list (gc's mSpanDead).
pub const MSPAN_DEAD: u8 = 0;
/// Span state: heap objects (gc's mSpanInUse).
pub const MSPAN_IN_USE: u8 = 1;
/// Span state: manually managed memory such as goroutine stacks (gc's mSpanManual).
pub const MSPAN_MANUAL: u8 = 2;

/// What a span is allocated for (gc's spanAllocType).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SpanAllocType {
    /// Heap objects.
    Heap,
    /// Goroutine stacks (manually managed).
    Stack,
}

impl SpanAllocType {
    /// Whether the span is manually managed, i.e. not a heap span.
    pub fn manual(self) -> bool {
        self != SpanAllocType::Heap
    }
}

/// A run of pages (gc's mspan). Heap spans hold `nelems` objects of `elemsize` bytes; which
/// are allocated is recorded in `alloc_bits`, and the collector marks reachable ones in
/// `gcmark_bits`, which become the next `alloc_bits` when the span is swept.
pub struct MSpan {
    /// Free-list link while the mspan is free (FixAlloc keeps it in the first word).
    pub next: *mut MSpan,
    /// Previous span while on a doubly linked span list (gc's mSpanList: the stack pools).
    pub prev: *mut MSpan,
    /// Address of the first byte.
    pub start_addr: usize,
    /// Pages in the span.
    pub npages: usize,
    /// Free list of a manual span's objects (gc's manualFreeList), for the stack allocator.
    pub manual_free_list: usize,
    /// Slots below `freeindex` are allocated; the allocator searches from here (gc's
    /// freeindex).
    pub freeindex: usize,
    /// Object slots in the span.
    pub nelems: usize,
    /// The complement of the alloc bits from `freeindex` on, shifted so that bit 0 is slot
    /// `freeindex`: a 1 is a free slot found with one count-trailing-zeros (gc's allocCache).
    pub alloc_cache: u64,
    /// 1 bit per slot, 1 = allocated (gc's allocBits); multiple of 8 bytes.
    pub alloc_bits: *mut u8,
    /// 1 bit per slot, 1 = marked by the collector (gc's gcmarkBits).
    pub gcmark_bits: *mut u8,
    /// Relation to the heap's sweep generation `sg` (gc's sweepgen): sg-2 needs sweeping,
    /// sg-1 is being swept, sg is swept, sg+1 was cached before sweeping began and must be
    /// swept, sg+3 was swept and then cached.
    pub sweepgen: AtomicU32,
    /// `CLASS_TO_DIVMAGIC` of the class: object index = (offset * div_mul) >> 32.
    pub div_mul: u32,
    /// Allocated objects (gc's allocCount).
    pub alloc_count: u16,
    /// Size class and noscan flag.
    pub spanclass: SpanClass,
    /// `MSPAN_DEAD`, `MSPAN_IN_USE` or `MSPAN_MANUAL`; stored last when a span is set up, so
    /// lock-free readers that see "in use" see the other fields initialised.
    pub state: AtomicU8,
    /// Nonzero if the span's memory may be dirty and must be zeroed before reuse.
    pub needzero: u8,
    /// `alloc_count` when the span was handed to an mcache, to count the allocations made
    /// from it there (gc's allocCountBeforeCache).
    pub alloc_count_before_cache: u16,
    /// Object size (the whole span for large objects).
    pub elemsize: usize,
    /// End of the objects: base + nelems * elemsize (for a large object, its requested end).
    pub limit: usize,
}

// SAFETY: spans are shared between threads by design; the protocol (heap lock, mcache
// ownership, sweepgen) serialises writes, as in gc.
unsafe impl Send for MSpan {}
// SAFETY: as above.
unsafe impl Sync for MSpan {}

impl MSpan {
    /// A dead, empty span: the placeholder an mcache holds for classes it has no span of
    /// (gc's emptymspan): it has no free slots, so the first allocation refills.
    pub const fn empty() -> MSpan {
        MSpan {
            next: core::ptr::null_mut(),
            prev: core::ptr::null_mut(),
            start_addr: 0,
            npages: 0,
            manual_free_list: 0,
            freeindex: 0,
            nelems: 0,
            alloc_cache: 0,
            alloc_bits: core::ptr::null_mut(),
            gcmark_bits: core::ptr::null_mut(),
            sweepgen: AtomicU32::new(0),
            div_mul: 0,
            alloc_count: 0,
            spanclass: SpanClass(0),
            state: AtomicU8::new(MSPAN_DEAD),
            needzero: 0,
            alloc_count_before_cache: 0,
            elemsize: 0,
            limit: 0,
        }
    }

    /// The span's first address (gc's base).
    #[inline]
    pub fn base(&self) -> usize {
        self.start_addr
    }

    /// The span's state.
    #[inline]
    pub fn state(&self) -> u8 {
        self.state.load(Acquire)
    }

    /// Resets every field for a span of `npages` pages at `base` (gc's span.init). Field by
    /// field, with the atomics stored atomically: lock-free readers holding a stale pointer
    /// to this recycled mspan may be looking at its state.
    fn init(&mut self, base: usize, npages: usize) {
        self.next = core::ptr::null_mut();
        self.prev = core::ptr::null_mut();
        self.start_addr = base;
        self.npages = npages;
        self.manual_free_list = 0;
        self.freeindex = 0;
        self.nelems = 0;
        self.alloc_cache = 0;
        self.alloc_bits = core::ptr::null_mut();
        self.gcmark_bits = core::ptr::null_mut();
        self.sweepgen.store(0, Relaxed);
        self.div_mul = 0;
        self.alloc_count = 0;
        self.spanclass = SpanClass(0);
        self.state.store(MSPAN_DEAD, Release);
        self.needzero = 0;
        self.alloc_count_before_cache = 0;
        self.elemsize = 0;
        self.limit = 0;
    }

    /// The index of the object containing `p`, which must lie inside the span (gc's objIndex).
    #[inline]
    pub fn obj_index(&self, p: usize) -> usize {
        ((((p - self.base()) as u64) * self.div_mul as u64) >> 32) as usize
    }

    /// `n / elemsize` by multiplication, for n up to the span's size (gc's
    /// divideByElemSize).
    pub fn divide_by_elem_size(&self, n: usize) -> usize {
        (((n as u64) * self.div_mul as u64) >> 32) as usize
    }
}

/// Metadata of one 64 MiB heap arena (gc's heapArena).
pub struct HeapArena {
    /// One bit per heap word: set where the word of a scannable object may hold a pointer
    /// (see mbitmap.rs; gc 1.19 keeps two bits per word, pointer and scan-continue, goclift
    /// only the pointer bit and scans an object to its end).
    pub heap_bits: [u8; HEAP_ARENA_BYTES / 64],
    /// The span of every page; entries of free pages are stale (gc's spans).
    pub spans: [AtomicPtr<MSpan>; PAGES_PER_ARENA],
    /// One bit per page: set on the first page of each in-use heap span, for the sweeper's
    /// page reclaimer (gc's pageInUse).
    pub page_in_use: [AtomicU8; PAGES_PER_ARENA / 8],
    /// One bit per page: set on the first page of spans with marked objects, by the
    /// collector (gc's pageMarks).
    pub page_marks: [AtomicU8; PAGES_PER_ARENA / 8],
    /// Offset below which the arena's memory may have been used: pages above it are still
    /// zero from the OS (gc's zeroedBase).
    pub zeroed_base: AtomicUsize,
}

/// The second level of the arena index: one entry per possible arena.
type ArenaL2 = [AtomicPtr<HeapArena>; 1 << ARENA_L2_BITS];

/// The number of the arena holding `p`: `(p - ARENA_BASE_OFFSET) / HEAP_ARENA_BYTES` (gc's
/// arenaIndex). Addresses outside the 48-bit heap space give numbers >= 1 << ARENA_BITS.
#[inline]
pub fn arena_index(p: usize) -> usize {
    p.wrapping_sub(ARENA_BASE_OFFSET) / HEAP_ARENA_BYTES
}

/// The first address of arena `i` (gc's arenaBase).
pub fn arena_base(i: usize) -> usize {
    (i * HEAP_ARENA_BYTES).wrapping_add(ARENA_BASE_OFFSET)
}

/// Where the heap may try to grow next (gc's arenaHint).
struct ArenaHint {
    addr: usize,
    /// Grow downwards from `addr` rather than upwards.
    down: bool,
    next: *mut ArenaHint,
}

/// A growable array of arena numbers in persistent memory (gc's allArenas slice).
struct ArenaList {
    items: *mut usize,
    len: usize,
    cap: usize,
}

impl ArenaList {
    fn push(&mut self, ai: usize) {
        if self.len == self.cap {
            let cap = (self.cap * 2).max(64);
            let p = persistentalloc(cap * 8, 8, &MEMSTATS.gc_misc_sys) as *mut usize;
            // SAFETY: the new array has room for `cap` > `len` entries; the old one is
            // abandoned (gc keeps it for concurrent readers).
            unsafe { core::ptr::copy_nonoverlapping(self.items, p, self.len) };
            self.items = p;
            self.cap = cap;
        }
        // SAFETY: len < cap.
        unsafe { self.items.add(self.len).write(ai) };
        self.len += 1;
    }

    fn as_slice(&self) -> &[usize] {
        if self.len == 0 {
            return &[];
        }
        // SAFETY: `items` holds `len` initialised entries.
        unsafe { core::slice::from_raw_parts(self.items, self.len) }
    }
}

/// What the heap lock guards.
struct HeapLocked {
    initialized: bool,
    pages: PageAlloc,
    /// The not yet mapped rest of the arena the heap grows into (gc's curArena).
    cur_arena: (usize, usize),
    arena_hints: *mut ArenaHint,
    arena_hint_alloc: FixAlloc,
    spanalloc: FixAlloc,
    cachealloc: FixAlloc,
    all_arenas: ArenaList,
}

// SAFETY: everything the raw pointers reach belongs to the heap; the lock serialises access.
unsafe impl Send for HeapLocked {}

/// A heap (gc's mheap). The program has one, `MHEAP`; unit tests also build private ones.
pub struct MHeap {
    locked: Locked<HeapLocked>,
    /// The arena index (gc's arenas): L1 -> L2 -> HeapArena, read without the lock.
    arenas: [AtomicPtr<ArenaL2>; 1 << ARENA_L1_BITS],
    /// The sweep generation, advanced by 2 per collection (gc's sweepgen).
    pub sweepgen: AtomicU32,
    /// The sweeper's position in the central lists (gc's sweep.centralIndex).
    pub(crate) sweep_central_index: AtomicUsize,
    /// Per span class span lists (gc's central), indexed by `SpanClass.0`.
    pub central: [MCentral; NUM_SPAN_CLASSES],
    /// Memory statistics of this heap.
    pub stats: HeapStats,
    /// Heap retention the scavenger keeps the heap under when it grows (gc's
    /// scavenge.gcPercentGoal); `u64::MAX` disables it. The pacer sets it.
    pub scavenge_goal: AtomicU64,
    gc_bits: GcBitsArenas,
    init_done: AtomicBool,
}

/// The program's heap (gc's mheap_).
pub static MHEAP: MHeap = MHeap::new();

impl MHeap {
    /// An uninitialised heap; `init` must run before use. Usable in statics.
    pub const fn new() -> MHeap {
        let mut central = [const { MCentral::new(SpanClass(0)) }; NUM_SPAN_CLASSES];
        let mut i = 0;
        while i < NUM_SPAN_CLASSES {
            central[i] = MCentral::new(SpanClass(i as u8));
            i += 1;
        }
        MHeap {
            locked: Locked::new(HeapLocked {
                initialized: false,
                pages: PageAlloc::new(),
                cur_arena: (0, 0),
                arena_hints: core::ptr::null_mut(),
                arena_hint_alloc: FixAlloc::uninit(),
                spanalloc: FixAlloc::uninit(),
                cachealloc: FixAlloc::uninit(),
                all_arenas: ArenaList {
                    items: core::ptr::null_mut(),
                    len: 0,
                    cap: 0,
                },
            }),
            arenas: [const { AtomicPtr::new(core::ptr::null_mut()) }; 1 << ARENA_L1_BITS],
            sweepgen: AtomicU32::new(0),
            sweep_central_index: AtomicUsize::new(0),
            central,
            stats: HeapStats::new(),
            scavenge_goal: AtomicU64::new(u64::MAX),
            gc_bits: GcBitsArenas::new(),
            init_done: AtomicBool::new(false),
        }
    }

    /// Sets up the metadata allocators and the arena hints (gc's mheap.init and the hint
    /// part of mallocinit). Idempotent.
    pub fn init(&self) {
        if self.init_done.load(Acquire) {
            return;
        }
        let mut l = self.locked.lock();
        if l.initialized {
            return;
        }
        l.spanalloc
            .init(core::mem::size_of::<MSpan>(), &MEMSTATS.mspan_sys, false);
        l.cachealloc
            .init(core::mem::size_of::<MCache>(), &MEMSTATS.mcache_sys, true);
        l.arena_hint_alloc
            .init(core::mem::size_of::<ArenaHint>(), &MEMSTATS.other_sys, true);
        // gc pushes hints for i = 0x7f down to 0, so the list starts at i = 0.
        for i in (0..=0x7fusize).rev() {
            let hint = l.arena_hint_alloc.alloc() as *mut ArenaHint;
            // SAFETY: a fresh ArenaHint-sized object.
            unsafe {
                hint.write(ArenaHint {
                    addr: arena_hint_addr(i),
                    down: false,
                    next: l.arena_hints,
                })
            };
            l.arena_hints = hint;
        }
        l.initialized = true;
        self.init_done.store(true, Release);
    }

    /// The `HeapArena` of arena number `ai`, or null (no lock needed).
    #[inline]
    pub fn arena(&self, ai: usize) -> *mut HeapArena {
        if ai >= 1 << ARENA_BITS {
            return core::ptr::null_mut();
        }
        let l2 = self.arenas[ai >> ARENA_L2_BITS].load(Acquire);
        if l2.is_null() {
            return core::ptr::null_mut();
        }
        // SAFETY: an L2 table, once published, lives forever.
        unsafe { (*l2)[ai & ((1 << ARENA_L2_BITS) - 1)].load(Acquire) }
    }

    /// The span that contains or last contained `p`, or null if `p` is not in an arena of
    /// this heap or its page never belonged to a span (gc's spanOf). The span may be dead or
    /// not contain `p`; `span_of_heap` checks.
    #[inline]
    pub fn span_of(&self, p: usize) -> *mut MSpan {
        let ha = self.arena(arena_index(p));
        if ha.is_null() {
            return core::ptr::null_mut();
        }
        // SAFETY: arena metadata lives forever.
        unsafe { (*ha).spans[(p / PAGE_SIZE) % PAGES_PER_ARENA].load(Acquire) }
    }

    /// The in-use heap span containing `p`, or null (gc's spanOfHeap).
    pub fn span_of_heap(&self, p: usize) -> *mut MSpan {
        let s = self.span_of(p);
        if s.is_null() {
            return s;
        }
        // SAFETY: mspans are never unmapped (FixAlloc memory), so reading one is safe even if
        // it was freed; the state says whether its fields describe `p`.
        unsafe {
            if (*s).state() != MSPAN_IN_USE || p < (*s).base() || p >= (*s).limit {
                return core::ptr::null_mut();
            }
        }
        s
    }

    /// The object containing `p`: its base address, span and index in the span, or None if
    /// `p` points to no allocated heap slot (gc's findObject, without its bad-pointer
    /// diagnostics).
    pub fn find_object(&self, p: usize) -> Option<(usize, *mut MSpan, usize)> {
        let s = self.span_of_heap(p);
        if s.is_null() {
            return None;
        }
        // SAFETY: span_of_heap checked that the span is in use and holds p.
        unsafe {
            let idx = (*s).obj_index(p);
            Some(((*s).base() + idx * (*s).elemsize, s, idx))
        }
    }

    /// Allocates a span of `npages` pages for heap objects of `spanclass` (gc's alloc).
    /// Null if the OS has no memory left.
    pub fn alloc(&self, npages: usize, spanclass: SpanClass) -> *mut MSpan {
        // While the last cycle's sweep is unfinished, pay for the new pages by sweeping
        // first (gc's deductSweepCredit and h.reclaim, simplified): the heap then reuses
        // the pages garbage left instead of growing past them.
        self.sweep_for_pages(npages);
        self.alloc_span(npages, SpanAllocType::Heap, spanclass)
    }

    /// Allocates a manually managed span, e.g. for stacks (gc's allocManual).
    pub fn alloc_manual(&self, npages: usize, typ: SpanAllocType) -> *mut MSpan {
        if !typ.manual() {
            throw("manual span allocation called with non-manually-managed type");
        }
        self.alloc_span(npages, typ, SpanClass(0))
    }

    /// Takes `npages` pages from the page allocator, growing the heap if needed, and sets up
    /// a span over them (gc's allocSpan).
    pub fn alloc_span(
        &self,
        npages: usize,
        typ: SpanAllocType,
        spanclass: SpanClass,
    ) -> *mut MSpan {
        let mut l = self.locked.lock();
        let (mut base, mut scav) = l.pages.alloc(npages);
        let mut growth = 0;
        if base == 0 {
            match self.grow(&mut l, npages) {
                Some(g) => growth = g,
                None => return core::ptr::null_mut(),
            }
            (base, scav) = l.pages.alloc(npages);
            if base == 0 {
                throw("grew heap, but no adequate free space found");
            }
        }
        let s = l.spanalloc.alloc() as *mut MSpan;
        drop(l);
        // SAFETY: `s` is a fresh mspan and [base, base+npages) pages we now own.
        unsafe { self.init_span(s, typ, spanclass, base, npages) };
        if growth > 0 {
            self.scavenge_after_growth(growth);
        }
        let nbytes = (npages * PAGE_SIZE) as i64;
        if scav != 0 {
            // SAFETY: the pages are ours now.
            unsafe { sys_used(base as *mut u8, npages * PAGE_SIZE) };
            xadd(&self.stats.heap_released, -(scav as i64));
        }
        xadd(&self.stats.heap_free, -(nbytes - scav as i64));
        match typ {
            SpanAllocType::Heap => xadd(&self.stats.heap_in_use, nbytes),
            SpanAllocType::Stack => xadd(&self.stats.in_stacks, nbytes),
        }
        self.publish_span(s, typ, npages);
        s
    }

    /// Fills in a freshly allocated span (the first half of gc's allocSpan HaveSpan block).
    ///
    /// # Safety
    /// `s` must be an mspan from `spanalloc` that nobody else can see yet.
    unsafe fn init_span(
        &self,
        s: *mut MSpan,
        typ: SpanAllocType,
        spanclass: SpanClass,
        base: usize,
        npages: usize,
    ) {
        let span = &mut *s;
        span.init(base, npages);
        if self.alloc_needs_zero(base, npages) {
            span.needzero = 1;
        }
        let nbytes = npages * PAGE_SIZE;
        if typ.manual() {
            span.limit = base + nbytes;
            span.state.store(MSPAN_MANUAL, Release);
            return;
        }
        span.spanclass = spanclass;
        let sizeclass = spanclass.sizeclass() as usize;
        if sizeclass == 0 {
            span.elemsize = nbytes;
            span.nelems = 1;
            span.div_mul = 0;
        } else {
            span.elemsize = CLASS_TO_SIZE[sizeclass] as usize;
            span.nelems = nbytes / span.elemsize;
            span.div_mul = CLASS_TO_DIVMAGIC[sizeclass];
        }
        span.freeindex = 0;
        span.alloc_cache = !0;
        span.gcmark_bits = self.gc_bits.new_mark_bits(span.nelems);
        span.alloc_bits = self.gc_bits.new_alloc_bits(span.nelems);
        span.sweepgen.store(self.sweepgen.load(Relaxed), Relaxed);
        span.state.store(MSPAN_IN_USE, Release);
    }

    /// Makes a set-up span visible to `span_of` and, for heap spans, to the page reclaimer.
    fn publish_span(&self, s: *mut MSpan, typ: SpanAllocType, npages: usize) {
        // SAFETY: `s` is initialised; only this thread writes its index entries now.
        let base = unsafe { (*s).base() };
        self.set_spans(base, npages, s);
        if !typ.manual() {
            let (arena, idx, mask) = self.page_index_of(base);
            // SAFETY: the arena of a heap span exists.
            unsafe { (*arena).page_in_use[idx].fetch_or(mask, Release) };
        }
    }

    /// Points the index entries of pages [base, base+npage) at `s` (gc's setSpans).
    fn set_spans(&self, base: usize, npage: usize, s: *mut MSpan) {
        let mut ai = arena_index(base);
        let mut ha = self.arena(ai);
        for n in 0..npage {
            let p = base / PAGE_SIZE + n;
            let i = p % PAGES_PER_ARENA;
            if i == 0 && n > 0 {
                ai = arena_index(p * PAGE_SIZE);
                ha = self.arena(ai);
            }
            // SAFETY: every page handed out lies in an arena with metadata.
            unsafe { (*ha).spans[i].store(s, Release) };
        }
    }

    /// The arena, byte and bit of page `p` in the per-page bitmaps (gc's pageIndexOf).
    pub fn page_index_of(&self, p: usize) -> (*mut HeapArena, usize, u8) {
        let arena = self.arena(arena_index(p));
        let page = (p / PAGE_SIZE) % PAGES_PER_ARENA;
        (arena, page / 8, 1 << (page % 8))
    }

    /// Whether pages [base, base+npage) may hold old data, and records that they will now be
    /// used (gc's allocNeedsZero): each arena's `zeroed_base` only moves up.
    fn alloc_needs_zero(&self, mut base: usize, mut npage: usize) -> bool {
        let mut need_zero = false;
        while npage > 0 {
            let ha = self.arena(arena_index(base));
            // SAFETY: pages being allocated lie in arenas with metadata.
            let zb = unsafe { &(*ha).zeroed_base };
            let arena_base = base % HEAP_ARENA_BYTES;
            let mut zeroed_base = zb.load(Acquire);
            if arena_base < zeroed_base {
                need_zero = true;
            }
            let arena_limit = (arena_base + npage * PAGE_SIZE).min(HEAP_ARENA_BYTES);
            while arena_limit > zeroed_base {
                match zb.compare_exchange(zeroed_base, arena_limit, Release, Acquire) {
                    Ok(_) => break,
                    Err(now) => zeroed_base = now,
                }
                if zeroed_base <= arena_limit && zeroed_base > arena_base {
                    throw("potentially overlapping in-use allocations detected");
                }
            }
            base += arena_limit - arena_base;
            npage -= (arena_limit - arena_base) / PAGE_SIZE;
        }
        need_zero
    }

    /// Adds at least `npage` pages of address space to the page allocator (gc's grow):
    /// maps the next piece of the current arena, reserving a new arena when it runs out.
    /// Returns the bytes added, or None when the OS refuses.
    fn grow(&self, l: &mut HeapLocked, npage: usize) -> Option<usize> {
        // Grow in whole chunks: the page allocator's metadata is per chunk anyway.
        let ask = npage
            .div_ceil(PALLOC_CHUNK_PAGES)
            .checked_mul(PALLOC_CHUNK_PAGES * PAGE_SIZE)
            .unwrap_or(usize::MAX & !(HEAP_ARENA_BYTES - 1));
        let mut total_growth = 0;
        let (cur_base, cur_end) = l.cur_arena;
        let end = cur_base.wrapping_add(ask);
        if end > cur_end || end < cur_base {
            let Some((av, asize)) = self.sys_alloc(l, ask) else {
                self.print_out_of_memory(ask);
                return None;
            };
            if av == cur_end {
                // The new space extends the current arena.
                l.cur_arena.1 = av + asize;
            } else {
                // Switch to the new space; the rest of the old one goes to the allocator.
                if cur_end > cur_base {
                    total_growth += self.map_into_heap(l, cur_base, cur_end - cur_base);
                }
                l.cur_arena = (av, av + asize);
            }
        }
        let v = l.cur_arena.0;
        l.cur_arena.0 = v + ask;
        total_growth += self.map_into_heap(l, v, ask);
        Some(total_growth)
    }

    /// gc's message when the heap cannot grow; the caller then throws "out of memory".
    fn print_out_of_memory(&self, ask: usize) {
        let sys = self.stats.read().heap_sys;
        crate::print::printlock();
        let print = |s: &str| {
            // SAFETY: a live string.
            unsafe { crate::print::printstring(s.as_ptr(), s.len() as isize) }
        };
        print("runtime: out of memory: cannot allocate ");
        crate::print::printuint(ask as u64);
        print("-byte block (");
        crate::print::printuint(sys);
        print(" in use)\n");
        crate::print::printunlock();
    }

    /// Maps [v, v+n) of a reserved arena and gives it to the page allocator as free,
    /// released memory (gc: sysMap; stats.released += n; pages.grow).
    fn map_into_heap(&self, l: &mut HeapLocked, v: usize, n: usize) -> usize {
        // SAFETY: [v, v+n) is reserved by this heap and not yet used.
        unsafe { sys_map(v as *mut u8, n) };
        xadd(&self.stats.heap_released, n as i64);
        l.pages.grow(v, n);
        n
    }

    /// Reserves address space for at least `n` bytes of heap, in whole arenas, and creates
    /// their metadata (gc's sysAlloc). Tries the arena hints first, then any address.
    fn sys_alloc(&self, l: &mut HeapLocked, n: usize) -> Option<(usize, usize)> {
        let n = n.checked_next_multiple_of(HEAP_ARENA_BYTES)?;
        let (v, size) = match self.reserve_at_hints(l, n) {
            Some(v) => (v, n),
            None => self.reserve_anywhere(l, n)?,
        };
        check_arena_range(v, size);
        let mut ai = arena_index(v);
        while ai <= arena_index(v + size - 1) {
            self.create_arena_metadata(l, ai);
            ai += 1;
        }
        Some((v, size))
    }

    /// Tries the hints in order, dropping each one the kernel does not honour.
    fn reserve_at_hints(&self, l: &mut HeapLocked, n: usize) -> Option<usize> {
        while !l.arena_hints.is_null() {
            let hint = l.arena_hints;
            // SAFETY: hints come from arena_hint_alloc and are only used under the lock.
            let (addr, down) = unsafe { ((*hint).addr, (*hint).down) };
            let p = if down { addr.wrapping_sub(n) } else { addr };
            let fits = p
                .checked_add(n)
                .is_some_and(|end| arena_index(end - 1) < 1 << ARENA_BITS);
            let v = if fits { sys_reserve(p, n) as usize } else { 0 };
            if v == p && v != 0 {
                // SAFETY: as above.
                unsafe { (*hint).addr = if down { p } else { p + n } };
                return Some(v);
            }
            if v != 0 {
                // SAFETY: the kernel gave us this range a moment ago; nothing uses it.
                unsafe { sys_free_os(v as *mut u8, n) };
            }
            // SAFETY: as above; the hint leaves the list before it is freed.
            unsafe {
                l.arena_hints = (*hint).next;
                l.arena_hint_alloc.free(hint as *mut u8);
            }
        }
        None
    }

    /// Reserves `n` bytes wherever the kernel likes, aligned to an arena, and leaves hints to
    /// grow the region in both directions (the end of gc's sysAlloc).
    fn reserve_anywhere(&self, l: &mut HeapLocked, n: usize) -> Option<(usize, usize)> {
        let (v, size) = sys_reserve_aligned(n, HEAP_ARENA_BYTES)?;
        for (addr, down) in [(v, true), (v + size, false)] {
            let hint = l.arena_hint_alloc.alloc() as *mut ArenaHint;
            // SAFETY: a fresh ArenaHint-sized object.
            unsafe {
                hint.write(ArenaHint {
                    addr,
                    down,
                    next: l.arena_hints,
                })
            };
            l.arena_hints = hint;
        }
        Some((v, size))
    }

    /// Creates the `HeapArena` of arena `ai` and enters it in the index (the loop at the
    /// end of gc's sysAlloc).
    fn create_arena_metadata(&self, l: &mut HeapLocked, ai: usize) {
        let l1 = &self.arenas[ai >> ARENA_L2_BITS];
        let mut l2 = l1.load(Acquire);
        if l2.is_null() {
            // gc maps the 32 MiB table with sysAllocOS and lets demand paging keep it cheap.
            l2 = sys_alloc_os(core::mem::size_of::<ArenaL2>()) as *mut ArenaL2;
            if l2.is_null() {
                throw("out of memory allocating heap arena map");
            }
            l1.store(l2, Release);
        }
        // SAFETY: the L2 table lives forever.
        let slot = unsafe { &(*l2)[ai & ((1 << ARENA_L2_BITS) - 1)] };
        if !slot.load(Acquire).is_null() {
            throw("arena already initialized");
        }
        let r = persistentalloc(core::mem::size_of::<HeapArena>(), 8, &MEMSTATS.gc_misc_sys);
        l.all_arenas.push(ai);
        slot.store(r as *mut HeapArena, Release);
    }

    /// Returns a span of heap objects to the page heap (gc's freeSpan).
    ///
    /// # Safety
    /// The caller must own `s`, a swept in-use span of this heap holding no objects; nothing
    /// may use it afterwards.
    pub unsafe fn free_span(&self, s: *mut MSpan) {
        let mut l = self.locked.lock();
        self.free_span_locked(&mut l, s, SpanAllocType::Heap);
    }

    /// Returns a manually managed span (gc's freeManual). Its memory must be zeroed again by
    /// whoever allocates it next (gc sets needzero).
    ///
    /// # Safety
    /// The caller must own `s`, a span from `alloc_manual` of this heap; nothing may use it
    /// afterwards.
    pub unsafe fn free_manual(&self, s: *mut MSpan, typ: SpanAllocType) {
        (*s).needzero = 1;
        let mut l = self.locked.lock();
        self.free_span_locked(&mut l, s, typ);
    }

    fn free_span_locked(&self, l: &mut HeapLocked, s: *mut MSpan, typ: SpanAllocType) {
        // SAFETY: the caller owns the span; the heap lock is held.
        let span = unsafe { &mut *s };
        match span.state() {
            MSPAN_MANUAL => {
                if span.alloc_count != 0 {
                    throw("mheap.freeSpanLocked - invalid stack free");
                }
            }
            MSPAN_IN_USE => {
                if span.alloc_count != 0
                    || span.sweepgen.load(Relaxed) != self.sweepgen.load(Relaxed)
                {
                    throw("mheap.freeSpanLocked - invalid free");
                }
                let (arena, idx, mask) = self.page_index_of(span.base());
                // SAFETY: the arena of a heap span exists.
                unsafe { (*arena).page_in_use[idx].fetch_and(!mask, Release) };
            }
            _ => throw("mheap.freeSpanLocked - invalid span state"),
        }
        let nbytes = (span.npages * PAGE_SIZE) as i64;
        xadd(&self.stats.heap_free, nbytes);
        match typ {
            SpanAllocType::Heap => xadd(&self.stats.heap_in_use, -nbytes),
            SpanAllocType::Stack => xadd(&self.stats.in_stacks, -nbytes),
        }
        l.pages.free(span.base(), span.npages);
        span.state.store(MSPAN_DEAD, Release);
        // SAFETY: the span came from spanalloc and is dead; stale index entries may still
        // point at it, which is fine: readers check the state.
        unsafe { l.spanalloc.free(s as *mut u8) };
    }

    /// An mcache for a new P, attached to this heap (gc's allocmcache).
    pub fn alloc_mcache(&'static self) -> *mut MCache {
        let c = self.locked.lock().cachealloc.alloc() as *mut MCache;
        // SAFETY: a fresh, zeroed MCache-sized object.
        unsafe { c.write(MCache::new(self)) };
        c
    }

    /// Frees an mcache after returning its spans (gc's freemcache).
    ///
    /// # Safety
    /// `c` must come from `alloc_mcache` of this heap and not be used afterwards.
    pub unsafe fn free_mcache(&self, c: *mut MCache) {
        (*c).release_all();
        self.locked.lock().cachealloc.free(c as *mut u8);
    }

    /// Runs `f` on the page allocator with the heap lock held.
    pub(crate) fn with_pages<R>(&self, f: impl FnOnce(&mut PageAlloc) -> R) -> R {
        f(&mut self.locked.lock().pages)
    }

    /// The arena numbers of the heap (gc's allArenas), for the collector's root scan.
    pub fn all_arenas(&self, mut f: impl FnMut(usize)) {
        let l = self.locked.lock();
        for &ai in l.all_arenas.as_slice() {
            f(ai);
        }
    }

    /// Whether `p` lies in memory mapped for this heap.
    pub fn in_heap_memory(&self, p: usize) -> bool {
        self.locked.lock().pages.in_use.contains(p)
    }

    /// Allocation bitmaps for a new span of `nelems` objects (gc's newAllocBits).
    pub(crate) fn new_mark_bits(&self, nelems: usize) -> *mut u8 {
        self.gc_bits.new_mark_bits(nelems)
    }

    /// Starts a new epoch of mark-bit arenas (gc's nextMarkBitArenaEpoch): the arenas of two
    /// epochs ago can no longer be referenced by any span and are recycled. The collector
    /// calls it once per cycle after sweeping has begun.
    pub fn next_mark_bit_arena_epoch(&self) {
        self.gc_bits.next_epoch();
    }
}

impl Default for MHeap {
    fn default() -> MHeap {
        MHeap::new()
    }
}

/// gc's i-th arena hint: 0x00c0<<32 | i<<40 on amd64 (addresses 0x00c0..., 0x01c0..., which
/// are easy to recognise and not valid UTF-8), 0x0040<<32 | i<<40 on arm64 (which gc puts
/// low because 4K-page, 3-level configurations only have 39 bits of address space).
fn arena_hint_addr(i: usize) -> usize {
    if cfg!(target_arch = "aarch64") {
        i << 40 | 0x0040 << 32
    } else {
        i << 40 | 0x00c0 << 32
    }
}

/// Throws if [v, v+size) is not inside the space the arena index covers.
fn check_arena_range(v: usize, size: usize) {
    let bad = if v.checked_add(size).is_none() {
        "region exceeds uintptr range"
    } else if arena_index(v) >= 1 << ARENA_BITS {
        "base outside usable address space"
    } else if arena_index(v + size - 1) >= 1 << ARENA_BITS {
        "end outside usable address space"
    } else if !v.is_multiple_of(HEAP_ARENA_BYTES) {
        "misrounded allocation in sysAlloc"
    } else {
        return;
    };
    crate::panic::fatal_message(&[
        b"runtime: memory allocated by OS not in usable address space: ",
        bad.as_bytes(),
        b"\n",
    ]);
    throw("memory reservation exceeds address space limit");
}

/// Reserves `size` bytes aligned to `align`: reserves size+align and trims both ends (gc's
/// sysReserveAligned on Linux).
fn sys_reserve_aligned(size: usize, align: usize) -> Option<(usize, usize)> {
    let total = size.checked_add(align)?;
    let p = sys_reserve(0, total) as usize;
    if p == 0 {
        return None;
    }
    if p.is_multiple_of(align) {
        return Some((p, total));
    }
    let aligned = p.next_multiple_of(align);
    // SAFETY: both pieces belong to the reservation just made and are unused.
    unsafe {
        sys_free_os(p as *mut u8, aligned - p);
        let end = aligned + size;
        sys_free_os(end as *mut u8, p + total - end);
    }
    Some((aligned, size))
}

/// Size of a mark-bit arena (gc's gcBitsChunkBytes).
const GC_BITS_CHUNK_BYTES: usize = 64 << 10;
/// Bytes of an arena's header (free index, next link).
const GC_BITS_HEADER_BYTES: usize = 16;

/// A 64 KiB block that span bitmaps are bump-allocated from (gc's gcBitsArena).
#[repr(C)]
struct GcBitsArena {
    free: AtomicUsize,
    next: *mut GcBitsArena,
    bits: [u8; GC_BITS_CHUNK_BYTES - GC_BITS_HEADER_BYTES],
}

impl GcBitsArena {
    /// Bump-allocates `bytes` or returns null if the arena is full (gc's tryAlloc).
    fn try_alloc(this: *mut GcBitsArena, bytes: usize) -> *mut u8 {
        if this.is_null() {
            return core::ptr::null_mut();
        }
        // SAFETY: arenas are never unmapped; `free` is only changed atomically.
        unsafe {
            let a = &*this;
            let cap = a.bits.len();
            if a.free.load(Relaxed) + bytes > cap {
                return core::ptr::null_mut();
            }
            let end = a.free.fetch_add(bytes, Relaxed) + bytes;
            if end > cap {
                return core::ptr::null_mut();
            }
            (this as *mut u8).add(GC_BITS_HEADER_BYTES + end - bytes)
        }
    }
}

/// The lists of mark-bit arenas (gc's gcBitsArenas): `next` receives this epoch's bitmaps;
/// `current` and `previous` hold the two epochs before, which spans may still use.
struct GcBitsArenas {
    next: AtomicPtr<GcBitsArena>,
    lists: Locked<GcBitsLists>,
}

struct GcBitsLists {
    free: *mut GcBitsArena,
    current: *mut GcBitsArena,
    previous: *mut GcBitsArena,
}

// SAFETY: the lists are only touched under their lock.
unsafe impl Send for GcBitsLists {}

impl GcBitsArenas {
    const fn new() -> GcBitsArenas {
        GcBitsArenas {
            next: AtomicPtr::new(core::ptr::null_mut()),
            lists: Locked::new(GcBitsLists {
                free: core::ptr::null_mut(),
                current: core::ptr::null_mut(),
                previous: core::ptr::null_mut(),
            }),
        }
    }

    /// A zeroed bitmap of `nelems` bits, rounded up to whole 64-bit words (gc's
    /// newMarkBits).
    fn new_mark_bits(&self, nelems: usize) -> *mut u8 {
        let bytes = nelems.div_ceil(64) * 8;
        let p = GcBitsArena::try_alloc(self.next.load(Acquire), bytes);
        if !p.is_null() {
            return p;
        }
        let mut lists = self.lists.lock();
        let p = GcBitsArena::try_alloc(self.next.load(Acquire), bytes);
        if !p.is_null() {
            return p;
        }
        let fresh = new_gc_bits_arena(&mut lists);
        let p = GcBitsArena::try_alloc(fresh, bytes);
        if p.is_null() {
            throw("markBits overflow");
        }
        // SAFETY: `fresh` is not linked anywhere yet.
        unsafe { (*fresh).next = self.next.load(Relaxed) };
        self.next.store(fresh, Release);
        p
    }

    /// Allocation bitmaps come from the same arenas (gc's newAllocBits).
    fn new_alloc_bits(&self, nelems: usize) -> *mut u8 {
        self.new_mark_bits(nelems)
    }

    fn next_epoch(&self) {
        let mut l = self.lists.lock();
        if !l.previous.is_null() {
            let mut last = l.previous;
            // SAFETY: the lists are ours under the lock.
            unsafe {
                while !(*last).next.is_null() {
                    last = (*last).next;
                }
                (*last).next = l.free;
            }
            l.free = l.previous;
        }
        l.previous = l.current;
        l.current = self.next.load(Acquire);
        self.next.store(core::ptr::null_mut(), Release);
    }
}

/// An empty arena, recycled (and cleared) from the free list or newly mapped (gc's
/// newArenaMayUnlock; this version keeps the lock across the mmap).
fn new_gc_bits_arena(lists: &mut GcBitsLists) -> *mut GcBitsArena {
    let result = if lists.free.is_null() {
        let p = sys_alloc(GC_BITS_CHUNK_BYTES, &MEMSTATS.gc_misc_sys) as *mut GcBitsArena;
        if p.is_null() {
            throw("runtime: cannot allocate memory");
        }
        p
    } else {
        let r = lists.free;
        // SAFETY: free arenas belong to the lists; nothing references their bits any more.
        unsafe {
            lists.free = (*r).next;
            core::ptr::write_bytes(r as *mut u8, 0, GC_BITS_CHUNK_BYTES);
        }
        r
    };
    // SAFETY: the arena is ours.
    unsafe {
        (*result).next = core::ptr::null_mut();
        (*result).free.store(0, Relaxed);
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn span_classes_pack_size_class_and_noscan() {
        let spc = SpanClass::new(67, true);
        assert_eq!((spc.0, spc.sizeclass(), spc.noscan()), (135, 67, true));
        assert_eq!(SpanClass::new(5, false).0, 10);
        assert_eq!(TINY_SPAN_CLASS.0, 5);
        assert_eq!(NUM_SPAN_CLASSES, 136);
    }

    #[test]
    fn arena_index_round_trips_and_rejects_non_heap_addresses() {
        for p in [
            0x00c0_0000_0000usize,
            0x7fff_ffff_ffff,
            0x40_0000_0000,
            4096,
        ] {
            let ai = arena_index(p);
            assert!(ai < 1 << ARENA_BITS);
            assert!(arena_base(ai) <= p && p - arena_base(ai) < HEAP_ARENA_BYTES);
        }
        if cfg!(target_arch = "x86_64") {
            assert_eq!(
                arena_index(0),
                1 << (ARENA_BITS - 1),
                "0 is the middle of the index"
            );
        }
        assert!(
            arena_index(0x0001_0000_0000_0000usize.wrapping_add(ARENA_BASE_OFFSET))
                >= 1 << ARENA_BITS
        );
    }

    #[test]
    fn gc_bits_are_zeroed_aligned_and_recycled_two_epochs_later() {
        let bits = GcBitsArenas::new();
        let a = bits.new_mark_bits(1024);
        let b = bits.new_mark_bits(1);
        assert_eq!((a as usize) % 8, 0);
        assert_eq!(b as usize, a as usize + 128, "1024 bits, then one word");
        // SAFETY: 128 bytes allocated above.
        unsafe {
            assert!(core::slice::from_raw_parts(a, 128).iter().all(|&x| x == 0));
            core::ptr::write_bytes(a, 0xff, 128);
        }
        // Fill several arenas in this epoch.
        let many: Vec<usize> = (0..2000)
            .map(|_| bits.new_mark_bits(1024) as usize)
            .collect();
        let mut sorted = many.clone();
        sorted.sort();
        assert!(sorted.windows(2).all(|w| w[1] - w[0] >= 128));
        bits.next_epoch(); // this epoch's arenas become "current"
        bits.next_epoch(); // ... then "previous"
        bits.next_epoch(); // ... then free
        let c = bits.new_mark_bits(1024);
        let arena_of = |p: usize| p & !(GC_BITS_CHUNK_BYTES - 1);
        assert!(
            many.iter()
                .chain([a as usize].iter())
                .any(|&p| arena_of(p) == arena_of(c as usize)),
            "a freed arena is reused"
        );
        // SAFETY: 128 bytes allocated above.
        assert!(unsafe { core::slice::from_raw_parts(c, 128) }
            .iter()
            .all(|&x| x == 0));
    }
}
