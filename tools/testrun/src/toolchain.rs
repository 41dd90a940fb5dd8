//! Shared by both runners: build a program with goclift (or gc, to regenerate expected
//! output), run it natively or under qemu with combined output and a time limit, and
//! judge the result against expected output and exit status.

use crate::diff::short_diff;
use crate::process::{run_combined, Captured, Termination};
use crate::target::Arch;
use crate::tempdir::TempDir;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

/// Lines of compiler output quoted in a build failure.
const BUILD_OUTPUT_LINES: usize = 20;
/// Lines per side in an output diff.
const DIFF_LINES: usize = 12;

/// The compiler that builds test programs.
#[derive(Debug, Clone)]
pub enum Compiler {
    /// `goclift build -o OUT SOURCES`.
    Goclift(PathBuf),
    /// `go build -o OUT SOURCES` with CGO_ENABLED=0 (static, like goclift's output).
    Gc(PathBuf),
}

impl Compiler {
    fn build_command(&self, arch: Arch, out: &Path, sources: &[PathBuf]) -> Command {
        let (tool, mut cmd) = match self {
            Compiler::Goclift(path) => ("goclift", Command::new(path)),
            Compiler::Gc(path) => ("go", Command::new(path)),
        };
        if tool == "go" {
            cmd.env("CGO_ENABLED", "0");
        }
        cmd.arg("build").arg("-o").arg(out).args(sources);
        cmd.env("GOOS", "linux").env("GOARCH", arch.goarch());
        cmd
    }

    /// The path of the compiler binary.
    pub fn path(&self) -> &Path {
        match self {
            Compiler::Goclift(path) | Compiler::Gc(path) => path,
        }
    }
}

/// A program to build and run.
#[derive(Debug, Clone, Default)]
pub struct Program {
    /// The .go files of its main package.
    pub sources: Vec<PathBuf>,
    /// Command-line arguments for the program.
    pub args: Vec<String>,
    /// Working directory of the running program (and of the build).
    pub dir: PathBuf,
    /// Extra environment for the compiler.
    pub build_env: Vec<(String, String)>,
    /// Extra environment for the program.
    pub run_env: Vec<(String, String)>,
}

/// Time limits of the two steps.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// For the compiler.
    pub build: Duration,
    /// For the program.
    pub run: Duration,
}

/// Why a program produced no run to judge.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StepFailure {
    /// The compiler could not be started, or a temp dir not made.
    Setup(String),
    /// The compiler failed (or timed out); the summary and its output.
    Build { summary: String, output: String },
    /// The program could not be started (e.g. qemu missing).
    Launch(String),
}

impl StepFailure {
    /// A one-line summary followed by details, for reports.
    pub fn describe(&self) -> String {
        match self {
            StepFailure::Setup(msg) => format!("setup: {msg}"),
            StepFailure::Build { summary, output } => format!("{summary}\n{output}"),
            StepFailure::Launch(msg) => msg.clone(),
        }
    }
}

/// Warns once, before a run, when the compiler is missing: every test will then fail
/// with a setup error, which is correct but easy to misread.
pub fn warn_if_missing(compiler: &Compiler) {
    if !compiler.path().is_file() {
        eprintln!("goclift-testrun: warning: no compiler at {}; every test will fail", compiler.path().display());
    }
}

/// Builds `program` for `arch` in a fresh temp dir and runs it.
pub fn build_and_run(
    compiler: &Compiler,
    program: &Program,
    arch: Arch,
    limits: Limits,
) -> Result<Captured, StepFailure> {
    let temp = TempDir::new().map_err(|e| StepFailure::Setup(format!("temp dir: {e}")))?;
    let exe = temp.path().join("prog");
    build(compiler, program, arch, &exe, limits.build)?;
    run(&exe, program, arch, limits.run)
}

/// Runs the compiler; Ok when it exits 0.
fn build(compiler: &Compiler, program: &Program, arch: Arch, exe: &Path, limit: Duration) -> Result<(), StepFailure> {
    let mut cmd = compiler.build_command(arch, exe, &program.sources);
    cmd.current_dir(&program.dir).envs(program.build_env.iter().map(|(k, v)| (k, v)));
    let captured = run_combined(cmd, limit)
        .map_err(|e| StepFailure::Setup(spawn_error(compiler.path(), &program.dir, &e)))?;
    if captured.termination.success() && exe.exists() {
        return Ok(());
    }
    let summary = match captured.termination {
        Termination::TimedOut => format!("build timed out after {}s", limit.as_secs()),
        Termination::Exited(0) => "build succeeded but wrote no executable".to_string(),
        other => format!("build failed ({other})"),
    };
    Err(StepFailure::Build { summary, output: first_lines(&captured.output, BUILD_OUTPUT_LINES) })
}

/// Runs a built executable, under the architecture's emulator when it is not native.
fn run(exe: &Path, program: &Program, arch: Arch, limit: Duration) -> Result<Captured, StepFailure> {
    let mut cmd = match arch.emulator() {
        Some(emulator) => {
            let mut cmd = Command::new(emulator);
            cmd.arg(exe);
            cmd
        }
        None => Command::new(exe),
    };
    cmd.args(&program.args).current_dir(&program.dir);
    cmd.envs(program.run_env.iter().map(|(k, v)| (k, v)));
    let launched = arch.emulator().map_or(exe, Path::new);
    run_combined(cmd, limit).map_err(|e| StepFailure::Launch(spawn_error(launched, &program.dir, &e)))
}

/// Describes a failure to start `program` in `dir`. "No such file" may mean the
/// program, its interpreter or the working directory, so say which exist.
fn spawn_error(program: &Path, dir: &Path, error: &std::io::Error) -> String {
    let exists = |p: &Path| if p.exists() { "exists" } else { "missing" };
    // A bare name (qemu-aarch64) is looked up in PATH: nothing to check here.
    let program_note =
        if program.is_absolute() { format!("program {}, ", exists(program)) } else { String::new() };
    format!("cannot run {}: {error} ({program_note}working directory {} {})", program.display(), dir.display(), exists(dir))
}

/// The first `n` lines of `text`, lossily decoded, with a note when more were cut.
pub fn first_lines(text: &[u8], n: usize) -> String {
    let text = String::from_utf8_lossy(text);
    let lines: Vec<&str> = text.lines().collect();
    let mut out = lines.iter().take(n).copied().collect::<Vec<_>>().join("\n");
    if lines.len() > n {
        out.push_str(&format!("\n... ({} more lines)", lines.len() - n));
    }
    out
}

/// What a run should produce.
#[derive(Debug, Clone)]
pub struct Expectation<'a> {
    /// Combined output, byte for byte.
    pub output: &'a [u8],
    /// Exit status.
    pub exit_status: i32,
}

/// Why a run does not meet its expectation: a one-line summary and details (a diff).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mismatch {
    /// E.g. "exit status 2, want 0; output differs".
    pub summary: String,
    /// A short diff of the output, or the tail of the output.
    pub details: String,
}

/// Compares a run with its expectation: status first, then the output.
pub fn judge(captured: &Captured, want: &Expectation<'_>) -> Result<(), Mismatch> {
    let mut problems = Vec::new();
    match captured.termination {
        Termination::Exited(code) if code == want.exit_status => {}
        Termination::TimedOut => problems.push(format!("timed out after {:.0?}", captured.elapsed)),
        other => problems.push(format!("{other}, want exit status {}", want.exit_status)),
    }
    if captured.truncated {
        problems.push(format!("output exceeds {} bytes", crate::process::OUTPUT_LIMIT));
    } else if captured.output != want.output {
        problems.push("output differs".to_string());
    }
    if problems.is_empty() {
        return Ok(());
    }
    Err(Mismatch {
        summary: problems.join("; "),
        details: short_diff(want.output, &captured.output, DIFF_LINES),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    fn captured(termination: Termination, output: &[u8]) -> Captured {
        Captured { termination, output: output.to_vec(), truncated: false, elapsed: Duration::ZERO }
    }

    #[test]
    fn judge_accepts_exact_match() {
        let want = Expectation { output: b"hi\n", exit_status: 0 };
        assert!(judge(&captured(Termination::Exited(0), b"hi\n"), &want).is_ok());
        let want = Expectation { output: b"panic\n", exit_status: 2 };
        assert!(judge(&captured(Termination::Exited(2), b"panic\n"), &want).is_ok());
    }

    #[test]
    fn judge_reports_status_and_output() {
        let want = Expectation { output: b"hi\n", exit_status: 0 };
        let m = judge(&captured(Termination::Exited(2), b"ho\n"), &want).unwrap_err();
        assert_eq!(m.summary, "exit status 2, want exit status 0; output differs");
        assert!(m.details.contains("-hi\n+ho\n"));
        let m = judge(&captured(Termination::Signaled(11), b"hi\n"), &want).unwrap_err();
        assert_eq!(m.summary, "signal: segmentation fault, want exit status 0");
        let m = judge(&captured(Termination::TimedOut, b"hi\n"), &want).unwrap_err();
        assert!(m.summary.starts_with("timed out"));
    }

    #[test]
    fn first_lines_cuts() {
        assert_eq!(first_lines(b"a\nb\nc\n", 2), "a\nb\n... (1 more lines)");
        assert_eq!(first_lines(b"a\n", 2), "a");
    }

    /// A stand-in compiler: a shell script that "compiles" by copying a script that
    /// prints its arguments, or fails with a gc-style message when told to.
    fn fake_compiler(dir: &Path) -> Compiler {
        let path = dir.join("fakegoclift");
        let script = r#"#!/bin/sh
# usage: fakegoclift build -o OUT FILE...
out=$3; shift 3
if grep -q COMPILE_ERROR "$@"; then echo "$1:1:1: undefined: x" >&2; exit 1; fi
printf '#!/bin/sh\necho "args: $*"; echo "goarch=%s" >&2; exit 3\n' "$GOARCH" > "$out"
chmod +x "$out"
"#;
        std::fs::write(&path, script).unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
        Compiler::Goclift(path)
    }

    #[test]
    fn build_and_run_with_fake_compiler() {
        let dir = TempDir::new().unwrap();
        let compiler = fake_compiler(dir.path());
        let src = dir.path().join("ok.go");
        std::fs::write(&src, "package main\n").unwrap();
        let program = Program {
            sources: vec![src],
            args: vec!["x".into(), "y".into()],
            dir: dir.path().to_path_buf(),
            ..Program::default()
        };
        let limits = Limits { build: Duration::from_secs(20), run: Duration::from_secs(20) };
        // Scripts are run natively on the host whatever their "architecture" is.
        let host = Arch::host().unwrap();
        let got = build_and_run(&compiler, &program, host, limits).unwrap();
        assert_eq!(got.termination, Termination::Exited(3));
        let want = format!("args: x y\ngoarch={host}\n");
        assert_eq!(String::from_utf8_lossy(&got.output), want);
    }

    #[test]
    fn build_failures_are_reported() {
        let dir = TempDir::new().unwrap();
        let compiler = fake_compiler(dir.path());
        let src = dir.path().join("bad.go");
        std::fs::write(&src, "package main // COMPILE_ERROR\n").unwrap();
        let program = Program { sources: vec![src.clone()], dir: dir.path().into(), ..Program::default() };
        let limits = Limits { build: Duration::from_secs(20), run: Duration::from_secs(20) };
        let err = build_and_run(&compiler, &program, Arch::Amd64, limits).unwrap_err();
        let StepFailure::Build { summary, output } = err else { panic!("{err:?}") };
        assert_eq!(summary, "build failed (exit status 1)");
        assert_eq!(output, format!("{}:1:1: undefined: x", src.display()));
        let missing = Compiler::Goclift(dir.path().join("no-such-compiler"));
        let err = build_and_run(&missing, &program, Arch::Amd64, limits).unwrap_err();
        assert!(matches!(err, StepFailure::Setup(_)), "{err:?}");
    }
}
