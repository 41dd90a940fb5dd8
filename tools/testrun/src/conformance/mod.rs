//! `goclift-testrun conformance`: runs the `// run` and `// errorcheck` tests of
//! GOROOT/test through goclift, judged as GOROOT/test/run.go judges them (a run test
//! compiles, exits 0, and prints exactly the .out file next to it, or nothing when there
//! is none; an errorcheck test fails to compile with exactly the errors its `// ERROR`
//! comments ask for, see [`errorcheck`]), reports a table per directory and target, and
//! keeps the lists of passing tests.

pub mod catalog;
pub mod constraint;
pub mod errorcheck;
pub mod flags;
pub mod imports;
pub mod passlist;
pub mod recipe;
pub mod regexp;
mod report;

use crate::pool::run_ordered;
use crate::process::Termination;
use crate::target::Arch;
use crate::toolchain::{build_and_run, judge, Compiler, Expectation, Limits, Program, StepFailure};
use catalog::{Class, Filter, TestFile};
use recipe::{Action, Recipe};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// What the invocation does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Run every selected `run` test and print the table.
    RunAll,
    /// Run exactly the tests of the pass lists; fail on any that does not pass.
    CheckPassList,
    /// Only list and classify the tree (no compiler needed), with timings.
    List,
}

/// Settings of one `conformance` invocation.
#[derive(Debug, Clone)]
pub struct Options {
    /// GOROOT whose test/ tree is used (and which goclift compiles against).
    pub goroot: PathBuf,
    /// Targets.
    pub arches: Vec<Arch>,
    /// Parallel jobs.
    pub jobs: usize,
    /// Overrides the default run time limits (30 s native, 120 s under qemu).
    pub run_timeout: Option<Duration>,
    /// Time limit of one compilation.
    pub build_timeout: Duration,
    /// The goclift binary.
    pub goclift: PathBuf,
    /// Directory and file filters (relative to GOROOT/test).
    pub filters: Vec<String>,
    /// What to do.
    pub mode: Mode,
    /// Rewrite the pass lists after a RunAll.
    pub write_pass_list: bool,
    /// Where linux_amd64.txt and linux_arm64.txt live.
    pub pass_dir: PathBuf,
    /// Print one line per test.
    pub verbose: bool,
    /// Also write every result as tab-separated lines to this file.
    pub results_file: Option<PathBuf>,
}

impl Options {
    fn test_root(&self) -> PathBuf {
        self.goroot.join("test")
    }

    /// The run time limit for `arch`, stretched by a recipe's `-t N`.
    fn run_limit(&self, arch: Arch, recipe: &Recipe) -> Duration {
        let emulated = arch.emulator().is_some();
        let default = self.run_timeout.unwrap_or(Duration::from_secs(if emulated { 120 } else { 30 }));
        let scale = if emulated { 4 } else { 1 };
        let asked = Duration::from_secs(recipe.timeout_secs.unwrap_or(0) * scale);
        default.max(asked)
    }

    fn pass_list_path(&self, arch: Arch) -> PathBuf {
        self.pass_dir.join(format!("{}.txt", arch.platform_file_stem()))
    }
}

/// The class of a failure, for the summary.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum FailKind {
    /// The test file or the runner's environment is broken.
    Setup,
    /// goclift failed to compile the program.
    Build,
    /// The program exited non-zero or died from a signal.
    Exit,
    /// The program ran out of time.
    Timeout,
    /// It exited 0 with the wrong output.
    Output,
    /// An errorcheck test's errors differ from its `// ERROR` comments.
    Errors,
}

impl FailKind {
    /// A short label.
    pub fn label(self) -> &'static str {
        match self {
            FailKind::Setup => "setup",
            FailKind::Build => "build failed",
            FailKind::Exit => "non-zero exit or signal",
            FailKind::Timeout => "timed out",
            FailKind::Output => "wrong output",
            FailKind::Errors => "errors differ from the ERROR comments",
        }
    }
}

/// The outcome of one test on one target.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// Compiled, exited 0, printed the expected output.
    Pass,
    /// Failed; a one-line summary and details.
    Fail {
        /// The class of failure.
        kind: FailKind,
        /// One line.
        summary: String,
        /// Compiler output or output diff.
        details: String,
    },
    /// Not run, with the reason (unsupported flags, gc's own expected failures).
    Skip(String),
}

/// One result line.
#[derive(Debug, Clone)]
pub struct Outcome {
    /// Target.
    pub arch: Arch,
    /// Test path relative to GOROOT/test.
    pub rel: String,
    /// Directory as in catalog::DIRS.
    pub dir: String,
    /// What happened.
    pub verdict: Verdict,
}

/// Entry point of the subcommand; returns the process exit status.
pub fn main(options: &Options) -> i32 {
    match try_main(options) {
        Ok(status) => status,
        Err(e) => {
            eprintln!("goclift-testrun conformance: {e}");
            2
        }
    }
}

fn try_main(options: &Options) -> Result<i32, String> {
    let test_root = options.test_root();
    let filters = options
        .filters
        .iter()
        .map(|f| Filter::parse(&test_root, f))
        .collect::<Result<Vec<_>, _>>()?;
    match options.mode {
        Mode::List => report::list(options, &filters),
        Mode::RunAll => run_all(options, &filters),
        Mode::CheckPassList => check_pass_lists(options, &filters),
    }
}

/// The actions this runner executes. To add one, list it here, say which flags it
/// honours in `plan`, and give it an arm in `Runner::execute`; classification, skipping,
/// tables and pass lists work unchanged.
fn is_executed(action: Action) -> bool {
    matches!(action, Action::Run | Action::ErrorCheck { auto: false })
}

/// What to do with a file on a target: None when it is not an executed test there;
/// Err(reason) when it is one but must be skipped.
pub fn plan(file: &TestFile, arch: Arch) -> Option<Result<&Recipe, String>> {
    let Class::Test(recipe) = file.classify(arch) else { return None };
    if !is_executed(recipe.action) {
        return None;
    }
    if recipe.action != Action::Run {
        // Errorcheck tests that gc fails are run all the same: the eligible tests are the
        // ones a gc-compatible checker is measured on (gc passes 526 of 532).
        if flags::is_escape_check(&recipe.flags) && recipe.goexperiments.is_empty() {
            return Some(Ok(recipe));
        }
        if !recipe.want_error {
            return Some(Err("errorcheck -0 (no error wanted) is not run".into()));
        }
        let flags = flags::check_errorcheck_flags(&recipe.flags);
        let experiments = match recipe.goexperiments.first() {
            Some(x) => Err(format!("unsupported -goexperiment {x}")),
            None => Ok(()),
        };
        return Some(flags.and(experiments).map(|()| recipe));
    }
    if catalog::gc_expected_failure(&file.rel) {
        return Some(Err("run.go expects gc 1.19 to fail this test".into()));
    }
    Some(flags::check_run_flags(&recipe.flags, &recipe.goexperiments).map(|()| recipe))
}

/// Runs every selected `run` test, prints the table and summaries, optionally
/// rewrites the pass lists. Exits 0: failures are the expected state of the work.
fn run_all(options: &Options, filters: &[Filter]) -> Result<i32, String> {
    let test_root = options.test_root();
    let files = catalog::catalog(&test_root, filters).map_err(|e| format!("{}: {e}", test_root.display()))?;
    let jobs: Vec<(Arch, &TestFile)> = options
        .arches
        .iter()
        .flat_map(|&arch| files.iter().filter(move |f| plan(f, arch).is_some()).map(move |f| (arch, f)))
        .collect();
    let outcomes = run_jobs(options, &jobs);
    report::table(options, &files, &outcomes);
    report::summaries(&outcomes);
    report::action_totals(options, &files, &outcomes);
    for &arch in &options.arches {
        let ran: Vec<&str> = files.iter().map(|f| f.rel.as_str()).collect();
        report::regressions(options, arch, &ran, &outcomes)?;
        if options.write_pass_list {
            passlist::update(&options.pass_list_path(arch), &ran, &passed(&outcomes, arch))
                .map_err(|e| format!("{}: {e}", options.pass_list_path(arch).display()))?;
        }
    }
    report::write_results(options, &outcomes)?;
    report::closing_line(&outcomes);
    Ok(0)
}

fn passed(outcomes: &[Outcome], arch: Arch) -> Vec<&str> {
    outcomes.iter().filter(|o| o.arch == arch && o.verdict == Verdict::Pass).map(|o| o.rel.as_str()).collect()
}

/// Runs the listed tests of each target; exit status 1 if any does not pass.
fn check_pass_lists(options: &Options, filters: &[Filter]) -> Result<i32, String> {
    let test_root = options.test_root();
    let mut loaded: Vec<(Arch, Result<TestFile, String>)> = Vec::new();
    for &arch in &options.arches {
        let path = options.pass_list_path(arch);
        let listed = passlist::read(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        for rel in listed {
            let (dir, name) = rel.rsplit_once('/').unwrap_or((".", &rel));
            if filters.is_empty() || filters.iter().any(|f| f.matches(dir, &rel)) {
                let file = catalog::load(&test_root, dir, name).map_err(|e| format!("{rel}: {e}"));
                loaded.push((arch, file));
            }
        }
    }
    let mut outcomes = Vec::new();
    let mut jobs = Vec::new();
    for (arch, file) in &loaded {
        match file {
            Ok(file) => jobs.push((*arch, file)),
            Err(e) => outcomes.push(setup_failure(*arch, e)),
        }
    }
    outcomes.extend(run_jobs(options, &jobs));
    let failed = outcomes.iter().filter(|o| o.verdict != Verdict::Pass).count();
    report::write_results(options, &outcomes)?;
    report::closing_line(&outcomes);
    Ok(i32::from(failed > 0))
}

fn setup_failure(arch: Arch, message: &str) -> Outcome {
    let rel = message.split(':').next().unwrap_or(message).to_string();
    let verdict = Verdict::Fail { kind: FailKind::Setup, summary: message.to_string(), details: String::new() };
    report::print_outcome(&Outcome { arch, dir: String::new(), rel: rel.clone(), verdict: verdict.clone() }, true);
    Outcome { arch, dir: String::new(), rel, verdict }
}

/// Runs the jobs in parallel, printing results in order (failures always, passes and
/// skips when verbose or checking, progress otherwise).
fn run_jobs(options: &Options, jobs: &[(Arch, &TestFile)]) -> Vec<Outcome> {
    let runner = Runner::new(options);
    if !jobs.is_empty() {
        crate::toolchain::warn_if_missing(&runner.compiler);
    }
    let mut outcomes = Vec::with_capacity(jobs.len());
    let print_all = options.verbose;
    let print_failures = options.verbose || options.mode == Mode::CheckPassList;
    run_ordered(
        jobs,
        options.jobs,
        |&(arch, file)| runner.verdict(file, arch),
        |index, verdict| {
            let (arch, file) = jobs[index];
            let verdict = match (options.mode, verdict) {
                (Mode::CheckPassList, Verdict::Skip(reason)) => Verdict::Fail {
                    kind: FailKind::Setup,
                    summary: format!("listed as passing but now skipped: {reason}"),
                    details: String::new(),
                },
                (_, verdict) => verdict,
            };
            let outcome = Outcome { arch, rel: file.rel.clone(), dir: file.dir.clone(), verdict };
            let is_failure = matches!(outcome.verdict, Verdict::Fail { .. });
            if print_all || (print_failures && is_failure) {
                report::print_outcome(&outcome, print_failures);
            } else if (index + 1) % 100 == 0 {
                eprintln!("... {}/{} tests done", index + 1, jobs.len());
            }
            outcomes.push(outcome);
        },
    );
    outcomes
}

/// Everything needed to build and run one test.
struct Runner<'a> {
    options: &'a Options,
    compiler: Compiler,
    test_root: PathBuf,
    path_env: String,
}

impl<'a> Runner<'a> {
    fn new(options: &'a Options) -> Runner<'a> {
        // run.go puts GOROOT/bin first in PATH for tests that run the go command.
        let goroot_bin = options.goroot.join("bin");
        let path_env = match std::env::var("PATH") {
            Ok(path) if !path.is_empty() => format!("{}:{path}", goroot_bin.display()),
            _ => goroot_bin.display().to_string(),
        };
        Runner { options, compiler: Compiler::Goclift(options.goclift.clone()), test_root: options.test_root(), path_env }
    }

    fn verdict(&self, file: &TestFile, arch: Arch) -> Verdict {
        match plan(file, arch) {
            None => Verdict::Fail {
                kind: FailKind::Setup,
                summary: format!("not a run test for {arch}: {}", not_run_reason(file, arch)),
                details: String::new(),
            },
            Some(Err(reason)) => Verdict::Skip(reason),
            Some(Ok(recipe)) => self.execute(file, recipe, arch),
        }
    }

    fn execute(&self, file: &TestFile, recipe: &Recipe, arch: Arch) -> Verdict {
        match recipe.action {
            Action::Run => self.run(file, recipe, arch),
            Action::ErrorCheck { auto: false } => self.errorcheck(file, recipe, arch),
            other => setup_verdict(format!("action {} is not executed by this runner", other.name())),
        }
    }

    /// The `run` action: build, run with the recipe's arguments in GOROOT/test (run.go's
    /// working directory), require exit status 0 and the expected output.
    fn run(&self, file: &TestFile, recipe: &Recipe, arch: Arch) -> Verdict {
        let want = match std::fs::read(file.out_path(&self.test_root)) {
            Ok(bytes) => bytes,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Vec::new(),
            Err(e) => return setup_verdict(format!("{}.out: {e}", file.rel)),
        };
        let program = self.program(file, recipe, arch);
        let limits = Limits { build: self.options.build_timeout, run: self.options.run_limit(arch, recipe) };
        let mut captured = match build_and_run(&self.compiler, &program, arch, limits) {
            Ok(captured) => captured,
            Err(failure) => return step_failure_verdict(failure),
        };
        // run.go compares after turning CRLF into LF.
        captured.output = crlf_to_lf(&captured.output);
        match judge(&captured, &Expectation { output: &want, exit_status: 0 }) {
            Ok(()) => Verdict::Pass,
            Err(mismatch) => Verdict::Fail {
                kind: match captured.termination {
                    Termination::Exited(0) => FailKind::Output,
                    Termination::TimedOut => FailKind::Timeout,
                    _ => FailKind::Exit,
                },
                summary: mismatch.summary,
                details: mismatch.details,
            },
        }
    }

    /// The `errorcheck` action: `goclift check -e [-lang=go1.N] FILE` (run.go runs `go tool
    /// compile -e` in a scratch directory on the file's full path), which must fail (or
    /// succeed after `-0`), then the output is judged against the ERROR comments.
    fn errorcheck(&self, file: &TestFile, recipe: &Recipe, arch: Arch) -> Verdict {
        let full = self.test_root.join(&file.rel);
        let short = file.rel.rsplit('/').next().unwrap_or(&file.rel);
        let src = match std::fs::read(&full) {
            Ok(bytes) => String::from_utf8_lossy(&bytes).into_owned(),
            Err(e) => return setup_verdict(format!("{}: {e}", file.rel)),
        };
        let escapes = flags::is_escape_check(&recipe.flags);
        let lang = match flags::check_errorcheck_flags(&recipe.flags) {
            Ok(lang) => lang,
            Err(_) if escapes => None,
            Err(e) => return setup_verdict(e),
        };
        let scratch = match crate::tempdir::TempDir::new() {
            Ok(dir) => dir,
            Err(e) => return setup_verdict(format!("temp dir: {e}")),
        };
        let mut cmd = std::process::Command::new(self.compiler.path());
        if escapes {
            // `errorcheck -0 -m -l`: the escape analysis decisions of `goclift build -m`.
            cmd.arg("build").arg("-m").arg("-o").arg(scratch.path().join("a.out")).arg(&full);
        } else {
            cmd.arg("check").arg("-e").args(lang.map(|l| format!("-lang={l}"))).arg(&full);
        }
        cmd.current_dir(scratch.path()).env("GOROOT", &self.options.goroot);
        cmd.env("GOOS", "linux").env("GOARCH", arch.goarch());
        let limit = self.options.build_timeout.max(Duration::from_secs(recipe.timeout_secs.unwrap_or(0)));
        let captured = match crate::process::run_combined(cmd, limit) {
            Ok(captured) => captured,
            Err(e) => return setup_verdict(format!("cannot run {}: {e}", self.compiler.path().display())),
        };
        let output = String::from_utf8_lossy(&captured.output).into_owned();
        let details = || crate::toolchain::first_lines(&captured.output, 20);
        let fail = |kind, summary: String, details: String| Verdict::Fail { kind, summary, details };
        match captured.termination {
            Termination::TimedOut => return fail(FailKind::Timeout, "check timed out".into(), String::new()),
            Termination::Signaled(_) => return fail(FailKind::Exit, format!("check: {}", captured.termination), details()),
            Termination::Exited(0) if recipe.want_error => {
                return fail(FailKind::Errors, "compilation succeeded unexpectedly".into(), details())
            }
            Termination::Exited(0) => {}
            other if !recipe.want_error => return fail(FailKind::Build, format!("check failed ({other})"), details()),
            Termination::Exited(_) => {}
        }
        match errorcheck::check(&output, &src, &full.display().to_string(), short) {
            Ok(()) => Verdict::Pass,
            Err(why) => {
                let summary = why.lines().next().unwrap_or("").to_string();
                fail(FailKind::Errors, summary, why)
            }
        }
    }

    fn program(&self, file: &TestFile, recipe: &Recipe, arch: Arch) -> Program {
        let goroot = self.options.goroot.display().to_string();
        let env = |pairs: &[(&str, &str)]| pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        let (extra_sources, args) = split_go_run_args(&recipe.args);
        let mut sources = vec![self.test_root.join(&file.rel)];
        sources.extend(extra_sources.iter().map(|f| self.test_root.join(f)));
        Program {
            sources,
            args: args.to_vec(),
            dir: self.test_root.clone(),
            build_env: env(&[("GOROOT", &goroot)]),
            run_env: env(&[
                ("GOENV", "off"),
                ("GOFLAGS", ""),
                ("PATH", &self.path_env),
                ("GOOS", "linux"),
                ("GOARCH", arch.goarch()),
            ]),
        }
    }
}

/// run.go runs a test with arguments as `go run FILE ARGS...`, and `go run` takes the
/// leading arguments that end in ".go" as more source files (cmplxdivide.go lists
/// cmplxdivide1.go that way), relative to GOROOT/test. Returns (files, program args).
fn split_go_run_args(args: &[String]) -> (&[String], &[String]) {
    let files = args.iter().take_while(|a| a.ends_with(".go")).count();
    args.split_at(files)
}

fn not_run_reason(file: &TestFile, arch: Arch) -> String {
    match file.classify(arch) {
        Class::Excluded(line) => format!("excluded by {line}"),
        Class::Invalid(e) => e.to_string(),
        Class::Test(recipe) => format!("action is {}", recipe.action.name()),
    }
}

fn setup_verdict(summary: String) -> Verdict {
    Verdict::Fail { kind: FailKind::Setup, summary, details: String::new() }
}

fn step_failure_verdict(failure: StepFailure) -> Verdict {
    let kind = match failure {
        StepFailure::Build { .. } => FailKind::Build,
        StepFailure::Setup(_) | StepFailure::Launch(_) => FailKind::Setup,
    };
    let description = failure.describe();
    let (summary, details) = description.split_once('\n').unwrap_or((&description, ""));
    Verdict::Fail { kind, summary: summary.to_string(), details: details.to_string() }
}

fn crlf_to_lf(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'\r' && bytes.get(i + 1) == Some(&b'\n') {
            i += 1;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    out
}

/// The default pass-list directory: tools/testrun/pass in the source tree.
pub fn default_pass_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("pass")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn goroot() -> PathBuf {
        PathBuf::from(std::env::var("GOROOT").unwrap_or_else(|_| "/usr/lib/go-1.19".into()))
    }

    fn file(rel: &str) -> TestFile {
        let (dir, name) = rel.rsplit_once('/').unwrap_or((".", rel));
        catalog::load(&goroot().join("test"), dir, name).unwrap()
    }

    #[test]
    fn plans() {
        assert!(matches!(plan(&file("helloworld.go"), Arch::Amd64), Some(Ok(_))));
        assert_eq!(plan(&file("live.go"), Arch::Amd64), None, "errorcheck is not run");
        assert_eq!(plan(&file("fixedbugs/issue15002.go"), Arch::Arm64), None, "amd64 only");
        let Some(Err(reason)) = plan(&file("maymorestack.go"), Arch::Amd64) else { panic!() };
        assert!(reason.contains("maymorestack"));
        assert!(matches!(plan(&file("typeparam/nested.go"), Arch::Amd64), Some(Err(_))));
        assert!(matches!(plan(&file("inline_caller.go"), Arch::Amd64), Some(Ok(_))));
    }

    #[test]
    fn go_run_takes_leading_go_files_as_sources() {
        let args: Vec<String> = ["a.go", "b.go", "x", "c.go"].iter().map(|s| s.to_string()).collect();
        let (files, rest) = split_go_run_args(&args);
        assert_eq!((files, rest), (&args[..2], &args[2..]));
        let recipe = file("cmplxdivide.go").header.unwrap().recipe.unwrap();
        assert_eq!(split_go_run_args(&recipe.args).0, ["cmplxdivide1.go"]);
    }

    #[test]
    fn crlf() {
        assert_eq!(crlf_to_lf(b"a\r\nb\r\rc\n"), b"a\nb\r\rc\n");
    }

    #[test]
    fn time_limits() {
        let options = test_options();
        let mut recipe = file("helloworld.go").header.unwrap().recipe.unwrap();
        let host = Arch::host().unwrap();
        let other = Arch::ALL.into_iter().find(|&a| a != host).unwrap();
        assert_eq!(options.run_limit(host, &recipe), Duration::from_secs(30));
        assert_eq!(options.run_limit(other, &recipe), Duration::from_secs(120));
        recipe.timeout_secs = Some(45);
        assert_eq!(options.run_limit(host, &recipe), Duration::from_secs(45));
        assert_eq!(options.run_limit(other, &recipe), Duration::from_secs(180));
    }

    fn test_options() -> Options {
        Options {
            goroot: goroot(),
            arches: Arch::ALL.to_vec(),
            jobs: 1,
            run_timeout: None,
            build_timeout: Duration::from_secs(10),
            goclift: PathBuf::from("/nonexistent/goclift"),
            filters: vec![],
            mode: Mode::RunAll,
            write_pass_list: false,
            pass_dir: PathBuf::from("/nonexistent"),
            verbose: false,
            results_file: None,
        }
    }

    #[test]
    fn a_missing_compiler_fails_cleanly() {
        let options = test_options();
        let runner = Runner::new(&options);
        let verdict = runner.verdict(&file("helloworld.go"), Arch::Amd64);
        let Verdict::Fail { kind, summary, .. } = verdict else { panic!("{verdict:?}") };
        assert_eq!(kind, FailKind::Setup);
        assert!(summary.contains("/nonexistent/goclift"), "{summary}");
    }
}
