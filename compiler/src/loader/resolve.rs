//! Import resolution: which directory an import path names, following the go command in
//! module mode (Go 1.19):
//!
//! * `unsafe` is a pseudo-package without files.
//! * From a standard-library package, a path whose first element has a dot
//!   (`golang.org/x/net/...`) names std's vendored copy in GOROOT/src/vendor (GOROOT/src/cmd/vendor
//!   for packages under cmd/), whose import path is `vendor/golang.org/x/net/...`.
//! * A path whose first element has no dot and whose directory exists in GOROOT/src is a
//!   standard-library package.
//! * In a build, a standard path for which goclift has its own package (go/P in its source
//!   tree, see `BuildContext::overlay`) names that package.
//! * A path under the main module's path names a directory of the module (which must hold
//!   .go files).
//! * Anything else is missing: `package P is not in GOROOT (DIR)` for dotless paths, `no
//!   required module provides package P` otherwise.
//!
//! The rules on who may import what (internal/, vendor/, main packages) are checked when the
//! graph is assembled, where the import stack is known.

use super::context::BuildContext;
use super::error::ErrorKind;
use super::module::Module;
use std::path::{Path, PathBuf};

/// Where a package comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum PackageKind {
    /// A package in GOROOT/src (the standard library, its vendored packages, cmd).
    Standard,
    /// A package of the main module.
    Module,
    /// Files named on the command line, or a directory outside GOROOT and any module.
    Local,
    /// The `unsafe` pseudo-package: no files.
    Unsafe,
}

/// A resolved package: its import path, directory and kind.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Location {
    /// The import path (std's vendored packages under `vendor/`).
    pub path: String,
    /// The package directory (absolute).
    pub dir: PathBuf,
    /// Where the package comes from.
    pub kind: PackageKind,
}

/// The package that contains an import declaration, as far as resolution cares.
#[derive(Clone, Copy, Debug)]
pub struct Importer<'a> {
    /// The importer's import path (its directory's, for command-line files).
    pub path: &'a str,
    /// Where the importer comes from: std packages see std's vendored packages.
    pub kind: PackageKind,
}

/// Why an import path does not resolve: the kind and gc's message.
pub type Unresolved = (ErrorKind, String);

/// Resolves import paths for one build.
pub struct Resolver<'a> {
    /// The build (GOROOT).
    pub ctx: &'a BuildContext,
    /// The main module, if a go.mod was found.
    pub module: Option<&'a Module>,
}

impl<'a> Resolver<'a> {
    /// The package imported as `path` by `importer` (None for a path named on the command
    /// line).
    pub fn resolve(&self, importer: Option<Importer>, path: &str) -> Result<Location, Unresolved> {
        check_import_path(path)?;
        if path == "unsafe" {
            let dir = self.ctx.goroot_src().join("unsafe");
            return Ok(Location { path: path.into(), dir, kind: PackageKind::Unsafe });
        }
        if path == "C" {
            // Files importing "C" are dropped before resolution while cgo is off.
            return Err((ErrorKind::NotFound, "import \"C\" needs cgo, which goclift does not support".into()));
        }
        if let Some(importer) = importer.filter(|i| i.kind == PackageKind::Standard) {
            if let Some(loc) = self.std_vendored(importer.path, path) {
                return Ok(loc);
            }
        }
        let std_like = is_standard_import_path(path);
        if let Some(dir) = self.overlaid(path) {
            return Ok(Location { path: path.into(), dir, kind: PackageKind::Standard });
        }
        if std_like {
            let dir = self.ctx.goroot_src().join(path);
            if dir.is_dir() {
                return Ok(Location { path: path.into(), dir, kind: PackageKind::Standard });
            }
        }
        if let Some(dir) = self.module.and_then(|m| m.dir_of(path)) {
            if has_go_files(&dir) {
                return Ok(Location { path: path.into(), dir, kind: PackageKind::Module });
            }
        }
        Err((ErrorKind::NotFound, self.missing_message(path, std_like)))
    }

    /// goclift's replacement of standard package `path`, if the build has one.
    /// (A directory that only extends GOROOT's package is not a replacement.)
    fn overlaid(&self, path: &str) -> Option<PathBuf> {
        let dir = self.ctx.overlay.as_ref()?.join(path);
        let extends = dir.join(super::context::EXTENDS_MARKER).is_file();
        (is_standard_import_path(path) && !extends && has_go_files(&dir)).then_some(dir)
    }

    /// std's vendored copy of `path` for a standard-library importer, if there is one.
    fn std_vendored(&self, importer: &str, path: &str) -> Option<Location> {
        if is_standard_import_path(path) {
            return None;
        }
        let in_cmd = importer == "cmd" || importer.starts_with("cmd/");
        let vendored = if in_cmd { format!("cmd/vendor/{path}") } else { format!("vendor/{path}") };
        let dir = self.ctx.goroot_src().join(&vendored);
        dir.exists().then_some(Location { path: vendored, dir, kind: PackageKind::Standard })
    }

    fn missing_message(&self, path: &str, std_like: bool) -> String {
        if std_like {
            let dir = self.ctx.goroot_src().join(path);
            return format!("package {path} is not in GOROOT ({})", dir.display());
        }
        if self.module.is_some() {
            return format!("no required module provides package {path}; to add it:\n\tgo get {path}");
        }
        format!(
            "no required module provides package {path}: go.mod file not found in current directory or any \
             parent directory; see 'go help modules'"
        )
    }

    /// The package in directory `dir` (absolute): a standard package under GOROOT/src, a
    /// package of the main module, or else a local package named after its directory
    /// (`_/abs/dir`, as the go command names directories outside GOPATH).
    pub fn locate_dir(&self, dir: &Path) -> Location {
        if let Some(rel) = self.goroot_relative(dir) {
            let dir = self.ctx.goroot_src().join(&rel);
            return Location { path: rel, dir, kind: PackageKind::Standard };
        }
        if let Some(path) = self.module.and_then(|m| m.path_of(dir)) {
            return Location { path, dir: dir.to_path_buf(), kind: PackageKind::Module };
        }
        Location { path: format!("_{}", dir.display()), dir: dir.to_path_buf(), kind: PackageKind::Local }
    }

    /// The path of `dir` below GOROOT/src, also when one of them is reached through a
    /// symbolic link (Debian's GOROOT/src is one).
    fn goroot_relative(&self, dir: &Path) -> Option<String> {
        let src = self.ctx.goroot_src();
        let rel = |d: &Path, s: &Path| d.strip_prefix(s).ok().and_then(|r| r.to_str()).map(String::from);
        let found = rel(dir, &src).or_else(|| rel(&dir.canonicalize().ok()?, &src.canonicalize().ok()?));
        found.filter(|r| !r.is_empty())
    }
}

/// Whether `path` looks like a standard-library path: its first element has no dot.
pub fn is_standard_import_path(path: &str) -> bool {
    !path.split('/').next().unwrap_or("").contains('.')
}

/// Whether `path` is relative (`.`, `..`, `./x`, `../x`).
pub fn is_local_import(path: &str) -> bool {
    path == "." || path == ".." || path.starts_with("./") || path.starts_with("../")
}

/// Whether gc's compiler reports an import of `path` before looking for the package: types2
/// rejects an empty path and one with a character that is not graphic, a space or one of
/// ``!"#$%&'()*,:;<=>?[\]^`{|}`` and U+FFFD; gc's importer one that is absolute or not
/// canonical (`a//b`, `a/./b`). The loader leaves such imports to the type checker, which
/// reports them in gc's words, rather than refusing to load the package as the go command
/// does (so that `goclift check` prints what `go tool compile` prints).
pub fn left_to_compiler(path: &str) -> bool {
    const ILLEGAL: &str = "!\"#$%&'()*,:;<=>?[\\]^{|}`\u{FFFD}";
    path.is_empty()
        || path.chars().any(|c| c.is_control() || c.is_whitespace() || ILLEGAL.contains(c))
        || path.starts_with('/')
        || !is_local_import(path) && clean_path(path) != path
}

/// `p` with `.` and `..` elements resolved and repeated and trailing slashes removed (Go's
/// path.Clean).
pub fn clean_path(p: &str) -> String {
    let rooted = p.starts_with('/');
    let mut out: Vec<&str> = Vec::new();
    for elem in p.split('/') {
        match elem {
            "" | "." => {}
            ".." if out.last().is_some_and(|l| *l != "..") => {
                out.pop();
            }
            ".." if rooted => {}
            e => out.push(e),
        }
    }
    let body = out.join("/");
    match (rooted, body.is_empty()) {
        (true, _) => format!("/{body}"),
        (false, true) => ".".to_string(),
        (false, false) => body,
    }
}

/// Rejects relative and malformed import paths with the go command's messages.
fn check_import_path(path: &str) -> Result<(), Unresolved> {
    if is_local_import(path) {
        let msg = format!("{path:?} is relative, but relative import paths are not supported in module mode");
        return Err((ErrorKind::InvalidPath, msg));
    }
    let element_ok = |e: &str| {
        !e.is_empty()
            && !e.chars().all(|c| c == '.')
            && !e.ends_with('.')
            && e.chars().all(|c| c.is_ascii_alphanumeric() || "-._~+".contains(c))
    };
    if path.is_empty() || !path.split('/').all(element_ok) {
        return Err((ErrorKind::InvalidPath, format!("invalid import path: {path:?}")));
    }
    Ok(())
}

/// Whether `dir` is a directory holding at least one .go file (the go command's test for
/// "this module provides the package").
fn has_go_files(dir: &Path) -> bool {
    let Ok(entries) = std::fs::read_dir(dir) else { return false };
    entries.filter_map(Result::ok).any(|e| {
        let name = e.file_name();
        name.to_str().is_some_and(|n| n.ends_with(".go")) && e.path().is_file()
    })
}

/// The index in `path` just past the last `internal` element's parent, i.e. the parent
/// path of the internal tree (`a/b` for `a/b/internal/c`, `` for `internal/x`), if `path`
/// has an `internal` element.
pub fn internal_parent(path: &str) -> Option<&str> {
    if let Some(p) = path.strip_suffix("/internal") {
        return Some(p);
    }
    if let Some(i) = path.rfind("/internal/") {
        return Some(&path[..i]);
    }
    (path == "internal" || path.starts_with("internal/")).then_some("")
}

/// The parent of the last `vendor` element of `path` (as [`internal_parent`]), if any.
pub fn vendor_parent(path: &str) -> Option<&str> {
    if let Some(i) = path.rfind("/vendor/") {
        return Some(&path[..i]);
    }
    path.starts_with("vendor/").then_some("")
}

/// Whether import path `path` equals `prefix` or lies below it.
pub fn has_path_prefix(path: &str, prefix: &str) -> bool {
    match path.strip_prefix(prefix) {
        Some(rest) => rest.is_empty() || (!prefix.is_empty() && rest.starts_with('/')),
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::target::{Arch, Target};

    fn ctx() -> BuildContext {
        BuildContext::for_target(PathBuf::from(super::super::DEFAULT_GOROOT), Target { arch: Arch::Amd64 })
    }

    fn std_importer(path: &str) -> Option<Importer<'_>> {
        Some(Importer { path, kind: PackageKind::Standard })
    }

    #[test]
    fn paths_gc_reports_itself() {
        assert_eq!(clean_path("unicode//utf8"), "unicode/utf8");
        assert_eq!(clean_path("a/./b/../c/"), "a/c");
        assert_eq!(clean_path("/../x"), "/x");
        assert_eq!(clean_path("../../x"), "../../x");
        assert_eq!(clean_path(""), ".");
        for bad in ["", "a b", "\\x", "x\u{0}", "a!", "/foo", "unicode//utf8", "fmt/"] {
            assert!(left_to_compiler(bad), "{bad:?}");
        }
        for good in ["fmt", "golang.org/x/net", "./x", "a-b~c+d"] {
            assert!(!left_to_compiler(good), "{good:?}");
        }
    }

    #[test]
    fn standard_packages() {
        let c = ctx();
        let r = Resolver { ctx: &c, module: None };
        let loc = r.resolve(None, "fmt").unwrap();
        assert_eq!((loc.path.as_str(), loc.kind), ("fmt", PackageKind::Standard));
        assert_eq!(loc.dir, c.goroot_src().join("fmt"));
        assert_eq!(r.resolve(None, "unsafe").unwrap().kind, PackageKind::Unsafe);
    }

    #[test]
    fn std_vendoring() {
        let c = ctx();
        let r = Resolver { ctx: &c, module: None };
        let loc = r.resolve(std_importer("net"), "golang.org/x/net/dns/dnsmessage").unwrap();
        assert_eq!(loc.path, "vendor/golang.org/x/net/dns/dnsmessage");
        assert_eq!(loc.dir, c.goroot_src().join("vendor/golang.org/x/net/dns/dnsmessage"));
        let loc = r.resolve(std_importer("vendor/golang.org/x/net/http/httpproxy"), "golang.org/x/net/idna").unwrap();
        assert_eq!(loc.path, "vendor/golang.org/x/net/idna");
        let loc = r.resolve(std_importer("cmd/go/internal/modload"), "golang.org/x/mod/module").unwrap();
        assert_eq!(loc.path, "cmd/vendor/golang.org/x/mod/module");
        // Not from user code.
        let user = Some(Importer { path: "example.com/m", kind: PackageKind::Module });
        let err = r.resolve(user, "golang.org/x/net/dns/dnsmessage").unwrap_err();
        assert!(err.1.starts_with("no required module provides package golang.org/x/net/dns/dnsmessage"), "{}", err.1);
    }

    #[test]
    fn missing_packages_have_gc_messages() {
        let c = ctx();
        let r = Resolver { ctx: &c, module: None };
        let (kind, msg) = r.resolve(None, "foo/bar").unwrap_err();
        assert_eq!(kind, ErrorKind::NotFound);
        assert_eq!(msg, "package foo/bar is not in GOROOT (/usr/lib/go-1.19/src/foo/bar)");
        let (_, msg) = r.resolve(None, "github.com/x/y").unwrap_err();
        assert_eq!(
            msg,
            "no required module provides package github.com/x/y: go.mod file not found in current directory or \
             any parent directory; see 'go help modules'"
        );
        assert_eq!(r.resolve(None, "").unwrap_err().1, "invalid import path: \"\"");
        assert_eq!(r.resolve(None, "a b").unwrap_err().1, "invalid import path: \"a b\"");
        assert_eq!(
            r.resolve(None, "./rel").unwrap_err().1,
            "\"./rel\" is relative, but relative import paths are not supported in module mode"
        );
    }

    #[test]
    fn module_packages() {
        let tmp = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(tmp.path().join("sub")).unwrap();
        std::fs::create_dir_all(tmp.path().join("empty")).unwrap();
        std::fs::write(tmp.path().join("sub/s.go"), "package sub\n").unwrap();
        let m = Module { path: "example.com/m".into(), dir: tmp.path().to_path_buf(), go_version: None };
        let c = ctx();
        let r = Resolver { ctx: &c, module: Some(&m) };
        let loc = r.resolve(None, "example.com/m/sub").unwrap();
        assert_eq!((loc.dir, loc.kind), (tmp.path().join("sub"), PackageKind::Module));
        let (_, msg) = r.resolve(None, "example.com/m/empty").unwrap_err();
        assert_eq!(
            msg,
            "no required module provides package example.com/m/empty; to add it:\n\tgo get example.com/m/empty"
        );
        assert_eq!(r.locate_dir(&tmp.path().join("sub")).path, "example.com/m/sub");
        assert_eq!(r.locate_dir(&c.goroot_src().join("net/http")).path, "net/http");
        let real = c.goroot_src().join("net/http").canonicalize().unwrap();
        let loc = r.locate_dir(&real);
        assert_eq!((loc.path.as_str(), loc.dir), ("net/http", c.goroot_src().join("net/http")));
    }

    #[test]
    fn internal_and_vendor_parents() {
        assert_eq!(internal_parent("a/b/internal/c"), Some("a/b"));
        assert_eq!(internal_parent("a/internal"), Some("a"));
        assert_eq!(internal_parent("internal/cpu"), Some(""));
        assert_eq!(internal_parent("a/internalx/c"), None);
        assert_eq!(vendor_parent("vendor/golang.org/x/net"), Some(""));
        assert_eq!(vendor_parent("cmd/vendor/golang.org/x/mod"), Some("cmd"));
        assert_eq!(vendor_parent("a/vendor"), None);
        assert!(has_path_prefix("a/b/c", "a/b") && has_path_prefix("a/b", "a/b"));
        assert!(!has_path_prefix("a/bc", "a/b") && !has_path_prefix("x", ""));
    }
}
