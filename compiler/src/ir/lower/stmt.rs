//! Statements and control flow.

use super::func::{BranchTarget, FnCx};
use crate::ir::ty::Ty;
use crate::ir::{BinOp, BlockId, Const, Operand, Place, Rvalue, TermKind};
use crate::syntax::ast::{DeclKind, ExprId, ExprKind, StmtId, StmtKind};
use crate::syntax::token::{Operator, Token};
use crate::types::ObjId;

impl FnCx<'_, '_> {
    /// Lowers statement `s`.
    pub fn stmt(&mut self, s: StmtId) {
        self.stmt_labeled(s, None);
    }

    fn stmt_labeled(&mut self, s: StmtId, label: Option<ObjId>) {
        let file = self.file;
        self.b.line = file[s].pos.line;
        if self.b.is_terminated() {
            // Code after return, goto, break...: unreachable, but it still needs a block.
            let dead = self.b.block();
            self.b.switch_to(dead);
        }
        match file[s].kind {
            StmtKind::Empty => {}
            StmtKind::Labeled { label, stmt } => self.labeled(label, stmt),
            StmtKind::Block(blk) => {
                for &s in &file[file[blk].stmts] {
                    self.stmt(s);
                }
            }
            StmtKind::Expr(e) => {
                self.b.line = file.start_pos(e).line;
                self.expr_stmt(e);
            }
            StmtKind::Decl(decls) => {
                for &d in &file[decls] {
                    if let DeclKind::Var { names, values, .. } = file[d].kind {
                        self.var_decl(&file[names], values);
                    }
                }
            }
            StmtKind::Assign { op, lhs, rhs } => self.assign_stmt(s, op, lhs, rhs),
            StmtKind::Return { results } => self.return_stmt(results),
            StmtKind::If { init, cond, then, else_ } => self.if_stmt(init, cond, then, else_),
            StmtKind::For { init, cond, post, body } => self.for_stmt(label, init, cond, post, body),
            StmtKind::Switch { init, tag, body, .. } => self.switch_stmt(s, label, init, tag, body),
            StmtKind::Branch { tok, label } => self.branch(s, tok, label),
            StmtKind::Send { chan, value } => self.send_stmt(chan, value),
            StmtKind::CallStmt { tok: Token::Go, call } => self.go_stmt(call),
            StmtKind::CallStmt { call, .. } => self.defer_stmt(s, call),
            StmtKind::Select { body, .. } => self.select_stmt(label, body),
            StmtKind::Range { .. } => self.unsupported(file[s].pos, "this range clause"),
        }
    }

    /// `label: stmt` — a block of its own, so that goto can reach it.
    fn labeled(&mut self, label: ExprId, stmt: StmtId) {
        let obj = self.label_id(label);
        let block = match obj {
            Some(o) => self.label_block(o),
            None => self.b.block(),
        };
        if !self.b.is_terminated() {
            self.b.terminate(TermKind::Goto(block));
        }
        self.b.switch_to(block);
        self.stmt_labeled(stmt, obj);
    }

    /// The identity of a label: its object when the checker records one; the checker does
    /// not resolve labels yet, so otherwise a stand-in derived from the name (labels are
    /// unique per function body, and real object ids stay far below 2^31).
    fn label_id(&self, label: ExprId) -> Option<ObjId> {
        if let Some(o) = self.info.def(label).or_else(|| self.info.use_of(label)) {
            return Some(o);
        }
        let name = self.file.name(label);
        // FNV-1a of the name.
        let h = name.as_str().bytes().fold(0x811c_9dc5u32, |h, b| (h ^ u32::from(b)).wrapping_mul(0x0100_0193));
        Some(ObjId(0x8000_0000 | (h & 0x7fff_ffff)))
    }

    /// The block of a label (created on first mention, by the label or by a goto).
    fn label_block(&mut self, label: ObjId) -> BlockId {
        if let Some(&b) = self.labels.get(&label) {
            return b;
        }
        let b = self.b.block();
        self.labels.insert(label, b);
        b
    }

    /// Goes on in block `b`, after jumping there from the current block.
    pub fn goto_and_switch(&mut self, b: BlockId) {
        if !self.b.is_terminated() {
            self.b.terminate(TermKind::Goto(b));
        }
        self.b.switch_to(b);
    }

    fn var_decl(&mut self, names: &[ExprId], values: Option<ExprId>) {
        let value_types = values.map(|v| self.rhs_types(v, names.len())).unwrap_or_default();
        let values = values.map(|v| self.rhs_values(v, names.len()));
        for (i, &n) in names.iter().enumerate() {
            let Some(obj) = self.info.def(n) else { continue };
            let t = self.obj_type(obj);
            if self.file.name(n).as_str() == "_" {
                continue;
            }
            let var = self.declare_var(obj, t);
            if let Some(vals) = &values {
                let place = self.var_place(var);
                let v = self.coerce(vals[i].clone(), value_types[i], t);
                self.b.assign(place, Rvalue::Use(v));
            }
        }
    }

    /// The values of the right-hand side of an assignment or declaration of `n` variables,
    /// each already copied to a temporary (so the assignments cannot disturb them).
    pub fn rhs_values(&mut self, rhs: ExprId, n: usize) -> Vec<Operand> {
        let exprs = self.list(rhs);
        let values = if exprs.len() == 1 && n > 1 { self.multi_value(exprs[0]) } else { exprs.iter().map(|&e| self.expr(e)).collect() };
        values.into_iter().map(|v| self.stabilize(v)).collect()
    }

    /// The checker types of the values of a right-hand side of `n` values.
    pub fn rhs_types(&self, rhs: ExprId, n: usize) -> Vec<crate::types::TypeId> {
        let exprs = self.list(rhs);
        if exprs.len() == 1 && n > 1 {
            let t = self.type_of(exprs[0]);
            let vars = self.lx.world.tuple_vars(t);
            if vars.len() == n {
                return vars.iter().map(|&v| self.lx.world.obj(v).typ()).collect();
            }
            // Comma-ok forms: the value's type, then bool.
            return vec![t, crate::types::TypeId::default()];
        }
        exprs.iter().map(|&e| self.type_of(e)).collect()
    }

    /// The items of a `List` expression, or the expression itself.
    pub fn list(&self, e: ExprId) -> Vec<ExprId> {
        match self.file[e].kind {
            ExprKind::List(items) => self.file[items].to_vec(),
            _ => vec![e],
        }
    }

    /// An operand that keeps its value: constants as they are, anything else copied.
    pub fn stabilize(&mut self, v: Operand) -> Operand {
        match v {
            Operand::Const(_) => v,
            Operand::Copy(_) => {
                let ty = self.b_operand_ty(&v);
                Operand::local(self.temp_of(ty, Rvalue::Use(v)))
            }
        }
    }

    fn assign_stmt(&mut self, s: StmtId, op: Option<Operator>, lhs: ExprId, rhs: Option<ExprId>) {
        match (op, rhs) {
            (Some(Operator::Def), Some(rhs)) => self.define(lhs, rhs),
            (None, Some(rhs)) => self.assign(lhs, rhs),
            (Some(op), rhs) => self.op_assign(s, op, lhs, rhs),
            (None, None) => {}
        }
    }

    /// `a, b := x, y`: new variables (and reassigned old ones) from values computed first.
    fn define(&mut self, lhs: ExprId, rhs: ExprId) {
        let names = self.list(lhs);
        let values = self.rhs_values(rhs, names.len());
        for (&n, v) in names.iter().zip(values) {
            if self.file.name(n).as_str() == "_" {
                continue;
            }
            let place = match self.info.def(n) {
                Some(obj) => {
                    let t = self.obj_type(obj);
                    let var = self.declare_var(obj, t);
                    self.var_place(var)
                }
                None => self.place(n),
            };
            self.b.assign(place, Rvalue::Use(v));
        }
    }

    /// `a, b = x, y`: the left side's index and pointer operands and the right side are
    /// evaluated first, then the assignments happen left to right.
    fn assign(&mut self, lhs: ExprId, rhs: ExprId) {
        let targets = self.list(lhs);
        let places: Vec<Option<Place>> = targets.iter().map(|&t| self.assign_target(t)).collect();
        let value_types = self.rhs_types(rhs, targets.len());
        let values = if targets.len() == 1 {
            vec![self.expr(rhs)]
        } else {
            self.rhs_values(rhs, targets.len())
        };
        for ((place, v), (&t, &vt)) in places.into_iter().zip(values).zip(targets.iter().zip(&value_types)) {
            match place {
                Some(place) => {
                    let v = self.coerce(v, vt, self.type_of(t));
                    self.b.assign(place, Rvalue::Use(v));
                }
                // `_ = *p` still dereferences p (and panics when it is nil).
                None => {
                    self.stabilize(v);
                }
            }
        }
    }

    /// The place an assignment writes, or None for `_`.
    pub(super) fn assign_target(&mut self, t: ExprId) -> Option<Place> {
        let t = self.file.unparen(t);
        if matches!(self.file[t].kind, ExprKind::Name(_)) && self.file.name(t).as_str() == "_" {
            return None;
        }
        Some(self.writable_place(t))
    }

    /// The place an assignment to `t` writes: map elements come from mapassign.
    fn writable_place(&mut self, t: ExprId) -> Place {
        let t = self.file.unparen(t);
        if let ExprKind::Index { x, index } = self.file[t].kind {
            if matches!(self.lx.under(self.type_of(x)), crate::types::ty::Type::Map(..)) {
                return self.map_assign_place(x, index);
            }
        }
        self.place(t)
    }

    /// `x op= y`, `x++`, `x--`.
    fn op_assign(&mut self, s: StmtId, op: Operator, lhs: ExprId, rhs: Option<ExprId>) {
        let place = self.writable_place(lhs);
        let lt = self.tv(lhs).map(|t| t.ty).unwrap_or_default();
        let x = Operand::place(place.clone());
        let y = match rhs {
            Some(r) => self.expr(r),
            None => self.one(lt),
        };
        let yt = rhs.and_then(|r| self.tv(r)).map(|t| t.ty).unwrap_or(lt);
        let Some(v) = self.binary_values(self.file[s].pos, op, (x, lt), (y, yt), lt) else { return };
        self.b.assign(place, Rvalue::Use(v));
    }

    /// The constant 1 of numeric type `t` (for `++` and `--`).
    fn one(&self, t: crate::types::TypeId) -> Operand {
        let ty = self.ty(t);
        Operand::Const(match self.lx.tys.borrow().get(ty) {
            Ty::Float { .. } => Const::Float { value: 1.0, ty },
            Ty::Complex { .. } => Const::Complex { re: 1.0, im: 0.0, ty },
            _ => Const::Int { value: 1, ty },
        })
    }

    fn return_stmt(&mut self, results: Option<ExprId>) {
        if let Some(r) = results {
            let types = self.rhs_types(r, self.results.len());
            let values = self.rhs_values(r, self.results.len());
            let want = self.result_types.clone();
            for (i, (var, v)) in self.results.clone().into_iter().zip(values).enumerate() {
                let place = self.var_place(var);
                let v = match (types.get(i), want.get(i)) {
                    (Some(&from), Some(&to)) => self.coerce(v, from, to),
                    _ => v,
                };
                self.b.assign(place, Rvalue::Use(v));
            }
        }
        self.open_defers_at_exit();
        let ops = self.return_operands();
        self.b.terminate(TermKind::Return(ops));
    }

    fn if_stmt(&mut self, init: Option<StmtId>, cond: Option<ExprId>, then: crate::syntax::ast::BlockId, else_: Option<StmtId>) {
        if let Some(i) = init {
            self.stmt(i);
        }
        let (then_b, else_b, done) = (self.b.block(), self.b.block(), self.b.block());
        match cond {
            Some(c) => self.cond(c, then_b, else_b),
            None => self.b.terminate(TermKind::Goto(then_b)),
        }
        self.b.switch_to(then_b);
        let file = self.file;
        for &s in &file[file[then].stmts] {
            self.stmt(s);
        }
        // The then branch continues after the statement, not in the else branch.
        if !self.b.is_terminated() {
            self.b.terminate(TermKind::Goto(done));
        }
        self.b.switch_to(else_b);
        if let Some(e) = else_ {
            self.stmt(e);
        }
        self.goto_and_switch(done);
    }

    /// Branches to `yes` or `no` on a boolean condition (short-circuiting && and ||).
    pub fn cond(&mut self, c: ExprId, yes: BlockId, no: BlockId) {
        let c = self.file.unparen(c);
        if let ExprKind::Operation { op: op @ (Operator::AndAnd | Operator::OrOr), x, y: Some(y) } = self.file[c].kind {
            let mid = self.b.block();
            if op == Operator::AndAnd {
                self.cond(x, mid, no);
            } else {
                self.cond(x, yes, mid);
            }
            self.b.switch_to(mid);
            return self.cond(y, yes, no);
        }
        let v = self.expr(c);
        self.b.terminate(TermKind::If { cond: v, then: yes, else_: no });
    }

    fn for_stmt(&mut self, label: Option<ObjId>, init: Option<StmtId>, cond: Option<ExprId>, post: Option<StmtId>, body: crate::syntax::ast::BlockId) {
        if let Some(i) = init {
            if let StmtKind::Range { lhs, def, x } = self.file[i].kind {
                return self.range_stmt(label, i, lhs, def, x, body);
            }
            self.stmt(i);
        }
        let (head, body_b, cont, done) = (self.b.block(), self.b.block(), self.b.block(), self.b.block());
        self.goto_and_switch(head);
        match cond {
            Some(c) => self.cond(c, body_b, done),
            None => self.b.terminate(TermKind::Goto(body_b)),
        }
        self.b.switch_to(body_b);
        self.loop_body(label, body, done, Some(cont));
        self.goto_and_switch(cont);
        if let Some(p) = post {
            self.stmt(p);
        }
        if !self.b.is_terminated() {
            self.b.terminate(TermKind::Goto(head));
        }
        self.b.switch_to(done);
    }

    /// Lowers a loop or switch body with `break` and `continue` targets.
    pub fn loop_body(&mut self, label: Option<ObjId>, body: crate::syntax::ast::BlockId, brk: BlockId, cont: Option<BlockId>) {
        self.targets.push(BranchTarget { label, brk, cont });
        let file = self.file;
        for &s in &file[file[body].stmts] {
            self.stmt(s);
        }
        self.targets.pop();
    }

    fn branch(&mut self, s: StmtId, tok: Token, label: Option<ExprId>) {
        let label_obj = label.and_then(|l| self.label_id(l));
        let target = |t: &BranchTarget| label_obj.is_none() || t.label == label_obj;
        let dest = match tok {
            Token::Break => self.targets.iter().rev().find(|t| target(t)).map(|t| t.brk),
            Token::Continue => self.targets.iter().rev().filter(|t| t.cont.is_some()).find(|t| target(t)).and_then(|t| t.cont),
            Token::Goto => label_obj.map(|l| self.label_block(l)),
            _ => {
                // fallthrough is handled by the switch lowering, which ends the clause.
                return;
            }
        };
        match dest {
            Some(d) => self.b.terminate(TermKind::Goto(d)),
            None => self.unsupported(self.file[s].pos, "this branch statement"),
        }
    }

    fn switch_stmt(
        &mut self,
        s: StmtId,
        label: Option<ObjId>,
        init: Option<StmtId>,
        tag: Option<ExprId>,
        body: crate::syntax::ast::List<crate::syntax::ast::CaseClause>,
    ) {
        if let Some(i) = init {
            self.stmt(i);
        }
        if let Some(t) = tag {
            if let ExprKind::TypeSwitchGuard { x, .. } = self.file[t].kind {
                return self.type_switch(s, label, x, body);
            }
        }
        let file = self.file;
        let tag_val = tag.map(|t| {
            let tt = self.tv(t).map(|tv| tv.ty).unwrap_or_default();
            let v = self.expr(t);
            (self.stabilize(v), tt)
        });
        let clauses = &file[body];
        let (bodies, done) = self.switch_dispatch(clauses, |fx, c, then, next| {
            match &tag_val {
                Some((tv, tt)) => {
                    let ct = fx.tv(c).map(|t| t.ty).unwrap_or_default();
                    let cv = fx.expr(c);
                    let pos = fx.file[c].pos;
                    let eq = fx.binary_values(pos, Operator::Eql, (tv.clone(), *tt), (cv, ct), fx.lx.bool_type());
                    let eq = eq.unwrap_or(Operand::Const(crate::ir::Const::Bool(false)));
                    fx.b.terminate(TermKind::If { cond: eq, then, else_: next });
                }
                None => fx.cond(c, then, next),
            }
        });
        for (i, clause) in clauses.iter().enumerate() {
            self.b.switch_to(bodies[i]);
            self.targets.push(BranchTarget { label, brk: done, cont: None });
            let stmts = &file[clause.body];
            for &st in stmts {
                self.stmt(st);
            }
            self.targets.pop();
            let falls = stmts.last().is_some_and(|&l| matches!(file[l].kind, StmtKind::Branch { tok: Token::Fallthrough, .. }));
            let next = if falls && i + 1 < bodies.len() { bodies[i + 1] } else { done };
            if !self.b.is_terminated() {
                self.b.terminate(TermKind::Goto(next));
            }
        }
        self.b.switch_to(done);
    }

    /// The tests of a switch: for each case expression in source order, `test(fx, case,
    /// clause_block, next)` branches to the clause's block or to `next`; no match goes to
    /// the default clause, or past the switch. Returns the clauses' blocks and the block
    /// after the switch.
    pub fn switch_dispatch(
        &mut self,
        clauses: &[crate::syntax::ast::CaseClause],
        mut test: impl FnMut(&mut Self, ExprId, BlockId, BlockId),
    ) -> (Vec<BlockId>, BlockId) {
        let done = self.b.block();
        let bodies: Vec<BlockId> = clauses.iter().map(|_| self.b.block()).collect();
        let mut default = None;
        for (i, clause) in clauses.iter().enumerate() {
            let Some(cases) = clause.cases else {
                default = Some(bodies[i]);
                continue;
            };
            for c in self.list(cases) {
                let next = self.b.block();
                self.b.line = self.file.start_pos(c).line;
                test(self, c, bodies[i], next);
                self.b.switch_to(next);
            }
        }
        self.b.terminate(TermKind::Goto(default.unwrap_or(done)));
        (bodies, done)
    }

    /// The type of an operand being built.
    pub fn b_operand_ty(&self, v: &Operand) -> crate::ir::ty::TyId {
        match v {
            Operand::Const(c) => c.ty(&self.lx.tys.borrow()),
            Operand::Copy(p) => self.place_ty(p),
        }
    }

    /// Compares `a` and `b` of IR type int with `op`, into a bool temporary.
    pub fn compare(&mut self, op: BinOp, a: Operand, b: Operand) -> Operand {
        let bool_ty = self.ir(Ty::Bool);
        Operand::local(self.temp_of(bool_ty, Rvalue::Binary(op, a, b)))
    }
}
