//! Sets of spans (Go's mspanset.go).
//!
//! gc's spanSet is a lock-free FIFO of span pointers in 512-entry blocks, so that many Ps and
//! sweepers can push and pop at once. This one keeps gc's interface and FIFO order but
//! guards a ring buffer with a futex mutex: the critical sections are a few instructions
//! and happen once per span (not per object), which is cheap with goclift's P counts; it can
//! be replaced by gc's lock-free design without touching its users. Like gc's, it stores
//! pointers rather than linking spans through a field, so a span may sit in an unswept set
//! while the sweeper (having claimed it through its sweepgen) pushes it on a swept one.

use crate::lock_futex::Locked;
use crate::malloc::persistentalloc;
use crate::mheap::MSpan;
use crate::mstats::MEMSTATS;

/// A FIFO of spans (gc's spanSet).
pub struct SpanSet {
    ring: Locked<Ring>,
}

/// A growable ring buffer of span pointers in persistent memory.
struct Ring {
    buf: *mut *mut MSpan,
    cap: usize,
    head: usize,
    len: usize,
}

// SAFETY: the buffer belongs to the ring; the lock serialises access.
unsafe impl Send for Ring {}

impl SpanSet {
    /// An empty set; usable in statics.
    pub const fn new() -> SpanSet {
        SpanSet {
            ring: Locked::new(Ring {
                buf: core::ptr::null_mut(),
                cap: 0,
                head: 0,
                len: 0,
            }),
        }
    }

    /// Adds `s` at the tail (gc's push).
    pub fn push(&self, s: *mut MSpan) {
        let mut r = self.ring.lock();
        if r.len == r.cap {
            r.grow();
        }
        let tail = (r.head + r.len) % r.cap;
        // SAFETY: tail < cap.
        unsafe { *r.buf.add(tail) = s };
        r.len += 1;
    }

    /// Removes and returns the span at the head, or null if the set is empty (gc's pop).
    pub fn pop(&self) -> *mut MSpan {
        let mut r = self.ring.lock();
        if r.len == 0 {
            return core::ptr::null_mut();
        }
        // SAFETY: head < cap and the slot holds a pushed span.
        let s = unsafe { *r.buf.add(r.head) };
        r.head = (r.head + 1) % r.cap;
        r.len -= 1;
        s
    }

    /// The number of spans in the set.
    pub fn len(&self) -> usize {
        self.ring.lock().len
    }

    /// Whether the set is empty.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

impl Default for SpanSet {
    fn default() -> SpanSet {
        SpanSet::new()
    }
}

impl Ring {
    /// Doubles the buffer, unrolling the ring into the new one. The old buffer is abandoned
    /// (persistent memory); the waste is bounded by the final size, as with gc's spine.
    fn grow(&mut self) {
        let cap = (self.cap * 2).max(32);
        let buf = persistentalloc(cap * 8, 8, &MEMSTATS.gc_misc_sys) as *mut *mut MSpan;
        for i in 0..self.len {
            // SAFETY: i-th element of the old ring into slot i of the new buffer.
            unsafe { *buf.add(i) = *self.buf.add((self.head + i) % self.cap) };
        }
        self.buf = buf;
        self.cap = cap;
        self.head = 0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fake(i: usize) -> *mut MSpan {
        (0x1000 + i * 8) as *mut MSpan
    }

    #[test]
    fn fifo_order_survives_growth_and_wraparound() {
        let set = SpanSet::new();
        assert!(set.pop().is_null());
        let mut next_in = 0;
        let mut next_out = 0;
        for round in 0..50 {
            for _ in 0..(round * 7 % 40 + 1) {
                set.push(fake(next_in));
                next_in += 1;
            }
            for _ in 0..(round * 5 % 30) {
                if next_out == next_in {
                    break;
                }
                assert_eq!(set.pop(), fake(next_out));
                next_out += 1;
            }
        }
        assert_eq!(set.len(), next_in - next_out);
        while next_out < next_in {
            assert_eq!(set.pop(), fake(next_out));
            next_out += 1;
        }
        assert!(set.is_empty());
    }

    #[test]
    fn concurrent_pushers_and_poppers_lose_nothing() {
        static SET: SpanSet = SpanSet::new();
        let pushers: Vec<_> = (0..4)
            .map(|t| {
                std::thread::spawn(move || {
                    for i in 0..5000 {
                        SET.push(fake(t * 5000 + i));
                    }
                })
            })
            .collect();
        let poppers: Vec<_> = (0..2)
            .map(|_| {
                std::thread::spawn(|| {
                    let mut got = Vec::new();
                    while got.len() < 10_000 {
                        let s = SET.pop();
                        if !s.is_null() {
                            got.push(s as usize);
                        }
                    }
                    got
                })
            })
            .collect();
        for p in pushers {
            p.join().unwrap();
        }
        let mut all: Vec<usize> = poppers
            .into_iter()
            .flat_map(|p| p.join().unwrap())
            .collect();
        all.sort();
        let want: Vec<usize> = (0..20_000).map(|i| fake(i) as usize).collect();
        assert_eq!(all, want);
    }
}
