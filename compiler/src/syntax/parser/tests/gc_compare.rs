//! Compares the parser's errors with gc's on Go's own test files: for every file of
//! $GOROOT/test and of gc's syntax/testdata, run `go tool compile` and this parser; where
//! the parser reports errors, gc's output must be exactly the same lines (after gc's
//! reporting rules); where it reports none, gc must not report any syntax-stage error.
//! Slow (runs gc thousands of times): `cargo test --release -p goclift gc_compare -- --ignored --nocapture`.

use super::super::*;
use crate::syntax::report::{gc_error_lines, Diagnostic};
use std::path::{Path, PathBuf};

const GO: &str = "/usr/lib/go-1.19/bin/go";

/// Messages only gc's syntax stage produces (scanner, parser, branch checks).
const SYNTAX_STAGE_MESSAGES: &[&str] = &[
    "syntax error",
    "invalid character",
    "invalid NUL character",
    "invalid UTF-8 encoding",
    "invalid BOM",
    "identifier cannot begin with digit",
    "literal has no digits",
    "invalid digit",
    "invalid radix point",
    "exponent requires",
    "exponent has no digits",
    "hexadecimal mantissa requires",
    "must separate successive digits",
    "rune literal",
    "newline in string",
    "string not terminated",
    "comment not terminated",
    "unknown escape",
    "escape is invalid",
    "escape value",
    " escape",
    "method has no receiver",
    "method has multiple receivers",
    "must not be parenthesized",
    "must be function call",
    "index required in 3-index slice",
    "empty type parameter list",
    "empty type argument list",
    "interface method must have no type parameters",
    "invalid line number",
    "invalid column number",
    "label ",
    "break is not in a loop",
    "continue is not in a loop",
    "fallthrough statement out of place",
    "cannot fallthrough",
    "jumps into block",
    "jumps over declaration",
];

fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(rd) = std::fs::read_dir(dir) else { return };
    let mut entries: Vec<PathBuf> = rd.flatten().map(|e| e.path()).collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            collect(&p, out);
        } else if p.extension().is_some_and(|e| e == "go") {
            out.push(p);
        }
    }
}

/// gc's error lines for `path` (compiled alone, from its directory). Never pass
/// `-o /dev/null`: on errors gc removes its output file, which would delete /dev/null.
fn gc_lines(path: &Path, obj: &Path) -> Vec<String> {
    let dir = path.parent().unwrap();
    let name = path.file_name().unwrap();
    let out = std::process::Command::new(GO)
        .args(["tool", "compile", "-o"])
        .arg(obj)
        .arg(name)
        .current_dir(dir)
        .output()
        .unwrap_or_else(|e| panic!("run go tool compile on {}: {e}", path.display()));
    String::from_utf8_lossy(&out.stdout).lines().map(|l| l.to_string()).collect()
}

/// This parser's error lines for `path`, printed by gc's rules.
fn our_lines(path: &Path) -> Vec<String> {
    let name = path.file_name().unwrap().to_string_lossy().into_owned();
    let src = std::fs::read(path).unwrap();
    let (f, errs, _) = parse_and_check(FileId(0), &name, &src);
    let diags: Vec<Diagnostic> = errs
        .iter()
        .map(|e| {
            let base = f.line_directives.partition_point(|d| d.offset <= e.pos.offset) as u32;
            let (file, line, col) = f.resolve(e.pos);
            let file = file.unwrap_or(&name);
            let pos_text = if col == 0 { format!("{file}:{line}") } else { format!("{file}:{line}:{col}") };
            Diagnostic { file: base, line: e.pos.line, col: e.pos.col, pos_text, msg: e.msg.clone() }
        })
        .collect();
    gc_error_lines(&diags, Some(10)).0
}

/// Compares one file; returns a description of the mismatch, if any.
fn compare(path: &Path, obj: &Path) -> Option<String> {
    let ours = our_lines(path);
    let gc = gc_lines(path, obj);
    if !ours.is_empty() {
        // Without "syntax error"s gc goes on to type-check and may report more.
        let only_other = !ours.iter().any(|l| l.contains("syntax error"));
        if only_other && ours.iter().all(|l| gc.contains(l)) {
            return None;
        }
        if ours != gc {
            return Some(format!("{}:\n  gc:   {:?}\n  ours: {:?}", path.display(), gc, ours));
        }
        return None;
    }
    let missed: Vec<&String> = gc
        .iter()
        .filter(|l| SYNTAX_STAGE_MESSAGES.iter().any(|m| l.contains(m)))
        .filter(|l| !l.contains("invalid import path") && !l.contains("go:noescape"))
        .collect();
    if !missed.is_empty() {
        return Some(format!("{}:\n  gc:   {:?}\n  ours: (no errors)", path.display(), missed));
    }
    None
}

#[test]
#[ignore]
fn gc_compare() {
    let mut files = Vec::new();
    collect(Path::new("/usr/lib/go-1.19/test"), &mut files);
    collect(Path::new("/usr/lib/go-1.19/src/cmd/compile/internal/syntax/testdata"), &mut files);
    if let Ok(only) = std::env::var("GC_COMPARE_FILTER") {
        files.retain(|f| f.to_string_lossy().contains(&only));
    }
    let chunks: Vec<Vec<PathBuf>> = files.chunks(files.len().div_ceil(2).max(1)).map(|c| c.to_vec()).collect();
    let handles: Vec<_> = chunks
        .into_iter()
        .enumerate()
        .map(|(i, chunk)| {
            let obj = std::env::temp_dir().join(format!("goclift_gc_compare_{}_{i}.o", std::process::id()));
            std::thread::spawn(move || {
                let mut with_errors = 0;
                let mut mismatches = Vec::new();
                for p in &chunk {
                    if !our_lines(p).is_empty() {
                        with_errors += 1;
                    }
                    if let Some(m) = compare(p, &obj) {
                        mismatches.push(m);
                    }
                }
                let _ = std::fs::remove_file(&obj);
                (with_errors, mismatches)
            })
        })
        .collect();
    let mut with_errors = 0;
    let mut mismatches = Vec::new();
    for h in handles {
        let (n, m) = h.join().unwrap();
        with_errors += n;
        mismatches.extend(m);
    }
    println!("{} files, {} with syntax-stage errors, {} mismatches", files.len(), with_errors, mismatches.len());
    for m in &mismatches {
        println!("{m}");
    }
    assert!(mismatches.is_empty());
}
