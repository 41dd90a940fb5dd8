//! Conversions `T(x)` (types2's conversions.go).

use super::check::Checker;
use super::constant::ConstValue;
use super::operand::{Mode, Operand};
use super::ty::*;

impl<'a> Checker<'a> {
    /// Checks the conversion of `x` to type `t`.
    pub(crate) fn conversion(&mut self, x: &mut Operand, t: TypeId) {
        let const_arg = x.mode == Mode::Constant;
        let mut cause = String::new();
        let ok = if const_arg && self.w.is_const_type(t) {
            let mut v = x.val.clone();
            let ok = self.const_convertible_to(x, t, Some(&mut v));
            x.val = v;
            ok
        } else if const_arg && self.w.is_type_param(t) {
            let ok = match self.w.tparam_under_terms(t) {
                None => {
                    cause = format!("{} does not contain specific types", self.ts(t));
                    false
                }
                Some(us) => {
                    let mut ok = true;
                    for u in us {
                        if self.w.is_string(x.typ) && self.is_bytes_or_runes(u) {
                            continue;
                        }
                        if !self.const_convertible_to(x, u, None) {
                            cause = format!("cannot convert {} to {} (in {})", self.opnd(x), self.ts(u), self.ts(t));
                            ok = false;
                            break;
                        }
                    }
                    ok
                }
            };
            x.mode = Mode::Value;
            ok
        } else if self.convertible_to(x, t, Some(&mut cause)) {
            x.mode = Mode::Value;
            true
        } else {
            false
        };
        if !ok {
            let at = self.at(x);
            let parts = if cause.is_empty() {
                vec![(Some(at), format!("cannot convert {} to type {}", self.opnd(x), self.ts(t)))]
            } else {
                vec![(Some(at), format!("cannot convert {} to type {}:", self.opnd(x), self.ts(t))), (None, cause)]
            };
            self.report(parts);
            x.mode = Mode::Invalid;
            return;
        }
        if self.w.is_untyped(x.typ) {
            let mut final_ = t;
            if x.typ == BasicKind::UntypedNil.id() {
            } else if self.w.is_non_tparam_interface(t) || const_arg && !self.w.is_const_type(t) {
                final_ = self.w.default_type(x.typ);
            } else if x.mode == Mode::Constant && self.w.is_integer(x.typ) && self.w.all_string(t) {
                final_ = x.typ;
            }
            if let Some(e) = x.expr {
                self.update_expr_type(e, final_, true);
            }
        }
        x.typ = t;
    }

    /// Whether constant `x` converts to basic type `t`; like types2, `val` (if given)
    /// receives the converted value, for integer targets even when it doesn't fit.
    fn const_convertible_to(&mut self, x: &Operand, t: TypeId, val: Option<&mut ConstValue>) -> bool {
        let u = self.w.under(t);
        let Some(k) = self.w.basic_kind(u) else { return false };
        let mut tmp = x.val.clone();
        let ok = self.representable_const(&x.val, k, Some(&mut tmp));
        let is_int_target = k.is_integer();
        if ok || is_int_target && tmp.kind() == super::constant::ValueKind::Int {
            if let Some(v) = val {
                *v = tmp;
                if ok {
                    return true;
                }
                return self.int_to_string_conversion(x, k, Some(v));
            }
            if ok {
                return true;
            }
        }
        self.int_to_string_conversion(x, k, val)
    }

    /// `string(i)` for an integer constant `i`: the UTF-8 encoding of the code point (or
    /// of U+FFFD).
    fn int_to_string_conversion(&mut self, x: &Operand, k: BasicKind, val: Option<&mut ConstValue>) -> bool {
        if self.w.is_integer(x.typ) && k.info() & info::STRING != 0 {
            let cp =
                x.val.to_u64().filter(|&i| i <= 0x10FFFF).and_then(|i| char::from_u32(i as u32)).unwrap_or('\u{FFFD}');
            if let Some(v) = val {
                let mut buf = [0u8; 4];
                *v = ConstValue::string(cp.encode_utf8(&mut buf).as_bytes());
            }
            return true;
        }
        false
    }

    /// Whether `x` can be converted to type `t` (types2's convertibleTo).
    pub(crate) fn convertible_to(&mut self, x: &Operand, t: TypeId, mut cause: Option<&mut String>) -> bool {
        if self.assignable_to(x, t, cause.as_deref_mut()).0 {
            return true;
        }
        let v = x.typ;
        let vu = self.w.under(v);
        let tu = self.w.under(t);
        let vp = self.w.is_type_param(v);
        let tp = self.w.is_type_param(t);
        if self.w.identical_ignore_tags(vu, tu) && !vp && !tp {
            return true;
        }
        if let (Type::Pointer(vb), Type::Pointer(tb)) = (self.w.ty(v).clone(), self.w.ty(t).clone()) {
            let (vbu, tbu) = (self.w.under(vb), self.w.under(tb));
            if self.w.identical_ignore_tags(vbu, tbu) && !self.w.is_type_param(vb) && !self.w.is_type_param(tb) {
                return true;
            }
        }
        let int_or_float = info::INTEGER | info::FLOAT;
        if self.w.is_basic_info(vu, int_or_float) && self.w.is_basic_info(tu, int_or_float) {
            return true;
        }
        if self.w.is_complex(vu) && self.w.is_complex(tu) {
            return true;
        }
        if (self.w.is_integer(vu) || self.is_bytes_or_runes(vu)) && self.w.is_string(tu) {
            return true;
        }
        if self.w.is_string(vu) && self.is_bytes_or_runes(tu) {
            return true;
        }
        let is_ptr = |w: &World2, u: TypeId| matches!(w.ty(u), Type::Pointer(_));
        let kind = |w: &World2, u: TypeId| w.basic_kind(u);
        if (is_ptr(self.w, vu) || kind(self.w, vu) == Some(BasicKind::Uintptr))
            && kind(self.w, tu) == Some(BasicKind::UnsafePointer)
        {
            return true;
        }
        if kind(self.w, vu) == Some(BasicKind::UnsafePointer)
            && (is_ptr(self.w, tu) || kind(self.w, tu) == Some(BasicKind::Uintptr))
        {
            return true;
        }
        if let (Type::Slice(se), Type::Pointer(pb)) = (self.w.ty(vu).clone(), self.w.ty(tu).clone()) {
            let pbu = self.w.under(pb);
            if let Type::Array(_, ae) = *self.w.ty(pbu) {
                if self.w.identical(se, ae) {
                    if self.allow_version(Some(self.pkg), 1, 17) {
                        return true;
                    }
                    if let Some(c) = cause {
                        let lang = self.config.go_version.clone().unwrap_or_default();
                        *c = format!(
                            "conversion of slices to array pointers requires go1.17 or later (-lang was set to {lang}; check go.mod)"
                        );
                    }
                    return false;
                }
            }
        }
        if !vp && !tp {
            return false;
        }
        let append_cause = |c: &Self, cause: &mut Option<&mut String>, msg: String| {
            let _ = c;
            if let Some(cs) = cause.as_deref_mut() {
                *cs = if cs.is_empty() { msg } else { format!("{msg}\n\t{cs}") };
            }
        };
        if vp {
            let Some(vterms) = self.w.tparam_terms(v) else { return false };
            for vt in vterms {
                let Some(vty) = vt.ty else { return false };
                let y = Operand { typ: vty, ..x.clone() };
                if tp {
                    let Some(tterms) = self.w.tparam_terms(t) else { return false };
                    for tt in tterms {
                        let Some(tty) = tt.ty else { return false };
                        if !self.convertible_to(&y, tty, cause.as_deref_mut()) {
                            let msg = format!(
                                "cannot convert {} (in {}) to {} (in {})",
                                self.ts(vty),
                                self.ts(v),
                                self.ts(tty),
                                self.ts(t)
                            );
                            append_cause(self, &mut cause, msg);
                            return false;
                        }
                    }
                } else if !self.convertible_to(&y, t, cause.as_deref_mut()) {
                    let msg = format!("cannot convert {} (in {}) to {}", self.ts(vty), self.ts(v), self.ts(t));
                    append_cause(self, &mut cause, msg);
                    return false;
                }
            }
            return true;
        }
        let Some(tterms) = self.w.tparam_terms(t) else { return false };
        for tt in tterms {
            let Some(tty) = tt.ty else { return false };
            if !self.convertible_to(x, tty, cause.as_deref_mut()) {
                let msg = format!("cannot convert {} to {} (in {})", self.ts(x.typ), self.ts(tty), self.ts(t));
                append_cause(self, &mut cause, msg);
                return false;
            }
        }
        true
    }

    fn is_bytes_or_runes(&mut self, t: TypeId) -> bool {
        let u = self.w.under(t);
        if let Type::Slice(e) = *self.w.ty(u) {
            let eu = self.w.under(e);
            return matches!(self.w.basic_kind(eu), Some(BasicKind::Uint8 | BasicKind::Int32));
        }
        false
    }
}

type World2 = super::world::World;
