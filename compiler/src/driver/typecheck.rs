//! Type checking a loaded package graph: every package, dependencies first, into one
//! [`types::World`], each import resolved to the already-checked package the loader found
//! for it. Shared by `goclift check` and `goclift build`.
//!
//! Like `go build`, a package whose dependency failed is not checked (its errors would
//! only echo the dependency's), and a package with syntax errors is not type-checked
//! (gc stops after parsing then); its other parse-time errors (labels, directives) are
//! reported with its type errors.
//!
//! The packages are checked one after another: the world is one set of arenas that
//! every package adds to, so two packages cannot be checked at the same time. The
//! parallel part of the front end is the loader's (reading and parsing).

use crate::diag::Diagnostic;
use crate::loader::{self, Graph, PackageKind};
use crate::syntax::pos::SourceMap;
use crate::types;

/// The language version each package is checked against (gc's `-lang`).
#[derive(Clone, Debug, Default)]
pub struct LangPolicy {
    /// `-lang` from the command line: applies to the packages named on it.
    pub flag: Option<String>,
}

impl LangPolicy {
    /// The version for `pkg`: the standard library is checked at the newest version (as
    /// the go command compiles it), packages named on the command line at `-lang` if given,
    /// main-module packages at go.mod's `go` version, everything else at the newest.
    fn for_package(&self, graph: &Graph, id: loader::PackageId) -> Option<String> {
        let pkg = graph.package(id);
        if pkg.kind == PackageKind::Standard {
            return None;
        }
        if self.flag.is_some() && graph.roots.contains(&id) {
            return self.flag.clone();
        }
        let module = graph.main_module.as_ref().filter(|_| pkg.kind == PackageKind::Module);
        module.and_then(|m| m.go_version.as_ref()).map(|v| format!("go{v}"))
    }
}

/// The result of checking one package.
#[derive(Debug)]
pub enum Outcome {
    /// Not checked: a package it imports has errors (or it is `unsafe`).
    Skipped,
    /// Checked (or only parsed, after syntax errors); `diags` are all its errors,
    /// unsorted. `info` is None after syntax errors.
    Checked { info: Option<types::Info>, diags: Vec<Diagnostic> },
}

impl Outcome {
    /// Whether the package has errors or was skipped.
    pub fn failed(&self) -> bool {
        match self {
            Outcome::Skipped => true,
            Outcome::Checked { diags, .. } => !diags.is_empty(),
        }
    }
}

/// All packages of a graph, checked.
pub struct CheckedGraph {
    /// The types, objects and packages of every checked package.
    pub world: types::World,
    /// Per graph package (indexed like [`Graph::packages`]).
    pub outcomes: Vec<Outcome>,
    /// Per graph package: its package in the world, once checked.
    pub ids: Vec<Option<types::PackageId>>,
}

/// Checks every package of `graph` in dependency order (on a thread with the checker's
/// large stack).
pub fn check_graph(graph: &Graph, lang: &LangPolicy) -> CheckedGraph {
    std::thread::scope(|s| {
        std::thread::Builder::new()
            .stack_size(types::CHECKER_STACK_SIZE)
            .spawn_scoped(s, || check_in_order(graph, lang))
            .expect("spawning the type checker's thread")
            .join()
            .unwrap_or_else(|p| std::panic::resume_unwind(p))
    })
}

fn check_in_order(graph: &Graph, lang: &LangPolicy) -> CheckedGraph {
    let n = graph.packages.len();
    let parse_diags = parse_diagnostics_by_package(graph);
    let mut checked = CheckedGraph { world: types::World::new(), outcomes: Vec::with_capacity(n), ids: vec![None; n] };
    for (i, parse) in parse_diags.into_iter().enumerate() {
        let id = loader::PackageId(i as u32);
        let pkg = graph.package(id);
        let dep_failed = pkg.imports.values().any(|d| checked.outcomes[d.index()].failed() && !is_unsafe(graph, *d));
        let outcome = if pkg.kind == PackageKind::Unsafe || dep_failed {
            Outcome::Skipped
        } else if parse.iter().any(|d| d.msg.starts_with("syntax error")) {
            Outcome::Checked { info: None, diags: parse }
        } else {
            let (info, diags) = check_one(&mut checked, graph, id, lang.for_package(graph, id), parse);
            checked.ids[i] = info.pkg;
            Outcome::Checked { info: Some(info), diags }
        };
        checked.outcomes.push(outcome);
    }
    checked
}

fn is_unsafe(graph: &Graph, id: loader::PackageId) -> bool {
    graph.package(id).kind == PackageKind::Unsafe
}

/// Checks package `id`, whose imports are all checked, with `parse` its parse-time errors.
fn check_one(
    checked: &mut CheckedGraph,
    graph: &Graph,
    id: loader::PackageId,
    go_version: Option<String>,
    mut parse: Vec<Diagnostic>,
) -> (types::Info, Vec<Diagnostic>) {
    let ids = &checked.ids;
    let import = |dep: loader::PackageId| ids[dep.index()];
    let (info, diags) = check_package(&mut checked.world, &graph.sources, graph.package(id), go_version, import);
    parse.extend(diags);
    (info, parse)
}

/// Checks the loaded package `pkg` (whose file ids index `sources`) into `world`;
/// `import` gives the checked package of each of its imports (None: not checked). Returns
/// the results and the type errors (unsorted).
pub fn check_package(
    world: &mut types::World,
    sources: &SourceMap,
    pkg: &loader::Package,
    go_version: Option<String>,
    import: impl Fn(loader::PackageId) -> Option<types::PackageId>,
) -> (types::Info, Vec<Diagnostic>) {
    // The go command compiles a main package with -p main.
    let path = if pkg.name == "main" { "main".to_string() } else { pkg.path.clone() };
    let config = types::Config { path, go_version, ..types::Config::default() };
    let mut importer = |_: &mut types::World, written: &str| -> Result<types::PackageId, String> {
        let dep = pkg.imports.get(written).ok_or_else(|| unloaded_import(written))?;
        import(*dep).ok_or_else(|| format!("package {written:?} was not checked"))
    };
    types::check_package(world, &config, &pkg.syntax, sources, &mut importer)
}

/// Why an import the loader left to the compiler (see `loader::resolve::left_to_compiler`)
/// cannot be imported, in the words of gc's importer.
fn unloaded_import(path: &str) -> String {
    let clean = loader::resolve::clean_path(path);
    if path.starts_with('/') {
        "import path cannot be absolute path".to_string()
    } else if clean != path {
        format!("non-canonical import path {path:?} (should be {clean:?})")
    } else {
        format!("cannot find package {path:?}")
    }
}

/// The graph's parse-time errors split by package (files are numbered package by package).
pub fn parse_diagnostics_by_package(graph: &Graph) -> Vec<Vec<Diagnostic>> {
    let mut owner = Vec::with_capacity(graph.file_count());
    for (i, p) in graph.packages.iter().enumerate() {
        owner.extend(std::iter::repeat(i).take(p.syntax.len()));
    }
    let mut by_package = vec![Vec::new(); graph.packages.len()];
    for d in &graph.syntax_errors {
        by_package[owner[d.file.0 as usize]].push(d.clone());
    }
    by_package
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::loader::{BuildContext, Root};
    use crate::target::Target;

    fn load(dir: &std::path::Path, roots: &[Root]) -> Graph {
        let goroot = loader::find_goroot().unwrap();
        let ctx = BuildContext::for_target(goroot, Target::from_go("linux", "amd64").unwrap());
        let opts = loader::Options { jobs: 2, cwd: dir.to_path_buf() };
        loader::load_with(&ctx, roots, &opts).unwrap()
    }

    fn errors_of(graph: &Graph, checked: &CheckedGraph, id: loader::PackageId) -> String {
        match &checked.outcomes[id.index()] {
            Outcome::Skipped => "skipped".into(),
            Outcome::Checked { diags, .. } => crate::diag::render(&graph.sources, &[], diags, true),
        }
    }

    #[test]
    fn imports_resolve_to_checked_packages() {
        let dir = tempfile::tempdir().unwrap();
        let src = "package main\n\nimport \"strings\"\n\nfunc main() { var n int = strings.ToUpper(\"x\"); _ = n }\n";
        std::fs::write(dir.path().join("a.go"), src).unwrap();
        let graph = load(dir.path(), &[Root::Files(vec![dir.path().join("a.go")])]);
        let checked = check_graph(&graph, &LangPolicy::default());
        let root = graph.roots[0];
        let want = format!(
            "{}:5:27: cannot use strings.ToUpper(\"x\") (value of type string) as type int in variable declaration\n",
            dir.path().join("a.go").display()
        );
        assert_eq!(errors_of(&graph, &checked, root), want);
        let strings = graph.find("strings").unwrap();
        assert_eq!(errors_of(&graph, &checked, strings), "");
        assert!(checked.ids[strings.index()].is_some());
    }

    #[test]
    fn dependents_of_a_failed_package_are_skipped() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("go.mod"), "module m\n\ngo 1.17\n").unwrap();
        std::fs::create_dir(dir.path().join("lib")).unwrap();
        std::fs::write(dir.path().join("lib/lib.go"), "package lib\n\nvar X int = \"s\"\n").unwrap();
        std::fs::write(dir.path().join("main.go"), "package main\n\nimport \"m/lib\"\n\nfunc main() { _ = lib.X }\n")
            .unwrap();
        let graph = load(dir.path(), &[Root::Dir(dir.path().to_path_buf())]);
        let checked = check_graph(&graph, &LangPolicy::default());
        let lib = graph.find("m/lib").unwrap();
        assert!(errors_of(&graph, &checked, lib).contains("cannot use \"s\""));
        assert_eq!(errors_of(&graph, &checked, graph.roots[0]), "skipped");
    }

    #[test]
    fn malformed_import_paths_are_reported_as_gc_reports_them() {
        let dir = tempfile::tempdir().unwrap();
        let src = "package p\n\nimport (\n\t\"\"\n\t\"a b\"\n\t\"/abs\"\n\t\"unicode//utf8\"\n)\n";
        std::fs::write(dir.path().join("p.go"), src).unwrap();
        let graph = load(dir.path(), &[Root::Files(vec![dir.path().join("p.go")])]);
        let checked = check_graph(&graph, &LangPolicy::default());
        let p = dir.path().join("p.go").display().to_string();
        let want = [
            format!("{p}:4:2: invalid import path (empty string)"),
            format!("{p}:5:2: invalid import path (invalid character U+0020 ' ')"),
            format!("{p}:6:2: could not import /abs (import path cannot be absolute path)"),
            format!("{p}:7:2: could not import unicode//utf8 (non-canonical import path \"unicode//utf8\" (should be \"unicode/utf8\"))"),
        ];
        assert_eq!(errors_of(&graph, &checked, graph.roots[0]), want.map(|l| l + "\n").concat());
    }

    #[test]
    fn lang_applies_to_roots_and_module_packages() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("go.mod"), "module m\n\ngo 1.17\n").unwrap();
        std::fs::write(dir.path().join("a.go"), "package a\n\nfunc F[T any]() {}\n").unwrap();
        let graph = load(dir.path(), &[Root::Dir(dir.path().to_path_buf())]);
        let module_version = check_graph(&graph, &LangPolicy::default());
        assert!(errors_of(&graph, &module_version, graph.roots[0]).contains("requires go1.18"));
        let newest = check_graph(&graph, &LangPolicy { flag: Some("go1.18".into()) });
        assert_eq!(errors_of(&graph, &newest, graph.roots[0]), "");
    }
}
