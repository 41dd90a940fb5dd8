//! The `goclift` command: argument parsing, target selection, and the subcommands, each
//! running the stages in order.

pub mod build;
pub mod cli;
pub mod frontend;
pub mod listing;
pub mod typecheck;

use crate::target::Target;
use clap::Parser;
use cli::{Cli, Command};
use std::process::ExitCode;

/// Why a command failed.
#[derive(Debug)]
pub enum Failure {
    /// Diagnostics were already printed (compile errors): exit 1.
    Reported,
    /// A problem with the environment or the request: printed as `goclift: <msg>`, exit 1.
    Message(String),
}

impl From<String> for Failure {
    fn from(msg: String) -> Failure {
        Failure::Message(msg)
    }
}

/// Runs goclift with the process's arguments and returns its exit status. A bug in goclift
/// that panics is reported as an internal compiler error (exit status 2), as gc reports its own.
pub fn main() -> ExitCode {
    std::panic::set_hook(Box::new(|info| {
        eprintln!("goclift: internal compiler error: {info}\nPlease report this as a goclift bug, with the input.");
    }));
    std::panic::catch_unwind(run).unwrap_or(ExitCode::from(2))
}

fn run() -> ExitCode {
    let args = cli::normalize_args(std::env::args());
    let cli = match Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { 2 } else { 0 });
        }
    };
    match dispatch(cli) {
        Ok(code) => code,
        Err(Failure::Reported) => ExitCode::from(1),
        Err(Failure::Message(msg)) => {
            eprintln!("goclift: {msg}");
            ExitCode::from(1)
        }
    }
}

fn dispatch(cli: Cli) -> Result<ExitCode, Failure> {
    let target = resolve_target(cli.goos.as_deref(), cli.goarch.as_deref())?;
    match cli.command {
        Command::Build(args) => build::build(target, &args).map(|_| ExitCode::SUCCESS),
        Command::Run(args) => build::run(target, &args),
        Command::Check(args) => frontend::check_command(target, &args),
        Command::Env => print_env(target),
        Command::Version => {
            println!("goclift version {} go1.19 {target}", env!("CARGO_PKG_VERSION"));
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// The target from --goos/--goarch, else $GOOS/$GOARCH, else the host, as the go command does.
fn resolve_target(goos: Option<&str>, goarch: Option<&str>) -> Result<Target, Failure> {
    let env = |k: &str| std::env::var(k).ok().filter(|v| !v.is_empty());
    let host = Target::host();
    let goos = goos.map(str::to_string).or_else(|| env("GOOS")).unwrap_or_else(|| host.goos().into());
    let goarch = goarch.map(str::to_string).or_else(|| env("GOARCH")).unwrap_or_else(|| host.goarch().into());
    Ok(Target::from_go(&goos, &goarch)?)
}

fn print_env(target: Target) -> Result<ExitCode, Failure> {
    let goroot = crate::loader::find_goroot().map(|p| p.display().to_string()).unwrap_or_default();
    let runtime = crate::link::find_runtime_lib(target).map(|p| p.display().to_string()).unwrap_or_default();
    println!("GOARCH=\"{}\"", target.goarch());
    println!("GOOS=\"{}\"", target.goos());
    println!("GOROOT=\"{goroot}\"");
    println!("GOVERSION=\"go1.19\"");
    println!("GOCLIFT_LINKER=\"{}\"", target.linker().0);
    println!("GOCLIFT_EMULATOR=\"{}\"", target.emulator().unwrap_or(""));
    println!("GOCLIFT_RUNTIME=\"{runtime}\"");
    Ok(ExitCode::SUCCESS)
}
