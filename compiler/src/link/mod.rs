//! Linking: the object file goclift wrote plus the runtime staticlib, into a static
//! executable, by the target's C compiler driver (which brings crt1 and libc).
//!
//! The output is written atomically: the linker writes a temporary file next to the
//! destination, which is renamed over it only when linking succeeded.

use crate::target::Target;
use std::io::ErrorKind;
use std::path::{Path, PathBuf};
use std::process::Command;

/// What to link and where.
pub struct LinkJob<'a> {
    pub target: Target,
    /// The compiled Go code, as a relocatable object.
    pub object: &'a [u8],
    /// libgoclift_runtime.a for the target (see [`find_runtime_lib`]).
    pub runtime_lib: &'a Path,
    pub output: &'a Path,
    /// Print the commands run (-x).
    pub echo: bool,
}

/// The runtime staticlib's file name.
pub const RUNTIME_LIB: &str = "libgoclift_runtime.a";

/// Finds the runtime staticlib for `target`: `$GOCLIFT_RUNTIME_DIR/<goos>_<goarch>/`, else
/// `target/runtime/<goos>_<goarch>/` beside the directory holding the goclift executable
/// (target/release/goclift), else the build tree goclift was compiled in.
pub fn find_runtime_lib(target: Target) -> Result<PathBuf, String> {
    let sub = format!("{}_{}", target.goos(), target.goarch());
    let mut candidates = Vec::new();
    if let Some(dir) = std::env::var_os("GOCLIFT_RUNTIME_DIR") {
        candidates.push(PathBuf::from(dir).join(&sub));
    }
    if let Some(exe_dir) = std::env::current_exe().ok().and_then(|e| e.parent().map(Path::to_path_buf)) {
        candidates.push(exe_dir.join("../runtime").join(&sub));
    }
    candidates.push(Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/runtime").join(&sub));
    for dir in &candidates {
        let lib = dir.join(RUNTIME_LIB);
        if lib.is_file() {
            return Ok(lib);
        }
    }
    let looked: Vec<String> = candidates.iter().map(|c| c.display().to_string()).collect();
    Err(format!(
        "the goclift runtime for {target} is not built (looked in {}); run `make build` in the goclift source tree",
        looked.join(", ")
    ))
}

/// Links `job.object` with the runtime into `job.output`.
pub fn link(job: &LinkJob) -> Result<(), String> {
    let scratch = tempfile::tempdir().map_err(|e| format!("creating a temporary directory: {e}"))?;
    let obj = scratch.path().join("go.o");
    std::fs::write(&obj, job.object).map_err(|e| format!("writing {}: {e}", obj.display()))?;

    let out_dir = match job.output.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let staged = tempfile::Builder::new()
        .prefix(".goclift-link-")
        .tempfile_in(out_dir)
        .map_err(|e| format!("cannot write in {}: {e}", out_dir.display()))?
        .into_temp_path();

    let (cc, packages) = job.target.linker();
    let mut cmd = Command::new(cc);
    cmd.arg("-static").arg("-o").arg(&*staged).arg(&obj).arg(job.runtime_lib);
    if job.echo {
        eprintln!("{}", render_command(&cmd));
    }
    let result = cmd.output().map_err(|e| match e.kind() {
        ErrorKind::NotFound => format!(
            "cannot link for {}: the C toolchain `{cc}` is not installed; install it with \
             `apt-get install {packages}` (or run `make setup`)",
            job.target
        ),
        _ => format!("running {cc}: {e}"),
    })?;
    if !result.status.success() {
        return Err(format!(
            "linking failed ({cc} {}):\n{}{}",
            result.status,
            String::from_utf8_lossy(&result.stdout),
            String::from_utf8_lossy(&result.stderr)
        ));
    }
    staged
        .persist(job.output)
        .map_err(|e| format!("writing {}: {e}", job.output.display()))?;
    Ok(())
}

/// A command line as a shell would read it, for -x.
fn render_command(cmd: &Command) -> String {
    let mut s = cmd.get_program().to_string_lossy().into_owned();
    for a in cmd.get_args() {
        s.push(' ');
        s.push_str(&a.to_string_lossy());
    }
    s
}
