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
    std::thread::Builder::new().stack_size(CHECKER_STACK_SIZE).spawn(move || report_std(&dirs)).unwrap().join().unwrap();
}

fn report_std(dirs: &[String]) {
    let start = std::time::Instant::now();
    let mut imp = super::stdimport::StdImporter::new();
    for d in dirs {
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

/// gc's errors for GOROOT/test's `// errorcheck` files (without flags), as `=== path`
/// headers followed by `go tool compile -e` output.
const GC_ERRORCHECK: &str = include_str!("testdata/gc_errorcheck.txt");
/// The files of GC_ERRORCHECK for which the checker gives exactly gc's errors.
const GC_ERRORCHECK_PASS: &str = include_str!("testdata/gc_errorcheck_pass.txt");
/// gc's errors for types2's own test files (cmd/compile/internal/types2/testdata).
const GC_TYPES2: &str = include_str!("testdata/gc_types2.txt");
/// The files of GC_TYPES2 for which the checker gives exactly gc's errors.
const GC_TYPES2_PASS: &str = include_str!("testdata/gc_types2_pass.txt");
/// Where types2's test files are.
const TYPES2_TESTDATA: &str = "/usr/lib/go-1.19/src/cmd/compile/internal/types2/testdata";

/// The checker reports exactly gc's errors (texts and positions) on the GOROOT/test
/// errorcheck files listed as passing; prints the overall score. Differences of all files
/// go to /tmp/corpus_diff.txt.
#[test]
fn gc_errorcheck_corpus() {
    if !std::path::Path::new("/usr/lib/go-1.19/test").is_dir() {
        return;
    }
    let run = || corpus(GC_ERRORCHECK, GC_ERRORCHECK_PASS, "/usr/lib/go-1.19/test", "/tmp/corpus_diff.txt");
    std::thread::Builder::new().stack_size(CHECKER_STACK_SIZE).spawn(run).unwrap().join().unwrap();
}

/// Like gc_errorcheck_corpus, for types2's own test files (differences in
/// /tmp/types2_diff.txt).
#[test]
fn gc_types2_corpus() {
    if !std::path::Path::new(TYPES2_TESTDATA).is_dir() {
        return;
    }
    let run = || corpus(GC_TYPES2, GC_TYPES2_PASS, TYPES2_TESTDATA, "/tmp/types2_diff.txt");
    std::thread::Builder::new().stack_size(CHECKER_STACK_SIZE).spawn(run).unwrap().join().unwrap();
}

fn corpus(expected: &str, pass_list: &str, root: &str, diff_file: &str) {
    let filter = std::env::var("CORPUS_FILTER").unwrap_or_default();
    let must_pass: std::collections::HashSet<&str> = pass_list.lines().collect();
    let mut imp = super::stdimport::StdImporter::new();
    let (mut same, mut total) = (0, 0);
    let mut report = String::new();
    let mut regressions = Vec::new();
    for block in expected.split("=== ").skip(1) {
        let (rel, want) = block.split_once('\n').unwrap_or((block, ""));
        if !rel.contains(&filter) {
            continue;
        }
        let path = std::path::Path::new(root).join(rel);
        let Ok(src) = std::fs::read(&path) else { continue };
        let base = path.file_name().unwrap().to_string_lossy().into_owned();
        let got = check_like_gc(&mut imp, &base, src);
        total += 1;
        if got == want {
            same += 1;
        } else {
            if must_pass.contains(rel) {
                regressions.push(rel.to_string());
            }
            report.push_str(&format!("=== {rel}\n--- gc\n{want}--- goclift\n{got}"));
        }
    }
    let _ = std::fs::write(diff_file, &report);
    println!("{same}/{total} files with gc's errors");
    assert!(regressions.is_empty(), "no longer matching gc: {regressions:?} (see {diff_file})");
}

/// Checks one source file as package main the way gc does (syntax errors stop; other
/// parse errors are reported with the type errors) and renders all errors.
fn check_like_gc(imp: &mut super::stdimport::StdImporter, base: &str, src: Vec<u8>) -> String {
    let id = imp.sources.add(base.to_string(), src.clone());
    let (f, errs) = parse_file(id, &src);
    let mut diags: Vec<crate::diag::Diagnostic> =
        errs.into_iter().map(|e| crate::diag::Diagnostic { file: id, pos: e.pos, msg: e.msg }).collect();
    if diags.iter().any(|d| d.msg.starts_with("syntax error")) {
        return crate::diag::render(&imp.sources, &diags, true);
    }
    let files = vec![f];
    diags.extend(check_branches(&files[0], base));
    for p in import_paths(&files[0]) {
        let _ = imp.check(&p);
    }
    let mut map: std::collections::HashMap<String, PackageId> = std::collections::HashMap::new();
    for (k, v) in &imp.packages {
        if let Ok(p) = v {
            map.insert(k.clone(), *p);
        }
    }
    // `go tool compile` without -p names the package "<unlinkable>".
    let config = Config { path: "<unlinkable>".into(), ..Config::default() };
    let (_, d) = check_package(&mut imp.world, &config, &files, &imp.sources, &mut map);
    diags.extend(d);
    crate::diag::render(&imp.sources, &diags, true)
}

fn import_paths(f: &crate::syntax::ast::File) -> Vec<String> {
    let mut out = Vec::new();
    for &d in &f[f.decls] {
        if let crate::syntax::ast::DeclKind::Import { path: Some(p), .. } = f[d].kind {
            if let Some(b) = f.lit_text(p).and_then(constant::string_literal) {
                let s = String::from_utf8_lossy(&b).into_owned();
                if s != "unsafe" {
                    out.push(s);
                }
            }
        }
    }
    out
}

/// Checks the GOROOT/test files marked `// run` or `// compile` (which gc compiles
/// without errors) and reports those with errors; run with --ignored --nocapture.
#[test]
fn gc_clean_corpus() {
    if !std::path::Path::new("/usr/lib/go-1.19/test").is_dir() {
        return;
    }
    std::thread::Builder::new().stack_size(CHECKER_STACK_SIZE).spawn(clean_corpus).unwrap().join().unwrap();
}

fn clean_corpus() {
    let root = std::path::Path::new("/usr/lib/go-1.19/test");
    let mut paths = Vec::new();
    for sub in ["", "fixedbugs", "typeparam", "ken", "chan", "interface"] {
        let Ok(rd) = std::fs::read_dir(root.join(sub)) else { continue };
        for e in rd.flatten() {
            let p = e.path();
            if p.extension().is_some_and(|x| x == "go") {
                paths.push(p);
            }
        }
    }
    paths.sort();
    let mut imp = super::stdimport::StdImporter::new();
    let (mut ok, mut total) = (0, 0);
    let mut report = String::new();
    for path in paths {
        let Ok(src) = std::fs::read(&path) else { continue };
        let first = String::from_utf8_lossy(&src).lines().next().unwrap_or("").to_string();
        if first != "// run" && first != "// compile" {
            continue;
        }
        let base = path.file_name().unwrap().to_string_lossy().into_owned();
        let id = imp.sources.add(base.clone(), src.clone());
        let (f, errs) = parse_file(id, &src);
        total += 1;
        let mut diags: Vec<crate::diag::Diagnostic> =
            errs.into_iter().map(|e| crate::diag::Diagnostic { file: id, pos: e.pos, msg: e.msg }).collect();
        if diags.is_empty() {
            let files = vec![f];
            diags.extend(check_branches(&files[0], &base));
            for p in import_paths(&files[0]) {
                let _ = imp.check(&p);
            }
            let mut map: std::collections::HashMap<String, PackageId> = std::collections::HashMap::new();
            for (k, v) in &imp.packages {
                if let Ok(p) = v {
                    map.insert(k.clone(), *p);
                }
            }
            let config = Config { path: "main".into(), ..Config::default() };
            let (_, d) = check_package(&mut imp.world, &config, &files, &imp.sources, &mut map);
            diags.extend(d);
        }
        if diags.is_empty() {
            ok += 1;
        } else {
            report.push_str(&format!("=== {}\n{}", path.display(), crate::diag::render(&imp.sources, &diags, false)));
        }
    }
    let _ = std::fs::write("/tmp/clean_diff.txt", &report);
    println!("{ok}/{total} run/compile tests check without errors (others in /tmp/clean_diff.txt)");
    // gc rejects typeparam/nested.go too; the others need constants beyond big.Rat range.
    assert!(total - ok <= 4, "{} run/compile tests with errors (see /tmp/clean_diff.txt)", total - ok);
}

/// Every expression of a checked standard package has a recorded type (or, for
/// identifiers, an object), except the nodes types2 doesn't record either.
#[test]
fn std_info_is_complete() {
    std::thread::Builder::new().stack_size(CHECKER_STACK_SIZE).spawn(info_complete).unwrap().join().unwrap();
}

fn info_complete() {
    use crate::syntax::ast::{DeclKind, ExprKind};
    let pkgs = ["strconv", "sort", "errors", "fmt", "os", "reflect", "encoding/json", "go/types", "net/http"];
    let mut imp = super::stdimport::StdImporter::new();
    let mut missing = Vec::new();
    for p in pkgs {
        imp.check(p).unwrap();
    }
    for p in pkgs {
        let files = &imp.files[p];
        let infos = imp.infos.get(p).expect("info kept");
        for (fi, f) in files.iter().enumerate() {
            let info = &infos.files[fi];
            // Nodes types2 doesn't record: function declaration signatures, key:value
            // pairs, lists, type switch guards, labels, the package name.
            let mut exempt = vec![false; f.exprs.len()];
            for &d in &f[f.decls] {
                match f[d].kind {
                    DeclKind::Func { typ, .. } => exempt[typ.index()] = true,
                    DeclKind::Import { path: Some(p), .. } => exempt[p.index()] = true,
                    _ => {}
                }
            }
            if let Some(n) = f.pkg_name {
                exempt[n.index()] = true;
            }
            for s in &f.stmts {
                match s.kind {
                    crate::syntax::ast::StmtKind::Labeled { label, .. } => exempt[label.index()] = true,
                    crate::syntax::ast::StmtKind::Branch { label: Some(l), .. } => exempt[l.index()] = true,
                    _ => {}
                }
            }
            for e in &f.exprs {
                // The variable of `v := x.(type)` is declared per clause (Implicits).
                if let ExprKind::TypeSwitchGuard { lhs: Some(l), .. } = e.kind {
                    exempt[l.index()] = true;
                }
            }
            for (i, e) in f.exprs.iter().enumerate() {
                if exempt[i] {
                    continue;
                }
                let id = crate::syntax::ast::ExprId::from_index(i);
                let ok = match e.kind {
                    ExprKind::KeyValue { .. } | ExprKind::List(_) | ExprKind::TypeSwitchGuard { .. } | ExprKind::Bad => true,
                    ExprKind::Name(n) => n.is_blank() || info.object_of(id).is_some() || info.type_of(id).is_some(),
                    _ => info.type_of(id).is_some(),
                };
                if !ok {
                    let (line, col) = (e.pos.line, e.pos.col);
                    missing.push(format!("{}:{line}:{col}: {}", imp.sources.file(f.file).name, crate::syntax::printer::expr_string(f, id)));
                }
            }
        }
    }
    assert!(missing.is_empty(), "{} unrecorded expressions, e.g.:\n{}", missing.len(), missing[..missing.len().min(30)].join("\n"));
}
