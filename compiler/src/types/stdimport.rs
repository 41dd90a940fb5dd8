//! A small GOROOT importer for the checker's tests (the real one is the package loader):
//! finds a standard package's files for linux/amd64 without cgo, applying file name and
//! `//go:build` constraints, and checks packages recursively in dependency order.

use super::*;
use crate::diag::Diagnostic;
use crate::syntax::ast::File;
use crate::syntax::parser::parse_file;
use crate::syntax::pos::SourceMap;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

const GOOS: &str = "linux";

/// The target architecture ($STDIMPORT_GOARCH, default amd64).
fn goarch() -> String {
    std::env::var("STDIMPORT_GOARCH").unwrap_or_else(|_| "amd64".into())
}
const KNOWN_OS: &[&str] = &[
    "aix",
    "android",
    "darwin",
    "dragonfly",
    "freebsd",
    "hurd",
    "illumos",
    "ios",
    "js",
    "linux",
    "nacl",
    "netbsd",
    "openbsd",
    "plan9",
    "solaris",
    "windows",
    "zos",
];
const KNOWN_ARCH: &[&str] = &[
    "386",
    "amd64",
    "amd64p32",
    "arm",
    "armbe",
    "arm64",
    "arm64be",
    "loong64",
    "mips",
    "mipsle",
    "mips64",
    "mips64le",
    "mips64p32",
    "mips64p32le",
    "ppc",
    "ppc64",
    "ppc64le",
    "riscv",
    "riscv64",
    "s390",
    "s390x",
    "sparc",
    "sparc64",
    "wasm",
];

/// Whether a build tag is satisfied for linux/amd64, gc, go1.19, no cgo.
fn tag_ok(tag: &str) -> bool {
    if let Some(v) = tag.strip_prefix("go1.") {
        return v.parse::<u32>().is_ok_and(|n| n <= 19);
    }
    matches!(tag, "linux" | "unix" | "gc") || tag == goarch()
}

/// Evaluates a `//go:build` expression.
fn eval_build(expr: &str) -> bool {
    let toks: Vec<String> = {
        let mut v = Vec::new();
        let mut cur = String::new();
        for c in expr.chars() {
            match c {
                '(' | ')' | '!' => {
                    if !cur.is_empty() {
                        v.push(std::mem::take(&mut cur));
                    }
                    v.push(c.to_string());
                }
                '&' | '|' => {
                    if !cur.is_empty() && !cur.starts_with(c) {
                        v.push(std::mem::take(&mut cur));
                    }
                    cur.push(c);
                    if cur.len() == 2 {
                        v.push(std::mem::take(&mut cur));
                    }
                }
                c if c.is_whitespace() => {
                    if !cur.is_empty() {
                        v.push(std::mem::take(&mut cur));
                    }
                }
                c => cur.push(c),
            }
        }
        if !cur.is_empty() {
            v.push(cur);
        }
        v
    };
    let mut i = 0;
    or_expr(&toks, &mut i)
}

fn or_expr(t: &[String], i: &mut usize) -> bool {
    let mut v = and_expr(t, i);
    while *i < t.len() && t[*i] == "||" {
        *i += 1;
        let r = and_expr(t, i);
        v = v || r;
    }
    v
}

fn and_expr(t: &[String], i: &mut usize) -> bool {
    let mut v = unary(t, i);
    while *i < t.len() && t[*i] == "&&" {
        *i += 1;
        let r = unary(t, i);
        v = v && r;
    }
    v
}

fn unary(t: &[String], i: &mut usize) -> bool {
    if *i >= t.len() {
        return false;
    }
    let tok = t[*i].clone();
    *i += 1;
    match tok.as_str() {
        "!" => !unary(t, i),
        "(" => {
            let v = or_expr(t, i);
            if *i < t.len() && t[*i] == ")" {
                *i += 1;
            }
            v
        }
        tag => tag_ok(tag),
    }
}

/// Whether a file name's `_GOOS`, `_GOARCH` suffixes match linux/amd64.
fn name_ok(name: &str) -> bool {
    let stem = name.trim_end_matches(".go");
    let parts: Vec<&str> = stem.split('_').collect();
    if parts.len() >= 3 && KNOWN_OS.contains(&parts[parts.len() - 2]) && KNOWN_ARCH.contains(&parts[parts.len() - 1]) {
        return parts[parts.len() - 2] == GOOS && parts[parts.len() - 1] == goarch();
    }
    if parts.len() >= 2 {
        let last = parts[parts.len() - 1];
        if KNOWN_OS.contains(&last) {
            return last == GOOS;
        }
        if KNOWN_ARCH.contains(&last) {
            return last == goarch();
        }
    }
    true
}

/// Whether a source file's build constraint (a `//go:build` line before the package
/// clause) holds.
fn content_ok(src: &[u8]) -> bool {
    let text = String::from_utf8_lossy(&src[..src.len().min(8192)]);
    for line in text.lines() {
        let l = line.trim();
        if let Some(expr) = l.strip_prefix("//go:build ") {
            return eval_build(expr);
        }
        if l.starts_with("package ") {
            break;
        }
    }
    true
}

/// The GOROOT source directory.
pub(crate) fn goroot_src() -> PathBuf {
    PathBuf::from(crate::loader::DEFAULT_GOROOT).join("src")
}

/// The files of a standard package that build for linux/amd64 (sorted).
pub(crate) fn package_files(dir: &Path) -> Vec<PathBuf> {
    let Ok(rd) = std::fs::read_dir(dir) else { return Vec::new() };
    let mut files: Vec<PathBuf> = rd
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            let n = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
            n.ends_with(".go") && !n.ends_with("_test.go") && !n.starts_with('_') && !n.starts_with('.') && name_ok(n)
        })
        .filter(|p| std::fs::read(p).is_ok_and(|src| content_ok(&src)))
        .collect();
    files.sort();
    files
}

/// Checks standard packages (and their imports) into one world.
pub(crate) struct StdImporter {
    pub world: World,
    pub sources: SourceMap,
    pub packages: HashMap<String, Result<PackageId, String>>,
    /// Diagnostics per package path.
    pub diags: HashMap<String, Vec<Diagnostic>>,
    /// Parsed files per package path (kept for later stages).
    pub files: HashMap<String, Vec<File>>,
    /// Check results per package path.
    pub infos: HashMap<String, Info>,
    in_progress: Vec<String>,
}

impl StdImporter {
    /// An importer with an empty world.
    pub fn new() -> StdImporter {
        StdImporter {
            world: World::new(),
            sources: SourceMap::default(),
            packages: HashMap::new(),
            diags: HashMap::new(),
            files: HashMap::new(),
            infos: HashMap::new(),
            in_progress: Vec::new(),
        }
    }

    /// Resolves an import path as written in package `from` (vendored paths of std).
    fn resolve(&self, from: &str, path: &str) -> String {
        let _ = from;
        if goroot_src().join(path).is_dir() {
            return path.to_string();
        }
        let vendored = format!("vendor/{path}");
        if goroot_src().join(&vendored).is_dir() {
            return vendored;
        }
        path.to_string()
    }

    /// Checks package `path` (after its imports) unless done; returns it.
    pub fn check(&mut self, path: &str) -> Result<PackageId, String> {
        if let Some(r) = self.packages.get(path) {
            return r.clone();
        }
        if self.in_progress.iter().any(|p| p == path) {
            return Err(format!("import cycle through {path}"));
        }
        let dir = goroot_src().join(path);
        let paths = package_files(&dir);
        if paths.is_empty() {
            let e = format!("cannot find package {path:?}");
            self.packages.insert(path.to_string(), Err(e.clone()));
            return Err(e);
        }
        let mut files = Vec::new();
        for p in &paths {
            let src = std::fs::read(p).unwrap_or_default();
            // gc names standard library files $GOROOT/src/... in messages.
            let name = format!("$GOROOT/src/{}", p.strip_prefix(goroot_src()).unwrap_or(p).display());
            let id = self.sources.add(name, src.clone());
            let (f, errs) = parse_file(id, &src);
            if !errs.is_empty() {
                let e = format!("syntax errors in {}: {}", p.display(), errs[0].msg);
                self.packages.insert(path.to_string(), Err(e.clone()));
                return Err(e);
            }
            files.push(f);
        }
        // Import dependencies first.
        self.in_progress.push(path.to_string());
        for f in &files {
            for &d in &f[f.decls] {
                if let crate::syntax::ast::DeclKind::Import { path: Some(p), .. } = f[d].kind {
                    if let Some(text) = f.lit_text(p) {
                        if let Some(b) = constant::string_literal(text) {
                            let ip = String::from_utf8_lossy(&b).into_owned();
                            if ip != "unsafe" && ip != "C" {
                                let r = self.resolve(path, &ip);
                                let _ = self.check(&r);
                            }
                        }
                    }
                }
            }
        }
        self.in_progress.pop();
        let config = Config { path: path.to_string(), ..Config::default() };
        let mut map: HashMap<String, PackageId> = HashMap::new();
        for (k, v) in &self.packages {
            if let Ok(p) = v {
                map.insert(k.clone(), *p);
                if let Some(stripped) = k.strip_prefix("vendor/") {
                    map.insert(stripped.to_string(), *p);
                }
            }
        }
        if std::env::var("STDIMPORT_TRACE").is_ok() {
            eprintln!("checking {path}");
        }
        let (info, diags) = check_package(&mut self.world, &config, &files, &self.sources, &mut map);
        let pkg = info.pkg.ok_or_else(|| "no package".to_string());
        self.packages.insert(path.to_string(), pkg.clone());
        self.diags.insert(path.to_string(), diags);
        self.files.insert(path.to_string(), files);
        self.infos.insert(path.to_string(), info);
        pkg
    }
}

#[test]
fn build_constraints() {
    assert!(eval_build("linux && amd64"));
    assert!(!eval_build("!linux"));
    assert!(eval_build("(darwin || linux) && !386"));
    assert!(eval_build("go1.18"));
    assert!(!eval_build("cgo"));
    assert!(name_ok("file_linux_amd64.go") && !name_ok("file_windows.go") && !name_ok("x_arm64.go"));
    assert!(name_ok("zgoarch_amd64.go") && name_ok("plain.go"));
}
