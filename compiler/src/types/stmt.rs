//! Function bodies and statements (types2's stmt.go). Branch statements are checked by
//! the syntax stage's branch checks (gc runs those as part of parsing), so labels, break, continue, goto
//! and fallthrough are not checked here.

use super::check::{At, Checker, Env};
use super::constant::{ConstValue, ValueKind};
use super::object::{ObjId, ObjKind};
use super::operand::{Mode, Operand};
use super::resolver::unpack;
use super::ty::*;
use super::Implicit;
use crate::syntax::ast::{BlockId, ExprId, ExprKind, StmtId, StmtKind};
use crate::syntax::intern::Symbol;
use crate::syntax::pos::Pos;
use crate::syntax::token::{Operator, Token};

impl<'a> Checker<'a> {
    /// Checks the body of a function or function literal with signature `sig`.
    pub(crate) fn func_body(
        &mut self,
        decl: Option<ObjId>,
        _name: &str,
        sig: TypeId,
        body: BlockId,
        iota: Option<ConstValue>,
    ) {
        let scope = self.w.sig(sig).and_then(|s| s.scope);
        let file = self.env.file;
        let top_sig_generic = if _name == "<function literal>" {
            self.env.top_sig_generic
        } else {
            self.w.sig(sig).is_some_and(|s| !s.tparams.is_empty() || !s.rparams.is_empty())
        };
        let env = Env { file, decl, scope, iota, sig: Some(sig), top_sig_generic, ..Env::default() };
        let saved = std::mem::replace(&mut self.env, env);
        let f = self.file();
        let stmts = f[f[body].stmts].to_vec();
        self.stmt_list(&stmts);
        let results = self.w.sig(sig).map_or(self.w.empty_tuple, |s| s.results);
        if self.w.tuple_len(results) > 0 && !self.is_terminating_body(body) {
            self.error(At::Pos(f[body].rbrace), "missing return".into());
        }
        if let Some(scope) = scope {
            self.usage(scope);
        }
        self.env = saved;
    }

    /// Reports unused variables of `scope` and its nested (non-function) scopes.
    fn usage(&mut self, scope: super::scope::ScopeId) {
        let mut unused: Vec<ObjId> = self
            .w
            .scope(scope)
            .elems()
            .iter()
            .map(|&(_, o)| o)
            .filter(|&o| matches!(self.w.obj(o).kind, ObjKind::Var { used: false, .. }))
            .collect();
        unused.sort_by_key(|&o| (self.w.obj(o).pos.line, self.w.obj(o).pos.col));
        for v in unused {
            let msg = format!("{} declared but not used", self.w.obj(v).name);
            self.error(At::Obj(v), msg);
        }
        for child in self.w.scope(scope).children.clone() {
            if !self.w.scope(child).is_func {
                self.usage(child);
            }
        }
    }

    fn stmt_list(&mut self, list: &[StmtId]) {
        for &s in list {
            self.stmt(s);
        }
    }

    fn simple_stmt(&mut self, s: Option<StmtId>) {
        if let Some(s) = s {
            self.stmt(s);
        }
    }

    fn block(&mut self, b: BlockId) {
        let f = self.file();
        self.open_scope("block");
        let stmts = f[f[b].stmts].to_vec();
        self.stmt_list(&stmts);
        self.close_scope();
    }

    /// Checks one statement (and the function literals in it, before scopes change).
    pub(crate) fn stmt(&mut self, s: StmtId) {
        let top = self.delayed_mark();
        self.stmt_inner(s);
        self.process_delayed(top);
    }

    fn stmt_inner(&mut self, s: StmtId) {
        let f = self.file();
        match f[s].kind.clone() {
            StmtKind::Empty => {}
            StmtKind::Decl(list) => {
                let list = f[list].to_vec();
                self.decl_stmt_pos = Some(f[s].pos);
                self.decl_stmt(&list);
                self.decl_stmt_pos = None;
            }
            StmtKind::Labeled { stmt, .. } => {
                self.env.has_label = true;
                self.stmt(stmt);
            }
            StmtKind::Expr(e) => self.expr_stmt(e),
            StmtKind::Send { chan, value } => self.send_stmt(s, chan, value),
            StmtKind::Assign { op, lhs, rhs } => self.assign_stmt(s, op, lhs, rhs),
            StmtKind::CallStmt { tok, call } => {
                let kind = if tok == Token::Defer { "defer" } else { "go" };
                self.suspended_call(kind, call);
            }
            StmtKind::Return { results } => self.return_stmt(s, results),
            StmtKind::Branch { label, .. } => {
                if label.is_some() {
                    self.env.has_label = true;
                }
            }
            StmtKind::Block(b) => self.block(b),
            StmtKind::If { init, cond, then, else_ } => {
                self.open_scope("if");
                self.simple_stmt(init);
                if let Some(cond) = cond {
                    let mut x = Operand::default();
                    self.expr(&mut x, cond);
                    if x.mode != Mode::Invalid && !self.w.all_boolean(x.typ) {
                        self.err_expr(cond, "non-boolean condition in if statement".into());
                    }
                }
                self.block(then);
                if let Some(e) = else_ {
                    self.stmt(e);
                }
                self.close_scope();
            }
            StmtKind::Switch { init, tag, body, rbrace } => {
                self.open_scope("switch");
                self.simple_stmt(init);
                let is_type_switch = tag.is_some_and(|t| matches!(f[t].kind, ExprKind::TypeSwitchGuard { .. }));
                if is_type_switch {
                    self.type_switch_stmt(tag.unwrap_or(s_dummy()), body);
                } else {
                    self.switch_stmt(tag, body, rbrace);
                }
                self.close_scope();
            }
            StmtKind::Select { body, .. } => self.select_stmt(body),
            StmtKind::For { init, cond, post, body } => {
                if let Some(i) = init {
                    if let StmtKind::Range { lhs, def, x } = f[i].kind {
                        self.range_stmt(s, lhs, def, x, body);
                        return;
                    }
                }
                self.open_scope("for");
                self.simple_stmt(init);
                if let Some(cond) = cond {
                    let mut x = Operand::default();
                    self.expr(&mut x, cond);
                    if x.mode != Mode::Invalid && !self.w.all_boolean(x.typ) {
                        self.err_expr(cond, "non-boolean condition in for statement".into());
                    }
                }
                self.simple_stmt(post);
                if let Some(p) = post {
                    if let StmtKind::Assign { op: Some(Operator::Def), lhs, .. } = f[p].kind {
                        self.use_exprs(&[lhs]);
                    }
                }
                self.block(body);
                self.close_scope();
            }
            StmtKind::Range { .. } => self.error(At::Pos(f[s].pos), "invalid statement".into()),
        }
    }

    fn expr_stmt(&mut self, e: ExprId) {
        let mut x = Operand::default();
        let kind = self.raw_expr(&mut x, e, None, false);
        let msg = match x.mode {
            Mode::Builtin => "must be called",
            Mode::TypeExpr => "is not an expression",
            _ => {
                if kind == super::expr::ExprClass::Statement {
                    return;
                }
                "is not used"
            }
        };
        let msg = format!("{} {msg}", self.opnd(&x));
        self.error(self.at(&x), msg);
    }

    fn send_stmt(&mut self, s: StmtId, chan: ExprId, value: ExprId) {
        let (mut ch, mut val) = (Operand::default(), Operand::default());
        self.expr(&mut ch, chan);
        self.expr(&mut val, value);
        if ch.mode == Mode::Invalid || val.mode == Mode::Invalid {
            return;
        }
        let at = At::Pos(self.stmt_start(s));
        let Some(u) = self.w.core_type(ch.typ) else {
            let msg = format!("invalid operation: cannot send to {}: no core type", self.opnd(&ch));
            self.error(at, msg);
            return;
        };
        let Type::Chan(dir, elem) = *self.w.ty(u) else {
            let msg = format!("invalid operation: cannot send to non-channel {}", self.opnd(&ch));
            self.error(at, msg);
            return;
        };
        if dir == ChanDir::Recv {
            let msg = format!("invalid operation: cannot send to receive-only channel {}", self.opnd(&ch));
            self.error(at, msg);
            return;
        }
        self.assignment(&mut val, Some(elem), "send");
    }

    fn assign_stmt(&mut self, s: StmtId, op: Option<Operator>, lhs: ExprId, rhs: Option<ExprId>) {
        let f = self.file();
        let lhs_list = unpack(f, Some(lhs));
        let Some(rhs) = rhs else {
            // x++ or x--
            let op = op.unwrap_or(Operator::Add);
            if lhs_list.len() != 1 {
                let o = op.as_str();
                self.error(At::Pos(self.stmt_start(s)), format!("invalid AST: {o}{o} requires one operand"));
                return;
            }
            let mut x = Operand::default();
            self.expr(&mut x, lhs_list[0]);
            if x.mode == Mode::Invalid {
                return;
            }
            if !self.w.all_numeric(x.typ) {
                let o = op.as_str();
                let msg =
                    format!("invalid operation: {}{o}{o} (non-numeric type {})", self.es(lhs_list[0]), self.ts(x.typ));
                self.err_expr(lhs_list[0], msg);
                return;
            }
            self.assign_var(lhs_list[0], &mut x);
            return;
        };
        let rhs_list = unpack(f, Some(rhs));
        match op {
            None => self.assign_vars(&lhs_list, &rhs_list),
            Some(Operator::Def) => self.short_var_decl(f[s].pos, &lhs_list, &rhs_list),
            Some(op) => {
                if lhs_list.len() != 1 || rhs_list.len() != 1 {
                    let msg = format!("assignment operation {} requires single-valued expressions", op.as_str());
                    self.error(At::Pos(self.stmt_start(s)), msg);
                    return;
                }
                let mut x = Operand::default();
                self.binary(&mut x, None, lhs_list[0], rhs_list[0], op);
                self.assign_var(lhs_list[0], &mut x);
            }
        }
    }

    fn suspended_call(&mut self, keyword: &str, call: ExprId) {
        let mut x = Operand::default();
        let msg = match self.raw_expr(&mut x, call, None, false) {
            super::expr::ExprClass::Conversion => "requires function call, not conversion",
            super::expr::ExprClass::Expression => "discards result of",
            super::expr::ExprClass::Statement => return,
        };
        let msg = format!("{keyword} {msg} {}", self.opnd(&x));
        self.error(self.at(&x), msg);
    }

    fn return_stmt(&mut self, s: StmtId, results: Option<ExprId>) {
        let Some(sig) = self.env.sig else { return };
        let res = self.w.sig(sig).map_or(self.w.empty_tuple, |s| s.results);
        let res_vars = self.w.tuple_vars(res).to_vec();
        let results = self.unpack(results);
        if results.is_empty() && !res_vars.is_empty() && !self.w.obj(res_vars[0]).name.as_str().is_empty() {
            for obj in res_vars {
                let name = self.w.obj(obj).name;
                if let Some(alt) = self.lookup(name) {
                    if alt != obj {
                        let parts = vec![
                            (
                                Some(At::Pos(self.file()[s].pos)),
                                format!("result parameter {name} not in scope at return"),
                            ),
                            (Some(At::Obj(alt)), format!("inner declaration of {}", self.os(alt))),
                        ];
                        self.report(parts);
                    }
                }
            }
        } else {
            self.init_vars(&res_vars, &results, Some(s));
        }
    }

    // ------------------------------------------------------------------------------------
    // Switch and select

    fn multiple_defaults(&mut self, clauses: &[(Pos, bool)]) {
        let mut first: Option<Pos> = None;
        for &(pos, is_default) in clauses {
            if !is_default {
                continue;
            }
            match first {
                Some(fp) => {
                    let fs = self.pos_string((self.file_id(), fp));
                    self.error(At::Pos(pos), format!("multiple defaults (first at {fs})"));
                }
                None => first = Some(pos),
            }
        }
    }

    fn switch_stmt(
        &mut self,
        tag: Option<ExprId>,
        body: crate::syntax::ast::List<crate::syntax::ast::CaseClause>,
        rbrace: Pos,
    ) {
        let f = self.file();
        let clauses = f[body].to_vec();
        let mut x = Operand::default();
        match tag {
            Some(tag) => {
                self.expr(&mut x, tag);
                self.assignment(&mut x, None, "switch expression");
                if x.mode != Mode::Invalid && !self.w.comparable(x.typ) && !self.w.has_nil(x.typ) {
                    let msg = format!("cannot switch on {} ({} is not comparable)", self.opnd(&x), self.ts(x.typ));
                    self.error(self.at(&x), msg);
                    x.mode = Mode::Invalid;
                }
            }
            None => {
                x.mode = Mode::Constant;
                x.typ = BasicKind::Bool.id();
                x.val = ConstValue::Bool(true);
                x.expr = None;
                let _ = clauses.first().map_or(rbrace, |c| c.pos);
            }
        }
        let defaults: Vec<(Pos, bool)> = clauses.iter().map(|c| (c.pos, c.cases.is_none())).collect();
        self.multiple_defaults(&defaults);
        let mut seen: Vec<(String, Pos, TypeId)> = Vec::new();
        for c in clauses {
            let cases = unpack(f, c.cases);
            self.case_values(&x, &cases, &mut seen);
            self.open_scope("case");
            let stmts = f[c.body].to_vec();
            self.stmt_list(&stmts);
            self.close_scope();
        }
    }

    fn case_values(&mut self, x: &Operand, values: &[ExprId], seen: &mut Vec<(String, Pos, TypeId)>) {
        for &e in values {
            let mut v = Operand::default();
            self.expr(&mut v, e);
            if x.mode == Mode::Invalid || v.mode == Mode::Invalid {
                continue;
            }
            self.convert_untyped(&mut v, x.typ);
            if v.mode == Mode::Invalid {
                continue;
            }
            let mut res = v.clone();
            self.comparison(&mut res, x, Operator::Eql, true);
            if res.mode == Mode::Invalid || v.mode != Mode::Constant {
                continue;
            }
            let Some(key) = go_val(&v.val) else { continue };
            let pos = self.file()[e].pos;
            let mut dup = None;
            for (k, p, t) in seen.iter() {
                if *k == key && self.w.identical(v.typ, *t) {
                    dup = Some(*p);
                    break;
                }
            }
            if let Some(p) = dup {
                let parts = vec![
                    (Some(At::Expr(e)), format!("duplicate case {} in expression switch", self.opnd(&v))),
                    (Some(At::Pos(p)), "previous case".to_string()),
                ];
                self.report(parts);
                continue;
            }
            seen.push((key, pos, v.typ));
        }
    }

    fn type_switch_stmt(&mut self, guard: ExprId, body: crate::syntax::ast::List<crate::syntax::ast::CaseClause>) {
        let f = self.file();
        let ExprKind::TypeSwitchGuard { lhs, x: gx } = f[guard].kind else { return };
        let mut lhs = lhs;
        if let Some(l) = lhs {
            if f.name(l).is_blank() {
                self.err_expr(l, "no new variable on left side of :=".into());
                lhs = None;
            } else {
                self.record_def(l, None);
            }
        }
        let mut x = Operand::default();
        self.expr(&mut x, gx);
        if x.mode == Mode::Invalid {
            return;
        }
        let mut sx: Option<Operand> = None;
        if self.w.is_type_param(x.typ) {
            let msg = format!("cannot use type switch on type parameter value {}", self.opnd(&x));
            self.error(self.at(&x), msg);
        } else if self.w.is_interface(x.typ) {
            sx = Some(x.clone());
        } else {
            let msg = format!("{} is not an interface", self.opnd(&x));
            self.error(self.at(&x), msg);
        }
        let clauses = f[body].to_vec();
        let defaults: Vec<(Pos, bool)> = clauses.iter().map(|c| (c.pos, c.cases.is_none())).collect();
        self.multiple_defaults(&defaults);
        let mut lhs_vars = Vec::new();
        let mut seen: Vec<(Option<TypeId>, ExprId)> = Vec::new();
        let stmt_id = self.current_switch_stmt(guard);
        for (ci, c) in clauses.iter().enumerate() {
            let cases = unpack(f, c.cases);
            let mut t = self.case_types(sx.as_ref(), &cases, &mut seen);
            self.open_scope("case");
            if let Some(l) = lhs {
                if cases.len() != 1 || t.is_none() {
                    t = Some(x.typ);
                }
                let (fid, pos) = self.here(l);
                let obj = self.w.new_var(fid, pos, Some(self.pkg), f.name(l), t);
                let scope = self.scope();
                self.declare(scope, None, obj);
                if let Some(sid) = stmt_id {
                    self.record_implicit(Implicit::TypeSwitchCase(sid, ci as u32), obj);
                }
                lhs_vars.push(obj);
            }
            let stmts = f[c.body].to_vec();
            self.stmt_list(&stmts);
            self.close_scope();
        }
        if let Some(l) = lhs {
            let used = lhs_vars.iter().any(|&v| self.w.obj(v).used());
            for &v in &lhs_vars {
                self.set_used(v);
            }
            if !used {
                self.err_expr(l, format!("{} declared but not used", f.name(l)));
            }
        }
    }

    /// The switch statement whose guard is `guard` (for recording implicit objects).
    fn current_switch_stmt(&self, guard: ExprId) -> Option<StmtId> {
        let f = self.file();
        f.stmts.iter().enumerate().find_map(|(i, st)| match st.kind {
            StmtKind::Switch { tag: Some(t), .. } if t == guard => Some(StmtId::from_index(i)),
            _ => None,
        })
    }

    fn is_nil_expr(&self, e: ExprId) -> bool {
        let f = self.file();
        if let ExprKind::Name(n) = f[f.unparen(e)].kind {
            if let Some(o) = self.lookup(n) {
                return matches!(self.w.obj(o).kind, ObjKind::Nil);
            }
        }
        false
    }

    fn case_types(
        &mut self,
        x: Option<&Operand>,
        types: &[ExprId],
        seen: &mut Vec<(Option<TypeId>, ExprId)>,
    ) -> Option<TypeId> {
        let mut t: Option<TypeId> = None;
        for &e in types {
            if self.is_nil_expr(e) {
                t = None;
                let mut dummy = Operand::default();
                self.expr(&mut dummy, e);
            } else {
                let ty = self.var_type(e);
                t = Some(ty);
                if ty == TypeId::INVALID {
                    continue;
                }
            }
            let mut dup = None;
            for &(st, other) in seen.iter() {
                let same = match (t, st) {
                    (None, None) => true,
                    (Some(a), Some(b)) => self.w.identical(a, b),
                    _ => false,
                };
                if same {
                    dup = Some(other);
                    break;
                }
            }
            if let Some(other) = dup {
                let ts = t.map_or("nil".to_string(), |ty| self.ts(ty));
                let parts = vec![
                    (Some(At::Expr(e)), format!("duplicate case {ts} in type switch")),
                    (Some(At::Expr(other)), "previous case".to_string()),
                ];
                self.report(parts);
                continue;
            }
            seen.push((t, e));
            if let (Some(x), Some(ty)) = (x, t) {
                self.type_assertion(e, x, ty, true);
            }
        }
        t
    }

    fn select_stmt(&mut self, body: crate::syntax::ast::List<crate::syntax::ast::CommClause>) {
        let f = self.file();
        let clauses = f[body].to_vec();
        let defaults: Vec<(Pos, bool)> = clauses.iter().map(|c| (c.pos, c.comm.is_none())).collect();
        self.multiple_defaults(&defaults);
        for c in clauses {
            let mut valid = false;
            let mut rhs: Option<ExprId> = None;
            match c.comm.map(|s| f[s].kind.clone()) {
                None | Some(StmtKind::Send { .. }) => valid = true,
                Some(StmtKind::Assign { rhs: Some(r), .. }) if !matches!(f[r].kind, ExprKind::List(_)) => rhs = Some(r),
                Some(StmtKind::Expr(e)) => rhs = Some(e),
                _ => {}
            }
            if let Some(r) = rhs {
                if let ExprKind::Operation { op: Operator::Recv, y: None, .. } = f[f.unparen(r)].kind {
                    valid = true;
                }
            }
            if !valid {
                if let Some(comm) = c.comm {
                    self.error(
                        At::Pos(self.stmt_start(comm)),
                        "select case must be send or receive (possibly with assignment)".into(),
                    );
                }
                continue;
            }
            self.open_scope("case");
            if let Some(comm) = c.comm {
                self.stmt(comm);
            }
            let stmts = f[c.body].to_vec();
            self.stmt_list(&stmts);
            self.close_scope();
        }
    }

    // ------------------------------------------------------------------------------------
    // Range loops

    fn range_stmt(&mut self, s: StmtId, lhs: Option<ExprId>, def: bool, rx: ExprId, body: BlockId) {
        let f = self.file();
        let (mut skey, mut svalue, mut sextra) = (lhs, None, None);
        if let Some(l) = lhs {
            if let ExprKind::List(list) = f[l].kind {
                let elems = f[list].to_vec();
                if elems.len() < 2 {
                    self.error(At::Pos(f[s].pos), "invalid AST: invalid lhs in range clause".into());
                    return;
                }
                skey = Some(elems[0]);
                svalue = Some(elems[1]);
                sextra = elems.get(2).copied();
            }
        }
        let mut x = Operand::default();
        self.expr(&mut x, rx);
        let (mut key, mut val) = (None, None);
        if x.mode != Mode::Invalid {
            let mut cause = String::new();
            let u = self.w.core_type(x.typ);
            let is_chan = u.and_then(|u| match self.w.ty(u) {
                Type::Chan(d, _) => Some(*d),
                _ => None,
            });
            if let Some(dir) = is_chan {
                if let Some(v) = svalue {
                    let msg = format!("range over {} permits only one iteration variable", self.opnd(&x));
                    self.err_expr(v, msg);
                }
                if dir == ChanDir::Send {
                    cause = "receive from send-only channel".into();
                }
            } else {
                if let Some(e) = sextra {
                    self.err_expr(e, "range clause permits at most two iteration variables".into());
                }
                if u.is_none() {
                    cause = format!("{} has no core type", self.ts(x.typ));
                }
            }
            if let Some(u) = u {
                (key, val) = self.range_key_val(u);
            }
            if key.is_none() || !cause.is_empty() {
                let msg = if cause.is_empty() {
                    format!("cannot range over {}", self.opnd(&x))
                } else {
                    format!("cannot range over {} ({cause})", self.opnd(&x))
                };
                self.error(self.at(&x), msg);
            }
        }
        self.open_scope("range");
        let lhs = [skey, svalue];
        let rhs = [key, val];
        if def {
            let mut vars = Vec::new();
            for (i, l) in lhs.iter().enumerate() {
                let Some(l) = *l else { continue };
                let (fid, pos) = self.here(l);
                let obj = match f[l].kind {
                    ExprKind::Name(name) => {
                        let obj = self.w.new_var(fid, pos, Some(self.pkg), name, None);
                        self.record_def(l, Some(obj));
                        if !name.is_blank() {
                            vars.push(obj);
                        }
                        obj
                    }
                    _ => {
                        let msg = format!("cannot declare {}", self.es(l));
                        self.err_expr(l, msg);
                        self.w.new_var(fid, pos, Some(self.pkg), Symbol::intern("_"), None)
                    }
                };
                match rhs[i] {
                    Some(typ) => {
                        let mut y = Operand { mode: Mode::Value, expr: Some(l), typ, ..Operand::default() };
                        self.init_var(obj, &mut y, "range clause");
                    }
                    None => {
                        self.w.obj_mut(obj).ty = Some(TypeId::INVALID);
                        self.set_used(obj);
                    }
                }
            }
            if vars.is_empty() {
                self.error(At::Pos(f[s].pos), "no new variables on left side of :=".into());
            } else {
                let scope = self.scope();
                for obj in vars {
                    self.declare(scope, None, obj);
                }
            }
        } else {
            for (i, l) in lhs.iter().enumerate() {
                let Some(l) = *l else { continue };
                if let Some(typ) = rhs[i] {
                    let mut y = Operand { mode: Mode::Value, expr: Some(l), typ, ..Operand::default() };
                    self.assign_var(l, &mut y);
                }
            }
        }
        self.block(body);
        self.close_scope();
    }

    fn range_key_val(&mut self, u: TypeId) -> (Option<TypeId>, Option<TypeId>) {
        let mut t = u;
        if let Type::Pointer(b) = *self.w.ty(u) {
            let bu = self.w.under(b);
            if matches!(self.w.ty(bu), Type::Array(..)) {
                t = bu;
            }
        }
        let int = BasicKind::Int.id();
        match self.w.ty(t).clone() {
            Type::Basic(_) | Type::BasicAlias(..) if self.w.is_string(t) => (Some(int), Some(RUNE)),
            Type::Array(_, e) | Type::Slice(e) => (Some(int), Some(e)),
            Type::Map(k, v) => (Some(k), Some(v)),
            Type::Chan(_, e) => (Some(e), Some(TypeId::INVALID)),
            _ => (None, None),
        }
    }
}

/// A placeholder expression id (never dereferenced: only used when a type switch tag is
/// known to be present).
fn s_dummy() -> ExprId {
    ExprId::from_index(0)
}

/// The Go value of a constant for duplicate case detection (types2's goVal): integers,
/// floats and strings; None for others.
fn go_val(v: &ConstValue) -> Option<String> {
    match v.kind() {
        ValueKind::Int => {
            if let Some(i) = v.to_i64() {
                return Some(format!("i{i}"));
            }
            v.to_u64().map(|u| format!("u{u}"))
        }
        ValueKind::Float => v.to_f64().map(|f| format!("f{}", f.to_bits())),
        ValueKind::String => v.as_bytes().map(|b| format!("s{}", String::from_utf8_lossy(b))),
        _ => None,
    }
}
