//! A small GOROOT importer for the checker's tests (the real one is the package loader):
//! finds a standard package's files for the target with the loader's build context, and checks packages recursively in dependency order.

use super::*;
use crate::diag::Diagnostic;
use crate::syntax::ast::File;
use crate::syntax::parser::parse_file;
use crate::syntax::pos::SourceMap;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// The build context of the target: linux/$STDIMPORT_GOARCH (default amd64), as the package
/// loader selects files (go/build's rules, cgo off).
fn build_context() -> crate::loader::BuildContext {
    let goarch = std::env::var("STDIMPORT_GOARCH").unwrap_or_else(|_| "amd64".into());
    let target = crate::target::Target::from_go("linux", &goarch).unwrap_or_else(|e| panic!("{e}"));
    crate::loader::BuildContext::for_target(PathBuf::from(crate::loader::DEFAULT_GOROOT), target)
}

/// The GOROOT source directory.
pub(crate) fn goroot_src() -> PathBuf {
    PathBuf::from(crate::loader::DEFAULT_GOROOT).join("src")
}

/// The files of a standard package that build for linux/amd64 (sorted).
pub(crate) fn package_files(dir: &Path) -> Vec<PathBuf> {
    let ctx = build_context();
    let Ok(rd) = std::fs::read_dir(dir) else { return Vec::new() };
    let mut files: Vec<PathBuf> = rd
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            let n = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
            n.ends_with(".go")
                && !n.ends_with("_test.go")
                && !n.starts_with('_')
                && !n.starts_with('.')
                && ctx.good_os_arch_file(n)
        })
        .filter(|p| std::fs::read(p).is_ok_and(|src| ctx.should_build(&src).unwrap_or(false)))
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
