//! Load errors, printed the way the go command prints package errors.

use std::fmt;

/// A problem found while loading packages: a missing or unbuildable package, an import
/// cycle, a forbidden import, an unreadable file.
///
/// It prints as the go command's `PackageError` does: `POS: MSG` for errors about one import
/// declaration (the position of the import spec), `package A\n\timports B: MSG` when the
/// import stack explains the error (cycles, packages without buildable files), and just
/// `MSG` for a package named on the command line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LoadError {
    /// The import stack: the root package first, then each import on the way to the
    /// package concerned.
    pub stack: Vec<String>,
    /// `file:line:col` of the import declaration concerned, if any.
    pub pos: Option<String>,
    /// Print the stack even though there is a position (the go command does for uses of
    /// internal packages).
    pub always_stack: bool,
    /// What went wrong.
    pub kind: ErrorKind,
    /// The message proper, e.g. `import cycle not allowed`.
    pub msg: String,
}

/// What went wrong, for callers that react to particular errors.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorKind {
    /// No package for an import path (not in GOROOT, not in the main module).
    NotFound,
    /// The import path is malformed or relative.
    InvalidPath,
    /// The directory has no Go files, none for this target, or only tests.
    NoGoFiles,
    /// Files of two different packages in one directory.
    MultiplePackages,
    /// An import cycle (`import cycle not allowed`).
    ImportCycle,
    /// An internal or vendored package imported from outside its tree, or a main package
    /// imported.
    NotAllowed,
    /// A file could not be read or has a malformed build constraint.
    BadFile,
    /// The command line named something that is not a package (files in several
    /// directories, a file that is not .go, a missing directory).
    BadArgument,
}

impl LoadError {
    /// An error about a package itself, reported with its import stack.
    pub fn with_stack(stack: Vec<String>, kind: ErrorKind, msg: String) -> LoadError {
        LoadError { stack, pos: None, always_stack: false, kind, msg }
    }

    /// An error about one import declaration at `pos`.
    pub fn at(pos: Option<String>, kind: ErrorKind, msg: String) -> LoadError {
        LoadError { stack: Vec::new(), pos, always_stack: false, kind, msg }
    }

    /// An error with no position or stack (a root named on the command line).
    pub fn plain(kind: ErrorKind, msg: String) -> LoadError {
        LoadError::at(None, kind, msg)
    }
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(pos) = &self.pos {
            if self.stack.is_empty() || !self.always_stack {
                return write!(f, "{pos}: {}", self.msg);
            }
        }
        if self.stack.is_empty() {
            return f.write_str(&self.msg);
        }
        write!(f, "package {}", self.stack.join("\n\timports "))?;
        if let Some(pos) = &self.pos {
            write!(f, "\n\t{pos}")?;
        }
        write!(f, ": {}", self.msg)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_like_the_go_command() {
        let cycle = LoadError::with_stack(
            vec!["cyc".into(), "cyc/a".into(), "cyc/b".into(), "cyc/a".into()],
            ErrorKind::ImportCycle,
            "import cycle not allowed".into(),
        );
        assert_eq!(
            cycle.to_string(),
            "package cyc\n\timports cyc/a\n\timports cyc/b\n\timports cyc/a: import cycle not allowed"
        );
        let missing = LoadError::at(
            Some("main.go:5:2".into()),
            ErrorKind::NotFound,
            "package foo/bar is not in GOROOT (/usr/lib/go-1.19/src/foo/bar)".into(),
        );
        assert_eq!(missing.to_string(), "main.go:5:2: package foo/bar is not in GOROOT (/usr/lib/go-1.19/src/foo/bar)");
        let internal = LoadError {
            stack: vec!["e".into()],
            pos: Some("main.go:10:2".into()),
            always_stack: true,
            kind: ErrorKind::NotAllowed,
            msg: "use of internal package internal/cpu not allowed".into(),
        };
        assert_eq!(internal.to_string(), "package e\n\tmain.go:10:2: use of internal package internal/cpu not allowed");
        let plain = LoadError::plain(ErrorKind::NoGoFiles, "no Go files in /x".into());
        assert_eq!(plain.to_string(), "no Go files in /x");
    }
}
