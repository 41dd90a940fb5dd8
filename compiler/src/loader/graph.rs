//! The package graph: packages in dependency order, assembled from the loaded slots by a
//! depth-first walk from the roots that also finds import cycles and forbidden imports
//! and reports each problem with its import stack, as the go command does.

use super::context::BuildContext;
use super::error::{ErrorKind, LoadError};
use super::load::{Problem, Slot};
use super::module::Module;
use super::resolve::{has_path_prefix, internal_parent, vendor_parent, PackageKind};
use crate::diag::Diagnostic;
use crate::syntax::ast;
use crate::syntax::pos::SourceMap;
use std::collections::{BTreeMap, HashSet};
use std::path::PathBuf;

/// The index of a package in [`Graph::packages`]. Dependencies have smaller indices than
/// their importers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PackageId(pub u32);

impl PackageId {
    /// The position in [`Graph::packages`].
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

/// One loaded package.
#[derive(Debug)]
pub struct Package {
    /// The import path (`fmt`, `vendor/golang.org/x/net/idna`, `example.com/m/sub`;
    /// `command-line-arguments` for files named on the command line).
    pub path: String,
    /// The package name from the package clauses (`main`, `fmt`).
    pub name: String,
    /// The package directory (absolute).
    pub dir: PathBuf,
    /// Standard library, main module, command line, or `unsafe`.
    pub kind: PackageKind,
    /// The buildable .go files, sorted by name (none for `unsafe`).
    pub files: Vec<PathBuf>,
    /// The parsed files, parallel to `files`; each file's `file` id indexes
    /// [`Graph::sources`].
    pub syntax: Vec<ast::File>,
    /// The imports: the path as written in the source → the package it names (the vendored
    /// copy for std's `golang.org/x/...` imports; `unsafe` is a package without files).
    pub imports: BTreeMap<String, PackageId>,
    /// 0 for a package without imports, else one more than its highest import: packages
    /// of one level do not depend on each other.
    pub level: u32,
}

/// The loaded packages of a build.
#[derive(Debug, Default)]
pub struct Graph {
    /// Every parsed file, numbered package by package in [`Graph::packages`] order.
    pub sources: SourceMap,
    /// All packages, dependencies before the packages that import them.
    pub packages: Vec<Package>,
    /// The packages named by the roots, in the order given (`std` in path order).
    pub roots: Vec<PackageId>,
    /// The main module, if a go.mod was found.
    pub main_module: Option<Module>,
    /// The syntax errors of all files, in file order.
    pub syntax_errors: Vec<Diagnostic>,
}

impl Graph {
    /// The package with id `id`.
    pub fn package(&self, id: PackageId) -> &Package {
        &self.packages[id.index()]
    }

    /// The package with import path `path`, if loaded.
    pub fn find(&self, path: &str) -> Option<PackageId> {
        self.packages.iter().position(|p| p.path == path).map(|i| PackageId(i as u32))
    }

    /// The packages grouped by [`Package::level`]: each group depends only on earlier
    /// groups, so the packages of a group can be checked in parallel.
    pub fn levels(&self) -> Vec<Vec<PackageId>> {
        let mut levels: Vec<Vec<PackageId>> = Vec::new();
        for (i, p) in self.packages.iter().enumerate() {
            let l = p.level as usize;
            if levels.len() <= l {
                levels.resize_with(l + 1, Vec::new);
            }
            levels[l].push(PackageId(i as u32));
        }
        levels
    }

    /// The number of parsed files.
    pub fn file_count(&self) -> usize {
        self.packages.iter().map(|p| p.files.len()).sum()
    }
}

/// The slot of a package named as a root (roots from the `std` walk are marked in their
/// slot: those without buildable files are skipped quietly).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct RootSlot {
    pub slot: usize,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Mark {
    New,
    OnStack,
    Done,
}

/// The depth-first walk over the slots.
struct Walk<'a> {
    ctx: &'a BuildContext,
    slots: &'a [Slot],
    marks: Vec<Mark>,
    /// Slot indices in dependency order.
    order: Vec<usize>,
    stack: Vec<String>,
    errors: Vec<LoadError>,
    /// Slots whose own problem was already reported (once, like the go command).
    reported: Vec<bool>,
    /// Import paths that did not resolve, reported once (at the first import met).
    unresolved: HashSet<&'a str>,
}

/// Orders the slots reachable from `roots`, checks every import, and builds the graph;
/// all problems found if there are any.
pub(super) fn assemble(
    ctx: &BuildContext,
    slots: Vec<Slot>,
    roots: &[RootSlot],
    main_module: Option<Module>,
    mut errors: Vec<LoadError>,
) -> Result<Graph, Vec<LoadError>> {
    let n = slots.len();
    let mut walk = Walk {
        ctx,
        slots: &slots,
        marks: vec![Mark::New; n],
        order: Vec::new(),
        stack: Vec::new(),
        errors: Vec::new(),
        reported: vec![false; n],
        unresolved: HashSet::new(),
    };
    let mut root_slots = Vec::new();
    for root in roots {
        if walk.root(root.slot) {
            root_slots.push(root.slot);
        }
    }
    errors.append(&mut walk.errors);
    if !errors.is_empty() {
        return Err(errors);
    }
    let order = walk.order;
    let mut new_id = vec![u32::MAX; n];
    for (i, &s) in order.iter().enumerate() {
        new_id[s] = i as u32;
    }
    let mut graph = Graph { main_module, ..Graph::default() };
    let mut slots: Vec<Option<Slot>> = slots.into_iter().map(Some).collect();
    for &s in &order {
        let slot = slots[s].take().expect("each slot is ordered once");
        let package = into_package(slot, &new_id, &mut graph);
        graph.packages.push(package);
    }
    graph.roots = root_slots.iter().map(|&s| PackageId(new_id[s])).collect();
    Ok(graph)
}

/// Moves a slot's files into the graph's source map (numbering them) and makes the package.
fn into_package(slot: Slot, new_id: &[u32], graph: &mut Graph) -> Package {
    let mut files = Vec::with_capacity(slot.files.len());
    let mut syntax = Vec::with_capacity(slot.files.len());
    for f in slot.files {
        let id = graph.sources.add(f.shown, f.src);
        let mut ast = f.ast.expect("every kept file is parsed");
        ast.file = id;
        graph.syntax_errors.extend(f.errors.into_iter().map(|e| Diagnostic { file: id, pos: e.pos, msg: e.msg }));
        files.push(f.path);
        syntax.push(ast);
    }
    let imports: BTreeMap<String, PackageId> = slot
        .edges
        .iter()
        .map(|e| (e.written.clone(), PackageId(new_id[*e.target.as_ref().expect("resolved")])))
        .collect();
    let level = imports.values().map(|d| graph.packages[d.index()].level + 1).max().unwrap_or(0);
    Package {
        path: slot.loc.path,
        name: slot.name,
        dir: slot.loc.dir,
        kind: slot.loc.kind,
        files,
        syntax,
        imports,
        level,
    }
}

impl<'a> Walk<'a> {
    /// Walks from a root; false if the root is left out of the graph.
    fn root(&mut self, s: usize) -> bool {
        let slot = &self.slots[s];
        if let Some(problem) = &slot.problem {
            if slot.std_candidate && matches!(problem, Problem::NoGoFiles { .. }) {
                return false; // not a std package for this target, or tests only
            }
            if !self.reported[s] {
                self.reported[s] = true;
                self.errors.push(root_problem(&slot.loc.path, problem));
            }
            return false;
        }
        self.stack.push(slot.loc.path.clone());
        self.visit(s);
        self.stack.pop();
        true
    }

    /// Visits slot `s` (whose path is on top of the stack) and everything it imports.
    fn visit(&mut self, s: usize) {
        if self.marks[s] != Mark::New {
            return;
        }
        self.marks[s] = Mark::OnStack;
        let slots = self.slots;
        for edge in &slots[s].edges {
            let target = match &edge.target {
                Ok(t) => *t,
                Err((kind, msg)) => {
                    if self.unresolved.insert(&edge.written) {
                        self.errors.push(LoadError::at(Some(edge.pos.clone()), *kind, msg.clone()));
                    }
                    continue;
                }
            };
            if let Some(err) = self.check_import(s, target, &edge.written, &edge.pos) {
                self.errors.push(err);
                continue;
            }
            let path = self.slots[target].loc.path.clone();
            self.stack.push(path);
            self.follow(target, &edge.pos);
            self.stack.pop();
        }
        self.marks[s] = Mark::Done;
        self.order.push(s);
    }

    /// Goes on to an imported slot (its path on top of the stack): reports a cycle or the
    /// slot's problem, else visits it.
    fn follow(&mut self, target: usize, pos: &str) {
        match self.marks[target] {
            Mark::Done => return,
            Mark::OnStack => {
                if !std::mem::replace(&mut self.reported[target], true) {
                    let msg = "import cycle not allowed".to_string();
                    self.errors.push(LoadError::with_stack(self.stack.clone(), ErrorKind::ImportCycle, msg));
                }
                return;
            }
            Mark::New => {}
        }
        let Some(problem) = &self.slots[target].problem else {
            self.visit(target);
            return;
        };
        if std::mem::replace(&mut self.reported[target], true) {
            return;
        }
        let err = match problem {
            Problem::NoGoFiles { msg, .. } => {
                LoadError::with_stack(self.stack.clone(), ErrorKind::NoGoFiles, msg.clone())
            }
            Problem::AtImport(kind, msg) => LoadError::at(Some(pos.to_string()), *kind, msg.clone()),
        };
        self.errors.push(err);
    }

    /// The go command's rules on what `importer` may import as `written`: internal
    /// packages only from within their parent's tree, vendored packages likewise and never
    /// by their vendor/ path, and no main packages.
    fn check_import(&self, importer: usize, target: usize, written: &str, pos: &str) -> Option<LoadError> {
        let (from, to) = (&self.slots[importer], &self.slots[target]);
        let pos = Some(pos.to_string());
        if let Some(parent) = internal_parent(&to.loc.path) {
            if !self.may_see(from, to, parent) {
                let msg = format!("use of internal package {} not allowed", to.loc.path);
                // The stack ends with the importer, as the go command prints it.
                let stack = self.stack.clone();
                return Some(LoadError { stack, pos, always_stack: true, kind: ErrorKind::NotAllowed, msg });
            }
        }
        if let Some(parent) = vendor_parent(&to.loc.path) {
            if !self.may_see(from, to, parent) {
                return Some(LoadError::at(pos, ErrorKind::NotAllowed, "use of vendored package not allowed".into()));
            }
        }
        if let Some(parent) = vendor_parent(written) {
            let plain = &written[parent.len() + if parent.is_empty() { 7 } else { 8 }..];
            let msg = format!("{written} must be imported as {plain}");
            return Some(LoadError::at(pos, ErrorKind::NotAllowed, msg));
        }
        if to.problem.is_none() && to.name == "main" && to.loc.dir != from.loc.dir {
            let msg = format!("import {written:?} is a program, not an importable package");
            return Some(LoadError::at(pos, ErrorKind::NotAllowed, msg));
        }
        None
    }

    /// Whether `from` lies in the tree of `to`'s ancestor package path `parent`: by
    /// directory for GOROOT packages, by import path for module packages.
    fn may_see(&self, from: &Slot, to: &Slot, parent: &str) -> bool {
        if to.loc.kind == PackageKind::Standard {
            // A standard package replaced by goclift's own (go/, decision 36) lives outside
            // GOROOT: its import path stands for its place in the tree.
            if from.loc.kind == PackageKind::Standard && (parent.is_empty() || has_path_prefix(&from.loc.path, parent)) {
                return true;
            }
            let parent_dir = self.ctx.goroot_src().join(parent);
            return from.loc.dir.starts_with(parent_dir);
        }
        has_path_prefix(&from.dir_path, parent)
    }
}

/// The error for a problem of a package named on the command line.
fn root_problem(path: &str, problem: &Problem) -> LoadError {
    match problem {
        Problem::NoGoFiles { excluded: true, msg, .. } => {
            LoadError::with_stack(vec![path.to_string()], ErrorKind::NoGoFiles, msg.clone())
        }
        Problem::NoGoFiles { msg, .. } => LoadError::plain(ErrorKind::NoGoFiles, msg.clone()),
        Problem::AtImport(kind, msg) => LoadError::plain(*kind, msg.clone()),
    }
}
