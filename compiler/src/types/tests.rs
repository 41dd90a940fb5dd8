//! Unit tests: small packages checked from source, compared with gc's messages.

use super::*;
use crate::syntax::parser::parse_file;

/// gc's parse-time label and branch errors of `f` (the syntax stage's checker), as diagnostics.
fn check_branches(f: &crate::syntax::ast::File, name: &str) -> Vec<crate::diag::Diagnostic> {
    let branches = crate::syntax::branches::check_branches(f, name);
    branches.errors.into_iter().map(|e| crate::diag::Diagnostic { file: f.file, pos: e.pos, msg: e.msg }).collect()
}
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
    crate::diag::render(&sources, &[], &diags, true)
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
            out.push_str(&format!("package {k}:\n{}", crate::diag::render(&imp.sources, &[], d, false)));
        }
    }
    out
}

#[test]
fn std_leaf_packages_check_cleanly() {
    let out = check_std(&["unicode/utf8", "math/bits", "unicode", "internal/goarch", "unicode/utf16", "internal/goos"]);
    assert_eq!(out, "");
}

// Checking all of std for both targets: driver::typecheck's and the goclift command's tests.

/// gc's errors for GOROOT/test's `// errorcheck` files (without flags), as `=== path`
/// headers followed by `go tool compile -e` output.
const GC_ERRORCHECK: &str = include_str!("testdata/gc_errorcheck.txt");
/// The files of GC_ERRORCHECK for which the checker gives exactly gc's errors.
const GC_ERRORCHECK_PASS: &str = include_str!("testdata/gc_errorcheck_pass.txt");
/// gc's errors for GOROOT/test errorcheck files with `-lang=` or `-d=panic` flags (the
/// header line has the flags after the path).
const GC_ERRORCHECK_FLAGS: &str = include_str!("testdata/gc_errorcheck_flags.txt");
/// The files of GC_ERRORCHECK_FLAGS for which the checker gives exactly gc's errors.
const GC_ERRORCHECK_FLAGS_PASS: &str = include_str!("testdata/gc_errorcheck_flags_pass.txt");
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

/// Like gc_errorcheck_corpus, for the files compiled with flags (differences in
/// /tmp/flags_diff.txt).
#[test]
fn gc_errorcheck_flags_corpus() {
    if !std::path::Path::new("/usr/lib/go-1.19/test").is_dir() {
        return;
    }
    let run = || corpus(GC_ERRORCHECK_FLAGS, GC_ERRORCHECK_FLAGS_PASS, "/usr/lib/go-1.19/test", "/tmp/flags_diff.txt");
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
        let (header, want) = block.split_once('\n').unwrap_or((block, ""));
        let mut words = header.split_whitespace();
        let rel = words.next().unwrap_or("");
        let lang = words.find_map(|w| w.strip_prefix("-lang=")).map(str::to_string);
        if !rel.contains(&filter) {
            continue;
        }
        let path = std::path::Path::new(root).join(rel);
        let Ok(src) = std::fs::read(&path) else { continue };
        let base = path.file_name().unwrap().to_string_lossy().into_owned();
        let got = check_like_gc(&mut imp, &base, src, lang);
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
fn check_like_gc(imp: &mut super::stdimport::StdImporter, base: &str, src: Vec<u8>, lang: Option<String>) -> String {
    let id = imp.sources.add(base.to_string(), src.clone());
    let (f, errs) = parse_file(id, &src);
    let mut diags: Vec<crate::diag::Diagnostic> =
        errs.into_iter().map(|e| crate::diag::Diagnostic { file: id, pos: e.pos, msg: e.msg }).collect();
    if diags.iter().any(|d| d.msg.starts_with("syntax error")) {
        return crate::diag::render(&imp.sources, &[], &diags, true);
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
    let config = Config { path: "<unlinkable>".into(), go_version: lang, ..Config::default() };
    let (_, d) = check_package(&mut imp.world, &config, &files, &imp.sources, &mut map);
    diags.extend(d);
    crate::diag::render(&imp.sources, &[], &diags, true)
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
            report.push_str(&format!("=== {}\n{}", path.display(), crate::diag::render(&imp.sources, &[], &diags, false)));
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
                    ExprKind::KeyValue { .. }
                    | ExprKind::List(_)
                    | ExprKind::TypeSwitchGuard { .. }
                    | ExprKind::Bad => true,
                    ExprKind::Name(n) => n.is_blank() || info.object_of(id).is_some() || info.type_of(id).is_some(),
                    _ => info.type_of(id).is_some(),
                };
                if !ok {
                    let (line, col) = (e.pos.line, e.pos.col);
                    missing.push(format!(
                        "{}:{line}:{col}: {}",
                        imp.sources.file(f.file).name,
                        crate::syntax::printer::expr_string(f, id)
                    ));
                }
            }
        }
    }
    assert!(
        missing.is_empty(),
        "{} unrecorded expressions, e.g.:\n{}",
        missing.len(),
        missing[..missing.len().min(30)].join("\n")
    );
}

/// The checker never panics: GOROOT/test files with lines removed (a crude fuzzer).
/// Run with --ignored --nocapture; FUZZ_ROUNDS sets the variants per file.
#[test]
#[ignore]
fn fuzz_line_deletion() {
    std::thread::Builder::new().stack_size(CHECKER_STACK_SIZE).spawn(fuzz).unwrap().join().unwrap();
}

fn fuzz() {
    let rounds: usize = std::env::var("FUZZ_ROUNDS").ok().and_then(|s| s.parse().ok()).unwrap_or(3);
    let root = std::path::Path::new("/usr/lib/go-1.19/test");
    let mut paths = Vec::new();
    for sub in ["", "fixedbugs", "typeparam"] {
        let Ok(rd) = std::fs::read_dir(root.join(sub)) else { continue };
        paths.extend(rd.flatten().map(|e| e.path()).filter(|p| p.extension().is_some_and(|x| x == "go")));
    }
    paths.sort();
    let mut imp = super::stdimport::StdImporter::new();
    let mut seed: u64 = 0x2545F4914F6CDD1D;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    let (mut checked, mut panics) = (0, 0);
    for p in &paths {
        let Ok(src) = std::fs::read_to_string(p) else { continue };
        let lines: Vec<&str> = src.lines().collect();
        if lines.len() < 3 {
            continue;
        }
        for round in 0..rounds {
            let variant: String = if round % 2 == 0 {
                let a = (next() as usize) % lines.len();
                let b = (a + 1 + (next() as usize) % 3).min(lines.len());
                lines[..a].iter().chain(&lines[b..]).map(|l| format!("{l}\n")).collect()
            } else {
                // Remove a few characters inside the text (mostly valid syntax nearby).
                let bytes = src.as_bytes();
                let a = (next() as usize) % bytes.len();
                let b = (a + 1 + (next() as usize) % 6).min(bytes.len());
                String::from_utf8_lossy(&[&bytes[..a], &bytes[b..]].concat()).into_owned()
            };
            let base = p.file_name().unwrap().to_string_lossy().into_owned();
            let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                check_like_gc(&mut imp, &base, variant.clone().into_bytes(), None)
            }));
            checked += 1;
            if r.is_err() {
                panics += 1;
                let _ = std::fs::write(format!("/tmp/fuzz_panic_{panics}.go"), &variant);
                // The world may be inconsistent after a panic: start afresh.
                imp = super::stdimport::StdImporter::new();
            }
        }
    }
    // Mutated files of real packages, checked with the package's other files.
    for pkg in ["strconv", "sort", "strings", "fmt", "time", "encoding/json", "go/types"] {
        let _ = imp.check(pkg);
        let paths = imp.paths.get(pkg).cloned().unwrap_or_default();
        for (k, p) in paths.iter().enumerate() {
            for _ in 0..rounds {
                let mut files = Vec::new();
                let mut syntax_ok = true;
                for (j, q) in paths.iter().enumerate() {
                    let mut src = std::fs::read(q).unwrap_or_default();
                    if j == k && !src.is_empty() {
                        let a = (next() as usize) % src.len();
                        let b = (a + 1 + (next() as usize) % 8).min(src.len());
                        src.drain(a..b);
                    }
                    let id = imp.sources.add(q.display().to_string(), src.clone());
                    let (f, errs) = parse_file(id, &src);
                    syntax_ok &= !errs.iter().any(|e| e.msg.starts_with("syntax error"));
                    files.push(f);
                }
                if !syntax_ok {
                    continue;
                }
                let mut map: std::collections::HashMap<String, PackageId> = std::collections::HashMap::new();
                for (key, v) in &imp.packages {
                    if let Ok(id) = v {
                        map.insert(key.clone(), *id);
                        if let Some(stripped) = key.strip_prefix("vendor/") {
                            map.insert(stripped.to_string(), *id);
                        }
                    }
                }
                let config = Config { path: pkg.into(), ..Config::default() };
                let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                    check_package(&mut imp.world, &config, &files, &imp.sources, &mut map)
                }));
                checked += 1;
                if r.is_err() {
                    panics += 1;
                    let _ = std::fs::write(format!("/tmp/fuzz_panic_{panics}.txt"), p.display().to_string());
                    imp = super::stdimport::StdImporter::new();
                    let _ = imp.check(pkg);
                }
            }
        }
    }
    println!("{checked} variants checked, {panics} panics (sources in /tmp/fuzz_panic_*)");
    assert_eq!(panics, 0);
}

/// A package checked from source, for looking at the results.
struct Checked {
    world: World,
    files: Vec<crate::syntax::ast::File>,
    info: Info,
    errors: String,
}

fn check_one(src: &str) -> Checked {
    let mut sources = SourceMap::default();
    let id = sources.add("a.go".into(), src.as_bytes().to_vec());
    let (f, errs) = parse_file(id, src.as_bytes());
    assert!(errs.is_empty(), "syntax errors: {:?}", errs.iter().map(|e| &e.msg).collect::<Vec<_>>());
    let files = vec![f];
    let mut world = World::new();
    let config = Config { path: "p".into(), ..Config::default() };
    let mut imports: std::collections::HashMap<String, PackageId> = std::collections::HashMap::new();
    let (info, diags) = check_package(&mut world, &config, &files, &sources, &mut imports);
    let errors = crate::diag::render(&sources, &[], &diags, true);
    Checked { world, files, info, errors }
}

impl Checked {
    /// The expression whose source text is `text` (the first, outermost-first by id order
    /// of creation is not guaranteed: the last matching node is returned, which for
    /// nested equal texts is the outer one).
    fn expr(&self, text: &str) -> crate::syntax::ast::ExprId {
        let f = &self.files[0];
        let mut found = None;
        for i in 0..f.exprs.len() {
            let id = crate::syntax::ast::ExprId::from_index(i);
            if crate::syntax::printer::expr_string(f, id) == text {
                found = Some(id);
            }
        }
        found.unwrap_or_else(|| panic!("no expression {text:?}"))
    }

    /// "type" or "type = value" of the expression with text `text`.
    fn tv(&self, text: &str) -> String {
        let e = self.expr(text);
        let tv = self.info.files[0].type_of(e).unwrap_or_else(|| panic!("no type for {text}"));
        let t = self.world.type_string(tv.ty, typestring::Qualifier::Relative(self.info.pkg.unwrap(), &[]));
        match self.info.value(tv) {
            Some(v) => format!("{t} = {}", v.describe()),
            None => t,
        }
    }

    /// The object an identifier (by text) denotes or declares, as a string.
    fn obj(&self, text: &str) -> String {
        let e = self.expr(text);
        let o = self.info.files[0].object_of(e).unwrap_or_else(|| panic!("no object for {text}"));
        self.world.object_string(o, typestring::Qualifier::Relative(self.info.pkg.unwrap(), &[]))
    }
}

#[test]
fn untyped_constants_get_their_final_types() {
    let c = check_one(
        "package p\nconst c = 1 << 3\nvar f float64 = c + 0.5\nvar i = 'a' + 1\nvar s = \"x\" + \"y\"\nvar b = c > 2\nvar u uint8 = 255\nvar sh = 1 << u\n",
    );
    assert_eq!(c.errors, "");
    assert_eq!(c.tv("c + 0.5"), "float64 = 8.5");
    assert_eq!(c.tv("'a' + 1"), "rune = 98");
    assert_eq!(c.tv("\"x\" + \"y\""), "string = \"xy\"");
    assert_eq!(c.tv("c > 2"), "bool = true");
    assert_eq!(c.tv("1 << 3"), "untyped int = 8");
    assert_eq!(c.tv("255"), "uint8 = 255");
    // A non-constant shift: the untyped constant operand takes the shift's final type.
    assert_eq!(c.tv("1 << u"), "int");
    assert_eq!(c.obj("sh"), "var sh int");
}

#[test]
fn selections_record_embedding_paths() {
    let c = check_one(
        "package p\ntype A struct{ x int }\nfunc (A) M() {}\nfunc (*A) P() {}\ntype B struct{ *A; y int }\ntype C struct{ B }\nvar v C\nvar _ = v.x\nvar _ = v.M\nvar _ = v.P\nvar _ = C.M\nvar _ = (*C).P\n",
    );
    assert_eq!(c.errors, "");
    let sel = |t: &str| {
        let s = &c.info.files[0].selections[&c.expr(t)];
        (s.kind, s.index.clone(), s.indirect)
    };
    assert_eq!(sel("v.x"), (SelectionKind::FieldVal, vec![0, 0, 0], true));
    assert_eq!(sel("v.M"), (SelectionKind::MethodVal, vec![0, 0, 0], true));
    assert_eq!(sel("v.P"), (SelectionKind::MethodVal, vec![0, 0, 1], true));
    assert_eq!(sel("C.M"), (SelectionKind::MethodExpr, vec![0, 0, 0], true));
    assert_eq!(c.tv("C.M"), "func(C)");
    assert_eq!(c.tv("(*C).P"), "func(*C)");
}

#[test]
fn generic_instances_are_recorded() {
    let c = check_one(
        "package p\ntype List[T any] struct{ next *List[T]; val T }\nfunc Map[T, U any](s []T, f func(T) U) []U { return nil }\nvar l List[int]\nvar r = Map([]int{1}, func(i int) string { return \"\" })\nvar v = l.next.val\n",
    );
    assert_eq!(c.errors, "");
    let inst = |t: &str| {
        let i = &c.info.files[0].instances[&c.expr(t)];
        let q = typestring::Qualifier::Relative(c.info.pkg.unwrap(), &[]);
        (c.world.type_list_string(&i.targs, q), c.world.type_string(i.ty, q))
    };
    assert_eq!(inst("Map"), ("[int, string]".into(), "func(s []int, f func(int) string) []string".into()));
    assert_eq!(c.tv("l.next.val"), "int");
    assert_eq!(c.obj("r"), "var r []string");
}

#[test]
fn init_order_follows_dependencies() {
    let c = check_one("package p\nvar a = b + c\nvar b = f()\nvar c = 1\nvar d, e = g()\nfunc f() int { return c }\nfunc g() (int, int) { return a, 2 }\n");
    assert_eq!(c.errors, "");
    let order: Vec<String> = c
        .info
        .init_order
        .iter()
        .map(|i| i.lhs.iter().map(|&o| c.world.obj(o).name.to_string()).collect::<Vec<_>>().join(","))
        .collect();
    assert_eq!(order, vec!["c", "b", "a", "d,e"]);
}

#[test]
fn sizes_follow_gc() {
    let c = check_one(
        "package p\nimport \"unsafe\"\ntype S struct{ a bool; b int64; c [3]uint16; d string; e complex64 }\nconst size = unsafe.Sizeof(S{})\nconst off = unsafe.Offsetof(S{}.e)\nconst al = unsafe.Alignof(S{}.c)\n",
    );
    assert_eq!(c.errors, "");
    assert_eq!(c.tv("unsafe.Sizeof(S{})"), "uintptr = 48");
    assert_eq!(c.tv("unsafe.Offsetof(S{}.e)"), "uintptr = 40");
    assert_eq!(c.tv("unsafe.Alignof(S{}.c)"), "uintptr = 2");
}

#[test]
fn method_sets_of_values_and_pointers() {
    let mut c = check_one("package p\ntype I interface{ M() }\ntype A struct{}\nfunc (A) M() {}\nfunc (*A) N() {}\ntype B struct{ A }\ntype C struct{ *A }\n");
    assert_eq!(c.errors, "");
    let pkg = c.info.pkg.unwrap();
    let names = |c: &mut Checked, t: TypeId| -> Vec<String> {
        c.world.method_set(t).iter().map(|e| format!("{}{:?}", c.world.obj(e.obj).name, e.index)).collect()
    };
    let ty = |c: &Checked, n: &str| c.world.obj(c.world.pkg_lookup(pkg, n).unwrap()).typ();
    let (a, b, cc) = (ty(&c, "A"), ty(&c, "B"), ty(&c, "C"));
    assert_eq!(names(&mut c, a), vec!["M[0]"]);
    let pa = c.world.pointer(a);
    assert_eq!(names(&mut c, pa), vec!["M[0]", "N[1]"]);
    assert_eq!(names(&mut c, b), vec!["M[0, 0]"]);
    assert_eq!(names(&mut c, cc), vec!["M[0, 0]", "N[0, 1]"]);
}

#[test]
fn link_strings_are_equal_exactly_for_identical_types() {
    let c = check_one(
        "package p\ntype Int = int\ntype A = struct{ int }\ntype B = struct{ Int }\nvar f1 func(a byte) rune\nvar f2 func(b uint8) int32\nfunc g() interface{} { type L int; return L(0) }\nfunc h() interface{} { type L int; return L(1) }\n",
    );
    assert_eq!(c.errors, "");
    let pkg = c.info.pkg.unwrap();
    let ty = |n: &str| c.world.obj(c.world.pkg_lookup(pkg, n).unwrap()).typ();
    let link = |n: &str| c.world.link_string(ty(n));
    // byte/rune are uint8/int32; parameter names do not count.
    assert_eq!(link("f1"), link("f2"));
    assert_eq!(link("f1"), "func(uint8) int32");
    // An embedded alias names its field by the alias.
    assert_ne!(link("A"), link("B"));
    // Local types of the same name in different functions differ.
    let local = |text: &str| c.world.link_string(c.info.files[0].type_of(c.expr(text)).unwrap().ty);
    assert_ne!(local("L(0)"), local("L(1)"));
    assert!(local("L(0)").starts_with("p.L·"));
}

#[test]
fn defs_uses_and_implicits() {
    let c = check_one("package p\nfunc f(x interface{}) int {\n\tswitch v := x.(type) {\n\tcase int:\n\t\treturn v\n\t}\n\ty := 1\n\treturn y\n}\n");
    assert_eq!(c.errors, "");
    assert_eq!(c.obj("y"), "var y int");
    assert_eq!(c.obj("f"), "func f(x interface{}) int");
    let f = &c.files[0];
    let sw = (0..f.stmts.len())
        .map(crate::syntax::ast::StmtId::from_index)
        .find(|&s| matches!(f[s].kind, crate::syntax::ast::StmtKind::Switch { .. }))
        .unwrap();
    let v = c.info.files[0].implicits[&Implicit::TypeSwitchCase(sw, 0)];
    assert_eq!(c.world.object_string(v, typestring::Qualifier::Path), "var v int");
}

/// Dumps the recorded types of the packages in $DUMP_PKGS (comma separated) to
/// /tmp/goclift_types.txt in the format of a go/types dumper, for comparing with go/types.
#[test]
#[ignore]
fn dump_types() {
    std::thread::Builder::new().stack_size(CHECKER_STACK_SIZE).spawn(dump).unwrap().join().unwrap();
}

fn dump() {
    let pkgs = std::env::var("DUMP_PKGS").unwrap_or_else(|_| "strconv".into());
    let mut imp = super::stdimport::StdImporter::new();
    let mut lines = Vec::new();
    for p in pkgs.split(',') {
        imp.check(p).unwrap();
        let files = &imp.files[p];
        let info = &imp.infos[p];
        for (fi, f) in files.iter().enumerate() {
            let name = imp.sources.file(f.file).name.trim_start_matches("$GOROOT/src/").to_string();
            for i in 0..f.exprs.len() {
                let id = crate::syntax::ast::ExprId::from_index(i);
                let Some(tv) = info.files[fi].type_of(id) else { continue };
                let off = f.start_pos(id).offset;
                let ts = imp.world.type_string(tv.ty, typestring::Qualifier::Path);
                let val = info.value(tv).map(|v| v.exact_string()).unwrap_or_default();
                lines.push(format!("{name}:{off}\t{}\t{ts}\t{val}", crate::syntax::printer::expr_string(f, id)));
            }
        }
    }
    lines.sort();
    lines.dedup();
    std::fs::write("/tmp/goclift_types.txt", lines.join("\n") + "\n").unwrap();
}

/// The multi-package programs of GOROOT/test (`// rundir` and `// compiledir`: each
/// `.dir` holds packages importing each other by name) check without errors.
#[test]
fn gc_dir_corpus() {
    if !std::path::Path::new("/usr/lib/go-1.19/test").is_dir() {
        return;
    }
    std::thread::Builder::new().stack_size(CHECKER_STACK_SIZE).spawn(dir_corpus).unwrap().join().unwrap();
}

fn dir_corpus() {
    let root = std::path::Path::new("/usr/lib/go-1.19/test");
    let mut dirs = Vec::new();
    for sub in ["", "fixedbugs", "typeparam"] {
        let Ok(rd) = std::fs::read_dir(root.join(sub)) else { continue };
        for e in rd.flatten() {
            let p = e.path();
            if p.extension().is_none_or(|x| x != "go") {
                continue;
            }
            let first = std::fs::read_to_string(&p).ok().and_then(|s| s.lines().next().map(str::to_string)).unwrap_or_default();
            if first.starts_with("// rundir") || first.starts_with("// compiledir") {
                let d = p.with_extension("dir");
                if d.is_dir() {
                    dirs.push(d);
                }
            }
        }
    }
    dirs.sort();
    let mut imp = super::stdimport::StdImporter::new();
    let (mut ok, mut total) = (0, 0);
    let mut report = String::new();
    for d in &dirs {
        total += 1;
        let errs = check_dir(&mut imp, d);
        if errs.is_empty() {
            ok += 1;
        } else {
            report.push_str(&format!("=== {}\n{errs}", d.display()));
        }
    }
    let _ = std::fs::write("/tmp/dir_diff.txt", &report);
    println!("{ok}/{total} rundir/compiledir programs check without errors (others in /tmp/dir_diff.txt)");
    assert!(total - ok <= 2, "{} dir programs with errors (see /tmp/dir_diff.txt)", total - ok);
}

/// Checks the packages of a test directory in dependency order; rendered errors.
fn check_dir(imp: &mut super::stdimport::StdImporter, dir: &std::path::Path) -> String {
    let mut paths: Vec<std::path::PathBuf> = std::fs::read_dir(dir)
        .map(|rd| rd.flatten().map(|e| e.path()).filter(|p| p.extension().is_some_and(|x| x == "go")).collect())
        .unwrap_or_default();
    paths.sort();
    // Group files by package name, in order of first appearance; a package can be
    // imported by its name or by the name of one of its files (as the test runner builds
    // single-file packages).
    let mut groups: Vec<(String, Vec<crate::syntax::ast::File>)> = Vec::new();
    let mut aliases: Vec<(String, String)> = Vec::new();
    let mut diags = Vec::new();
    for p in &paths {
        let src = std::fs::read(p).unwrap_or_default();
        let name = p.file_name().unwrap().to_string_lossy().into_owned();
        let id = imp.sources.add(name.clone(), src.clone());
        let (f, errs) = parse_file(id, &src);
        if !errs.is_empty() {
            return format!("{name}: syntax error: {}\n", errs[0].msg);
        }
        diags.extend(check_branches(&f, &name));
        let pkg = f.pkg_name.map(|n| f.name(n).as_str().to_string()).unwrap_or_default();
        aliases.push((name.trim_end_matches(".go").to_string(), pkg.clone()));
        match groups.iter_mut().find(|(n, _)| *n == pkg) {
            Some((_, fs)) => fs.push(f),
            None => groups.push((pkg, vec![f])),
        }
    }
    let resolve = |p: &str| -> Option<String> {
        let n = p.trim_start_matches("./");
        let n = n.rsplit('/').next().unwrap_or(n);
        if groups.iter().any(|(g, _)| g == n) {
            return Some(n.to_string());
        }
        aliases.iter().find(|(a, _)| a == n).map(|(_, g)| g.clone())
    };
    let mut local: std::collections::HashMap<String, PackageId> = std::collections::HashMap::new();
    let mut done = vec![false; groups.len()];
    for _ in 0..groups.len() {
        // The next group whose local imports are all checked.
        let Some(gi) = (0..groups.len()).find(|&i| {
            !done[i]
                && groups[i].1.iter().all(|f| {
                    import_paths(f).iter().all(|p| match resolve(p) {
                        Some(g) => g != groups[i].0 && local.contains_key(&g),
                        None => true,
                    })
                })
        }) else {
            return "import cycle among the directory's packages\n".into();
        };
        done[gi] = true;
        let (name, files) = &groups[gi];
        let mut local_imports = Vec::new();
        for f in files {
            for p in import_paths(f) {
                match resolve(&p) {
                    Some(g) => local_imports.push((p, g)),
                    None => {
                        let _ = imp.check(&p);
                    }
                }
            }
        }
        let mut map: std::collections::HashMap<String, PackageId> = std::collections::HashMap::new();
        for (k, v) in &imp.packages {
            if let Ok(p) = v {
                map.insert(k.clone(), *p);
            }
        }
        for (p, g) in local_imports {
            if let Some(&v) = local.get(&g) {
                map.insert(p, v);
            }
        }
        let config = Config { path: name.clone(), ..Config::default() };
        let (info, d) = check_package(&mut imp.world, &config, files, &imp.sources, &mut map);
        diags.extend(d);
        if let Some(p) = info.pkg {
            local.insert(name.clone(), p);
        }
    }
    crate::diag::render(&imp.sources, &[], &diags, true)
}
