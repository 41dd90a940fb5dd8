//! The build context: the target's tags and the rules go/build uses to decide which files
//! of a directory belong to the build (file-name suffixes, `//go:build` and `// +build`
//! lines in the leading comments).

use super::constraint::{self, Expr};
use crate::target::Target;
use std::path::PathBuf;

/// The operating systems go/build knows as file-name suffixes (`_linux.go`).
const KNOWN_OS: &[&str] = &[
    "aix",
    "android",
    "darwin",
    "dragonfly",
    "freebsd",
    "hurd",
    "illumos",
    "ios",
    "js",
    "linux",
    "nacl",
    "netbsd",
    "openbsd",
    "plan9",
    "solaris",
    "windows",
    "zos",
];

/// The operating systems that satisfy the `unix` tag.
const UNIX_OS: &[&str] = &[
    "aix",
    "android",
    "darwin",
    "dragonfly",
    "freebsd",
    "hurd",
    "illumos",
    "ios",
    "linux",
    "netbsd",
    "openbsd",
    "solaris",
];

/// The architectures go/build knows as file-name suffixes (`_arm64.go`).
const KNOWN_ARCH: &[&str] = &[
    "386",
    "amd64",
    "amd64p32",
    "arm",
    "armbe",
    "arm64",
    "arm64be",
    "loong64",
    "mips",
    "mipsle",
    "mips64",
    "mips64le",
    "mips64p32",
    "mips64p32le",
    "ppc",
    "ppc64",
    "ppc64le",
    "riscv",
    "riscv64",
    "s390",
    "s390x",
    "sparc",
    "sparc64",
    "wasm",
];

/// The newest Go release goclift implements: release tags go1.1 … go1.19 are satisfied.
pub const GO_MINOR_VERSION: u32 = 19;

/// What a build is for: GOROOT, the target, and the tags files are selected by.
///
/// The compiler tag is `gc`: goclift stands in for gc, because it provides the hooks that
/// GOROOT's gc-specific files expect (the runtime's `//go:linkname` targets, bodyless
/// functions that gc implements in assembly or the runtime), so those files are the right
/// ones to compile, not gccgo's. cgo is off: files that import "C" are left out, as with
/// `CGO_ENABLED=0`.
#[derive(Clone, Debug)]
pub struct BuildContext {
    /// GOROOT (its `src` holds the standard library).
    pub goroot: PathBuf,
    /// GOOS (`linux`).
    pub goos: String,
    /// GOARCH (`amd64`, `arm64`).
    pub goarch: String,
    /// The compiler tag: always "gc" (see above).
    pub compiler: String,
    /// Whether cgo is enabled; goclift has no cgo, so [`BuildContext::for_target`] sets false.
    pub cgo_enabled: bool,
    /// `go1.1` … `go1.19`.
    pub release_tags: Vec<String>,
    /// The tags of gc's toolchain experiments enabled by default for the target
    /// (`goexperiment.regabiwrappers`, `goexperiment.regabiargs` on amd64 and arm64 in Go
    /// 1.19). They select internal/abi's and internal/goexperiment's files, so that reflect
    /// sees gc's ABI constants as the design asks.
    pub tool_tags: Vec<String>,
    /// User tags (`-tags`), none by default.
    pub build_tags: Vec<String>,
    /// goclift's own packages (the source tree's go/ directory): a directory go/P with .go
    /// files replaces GOROOT's package P, unless it holds an [`EXTENDS_MARKER`] file: then its
    /// files are added to GOROOT's P. Set for builds, not for `goclift check`, which checks
    /// GOROOT's packages as they are.
    pub overlay: Option<PathBuf>,
}

/// The file that makes an overlay directory go/P add its files to GOROOT's package P
/// instead of replacing it (go/reflect: the bridge of reflect's calls to goclift's convention).
pub const EXTENDS_MARKER: &str = "EXTENDS_GOROOT";

/// Standard packages whose assembly goclift does not assemble but which have portable Go
/// versions of the same functions: their files are selected as for an architecture without
/// assembly (see [`BuildContext::for_std_package`]).
const PORTABLE_GO_PACKAGES: &[&str] = &[
    "crypto/aes",
    "crypto/cipher",
    "crypto/elliptic",
    "crypto/internal/edwards25519/field",
    "crypto/internal/nistec",
    "crypto/md5",
    "crypto/sha1",
    "crypto/sha256",
    "crypto/sha512",
    "hash/crc32",
    "math/big",
    "vendor/golang.org/x/crypto/chacha20",
    "vendor/golang.org/x/crypto/chacha20poly1305",
    "vendor/golang.org/x/crypto/curve25519/internal/field",
    "vendor/golang.org/x/crypto/internal/poly1305",
];

/// The tags that ask GOROOT's packages for their portable Go code.
const PORTABLE_GO_TAGS: &[&str] = &["math_big_pure_go", "purego"];

impl BuildContext {
    /// The context gc 1.19 would use for `target` with cgo disabled.
    pub fn for_target(goroot: PathBuf, target: Target) -> BuildContext {
        let release_tags = (1..=GO_MINOR_VERSION).map(|i| format!("go1.{i}")).collect();
        let tool_tags = ["goexperiment.regabiwrappers", "goexperiment.regabiargs"].map(String::from).to_vec();
        BuildContext {
            goroot,
            goos: target.goos().to_string(),
            goarch: target.goarch().to_string(),
            compiler: "gc".to_string(),
            cgo_enabled: false,
            release_tags,
            tool_tags,
            build_tags: Vec::new(),
            overlay: None,
        }
    }

    /// goclift's directory of files added to GOROOT's package `path`, if the build has one.
    pub fn extension_dir(&self, path: &str) -> Option<PathBuf> {
        let dir = self.overlay.as_ref()?.join(path);
        dir.join(EXTENDS_MARKER).is_file().then_some(dir)
    }

    /// The context in which standard package `path` is built: the target's, except, in
    /// builds (contexts with an overlay), for the packages with portable fallbacks for their
    /// assembly ([`PORTABLE_GO_PACKAGES`]), whose files are chosen as for an architecture
    /// with no assembly of its own: no GOARCH tag or file suffix matches, and `purego` and
    /// `math_big_pure_go` hold (gc's own choice on such architectures). Type sizes still come
    /// from the real target. `goclift check` sees the target's files, as gc and go list do.
    pub fn for_std_package(&self, path: &str) -> std::borrow::Cow<'_, BuildContext> {
        if self.overlay.is_none() || PORTABLE_GO_PACKAGES.binary_search(&path).is_err() {
            return std::borrow::Cow::Borrowed(self);
        }
        let mut ctx = self.clone();
        ctx.goarch = "goclift-noasm".to_string();
        ctx.build_tags.extend(PORTABLE_GO_TAGS.iter().map(|t| t.to_string()));
        std::borrow::Cow::Owned(ctx)
    }

    /// GOROOT/src.
    pub fn goroot_src(&self) -> PathBuf {
        self.goroot.join("src")
    }

    /// Whether build tag `name` is satisfied (go/build's matchTag): cgo if enabled, GOOS,
    /// GOARCH, the compiler, `unix` on Unix systems, and the release, tool and user tags.
    pub fn has_tag(&self, name: &str) -> bool {
        if name == "cgo" {
            return self.cgo_enabled;
        }
        if name == self.goos || name == self.goarch || name == self.compiler {
            return true;
        }
        if (self.goos == "android" && name == "linux")
            || (self.goos == "illumos" && name == "solaris")
            || (self.goos == "ios" && name == "darwin")
        {
            return true;
        }
        if name == "unix" && UNIX_OS.contains(&self.goos.as_str()) {
            return true;
        }
        let name = if name == "boringcrypto" { "goexperiment.boringcrypto" } else { name };
        let listed = |tags: &[String]| tags.iter().any(|t| t == name);
        listed(&self.build_tags) || listed(&self.tool_tags) || listed(&self.release_tags)
    }

    /// Whether the file name's `_GOOS`, `_GOARCH` or `_GOOS_GOARCH` suffix (before an
    /// optional `_test`) allows the file for this target (go/build's goodOSArchFile). Only
    /// the part after the first `_` counts, so `linux.go` is not constrained.
    pub fn good_os_arch_file(&self, name: &str) -> bool {
        let stem = name.split('.').next().unwrap_or(name);
        let Some(i) = stem.find('_') else { return true };
        let mut parts: Vec<&str> = stem[i..].split('_').collect();
        if parts.last() == Some(&"test") {
            parts.pop();
        }
        let n = parts.len();
        if n >= 2 && KNOWN_OS.contains(&parts[n - 2]) && KNOWN_ARCH.contains(&parts[n - 1]) {
            return self.has_tag(parts[n - 1]) && self.has_tag(parts[n - 2]);
        }
        if n >= 1 && (KNOWN_OS.contains(&parts[n - 1]) || KNOWN_ARCH.contains(&parts[n - 1])) {
            return self.has_tag(parts[n - 1]);
        }
        true
    }

    /// Whether a file with contents `src` is built, judged by the build constraints in its
    /// leading comments (go/build's shouldBuild). Errors name a malformed or repeated
    /// `//go:build` line.
    pub fn should_build(&self, src: &[u8]) -> Result<bool, String> {
        let header = FileHeader::scan(src)?;
        let has_tag = |t: &str| self.has_tag(t);
        if let Some(line) = header.go_build {
            let text = constraint::go_build_text(&line).unwrap_or("");
            let expr = constraint::parse_go_build(text).map_err(|e| format!("parsing //go:build line: {e}"))?;
            return Ok(expr.eval(&has_tag));
        }
        Ok(header.plus_build.iter().all(|x| x.eval(&has_tag)))
    }
}

/// The build constraints found in a file's leading comments.
#[derive(Debug, Default)]
pub struct FileHeader {
    /// The `//go:build` line (trimmed), if any; it controls when present.
    pub go_build: Option<String>,
    /// The `// +build` lines, which count only when there is no `//go:build` line and they
    /// come before the last blank line preceding the first non-comment line (so that a
    /// package doc comment is not mistaken for a constraint). All must be satisfied.
    pub plus_build: Vec<Expr>,
}

impl FileHeader {
    /// Reads the header of a Go source file as go/build's parseFileHeader does: the leading
    /// run of comments and blank lines, up to the first non-comment text. A UTF-8 byte order
    /// mark is skipped. Fails on a second `//go:build` line.
    pub fn scan(src: &[u8]) -> Result<FileHeader, String> {
        let src = src.strip_prefix(b"\xef\xbb\xbf").unwrap_or(src);
        let mut header = FileHeader::default();
        let mut plus_end = 0; // +build lines must lie before this offset
        let mut ended = false; // saw a line that does not start with `//`
        let mut in_block = false; // inside a /* */ comment
        let mut offset = 0;
        'lines: while offset < src.len() {
            let line_end = src[offset..].iter().position(|&b| b == b'\n').map_or(src.len(), |i| offset + i + 1);
            let raw = &src[offset..line_end];
            offset = line_end;
            let mut line = trim_space(raw);
            if line.is_empty() && !ended {
                plus_end = offset;
                continue;
            }
            if !line.starts_with(b"//") {
                ended = true;
            }
            if !in_block && is_go_build_line(line) {
                if header.go_build.is_some() {
                    return Err("multiple //go:build comments".into());
                }
                header.go_build = Some(String::from_utf8_lossy(line).into_owned());
            }
            // Skip the comments on this line; stop at the first text that is not a comment.
            while !line.is_empty() {
                if in_block {
                    match find(line, b"*/") {
                        Some(i) => {
                            in_block = false;
                            line = trim_space(&line[i + 2..]);
                            continue;
                        }
                        None => continue 'lines,
                    }
                }
                if line.starts_with(b"//") {
                    continue 'lines;
                }
                if let Some(rest) = line.strip_prefix(b"/*") {
                    in_block = true;
                    line = trim_space(rest);
                    continue;
                }
                break 'lines;
            }
        }
        header.plus_build = plus_build_lines(&src[..plus_end]);
        Ok(header)
    }
}

/// The `// +build` constraints among the lines of `text`.
fn plus_build_lines(text: &[u8]) -> Vec<Expr> {
    let mut out = Vec::new();
    for line in text.split(|&b| b == b'\n') {
        let line = trim_space(line);
        if !line.starts_with(b"//") || find(line, b"+build").is_none() {
            continue;
        }
        let line = String::from_utf8_lossy(line);
        if let Some(clauses) = constraint::plus_build_text(&line) {
            out.push(constraint::parse_plus_build(clauses));
        }
    }
    out
}

/// Whether the trimmed line is a `//go:build` line (the word followed by space or nothing).
fn is_go_build_line(line: &[u8]) -> bool {
    match line.strip_prefix(b"//go:build") {
        Some(rest) => rest.is_empty() || rest[0].is_ascii_whitespace(),
        None => false,
    }
}

fn trim_space(mut s: &[u8]) -> &[u8] {
    while let [first, rest @ ..] = s {
        if !first.is_ascii_whitespace() {
            break;
        }
        s = rest;
    }
    while let [rest @ .., last] = s {
        if !last.is_ascii_whitespace() {
            break;
        }
        s = rest;
    }
    s
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::target::Arch;

    fn ctx(arch: Arch) -> BuildContext {
        BuildContext::for_target(PathBuf::from(super::super::DEFAULT_GOROOT), Target { arch })
    }

    fn builds(arch: Arch, src: &str) -> bool {
        ctx(arch).should_build(src.as_bytes()).unwrap()
    }

    #[test]
    fn packages_with_portable_go_are_built_without_their_assembly() {
        let mut c = ctx(Arch::Amd64);
        assert!(PORTABLE_GO_PACKAGES.windows(2).all(|w| w[0] < w[1]));
        // Checks (no overlay) see the target's files, as go list does.
        assert!(c.for_std_package("math/big").has_tag("amd64"));
        c.overlay = Some(PathBuf::from("/goclift/go"));
        let big = c.for_std_package("math/big");
        assert!(!big.good_os_arch_file("arith_amd64.go"));
        assert!(big.has_tag("math_big_pure_go") && big.has_tag("linux") && !big.has_tag("amd64"));
        let sha = c.for_std_package("crypto/sha256");
        assert!(sha.should_build(b"//go:build !amd64 && !386 && !s390x && !ppc64le\n\npackage p\n").unwrap());
        let sys = c.for_std_package("syscall");
        assert!(sys.has_tag("amd64") && !sys.has_tag("purego"));
    }

    #[test]
    fn tags_of_the_target() {
        let c = ctx(Arch::Arm64);
        for yes in ["linux", "arm64", "unix", "gc", "go1.1", "go1.19", "goexperiment.regabiargs"] {
            assert!(c.has_tag(yes), "{yes}");
        }
        for no in ["cgo", "amd64", "gccgo", "go1.20", "ignore", "windows", "darwin", "boringcrypto", "purego"] {
            assert!(!c.has_tag(no), "{no}");
        }
    }

    #[test]
    fn file_name_suffixes() {
        let c = ctx(Arch::Amd64);
        for yes in [
            "file_unix.go",
            "linux.go",
            "os_linux.go",
            "x_amd64.go",
            "x_linux_amd64.go",
            "x_amd64_test.go",
            "a.b_arm64.go",
            "x_foo.go",
        ] {
            assert!(c.good_os_arch_file(yes), "{yes}");
        }
        for no in [
            "x_arm64.go",
            "x_linux_arm64.go",
            "x_windows.go",
            "x_windows_amd64.go",
            "x_darwin_test.go",
            "zsyscall_linux_386.go",
        ] {
            assert!(!c.good_os_arch_file(no), "{no}");
        }
    }

    #[test]
    fn go_build_controls_over_plus_build() {
        assert!(builds(Arch::Amd64, "//go:build linux\n// +build windows\n\npackage p\n"));
        assert!(!builds(Arch::Amd64, "//go:build !linux\n// +build linux\n\npackage p\n"));
    }

    #[test]
    fn plus_build_lines_combine_with_and() {
        assert!(builds(Arch::Amd64, "// +build linux darwin\n// +build amd64\n\npackage p\n"));
        assert!(!builds(Arch::Arm64, "// +build linux darwin\n// +build amd64\n\npackage p\n"));
    }

    #[test]
    fn plus_build_needs_a_blank_line_before_the_package_clause() {
        // Without the blank line the comment is the package doc, not a constraint.
        assert!(builds(Arch::Amd64, "// +build ignore\npackage p\n"));
        assert!(!builds(Arch::Amd64, "// +build ignore\n\npackage p\n"));
        // //go:build counts anywhere in the leading comments.
        assert!(!builds(Arch::Amd64, "//go:build ignore\npackage p\n"));
    }

    #[test]
    fn constraints_after_the_package_clause_do_not_count() {
        assert!(builds(Arch::Amd64, "package p\n\n//go:build ignore\n"));
        assert!(builds(Arch::Amd64, "package p\n\n// +build ignore\n\n"));
    }

    #[test]
    fn block_comments_end_the_plus_build_region() {
        assert!(builds(Arch::Amd64, "/* hi */\n// +build ignore\n\npackage p\n"));
        assert!(!builds(Arch::Amd64, "/* hi */\n//go:build ignore\n\npackage p\n"));
        // A //go:build inside a block comment is not a constraint.
        assert!(builds(Arch::Amd64, "/*\n//go:build ignore\n*/\n\npackage p\n"));
    }

    #[test]
    fn byte_order_mark_is_skipped() {
        assert!(!builds(Arch::Amd64, "\u{feff}//go:build ignore\n\npackage p\n"));
    }

    #[test]
    fn bad_headers_are_errors() {
        let c = ctx(Arch::Amd64);
        let err = c.should_build(b"//go:build linux\n//go:build amd64\n\npackage p\n").unwrap_err();
        assert_eq!(err, "multiple //go:build comments");
        let err = c.should_build(b"//go:build linux &&\n\npackage p\n").unwrap_err();
        assert_eq!(err, "parsing //go:build line: unexpected end of expression");
    }

    /// Real GOROOT files, with the answer gc 1.19 gives for (amd64, arm64).
    #[test]
    fn goroot_files() {
        let cases = [
            ("os/file_unix.go", true, true),
            ("os/file_windows.go", false, false),
            ("runtime/os_linux_arm64.go", false, true),
            ("runtime/os_linux_x86.go", true, false),
            ("syscall/zsyscall_linux_amd64.go", true, false),
            ("syscall/zsyscall_linux_arm64.go", false, true),
            ("internal/cpu/cpu_arm64.go", false, true),
            ("internal/cpu/cpu_arm64_hwcap.go", false, true),
            ("internal/cpu/cpu_x86.go", true, false),
            ("internal/cpu/cpu_no_name.go", false, true),
            ("internal/abi/abi_generic.go", false, false),
            ("internal/goexperiment/exp_regabiargs_on.go", true, true),
            ("internal/goexperiment/exp_regabiargs_off.go", false, false),
            ("net/cgo_stub.go", true, true),
            ("net/cgo_unix.go", false, false),
            ("os/user/lookup_stubs.go", true, true),
            ("math/big/arith_decl_pure.go", false, false),
            ("crypto/internal/boring/notboring.go", true, true),
            ("runtime/lockrank_off.go", true, true),
            ("unicode/tables.go", true, true),
            ("time/zoneinfo_ios.go", false, false),
            ("syscall/syscall_linux_accept.go", false, false),
            ("syscall/syscall_linux_accept4.go", true, true),
        ];
        let goroot = PathBuf::from(super::super::DEFAULT_GOROOT).join("src");
        for (file, amd64, arm64) in cases {
            let src = std::fs::read(goroot.join(file)).unwrap_or_else(|e| panic!("{file}: {e}"));
            let name = file.rsplit('/').next().unwrap();
            for (arch, want) in [(Arch::Amd64, amd64), (Arch::Arm64, arm64)] {
                let c = ctx(arch);
                let got = c.good_os_arch_file(name) && c.should_build(&src).unwrap();
                assert_eq!(got, want, "{file} for {arch:?}");
            }
        }
    }

    #[test]
    fn an_overlay_directory_with_the_marker_extends_goroot() {
        let tmp = tempfile::tempdir().unwrap();
        for (pkg, marked) in [("reflect", true), ("runtime", false)] {
            let dir = tmp.path().join(pkg);
            std::fs::create_dir(&dir).unwrap();
            std::fs::write(dir.join("x.go"), format!("package {pkg}\n")).unwrap();
            if marked {
                std::fs::write(dir.join(EXTENDS_MARKER), "").unwrap();
            }
        }
        let mut c = ctx(Arch::Amd64);
        c.overlay = Some(tmp.path().to_path_buf());
        assert_eq!(c.extension_dir("reflect"), Some(tmp.path().join("reflect")));
        assert_eq!(c.extension_dir("runtime"), None);
        assert_eq!(c.extension_dir("sync"), None);
    }
}
