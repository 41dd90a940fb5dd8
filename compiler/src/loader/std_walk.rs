//! The `std` pattern: the directories under GOROOT/src that may hold standard packages, as
//! the go command walks them (Go 1.19, cmd/go/internal/modload/search.go).
//!
//! The walk skips trees whose name starts with `.` or `_`, `testdata` trees, and nested
//! modules (GOROOT/src/cmd has its own go.mod, so `cmd/...` is not part of std); it does
//! include std's vendored packages (`vendor/golang.org/x/...`). `builtin` (documentation
//! only) and, with cgo off, `runtime/cgo` are left out. Whether a directory then counts is
//! decided by its files: the go command lists it if any file, test files included, is
//! buildable for the target.

use super::context::BuildContext;
use std::path::{Path, PathBuf};

/// The candidate directories with their import paths, sorted by path.
pub(super) fn std_dirs(ctx: &BuildContext) -> Vec<(String, PathBuf)> {
    let src = ctx.goroot_src();
    let mut out = Vec::new();
    walk(ctx, &src, "", &mut out);
    out.sort();
    out
}

fn walk(ctx: &BuildContext, dir: &Path, path: &str, out: &mut Vec<(String, PathBuf)>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.filter_map(Result::ok) {
        let Ok(name) = entry.file_name().into_string() else { continue };
        if name.starts_with('.') || name.starts_with('_') || name == "testdata" {
            continue;
        }
        // Follow the entry's own type: symbolic links to directories are not walked.
        if !entry.file_type().is_ok_and(|t| t.is_dir()) {
            continue;
        }
        let sub = entry.path();
        if sub.join("go.mod").is_file() {
            continue; // another module (cmd)
        }
        let sub_path = if path.is_empty() { name } else { format!("{path}/{name}") };
        if sub_path != "builtin" && (ctx.cgo_enabled || sub_path != "runtime/cgo") {
            out.push((sub_path.clone(), sub.clone()));
        }
        walk(ctx, &sub, &sub_path, out);
    }
}
