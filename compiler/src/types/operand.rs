//! Operands (the result of checking an expression), their description in messages, and
//! assignability (types2's operand.go).

use super::check::Checker;
use super::constant::ConstValue;
use super::object::Builtin;
use super::ty::{BasicKind, ChanDir, Type, TypeId};
use crate::syntax::ast::ExprId;

pub use super::Mode;

/// An evaluated expression.
#[derive(Clone, Debug, Default)]
pub struct Operand {
    pub mode: Mode,
    pub expr: Option<ExprId>,
    pub typ: TypeId,
    /// The value of a constant (Unknown otherwise).
    pub val: ConstValue,
    /// The built-in of a Builtin operand.
    pub id: Option<Builtin>,
}

impl Operand {
    /// An invalid operand for expression `e`.
    pub fn invalid(e: Option<ExprId>) -> Operand {
        Operand { expr: e, ..Operand::default() }
    }

    /// Whether the operand is `nil`.
    pub fn is_nil(&self) -> bool {
        self.mode == Mode::NilValue
    }
}

/// Why an untyped value cannot be converted (types2's error codes).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Code {
    TruncatedFloat,
    NumericOverflow,
    InvalidConstVal,
    InvalidUntypedConversion,
}

fn mode_string(m: Mode) -> &'static str {
    match m {
        Mode::Invalid => "invalid operand",
        Mode::NoValue => "no value",
        Mode::Builtin => "built-in",
        Mode::TypeExpr => "type",
        Mode::Constant => "constant",
        Mode::Variable => "variable",
        Mode::MapIndex => "map index expression",
        Mode::Value => "value",
        Mode::NilValue => "nil",
        Mode::CommaOk => "comma, ok expression",
        Mode::CommaErr => "comma, error expression",
    }
}

impl Checker<'_> {
    /// The operand as types2 describes it: `x (variable of type int)`,
    /// `1 (untyped int constant)`, `f() (no value)`, ...
    pub fn opnd(&self, x: &Operand) -> String {
        if x.mode == Mode::NilValue {
            return match self.w.ty(x.typ) {
                Type::Basic(BasicKind::Invalid) => "nil (with invalid type)".into(),
                Type::Basic(BasicKind::UntypedNil) => "nil".into(),
                _ => format!("nil (of type {})", self.ts(x.typ)),
            };
        }
        let expr = match x.expr {
            Some(e) => self.es(e),
            None => match x.mode {
                Mode::Builtin => x.id.map_or("", |b| b.name()).to_string(),
                Mode::TypeExpr => self.ts(x.typ),
                Mode::Constant => x.val.describe(),
                _ => String::new(),
            },
        };
        let mut buf = String::new();
        if !expr.is_empty() {
            buf.push_str(&expr);
            buf.push_str(" (");
        }
        let mut has_type = false;
        match x.mode {
            Mode::Invalid | Mode::NoValue | Mode::Builtin | Mode::TypeExpr => {}
            _ => {
                if let Some(k) = self.w.basic_kind(x.typ).filter(|k| k.is_untyped()) {
                    buf.push_str(k.name());
                    buf.push(' ');
                } else {
                    has_type = true;
                }
            }
        }
        buf.push_str(mode_string(x.mode));
        if x.mode == Mode::Constant {
            let s = x.val.describe();
            if s != expr {
                buf.push(' ');
                buf.push_str(&s);
            }
        }
        if has_type {
            if x.typ != TypeId::INVALID {
                let intro = if self.w.is_generic(x.typ) { " of parameterized type " } else { " of type " };
                buf.push_str(intro);
                buf.push_str(&self.ts(x.typ));
                if let Some(tp) = self.w.type_param(x.typ) {
                    buf.push_str(" constrained by ");
                    buf.push_str(&self.ts(tp.bound));
                }
            } else {
                buf.push_str(" with invalid type");
            }
        }
        if !expr.is_empty() {
            buf.push(')');
        }
        buf
    }

    /// Whether operand `x` can be assigned to a variable of type `t`; on failure with a
    /// reason if `reason` is given (types2's assignableTo).
    pub fn assignable_to(&mut self, x: &Operand, t: TypeId, mut reason: Option<&mut String>) -> (bool, Option<Code>) {
        if x.mode == Mode::Invalid || t == TypeId::INVALID {
            return (true, None);
        }
        let v = x.typ;
        if self.w.identical(v, t) {
            return (true, None);
        }
        let vu = self.w.under(v);
        let tu = self.w.under(t);
        let vp = self.w.is_type_param(v);
        let tp = self.w.is_type_param(t);

        if self.w.is_untyped(vu) {
            if tp {
                let Some(terms) = self.w.tparam_terms(t) else { return (false, Some(Code::InvalidUntypedConversion)) };
                let ok =
                    terms.iter().all(|term| term.ty.is_some_and(|ty| self.implicit_type_and_value(x, ty).0.is_some()));
                return (ok, Some(Code::InvalidUntypedConversion));
            }
            let ok = self.implicit_type_and_value(x, t).0.is_some();
            return (ok, Some(Code::InvalidUntypedConversion));
        }

        if self.w.identical(vu, tu) && (!self.w.has_name(v) || !self.w.has_name(t)) && !vp && !tp {
            return (true, None);
        }

        let t_iface = matches!(self.w.ty(tu), Type::Interface(_));
        if t_iface && !tp || self.w.is_interface_ptr(tu) {
            if let Err(e) = self.implements(v, t) {
                if let Some(r) = reason.as_deref_mut() {
                    *r = e;
                }
                return (false, Some(Code::InvalidUntypedConversion));
            }
            return (true, None);
        }

        if matches!(self.w.ty(vu), Type::Interface(_)) && !vp && self.implements(t, v).is_ok() {
            if let Some(r) = reason.as_deref_mut() {
                *r = "need type assertion".into();
            }
            return (false, None);
        }

        if let (Type::Chan(ChanDir::Both, ve), Type::Chan(_, te)) = (self.w.ty(vu).clone(), self.w.ty(tu).clone()) {
            if self.w.identical(ve, te) {
                return (!self.w.has_name(v) || !self.w.has_name(t), None);
            }
        }

        if !vp && !tp {
            return (false, None);
        }

        if !self.w.has_name(v) && tp {
            let Some(terms) = self.w.tparam_terms(t) else { return (false, None) };
            for term in terms {
                let Some(tt) = term.ty else { return (false, None) };
                let (ok, code) = self.assignable_to(x, tt, reason.as_deref_mut());
                if !ok {
                    if let Some(r) = reason.as_deref_mut() {
                        let msg = format!("cannot assign {} to {} (in {})", self.ts(x.typ), self.ts(tt), self.ts(t));
                        *r = if r.is_empty() { msg } else { format!("{msg}\n\t{r}") };
                    }
                    return (false, code);
                }
            }
            return (true, None);
        }

        if vp && !self.w.has_name(t) {
            let Some(terms) = self.w.tparam_terms(v) else { return (false, None) };
            for term in terms {
                let Some(vt) = term.ty else { return (false, None) };
                let y = Operand { typ: vt, ..x.clone() };
                let (ok, code) = self.assignable_to(&y, t, reason.as_deref_mut());
                if !ok {
                    if let Some(r) = reason.as_deref_mut() {
                        let msg = format!("cannot assign {} (in {}) to {}", self.ts(vt), self.ts(v), self.ts(t));
                        *r = if r.is_empty() { msg } else { format!("{msg}\n\t{r}") };
                    }
                    return (false, code);
                }
            }
            return (true, None);
        }
        (false, None)
    }
}
