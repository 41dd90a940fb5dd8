//! The checking pass of this slice: package clause, function declarations, call statements,
//! and constant expressions. See the module docs of [`super`] for what is covered.

use super::constant::{self, ConstValue};
use crate::syntax::printer::expr_string;
use super::ty::{BasicKind, TypeId, TypeTable};
use super::{Builtin, Callee, FileInfo, FuncRef, Info, TypeAndValue};
use crate::diag::Diagnostic;
use crate::syntax::ast::{DeclKind, ExprId, ExprKind, File, StmtId, StmtKind};
use crate::syntax::pos::{Pos, SourceMap};
use crate::syntax::token::{LitKind, Operator};
use std::collections::HashMap;

/// Checks the files of one package (all parsed without errors).
pub fn check_package(files: &[File], sources: &SourceMap) -> (Info, Vec<Diagnostic>) {
    let mut c = Checker {
        files,
        sources,
        types: TypeTable::default(),
        infos: files.iter().map(|_| FileInfo::default()).collect(),
        diags: Vec::new(),
        scope: HashMap::new(),
        funcs: Vec::new(),
        inits: Vec::new(),
        main: None,
    };
    let package = c.package_name();
    c.collect_funcs();
    for &f in &c.funcs.clone() {
        c.func_body(f);
    }
    let info = Info { types: c.types, package, funcs: c.funcs, inits: c.inits, main: c.main, files: c.infos };
    (info, c.diags)
}

/// What an expression turned out to be.
#[derive(Clone, Debug)]
enum Operand {
    /// An error was reported already.
    Invalid,
    /// A call of a function without results.
    NoValue,
    Const(TypeId, ConstValue),
    Callee(Callee),
}

struct Checker<'a> {
    files: &'a [File],
    sources: &'a SourceMap,
    types: TypeTable,
    infos: Vec<FileInfo>,
    diags: Vec<Diagnostic>,
    /// Package-level functions by name.
    scope: HashMap<&'a str, (FuncRef, Pos)>,
    funcs: Vec<FuncRef>,
    inits: Vec<FuncRef>,
    main: Option<FuncRef>,
}

impl<'a> Checker<'a> {
    fn error(&mut self, fi: usize, pos: Pos, msg: impl Into<String>) {
        self.diags.push(Diagnostic { file: self.files[fi].file, pos, msg: msg.into() });
    }

    fn unsupported(&mut self, fi: usize, pos: Pos, what: &str) {
        self.error(fi, pos, format!("goclift cannot compile {what} yet"));
    }

    /// The package name; every file must agree with the first.
    fn package_name(&mut self) -> String {
        let names: Vec<(String, Pos)> = self
            .files
            .iter()
            .map(|f| match f.pkg_name {
                Some(n) => (f.name(n).as_str().to_string(), f[n].pos),
                None => ("_".to_string(), f.pos),
            })
            .collect();
        for (fi, (name, pos)) in names.iter().enumerate().skip(1) {
            if *name != names[0].0 {
                self.error(fi, *pos, format!("package {name}; expected package {}", names[0].0));
            }
        }
        names.first().map(|n| n.0.clone()).unwrap_or_default()
    }

    /// Declares every top-level function and reports the declarations not supported yet.
    fn collect_funcs(&mut self) {
        let files = self.files;
        for (fi, f) in files.iter().enumerate() {
            for &d in &f[f.decls] {
                let decl = &f[d];
                let DeclKind::Func { recv, name, tparams, typ, body } = &decl.kind else {
                    let what = match decl.kind {
                        DeclKind::Import { .. } => "imports",
                        DeclKind::Const { .. } => "constant declarations",
                        DeclKind::Var { .. } => "variable declarations",
                        _ => "type declarations",
                    };
                    self.unsupported(fi, decl.pos, what);
                    continue;
                };
                let fref = FuncRef { file: fi, decl: d };
                let (name_str, name_pos) = (f.name(*name).as_str(), f[*name].pos);
                if recv.is_some() || !tparams.is_empty() {
                    self.unsupported(fi, decl.pos, "methods and generic functions");
                    continue;
                }
                if let ExprKind::FuncType { params, results } = f[*typ].kind {
                    if !params.is_empty() || !results.is_empty() {
                        if name_str == "main" || name_str == "init" {
                            let msg = format!("func {name_str} must have no arguments and no return values");
                            self.error(fi, name_pos, msg);
                        } else {
                            self.unsupported(fi, f[*typ].pos, "functions with parameters or results");
                        }
                        continue;
                    }
                }
                if body.is_none() {
                    self.unsupported(fi, decl.pos, "functions without bodies");
                    continue;
                }
                self.funcs.push(fref);
                match name_str {
                    "init" => self.inits.push(fref),
                    "_" => {}
                    _ => self.declare(fi, name_str, name_pos, fref),
                }
            }
        }
    }

    fn declare(&mut self, fi: usize, name: &'a str, pos: Pos, fref: FuncRef) {
        if let Some(&(prev, prev_pos)) = self.scope.get(name) {
            let other = self.sources.format(self.files[prev.file].file, prev_pos);
            self.error(fi, pos, format!("{name} redeclared in this block\n\t{other}: other declaration of {name}"));
            return;
        }
        if name == "main" {
            self.main = Some(fref);
        }
        self.scope.insert(name, (fref, pos));
    }

    fn func_body(&mut self, fref: FuncRef) {
        let f = &self.files[fref.file];
        let DeclKind::Func { body: Some(body), .. } = f[fref.decl].kind else { return };
        for &s in &f[f[body].stmts] {
            self.stmt(fref.file, s);
        }
    }

    fn stmt(&mut self, fi: usize, s: StmtId) {
        let f = &self.files[fi];
        match &f[s].kind {
            StmtKind::Empty => {}
            StmtKind::Block(b) => {
                for &s in &f[f[*b].stmts] {
                    self.stmt(fi, s);
                }
            }
            StmtKind::Return { results: None } => {}
            StmtKind::Expr(e) => {
                let e = *e;
                let op = self.expr(fi, e);
                let is_call = matches!(f[f.unparen(e)].kind, ExprKind::Call { .. });
                if !is_call && !matches!(op, Operand::Invalid) {
                    let msg = format!("{} is not used", self.describe(fi, e, &op));
                    self.error(fi, f.start_pos(e), msg);
                }
            }
            _ => self.unsupported(fi, f.stmt_start_pos(s), "this statement"),
        }
    }

    fn expr(&mut self, fi: usize, e: ExprId) -> Operand {
        let f = &self.files[fi];
        let op = match &f[e].kind {
            ExprKind::Bad => Operand::Invalid,
            ExprKind::Paren(x) => self.expr(fi, *x),
            ExprKind::BasicLit { kind, text, .. } => self.literal(fi, e, *kind, f.text(*text)),
            ExprKind::Name(sym) => self.ident(fi, e, sym.as_str()),
            ExprKind::Operation { op, x, y: None } => self.unary(fi, e, *op, *x),
            ExprKind::Operation { op, x, y: Some(y) } => self.binary(fi, e, *op, *x, *y),
            ExprKind::Call { fun, args, has_dots } => self.call(fi, e, *fun, f[*args].to_vec(), *has_dots),
            _ => {
                self.unsupported(fi, f.start_pos(e), "this kind of expression");
                Operand::Invalid
            }
        };
        if let Operand::Const(ty, v) = &op {
            self.infos[fi].exprs.insert(e, TypeAndValue { ty: *ty, value: Some(v.clone()) });
        }
        op
    }

    fn untyped(&self, k: BasicKind, v: ConstValue) -> Operand {
        Operand::Const(self.types.basic(k), v)
    }

    fn literal(&mut self, fi: usize, e: ExprId, kind: LitKind, text: &str) -> Operand {
        let value = match kind {
            LitKind::Int => constant::int_literal(text).map(|v| (BasicKind::UntypedInt, ConstValue::Int(v))),
            LitKind::Float => constant::float_literal(text).map(|v| (BasicKind::UntypedFloat, ConstValue::Float(v))),
            LitKind::Imag => constant::imag_literal(text)
                .map(|v| (BasicKind::UntypedComplex, ConstValue::Complex(num_traits::Zero::zero(), v))),
            LitKind::Rune => constant::rune_literal(text)
                .map(|v| (BasicKind::UntypedRune, ConstValue::Int(num_bigint::BigInt::from(v)))),
            LitKind::String => constant::string_literal(text).map(|v| (BasicKind::UntypedString, ConstValue::String(v))),
        };
        match value {
            Some((k, v)) => self.untyped(k, v),
            None => {
                let pos = self.files[fi][e].pos;
                self.error(fi, pos, format!("malformed constant: {text}"));
                Operand::Invalid
            }
        }
    }

    fn ident(&mut self, fi: usize, e: ExprId, name: &str) -> Operand {
        if let Some(&(fref, _)) = self.scope.get(name) {
            return Operand::Callee(Callee::Func(fref));
        }
        match name {
            "true" | "false" => self.untyped(BasicKind::UntypedBool, ConstValue::Bool(name == "true")),
            "print" => Operand::Callee(Callee::Builtin(Builtin::Print)),
            "println" => Operand::Callee(Callee::Builtin(Builtin::Println)),
            _ => {
                let pos = self.files[fi][e].pos;
                if is_predeclared(name) {
                    self.unsupported(fi, pos, &format!("uses of the predeclared {name}"));
                } else {
                    self.error(fi, pos, format!("undefined: {name}"));
                }
                Operand::Invalid
            }
        }
    }

    fn unary(&mut self, fi: usize, e: ExprId, op: Operator, x: ExprId) -> Operand {
        let Operand::Const(ty, v) = self.expr(fi, x) else {
            return self.not_constant(fi, e);
        };
        let kind = self.types.basic_kind(ty).unwrap_or(BasicKind::UntypedNil);
        let result = match op {
            Operator::Add if kind.is_numeric() => Some(v.clone()),
            Operator::Sub if kind.is_numeric() => v.neg(),
            Operator::Not if kind == BasicKind::UntypedBool => v.not(op),
            Operator::Xor if kind.is_integer() => v.not(op),
            _ => None,
        };
        match result {
            Some(r) => Operand::Const(ty, r),
            None => {
                let desc = self.describe(fi, x, &Operand::Const(ty, v));
                let pos = self.files[fi].start_pos(x);
                self.error(fi, pos, format!("invalid operation: operator {} not defined on {desc}", op.as_str()));
                Operand::Invalid
            }
        }
    }

    fn binary(&mut self, fi: usize, e: ExprId, op: Operator, x: ExprId, y: ExprId) -> Operand {
        let (xo, yo) = (self.expr(fi, x), self.expr(fi, y));
        let (Operand::Const(xt, xv), Operand::Const(yt, yv)) = (&xo, &yo) else {
            if matches!(xo, Operand::Invalid) || matches!(yo, Operand::Invalid) {
                return Operand::Invalid;
            }
            return self.not_constant(fi, e);
        };
        let (xk, yk) = (self.types.basic_kind(*xt).unwrap(), self.types.basic_kind(*yt).unwrap());
        let f = &self.files[fi];
        let start = f.start_pos(e);
        if matches!(op, Operator::Shl | Operator::Shr) {
            return self.shift(fi, e, op, (x, xk, xv.clone()), (y, yk, yv.clone()));
        }
        let Some(k) = match_kinds(xk, yk) else {
            let msg = format!(
                "invalid operation: {} (mismatched types {} and {})",
                expr_string(f, e),
                xk.name(),
                yk.name()
            );
            self.error(fi, start, msg);
            return Operand::Invalid;
        };
        if !operator_defined(op, k) {
            let desc = self.describe(fi, x, &xo);
            self.error(fi, start, format!("invalid operation: operator {} not defined on {desc}", op.as_str()));
            return Operand::Invalid;
        }
        let (to_float, to_complex) = (k.is_float(), k.is_complex());
        let (a, b) = (constant::widen(xv, to_float, to_complex), constant::widen(yv, to_float, to_complex));
        match constant::binary_op(op, &a, &b, k.is_integer()) {
            Ok(v @ ConstValue::Bool(_)) if op.precedence() == 3 => self.untyped(BasicKind::UntypedBool, v),
            Ok(v) => self.untyped(k, v),
            Err(msg) => {
                let pos = if msg.contains("division by zero") { f.start_pos(y) } else { start };
                self.error(fi, pos, msg);
                Operand::Invalid
            }
        }
    }

    fn shift(
        &mut self,
        fi: usize,
        e: ExprId,
        op: Operator,
        (x, xk, xv): (ExprId, BasicKind, ConstValue),
        (y, yk, yv): (ExprId, BasicKind, ConstValue),
    ) -> Operand {
        let f = &self.files[fi];
        let xv = match (&xv, xk) {
            (ConstValue::Float(r), _) if r.is_integer() => ConstValue::Int(r.to_integer()),
            (ConstValue::Int(_), k) if k.is_integer() => xv.clone(),
            _ => {
                let desc = self.describe(fi, x, &Operand::Const(self.types.basic(xk), xv.clone()));
                self.error(fi, f.start_pos(x), format!("invalid operation: shifted operand {desc} must be integer"));
                return Operand::Invalid;
            }
        };
        let count = match &yv {
            ConstValue::Int(i) if !num_traits::Signed::is_negative(i) => ConstValue::Int(i.clone()),
            ConstValue::Float(r) if r.is_integer() && !num_traits::Signed::is_negative(r) => ConstValue::Int(r.to_integer()),
            _ => {
                let desc = self.describe(fi, y, &Operand::Const(self.types.basic(yk), yv.clone()));
                self.error(fi, f.start_pos(y), format!("invalid shift count {desc}"));
                return Operand::Invalid;
            }
        };
        match constant::binary_op(op, &xv, &count, true) {
            Ok(v) => self.untyped(if xk == BasicKind::UntypedRune { xk } else { BasicKind::UntypedInt }, v),
            Err(msg) => {
                self.error(fi, f.start_pos(e), msg);
                Operand::Invalid
            }
        }
    }

    fn not_constant(&mut self, fi: usize, e: ExprId) -> Operand {
        let pos = self.files[fi].start_pos(e);
        self.unsupported(fi, pos, "operations on non-constant values");
        Operand::Invalid
    }

    fn call(&mut self, fi: usize, e: ExprId, fun: ExprId, args: Vec<ExprId>, has_dots: bool) -> Operand {
        let f = &self.files[fi];
        let callee = match self.expr(fi, fun) {
            Operand::Callee(c) => c,
            Operand::Invalid => return Operand::Invalid,
            other => {
                let desc = self.describe(fi, fun, &other);
                self.error(fi, f.start_pos(e), format!("invalid operation: cannot call non-function {desc}"));
                return Operand::Invalid;
            }
        };
        self.infos[fi].callees.insert(fun, callee);
        match callee {
            Callee::Builtin(b) => {
                let name = if b == Builtin::Print { "print" } else { "println" };
                if has_dots {
                    let pos = f[e].pos;
                    self.error(fi, pos, format!("invalid operation: invalid use of ... with built-in {name}"));
                }
                for a in args {
                    self.print_arg(fi, a, name);
                }
            }
            Callee::Func(_) => {
                if !args.is_empty() {
                    let have: Vec<&str> = args.iter().map(|&a| self.arg_type_name(fi, a)).collect();
                    let msg = format!(
                        "too many arguments in call to {}\n\thave ({})\n\twant ()",
                        expr_string(f, fun),
                        have.join(", ")
                    );
                    self.error(fi, f.start_pos(args[0]), msg);
                }
            }
        }
        Operand::NoValue
    }

    /// How types2 names an argument's type in "have (...)" lists.
    fn arg_type_name(&mut self, fi: usize, a: ExprId) -> &'static str {
        match self.expr(fi, a) {
            Operand::Const(t, _) => match self.types.basic_kind(t) {
                Some(k) if k.is_untyped() && k.is_numeric() => "number",
                Some(k) => k.default_kind().name(),
                None => "value",
            },
            _ => "value",
        }
    }

    /// Checks one argument of print/println and converts an untyped constant to its default
    /// type, recording the converted type and value for code generation.
    fn print_arg(&mut self, fi: usize, a: ExprId, builtin: &str) {
        let f = &self.files[fi];
        let op = self.expr(fi, a);
        let (ty, v) = match op {
            Operand::Invalid => return,
            Operand::Const(ty, v) => (ty, v),
            other => {
                let desc = self.describe(fi, a, &other);
                let msg = match other {
                    Operand::NoValue => format!("{desc} (no value) used as value"),
                    _ => format!("{desc} is not an expression"),
                };
                self.error(fi, f.start_pos(a), msg);
                return;
            }
        };
        let kind = self.types.basic_kind(ty).unwrap();
        let target = kind.default_kind();
        if !representable(&v, target) {
            let desc = self.describe(fi, a, &Operand::Const(ty, v));
            let msg = format!("cannot use {desc} as {} value in argument to {builtin} (overflows)", target.name());
            self.error(fi, f.start_pos(a), msg);
            return;
        }
        let converted = constant::widen(&v, target.is_float(), target.is_complex());
        let tv = TypeAndValue { ty: self.types.basic(target), value: Some(converted) };
        self.infos[fi].exprs.insert(a, tv);
    }

    /// An operand as types2 describes it: `1 (untyped int constant)`, `x (variable of type T)`.
    fn describe(&self, fi: usize, e: ExprId, op: &Operand) -> String {
        let text = expr_string(&self.files[fi], e);
        match op {
            Operand::Const(ty, v) => {
                let kind = self.types.display(*ty);
                let shown = v.describe();
                if shown == text {
                    format!("{text} ({kind} constant)")
                } else {
                    format!("{text} ({kind} constant {shown})")
                }
            }
            Operand::NoValue => text.to_string(),
            Operand::Callee(Callee::Builtin(_)) => format!("{text} (built-in)"),
            Operand::Callee(Callee::Func(_)) => format!("{text} (value of type func())"),
            Operand::Invalid => text,
        }
    }
}

/// The kind two untyped constant operands are combined in, or None if they mismatch.
fn match_kinds(a: BasicKind, b: BasicKind) -> Option<BasicKind> {
    use BasicKind::*;
    let rank = |k: BasicKind| match k {
        UntypedInt => Some(0),
        UntypedRune => Some(1),
        UntypedFloat => Some(2),
        UntypedComplex => Some(3),
        _ => None,
    };
    match (rank(a), rank(b)) {
        (Some(x), Some(y)) => Some(if x >= y { a } else { b }),
        _ if a == b => Some(a),
        _ => None,
    }
}

fn operator_defined(op: Operator, k: BasicKind) -> bool {
    use Operator::*;
    match op {
        Add => k.is_numeric() || k == BasicKind::UntypedString,
        Sub | Mul | Div => k.is_numeric(),
        Rem | And | Or | Xor | AndNot => k.is_integer(),
        AndAnd | OrOr => k == BasicKind::UntypedBool,
        Eql | Neq => true,
        Lss | Leq | Gtr | Geq => (k.is_numeric() && !k.is_complex()) || k == BasicKind::UntypedString,
        _ => false,
    }
}

/// Whether constant `v` is representable as a value of basic type `k`.
fn representable(v: &ConstValue, k: BasicKind) -> bool {
    use num_traits::ToPrimitive;
    match (v, k) {
        (ConstValue::Int(i), k) if k.is_integer() => constant::int_fits(i, k.int_bits(), !k.is_unsigned()),
        (ConstValue::Int(i), k) if k.is_float() || k.is_complex() => i.to_f64().is_some_and(f64::is_finite),
        (ConstValue::Float(r), k) if k.is_float() || k.is_complex() => r.to_f64().is_some_and(f64::is_finite),
        (ConstValue::Complex(re, im), k) if k.is_complex() => {
            re.to_f64().is_some_and(f64::is_finite) && im.to_f64().is_some_and(f64::is_finite)
        }
        (ConstValue::Bool(_), BasicKind::Bool) | (ConstValue::String(_), BasicKind::String) => true,
        _ => false,
    }
}

/// Whether `name` is one of Go's predeclared identifiers (other than those handled here).
fn is_predeclared(name: &str) -> bool {
    const NAMES: &[&str] = &[
        "bool", "byte", "comparable", "complex64", "complex128", "error", "float32", "float64", "int", "int8",
        "int16", "int32", "int64", "rune", "string", "uint", "uint8", "uint16", "uint32", "uint64", "uintptr",
        "any", "iota", "nil", "append", "cap", "close", "complex", "copy", "delete", "imag", "len", "make",
        "new", "panic", "real", "recover",
    ];
    NAMES.contains(&name)
}
