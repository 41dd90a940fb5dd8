//! Scheduler tests: goroutines running Rust `extern "C"` bodies on the real scheduler (Ms are
//! std threads here, see newosproc). A test that fails inside a goroutine aborts the test
//! process after printing its panic message on stderr (the harness would swallow it): a
//! goroutine stack cannot unwind into the test harness.

use super::*;
use crate::chan::{chanlen, chanrecv, chansend, closechan, makechan, HChan};
use std::collections::HashSet;
use std::sync::atomic::{AtomicI64, AtomicU64};
use std::sync::Arc;
use std::sync::Mutex as StdMutex;

/// Serialises the tests that run goroutines: counts such as NumGoroutine and stop-the-world
/// need the scheduler to themselves.
pub static SCHED_TEST: StdMutex<()> = StdMutex::new(());

/// Takes the scheduler for one test (recovering from a poisoned lock).
pub fn exclusive() -> std::sync::MutexGuard<'static, ()> {
    SCHED_TEST.lock().unwrap_or_else(|e| e.into_inner())
}

type Body = Box<dyn FnOnce(*mut G) + Send>;

unsafe extern "C" fn closure_tramp(arg: *mut u8, gp: *mut G) {
    let f = Box::from_raw(arg as *mut Body);
    if let Err(payload) = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| f(gp))) {
        report_goroutine_failure(&*payload);
    }
}

/// A test assertion failed on a goroutine: the panic cannot unwind into the test harness
/// (the goroutine's stack ends at the scheduler), and the harness captured the panic message
/// for the test thread, so say what failed on stderr directly, then abort the test process.
fn report_goroutine_failure(payload: &(dyn std::any::Any + Send)) -> ! {
    use std::io::Write;
    let msg = payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "(non-string panic payload)".to_string());
    let _ = writeln!(std::io::stderr(), "runtime test failed on a goroutine: {msg}");
    std::process::abort()
}

/// Runs `f(g)` as a goroutine and waits for it.
pub fn run(f: impl FnOnce(*mut G) + Send + 'static) {
    let b: Box<Body> = Box::new(Box::new(f));
    test_run(closure_tramp, Box::into_raw(b) as *mut u8, 0);
}

/// Starts `f(g)` as a new goroutine from goroutine `gp` (a `go` statement).
pub fn go(gp: *mut G, f: impl FnOnce(*mut G) + Send + 'static) {
    let b: Box<Body> = Box::new(Box::new(f));
    // SAFETY: gp is the calling goroutine.
    unsafe { newproc_sized(gp, closure_tramp, Box::into_raw(b) as *mut u8, 64 << 10) };
}

/// A channel of `size` elements of type T, made by goroutine `gp`.
pub fn make<T>(gp: *mut G, size: isize) -> *mut HChan {
    // SAFETY: gp is running, so its M holds a P.
    unsafe { makechan(core::mem::size_of::<T>(), core::ptr::null(), size, gp) }
}

/// Sends `v` on `c` (blocking).
pub fn send<T: Copy>(gp: *mut G, c: *mut HChan, v: T) {
    // SAFETY: v lives on this goroutine's stack for the duration of the send.
    unsafe { chansend(c, &v as *const T as *const u8, true, gp) };
}

/// Receives from `c` (blocking): the value and whether it came from a send.
pub fn recv<T: Copy + Default>(gp: *mut G, c: *mut HChan) -> (T, bool) {
    let mut v = T::default();
    // SAFETY: v is writable for the element size.
    let (_, ok) = unsafe { chanrecv(c, &mut v as *mut T as *mut u8, true, gp) };
    (v, ok)
}

/// The calling goroutine's OS thread id.
fn tid() -> i32 {
    os_linux::gettid()
}

/// Channel pointers cross goroutines inside closures.
#[derive(Clone, Copy)]
pub struct Ch(pub *mut HChan);
// SAFETY: channels are shared between goroutines by design.
unsafe impl Send for Ch {}

impl Ch {
    /// The channel (a method, so that closures capture the whole Send wrapper).
    pub fn c(self) -> *mut HChan {
        self.0
    }
}

#[test]
fn a_goroutine_runs_with_its_g_and_m() {
    let _x = exclusive();
    let seen = std::sync::Arc::new(AtomicU64::new(0));
    let s = seen.clone();
    run(move |gp| unsafe {
        assert_eq!(readgstatus(gp), G_RUNNING);
        let mp = (*gp).m;
        assert!(!mp.is_null() && (*mp).curg == gp);
        assert!(!(*mp).p.is_null());
        assert!((*gp).goid > 0);
        let sp = crate::arch::current_sp();
        assert!((*gp).stack.lo < sp && sp < (*gp).stack.hi, "running on its own stack");
        s.store((*gp).goid as u64, SeqCst);
    });
    assert!(seen.load(SeqCst) > 0);
}

/// Counts finished children.
static DONE: AtomicI64 = AtomicI64::new(0);

unsafe extern "C" fn count_child(arg: *mut u8, _gp: *mut G) {
    DONE.fetch_add(arg as i64, SeqCst);
}

#[test]
fn spawned_goroutines_all_run_and_their_gs_are_reused() {
    let _x = exclusive();
    run(|gp| unsafe {
        let spawn_round = || {
            DONE.store(0, SeqCst);
            for i in 0..1000 {
                newproc(gp, count_child, i as *mut u8);
            }
            while DONE.load(SeqCst) != 999 * 1000 / 2 {
                gosched(gp);
            }
        };
        spawn_round();
        // Later rounds mostly reuse the dead Gs (from this P's free list and the global one;
        // those cached on other Ps are not visible here, as in gc).
        let before = ALLGLEN.load(SeqCst);
        for _ in 0..4 {
            spawn_round();
        }
        let grew = ALLGLEN.load(SeqCst) - before;
        assert!(grew < 2000, "{grew} new Gs for 4000 goroutines");
    });
}

#[test]
fn goroutines_spread_over_threads_by_stealing() {
    let _x = exclusive();
    let tids = std::sync::Arc::new(StdMutex::new(HashSet::new()));
    let t = tids.clone();
    run(move |gp| unsafe {
        DONE.store(0, SeqCst);
        for _ in 0..8 {
            let t = t.clone();
            go(gp, move |_g| {
                // Busy for a while so that idle Ps steal the queued siblings.
                let end = std::time::Instant::now() + std::time::Duration::from_millis(20);
                while std::time::Instant::now() < end {
                    core::hint::spin_loop();
                }
                t.lock().unwrap().insert(tid());
                DONE.fetch_add(1, SeqCst);
            });
        }
        while DONE.load(SeqCst) != 8 {
            gosched(gp);
        }
    });
    let n = tids.lock().unwrap().len();
    assert!(n >= 2, "8 busy goroutines ran on {n} thread(s)");
}

#[test]
fn gosched_lets_other_goroutines_run_on_one_p() {
    let _x = exclusive();
    let log = std::sync::Arc::new(StdMutex::new(Vec::new()));
    let l = log.clone();
    run(move |gp| unsafe {
        DONE.store(0, SeqCst);
        for id in 0..2 {
            let l = l.clone();
            go(gp, move |g| {
                for i in 0..3 {
                    l.lock().unwrap().push((id, i));
                    gosched(g);
                }
                DONE.fetch_add(1, SeqCst);
            });
        }
        while DONE.load(SeqCst) != 2 {
            gosched(gp);
        }
    });
    let log = log.lock().unwrap();
    assert_eq!(log.len(), 6);
    for id in 0..2 {
        let mine: Vec<_> = log.iter().filter(|e| e.0 == id).map(|e| e.1).collect();
        assert_eq!(mine, [0, 1, 2], "goroutine {id} resumed in order");
    }
}

#[test]
fn lock_os_thread_keeps_the_goroutine_on_its_thread() {
    let _x = exclusive();
    run(|gp| unsafe {
        lock_os_thread(gp);
        let t0 = tid();
        let m0 = (*gp).m;
        for _ in 0..50 {
            gosched(gp);
            assert_eq!(tid(), t0, "a locked goroutine stays on its thread");
            assert_eq!((*gp).m, m0);
        }
        unlock_os_thread(gp);
        assert!((*gp).lockedm.is_null() && (*(*gp).m).lockedg.is_null());
    });
}

#[test]
fn a_locked_goroutine_that_exits_takes_its_thread_with_it() {
    let _x = exclusive();
    run(|gp| unsafe {
        let freed_before = (*sched()).nmfreed;
        let c = make::<i32>(gp, 0);
        let cc = Ch(c);
        go(gp, move |g| {
            lock_os_thread(g);
            send(g, cc.c(), os_linux::gettid());
            // Exits locked: the thread ends.
        });
        let (t, _) = recv::<i32>(gp, c);
        // The thread disappears from /proc once it has exited.
        let path = format!("/proc/self/task/{t}");
        let mut tries = 0;
        while std::path::Path::new(&path).exists() {
            tries += 1;
            assert!(tries < 60_000, "thread {t} did not exit");
            gosched(gp);
            std::thread::sleep(std::time::Duration::from_millis(1));
        }
        assert_eq!((*sched()).nmfreed, freed_before + 1, "one M exited");
    });
}

#[test]
fn num_goroutine_counts_live_user_goroutines() {
    let _x = exclusive();
    run(|gp| unsafe {
        let base = gcount();
        let c = make::<u8>(gp, 0);
        for _ in 0..10 {
            let cc = Ch(c);
            go(gp, move |g| {
                recv::<u8>(g, cc.c());
            });
        }
        // All ten block on the channel.
        let mut tries = 0;
        while gcount() != base + 10 {
            tries += 1;
            assert!(tries < 100_000, "gcount {} != {}", gcount(), base + 10);
            gosched(gp);
        }
        closechan(c, gp);
        while gcount() != base {
            gosched(gp);
        }
    });
}

#[test]
fn gomaxprocs_resizes_the_ps_with_the_world_stopped() {
    let _x = exclusive();
    run(|gp| unsafe {
        let old = set_gomaxprocs(gp, 0);
        assert_eq!(old, 4, "test scheduler runs 4 Ps");
        assert_eq!(set_gomaxprocs(gp, 2), 4);
        assert_eq!(GOMAXPROCS.load(SeqCst), 2);
        // Work still gets done on the smaller set of Ps.
        DONE.store(0, SeqCst);
        for i in 0..100 {
            newproc(gp, count_child, i as *mut u8);
        }
        while DONE.load(SeqCst) != 99 * 100 / 2 {
            gosched(gp);
        }
        assert_eq!(set_gomaxprocs(gp, 4), 2);
        assert_eq!(GOMAXPROCS.load(SeqCst), 4);
        assert!(!ALLP[3].load(SeqCst).is_null());
    });
}

#[test]
fn runq_put_get_and_steal_keep_every_g_once() {
    test_schedinit(4);
    let mut p1 = Box::new(P::zeroed());
    let mut p2 = Box::new(P::zeroed());
    let gs: Vec<*mut G> = (0..600).map(|_| Box::leak(Box::new(G::zeroed())) as *mut G).collect();
    let _x = exclusive();
    // SAFETY: private Ps and Gs; the global queue is restored below.
    unsafe {
        for (i, &g) in gs.iter().enumerate().take(300) {
            runqput(&mut *p1, g, i % 7 == 0);
        }
        // The ring holds 256: the overflow went to the global queue in halves.
        let sched = sched();
        lock(&(*sched).lock);
        let mut global = Vec::new();
        while let Some(g) = Some((*sched).runq.pop()).filter(|g| !g.is_null()) {
            (*sched).runqsize -= 1;
            global.push(g);
        }
        unlock(&(*sched).lock);
        let stolen = runqsteal(&mut *p2, &mut *p1, true);
        assert!(!stolen.is_null());
        let mut seen: Vec<*mut G> = global;
        seen.push(stolen);
        loop {
            let (g, _) = runqget(&mut *p1);
            if g.is_null() {
                break;
            }
            seen.push(g);
        }
        loop {
            let (g, _) = runqget(&mut *p2);
            if g.is_null() {
                break;
            }
            seen.push(g);
        }
        let set: HashSet<usize> = seen.iter().map(|&g| g as usize).collect();
        assert_eq!(seen.len(), 300, "every G comes out once");
        assert_eq!(set.len(), 300);
        assert!(runqempty(&mut *p1) && runqempty(&mut *p2));
    }
}

// ---------------------------------------------------------------------------------------------
// Whole-process behaviour, in a child process that runs the runtime's real start-up (rt0_go:
// this thread becomes m0, the main goroutine runs the scenario, sysmon runs).

/// The scenario the child process runs, chosen by GOCLIFT_CHILD.
unsafe extern "C" fn child_main(arg: *mut u8, gp: *mut G) {
    let mode = &*(arg as *const String);
    match mode.as_str() {
        "deadlock" => {
            let c = make::<u8>(gp, 0);
            go(gp, |g| crate::chan::block(g));
            recv::<u8>(gp, c);
        }
        "deadlock-after-work" => {
            // Goroutines finish their work first; then main waits for a value nobody sends.
            let c = make::<u64>(gp, 0);
            for i in 0..100 {
                let cc = Ch(c);
                go(gp, move |g| send(g, cc.c(), i));
            }
            for _ in 0..100 {
                recv::<u64>(gp, c);
            }
            recv::<u64>(gp, c);
        }
        "goexit" => {
            go(gp, |_| {});
            goexit1_for_test(gp);
        }
        "busy-is-not-deadlock" => {
            // A goroutine spinning in a loop keeps the program alive while main blocks.
            let c = make::<u8>(gp, 0);
            let cc = Ch(c);
            go(gp, move |g| {
                let end = std::time::Instant::now() + std::time::Duration::from_millis(50);
                while std::time::Instant::now() < end {
                    core::hint::spin_loop();
                }
                send(g, cc.c(), 1u8);
            });
            recv::<u8>(gp, c);
            crate::print::print_str("main done\n");
        }
        other => panic!("unknown child mode {other}"),
    }
}

/// runtime.Goexit without deferred calls: finishes the calling goroutine.
unsafe fn goexit1_for_test(gp: *mut G) -> ! {
    goclift_goexit1(gp)
}

#[test]
#[ignore = "helper: runs in a child process started by the tests below"]
fn child_process() {
    let Ok(mode) = std::env::var("GOCLIFT_CHILD") else {
        return;
    };
    let mode: &'static String = Box::leak(Box::new(mode));
    // SAFETY: a fresh process whose only runtime user is this call.
    unsafe { rt0_go(child_main, mode as *const String as *mut u8) }
}

/// Runs the child scenario `mode`; returns (exit code, stderr).
fn run_child(mode: &str) -> (Option<i32>, String) {
    let exe = std::env::current_exe().unwrap();
    let run = |cmd: &mut std::process::Command| {
        cmd.args(["--exact", "proc::tests::child_process", "--ignored", "--nocapture"])
            .args(["--test-threads=1"])
            .env("GOCLIFT_CHILD", mode)
            .output()
            .unwrap()
    };
    let mut out = run(&mut std::process::Command::new(&exe));
    if out.status.code() == Some(127) && out.stdout.is_empty() && cfg!(target_arch = "aarch64") {
        // Under qemu-user without binfmt_misc the kernel cannot exec an arm64 binary itself.
        out = run(std::process::Command::new("qemu-aarch64").arg(&exe));
    }
    (out.status.code(), String::from_utf8_lossy(&out.stderr).into_owned())
}

#[test]
fn deadlock_is_reported_with_goroutine_headers_and_status_2() {
    // Goroutine 5: ids 2-4 are gc's runtime goroutines' (proc.rs, reserve_runtime_goids).
    let (code, stderr) = run_child("deadlock");
    assert_eq!(
        stderr,
        "fatal error: all goroutines are asleep - deadlock!\n\n\
         goroutine 1 [chan receive]:\n\n\
         goroutine 5 [select (no cases)]:\n"
    );
    assert_eq!(code, Some(2));
}

#[test]
fn deadlock_after_all_other_goroutines_finished() {
    let (code, stderr) = run_child("deadlock-after-work");
    assert_eq!(
        stderr,
        "fatal error: all goroutines are asleep - deadlock!\n\ngoroutine 1 [chan receive]:\n"
    );
    assert_eq!(code, Some(2));
}

#[test]
fn goexit_of_main_with_nothing_left_is_a_deadlock() {
    let (code, stderr) = run_child("goexit");
    assert_eq!(stderr, "fatal error: no goroutines (main called runtime.Goexit) - deadlock!\n");
    assert_eq!(code, Some(2));
}

#[test]
fn a_running_goroutine_is_not_a_deadlock() {
    let (code, stderr) = run_child("busy-is-not-deadlock");
    assert_eq!(stderr, "main done\n");
    assert_eq!(code, Some(0));
}

// ---------------------------------------------------------------------------------------------
// Timers, system calls, sysmon.

use crate::time::{addtimer, deltimer, modtimer, nanotime, time_sleep, FuncVal, Timer};

#[test]
fn sleep_waits_at_least_the_duration() {
    let _x = exclusive();
    run(|gp| unsafe {
        for ms in [1i64, 5, 20] {
            let start = nanotime();
            time_sleep(gp, ms * 1_000_000);
            let took = nanotime() - start;
            assert!(took >= ms * 1_000_000, "slept {took} ns for {ms} ms");
            // No upper bound: under load (CI runs tests side by side under emulation)
            // wake-ups can be late by seconds; a lost wake-up hangs, which the harness reports.
        }
    });
}

#[test]
fn many_sleepers_all_wake_after_their_deadlines() {
    let _x = exclusive();
    run(|gp| unsafe {
        let woke = Arc::new(StdMutex::new(Vec::new()));
        let n = 200;
        for i in 0..n {
            let w = woke.clone();
            // Deadlines 0.5 ms apart in a scrambled creation order.
            let slot = ((i * 37) % n) as i64;
            go(gp, move |g| {
                let deadline = nanotime() + 20_000_000 + slot * 500_000;
                time_sleep(g, deadline - nanotime());
                w.lock().unwrap().push((slot, nanotime() - deadline));
            });
        }
        let mut tries = 0;
        while woke.lock().unwrap().len() != n as usize {
            tries += 1;
            // A hang guard only (two minutes): lateness under load is not a bug.
            assert!(tries < 24_000, "sleepers did not all wake");
            time_sleep(gp, 5_000_000);
        }
        let woke = woke.lock().unwrap().clone();
        for &(slot, late) in &woke {
            assert!(late >= 0, "slot {slot} woke {} ns early", -late);
        }
        // Lateness is scheduling delay: under load it has no useful bound.
    });
}

/// A timer function that sends the current time on the channel in `arg_data` without
/// blocking, as the time package's sendTime does.
unsafe extern "C" fn send_time(_t: usize, arg_data: usize, seq: usize, _fv: *const FuncVal, g: *mut G) {
    let v = (nanotime() as u64) ^ ((seq as u64) << 63);
    crate::select::selectnbsend(arg_data as *mut HChan, &v as *const u64 as *const u8, g);
}

static SEND_TIME: FuncVal = FuncVal { code: send_time };

/// A timer for `c`, firing `after` ns from now, every `period` ns if nonzero.
fn chan_timer(c: *mut HChan, after: i64, period: i64) -> *mut Timer {
    let t = Box::leak(Box::new(Timer::new()));
    t.when = nanotime() + after;
    t.period = period;
    t.f = &SEND_TIME;
    t.arg_data = c as usize;
    t
}

#[test]
fn a_timer_sends_into_a_channel_when_it_fires() {
    let _x = exclusive();
    run(|gp| unsafe {
        let c = make::<u64>(gp, 1);
        let start = nanotime();
        addtimer(chan_timer(c, 10_000_000, 0), (*gp).m);
        let (at, ok) = recv::<u64>(gp, c);
        assert!(ok);
        assert!(at as i64 - start >= 10_000_000, "fired early");
    });
}

#[test]
fn a_stopped_timer_does_not_fire_and_a_reset_one_fires_later() {
    let _x = exclusive();
    run(|gp| unsafe {
        let c = make::<u64>(gp, 1);
        let t = chan_timer(c, 5_000_000, 0);
        addtimer(t, (*gp).m);
        assert!(deltimer(t, (*gp).m), "stopped before firing");
        assert!(!deltimer(t, (*gp).m), "already stopped");
        time_sleep(gp, 20_000_000);
        assert_eq!(chanlen(c), 0, "a stopped timer fired");
        // Reset to fire again.
        let start = nanotime();
        let pending = modtimer(t, start + 5_000_000, 0, &SEND_TIME, 0, c as usize, 0, (*gp).m);
        assert!(!pending);
        let (at, _) = recv::<u64>(gp, c);
        assert!(at as i64 >= start + 5_000_000);
    });
}

#[test]
fn a_periodic_timer_ticks_until_stopped() {
    let _x = exclusive();
    run(|gp| unsafe {
        let c = make::<u64>(gp, 1);
        let t = chan_timer(c, 2_000_000, 2_000_000);
        let start = nanotime();
        addtimer(t, (*gp).m);
        let mut last = start;
        for _ in 0..5 {
            let (at, _) = recv::<u64>(gp, c);
            assert!(at as i64 >= last, "ticks are monotonic");
            last = at as i64;
        }
        assert!(last - start >= 10_000_000, "5 ticks of 2 ms took {} ns", last - start);
        assert!(deltimer(t, (*gp).m));
    });
}

#[test]
fn a_blocked_system_call_gives_its_p_to_other_goroutines() {
    let _x = exclusive();
    run(|gp| unsafe {
        assert_eq!(set_gomaxprocs(gp, 1), 4);
        let in_syscall = Arc::new(AtomicI64::new(0));
        let call_over = Arc::new(AtomicI64::new(0));
        let (flag, over) = (in_syscall.clone(), call_over.clone());
        let done = make::<u8>(gp, 1);
        let d = Ch(done);
        go(gp, move |g| {
            entersyscall(g);
            flag.store(nanotime(), SeqCst);
            // A blocking "system call": the thread sleeps with the P in P_SYSCALL, long
            // enough that sysmon retakes the P even on a loaded machine.
            std::thread::sleep(std::time::Duration::from_millis(3000));
            over.store(1, SeqCst);
            exitsyscall(g);
            send(g, d.c(), 1u8);
        });
        // Let the other goroutine run and block; we get back only if sysmon retakes the P
        // (else only once the call is over and the goroutine gives the P back).
        while in_syscall.load(SeqCst) == 0 {
            gosched(gp);
        }
        let waited = nanotime() - in_syscall.load(SeqCst);
        assert_eq!(call_over.load(SeqCst), 0, "P retaken only after the call ({waited} ns)");
        recv::<u8>(gp, done);
        assert_eq!(set_gomaxprocs(gp, 4), 1);
    });
}

#[test]
fn sysmon_asks_a_long_running_goroutine_to_yield() {
    let _x = exclusive();
    run(|gp| unsafe {
        // Runs longer than the 10 ms time slice without a preemption point: sysmon poisons
        // stackguard0 so that the next stack check (of compiled code) yields.
        let start = nanotime();
        (*gp).preempt.store(false, SeqCst);
        while !(*gp).preempt.load(SeqCst) {
            assert!(nanotime() - start < 60_000_000_000, "no preemption request in 60 s");
            core::hint::spin_loop();
        }
        assert!(nanotime() - start >= FORCE_PREEMPT_NS - 1_000_000);
        assert_eq!((*gp).stackguard0, STACK_PREEMPT);
        gosched(gp);
        assert_ne!((*gp).stackguard0, STACK_PREEMPT, "rescheduling clears the request");
    });
}
