//! goclift-testrun: the project's test runners.
//!
//! - `goclift-testrun testdata`: the programs of testdata/ with their expected output.
//! - `goclift-testrun conformance`: the `// run` and `// errorcheck` tests of Go's
//!   GOROOT/test tree.
//! - `goclift-testrun syntax`: goclift's parser against gc's on every file of GOROOT/test.
//!
//! Run with `--help` for the options.

mod cli;
mod conformance;
mod diff;
mod normalize;
mod pool;
mod process;
mod syntax;
mod target;
mod tempdir;
mod testdata;
mod toolchain;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let status = match cli::parse(&args) {
        Ok(cli::Command::Help) => {
            print!("{}", cli::USAGE);
            0
        }
        Ok(cli::Command::Testdata(options)) => testdata::main(&options),
        Ok(cli::Command::Conformance(options)) => conformance::main(&options),
        Ok(cli::Command::Syntax(options)) => syntax::main(&options),
        Err(e) => {
            eprintln!("goclift-testrun: {e}\n\n{}", cli::USAGE);
            2
        }
    };
    std::process::exit(status);
}
