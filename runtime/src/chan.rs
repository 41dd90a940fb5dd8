//! Channels (Go's chan.go): gc's hchan, a ring buffer with FIFO queues of waiting senders and
//! receivers; a value goes straight from a sender to a waiting receiver (or back) without
//! touching the buffer; close wakes every waiter.
//!
//! Invariants (gc's): at least one of sendq and recvq is empty, except for an unbuffered
//! channel with a single goroutine blocked on it for both sending and receiving in a select;
//! for buffered channels, qcount > 0 implies recvq is empty and qcount < dataqsiz implies
//! sendq is empty.

use crate::lock_futex::Mutex;
use crate::panic::throw;
use crate::proc::{acquire_sudog, gopark, goready, lock, release_sudog, unlock};
use crate::r#type::Type;
use crate::runtime2::{GList, Sudog, WaitReason, G, M};
use core::ptr::null_mut;
use core::sync::atomic::Ordering::SeqCst;
use core::sync::atomic::{AtomicU32, AtomicUsize};

/// A queue of waiting goroutines' sudogs (gc's waitq).
#[repr(C)]
pub struct WaitQ {
    /// Oldest waiter.
    pub first: *mut Sudog,
    /// Newest waiter.
    pub last: *mut Sudog,
}

/// A channel (gc's hchan). Layout is gc's: compiled code may read `len(c)` at offset 0 and
/// `cap(c)` at offset 8 directly.
#[repr(C)]
pub struct HChan {
    /// Elements in the buffer (gc's qcount).
    pub qcount: AtomicUsize,
    /// Size of the ring buffer (gc's dataqsiz).
    pub dataqsiz: usize,
    /// The ring of `dataqsiz` elements.
    pub buf: *mut u8,
    /// Element size.
    pub elemsize: u16,
    /// Nonzero once closed.
    pub closed: AtomicU32,
    /// Element type, or null for channels made by size only.
    pub elemtype: *const Type,
    /// Next slot to send into.
    pub sendx: usize,
    /// Next slot to receive from.
    pub recvx: usize,
    /// Blocked receivers.
    pub recvq: WaitQ,
    /// Blocked senders.
    pub sendq: WaitQ,
    /// Guards everything above, and the fields of the sudogs queued here.
    pub lock: Mutex,
}

/// Size of the channel header, rounded to the allocator's alignment (gc's hchanSize).
pub const HCHAN_SIZE: usize = core::mem::size_of::<HChan>().next_multiple_of(8);

/// Byte offset of `qcount` (len) for compiled code.
pub const HCHAN_QCOUNT_OFFSET: usize = 0;
/// Byte offset of `dataqsiz` (cap) for compiled code.
pub const HCHAN_DATAQSIZ_OFFSET: usize = 8;

impl WaitQ {
    /// Appends `sgp` (gc's enqueue).
    pub unsafe fn enqueue(&mut self, sgp: *mut Sudog) {
        (*sgp).next = null_mut();
        let x = self.last;
        if x.is_null() {
            (*sgp).prev = null_mut();
            self.first = sgp;
            self.last = sgp;
            return;
        }
        (*sgp).prev = x;
        (*x).next = sgp;
        self.last = sgp;
    }

    /// Removes the oldest waiter, skipping select waiters whose select already completed
    /// (gc's dequeue).
    pub unsafe fn dequeue(&mut self) -> *mut Sudog {
        loop {
            let sgp = self.first;
            if sgp.is_null() {
                return null_mut();
            }
            let y = (*sgp).next;
            if y.is_null() {
                self.first = null_mut();
                self.last = null_mut();
            } else {
                (*y).prev = null_mut();
                self.first = y;
                (*sgp).next = null_mut();
            }
            // A select waiter is queued on all its channels; the first to claim the g wins.
            if (*sgp).is_select
                && (*(*sgp).g)
                    .select_done
                    .compare_exchange(0, 1, SeqCst, SeqCst)
                    .is_err()
            {
                continue;
            }
            return sgp;
        }
    }

    /// Unlinks `sgp`, which may or may not be queued here (gc's dequeueSudoG).
    pub unsafe fn dequeue_sudog(&mut self, sgp: *mut Sudog) {
        let x = (*sgp).prev;
        let y = (*sgp).next;
        if !x.is_null() {
            if !y.is_null() {
                // Middle of queue.
                (*x).next = y;
                (*y).prev = x;
                (*sgp).next = null_mut();
                (*sgp).prev = null_mut();
                return;
            }
            // End of queue.
            (*x).next = null_mut();
            self.last = x;
            (*sgp).prev = null_mut();
            return;
        }
        if !y.is_null() {
            // Start of queue.
            (*y).prev = null_mut();
            self.first = y;
            (*sgp).next = null_mut();
            return;
        }
        // x == y == nil: either sgp is the only element or it has been removed already.
        if self.first == sgp {
            self.first = null_mut();
            self.last = null_mut();
        }
    }
}

/// The address of slot `i` of the buffer (gc's chanbuf).
#[inline]
pub unsafe fn chanbuf(c: *mut HChan, i: usize) -> *mut u8 {
    (*c).buf.add(i * (*c).elemsize as usize)
}

/// Copies one element (gc's typedmemmove; write barriers come with the collector).
#[inline]
unsafe fn typedmemmove(c: *mut HChan, dst: *mut u8, src: *const u8) {
    let n = (*c).elemsize as usize;
    if n != 0 && dst as *const u8 != src {
        crate::mbarrier::bulk_barrier_pre_write(dst as usize, src as usize, n);
        crate::slice::memmove_words(dst, src, n);
    }
}

/// Zeroes one element (gc's typedmemclr).
#[inline]
unsafe fn typedmemclr(c: *mut HChan, p: *mut u8) {
    crate::mbarrier::bulk_barrier_pre_write(p as usize, 0, (*c).elemsize as usize);
    core::ptr::write_bytes(p, 0, (*c).elemsize as usize);
}

/// The largest element a channel may hold (gc: elem.size must be < 1<<16).
pub const MAX_ELEM_SIZE: usize = (1 << 16) - 1;

/// Makes a channel of `size` elements of `elemsize` bytes (gc's makechan, by size). The
/// buffer is allocated as possibly holding pointers (the collector scans it conservatively)
/// unless `typ` says otherwise. Panics like gc for a negative or too large size.
///
/// # Safety
/// `gp` must be the calling goroutine (holding a P); `typ` null or a valid type descriptor.
pub unsafe fn makechan(elemsize: usize, typ: *const Type, size: isize, gp: *mut G) -> *mut HChan {
    if elemsize > MAX_ELEM_SIZE {
        throw("makechan: invalid channel element type");
    }
    let mem = (elemsize as u128) * (size.max(0) as u128);
    if size < 0 || mem > (crate::malloc::MAX_ALLOC - HCHAN_SIZE) as u128 {
        crate::panic::panic_plain("makechan: size out of range");
    }
    let mem = mem as usize;
    let noscan = !typ.is_null() && (*typ).noscan();
    let c = if mem == 0 || noscan {
        // Elements without pointers (or none at all): one allocation, buffer after the header.
        let c = crate::malloc::malloc_untyped(HCHAN_SIZE + mem, false, true, (*gp).m) as *mut HChan;
        (*c).buf = if mem == 0 {
            c as *mut u8
        } else {
            (c as *mut u8).add(HCHAN_SIZE)
        };
        c
    } else {
        let c = crate::malloc::malloc_untyped(HCHAN_SIZE, false, true, (*gp).m) as *mut HChan;
        // The first allocation may have parked the goroutine (a collection) and resumed it
        // on another M: its M is read again.
        (*c).buf = crate::malloc::malloc_untyped(mem, false, true, (*gp).m);
        c
    };
    (*c).elemsize = elemsize as u16;
    (*c).elemtype = typ;
    (*c).dataqsiz = size as usize;
    c
}

/// Whether a send would block (gc's full), without the lock.
#[inline]
unsafe fn full(c: *mut HChan) -> bool {
    if (*c).dataqsiz == 0 {
        // An unbuffered send needs a waiting receiver.
        return core::ptr::read_volatile(&(*c).recvq.first).is_null();
    }
    (*c).qcount.load(SeqCst) == (*c).dataqsiz
}

/// Whether a receive would block (gc's empty), without the lock.
#[inline]
unsafe fn empty(c: *mut HChan) -> bool {
    if (*c).dataqsiz == 0 {
        return core::ptr::read_volatile(&(*c).sendq.first).is_null();
    }
    (*c).qcount.load(SeqCst) == 0
}

/// Sends the element at `ep` on `c` (gc's chansend). With `block` false, returns false
/// instead of blocking. `gp` is the calling goroutine.
///
/// # Safety
/// `gp` must be the calling goroutine; `c` null or a channel; `ep` readable for elemsize.
pub unsafe fn chansend(c: *mut HChan, ep: *const u8, block: bool, gp: *mut G) -> bool {
    if c.is_null() {
        if !block {
            return false;
        }
        gopark(gp, None, null_mut(), WaitReason::ChanSendNilChan);
        throw("unreachable");
    }
    // Fast path: a non-blocking send on a full channel that is not closed fails without the
    // lock (gc's reasoning: both observations were true at some moment).
    if !block && (*c).closed.load(SeqCst) == 0 && full(c) {
        return false;
    }
    lock(&(*c).lock);
    if (*c).closed.load(SeqCst) != 0 {
        unlock(&(*c).lock);
        crate::panic::panic_plain("send on closed channel");
    }
    let sg = (*c).recvq.dequeue();
    if !sg.is_null() {
        // A receiver is waiting: hand the value over directly.
        send(c, sg, ep, gp);
        return true;
    }
    if (*c).qcount.load(SeqCst) < (*c).dataqsiz {
        let qp = chanbuf(c, (*c).sendx);
        typedmemmove(c, qp, ep);
        (*c).sendx += 1;
        if (*c).sendx == (*c).dataqsiz {
            (*c).sendx = 0;
        }
        (*c).qcount.fetch_add(1, SeqCst);
        unlock(&(*c).lock);
        return true;
    }
    if !block {
        unlock(&(*c).lock);
        return false;
    }
    // Block on the channel; a receiver will complete the operation.
    let mysg = acquire_sudog(gp);
    (*mysg).elem = ep as *mut u8;
    (*mysg).waitlink = null_mut();
    (*mysg).g = gp;
    (*mysg).is_select = false;
    (*mysg).c = c;
    (*gp).waiting = mysg;
    (*gp).param = null_mut();
    (*c).sendq.enqueue(mysg);
    (*gp).parking_on_chan.store(true, SeqCst);
    gopark(
        gp,
        Some(chanparkcommit),
        &raw mut (*c).lock as *mut u8,
        WaitReason::ChanSend,
    );
    // Someone woke us up.
    if mysg != (*gp).waiting {
        throw("G waiting list is corrupted");
    }
    (*gp).waiting = null_mut();
    let closed = !(*mysg).success;
    (*gp).param = null_mut();
    (*mysg).c = null_mut();
    release_sudog(gp, mysg);
    if closed {
        if (*c).closed.load(SeqCst) == 0 {
            throw("chansend: spurious wakeup");
        }
        crate::panic::panic_plain("send on closed channel");
    }
    true
}

/// Completes a send to the waiting receiver `sg` (gc's send); unlocks the channel.
unsafe fn send(c: *mut HChan, sg: *mut Sudog, ep: *const u8, gp: *mut G) {
    if !(*sg).elem.is_null() {
        // Straight to the receiver's variable (possibly on its stack).
        typedmemmove(c, (*sg).elem, ep);
        (*sg).elem = null_mut();
    }
    let rgp = (*sg).g;
    unlock(&(*c).lock);
    (*rgp).param = sg as *mut u8;
    (*sg).success = true;
    goready((*gp).m, rgp);
}

/// send for select: the caller's unlock is selunlock.
pub(crate) unsafe fn send_locked(
    c: *mut HChan,
    sg: *mut Sudog,
    ep: *const u8,
    gp: *mut G,
    unlockf: impl FnOnce(),
) {
    if !(*sg).elem.is_null() {
        typedmemmove(c, (*sg).elem, ep);
        (*sg).elem = null_mut();
    }
    let rgp = (*sg).g;
    unlockf();
    (*rgp).param = sg as *mut u8;
    (*sg).success = true;
    goready((*gp).m, rgp);
}

/// Receives from `c` into `ep` (null: discard) (gc's chanrecv). Returns (selected,
/// received): with `block` false, selected is false if it would block; received is false
/// when the zero value was returned because the channel is closed.
///
/// # Safety
/// As for chansend; `ep` null or writable for elemsize.
pub unsafe fn chanrecv(c: *mut HChan, ep: *mut u8, block: bool, gp: *mut G) -> (bool, bool) {
    if c.is_null() {
        if !block {
            return (false, false);
        }
        gopark(gp, None, null_mut(), WaitReason::ChanReceiveNilChan);
        throw("unreachable");
    }
    // Fast path: a non-blocking receive on an empty channel.
    if !block && empty(c) {
        if (*c).closed.load(SeqCst) == 0 {
            return (false, false);
        }
        // Closed: re-check emptiness, a send may have come in before the close.
        if empty(c) {
            if !ep.is_null() {
                typedmemclr(c, ep);
            }
            return (true, false);
        }
    }
    lock(&(*c).lock);
    if (*c).closed.load(SeqCst) != 0 {
        if (*c).qcount.load(SeqCst) == 0 {
            unlock(&(*c).lock);
            if !ep.is_null() {
                typedmemclr(c, ep);
            }
            return (true, false);
        }
        // Closed with buffered data: receive it below.
    } else {
        let sg = (*c).sendq.dequeue();
        if !sg.is_null() {
            // A sender waits: take its value (unbuffered), or the buffer's head while the
            // sender's value goes to the tail (full buffer).
            recv(c, sg, ep, gp, || unlock(&(*c).lock));
            return (true, true);
        }
    }
    if (*c).qcount.load(SeqCst) > 0 {
        let qp = chanbuf(c, (*c).recvx);
        if !ep.is_null() {
            typedmemmove(c, ep, qp);
        }
        typedmemclr(c, qp);
        (*c).recvx += 1;
        if (*c).recvx == (*c).dataqsiz {
            (*c).recvx = 0;
        }
        (*c).qcount.fetch_sub(1, SeqCst);
        unlock(&(*c).lock);
        return (true, true);
    }
    if !block {
        unlock(&(*c).lock);
        return (false, false);
    }
    let mysg = acquire_sudog(gp);
    (*mysg).elem = ep;
    (*mysg).waitlink = null_mut();
    (*gp).waiting = mysg;
    (*mysg).g = gp;
    (*mysg).is_select = false;
    (*mysg).c = c;
    (*gp).param = null_mut();
    (*c).recvq.enqueue(mysg);
    (*gp).parking_on_chan.store(true, SeqCst);
    gopark(
        gp,
        Some(chanparkcommit),
        &raw mut (*c).lock as *mut u8,
        WaitReason::ChanReceive,
    );
    if mysg != (*gp).waiting {
        throw("G waiting list is corrupted");
    }
    (*gp).waiting = null_mut();
    let success = (*mysg).success;
    (*gp).param = null_mut();
    (*mysg).c = null_mut();
    release_sudog(gp, mysg);
    (true, success)
}

/// Completes a receive from the waiting sender `sg` (gc's recv); `unlockf` unlocks.
pub(crate) unsafe fn recv(
    c: *mut HChan,
    sg: *mut Sudog,
    ep: *mut u8,
    gp: *mut G,
    unlockf: impl FnOnce(),
) {
    if (*c).dataqsiz == 0 {
        if !ep.is_null() {
            // Straight from the sender.
            typedmemmove(c, ep, (*sg).elem);
        }
    } else {
        // The buffer is full: take its head and put the sender's value at the tail, which is
        // the same slot since the ring is full.
        let qp = chanbuf(c, (*c).recvx);
        if !ep.is_null() {
            typedmemmove(c, ep, qp);
        }
        typedmemmove(c, qp, (*sg).elem);
        (*c).recvx += 1;
        if (*c).recvx == (*c).dataqsiz {
            (*c).recvx = 0;
        }
        (*c).sendx = (*c).recvx;
    }
    (*sg).elem = null_mut();
    let sgp = (*sg).g;
    unlockf();
    (*sgp).param = sg as *mut u8;
    (*sg).success = true;
    goready((*gp).m, sgp);
}

/// Releases the channel lock once the goroutine is parked (gc's chanparkcommit).
unsafe fn chanparkcommit(gp: *mut G, chan_lock: *mut u8, _mp: *mut M) -> bool {
    (*gp).parking_on_chan.store(false, SeqCst);
    unlock(&*(chan_lock as *const Mutex));
    true
}

/// Closes `c` (gc's closechan): wakes all receivers (with zero values) and all senders
/// (which panic).
///
/// # Safety
/// `gp` must be the calling goroutine.
pub unsafe fn closechan(c: *mut HChan, gp: *mut G) {
    if c.is_null() {
        crate::panic::panic_plain("close of nil channel");
    }
    lock(&(*c).lock);
    if (*c).closed.load(SeqCst) != 0 {
        unlock(&(*c).lock);
        crate::panic::panic_plain("close of closed channel");
    }
    (*c).closed.store(1, SeqCst);
    let mut glist = GList::new();
    // Release all readers.
    loop {
        let sg = (*c).recvq.dequeue();
        if sg.is_null() {
            break;
        }
        if !(*sg).elem.is_null() {
            typedmemclr(c, (*sg).elem);
            (*sg).elem = null_mut();
        }
        let wgp = (*sg).g;
        (*wgp).param = sg as *mut u8;
        (*sg).success = false;
        glist.push(wgp);
    }
    // Release all writers (they will panic).
    loop {
        let sg = (*c).sendq.dequeue();
        if sg.is_null() {
            break;
        }
        (*sg).elem = null_mut();
        let wgp = (*sg).g;
        (*wgp).param = sg as *mut u8;
        (*sg).success = false;
        glist.push(wgp);
    }
    unlock(&(*c).lock);
    // Ready all Gs now that the channel lock is dropped.
    while !glist.empty() {
        let wgp = glist.pop();
        (*wgp).schedlink = null_mut();
        goready((*gp).m, wgp);
    }
}

/// len(c) (gc's chanlen): 0 for a nil channel.
pub unsafe fn chanlen(c: *mut HChan) -> isize {
    if c.is_null() {
        return 0;
    }
    (*c).qcount.load(SeqCst) as isize
}

/// cap(c) (gc's chancap): 0 for a nil channel.
pub unsafe fn chancap(c: *mut HChan) -> isize {
    if c.is_null() {
        return 0;
    }
    (*c).dataqsiz as isize
}

/// Parks the goroutine forever: `select {}` (gc's block).
pub unsafe fn block(gp: *mut G) -> ! {
    gopark(gp, None, null_mut(), WaitReason::SelectNoCases);
    throw("unreachable")
}

#[cfg(test)]
#[path = "chan_test.rs"]
mod chan_tests;

#[cfg(test)]
mod tests {
    use super::*;
    use core::mem::offset_of;

    #[test]
    fn hchan_layout_starts_with_len_and_cap() {
        assert_eq!(offset_of!(HChan, qcount), HCHAN_QCOUNT_OFFSET);
        assert_eq!(offset_of!(HChan, dataqsiz), HCHAN_DATAQSIZ_OFFSET);
        assert_eq!(offset_of!(HChan, buf), 16);
        assert_eq!(offset_of!(HChan, elemsize), 24);
        assert_eq!(offset_of!(HChan, closed), 28);
        assert_eq!(offset_of!(HChan, elemtype), 32);
    }
}

// Entry points for compiled Go code (C ABI, g in the g register; see runtime/README.md).

unsafe extern "C" fn makechan_from_go(elemsize: usize, size: isize, gp: *mut G) -> *mut HChan {
    makechan(elemsize, core::ptr::null(), size, gp)
}

crate::go_entry!(
    /// `make(chan T, size)`: `runtime.makechan(elemsize uintptr, size int) *hchan`.
    makechan_entry = "runtime.makechan"(elemsize: usize, size: isize) -> *mut HChan;
    g in "rdx" / "x2" => makechan_from_go
);

unsafe extern "C" fn chansend1_from_go(c: *mut HChan, elem: *const u8, gp: *mut G) {
    chansend(c, elem, true, gp);
}

crate::go_entry!(
    /// `c <- v`: `runtime.chansend1(c *hchan, elem *T)`.
    chansend1_entry = "runtime.chansend1"(c: *mut HChan, elem: *const u8);
    g in "rdx" / "x2" => chansend1_from_go
);

unsafe extern "C" fn chanrecv1_from_go(c: *mut HChan, elem: *mut u8, gp: *mut G) {
    chanrecv(c, elem, true, gp);
}

crate::go_entry!(
    /// `v = <-c`: `runtime.chanrecv1(c *hchan, elem *T)`; elem may be nil to discard.
    chanrecv1_entry = "runtime.chanrecv1"(c: *mut HChan, elem: *mut u8);
    g in "rdx" / "x2" => chanrecv1_from_go
);

unsafe extern "C" fn chanrecv2_from_go(c: *mut HChan, elem: *mut u8, gp: *mut G) -> bool {
    chanrecv(c, elem, true, gp).1
}

crate::go_entry!(
    /// `v, ok = <-c`: `runtime.chanrecv2(c *hchan, elem *T) (received bool)`.
    chanrecv2_entry = "runtime.chanrecv2"(c: *mut HChan, elem: *mut u8) -> bool;
    g in "rdx" / "x2" => chanrecv2_from_go
);

unsafe extern "C" fn closechan_from_go(c: *mut HChan, gp: *mut G) {
    closechan(c, gp)
}

crate::go_entry!(
    /// `close(c)`: `runtime.closechan(c *hchan)`.
    closechan_entry = "runtime.closechan"(c: *mut HChan);
    g in "rsi" / "x1" => closechan_from_go
);

unsafe extern "C" fn chanlen_from_go(c: *mut HChan, _gp: *mut G) -> isize {
    chanlen(c)
}

crate::go_entry!(
    /// `len(c)`: `runtime.chanlen(c *hchan) int` (or read hchan.qcount at offset 0 inline).
    chanlen_entry = "runtime.chanlen"(c: *mut HChan) -> isize;
    g in "rsi" / "x1" => chanlen_from_go
);

unsafe extern "C" fn chancap_from_go(c: *mut HChan, _gp: *mut G) -> isize {
    chancap(c)
}

crate::go_entry!(
    /// `cap(c)`: `runtime.chancap(c *hchan) int` (or read hchan.dataqsiz at offset 8).
    chancap_entry = "runtime.chancap"(c: *mut HChan) -> isize;
    g in "rsi" / "x1" => chancap_from_go
);

unsafe extern "C" fn block_from_go(gp: *mut G) {
    block(gp)
}

crate::go_entry!(
    /// `select {}`: `runtime.block()` parks the goroutine forever.
    block_entry = "runtime.block"();
    g in "rdi" / "x0" => block_from_go
);
