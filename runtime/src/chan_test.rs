//! Channel and select tests on the real scheduler (see proc_test.rs for the harness).

use super::*;
use crate::proc::tests::{exclusive, go, make, recv, run, send, Ch};
use crate::proc::{gosched, readgstatus};
use crate::runtime2::G_WAITING;
use crate::select::{selectgo, selectnbrecv, selectnbsend, SCase};
use std::sync::atomic::{AtomicI64, AtomicUsize as StdAtomicUsize};
use std::sync::{Arc, Mutex as StdMutex};

/// Waits (yielding) until `cond` holds.
fn wait_until(gp: *mut G, what: &str, mut cond: impl FnMut() -> bool) {
    let mut n = 0u64;
    while !cond() {
        n += 1;
        assert!(n < 50_000_000, "timed out waiting for {what}");
        // SAFETY: gp is the calling goroutine.
        unsafe { gosched(gp) };
    }
}

/// Whether goroutine `g` is parked.
fn parked(g: *mut G) -> bool {
    // SAFETY: G records are never freed.
    unsafe { readgstatus(g) == G_WAITING }
}

#[test]
fn unbuffered_ping_pong_hands_values_over_directly() {
    let _x = exclusive();
    run(|gp| {
        let ping = make::<u64>(gp, 0);
        let pong = make::<u64>(gp, 0);
        let (pi, po) = (Ch(ping), Ch(pong));
        go(gp, move |g| loop {
            let (v, ok) = recv::<u64>(g, pi.c());
            if !ok {
                break;
            }
            send(g, po.c(), v * 2);
        });
        for i in 0..20_000u64 {
            send(gp, ping, i);
            let (v, ok) = recv::<u64>(gp, pong);
            assert!(ok);
            assert_eq!(v, i * 2);
        }
        // SAFETY: gp is the calling goroutine.
        unsafe { closechan(ping, gp) };
    });
}

#[test]
fn buffered_channel_is_a_fifo_with_len_and_cap() {
    let _x = exclusive();
    run(|gp| unsafe {
        let c = make::<u32>(gp, 100);
        assert_eq!((chanlen(c), chancap(c)), (0, 100));
        for i in 0..100u32 {
            assert!(selectnbsend(c, &i as *const u32 as *const u8, gp), "room for {i}");
        }
        assert_eq!(chanlen(c), 100);
        let x = 7u32;
        assert!(!selectnbsend(c, &x as *const u32 as *const u8, gp), "full");
        for i in 0..100u32 {
            assert_eq!(recv::<u32>(gp, c), (i, true));
        }
        let mut v = 0u32;
        assert_eq!(selectnbrecv(&mut v as *mut u32 as *mut u8, c, gp), (false, false));
        assert_eq!((chanlen(null_mut()), chancap(null_mut())), (0, 0));
    });
}

#[test]
fn a_ring_of_goroutines_passes_a_token_around() {
    let _x = exclusive();
    run(|gp| {
        const N: usize = 1000;
        const LAPS: u64 = 10;
        let chans: Vec<Ch> = (0..=N).map(|_| Ch(make::<u64>(gp, 0))).collect();
        for i in 0..N {
            let (from, to) = (chans[i], chans[i + 1]);
            go(gp, move |g| loop {
                let (v, ok) = recv::<u64>(g, from.c());
                if !ok {
                    // SAFETY: g is the calling goroutine.
                    unsafe { closechan(to.c(), g) };
                    return;
                }
                send(g, to.c(), v + 1);
            });
        }
        let mut token = 0;
        for _ in 0..LAPS {
            send(gp, chans[0].c(), token);
            token = recv::<u64>(gp, chans[N].c()).0;
        }
        assert_eq!(token, N as u64 * LAPS);
        // Closing the first channel shuts the ring down link by link.
        // SAFETY: gp is the calling goroutine.
        unsafe { closechan(chans[0].c(), gp) };
        assert_eq!(recv::<u64>(gp, chans[N].c()), (0, false));
    });
}

#[test]
fn blocked_senders_are_served_in_fifo_order() {
    let _x = exclusive();
    run(|gp| {
        let c = make::<u32>(gp, 0);
        for i in 0..5u32 {
            let cc = Ch(c);
            let me = Arc::new(StdAtomicUsize::new(0));
            let m2 = me.clone();
            go(gp, move |g| {
                m2.store(g as usize, SeqCst);
                send(g, cc.c(), i);
            });
            // Start the next sender only once this one is queued.
            wait_until(gp, "sender to block", || {
                let g = me.load(SeqCst) as *mut G;
                !g.is_null() && parked(g)
            });
        }
        for i in 0..5u32 {
            assert_eq!(recv::<u32>(gp, c), (i, true));
        }
    });
}

#[test]
fn a_full_buffer_takes_the_blocked_senders_value_in_order() {
    let _x = exclusive();
    run(|gp| {
        let c = make::<u32>(gp, 2);
        send(gp, c, 1u32);
        send(gp, c, 2u32);
        let cc = Ch(c);
        let me = Arc::new(StdAtomicUsize::new(0));
        let m2 = me.clone();
        go(gp, move |g| {
            m2.store(g as usize, SeqCst);
            send(g, cc.c(), 3u32);
        });
        wait_until(gp, "sender to block", || {
            let g = me.load(SeqCst) as *mut G;
            !g.is_null() && parked(g)
        });
        assert_eq!(recv::<u32>(gp, c), (1, true));
        assert_eq!(recv::<u32>(gp, c), (2, true));
        assert_eq!(recv::<u32>(gp, c), (3, true));
    });
}

#[test]
fn close_delivers_buffered_values_then_zeros_and_wakes_all_receivers() {
    let _x = exclusive();
    run(|gp| unsafe {
        let c = make::<u64>(gp, 3);
        send(gp, c, 5u64);
        send(gp, c, 6u64);
        closechan(c, gp);
        assert_eq!(recv::<u64>(gp, c), (5, true));
        assert_eq!(recv::<u64>(gp, c), (6, true));
        assert_eq!(recv::<u64>(gp, c), (0, false));
        let mut v = 9u64;
        assert_eq!(selectnbrecv(&mut v as *mut u64 as *mut u8, c, gp), (true, false));
        assert_eq!(v, 0, "a closed channel yields the zero value");

        let u = make::<u64>(gp, 0);
        let woken = Arc::new(AtomicI64::new(0));
        for _ in 0..10 {
            let (uu, w) = (Ch(u), woken.clone());
            go(gp, move |g| {
                let (v, ok) = recv::<u64>(g, uu.c());
                assert_eq!((v, ok), (0, false));
                w.fetch_add(1, SeqCst);
            });
        }
        wait_until(gp, "receivers to block", || {
            let mut n = 0;
            let mut s = (*u).recvq.first;
            while !s.is_null() {
                n += 1;
                s = (*s).next;
            }
            n == 10
        });
        closechan(u, gp);
        wait_until(gp, "receivers to wake", || woken.load(SeqCst) == 10);
    });
}

/// A channel made on a goroutine, for tests that use it from the test thread.
fn chan_from_goroutine(elems: isize) -> *mut HChan {
    let out = Arc::new(StdAtomicUsize::new(0));
    let o = out.clone();
    run(move |gp| o.store(make::<u64>(gp, elems) as usize, SeqCst));
    out.load(SeqCst) as *mut HChan
}

#[test]
#[should_panic(expected = "close of nil channel")]
fn closing_a_nil_channel_panics() {
    // SAFETY: the nil check comes first.
    unsafe { closechan(null_mut(), null_mut()) };
}

#[test]
#[should_panic(expected = "close of closed channel")]
fn closing_twice_panics() {
    let c = {
        let _x = exclusive();
        chan_from_goroutine(1)
    };
    // SAFETY: nobody waits on c, so closechan needs no goroutine.
    unsafe {
        closechan(c, null_mut());
        closechan(c, null_mut());
    }
}

#[test]
#[should_panic(expected = "send on closed channel")]
fn sending_on_a_closed_channel_panics() {
    let c = {
        let _x = exclusive();
        chan_from_goroutine(1)
    };
    let v = 1u64;
    // SAFETY: the closed check comes before any blocking.
    unsafe {
        closechan(c, null_mut());
        chansend(c, &v as *const u64 as *const u8, true, null_mut());
    }
}

/// Runs a select over `cases` (sends first) with order scratch space.
unsafe fn select(gp: *mut G, cases: &mut [SCase], nsends: usize, block: bool) -> (isize, bool) {
    let mut order = vec![0u16; 2 * cases.len()];
    selectgo(
        cases.as_mut_ptr(),
        order.as_mut_ptr(),
        nsends,
        cases.len() - nsends,
        block,
        gp,
    )
}

#[test]
fn select_chooses_uniformly_among_ready_cases() {
    let _x = exclusive();
    run(|gp| unsafe {
        let a = make::<u64>(gp, 1);
        let b = make::<u64>(gp, 1);
        let mut counts = [0u32; 2];
        const ROUNDS: u32 = 20_000;
        for _ in 0..ROUNDS {
            // Both channels hold a value: both cases are ready.
            for c in [a, b] {
                if chanlen(c) == 0 {
                    send(gp, c, 1u64);
                }
            }
            let (mut va, mut vb) = (0u64, 0u64);
            let mut cases = [
                SCase { c: a, elem: &mut va as *mut u64 as *mut u8 },
                SCase { c: b, elem: &mut vb as *mut u64 as *mut u8 },
            ];
            let (i, ok) = select(gp, &mut cases, 0, true);
            assert!(ok);
            counts[i as usize] += 1;
        }
        let share = counts[0] as f64 / ROUNDS as f64;
        assert!((0.47..0.53).contains(&share), "case 0 chosen {counts:?}");
    });
}

#[test]
fn select_default_nil_cases_and_closed_channels() {
    let _x = exclusive();
    run(|gp| unsafe {
        let a = make::<u64>(gp, 0);
        let mut v = 0u64;
        let mut cases = [
            SCase { c: null_mut(), elem: &mut v as *mut u64 as *mut u8 },
            SCase { c: a, elem: &mut v as *mut u64 as *mut u8 },
        ];
        // Nothing ready and a default: -1.
        assert_eq!(select(gp, &mut cases, 1, false).0, -1);
        closechan(a, gp);
        let mut cases = [
            SCase { c: null_mut(), elem: &mut v as *mut u64 as *mut u8 },
            SCase { c: a, elem: &mut v as *mut u64 as *mut u8 },
        ];
        v = 3;
        // A closed channel is ready: case 1, not received, zeroed; the nil case never wins.
        assert_eq!(select(gp, &mut cases, 1, true), (1, false));
        assert_eq!(v, 0);
    });
}

#[test]
fn a_blocked_select_is_woken_by_the_right_channel_and_leaves_no_waiters() {
    let _x = exclusive();
    run(|gp| unsafe {
        let chans: Vec<*mut HChan> = (0..4).map(|_| make::<u64>(gp, 0)).collect();
        for round in 0..50u64 {
            let pick = (round % 4) as usize;
            let c = Ch(chans[pick]);
            let me = gp as usize;
            go(gp, move |g| {
                // Send once the selecting goroutine is parked on all four channels.
                wait_until(g, "select to block", || parked(me as *mut G));
                send(g, c.c(), round + 100);
            });
            let mut vals = [0u64; 4];
            let mut cases: Vec<SCase> = (0..4)
                .map(|i| SCase { c: chans[i], elem: &mut vals[i] as *mut u64 as *mut u8 })
                .collect();
            let (i, ok) = select(gp, &mut cases, 0, true);
            assert_eq!((i, ok), (pick as isize, true));
            assert_eq!(vals[pick], round + 100);
            for &c in &chans {
                assert!((*c).recvq.first.is_null(), "select left a waiter behind");
            }
        }
    });
}

#[test]
fn select_send_case_pairs_with_a_waiting_receiver() {
    let _x = exclusive();
    run(|gp| unsafe {
        let c = make::<u64>(gp, 0);
        let got = Arc::new(StdMutex::new(None));
        let (cc, g2) = (Ch(c), got.clone());
        go(gp, move |g| *g2.lock().unwrap() = Some(recv::<u64>(g, cc.c())));
        wait_until(gp, "receiver to block", || !(*c).recvq.first.is_null());
        let mut v = 42u64;
        let mut cases = [SCase { c, elem: &mut v as *mut u64 as *mut u8 }];
        assert_eq!(select(gp, &mut cases, 1, true), (0, false));
        wait_until(gp, "receiver to finish", || got.lock().unwrap().is_some());
        assert_eq!(*got.lock().unwrap(), Some((42, true)));
    });
}

#[test]
fn many_selecting_consumers_get_every_value_exactly_once() {
    let _x = exclusive();
    run(|gp| unsafe {
        const PRODUCERS: u64 = 8;
        const PER: u64 = 2000;
        let inputs: Vec<Ch> = (0..3).map(|i| Ch(make::<u64>(gp, i as isize))).collect();
        let quit = Ch(make::<u64>(gp, 0));
        let sum = Arc::new(AtomicI64::new(0));
        let count = Arc::new(AtomicI64::new(0));
        for k in 0..4 {
            let (ins, q, s, n) = (inputs.clone(), quit, sum.clone(), count.clone());
            go(gp, move |g| loop {
                let mut vals = [0u64; 4];
                let mut cases: Vec<SCase> = ins
                    .iter()
                    .enumerate()
                    .map(|(i, c)| SCase { c: c.c(), elem: &mut vals[i] as *mut u64 as *mut u8 })
                    .collect();
                cases.push(SCase { c: q.c(), elem: &mut vals[3] as *mut u64 as *mut u8 });
                let (i, ok) = select(g, &mut cases, 0, true);
                if i == 3 {
                    assert!(!ok, "consumer {k}: quit is only closed");
                    return;
                }
                assert!(ok);
                s.fetch_add(vals[i as usize] as i64, SeqCst);
                n.fetch_add(1, SeqCst);
            });
        }
        for p in 0..PRODUCERS {
            let ins = inputs.clone();
            go(gp, move |g| {
                for j in 0..PER {
                    send(g, ins[(j % 3) as usize].c(), p * PER + j);
                }
            });
        }
        let total = (PRODUCERS * PER) as i64;
        wait_until(gp, "all values", || count.load(SeqCst) == total);
        closechan(quit.c(), gp);
        assert_eq!(sum.load(SeqCst), total * (total - 1) / 2);
    });
}
