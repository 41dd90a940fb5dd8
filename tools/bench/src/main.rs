//! goclift-bench: builds the programs in tools/bench/programs with gc and with
//! goclift, runs both binaries alternately, and compares time, peak RSS, binary
//! size and compile time as ratios; then compares front-end throughput (go/parser
//! and go/types against goclift check). It asserts nothing: it measures and
//! reports, on stdout and in tools/bench/out/latest.md. See README.md.

mod cli;
mod frontend;
mod measure;
mod programs;
mod report;
mod stats;
mod toolchain;

use cli::{Options, Parsed};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::Duration;

/// Longest a single build may take (goclift may compile much of std per build).
const BUILD_TIMEOUT: Duration = Duration::from_secs(180);

/// Front-end parts that --only accepts besides program names.
const FRONTEND_PARTS: [&str; 2] = ["parse", "types"];

fn main() -> ExitCode {
    let bench_dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let workspace = bench_dir
        .join("../..")
        .canonicalize()
        .unwrap_or_else(|_| bench_dir.join("../.."));
    let goroot = std::env::var_os("GOROOT")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/usr/lib/go-1.19"));
    let args: Vec<String> = std::env::args().skip(1).collect();
    match cli::parse(&args, &workspace, goroot) {
        Ok(Parsed::Help) => {
            println!("{}", cli::USAGE);
            ExitCode::SUCCESS
        }
        Ok(Parsed::Run(opts)) => match run(&opts, &bench_dir, &workspace) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("goclift-bench: {e}");
                ExitCode::FAILURE
            }
        },
        Err(e) => {
            eprintln!("goclift-bench: {e}\n{}", cli::USAGE);
            ExitCode::from(2)
        }
    }
}

/// Runs everything selected and writes the report.
fn run(opts: &Options, bench_dir: &Path, workspace: &Path) -> Result<(), String> {
    if !opts.go.is_file() {
        return Err(format!(
            "gc's go command not found at {} (use --go or --goroot)",
            opts.go.display()
        ));
    }
    let out_dir = bench_dir.join("out");
    let tools = toolchain::Toolchains {
        go: opts.go.clone(),
        goclift: opts.goclift.clone(),
        goroot: opts.goroot.clone(),
        work_dir: out_dir.join("work"),
        timeout: BUILD_TIMEOUT,
    };
    let all_programs = programs::discover(&bench_dir.join("programs"))
        .map_err(|e| format!("reading programs/: {e}"))?;
    check_only_names(opts, &all_programs)?;
    let load_before = load_average();

    let results = bench_programs(opts, &tools, &all_programs, &out_dir);
    let tasks = if opts.frontend {
        frontend_tasks(opts, &tools, bench_dir, &out_dir)
    } else {
        Vec::new()
    };

    let text = render(
        opts,
        &tools,
        workspace,
        &results,
        &tasks,
        (load_before, load_average()),
    );
    print!("{text}");
    std::fs::create_dir_all(&out_dir)
        .map_err(|e| format!("creating {}: {e}", out_dir.display()))?;
    let md = out_dir.join("latest.md");
    std::fs::write(&md, &text).map_err(|e| format!("writing {}: {e}", md.display()))?;
    eprintln!("goclift-bench: report written to {}", md.display());
    Ok(())
}

/// Rejects --only names that are neither programs nor front-end parts.
fn check_only_names(opts: &Options, programs: &[programs::Program]) -> Result<(), String> {
    for name in opts.only.iter().flatten() {
        if !programs.iter().any(|p| &p.name == name) && !FRONTEND_PARTS.contains(&name.as_str()) {
            let known: Vec<&str> = programs
                .iter()
                .map(|p| p.name.as_str())
                .chain(FRONTEND_PARTS)
                .collect();
            return Err(format!(
                "--only: no program or part named {name:?} (known: {})",
                known.join(", ")
            ));
        }
    }
    Ok(())
}

fn bench_programs(
    opts: &Options,
    tools: &toolchain::Toolchains,
    all: &[programs::Program],
    out_dir: &Path,
) -> Vec<programs::ProgramResult> {
    let plan = programs::RunPlan {
        runs: opts.runs,
        timeout: opts.timeout,
        budget: opts.budget,
        bin_dir: out_dir.join("bin"),
    };
    let mut results = Vec::new();
    for program in all.iter().filter(|p| opts.selected(&p.name)) {
        eprintln!("goclift-bench: {} ...", program.name);
        let r = programs::bench(program, tools, &plan);
        eprintln!(
            "goclift-bench: {}: gc {}, goclift {}",
            program.name,
            progress(&r.gc),
            progress(&r.goclift)
        );
        results.push(r);
    }
    results
}

/// A side's outcome in a few words, for the progress lines on stderr.
fn progress(side: &programs::Side) -> String {
    match (&side.failure, side.median_wall()) {
        (Some(f), _) => f.label().to_string(),
        (None, Some(t)) => format!("{} (median of {})", stats::fmt_secs(t), side.runs.len()),
        (None, None) => "not run".to_string(),
    }
}

fn frontend_tasks(
    opts: &Options,
    tools: &toolchain::Toolchains,
    bench_dir: &Path,
    out_dir: &Path,
) -> Vec<frontend::Task> {
    let plan = frontend::FrontendPlan {
        tools,
        frontend_dir: bench_dir.join("frontend"),
        bin_dir: out_dir.join("bin/tools"),
        runs: opts.frontend_runs,
        timeout: opts.timeout.max(Duration::from_secs(120)),
    };
    let mut tasks = Vec::new();
    if opts.selected("parse") {
        eprintln!("goclift-bench: front end: parsing GOROOT/src ...");
        tasks.push(frontend::parse_task(&plan));
    }
    if opts.selected("types") {
        eprintln!("goclift-bench: front end: type-checking std ...");
        tasks.push(frontend::types_task(&plan));
    }
    tasks
}

/// The whole report as markdown.
fn render(
    opts: &Options,
    tools: &toolchain::Toolchains,
    workspace: &Path,
    results: &[programs::ProgramResult],
    tasks: &[frontend::Task],
    load: (String, String),
) -> String {
    let mut md = String::from("# goclift benchmarks\n\n");
    md.push_str(&header(opts, tools, workspace, load));
    if !results.is_empty() {
        md.push_str("\n## Programs\n\n");
        md.push_str(&report::program_table(results).to_markdown());
        md.push_str("\n### Runs, CPU time (user+sys) and spread of wall times\n\n");
        md.push_str(&report::detail_table(results).to_markdown());
        let failures = report::program_failures(results);
        if !failures.is_empty() {
            md.push_str("\n### Failures\n\n");
            md.push_str(&failures);
        }
    }
    if !tasks.is_empty() {
        md.push_str("\n## Front end (one core)\n\n");
        md.push_str(&report::frontend_table(tasks).to_markdown());
        md.push('\n');
        md.push_str(&report::frontend_notes(tasks));
    }
    md
}

fn header(
    opts: &Options,
    tools: &toolchain::Toolchains,
    workspace: &Path,
    load: (String, String),
) -> String {
    let goclift_version = if tools.goclift.is_file() {
        first_line_of(Command::new(&tools.goclift).arg("version"))
            .unwrap_or_else(|| "version unknown".into())
    } else {
        "not found".to_string()
    };
    let commit = first_line_of(
        Command::new("git")
            .arg("-C")
            .arg(workspace)
            .args(["describe", "--always", "--dirty"]),
    )
    .unwrap_or_else(|| "unknown".into());
    format!(
        "- date: {} UTC, workspace commit {commit}\n\
         - machine: {}, {} cores; load average {} at start, {} at end\n\
         - gc: {} ({})\n\
         - goclift: {} ({goclift_version})\n\
         - {} runs per binary, gc and goclift alternating; times and RSS are medians.\n\
         - Ratios are goclift / gc: above 1.00x goclift is slower, bigger or hungrier.\n",
        utc_now(),
        cpu_model(),
        std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(0),
        load.0,
        load.1,
        first_line_of(Command::new(&tools.go).arg("version"))
            .unwrap_or_else(|| "version unknown".into()),
        tools.go.display(),
        tools.goclift.display(),
        opts.runs,
    )
}

/// The first line a command prints on stdout, if it succeeds.
fn first_line_of(cmd: &mut Command) -> Option<String> {
    let out = cmd.output().ok().filter(|o| o.status.success())?;
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .next()
        .map(|l| l.trim().to_string())
        .filter(|l| !l.is_empty())
}

/// The 1-minute load average: other work on the machine skews wall times.
fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|s| s.split_whitespace().next().map(String::from))
        .unwrap_or_else(|| "?".into())
}

fn cpu_model() -> String {
    std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|s| {
            s.lines().find_map(|l| {
                l.strip_prefix("model name")
                    .map(|v| v.trim_start_matches([' ', '\t', ':']).to_string())
            })
        })
        .unwrap_or_else(|| std::env::consts::ARCH.to_string())
}

/// The current time as "YYYY-MM-DD HH:MM".
fn utc_now() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    format_utc(secs)
}

/// Formats seconds since the Unix epoch as "YYYY-MM-DD HH:MM" (UTC), using the
/// days-to-civil-date algorithm from Howard Hinnant's date library.
fn format_utc(secs: u64) -> String {
    let days = (secs / 86_400) as i64;
    let (hour, minute) = ((secs % 86_400) / 3600, (secs % 3600) / 60);
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02} {hour:02}:{minute:02}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_utc_dates() {
        assert_eq!(format_utc(0), "1970-01-01 00:00");
        assert_eq!(format_utc(951_782_400 + 3_660), "2000-02-29 01:01");
        assert_eq!(format_utc(1_735_689_599), "2024-12-31 23:59");
    }

    #[test]
    fn unknown_only_names_are_rejected() {
        let ws = Path::new("/ws");
        let mut opts = Options::defaults(ws, PathBuf::from("/g"));
        let progs = vec![programs::Program {
            name: "nbody".into(),
            source: "/p/nbody.go".into(),
        }];
        opts.only = Some(vec!["nbody".into(), "parse".into()]);
        assert!(check_only_names(&opts, &progs).is_ok());
        opts.only = Some(vec!["nbdoy".into()]);
        assert!(check_only_names(&opts, &progs)
            .unwrap_err()
            .contains("nbdoy"));
    }
}
