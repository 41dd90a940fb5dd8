//! The front-end stages as the driver runs them: loading and parsing packages (in
//! parallel), type checking them in dependency order, and building the IR; diagnostics
//! printed as gc does.

use super::cli::CheckArgs;
use super::Failure;
use crate::diag::{self, Diagnostic};
use crate::ir;
use crate::syntax::ast;
use crate::syntax::directives::DirectiveRules;
use crate::syntax::parse_and_check_in;
use crate::syntax::pos::{FileId, SourceMap};
use crate::target::Target;
use super::typecheck::{self, CheckedGraph, Outcome};
use crate::loader;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

/// The checked and lowered main package.
pub struct Frontend {
    pub sources: SourceMap,
    pub package: String,
    /// None for a package other than main (nothing to link, as with go build).
    pub program: Option<ir::Program>,
    /// The executable name `go build` would choose: the first file's name without .go for
    /// files, else the last element of the package's import path.
    pub default_output: PathBuf,
}

/// Loads the package named by `inputs` (.go files, or one directory) and everything it
/// imports, type-checks them all, and lowers the main package; with `report_escapes`,
/// prints the main package's escape analysis decisions as gc's -m does.
pub fn compile_main_package(inputs: &[String], target: Target, report_escapes: bool) -> Result<Frontend, Failure> {
    let roots = loader::Root::from_args(inputs);
    if roots.len() != 1 || roots[0] == loader::Root::Std {
        return Err(Failure::Message("build needs one main package: .go files or one directory".into()));
    }
    // Every program has the runtime package (its hooks serve the standard library), as
    // every gc program links the runtime.
    let roots = [roots, vec![loader::Root::Path("runtime".into())]].concat();
    let mut graph = load(target, &roots, jobs(None), Some(loader::find_overlay()?))?;
    let mut checked = typecheck::check_graph(&graph, &typecheck::LangPolicy::default());
    report_packages(&graph, &graph.roots[..1], &checked, false)?;
    let root = graph.roots[0];
    let pkg = graph.package(root);
    let default_output = default_output(pkg);
    let Outcome::Checked { info: Some(info), .. } = &checked.outcomes[root.index()] else {
        unreachable!("a root without errors is checked")
    };
    if report_escapes {
        // As gc's -m, also for a package other than main (before anything is lowered).
        let inputs = lowering_inputs(&graph, &checked, root);
        let decisions = ir::lower::escape_report(&inputs, &checked.world, &graph.sources);
        let files: Vec<&ast::File> = graph.packages.iter().flat_map(|p| p.syntax.iter()).collect();
        eprint!("{}", diag::render(&graph.sources, &files, &decisions, true));
    }
    if info.package != "main" {
        let sources = std::mem::take(&mut graph.sources);
        return Ok(Frontend { sources, package: info.package.clone(), program: None, default_output });
    }
    if info.main.is_none() {
        return Err(Failure::Message("function main is undeclared in the main package".into()));
    }
    let mut world = std::mem::take(&mut checked.world);
    let inputs = lowering_inputs(&graph, &checked, root);
    let program = ir::lower::lower_program(&inputs, &mut world, &graph.sources);
    let program = program.map_err(|errors| report_lowering(&graph, &errors))?;
    let package = info.package.clone();
    Ok(Frontend { sources: std::mem::take(&mut graph.sources), package, program: Some(program), default_output })
}

/// Every checked package of `graph` in dependency order (the loader's order: imports
/// first), the main package (`main`) last, as the lowering takes them; `unsafe` has no code.
fn lowering_inputs<'g>(graph: &'g loader::Graph, checked: &'g CheckedGraph, main: loader::PackageId) -> Vec<ir::lower::PackageInput<'g>> {
    let mut order: Vec<usize> = (0..graph.packages.len()).filter(|&i| i != main.index()).collect();
    order.push(main.index());
    let mut inputs: Vec<ir::lower::PackageInput<'g>> = Vec::new();
    for i in order {
        if let Outcome::Checked { info: Some(info), .. } = &checked.outcomes[i] {
            inputs.push(ir::lower::PackageInput { files: &graph.packages[i].syntax, info });
        }
    }
    inputs
}

/// Prints the constructs the lowering could not compile, in the files of every package.
fn report_lowering(graph: &loader::Graph, errors: &[Diagnostic]) -> Failure {
    let files: Vec<&ast::File> = graph.packages.iter().flat_map(|p| p.syntax.iter()).collect();
    eprint!("{}", diag::render(&graph.sources, &files, errors, false));
    Failure::Reported
}

/// `go build`'s executable name for `pkg`.
fn default_output(pkg: &loader::Package) -> PathBuf {
    let name = match (&pkg.kind, pkg.files.first()) {
        (loader::PackageKind::Local, Some(first)) if pkg.path == "command-line-arguments" => {
            first.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default()
        }
        _ => pkg.path.rsplit('/').next().unwrap_or(&pkg.path).to_string(),
    };
    PathBuf::from(if name.is_empty() { "a.out".to_string() } else { name })
}

/// The number of threads for loading: `-j`, else one per CPU.
fn jobs(flag: Option<usize>) -> usize {
    flag.unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get())).max(1)
}

/// Loads `roots` for `target` (with goclift's own packages from `overlay` in place of
/// GOROOT's); load errors are printed (as the go command prints them).
fn load(target: Target, roots: &[loader::Root], jobs: usize, overlay: Option<PathBuf>) -> Result<loader::Graph, Failure> {
    let goroot = loader::find_goroot()?;
    let ctx = loader::BuildContext { overlay, ..loader::BuildContext::for_target(goroot, target) };
    let opts = loader::Options { jobs, ..loader::Options::default() };
    loader::load_with(&ctx, roots, &opts).map_err(|errors| {
        for e in errors {
            eprintln!("{e}");
        }
        Failure::Reported
    })
}

/// Prints the errors of every checked package, in graph order, as gc prints them (at most
/// 10 per package unless `all`), each package's under a `# path` line as the go command
/// prints them, except when the only package with errors is the one package `named` on the
/// command line (the output of `go tool compile`). Fails if there were any.
fn report_packages(graph: &loader::Graph, named: &[loader::PackageId], checked: &CheckedGraph, all: bool) -> Result<(), Failure> {
    let failing: Vec<(loader::PackageId, &Vec<Diagnostic>)> = checked
        .outcomes
        .iter()
        .enumerate()
        .filter_map(|(i, o)| match o {
            Outcome::Checked { diags, .. } if !diags.is_empty() => Some((loader::PackageId(i as u32), diags)),
            _ => None,
        })
        .collect();
    if failing.is_empty() {
        return Ok(());
    }
    let headers = !(failing.len() == 1 && named == [failing[0].0]);
    for (id, diags) in failing {
        let pkg = graph.package(id);
        if headers {
            eprintln!("# {}", pkg.path);
        }
        let files: Vec<&ast::File> = pkg.syntax.iter().collect();
        eprint!("{}", diag::render(&graph.sources, &files, diags, all));
    }
    Err(Failure::Reported)
}

/// `goclift check`: parse (`--parse-only`: any files and directory trees) or type-check
/// the named packages (files of one package, directories, import paths, `std`) and
/// everything they import.
pub fn check_command(target: Target, args: &CheckArgs) -> Result<ExitCode, Failure> {
    let goroot = loader::find_goroot()?;
    let jobs = jobs(args.jobs);
    if args.parse_only {
        let (files, roots) = expand_paths(&args.paths);
        let ctx = loader::BuildContext::for_target(goroot.clone(), target);
        let loaded_clean = roots.is_empty() || parse_packages(&ctx, &roots, jobs, args.all_errors);
        let walked_clean = parse_in_parallel(&goroot, &files, jobs, args.all_errors);
        return Ok(if loaded_clean && walked_clean { ExitCode::SUCCESS } else { ExitCode::from(1) });
    }
    let graph = load(target, &check_roots(&args.paths), jobs, None)?;
    let lang = typecheck::LangPolicy { flag: args.lang.clone() };
    let checked = typecheck::check_graph(&graph, &lang);
    report_packages(&graph, &graph.roots, &checked, args.all_errors)?;
    Ok(ExitCode::SUCCESS)
}

/// The packages `goclift check` names: as the go command reads its arguments, except that
/// an existing directory is a directory even without a leading `./`.
fn check_roots(paths: &[String]) -> Vec<loader::Root> {
    loader::Root::from_args(paths)
        .into_iter()
        .map(|r| match r {
            loader::Root::Path(p) if Path::new(&p).is_dir() => loader::Root::Dir(PathBuf::from(p)),
            r => r,
        })
        .collect()
}

/// Splits `paths` into the .go files to parse as they are (files as given, directory
/// trees walked, skipping testdata and names starting with `.` or `_`) and the packages for
/// the loader: `std` and import paths, which are parsed with their dependencies, selecting
/// files by the target's build constraints.
fn expand_paths(paths: &[String]) -> (Vec<PathBuf>, Vec<loader::Root>) {
    let mut files = Vec::new();
    let mut roots = Vec::new();
    for p in paths {
        let path = Path::new(p);
        if p == "std" {
            roots.push(loader::Root::Std);
        } else if path.is_file() {
            files.push(path.to_path_buf());
        } else if path.is_dir() {
            walk_go_files(path, &mut files);
        } else {
            roots.push(loader::Root::Path(p.clone()));
        }
    }
    (files, roots)
}

/// Loads (finds and parses, on `jobs` threads) the packages of `roots` and everything they
/// import; prints load errors, and every file's syntax errors in file order (at most 10 per
/// file unless `all`). Returns whether there were none.
fn parse_packages(ctx: &loader::BuildContext, roots: &[loader::Root], jobs: usize, all: bool) -> bool {
    let opts = loader::Options { jobs, ..loader::Options::default() };
    let graph = match loader::load_with(ctx, roots, &opts) {
        Ok(graph) => graph,
        Err(errors) => {
            for e in errors {
                eprintln!("{e}");
            }
            return false;
        }
    };
    let mut by_file: Vec<Vec<Diagnostic>> = Vec::new();
    for d in &graph.syntax_errors {
        match by_file.last_mut() {
            Some(group) if group[0].file == d.file => group.push(d.clone()),
            _ => by_file.push(vec![d.clone()]),
        }
    }
    let files: Vec<&ast::File> = graph.packages.iter().flat_map(|p| p.syntax.iter()).collect();
    for group in &by_file {
        eprint!("{}", diag::render(&graph.sources, &files, group, all));
    }
    by_file.is_empty()
}

fn walk_go_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    // The listing tells each entry's type: no stat per entry, except to follow a symlink.
    let mut entries: Vec<(PathBuf, bool)> = entries
        .filter_map(|e| {
            let e = e.ok()?;
            let is_dir = match e.file_type() {
                Ok(t) if !t.is_symlink() => t.is_dir(),
                _ => e.path().is_dir(),
            };
            Some((e.path(), is_dir))
        })
        .collect();
    entries.sort();
    for (p, is_dir) in entries {
        let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if name.starts_with('.') || name.starts_with('_') {
            continue;
        }
        if is_dir {
            if name != "testdata" {
                walk_go_files(&p, out);
            }
        } else if name.ends_with(".go") {
            out.push(p);
        }
    }
}

/// Parses `files` on `jobs` threads and prints every file's errors in file order (at most
/// 10 per file unless `all`). Returns whether there were none.
fn parse_in_parallel(goroot: &Path, files: &[PathBuf], jobs: usize, all: bool) -> bool {
    let src = goroot.join("src");
    let goroot_src: Vec<PathBuf> = src.canonicalize().into_iter().chain([src.clone()]).collect();
    let next = AtomicUsize::new(0);
    let results: Mutex<Vec<(usize, String)>> = Mutex::new(Vec::new());
    std::thread::scope(|s| {
        for _ in 0..jobs.min(files.len().max(1)) {
            s.spawn(|| loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some(path) = files.get(i) else { break };
                let report = parse_one(&goroot_src, path, all);
                if !report.is_empty() {
                    results.lock().unwrap().push((i, report));
                }
            });
        }
    });
    let mut results = results.into_inner().unwrap();
    results.sort();
    for (_, text) in &results {
        eprint!("{text}");
    }
    results.is_empty()
}

/// The rendered errors of one file ("" if it parses cleanly).
fn parse_one(goroot_src: &[PathBuf], path: &Path, all: bool) -> String {
    thread_local! {
        /// The thread's read buffer, reused from file to file.
        static BUF: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
    }
    BUF.with_borrow_mut(|buf| {
        let src = match read_into(path, buf) {
            Ok(n) => &buf[..n],
            Err(e) => return format!("{}: {e}\n", path.display()),
        };
        let name = path.display().to_string();
        let rules = goroot_rules(goroot_src, path);
        let (file, errors, _) = parse_and_check_in(FileId(0), &name, src, rules);
        if errors.is_empty() {
            return String::new();
        }
        let mut sources = SourceMap::default();
        let id = sources.add(name, src.to_vec());
        let diags: Vec<Diagnostic> = errors.into_iter().map(|e| Diagnostic { file: id, pos: e.pos, msg: e.msg }).collect();
        diag::render(&sources, &[&file], &diags, all)
    })
}

/// Reads the file at `path` into the start of `buf`, growing it as needed; returns the
/// length. Unlike `fs::read`, it asks for no size hint (a stat per file) and allocates
/// nothing once `buf` is as large as the largest file.
fn read_into(path: &Path, buf: &mut Vec<u8>) -> std::io::Result<usize> {
    use std::io::Read;
    let mut f = std::fs::File::open(path)?;
    let mut n = 0;
    loop {
        if n == buf.len() {
            buf.resize((2 * n).max(1 << 16), 0);
        }
        match f.read(&mut buf[n..]) {
            Ok(0) => return Ok(n),
            Ok(k) => n += k,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
}

/// The directive rules for a file found by walking a directory: a file of GOROOT/src belongs
/// to the standard-library package named by its directory. `goroot_src` holds GOROOT/src as
/// given and with symlinks resolved.
fn goroot_rules(goroot_src: &[PathBuf], file: &Path) -> DirectiveRules {
    let Some(dir) = file.parent() else { return DirectiveRules::default() };
    let Some(rel) = goroot_src.iter().find_map(|src| dir.strip_prefix(src).ok()) else {
        return DirectiveRules::default();
    };
    loader::directive_rules(&loader::resolve::Location {
        path: rel.to_string_lossy().into_owned(),
        dir: dir.to_path_buf(),
        kind: loader::PackageKind::Standard,
    })
}
