//! The oracle: gc's own parser, built at run time from GOROOT/src/cmd/compile/internal/syntax
//! (self-contained: it imports only the standard library) and a small main package, the
//! template tools/testrun/syntax/oracle_main.go.txt, that drives it as gc's noder does.
//! gc's code is copied into a temporary module, never into this repository. The binary is
//! cached in the cache directory (target/goclift-testrun), keyed by the GOROOT version and
//! the template, so only the first run pays for the Go build.

use super::compare::{FileReport, FirstError};
use crate::process::{run_combined, Termination};
use crate::tempdir::TempDir;
use std::fs;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

/// The main package of the oracle.
const MAIN_GO: &str = include_str!("../../syntax/oracle_main.go.txt");

/// gc's parser, relative to GOROOT.
const SYNTAX_DIR: &str = "src/cmd/compile/internal/syntax";

/// Time limit of the oracle's Go build (a cold build cache compiles part of the
/// standard library).
const BUILD_LIMIT: Duration = Duration::from_secs(600);

/// A built oracle binary.
#[derive(Debug, Clone)]
pub struct Oracle {
    binary: PathBuf,
}

impl Oracle {
    /// The cached oracle for `goroot`, built first if it is not in `cache_dir`.
    pub fn ensure_built(goroot: &Path, cache_dir: &Path) -> Result<Oracle, String> {
        let version = goroot_version(goroot)?;
        let binary = cache_dir.join(format!("gcsyntax-{version}-{:016x}", fnv1a(MAIN_GO.as_bytes())));
        if !binary.is_file() {
            eprintln!("goclift-testrun syntax: building gc's parser from {} ...", goroot.join(SYNTAX_DIR).display());
            build(goroot, cache_dir, &binary)?;
        }
        Ok(Oracle { binary })
    }

    /// Parses every file of `paths` and returns gc's report on each, in order.
    pub fn parse(&self, paths: &[String]) -> Result<Vec<FileReport>, String> {
        let stdout = self.run(paths)?;
        let lines: Vec<&str> = stdout.lines().collect();
        if lines.len() != paths.len() {
            return Err(format!("oracle printed {} lines for {} files", lines.len(), paths.len()));
        }
        lines.iter().zip(paths).map(|(line, path)| parse_report(line, path)).collect()
    }

    /// Runs the oracle with the paths on stdin; its stdout.
    fn run(&self, paths: &[String]) -> Result<String, String> {
        let describe = |e: std::io::Error| format!("running {}: {e}", self.binary.display());
        let mut child = Command::new(&self.binary)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(describe)?;
        let input: String = paths.iter().map(|p| format!("{p}\n")).collect();
        let mut stdin = child.stdin.take().expect("stdin is piped");
        // Written from a thread: the oracle's output could fill its pipe before it has
        // read all of the input.
        let writer = std::thread::spawn(move || stdin.write_all(input.as_bytes()));
        let output = child.wait_with_output().map_err(describe)?;
        let _ = writer.join();
        if !output.status.success() {
            let stderr = String::from_utf8_lossy(&output.stderr);
            return Err(format!("{} failed ({}):\n{stderr}", self.binary.display(), output.status));
        }
        String::from_utf8(output.stdout).map_err(|e| format!("oracle output is not UTF-8: {e}"))
    }
}

/// The GOROOT's version (`go1.19.8`), from its VERSION file or else `go env GOVERSION`.
fn goroot_version(goroot: &Path) -> Result<String, String> {
    if let Ok(text) = fs::read_to_string(goroot.join("VERSION")) {
        if let Some(first) = text.lines().next().filter(|l| l.starts_with("go")) {
            return Ok(first.trim().to_string());
        }
    }
    let output = Command::new(goroot.join("bin/go"))
        .args(["env", "GOVERSION"])
        .env("GOROOT", goroot)
        .output()
        .map_err(|e| format!("{}: {e}", goroot.join("bin/go").display()))?;
    let version = String::from_utf8_lossy(&output.stdout).trim().to_string();
    if version.is_empty() || version.contains('/') {
        return Err(format!("cannot tell the Go version of {}", goroot.display()));
    }
    Ok(version)
}

/// FNV-1a: a hash that stays the same across Rust releases (the cache key must).
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, &b| (hash ^ u64::from(b)).wrapping_mul(0x100_0000_01b3))
}

/// Builds the oracle into `binary` (atomically: another run may be building it too).
fn build(goroot: &Path, cache_dir: &Path, binary: &Path) -> Result<(), String> {
    let module = TempDir::new().map_err(|e| format!("temp dir: {e}"))?;
    write_module(goroot, module.path()).map_err(|e| format!("making the oracle's module: {e}"))?;
    fs::create_dir_all(cache_dir).map_err(|e| format!("{}: {e}", cache_dir.display()))?;
    let partial = cache_dir.join(format!(".gcsyntax-partial-{}", std::process::id()));
    let mut cmd = Command::new(goroot.join("bin/go"));
    cmd.arg("build").arg("-o").arg(&partial).arg(".").current_dir(module.path());
    isolate_go(&mut cmd, goroot, cache_dir);
    let captured =
        run_combined(cmd, BUILD_LIMIT).map_err(|e| format!("running {}: {e}", goroot.join("bin/go").display()))?;
    if captured.termination != Termination::Exited(0) {
        let _ = fs::remove_file(&partial);
        let output = String::from_utf8_lossy(&captured.output);
        return Err(format!("building the oracle failed ({}):\n{output}", captured.termination));
    }
    fs::rename(&partial, binary).map_err(|e| format!("{}: {e}", binary.display()))
}

/// The go command's environment: module mode, nothing from the network or the user's
/// settings, a build cache of our own.
fn isolate_go(cmd: &mut Command, goroot: &Path, cache_dir: &Path) {
    cmd.env("GOROOT", goroot)
        .env("GOFLAGS", "-mod=mod")
        .env("GOWORK", "off")
        .env("GO111MODULE", "on")
        .env("GOPROXY", "off")
        .env("GOENV", "off")
        .env("CGO_ENABLED", "0")
        .env("GOCACHE", cache_dir.join("gocache"))
        .env("GOPATH", cache_dir.join("gopath"))
        .env_remove("GOOS")
        .env_remove("GOARCH");
}

/// Writes the module `gcsyntax`: go.mod, main.go, and syntax/ with gc's non-test files.
fn write_module(goroot: &Path, dir: &Path) -> std::io::Result<()> {
    fs::write(dir.join("go.mod"), "module gcsyntax\n\ngo 1.19\n")?;
    fs::write(dir.join("main.go"), MAIN_GO)?;
    let package = dir.join("syntax");
    fs::create_dir(&package)?;
    let mut copied = 0;
    for entry in fs::read_dir(goroot.join(SYNTAX_DIR))? {
        let path = entry?.path();
        let name = path.file_name().unwrap_or_default().to_string_lossy().into_owned();
        if name.ends_with(".go") && !name.ends_with("_test.go") {
            fs::copy(&path, package.join(&name))?;
            copied += 1;
        }
    }
    if copied == 0 {
        return Err(std::io::Error::other(format!("no Go files in {}", goroot.join(SYNTAX_DIR).display())));
    }
    Ok(())
}

/// Parses one output line of the oracle (see the template for its fields).
fn parse_report(line: &str, path: &str) -> Result<FileReport, String> {
    let bad = || format!("unexpected oracle output for {path}: {line:?}");
    let fields: Vec<&str> = line.splitn(8, '\t').collect();
    if fields[0] != path {
        return Err(bad());
    }
    let number = |i: usize| fields.get(i).and_then(|f| f.parse::<u32>().ok()).ok_or_else(bad);
    let count = number(1)? as usize;
    if count == 0 {
        return if fields.len() == 2 { Ok(FileReport::Clean) } else { Err(bad()) };
    }
    let [rel_file, msg] = [fields.get(2), fields.get(7)].map(|f| f.copied().unwrap_or(""));
    if fields.len() != 8 {
        return Err(bad());
    }
    let (line_no, col, abs_line, abs_col) = (number(3)?, number(4)?, number(5)?, number(6)?);
    let renamed = (rel_file != path).then(|| rel_file.to_string());
    // A //line directive moved the position (a column gc does not print, 0, is not a move:
    // gc drops columns of 255 and more).
    let moved = renamed.is_some() || abs_line != line_no || (col != 0 && abs_col != col);
    let in_file = moved.then_some((abs_line, abs_col));
    let first = FirstError { renamed, line: line_no, col, msg: unescape(msg), in_file };
    Ok(FileReport::Errors { count, first })
}

/// Undoes the template's escaping of `\`, tab, newline and carriage return.
fn unescape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('t') => out.push('\t'),
            Some('n') => out.push('\n'),
            Some('r') => out.push('\r'),
            Some(other) => out.push(other),
            None => out.push('\\'),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reports() {
        assert_eq!(parse_report("/t/a.go\t0", "/t/a.go").unwrap(), FileReport::Clean);
        let line = "/t/a.go\t3\t/t/a.go\t12\t5\t12\t5\tsyntax error: unexpected \\\\n";
        let FileReport::Errors { count, first } = parse_report(line, "/t/a.go").unwrap() else { panic!() };
        assert_eq!((count, first.line, first.col, first.renamed, first.in_file), (3, 12, 5, None, None));
        assert_eq!(first.msg, "syntax error: unexpected \\n");
        let line = "/t/b.go\t2\tb.go\t20\t0\t13\t30\tsyntax error: import path must be a string";
        let FileReport::Errors { first, .. } = parse_report(line, "/t/b.go").unwrap() else { panic!() };
        assert_eq!((first.renamed.as_deref(), first.in_file), (Some("b.go"), Some((13, 30))));
        let line = "/t/c.go\t1\t/t/c.go\t7\t0\t7\t300\tlong line";
        let FileReport::Errors { first, .. } = parse_report(line, "/t/c.go").unwrap() else { panic!() };
        assert_eq!(first.in_file, None, "gc just prints no column past 254");
        assert!(parse_report("/t/a.go\t0", "/t/b.go").is_err());
        assert!(parse_report("/t/a.go\t1\t/t/a.go\t1", "/t/a.go").is_err());
        assert!(parse_report("/t/a.go\tx", "/t/a.go").is_err());
    }

    #[test]
    fn unescaping() {
        assert_eq!(unescape(r"a\tb\nc\\d\re"), "a\tb\nc\\d\re");
        assert_eq!(unescape(r"end\"), "end\\");
    }

    #[test]
    fn stable_hash() {
        assert_eq!(fnv1a(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a(b"a"), 0xaf63_dc4c_8601_ec8c);
    }

    #[test]
    fn version_of_the_installed_goroot() {
        let goroot = PathBuf::from(std::env::var("GOROOT").unwrap_or_else(|_| "/usr/lib/go-1.19".into()));
        assert!(goroot_version(&goroot).unwrap().starts_with("go1."));
    }

    /// Builds the real oracle (once per cache) and checks it on small files; the
    /// expected lines are what `go tool compile -e` prints for them.
    #[test]
    fn oracle_agrees_with_known_gc_errors() {
        let goroot = PathBuf::from(std::env::var("GOROOT").unwrap_or_else(|_| "/usr/lib/go-1.19".into()));
        let cache = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/goclift-testrun");
        let oracle = Oracle::ensure_built(&goroot, &cache).unwrap();
        let temp = TempDir::new().unwrap();
        let write = |name: &str, text: &str| {
            let path = temp.path().join(name);
            fs::write(&path, text).unwrap();
            path.display().to_string()
        };
        let clean = write("clean.go", "package p\n\nfunc f() {}\n");
        let syntax = write("syntax.go", "package p\n\nfunc f() {\n\tx := \n}\nvar = 1\n");
        let branch = write("branch.go", "package p\n\nfunc f() {\n\tbreak\n}\n");
        let directive = write("directive.go", "package p\n\nfunc f() {\n\t//go:noinline\n\tg()\n}\n");
        let linedir = write("linedir.go", "package p\n\n//line x.go:40\nvar = 1\n");
        let reports = oracle.parse(&[clean, syntax, branch, directive, linedir]).unwrap();
        assert_eq!(reports[0], FileReport::Clean);
        let first = |r: &FileReport| match r {
            FileReport::Errors { count, first } => (*count, first.render()),
            other => panic!("{other:?}"),
        };
        assert_eq!(first(&reports[1]), (2, "5:1: syntax error: unexpected }, expecting expression".to_string()));
        assert_eq!(first(&reports[2]), (1, "4:2: break is not in a loop, switch, or select".to_string()));
        assert_eq!(first(&reports[3]), (1, "4:4: misplaced compiler directive".to_string()));
        let want = "x.go:40: syntax error: unexpected =, expecting name (at 4:5 in the file, before //line directives)";
        assert_eq!(first(&reports[4]), (1, want.to_string()));
    }
}
