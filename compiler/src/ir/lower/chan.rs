//! Channels: `make(chan T, n)`, send statements, receive expressions (with comma-ok),
//! `close`, `len`/`cap`, `for range c`, and the select statement, all through the runtime's
//! chan.go/select.go entry points (gc's walk of the same constructs).
//!
//! Values cross the runtime by address, as in gc: a send stores the value in a temporary and
//! passes its address; a receive passes the address of a temporary the runtime fills in.
//! Goroutine stacks never move (segmented growth), so those addresses stay valid while the
//! goroutine is parked on the channel.

use super::func::{BranchTarget, FnCx};
use crate::ir::ty::{Ty, TyId};
use crate::ir::{BinOp, Callee, Const, LocalId, Operand, Place, Proj, Rvalue, TermKind};
use crate::runtime_abi::RuntimeFn;
use crate::syntax::ast::{BlockId, CommClause, ExprId, ExprKind, List, StmtId, StmtKind};
use crate::syntax::token::Operator;
use crate::types::{ObjId, TypeId};

/// One communication clause of a select, with its operands evaluated.
enum Comm {
    /// `case c <- v`: the channel and the address of the value.
    Send { chan: Operand, elem: Operand },
    /// `case [lhs =|:=] <-c`: the channel and the temporary receiving the value (None when
    /// the value is not used).
    Recv { chan: Operand, value: Option<LocalId>, elem: TypeId, lhs: Vec<ExprId>, def: bool },
}

impl FnCx<'_, '_> {
    /// The IR type of the elements of the channel expression `c`.
    fn chan_elem(&self, c: ExprId) -> TyId {
        let t = self.type_of(c);
        self.ty(self.lx.elem(t))
    }

    /// The address of a local (which therefore lives in memory).
    fn addr_of_local(&mut self, l: LocalId) -> Operand {
        let ptr = self.ir(Ty::Ptr);
        Operand::local(self.temp_of(ptr, Rvalue::AddrOf(Place::local(l))))
    }

    /// `make(chan T[, n])`: runtime.makechan(elemsize, n), which panics for a negative or too
    /// large size.
    pub fn make_chan(&mut self, e: ExprId, args: &[ExprId]) -> Operand {
        let int = self.int();
        let elem = self.ty(self.lx.elem(self.type_of(e)));
        let size = match args.get(1) {
            Some(&n) => {
                let v = self.expr(n);
                self.to_int(v, int)
            }
            None => Operand::int(0, int),
        };
        let elemsize = self.lx.tys.borrow().layout(elem).size;
        let ptr = self.ir(Ty::Ptr);
        self.runtime_value(RuntimeFn::MakeChan, vec![Operand::int(elemsize as i64, ptr), size], ptr)
    }

    /// The value of `v` converted to the element type of channel `chan` in a temporary,
    /// and its address.
    fn value_in_memory(&mut self, value: ExprId, chan: ExprId) -> Operand {
        let elem_t = self.lx.elem(self.type_of(chan));
        let elem = self.ty(elem_t);
        let v = self.expr(value);
        let v = self.coerce(v, self.type_of(value), elem_t);
        let t = self.temp(elem);
        self.b.assign_local(t, Rvalue::Use(v));
        self.addr_of_local(t)
    }

    /// The statement `c <- v`: the channel is evaluated first, then the value.
    pub fn send_stmt(&mut self, chan: ExprId, value: ExprId) {
        let c = self.expr(chan);
        let c = self.stabilize(c);
        let addr = self.value_in_memory(value, chan);
        self.b.call(Callee::Runtime(RuntimeFn::ChanSend1), vec![c, addr], Vec::new());
    }

    /// The receive expression `<-c` as a single value.
    pub fn recv_expr(&mut self, chan: ExprId) -> Operand {
        let elem = self.chan_elem(chan);
        let c = self.expr(chan);
        let t = self.temp(elem);
        let addr = self.addr_of_local(t);
        self.b.call(Callee::Runtime(RuntimeFn::ChanRecv1), vec![c, addr], Vec::new());
        Operand::local(t)
    }

    /// `v, ok := <-c`: the value and whether it was sent (false: the channel is closed).
    pub fn recv_comma_ok(&mut self, chan: ExprId) -> Vec<Operand> {
        let elem = self.chan_elem(chan);
        let c = self.expr(chan);
        let t = self.temp(elem);
        let addr = self.addr_of_local(t);
        let bool_ty = self.ir(Ty::Bool);
        let ok = self.runtime_value(RuntimeFn::ChanRecv2, vec![c, addr], bool_ty);
        vec![Operand::local(t), ok]
    }

    /// The receive operand of `e` if it is a receive expression `<-c` (parentheses aside).
    pub fn recv_operand(&self, e: ExprId) -> Option<ExprId> {
        match self.file[self.file.unparen(e)].kind {
            ExprKind::Operation { op: Operator::Recv, x, y: None } => Some(x),
            _ => None,
        }
    }

    /// `close(c)`.
    pub fn close_chan(&mut self, chan: ExprId) {
        let c = self.expr(chan);
        self.b.call(Callee::Runtime(RuntimeFn::CloseChan), vec![c], Vec::new());
    }

    /// `len(c)` or `cap(c)` of a channel (0 for nil).
    pub fn chan_len_cap(&mut self, chan: ExprId, cap: bool) -> Operand {
        let c = self.expr(chan);
        let int = self.int();
        let f = if cap { RuntimeFn::ChanCap } else { RuntimeFn::ChanLen };
        self.runtime_value(f, vec![c], int)
    }

    /// `for v := range c { body }` (or `=`, or without a variable): receives until the
    /// channel is closed and drained.
    pub fn range_chan(&mut self, label: Option<ObjId>, def: bool, targets: &[ExprId], chan: ExprId, body: BlockId) {
        let elem = self.chan_elem(chan);
        let c = self.expr(chan);
        let c = self.stabilize(c);
        let bool_ty = self.ir(Ty::Bool);
        let value = self.temp(elem);
        self.declare_range_vars(def, &targets[..targets.len().min(1)]);
        let (head, body_b, done) = (self.b.block(), self.b.block(), self.b.block());
        self.goto_and_switch(head);
        let wanted = targets.first().is_some_and(|&t| !self.is_blank(t));
        let addr = if wanted { self.addr_of_local(value) } else { Operand::Const(Const::Zero(self.ir(Ty::Ptr))) };
        let ok = self.runtime_value(RuntimeFn::ChanRecv2, vec![c, addr], bool_ty);
        self.b.terminate(TermKind::If { cond: ok, then: body_b, else_: done });
        self.b.switch_to(body_b);
        if wanted {
            let elem_t = self.lx.elem(self.type_of(chan));
            self.assign_range_vars(def, &targets[..1], &[Some((Operand::local(value), elem_t))]);
        }
        self.loop_body(label, body, done, Some(head));
        self.goto_and_switch(head);
        self.b.switch_to(done);
    }

    /// Whether `e` is the blank identifier.
    fn is_blank(&self, e: ExprId) -> bool {
        let e = self.file.unparen(e);
        matches!(self.file[e].kind, ExprKind::Name(_)) && self.file.name(e).as_str() == "_"
    }

    /// Assigns `values` (of the given types) to `targets` (`_` skipped), declaring them
    /// first when `def`, else converting them to the targets' types.
    fn bind(&mut self, def: bool, targets: &[ExprId], values: Vec<(Operand, TypeId)>) {
        for (&t, (v, vt)) in targets.iter().zip(values) {
            if self.is_blank(t) {
                continue;
            }
            let place = match (def, self.info.def(t)) {
                (true, Some(obj)) => {
                    let ty = self.obj_type(obj);
                    let var = self.declare_var(obj, ty);
                    self.var_place(var)
                }
                _ => {
                    let place = self.place(t);
                    let v = self.coerce(v, vt, self.type_of(t));
                    self.b.assign(place, Rvalue::Use(v));
                    continue;
                }
            };
            self.b.assign(place, Rvalue::Use(v));
        }
    }

    /// The select statement (gc's walkSelect): `select {}` blocks forever; a select with
    /// only a default runs it; otherwise the channel operands and sent values are evaluated
    /// in source order and runtime.selectgo picks a ready case (or the default, or blocks).
    pub fn select_stmt(&mut self, label: Option<ObjId>, body: List<CommClause>) {
        let file = self.file;
        // gc places the blocking call at the select keyword (tracebacks show that line).
        let select_line = self.b.line;
        let clauses: Vec<CommClause> = file[body].to_vec();
        let done = self.b.block();
        let mut comms: Vec<(usize, Comm)> = Vec::new();
        let mut default = None;
        for (i, clause) in clauses.iter().enumerate() {
            match clause.comm {
                None => default = Some(i),
                Some(s) => {
                    self.b.line = file[s].pos.line;
                    if let Some(c) = self.comm(s) {
                        comms.push((i, c));
                    }
                }
            }
        }
        self.b.line = select_line;
        if comms.is_empty() && default.is_none() {
            self.b.call(Callee::Runtime(RuntimeFn::Block), Vec::new(), Vec::new());
            self.b.terminate(TermKind::Unreachable);
            self.b.switch_to(done);
            return;
        }
        let bodies: Vec<_> = clauses.iter().map(|_| self.b.block()).collect();
        let recv_ok = match default {
            Some(d) if comms.is_empty() => {
                self.b.terminate(TermKind::Goto(bodies[d]));
                None
            }
            _ => Some(self.select_go(&mut comms, default.map(|d| bodies[d]), &bodies)),
        };
        let mut recvs: Vec<Option<Comm>> = clauses.iter().map(|_| None).collect();
        for (i, c) in comms {
            recvs[i] = Some(c);
        }
        for (i, clause) in clauses.iter().enumerate() {
            self.b.switch_to(bodies[i]);
            self.b.line = clause.colon.line;
            if let Some(Comm::Recv { value, elem, lhs, def, .. }) = recvs[i].take() {
                if !lhs.is_empty() {
                    let v = match value {
                        Some(v) => Operand::local(v),
                        None => Operand::Const(Const::Bool(false)),
                    };
                    let ok = recv_ok.map(Operand::local).unwrap_or(Operand::Const(Const::Bool(false)));
                    self.bind(def, &lhs, vec![(v, elem), (ok, self.lx.bool_type())]);
                }
            }
            self.targets.push(BranchTarget { label, brk: done, cont: None });
            for &st in &file[clause.body] {
                self.stmt(st);
            }
            self.targets.pop();
            self.goto_and_switch(done);
        }
        self.b.switch_to(done);
    }

    /// Evaluates the operands of a select case's communication.
    fn comm(&mut self, s: StmtId) -> Option<Comm> {
        let file = self.file;
        match file[s].kind {
            StmtKind::Send { chan, value } => {
                let c = self.expr(chan);
                let chan_op = self.stabilize(c);
                let addr = self.value_in_memory(value, chan);
                Some(Comm::Send { chan: chan_op, elem: addr })
            }
            StmtKind::Expr(e) => {
                let x = self.recv_operand(e)?;
                let c = self.expr(x);
                let chan = self.stabilize(c);
                let elem = self.lx.elem(self.type_of(x));
                Some(Comm::Recv { chan, value: None, elem, lhs: Vec::new(), def: false })
            }
            StmtKind::Assign { op, lhs, rhs: Some(rhs) } => {
                let x = self.recv_operand(rhs)?;
                let elem = self.chan_elem(x);
                let c = self.expr(x);
                let chan = self.stabilize(c);
                let lhs = self.list(lhs);
                let value = if lhs.first().is_some_and(|&t| !self.is_blank(t)) { Some(self.temp(elem)) } else { None };
                let elem = self.lx.elem(self.type_of(x));
                Some(Comm::Recv { chan, value, elem, lhs, def: op == Some(Operator::Def) })
            }
            _ => {
                self.unsupported(file[s].pos, "this select case");
                None
            }
        }
    }

    /// runtime.selectgo over the cases (sends first, then receives, as it requires), then a
    /// branch to the chosen clause's block (`default` for -1). Returns the local holding
    /// whether a receive got a value.
    fn select_go(&mut self, comms: &mut [(usize, Comm)], default: Option<crate::ir::BlockId>, bodies: &[crate::ir::BlockId]) -> LocalId {
        let int = self.int();
        let ptr = self.ir(Ty::Ptr);
        let u16_ty = self.ir(Ty::Int { bits: 16, signed: false });
        comms.sort_by_key(|(_, c)| matches!(c, Comm::Recv { .. }));
        let n = comms.len();
        let nsends = comms.iter().filter(|(_, c)| matches!(c, Comm::Send { .. })).count();
        let scase = self.ir(Ty::Struct(vec![ptr, ptr]));
        let cases_ty = self.ir(Ty::Array { len: n as u64, elem: scase });
        let order_ty = self.ir(Ty::Array { len: 2 * n as u64, elem: u16_ty });
        let cases = self.temp(cases_ty);
        for (k, (_, c)) in comms.iter().enumerate() {
            let (chan, elem) = match c {
                Comm::Send { chan, elem } => (chan.clone(), elem.clone()),
                Comm::Recv { chan, value, .. } => {
                    let elem = match value {
                        Some(v) => self.addr_of_local(*v),
                        None => Operand::Const(Const::Zero(ptr)),
                    };
                    (chan.clone(), elem)
                }
            };
            let slot = Place::local(cases).project(Proj::Index(Operand::int(k as i64, int)));
            self.b.assign(slot, Rvalue::Aggregate(scase, vec![chan, elem]));
        }
        let order = self.temp(order_ty);
        let (cases_addr, order_addr) = (self.addr_of_local(cases), self.addr_of_local(order));
        let (chosen, recv_ok) = (self.temp(int), self.temp(int));
        let args = vec![
            cases_addr,
            order_addr,
            Operand::int(nsends as i64, int),
            Operand::int((n - nsends) as i64, int),
            Operand::int(i64::from(default.is_none()), int),
        ];
        self.b.call(Callee::Runtime(RuntimeFn::SelectGo), args, vec![Place::local(chosen), Place::local(recv_ok)]);
        let bool_ty = self.ir(Ty::Bool);
        let ok = self.temp_of(bool_ty, Rvalue::Binary(BinOp::Ne, Operand::local(recv_ok), Operand::int(0, int)));
        for (k, (clause, _)) in comms.iter().enumerate() {
            let next = self.b.block();
            let hit = self.compare(BinOp::Eq, Operand::local(chosen), Operand::int(k as i64, int));
            self.b.terminate(TermKind::If { cond: hit, then: bodies[*clause], else_: next });
            self.b.switch_to(next);
        }
        match default {
            Some(d) => self.b.terminate(TermKind::Goto(d)),
            None => self.b.terminate(TermKind::Unreachable),
        }
        ok
    }
}
