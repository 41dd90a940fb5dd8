//! End-to-end tests of the goclift command: build, run, -S, errors, targets.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn goclift() -> Command {
    Command::new(env!("CARGO_BIN_EXE_goclift"))
}

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn runtime_built(goarch: &str) -> bool {
    repo().join(format!("target/runtime/linux_{goarch}/libgoclift_runtime.a")).exists()
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

fn write(dir: &Path, name: &str, src: &str) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, src).unwrap();
    p
}

fn build(dir: &Path, goarch: &str, args: &[&str]) -> Output {
    goclift().current_dir(dir).env("GOARCH", goarch).env("GOOS", "linux").arg("build").args(args).output().unwrap()
}

const HELLO: &str = "package main\n\nfunc main() {\n\tprintln(\"hello, world\", 42, true, -7)\n}\n";

#[test]
fn hello_builds_and_runs_on_both_targets() {
    for (goarch, runner, machine) in [("amd64", None, 62u16), ("arm64", Some("qemu-aarch64"), 183u16)] {
        if !runtime_built(goarch) {
            eprintln!("skipped {goarch}: runtime not built");
            continue;
        }
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "hello.go", HELLO);
        let out = build(dir.path(), goarch, &["hello.go"]);
        assert!(out.status.success(), "{goarch}: {}", text(&out.stderr));
        // The default output name is the first file's, as with go build.
        let exe = dir.path().join("hello");
        let elf = std::fs::read(&exe).unwrap();
        assert_eq!(&elf[..4], b"\x7fELF");
        assert_eq!(u16::from_le_bytes([elf[18], elf[19]]), machine, "{goarch}: ELF e_machine");
        let run = match runner {
            Some(r) => Command::new(r).arg(&exe).output().unwrap(),
            None => Command::new(&exe).output().unwrap(),
        };
        assert!(run.status.success());
        assert_eq!(text(&run.stdout), "");
        assert_eq!(text(&run.stderr), "hello, world 42 true -7\n", "{goarch}");
    }
}

#[test]
fn run_passes_output_through() {
    if !runtime_built("amd64") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let f = write(dir.path(), "hello.go", HELLO);
    let out = goclift().env("GOARCH", "amd64").arg("run").arg(&f).output().unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(text(&out.stderr), "hello, world 42 true -7\n");
}

#[test]
fn syntax_error_exits_1_with_position_and_leaves_no_output() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "bad.go", "package main\n\nfunc main() {\n\tprintln(\"x\"\n}\n");
    let out = build(dir.path(), "amd64", &["-o", "prog", "bad.go"]);
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert!(err.starts_with("bad.go:4:13: syntax error: unexpected newline in argument list; possibly missing comma or )"), "{err}");
    assert!(!dir.path().join("prog").exists());
    let leftovers: Vec<_> = std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert_eq!(leftovers.len(), 1, "{leftovers:?}");
}

#[test]
fn failed_build_keeps_an_existing_output_untouched() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "bad.go", "package main\nfunc main() { x := }\n");
    write(dir.path(), "prog", "previous");
    let out = build(dir.path(), "amd64", &["-o", "prog", "bad.go"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(std::fs::read_to_string(dir.path().join("prog")).unwrap(), "previous");
}

#[test]
fn asm_listing_names_functions_and_interleaves_source() {
    for goarch in ["amd64", "arm64"] {
        if !runtime_built(goarch) {
            continue;
        }
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "hello.go", HELLO);
        let out = build(dir.path(), goarch, &["-S", "-o", "h", "hello.go"]);
        assert!(out.status.success(), "{}", text(&out.stderr));
        let asm = text(&out.stdout);
        assert!(asm.contains("main.main STEXT"), "{asm}");
        assert!(asm.contains("hello.go:4\tprintln(\"hello, world\", 42, true, -7)"), "{asm}");
        assert!(asm.contains("; runtime.printint"), "{asm}");
        let call = if goarch == "amd64" { "call" } else { "bl" };
        assert!(asm.lines().any(|l| l.contains(call)), "{goarch}: {asm}");
    }
}

#[test]
fn unsupported_target_is_refused_with_the_list() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "hello.go", HELLO);
    let out = goclift().current_dir(dir.path()).env("GOOS", "windows").arg("build").arg("hello.go").output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert!(err.contains("windows/") && err.contains("linux/amd64, linux/arm64"), "{err}");
}

#[test]
fn missing_goroot_says_what_to_install() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "hello.go", HELLO);
    let out = goclift().current_dir(dir.path()).env("GOROOT", "/nonexistent").args(["build", "hello.go"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("apt-get install golang-1.19-src"), "{}", text(&out.stderr));
}

#[test]
fn version_and_env() {
    let out = goclift().arg("version").output().unwrap();
    assert!(text(&out.stdout).starts_with("goclift version "));
    let out = goclift().env("GOARCH", "arm64").arg("env").output().unwrap();
    let env = text(&out.stdout);
    assert!(env.contains("GOARCH=\"arm64\"") && env.contains("GOOS=\"linux\""), "{env}");
}

#[test]
fn missing_linker_says_what_to_install() {
    if !runtime_built("arm64") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "hello.go", HELLO);
    // A PATH without any C toolchain: the cross linker cannot be found.
    let out = goclift()
        .current_dir(dir.path())
        .env("PATH", dir.path())
        .env("GOARCH", "arm64")
        .args(["build", "-o", "h", "hello.go"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert!(err.contains("aarch64-linux-gnu-gcc") && err.contains("apt-get install gcc-aarch64-linux-gnu"), "{err}");
    assert!(!dir.path().join("h").exists());
}

fn check(dir: &Path, goarch: &str, args: &[&str]) -> Output {
    goclift().current_dir(dir).env("GOARCH", goarch).env("GOOS", "linux").arg("check").args(args).output().unwrap()
}

/// Issue 4's measure: every standard-library package outside cmd/ (`go list std`) checks
/// without an error for both targets.
#[test]
fn check_std_has_no_errors_on_both_targets() {
    let dir = tempfile::tempdir().unwrap();
    for goarch in ["amd64", "arm64"] {
        let out = check(dir.path(), goarch, &["std"]);
        assert_eq!(text(&out.stderr), "", "{goarch}");
        assert!(out.status.success(), "{goarch}");
    }
}

#[test]
fn check_loads_imports_and_prints_errors_like_gc() {
    let dir = tempfile::tempdir().unwrap();
    let body: String = (0..12).map(|i| format!("\tvar v{i} int = strings.ToUpper(\"x\")\n\t_ = v{i}\n")).collect();
    write(dir.path(), "a.go", &format!("package main\n\nimport \"strings\"\n\nfunc main() {{\n{body}}}\n"));
    let out = check(dir.path(), "amd64", &["a.go"]);
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(lines.len(), 11, "{err}");
    let want = "a.go:6:15: cannot use strings.ToUpper(\"x\") (value of type string) as type int in variable declaration";
    assert_eq!(lines[0], want);
    assert_eq!(lines[10], "a.go:24:15: too many errors");
    let out = check(dir.path(), "amd64", &["-e", "a.go"]);
    assert_eq!(text(&out.stderr).lines().count(), 12);
    // A directory and an import path name packages too; -lang gates newer features.
    write(dir.path(), "a.go", "package main\n\nfunc F[T any]() {}\n\nfunc main() {}\n");
    assert!(check(dir.path(), "amd64", &["."]).status.success());
    let out = check(dir.path(), "amd64", &["-lang=go1.17", "."]);
    assert!(text(&out.stderr).contains("requires go1.18"), "{}", text(&out.stderr));
    assert!(check(dir.path(), "arm64", &["net/http"]).status.success());
    let out = check(dir.path(), "amd64", &["no/such/pkg"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("package no/such/pkg is not in GOROOT"), "{}", text(&out.stderr));
}

/// The build path type-checks imported packages, then compiles what the program reaches of
/// them; a reachable function without a Go body that goclift does not provide is reported
/// at the call, not skipped.
#[test]
fn build_checks_imports_then_reports_what_it_cannot_compile() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "bad.go", "package main\n\nimport \"strings\"\n\nfunc main() { var n int = strings.ToUpper(\"x\"); _ = n }\n");
    let out = build(dir.path(), "amd64", &["bad.go"]);
    assert_eq!(out.status.code(), Some(1));
    let want = "bad.go:5:27: cannot use strings.ToUpper(\"x\") (value of type string) as type int in variable declaration\n";
    assert_eq!(text(&out.stderr), want);
    write(dir.path(), "good.go", "package main\n\nimport \"strings\"\n\nfunc main() { _ = strings.ToUpper(\"x\") }\n");
    let out = build(dir.path(), "arm64", &["good.go"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    write(dir.path(), "asm.go", "package main\n\nimport \"runtime/debug\"\n\nfunc main() { debug.SetPanicOnFault(true) }\n");
    let out = build(dir.path(), "amd64", &["asm.go"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("goclift cannot compile functions without a Go body (runtime/debug.setPanicOnFault) yet"), "{}", text(&out.stderr));
}
