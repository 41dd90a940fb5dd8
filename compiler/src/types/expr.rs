//! Expressions (types2's expr.go): operators, untyped constants and their conversion,
//! representability, composite and function literals, type assertions.

use super::check::{At, Checker};
use super::constant::{self, ConstValue, ValueKind};
use super::operand::{Code, Mode, Operand};
use super::predicates::Cause;
use super::ty::*;
use crate::syntax::ast::{ExprId, ExprKind};
use crate::syntax::token::{LitKind, Operator};

/// What kind of expression a checked expression was (types2's exprKind).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ExprClass {
    Conversion,
    Expression,
    Statement,
}

/// Precision of untyped integer constants in bits (larger values overflow).
const CONST_PREC: u64 = 512;

fn is_comparison(op: Operator) -> bool {
    matches!(op, Operator::Eql | Operator::Neq | Operator::Lss | Operator::Leq | Operator::Gtr | Operator::Geq)
}

fn is_shift(op: Operator) -> bool {
    matches!(op, Operator::Shl | Operator::Shr)
}

impl<'a> Checker<'a> {
    // ------------------------------------------------------------------------------------
    // Entry points

    /// Checks `e` as a single value (types2's expr).
    pub(crate) fn expr(&mut self, x: &mut Operand, e: ExprId) {
        self.raw_expr(x, e, None, false);
        self.exclude(x, &[Mode::NoValue, Mode::Builtin, Mode::TypeExpr]);
        self.single_value(x);
    }

    /// Checks `e`, which may be multi-valued.
    pub(crate) fn multi_expr(&mut self, x: &mut Operand, e: ExprId) {
        self.raw_expr(x, e, None, false);
        self.exclude(x, &[Mode::NoValue, Mode::Builtin, Mode::TypeExpr]);
    }

    /// Checks `e` with a composite literal element type hint.
    pub(crate) fn expr_with_hint(&mut self, x: &mut Operand, e: ExprId, hint: TypeId) {
        self.raw_expr(x, e, Some(hint), false);
        self.exclude(x, &[Mode::NoValue, Mode::Builtin, Mode::TypeExpr]);
        self.single_value(x);
    }

    /// Checks `e` as a value or a type.
    pub(crate) fn expr_or_type(&mut self, x: &mut Operand, e: ExprId, allow_generic: bool) {
        self.raw_expr(x, e, None, allow_generic);
        self.exclude(x, &[Mode::NoValue]);
        self.single_value(x);
    }

    fn exclude(&mut self, x: &mut Operand, modes: &[Mode]) {
        if !modes.contains(&x.mode) {
            return;
        }
        let d = self.opnd(x);
        let msg = match x.mode {
            Mode::NoValue if modes.contains(&Mode::TypeExpr) => format!("{d} used as value"),
            Mode::NoValue => format!("{d} used as value or type"),
            Mode::Builtin => format!("{d} must be called"),
            _ => format!("{d} is not an expression"),
        };
        self.error(self.at(x), msg);
        x.mode = Mode::Invalid;
    }

    /// Reports multi-valued operands used as single values.
    pub(crate) fn single_value(&mut self, x: &mut Operand) {
        if x.mode == Mode::Value && matches!(self.w.ty(x.typ), Type::Tuple(_)) {
            let msg = format!("multiple-value {} in single-value context", self.opnd(x));
            self.error(self.at(x), msg);
            x.mode = Mode::Invalid;
        }
    }

    /// Checks `e` and records its type (types2's rawExpr).
    pub(crate) fn raw_expr(
        &mut self,
        x: &mut Operand,
        e: ExprId,
        hint: Option<TypeId>,
        allow_generic: bool,
    ) -> ExprClass {
        let kind = self.expr_internal(x, e, hint);
        if !allow_generic {
            self.non_generic(x);
        }
        self.record(x);
        kind
    }

    /// Reports uses of uninstantiated generic functions and types as values.
    pub(crate) fn non_generic(&mut self, x: &mut Operand) {
        if x.mode == Mode::Invalid || x.mode == Mode::NoValue {
            return;
        }
        let what = match self.w.ty(x.typ) {
            Type::Named(_) if self.w.is_generic(x.typ) => "type",
            Type::Signature(s) if !s.tparams.is_empty() => "function",
            _ => return,
        };
        if let Some(e) = x.expr {
            let msg = format!("cannot use generic {what} {} without instantiation", self.es(e));
            self.err_expr(e, msg);
        }
        x.mode = Mode::Invalid;
        x.typ = TypeId::INVALID;
    }

    /// Evaluates expressions for their side effects on recorded information (types2's
    /// use), e.g. after an error.
    pub(crate) fn use_exprs(&mut self, list: &[ExprId]) {
        for &e in list {
            let f = self.file();
            match f[e].kind {
                ExprKind::Name(s) if s.is_blank() => continue,
                ExprKind::List(l) => {
                    let l = f[l].to_vec();
                    self.use_exprs(&l);
                    continue;
                }
                _ => {}
            }
            let mut x = Operand::default();
            self.raw_expr(&mut x, e, None, false);
        }
    }

    // ------------------------------------------------------------------------------------
    // Dispatch

    fn expr_internal(&mut self, x: &mut Operand, e: ExprId, hint: Option<TypeId>) -> ExprClass {
        *x = Operand::invalid(Some(e));
        let f = self.file();
        let ok = match f[e].kind.clone() {
            ExprKind::Bad => false,
            ExprKind::Name(_) => {
                self.ident(x, e, None, false);
                true
            }
            ExprKind::DotsType { .. } => {
                self.err_expr(e, "invalid use of '...'".into());
                false
            }
            ExprKind::BasicLit { kind, bad, text } => {
                if bad {
                    false
                } else {
                    self.basic_lit(x, e, kind, f.text(text))
                }
            }
            ExprKind::FuncLit { typ, body } => {
                let sig = self.typ(typ);
                if self.w.sig(sig).is_some() {
                    if !self.config.ignore_func_bodies {
                        let decl = self.env.decl;
                        let iota = self.env.iota.clone();
                        self.later(move |c| c.func_body(decl, "<function literal>", sig, body, iota));
                    }
                    x.mode = Mode::Value;
                    x.typ = sig;
                    true
                } else {
                    let msg = format!("invalid AST: invalid function literal {}", self.es(e));
                    self.err_expr(e, msg);
                    false
                }
            }
            ExprKind::CompositeLit { typ, elems, rbrace, .. } => {
                let elems = f[elems].to_vec();
                self.composite_lit(x, e, typ, &elems, rbrace, hint)
            }
            ExprKind::Paren(inner) => {
                let kind = self.raw_expr(x, inner, None, false);
                x.expr = Some(e);
                return kind;
            }
            ExprKind::Selector { .. } => {
                self.selector(x, e, None);
                true
            }
            ExprKind::Index { .. } => {
                if self.index_expr(x, e) {
                    self.func_inst(x, e);
                }
                x.mode != Mode::Invalid
            }
            ExprKind::Slice { .. } => {
                self.slice_expr(x, e);
                x.mode != Mode::Invalid
            }
            ExprKind::Assert { x: inner, typ } => self.assert_expr(x, e, inner, typ),
            ExprKind::TypeSwitchGuard { .. } => {
                self.err_expr(e, "invalid AST: use of .(type) outside type switch".into());
                false
            }
            ExprKind::Call { .. } => return self.call_expr(x, e),
            ExprKind::List(_) => {
                self.err_expr(e, "unexpected list of expressions".into());
                false
            }
            ExprKind::Operation { op, x: ox, y: None } => {
                if op == Operator::Mul {
                    self.star_expr(x, ox)
                } else {
                    self.unary(x, e, op, ox);
                    if x.mode == Mode::Invalid {
                        false
                    } else if op == Operator::Recv {
                        x.expr = Some(e);
                        return ExprClass::Statement;
                    } else {
                        true
                    }
                }
            }
            ExprKind::Operation { op, x: lhs, y: Some(rhs) } => {
                self.binary(x, Some(e), lhs, rhs, op);
                x.mode != Mode::Invalid
            }
            ExprKind::KeyValue { .. } => {
                self.err_expr(e, "invalid AST: no key:value expected".into());
                false
            }
            ExprKind::ArrayType { .. }
            | ExprKind::SliceType { .. }
            | ExprKind::StructType { .. }
            | ExprKind::FuncType { .. }
            | ExprKind::InterfaceType { .. }
            | ExprKind::MapType { .. }
            | ExprKind::ChanType { .. } => {
                x.mode = Mode::TypeExpr;
                x.typ = self.typ(e);
                true
            }
        };
        x.expr = Some(e);
        if !ok {
            x.mode = Mode::Invalid;
            return ExprClass::Statement;
        }
        ExprClass::Expression
    }

    fn basic_lit(&mut self, x: &mut Operand, e: ExprId, kind: LitKind, text: &str) -> bool {
        if matches!(kind, LitKind::Int | LitKind::Float | LitKind::Imag) {
            self.lang_compat(e, kind, text);
        }
        if matches!(kind, LitKind::Int | LitKind::Float | LitKind::Imag) && text.len() > 10000 {
            let msg = format!("excessively long constant: {}... ({} chars)", &text[..10], text.len());
            self.err_expr(e, msg);
            return false;
        }
        let v = match kind {
            LitKind::Int => constant::int_literal(text).map(|v| (BasicKind::UntypedInt, ConstValue::Int(v))),
            LitKind::Float => constant::float_literal_value(text).map(|v| (BasicKind::UntypedFloat, v)),
            LitKind::Imag => constant::imag_literal_value(text)
                .map(|v| (BasicKind::UntypedComplex, ConstValue::complex_of(ConstValue::int(0), v))),
            LitKind::Rune => constant::rune_literal(text).map(|v| (BasicKind::UntypedRune, ConstValue::int(v))),
            LitKind::String => {
                constant::string_literal(text).map(|v| (BasicKind::UntypedString, ConstValue::string(&v)))
            }
        };
        match v.filter(|(_, v)| !v.is_unknown()) {
            Some((k, v)) => {
                x.mode = Mode::Constant;
                x.typ = k.id();
                x.val = v;
                true
            }
            None => {
                self.err_expr(e, format!("malformed constant: {text}"));
                false
            }
        }
    }

    /// Reports number literal forms newer than the language version (go1.13).
    fn lang_compat(&mut self, e: ExprId, kind: LitKind, s: &str) {
        if s.len() <= 2 || self.allow_version(Some(self.pkg), 1, 13) {
            return;
        }
        let b = s.as_bytes();
        let what = if s.contains('_') {
            "underscores in numeric literals"
        } else if b[0] != b'0' {
            return;
        } else if matches!(b[1], b'b' | b'B') {
            "binary literals"
        } else if matches!(b[1], b'o' | b'O') {
            "0o/0O-style octal literals"
        } else if kind != LitKind::Int && matches!(b[1], b'x' | b'X') {
            "hexadecimal floating-point literals"
        } else {
            return;
        };
        self.version_error(At::Expr(e), "go1.13", what.into());
    }

    fn star_expr(&mut self, x: &mut Operand, ox: ExprId) -> bool {
        self.expr_or_type(x, ox, false);
        match x.mode {
            Mode::Invalid => false,
            Mode::TypeExpr => {
                self.valid_var_type(ox, x.typ);
                x.typ = self.w.pointer(x.typ);
                true
            }
            _ => {
                let bases: Vec<TypeId> = if self.w.is_type_param(x.typ) {
                    match self.w.tparam_under_terms(x.typ) {
                        Some(us) => us,
                        None => {
                            let msg = format!("invalid operation: cannot indirect {}", self.opnd(x));
                            self.error(self.at(x), msg);
                            return false;
                        }
                    }
                } else {
                    vec![self.w.under(x.typ)]
                };
                let mut base: Option<TypeId> = None;
                for u in bases {
                    let Type::Pointer(b) = *self.w.ty(u) else {
                        let msg = format!("invalid operation: cannot indirect {}", self.opnd(x));
                        self.error(self.at(x), msg);
                        return false;
                    };
                    if let Some(prev) = base {
                        if !self.w.identical(prev, b) {
                            let msg = format!(
                                "invalid operation: pointers of {} must have identical base types",
                                self.opnd(x)
                            );
                            self.error(self.at(x), msg);
                            return false;
                        }
                    }
                    base = Some(b);
                }
                x.mode = Mode::Variable;
                x.typ = base.unwrap_or(TypeId::INVALID);
                true
            }
        }
    }

    fn assert_expr(&mut self, x: &mut Operand, e: ExprId, inner: ExprId, typ: ExprId) -> bool {
        self.expr(x, inner);
        if x.mode == Mode::Invalid {
            return false;
        }
        if self.w.is_type_param(x.typ) {
            let msg = format!("invalid operation: cannot use type assertion on type parameter value {}", self.opnd(x));
            self.error(self.at(x), msg);
            return false;
        }
        let u = self.w.under(x.typ);
        if !matches!(self.w.ty(u), Type::Interface(_)) {
            let msg = format!("invalid operation: {} is not an interface", self.opnd(x));
            self.error(self.at(x), msg);
            return false;
        }
        let t = self.var_type(typ);
        if t == TypeId::INVALID {
            return false;
        }
        self.type_assertion(e, x, t, false);
        x.mode = Mode::CommaOk;
        x.typ = t;
        true
    }

    /// Reports impossible type assertions `x.(T)` (and type switch cases).
    pub(crate) fn type_assertion(&mut self, e: ExprId, x: &Operand, t: TypeId, type_switch: bool) {
        let u = self.w.under(x.typ);
        let (method, alt) = self.assertable_to(u, t);
        let Some(m) = method else { return };
        let cause = self.missing_method_reason(t, x.typ, m, alt);
        let msg = if type_switch {
            format!(
                "impossible type switch case: {}\n\t{} cannot have dynamic type {} {cause}",
                self.es(e),
                self.opnd(x),
                self.ts(t)
            )
        } else {
            format!(
                "impossible type assertion: {}\n\t{} does not implement {} {cause}",
                self.es(e),
                self.ts(t),
                self.ts(x.typ)
            )
        };
        self.err_expr(e, msg);
    }

    // ------------------------------------------------------------------------------------
    // Unary and binary operations

    fn unary(&mut self, x: &mut Operand, e: ExprId, op: Operator, ox: ExprId) {
        self.expr(x, ox);
        if x.mode == Mode::Invalid {
            return;
        }
        match op {
            Operator::And => {
                let f = self.file();
                let is_lit = matches!(f[f.unparen(ox)].kind, ExprKind::CompositeLit { .. });
                if !is_lit && x.mode != Mode::Variable {
                    let msg = format!("invalid operation: cannot take address of {}", self.opnd(x));
                    self.error(self.at(x), msg);
                    x.mode = Mode::Invalid;
                    return;
                }
                x.mode = Mode::Value;
                x.typ = self.w.pointer(x.typ);
                return;
            }
            Operator::Recv => {
                let Some(u) = self.w.core_type(x.typ) else {
                    let msg = format!("invalid operation: cannot receive from {}: no core type", self.opnd(x));
                    self.error(self.at(x), msg);
                    x.mode = Mode::Invalid;
                    return;
                };
                let Type::Chan(dir, elem) = *self.w.ty(u) else {
                    let msg = format!("invalid operation: cannot receive from non-channel {}", self.opnd(x));
                    self.error(self.at(x), msg);
                    x.mode = Mode::Invalid;
                    return;
                };
                if dir == ChanDir::Send {
                    let msg = format!("invalid operation: cannot receive from send-only channel {}", self.opnd(x));
                    self.error(self.at(x), msg);
                    x.mode = Mode::Invalid;
                    return;
                }
                x.mode = Mode::CommaOk;
                x.typ = elem;
                self.env.has_call_or_recv = true;
                return;
            }
            Operator::Tilde => {
                self.err_expr(e, "cannot use ~ outside of interface or type constraint".into());
                x.mode = Mode::Invalid;
                return;
            }
            _ => {}
        }
        let ok = match op {
            Operator::Add | Operator::Sub => self.w.all_numeric(x.typ),
            Operator::Xor => self.w.all_integer(x.typ),
            Operator::Not => self.w.all_boolean(x.typ),
            _ => {
                let msg = format!("invalid AST: unknown operator {}", op.as_str());
                self.error(self.at(x), msg);
                x.mode = Mode::Invalid;
                return;
            }
        };
        if !ok {
            let msg = format!("invalid operation: operator {} not defined on {}", op.as_str(), self.opnd(x));
            self.error(self.at(x), msg);
            x.mode = Mode::Invalid;
            return;
        }
        if x.mode == Mode::Constant {
            if x.val.is_unknown() {
                return;
            }
            let prec = if self.w.is_unsigned(x.typ) { (self.w.sizeof(x.typ) * 8) as u32 } else { 0 };
            x.val = constant::unary_op(op, &x.val, prec);
            x.expr = Some(e);
            self.overflow(x);
            return;
        }
        x.mode = Mode::Value;
    }

    /// Reports constant overflow (and representability of typed constants).
    pub(crate) fn overflow(&mut self, x: &mut Operand) {
        if x.val.is_unknown() {
            let at = self.op_pos(x.expr);
            self.error(at, "constant result is not representable".into());
            return;
        }
        if self.w.is_typed(x.typ) {
            let u = self.w.under(x.typ);
            if let Some(k) = self.w.basic_kind(u) {
                self.representable(x, k, u);
            }
            return;
        }
        if x.val.kind() == ValueKind::Int && x.val.bit_len() > CONST_PREC {
            let at = self.op_pos(x.expr);
            let name = self.op_name(x.expr);
            self.error(at, format!("constant {name} overflow"));
            x.val = ConstValue::Unknown;
        }
    }

    fn op_pos(&self, e: Option<ExprId>) -> At {
        match e {
            None => At::Pos(Default::default()),
            Some(e) => match self.file()[e].kind {
                ExprKind::Operation { .. } => At::Pos(self.file()[e].pos),
                _ => At::Expr(e),
            },
        }
    }

    fn op_name(&self, e: Option<ExprId>) -> &'static str {
        let Some(e) = e else { return "" };
        match self.file()[e].kind {
            ExprKind::Operation { op: Operator::Xor, y: None, .. } => "bitwise complement",
            ExprKind::Operation { op, y: Some(_), .. } => match op {
                Operator::Add => "addition",
                Operator::Sub => "subtraction",
                Operator::Xor => "bitwise XOR",
                Operator::Mul => "multiplication",
                Operator::Shl => "shift",
                _ => "",
            },
            _ => "",
        }
    }

    /// Checks `lhs op rhs` (e is the operation, None for `x op= y` statements).
    pub(crate) fn binary(&mut self, x: &mut Operand, e: Option<ExprId>, lhs: ExprId, rhs: ExprId, op: Operator) {
        let mut y = Operand::default();
        self.expr(x, lhs);
        self.expr(&mut y, rhs);
        if x.mode == Mode::Invalid {
            return;
        }
        if y.mode == Mode::Invalid {
            x.mode = Mode::Invalid;
            x.expr = y.expr;
            return;
        }
        if is_shift(op) {
            self.shift(x, &mut y, e, op);
            return;
        }
        if self.can_mix(x, &y) {
            self.convert_untyped(x, y.typ);
            if x.mode == Mode::Invalid {
                return;
            }
            self.convert_untyped(&mut y, x.typ);
            if y.mode == Mode::Invalid {
                x.mode = Mode::Invalid;
                return;
            }
        }
        if is_comparison(op) {
            self.comparison(x, &y, op, false);
            return;
        }
        if !self.w.identical(x.typ, y.typ) {
            if x.typ != TypeId::INVALID && y.typ != TypeId::INVALID {
                let (xt, yt) = (self.ts(x.typ), self.ts(y.typ));
                let msg = match e {
                    Some(e) => format!("invalid operation: {} (mismatched types {xt} and {yt})", self.es(e)),
                    None => format!(
                        "invalid operation: {} {}= {} (mismatched types {xt} and {yt})",
                        self.es(lhs),
                        op.as_str(),
                        self.es(rhs)
                    ),
                };
                self.error(self.at(x), msg);
            }
            x.mode = Mode::Invalid;
            return;
        }
        let defined = match op {
            Operator::Add => self.w.all_numeric_or_string(x.typ),
            Operator::Sub | Operator::Mul | Operator::Div => self.w.all_numeric(x.typ),
            Operator::Rem | Operator::And | Operator::Or | Operator::Xor | Operator::AndNot => {
                self.w.all_integer(x.typ)
            }
            Operator::AndAnd | Operator::OrOr => self.w.all_boolean(x.typ),
            _ => false,
        };
        if !defined {
            let msg = format!("invalid operation: operator {} not defined on {}", op.as_str(), self.opnd(x));
            self.error(self.at(x), msg);
            x.mode = Mode::Invalid;
            return;
        }
        if matches!(op, Operator::Div | Operator::Rem) {
            let int_like = x.mode == Mode::Constant || self.w.all_integer(x.typ);
            if int_like && y.mode == Mode::Constant && y.val.sign() == 0 {
                self.error(self.at(&y), "invalid operation: division by zero".into());
                x.mode = Mode::Invalid;
                return;
            }
            // A complex divisor whose squared parts underflow (issue 20227).
            if x.mode == Mode::Constant && y.mode == Mode::Constant && self.w.is_complex(x.typ) {
                let (re, im) = (y.val.real(), y.val.imag());
                let re2 = constant::binary_op(&re, Operator::Mul, &re, false);
                let im2 = constant::binary_op(&im, Operator::Mul, &im, false);
                if re2.sign() == 0 && im2.sign() == 0 {
                    self.error(self.at(&y), "invalid operation: division by zero".into());
                    x.mode = Mode::Invalid;
                    return;
                }
            }
        }
        if x.mode == Mode::Constant && y.mode == Mode::Constant {
            if x.val.is_unknown() || y.val.is_unknown() {
                x.val = ConstValue::Unknown;
                return;
            }
            let int_div = op == Operator::Div && self.w.is_integer(x.typ);
            x.val = constant::binary_op(&x.val, op, &y.val, int_div);
            x.expr = e;
            self.overflow(x);
            return;
        }
        x.mode = Mode::Value;
    }

    fn can_mix(&mut self, x: &Operand, y: &Operand) -> bool {
        if self.w.is_non_tparam_interface(x.typ) || self.w.is_non_tparam_interface(y.typ) {
            return true;
        }
        if self.w.all_boolean(x.typ) != self.w.all_boolean(y.typ) {
            return false;
        }
        if self.w.all_string(x.typ) != self.w.all_string(y.typ) {
            return false;
        }
        if x.is_nil() && !self.w.has_nil(y.typ) {
            return false;
        }
        if y.is_nil() && !self.w.has_nil(x.typ) {
            return false;
        }
        true
    }

    fn shift(&mut self, x: &mut Operand, y: &mut Operand, e: Option<ExprId>, op: Operator) {
        let xval = if x.mode == Mode::Constant { x.val.to_int() } else { ConstValue::Unknown };
        let ok = self.w.all_integer(x.typ) || self.w.is_untyped(x.typ) && xval.kind() == ValueKind::Int;
        if !ok {
            let msg = format!("invalid operation: shifted operand {} must be integer", self.opnd(x));
            self.error(self.at(x), msg);
            x.mode = Mode::Invalid;
            return;
        }
        if y.mode == Mode::Constant {
            let yval = y.val.to_int();
            if yval.kind() == ValueKind::Int && yval.sign() < 0 {
                let msg = format!("invalid operation: negative shift count {}", self.opnd(y));
                self.error(self.at(y), msg);
                x.mode = Mode::Invalid;
                return;
            }
            if self.w.is_untyped(y.typ) {
                self.representable(y, BasicKind::Uint, BasicKind::Uint.id());
                if y.mode == Mode::Invalid {
                    x.mode = Mode::Invalid;
                    return;
                }
            }
        } else if self.w.all_integer(y.typ) {
            if !self.w.all_unsigned(y.typ) && !self.allow_version(Some(self.pkg), 1, 13) {
                let msg = format!("invalid operation: signed shift count {} requires go1.13 or later", self.opnd(y));
                self.error(self.at(y), msg);
                x.mode = Mode::Invalid;
                return;
            }
        } else if self.w.is_untyped(y.typ) {
            self.convert_untyped(y, BasicKind::Uint.id());
            if y.mode == Mode::Invalid {
                x.mode = Mode::Invalid;
                return;
            }
        } else {
            let msg = format!("invalid operation: shift count {} must be integer", self.opnd(y));
            self.error(self.at(y), msg);
            x.mode = Mode::Invalid;
            return;
        }
        if x.mode == Mode::Constant {
            if y.mode == Mode::Constant {
                if x.val.is_unknown() || y.val.is_unknown() {
                    x.val = ConstValue::Unknown;
                    if !self.w.is_integer(x.typ) {
                        x.typ = BasicKind::UntypedInt.id();
                    }
                    return;
                }
                const SHIFT_BOUND: u64 = 1023 - 1 + 52;
                let s = y.val.to_u64();
                let Some(s) = s.filter(|&s| s <= SHIFT_BOUND) else {
                    let msg = format!("invalid operation: invalid shift count {}", self.opnd(y));
                    self.error(self.at(y), msg);
                    x.mode = Mode::Invalid;
                    return;
                };
                if !self.w.is_integer(x.typ) {
                    x.typ = BasicKind::UntypedInt.id();
                }
                x.val = constant::shift(&xval, op, s);
                x.expr = e;
                self.overflow(x);
                return;
            }
            if self.w.is_untyped(x.typ) {
                if let Some(xe) = x.expr {
                    if let Some(info) = self.untyped.get_mut(&(self.env.file as u32, xe)) {
                        info.is_lhs = true;
                    }
                }
                x.mode = Mode::Value;
                return;
            }
        }
        if !self.w.all_integer(x.typ) {
            let msg = format!("invalid operation: shifted operand {} must be integer", self.opnd(x));
            self.error(self.at(x), msg);
            x.mode = Mode::Invalid;
            return;
        }
        x.mode = Mode::Value;
    }

    /// Checks a comparison (or a switch case against the tag, `switch_case`).
    pub(crate) fn comparison(&mut self, x: &mut Operand, y: &Operand, op: Operator, switch_case: bool) {
        let op = if switch_case { Operator::Eql } else { op };
        let mut err_x = true; // report at x (else y)
        let mut cause = String::new();
        let mut ok = self.assignable_to(x, y.typ, None).0 || self.assignable_to(y, x.typ, None).0;
        if !ok {
            err_x = false;
            cause = format!("mismatched types {} and {}", self.ts(x.typ), self.ts(y.typ));
        } else {
            match op {
                Operator::Eql | Operator::Neq => {
                    if x.is_nil() || y.is_nil() {
                        let t = if x.is_nil() { y.typ } else { x.typ };
                        if !self.w.has_nil(t) {
                            err_x = false;
                            ok = false;
                        }
                    } else if !self.w.comparable(x.typ) {
                        cause = self.incomparable_cause(x.typ);
                        ok = false;
                    } else if !self.w.comparable(y.typ) {
                        err_x = false;
                        cause = self.incomparable_cause(y.typ);
                        ok = false;
                    }
                }
                _ => {
                    if !self.w.all_ordered(x.typ) {
                        ok = false;
                    } else if !self.w.all_ordered(y.typ) {
                        err_x = false;
                        ok = false;
                    }
                }
            }
        }
        if ok {
            if x.mode == Mode::Constant && y.mode == Mode::Constant {
                x.val = ConstValue::Bool(constant::compare(&x.val, op, &y.val));
            } else {
                x.mode = Mode::Value;
                let (dx, dy) = (self.w.default_type(x.typ), self.w.default_type(y.typ));
                if let Some(e) = x.expr {
                    self.update_expr_type(e, dx, true);
                }
                if let Some(e) = y.expr {
                    self.update_expr_type(e, dy, true);
                }
            }
            x.typ = BasicKind::UntypedBool.id();
            return;
        }
        let err_op = if err_x { &*x } else { y };
        if cause.is_empty() {
            if self.w.is_type_param(x.typ) || self.w.is_type_param(y.typ) {
                let t = if !self.w.is_type_param(x.typ) { y.typ } else { err_op.typ };
                cause = format!("type parameter {} is not comparable with {}", self.ts(t), op.as_str());
            } else {
                cause = format!("operator {} not defined on {}", op.as_str(), self.kind_string(err_op.typ));
            }
        }
        let (xs, ys) = (x.expr.map(|e| self.es(e)).unwrap_or_default(), y.expr.map(|e| self.es(e)).unwrap_or_default());
        if switch_case {
            let msg = format!("invalid case {xs} in switch on {ys} ({cause})");
            self.error(self.at(x), msg);
        } else {
            let msg = format!("invalid operation: {xs} {} {ys} ({cause})", op.as_str());
            let at = self.at(err_op);
            self.error(at, msg);
        }
        x.mode = Mode::Invalid;
    }

    fn incomparable_cause(&mut self, t: TypeId) -> String {
        let u = self.w.under(t);
        if matches!(self.w.ty(u), Type::Slice(_) | Type::Signature(_) | Type::Map(..)) {
            return format!("{} can only be compared to nil", self.kind_string(t));
        }
        match self.w.comparable_full(t, true, &mut Vec::new()) {
            Err(Cause::StructField(ft)) => format!("struct containing {} cannot be compared", self.ts(ft)),
            Err(Cause::ArrayElem(at)) => format!("{} cannot be compared", self.ts(at)),
            Err(Cause::EmptyTypeSet) => "empty type set".into(),
            Err(Cause::IncomparableTypeSet) => "incomparable types in type set".into(),
            _ => String::new(),
        }
    }

    /// The kind of a type in words ("slice", "map", ...), as in comparison messages.
    pub(crate) fn kind_string(&mut self, t: TypeId) -> String {
        let u = self.w.under(t);
        match self.w.ty(u) {
            Type::Array(..) => "array".into(),
            Type::Slice(_) => "slice".into(),
            Type::Struct(_) => "struct".into(),
            Type::Pointer(_) => "pointer".into(),
            Type::Signature(_) => "func".into(),
            Type::Interface(_) if self.w.is_type_param(t) => format!("type parameter {}", self.ts(t)),
            Type::Interface(_) => "interface".into(),
            Type::Map(..) => "map".into(),
            Type::Chan(..) => "chan".into(),
            _ => self.ts(t),
        }
    }

    // ------------------------------------------------------------------------------------
    // Untyped values

    /// Whether constant `v` is representable as a value of basic kind `k`; sets `rounded`
    /// to the value converted to the kind (rounded for floats).
    pub(crate) fn representable_const(
        &mut self,
        v: &ConstValue,
        k: BasicKind,
        rounded: Option<&mut ConstValue>,
    ) -> bool {
        if v.is_unknown() {
            return true;
        }
        let info = k.info();
        use super::ty::info as I;
        if info & I::INTEGER != 0 {
            let x = v.to_int();
            let ConstValue::Int(i) = &x else { return false };
            let ok = match k {
                BasicKind::UntypedInt | BasicKind::UntypedRune => true,
                _ => constant::int_fits(i, k.int_bits(), !k.is_unsigned()),
            };
            if let Some(r) = rounded {
                *r = x.clone();
            }
            return ok;
        }
        if info & I::FLOAT != 0 {
            let x = v.to_float();
            if x.kind() != ValueKind::Float {
                return false;
            }
            return match k {
                BasicKind::UntypedFloat => true,
                _ => {
                    let bits = if k == BasicKind::Float32 { 32 } else { 64 };
                    match constant::round_float(&x, bits) {
                        Some(r) => {
                            if let Some(out) = rounded {
                                *out = r;
                            }
                            true
                        }
                        None => false,
                    }
                }
            };
        }
        if info & I::COMPLEX != 0 {
            let x = v.to_complex();
            if x.kind() != ValueKind::Complex {
                return false;
            }
            return match k {
                BasicKind::UntypedComplex => true,
                _ => {
                    let bits = if k == BasicKind::Complex64 { 32 } else { 64 };
                    let (re, im) = (constant::round_float(&x.real(), bits), constant::round_float(&x.imag(), bits));
                    match (re, im) {
                        (Some(re), Some(im)) => {
                            if let Some(out) = rounded {
                                *out = ConstValue::complex_of(re, im);
                            }
                            true
                        }
                        _ => false,
                    }
                }
            };
        }
        if info & I::STRING != 0 {
            return v.kind() == ValueKind::String;
        }
        if info & I::BOOLEAN != 0 {
            return v.kind() == ValueKind::Bool;
        }
        false
    }

    /// The value of constant `x` converted to basic kind `k`, or the reason it can't be.
    fn representation(&mut self, x: &Operand, k: BasicKind) -> Result<ConstValue, Code> {
        let mut v = x.val.clone();
        if !self.representable_const(&x.val, k, Some(&mut v)) {
            let xnum = self.w.is_numeric(x.typ);
            if xnum && k.is_numeric() {
                if !self.w.is_integer(x.typ) && k.is_integer() {
                    return Err(Code::TruncatedFloat);
                }
                return Err(Code::NumericOverflow);
            }
            return Err(Code::InvalidConstVal);
        }
        Ok(v)
    }

    /// Converts constant `x` to basic type `t` (kind `k`), reporting failures.
    pub(crate) fn representable(&mut self, x: &mut Operand, k: BasicKind, t: TypeId) {
        match self.representation(x, k) {
            Ok(v) => x.val = v,
            Err(code) => {
                self.invalid_conversion(code, x, t);
                x.mode = Mode::Invalid;
            }
        }
    }

    fn invalid_conversion(&mut self, code: Code, x: &Operand, target: TypeId) {
        let (d, t) = (self.opnd(x), self.ts(target));
        let msg = match code {
            Code::TruncatedFloat => format!("{d} truncated to {t}"),
            Code::NumericOverflow => format!("{d} overflows {t}"),
            _ => format!("cannot convert {d} to {t}"),
        };
        self.error(self.at(x), msg);
    }

    /// Updates the type of untyped expression `x` (and its untyped operands) once known
    /// (types2's updateExprType). `final` records even untyped results.
    pub(crate) fn update_expr_type(&mut self, x: ExprId, typ: TypeId, final_: bool) {
        self.update_expr_type0(None, x, typ, final_);
    }

    fn update_expr_type0(&mut self, parent: Option<ExprId>, x: ExprId, typ: TypeId, final_: bool) {
        let key = (self.env.file as u32, x);
        let Some(old) = self.untyped.get(&key).cloned() else { return };
        let f = self.file();
        match f[x].kind {
            ExprKind::Call { .. } | ExprKind::Name(_) | ExprKind::BasicLit { .. } | ExprKind::Selector { .. } => {}
            ExprKind::Paren(inner) => self.update_expr_type0(Some(x), inner, typ, final_),
            ExprKind::Operation { op, x: ox, y: None } => {
                if op == Operator::Mul {
                    return;
                }
                if old.mode != Mode::Constant {
                    self.update_expr_type0(Some(x), ox, typ, final_);
                }
            }
            ExprKind::Operation { op, x: ox, y: Some(oy) } => {
                if !(old.mode == Mode::Constant) {
                    if is_comparison(op) {
                    } else if is_shift(op) {
                        self.update_expr_type0(Some(x), ox, typ, final_);
                    } else {
                        self.update_expr_type0(Some(x), ox, typ, final_);
                        self.update_expr_type0(Some(x), oy, typ, final_);
                    }
                }
            }
            _ => return,
        }
        if !final_ && self.w.is_untyped(typ) {
            let u = self.w.under(typ);
            if let Some(info) = self.untyped.get_mut(&key) {
                info.typ = u;
            }
            return;
        }
        self.untyped.remove(&key);
        if old.is_lhs && !self.w.all_integer(typ) {
            let p = parent.map(|p| self.es(p)).unwrap_or_default();
            let msg = format!("invalid operation: {p} (shift of type {})", self.ts(typ));
            self.err_expr(x, msg);
            return;
        }
        if old.mode == Mode::Constant {
            let mut c = Operand { mode: old.mode, expr: Some(x), typ: old.typ, val: old.val.clone(), id: None };
            self.convert_untyped(&mut c, typ);
            if c.mode == Mode::Invalid {
                return;
            }
        }
        let val = (old.mode == Mode::Constant).then_some(old.val);
        self.record_type_and_value(x, old.mode, typ, val);
    }

    fn update_expr_val(&mut self, x: ExprId, val: &ConstValue) {
        if let Some(info) = self.untyped.get_mut(&(self.env.file as u32, x)) {
            info.val = val.clone();
        }
    }

    /// Converts untyped operand `x` to type `target` (types2's convertUntyped).
    pub(crate) fn convert_untyped(&mut self, x: &mut Operand, target: TypeId) {
        let (new_type, val, code) = self.implicit_type_and_value(x, target);
        if let Some(code) = code {
            let t = if self.w.is_type_param(target) { target } else { self.w.under_no_expand(target) };
            let t = if t == TypeId::INVALID { target } else { t };
            self.invalid_conversion(code, x, t);
            x.mode = Mode::Invalid;
            return;
        }
        if let Some(v) = val {
            if let Some(e) = x.expr {
                self.update_expr_val(e, &v);
            }
            x.val = v;
        }
        if let Some(nt) = new_type {
            if nt != x.typ {
                x.typ = nt;
                if let Some(e) = x.expr {
                    self.update_expr_type(e, nt, false);
                }
            }
        }
    }

    /// The type (and converted value) untyped `x` gets when used as a `target` (types2's
    /// implicitTypeAndValue); the error code if it can't.
    pub(crate) fn implicit_type_and_value(
        &mut self,
        x: &Operand,
        target: TypeId,
    ) -> (Option<TypeId>, Option<ConstValue>, Option<Code>) {
        if x.mode == Mode::Invalid || self.w.is_typed(x.typ) || target == TypeId::INVALID {
            return (Some(x.typ), None, None);
        }
        if self.w.is_untyped(target) {
            let (xk, tk) = (
                self.w.basic_kind(x.typ).unwrap_or(BasicKind::Invalid),
                self.w.basic_kind(target).unwrap_or(BasicKind::Invalid),
            );
            if xk.is_numeric() && tk.is_numeric() {
                if xk < tk {
                    return (Some(target), None, None);
                }
            } else if xk != tk {
                return (None, None, Some(Code::InvalidUntypedConversion));
            }
            return (Some(x.typ), None, None);
        }
        if x.is_nil() {
            if self.w.has_nil(target) {
                return (Some(target), None, None);
            }
            return (None, None, Some(Code::InvalidUntypedConversion));
        }
        let u = self.w.under(target);
        match self.w.ty(u).clone() {
            Type::Basic(k) | Type::BasicAlias(k, _) => {
                if x.mode == Mode::Constant {
                    return match self.representation(x, k) {
                        Ok(v) => (Some(target), Some(v), None),
                        Err(c) => (None, None, Some(c)),
                    };
                }
                let xk = self.w.basic_kind(x.typ).unwrap_or(BasicKind::Invalid);
                let ok = match xk {
                    BasicKind::UntypedBool => self.w.is_boolean(target),
                    BasicKind::UntypedInt
                    | BasicKind::UntypedRune
                    | BasicKind::UntypedFloat
                    | BasicKind::UntypedComplex => self.w.is_numeric(target),
                    BasicKind::UntypedString => self.w.is_string(target),
                    _ => false,
                };
                if !ok {
                    return (None, None, Some(Code::InvalidUntypedConversion));
                }
            }
            Type::Interface(_) => {
                if self.w.is_type_param(target) {
                    let Some(us) = self.w.tparam_under_terms(target) else {
                        return (None, None, Some(Code::InvalidUntypedConversion));
                    };
                    for u in us {
                        if self.implicit_type_and_value(x, u).0.is_none() {
                            return (None, None, Some(Code::InvalidUntypedConversion));
                        }
                    }
                    return (Some(target), None, None);
                }
                let ts = self.w.type_set(u);
                let set = self.w.type_set_data(ts);
                if !(set.methods.is_empty() && set.all_terms() && !set.comparable) {
                    return (None, None, Some(Code::InvalidUntypedConversion));
                }
                return (Some(self.w.default_type(x.typ)), None, None);
            }
            _ => return (None, None, Some(Code::InvalidUntypedConversion)),
        }
        (Some(target), None, None)
    }

    // ------------------------------------------------------------------------------------
    // Composite literals

    fn composite_lit(
        &mut self,
        x: &mut Operand,
        e: ExprId,
        typ_expr: Option<ExprId>,
        elems: &[ExprId],
        rbrace: crate::syntax::pos::Pos,
        hint: Option<TypeId>,
    ) -> bool {
        let f = self.file();
        let (mut typ, mut base);
        let mut open_array: Option<(ExprId, TypeId)> = None;
        match (typ_expr, hint) {
            (Some(te), _) => {
                if let ExprKind::ArrayType { len: None, elem } = f[te].kind {
                    let et = self.var_type(elem);
                    typ = self.w.array(-1, et);
                    base = typ;
                    open_array = Some((te, et));
                } else {
                    typ = self.typ(te);
                    base = typ;
                }
            }
            (None, Some(h)) => {
                typ = h;
                let core = self.w.core_type(h);
                let Some(core) = core else {
                    let msg = format!("invalid composite literal element type {}: no core type", self.ts(h));
                    self.err_expr(e, msg);
                    return false;
                };
                base = self.w.deref(core).0;
            }
            (None, None) => {
                self.err_expr(e, "missing type in composite literal".into());
                return false;
            }
        }
        let core = self.w.core_type(base).unwrap_or(TypeId::INVALID);
        match self.w.ty(core).clone() {
            Type::Struct(st) => {
                if !st.complete {
                    self.err_expr(e, "illegal cycle in type declaration".into());
                    return false;
                }
                if !elems.is_empty() {
                    self.struct_lit(x, e, &st.fields, elems, base, typ, rbrace);
                }
            }
            Type::Array(_, elem) | Type::Slice(elem) if elem == self.w.predeclared.incomplete => {
                self.err_expr(e, "illegal cycle in type declaration".into());
                return false;
            }
            Type::Map(k, v) if k == self.w.predeclared.incomplete || v == self.w.predeclared.incomplete => {
                self.err_expr(e, "illegal cycle in type declaration".into());
                return false;
            }
            Type::Array(n, elem) => {
                let len = self.indexed_elts(elems, elem, n);
                if n < 0 {
                    let t = self.w.array(len, elem);
                    if let Some((te, _)) = open_array {
                        self.record_type_and_value(te, Mode::TypeExpr, t, None);
                    }
                    typ = t;
                    base = t;
                }
            }
            Type::Slice(elem) => {
                self.indexed_elts(elems, elem, -1);
            }
            Type::Map(k, v) => self.map_lit(x, elems, k, v),
            _ => {
                let vals: Vec<ExprId> = elems
                    .iter()
                    .map(|&el| match f[el].kind {
                        ExprKind::KeyValue { value, .. } => value,
                        _ => el,
                    })
                    .collect();
                self.use_exprs(&vals);
                if core != TypeId::INVALID {
                    let msg = format!("invalid composite literal type {}", self.ts(typ));
                    self.err_expr(e, msg);
                    return false;
                }
            }
        }
        let _ = base;
        x.mode = Mode::Value;
        x.typ = typ;
        true
    }

    #[allow(clippy::too_many_arguments)]
    fn struct_lit(
        &mut self,
        x: &mut Operand,
        e: ExprId,
        fields: &[super::object::ObjId],
        elems: &[ExprId],
        base: TypeId,
        typ: TypeId,
        rbrace: crate::syntax::pos::Pos,
    ) {
        let f = self.file();
        if let ExprKind::KeyValue { .. } = f[elems[0]].kind {
            let mut visited = vec![false; fields.len()];
            for &el in elems {
                let ExprKind::KeyValue { key, value } = f[el].kind else {
                    self.err_expr(el, "mixture of field:value and value elements in struct literal".into());
                    continue;
                };
                self.expr(x, value);
                let ExprKind::Name(kname) = f[key].kind else {
                    let msg = format!("invalid field name {} in struct literal", self.es(key));
                    self.err_expr(el, msg);
                    continue;
                };
                let Some(i) =
                    fields.iter().position(|&fo| !kname.is_blank() && self.w.same_id(fo, Some(self.pkg), kname))
                else {
                    let msg = format!("unknown field '{kname}' in struct literal of type {}", self.ts(base));
                    self.err_expr(key, msg);
                    continue;
                };
                let fld = fields[i];
                self.record_use(key, fld);
                let et = self.w.obj(fld).typ();
                self.assignment(x, Some(et), "struct literal");
                if visited[i] {
                    self.err_expr(el, format!("duplicate field name {kname} in struct literal"));
                    continue;
                }
                visited[i] = true;
            }
        } else {
            for (i, &el) in elems.iter().enumerate() {
                if let ExprKind::KeyValue { .. } = f[el].kind {
                    self.err_expr(el, "mixture of field:value and value elements in struct literal".into());
                    continue;
                }
                self.expr(x, el);
                if i >= fields.len() {
                    let msg = format!("too many values in {}{{…}}", self.ts(base));
                    self.error(self.at(x), msg);
                    break;
                }
                let fld = fields[i];
                let fo = self.w.obj(fld);
                if !fo.exported() && fo.pkg != Some(self.pkg) {
                    let msg =
                        format!("implicit assignment to unexported field {} in {} literal", fo.name, self.ts(typ));
                    self.error(self.at(x), msg);
                    continue;
                }
                let et = fo.typ();
                self.assignment(x, Some(et), "struct literal");
            }
            if elems.len() < fields.len() {
                let msg = format!("too few values in {}{{…}}", self.ts(base));
                self.error(At::Pos(rbrace), msg);
            }
        }
        let _ = e;
    }

    fn map_lit(&mut self, x: &mut Operand, elems: &[ExprId], key_t: TypeId, elem_t: TypeId) {
        let f = self.file();
        let key_is_iface = self.w.is_non_tparam_interface(key_t);
        let mut visited: Vec<(String, TypeId)> = Vec::new();
        for &el in elems {
            let ExprKind::KeyValue { key, value } = f[el].kind else {
                self.err_expr(el, "missing key in map literal".into());
                continue;
            };
            self.expr_with_hint(x, key, key_t);
            self.assignment(x, Some(key_t), "map literal");
            if x.mode == Mode::Invalid {
                continue;
            }
            if x.mode == Mode::Constant {
                let k = constant::key_string(&x.val);
                let kind = x.val.kind();
                let mut duplicate = false;
                for (vk, vt) in &visited {
                    if *vk == k && (!key_is_iface || self.w.identical(*vt, x.typ)) {
                        duplicate = true;
                        break;
                    }
                }
                let _ = kind;
                visited.push((k, x.typ));
                if duplicate {
                    let msg = format!("duplicate key {} in map literal", x.val.describe());
                    self.error(self.at(x), msg);
                    continue;
                }
            }
            self.expr_with_hint(x, value, elem_t);
            self.assignment(x, Some(elem_t), "map literal");
        }
    }
}
