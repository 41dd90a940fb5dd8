//! Command-line options of goclift-bench.

use std::path::{Path, PathBuf};
use std::time::Duration;

/// The usage text printed for --help and after a bad option.
pub const USAGE: &str = "\
usage: goclift-bench [--runs N] [--only NAME,...] [--goclift PATH] [--no-frontend]
                     [--frontend-runs N] [--timeout SECS] [--budget SECS]
                     [--go PATH] [--goroot DIR]

  --runs N           runs of each program binary, gc and goclift alternating (default 5)
  --only NAME,...    only these programs (file names in programs/ without .go) and/or
                     front-end parts: parse, types
  --goclift PATH     the goclift binary (default <workspace>/target/release/goclift)
  --no-frontend      skip the front-end throughput comparison
  --frontend-runs N  runs of each front-end measurement (default 3)
  --timeout SECS     longest a single run may take (default 60; goclift runs are also
                     cut at 20x gc's time, but never below 10 s)
  --budget SECS      stop repeating a binary once its runs took this long (default 60)
  --go PATH          the gc go command (default $GOROOT/bin/go)
  --goroot DIR       GOROOT (default $GOROOT, else /usr/lib/go-1.19)";

/// Parsed options.
#[derive(Clone, Debug, PartialEq)]
pub struct Options {
    /// Runs of each program binary per compiler.
    pub runs: usize,
    /// Names selected with --only (programs and front-end parts); None = all.
    pub only: Option<Vec<String>>,
    /// The goclift binary.
    pub goclift: PathBuf,
    /// Whether to run the front-end comparison.
    pub frontend: bool,
    /// Runs of each front-end measurement.
    pub frontend_runs: usize,
    /// Upper limit for one run of anything.
    pub timeout: Duration,
    /// Time after which a binary is not repeated any more.
    pub budget: Duration,
    /// The gc go command.
    pub go: PathBuf,
    /// GOROOT used by both compilers.
    pub goroot: PathBuf,
}

impl Options {
    /// Options with every default, given the workspace root and GOROOT.
    pub fn defaults(workspace: &Path, goroot: PathBuf) -> Options {
        Options {
            runs: 5,
            only: None,
            goclift: workspace.join("target/release/goclift"),
            frontend: true,
            frontend_runs: 3,
            timeout: Duration::from_secs(60),
            budget: Duration::from_secs(60),
            go: goroot.join("bin/go"),
            goroot,
        }
    }

    /// Whether `name` (a program or front-end part) was selected.
    pub fn selected(&self, name: &str) -> bool {
        self.only
            .as_ref()
            .is_none_or(|names| names.iter().any(|n| n == name))
    }
}

/// What the command line asked for.
#[derive(Debug, PartialEq)]
pub enum Parsed {
    /// Run the benchmarks with these options.
    Run(Options),
    /// Print the usage and exit successfully.
    Help,
}

/// Parses `args` (without the program name). `default_goroot` is used when
/// --goroot is absent; --go defaults to the chosen GOROOT's bin/go.
pub fn parse(args: &[String], workspace: &Path, default_goroot: PathBuf) -> Result<Parsed, String> {
    let mut opts = Options::defaults(workspace, default_goroot);
    let mut go: Option<PathBuf> = None;
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        let (flag, inline) = match arg.split_once('=') {
            Some((f, v)) if f.starts_with("--") => (f, Some(v.to_string())),
            _ => (arg.as_str(), None),
        };
        let mut value = || {
            inline
                .clone()
                .or_else(|| it.next().cloned())
                .ok_or(format!("{flag} needs a value"))
        };
        match flag {
            "-h" | "--help" => return Ok(Parsed::Help),
            "--no-frontend" => opts.frontend = false,
            "--runs" => opts.runs = positive(flag, &value()?)?,
            "--frontend-runs" => opts.frontend_runs = positive(flag, &value()?)?,
            "--timeout" => opts.timeout = Duration::from_secs(positive(flag, &value()?)? as u64),
            "--budget" => opts.budget = Duration::from_secs(positive(flag, &value()?)? as u64),
            "--only" => opts.only = Some(names(&value()?)),
            "--goclift" => opts.goclift = PathBuf::from(value()?),
            "--go" => go = Some(PathBuf::from(value()?)),
            "--goroot" => opts.goroot = PathBuf::from(value()?),
            _ => return Err(format!("unknown argument {arg:?}")),
        }
    }
    opts.go = go.unwrap_or_else(|| opts.goroot.join("bin/go"));
    Ok(Parsed::Run(opts))
}

fn positive(flag: &str, v: &str) -> Result<usize, String> {
    match v.parse::<usize>() {
        Ok(n) if n > 0 => Ok(n),
        _ => Err(format!("{flag} wants a positive integer, not {v:?}")),
    }
}

fn names(list: &str) -> Vec<String> {
    list.split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(String::from)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(args: &[&str]) -> Result<Parsed, String> {
        let args: Vec<String> = args.iter().map(|s| s.to_string()).collect();
        parse(&args, Path::new("/ws"), PathBuf::from("/goroot"))
    }

    fn opts(args: &[&str]) -> Options {
        match run(args) {
            Ok(Parsed::Run(o)) => o,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn defaults_point_into_the_workspace_and_goroot() {
        let o = opts(&[]);
        assert_eq!(o.runs, 5);
        assert_eq!(o.goclift, PathBuf::from("/ws/target/release/goclift"));
        assert_eq!(o.go, PathBuf::from("/goroot/bin/go"));
        assert!(o.frontend);
        assert!(o.selected("anything"));
    }

    #[test]
    fn parses_every_flag_in_both_spellings() {
        let o = opts(&[
            "--runs",
            "3",
            "--only=nbody, maps",
            "--goclift",
            "/x/gc",
            "--no-frontend",
            "--goroot=/g",
        ]);
        assert_eq!(o.runs, 3);
        assert_eq!(o.only, Some(vec!["nbody".to_string(), "maps".to_string()]));
        assert!(o.selected("maps") && !o.selected("ring"));
        assert_eq!(o.goclift, PathBuf::from("/x/gc"));
        assert!(!o.frontend);
        assert_eq!(o.go, PathBuf::from("/g/bin/go"));
        assert_eq!(
            opts(&["--go", "/bin/go", "--goroot", "/g"]).go,
            PathBuf::from("/bin/go")
        );
        assert_eq!(opts(&["--timeout", "7"]).timeout, Duration::from_secs(7));
    }

    #[test]
    fn rejects_bad_input() {
        assert!(run(&["--runs", "0"]).is_err());
        assert!(run(&["--runs"]).is_err());
        assert!(run(&["--bogus"]).is_err());
        assert_eq!(run(&["--help"]), Ok(Parsed::Help));
    }
}
