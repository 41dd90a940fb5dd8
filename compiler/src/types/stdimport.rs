//! The checker's tests' importer: standard packages loaded by the package loader (for
//! linux/$STDIMPORT_GOARCH, default amd64) and checked with the driver's per-package
//! check, all into one world and one source map that the tests add their own files to.

use super::*;
use crate::diag::Diagnostic;
use crate::driver::typecheck;
use crate::loader::{self, Graph, PackageKind, Root};
use crate::syntax::ast::File;
use crate::syntax::pos::{FileId, SourceMap};
use std::collections::HashMap;
use std::path::PathBuf;

/// The build context of the target: linux/$STDIMPORT_GOARCH (default amd64).
fn build_context() -> loader::BuildContext {
    let goarch = std::env::var("STDIMPORT_GOARCH").unwrap_or_else(|_| "amd64".into());
    let target = crate::target::Target::from_go("linux", &goarch).unwrap_or_else(|e| panic!("{e}"));
    loader::BuildContext::for_target(PathBuf::from(loader::DEFAULT_GOROOT), target)
}

/// Checks standard packages (and their imports) into one world.
pub(crate) struct StdImporter {
    pub world: World,
    pub sources: SourceMap,
    pub packages: HashMap<String, Result<PackageId, String>>,
    /// Diagnostics per package path (parse-time and type errors).
    pub diags: HashMap<String, Vec<Diagnostic>>,
    /// Parsed files per package path (kept for later stages).
    pub files: HashMap<String, Vec<File>>,
    /// The files' paths per package path.
    pub paths: HashMap<String, Vec<PathBuf>>,
    /// Check results per package path.
    pub infos: HashMap<String, Info>,
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
            paths: HashMap::new(),
            infos: HashMap::new(),
        }
    }

    /// Loads and checks package `path` and its imports unless done; returns it.
    pub fn check(&mut self, path: &str) -> Result<PackageId, String> {
        if let Some(r) = self.packages.get(path) {
            return r.clone();
        }
        let opts = loader::Options { jobs: 1, ..loader::Options::default() };
        match loader::load_with(&build_context(), &[Root::Path(path.to_string())], &opts) {
            Ok(graph) => self.absorb(graph),
            Err(errors) => {
                let e = errors.iter().map(|e| e.to_string()).collect::<Vec<_>>().join("; ");
                self.packages.insert(path.to_string(), Err(e));
            }
        }
        self.packages.get(path).cloned().unwrap_or_else(|| Err(format!("{path}: not loaded")))
    }

    /// Checks the packages of `graph` not checked yet, dependencies first, moving their
    /// files into this importer's source map.
    fn absorb(&mut self, graph: Graph) {
        let parse = typecheck::parse_diagnostics_by_package(&graph);
        let Graph { sources, packages, .. } = graph;
        let graph_paths: Vec<String> = packages.iter().map(|p| p.path.clone()).collect();
        let goroot_src = PathBuf::from(loader::DEFAULT_GOROOT).join("src");
        for (mut pkg, mut diags) in packages.into_iter().zip(parse) {
            if pkg.kind == PackageKind::Unsafe || self.packages.contains_key(&pkg.path) {
                continue;
            }
            let mut renumbered: HashMap<FileId, FileId> = HashMap::new();
            for (f, path) in pkg.syntax.iter_mut().zip(&pkg.files) {
                // gc names standard library files $GOROOT/src/... in messages.
                let name = format!("$GOROOT/src/{}", path.strip_prefix(&goroot_src).unwrap_or(path).display());
                let id = self.sources.add(name, sources.file(f.file).src.clone());
                renumbered.insert(f.file, id);
                f.file = id;
            }
            diags.iter_mut().for_each(|d| d.file = renumbered[&d.file]);
            let result = if diags.iter().any(|d| d.msg.starts_with("syntax error")) {
                Err(format!("syntax errors in {}: {}", pkg.path, diags[0].msg))
            } else {
                let checked = &self.packages;
                let import = |dep: loader::PackageId| checked.get(&graph_paths[dep.index()]).and_then(|r| r.clone().ok());
                let (info, more) = typecheck::check_package(&mut self.world, &self.sources, &pkg, None, import);
                diags.extend(more);
                let result = info.pkg.ok_or_else(|| "no package".to_string());
                self.infos.insert(pkg.path.clone(), info);
                result
            };
            self.packages.insert(pkg.path.clone(), result);
            self.diags.insert(pkg.path.clone(), diags);
            self.paths.insert(pkg.path.clone(), std::mem::take(&mut pkg.files));
            self.files.insert(pkg.path, pkg.syntax);
        }
    }
}
