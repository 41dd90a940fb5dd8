//! Unit tests: small packages checked from source, compared with gc's messages.

use super::*;
use crate::syntax::parser::parse_file;
use crate::syntax::pos::SourceMap;

/// Checks the package made of `srcs` (named a.go, b.go, ...) and returns the rendered
/// diagnostics (all of them, sorted as gc prints them).
pub(crate) fn check_src(srcs: &[&str]) -> String {
    let mut sources = SourceMap::default();
    let mut files = Vec::new();
    for (i, s) in srcs.iter().enumerate() {
        let name = format!("{}.go", (b'a' + i as u8) as char);
        let id = sources.add(name, s.as_bytes().to_vec());
        let (f, errs) = parse_file(id, s.as_bytes());
        assert!(errs.is_empty(), "syntax errors: {:?}", errs.iter().map(|e| &e.msg).collect::<Vec<_>>());
        files.push(f);
    }
    let mut world = World::new();
    let config = Config { path: "p".into(), ..Config::default() };
    let mut imports: std::collections::HashMap<String, PackageId> = std::collections::HashMap::new();
    let (_, mut diags) = check_package(&mut world, &config, &files, &sources, &mut imports);
    for f in &files {
        diags.extend(check_branches(f, &sources.file(f.file).name));
    }
    crate::diag::render(&sources, &diags, true)
}

#[test]
fn empty_package_has_no_errors() {
    assert_eq!(check_src(&["package p\n"]), "");
}

/// Checks standard packages with the test importer; returns the rendered errors.
fn check_std(paths: &[&str]) -> String {
    let mut imp = super::stdimport::StdImporter::new();
    let mut out = String::new();
    for p in paths {
        if let Err(e) = imp.check(p) {
            out.push_str(&format!("{p}: {e}\n"));
        }
    }
    let mut keys: Vec<&String> = imp.diags.keys().collect();
    keys.sort();
    for k in keys {
        let d = &imp.diags[k];
        if !d.is_empty() {
            out.push_str(&format!("package {k}:\n{}", crate::diag::render(&imp.sources, d, false)));
        }
    }
    out
}

#[test]
fn std_leaf_packages_check_cleanly() {
    let out = check_std(&["unicode/utf8", "math/bits", "unicode", "internal/goarch", "unicode/utf16", "internal/goos"]);
    assert_eq!(out, "");
}

/// Checks every standard package (run with --ignored --nocapture for the report).
#[test]
#[ignore]
fn check_all_std() {
    let root = super::stdimport::goroot_src();
    let mut dirs = Vec::new();
    fn walk(d: &std::path::Path, root: &std::path::Path, out: &mut Vec<String>) {
        let Ok(rd) = std::fs::read_dir(d) else { return };
        let mut v: Vec<_> = rd.filter_map(|e| e.ok().map(|e| e.path())).collect();
        v.sort();
        for p in v {
            if !p.is_dir() {
                continue;
            }
            let n = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
            if n == "testdata" || n == "cmd" && d == root || n.starts_with('.') || n.starts_with('_') {
                continue;
            }
            if !super::stdimport::package_files(&p).is_empty() {
                out.push(p.strip_prefix(root).unwrap().display().to_string());
            }
            walk(&p, root, out);
        }
    }
    walk(&root, &root, &mut dirs);
    let start = std::time::Instant::now();
    let mut imp = super::stdimport::StdImporter::new();
    for d in &dirs {
        let _ = imp.check(d);
    }
    let elapsed = start.elapsed();
    let mut clean = 0;
    let mut failed: Vec<(String, usize)> = Vec::new();
    let mut keys: Vec<&String> = imp.packages.keys().collect();
    keys.sort();
    for k in keys {
        let n = imp.diags.get(k).map_or(0, |d| d.len());
        if n == 0 && imp.packages[k].is_ok() {
            clean += 1;
        } else {
            failed.push((k.clone(), n));
        }
    }
    for (k, n) in &failed {
        println!("FAIL {k}: {n} errors");
        if let Some(d) = imp.diags.get(k) {
            let r = crate::diag::render(&imp.sources, d, false);
            for l in r.lines().take(6) {
                println!("    {l}");
            }
        }
    }
    println!("{clean} packages clean, {} with errors, {:.2?}", failed.len(), elapsed);
}
