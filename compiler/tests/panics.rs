//! Unrecovered panics end to end: programs whose panics escape (after deferred calls ran,
//! recovered and re-panicked, nested) print what gc 1.19 prints, up to the goroutine header
//! (goclift's tracebacks have no frames yet), and exit with gc's status. The expected output
//! comes from running gc on the same program during the test; the arm64 build runs under
//! qemu-aarch64. Cases are skipped, with a note, when gc or a runtime is missing.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const GO: &str = "/usr/lib/go-1.19/bin/go";

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn runtime_built(goarch: &str) -> bool {
    repo().join(format!("target/runtime/linux_{goarch}/libgoclift_runtime.a")).exists()
}

/// Standard error up to and including the first goroutine header, with the faulting pc of a
/// `[signal ...]` line masked (it differs between compilers and targets).
fn head(out: &Output) -> String {
    let text = String::from_utf8_lossy(&out.stderr);
    let mut kept = String::new();
    for line in text.split_inclusive('\n') {
        let line = match line.find(" pc=0x") {
            Some(i) if line.starts_with("[signal ") => format!("{} pc=0x?]\n", &line[..i]),
            _ => line.to_string(),
        };
        kept.push_str(&line);
        if line.starts_with("goroutine ") {
            break;
        }
    }
    kept
}

/// Runs `prog`, natively or under `runner`.
fn run(prog: &Path, runner: Option<&str>) -> Output {
    match runner {
        Some(r) => Command::new(r).arg(prog).output().unwrap(),
        None => Command::new(prog).output().unwrap(),
    }
}

/// Builds `src` with gc and with goclift for both targets and compares the runs.
fn check(name: &str, src: &str) {
    if !Path::new(GO).exists() {
        eprintln!("skipped {name}: gc 1.19 not installed");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join(format!("{name}.go"));
    std::fs::write(&file, src).unwrap();
    let gc_exe = dir.path().join("gc.exe");
    let built = Command::new(GO)
        .args(["build", "-o"])
        .arg(&gc_exe)
        .arg(&file)
        .env("CGO_ENABLED", "0")
        .env("GOFLAGS", "")
        .env("GO111MODULE", "off")
        .env("GOCACHE", dir.path().join("gocache"))
        .output()
        .unwrap();
    assert!(built.status.success(), "{name}: gc build: {}", String::from_utf8_lossy(&built.stderr));
    let want = run(&gc_exe, None);
    for (goarch, runner) in [("amd64", None), ("arm64", Some("qemu-aarch64"))] {
        if !runtime_built(goarch) {
            eprintln!("skipped {name} on {goarch}: runtime not built");
            continue;
        }
        let exe = dir.path().join(format!("{name}.{goarch}"));
        let out = Command::new(env!("CARGO_BIN_EXE_goclift"))
            .env("GOARCH", goarch)
            .env("GOOS", "linux")
            .arg("build")
            .arg("-o")
            .arg(&exe)
            .arg(&file)
            .output()
            .unwrap();
        assert!(out.status.success(), "{name} {goarch}: {}", String::from_utf8_lossy(&out.stderr));
        let got = run(&exe, runner);
        assert_eq!(head(&got), head(&want), "{name} on {goarch}: standard error");
        assert_eq!(got.status.code(), want.status.code(), "{name} on {goarch}: exit status");
    }
}

#[test]
fn deferred_calls_run_before_an_unrecovered_panic_prints() {
    check(
        "unrecovered",
        r#"package main

func f() {
	defer println("f's deferred call")
	var p *int
	println(*p)
}

func main() {
	defer println("main's deferred call")
	f()
}
"#,
    );
}

#[test]
fn panics_during_panics_print_as_a_chain() {
    check(
        "chain",
        r#"package main

func main() {
	defer func() {
		defer func() {
			panic("third")
		}()
		recover()
		panic("second")
	}()
	panic("first")
}
"#,
    );
}

#[test]
fn a_recovered_runtime_error_panicked_again_prints_its_message() {
    check(
        "repanic",
        r#"package main

func get(s []int, i int) int { return s[i] }

func main() {
	defer func() {
		r := recover()
		println("recovered, panicking again")
		panic(r)
	}()
	println(get([]int{1, 2, 3}, 5))
}
"#,
    );
}

#[test]
fn a_panic_in_a_deferred_call_at_return_is_a_panic() {
    check(
        "atreturn",
        r#"package main

func f(d int) (q int) {
	defer func() { q = 10 / d }()
	return 1
}

func main() {
	defer println("main deferred")
	println(f(2))
	println(f(0))
}
"#,
    );
}

#[test]
fn a_nil_func_value_panics_when_the_deferred_call_runs() {
    check(
        "nilfunc",
        r#"package main

func main() {
	var fv func()
	defer println("after")
	defer fv()
	println("body")
}
"#,
    );
}

#[test]
fn a_deferred_call_panicking_after_recovering_marks_the_first_recovered() {
    check(
        "recoveredthenpanic",
        r#"package main

func main() {
	defer func() {
		if recover() != nil {
			panic("again")
		}
	}()
	var m []int
	m[0] = 1
}
"#,
    );
}

#[test]
fn panic_with_nil_is_recovered_as_nil_and_prints_nil() {
    check(
        "panicnil",
        r#"package main

func f() (r int) {
	defer func() {
		println("recover() == nil:", recover() == nil)
		r = 3
	}()
	panic(nil)
}

func main() {
	println(f())
	panic(nil)
}
"#,
    );
}

#[test]
fn panic_values_print_with_their_error_method_or_their_type() {
    check(
        "values",
        r#"package main

type E struct{ code int }

func (e E) Error() string { return "E error" }

type S string

type I int

func main() {
	defer func() {
		r := recover()
		if e, ok := r.(error); ok {
			println("recovered error:", e.Error())
		}
		defer func() {
			if s, ok := recover().(S); ok {
				println("recovered S:", string(s))
			}
			defer func() { panic(I(5)) }()
			var x interface{} = 3.5
			panic(x)
		}()
		panic(S("named"))
	}()
	panic(E{1})
}
"#,
    );
}
