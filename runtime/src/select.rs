//! select (Go's select.go): gc's selectgo, with a random poll order, channels locked in
//! address order, and one sudog per case queued on every channel while blocked.

use crate::chan::{chanbuf, recv, send_locked, HChan};
use crate::panic::throw;
use crate::proc::{acquire_sudog, fastrandn, gopark, lock, release_sudog, unlock};
use crate::runtime2::{Sudog, WaitReason, G, M};
use core::ptr::null_mut;
use core::sync::atomic::Ordering::SeqCst;

/// One case of a select (gc's scase): the channel and the element to send from or receive
/// into (null to discard a received value). The compiler lays out the send cases first, then
/// the receive cases.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct SCase {
    /// The channel; null cases never proceed.
    pub c: *mut HChan,
    /// The value to send, or where to put the received value.
    pub elem: *mut u8,
}

/// Locks the cases' channels in lock order, each once (gc's sellock).
unsafe fn sellock(scases: &[SCase], lockorder: &[u16]) {
    let mut c: *mut HChan = null_mut();
    for &o in lockorder {
        let c0 = scases[o as usize].c;
        if c0 != c {
            c = c0;
            lock(&(*c).lock);
        }
    }
}

/// Unlocks them in reverse order (gc's selunlock). After the last unlock the goroutine may be
/// woken and its stack (holding `scases`) reused, so nothing is touched after it.
unsafe fn selunlock(scases: &[SCase], lockorder: &[u16]) {
    for i in (0..lockorder.len()).rev() {
        let c = scases[lockorder[i] as usize].c;
        if i > 0 && c == scases[lockorder[i - 1] as usize].c {
            continue; // will unlock it on the next iteration
        }
        unlock(&(*c).lock);
    }
}

/// Unlocks all channels once the goroutine is parked (gc's selparkcommit). The sudogs on
/// gp.waiting are in lock order.
unsafe fn selparkcommit(gp: *mut G, _lock: *mut u8, _mp: *mut M) -> bool {
    (*gp).parking_on_chan.store(false, SeqCst);
    let mut lastc: *mut HChan = null_mut();
    let mut sg = (*gp).waiting;
    while !sg.is_null() {
        if (*sg).c != lastc && !lastc.is_null() {
            unlock(&(*lastc).lock);
        }
        lastc = (*sg).c;
        sg = (*sg).waitlink;
    }
    if !lastc.is_null() {
        unlock(&(*lastc).lock);
    }
    true
}

/// Sorts the channel lock order by address with a heap sort (gc's selectgo does the same,
/// to avoid recursion and allocation).
unsafe fn sort_lockorder(scases: &[SCase], pollorder: &[u16], lockorder: &mut [u16]) {
    let key = |o: u16| scases[o as usize].c as usize;
    for i in 0..lockorder.len() {
        let mut j = i;
        // Start with the pollorder to permute cases on the same channel.
        let c = scases[pollorder[i] as usize].c as usize;
        while j > 0 && key(lockorder[(j - 1) / 2]) < c {
            let k = (j - 1) / 2;
            lockorder[j] = lockorder[k];
            j = k;
        }
        lockorder[j] = pollorder[i];
    }
    for i in (0..lockorder.len()).rev() {
        let o = lockorder[i];
        let c = key(o);
        lockorder[i] = lockorder[0];
        let mut j = 0;
        loop {
            let mut k = j * 2 + 1;
            if k >= i {
                break;
            }
            if k + 1 < i && key(lockorder[k]) < key(lockorder[k + 1]) {
                k += 1;
            }
            if c < key(lockorder[k]) {
                lockorder[j] = lockorder[k];
                j = k;
                continue;
            }
            break;
        }
        lockorder[j] = o;
    }
}

/// Implements the select statement (gc's selectgo). `cas0` points to `nsends + nrecvs`
/// cases, send cases first; `order0` to 2 * (nsends + nrecvs) u16 of scratch space (the
/// compiler reserves it on the stack). With `block` false the select has a default case and
/// -1 is returned when no case is ready. Returns the index of the chosen case and, for a
/// receive, whether a value was received (false: the channel was closed).
///
/// # Safety
/// `gp` must be the calling goroutine; the arrays must be valid as described.
pub unsafe fn selectgo(
    cas0: *mut SCase,
    order0: *mut u16,
    nsends: usize,
    nrecvs: usize,
    block: bool,
    gp: *mut G,
) -> (isize, bool) {
    let ncases = nsends + nrecvs;
    let scases = core::slice::from_raw_parts_mut(cas0, ncases);
    let order1 = core::slice::from_raw_parts_mut(order0, 2 * ncases);
    let (pollorder_all, lockorder_all) = order1.split_at_mut(ncases);

    // Generate a random permutation of the cases, skipping nil channels (which never
    // proceed), by Knuth's inside-out shuffle.
    let mut norder = 0;
    for i in 0..ncases {
        if scases[i].c.is_null() {
            scases[i].elem = null_mut();
            continue;
        }
        let j = fastrandn((*gp).m, (norder + 1) as u32) as usize;
        pollorder_all[norder] = pollorder_all[j];
        pollorder_all[j] = i as u16;
        norder += 1;
    }
    let pollorder = &pollorder_all[..norder];
    let lockorder = &mut lockorder_all[..norder];
    sort_lockorder(scases, pollorder, lockorder);

    sellock(scases, lockorder);

    // Pass 1: look for something already waiting.
    for &casei in pollorder {
        let casi = casei as usize;
        let cas = scases[casi];
        let c = cas.c;
        if casi >= nsends {
            let sg = (*c).sendq.dequeue();
            if !sg.is_null() {
                recv(c, sg, cas.elem, gp, || selunlock(scases, lockorder));
                return (casi as isize, true);
            }
            if (*c).qcount.load(SeqCst) > 0 {
                bufrecv(c, cas.elem);
                selunlock(scases, lockorder);
                return (casi as isize, true);
            }
            if (*c).closed.load(SeqCst) != 0 {
                selunlock(scases, lockorder);
                if !cas.elem.is_null() {
                    crate::mbarrier::bulk_barrier_pre_write(cas.elem as usize, 0, (*c).elemsize as usize);
                    core::ptr::write_bytes(cas.elem, 0, (*c).elemsize as usize);
                }
                return (casi as isize, false);
            }
        } else {
            if (*c).closed.load(SeqCst) != 0 {
                selunlock(scases, lockorder);
                crate::panic::panic_plain("send on closed channel");
            }
            let sg = (*c).recvq.dequeue();
            if !sg.is_null() {
                send_locked(c, sg, cas.elem, gp, || selunlock(scases, lockorder));
                return (casi as isize, false);
            }
            if (*c).qcount.load(SeqCst) < (*c).dataqsiz {
                bufsend(c, cas.elem);
                selunlock(scases, lockorder);
                return (casi as isize, false);
            }
        }
    }

    if !block {
        selunlock(scases, lockorder);
        return (-1, false);
    }

    // Pass 2: enqueue on all channels.
    if !(*gp).waiting.is_null() {
        throw("gp.waiting != nil");
    }
    let mut nextp: *mut *mut Sudog = &raw mut (*gp).waiting;
    for &casei in lockorder.iter() {
        let casi = casei as usize;
        let cas = scases[casi];
        let c = cas.c;
        let sg = acquire_sudog(gp);
        (*sg).g = gp;
        (*sg).is_select = true;
        // No stack splitting between assigning elem and enqueuing sg on gp.waiting, where
        // copystack can find it (gc's comment; goclift's stacks do not move).
        (*sg).elem = cas.elem;
        (*sg).c = c;
        // Construct waiting list in lock order.
        *nextp = sg;
        nextp = &raw mut (*sg).waitlink;
        if casi < nsends {
            (*c).sendq.enqueue(sg);
        } else {
            (*c).recvq.enqueue(sg);
        }
    }

    // Wait for someone to wake us up.
    (*gp).param = null_mut();
    (*gp).parking_on_chan.store(true, SeqCst);
    gopark(gp, Some(selparkcommit), null_mut(), WaitReason::Select);

    sellock(scases, lockorder);
    (*gp).select_done.store(0, SeqCst);
    let sg = (*gp).param as *mut Sudog;
    (*gp).param = null_mut();

    // Pass 3: dequeue from unsuccessful channels, otherwise they stack up on quiet channels.
    // Record the successful case, if any; the sudogs are in lock order.
    let mut casi: isize = -1;
    let mut cas: Option<SCase> = None;
    let mut case_success = false;
    let mut sglist = (*gp).waiting;
    // Clear all elem before unlinking from gp.waiting.
    let mut sg1 = (*gp).waiting;
    while !sg1.is_null() {
        (*sg1).is_select = false;
        (*sg1).elem = null_mut();
        (*sg1).c = null_mut();
        sg1 = (*sg1).waitlink;
    }
    (*gp).waiting = null_mut();
    for &casei in lockorder.iter() {
        let k = scases[casei as usize];
        if sg == sglist {
            // sg has already been dequeued by the G that woke us up.
            casi = casei as isize;
            cas = Some(k);
            case_success = (*sglist).success;
        } else {
            let c = k.c;
            if (casei as usize) < nsends {
                (*c).sendq.dequeue_sudog(sglist);
            } else {
                (*c).recvq.dequeue_sudog(sglist);
            }
        }
        let sgnext = (*sglist).waitlink;
        (*sglist).waitlink = null_mut();
        release_sudog(gp, sglist);
        sglist = sgnext;
    }
    if cas.is_none() {
        throw("selectgo: bad wakeup");
    }
    selunlock(scases, lockorder);
    if (casi as usize) < nsends {
        if !case_success {
            crate::panic::panic_plain("send on closed channel");
        }
        return (casi, false);
    }
    (casi, case_success)
}

/// Receives from the buffer of `c` (locked) into `elem` (selectgo's bufrecv).
unsafe fn bufrecv(c: *mut HChan, elem: *mut u8) {
    let n = (*c).elemsize as usize;
    let qp = chanbuf(c, (*c).recvx);
    if !elem.is_null() {
        crate::mbarrier::bulk_barrier_pre_write(elem as usize, qp as usize, n);
        core::ptr::copy_nonoverlapping(qp, elem, n);
    }
    crate::mbarrier::bulk_barrier_pre_write(qp as usize, 0, n);
    core::ptr::write_bytes(qp, 0, n);
    (*c).recvx += 1;
    if (*c).recvx == (*c).dataqsiz {
        (*c).recvx = 0;
    }
    (*c).qcount.fetch_sub(1, SeqCst);
}

/// Sends `elem` into the buffer of `c` (locked) (selectgo's bufsend).
unsafe fn bufsend(c: *mut HChan, elem: *const u8) {
    let n = (*c).elemsize as usize;
    crate::mbarrier::bulk_barrier_pre_write(chanbuf(c, (*c).sendx) as usize, elem as usize, n);
    core::ptr::copy_nonoverlapping(elem, chanbuf(c, (*c).sendx), n);
    (*c).sendx += 1;
    if (*c).sendx == (*c).dataqsiz {
        (*c).sendx = 0;
    }
    (*c).qcount.fetch_add(1, SeqCst);
}

/// `select { case c <- v: ...; default: ... }` (gc's selectnbsend): whether it sent.
pub unsafe fn selectnbsend(c: *mut HChan, elem: *const u8, gp: *mut G) -> bool {
    crate::chan::chansend(c, elem, false, gp)
}

/// `select { case v, ok = <-c: ...; default: ... }` (gc's selectnbrecv): (selected, received).
pub unsafe fn selectnbrecv(elem: *mut u8, c: *mut HChan, gp: *mut G) -> (bool, bool) {
    crate::chan::chanrecv(c, elem, false, gp)
}

// Entry points for compiled Go code (C ABI, g in the g register; see runtime/README.md).

unsafe extern "C" fn selectgo_from_go(
    cas0: *mut SCase,
    order0: *mut u16,
    nsends: usize,
    nrecvs: usize,
    block: usize,
    gp: *mut G,
) -> crate::arch::Pair {
    let (i, ok) = selectgo(cas0, order0, nsends, nrecvs, block & 0xff != 0, gp);
    crate::arch::Pair(i as usize, ok as usize)
}

crate::go_entry!(
    /// `select`: `runtime.selectgo(cas0 *scase, order0 *uint16, nsends, nrecvs int, block
    /// bool) (int, bool)`: gc's selectgo without the race detector's pc0. Returns the chosen
    /// case (-1: default) in the first register and recvOK in the second.
    selectgo_entry = "runtime.selectgo"(
        cas0: *mut SCase,
        order0: *mut u16,
        nsends: usize,
        nrecvs: usize,
        block: usize
    ) -> crate::arch::Pair;
    g in "r9" / "x5" => selectgo_from_go
);

unsafe extern "C" fn selectnbsend_from_go(c: *mut HChan, elem: *const u8, gp: *mut G) -> bool {
    selectnbsend(c, elem, gp)
}

crate::go_entry!(
    /// `select { case c <- v: ... default: ... }`: `runtime.selectnbsend(c *hchan, elem *T)
    /// (selected bool)`.
    selectnbsend_entry = "runtime.selectnbsend"(c: *mut HChan, elem: *const u8) -> bool;
    g in "rdx" / "x2" => selectnbsend_from_go
);

unsafe extern "C" fn selectnbrecv_from_go(
    elem: *mut u8,
    c: *mut HChan,
    gp: *mut G,
) -> crate::arch::Pair {
    let (selected, received) = selectnbrecv(elem, c, gp);
    crate::arch::Pair(selected as usize, received as usize)
}

crate::go_entry!(
    /// `select { case v, ok = <-c: ... default: ... }`: `runtime.selectnbrecv(elem *T, c
    /// *hchan) (selected, received bool)`, the two results in two registers.
    selectnbrecv_entry = "runtime.selectnbrecv"(elem: *mut u8, c: *mut HChan) -> crate::arch::Pair;
    g in "rdx" / "x2" => selectnbrecv_from_go
);
