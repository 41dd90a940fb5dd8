//! Compares whole syntax trees with gc's: `gc_dump/main.go`, built against a copy of gc's
//! own syntax package, prints every file's tree in a canonical form (node type, position,
//! fields in gc's order); [`dump`] prints ours the same way. Slow:
//! `cargo test --release -p goclift gc_tree -- --ignored --nocapture`.

use super::super::*;
use std::fmt::Write;
use std::path::{Path, PathBuf};

struct Dumper<'f> {
    f: &'f File,
    out: String,
}

impl Dumper<'_> {
    fn pos(&mut self, p: Pos) {
        let _ = write!(self.out, "{}:{}", p.line, p.col);
    }

    fn open(&mut self, name: &str, p: Pos) {
        let _ = write!(self.out, "{name}@{}:{}{{", p.line, p.col);
    }

    fn close(&mut self) {
        self.out.push_str(" }");
    }

    fn sp(&mut self) {
        self.out.push(' ');
    }

    fn nil(&mut self) {
        self.out.push('_');
    }

    fn str(&mut self, s: &str) {
        if s.contains('\u{FFFD}') {
            let _ = write!(self.out, "?:{s}");
        } else {
            let _ = write!(self.out, "{}:{}", s.chars().count(), s);
        }
    }

    fn opt_expr(&mut self, e: Option<ExprId>) {
        match e {
            Some(e) => self.expr(e),
            None => self.nil(),
        }
    }

    fn opt_stmt(&mut self, s: Option<StmtId>) {
        match s {
            Some(s) => self.stmt(s),
            None => self.nil(),
        }
    }

    fn list<T: Copy>(&mut self, items: &[T], mut each: impl FnMut(&mut Self, T)) {
        self.out.push('[');
        for &i in items {
            self.sp();
            each(self, i);
        }
        self.out.push_str(" ]");
    }

    fn exprs(&mut self, l: List<ExprId>) {
        let f = self.f;
        self.list(&f[l], |d, e| d.expr(e));
    }

    fn fields(&mut self, l: List<Field>) {
        let f = self.f;
        self.list(&f[l], |d, fl| d.field(fl));
    }

    fn field(&mut self, fl: Field) {
        self.open("Field", fl.pos);
        self.sp();
        self.opt_expr(fl.name);
        self.sp();
        self.expr(fl.typ);
        self.close();
    }

    fn op(&mut self, op: Option<Operator>) {
        match op {
            Some(op) => self.out.push_str(op.as_str()),
            None => self.nil(),
        }
    }

    fn expr(&mut self, e: ExprId) {
        let f = self.f;
        let p = f[e].pos;
        match f[e].kind {
            ExprKind::Bad => self.open("BadExpr", p),
            ExprKind::Name(s) => {
                self.open("Name", p);
                self.sp();
                self.str(s.as_str());
            }
            ExprKind::BasicLit { kind, bad, text } => {
                self.open("BasicLit", p);
                self.sp();
                self.str(f.text(text));
                let _ = write!(self.out, " {} {}", kind as u8, bad);
            }
            ExprKind::CompositeLit { typ, elems, nkeys, rbrace } => {
                self.open("CompositeLit", p);
                self.sp();
                self.opt_expr(typ);
                self.sp();
                self.exprs(elems);
                let _ = write!(self.out, " {nkeys} ");
                self.pos(rbrace);
            }
            ExprKind::KeyValue { key, value } => {
                self.open("KeyValueExpr", p);
                self.sp();
                self.expr(key);
                self.sp();
                self.expr(value);
            }
            ExprKind::FuncLit { typ, body } => {
                self.open("FuncLit", p);
                self.sp();
                self.expr(typ);
                self.sp();
                self.block(body);
            }
            ExprKind::Paren(x) => {
                self.open("ParenExpr", p);
                self.sp();
                self.expr(x);
            }
            ExprKind::Selector { x, sel } => {
                self.open("SelectorExpr", p);
                self.sp();
                self.expr(x);
                self.sp();
                self.expr(sel);
            }
            ExprKind::Index { x, index } => {
                self.open("IndexExpr", p);
                self.sp();
                self.expr(x);
                self.sp();
                self.expr(index);
            }
            ExprKind::Slice { x, index, full } => {
                self.open("SliceExpr", p);
                self.sp();
                self.expr(x);
                self.sp();
                self.list(&index, |d, i| d.opt_expr(i));
                let _ = write!(self.out, " {full}");
            }
            ExprKind::Assert { x, typ } => {
                self.open("AssertExpr", p);
                self.sp();
                self.expr(x);
                self.sp();
                self.expr(typ);
            }
            ExprKind::TypeSwitchGuard { lhs, x } => {
                self.open("TypeSwitchGuard", p);
                self.sp();
                self.opt_expr(lhs);
                self.sp();
                self.expr(x);
            }
            ExprKind::Operation { op, x, y } => {
                self.open("Operation", p);
                self.sp();
                self.op(Some(op));
                self.sp();
                self.expr(x);
                self.sp();
                self.opt_expr(y);
            }
            ExprKind::Call { fun, args, has_dots } => {
                self.open("CallExpr", p);
                self.sp();
                self.expr(fun);
                self.sp();
                self.exprs(args);
                let _ = write!(self.out, " {has_dots}");
            }
            ExprKind::List(l) => {
                self.open("ListExpr", p);
                self.sp();
                self.exprs(l);
            }
            ExprKind::ArrayType { len, elem } => {
                self.open("ArrayType", p);
                self.sp();
                self.opt_expr(len);
                self.sp();
                self.expr(elem);
            }
            ExprKind::SliceType { elem } => {
                self.open("SliceType", p);
                self.sp();
                self.expr(elem);
            }
            ExprKind::DotsType { elem } => {
                self.open("DotsType", p);
                self.sp();
                self.expr(elem);
            }
            ExprKind::StructType { fields } => {
                // As gc_dump prints it: tags with their fields.
                let _ = write!(self.out, "StructType@{}:{}{{[", p.line, p.col);
                for fl in &f[fields] {
                    let _ = write!(self.out, " Field@{}:{}{{", fl.pos.line, fl.pos.col);
                    self.opt_expr(fl.name);
                    self.sp();
                    self.expr(fl.typ);
                    self.sp();
                    self.opt_expr(fl.tag);
                    self.out.push('}');
                }
                self.out.push_str(" ]}");
                return;
            }
            ExprKind::InterfaceType { methods } => {
                self.open("InterfaceType", p);
                self.sp();
                self.fields(methods);
            }
            ExprKind::FuncType { params, results } => {
                self.open("FuncType", p);
                self.sp();
                self.fields(params);
                self.sp();
                self.fields(results);
            }
            ExprKind::MapType { key, value } => {
                self.open("MapType", p);
                self.sp();
                self.expr(key);
                self.sp();
                self.expr(value);
            }
            ExprKind::ChanType { dir, elem } => {
                self.open("ChanType", p);
                let d = match dir {
                    ChanDir::Both => 0,
                    ChanDir::SendOnly => 1,
                    ChanDir::RecvOnly => 2,
                };
                let _ = write!(self.out, " {d} ");
                self.expr(elem);
            }
        }
        self.close();
    }

    fn block(&mut self, b: BlockId) {
        let f = self.f;
        self.open("BlockStmt", f[b].pos);
        self.sp();
        self.stmts(f[b].stmts);
        self.sp();
        self.pos(f[b].rbrace);
        self.close();
    }

    fn stmts(&mut self, l: List<StmtId>) {
        let f = self.f;
        self.list(&f[l], |d, s| d.stmt(s));
    }

    fn stmt(&mut self, s: StmtId) {
        let f = self.f;
        let p = f[s].pos;
        match f[s].kind {
            StmtKind::Empty => self.open("EmptyStmt", p),
            StmtKind::Labeled { label, stmt } => {
                self.open("LabeledStmt", p);
                self.sp();
                self.expr(label);
                self.sp();
                self.stmt(stmt);
            }
            StmtKind::Block(b) => return self.block(b),
            StmtKind::Expr(x) => {
                self.open("ExprStmt", p);
                self.sp();
                self.expr(x);
            }
            StmtKind::Send { chan, value } => {
                self.open("SendStmt", p);
                self.sp();
                self.expr(chan);
                self.sp();
                self.expr(value);
            }
            StmtKind::Decl(decls) => {
                self.open("DeclStmt", p);
                self.sp();
                self.list(&f[decls], |d, x| d.decl(x));
            }
            StmtKind::Assign { op, lhs, rhs } => {
                self.open("AssignStmt", p);
                self.sp();
                self.op(op);
                self.sp();
                self.expr(lhs);
                self.sp();
                self.opt_expr(rhs);
            }
            StmtKind::Branch { tok, label } => {
                self.open("BranchStmt", p);
                let _ = write!(self.out, " {} ", tok.describe());
                self.opt_expr(label);
            }
            StmtKind::CallStmt { tok, call } => {
                self.open("CallStmt", p);
                let _ = write!(self.out, " {} ", tok.describe());
                self.expr(call);
            }
            StmtKind::Return { results } => {
                self.open("ReturnStmt", p);
                self.sp();
                self.opt_expr(results);
            }
            StmtKind::If { init, cond, then, else_ } => {
                self.open("IfStmt", p);
                self.sp();
                self.opt_stmt(init);
                self.sp();
                self.opt_expr(cond);
                self.sp();
                self.block(then);
                self.sp();
                self.opt_stmt(else_);
            }
            StmtKind::For { init, cond, post, body } => {
                self.open("ForStmt", p);
                self.sp();
                self.opt_stmt(init);
                self.sp();
                self.opt_expr(cond);
                self.sp();
                self.opt_stmt(post);
                self.sp();
                self.block(body);
            }
            StmtKind::Switch { init, tag, body, rbrace } => {
                self.open("SwitchStmt", p);
                self.sp();
                self.opt_stmt(init);
                self.sp();
                self.opt_expr(tag);
                self.sp();
                self.list(&f[body], |d, c| {
                    d.open("CaseClause", c.pos);
                    d.sp();
                    d.opt_expr(c.cases);
                    d.sp();
                    d.stmts(c.body);
                    d.sp();
                    d.pos(c.colon);
                    d.close();
                });
                self.sp();
                self.pos(rbrace);
            }
            StmtKind::Select { body, rbrace } => {
                self.open("SelectStmt", p);
                self.sp();
                self.list(&f[body], |d, c| {
                    d.open("CommClause", c.pos);
                    d.sp();
                    d.opt_stmt(c.comm);
                    d.sp();
                    d.stmts(c.body);
                    d.sp();
                    d.pos(c.colon);
                    d.close();
                });
                self.sp();
                self.pos(rbrace);
            }
            StmtKind::Range { lhs, def, x } => {
                self.open("RangeClause", p);
                self.sp();
                self.opt_expr(lhs);
                let _ = write!(self.out, " {def} ");
                self.expr(x);
            }
        }
        self.close();
    }

    fn group(&mut self, g: Option<GroupId>) {
        match g {
            Some(g) => {
                let _ = write!(self.out, "g{}", g.index());
            }
            None => self.nil(),
        }
    }

    fn decl(&mut self, d: DeclId) {
        let f = self.f;
        let decl = &f[d];
        let p = decl.pos;
        match decl.kind {
            DeclKind::Import { local, path } => {
                self.open("ImportDecl", p);
                self.sp();
                self.group(decl.group);
                self.sp();
                self.opt_expr(local);
                self.sp();
                self.opt_expr(path);
            }
            DeclKind::Const { names, typ, values } | DeclKind::Var { names, typ, values } => {
                self.open(if matches!(decl.kind, DeclKind::Const { .. }) { "ConstDecl" } else { "VarDecl" }, p);
                self.sp();
                self.group(decl.group);
                self.sp();
                self.exprs(names);
                self.sp();
                self.opt_expr(typ);
                self.sp();
                self.opt_expr(values);
            }
            DeclKind::Type { name, tparams, alias, typ } => {
                self.open("TypeDecl", p);
                self.sp();
                self.group(decl.group);
                self.sp();
                self.expr(name);
                self.sp();
                self.fields(tparams);
                let _ = write!(self.out, " {alias} ");
                self.expr(typ);
            }
            DeclKind::Func { recv, name, tparams, typ, body } => {
                self.open("FuncDecl", p);
                self.sp();
                match recv {
                    Some(r) => self.field(r),
                    None => self.nil(),
                }
                self.sp();
                self.expr(name);
                self.sp();
                self.fields(tparams);
                self.sp();
                self.expr(typ);
                self.sp();
                match body {
                    Some(b) => self.block(b),
                    None => self.nil(),
                }
            }
        }
        self.close();
    }
}

/// Our tree of `f` in gc_dump's format.
pub(super) fn dump(f: &File) -> String {
    let mut d = Dumper { f, out: String::new() };
    d.open("File", f.pos);
    d.sp();
    d.opt_expr(f.pkg_name);
    d.sp();
    d.list(&f[f.decls], |d, x| d.decl(x));
    d.sp();
    d.pos(f.eof);
    d.close();
    d.out
}

/// Where two dumps first differ, with some context.
fn first_difference(gc: &str, ours: &str) -> String {
    let at = ours.bytes().zip(gc.bytes()).position(|(a, b)| a != b).unwrap_or(ours.len().min(gc.len()));
    let from = at.saturating_sub(150);
    let cut = |s: &str| String::from_utf8_lossy(&s.as_bytes()[from.min(s.len())..(at + 150).min(s.len())]).into_owned();
    format!("first difference at byte {at}\n  gc:   ...{}\n  ours: ...{}", cut(gc), cut(ours))
}

/// The next line of gc_dump's output.
fn read_line(r: &mut &[u8]) -> String {
    let n = r.iter().position(|&b| b == b'\n').unwrap_or(r.len());
    let l = String::from_utf8_lossy(&r[..n]).into_owned();
    *r = &r[(n + 1).min(r.len())..];
    l
}

/// The next length-prefixed chunk of gc_dump's output.
fn read_chunk(r: &mut &[u8]) -> String {
    let len: usize = read_line(r).parse().expect("chunk length");
    let len = len.min(r.len());
    let text = String::from_utf8_lossy(&r[..len]).into_owned();
    *r = &r[(len + 1).min(r.len())..];
    text
}

/// Builds gc_dump (with a copy of gc's syntax package) in a temporary directory.
fn build_gc_dump(dir: &Path) -> PathBuf {
    let goroot = "/usr/lib/go-1.19";
    let pkg = dir.join("syntax");
    std::fs::create_dir_all(&pkg).unwrap();
    let src = Path::new(goroot).join("src/cmd/compile/internal/syntax");
    for e in std::fs::read_dir(&src).unwrap().flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        if name.ends_with(".go") && !name.ends_with("_test.go") {
            std::fs::copy(e.path(), pkg.join(&name)).unwrap();
        }
    }
    let here = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/syntax/parser/tests/gc_dump/main.go");
    std::fs::copy(here, dir.join("main.go")).unwrap();
    std::fs::write(dir.join("go.mod"), "module gcdump\n\ngo 1.19\n").unwrap();
    let exe = dir.join("gc_dump");
    let status = std::process::Command::new(format!("{goroot}/bin/go"))
        .args(["build", "-o"])
        .arg(&exe)
        .arg(".")
        .current_dir(dir)
        .env("GOFLAGS", "-mod=mod")
        .status()
        .expect("go build");
    assert!(status.success(), "building gc_dump failed");
    exe
}

#[test]
#[ignore]
fn gc_tree() {
    let dir = std::env::temp_dir().join(format!("goclift_gc_tree_{}", std::process::id()));
    let exe = build_gc_dump(&dir);
    let mut files = Vec::new();
    super::go_files(Path::new("/usr/lib/go-1.19/src"), &mut files);
    // Go's own test tree has the most unusual syntax (files gc rejects are skipped).
    super::go_files(Path::new("/usr/lib/go-1.19/test"), &mut files);
    let mut compared = 0;
    let mut mismatches = Vec::new();
    for chunk in files.chunks(200) {
        let out = std::process::Command::new(&exe).args(chunk).output().expect("run gc_dump");
        let mut rest: &[u8] = &out.stdout;
        while !rest.is_empty() {
            let path = read_line(&mut rest);
            let gc = read_chunk(&mut rest);
            if gc == "ERROR" {
                continue;
            }
            let src = std::fs::read(&path).unwrap();
            let (f, _) = parse_file(FileId(0), &src);
            let ours = dump(&f);
            compared += 1;
            if ours != gc {
                mismatches.push(format!("{path}: {}", first_difference(&gc, &ours)));
            }
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
    println!("{compared} files compared with gc's trees, {} differ", mismatches.len());
    for m in mismatches.iter().take(10) {
        println!("{m}");
    }
    assert!(compared > 7000);
    assert!(mismatches.is_empty());
}

/// A small deterministic random number generator (xorshift64*).
pub(super) struct Rng(pub(super) u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    pub(super) fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// `src` damaged by a few random edits: deleted, duplicated or moved byte ranges, random
/// bytes (including NUL and invalid UTF-8) and swapped brackets.
pub(super) fn mangle(src: &[u8], rng: &mut Rng) -> Vec<u8> {
    let mut v = src.to_vec();
    for _ in 0..1 + rng.below(4) {
        if v.is_empty() {
            break;
        }
        let a = rng.below(v.len());
        let len = 1 + rng.below(40.min(v.len() - a));
        match rng.below(6) {
            0 => {
                v.drain(a..a + len);
            }
            1 => {
                let chunk: Vec<u8> = v[a..a + len].to_vec();
                let at = rng.below(v.len());
                v.splice(at..at, chunk);
            }
            2 => {
                let junk = [b'{', b'}', b'(', b')', b'[', b']', b';', b',', b'\n', b'"', b'`', b'\'', 0, 0xFF, 0xC3, b'/', b'*'];
                v.insert(a, junk[rng.below(junk.len())]);
            }
            3 => {
                let tokens: [&[u8]; 8] = [b"func", b"type", b"var", b":=", b"...", b"<-", b"interface{", b"[T any]"];
                let t = tokens[rng.below(tokens.len())];
                v.splice(a..a, t.iter().copied());
            }
            4 => v.truncate(a),
            _ => {
                let b = v[a];
                v[a] = match b {
                    b'(' => b'[',
                    b'{' => b'(',
                    b'}' => b')',
                    b')' => b'}',
                    b'\n' => b' ',
                    b' ' => b'\n',
                    _ => b.wrapping_add(1),
                };
            }
        }
    }
    v
}

/// Mangles GOROOT files and compares errors (in report order) and partial trees with gc's; every
/// parse must finish without panicking.
/// `cargo test --release -p goclift gc_mangled -- --ignored --nocapture` (MANGLE_ROUNDS=n).
#[test]
#[ignore]
fn gc_mangled() {
    let rounds: usize = std::env::var("MANGLE_ROUNDS").ok().and_then(|r| r.parse().ok()).unwrap_or(1);
    let dir = std::env::temp_dir().join(format!("goclift_gc_mangled_{}", std::process::id()));
    let exe = build_gc_dump(&dir.join("tool"));
    let work = dir.join("files");
    std::fs::create_dir_all(&work).unwrap();
    let mut files = Vec::new();
    super::go_files(Path::new("/usr/lib/go-1.19/src"), &mut files);
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let (mut compared, mut tree_mismatches, mut error_mismatches) = (0, Vec::new(), Vec::new());
    for round in 0..rounds {
        for (ci, chunk) in files.chunks(300).enumerate() {
            // Write mangled copies, parse them ourselves, then ask gc.
            let mut paths = Vec::new();
            for (i, p) in chunk.iter().enumerate() {
                let src = std::fs::read(p).unwrap();
                let m = mangle(&src, &mut rng);
                let path = work.join(format!("r{round}_c{ci}_{i}.go"));
                std::fs::write(&path, &m).unwrap();
                paths.push(path);
            }
            let out = std::process::Command::new(&exe).arg("-errors").args(&paths).output().expect("run gc_dump");
            let mut rest: &[u8] = &out.stdout;
            while !rest.is_empty() {
                let path = read_line(&mut rest);
                let gc_tree = read_chunk(&mut rest);
                let gc_errs = read_chunk(&mut rest);
                let src = std::fs::read(&path).unwrap();
                let (f, errs, _) = parse_and_check(FileId(0), &path, &src);
                compared += 1;
                // Errors in the order reported (gc's order decides which 10 get printed).
                let ours: Vec<String> =
                    errs.iter().map(|e| format!("{}:{}: {}", e.pos.line, e.pos.col, e.msg.replace('\n', "\\n"))).collect();
                let theirs: Vec<String> = gc_errs.lines().map(|l| l.to_string()).collect();
                if ours != theirs {
                    error_mismatches.push(format!("{path}:\n  gc:   {theirs:?}\n  ours: {ours:?}"));
                    continue;
                }
                let ours = dump(&f);
                if gc_tree != "NIL" && ours != gc_tree {
                    tree_mismatches.push(format!("{path}: {}", first_difference(&gc_tree, &ours)));
                    continue;
                }
                let _ = std::fs::remove_file(&path);
            }
        }
    }
    let _ = std::fs::remove_dir_all(&dir.join("tool"));
    println!(
        "{compared} mangled files: {} with different errors, {} with different trees (kept in {})",
        error_mismatches.len(),
        tree_mismatches.len(),
        work.display()
    );
    for m in error_mismatches.iter().take(10) {
        println!("{m}");
    }
    for m in tree_mismatches.iter().take(10) {
        println!("tree differs: {m}");
    }
    assert!(error_mismatches.is_empty() && tree_mismatches.is_empty());
    let _ = std::fs::remove_dir_all(&dir);
}
