//! `goclift-testrun syntax`: does goclift's parser agree with gc's on GOROOT/test?
//!
//! Every .go file under GOROOT/test (recursively: `*.dir` packages, non-test files and
//! files meant to fail included) is parsed twice: by an oracle built from gc's own
//! parser (see [`oracle`]) and by `goclift check --parse-only -e` (see [`goclift`]).
//! Per file, the two agree when both report no error, or both report errors and the
//! first is on the same line; stricter, they agree exactly when the column and message
//! match too. The files known to disagree are listed in
//! tools/testrun/syntax/known-disagreements.txt, which `--check` holds the parser to.

pub mod compare;
pub mod goclift;
pub mod oracle;

use crate::conformance::passlist;
use compare::{Comparison, Summary};
use std::collections::BTreeSet;
use std::io;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// What the invocation does besides comparing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Print the summary and every disagreement.
    Report,
    /// Fail when a file not in the known list disagrees.
    Check,
    /// Rewrite the known list with the files that disagree now.
    Write,
}

/// Settings of one `syntax` invocation.
#[derive(Debug, Clone)]
pub struct Options {
    /// GOROOT: its test/ tree is compared, its syntax package and go command make the oracle.
    pub goroot: PathBuf,
    /// The goclift binary.
    pub goclift: PathBuf,
    /// Parallel parsing jobs (passed to both parsers' runs).
    pub jobs: usize,
    /// Time limit of one goclift run (one batch of files).
    pub timeout: Duration,
    /// What to do.
    pub mode: Mode,
    /// The list of files known to disagree.
    pub known_file: PathBuf,
    /// Where the built oracle and its Go build cache are kept.
    pub cache_dir: PathBuf,
    /// Files and directories to compare (relative to GOROOT/test); all when empty.
    pub filters: Vec<String>,
    /// Also print files that agree only on the line, and every file with `-v`.
    pub verbose: bool,
}

impl Options {
    fn test_root(&self) -> PathBuf {
        self.goroot.join("test")
    }
}

/// The default known-disagreements file: tools/testrun/syntax/known-disagreements.txt.
pub fn default_known_file() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("syntax/known-disagreements.txt")
}

/// Entry point of the subcommand; returns the process exit status.
pub fn main(options: &Options) -> i32 {
    match try_main(options) {
        Ok(status) => status,
        Err(e) => {
            eprintln!("goclift-testrun syntax: {e}");
            2
        }
    }
}

fn try_main(options: &Options) -> Result<i32, String> {
    let test_root = options.test_root();
    let rels = select_files(&test_root, &options.filters)?;
    if !options.goclift.is_file() {
        return Err(format!("no compiler at {} (build it with cargo build --release)", options.goclift.display()));
    }
    let paths: Vec<String> = rels.iter().map(|rel| test_root.join(rel).display().to_string()).collect();
    let oracle = oracle::Oracle::ensure_built(&options.goroot, &options.cache_dir)?;
    let gc = oracle.parse(&paths)?;
    let ours = goclift::parse(&options.goclift, &paths, options.jobs, options.timeout);
    let comparisons: Vec<Comparison> = rels
        .into_iter()
        .zip(gc.into_iter().zip(ours))
        .map(|(rel, (gc, goclift))| Comparison::new(rel, gc, goclift))
        .collect();
    match options.mode {
        Mode::Report => Ok(report(options, &comparisons)),
        Mode::Check => check(options, &comparisons),
        Mode::Write => write_known(options, &comparisons),
    }
}

/// Prints the summary and the disagreements; exit status 0 (disagreements are the state
/// of the work, not an error of this tool).
fn report(options: &Options, comparisons: &[Comparison]) -> i32 {
    if options.verbose {
        comparisons.iter().for_each(|c| print!("{}", c.render()));
    } else {
        print_disagreements(comparisons);
        print_inexact(comparisons);
    }
    print!("{}", Summary::of(comparisons).render(&options.test_root()));
    0
}

fn print_disagreements(comparisons: &[Comparison]) {
    let disagreeing: Vec<&Comparison> = comparisons.iter().filter(|c| !c.verdict.agrees()).collect();
    if !disagreeing.is_empty() {
        println!("disagreements (first error set or line):");
        disagreeing.iter().for_each(|c| print!("{}", c.render()));
        println!();
    }
}

fn print_inexact(comparisons: &[Comparison]) {
    let inexact: Vec<&Comparison> = comparisons.iter().filter(|c| c.verdict.agrees() && !c.verdict.exact()).collect();
    if !inexact.is_empty() {
        println!("same first line, different column or message:");
        inexact.iter().for_each(|c| print!("{}", c.render()));
        println!();
    }
}

/// `--check`: every disagreeing file must be in the known list. Listed files that agree
/// now are reported (the list can shrink with --write) but do not fail the check.
fn check(options: &Options, comparisons: &[Comparison]) -> Result<i32, String> {
    let known = read_known(&options.known_file)?;
    let mut failed = 0;
    for c in comparisons.iter().filter(|c| !c.verdict.agrees() && !known.contains(&c.rel)) {
        failed += 1;
        print!("{}", c.render_as("FAIL"));
    }
    let now_agreeing: Vec<&str> =
        comparisons.iter().filter(|c| c.verdict.agrees() && known.contains(&c.rel)).map(|c| c.rel.as_str()).collect();
    if !now_agreeing.is_empty() {
        println!(
            "note: {} listed in {} now agree (run --write to drop them): {}",
            now_agreeing.len(),
            options.known_file.display(),
            now_agreeing.join(" ")
        );
    }
    let summary = Summary::of(comparisons);
    println!(
        "syntax: {} files, {} agree with gc on error set and first line, {} exactly",
        summary.files, summary.agreeing, summary.exact
    );
    println!("{} passed, {failed} failed", comparisons.len() - failed);
    Ok(i32::from(failed > 0))
}

/// `--write`: the known list becomes the files that disagree now (entries for files not
/// compared in this run are kept).
fn write_known(options: &Options, comparisons: &[Comparison]) -> Result<i32, String> {
    let path = &options.known_file;
    let old: Vec<String> = read_known(path)?.into_iter().collect();
    let ran: Vec<&str> = comparisons.iter().map(|c| c.rel.as_str()).collect();
    let disagreeing: Vec<&str> =
        comparisons.iter().filter(|c| !c.verdict.agrees()).map(|c| c.rel.as_str()).collect();
    let entries = passlist::merged(&old, &ran, &disagreeing);
    passlist::write(path, &entries).map_err(|e| format!("{}: {e}", path.display()))?;
    print!("{}", Summary::of(comparisons).render(&options.test_root()));
    println!("wrote {} entries to {}", entries.len(), path.display());
    Ok(0)
}

fn read_known(path: &Path) -> Result<BTreeSet<String>, String> {
    let entries = passlist::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
    Ok(entries.into_iter().collect())
}

/// The .go files to compare, relative to `test_root` with `/` separators, sorted and
/// without duplicates: all of them when `filters` is empty, else those named or under
/// the named directories (relative to `test_root`, or absolute inside it).
pub fn select_files(test_root: &Path, filters: &[String]) -> Result<Vec<String>, String> {
    let all = go_files(test_root).map_err(|e| format!("{}: {e}", test_root.display()))?;
    if filters.is_empty() {
        return Ok(all);
    }
    let mut selected = BTreeSet::new();
    for filter in filters {
        let prefix = filter_prefix(test_root, filter);
        let is_match = |rel: &&String| prefix.is_empty() || **rel == prefix || rel.starts_with(&format!("{prefix}/"));
        let matching: Vec<&String> = all.iter().filter(is_match).collect();
        if matching.is_empty() {
            return Err(format!("{filter}: no .go files of {} match", test_root.display()));
        }
        selected.extend(matching.into_iter().cloned());
    }
    Ok(selected.into_iter().collect())
}

/// A filter as a path relative to the test root, without `./` or trailing slashes.
fn filter_prefix(test_root: &Path, filter: &str) -> String {
    let path = Path::new(filter);
    let rel = path.strip_prefix(test_root).unwrap_or(path);
    let text = rel.to_string_lossy().replace('\\', "/");
    let text = text.trim_end_matches('/');
    let text = text.strip_prefix("./").unwrap_or(text);
    if text == "." { String::new() } else { text.to_string() }
}

/// Every .go file under `root`, recursively (nothing skipped), relative and sorted.
pub fn go_files(root: &Path) -> io::Result<Vec<String>> {
    let mut files = Vec::new();
    walk(root, "", &mut files)?;
    files.sort();
    Ok(files)
}

fn walk(dir: &Path, rel_dir: &str, out: &mut Vec<String>) -> io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let name = entry.file_name().to_string_lossy().into_owned();
        let rel = if rel_dir.is_empty() { name.clone() } else { format!("{rel_dir}/{name}") };
        // metadata() follows symbolic links, as gc would when opening the file.
        let meta = std::fs::metadata(entry.path())?;
        if meta.is_dir() {
            walk(&entry.path(), &rel, out)?;
        } else if name.ends_with(".go") {
            out.push(rel);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tempdir::TempDir;

    fn tree() -> TempDir {
        let temp = TempDir::new().unwrap();
        for rel in ["a.go", "b.txt", "x.dir/c.go", "x.dir/sub/d.go", "y/e.go", ".hidden/f.go", "_u/g.go"] {
            let path = temp.path().join(rel);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, "package p\n").unwrap();
        }
        temp
    }

    #[test]
    fn walks_everything() {
        let temp = tree();
        let files = go_files(temp.path()).unwrap();
        assert_eq!(files, [".hidden/f.go", "_u/g.go", "a.go", "x.dir/c.go", "x.dir/sub/d.go", "y/e.go"]);
    }

    #[test]
    fn filters_select_files_and_trees() {
        let temp = tree();
        let root = temp.path();
        let select = |filters: &[&str]| {
            let filters: Vec<String> = filters.iter().map(|f| f.to_string()).collect();
            select_files(root, &filters)
        };
        assert_eq!(select(&["x.dir/"]).unwrap(), ["x.dir/c.go", "x.dir/sub/d.go"]);
        assert_eq!(select(&["./a.go", "y", "a.go"]).unwrap(), ["a.go", "y/e.go"]);
        assert_eq!(select(&["."]).unwrap().len(), 6);
        let absolute = root.join("x.dir/sub").display().to_string();
        assert_eq!(select(&[absolute.as_str()]).unwrap(), ["x.dir/sub/d.go"]);
        assert!(select(&["x"]).is_err(), "x is a prefix of x.dir but not a directory");
        assert!(select(&["nothing.go"]).is_err());
    }

    #[test]
    fn the_committed_known_list_names_test_files() {
        let root = PathBuf::from(std::env::var("GOROOT").unwrap_or_else(|_| "/usr/lib/go-1.19".into())).join("test");
        let all: BTreeSet<String> = go_files(&root).unwrap().into_iter().collect();
        for rel in read_known(&default_known_file()).unwrap() {
            assert!(all.contains(&rel), "{rel} is not a .go file of {}", root.display());
        }
    }
}
