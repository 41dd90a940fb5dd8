//! The command line, parsed with clap. gc-style single-dash long flags (`-lang=go1.18`)
//! are accepted by rewriting them to clap's `--lang` form first.

use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;

/// goclift: an ahead-of-time compiler for Go 1.19.
#[derive(Parser, Debug)]
#[command(name = "goclift", disable_version_flag = true)]
pub struct Cli {
    /// Target operating system (default: $GOOS, else linux).
    #[arg(long, global = true)]
    pub goos: Option<String>,
    /// Target architecture (default: $GOARCH, else the host's).
    #[arg(long, global = true)]
    pub goarch: Option<String>,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Compile a main package (files or a directory) to an executable.
    Build(BuildArgs),
    /// Compile and run a main package: goclift run FILES [--] [ARGS].
    Run(RunArgs),
    /// Parse and type-check packages without generating code.
    Check(CheckArgs),
    /// Print goclift's environment (GOROOT, GOOS, GOARCH, tools).
    Env,
    /// Print goclift's version.
    Version,
}

#[derive(Args, Debug, Default)]
pub struct BuildArgs {
    /// Write the executable to this file (default: named after the first file or the directory).
    #[arg(short = 'o')]
    pub output: Option<PathBuf>,
    /// Print the generated assembly of every function, with Go source lines interleaved.
    #[arg(short = 'S')]
    pub asm: bool,
    /// Print the commands run (linker).
    #[arg(short = 'x')]
    pub echo: bool,
    /// Print the names of packages as they are compiled.
    #[arg(short = 'v')]
    pub verbose: bool,
    /// Print the escape analysis decisions of the main package, as gc's -m.
    #[arg(short = 'm')]
    pub escapes: bool,
    /// Go files, a directory, or package paths.
    pub inputs: Vec<String>,
}

#[derive(Args, Debug)]
pub struct RunArgs {
    /// Print the generated assembly while building.
    #[arg(short = 'S')]
    pub asm: bool,
    /// Print the commands run.
    #[arg(short = 'x')]
    pub echo: bool,
    /// Go files (those ending in .go), then the program's arguments (optionally after --).
    #[arg(trailing_var_arg = true, allow_hyphen_values = true, required = true)]
    pub args: Vec<String>,
}

#[derive(Args, Debug)]
pub struct CheckArgs {
    /// Only parse (report syntax errors).
    #[arg(long = "parse-only")]
    pub parse_only: bool,
    /// Report all errors, not just the first 10.
    #[arg(short = 'e')]
    pub all_errors: bool,
    /// Language version to check against (go1.N).
    #[arg(long = "lang")]
    pub lang: Option<String>,
    /// Number of parallel jobs (default: the number of CPUs).
    #[arg(short = 'j')]
    pub jobs: Option<usize>,
    /// .go files of one package, package directories, import paths, or `std` (with
    /// --parse-only: any files and directory trees).
    #[arg(required = true)]
    pub paths: Vec<String>,
}

/// Rewrites gc-style single-dash long flags (`-lang=go1.18`) into `--lang=go1.18`.
pub fn normalize_args(args: impl IntoIterator<Item = String>) -> Vec<String> {
    const LONG: &[&str] = &["lang", "goos", "goarch", "parse-only"];
    args.into_iter()
        .map(|a| {
            let name = a.strip_prefix('-').filter(|r| !r.starts_with('-')).map(|r| r.split('=').next().unwrap_or(r));
            match name {
                Some(n) if LONG.contains(&n) => format!("-{a}"),
                _ => a,
            }
        })
        .collect()
}

impl RunArgs {
    /// Splits the arguments into the package and the program's arguments, as `go run` does:
    /// the leading arguments ending in .go are files, else the first argument names a package
    /// (directory or import path); a `--` ends them explicitly.
    pub fn split(&self) -> (Vec<String>, Vec<String>) {
        let files = self.args.iter().take_while(|a| a.ends_with(".go")).count();
        let n = if files == 0 && self.args.first().is_some_and(|a| a != "--") { 1 } else { files };
        let (files, rest) = self.args.split_at(n);
        let rest = match rest.first() {
            Some(d) if d == "--" => &rest[1..],
            _ => rest,
        };
        (files.to_vec(), rest.to_vec())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> Cli {
        let v = normalize_args(args.iter().map(|s| s.to_string()));
        Cli::try_parse_from(v).unwrap()
    }

    #[test]
    fn build_flags() {
        let cli = parse(&["goclift", "build", "-o", "out", "-S", "-x", "a.go", "b.go"]);
        let Command::Build(b) = cli.command else { panic!() };
        assert_eq!(b.output.unwrap().to_str(), Some("out"));
        assert!(b.asm && b.echo && !b.verbose);
        assert_eq!(b.inputs, ["a.go", "b.go"]);
    }

    #[test]
    fn gc_style_lang_flag() {
        let cli = parse(&["goclift", "check", "-lang=go1.17", "-e", "std"]);
        let Command::Check(c) = cli.command else { panic!() };
        assert_eq!(c.lang.as_deref(), Some("go1.17"));
        assert!(c.all_errors);
    }

    #[test]
    fn run_splits_files_and_args() {
        let cli = parse(&["goclift", "run", "a.go", "b.go", "--", "-x", "y"]);
        let Command::Run(r) = cli.command else { panic!() };
        assert_eq!(r.split(), (vec!["a.go".into(), "b.go".into()], vec!["-x".into(), "y".into()]));
        let cli = parse(&["goclift", "run", "a.go", "arg"]);
        let Command::Run(r) = cli.command else { panic!() };
        assert_eq!(r.split().1, ["arg"]);
    }
}
