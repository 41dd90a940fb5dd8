//! Building the IR of a checked package: function bodies, built-in expansion (print and
//! println as gc's walkPrint does it), and the program entry that runs init functions and
//! then main.main.

use super::build::FuncBuilder;
use super::ty::{Ty, TyTable as IrTys};
use super::{Callee, Const, Func, Operand, Program, TermKind};
use crate::runtime_abi::{RuntimeFn, PROGRAM_ENTRY};
use crate::syntax::ast::{DeclKind, ExprId, ExprKind, File, StmtId};
use crate::syntax::pos::SourceMap;
use crate::types::constant::ConstValue;
use crate::types::ty::{BasicKind, TypeTable};
use crate::types::{Builtin, Callee as CheckedCallee, FuncRef, Info, TypeAndValue};
use num_traits::ToPrimitive;

/// The IR of a checked main package, with the program entry.
pub fn lower_package(files: &[File], info: &Info, sources: &SourceMap) -> Program {
    let mut tys = IrTys::default();
    let cx = Lowerer { files, info, sources };
    let mut funcs: Vec<Func> = info.funcs.iter().filter_map(|&f| cx.func(f, &mut tys)).collect();
    funcs.push(cx.entry());
    Program { tys, funcs }
}

struct Lowerer<'a> {
    files: &'a [File],
    info: &'a Info,
    sources: &'a SourceMap,
}

impl Lowerer<'_> {
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

    fn func(&self, f: FuncRef, tys: &mut IrTys) -> Option<Func> {
        let file = &self.files[f.file];
        let decl = &file[f.decl];
        let DeclKind::Func { name, body: Some(body), .. } = decl.kind else { return None };
        if file.name(name).as_str() == "_" {
            return None;
        }
        let name = &self.sources.file(file.file).name;
        let mut b = FuncBuilder::new(&self.symbol(f), name, decl.pos.line, &[], Vec::new());
        for &s in &file[file[body].stmts] {
            self.stmt(f.file, s, &mut b, tys);
        }
        Some(b.finish())
    }

    /// `goclift.main`: the init functions in source order, then main.main.
    fn entry(&self) -> Func {
        let mut b = FuncBuilder::new(PROGRAM_ENTRY, "", 0, &[], Vec::new());
        for &f in self.info.inits.iter().chain(self.info.main.iter()) {
            b.call(Callee::Func(self.symbol(f)), Vec::new(), Vec::new());
        }
        b.finish()
    }

    fn stmt(&self, fi: usize, s: StmtId, b: &mut FuncBuilder, tys: &mut IrTys) {
        let file = &self.files[fi];
        b.line = file[s].pos.line;
        match &file[s].kind {
            crate::syntax::ast::StmtKind::Block(blk) => {
                for &s in &file[file[*blk].stmts] {
                    self.stmt(fi, s, b, tys);
                }
            }
            crate::syntax::ast::StmtKind::Return { .. } => {
                b.terminate(TermKind::Return(Vec::new()));
                // Statements after a return are unreachable; they still need a block.
                let after = b.block();
                b.switch_to(after);
            }
            crate::syntax::ast::StmtKind::Expr(e) => self.call(fi, *e, b, tys),
            _ => {}
        }
    }

    fn call(&self, fi: usize, e: ExprId, b: &mut FuncBuilder, tys: &mut IrTys) {
        let file = &self.files[fi];
        let e = file.unparen(e);
        let ExprKind::Call { fun, args, .. } = file[e].kind else { return };
        b.line = file.start_pos(e).line;
        match self.info.files[fi].callees.get(&fun) {
            Some(CheckedCallee::Builtin(builtin)) => {
                let values = file[args].iter().map(|a| &self.info.files[fi].exprs[a]).collect();
                for (f, args) in walk_print(&self.info.types, tys, values, *builtin == Builtin::Println) {
                    b.call(Callee::Runtime(f), args, Vec::new());
                }
            }
            Some(CheckedCallee::Func(f)) => b.call(Callee::Func(self.symbol(*f)), Vec::new(), Vec::new()),
            None => {}
        }
    }
}

/// One printed item: a constant string (possibly merged) or another constant argument.
enum PrintItem<'a> {
    Str(Vec<u8>),
    Other(&'a TypeAndValue),
}

/// print/println as gc expands them: for println a " " between arguments and "\n" after;
/// runs of constant strings merged; then printlock, one runtime call per item, printunlock.
fn walk_print(
    types: &TypeTable,
    tys: &mut IrTys,
    args: Vec<&TypeAndValue>,
    newline: bool,
) -> Vec<(RuntimeFn, Vec<Operand>)> {
    let mut items: Vec<PrintItem> = Vec::new();
    let push_str = |items: &mut Vec<PrintItem>, s: &[u8]| match items.last_mut() {
        Some(PrintItem::Str(prev)) => prev.extend_from_slice(s),
        _ => items.push(PrintItem::Str(s.to_vec())),
    };
    for (i, a) in args.iter().enumerate() {
        if newline && i > 0 {
            push_str(&mut items, b" ");
        }
        match &a.value {
            Some(ConstValue::String(s)) => push_str(&mut items, s),
            _ => items.push(PrintItem::Other(a)),
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
            PrintItem::Other(tv) => {
                let v = tv.value.as_ref().expect("print arguments are constants in this slice");
                print_value(tys, types.basic_kind(tv.ty).unwrap_or(BasicKind::Int), v)
            }
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
    let float = |x: f64| Operand::Const(Const::Float { value: if narrow { f64::from(x as f32) } else { x }, ty: float64 });
    let bits = |v: &ConstValue| match v {
        ConstValue::Int(i) => i.to_i64().or_else(|| i.to_u64().map(|u| u as i64)).unwrap_or(0),
        _ => 0,
    };
    match v {
        ConstValue::Bool(b) => (RuntimeFn::PrintBool, vec![Operand::Const(Const::Bool(*b))]),
        ConstValue::String(s) => (RuntimeFn::PrintString, vec![Operand::Const(Const::Str(s.clone()))]),
        ConstValue::Complex(re, im) => (
            RuntimeFn::PrintComplex,
            vec![float(re.to_f64().unwrap_or(0.0)), float(im.to_f64().unwrap_or(0.0))],
        ),
        _ if kind.is_float() => (RuntimeFn::PrintFloat, vec![float(v.to_f64().unwrap_or(0.0))]),
        _ if kind.is_unsigned() => (RuntimeFn::PrintUint, vec![Operand::Const(Const::Int { value: bits(v), ty: uint64 })]),
        _ => (RuntimeFn::PrintInt, vec![Operand::Const(Const::Int { value: bits(v), ty: int64 })]),
    }
}
