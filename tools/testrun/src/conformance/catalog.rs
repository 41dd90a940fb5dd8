//! The tests of GOROOT/test: which files run.go looks at, and what each one is for a
//! given target.

use super::constraint::BuildContext;
use super::imports::imports;
use super::recipe::{parse_header, HeaderError, Recipe, TestHeader};
use crate::target::Arch;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

/// The directories run.go walks (not recursively), in its order.
pub const DIRS: [&str; 12] = [
    ".",
    "ken",
    "chan",
    "interface",
    "syntax",
    "dwarf",
    "fixedbugs",
    "codegen",
    "runtime",
    "abi",
    "typeparam",
    "typeparam/mdempsky",
];

/// Tests that run.go expects gc 1.19 itself to fail (types2Failures, and go118Failures
/// since the unified IR is off by default); a run of them says nothing about gc
/// conformance, so they are reported as skipped.
const GC_EXPECTED_FAILURES: [&str; 10] = [
    "notinheap.go",
    "shift1.go",
    "fixedbugs/issue10700.go",
    "fixedbugs/issue18331.go",
    "fixedbugs/issue18419.go",
    "fixedbugs/issue20233.go",
    "fixedbugs/issue20245.go",
    "fixedbugs/issue31053.go",
    "typeparam/nested.go",
    "typeparam/issue51521.go",
];

/// Whether run.go lists `rel` as failing with gc 1.19 on linux/amd64 and arm64.
pub fn gc_expected_failure(rel: &str) -> bool {
    GC_EXPECTED_FAILURES.contains(&rel)
}

/// One .go file of the test tree with its parsed header.
#[derive(Debug, Clone)]
pub struct TestFile {
    /// Path relative to GOROOT/test, as run.go names it: `helloworld.go`, `ken/chan.go`.
    pub rel: String,
    /// Its directory as in [`DIRS`] (`.` for the top level).
    pub dir: String,
    /// The header, or the error that stops run.go before build constraints.
    pub header: Result<TestHeader, HeaderError>,
    /// Import paths (for statistics).
    pub imports: Vec<String>,
}

/// What a file is for one target.
#[derive(Debug, Clone, Copy)]
pub enum Class<'a> {
    /// A build constraint excludes it (this line); run.go silently ignores it.
    Excluded(&'a str),
    /// Its header is unusable; run.go reports a failure.
    Invalid(&'a HeaderError),
    /// A test with this recipe.
    Test(&'a Recipe),
}

impl TestFile {
    /// Classifies the file for `arch` in run.go's order: leading-header errors, then
    /// build constraints, then recipe errors.
    pub fn classify(&self, arch: Arch) -> Class<'_> {
        let header = match &self.header {
            Ok(header) => header,
            Err(e) => return Class::Invalid(e),
        };
        if let Some(line) = (BuildContext { arch }).first_excluding_line(&header.constraint_lines) {
            return Class::Excluded(line);
        }
        match &header.recipe {
            Ok(recipe) => Class::Test(recipe),
            Err(e) => Class::Invalid(e),
        }
    }

    /// The path of the expected-output file next to the test (may not exist).
    pub fn out_path(&self, test_root: &Path) -> PathBuf {
        test_root.join(format!("{}.out", self.rel.strip_suffix(".go").unwrap_or(&self.rel)))
    }
}

/// `dir/name`, or `name` for the top directory.
pub fn rel_path(dir: &str, name: &str) -> String {
    if dir == "." {
        name.to_string()
    } else {
        format!("{dir}/{name}")
    }
}

/// The .go files of one directory as run.go's goFiles lists them: not hidden, sorted
/// byte-wise.
pub fn go_files(test_root: &Path, dir: &str) -> io::Result<Vec<String>> {
    let mut names = Vec::new();
    for entry in fs::read_dir(test_root.join(dir))? {
        let name = entry?.file_name();
        if let Some(name) = name.to_str() {
            if !name.starts_with('.') && name.ends_with(".go") {
                names.push(name.to_string());
            }
        }
    }
    names.sort();
    Ok(names)
}

/// Reads and parses one test file.
pub fn load(test_root: &Path, dir: &str, name: &str) -> io::Result<TestFile> {
    let rel = rel_path(dir, name);
    let bytes = fs::read(test_root.join(&rel))?;
    let src = String::from_utf8_lossy(&bytes);
    Ok(TestFile { header: parse_header(&src), imports: imports(&src), dir: dir.to_string(), rel })
}

/// A command-line selection of tests: a directory (its files, as run.go does) or a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Filter {
    /// All .go files directly in this directory (`.` for the top).
    Dir(String),
    /// One file: its directory and name.
    File(String, String),
}

impl Filter {
    /// Parses `ken`, `./ken/`, `fixedbugs/bug000.go`, `helloworld.go`, or an absolute
    /// path inside GOROOT/test.
    pub fn parse(test_root: &Path, arg: &str) -> Result<Filter, String> {
        let rel = Path::new(arg).strip_prefix(test_root).map(Path::to_path_buf).unwrap_or_else(|_| arg.into());
        let rel = rel.to_str().ok_or_else(|| format!("{arg}: not UTF-8"))?;
        let rel = rel.trim_start_matches("./").trim_end_matches('/');
        let rel = if rel.is_empty() { "." } else { rel };
        if test_root.join(rel).is_dir() {
            return Ok(Filter::Dir(rel.to_string()));
        }
        if !rel.ends_with(".go") || !test_root.join(rel).is_file() {
            return Err(format!("{arg}: no such test file or directory in {}", test_root.display()));
        }
        let (dir, name) = rel.rsplit_once('/').unwrap_or((".", rel));
        Ok(Filter::File(dir.to_string(), name.to_string()))
    }

    /// Whether the test `rel` (in `dir`) is selected.
    pub fn matches(&self, dir: &str, rel: &str) -> bool {
        match self {
            Filter::Dir(d) => d == dir,
            Filter::File(d, name) => rel_path(d, name) == rel,
        }
    }
}

/// Lists and parses the selected tests (all of [`DIRS`] when `filters` is empty), in
/// run.go's order, without duplicates.
pub fn catalog(test_root: &Path, filters: &[Filter]) -> io::Result<Vec<TestFile>> {
    let mut wanted: Vec<(String, String)> = Vec::new();
    let all_dirs: Vec<Filter> = DIRS.iter().map(|d| Filter::Dir(d.to_string())).collect();
    for filter in if filters.is_empty() { &all_dirs } else { filters } {
        match filter {
            Filter::Dir(dir) => {
                wanted.extend(go_files(test_root, dir)?.into_iter().map(|name| (dir.clone(), name)));
            }
            Filter::File(dir, name) => wanted.push((dir.clone(), name.clone())),
        }
    }
    let mut seen = std::collections::HashSet::new();
    wanted.retain(|entry| seen.insert(entry.clone()));
    wanted.iter().map(|(dir, name)| load(test_root, dir, name)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::conformance::recipe::Action;

    fn test_root() -> PathBuf {
        let goroot = std::env::var("GOROOT").unwrap_or_else(|_| "/usr/lib/go-1.19".into());
        PathBuf::from(goroot).join("test")
    }

    #[test]
    fn filters() {
        let root = test_root();
        assert_eq!(Filter::parse(&root, "ken").unwrap(), Filter::Dir("ken".into()));
        assert_eq!(Filter::parse(&root, "./ken/").unwrap(), Filter::Dir("ken".into()));
        assert_eq!(Filter::parse(&root, ".").unwrap(), Filter::Dir(".".into()));
        assert_eq!(
            Filter::parse(&root, "helloworld.go").unwrap(),
            Filter::File(".".into(), "helloworld.go".into())
        );
        let abs = root.join("ken/chan.go");
        let filter = Filter::parse(&root, abs.to_str().unwrap()).unwrap();
        assert_eq!(filter, Filter::File("ken".into(), "chan.go".into()));
        assert!(filter.matches("ken", "ken/chan.go") && !filter.matches("ken", "ken/chan1.go"));
        assert!(Filter::parse(&root, "nonexistent.go").is_err());
    }

    #[test]
    fn ken_catalog() {
        let files = catalog(&test_root(), &[Filter::Dir("ken".into())]).unwrap();
        assert_eq!(files.len(), 40);
        assert!(files.windows(2).all(|w| w[0].rel < w[1].rel));
        assert_eq!(files[0].rel, "ken/array.go");
        for file in &files {
            let Class::Test(recipe) = file.classify(Arch::Amd64) else { panic!("{}", file.rel) };
            assert_eq!(recipe.action, Action::Run, "{}", file.rel);
        }
        assert!(files[0].out_path(&test_root()).ends_with("ken/array.out"));
    }

    #[test]
    fn classification_per_arch() {
        let root = test_root();
        let file = load(&root, "fixedbugs", "issue15002.go").unwrap(); // +build amd64
        assert!(matches!(file.classify(Arch::Amd64), Class::Test(_)));
        assert!(matches!(file.classify(Arch::Arm64), Class::Excluded("// +build amd64")));
        let file = load(&root, "fixedbugs/issue11656.dir", "asm.go").unwrap();
        assert!(matches!(file.classify(Arch::Amd64), Class::Excluded(_)), "ppc64 only");
        let file = load(&root, "fixedbugs/issue11656.dir", "asm_generic.go").unwrap();
        assert!(matches!(file.classify(Arch::Amd64), Class::Invalid(HeaderError::UnknownAction(_))));
        assert!(gc_expected_failure("typeparam/nested.go") && !gc_expected_failure("helloworld.go"));
    }
}
