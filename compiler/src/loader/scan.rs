//! Reading a package directory: which .go files belong to the build (go/build's matchFile),
//! with their contents.

use super::context::BuildContext;
use std::path::{Path, PathBuf};

/// A file selected for the build, read into memory.
pub struct Candidate {
    /// The file name within the package directory.
    pub name: String,
    pub path: PathBuf,
    pub src: Vec<u8>,
}

/// The outcome of reading one package directory.
#[derive(Default)]
pub struct Scan {
    /// The non-test files that pass the file-name and build-constraint rules, by name.
    pub files: Vec<Candidate>,
    /// .go files left out by those rules (go/build's IgnoredGoFiles).
    pub ignored: Vec<String>,
    /// The `_test.go` files whose names and constraints match the target.
    pub tests: Vec<String>,
    /// The first file that could not be read or has a malformed constraint: gc's message.
    pub bad: Option<String>,
}

impl Scan {
    /// Reads directory `dir` (absolute): every `.go` file whose name does not start with `_` or `.`,
    /// judged by its name suffix and leading constraints. Test files are only examined when
    /// no other file is selected (to tell "only tests" from "nothing"). `Err` if the
    /// directory cannot be read.
    pub fn dir(ctx: &BuildContext, dir: &Path) -> Result<Scan, String> {
        let entries = std::fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        let mut names: Vec<String> = entries
            .filter_map(Result::ok)
            .filter_map(|e| e.file_name().into_string().ok())
            .filter(|n| n.ends_with(".go") && !n.starts_with('_') && !n.starts_with('.'))
            .collect();
        names.sort();
        let (tests, others): (Vec<String>, Vec<String>) = names.into_iter().partition(|n| n.ends_with("_test.go"));
        let mut scan = Scan::default();
        for name in others {
            scan.consider(ctx, dir, dir.join(&name), name, true);
        }
        if scan.files.is_empty() {
            for name in tests {
                scan.consider(ctx, dir, dir.join(&name), name, true);
            }
        }
        Ok(scan)
    }

    /// The files named on the command line (relative ones are relative to `cwd`; the
    /// candidates keep the paths as given): they are taken whatever their names and
    /// constraints say (go's `UseAllFiles` for command-line files), except that names
    /// starting with `_` or `.` are skipped as go/build does.
    pub fn files(ctx: &BuildContext, cwd: &Path, files: &[PathBuf]) -> Scan {
        let mut scan = Scan::default();
        for path in files {
            let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("").to_string();
            if !name.starts_with('_') && !name.starts_with('.') {
                scan.consider(ctx, cwd, path.clone(), name, false);
            }
        }
        scan
    }

    /// Sorts file `name` at `path` into the selected files, the tests or the ignored files;
    /// `apply_constraints` is false for files named on the command line.
    fn consider(&mut self, ctx: &BuildContext, cwd: &Path, path: PathBuf, name: String, apply_constraints: bool) {
        let full = cwd.join(&path);
        if apply_constraints && (!full.is_file() || !ctx.good_os_arch_file(&name)) {
            if full.is_file() {
                self.ignored.push(name);
            }
            return; // a directory named x.go, or a dangling link, is not a source file
        }
        let src = match std::fs::read(&full) {
            Ok(src) => src,
            Err(e) => {
                self.bad.get_or_insert_with(|| format!("read {}: {e}", full.display()));
                return;
            }
        };
        let keep = match ctx.should_build(&src) {
            Ok(keep) => keep || !apply_constraints,
            Err(e) => {
                self.bad.get_or_insert_with(|| format!("{name}: {e}"));
                return;
            }
        };
        match (keep, name.ends_with("_test.go")) {
            (false, _) => self.ignored.push(name),
            (true, true) => self.tests.push(name),
            (true, false) => self.files.push(Candidate { name, path, src }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::target::{Arch, Target};

    fn ctx() -> BuildContext {
        BuildContext::for_target(PathBuf::from(super::super::DEFAULT_GOROOT), Target { arch: Arch::Amd64 })
    }

    #[test]
    fn directory_files_are_selected() {
        let tmp = tempfile::tempdir().unwrap();
        let write = |n: &str, s: &str| std::fs::write(tmp.path().join(n), s).unwrap();
        write("a.go", "package p\n");
        write("b_windows.go", "package p\n");
        write("c.go", "//go:build ignore\n\npackage p\n");
        write("d_test.go", "package p\n");
        write("_e.go", "package p\n");
        write(".f.go", "package p\n");
        write("g_amd64.go", "package p\n");
        write("notes.txt", "");
        let scan = Scan::dir(&ctx(), tmp.path()).unwrap();
        let names: Vec<&str> = scan.files.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(names, ["a.go", "g_amd64.go"]);
        assert_eq!(scan.ignored, ["b_windows.go", "c.go"]);
        assert!(scan.tests.is_empty(), "tests are only examined when nothing else builds");
        std::fs::remove_file(tmp.path().join("a.go")).unwrap();
        std::fs::remove_file(tmp.path().join("g_amd64.go")).unwrap();
        let scan = Scan::dir(&ctx(), tmp.path()).unwrap();
        assert_eq!(scan.tests, ["d_test.go"]);
        assert!(scan.bad.is_none());
    }

    #[test]
    fn named_files_ignore_constraints() {
        let tmp = tempfile::tempdir().unwrap();
        let gen = tmp.path().join("gen_windows.go");
        std::fs::write(&gen, "//go:build ignore\n\npackage main\n").unwrap();
        let scan = Scan::files(&ctx(), tmp.path(), &[gen]);
        assert_eq!(scan.files.len(), 1);
    }

    #[test]
    fn malformed_constraints_are_reported() {
        let tmp = tempfile::tempdir().unwrap();
        std::fs::write(tmp.path().join("a.go"), "//go:build linux &&\n\npackage p\n").unwrap();
        let scan = Scan::dir(&ctx(), tmp.path()).unwrap();
        assert_eq!(scan.bad.as_deref(), Some("a.go: parsing //go:build line: unexpected end of expression"));
    }
}
