//! `goclift build` and `goclift run`: front end, code generation, link (and run).

use super::cli::{BuildArgs, RunArgs};
use super::{frontend, listing, Failure};
use crate::codegen;
use crate::link::{self, LinkJob};
use crate::target::Target;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

/// Builds the main package named by `args.inputs`; returns the executable's path.
pub fn build(target: Target, args: &BuildArgs) -> Result<PathBuf, Failure> {
    let front = frontend::compile_main_package(&args.inputs, target, args.escapes)?;
    let output = args.output.clone().unwrap_or_else(|| front.default_output.clone());
    generate_and_link(target, &front, &output, args)?;
    Ok(output)
}

/// Builds FILES into a temporary directory and runs the result with the remaining arguments
/// (under the target's emulator when cross-compiling). Like `go run`, a failing program's
/// status is reported as `exit status N` and goclift exits 1.
pub fn run(target: Target, args: &RunArgs) -> Result<ExitCode, Failure> {
    let (files, prog_args) = args.split();
    if files.is_empty() {
        return Err(Failure::Message("run: no go files listed".into()));
    }
    let front = frontend::compile_main_package(&files, target, false)?;
    let scratch = tempfile::tempdir().map_err(|e| format!("creating a temporary directory: {e}"))?;
    let exe = scratch.path().join(&front.default_output);
    let build_args = BuildArgs { asm: args.asm, echo: args.echo, ..BuildArgs::default() };
    generate_and_link(target, &front, &exe, &build_args)?;
    if !exe.exists() {
        return Err(Failure::Message("package command-line-arguments is not a main package".into()));
    }
    let mut cmd = match target.emulator() {
        Some(emu) => {
            let mut c = Command::new(emu);
            c.arg(&exe);
            c
        }
        None => Command::new(&exe),
    };
    cmd.args(&prog_args);
    let status = cmd.status().map_err(|e| format!("running {}: {e}", cmd.get_program().to_string_lossy()))?;
    if status.success() {
        return Ok(ExitCode::SUCCESS);
    }
    match status.code() {
        Some(code) => eprintln!("exit status {code}"),
        None => eprintln!("{}", describe_signal(&status)),
    }
    Ok(ExitCode::from(1))
}

/// Generates code for the checked and lowered main package and links the executable.
fn generate_and_link(target: Target, front: &frontend::Frontend, output: &Path, args: &BuildArgs) -> Result<(), Failure> {
    if args.verbose {
        eprintln!("command-line-arguments");
    }
    let Some(program) = &front.program else {
        // Like go build: a package other than main is compiled and checked, and nothing is written.
        return Ok(());
    };
    let opts = codegen::Options { listing: args.asm };
    let compiled = codegen::compile_program(program, target, opts)?;
    if args.asm {
        print!("{}", listing::render(&compiled.listing, &front.sources));
    }
    let runtime_lib = link::find_runtime_lib(target)?;
    link::link(&LinkJob { target, object: &compiled.object, runtime_lib: &runtime_lib, output, echo: args.echo })?;
    Ok(())
}

fn describe_signal(status: &std::process::ExitStatus) -> String {
    use std::os::unix::process::ExitStatusExt;
    match status.signal() {
        Some(9) => "signal: killed".into(),
        Some(11) => "signal: segmentation fault".into(),
        Some(6) => "signal: aborted".into(),
        Some(s) => format!("signal: {s}"),
        None => format!("{status}"),
    }
}
