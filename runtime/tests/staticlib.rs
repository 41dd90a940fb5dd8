//! End-to-end tests of the shipped runtime staticlibs: tools/build-runtime.sh builds them, gcc
//! links small C programs that play the compiler's part (defining `goclift.main` and calling the
//! runtime by its gc symbol names, see tests/c/runtime_abi.h), and the executables run natively
//! (amd64) or under qemu-aarch64 (arm64). Print output is compared with what gc 1.19 prints for
//! the equivalent Go program, obtained by running gc during the test.
//!
//! The arm64 half is skipped, with a note on stderr, only when the cross tools are missing.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

/// The repository root (this crate lives in runtime/).
fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

fn c_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/c")
}

/// A target the runtime is built for, with the tools to link and run its executables.
struct Target {
    goarch: &'static str,
    cc: &'static str,
    /// gcc flag that keeps C code off the g register, as Cranelift's pinned register is.
    fixed_g: &'static str,
    /// Runs an executable of this target on the build machine (empty: natively).
    runner: &'static [&'static str],
}

const AMD64: Target = Target {
    goarch: "amd64",
    cc: "gcc",
    fixed_g: "-ffixed-r15",
    runner: &[],
};
const ARM64: Target = Target {
    goarch: "arm64",
    cc: "aarch64-linux-gnu-gcc",
    fixed_g: "-ffixed-x21",
    runner: &["qemu-aarch64"],
};

fn have_tool(name: &str) -> bool {
    Command::new("sh")
        .args(["-c", &format!("command -v {name} >/dev/null")])
        .status()
        .map(|s| s.success())
        .unwrap_or(false)
}

/// Whether `t` can be linked and run here; prints why not.
fn available(t: &Target) -> bool {
    let missing: Vec<&str> = [t.cc]
        .iter()
        .chain(t.runner.iter().take(1))
        .copied()
        .filter(|x| !have_tool(x))
        .collect();
    if !missing.is_empty() {
        eprintln!(
            "skipping linux/{}: {} not installed (tools/setup.sh)",
            t.goarch,
            missing.join(", ")
        );
    }
    missing.is_empty()
}

/// Runs tools/build-runtime.sh once per test process (the tests share its output).
fn build_runtime() {
    static BUILT: OnceLock<()> = OnceLock::new();
    BUILT.get_or_init(|| {
        let script = repo_root().join("tools/build-runtime.sh");
        let out = Command::new(&script)
            .output()
            .expect("run tools/build-runtime.sh");
        assert!(
            out.status.success(),
            "build-runtime.sh failed:\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
    });
}

fn staticlib(t: &Target) -> PathBuf {
    repo_root().join(format!(
        "target/runtime/linux_{}/libgoclift_runtime.a",
        t.goarch
    ))
}

/// A scratch directory for one test's files, removed when dropped.
struct Scratch(PathBuf);

impl Scratch {
    fn new(name: &str) -> Scratch {
        let dir =
            std::env::temp_dir().join(format!("goclift-runtime-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        Scratch(dir)
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Links tests/c/`c_file` with the runtime for `t` into `dir` and returns the executable.
fn link(t: &Target, c_file: &str, dir: &Path) -> PathBuf {
    build_runtime();
    let exe = dir.join(format!("{}_{}", c_file.trim_end_matches(".c"), t.goarch));
    let out = Command::new(t.cc)
        .args(["-static", "-O2", "-Wall", "-Werror", t.fixed_g, "-o"])
        .arg(&exe)
        .arg(c_dir().join(c_file))
        .arg(staticlib(t))
        .output()
        .expect("run the C compiler");
    assert!(
        out.status.success(),
        "{} failed:\n{}",
        t.cc,
        String::from_utf8_lossy(&out.stderr)
    );
    exe
}

fn run(t: &Target, exe: &Path) -> Output {
    let mut cmd = match t.runner.split_first() {
        Some((runner, args)) => {
            let mut c = Command::new(runner);
            c.args(args).arg(exe);
            c
        }
        None => Command::new(exe),
    };
    cmd.output().expect("run the test executable")
}

/// gc's standard error for tests/c/println_calls.go, computed once.
fn gc_println_output() -> &'static [u8] {
    static OUT: OnceLock<Vec<u8>> = OnceLock::new();
    OUT.get_or_init(|| {
        let scratch = Scratch::new("gc");
        let go = std::env::var("GO").unwrap_or_else(|_| "/usr/lib/go-1.19/bin/go".into());
        let out = Command::new(&go)
            .arg("run")
            .arg(c_dir().join("println_calls.go"))
            .current_dir(&scratch.0)
            .env("GOCACHE", scratch.0.join("cache"))
            .env("GO111MODULE", "off")
            .output()
            .unwrap_or_else(|e| panic!("run {go}: {e}"));
        assert!(
            out.status.success(),
            "gc run failed:\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
        out.stderr
    })
}

/// Describes the first differing line, for a readable failure.
fn first_difference(want: &[u8], got: &[u8]) -> String {
    let (w, g) = (String::from_utf8_lossy(want), String::from_utf8_lossy(got));
    for (i, (wl, gl)) in w.lines().zip(g.lines()).enumerate() {
        if wl != gl {
            return format!("line {}:\n  gc:      {wl}\n  runtime: {gl}", i + 1);
        }
    }
    format!(
        "lengths differ: gc {} bytes, runtime {} bytes",
        want.len(),
        got.len()
    )
}

fn println_matches_gc(t: &Target) {
    if !available(t) {
        return;
    }
    let scratch = Scratch::new(&format!("println-{}", t.goarch));
    let out = run(t, &link(t, "println_calls.c", &scratch.0));
    assert!(
        out.status.success(),
        "status {:?}, stderr:\n{}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        out.stdout.is_empty(),
        "println writes to standard error only"
    );
    let want = gc_println_output();
    assert!(
        want.len() > 100_000,
        "gc's reference output is implausibly short"
    );
    assert!(
        out.stderr == want,
        "{}",
        first_difference(want, &out.stderr)
    );
}

#[test]
fn println_matches_gc_amd64() {
    println_matches_gc(&AMD64);
}

#[test]
fn println_matches_gc_arm64() {
    println_matches_gc(&ARM64);
}

fn exit_status_and_output(t: &Target, c_file: &str, want_code: i32, want_stderr: &str) {
    if !available(t) {
        return;
    }
    let scratch = Scratch::new(&format!("{c_file}-{}", t.goarch));
    let out = run(t, &link(t, c_file, &scratch.0));
    assert_eq!(String::from_utf8_lossy(&out.stderr), want_stderr);
    assert_eq!(out.status.code(), Some(want_code));
}

#[test]
fn runtime_exit_ends_the_process_with_the_status_amd64() {
    exit_status_and_output(&AMD64, "exit_calls.c", 7, "before exit\n");
}

#[test]
fn runtime_exit_ends_the_process_with_the_status_arm64() {
    exit_status_and_output(&ARM64, "exit_calls.c", 7, "before exit\n");
}

#[test]
fn throw_prints_fatal_error_and_exits_2_amd64() {
    let want = "before throw\nfatal error: printunlock without printlock\n";
    exit_status_and_output(&AMD64, "throw_calls.c", 2, want);
}

#[test]
fn throw_prints_fatal_error_and_exits_2_arm64() {
    let want = "before throw\nfatal error: printunlock without printlock\n";
    exit_status_and_output(&ARM64, "throw_calls.c", 2, want);
}

/// The allocator's end-to-end test: tests/c/malloc_calls.c allocates through the exported
/// entry points from goclift.main and checks zeroing, alignment and disjointness itself. The
/// first object lies in the first heap arena, at gc's first arena hint `arena` (after the
/// main goroutine's stack, which the heap allocated first).
fn malloc_calls(t: &Target, arena: u64) {
    if !available(t) {
        return;
    }
    let scratch = Scratch::new(&format!("malloc-{}", t.goarch));
    let out = run(t, &link(t, "malloc_calls.c", &scratch.0));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "stderr:\n{stderr}");
    let (first, rest) = stderr.split_once('\n').expect("output lines");
    let addr = first
        .strip_prefix("first object 0x")
        .and_then(|h| u64::from_str_radix(h, 16).ok())
        .unwrap_or_else(|| panic!("first line: {first}"));
    assert!(
        (arena..arena + (64 << 20)).contains(&addr),
        "first object {addr:#x} outside the arena at {arena:#x}"
    );
    assert_eq!(rest, "sizes ok\nsmall ok\nlarge ok\nnewobject ok\nzerobase ok\n");
}

#[test]
fn mallocgc_from_go_code_amd64() {
    // gc's first arena hint on amd64: 0x00c0 << 32.
    malloc_calls(&AMD64, 0xc0_0000_0000);
}

#[test]
fn mallocgc_from_go_code_arm64() {
    // gc's first arena hint on arm64: 0x0040 << 32.
    malloc_calls(&ARM64, 0x40_0000_0000);
}

fn out_of_memory(t: &Target) {
    if !available(t) {
        return;
    }
    let scratch = Scratch::new(&format!("oom-{}", t.goarch));
    let out = run(t, &link(t, "oom_calls.c", &scratch.0));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "stderr:\n{stderr}");
    let prefix = "before\nruntime: out of memory: cannot allocate 4611686018427387904-byte block (";
    assert!(stderr.starts_with(prefix), "{stderr}");
    assert!(
        stderr.ends_with(" in use)\nfatal error: out of memory\n"),
        "{stderr}"
    );
}

#[test]
fn huge_allocation_is_a_fatal_out_of_memory_amd64() {
    out_of_memory(&AMD64);
}

#[test]
fn huge_allocation_is_a_fatal_out_of_memory_arm64() {
    out_of_memory(&ARM64);
}

/// The crate's unit tests (syscalls, trampoline, futex lock, formatting), built for arm64 with
/// Debian's rustc and run under qemu, since cargo here only builds for the host.
#[test]
fn unit_tests_pass_on_arm64() {
    let rustc = std::env::var("RUSTC_ARM64").unwrap_or_else(|_| "/usr/bin/rustc".into());
    if !available(&ARM64) || !Path::new(&rustc).exists() {
        eprintln!("skipping arm64 unit tests: no {rustc}");
        return;
    }
    let scratch = Scratch::new("unit-arm64");
    let exe = scratch.0.join("unit_tests");
    let out = Command::new(&rustc)
        .args([
            "--edition",
            "2021",
            "--test",
            "--crate-name",
            "goclift_runtime",
        ])
        .args([
            "--target",
            "aarch64-unknown-linux-gnu",
            "-C",
            "linker=aarch64-linux-gnu-gcc",
        ])
        .arg("-o")
        .arg(&exe)
        .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("src/lib.rs"))
        .output()
        .expect("run rustc for arm64");
    assert!(
        out.status.success(),
        "arm64 test build failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = run(&ARM64, &exe);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "arm64 unit tests failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        stdout.contains("test result: ok"),
        "unexpected test output:\n{stdout}"
    );
}

/// The scheduler's C ABI end to end (tests/c/sched_calls.c): goroutines, channels, select,
/// timers, semaphores, GOMAXPROCS, LockOSThread and stack growth, with goroutines on clone(2)
/// threads as in real programs.
fn sched_calls(t: &Target) {
    if !available(t) {
        return;
    }
    let scratch = Scratch::new(&format!("sched-{}", t.goarch));
    let out = run(t, &link(t, "sched_calls.c", &scratch.0));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "stderr:\n{stderr}");
    assert_eq!(
        stderr,
        "pingpong ok\nring ok\nstorm ok\nselect ok\ntime and counts ok\ngrowth ok\n"
    );
}

#[test]
fn scheduler_abi_from_go_code_amd64() {
    sched_calls(&AMD64);
}

#[test]
fn scheduler_abi_from_go_code_arm64() {
    sched_calls(&ARM64);
}

#[test]
fn deadlock_is_fatal_with_goroutine_headers_amd64() {
    let want = "fatal error: all goroutines are asleep - deadlock!\n\n\
                goroutine 1 [chan receive]:\n\ngoroutine 5 [select (no cases)]:\n";
    exit_status_and_output(&AMD64, "deadlock_calls.c", 2, want);
}

#[test]
fn deadlock_is_fatal_with_goroutine_headers_arm64() {
    let want = "fatal error: all goroutines are asleep - deadlock!\n\n\
                goroutine 1 [chan receive]:\n\ngoroutine 5 [select (no cases)]:\n";
    exit_status_and_output(&ARM64, "deadlock_calls.c", 2, want);
}

/// What gc 1.19 prints for the Go program in tests/c/defer_calls.c.
const GOEXIT_WANT: &str = "main body\ninner deferred\nsecond deferred\nfirst deferred\n\
                           fatal error: no goroutines (main called runtime.Goexit) - deadlock!\n";

#[test]
fn goexit_runs_every_deferred_call_amd64() {
    exit_status_and_output(&AMD64, "defer_calls.c", 2, GOEXIT_WANT);
}

#[test]
fn goexit_runs_every_deferred_call_arm64() {
    exit_status_and_output(&ARM64, "defer_calls.c", 2, GOEXIT_WANT);
}

#[test]
fn closing_a_closed_channel_panics_amd64() {
    let want = "closed once\npanic: close of closed channel\n\ngoroutine 1 [running]:\n";
    exit_status_and_output(&AMD64, "closechan_calls.c", 2, want);
}

#[test]
fn closing_a_closed_channel_panics_arm64() {
    let want = "closed once\npanic: close of closed channel\n\ngoroutine 1 [running]:\n";
    exit_status_and_output(&ARM64, "closechan_calls.c", 2, want);
}

/// Strings and slices through their entry points (tests/c/strings_calls.c): concatenation
/// (including the stubs that spill many arguments, and their stack growth), comparison,
/// conversions, append's growth with gc's capacities, make, copy.
fn strings_calls(t: &Target) {
    if !available(t) {
        return;
    }
    let scratch = Scratch::new(&format!("strings-{}", t.goarch));
    let out = run(t, &link(t, "strings_calls.c", &scratch.0));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "stderr:\n{stderr}");
    assert_eq!(stderr, "strings ok\nslices ok\nstub growth ok\n");
}

#[test]
fn strings_and_slices_from_go_code_amd64() {
    strings_calls(&AMD64);
}

#[test]
fn strings_and_slices_from_go_code_arm64() {
    strings_calls(&ARM64);
}

/// The cases of tests/c/panic_calls.go and panic_calls.c that gc can raise too.
const GC_PANIC_CASES: &[&str] = &[
    "index",
    "index_neg",
    "index_u",
    "slice_alen",
    "slice_acap",
    "slice_acap_u",
    "slice_b",
    "slice_b_neg",
    "slice3_acap",
    "slice3_b",
    "slice3_c",
    "slice3_c_neg",
    "convert",
    "makeslice_len",
    "makeslice_cap",
    "unsafe_nil",
    "unsafe_len",
    "divide",
    "shift",
    "string",
    "string_lines",
    "nil",
    "nil_call",
    "fault",
];

/// gc's exit status and standard error for each of GC_PANIC_CASES, computed once: the
/// panic_calls.go program built with gc and run with CASE set.
fn gc_panic_outputs() -> &'static std::collections::HashMap<&'static str, (Option<i32>, String)> {
    static OUT: OnceLock<std::collections::HashMap<&'static str, (Option<i32>, String)>> =
        OnceLock::new();
    OUT.get_or_init(|| {
        let scratch = Scratch::new("gc-panics");
        let go = std::env::var("GO").unwrap_or_else(|_| "/usr/lib/go-1.19/bin/go".into());
        let exe = scratch.0.join("panic_calls_gc");
        let out = Command::new(&go)
            .arg("build")
            .arg("-o")
            .arg(&exe)
            .arg(c_dir().join("panic_calls.go"))
            .current_dir(&scratch.0)
            .env("GOCACHE", scratch.0.join("cache"))
            .env("GO111MODULE", "off")
            .output()
            .unwrap_or_else(|e| panic!("run {go}: {e}"));
        assert!(
            out.status.success(),
            "gc build failed:\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
        GC_PANIC_CASES
            .iter()
            .map(|&case| {
                let out = Command::new(&exe).env("CASE", case).output().unwrap();
                let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
                (case, (out.status.code(), stderr))
            })
            .collect()
    })
}

/// `text` up to and including the first goroutine header line (gc goes on with frames, which
/// goclift cannot print yet), with the values after "pc=" replaced (code addresses differ).
fn through_goroutine_header(text: &str) -> String {
    let end = text
        .find("goroutine 1 [running]:\n")
        .map(|i| i + "goroutine 1 [running]:\n".len())
        .unwrap_or(text.len());
    let mut out = String::new();
    let mut rest = &text[..end];
    while let Some(i) = rest.find("pc=0x") {
        out.push_str(&rest[..i + 3]);
        rest = rest[i + 3..].trim_start_matches(|c: char| c == 'x' || c.is_ascii_hexdigit());
        out.push_str("PC");
    }
    out.push_str(rest);
    out
}

/// Runs panic_calls.c with CASE=`case`: exit status and standard error.
fn run_panic_case(t: &Target, exe: &Path, case: &str) -> (Option<i32>, String) {
    let mut cmd = match t.runner.split_first() {
        Some((runner, args)) => {
            let mut c = Command::new(runner);
            c.args(args).arg(exe);
            c
        }
        None => Command::new(exe),
    };
    let out = cmd.env("CASE", case).output().expect("run the test executable");
    (out.status.code(), String::from_utf8_lossy(&out.stderr).into_owned())
}

/// Every run-time panic of GC_PANIC_CASES prints what gc prints (up to the goroutine header)
/// and exits with gc's status 2; a nil dereference reports the faulting instruction's pc.
fn panics_match_gc(t: &Target) {
    if !available(t) {
        return;
    }
    let scratch = Scratch::new(&format!("panics-{}", t.goarch));
    let exe = link(t, "panic_calls.c", &scratch.0);
    let gc = gc_panic_outputs();
    for &case in GC_PANIC_CASES {
        let (code, mut stderr) = run_panic_case(t, &exe, case);
        if case == "nil" {
            // The first line gives the address of the faulting load.
            let (first, rest) = stderr.split_once('\n').unwrap();
            let pc = first.strip_prefix("fault pc ").expect("fault pc line");
            assert!(rest.contains(&format!(" pc={pc}]\n")), "{case}: pc {pc} in\n{rest}");
            stderr = rest.to_string();
        }
        if case == "nil_call" {
            assert!(stderr.contains(" pc=0x0]\n"), "{stderr}");
        }
        let (gc_code, gc_stderr) = &gc[case];
        assert_eq!(code, *gc_code, "{case}: exit status; stderr:\n{stderr}");
        assert_eq!(
            through_goroutine_header(&stderr),
            through_goroutine_header(gc_stderr),
            "case {case}"
        );
        assert!(stderr.ends_with("goroutine 1 [running]:\n"), "{case}: {stderr}");
    }
}

#[test]
fn runtime_panics_match_gc_amd64() {
    panics_match_gc(&AMD64);
}

#[test]
fn runtime_panics_match_gc_arm64() {
    panics_match_gc(&ARM64);
}

/// Faults gc cannot be made to show in the same way: a nil dereference on another goroutine
/// names that goroutine; one while the runtime holds a lock is fatal; SIGSEGV sent with kill
/// is gc's crash report.
fn faults(t: &Target) {
    if !available(t) {
        return;
    }
    let scratch = Scratch::new(&format!("faults-{}", t.goarch));
    let exe = link(t, "panic_calls.c", &scratch.0);
    let signal = "[signal SIGSEGV: segmentation violation code=0x1 addr=0x8 pc=PC]\n";

    let (code, stderr) = run_panic_case(t, &exe, "nil_goroutine");
    assert_eq!(code, Some(2), "{stderr}");
    let want = format!(
        "panic: runtime error: invalid memory address or nil pointer dereference\n{signal}\n"
    );
    let got = through_goroutine_header(&stderr);
    let header = got.strip_prefix(&want).unwrap_or_else(|| panic!("{got}"));
    let goid: i64 = header
        .strip_prefix("goroutine ")
        .and_then(|h| h.strip_suffix(" [running]:\n"))
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("header {header:?}"));
    assert!(goid > 1, "the faulting goroutine, not main: {header}");

    let (code, stderr) = run_panic_case(t, &exe, "locked");
    assert_eq!(code, Some(2), "{stderr}");
    assert_eq!(
        through_goroutine_header(&stderr),
        format!("fatal error: unexpected signal during runtime execution\n{signal}\ngoroutine 1 [running]:\n")
    );

    let (code, stderr) = run_panic_case(t, &exe, "kill");
    assert_eq!(code, Some(2), "{stderr}");
    assert!(
        stderr.starts_with("SIGSEGV: segmentation violation\nPC=0x") && stderr.contains(" sigcode=0\n\n"),
        "{stderr}"
    );
    assert!(stderr.contains("goroutine 1 [running]:\n"), "{stderr}");
}

#[test]
fn faults_outside_plain_go_code_amd64() {
    faults(&AMD64);
}

#[test]
fn faults_outside_plain_go_code_arm64() {
    faults(&ARM64);
}

/// Maps, hashing and itabs end to end (tests/c/map_calls.c): hand-made gc 1.19 descriptors
/// in a `goclift.types` blob, the map and interface entry points called as compiled code
/// calls them, and gc's panic for a type assertion on a nil interface.
const MAP_CALLS_OUTPUT: &str = "len 500\niterated 500\nkey sum 250000\nvalue sum 166666500\n\
    m[7] 49\nm[8] 0\nbeta ok 1\nbeta 2\ngamma ok 0\neface ok 1\neface 55\n\
    several first keys 1\nT.M 42\ncached 1\nint64 implements I 0\n\
    panic: interface conversion: interface is nil, not main.I\n\ngoroutine 1 [running]:\n";

#[test]
fn maps_and_interfaces_from_go_code_amd64() {
    exit_status_and_output(&AMD64, "map_calls.c", 2, MAP_CALLS_OUTPUT);
}

#[test]
fn maps_and_interfaces_from_go_code_arm64() {
    exit_status_and_output(&ARM64, "map_calls.c", 2, MAP_CALLS_OUTPUT);
}
