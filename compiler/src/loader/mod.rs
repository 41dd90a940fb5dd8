//! Finding the inputs of a build: GOROOT, and the source files of the named package.
//!
//! This first slice handles a main package given as .go files or as a directory; import
//! resolution in GOROOT and modules, and build constraints, come with the type checker.

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

/// The source files of the main package named by `inputs` (files ending in .go, or one
/// directory), and the default executable name `go build` would use.
pub struct MainPackage {
    pub files: Vec<PathBuf>,
    pub default_output: PathBuf,
}

/// Resolves the build inputs; no inputs means the current directory.
pub fn main_package(inputs: &[String]) -> Result<MainPackage, String> {
    if inputs.is_empty() {
        return package_dir(Path::new("."));
    }
    if inputs.iter().all(|i| i.ends_with(".go")) {
        let files: Vec<PathBuf> = inputs.iter().map(PathBuf::from).collect();
        for f in &files {
            if !f.is_file() {
                return Err(format!("no such file: {}", f.display()));
            }
        }
        let stem = files[0].file_stem().unwrap_or_default();
        return Ok(MainPackage { default_output: PathBuf::from(stem), files });
    }
    match inputs {
        [dir] if Path::new(dir).is_dir() => package_dir(Path::new(dir)),
        [one] => Err(format!("cannot find package {one:?}: not a .go file or a directory")),
        _ => Err("named files must all be .go files, or give exactly one directory".into()),
    }
}

fn package_dir(dir: &Path) -> Result<MainPackage, String> {
    let entries = std::fs::read_dir(dir).map_err(|e| format!("reading {}: {e}", dir.display()))?;
    let mut files: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| is_package_source(p))
        .collect();
    files.sort();
    if files.is_empty() {
        return Err(format!("no Go files in {}", dir.display()));
    }
    let abs = dir.canonicalize().map_err(|e| format!("{}: {e}", dir.display()))?;
    let name = abs.file_name().map(PathBuf::from).unwrap_or_else(|| PathBuf::from("a.out"));
    Ok(MainPackage { files, default_output: name })
}

/// A .go file that belongs to the package proper (not a test, not hidden).
fn is_package_source(p: &Path) -> bool {
    let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
    name.ends_with(".go")
        && !name.ends_with("_test.go")
        && !name.starts_with('.')
        && !name.starts_with('_')
        && p.is_file()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_name_the_output_after_the_first() {
        let dir = tempfile::tempdir().unwrap();
        let a = dir.path().join("ed.go");
        let b = dir.path().join("rx.go");
        std::fs::write(&a, "package main").unwrap();
        std::fs::write(&b, "package main").unwrap();
        let p = main_package(&[a.display().to_string(), b.display().to_string()]).unwrap();
        assert_eq!(p.default_output, PathBuf::from("ed"));
        assert_eq!(p.files.len(), 2);
    }

    #[test]
    fn directory_names_the_output_after_itself() {
        let dir = tempfile::tempdir().unwrap();
        let sam = dir.path().join("sam");
        std::fs::create_dir(&sam).unwrap();
        std::fs::write(sam.join("main.go"), "package main").unwrap();
        std::fs::write(sam.join("main_test.go"), "package main").unwrap();
        let p = main_package(&[sam.display().to_string()]).unwrap();
        assert_eq!(p.default_output, PathBuf::from("sam"));
        assert_eq!(p.files, vec![sam.join("main.go")]);
    }

    #[test]
    fn missing_goroot_says_what_to_install() {
        std::env::set_var("GOROOT", "/nonexistent/goroot");
        let err = find_goroot().unwrap_err();
        std::env::remove_var("GOROOT");
        assert!(err.contains("golang-1.19-src") && err.contains("/nonexistent/goroot"), "{err}");
    }
}
