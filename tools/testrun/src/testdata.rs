//! `goclift-testrun testdata`: builds every program of testdata/ with goclift for each
//! target, runs it, and compares its combined output and exit status with NAME.out and
//! NAME.exit. With `--update`, regenerates those files from gc instead.

use crate::normalize::normalize;
use crate::pool::run_ordered;
use crate::target::Arch;
use crate::toolchain::{build_and_run, judge, Compiler, Expectation, Limits, Program, StepFailure};
use std::collections::BTreeMap;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// Settings of one `testdata` invocation.
#[derive(Debug, Clone)]
pub struct Options {
    /// The testdata directory.
    pub dir: PathBuf,
    /// Targets to test.
    pub arches: Vec<Arch>,
    /// Parallel jobs.
    pub jobs: usize,
    /// Time limits for building and running each program.
    pub limits: Limits,
    /// The goclift binary.
    pub goclift: PathBuf,
    /// Regenerate expected files with this go command instead of testing.
    pub update_with: Option<PathBuf>,
    /// Only these test names (all when empty).
    pub names: Vec<String>,
}

/// One program of testdata/.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Case {
    /// NAME: the file stem or directory name.
    pub name: String,
    /// Its .go files (one file, or the files of NAME/), or the directory NAME/ of a module
    /// (NAME/go.mod).
    pub sources: Vec<PathBuf>,
}

impl Case {
    fn out_path(&self, dir: &Path) -> PathBuf {
        dir.join(format!("{}.out", self.name))
    }

    fn exit_path(&self, dir: &Path) -> PathBuf {
        dir.join(format!("{}.exit", self.name))
    }
}

/// Finds the tests of `dir`: each NAME.out with a NAME.go or a NAME/ directory of .go
/// files. Returns the cases, sorted by name, and problems (an .out without a program,
/// or with both forms), which count as failures.
pub fn discover(dir: &Path) -> io::Result<(Vec<Case>, Vec<String>)> {
    let mut cases = Vec::new();
    let mut problems = Vec::new();
    for name in names_with_extension(dir, "out")? {
        match sources_of(dir, &name)? {
            Ok(sources) => cases.push(Case { name, sources }),
            Err(problem) => problems.push(format!("{name}: {problem}")),
        }
    }
    Ok((cases, problems))
}

/// Stems of the files in `dir` ending in `.EXT`, sorted.
fn names_with_extension(dir: &Path, ext: &str) -> io::Result<Vec<String>> {
    let mut names = Vec::new();
    for entry in fs::read_dir(dir)? {
        let file_name = entry?.file_name();
        let Some(file_name) = file_name.to_str() else { continue };
        if let Some(stem) = file_name.strip_suffix(&format!(".{ext}")) {
            if !stem.is_empty() && !stem.starts_with('.') {
                names.push(stem.to_string());
            }
        }
    }
    names.sort();
    Ok(names)
}

/// The sources of test NAME, or why there are none.
fn sources_of(dir: &Path, name: &str) -> io::Result<Result<Vec<PathBuf>, String>> {
    let file = dir.join(format!("{name}.go"));
    let package_dir = dir.join(name);
    Ok(match (file.is_file(), package_dir.is_dir()) {
        (true, true) => Err(format!("both {name}.go and {name}/ exist")),
        (true, false) => Ok(vec![file]),
        // A module: built as the go command builds one, from its directory.
        (false, true) if package_dir.join("go.mod").is_file() => Ok(vec![package_dir]),
        (false, true) => {
            let files = go_files_in(&package_dir)?;
            if files.is_empty() {
                Err(format!("{name}/ has no .go files"))
            } else {
                Ok(files)
            }
        }
        (false, false) => Err(format!("no {name}.go or {name}/ for {name}.out")),
    })
}

/// The package's .go files (test files excluded), sorted.
fn go_files_in(dir: &Path) -> io::Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    for entry in fs::read_dir(dir)? {
        let path = entry?.path();
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if name.ends_with(".go") && !name.ends_with("_test.go") && !name.starts_with('.') && path.is_file() {
            files.push(path);
        }
    }
    files.sort();
    Ok(files)
}

/// Reads the expected exit status: NAME.exit holds a decimal number; absent means 0.
pub fn read_expected_exit(path: &Path) -> Result<i32, String> {
    match fs::read_to_string(path) {
        Ok(text) => text.trim().parse().map_err(|_| format!("{}: not a decimal exit status: {text:?}", path.display())),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(0),
        Err(e) => Err(format!("{}: {e}", path.display())),
    }
}

/// The outcome of one case on one target.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// Output and status as expected.
    Pass,
    /// A one-line reason and details (diff or compiler output).
    Fail(String, String),
}

/// Entry point of the subcommand; returns the process exit status.
pub fn main(options: &Options) -> i32 {
    let (mut cases, mut problems) = match discover(&options.dir) {
        Ok(found) => found,
        Err(e) => {
            eprintln!("goclift-testrun: {}: {e}", options.dir.display());
            return 2;
        }
    };
    if !options.names.is_empty() {
        match select_named(&options.dir, &cases, &options.names, options.update_with.is_some()) {
            Ok(selected) => {
                cases = selected;
                problems.clear();
            }
            Err(e) => {
                eprintln!("goclift-testrun: {e}");
                return 2;
            }
        }
    }
    match &options.update_with {
        Some(go) => update(options, &cases, go),
        None => test(options, &cases, &problems),
    }
}

/// The cases named on the command line. When updating, a program without an .out
/// file yet is accepted, so that new tests can be created.
fn select_named(dir: &Path, cases: &[Case], names: &[String], updating: bool) -> Result<Vec<Case>, String> {
    let by_name: BTreeMap<&str, &Case> = cases.iter().map(|c| (c.name.as_str(), c)).collect();
    let mut selected = Vec::new();
    for name in names {
        let name = name.trim_end_matches('/').trim_end_matches(".go");
        let name = name.rsplit('/').next().unwrap_or(name);
        if let Some(case) = by_name.get(name) {
            selected.push((*case).clone());
        } else if updating {
            let sources = sources_of(dir, name).map_err(|e| e.to_string())?;
            selected.push(Case { name: name.to_string(), sources: sources.map_err(|e| format!("{name}: {e}"))? });
        } else {
            return Err(format!("no test {name:?} in {} (a test needs {name}.out)", dir.display()));
        }
    }
    Ok(selected)
}

fn test(options: &Options, cases: &[Case], problems: &[String]) -> i32 {
    let compiler = Compiler::Goclift(options.goclift.clone());
    crate::toolchain::warn_if_missing(&compiler);
    let jobs: Vec<(&Case, Arch)> =
        cases.iter().flat_map(|case| options.arches.iter().map(move |&arch| (case, arch))).collect();
    let (mut passed, mut failed) = (0, 0);
    for problem in problems {
        println!("FAIL {problem}");
        failed += 1;
    }
    run_ordered(
        &jobs,
        options.jobs,
        |&(case, arch)| run_case(&compiler, options, case, arch),
        |index, verdict| {
            let (case, arch) = jobs[index];
            match verdict {
                Verdict::Pass => {
                    passed += 1;
                    println!("PASS {} [{arch}]", case.name);
                }
                Verdict::Fail(summary, details) => {
                    failed += 1;
                    println!("FAIL {} [{arch}]: {summary}", case.name);
                    print_indented(&details);
                }
            }
        },
    );
    println!("{passed} passed, {failed} failed");
    i32::from(failed > 0)
}

/// Prints details under a FAIL line, indented so that the result lines stand out.
pub fn print_indented(details: &str) {
    for line in details.lines().filter(|l| !l.is_empty()) {
        println!("    {line}");
    }
}

/// The testdata directory as it appears in compiled-in source paths.
fn dir_text(options: &Options) -> String {
    let text = options.dir.display().to_string();
    match text.trim_end_matches('/') {
        "" => "/".to_string(),
        trimmed => trimmed.to_string(),
    }
}

/// How to build `case`: its files from the testdata directory, or a module (NAME/go.mod) as
/// package `.` from its own directory.
fn program_for(options: &Options, case: &Case) -> Program {
    match case.sources.as_slice() {
        [module] if module.is_dir() => Program { sources: vec![PathBuf::from(".")], dir: module.clone(), ..Program::default() },
        _ => Program { sources: case.sources.clone(), dir: options.dir.clone(), ..Program::default() },
    }
}

/// Builds and runs one case on one target and judges it.
pub fn run_case(compiler: &Compiler, options: &Options, case: &Case, arch: Arch) -> Verdict {
    let want_output = match fs::read(case.out_path(&options.dir)) {
        Ok(bytes) => bytes,
        Err(e) => return Verdict::Fail(format!("{}.out: {e}", case.name), String::new()),
    };
    let want_exit = match read_expected_exit(&case.exit_path(&options.dir)) {
        Ok(code) => code,
        Err(e) => return Verdict::Fail(e, String::new()),
    };
    let mut captured = match build_and_run(compiler, &program_for(options, case), arch, options.limits) {
        Ok(captured) => captured,
        Err(failure) => return failure_verdict(failure),
    };
    captured.output = normalize(&captured.output, &dir_text(options));
    let want_output = normalize(&want_output, &dir_text(options));
    match judge(&captured, &Expectation { output: &want_output, exit_status: want_exit }) {
        Ok(()) => Verdict::Pass,
        Err(mismatch) => Verdict::Fail(mismatch.summary, mismatch.details),
    }
}

fn failure_verdict(failure: StepFailure) -> Verdict {
    let description = failure.describe();
    let (summary, details) = description.split_once('\n').unwrap_or((&description, ""));
    Verdict::Fail(summary.to_string(), details.to_string())
}

/// `--update`: runs each case with gc on every selected target and rewrites NAME.out and
/// NAME.exit when all targets agree.
fn update(options: &Options, cases: &[Case], go: &Path) -> i32 {
    let compiler = Compiler::Gc(go.to_path_buf());
    crate::toolchain::warn_if_missing(&compiler);
    let mut errors = 0;
    run_ordered(
        cases,
        options.jobs,
        |case| update_case(&compiler, options, case),
        |index, result| match result {
            Ok(status) => println!("UPDATED {} (exit status {status})", cases[index].name),
            Err(e) => {
                errors += 1;
                println!("ERROR {}: {e}", cases[index].name);
            }
        },
    );
    println!("{} updated, {errors} errors", cases.len() - errors);
    i32::from(errors > 0)
}

fn update_case(compiler: &Compiler, options: &Options, case: &Case) -> Result<i32, String> {
    let mut results: Vec<(Arch, Vec<u8>, i32)> = Vec::new();
    for &arch in &options.arches {
        let captured = build_and_run(compiler, &program_for(options, case), arch, options.limits)
            .map_err(|f| format!("[{arch}] {}", f.describe()))?;
        let status = match captured.termination {
            crate::process::Termination::Exited(code) => code,
            other => return Err(format!("[{arch}] {other}")),
        };
        if captured.truncated {
            return Err(format!("[{arch}] output too large"));
        }
        results.push((arch, normalize(&captured.output, &dir_text(options)), status));
    }
    let (first_arch, output, status) = results.first().ok_or("no target selected")?;
    if let Some((arch, ..)) = results.iter().find(|(_, o, s)| (o, s) != (output, status)) {
        return Err(format!("gc's output or exit status differs between {first_arch} and {arch}; not written"));
    }
    write_expected(options, case, output, *status).map_err(|e| e.to_string())?;
    Ok(*status)
}

fn write_expected(options: &Options, case: &Case, output: &[u8], status: i32) -> io::Result<()> {
    fs::write(case.out_path(&options.dir), output)?;
    let exit_path = case.exit_path(&options.dir);
    if status != 0 {
        fs::write(exit_path, format!("{status}\n"))
    } else {
        match fs::remove_file(exit_path) {
            Err(e) if e.kind() != io::ErrorKind::NotFound => Err(e),
            _ => Ok(()),
        }
    }
}

/// Default time limits: 60 s to run, and a generous one for the compiler.
pub fn default_limits() -> Limits {
    Limits { build: Duration::from_secs(300), run: Duration::from_secs(60) }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tempdir::TempDir;
    use std::os::unix::fs::PermissionsExt;

    fn write(dir: &Path, rel: &str, text: &str) {
        let path = dir.join(rel);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, text).unwrap();
    }

    #[test]
    fn discovery_rules() {
        let temp = TempDir::new().unwrap();
        let d = temp.path();
        write(d, "hello.go", "package main");
        write(d, "hello.out", "hi\n");
        write(d, "helper.go", "package main"); // no .out: not a test
        write(d, "multi/a.go", "package main");
        write(d, "multi/b.go", "package main");
        write(d, "multi/b_test.go", "package main");
        write(d, "multi.out", "");
        write(d, "orphan.out", "");
        write(d, "both.go", "");
        write(d, "both/x.go", "");
        write(d, "both.out", "");
        let (cases, problems) = discover(d).unwrap();
        let names: Vec<&str> = cases.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(names, ["hello", "multi"]);
        assert_eq!(cases[1].sources, [d.join("multi/a.go"), d.join("multi/b.go")]);
        assert_eq!(problems.len(), 2);
        assert!(problems[0].starts_with("both: both both.go and both/"));
        assert!(problems[1].starts_with("orphan: no orphan.go"));
    }

    #[test]
    fn exit_files() {
        let temp = TempDir::new().unwrap();
        let path = temp.path().join("x.exit");
        assert_eq!(read_expected_exit(&path), Ok(0));
        fs::write(&path, "2\n").unwrap();
        assert_eq!(read_expected_exit(&path), Ok(2));
        fs::write(&path, "two").unwrap();
        assert!(read_expected_exit(&path).is_err());
    }

    /// A fake goclift whose "executables" print the first line of the source and exit
    /// with the status named in a `// exit N` comment (0 otherwise).
    fn fake_goclift(dir: &Path) -> PathBuf {
        let path = dir.join("fake-goclift");
        let script = r#"#!/bin/sh
out=$3; shift 3
if grep -q BROKEN "$@"; then echo "$1:3:1: syntax error" >&2; exit 1; fi
code=$(sed -n 's,^// exit ,,p' "$@")
{ echo '#!/bin/sh'; echo "echo '$(head -n1 "$1")'"; echo "echo err >&2"; echo "exit ${code:-0}"; } > "$out"
chmod +x "$out"
"#;
        fs::write(&path, script).unwrap();
        fs::set_permissions(&path, fs::Permissions::from_mode(0o755)).unwrap();
        path
    }

    #[test]
    fn runs_cases_with_a_fake_compiler() {
        let temp = TempDir::new().unwrap();
        let d = temp.path().join("testdata");
        write(&d, "good.go", "package main\n");
        write(&d, "good.out", "package main\nerr\n");
        write(&d, "status.go", "package main\n// exit 2\n");
        write(&d, "status.out", "package main\nerr\n");
        write(&d, "status.exit", "2\n");
        write(&d, "wrong.go", "package main\n");
        write(&d, "wrong.out", "something else\n");
        write(&d, "broken.go", "package main\nBROKEN\n");
        write(&d, "broken.out", "");
        let options = Options {
            dir: d.clone(),
            arches: vec![Arch::host().unwrap()],
            jobs: 2,
            limits: Limits { build: Duration::from_secs(20), run: Duration::from_secs(20) },
            goclift: fake_goclift(temp.path()),
            update_with: None,
            names: vec![],
        };
        let compiler = Compiler::Goclift(options.goclift.clone());
        let (cases, _) = discover(&d).unwrap();
        let verdicts: BTreeMap<&str, Verdict> = cases
            .iter()
            .map(|c| (c.name.as_str(), run_case(&compiler, &options, c, options.arches[0])))
            .collect();
        assert_eq!(verdicts["good"], Verdict::Pass);
        assert_eq!(verdicts["status"], Verdict::Pass);
        let Verdict::Fail(summary, details) = &verdicts["wrong"] else { panic!() };
        assert_eq!(summary, "output differs");
        assert!(details.contains("-something else\n+package main\n+err\n"), "{details}");
        let Verdict::Fail(summary, details) = &verdicts["broken"] else { panic!() };
        assert_eq!(summary, "build failed (exit status 1)");
        assert!(details.ends_with("broken.go:3:1: syntax error"), "{details}");
        assert_eq!(test(&options, &cases, &[]), 1);
    }

    #[test]
    fn selecting_names() {
        let temp = TempDir::new().unwrap();
        let d = temp.path();
        write(d, "a.go", "");
        write(d, "a.out", "");
        write(d, "new.go", "");
        let (cases, _) = discover(d).unwrap();
        let got = select_named(d, &cases, &["testdata/a.go".into()], false).unwrap();
        assert_eq!(got[0].name, "a");
        assert!(select_named(d, &cases, &["new".into()], false).is_err());
        let got = select_named(d, &cases, &["new".into()], true).unwrap();
        assert_eq!(got[0].sources, [d.join("new.go")]);
    }
}
