//! The parallel part of loading: reading package directories, parsing files and resolving
//! imports on a pool of threads until no new package turns up.
//!
//! Work is split into jobs: *scan* a package (list and read its files, apply build
//! constraints), *parse* one file, *finish* a package (drop cgo files, check the package
//! name, resolve its imports, queue the packages it imports). Scans and finishes go first,
//! because they discover more work; parses fill the rest. Every file is parsed exactly once.

use super::context::BuildContext;
use super::error::ErrorKind;
use super::resolve::{Importer, Location, PackageKind, Resolver, Unresolved};
use super::scan::Scan;
use crate::syntax::ast::{self, DeclKind};
use crate::syntax::directives::DirectiveRules;
use crate::syntax::parser::{parse_and_check_in, SyntaxError};
use crate::syntax::pos::FileId;
use std::collections::{HashMap, VecDeque};
use std::path::{Path, PathBuf};
use std::sync::{Condvar, Mutex};

/// One file of a package as loading goes: read, then parsed.
pub(super) struct LoadedFile {
    pub name: String,
    /// The path as named on the command line, else absolute.
    pub path: PathBuf,
    /// The name diagnostics show: as named on the command line, else as the go command
    /// shows compiler errors (`./x.go` in the working directory, `sub/x.go` below it,
    /// absolute elsewhere).
    pub shown: String,
    pub src: Vec<u8>,
    pub ast: Option<ast::File>,
    pub errors: Vec<SyntaxError>,
}

/// An import of a package: the path as written, where (the first time) and what it
/// resolved to (a slot index).
pub(super) struct Edge {
    pub written: String,
    pub pos: String,
    pub target: Result<usize, Unresolved>,
}

/// Why a package cannot be built; the final pass turns it into a [`super::LoadError`]
/// with the import stack.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum Problem {
    /// No file to build; the message is gc's (`no Go files in DIR`, `build constraints
    /// exclude all Go files in DIR`, `no non-test Go files in DIR`). `has_tests`: some test
    /// file is buildable (which makes the directory a package for `go list std`).
    NoGoFiles { excluded: bool, has_tests: bool, msg: String },
    /// Reported at the importing declaration: files of two packages, a bad file.
    AtImport(ErrorKind, String),
}

/// Everything known about one package during and after loading.
pub(super) struct Slot {
    pub loc: Location,
    /// The files named on the command line, for a `command-line-arguments` package.
    pub named_files: Option<Vec<PathBuf>>,
    /// Found by the `std` walk: dropped quietly if nothing builds.
    pub std_candidate: bool,
    /// For internal-package checks of command-line files: the import path of their directory.
    pub dir_path: String,
    pub name: String,
    pub files: Vec<LoadedFile>,
    pub problem: Option<Problem>,
    /// Imports sorted by path.
    pub edges: Vec<Edge>,
    /// Parse jobs still running.
    pending: usize,
}

impl Slot {
    pub fn new(loc: Location) -> Slot {
        let dir_path = loc.path.clone();
        let name = if loc.kind == PackageKind::Unsafe { "unsafe".to_string() } else { String::new() };
        Slot {
            loc,
            named_files: None,
            std_candidate: false,
            dir_path,
            name,
            files: Vec::new(),
            problem: None,
            edges: Vec::new(),
            pending: 0,
        }
    }
}

#[derive(Clone, Copy, Debug)]
enum Job {
    Scan(usize),
    Parse(usize, usize),
    Finish(usize),
}

struct State {
    slots: Vec<Slot>,
    by_path: HashMap<String, usize>,
    /// Scans and finishes.
    urgent: VecDeque<Job>,
    parses: VecDeque<Job>,
    running: usize,
}

/// The loader's shared state and configuration.
pub(super) struct Loader<'a> {
    ctx: &'a BuildContext,
    resolver: Resolver<'a>,
    cwd: PathBuf,
    state: Mutex<State>,
    wake: Condvar,
}

impl<'a> Loader<'a> {
    pub fn new(ctx: &'a BuildContext, resolver: Resolver<'a>, cwd: PathBuf) -> Loader<'a> {
        let state = State {
            slots: Vec::new(),
            by_path: HashMap::new(),
            urgent: VecDeque::new(),
            parses: VecDeque::new(),
            running: 0,
        };
        Loader { ctx, resolver, cwd, state: Mutex::new(state), wake: Condvar::new() }
    }

    /// The slot for `slot.loc.path`, adding `slot` (and queueing its scan) if it is new.
    pub fn add(&self, slot: Slot) -> usize {
        let mut st = self.lock();
        add_slot(&mut st, slot)
    }

    /// Runs all jobs on `jobs` threads (the calling thread alone for 1) until none is left.
    pub fn run(&self, jobs: usize) {
        if jobs <= 1 {
            self.work();
            return;
        }
        std::thread::scope(|s| {
            for _ in 0..jobs {
                s.spawn(|| self.work());
            }
        });
    }

    /// The slots, once [`Loader::run`] has returned.
    pub fn into_slots(self) -> Vec<Slot> {
        self.state.into_inner().unwrap_or_else(|e| e.into_inner()).slots
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// A worker: takes jobs until the queues are empty and no job is running (a running job
    /// may still queue more).
    fn work(&self) {
        loop {
            let job = {
                let mut st = self.lock();
                loop {
                    if let Some(job) = st.urgent.pop_front().or_else(|| st.parses.pop_front()) {
                        st.running += 1;
                        break job;
                    }
                    if st.running == 0 {
                        self.wake.notify_all();
                        return;
                    }
                    st = self.wake.wait(st).unwrap_or_else(|e| e.into_inner());
                }
            };
            match job {
                Job::Scan(id) => self.scan(id),
                Job::Parse(id, file) => self.parse(id, file),
                Job::Finish(id) => self.finish(id),
            }
            let mut st = self.lock();
            st.running -= 1;
            self.wake.notify_all();
        }
    }

    /// Lists and reads the package's files, then queues their parses.
    fn scan(&self, id: usize) {
        let (loc, named) = {
            let st = self.lock();
            let slot = &st.slots[id];
            (slot.loc.clone(), slot.named_files.clone())
        };
        let mut scan = match &named {
            Some(files) => Ok(Scan::files(self.ctx, &self.cwd, files)),
            None if loc.kind == PackageKind::Standard => Scan::dir(&self.ctx.for_std_package(&loc.path), &loc.dir),
            None => Scan::dir(self.ctx, &loc.dir),
        };
        // goclift's additions to a GOROOT package (decision 36): its files after GOROOT's.
        if let (Ok(base), Some(ext)) = (&mut scan, self.ctx.extension_dir(&loc.path).filter(|_| loc.kind == PackageKind::Standard)) {
            match Scan::dir(self.ctx, &ext) {
                Ok(added) => {
                    base.files.extend(added.files);
                    if base.bad.is_none() {
                        base.bad = added.bad;
                    }
                }
                Err(e) => base.bad = Some(e),
            }
        }
        let mut st = self.lock();
        let slot = &mut st.slots[id];
        let scan = match scan {
            Ok(scan) => scan,
            Err(msg) => {
                slot.problem = Some(Problem::AtImport(ErrorKind::BadFile, msg));
                return;
            }
        };
        if let Some(bad) = scan.bad {
            slot.problem = Some(Problem::AtImport(ErrorKind::BadFile, bad));
            return;
        }
        if scan.files.is_empty() {
            slot.problem = Some(no_go_files(&loc.dir, !scan.ignored.is_empty(), !scan.tests.is_empty()));
            return;
        }
        slot.files = scan
            .files
            .into_iter()
            .map(|c| {
                let shown = if named.is_some() { c.path.display().to_string() } else { shown_name(&self.cwd, &c.path) };
                LoadedFile { name: c.name, path: c.path, shown, src: c.src, ast: None, errors: Vec::new() }
            })
            .collect();
        slot.pending = slot.files.len();
        let parses: Vec<Job> = (0..slot.files.len()).map(|i| Job::Parse(id, i)).collect();
        st.parses.extend(parses);
    }

    /// Parses one file (with a placeholder file id: ids are given in the final order).
    fn parse(&self, id: usize, file: usize) {
        let (src, shown, rules) = {
            let mut st = self.lock();
            let rules = directive_rules(&st.slots[id].loc);
            let f = &mut st.slots[id].files[file];
            (std::mem::take(&mut f.src), f.shown.clone(), rules)
        };
        let (ast, errors, _) = parse_and_check_in(FileId(0), &shown, &src, rules);
        let mut st = self.lock();
        let slot = &mut st.slots[id];
        let f = &mut slot.files[file];
        (f.src, f.ast, f.errors) = (src, Some(ast), errors);
        slot.pending -= 1;
        if slot.pending == 0 {
            st.urgent.push_back(Job::Finish(id));
        }
    }

    /// Drops files go/build leaves out after parsing (cgo files while cgo is off, package
    /// `documentation`), checks that one package name remains, resolves the imports and
    /// queues the packages they name.
    fn finish(&self, id: usize) {
        let (mut files, loc, dir_path) = {
            let mut st = self.lock();
            let slot = &mut st.slots[id];
            (std::mem::take(&mut slot.files), slot.loc.clone(), slot.dir_path.clone())
        };
        let before = files.len();
        files.retain(|f| f.ast.as_ref().is_some_and(|a| !imports_c(a) && package_name(a) != "documentation"));
        let result = if files.is_empty() {
            Err(no_go_files(&loc.dir, before > 0, false))
        } else {
            package_name_of(&files, &loc.dir)
        };
        let mut imports = if result.is_ok() { collect_imports(&files, &self.cwd) } else { Vec::new() };
        imports.retain(|(path, _)| !super::resolve::left_to_compiler(path));
        let importer = Importer { path: &dir_path, kind: loc.kind };
        let resolved: Vec<(String, String, Result<Location, Unresolved>)> = imports
            .into_iter()
            .map(|(path, pos)| {
                let r = self.resolver.resolve(Some(importer), &path);
                (path, pos, r)
            })
            .collect();
        let mut st = self.lock();
        let edges = resolved
            .into_iter()
            .map(|(written, pos, r)| Edge { written, pos, target: r.map(|loc| add_slot(&mut st, Slot::new(loc))) })
            .collect();
        let slot = &mut st.slots[id];
        slot.files = files;
        slot.edges = edges;
        match result {
            Ok(name) => slot.name = name,
            Err(problem) => slot.problem = Some(problem),
        }
    }
}

/// Adds `slot` unless a slot for its import path exists; queues the scan of a new one.
fn add_slot(st: &mut State, slot: Slot) -> usize {
    if let Some(&id) = st.by_path.get(&slot.loc.path) {
        return id;
    }
    let id = st.slots.len();
    st.by_path.insert(slot.loc.path.clone(), id);
    let unsafe_pkg = slot.loc.kind == PackageKind::Unsafe;
    st.slots.push(slot);
    if !unsafe_pkg {
        st.urgent.push_back(Job::Scan(id));
    }
    id
}

fn no_go_files(dir: &Path, excluded: bool, has_tests: bool) -> Problem {
    let dir = dir.display();
    let msg = if excluded {
        format!("build constraints exclude all Go files in {dir}")
    } else if has_tests {
        format!("no non-test Go files in {dir}")
    } else {
        format!("no Go files in {dir}")
    };
    Problem::NoGoFiles { excluded, has_tests, msg }
}

/// The package name all files agree on, or gc's "found packages" problem.
fn package_name_of(files: &[LoadedFile], dir: &Path) -> Result<String, Problem> {
    let first = &files[0];
    let name = package_name(first.ast.as_ref().expect("parsed"));
    for f in &files[1..] {
        let other = package_name(f.ast.as_ref().expect("parsed"));
        if other != name {
            let msg = format!("found packages {name} ({}) and {other} ({}) in {}", first.name, f.name, dir.display());
            return Err(Problem::AtImport(ErrorKind::MultiplePackages, msg));
        }
    }
    Ok(name.to_string())
}

fn package_name(file: &ast::File) -> &'static str {
    file.pkg_name.map_or("_", |n| file.name(n).as_str())
}

/// The import paths of a file with their spec positions.
fn file_imports(file: &ast::File) -> impl Iterator<Item = (String, ast::DeclId)> + '_ {
    file[file.decls].iter().filter_map(move |&d| match file[d].kind {
        DeclKind::Import { path: Some(p), .. } => file.lit_text(p).and_then(unquote).map(|s| (s, d)),
        _ => None,
    })
}

fn imports_c(file: &ast::File) -> bool {
    file_imports(file).any(|(p, _)| p == "C")
}

/// The distinct import paths of the files, sorted, each with the position of its first
/// import spec as the go command prints it (`file:line:col`, the file name relative to
/// the working directory when that is shorter).
fn collect_imports(files: &[LoadedFile], cwd: &Path) -> Vec<(String, String)> {
    let mut first: HashMap<String, String> = HashMap::new();
    for f in files {
        let ast = f.ast.as_ref().expect("parsed");
        let shown = short_path(cwd, &f.path);
        for (path, decl) in file_imports(ast) {
            first.entry(path).or_insert_with(|| {
                let pos = ast[decl].pos;
                format!("{shown}:{}:{}", pos.line, pos.col)
            });
        }
    }
    let mut out: Vec<(String, String)> = first.into_iter().collect();
    out.sort();
    out
}

/// `path` relative to `cwd` if that is shorter than `path` made absolute, as the go
/// command's ShortPath.
pub(super) fn short_path(cwd: &Path, path: &Path) -> String {
    let abs = if path.is_absolute() { path.to_path_buf() } else { cwd.join(path) };
    let abs = normalize(&abs);
    let rel = relative(cwd, &abs);
    let abs = abs.display().to_string();
    match rel {
        Some(rel) if rel.len() < abs.len() => rel,
        _ => abs,
    }
}

/// How the go command shows the file at absolute `path` in compiler errors: `./x.go` in
/// the working directory, relative below it if that is shorter, else absolute.
fn shown_name(cwd: &Path, path: &Path) -> String {
    let short = short_path(cwd, path);
    if short.contains('/') {
        short
    } else {
        format!("./{short}")
    }
}

/// Removes `.` components and resolves `..` lexically.
pub(super) fn normalize(path: &Path) -> PathBuf {
    use std::path::Component;
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

/// `path` relative to `base` (both absolute and normalized), with `..` steps as needed.
fn relative(base: &Path, path: &Path) -> Option<String> {
    let base: Vec<_> = base.components().collect();
    let path: Vec<_> = path.components().collect();
    let common = base.iter().zip(&path).take_while(|(a, b)| a == b).count();
    if common == 0 {
        return None;
    }
    let mut parts: Vec<String> = vec!["..".to_string(); base.len() - common];
    parts.extend(path[common..].iter().map(|c| c.as_os_str().to_string_lossy().into_owned()));
    Some(if parts.is_empty() { ".".to_string() } else { parts.join("/") })
}

/// The value of a Go string literal (interpreted or raw), None if malformed.
pub(super) fn unquote(lit: &str) -> Option<String> {
    if let Some(raw) = lit.strip_prefix('`').and_then(|s| s.strip_suffix('`')) {
        return Some(raw.replace('\r', ""));
    }
    let body = lit.strip_prefix('"')?.strip_suffix('"')?;
    let mut out: Vec<u8> = Vec::with_capacity(body.len());
    let mut chars = body.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            let mut buf = [0; 4];
            out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
            continue;
        }
        let simple = match chars.next()? {
            'a' => b'\x07',
            'b' => b'\x08',
            'f' => b'\x0c',
            'n' => b'\n',
            'r' => b'\r',
            't' => b'\t',
            'v' => b'\x0b',
            '\\' => b'\\',
            '"' => b'"',
            'x' => u8::from_str_radix(&take(&mut chars, 2)?, 16).ok()?,
            d @ '0'..='7' => u8::from_str_radix(&format!("{d}{}", take(&mut chars, 2)?), 8).ok()?,
            u @ ('u' | 'U') => {
                let digits = take(&mut chars, if u == 'u' { 4 } else { 8 })?;
                let c = char::from_u32(u32::from_str_radix(&digits, 16).ok()?)?;
                let mut buf = [0; 4];
                out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
                continue;
            }
            _ => return None,
        };
        out.push(simple);
    }
    String::from_utf8(out).ok()
}

fn take(chars: &mut std::str::Chars, n: usize) -> Option<String> {
    let s: String = chars.by_ref().take(n).collect();
    (s.len() == n).then_some(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn string_literals() {
        assert_eq!(unquote("\"fmt\"").as_deref(), Some("fmt"));
        assert_eq!(unquote("`a/b`").as_deref(), Some("a/b"));
        assert_eq!(unquote(r#""a\x2fb\u00e9\101\n""#).as_deref(), Some("a/béA\n"));
        assert_eq!(unquote("\"bad\\q\""), None);
        assert_eq!(unquote("'c'"), None);
    }

    #[test]
    fn short_paths() {
        let cwd = Path::new("/tmp/ldexp/nomod");
        assert_eq!(short_path(cwd, Path::new("/tmp/ldexp/n5.go")), "../n5.go");
        assert_eq!(short_path(cwd, Path::new("main.go")), "main.go");
        assert_eq!(short_path(cwd, Path::new("./sub/../main.go")), "main.go");
        assert_eq!(
            short_path(cwd, Path::new("/usr/lib/go-1.19/src/fmt/print.go")),
            "/usr/lib/go-1.19/src/fmt/print.go"
        );
        assert_eq!(shown_name(cwd, Path::new("/tmp/ldexp/nomod/a.go")), "./a.go");
        assert_eq!(shown_name(cwd, Path::new("/tmp/ldexp/nomod/sub/a.go")), "sub/a.go");
    }
}

/// The directives a package may use, as the go command decides them: standard-library
/// packages are compiled with gc's -std, the runtime and the packages it is built from with -+.
pub fn directive_rules(loc: &Location) -> DirectiveRules {
    let std = loc.kind == PackageKind::Standard && !loc.path.starts_with("cmd/");
    let runtime_pkgs = ["runtime", "internal/cpu", "internal/bytealg", "internal/abi"];
    let compiling_runtime = std && (runtime_pkgs.contains(&loc.path.as_str()) || loc.path.starts_with("runtime/internal"));
    DirectiveRules { compiling_runtime, std }
}
