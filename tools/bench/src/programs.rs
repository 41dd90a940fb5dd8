//! Benchmarking the programs in programs/: build with both compilers, run the
//! binaries alternately, check goclift's output against gc's.

use crate::measure::{self, Exit, Measurement};
use crate::stats::median_secs;
use crate::toolchain::{Build, Toolchains};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// One benchmark program: a single package-main file.
#[derive(Clone, Debug, PartialEq)]
pub struct Program {
    /// File name without .go.
    pub name: String,
    /// The source file.
    pub source: PathBuf,
}

/// The .go files of `dir`, sorted by name.
pub fn discover(dir: &Path) -> std::io::Result<Vec<Program>> {
    let mut programs = Vec::new();
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.extension().is_some_and(|e| e == "go") {
            let name = path
                .file_stem()
                .unwrap_or_default()
                .to_string_lossy()
                .into_owned();
            programs.push(Program { name, source: path });
        }
    }
    programs.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(programs)
}

/// Why a binary's runs do not count.
#[derive(Clone, Debug, PartialEq)]
pub enum Failure {
    /// The compiler did not produce a binary.
    BuildFailed,
    /// The binary exited differently from gc's (or, for gc, unsuccessfully).
    Crashed,
    /// It printed something other than gc's binary did.
    WrongOutput,
    /// It ran past its time limit.
    TimedOut,
}

impl Failure {
    /// The words that stand in the table instead of numbers.
    pub fn label(&self) -> &'static str {
        match self {
            Failure::BuildFailed => "build failed",
            Failure::Crashed => "crashed",
            Failure::WrongOutput => "wrong output",
            Failure::TimedOut => "timed out",
        }
    }
}

/// Everything measured for one program with one compiler.
#[derive(Clone, Debug)]
pub struct Side {
    /// The build.
    pub build: Build,
    /// Runs with correct output.
    pub runs: Vec<Measurement>,
    /// Set when the side failed; its runs are then not reported.
    pub failure: Option<Failure>,
    /// What went wrong, for the details section.
    pub detail: String,
}

impl Side {
    fn new(build: Build) -> Side {
        let failure = build.binary.is_none().then_some(Failure::BuildFailed);
        let detail = build
            .failure
            .as_ref()
            .map(|(s, d)| format!("{s}\n{}", tail(d, 20)))
            .unwrap_or_default();
        Side {
            build,
            runs: Vec::new(),
            failure,
            detail,
        }
    }

    /// Median wall time in seconds over the good runs.
    pub fn median_wall(&self) -> Option<f64> {
        self.ok()
            .then(|| median_secs(self.runs.iter().map(|m| m.wall)))
            .flatten()
    }

    /// Median CPU (user+sys) time in seconds over the good runs.
    pub fn median_cpu(&self) -> Option<f64> {
        self.ok()
            .then(|| median_secs(self.runs.iter().map(|m| m.cpu())))
            .flatten()
    }

    /// Median peak RSS in bytes over the good runs.
    pub fn median_rss(&self) -> Option<f64> {
        let kib: Vec<f64> = self
            .runs
            .iter()
            .map(|m| m.max_rss_kib as f64 * 1024.0)
            .collect();
        self.ok().then(|| crate::stats::median(&kib)).flatten()
    }

    /// True when any good run's RSS reading may be only the inherited floor.
    pub fn rss_at_floor(&self) -> bool {
        self.runs.iter().any(Measurement::rss_is_floor)
    }

    /// No failure so far.
    pub fn ok(&self) -> bool {
        self.failure.is_none()
    }

    fn total_wall(&self) -> Duration {
        self.runs.iter().map(|m| m.wall).sum()
    }

    fn fail(&mut self, failure: Failure, detail: String) {
        self.failure = Some(failure);
        self.detail = detail;
    }
}

/// The results for one program.
#[derive(Clone, Debug)]
pub struct ProgramResult {
    /// Which program.
    pub program: Program,
    /// gc's side.
    pub gc: Side,
    /// goclift's side.
    pub goclift: Side,
}

/// How the runs are driven.
pub struct RunPlan {
    /// Runs per binary.
    pub runs: usize,
    /// Upper limit of one run.
    pub timeout: Duration,
    /// A binary is not repeated after its runs took this long in total.
    pub budget: Duration,
    /// Where binaries go: bin_dir/gc/NAME and bin_dir/goclift/NAME.
    pub bin_dir: PathBuf,
}

/// Builds `program` with both compilers and runs the binaries alternately.
pub fn bench(program: &Program, tools: &Toolchains, plan: &RunPlan) -> ProgramResult {
    let gc_out = plan.bin_dir.join("gc").join(&program.name);
    let goclift_out = plan.bin_dir.join("goclift").join(&program.name);
    let _ = std::fs::create_dir_all(plan.bin_dir.join("gc"));
    let _ = std::fs::create_dir_all(plan.bin_dir.join("goclift"));
    let mut gc = Side::new(tools.build_gc(&program.source, &gc_out));
    let mut goclift = Side::new(tools.build_goclift(&program.source, &goclift_out));
    for _ in 0..plan.runs {
        if wants_run(&gc, plan) {
            run_gc(&mut gc, tools, plan.timeout);
        }
        if wants_run(&goclift, plan) {
            match gc.runs.first().cloned() {
                Some(reference) => run_goclift(
                    &mut goclift,
                    &reference,
                    tools,
                    goclift_timeout(&reference, plan.timeout),
                ),
                None => break, // nothing to check goclift's output against
            }
        }
    }
    ProgramResult {
        program: program.clone(),
        gc,
        goclift,
    }
}

/// A goclift run may take 20x gc's first run, at least 10 s, at most `limit`.
fn goclift_timeout(reference: &Measurement, limit: Duration) -> Duration {
    (reference.wall * 20)
        .max(Duration::from_secs(10))
        .min(limit)
}

fn wants_run(side: &Side, plan: &RunPlan) -> bool {
    side.ok() && (side.runs.is_empty() || side.total_wall() < plan.budget)
}

fn run_binary(side: &Side, tools: &Toolchains, timeout: Duration) -> std::io::Result<Measurement> {
    let binary = side.build.binary.as_ref().expect("only built sides run");
    measure::run(&mut tools.command(binary), timeout)
}

/// Runs gc's binary; it must succeed and print the same every time.
fn run_gc(side: &mut Side, tools: &Toolchains, timeout: Duration) {
    let m = match run_binary(side, tools, timeout) {
        Ok(m) => m,
        Err(e) => return side.fail(Failure::Crashed, format!("cannot run: {e}")),
    };
    let verdict = match side.runs.first() {
        None if m.exit.success() => None,
        None => Some(exit_failure(&m, Exit::Code(0))),
        Some(first) => check_against(&m, first),
    };
    match verdict {
        Some((failure, detail)) => side.fail(failure, detail),
        None => side.runs.push(m),
    }
}

/// Runs goclift's binary and checks it against gc's first run.
fn run_goclift(side: &mut Side, reference: &Measurement, tools: &Toolchains, timeout: Duration) {
    let m = match run_binary(side, tools, timeout) {
        Ok(m) => m,
        Err(e) => return side.fail(Failure::Crashed, format!("cannot run: {e}")),
    };
    match check_against(&m, reference) {
        Some((failure, detail)) => side.fail(failure, detail),
        None => side.runs.push(m),
    }
}

/// Compares a run with the reference run: same exit, same stdout, same stderr
/// (println writes to stderr, so that is where most checksums are).
pub fn check_against(m: &Measurement, reference: &Measurement) -> Option<(Failure, String)> {
    if m.exit != reference.exit {
        return Some(exit_failure(m, reference.exit));
    }
    for (stream, got, want) in [
        ("stdout", &m.stdout, &reference.stdout),
        ("stderr", &m.stderr, &reference.stderr),
    ] {
        if got != want {
            return Some((Failure::WrongOutput, first_difference(stream, got, want)));
        }
    }
    None
}

fn exit_failure(m: &Measurement, expected: Exit) -> (Failure, String) {
    let failure = if m.exit == Exit::TimedOut {
        Failure::TimedOut
    } else {
        Failure::Crashed
    };
    let detail = format!(
        "{} after {:.3} s (expected {}); stderr ends:\n{}",
        m.exit.describe(),
        m.wall.as_secs_f64(),
        expected.describe(),
        tail(&String::from_utf8_lossy(&m.stderr), 20)
    );
    (failure, detail)
}

/// Describes the first line where `got` and `want` differ.
pub fn first_difference(stream: &str, got: &[u8], want: &[u8]) -> String {
    let got = String::from_utf8_lossy(got);
    let want = String::from_utf8_lossy(want);
    let mut got_lines = got.lines();
    let mut want_lines = want.lines();
    for line in 1.. {
        match (got_lines.next(), want_lines.next()) {
            (Some(g), Some(w)) if g == w => continue,
            (None, None) => {
                return format!("{stream} differs only in line endings or a final newline")
            }
            (g, w) => {
                return format!(
                    "{stream} line {line}: got {:?}, want {:?}",
                    g.unwrap_or("<end of output>"),
                    w.unwrap_or("<end of output>")
                )
            }
        }
    }
    unreachable!("the loop above returns")
}

/// The last `n` lines of `text`.
pub fn tail(text: &str, n: usize) -> String {
    let lines: Vec<&str> = text.lines().collect();
    lines[lines.len().saturating_sub(n)..].join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(exit: Exit, stdout: &str, stderr: &str) -> Measurement {
        Measurement {
            exit,
            wall: Duration::from_millis(100),
            user: Duration::ZERO,
            sys: Duration::ZERO,
            max_rss_kib: 1000,
            rss_floor_kib: 200,
            stdout: stdout.as_bytes().to_vec(),
            stderr: stderr.as_bytes().to_vec(),
        }
    }

    #[test]
    fn same_output_and_exit_passes() {
        let r = m(Exit::Code(0), "", "checksum: 42\n");
        assert_eq!(
            check_against(&m(Exit::Code(0), "", "checksum: 42\n"), &r),
            None
        );
    }

    #[test]
    fn different_output_is_wrong_output_with_the_line() {
        let r = m(Exit::Code(0), "", "a\nchecksum: 42\n");
        let (f, detail) = check_against(&m(Exit::Code(0), "", "a\nchecksum: 41\n"), &r).unwrap();
        assert_eq!(f, Failure::WrongOutput);
        assert_eq!(
            detail,
            "stderr line 2: got \"checksum: 41\", want \"checksum: 42\""
        );
        let (f, _) = check_against(&m(Exit::Code(0), "a\nchecksum: 42\n", ""), &r).unwrap();
        assert_eq!(f, Failure::WrongOutput, "output on the wrong stream");
    }

    #[test]
    fn missing_lines_are_named() {
        assert_eq!(
            first_difference("stdout", b"a\n", b"a\nb\n"),
            "stdout line 2: got \"<end of output>\", want \"b\""
        );
        assert_eq!(
            first_difference("stdout", b"a", b"a\n"),
            "stdout differs only in line endings or a final newline"
        );
    }

    #[test]
    fn other_exit_is_a_crash_and_timeout_is_its_own_failure() {
        let r = m(Exit::Code(0), "", "ok\n");
        let (f, detail) = check_against(&m(Exit::Code(2), "", "panic: boom\n"), &r).unwrap();
        assert_eq!(f, Failure::Crashed);
        assert!(
            detail.starts_with("exit 2 after 0.100 s (expected exit 0)")
                && detail.contains("panic: boom")
        );
        assert_eq!(
            check_against(&m(Exit::Signal(11), "", ""), &r).unwrap().0,
            Failure::Crashed
        );
        assert_eq!(
            check_against(&m(Exit::TimedOut, "", ""), &r).unwrap().0,
            Failure::TimedOut
        );
    }

    #[test]
    fn goclift_timeout_scales_with_gc_within_bounds() {
        let limit = Duration::from_secs(60);
        assert_eq!(
            goclift_timeout(&m(Exit::Code(0), "", ""), limit),
            Duration::from_secs(10)
        );
        let mut slow = m(Exit::Code(0), "", "");
        slow.wall = Duration::from_secs(2);
        assert_eq!(goclift_timeout(&slow, limit), Duration::from_secs(40));
        slow.wall = Duration::from_secs(5);
        assert_eq!(goclift_timeout(&slow, limit), limit);
    }

    #[test]
    fn discovers_go_files_in_name_order() {
        let dir =
            std::env::temp_dir().join(format!("goclift-bench-discover-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        for f in ["b.go", "a.go", "notes.txt"] {
            std::fs::write(dir.join(f), "").unwrap();
        }
        let names: Vec<String> = discover(&dir)
            .unwrap()
            .into_iter()
            .map(|p| p.name)
            .collect();
        assert_eq!(names, ["a", "b"]);
    }

    #[test]
    fn a_failed_side_reports_no_numbers() {
        let mut side = Side::new(Build {
            binary: Some("/x".into()),
            compile_time: None,
            size: Some(1),
            failure: None,
        });
        side.runs.push(m(Exit::Code(0), "", ""));
        assert!(side.median_wall().is_some());
        side.fail(Failure::WrongOutput, String::new());
        assert_eq!(side.median_wall(), None);
        assert_eq!(side.median_rss(), None);
    }

    #[test]
    fn the_shipped_programs_are_all_found() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("programs");
        let names: Vec<String> = discover(&dir)
            .unwrap()
            .into_iter()
            .map(|p| p.name)
            .collect();
        for want in [
            "binarytrees",
            "chanpingpong",
            "fannkuch",
            "gcstress",
            "maps",
            "nbody",
            "parkmillion",
            "ring",
            "spawnstorm",
            "spectralnorm",
        ] {
            assert!(
                names.iter().any(|n| n == want),
                "{want} missing from {names:?}"
            );
        }
    }
}
