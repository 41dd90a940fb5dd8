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
fn hello_world_one_line() {
    let src = "package main; func main() { println(\"hello, world\", 42, true, -7) }";
    let f = parse_ok(src);
    assert_eq!(decls(src), vec!["func main() { println(\"hello, world\", 42, true, -7) }"]);
    assert_eq!(f[f.decls].len(), 1);
}

#[test]
fn imports_only() {
    let src = "// +build linux\n\npackage p\n\nimport (\n\t\"fmt\"\n\tx \"os\"\n)\nimport \"strings\"\n\nfunc f() { this is not parsed }\n";
    let (f, errs) = parse_imports(FileId(0), src.as_bytes());
    assert!(errs.is_empty(), "{errs:?}");
    let paths: Vec<&str> = f[f.decls]
        .iter()
        .map(|&d| match f[d].kind {
            DeclKind::Import { path: Some(p), .. } => f.lit_text(p).unwrap(),
            _ => panic!(),
        })
        .collect();
    assert_eq!(paths, vec!["\"fmt\"", "\"os\"", "\"strings\""]);
    assert_eq!(f.comments.len(), 1);
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


/// A fully parenthesized dump of an expression tree, to check structure and precedence.
fn tree(f: &File, e: ExprId) -> String {
    match f[e].kind {
        ExprKind::Operation { op, x, y: None } => format!("({}{})", op.as_str(), tree(f, x)),
        ExprKind::Operation { op, x, y: Some(y) } => format!("({} {} {})", tree(f, x), op.as_str(), tree(f, y)),
        ExprKind::Paren(x) => format!("[{}]", tree(f, x)),
        ExprKind::Call { fun, args, has_dots } => {
            let args: Vec<String> = f[args].iter().map(|&a| tree(f, a)).collect();
            format!("call({}; {}{})", tree(f, fun), args.join(", "), if has_dots { "..." } else { "" })
        }
        ExprKind::Index { x, index } => format!("index({}; {})", tree(f, x), tree(f, index)),
        ExprKind::List(l) => {
            let elems: Vec<String> = f[l].iter().map(|&a| tree(f, a)).collect();
            format!("list({})", elems.join(", "))
        }
        ExprKind::Selector { x, sel } => format!("sel({}; {})", tree(f, x), tree(f, sel)),
        _ => expr_string(f, e),
    }
}

/// The tree dump of expression `src`.
fn expr_tree(src: &str) -> String {
    let f = parse_ok(&format!("package p; var _ = {src}"));
    let DeclKind::Var { values: Some(v), .. } = f[f[f.decls][0]].kind else { panic!("no value") };
    tree(&f, v)
}

#[test]
fn binary_precedence_and_associativity() {
    assert_eq!(expr_tree("a + b * c"), "(a + (b * c))");
    assert_eq!(expr_tree("a * b + c"), "((a * b) + c)");
    assert_eq!(expr_tree("a - b - c"), "((a - b) - c)");
    assert_eq!(expr_tree("a || b && c"), "(a || (b && c))");
    assert_eq!(expr_tree("a == b || c < d && e != f"), "((a == b) || ((c < d) && (e != f)))");
    assert_eq!(expr_tree("a << 2 + 1"), "((a << 2) + 1)");
    assert_eq!(expr_tree("x &^ y | z % w"), "((x &^ y) | (z % w))");
    assert_eq!(expr_tree("a / b >> c ^ d"), "(((a / b) >> c) ^ d)");
    // Parentheses are kept (as in gc, for error messages about them).
    assert_eq!(expr_tree("a <= b == (c >= d)"), "((a <= b) == [(c >= d)])");
}

#[test]
fn unary_operators() {
    assert_eq!(expr_tree("-a * b"), "((-a) * b)");
    assert_eq!(expr_tree("!a && b"), "((!a) && b)");
    assert_eq!(expr_tree("*p.x"), "(*sel(p; x))");
    assert_eq!(expr_tree("<-ch + 1"), "((<-ch) + 1)");
    assert_eq!(expr_tree("^x"), "(^x)");
    assert_eq!(expr_tree("&T{}"), "(&T{})");
    assert_eq!(expr_tree("&(T{})"), "(&T{})"); // parentheses dropped after &
    assert_eq!(expr_tree("- -x"), "(-(-x))");
    assert_eq!(expr_tree("<-<-ch"), "(<-(<-ch))");
}

#[test]
fn calls_conversions_selectors() {
    assert_eq!(expr_tree("f(a, b...)"), "call(f; a, b...)");
    assert_eq!(expr_tree("f()(x)"), "call(call(f; ); x)");
    assert_eq!(expr_tree("pkg.F(1)"), "call(sel(pkg; F); 1)");
    assert_eq!(expr_tree("[]byte(s)"), "call([]byte; s)");
    assert_eq!(expr_tree("(*T)(p)"), "call([(*T)]; p)");
    assert_eq!(expr_tree("T.m"), "sel(T; m)");
    assert_eq!(expr_tree("(*T).m"), "sel([(*T)]; m)");
    assert_eq!(expr_tree("func(int) int(f)"), "call(func(int) int; f)");
    assert_eq!(expr_tree("map[string]int(nil)"), "call(map[string]int; nil)");
    assert_eq!(expr_tree("f(a,\n b,\n)"), "call(f; a, b)");
}

#[test]
fn index_slice_and_instantiation() {
    assert_eq!(expr("a[i]"), "a[i]");
    assert_eq!(expr("a[i:j]"), "a[i:j]");
    assert_eq!(expr("a[:j]"), "a[:j]");
    assert_eq!(expr("a[i:]"), "a[i:]");
    assert_eq!(expr("a[:]"), "a[:]");
    assert_eq!(expr("a[i:j:k]"), "a[i:j:k]");
    assert_eq!(expr("a[:j:k]"), "a[:j:k]");
    assert_eq!(expr_tree("f[int](x)"), "call(index(f; int); x)");
    assert_eq!(expr_tree("m[K, V]{}"), "m[K, V]{}");
    assert_eq!(expr_tree("f[int, string,]"), "index(f; list(int, string))");
    let f = parse_ok("package p; var _ = a[1:2:3]");
    let DeclKind::Var { values: Some(v), .. } = f[f[f.decls][0]].kind else { panic!() };
    assert!(matches!(f[v].kind, ExprKind::Slice { full: true, index: [Some(_), Some(_), Some(_)], .. }));
}

#[test]
fn composite_literals() {
    assert_eq!(expr("T{}"), "T{}");
    assert_eq!(expr("T{1, 2}"), "T{…}");
    assert_eq!(expr("[]int{1, 2, 3}"), "[]int{…}");
    assert_eq!(expr("[...]string{\"a\"}"), "[...]string{…}");
    assert_eq!(expr("map[string]int{\"a\": 1}"), "map[string]int{…}");
    assert_eq!(expr("struct{ x int }{1}"), "struct{x int}{…}");
    assert_eq!(expr("pkg.T{X: 1}"), "pkg.T{…}");
    assert_eq!(expr("G[int]{}"), "G[int]{}");
    let f = parse_ok("package p; var _ = []T{{1, 2}, {a: 3}, 4}");
    let DeclKind::Var { values: Some(v), .. } = f[f[f.decls][0]].kind else { panic!() };
    let ExprKind::CompositeLit { typ: Some(_), elems, nkeys: 0, .. } = f[v].kind else { panic!() };
    let elems = &f[elems];
    assert_eq!(elems.len(), 3);
    assert!(matches!(f[elems[0]].kind, ExprKind::CompositeLit { typ: None, nkeys: 0, .. }));
    assert!(matches!(f[elems[1]].kind, ExprKind::CompositeLit { typ: None, nkeys: 1, .. }));
}

#[test]
fn composite_literal_brace_ambiguity() {
    // In control clause headers a name followed by '{' starts the block...
    assert_eq!(body("if x == y {\n}"), vec!["if x == y {}"]);
    assert_eq!(body("for x := range s {\n}"), vec!["for x := range s {}"]);
    // ...unless the literal is parenthesized, inside a call or index, or has a type literal.
    assert_eq!(body("if x == (T{}) {\n}"), vec!["if x == (T{}) {}"]);
    assert_eq!(body("if f(T{}) {\n}"), vec!["if f(T{}) {}"]);
    assert_eq!(body("for _, v := range []int{1, 2} {\n}"), vec!["for _, v := range []int{…} {}"]);
    assert_eq!(body("switch (T{}) {\n}"), vec!["switch (T{}) {}"]);
    // A block-bodied function literal in a header is fine.
    assert_eq!(body("if func() bool { return true }() {\n}"), vec!["if func() bool {…}() {}"]);
}

#[test]
fn function_literals_and_types() {
    assert_eq!(expr("func(a, b int) (r int, err error) { return }"), "func(a, b int) (r int, err error) {…}");
    assert_eq!(expr("func() {}"), "func() {}");
    assert_eq!(expr_tree("func() int { return 1 }()"), "call(func() int {…}; )");
    assert_eq!(expr("func(...int)"), "func(...int)");
    assert_eq!(expr("func(x ...interface{})"), "func(x ...interface{})");
    assert_eq!(expr("func(int, string) (bool)"), "func(int, string) bool");
}

#[test]
fn channel_types() {
    assert_eq!(expr("make(chan int)"), "make(chan int)");
    assert_eq!(expr("make(chan<- int)"), "make(chan<- int)");
    assert_eq!(expr("make(<-chan int)"), "make(<-chan int)");
    assert_eq!(expr("make(chan (<-chan int))"), "make(chan (<-chan int))");
    assert_eq!(expr("make(chan<- chan int)"), "make(chan<- chan int)");
    assert_eq!(expr("make(<-chan <-chan int)"), "make(<-chan <-chan int)");
    // <-chan int(nil) receives from the conversion chan int(nil), as in gc...
    assert_eq!(expr_tree("<-chan int(nil)"), "(<-call(chan int; nil))");
    // ...while <-chan int alone is a receive-only channel type.
    let f = parse_ok("package p; var _ = (<-chan int)(nil)");
    let DeclKind::Var { values: Some(v), .. } = f[f[f.decls][0]].kind else { panic!() };
    let ExprKind::Call { fun, .. } = f[v].kind else { panic!("{:?}", f[v].kind) };
    let fun = f.unparen(fun);
    assert!(matches!(f[fun].kind, ExprKind::ChanType { dir: ChanDir::RecvOnly, .. }));
}

#[test]
fn struct_and_interface_types() {
    assert_eq!(
        decls("package p; type S struct { a, b int `json:\"a\"`; T; *U; p.V; W[int]; c []W `x` }"),
        vec!["type S struct{a, b int `json:\"a\"`; T; *U; p.V; W[int]; c []W `x`}"]
    );
    let f = parse_ok("package p; type S struct { a, b int `tag` }");
    let DeclKind::Type { typ, .. } = f[f[f.decls][0]].kind else { panic!() };
    let ExprKind::StructType { fields } = f[typ].kind else { panic!() };
    let fields = &f[fields];
    assert_eq!(fields.len(), 2);
    assert_eq!(fields[0].typ, fields[1].typ, "names declared together share the type node");
    assert_eq!(fields[0].tag, fields[1].tag);
    assert!(fields[0].tag.is_some());
    assert_eq!(
        decls("package p; type I interface { M(x int) error; io.Reader; ~int | ~string; comparable; N() }"),
        vec!["type I interface{M(x int) error; io.Reader; ~int | ~string; comparable; N()}"]
    );
    assert_eq!(decls("package p; type E interface{}"), vec!["type E interface{}"]);
}

#[test]
fn generics() {
    assert_eq!(
        decls("package p; func Map[T, U any](s []T, f func(T) U) []U { return nil }"),
        vec!["func Map[T, U any](s []T, f func(T) U) []U {\n\treturn nil\n}".replace("\n\t", " ").replace('\n', " ")]
    );
    assert_eq!(decls("package p; type List[T any] struct { next *List[T]; val T }"), vec!["type List[T any] struct{next *List[T]; val T}"]);
    assert_eq!(decls("package p; type Num interface { ~int | ~int64 | float64 }"), vec!["type Num interface{~int | ~int64 | float64}"]);
    assert_eq!(decls("package p; type P[T *int,] struct{}"), vec!["type P[T *int,] struct{}"]);
    assert_eq!(decls("package p; type A [N]int"), vec!["type A [N]int"]);
    assert_eq!(decls("package p; type A [N * M]int"), vec!["type A [N * M]int"]);
    assert_eq!(decls("package p; type T[P interface{ M() }] int"), vec!["type T[P interface{M()}] int"]);
    assert_eq!(decls("package p; type T[P ~int | string] int"), vec!["type T[P ~int | string] int"]);
    assert_eq!(decls("package p; type T[P *Q, Q any] int"), vec!["type T[P *Q, Q any] int"]);
    assert_eq!(decls("package p; type M[K comparable, V any] map[K]V"), vec!["type M[K comparable, V any] map[K]V"]);
    assert_eq!(decls("package p; func (l *List[T]) Push(v T) {}"), vec!["func (l *List[T]) Push(v T) {}"]);
    assert_eq!(decls("package p; func (m M[K, V]) Get(k K) V { var v V; return v }").len(), 1);
    assert_eq!(body("x := Max[int](1, 2)"), vec!["x := Max[int](1, 2)"]);
    assert_eq!(body("var s Set[string]"), vec!["var s Set[string]"]);
    let f = parse_ok("package p; func F[T any, U comparable]() {}");
    let DeclKind::Func { tparams, .. } = f[f[f.decls][0]].kind else { panic!() };
    let names: Vec<&str> = f[tparams].iter().map(|p| f.name(p.name.unwrap()).as_str()).collect();
    assert_eq!(names, vec!["T", "U"]);
}

#[test]
fn declarations() {
    assert_eq!(
        decls("package p\nimport (\n\t\"fmt\"\n\tm \"math\"\n\t. \"os\"\n\t_ \"embed\"\n)\n"),
        vec!["\"fmt\"", "m \"math\"", ". \"os\"", "_ \"embed\""]
    );
    assert_eq!(decls("package p; import \"fmt\""), vec!["import \"fmt\""]);
    assert_eq!(decls("package p; var a, b int = 1, 2"), vec!["var a, b int = 1, 2"]);
    assert_eq!(decls("package p; var x = f()"), vec!["var x = f()"]);
    assert_eq!(decls("package p; const c float64 = 1.5"), vec!["const c float64 = 1.5"]);
    assert_eq!(decls("package p; type T = int"), vec!["type T = int"]);
    assert_eq!(decls("package p; type F func(int) error"), vec!["type F func(int) error"]);
    assert_eq!(decls("package p; func f(int, string)"), vec!["func f(int, string)"]);
    // Grouped constants keep empty value lists (the checker repeats the previous ones).
    let f = parse_ok("package p\nconst (\n\tA = iota\n\tB\n\tC, D\n)\n");
    let ds = &f[f.decls];
    assert_eq!(ds.len(), 3);
    assert!(f[ds[0]].group.is_some() && f[ds[0]].group == f[ds[2]].group);
    assert!(matches!(f[ds[1]].kind, DeclKind::Const { typ: None, values: None, .. }));
    let DeclKind::Const { names, .. } = f[ds[2]].kind else { panic!() };
    assert_eq!(names.len(), 2);
    // Separate groups differ.
    let f = parse_ok("package p; var (a int); var (b int)");
    let ds = &f[f.decls];
    assert_ne!(f[ds[0]].group, f[ds[1]].group);
}

#[test]
fn statements() {
    assert_eq!(body("x := 1\ny, z = z, y\nx += 2\nx++\ny--\nch <- x\n<-ch\nf()"), vec!["x := 1", "y, z = z, y", "x += 2", "x++", "y--", "ch <- x", "<-ch", "f()"]);
    assert_eq!(body("var x int\nconst c = 1\ntype T int"), vec!["var x int", "const c = 1", "type T int"]);
    assert_eq!(body("var (\n\ta = 1\n\tb = 2\n)"), vec!["var ( a = 1; b = 2 )"]);
    assert_eq!(body("return\nreturn 1\nreturn 1, 2"), vec!["return", "return 1", "return 1, 2"]);
    assert_eq!(body("go f()\ndefer g(1)\ndefer func() {}()"), vec!["go f()", "defer g(1)", "defer func() {}()"]);
    assert_eq!(body("{\n\tx := 1\n\t_ = x\n}"), vec!["{ x := 1; _ = x }"]);
    assert_eq!(body(";"), vec![""]);
}

#[test]
fn control_flow() {
    assert_eq!(body("if x {\n}"), vec!["if x {}"]);
    assert_eq!(body("if x := f(); x > 0 {\n} else if y {\n} else {\n}"), vec!["if x := f(); x > 0 {} else if y {} else {}"]);
    assert_eq!(body("for {\n}"), vec!["for {}"]);
    assert_eq!(body("for x < 10 {\n}"), vec!["for x < 10 {}"]);
    assert_eq!(body("for i := 0; i < n; i++ {\n}"), vec!["for i := 0; i < n; i++ {}"]);
    assert_eq!(body("for ; ; {\n}"), vec!["for {}"]);
    assert_eq!(body("for range ch {\n}"), vec!["for range ch {}"]);
    assert_eq!(body("for k := range m {\n}"), vec!["for k := range m {}"]);
    assert_eq!(body("for k, v = range m {\n}"), vec!["for k, v = range m {}"]);
    assert_eq!(
        body("switch x := f(); x {\ncase 1, 2:\n\tfallthrough\ncase 3:\ndefault:\n}"),
        vec!["switch x := f(); x { case 1, 2: fallthrough; case 3: default: }"]
    );
    assert_eq!(body("switch {\n}"), vec!["switch {}"]);
    assert_eq!(
        body("switch v := x.(type) {\ncase int, string:\ncase nil:\n}"),
        vec!["switch v := x.(type) { case int, string: case nil: }"]
    );
    assert_eq!(body("switch x.(type) {\n}"), vec!["switch x.(type) {}"]);
    assert_eq!(
        body("select {\ncase v := <-ch:\n\t_ = v\ncase ch <- 1:\ncase <-done:\ndefault:\n}"),
        vec!["select { case v := <-ch: _ = v; case ch <- 1: case <-done: default: }"]
    );
}

#[test]
fn labels_and_branches() {
    assert_eq!(
        body("L:\n\tfor {\n\t\tbreak L\n\t\tcontinue L\n\t}\n\tgoto L\nM:\n"),
        vec!["L: for { break L; continue L }", "goto L", "M: "]
    );
    // Branch targets are resolved.
    let src = "package p; func f() {\nL:\n\tfor {\n\t\tswitch {\n\t\tcase true:\n\t\t\tbreak L\n\t\tdefault:\n\t\t\tbreak\n\t\t}\n\t}\n}";
    let (f, errs, br) = parse_and_check(FileId(0), "x.go", src.as_bytes());
    assert!(errs.is_empty(), "{errs:?}");
    let targets: Vec<String> = {
        let mut t: Vec<(StmtId, StmtId)> = br.targets.into_iter().collect();
        t.sort();
        t.iter().map(|&(from, to)| format!("{} -> {}", stmt_string(&f, from), stmt_string(&f, to).split(' ').next().unwrap().to_string())).collect()
    };
    assert_eq!(targets, vec!["break L -> for", "break -> switch"]);
}

#[test]
fn type_switch_guard_binding() {
    let f = parse_ok("package p; func f() { switch t := x.(type) {} }");
    let DeclKind::Func { body: Some(b), .. } = f[f[f.decls][0]].kind else { panic!() };
    let StmtKind::Switch { tag: Some(tag), init: None, .. } = f[f[f[b].stmts][0]].kind else { panic!() };
    let ExprKind::TypeSwitchGuard { lhs: Some(lhs), .. } = f[tag].kind else { panic!() };
    assert_eq!(f.name(lhs).as_str(), "t");
}

#[test]
fn literal_kinds_in_ast() {
    let f = parse_ok("package p; var _ = []any{1, 2.5, 3i, 'x', \"s\", `r`, 0x1p4}");
    let DeclKind::Var { values: Some(v), .. } = f[f[f.decls][0]].kind else { panic!() };
    let ExprKind::CompositeLit { elems, .. } = f[v].kind else { panic!() };
    let kinds: Vec<LitKind> = f[elems]
        .iter()
        .map(|&e| match f[e].kind {
            ExprKind::BasicLit { kind, .. } => kind,
            _ => panic!(),
        })
        .collect();
    use LitKind::*;
    assert_eq!(kinds, vec![Int, Float, Imag, Rune, String, String, Float]);
    let texts: Vec<&str> = f[elems].iter().map(|&e| f.lit_text(e).unwrap()).collect();
    assert_eq!(texts, vec!["1", "2.5", "3i", "'x'", "\"s\"", "`r`", "0x1p4"]);
}

#[test]
fn node_positions_follow_gc() {
    let src = "package p\nfunc f() {\n\tx.y(a)[i] = b + c\n}\n";
    let f = parse_ok(src);
    let DeclKind::Func { body: Some(b), .. } = f[f[f.decls][0]].kind else { panic!() };
    let StmtKind::Assign { op: None, lhs, rhs: Some(rhs) } = f[f[f[b].stmts][0]].kind else { panic!() };
    let at = |p: Pos| (p.line, p.col);
    assert_eq!(at(f[f[f[b].stmts][0]].pos), (3, 12)); // assignment: the '='
    assert_eq!(at(f[lhs].pos), (3, 8)); // index: the '['
    assert_eq!(at(f.start_pos(lhs)), (3, 2));
    assert_eq!(at(f.end_pos(lhs)), (3, 10));
    assert_eq!(at(f[rhs].pos), (3, 16)); // binary: the operator
    assert_eq!(at(f.start_pos(rhs)), (3, 14));
    assert_eq!(at(f.end_pos(rhs)), (3, 19));
    assert_eq!(at(f[b].rbrace), (4, 1));
}

#[test]
fn pragmas_attach_to_declarations() {
    let src = "//go:build linux\n\npackage p\n\n//go:noinline\n//go:nosplit\nfunc f() {}\n\nfunc g() {\n\t//go:noinline\n\tx := 1\n\t_ = x\n}\n\n//go:linkname h runtime.h\nfunc h()\n";
    let f = parse_ok(src);
    let texts = |p: Pragma| f.pragma_directives(p).iter().map(|d| d.text.to_string()).collect::<Vec<_>>();
    assert_eq!(texts(f.pragma), vec!["go:build linux"]);
    let ds = &f[f.decls];
    assert_eq!(texts(f[ds[0]].pragma), vec!["go:noinline", "go:nosplit"]);
    assert!(f[ds[1]].pragma.is_empty());
    assert_eq!(texts(f[ds[2]].pragma), vec!["go:linkname h runtime.h"]);
    // The directive inside g's body is misplaced: recorded but not attached.
    let unattached: Vec<(u32, u32)> = f.directives.iter().filter(|d| !d.attached).map(|d| (d.pos.line, d.pos.col)).collect();
    assert_eq!(unattached, vec![(10, 4)]);
    assert!(f.directives.iter().all(|d| d.blank));
}

#[test]
fn comments_are_kept_for_doc_and_build_lines() {
    let src = "// +build ignore\n\n// Package p does things.\npackage p\n\n// F is documented.\nfunc F() {}\n";
    let f = parse_ok(src);
    let texts: Vec<&str> = f.comments.iter().map(|c| std::str::from_utf8(c.text(src.as_bytes())).unwrap()).collect();
    assert_eq!(texts, vec!["// +build ignore", "// Package p does things.", "// F is documented."]);
    let doc = |pos: Pos| -> Vec<&str> {
        f.doc_comments(pos).iter().map(|c| std::str::from_utf8(c.text(src.as_bytes())).unwrap()).collect()
    };
    assert_eq!(doc(f.pos), vec!["// Package p does things."]);
    assert_eq!(doc(f[f[f.decls][0]].pos), vec!["// F is documented."]);
    let src2 = "package p\n\n// a\n/* b\n c */\n// d\nvar x int\n\n// lone\n\nvar y int\n";
    let f2 = parse_ok(src2);
    let docs: Vec<usize> = f2[f2.decls].iter().map(|&d| f2.doc_comments(f2[d].pos).len()).collect();
    assert_eq!(docs, vec![3, 0]);
}

#[test]
fn line_directives_remap_positions() {
    let src = "package p\n//line foo.go:100\nvar x = 1\n/*line bar.go:7:3*/var y = 2\n//line :20:5\nvar z\n";
    let (f, _) = parse(src);
    let ds = &f[f.decls];
    let DeclKind::Var { names, .. } = f[ds[0]].kind else { panic!() };
    assert_eq!(f.resolve(f[f[names][0]].pos), (Some("foo.go"), 100, 0));
    let DeclKind::Var { names, .. } = f[ds[1]].kind else { panic!() };
    assert_eq!(f.resolve(f[f[names][0]].pos), (Some("bar.go"), 7, 7));
    let DeclKind::Var { names, .. } = f[ds[2]].kind else { panic!() };
    // An empty filename with a column keeps the previous file name.
    assert_eq!(f.resolve(f[f[names][0]].pos), (Some("bar.go"), 20, 9));
}

#[test]
fn error_recovery_reports_several_errors() {
    let src = "package p\nfunc f() {\n\tx := \n}\nfunc g() {\n\ty := )\n}\nvar z = \n";
    assert_eq!(
        errors(src),
        vec![
            "4:1: syntax error: unexpected }, expecting expression",
            "6:7: syntax error: unexpected ), expecting expression",
            "6:7: syntax error: unexpected ) at end of statement",
        ]
    );
    // gc prints one syntax error per line (and none at EOF after an error).
    assert_eq!(
        gc_style_lines("rec", src),
        vec!["rec.go:4:1: syntax error: unexpected }, expecting expression", "rec.go:6:7: syntax error: unexpected ), expecting expression"]
    );
    assert_eq!(first_error("package p\nfunc f() {\n\tprintln(1, 2\n}\n"), "3:14: syntax error: unexpected newline in argument list; possibly missing comma or )");
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

mod gc_cases;
mod gc_tree;

/// Our lines for `src` compiled as `name.go`, printed by gc's rules.
fn gc_style_lines(name: &str, src: &str) -> Vec<String> {
    use crate::syntax::report::{gc_error_lines, Diagnostic};
    let filename = format!("{name}.go");
    let (f, errs, _) = parse_and_check(FileId(0), &filename, src.as_bytes());
    let diags: Vec<Diagnostic> = errs
        .iter()
        .map(|e| {
            let base = f.line_directives.partition_point(|d| d.offset <= e.pos.offset) as u32;
            let (file, line, col) = f.resolve(e.pos);
            let file = file.unwrap_or(&filename);
            let pos_text = if col == 0 { format!("{file}:{line}") } else { format!("{file}:{line}:{col}") };
            Diagnostic { file: base, line: e.pos.line, col: e.pos.col, pos_text, msg: e.msg.clone() }
        })
        .collect();
    gc_error_lines(&diags, Some(10)).0
}

#[test]
fn errors_match_gc() {
    let mut failures = Vec::new();
    for &(name, src, want) in gc_cases::CASES {
        let got = gc_style_lines(name, src);
        if got != want {
            failures.push(format!("{name}:\n  gc:   {want:?}\n  ours: {got:?}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Deep nesting must neither overflow the stack nor fail: gc accepts it (Go stacks grow),
/// and the parser continues on fresh stacks (this runs on a test thread's small stack).
#[test]
fn deep_nesting() {
    let n = 20_000;
    let cases = [
        format!("package p; var _ = {}1{}", "(".repeat(n), ")".repeat(n)),
        format!("package p; var _ = {}1{}", "T{".repeat(n), "}".repeat(n)),
        format!("package p; var _ = T{{{}{}}}", "{".repeat(n), "}".repeat(n)),
        format!("package p; var _ = {}1", "- ".repeat(n)),
        format!("package p; var _ {}int", "[]".repeat(n)),
        format!("package p; var _ {}int", "*".repeat(n)),
        format!("package p; func f() {{ {} }}", "{".repeat(n) + &"}".repeat(n)),
        format!("package p; func f() {{ {}{{}} }}", "if x {} else ".repeat(n)),
        format!("package p; var _ = {}1{}", "func() int { return ".repeat(n / 4), " }()".repeat(n / 4)),
    ];
    for src in &cases {
        let (f, errs, _) = parse_and_check(FileId(0), "deep.go", src.as_bytes());
        assert!(errs.is_empty(), "{:?}", &errs[..1]);
        assert!(f.exprs.len() + f.stmts.len() >= n / 4);
        // Printing deep trees (as error messages may) works too.
        let last = f[f.decls].last().copied().unwrap();
        assert!(!decl_string(&f, last).is_empty());
    }
    // Long unions in type parameter lists, and deep type parameter constraints.
    let union = format!("package p; type T[P {}int] struct{{}}", "int | ".repeat(n));
    assert!(parse(&union).1.is_empty());
    let parens = format!("package p; type T[P *{}int{}] struct{{}}", "(".repeat(n), ")".repeat(n));
    assert!(parse(&parens).1.is_empty());
    // A deeply nested condition that is not a value is printed in the error message.
    let (_, errs) = parse(&format!("package p; func f() {{ if x = {}1{} {{}} }}", "(".repeat(n), ")".repeat(n)));
    assert!(errs[0].msg.starts_with("syntax error: cannot use assignment (x) = ((((("));
    // Unbalanced deep input recovers without trouble too.
    let (_, errs) = parse(&format!("package p; var _ = {}", "(".repeat(n)));
    assert!(!errs.is_empty());
}

/// Robustness, always on and bounded in time: GOROOT files damaged at random (deleted,
/// duplicated and moved ranges, NUL and invalid UTF-8 bytes, stray keywords and brackets) must
/// parse and branch-check without a panic, and every error offset must lie inside the file.
/// Each run uses a fresh seed (printed on failure) so coverage grows across runs; set
/// MANGLE_SEED to replay one.
#[test]
fn mangled_sources_never_panic() {
    let root = std::env::var("GOROOT").unwrap_or_else(|_| "/usr/lib/go-1.19".to_string());
    let mut files = Vec::new();
    go_files(&std::path::Path::new(&root).join("src"), &mut files);
    if files.is_empty() {
        eprintln!("skipped: no GOROOT sources under {root}");
        return;
    }
    let seed: u64 = std::env::var("MANGLE_SEED").ok().and_then(|s| s.parse().ok()).unwrap_or_else(|| {
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(1, |d| d.as_nanos() as u64) | 1
    });
    let mut rng = gc_tree::Rng(seed);
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(3);
    let mut parsed = 0;
    while std::time::Instant::now() < deadline {
        let path = &files[rng.below(files.len())];
        let src = std::fs::read(path).unwrap();
        let damaged = gc_tree::mangle(&src, &mut rng);
        let result = std::panic::catch_unwind(|| parse_and_check(FileId(0), "x.go", &damaged).1);
        let errors = result.unwrap_or_else(|_| panic!("parser panicked on a mangled {} (MANGLE_SEED={seed})", path.display()));
        for e in &errors {
            let inside = e.pos.line >= 1 && e.pos.offset as usize <= damaged.len();
            assert!(inside, "{}: error outside the file: {e:?} (MANGLE_SEED={seed})", path.display());
        }
        parsed += 1;
    }
    assert!(parsed > 50, "only {parsed} mangled files parsed in 3 s");
}
