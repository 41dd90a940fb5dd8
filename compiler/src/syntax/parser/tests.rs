//! Parser tests: one group per construct, plus gc's exact error messages.

use super::*;
use crate::syntax::printer::{decl_string, expr_string, stmt_string};

fn parse(src: &str) -> (File, Vec<SyntaxError>) {
    parse_file(FileId(0), src.as_bytes())
}

/// Parses `src` and asserts that there are no errors.
fn parse_ok(src: &str) -> File {
    let (f, errs) = parse(src);
    assert!(errs.is_empty(), "{src}\nunexpected errors: {errs:?}");
    f
}

/// The errors of `src` as "line:col: msg".
fn errors(src: &str) -> Vec<String> {
    parse(src).1.into_iter().map(|e| format!("{}:{}: {}", e.pos.line, e.pos.col, e.msg)).collect()
}

/// The first error of `src` as "line:col: msg".
fn first_error(src: &str) -> String {
    errors(src).into_iter().next().unwrap_or_else(|| panic!("no error for {src:?}"))
}

/// Every top-level declaration printed in short form.
fn decls(src: &str) -> Vec<String> {
    let f = parse_ok(src);
    f[f.decls].iter().map(|&d| decl_string(&f, d)).collect()
}

/// The statements of the body of the first function, printed in short form.
fn body(src: &str) -> Vec<String> {
    let src = format!("package p; func _() {{\n{src}\n}}");
    let f = parse_ok(&src);
    let DeclKind::Func { body: Some(b), .. } = f[f[f.decls][0]].kind else { panic!("no body") };
    f[f[b].stmts].iter().map(|&s| stmt_string(&f, s)).collect()
}

/// The expression `src`, parsed as the value of a var declaration and printed back.
fn expr(src: &str) -> String {
    let f = parse_ok(&format!("package p; var _ = {src}"));
    let DeclKind::Var { values: Some(v), .. } = f[f[f.decls][0]].kind else { panic!("no value") };
    expr_string(&f, v)
}

#[test]
fn hello_world() {
    let f = parse_ok("package main\n\nfunc main() {\n\tprintln(\"hello, world\", 42, true, -7)\n}\n");
    assert_eq!(f.name(f.pkg_name.unwrap()).as_str(), "main");
    let decls = &f[f.decls];
    assert_eq!(decls.len(), 1);
    let DeclKind::Func { recv: None, name, tparams, typ, body: Some(body) } = f[decls[0]].kind else { panic!() };
    assert_eq!(f.name(name).as_str(), "main");
    assert!(tparams.is_empty());
    assert!(matches!(f[typ].kind, ExprKind::FuncType { params, results } if params.is_empty() && results.is_empty()));
    let stmts = &f[f[body].stmts];
    assert_eq!(stmts.len(), 1);
    let StmtKind::Expr(call) = f[stmts[0]].kind else { panic!() };
    let ExprKind::Call { fun, args, has_dots: false } = f[call].kind else { panic!() };
    assert_eq!(f.name(fun).as_str(), "println");
    let args = &f[args];
    assert_eq!(args.len(), 4);
    assert_eq!(f.lit_text(args[0]), Some("\"hello, world\""));
    assert!(matches!(f[args[0]].kind, ExprKind::BasicLit { kind: LitKind::String, bad: false, .. }));
    assert_eq!(f.lit_text(args[1]), Some("42"));
    assert_eq!(f.name(args[2]).as_str(), "true");
    assert!(matches!(f[args[3]].kind, ExprKind::Operation { op: Operator::Sub, y: None, .. }));
    // Positions: the call's pos is its '(' (as in gc), its start the function name.
    assert_eq!((f[call].pos.line, f[call].pos.col), (4, 9));
    assert_eq!((f.start_pos(call).line, f.start_pos(call).col), (4, 2));
    assert_eq!((f[args[3]].pos.line, f[args[3]].pos.col), (4, 36));
}

/// All non-testdata .go files under `root`.
fn go_files(root: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
    let Ok(entries) = std::fs::read_dir(root) else { return };
    let mut entries: Vec<_> = entries.flatten().map(|e| e.path()).collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            if path.file_name().is_some_and(|n| n != "testdata") {
                go_files(&path, out);
            }
        } else if path.extension().is_some_and(|e| e == "go") {
            out.push(path);
        }
    }
}

/// Parses every non-testdata .go file of GOROOT/src (single thread) and expects no errors.
/// Run with `cargo test --release -p goclift goroot -- --ignored --nocapture`.
#[test]
#[ignore]
fn goroot_parses_cleanly() {
    let root = std::env::var("GOROOT").unwrap_or_else(|_| "/usr/lib/go-1.19".to_string());
    let mut files = Vec::new();
    go_files(&std::path::Path::new(&root).join("src"), &mut files);
    assert!(files.len() > 1000, "GOROOT sources not found under {root}");
    let sources: Vec<(std::path::PathBuf, Vec<u8>)> =
        files.into_iter().map(|p| (p.clone(), std::fs::read(&p).unwrap())).collect();
    let bytes: usize = sources.iter().map(|s| s.1.len()).sum();
    let start = std::time::Instant::now();
    let mut failures = Vec::new();
    let mut nodes = 0;
    for (i, (path, src)) in sources.iter().enumerate() {
        let (f, errs) = parse_file(FileId(i as u32), src);
        nodes += f.exprs.len() + f.stmts.len();
        if let Some(e) = errs.first() {
            failures.push(format!("{}:{}:{}: {}", path.display(), e.pos.line, e.pos.col, e.msg));
        }
    }
    let elapsed = start.elapsed();
    println!(
        "parsed {} files ({:.1} MB, {} nodes) in {:.3}s: {:.1} MB/s; {} clean, {} with errors",
        sources.len(),
        bytes as f64 / 1e6,
        nodes,
        elapsed.as_secs_f64(),
        bytes as f64 / 1e6 / elapsed.as_secs_f64(),
        sources.len() - failures.len(),
        failures.len()
    );
    for f in failures.iter().take(30) {
        println!("{f}");
    }
    assert!(failures.is_empty(), "{} files with errors", failures.len());
}

mod gc_compare;

/// Throughput of the scanner alone and of the parser over GOROOT/src (best of 3 runs).
/// Run with `cargo test --release -p goclift parse_speed -- --ignored --nocapture`.
#[test]
#[ignore]
fn parse_speed() {
    let root = std::env::var("GOROOT").unwrap_or_else(|_| "/usr/lib/go-1.19".to_string());
    let mut files = Vec::new();
    go_files(&std::path::Path::new(&root).join("src"), &mut files);
    let sources: Vec<Vec<u8>> = files.iter().map(|p| std::fs::read(p).unwrap()).collect();
    let mb = sources.iter().map(|s| s.len()).sum::<usize>() as f64 / 1e6;
    let reps: usize = std::env::var("REPS").ok().and_then(|r| r.parse().ok()).unwrap_or(3);
    let mut best_scan = f64::MAX;
    let mut best_parse = f64::MAX;
    for _ in 0..reps {
        let t = std::time::Instant::now();
        let mut toks = 0usize;
        for src in &sources {
            let mut s = crate::syntax::scanner::Scanner::new(src);
            loop {
                s.next();
                toks += 1;
                if s.tok == Token::Eof {
                    break;
                }
            }
        }
        best_scan = best_scan.min(t.elapsed().as_secs_f64());
        assert!(toks > 0);
        let t = std::time::Instant::now();
        for (i, src) in sources.iter().enumerate() {
            let (f, _) = parse_file(FileId(i as u32), src);
            std::hint::black_box(&f);
        }
        best_parse = best_parse.min(t.elapsed().as_secs_f64());
    }
    println!("scanner: {:.1} MB/s; parser: {:.1} MB/s ({} files, {:.1} MB, {:.3}s)", mb / best_scan, mb / best_parse, sources.len(), mb, best_parse);
}
