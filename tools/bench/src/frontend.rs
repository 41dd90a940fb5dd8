//! Front-end throughput: go/parser against `goclift check --parse-only`, and
//! go/types against `goclift check std`, all on one core.

use crate::measure::{self, Measurement};
use crate::programs::tail;
use crate::stats::median;
use crate::toolchain::{combined_output, Toolchains};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

/// What a yardstick program reports about the source it processed.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Counts {
    /// Packages checked (type-checking only).
    pub packages: Option<u64>,
    /// Files.
    pub files: u64,
    /// Lines (newline characters).
    pub lines: u64,
    /// Bytes of source.
    pub bytes: u64,
}

/// The repeated measurement of one tool doing one task.
#[derive(Clone, Debug, Default)]
pub struct ToolRuns {
    /// Name shown in the table.
    pub label: String,
    /// Seconds per run (see `Task` for which clock).
    pub times: Vec<f64>,
    /// CPU seconds (user+sys) per run.
    pub cpu: Vec<f64>,
    /// Peak RSS per run, bytes.
    pub rss: Vec<f64>,
    /// What was processed, when the tool says so.
    pub counts: Option<Counts>,
    /// Why there are no numbers ("n/a: ...").
    pub failure: Option<String>,
}

impl ToolRuns {
    fn new(label: &str) -> ToolRuns {
        ToolRuns {
            label: label.to_string(),
            ..ToolRuns::default()
        }
    }

    /// Median time in seconds, unless the tool failed.
    pub fn time(&self) -> Option<f64> {
        self.failure
            .is_none()
            .then(|| median(&self.times))
            .flatten()
    }

    /// Median CPU seconds.
    pub fn cpu_time(&self) -> Option<f64> {
        self.failure.is_none().then(|| median(&self.cpu)).flatten()
    }

    /// Median peak RSS in bytes.
    pub fn peak_rss(&self) -> Option<f64> {
        self.failure.is_none().then(|| median(&self.rss)).flatten()
    }

    fn record(&mut self, m: &Measurement, secs: f64) {
        self.times.push(secs);
        self.cpu.push(m.cpu().as_secs_f64());
        self.rss.push(m.max_rss_kib as f64 * 1024.0);
    }
}

/// One front-end task: the gc-side yardsticks and goclift doing the same.
#[derive(Clone, Debug)]
pub struct Task {
    /// "parse" or "type-check".
    pub name: &'static str,
    /// go/parser or go/types measurements.
    pub go: Vec<ToolRuns>,
    /// goclift's measurement.
    pub goclift: ToolRuns,
    /// Which `go` entry processed the same input as goclift (for its rates).
    pub same_input_as: usize,
    /// How the times were taken, for the report.
    pub note: String,
}

/// Inputs of the front-end comparison.
pub struct FrontendPlan<'a> {
    /// Toolchains (gc builds the yardsticks; goclift is measured).
    pub tools: &'a Toolchains,
    /// tools/bench/frontend.
    pub frontend_dir: PathBuf,
    /// Where the yardstick binaries go.
    pub bin_dir: PathBuf,
    /// Runs of each measurement.
    pub runs: usize,
    /// Upper limit of one run.
    pub timeout: Duration,
}

/// Measures parsing of GOROOT/src.
pub fn parse_task(plan: &FrontendPlan) -> Task {
    // Debian's GOROOT/src is a symlink; give both tools the real directory.
    let src = std::fs::canonicalize(plan.tools.goroot.join("src"))
        .unwrap_or(plan.tools.goroot.join("src"));
    let mut go = ToolRuns::new("go/parser (goparse)");
    let mut goclift = ToolRuns::new("goclift check --parse-only -j 1");
    match build_yardstick(plan, "goparse") {
        Err(e) => go.failure = Some(e),
        Ok(bin) => {
            let go_cmd = || {
                let mut c = plan.tools.command(&bin);
                c.arg(&src).env("GOMAXPROCS", "1");
                c
            };
            let goclift_cmd = || goclift_command(plan, &["check", "--parse-only", "-j", "1"], &src);
            for _ in 0..plan.runs {
                run_yardstick(&mut go, &mut go_cmd(), plan.timeout, None);
                run_goclift(&mut goclift, goclift_cmd(), plan);
            }
        }
    }
    let note = format!(
        "{}: every .go file outside testdata and ./_ directories, parsed one after another with \
         comments and without object resolution; time = process wall time, including the walk and the reads.",
        src.display()
    );
    Task {
        name: "parse",
        go: vec![go],
        goclift,
        same_input_as: 0,
        note,
    }
}

/// Measures type-checking the standard library.
pub fn types_task(plan: &FrontendPlan) -> Task {
    let mut source = ToolRuns::new("go/types, source importer");
    let mut shared = ToolRuns::new("go/types, each package once");
    let mut goclift = ToolRuns::new("goclift check -j 1 std");
    match build_yardstick(plan, "gotypes") {
        Err(e) => {
            source.failure = Some(e.clone());
            shared.failure = Some(e);
        }
        Ok(bin) => {
            let go_cmd = |importer: &str| {
                let mut c = plan.tools.command(&bin);
                c.args(["-importer", importer]).env("GOMAXPROCS", "1");
                c
            };
            for _ in 0..plan.runs {
                run_yardstick(
                    &mut source,
                    &mut go_cmd("source"),
                    plan.timeout,
                    Some("seconds"),
                );
                run_yardstick(
                    &mut shared,
                    &mut go_cmd("shared"),
                    plan.timeout,
                    Some("seconds"),
                );
                run_goclift(
                    &mut goclift,
                    goclift_command(plan, &["check", "-j", "1"], Path::new("std")),
                    plan,
                );
            }
        }
    }
    let note = "the packages of `go list std` outside cmd/ and vendor/, cgo off, function bodies checked; \
                go/types times are its own clock (without running `go list`), goclift's the process wall time. \
                \"source importer\" also re-checks every import without bodies (go/importer \"source\"); \
                \"each package once\" is the work a compiler does, and is what goclift's rates are based on."
        .to_string();
    Task {
        name: "type-check",
        go: vec![source, shared],
        goclift,
        same_input_as: 1,
        note,
    }
}

fn build_yardstick(plan: &FrontendPlan, name: &str) -> Result<PathBuf, String> {
    let src = plan.frontend_dir.join(name).join("main.go");
    let _ = std::fs::create_dir_all(&plan.bin_dir);
    plan.tools
        .build_tool(&src, &plan.bin_dir.join(name))
        .map_err(|e| format!("n/a: building {name} failed: {}", tail(&e, 5)))
}

fn goclift_command(plan: &FrontendPlan, args: &[&str], target: &Path) -> Command {
    let mut c = plan.tools.command(&plan.tools.goclift);
    c.args(args).arg(target);
    c
}

/// Runs a yardstick once. Its time is its own `clock` key when given (so that
/// set-up it does not share with goclift is left out), else the wall time.
fn run_yardstick(runs: &mut ToolRuns, cmd: &mut Command, timeout: Duration, clock: Option<&str>) {
    if runs.failure.is_some() {
        return;
    }
    let m = match measure::run(cmd, timeout) {
        Ok(m) => m,
        Err(e) => return runs.failure = Some(format!("n/a: cannot run: {e}")),
    };
    let fields = key_values(&String::from_utf8_lossy(&m.stdout));
    if !m.exit.success() || fields.get("errors").is_some_and(|e| e != "0") {
        runs.failure = Some(format!(
            "n/a: {} — {}",
            m.exit.describe(),
            tail(&combined_output(&m), 5)
        ));
        return;
    }
    runs.counts = counts_of(&fields);
    let secs = clock
        .and_then(|k| fields.get(k))
        .and_then(|v| v.parse().ok())
        .unwrap_or(m.wall.as_secs_f64());
    runs.record(&m, secs);
}

/// Runs goclift once; any failure ends its series with n/a and the reason.
fn run_goclift(runs: &mut ToolRuns, mut cmd: Command, plan: &FrontendPlan) {
    if runs.failure.is_some() {
        return;
    }
    if !plan.tools.goclift.is_file() {
        runs.failure = Some(format!(
            "n/a: no goclift binary at {}",
            plan.tools.goclift.display()
        ));
        return;
    }
    match measure::run(&mut cmd, plan.timeout) {
        Ok(m) if m.exit.success() => {
            // goclift's own account of its input, if it prints one in the
            // yardsticks' key=value form; the report compares the two.
            runs.counts = counts_of(&key_values(&combined_output(&m)));
            runs.record(&m, m.wall.as_secs_f64())
        }
        Ok(m) => {
            runs.failure = Some(format!(
                "n/a: {} — {}",
                m.exit.describe(),
                tail(&combined_output(&m), 5)
            ))
        }
        Err(e) => runs.failure = Some(format!("n/a: cannot run goclift: {e}")),
    }
}

/// Splits "a=1 b=2" into a map.
pub fn key_values(line: &str) -> HashMap<String, String> {
    line.split_whitespace()
        .filter_map(|kv| kv.split_once('='))
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

fn counts_of(fields: &HashMap<String, String>) -> Option<Counts> {
    let num = |k: &str| fields.get(k).and_then(|v| v.parse::<u64>().ok());
    Some(Counts {
        packages: num("packages"),
        files: num("files")?,
        lines: num("lines")?,
        bytes: num("bytes")?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_yardsticks_output_line() {
        let f =
            key_values("files=4726 lines=1991746 bytes=60969044 errors=0 total_seconds=1.618\n");
        assert_eq!(f["total_seconds"], "1.618");
        assert_eq!(
            counts_of(&f),
            Some(Counts {
                packages: None,
                files: 4726,
                lines: 1991746,
                bytes: 60969044
            })
        );
        assert_eq!(counts_of(&key_values("packages=3 files=1")), None);
    }

    #[test]
    fn a_failed_tool_has_no_time() {
        let mut t = ToolRuns::new("x");
        t.times = vec![1.0, 2.0, 3.0];
        assert_eq!(t.time(), Some(2.0));
        t.failure = Some("n/a".into());
        assert_eq!(t.time(), None);
    }
}
