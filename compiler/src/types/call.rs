//! Calls, function instantiation and selectors (types2's call.go).

use super::check::{At, Checker};
use super::expr::ExprClass;
use super::infer::is_parameterized;
use super::object::{ObjId, ObjKind};
use super::operand::{Mode, Operand};
use super::ty::*;
use super::SelectionKind;
use crate::syntax::ast::{ExprId, ExprKind};
use crate::syntax::intern::Symbol;

impl<'a> Checker<'a> {
    /// Explicit instantiation `f[T]` of a generic function (without call).
    pub(crate) fn func_inst(&mut self, x: &mut Operand, inst: ExprId) {
        if !self.allow_version(Some(self.pkg), 1, 18) {
            let pos = self.file()[inst].pos;
            self.version_error(At::Pos(pos), "go1.18", "function instantiation".into());
        }
        let xlist = self.index_list(inst);
        let Some(mut targs) = self.type_list(&xlist) else {
            x.mode = Mode::Invalid;
            x.expr = Some(inst);
            return;
        };
        let sig = self.w.under(x.typ);
        let tparams = self.w.sig(sig).map(|s| s.tparams.clone()).unwrap_or_default();
        let (got, want) = (targs.len(), tparams.len());
        if got > want {
            let msg = format!("got {got} type arguments but want {want}");
            self.err_expr(xlist[got - 1], msg);
            x.mode = Mode::Invalid;
            x.expr = Some(inst);
            return;
        }
        let pos = self.file()[inst].pos;
        if got < want {
            let empty = self.w.empty_tuple;
            match self.infer(At::Pos(pos), &tparams, &targs, empty, &[]) {
                Some(t) => targs = t,
                None => {
                    x.mode = Mode::Invalid;
                    x.expr = Some(inst);
                    return;
                }
            }
        }
        let xpos = x.expr.map_or(pos, |e| self.start_pos(e));
        let res = self.instantiate_signature(xpos, sig, &targs, &xlist);
        if let ExprKind::Index { x: fun, .. } = self.file()[inst].kind {
            self.record_instance(fun, targs, res);
        }
        x.typ = res;
        x.mode = Mode::Value;
        x.expr = Some(inst);
    }

    /// The instance of generic signature `sig`; verifies the type arguments later.
    fn instantiate_signature(
        &mut self,
        pos: crate::syntax::pos::Pos,
        sig: TypeId,
        targs: &[TypeId],
        xlist: &[ExprId],
    ) -> TypeId {
        let inst = self.w.instantiate_signature(sig, targs);
        let tparams = self.w.sig(sig).map(|s| s.tparams.clone()).unwrap_or_default();
        let targs = targs.to_vec();
        let xlist = xlist.to_vec();
        self.later(move |c| {
            if let Err((i, msg)) = c.verify(&tparams, &targs) {
                let at = xlist.get(i).map_or(At::Pos(pos), |&e| At::Expr(e));
                c.error(at, msg);
            } else {
                let fid = c.file_id();
                c.mono_record_instance((fid, pos), &tparams, &targs, &xlist);
            }
        });
        inst
    }

    /// Checks a call (or conversion, or built-in call).
    pub(crate) fn call_expr(&mut self, x: &mut Operand, call: ExprId) -> ExprClass {
        let f = self.file();
        let ExprKind::Call { fun, args, has_dots } = f[call].kind else { return ExprClass::Statement };
        let args_e = f[args].to_vec();
        let mut inst: Option<ExprId> = None;
        if let ExprKind::Index { .. } = f[fun].kind {
            if self.index_expr(x, fun) {
                inst = Some(fun);
            }
            x.expr = Some(fun);
            self.record(x);
        } else {
            self.expr_or_type(x, fun, true);
        }
        match x.mode {
            Mode::Invalid => {
                self.use_exprs(&args_e);
                x.expr = Some(call);
                return ExprClass::Statement;
            }
            Mode::TypeExpr => {
                self.non_generic(x);
                if x.mode == Mode::Invalid {
                    return ExprClass::Conversion;
                }
                let t = x.typ;
                x.mode = Mode::Invalid;
                match args_e.len() {
                    0 => {
                        let msg = format!("missing argument in conversion to {}", self.ts(t));
                        self.err_expr(call, msg);
                    }
                    1 => {
                        self.expr(x, args_e[0]);
                        if x.mode != Mode::Invalid {
                            let tu = self.w.under(t);
                            if matches!(self.w.ty(tu), Type::Interface(_)) && !self.w.is_type_param(t) {
                                let ts = self.w.type_set(tu);
                                if !self.w.type_set_data(ts).is_method_set() {
                                    let msg = format!(
                                        "cannot use interface {} in conversion (contains specific type constraints or is comparable)",
                                        self.ts(t)
                                    );
                                    self.err_expr(call, msg);
                                    x.mode = Mode::Invalid;
                                    x.expr = Some(call);
                                    return ExprClass::Conversion;
                                }
                            }
                            if has_dots {
                                let msg = format!("invalid use of ... in type conversion to {}", self.ts(t));
                                self.err_expr(args_e[0], msg);
                                x.mode = Mode::Invalid;
                            } else {
                                self.conversion(x, t);
                            }
                        }
                    }
                    n => {
                        self.use_exprs(&args_e);
                        let msg = format!("too many arguments in conversion to {}", self.ts(t));
                        self.err_expr(args_e[n - 1], msg);
                    }
                }
                x.expr = Some(call);
                return ExprClass::Conversion;
            }
            Mode::Builtin => {
                let id = x.id;
                let ok = id.is_some_and(|b| self.builtin(x, call, b));
                if !ok {
                    x.mode = Mode::Invalid;
                }
                x.expr = Some(call);
                if x.mode != Mode::Invalid && x.mode != Mode::Constant {
                    self.env.has_call_or_recv = true;
                }
                let stmt = id.is_some_and(|b| b.arity().2);
                return if stmt { ExprClass::Statement } else { ExprClass::Expression };
            }
            _ => {}
        }
        let core = self.w.core_type(x.typ);
        let Some(sig) = core.filter(|&c| self.w.sig(c).is_some()) else {
            let msg = format!("invalid operation: cannot call non-function {}", self.opnd(x));
            self.error(self.at(x), msg);
            x.mode = Mode::Invalid;
            x.expr = Some(call);
            return ExprClass::Statement;
        };
        let mut xlist = Vec::new();
        let mut targs = Vec::new();
        if let Some(inst) = inst {
            xlist = self.index_list(inst);
            let Some(t) = self.type_list(&xlist) else {
                self.use_exprs(&args_e);
                x.mode = Mode::Invalid;
                x.expr = Some(call);
                return ExprClass::Statement;
            };
            targs = t;
            let want = self.w.sig(sig).map_or(0, |s| s.tparams.len());
            if targs.len() > want {
                let msg = format!("got {} type arguments but want {want}", targs.len());
                self.err_expr(xlist[want], msg);
                self.use_exprs(&args_e);
                x.mode = Mode::Invalid;
                x.expr = Some(call);
                return ExprClass::Statement;
            }
        }
        let (args, _) = self.expr_list(&args_e, false);
        let is_generic = self.w.sig(sig).is_some_and(|s| !s.tparams.is_empty());
        let rsig = self.arguments(call, sig, &targs, args, &xlist);
        let rs = self.w.sig(rsig).cloned();
        if is_generic && rs.as_ref().is_some_and(|s| s.tparams.is_empty()) {
            self.record_type_and_value(fun, Mode::Value, rsig, None);
        }
        let results = rs.as_ref().map_or(self.w.empty_tuple, |s| s.results);
        match self.w.tuple_len(results) {
            0 => x.mode = Mode::NoValue,
            1 => {
                x.mode = Mode::Value;
                x.typ = self.w.tuple_type(results, 0);
            }
            _ => {
                x.mode = Mode::Value;
                x.typ = results;
            }
        }
        x.expr = Some(call);
        self.env.has_call_or_recv = true;
        if x.mode == Mode::Value {
            if let Some(s) = rs.filter(|s| !s.tparams.is_empty()) {
                if is_parameterized(self.w, &s.tparams, x.typ) {
                    x.mode = Mode::Invalid;
                }
            }
        }
        ExprClass::Statement
    }

    /// Checks the arguments of a call of `sig`; returns the (instantiated) signature.
    pub(crate) fn arguments(
        &mut self,
        call: ExprId,
        sig: TypeId,
        targs: &[TypeId],
        mut args: Vec<Operand>,
        xlist: &[ExprId],
    ) -> TypeId {
        let f = self.file();
        let ExprKind::Call { fun, args: arg_list, has_dots } = f[call].kind else { return sig };
        for a in &args {
            match a.mode {
                Mode::TypeExpr => {
                    let msg = format!("{} used as value", self.opnd(a));
                    self.error(self.at(a), msg);
                    return sig;
                }
                Mode::Invalid => return sig,
                _ => {}
            }
        }
        let Some(s) = self.w.sig(sig).cloned() else { return sig };
        let nargs = args.len();
        let mut npars = self.w.tuple_len(s.params);
        let mut sig_params = s.params;
        let mut adjusted = false;
        if s.variadic {
            if has_dots {
                if arg_list.len() == 1 && nargs > 1 {
                    let msg = format!("cannot use ... with {nargs}-valued {}", self.es(f[arg_list][0]));
                    self.err_expr(call, msg);
                    return sig;
                }
            } else if nargs + 1 >= npars {
                let pvars = self.w.tuple_vars(s.params).to_vec();
                let mut vars: Vec<ObjId> = pvars[..npars - 1].to_vec();
                let last = pvars[npars - 1];
                let lo = self.w.obj(last).clone();
                let elem = match self.w.ty(lo.typ()) {
                    Type::Slice(e) => *e,
                    _ => TypeId::INVALID,
                };
                while vars.len() < nargs {
                    vars.push(self.w.new_param(lo.file, lo.pos, lo.pkg, lo.name, elem));
                }
                sig_params = self.w.tuple(vars);
                adjusted = true;
                npars = nargs;
            } else {
                npars -= 1;
            }
        } else if has_dots {
            let msg = format!("cannot use ... in call to non-variadic {}", self.es(fun));
            self.err_expr(call, msg);
            return sig;
        }
        if nargs != npars {
            let (at, qualifier) = if nargs > npars {
                (At::Expr(args[npars].expr.unwrap_or(call)), "too many")
            } else if nargs > 0 {
                (At::Expr(args[nargs - 1].expr.unwrap_or(call)), "not enough")
            } else {
                (At::Expr(call), "not enough")
            };
            let have: Vec<TypeId> = args.iter().map(|a| a.typ).collect();
            let want: Vec<TypeId> = self.w.tuple_vars(s.params).iter().map(|&v| self.w.obj(v).typ()).collect();
            let parts = vec![
                (Some(at), format!("{qualifier} arguments in call to {}", self.es(fun))),
                (None, format!("have {}", self.types_summary(&have, false))),
                (None, format!("want {}", self.types_summary(&want, s.variadic))),
            ];
            self.report(parts);
            return sig;
        }
        let mut rsig = sig;
        if !s.tparams.is_empty() {
            let pos = f[call].pos;
            if !self.allow_version(Some(self.pkg), 1, 18) {
                match f[fun].kind {
                    ExprKind::Index { .. } => {
                        self.version_error(At::Pos(f[fun].pos), "go1.18", "function instantiation".into())
                    }
                    _ => self.version_error(At::Pos(pos), "go1.18", "implicit function instantiation".into()),
                }
            }
            let Some(targs) = self.infer(At::Pos(pos), &s.tparams, targs, sig_params, &args) else { return sig };
            rsig = self.instantiate_signature(pos, sig, &targs, xlist);
            self.record_instance(fun, targs.clone(), rsig);
            if adjusted {
                let smap = super::subst::SubstMap::new(&s.tparams, &targs);
                sig_params = self.w.subst(sig_params, &smap);
            } else {
                sig_params = self.w.sig(rsig).map_or(sig_params, |r| r.params);
            }
        }
        if !args.is_empty() {
            let context = format!("argument to {}", self.es(fun));
            for (i, a) in args.iter_mut().enumerate() {
                let pt = self.w.tuple_type(sig_params, i);
                self.assignment(a, Some(pt), &context);
            }
        }
        rsig
    }

    /// Checks a selector expression `x.sel` (qualified identifier, field, method value or
    /// method expression).
    pub(crate) fn selector(&mut self, x: &mut Operand, e: ExprId, def: Option<TypeId>) {
        let f = self.file();
        let ExprKind::Selector { x: xe, sel: sel_e } = f[e].kind else { return };
        let sel = f.name(sel_e);
        if let ExprKind::Name(ident) = f[xe].kind {
            if let Some(obj) = self.lookup(ident) {
                if let ObjKind::PkgName { imported, .. } = self.w.obj(obj).kind {
                    self.record_use(xe, obj);
                    self.set_used(obj);
                    self.qualified_ident(x, e, sel_e, sel, imported);
                    return;
                }
            }
        }
        self.expr_or_type(x, xe, false);
        match x.mode {
            Mode::TypeExpr if def.is_some() && Some(x.typ) == def => {
                let obj = self.w.named(x.typ).map(|n| n.obj);
                if let Some(o) = obj {
                    self.cycle_error(&[o]);
                }
                return self.selector_error(x, e);
            }
            Mode::Builtin => {
                let msg = format!("cannot select on {}", self.opnd(x));
                self.error(At::Pos(f[e].pos), msg);
                return self.selector_error(x, e);
            }
            Mode::Invalid => return self.selector_error(x, e),
            _ => {}
        }
        let lk = self.w.lookup_field_or_method(x.typ, x.mode == Mode::Variable, Some(self.pkg), sel);
        let Some(obj) = lk.obj else {
            self.selector_not_found(x, e, sel_e, sel, &lk);
            return self.selector_error(x, e);
        };
        if self.w.obj(obj).is_func() {
            self.obj_decl(obj, None);
        }
        if x.mode == Mode::TypeExpr {
            if !self.w.obj(obj).is_func() {
                let msg = format!("{}.{sel} undefined (type {} has no method {sel})", self.es(xe), self.ts(x.typ));
                self.err_expr(sel_e, msg);
                return self.selector_error(x, e);
            }
            self.record_selection(e, SelectionKind::MethodExpr, x.typ, obj, lk.index, lk.indirect);
            let msig = self.w.obj(obj).typ();
            let Some(s) = self.w.sig(msig).cloned() else { return self.selector_error(x, e) };
            let Some(recv) = s.recv else {
                self.err_expr(e, "illegal cycle in method declaration".into());
                return self.selector_error(x, e);
            };
            let params = self.w.tuple_vars(s.params).to_vec();
            let mut name = Symbol::intern("");
            if let Some(&p0) = params.first() {
                if !self.w.obj(p0).name.as_str().is_empty() {
                    name = self.w.obj(recv).name;
                    if name.as_str().is_empty() {
                        name = Symbol::intern("_");
                    }
                }
            }
            let ro = self.w.obj(recv).clone();
            let rv = self.w.new_var(ro.file, ro.pos, ro.pkg, name, Some(x.typ));
            let mut all = vec![rv];
            all.extend(params);
            let ptup = self.w.tuple(all);
            let nsig = Signature { recv: None, rparams: Vec::new(), params: ptup, scope: None, ..s };
            x.mode = Mode::Value;
            x.typ = self.w.add_type(Type::Signature(Box::new(nsig)));
            self.add_decl_dep(obj);
        } else {
            match self.w.obj(obj).kind {
                ObjKind::Var { .. } => {
                    self.record_selection(e, SelectionKind::FieldVal, x.typ, obj, lk.index, lk.indirect);
                    x.mode = if x.mode == Mode::Variable || lk.indirect { Mode::Variable } else { Mode::Value };
                    x.typ = self.w.obj(obj).typ();
                }
                ObjKind::Func { .. } => {
                    self.record_selection(e, SelectionKind::MethodVal, x.typ, obj, lk.index, lk.indirect);
                    x.mode = Mode::Value;
                    let msig = self.w.obj(obj).typ();
                    let mut s = self.w.sig(msig).cloned().unwrap_or_else(|| Signature {
                        recv: None,
                        rparams: Vec::new(),
                        tparams: Vec::new(),
                        params: self.w.empty_tuple,
                        results: self.w.empty_tuple,
                        variadic: false,
                        scope: None,
                    });
                    s.recv = None;
                    x.typ = self.w.add_type(Type::Signature(Box::new(s)));
                    self.add_decl_dep(obj);
                }
                _ => return self.selector_error(x, e),
            }
        }
        x.expr = Some(e);
    }

    fn selector_error(&mut self, x: &mut Operand, e: ExprId) {
        x.mode = Mode::Invalid;
        x.expr = Some(e);
    }

    fn qualified_ident(
        &mut self,
        x: &mut Operand,
        e: ExprId,
        sel_e: ExprId,
        sel: Symbol,
        pkg: super::world::PackageId,
    ) {
        let scope = self.w.pkg(pkg).scope;
        let Some(exp) = self.w.scope(scope).lookup(sel) else {
            if !self.w.pkg(pkg).fake {
                let msg = format!("undefined: {}.{sel}", self.w.pkg(pkg).name);
                self.err_expr(sel_e, msg);
            }
            return self.selector_error(x, e);
        };
        if !self.w.obj(exp).exported() {
            // gc sees imported packages through export data, which has no unexported
            // objects: they are undefined.
            let msg = format!("undefined: {}.{sel}", self.w.pkg(pkg).name);
            self.err_expr(sel_e, msg);
            return self.selector_error(x, e);
        }
        self.record_use(sel_e, exp);
        let o = self.w.obj(exp).clone();
        match o.kind.clone() {
            ObjKind::Const { val } => {
                x.mode = Mode::Constant;
                x.typ = o.typ();
                x.val = val;
            }
            ObjKind::TypeName => {
                x.mode = Mode::TypeExpr;
                x.typ = o.typ();
            }
            ObjKind::Var { .. } => {
                x.mode = Mode::Variable;
                x.typ = o.typ();
            }
            ObjKind::Func { .. } => {
                x.mode = Mode::Value;
                x.typ = o.typ();
            }
            ObjKind::Builtin(b) => {
                x.mode = Mode::Builtin;
                x.typ = o.typ();
                x.id = Some(b);
            }
            _ => return self.selector_error(x, e),
        }
        x.expr = Some(e);
    }

    fn selector_not_found(&mut self, x: &Operand, _e: ExprId, sel_e: ExprId, sel: Symbol, lk: &super::lookup::Lookup) {
        if self.w.under(x.typ) == TypeId::INVALID {
            return;
        }
        let xs = x.expr.map(|xe| self.es(xe)).unwrap_or_default();
        if !lk.index.is_empty() {
            self.err_expr(sel_e, format!("ambiguous selector {xs}.{sel}"));
            return;
        }
        if lk.indirect {
            let msg = format!("cannot call pointer method {sel} on {}", self.ts(x.typ));
            self.err_expr(sel_e, msg);
            return;
        }
        let why = if self.w.is_interface_ptr(x.typ) {
            self.interface_ptr_error(x.typ)
        } else {
            let mut why = format!("type {} has no field or method {sel}", self.ts(x.typ));
            let s = sel.as_str();
            if let Some(c) = s.chars().next() {
                let changed: String = if c.is_uppercase() {
                    c.to_lowercase().chain(s[c.len_utf8()..].chars()).collect()
                } else {
                    c.to_uppercase().chain(s[c.len_utf8()..].chars()).collect()
                };
                let alt = self.w.lookup_field_or_method(
                    x.typ,
                    x.mode == Mode::Variable,
                    Some(self.pkg),
                    Symbol::intern(&changed),
                );
                if alt.obj.is_some() {
                    why.push_str(&format!(", but does have {changed}"));
                }
            }
            why
        };
        self.err_expr(sel_e, format!("{xs}.{sel} undefined ({why})"));
    }
}
