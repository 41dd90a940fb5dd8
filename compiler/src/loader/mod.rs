//! Finding the inputs of a build: GOROOT, the main module, and the packages of the build
//! with their parsed files, as gc 1.19's go command finds them.
//!
//! # Use
//!
//! ```no_run
//! use goclift::loader::{self, BuildContext, Root};
//! use goclift::target::Target;
//! let goroot = loader::find_goroot().unwrap();
//! let ctx = BuildContext::for_target(goroot, Target::host());
//! let roots = Root::from_args(&["./cmd/tool".to_string()]);
//! match loader::load(&ctx, &roots) {
//!     Ok(graph) => {
//!         for level in graph.levels() {
//!             // the packages of one level can be checked in parallel
//!             for id in level {
//!                 let pkg = graph.package(id);
//!                 let _ = (&pkg.path, &pkg.syntax, &pkg.imports, &graph.sources);
//!             }
//!         }
//!     }
//!     Err(errors) => errors.iter().for_each(|e| eprintln!("{e}")),
//! }
//! ```
//!
//! [`load`] starts from [`Root`]s (files, a directory, import paths, or `std`), resolves
//! imports transitively ([`resolve`] has the rules: GOROOT/src, std's vendored packages,
//! the main module found from go.mod), selects each package's files by the target's build
//! constraints ([`BuildContext`], [`constraint`]), parses every selected file once, on
//! several threads, and returns a [`Graph`]: the packages in dependency order, each with
//! its files, syntax trees and import map, all files numbered in one [`SourceMap`]. Load
//! problems (missing packages, import cycles, directories without buildable files,
//! forbidden internal imports) come back as [`LoadError`]s worded as the go command words
//! them; syntax errors are left in [`Graph::syntax_errors`] for the caller to print.
//!
//! [`SourceMap`]: crate::syntax::pos::SourceMap

pub mod constraint;
mod context;
mod error;
mod graph;
mod load;
mod module;
pub mod resolve;
mod scan;
mod std_walk;

pub use context::{BuildContext, FileHeader, GO_MINOR_VERSION};
pub use error::{ErrorKind, LoadError};
pub use graph::{Graph, Package, PackageId};
pub use load::directive_rules;
pub use module::Module;
pub use resolve::PackageKind;

use graph::RootSlot;
use load::{Loader, Problem, Slot};
use resolve::{Location, Resolver};
use std::path::{Path, PathBuf};

/// Where Debian's golang-1.19-src installs the standard library sources and Go's test/ tree.
pub const DEFAULT_GOROOT: &str = "/usr/lib/go-1.19";

/// GOROOT: `$GOROOT` if set, else [`DEFAULT_GOROOT`]; an error sentence saying what to install
/// when it has no standard library sources.
pub fn find_goroot() -> Result<PathBuf, String> {
    let (root, from_env) = match std::env::var_os("GOROOT").filter(|v| !v.is_empty()) {
        Some(v) => (PathBuf::from(v), true),
        None => (PathBuf::from(DEFAULT_GOROOT), false),
    };
    if root.join("src/runtime").is_dir() {
        return Ok(root);
    }
    let how = if from_env { "GOROOT is set to" } else { "the default GOROOT is" };
    Err(format!(
        "cannot find the Go 1.19 standard library: {how} {} but it has no src/runtime; \
         install it with `apt-get install golang-1.19-src` (or run `make setup`), or set GOROOT",
        root.display()
    ))
}

/// goclift's own Go packages (go/ in its source tree), which replace GOROOT's packages of
/// the same path in builds: `$GOCLIFT_GO` if set, else go/ beside the build directory of
/// the running executable (target/release/goclift), else the source tree it was built from.
pub fn find_overlay() -> Result<PathBuf, String> {
    let mut candidates = Vec::new();
    if let Some(dir) = std::env::var_os("GOCLIFT_GO").filter(|v| !v.is_empty()) {
        candidates.push(PathBuf::from(dir));
    }
    if let Some(exe_dir) = std::env::current_exe().ok().and_then(|e| e.parent().map(std::path::Path::to_path_buf)) {
        candidates.push(exe_dir.join("../../go"));
    }
    candidates.push(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../go"));
    candidates.iter().find(|d| d.join("runtime").is_dir()).cloned().ok_or_else(|| {
        let looked: Vec<String> = candidates.iter().map(|c| c.display().to_string()).collect();
        format!("cannot find goclift's own Go packages (looked in {}); set GOCLIFT_GO to the go/ directory of the goclift source tree", looked.join(", "))
    })
}

/// What to load: the packages named on a command line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Root {
    /// .go files named on the command line, all in one directory: the package
    /// `command-line-arguments`. Build constraints do not apply to them (as with `go run
    /// gen.go` for a file marked `//go:build ignore`).
    Files(Vec<PathBuf>),
    /// A package directory. Its import path comes from GOROOT/src or the main module; a
    /// directory outside both is named `_/abs/dir` (as the go command names directories
    /// outside GOPATH) rather than refused, so loose programs build without a go.mod.
    Dir(PathBuf),
    /// An import path (`fmt`, `example.com/m/sub`).
    Path(String),
    /// Every standard-library package buildable for the target, as `go list std` lists
    /// them (std's vendored packages included, cmd excluded); packages that have only test
    /// files for the target (`embed/internal/embedtest`) are listed by [`std_packages`] but
    /// have nothing to load.
    Std,
}

impl Root {
    /// Classifies command-line words as the go command does: if the first ends in `.go`
    /// they are all files of one package; `std` is the standard library; `.`, `..`, and
    /// paths starting with `./`, `../` or `/` are directories; anything else is an import
    /// path. No words means the current directory.
    pub fn from_args(args: &[String]) -> Vec<Root> {
        if args.is_empty() {
            return vec![Root::Dir(PathBuf::from("."))];
        }
        if args[0].ends_with(".go") {
            return vec![Root::Files(args.iter().map(PathBuf::from).collect())];
        }
        args.iter()
            .map(|a| match a.as_str() {
                "std" => Root::Std,
                a if resolve::is_local_import(a) || a.starts_with('/') => Root::Dir(PathBuf::from(a)),
                a => Root::Path(a.to_string()),
            })
            .collect()
    }
}

/// How to run a load.
#[derive(Clone, Debug)]
pub struct Options {
    /// Threads reading and parsing files (1: the calling thread only).
    pub jobs: usize,
    /// The directory relative paths are resolved against and error positions are shown
    /// relative to (the go command's working directory).
    pub cwd: PathBuf,
}

impl Default for Options {
    /// One thread per CPU, the process's working directory.
    fn default() -> Options {
        Options {
            jobs: std::thread::available_parallelism().map_or(1, |n| n.get()),
            cwd: std::env::current_dir().unwrap_or_else(|_| PathBuf::from("/")),
        }
    }
}

/// Loads the packages named by `roots` and everything they import, with default
/// [`Options`].
pub fn load(ctx: &BuildContext, roots: &[Root]) -> Result<Graph, Vec<LoadError>> {
    load_with(ctx, roots, &Options::default())
}

/// [`load`] with explicit options.
pub fn load_with(ctx: &BuildContext, roots: &[Root], opts: &Options) -> Result<Graph, Vec<LoadError>> {
    let loaded = run_loader(ctx, roots, opts)?;
    graph::assemble(ctx, loaded.slots, &loaded.roots, loaded.module, loaded.errors)
}

/// The standard library's packages for the target, sorted: the list `go list std` prints
/// with `CGO_ENABLED=0` (it loads and parses all of std to find out).
pub fn std_packages(ctx: &BuildContext, opts: &Options) -> Result<Vec<String>, Vec<LoadError>> {
    let loaded = run_loader(ctx, &[Root::Std], opts)?;
    let mut list: Vec<String> = loaded
        .roots
        .iter()
        .map(|r| &loaded.slots[r.slot])
        .filter(|s| match &s.problem {
            None => true,
            Some(Problem::NoGoFiles { has_tests, .. }) => *has_tests,
            Some(Problem::AtImport(..)) => true,
        })
        .map(|s| s.loc.path.clone())
        .collect();
    list.sort();
    Ok(list)
}

/// The slots after loading, the roots among them, the main module, and the errors found
/// while turning the roots into packages.
struct Loaded {
    slots: Vec<Slot>,
    roots: Vec<RootSlot>,
    module: Option<Module>,
    errors: Vec<LoadError>,
}

fn run_loader(ctx: &BuildContext, roots: &[Root], opts: &Options) -> Result<Loaded, Vec<LoadError>> {
    let cwd = &opts.cwd;
    let module = Module::find(&module_search_start(cwd, roots)).map_err(|e| vec![bad_arg(e)])?;
    let resolver = Resolver { ctx, module: module.as_ref() };
    let loader = Loader::new(ctx, Resolver { ctx, module: module.as_ref() }, cwd.clone());
    let mut root_slots = Vec::new();
    let mut errors = Vec::new();
    for root in roots {
        match root_slots_of(ctx, &resolver, cwd, root) {
            Ok(slots) => root_slots.extend(slots.into_iter().map(|s| RootSlot { slot: loader.add(s) })),
            Err(e) => errors.push(e),
        }
    }
    loader.run(opts.jobs.max(1));
    drop(resolver);
    Ok(Loaded { slots: loader.into_slots(), roots: root_slots, module, errors })
}

/// Where to look for go.mod: the directory of the first directory or files root, else
/// the working directory.
fn module_search_start(cwd: &Path, roots: &[Root]) -> PathBuf {
    let dir = roots.iter().find_map(|r| match r {
        Root::Dir(d) => Some(d.clone()),
        Root::Files(files) => files.first().and_then(|f| f.parent()).map(Path::to_path_buf),
        _ => None,
    });
    load::normalize(&cwd.join(dir.unwrap_or_default()))
}

/// The package slots a root names (many for `std`).
fn root_slots_of(ctx: &BuildContext, resolver: &Resolver, cwd: &Path, root: &Root) -> Result<Vec<Slot>, LoadError> {
    match root {
        Root::Files(files) => Ok(vec![files_slot(resolver, cwd, files)?]),
        Root::Dir(dir) => {
            let abs = load::normalize(&cwd.join(dir));
            if !abs.is_dir() {
                return Err(bad_arg(format!("stat {}: directory not found", abs.display())));
            }
            Ok(vec![Slot::new(resolver.locate_dir(&abs))])
        }
        Root::Path(path) => match resolver.resolve(None, path) {
            Ok(loc) => Ok(vec![Slot::new(loc)]),
            Err((kind, msg)) => Err(LoadError::plain(kind, msg)),
        },
        Root::Std => Ok(std_walk::std_dirs(ctx)
            .into_iter()
            .map(|(path, dir)| {
                let mut slot = Slot::new(Location { path, dir, kind: PackageKind::Standard });
                slot.std_candidate = true;
                slot
            })
            .collect()),
    }
}

/// The `command-line-arguments` package of .go files named on the command line.
fn files_slot(resolver: &Resolver, cwd: &Path, files: &[PathBuf]) -> Result<Slot, LoadError> {
    let mut dir: Option<&Path> = None;
    for f in files {
        if f.extension().and_then(|e| e.to_str()) != Some("go") {
            return Err(bad_arg(format!("named files must be .go files: {}", f.display())));
        }
        match std::fs::metadata(cwd.join(f)) {
            Err(e) => return Err(bad_arg(format!("stat {}: {}", f.display(), io_message(&e)))),
            Ok(m) if m.is_dir() => return Err(bad_arg(format!("{} is a directory, should be a Go file", f.display()))),
            Ok(_) => {}
        }
        let parent = f.parent().unwrap_or(Path::new(""));
        match dir {
            None => dir = Some(parent),
            Some(d) if load::normalize(&cwd.join(d)) != load::normalize(&cwd.join(parent)) => {
                let msg = format!(
                    "named files must all be in one directory; have {} and {}",
                    shown_dir(d),
                    shown_dir(parent)
                );
                return Err(bad_arg(msg));
            }
            Some(_) => {}
        }
    }
    let abs_dir = load::normalize(&cwd.join(dir.unwrap_or(Path::new(""))));
    let dir_path = resolver.locate_dir(&abs_dir).path;
    let loc = Location { path: "command-line-arguments".into(), dir: abs_dir, kind: PackageKind::Local };
    let mut slot = Slot::new(loc);
    slot.named_files = Some(files.to_vec());
    slot.dir_path = dir_path;
    Ok(slot)
}

/// A directory as Go's filepath.Dir shows it (`.` for a bare file name).
fn shown_dir(d: &Path) -> String {
    if d.as_os_str().is_empty() {
        ".".to_string()
    } else {
        d.display().to_string()
    }
}

/// An io::Error's message without Rust's " (os error N)" suffix, as Go prints it.
fn io_message(e: &std::io::Error) -> String {
    let s = e.to_string();
    match s.find(" (os error") {
        Some(i) => s[..i].to_lowercase(),
        None => s,
    }
}

fn bad_arg(msg: String) -> LoadError {
    LoadError::plain(ErrorKind::BadArgument, msg)
}

#[cfg(test)]
mod load_tests;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_goroot_says_what_to_install() {
        std::env::set_var("GOROOT", "/nonexistent/goroot");
        let err = find_goroot().unwrap_err();
        std::env::remove_var("GOROOT");
        assert!(err.contains("golang-1.19-src") && err.contains("/nonexistent/goroot"), "{err}");
    }
}
