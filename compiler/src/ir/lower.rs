//! Building the IR of a checked package: function bodies, built-in expansion (print and
//! println as gc's walkPrint does it), and the program entry that runs init functions and
//! then main.main.

use super::{Call, Callee, Func, Program, Stmt, StmtKind, Value};
use crate::runtime_abi::{RuntimeFn, PROGRAM_ENTRY};
use crate::syntax::ast::{DeclKind, ExprId, ExprKind, File, StmtId};
use crate::syntax::pos::SourceMap;
use crate::types::constant::ConstValue;
use crate::types::ty::BasicKind;
use crate::types::{Builtin, FuncRef, Info, ObjKind, World};
use num_traits::ToPrimitive;

/// The IR of a checked main package, with the program entry.
pub fn lower_package(files: &[File], info: &Info, world: &World, sources: &SourceMap) -> Program {
    let cx = Lowerer { files, info, world, sources };
    let mut funcs: Vec<Func> = info.funcs.iter().filter_map(|&f| cx.func(f)).collect();
    funcs.push(cx.entry());
    Program { funcs }
}

struct Lowerer<'a> {
    files: &'a [File],
    info: &'a Info,
    world: &'a World,
    sources: &'a SourceMap,
}

impl<'a> Lowerer<'a> {
    /// The linker symbol of a package function: `pkg.name`, and `pkg.init.N` for the Nth
    /// init function, as gc names them.
    fn symbol(&self, f: FuncRef) -> String {
        if let Some(i) = self.info.inits.iter().position(|&g| g == f) {
            return format!("{}.init.{i}", self.info.package);
        }
        let file = &self.files[f.file];
        let DeclKind::Func { name, .. } = file[f.decl].kind else { unreachable!("FuncRef names a func decl") };
        format!("{}.{}", self.info.package, file.name(name).as_str())
    }

    fn func(&self, f: FuncRef) -> Option<Func> {
        let file = &self.files[f.file];
        let decl = &file[f.decl];
        let DeclKind::Func { name, body: Some(body), .. } = decl.kind else { return None };
        if file.name(name).as_str() == "_" {
            return None;
        }
        let mut out = Vec::new();
        for &s in &file[file[body].stmts] {
            self.stmt(f.file, s, &mut out);
        }
        Some(Func {
            symbol: self.symbol(f),
            file: self.sources.file(file.file).name.clone(),
            line: decl.pos.line,
            body: out,
        })
    }

    /// `goclift.main`: the init functions in source order, then main.main.
    fn entry(&self) -> Func {
        let calls = self.info.inits.iter().chain(self.info.main.as_ref());
        let body = calls.map(|&f| call_stmt(0, Callee::Func(self.symbol(f)), vec![])).collect();
        Func { symbol: PROGRAM_ENTRY.into(), file: String::new(), line: 0, body }
    }

    fn stmt(&self, fi: usize, s: StmtId, out: &mut Vec<Stmt>) {
        let file = &self.files[fi];
        let line = file[s].pos.line;
        match &file[s].kind {
            crate::syntax::ast::StmtKind::Block(b) => {
                for &s in &file[file[*b].stmts] {
                    self.stmt(fi, s, out);
                }
            }
            crate::syntax::ast::StmtKind::Return { .. } => out.push(Stmt { line, kind: StmtKind::Return }),
            crate::syntax::ast::StmtKind::Expr(e) => self.call(fi, *e, out),
            _ => {}
        }
    }

    fn call(&self, fi: usize, e: ExprId, out: &mut Vec<Stmt>) {
        let file = &self.files[fi];
        let e = file.unparen(e);
        let ExprKind::Call { fun, args, .. } = file[e].kind else { return };
        let line = file.start_pos(e).line;
        let fun = file.unparen(fun);
        let Some(obj) = self.info.files[fi].use_of(fun) else { return };
        match self.world.obj(obj).kind {
            ObjKind::Builtin(b @ (Builtin::Print | Builtin::Println)) => {
                let values = file[args].iter().filter_map(|&a| self.print_arg(fi, a)).collect();
                out.extend(walk_print(line, values, b == Builtin::Println));
            }
            ObjKind::Func { .. } => {
                if let Some(&f) = self.info.funcs.iter().find(|f| f.obj == obj) {
                    out.push(call_stmt(line, Callee::Func(self.symbol(f)), vec![]));
                }
            }
            _ => {}
        }
    }

    /// A print argument: its (default-converted) basic kind and constant value.
    fn print_arg(&self, fi: usize, a: ExprId) -> Option<(BasicKind, &'a ConstValue)> {
        let tv = self.info.files[fi].type_of(a)?;
        let kind = self.world.basic_kind(tv.ty).unwrap_or(BasicKind::Int);
        Some((kind, self.info.value(tv)?))
    }
}

fn call_stmt(line: u32, callee: Callee, args: Vec<Value>) -> Stmt {
    Stmt { line, kind: StmtKind::Call(Call { callee, args }) }
}

/// One printed item: a constant string (possibly merged) or another constant argument.
enum PrintItem<'a> {
    Str(Vec<u8>),
    Other(BasicKind, &'a ConstValue),
}

/// print/println as gc expands them: for println a " " between arguments and "\n" after;
/// runs of constant strings merged; then printlock, one runtime call per item, printunlock.
fn walk_print(line: u32, args: Vec<(BasicKind, &ConstValue)>, newline: bool) -> Vec<Stmt> {
    let mut items: Vec<PrintItem> = Vec::new();
    let push_str = |items: &mut Vec<PrintItem>, s: &[u8]| match items.last_mut() {
        Some(PrintItem::Str(prev)) => prev.extend_from_slice(s),
        _ => items.push(PrintItem::Str(s.to_vec())),
    };
    for (i, &(kind, v)) in args.iter().enumerate() {
        if newline && i > 0 {
            push_str(&mut items, b" ");
        }
        match v {
            ConstValue::String(s) => push_str(&mut items, s.bytes()),
            _ => items.push(PrintItem::Other(kind, v)),
        }
    }
    if newline {
        push_str(&mut items, b"\n");
    }
    let rt = |f: RuntimeFn, args: Vec<Value>| call_stmt(line, Callee::Runtime(f), args);
    let mut out = vec![rt(RuntimeFn::PrintLock, vec![])];
    for item in items {
        out.push(match item {
            PrintItem::Str(s) if s == b" " => rt(RuntimeFn::PrintSp, vec![]),
            PrintItem::Str(s) if s == b"\n" => rt(RuntimeFn::PrintNl, vec![]),
            PrintItem::Str(s) => rt(RuntimeFn::PrintString, vec![Value::Str(s)]),
            PrintItem::Other(kind, v) => print_value(line, kind, v),
        });
    }
    out.push(rt(RuntimeFn::PrintUnlock, vec![]));
    out
}

/// The runtime call printing one non-string constant of its (default-converted) basic type,
/// chosen by type as gc's walkPrint does (signed, unsigned, float, complex, bool, string).
fn print_value(line: u32, kind: BasicKind, v: &ConstValue) -> Stmt {
    let int = |v: &ConstValue| match v {
        ConstValue::Int(i) => i.to_i64().or_else(|| i.to_u64().map(|u| u as i64)).unwrap_or(0),
        _ => 0,
    };
    let float = |v: &ConstValue| {
        let x = v.to_f64().unwrap_or(0.0);
        if matches!(kind, BasicKind::Float32 | BasicKind::Complex64) {
            f64::from(x as f32)
        } else {
            x
        }
    };
    let (f, args) = match v {
        ConstValue::Bool(b) => (RuntimeFn::PrintBool, vec![Value::Bool(*b)]),
        ConstValue::String(s) => (RuntimeFn::PrintString, vec![Value::Str(s.bytes().to_vec())]),
        ConstValue::Complex(c) => {
            let (re, im) = (c.0.clone(), c.1.clone());
            (RuntimeFn::PrintComplex, vec![Value::Float(float(&re)), Value::Float(float(&im))])
        }
        _ if kind.is_float() => (RuntimeFn::PrintFloat, vec![Value::Float(float(v))]),
        _ if kind.is_unsigned() => (RuntimeFn::PrintUint, vec![Value::Int(int(v))]),
        _ => (RuntimeFn::PrintInt, vec![Value::Int(int(v))]),
    };
    call_stmt(line, Callee::Runtime(f), args)
}
