//! Interface satisfaction: implements, missing methods and their explanations (types2's
//! instantiate.go implements and lookup.go missingMethod).

use super::check::Checker;
use super::object::ObjId;
use super::ty::*;

impl<'a> Checker<'a> {
    /// Whether `v` implements (or satisfies, for constraints) interface `t`; the error
    /// message otherwise.
    pub(crate) fn implements(&mut self, v: TypeId, t: TypeId) -> Result<(), String> {
        let vu = self.w.under(v);
        let tu = self.w.under(t);
        if vu == TypeId::INVALID || tu == TypeId::INVALID {
            return Ok(());
        }
        if let Type::Pointer(b) = *self.w.ty(vu) {
            if self.w.under(b) == TypeId::INVALID {
                return Ok(());
            }
        }
        if !matches!(self.w.ty(tu), Type::Interface(_)) {
            let cause = if self.w.is_interface_ptr(tu) {
                format!("type {} is pointer to interface, not interface", self.ts(t))
            } else {
                format!("{} is not an interface", self.ts(t))
            };
            return Err(format!("{} does not implement {} ({cause})", self.ts(v), self.ts(t)));
        }
        let tts = self.w.type_set(tu);
        let tset = self.w.type_set_data(tts).clone();
        if tset.methods.is_empty() && tset.all_terms() && !tset.comparable {
            return Ok(());
        }
        let v_iface = matches!(self.w.ty(vu), Type::Interface(_));
        let vset = if v_iface {
            let vts = self.w.type_set(vu);
            let s = self.w.type_set_data(vts).clone();
            if s.is_empty() {
                return Ok(());
            }
            Some(s)
        } else {
            None
        };
        if tset.is_empty() {
            return Err(format!("cannot implement {} (empty type set)", self.ts(t)));
        }
        let (m, alt) = self.missing_method(v, tu, true);
        if let Some(m) = m {
            let reason = self.missing_method_reason(v, t, m, alt);
            return Err(format!("{} does not implement {} {reason}", self.ts(v), self.ts(t)));
        }
        let mut pending = None;
        if self.w.type_set_comparable(tu, &mut Vec::new()) && self.w.comparable_full(v, false, &mut Vec::new()).is_err()
        {
            pending = Some(format!("{} does not implement comparable", self.ts(v)));
        }
        if !tset.has_terms() {
            return pending.map_or(Ok(()), Err);
        }
        if let Some(vset) = vset {
            if !self.w.terms_subset_of(&vset.terms, &tset.terms) {
                return Err(format!("{} does not implement {}", self.ts(v), self.ts(t)));
            }
            return pending.map_or(Ok(()), Err);
        }
        let mut alt: Option<TypeId> = None;
        let mut included = false;
        for term in &tset.terms {
            if self.w.term_includes(*term, v) {
                included = true;
                break;
            }
            if let Some(ty) = term.ty {
                if alt.is_none() && !term.tilde {
                    let u = self.w.under(ty);
                    if self.w.identical(ty, u) && self.w.term_includes(Term { tilde: true, ty: Some(ty) }, v) {
                        alt = Some(ty);
                    }
                }
            }
        }
        if !included {
            if let Some(a) = alt {
                return Err(format!(
                    "{} does not implement {} (possibly missing ~ for {} in constraint {})",
                    self.ts(v),
                    self.ts(t),
                    self.ts(a),
                    self.ts(t)
                ));
            }
            // Term lists print with package paths (types2's termlist.String).
            let terms = self.w.terms_string(&tset.terms, super::typestring::Qualifier::Path);
            return Err(format!(
                "{} does not implement {} ({} missing in {terms})",
                self.ts(v),
                self.ts(t),
                self.ts(v)
            ));
        }
        pending.map_or(Ok(()), Err)
    }

    /// missingMethod: the first method of interface `t` that `v` lacks (or has with the
    /// wrong signature or a pointer receiver: then also the method found, `alt`).
    /// With `static_` false, methods missing from an interface `v` are fine.
    pub(crate) fn missing_method(&mut self, v: TypeId, t: TypeId, static_: bool) -> (Option<ObjId>, Option<ObjId>) {
        let tts = self.w.type_set(t);
        let tmethods = self.w.type_set_data(tts).methods.clone();
        if tmethods.is_empty() {
            return (None, None);
        }
        let vu = self.w.under(v);
        if let Type::Interface(_) = self.w.ty(vu) {
            let vts = self.w.type_set(vu);
            let vmethods = self.w.type_set_data(vts).methods.clone();
            for m in tmethods {
                let (mp, mn) = (self.w.obj(m).pkg, self.w.obj(m).name);
                let f = self.w.find_method(&vmethods, mp, mn, false).map(|i| vmethods[i]);
                match f {
                    None => {
                        if !static_ {
                            continue;
                        }
                        return (Some(m), None);
                    }
                    Some(f) => {
                        let (ft, mt) = (self.w.obj(f).typ(), self.w.obj(m).typ());
                        if !self.w.identical(ft, mt) {
                            return (Some(m), Some(f));
                        }
                    }
                }
            }
            return (None, None);
        }
        for m in tmethods {
            let (mp, mn) = (self.w.obj(m).pkg, self.w.obj(m).name);
            let mut r = self.w.lookup_inner(v, false, mp, mn, false);
            let found = r.obj.is_some();
            if !found {
                let pv = self.w.pointer(v);
                r = self.w.lookup_inner(pv, false, mp, mn, false);
                if r.obj.is_none() {
                    r = self.w.lookup_inner(v, false, mp, mn, true);
                }
            }
            let f = r.obj.filter(|&o| self.w.obj(o).is_func());
            let Some(f) = f else { return (Some(m), None) };
            self.obj_decl(f, None);
            let (ft, mt) = (self.w.obj(f).typ(), self.w.obj(m).typ());
            if !found || !self.w.identical(ft, mt) {
                return (Some(m), Some(f));
            }
        }
        (None, None)
    }

    /// Why `v` lacks method `m` of `t` (types2's missingMethodReason).
    pub(crate) fn missing_method_reason(&mut self, v: TypeId, t: TypeId, m: ObjId, alt: Option<ObjId>) -> String {
        let mname = format!("{} method", self.w.obj(m).name);
        if let Some(alt) = alt {
            if self.w.obj(m).name != self.w.obj(alt).name {
                return format!(
                    "(missing {mname})\n\t\thave {}\n\t\twant {}",
                    self.func_string(alt),
                    self.func_string(m)
                );
            }
            let (mt, at) = (self.w.obj(m).typ(), self.w.obj(alt).typ());
            if self.w.identical(mt, at) {
                return format!("({mname} has pointer receiver)");
            }
            return format!(
                "(wrong type for {mname})\n\t\thave {}\n\t\twant {}",
                self.func_string(alt),
                self.func_string(m)
            );
        }
        if self.w.is_interface_ptr(v) {
            return format!("({})", self.interface_ptr_error(v));
        }
        if self.w.is_interface_ptr(t) {
            return format!("({})", self.interface_ptr_error(t));
        }
        format!("(missing {mname})")
    }

    /// "type *I is pointer to interface, not interface"
    pub(crate) fn interface_ptr_error(&mut self, t: TypeId) -> String {
        let u = self.w.under(t);
        if let Type::Pointer(b) = *self.w.ty(u) {
            if self.w.is_type_param(b) {
                return format!("type {} is pointer to type parameter, not type parameter", self.ts(t));
            }
        }
        format!("type {} is pointer to interface, not interface", self.ts(t))
    }

    /// A method as `Name(params) results`.
    pub(crate) fn func_string(&self, f: ObjId) -> String {
        let o = self.w.obj(f);
        format!("{}{}", o.name, self.w.signature_string(o.typ(), self.qf()))
    }

    /// assertableTo: the method of interface `v` a value of type `t` can't have.
    pub(crate) fn assertable_to(&mut self, v: TypeId, t: TypeId) -> (Option<ObjId>, Option<ObjId>) {
        if self.w.is_interface(t) {
            return (None, None);
        }
        self.missing_method(t, v, false)
    }
}
