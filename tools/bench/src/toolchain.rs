//! Building the benchmark programs with gc and with goclift.

use crate::measure::{self, Exit, Measurement};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// Environment variables that would change what either compiler builds or how
/// a program runs; they are removed so that both get the defaults.
pub const NEUTRALISED_ENV: &[&str] = &[
    "GOFLAGS",
    "GOOS",
    "GOARCH",
    "GOGC",
    "GOMAXPROCS",
    "GODEBUG",
    "GOMEMLIMIT",
    "GOTRACEBACK",
    "GOAMD64",
];

/// The result of building one program with one compiler.
#[derive(Clone, Debug)]
pub struct Build {
    /// The binary, when the build succeeded.
    pub binary: Option<PathBuf>,
    /// Wall time of the (timed) compile, also when it failed.
    pub compile_time: Option<Duration>,
    /// Size of the binary in bytes.
    pub size: Option<u64>,
    /// Why the build failed: a one-line summary and the compiler's output.
    pub failure: Option<(String, String)>,
}

impl Build {
    fn failed(
        summary: impl Into<String>,
        detail: impl Into<String>,
        compile_time: Option<Duration>,
    ) -> Build {
        Build {
            binary: None,
            compile_time,
            size: None,
            failure: Some((summary.into(), detail.into())),
        }
    }

    fn from_measurement(m: &Measurement, out: &Path, what: &str) -> Build {
        let output = combined_output(m);
        if !m.exit.success() {
            return Build::failed(
                format!("{what}: {}", m.exit.describe()),
                output,
                Some(m.wall),
            );
        }
        match std::fs::metadata(out) {
            Ok(meta) => Build {
                binary: Some(out.to_path_buf()),
                compile_time: Some(m.wall),
                size: Some(meta.len()),
                failure: None,
            },
            Err(e) => Build::failed(
                format!("{what}: exit 0 but no binary ({e})"),
                output,
                Some(m.wall),
            ),
        }
    }
}

/// stdout followed by stderr, as text.
pub fn combined_output(m: &Measurement) -> String {
    let mut s = String::from_utf8_lossy(&m.stdout).into_owned();
    s.push_str(&String::from_utf8_lossy(&m.stderr));
    s
}

/// The two toolchains and where their outputs go.
pub struct Toolchains {
    /// gc's go command.
    pub go: PathBuf,
    /// The goclift binary.
    pub goclift: PathBuf,
    /// GOROOT for both.
    pub goroot: PathBuf,
    /// Scratch directory for the nonce copies gc compiles.
    pub work_dir: PathBuf,
    /// Longest a build may take.
    pub timeout: Duration,
}

impl Toolchains {
    /// A command for `program` with GOROOT set and the neutralised variables removed.
    pub fn command(&self, program: &Path) -> Command {
        let mut cmd = Command::new(program);
        cmd.env("GOROOT", &self.goroot);
        for var in NEUTRALISED_ENV {
            cmd.env_remove(var);
        }
        cmd
    }

    /// Builds `src` with gc into `out` and times the compile.
    ///
    /// The timed build is of a copy of the source with a unique comment
    /// appended, after an untimed build of the original: gc's build cache then
    /// holds every imported package but not the program itself, so the time is
    /// that of compiling the program and linking it (what `go build` costs
    /// after an edit), never a cache hit and never a rebuild of the standard
    /// library.
    pub fn build_gc(&self, src: &Path, out: &Path) -> Build {
        if let Some(fail) = self.go_build(src, out) {
            return fail;
        }
        let copy = match self.nonce_copy(src) {
            Ok(p) => p,
            Err(e) => {
                return Build::failed(format!("cannot copy {}: {e}", src.display()), "", None)
            }
        };
        let timed = self.go_build_measured(&copy, out);
        let _ = std::fs::remove_file(&copy);
        match timed {
            Ok(m) => Build::from_measurement(&m, out, "go build"),
            Err(e) => Build::failed(format!("cannot run {}: {e}", self.go.display()), "", None),
        }
    }

    /// Builds a helper program (not a benchmark) with gc; the error is gc's output.
    pub fn build_tool(&self, src: &Path, out: &Path) -> Result<PathBuf, String> {
        match self.go_build(src, out) {
            None => Ok(out.to_path_buf()),
            Some(b) => Err(b
                .failure
                .map(|(s, d)| format!("{s}\n{d}"))
                .unwrap_or_default()),
        }
    }

    /// Untimed `go build`; Some(failure) when it did not work.
    fn go_build(&self, src: &Path, out: &Path) -> Option<Build> {
        match self.go_build_measured(src, out) {
            Ok(m) if m.exit.success() => None,
            Ok(m) => Some(Build::failed(
                format!("go build: {}", m.exit.describe()),
                combined_output(&m),
                None,
            )),
            Err(e) => Some(Build::failed(
                format!("cannot run {}: {e}", self.go.display()),
                "",
                None,
            )),
        }
    }

    fn go_build_measured(&self, src: &Path, out: &Path) -> std::io::Result<Measurement> {
        let mut cmd = self.command(&self.go);
        cmd.arg("build").arg("-o").arg(out).arg(src);
        // Files mode outside any module: no go.mod is involved.
        cmd.current_dir(src.parent().unwrap_or(Path::new("/")));
        measure::run(&mut cmd, self.timeout)
    }

    /// Copies `src` into the work directory with a comment no build has seen.
    fn nonce_copy(&self, src: &Path) -> std::io::Result<PathBuf> {
        let mut text = std::fs::read_to_string(src)?;
        let nanos = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or(0);
        text.push_str(&format!("\n// goclift-bench build {nanos}\n"));
        std::fs::create_dir_all(&self.work_dir)?;
        let copy = self.work_dir.join(src.file_name().unwrap_or_default());
        std::fs::write(&copy, text)?;
        Ok(copy)
    }

    /// Builds `src` with `goclift build -o out src`, timing the whole build.
    pub fn build_goclift(&self, src: &Path, out: &Path) -> Build {
        if !self.goclift.is_file() {
            return Build::failed(
                format!("no goclift binary at {}", self.goclift.display()),
                "",
                None,
            );
        }
        let _ = std::fs::remove_file(out);
        let mut cmd = self.command(&self.goclift);
        cmd.arg("build").arg("-o").arg(out).arg(src);
        match measure::run(&mut cmd, self.timeout) {
            Ok(m) if m.exit == Exit::TimedOut => Build::failed(
                "goclift build: timed out",
                combined_output(&m),
                Some(m.wall),
            ),
            Ok(m) => Build::from_measurement(&m, out, "goclift build"),
            Err(e) => Build::failed(
                format!("cannot run {}: {e}", self.goclift.display()),
                "",
                None,
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch(name: &str) -> PathBuf {
        let dir =
            std::env::temp_dir().join(format!("goclift-bench-test-{}-{name}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    fn toolchains(dir: &Path, goclift: &Path) -> Toolchains {
        Toolchains {
            go: PathBuf::from("/usr/lib/go-1.19/bin/go"),
            goclift: goclift.to_path_buf(),
            goroot: PathBuf::from("/usr/lib/go-1.19"),
            work_dir: dir.join("work"),
            timeout: Duration::from_secs(120),
        }
    }

    #[test]
    fn missing_goclift_is_a_build_failure_not_an_error() {
        let dir = scratch("missing");
        let t = toolchains(&dir, &dir.join("no-such-goclift"));
        let b = t.build_goclift(Path::new("/dev/null"), &dir.join("out"));
        assert!(b.binary.is_none());
        assert!(b.failure.unwrap().0.contains("no goclift binary"));
    }

    #[test]
    fn failing_goclift_reports_its_output() {
        let dir = scratch("failing");
        let fake = dir.join("goclift");
        std::fs::write(&fake, "#!/bin/sh\necho 'x.go:1:1: not yet' >&2\nexit 1\n").unwrap();
        std::fs::set_permissions(&fake, std::os::unix::fs::PermissionsExt::from_mode(0o755))
            .unwrap();
        let t = toolchains(&dir, &fake);
        let b = t.build_goclift(Path::new("/dev/null"), &dir.join("out"));
        let (summary, detail) = b.failure.unwrap();
        assert_eq!(summary, "goclift build: exit 1");
        assert!(detail.contains("not yet"));
        assert!(b.compile_time.is_some());
    }

    #[test]
    fn nonce_copies_differ_from_each_other_only_in_a_trailing_comment() {
        let dir = scratch("nonce");
        let src = dir.join("p.go");
        std::fs::write(&src, "package main\n").unwrap();
        let t = toolchains(&dir, &dir.join("unused"));
        let first = std::fs::read_to_string(t.nonce_copy(&src).unwrap()).unwrap();
        let second = std::fs::read_to_string(t.nonce_copy(&src).unwrap()).unwrap();
        assert_ne!(first, second, "gc's cache would serve the second build");
        assert!(first.starts_with("package main\n\n// goclift-bench build "));
    }

    #[test]
    fn gc_builds_a_program_and_times_a_real_compile() {
        if !Path::new("/usr/lib/go-1.19/bin/go").exists() {
            return; // gc is part of the project's setup; without it there is nothing to test
        }
        let dir = scratch("gc");
        let src = dir.join("hello.go");
        std::fs::write(&src, "package main\n\nfunc main() { println(\"hi\") }\n").unwrap();
        let t = toolchains(&dir, &dir.join("unused"));
        let b = t.build_gc(&src, &dir.join("hello"));
        assert!(b.failure.is_none(), "{:?}", b.failure);
        assert!(b.size.unwrap() > 100_000);
        assert!(b.compile_time.unwrap() > Duration::ZERO);
        let run = measure::run(
            &mut Command::new(dir.join("hello")),
            Duration::from_secs(10),
        )
        .unwrap();
        assert_eq!(run.stderr, b"hi\n");
    }
}
