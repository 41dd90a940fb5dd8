//! The front-end stages as the driver runs them: reading and parsing source files (in
//! parallel for `check`), type checking, and building the IR; diagnostics printed as gc does.

use super::cli::CheckArgs;
use super::Failure;
use crate::diag::{self, Diagnostic};
use crate::ir;
use crate::syntax::ast;
use crate::syntax::directives::DirectiveRules;
use crate::syntax::{parse_and_check, parse_and_check_in};
use crate::syntax::pos::{FileId, SourceMap};
use crate::target::Target;
use crate::{loader, types};
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
}

/// Parses, checks and lowers the main package made of `paths`.
pub fn compile_main_package(paths: &[PathBuf], _target: Target) -> Result<Frontend, Failure> {
    let (sources, files, mut diags) = parse_package(paths)?;
    let mut world = types::World::new();
    let (info, more) = check_files(&mut world, "main", &files, &sources, None);
    diags.extend(more);
    report(&sources, &files, &diags, false)?;
    if info.package != "main" {
        return Ok(Frontend { sources, package: info.package, program: None });
    }
    if info.main.is_none() {
        return Err(Failure::Message("function main is undeclared in the main package".into()));
    }
    let program = ir::lower::lower_package(&files, &info, &world, &sources);
    let program = program.map_err(|errors| report(&sources, &files, &errors, false).err().unwrap_or(Failure::Reported))?;
    Ok(Frontend { sources, package: info.package, program: Some(program) })
}

/// Type-checks one package: the results and the diagnostics. Imports other than unsafe fail
/// until the package loader feeds the checker.
fn check_files(
    world: &mut types::World,
    path: &str,
    files: &[ast::File],
    sources: &SourceMap,
    lang: Option<String>,
) -> (types::Info, Vec<Diagnostic>) {
    let config = types::Config { path: path.into(), go_version: lang, ..types::Config::default() };
    let mut importer = |_: &mut types::World, path: &str| -> Result<types::PackageId, String> {
        Err(format!("cannot find package {path:?}: importing needs the package loader"))
    };
    // The checker recurses along the syntax tree (e.g. 7000 nested `+` in time/tzdata):
    // give it a large stack, as Go's growable stacks give types2.
    std::thread::scope(|s| {
        std::thread::Builder::new()
            .stack_size(types::CHECKER_STACK_SIZE)
            .spawn_scoped(s, || types::check_package(world, &config, files, sources, &mut importer))
            .map(|h| h.join())
    })
    .unwrap_or_else(|e| Ok((types::Info::default(), vec![Diagnostic { file: FileId(0), pos: Default::default(), msg: e.to_string() }])))
    .unwrap_or_else(|p| std::panic::resume_unwind(p))
}

/// Reads and parses the files of one package (with gc's parse-time branch and directive
/// checks). Syntax errors are printed and fail the build; the other parse-time errors are
/// returned, to be reported with the type errors, as gc does.
fn parse_package(paths: &[PathBuf]) -> Result<(SourceMap, Vec<ast::File>, Vec<Diagnostic>), Failure> {
    let mut sources = SourceMap::default();
    for p in paths {
        let src = std::fs::read(p).map_err(|e| format!("reading {}: {e}", p.display()))?;
        sources.add(p.display().to_string(), src);
    }
    let mut files = Vec::with_capacity(paths.len());
    let mut diags = Vec::new();
    for i in 0..paths.len() {
        let id = FileId(i as u32);
        let (file, errors, _) = parse_and_check(id, &sources.file(id).name, &sources.file(id).src);
        diags.extend(errors.into_iter().map(|e| Diagnostic { file: id, pos: e.pos, msg: e.msg }));
        files.push(file);
    }
    if diags.iter().any(|d| d.msg.starts_with("syntax error")) {
        report(&sources, &files, &diags, false)?;
    }
    Ok((sources, files, diags))
}

/// Prints `diags` (if any) and fails.
fn report(sources: &SourceMap, files: &[ast::File], diags: &[Diagnostic], all: bool) -> Result<(), Failure> {
    if diags.is_empty() {
        return Ok(());
    }
    let files: Vec<&ast::File> = files.iter().collect();
    eprint!("{}", diag::render(sources, &files, diags, all));
    Err(Failure::Reported)
}

/// `goclift check`: parse (and for a package given as files or one directory, type-check).
pub fn check_command(target: Target, args: &CheckArgs) -> Result<ExitCode, Failure> {
    let goroot = loader::find_goroot()?;
    if args.parse_only {
        let jobs = args.jobs.unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get())).max(1);
        let (files, roots) = expand_paths(&args.paths);
        let ctx = loader::BuildContext::for_target(goroot.clone(), target);
        let loaded_clean = roots.is_empty() || parse_packages(&ctx, &roots, jobs, args.all_errors);
        let walked_clean = parse_in_parallel(&goroot, &files, jobs, args.all_errors);
        return Ok(if loaded_clean && walked_clean { ExitCode::SUCCESS } else { ExitCode::from(1) });
    }
    let pkg = match args.paths.as_slice() {
        [p] if p == "std" => None,
        paths => loader::main_package(paths).ok(),
    };
    let Some(pkg) = pkg else {
        return Err(Failure::Message(
            "type-checking packages by import path (and std) is not wired to the package loader yet; \
             use --parse-only, or name the files or directory of one package"
                .into(),
        ));
    };
    let (sources, files, mut diags) = parse_package(&pkg.files)?;
    let mut world = types::World::new();
    let (_, more) = check_files(&mut world, "main", &files, &sources, args.lang.clone());
    diags.extend(more);
    let _ = target;
    report(&sources, &files, &diags, args.all_errors)?;
    Ok(ExitCode::SUCCESS)
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
