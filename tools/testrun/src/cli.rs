//! Command-line parsing (hand-written: two subcommands with a dozen options do not
//! justify a dependency).

use crate::conformance::{self, Mode};
use crate::pool::default_jobs;
use crate::syntax;
use crate::target::Arch;
use crate::testdata;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// The help text.
pub const USAGE: &str = "\
usage:
  goclift-testrun testdata [options] [NAME...]
      Builds each testdata/NAME.go (or NAME/) with goclift, runs it, and compares its
      combined output with NAME.out and its exit status with NAME.exit (default 0).
      --update          rewrite NAME.out/NAME.exit from gc instead (NAMEs may be new)
      --go PATH         go command for --update (default $GOROOT/bin/go)
      --dir DIR         the testdata directory (default: the repository's testdata/)
      --timeout SECS    run time limit (default 60)

  goclift-testrun conformance [options] [DIR|FILE...]
      Runs the `// run` tests and the `// errorcheck` tests (compiler flags at most
      -d=panic and -lang=go1.N; checked with `goclift check -e`) of $GOROOT/test
      (default /usr/lib/go-1.19) as run.go judges them and prints a table per
      directory and target.
      --write-pass-list rewrite tools/testrun/pass/linux_ARCH.txt with the passing tests
      --check-pass-list run exactly the listed tests; exit 1 if any does not pass
      --list            only list and classify the tests (no compiler needed)
      --goroot DIR      GOROOT (default $GOROOT, else /usr/lib/go-1.19)
      --pass-dir DIR    where the pass lists live (default tools/testrun/pass)
      --results FILE    also write one tab-separated line per test result
      --timeout SECS    run time limit (default 30 native, 120 under qemu)
      -v                one line per test

  goclift-testrun syntax [options] [DIR|FILE...]
      Parses every .go file under $GOROOT/test (recursively, nothing skipped) with gc's
      parser (built once from $GOROOT/src/cmd/compile/internal/syntax, cached under
      target/goclift-testrun) and with `goclift check --parse-only -e`, and compares:
      the files with errors, the line of each first error, and (stricter) its column
      and message. Prints a summary and the disagreements.
      --check           exit 1 if a file not in the known list disagrees
      --write           rewrite the known list with the files that disagree now
      --known FILE      the known list (default tools/testrun/syntax/known-disagreements.txt)
      --goroot DIR      GOROOT (default $GOROOT, else /usr/lib/go-1.19)
      --timeout SECS    time limit of one goclift run on a batch of files (default 60)
      -v                one line per file
      (-j and --goclift as below; --arch does not apply)

  common options:
      --arch amd64|arm64|all   targets (default all)
      -j N, --jobs N           parallel jobs (default: number of CPUs)
      --goclift PATH           compiler (default target/release/goclift)
      --build-timeout SECS     compile time limit (default 300)
";

/// A parsed command line.
#[derive(Debug)]
pub enum Command {
    /// `--help`.
    Help,
    /// `testdata ...`.
    Testdata(testdata::Options),
    /// `conformance ...`.
    Conformance(conformance::Options),
    /// `syntax ...`.
    Syntax(syntax::Options),
}

/// Options both subcommands take.
#[derive(Debug)]
struct Common {
    arches: Vec<Arch>,
    jobs: usize,
    goclift: PathBuf,
    run_timeout: Option<Duration>,
    build_timeout: Duration,
    verbose: bool,
    positional: Vec<String>,
}

/// The repository root, from this crate's location (tools/testrun).
fn workspace_root() -> PathBuf {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    root.canonicalize().unwrap_or(root)
}

fn default_goroot() -> PathBuf {
    std::env::var_os("GOROOT").filter(|v| !v.is_empty()).map_or_else(|| "/usr/lib/go-1.19".into(), absolute)
}

/// Parses the arguments after the program name.
pub fn parse(args: &[String]) -> Result<Command, String> {
    let Some((subcommand, rest)) = args.split_first() else {
        return Err("missing subcommand".into());
    };
    match subcommand.as_str() {
        "-h" | "--help" | "help" => Ok(Command::Help),
        "testdata" => parse_testdata(rest),
        "conformance" => parse_conformance(rest),
        "syntax" => parse_syntax(rest),
        other => Err(format!("unknown subcommand {other:?}")),
    }
}

/// Iterates over arguments, splitting `--name=value` and `-jN`.
struct Args<'a> {
    args: std::slice::Iter<'a, String>,
    pending_value: Option<String>,
}

impl<'a> Args<'a> {
    fn new(args: &'a [String]) -> Args<'a> {
        Args { args: args.iter(), pending_value: None }
    }

    /// The next argument, with an attached `=value` (or `-jN` digits) kept for `value`.
    fn next_flag(&mut self) -> Option<String> {
        let arg = self.args.next()?;
        if let Some(digits) = arg.strip_prefix("-j").filter(|d| !d.is_empty() && !d.starts_with('=')) {
            self.pending_value = Some(digits.to_string());
            return Some("-j".into());
        }
        match arg.split_once('=') {
            Some((name, value)) if name.starts_with('-') => {
                self.pending_value = Some(value.to_string());
                Some(name.to_string())
            }
            _ => Some(arg.clone()),
        }
    }

    fn value(&mut self, flag: &str) -> Result<String, String> {
        self.pending_value.take().or_else(|| self.args.next().cloned()).ok_or(format!("{flag} needs a value"))
    }

    /// Errors when a flag that takes no value was given one.
    fn no_value(&mut self, flag: &str) -> Result<(), String> {
        match self.pending_value.take() {
            Some(_) => Err(format!("{flag} takes no value")),
            None => Ok(()),
        }
    }
}

/// Makes a path from the command line absolute: the runners build and run programs in
/// other directories.
fn absolute(path: impl Into<PathBuf>) -> PathBuf {
    let path = path.into();
    std::path::absolute(&path).unwrap_or(path)
}

fn seconds(flag: &str, text: &str) -> Result<Duration, String> {
    match text.parse::<u64>() {
        Ok(n) if n > 0 => Ok(Duration::from_secs(n)),
        _ => Err(format!("{flag}: want a positive number of seconds, got {text:?}")),
    }
}

/// Parses the arguments, handing the ones it does not know to `extra`
/// (which returns false for unknown flags).
fn parse_common(
    args: &[String],
    mut extra: impl FnMut(&str, &mut Args<'_>) -> Result<bool, String>,
) -> Result<Common, String> {
    let mut common = Common {
        arches: Arch::ALL.to_vec(),
        jobs: default_jobs(),
        goclift: workspace_root().join("target/release/goclift"),
        run_timeout: None,
        build_timeout: Duration::from_secs(300),
        verbose: false,
        positional: Vec::new(),
    };
    let mut args = Args::new(args);
    while let Some(flag) = args.next_flag() {
        match flag.as_str() {
            "--arch" => common.arches = Arch::parse_selection(&args.value(&flag)?)?,
            "-j" | "--jobs" => {
                let text = args.value(&flag)?;
                common.jobs = text.parse().ok().filter(|&n| n > 0).ok_or(format!("bad -j value {text:?}"))?;
            }
            "--goclift" => common.goclift = absolute(args.value(&flag)?),
            "--timeout" => common.run_timeout = Some(seconds(&flag, &args.value(&flag)?)?),
            "--build-timeout" => common.build_timeout = seconds(&flag, &args.value(&flag)?)?,
            "-v" => {
                args.no_value(&flag)?;
                common.verbose = true;
            }
            _ if flag.starts_with('-') && flag != "-" => {
                if !extra(&flag, &mut args)? {
                    return Err(format!("unknown option {flag}"));
                }
            }
            _ => common.positional.push(flag),
        }
    }
    Ok(common)
}

fn parse_testdata(args: &[String]) -> Result<Command, String> {
    let mut dir = workspace_root().join("testdata");
    let mut update = false;
    let mut go = default_goroot().join("bin/go");
    let common = parse_common(args, |flag, args| {
        match flag {
            "--update" => {
                args.no_value(flag)?;
                update = true;
            }
            "--go" => go = absolute(args.value(flag)?),
            "--dir" => dir = absolute(args.value(flag)?),
            _ => return Ok(false),
        }
        Ok(true)
    })?;
    let mut limits = testdata::default_limits();
    limits.build = common.build_timeout;
    if let Some(run) = common.run_timeout {
        limits.run = run;
    }
    Ok(Command::Testdata(testdata::Options {
        dir,
        arches: common.arches,
        jobs: common.jobs,
        limits,
        goclift: common.goclift,
        update_with: update.then_some(go),
        names: common.positional,
    }))
}

fn parse_conformance(args: &[String]) -> Result<Command, String> {
    let mut goroot = default_goroot();
    let mut pass_dir = conformance::default_pass_dir();
    let mut results_file = None;
    let (mut write, mut check, mut list) = (false, false, false);
    let common = parse_common(args, |flag, args| {
        match flag {
            "--write-pass-list" => write = true,
            "--check-pass-list" => check = true,
            "--list" => list = true,
            "--goroot" => goroot = absolute(args.value(flag)?),
            "--pass-dir" => pass_dir = absolute(args.value(flag)?),
            "--results" => results_file = Some(absolute(args.value(flag)?)),
            _ => return Ok(false),
        }
        args.no_value(flag)?;
        Ok(true)
    })?;
    let mode = match (write, check, list) {
        (_, false, false) => Mode::RunAll,
        (false, true, false) => Mode::CheckPassList,
        (false, false, true) => Mode::List,
        _ => return Err("choose one of --write-pass-list, --check-pass-list, --list".into()),
    };
    Ok(Command::Conformance(conformance::Options {
        goroot,
        arches: common.arches,
        jobs: common.jobs,
        run_timeout: common.run_timeout,
        build_timeout: common.build_timeout,
        goclift: common.goclift,
        filters: common.positional,
        mode,
        write_pass_list: write,
        pass_dir,
        verbose: common.verbose,
        results_file,
    }))
}

fn parse_syntax(args: &[String]) -> Result<Command, String> {
    let mut goroot = default_goroot();
    let mut known_file = syntax::default_known_file();
    let (mut check, mut write) = (false, false);
    // Parsing does not depend on the target, and nothing is built.
    for flag in ["--arch", "--build-timeout"] {
        if args.iter().any(|a| a == flag || a.starts_with(&format!("{flag}="))) {
            return Err(format!("{flag} does not apply to syntax"));
        }
    }
    let common = parse_common(args, |flag, args| {
        match flag {
            "--check" => check = true,
            "--write" => write = true,
            "--goroot" => goroot = absolute(args.value(flag)?),
            "--known" => known_file = absolute(args.value(flag)?),
            _ => return Ok(false),
        }
        args.no_value(flag)?;
        Ok(true)
    })?;
    let mode = match (check, write) {
        (false, false) => syntax::Mode::Report,
        (true, false) => syntax::Mode::Check,
        (false, true) => syntax::Mode::Write,
        (true, true) => return Err("choose one of --check, --write".into()),
    };
    Ok(Command::Syntax(syntax::Options {
        goroot,
        goclift: common.goclift,
        jobs: common.jobs,
        timeout: common.run_timeout.unwrap_or(Duration::from_secs(60)),
        mode,
        known_file,
        cache_dir: workspace_root().join("target/goclift-testrun"),
        filters: common.positional,
        verbose: common.verbose,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(line: &str) -> Vec<String> {
        line.split_whitespace().map(str::to_string).collect()
    }

    #[test]
    fn testdata_options() {
        let Command::Testdata(o) = parse(&args("testdata --arch arm64 -j3 --timeout=5 --update hello")).unwrap()
        else {
            panic!()
        };
        assert_eq!(o.arches, [Arch::Arm64]);
        assert_eq!(o.jobs, 3);
        assert_eq!(o.limits.run, Duration::from_secs(5));
        assert!(o.update_with.is_some());
        assert_eq!(o.names, ["hello"]);
        assert!(o.goclift.ends_with("target/release/goclift"));
        let Command::Testdata(o) = parse(&args("testdata --goclift rel/goclift")).unwrap() else { panic!() };
        assert!(o.goclift.is_absolute() && o.goclift.ends_with("rel/goclift"));
    }

    #[test]
    fn conformance_options() {
        let line = "conformance --check-pass-list -j 2 --goclift /x/goclift ken fixedbugs/bug000.go";
        let Command::Conformance(o) = parse(&args(line)).unwrap() else { panic!() };
        assert_eq!(o.mode, Mode::CheckPassList);
        assert_eq!((o.jobs, o.goclift.as_path()), (2, Path::new("/x/goclift")));
        assert_eq!(o.filters, ["ken", "fixedbugs/bug000.go"]);
        assert_eq!(o.arches, Arch::ALL);
        let Command::Conformance(o) = parse(&args("conformance --write-pass-list")).unwrap() else { panic!() };
        assert!(o.write_pass_list && o.mode == Mode::RunAll);
    }

    #[test]
    fn syntax_options() {
        let Command::Syntax(o) = parse(&args("syntax --check -j1 --timeout 9 fixedbugs")).unwrap() else { panic!() };
        assert_eq!((o.mode, o.jobs, o.timeout), (syntax::Mode::Check, 1, Duration::from_secs(9)));
        assert_eq!(o.filters, ["fixedbugs"]);
        assert!(o.known_file.ends_with("tools/testrun/syntax/known-disagreements.txt"));
        assert!(o.cache_dir.ends_with("target/goclift-testrun"));
        let Command::Syntax(o) = parse(&args("syntax --write --known k.txt")).unwrap() else { panic!() };
        assert!(o.mode == syntax::Mode::Write && o.known_file.is_absolute());
        assert!(parse(&args("syntax --check --write")).is_err());
        assert!(parse(&args("syntax --arch amd64")).is_err());
        assert!(parse(&args("syntax --check=1")).is_err());
    }

    #[test]
    fn errors() {
        assert!(parse(&args("")).is_err());
        assert!(parse(&args("frob")).is_err());
        assert!(parse(&args("conformance --check-pass-list --write-pass-list")).is_err());
        assert!(parse(&args("conformance --bogus")).is_err());
        assert!(parse(&args("testdata -j 0")).is_err());
        assert!(parse(&args("testdata --arch")).is_err());
        assert!(parse(&args("testdata --update=yes")).is_err());
        assert!(parse(&args("conformance --list=1")).is_err());
        assert!(matches!(parse(&args("--help")), Ok(Command::Help)));
    }
}
