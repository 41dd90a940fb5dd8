//! Building the IR of a checked package: function bodies, built-in expansion (print and
//! println as gc's walkPrint does it), and the program entry that runs init functions and
//! then main.main.
//!
//! The checker accepts the whole language; lowering grows construct by construct. Whatever
//! it cannot lower yet is reported as an error at its position ("goclift cannot compile …
//! yet"), never skipped.

use super::build::FuncBuilder;
use super::ty::{Ty, TyTable as IrTys};
use super::{Callee, Const, Func, Operand, Program, TermKind};
use crate::diag::Diagnostic;
use crate::runtime_abi::{RuntimeFn, PROGRAM_ENTRY};
use crate::syntax::ast::{DeclKind, ExprId, ExprKind, File, StmtId, StmtKind};
use crate::syntax::pos::{Pos, SourceMap};
use crate::types::constant::ConstValue;
use crate::types::ty::BasicKind;
use crate::types::{Builtin, FuncRef, Info, ObjKind, World};
use num_traits::ToPrimitive;
use std::cell::RefCell;

/// The IR of a checked main package, with the program entry; or the constructs that cannot
/// be compiled yet.
pub fn lower_package(files: &[File], info: &Info, world: &World, sources: &SourceMap) -> Result<Program, Vec<Diagnostic>> {
    let cx = Lowerer { files, info, world, sources, errors: RefCell::new(Vec::new()), tys: RefCell::new(IrTys::default()) };
    cx.reject_unsupported_decls();
    let mut funcs: Vec<Func> = info.funcs.iter().filter_map(|&f| cx.func(f)).collect();
    funcs.push(cx.entry());
    let errors = cx.errors.into_inner();
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(Program { tys: cx.tys.into_inner(), funcs })
}

struct Lowerer<'a> {
    files: &'a [File],
    info: &'a Info,
    world: &'a World,
    sources: &'a SourceMap,
    errors: RefCell<Vec<Diagnostic>>,
    tys: RefCell<IrTys>,
}

impl<'a> Lowerer<'a> {
    fn unsupported(&self, fi: usize, pos: Pos, what: &str) {
        let msg = format!("goclift cannot compile {what} yet");
        self.errors.borrow_mut().push(Diagnostic { file: self.files[fi].file, pos, msg });
    }

    /// Package-level declarations that need code or data this stage cannot produce yet.
    /// (Constants are folded at their uses by the checker; types need no code of their own.)
    fn reject_unsupported_decls(&self) {
        for (fi, file) in self.files.iter().enumerate() {
            for &d in &file[file.decls] {
                let decl = &file[d];
                match &decl.kind {
                    DeclKind::Import { .. } => self.unsupported(fi, decl.pos, "imports"),
                    DeclKind::Var { .. } => self.unsupported(fi, decl.pos, "package-level variables"),
                    DeclKind::Func { recv: Some(_), .. } => self.unsupported(fi, decl.pos, "methods"),
                    DeclKind::Func { tparams, .. } if !tparams.is_empty() => {
                        self.unsupported(fi, decl.pos, "generic functions")
                    }
                    DeclKind::Func { typ, .. } => {
                        if let ExprKind::FuncType { params, results } = file[*typ].kind {
                            if !params.is_empty() || !results.is_empty() {
                                self.unsupported(fi, file[*typ].pos, "functions with parameters or results");
                            }
                        }
                    }
                    DeclKind::Const { .. } | DeclKind::Type { .. } => {}
                }
            }
        }
    }

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
        let filename = &self.sources.file(file.file).name;
        let mut b = FuncBuilder::new(&self.symbol(f), filename, decl.pos.line, &[], Vec::new());
        for &s in &file[file[body].stmts] {
            self.stmt(f.file, s, &mut b);
        }
        Some(b.finish())
    }

    /// `goclift.main`: the init functions in source order, then main.main.
    fn entry(&self) -> Func {
        let mut b = FuncBuilder::new(PROGRAM_ENTRY, "", 0, &[], Vec::new());
        for &f in self.info.inits.iter().chain(self.info.main.as_ref()) {
            b.call(Callee::Func(self.symbol(f)), Vec::new(), Vec::new());
        }
        b.finish()
    }

    fn stmt(&self, fi: usize, s: StmtId, b: &mut FuncBuilder) {
        let file = &self.files[fi];
        b.line = file[s].pos.line;
        match &file[s].kind {
            StmtKind::Empty => {}
            StmtKind::Block(blk) => {
                for &s in &file[file[*blk].stmts] {
                    self.stmt(fi, s, b);
                }
            }
            StmtKind::Return { results: None } => {
                b.terminate(TermKind::Return(Vec::new()));
                // Statements after a return are unreachable; they still need a block.
                let after = b.block();
                b.switch_to(after);
            }
            StmtKind::Expr(e) => self.call(fi, *e, b),
            _ => self.unsupported(fi, file.stmt_start_pos(s), "this statement"),
        }
    }

    fn call(&self, fi: usize, e: ExprId, b: &mut FuncBuilder) {
        let file = &self.files[fi];
        let e = file.unparen(e);
        let ExprKind::Call { fun, args, .. } = file[e].kind else {
            return self.unsupported(fi, file.start_pos(e), "this expression statement");
        };
        b.line = file.start_pos(e).line;
        let fun = file.unparen(fun);
        let obj = self.info.files[fi].use_of(fun);
        match obj.map(|o| &self.world.obj(o).kind) {
            Some(ObjKind::Builtin(builtin @ (Builtin::Print | Builtin::Println))) => {
                let newline = *builtin == Builtin::Println;
                let mut values = Vec::new();
                for &a in &file[args] {
                    match self.print_arg(fi, a) {
                        Some(v) => values.push(v),
                        None => self.unsupported(fi, file.start_pos(a), "printing non-constant values"),
                    }
                }
                let mut tys = self.tys.borrow_mut();
                for (f, args) in walk_print(&mut tys, values, newline) {
                    b.call(Callee::Runtime(f), args, Vec::new());
                }
            }
            Some(ObjKind::Func { .. }) if !file[args].is_empty() => {
                self.unsupported(fi, file.start_pos(e), "calls with arguments")
            }
            Some(ObjKind::Func { .. }) => match self.info.funcs.iter().find(|f| Some(f.obj) == obj) {
                Some(&f) => b.call(Callee::Func(self.symbol(f)), Vec::new(), Vec::new()),
                None => self.unsupported(fi, file.start_pos(e), "calls of functions of other packages"),
            },
            _ => self.unsupported(fi, file.start_pos(e), "this call"),
        }
    }

    /// A print argument: its (default-converted) basic kind and constant value.
    fn print_arg(&self, fi: usize, a: ExprId) -> Option<(BasicKind, &'a ConstValue)> {
        let tv = self.info.files[fi].type_of(a)?;
        let kind = self.world.basic_kind(tv.ty)?;
        Some((kind, self.info.value(tv)?))
    }
}

/// One printed item: a constant string (possibly merged) or another constant argument.
enum PrintItem<'a> {
    Str(Vec<u8>),
    Other(BasicKind, &'a ConstValue),
}

/// print/println as gc expands them: for println a " " between arguments and "\n" after;
/// runs of constant strings merged; then printlock, one runtime call per item, printunlock.
fn walk_print(tys: &mut IrTys, args: Vec<(BasicKind, &ConstValue)>, newline: bool) -> Vec<(RuntimeFn, Vec<Operand>)> {
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
    let mut out = vec![(RuntimeFn::PrintLock, vec![])];
    for item in items {
        out.push(match item {
            PrintItem::Str(s) if s == b" " => (RuntimeFn::PrintSp, vec![]),
            PrintItem::Str(s) if s == b"\n" => (RuntimeFn::PrintNl, vec![]),
            PrintItem::Str(s) => (RuntimeFn::PrintString, vec![Operand::Const(Const::Str(s))]),
            PrintItem::Other(kind, v) => print_value(tys, kind, v),
        });
    }
    out.push((RuntimeFn::PrintUnlock, vec![]));
    out
}

/// The runtime call printing one non-string constant of its (default-converted) basic type,
/// chosen by type as gc's walkPrint does: printint takes an int64, printuint a uint64,
/// printfloat a float64 (float32 values widened), printcomplex a complex128.
fn print_value(tys: &mut IrTys, kind: BasicKind, v: &ConstValue) -> (RuntimeFn, Vec<Operand>) {
    let int64 = tys.intern(Ty::Int { bits: 64, signed: true });
    let uint64 = tys.intern(Ty::Int { bits: 64, signed: false });
    let float64 = tys.intern(Ty::Float { bits: 64 });
    let narrow = matches!(kind, BasicKind::Float32 | BasicKind::Complex64);
    let float = |v: &ConstValue| {
        let x = v.to_f64().unwrap_or(0.0);
        Operand::Const(Const::Float { value: if narrow { f64::from(x as f32) } else { x }, ty: float64 })
    };
    let bits = |v: &ConstValue| match v {
        ConstValue::Int(i) => i.to_i64().or_else(|| i.to_u64().map(|u| u as i64)).unwrap_or(0),
        _ => 0,
    };
    match v {
        ConstValue::Bool(b) => (RuntimeFn::PrintBool, vec![Operand::Const(Const::Bool(*b))]),
        ConstValue::String(s) => (RuntimeFn::PrintString, vec![Operand::Const(Const::Str(s.bytes().to_vec()))]),
        ConstValue::Complex(c) => (RuntimeFn::PrintComplex, vec![float(&c.0), float(&c.1)]),
        _ if kind.is_float() => (RuntimeFn::PrintFloat, vec![float(v)]),
        _ if kind.is_unsigned() => (RuntimeFn::PrintUint, vec![Operand::Const(Const::Int { value: bits(v), ty: uint64 })]),
        _ => (RuntimeFn::PrintInt, vec![Operand::Const(Const::Int { value: bits(v), ty: int64 })]),
    }
}
