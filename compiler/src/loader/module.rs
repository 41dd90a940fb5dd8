//! The main module: the nearest go.mod above the input directory, its module path and Go
//! version. Packages whose import path starts with the module path live in the module's
//! directory tree.

use std::path::{Path, PathBuf};

/// A module found from its go.mod file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Module {
    /// The module path (`module` directive), e.g. `example.com/m`.
    pub path: String,
    /// The directory holding go.mod.
    pub dir: PathBuf,
    /// The `go` directive's version (e.g. `1.19`), if present: the language version gc
    /// checks the module's packages against (`-lang=go1.19`).
    pub go_version: Option<String>,
}

impl Module {
    /// The module of the nearest go.mod in `start` or a parent directory, None if there is
    /// none. `start` should be absolute.
    pub fn find(start: &Path) -> Result<Option<Module>, String> {
        for dir in start.ancestors() {
            let gomod = dir.join("go.mod");
            if gomod.is_file() {
                let text = std::fs::read_to_string(&gomod).map_err(|e| format!("reading {}: {e}", gomod.display()))?;
                return Module::parse(&text, dir).map(Some).map_err(|e| format!("{}: {e}", gomod.display()));
            }
        }
        Ok(None)
    }

    /// Reads the `module` and `go` directives of a go.mod text (other directives are
    /// accepted and ignored).
    pub fn parse(text: &str, dir: &Path) -> Result<Module, String> {
        let mut path = None;
        let mut go_version = None;
        for line in text.lines() {
            let line = line.split("//").next().unwrap_or("").trim();
            let mut words = line.split_whitespace();
            match (words.next(), words.next()) {
                (Some("module"), Some(p)) if path.is_none() => path = Some(unquote(p)),
                (Some("go"), Some(v)) if go_version.is_none() => go_version = Some(v.to_string()),
                _ => {}
            }
        }
        match path {
            Some(path) if !path.is_empty() => Ok(Module { path, dir: dir.to_path_buf(), go_version }),
            _ => Err("no module declaration in go.mod".into()),
        }
    }

    /// The directory of import path `path` if it lies in this module.
    pub fn dir_of(&self, path: &str) -> Option<PathBuf> {
        if path == self.path {
            return Some(self.dir.clone());
        }
        let rel = path.strip_prefix(&self.path)?.strip_prefix('/')?;
        Some(self.dir.join(rel))
    }

    /// The import path of directory `dir` if it lies in this module's tree.
    pub fn path_of(&self, dir: &Path) -> Option<String> {
        let rel = dir.strip_prefix(&self.dir).ok()?;
        let rel = rel.to_str()?;
        Some(if rel.is_empty() { self.path.clone() } else { format!("{}/{rel}", self.path) })
    }
}

fn unquote(word: &str) -> String {
    let w = word.strip_prefix('"').and_then(|w| w.strip_suffix('"'));
    let w = w.or_else(|| word.strip_prefix('`').and_then(|w| w.strip_suffix('`')));
    w.unwrap_or(word).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn directives_are_read() {
        let text =
            "// comment\nmodule \"example.com/m\" // trailing\n\ngo 1.19\n\nrequire (\n\tgolang.org/x/y v1.0.0\n)\n";
        let m = Module::parse(text, Path::new("/src/m")).unwrap();
        assert_eq!(m.path, "example.com/m");
        assert_eq!(m.go_version.as_deref(), Some("1.19"));
        assert_eq!(m.dir_of("example.com/m/sub/x"), Some(PathBuf::from("/src/m/sub/x")));
        assert_eq!(m.dir_of("example.com/m"), Some(PathBuf::from("/src/m")));
        assert_eq!(m.dir_of("example.com/mx"), None);
        assert_eq!(m.path_of(Path::new("/src/m/a/b")).as_deref(), Some("example.com/m/a/b"));
        assert_eq!(m.path_of(Path::new("/src/m")).as_deref(), Some("example.com/m"));
        assert_eq!(m.path_of(Path::new("/src/n")), None);
    }

    #[test]
    fn missing_module_directive_is_an_error() {
        assert!(Module::parse("go 1.19\n", Path::new("/x")).is_err());
    }

    #[test]
    fn found_from_a_subdirectory() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("go.mod"), "module m\n").unwrap();
        let sub = dir.path().join("a/b");
        std::fs::create_dir_all(&sub).unwrap();
        let m = Module::find(&sub).unwrap().unwrap();
        assert_eq!((m.path.as_str(), m.dir.as_path()), ("m", dir.path()));
    }
}
