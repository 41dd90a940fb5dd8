//! Assignments and initializations (types2's assignments.go).

use super::check::{At, Checker};
use super::object::ObjId;
use super::operand::{Code, Mode, Operand};
use super::resolver::unpack;
use super::ty::{BasicKind, Type, TypeId};
use crate::syntax::ast::{ExprId, ExprKind, StmtId};
use crate::syntax::intern::Symbol;

impl<'a> Checker<'a> {
    /// Checks that `x` can be assigned to a variable of type `t` (None: any type, the
    /// default type of untyped values); `context` names the assignment in messages.
    pub(crate) fn assignment(&mut self, x: &mut Operand, t: Option<TypeId>, context: &str) {
        self.single_value(x);
        match x.mode {
            Mode::Invalid => return,
            Mode::Constant
            | Mode::Variable
            | Mode::MapIndex
            | Mode::Value
            | Mode::NilValue
            | Mode::CommaOk
            | Mode::CommaErr => {}
            _ => {
                let tstr = t.map(|t| self.ts(t)).unwrap_or_else(|| "<nil>".into());
                let msg = format!("cannot assign {} to {tstr} in {context}", self.opnd(x));
                self.error(self.at(x), msg);
                return;
            }
        }
        if self.w.is_untyped(x.typ) {
            let mut target = t;
            if x.is_nil() {
                if t.is_none() {
                    let msg = format!("use of untyped nil in {context}");
                    self.error(self.at(x), msg);
                    x.mode = Mode::Invalid;
                    return;
                }
            } else if t.is_none_or(|t| self.w.is_non_tparam_interface(t)) {
                target = Some(self.w.default_type(x.typ));
            }
            let target = target.unwrap_or(TypeId::INVALID);
            let (new_type, val, code) = self.implicit_type_and_value(x, target);
            if let Some(code) = code {
                let mut msg = format!("cannot use {} as {} value in {context}", self.opnd(x), self.ts(target));
                match code {
                    Code::TruncatedFloat => msg.push_str(" (truncated)"),
                    Code::NumericOverflow => msg.push_str(" (overflows)"),
                    _ => {}
                }
                self.error(self.at(x), msg);
                x.mode = Mode::Invalid;
                return;
            }
            if let Some(v) = val {
                x.val = v;
                if let Some(e) = x.expr {
                    if let Some(info) = self.untyped.get_mut(&(self.env.file as u32, e)) {
                        info.val = x.val.clone();
                    }
                }
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
        let u = self.w.under(x.typ);
        if self.w.sig(u).is_some_and(|s| !s.tparams.is_empty()) {
            let msg = format!("cannot use generic function {} without instantiation in {context}", self.opnd(x));
            self.error(self.at(x), msg);
        }
        let Some(t) = t else { return };
        let mut reason = String::new();
        if !self.assignable_to(x, t, Some(&mut reason)).0 {
            let msg = if reason.is_empty() {
                format!("cannot use {} as type {} in {context}", self.opnd(x), self.ts(t))
            } else {
                format!("cannot use {} as type {} in {context}:\n\t{reason}", self.opnd(x), self.ts(t))
            };
            self.error(self.at(x), msg);
            x.mode = Mode::Invalid;
        }
    }

    /// Initializes constant `lhs` with `x`.
    pub(crate) fn init_const(&mut self, lhs: ObjId, x: &mut Operand) {
        let lt = self.w.obj(lhs).ty;
        if x.mode == Mode::Invalid || x.typ == TypeId::INVALID || lt == Some(TypeId::INVALID) {
            if lt.is_none() {
                self.w.obj_mut(lhs).ty = Some(TypeId::INVALID);
            }
            return;
        }
        if x.mode != Mode::Constant {
            let msg = format!("{} is not constant", self.opnd(x));
            self.error(self.at(x), msg);
            if lt.is_none() {
                self.w.obj_mut(lhs).ty = Some(TypeId::INVALID);
            }
            return;
        }
        if lt.is_none() {
            self.w.obj_mut(lhs).ty = Some(x.typ);
        }
        let t = self.w.obj(lhs).typ();
        self.assignment(x, Some(t), "constant declaration");
        if x.mode == Mode::Invalid {
            return;
        }
        if let super::object::ObjKind::Const { val } = &mut self.w.obj_mut(lhs).kind {
            *val = x.val.clone();
        }
    }

    /// Initializes variable `lhs` with `x`; returns the value's type (None on error).
    pub(crate) fn init_var(&mut self, lhs: ObjId, x: &mut Operand, context: &str) -> Option<TypeId> {
        let lt = self.w.obj(lhs).ty;
        if x.mode == Mode::Invalid || x.typ == TypeId::INVALID || lt == Some(TypeId::INVALID) {
            if lt.is_none() {
                self.w.obj_mut(lhs).ty = Some(TypeId::INVALID);
            }
            self.set_used(lhs);
            return None;
        }
        if lt.is_none() {
            let mut typ = x.typ;
            if self.w.is_untyped(typ) {
                if typ == BasicKind::UntypedNil.id() {
                    let msg = format!("use of untyped nil in {context}");
                    self.error(self.at(x), msg);
                    self.w.obj_mut(lhs).ty = Some(TypeId::INVALID);
                    return None;
                }
                typ = self.w.default_type(typ);
            }
            self.w.obj_mut(lhs).ty = Some(typ);
        }
        let t = self.w.obj(lhs).typ();
        self.assignment(x, Some(t), context);
        if x.mode == Mode::Invalid {
            self.set_used(lhs);
            return None;
        }
        Some(x.typ)
    }

    /// Assigns `x` to the expression `lhs` (types2's assignVar).
    pub(crate) fn assign_var(&mut self, lhs: ExprId, x: &mut Operand) -> Option<TypeId> {
        if x.mode == Mode::Invalid || x.typ == TypeId::INVALID {
            self.use_exprs(&[lhs]);
            return None;
        }
        let f = self.file();
        let ul = f.unparen(lhs);
        let ident = match f[ul].kind {
            ExprKind::Name(n) => Some((ul, n)),
            _ => None,
        };
        if let Some((id, n)) = ident {
            if n.is_blank() {
                self.record_def(id, None);
                self.assignment(x, None, "assignment to _ identifier");
                if x.mode == Mode::Invalid {
                    return None;
                }
                return Some(x.typ);
            }
        }
        // Assignments to a variable don't count as uses.
        let mut v: Option<(ObjId, bool)> = None;
        if let Some((_, n)) = ident {
            if let Some(o) = self.lookup(n) {
                if self.is_local_var(o) {
                    v = Some((o, self.w.obj(o).used()));
                }
            }
        }
        let mut z = Operand::default();
        self.expr(&mut z, lhs);
        if let Some((o, used)) = v {
            if let super::object::ObjKind::Var { used: u, .. } = &mut self.w.obj_mut(o).kind {
                *u = used;
            }
        }
        if z.mode == Mode::Invalid || z.typ == TypeId::INVALID {
            return None;
        }
        match z.mode {
            Mode::Variable | Mode::MapIndex => {}
            _ => {
                if let Some(ze) = z.expr {
                    if let ExprKind::Selector { x: sx, .. } = self.file()[ze].kind {
                        let mut op = Operand::default();
                        self.expr(&mut op, sx);
                        if op.mode == Mode::MapIndex {
                            let msg = format!("cannot assign to struct field {} in map", self.es(ze));
                            self.error(self.at(&z), msg);
                            return None;
                        }
                    }
                }
                let msg = format!("cannot assign to {}", self.opnd(&z));
                self.error(self.at(&z), msg);
                return None;
            }
        }
        self.assignment(x, Some(z.typ), "assignment");
        if x.mode == Mode::Invalid {
            return None;
        }
        Some(x.typ)
    }

    /// "(int, string)" summary of types in "have"/"want" lines.
    pub(crate) fn types_summary(&self, list: &[TypeId], variadic: bool) -> String {
        let parts: Vec<String> = list
            .iter()
            .enumerate()
            .map(|(i, &t)| {
                if t == TypeId::INVALID {
                    return "<T>".to_string();
                }
                if let Some(k) = self.w.basic_kind(t).filter(|k| k.is_untyped()) {
                    if k.is_numeric() {
                        return "number".into();
                    }
                    return k.name().replace("untyped ", "");
                }
                if variadic && i == list.len() - 1 {
                    if let Type::Slice(e) = self.w.ty(t) {
                        return format!("...{}", self.ts(*e));
                    }
                }
                self.ts(t)
            })
            .collect();
        format!("({})", parts.join(", "))
    }

    fn assign_error(&mut self, rhs: &[ExprId], nvars: usize, nvals: usize) {
        let measure = |n: usize, unit: &str| format!("{n} {unit}{}", if n == 1 { "" } else { "s" });
        let (vars, vals) = (measure(nvars, "variable"), measure(nvals, "value"));
        let rhs0 = rhs[0];
        if rhs.len() == 1 {
            let f = self.file();
            if let ExprKind::Call { fun, .. } = f[f.unparen(rhs0)].kind {
                let msg = format!("assignment mismatch: {vars} but {} returns {vals}", self.es(fun));
                self.err_expr(rhs0, msg);
                return;
            }
        }
        self.err_expr(rhs0, format!("assignment mismatch: {vars} but {vals}"));
    }

    /// Initializes `lhs` from `orig_rhs` (a return statement if `return_stmt`).
    pub(crate) fn init_vars(&mut self, lhs: &[ObjId], orig_rhs: &[ExprId], return_stmt: Option<StmtId>) {
        let (mut rhs, comma_ok) = self.expr_list(orig_rhs, lhs.len() == 2 && return_stmt.is_none());
        if lhs.len() != rhs.len() {
            for &o in lhs {
                self.set_used(o);
                if self.w.obj(o).ty.is_none() {
                    self.w.obj_mut(o).ty = Some(TypeId::INVALID);
                }
            }
            if rhs.iter().any(|x| x.mode == Mode::Invalid) {
                return;
            }
            if let Some(s) = return_stmt {
                let (at, qualifier) = if rhs.len() > lhs.len() {
                    (At::Expr(rhs[lhs.len()].expr.unwrap_or(orig_rhs[0])), "too many")
                } else if let Some(last) = rhs.last() {
                    (At::Expr(last.expr.unwrap_or(orig_rhs[0])), "not enough")
                } else {
                    (At::Pos(self.file()[s].pos), "not enough")
                };
                let have: Vec<TypeId> = rhs.iter().map(|x| x.typ).collect();
                let want: Vec<TypeId> = lhs.iter().map(|&o| self.w.obj(o).typ()).collect();
                let parts = vec![
                    (Some(at), format!("{qualifier} return values")),
                    (None, format!("have {}", self.types_summary(&have, false))),
                    (None, format!("want {}", self.types_summary(&want, false))),
                ];
                self.report(parts);
                return;
            }
            self.assign_error(orig_rhs, lhs.len(), rhs.len());
            return;
        }
        let context = if return_stmt.is_some() { "return statement" } else { "assignment" };
        if comma_ok {
            let mut a = [TypeId::INVALID; 2];
            for i in 0..2 {
                a[i] = self.init_var(lhs[i], &mut rhs[i], context).unwrap_or(TypeId::INVALID);
            }
            self.record_comma_ok_types(orig_rhs[0], a);
            return;
        }
        let mut ok = true;
        for (i, &l) in lhs.iter().enumerate() {
            if self.init_var(l, &mut rhs[i], context).is_none() {
                ok = false;
            }
        }
        if !ok {
            for &l in lhs {
                self.set_used(l);
            }
        }
    }

    /// Assigns `orig_rhs` to the expressions `lhs` (types2's assignVars).
    pub(crate) fn assign_vars(&mut self, lhs: &[ExprId], orig_rhs: &[ExprId]) {
        let (mut rhs, comma_ok) = self.expr_list(orig_rhs, lhs.len() == 2);
        if lhs.len() != rhs.len() {
            self.use_exprs(lhs);
            if rhs.iter().any(|x| x.mode == Mode::Invalid) {
                return;
            }
            self.assign_error(orig_rhs, lhs.len(), rhs.len());
            return;
        }
        if comma_ok {
            let mut a = [TypeId::INVALID; 2];
            for i in 0..2 {
                a[i] = self.assign_var(lhs[i], &mut rhs[i]).unwrap_or(TypeId::INVALID);
            }
            self.record_comma_ok_types(orig_rhs[0], a);
            return;
        }
        let mut ok = true;
        for (i, &l) in lhs.iter().enumerate() {
            if self.assign_var(l, &mut rhs[i]).is_none() {
                ok = false;
            }
        }
        if !ok {
            for &l in lhs {
                let f = self.file();
                if let ExprKind::Name(n) = f[f.unparen(l)].kind {
                    if let Some(o) = self.lookup(n) {
                        if self.is_local_var(o) {
                            self.set_used(o);
                        }
                    }
                }
            }
        }
    }

    /// `lhs := rhs`
    pub(crate) fn short_var_decl(&mut self, pos: crate::syntax::pos::Pos, lhs: &[ExprId], rhs: &[ExprId]) {
        let top = self.delayed_mark();
        let scope = self.scope();
        let f = self.file();
        let mut seen: Vec<Symbol> = Vec::new();
        let mut lhs_vars: Vec<Option<ObjId>> = vec![None; lhs.len()];
        let mut new_vars: Vec<ObjId> = Vec::new();
        let mut has_err = false;
        for (i, &l) in lhs.iter().enumerate() {
            let ExprKind::Name(name) = f[l].kind else {
                self.use_exprs(&[l]);
                let msg = format!("non-name {} on left side of :=", self.es(l));
                self.err_expr(l, msg);
                has_err = true;
                continue;
            };
            if !name.is_blank() {
                if seen.contains(&name) {
                    let msg = format!("{} repeated on left side of :=", self.es(l));
                    self.err_expr(l, msg);
                    has_err = true;
                    continue;
                }
                seen.push(name);
            }
            if let Some(alt) = self.w.scope(scope).lookup(name) {
                self.record_use(l, alt);
                if self.w.obj(alt).is_var() {
                    lhs_vars[i] = Some(alt);
                } else {
                    let msg = format!("cannot assign to {}", self.es(l));
                    self.err_expr(l, msg);
                    has_err = true;
                }
                continue;
            }
            let (fid, p) = self.here(l);
            let obj = self.w.new_var(fid, p, Some(self.pkg), name, None);
            lhs_vars[i] = Some(obj);
            if !name.is_blank() {
                new_vars.push(obj);
            }
            self.record_def(l, Some(obj));
        }
        let lhs_vars: Vec<ObjId> = lhs_vars
            .into_iter()
            .enumerate()
            .map(|(i, o)| {
                o.unwrap_or_else(|| {
                    let (fid, p) = self.here(lhs[i]);
                    self.w.new_var(fid, p, Some(self.pkg), Symbol::intern("_"), None)
                })
            })
            .collect();
        self.init_vars(&lhs_vars, rhs, None);
        self.process_delayed(top);
        if new_vars.is_empty() && !has_err {
            self.error(At::Pos(pos), "no new variables on left side of :=".into());
            return;
        }
        for obj in new_vars {
            self.declare(scope, None, obj);
        }
    }

    /// Evaluates a list of expressions (a single multi-valued call is expanded; with
    /// `allow_comma_ok` a single comma-ok expression yields a second boolean).
    pub(crate) fn expr_list(&mut self, elist: &[ExprId], allow_comma_ok: bool) -> (Vec<Operand>, bool) {
        match elist.len() {
            0 => (Vec::new(), false),
            1 => {
                let e = elist[0];
                let mut x = Operand::default();
                self.multi_expr(&mut x, e);
                if x.mode != Mode::Invalid {
                    if let Type::Tuple(vars) = self.w.ty(x.typ) {
                        let vars = vars.clone();
                        let list = vars
                            .iter()
                            .map(|&v| Operand {
                                mode: Mode::Value,
                                expr: Some(e),
                                typ: self.w.obj(v).typ(),
                                ..Operand::default()
                            })
                            .collect();
                        return (list, false);
                    }
                }
                if allow_comma_ok && matches!(x.mode, Mode::MapIndex | Mode::CommaOk | Mode::CommaErr) {
                    x.mode = Mode::Value;
                    let ok = Operand {
                        mode: Mode::Value,
                        expr: Some(e),
                        typ: BasicKind::UntypedBool.id(),
                        ..Operand::default()
                    };
                    return (vec![x, ok], true);
                }
                (vec![x], false)
            }
            _ => {
                let list = elist
                    .iter()
                    .map(|&e| {
                        let mut x = Operand::default();
                        self.expr(&mut x, e);
                        x
                    })
                    .collect();
                (list, false)
            }
        }
    }

    /// The elements of a possibly-list expression of the current file.
    pub(crate) fn unpack(&self, e: Option<ExprId>) -> Vec<ExprId> {
        unpack(self.file(), e)
    }
}
