//! Tests of whole loads: the standard library against `go list`, and small module trees
//! for resolution, ordering and every error the go command reports.

use super::*;
use crate::target::{Arch, Target};
use std::collections::BTreeMap;

fn ctx(arch: Arch) -> BuildContext {
    BuildContext::for_target(PathBuf::from(DEFAULT_GOROOT), Target { arch })
}

fn opts(cwd: &Path, jobs: usize) -> Options {
    Options { jobs, cwd: cwd.to_path_buf() }
}

/// A temporary directory holding `files` (path, contents).
fn tree(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (path, text) in files {
        let p = dir.path().join(path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }
    dir
}

fn load_in(dir: &Path, args: &[&str]) -> Result<Graph, Vec<LoadError>> {
    let args: Vec<String> = args.iter().map(|s| s.to_string()).collect();
    load_with(&ctx(Arch::Amd64), &Root::from_args(&args), &opts(dir, 2))
}

fn errors_in(dir: &Path, args: &[&str]) -> Vec<String> {
    match load_in(dir, args) {
        Ok(_) => panic!("loading {args:?} should fail"),
        Err(errors) => errors.iter().map(|e| e.to_string()).collect(),
    }
}

/// `go list -f '{{.ImportPath}}:{{range .GoFiles}} {{.}}{{end}}' std` with CGO_ENABLED=0,
/// saved from gc 1.19.8.
fn go_list_std(arch: &str) -> BTreeMap<String, Vec<String>> {
    let text = match arch {
        "amd64" => include_str!("testdata/std_amd64.txt"),
        _ => include_str!("testdata/std_arm64.txt"),
    };
    text.lines()
        .map(|l| {
            let (path, files) = l.split_once(':').unwrap();
            (path.to_string(), files.split_whitespace().map(String::from).collect())
        })
        .collect()
}

fn std_agrees_with_go_list(arch: Arch, name: &str) {
    let c = ctx(arch);
    let want = go_list_std(name);
    let list = std_packages(&c, &opts(Path::new("/"), 2)).unwrap();
    assert_eq!(list, want.keys().cloned().collect::<Vec<_>>(), "std packages for {name}");
    let graph = load_with(&c, &[Root::Std], &opts(Path::new("/"), 2)).unwrap_or_else(|e| panic!("{e:?}"));
    assert!(graph.syntax_errors.is_empty(), "{:?}", graph.syntax_errors.first());
    for p in &graph.packages {
        let files: Vec<String> =
            p.files.iter().map(|f| f.file_name().unwrap().to_string_lossy().into_owned()).collect();
        if p.kind == PackageKind::Unsafe {
            assert!(files.is_empty());
            continue;
        }
        assert_eq!(Some(&files), want.get(&p.path), "files of {} for {name}", p.path);
    }
    // Every std package with files is loaded (the test-only one is not), and nothing else.
    let mut loaded: Vec<&str> = graph.packages.iter().map(|p| p.path.as_str()).collect();
    loaded.sort();
    let expected: Vec<&str> = want.iter().filter(|(_, f)| !f.is_empty()).map(|(p, _)| p.as_str()).collect();
    assert_eq!(loaded, expected);
}

#[test]
fn std_agrees_with_go_list_on_amd64() {
    std_agrees_with_go_list(Arch::Amd64, "amd64");
}

#[test]
fn std_agrees_with_go_list_on_arm64() {
    std_agrees_with_go_list(Arch::Arm64, "arm64");
}

#[test]
fn dependencies_come_first_and_levels_are_independent() {
    let graph = load_with(&ctx(Arch::Arm64), &[Root::Path("net/http".into())], &opts(Path::new("/"), 2)).unwrap();
    for (i, p) in graph.packages.iter().enumerate() {
        for &dep in p.imports.values() {
            assert!(dep.index() < i, "{} imports {} which comes later", p.path, graph.package(dep).path);
            assert!(graph.package(dep).level < p.level);
        }
    }
    for level in graph.levels() {
        for &a in &level {
            assert!(graph.package(a).imports.values().all(|d| !level.contains(d)));
        }
    }
    let http = graph.package(graph.roots[0]);
    assert_eq!((http.path.as_str(), http.name.as_str()), ("net/http", "http"));
    assert_eq!(graph.roots[0].index(), graph.packages.len() - 1);
    // Vendored imports map to std's vendor tree.
    let idna = http.imports["golang.org/x/net/idna"];
    assert_eq!(graph.package(idna).path, "vendor/golang.org/x/net/idna");
    let unsafe_id = graph.find("unsafe").unwrap();
    assert_eq!(graph.package(unsafe_id).kind, PackageKind::Unsafe);
    assert_eq!(graph.package(graph.find("runtime").unwrap()).imports["unsafe"], unsafe_id);
    // Files are numbered in package order and the source map holds each once.
    let ids: Vec<u32> = graph.packages.iter().flat_map(|p| p.syntax.iter().map(|f| f.file.0)).collect();
    assert_eq!(ids, (0..graph.file_count() as u32).collect::<Vec<_>>());
}

#[test]
fn same_graph_on_one_thread_and_on_four() {
    let summary = |jobs| {
        let g = load_with(&ctx(Arch::Amd64), &[Root::Path("fmt".into())], &opts(Path::new("/"), jobs)).unwrap();
        g.packages.iter().map(|p| (p.path.clone(), p.files.clone(), p.level)).collect::<Vec<_>>()
    };
    assert_eq!(summary(1), summary(4));
}

const GOMOD: &str = "module example.com/m\n\ngo 1.19\n";

#[test]
fn module_packages_and_directories() {
    let t = tree(&[
        ("go.mod", GOMOD),
        (
            "main.go",
            "package main\n\nimport (\n\t\"fmt\"\n\t\"example.com/m/lib\"\n)\n\nfunc main() { fmt.Println(lib.X) }\n",
        ),
        ("lib/lib.go", "package lib\n\nimport \"example.com/m/internal/x\"\n\nvar X = x.Y\n"),
        ("lib/lib_windows.go", "package lib\n\nimport \"nonexistent/pkg\"\n"),
        ("internal/x/x.go", "package x\n\nconst Y = 1\n"),
    ]);
    let g = load_in(t.path(), &["."]).unwrap_or_else(|e| panic!("{e:?}"));
    let main = g.package(g.roots[0]);
    assert_eq!((main.path.as_str(), main.name.as_str(), main.kind), ("example.com/m", "main", PackageKind::Module));
    let lib = g.package(main.imports["example.com/m/lib"]);
    assert_eq!(lib.files, vec![t.path().join("lib/lib.go")]);
    assert_eq!(g.main_module.as_ref().unwrap().go_version.as_deref(), Some("1.19"));
    // By import path, and from a subdirectory.
    let g = load_in(&t.path().join("lib"), &["example.com/m/lib"]).unwrap();
    assert_eq!(g.package(g.roots[0]).dir, t.path().join("lib"));
}

#[test]
fn files_named_on_the_command_line() {
    let t = tree(&[
        ("gen.go", "//go:build ignore\n\npackage main\n\nimport \"os\"\n\nfunc main() { os.Exit(0) }\n"),
        ("other.go", "package other\n"),
    ]);
    let g = load_in(t.path(), &["gen.go"]).unwrap();
    let p = g.package(g.roots[0]);
    assert_eq!((p.path.as_str(), p.name.as_str(), p.kind), ("command-line-arguments", "main", PackageKind::Local));
    assert_eq!(p.files, vec![PathBuf::from("gen.go")]);
    assert_eq!(g.sources.file(p.syntax[0].file).name, "gen.go");
    assert_eq!(errors_in(t.path(), &["gen.go", "x.txt"]), ["named files must be .go files: x.txt"]);
}

#[test]
fn directory_outside_any_module() {
    let t = tree(&[("prog/main.go", "package main\n\nfunc main() {}\n")]);
    let g = load_in(t.path(), &["./prog"]).unwrap();
    let p = g.package(g.roots[0]);
    assert_eq!(p.path, format!("_{}", t.path().join("prog").display()));
    assert_eq!(p.kind, PackageKind::Local);
}

#[test]
fn import_cycles_are_reported_with_the_chain() {
    let t = tree(&[
        ("go.mod", "module cyc\n"),
        ("main.go", "package main\n\nimport \"cyc/a\"\n\nfunc main() { a.F() }\n"),
        ("a/a.go", "package a\n\nimport \"cyc/b\"\n\nfunc F() { b.G() }\n"),
        ("b/b.go", "package b\n\nimport \"cyc/a\"\n\nfunc G() { a.F() }\n"),
        ("self/s.go", "package self\n\nimport _ \"cyc/self\"\n"),
    ]);
    assert_eq!(
        errors_in(t.path(), &["."]),
        ["package cyc\n\timports cyc/a\n\timports cyc/b\n\timports cyc/a: import cycle not allowed"]
    );
    assert_eq!(errors_in(t.path(), &["./self"]), ["package cyc/self\n\timports cyc/self: import cycle not allowed"]);
}

#[test]
fn missing_and_unbuildable_packages() {
    let t = tree(&[
        ("go.mod", GOMOD),
        ("main.go", "package main\n\nimport (\n\t_ \"foo/bar\"\n\t_ \"example.com/m/nosuch\"\n\t_ \"example.com/m/excl\"\n)\n\nfunc main() {}\n"),
        ("excl/a_windows.go", "package excl\n"),
        ("empty/README", ""),
        ("tests/a_test.go", "package tests\n"),
    ]);
    let excl = t.path().join("excl");
    assert_eq!(
        errors_in(t.path(), &["."]),
        [
            format!("package example.com/m\n\timports example.com/m/excl: build constraints exclude all Go files in {}", excl.display()),
            "main.go:5:2: no required module provides package example.com/m/nosuch; to add it:\n\tgo get example.com/m/nosuch".to_string(),
            "main.go:4:2: package foo/bar is not in GOROOT (/usr/lib/go-1.19/src/foo/bar)".to_string(),
        ]
    );
    assert_eq!(
        errors_in(t.path(), &["./excl"]),
        [format!("package example.com/m/excl: build constraints exclude all Go files in {}", excl.display())]
    );
    assert_eq!(errors_in(t.path(), &["./empty"]), [format!("no Go files in {}", t.path().join("empty").display())]);
    assert_eq!(
        errors_in(t.path(), &["./tests"]),
        [format!("no non-test Go files in {}", t.path().join("tests").display())]
    );
    assert_eq!(
        errors_in(t.path(), &["fmt/nosuch"]),
        ["package fmt/nosuch is not in GOROOT (/usr/lib/go-1.19/src/fmt/nosuch)"]
    );
    assert_eq!(
        errors_in(t.path(), &["./nonexist"]),
        [format!("stat {}: directory not found", t.path().join("nonexist").display())]
    );
}

#[test]
fn a_missing_package_is_reported_once() {
    let t = tree(&[
        ("go.mod", "module dup\n"),
        ("main.go", "package main\n\nimport (\n\t_ \"dup/a\"\n\t_ \"foo/bar\"\n)\n\nfunc main() {}\n"),
        ("a/a.go", "package a\n\nimport _ \"foo/bar\"\n"),
    ]);
    assert_eq!(
        errors_in(t.path(), &["."]),
        ["a/a.go:3:8: package foo/bar is not in GOROOT (/usr/lib/go-1.19/src/foo/bar)"]
    );
}

#[test]
fn forbidden_imports() {
    let t = tree(&[
        ("go.mod", "module e\n"),
        ("internal.go", "package main\n\nimport _ \"internal/cpu\"\n\nfunc main() {}\n"),
        ("vendored.go", "package main\n\nimport _ \"vendor/golang.org/x/net/dns/dnsmessage\"\n\nfunc main() {}\n"),
        ("prog.go", "package main\n\nimport _ \"e/prog\"\n\nfunc main() {}\n"),
        ("prog/p.go", "package main\n\nfunc main() {}\n"),
        ("multi.go", "package main\n\nimport _ \"e/multi\"\n\nfunc main() {}\n"),
        ("multi/a.go", "package multi\n"),
        ("multi/b.go", "package other\n"),
        ("cgo.go", "package main\n\nimport _ \"e/cgo\"\n\nfunc main() {}\n"),
        ("cgo/c.go", "package cgo\n\nimport \"C\"\n"),
        ("bad.go", "package main\n\nimport _ \"e/bad\"\n\nfunc main() {}\n"),
        ("bad/a.go", "//go:build linux &&\n\npackage bad\n"),
        ("rel.go", "package main\n\nimport _ \"./x\"\n\nfunc main() {}\n"),
    ]);
    let dir = t.path().display().to_string();
    let one = |file: &str| errors_in(t.path(), &[file]);
    assert_eq!(
        one("internal.go"),
        ["package command-line-arguments\n\tinternal.go:3:8: use of internal package internal/cpu not allowed"]
    );
    assert_eq!(one("vendored.go"), ["vendored.go:3:8: use of vendored package not allowed"]);
    assert_eq!(one("prog.go"), ["prog.go:3:8: import \"e/prog\" is a program, not an importable package"]);
    assert_eq!(one("multi.go"), [format!("multi.go:3:8: found packages multi (a.go) and other (b.go) in {dir}/multi")]);
    assert_eq!(
        one("cgo.go"),
        [format!(
            "package command-line-arguments\n\timports e/cgo: build constraints exclude all Go files in {dir}/cgo"
        )]
    );
    assert_eq!(one("bad.go"), ["bad.go:3:8: a.go: parsing //go:build line: unexpected end of expression"]);
    assert_eq!(
        one("rel.go"),
        ["rel.go:3:8: \"./x\" is relative, but relative import paths are not supported in module mode"]
    );
}

#[test]
fn std_may_use_internal_packages() {
    let g = load_with(&ctx(Arch::Amd64), &[Root::Path("os".into())], &opts(Path::new("/"), 2)).unwrap();
    assert!(g.find("internal/poll").is_some());
}

#[test]
fn syntax_errors_are_kept_for_the_caller() {
    let t = tree(&[("a.go", "package main\n\nfunc main() {\n")]);
    let g = load_in(t.path(), &["a.go"]).unwrap();
    assert_eq!(g.syntax_errors.len(), 1);
    assert_eq!(g.sources.file(g.syntax_errors[0].file).name, "a.go");
}

#[test]
fn command_line_words() {
    let words = |w: &[&str]| Root::from_args(&w.iter().map(|s| s.to_string()).collect::<Vec<_>>());
    assert_eq!(words(&[]), [Root::Dir(".".into())]);
    assert_eq!(words(&["a.go", "b.go"]), [Root::Files(vec!["a.go".into(), "b.go".into()])]);
    assert_eq!(
        words(&["std", "./x", "/abs", "fmt", ".."]),
        [
            Root::Std,
            Root::Dir("./x".into()),
            Root::Dir("/abs".into()),
            Root::Path("fmt".into()),
            Root::Dir("..".into())
        ]
    );
}

/// Prints what loading all of std costs (run with `--ignored --nocapture`).
#[test]
#[ignore]
fn std_load_statistics() {
    for (arch, name) in [(Arch::Amd64, "amd64"), (Arch::Arm64, "arm64")] {
        for jobs in [1, 2] {
            let start = std::time::Instant::now();
            let g = load_with(&ctx(arch), &[Root::Std], &opts(Path::new("/"), jobs)).unwrap();
            let elapsed = start.elapsed();
            let bytes: usize =
                (0..g.file_count()).map(|i| g.sources.file(crate::syntax::pos::FileId(i as u32)).src.len()).sum();
            println!(
                "{name} -j{jobs}: {} packages, {} files, {:.1} MB, {} levels, {:.0} ms",
                g.packages.len(),
                g.file_count(),
                bytes as f64 / 1e6,
                g.levels().len(),
                elapsed.as_secs_f64() * 1e3
            );
        }
    }
}

#[test]
#[ignore]
fn std_load_phases() {
    let c = ctx(Arch::Amd64);
    for _ in 0..3 {
        let t = std::time::Instant::now();
        let dirs = std_walk::std_dirs(&c);
        let walk = t.elapsed();
        for jobs in [1, 2] {
            let t = std::time::Instant::now();
            let g = load_with(&c, &[Root::Std], &opts(Path::new("/"), jobs)).unwrap();
            let load = t.elapsed();
            let t = std::time::Instant::now();
            drop(g);
            println!("{} dirs walked in {:?}; -j{jobs} load {:?}, drop {:?}", dirs.len(), walk, load, t.elapsed());
        }
    }
}
