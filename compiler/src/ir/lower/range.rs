//! `for ... range` over arrays, pointers to arrays, slices and strings.

use super::func::FnCx;
use crate::ir::ty::Ty;
use crate::ir::{BinOp, Callee, Const, Operand, Place, Rvalue, TermKind};
use crate::runtime_abi::RuntimeFn;
use crate::syntax::ast::{BlockId, ExprId, StmtId};
use crate::types::ty::Type;
use crate::types::{ObjId, TypeId};

impl FnCx<'_, '_> {
    /// `for k, v := range x { body }` (or `=`, or without variables).
    pub fn range_stmt(&mut self, label: Option<ObjId>, s: StmtId, lhs: Option<ExprId>, def: bool, x: ExprId, body: BlockId) {
        let xt = self.type_of(x);
        let int = self.int();
        let targets: Vec<ExprId> = lhs.map(|l| self.list(l)).unwrap_or_default();
        let elem_t = match self.lx.under(xt).clone() {
            Type::Array(_, e) | Type::Slice(e) => e,
            Type::Pointer(a) => match self.lx.under(a) {
                Type::Array(_, e) => *e,
                _ => xt,
            },
            _ => xt,
        };
        let (len, elem_place): (Operand, Option<Box<dyn Fn(&mut Self, Operand) -> Place>>) = match self.lx.under(xt).clone() {
            Type::Array(n, _) => {
                // The range expression is evaluated once; a copy only if values are used.
                let base = if targets.len() > 1 || self.has_call_or_recv(x) {
                    let v = self.expr(x);
                    let copy = self.stabilize(v);
                    match copy {
                        Operand::Copy(p) => Some(*p),
                        _ => None,
                    }
                } else {
                    None
                };
                let base = if targets.len() > 1 { base } else { None };
                let f = base.map(|p| Box::new(move |_: &mut Self, i: Operand| p.clone().project(crate::ir::Proj::Index(i))) as Box<dyn Fn(&mut Self, Operand) -> Place>);
                (Operand::int(n, int), f)
            }
            Type::Pointer(a) => {
                let Type::Array(n, _) = self.lx.under(a).clone() else { return self.unsupported(self.file[s].pos, "this range clause") };
                let p = self.expr(x);
                let p = self.stabilize(p);
                let arr = self.ty(a);
                let f = Box::new(move |_: &mut Self, i: Operand| Place::deref(p.clone(), arr).project(crate::ir::Proj::Index(i))) as Box<dyn Fn(&mut Self, Operand) -> Place>;
                (Operand::int(n, int), Some(f))
            }
            Type::Slice(elem) => {
                let v = self.expr(x);
                let v = self.stabilize(v);
                let len = self.string_part(&v, 1);
                let data = self.string_part(&v, 0);
                let elem_ty = self.ty(elem);
                let f = Box::new(move |fx: &mut Self, i: Operand| fx.element(data.clone(), i, elem_ty)) as Box<dyn Fn(&mut Self, Operand) -> Place>;
                (len, Some(f))
            }
            Type::Basic(_) | Type::BasicAlias(..) => {
                let v = self.expr(x);
                let v = self.stabilize(v);
                return self.range_string(label, def, &targets, v, body);
            }
            Type::Map(..) => return self.range_map(label, def, &targets, x, body),
            Type::Chan(..) => return self.range_chan(label, def, &targets, x, body),
            _ => return self.unsupported(self.file[s].pos, "this range clause"),
        };
        self.declare_range_vars(def, &targets);
        let i = self.temp_of(int, Rvalue::Use(Operand::int(0, int)));
        let (head, body_b, cont, done) = (self.b.block(), self.b.block(), self.b.block(), self.b.block());
        self.goto_and_switch(head);
        let more = self.compare(BinOp::Lt, Operand::local(i), len);
        self.b.terminate(TermKind::If { cond: more, then: body_b, else_: done });
        self.b.switch_to(body_b);
        let value = match (&elem_place, targets.len() > 1) {
            (Some(f), true) => Some(Operand::place(f(self, Operand::local(i)))),
            _ => None,
        };
        let values = [Some((Operand::local(i), self.lx.universe_type("int"))), value.map(|v| (v, elem_t))];
        self.assign_range_vars(def, &targets, &values);
        self.loop_body(label, body, done, Some(cont));
        self.goto_and_switch(cont);
        self.b.assign_local(i, Rvalue::Binary(BinOp::Add, Operand::local(i), Operand::int(1, int)));
        self.b.terminate(TermKind::Goto(head));
        self.b.switch_to(done);
    }

    /// Whether `e` contains a (non-constant) call or a receive outside function literals:
    /// then the range expression over an array is evaluated even when its values are not
    /// used, because `len(e)` is not constant (the spec's exception to evaluating it).
    fn has_call_or_recv(&self, e: ExprId) -> bool {
        use crate::syntax::ast::ExprKind as K;
        let f = self.file;
        if self.tv(e).is_some_and(|tv| tv.mode == crate::types::Mode::Constant) {
            return false;
        }
        match f[e].kind {
            K::Call { fun, args, .. } => {
                let conversion = self.tv(fun).is_some_and(|tv| tv.mode == crate::types::Mode::TypeExpr);
                !conversion || f[args].iter().any(|&a| self.has_call_or_recv(a))
            }
            K::Operation { op: crate::syntax::token::Operator::Recv, y: None, .. } => true,
            K::Operation { x, y, .. } => self.has_call_or_recv(x) || y.is_some_and(|y| self.has_call_or_recv(y)),
            K::Paren(x) | K::Selector { x, .. } | K::Assert { x, .. } => self.has_call_or_recv(x),
            K::Index { x, index } => self.has_call_or_recv(x) || self.has_call_or_recv(index),
            K::Slice { x, index, .. } => self.has_call_or_recv(x) || index.iter().flatten().any(|&i| self.has_call_or_recv(i)),
            K::CompositeLit { elems, .. } => f[elems].iter().any(|&a| self.has_call_or_recv(a)),
            K::KeyValue { key, value } => self.has_call_or_recv(key) || self.has_call_or_recv(value),
            K::List(l) => f[l].iter().any(|&a| self.has_call_or_recv(a)),
            _ => false,
        }
    }

    /// Whether `t` is the blank identifier (a range target that receives nothing).
    fn is_blank_name(&self, t: ExprId) -> bool {
        let t = self.file.unparen(t);
        matches!(self.file[t].kind, crate::syntax::ast::ExprKind::Name(_)) && self.file.name(t).as_str() == "_"
    }

    /// Declares the iteration variables of a `:=` range loop, once before the loop: Go 1.19
    /// has one variable per loop, which closures created in the body share.
    pub(super) fn declare_range_vars(&mut self, def: bool, targets: &[ExprId]) {
        if !def {
            return;
        }
        for &t in targets {
            if self.is_blank_name(t) {
                continue;
            }
            if let Some(obj) = self.info.def(t) {
                let ty = self.obj_type(obj);
                self.declare_var(obj, ty);
            }
        }
    }

    /// Assigns the iteration variables of a range loop (declared by
    /// [`Self::declare_range_vars`] when `def`). `=` targets are evaluated per iteration,
    /// all of them before any is assigned, as in a tuple assignment.
    pub(super) fn assign_range_vars(&mut self, def: bool, targets: &[ExprId], values: &[Option<(Operand, TypeId)>]) {
        let mut pairs = Vec::new();
        for (&t, v) in targets.iter().zip(values) {
            let Some((v, vt)) = v else { continue };
            if self.is_blank_name(t) {
                continue;
            }
            let place = match (def, self.info.def(t).and_then(|obj| self.vars.get(&obj).copied())) {
                (true, Some(var)) => Some(self.var_place(var)),
                (true, None) => None,
                (false, _) => self.assign_target(t),
            };
            if let Some(place) = place {
                pairs.push((place, v.clone(), *vt, self.type_of(t)));
            }
        }
        let mut assigns = Vec::new();
        for (place, v, vt, tt) in pairs {
            let v = self.stabilize(v);
            assigns.push((place, self.coerce(v, vt, tt)));
        }
        let pairs = assigns;
        for (place, v) in pairs {
            self.b.assign(place, Rvalue::Use(v));
        }
    }

    /// Range over a string: byte index and rune, decoding UTF-8 (ASCII inline, the rest
    /// through runtime.decoderune, which yields U+FFFD for invalid encodings).
    fn range_string(&mut self, label: Option<ObjId>, def: bool, targets: &[ExprId], s: Operand, body: BlockId) {
        let int = self.int();
        let rune = self.ir(Ty::Int { bits: 32, signed: true });
        let byte = self.ir(Ty::Int { bits: 8, signed: false });
        let len = self.string_part(&s, 1);
        let data = self.string_part(&s, 0);
        self.declare_range_vars(def, targets);
        let (i, next, r) = (self.temp_of(int, Rvalue::Use(Operand::int(0, int))), self.temp(int), self.temp(rune));
        let (head, decode, ascii, multi, body_b, cont, done) =
            (self.b.block(), self.b.block(), self.b.block(), self.b.block(), self.b.block(), self.b.block(), self.b.block());
        self.goto_and_switch(head);
        let more = self.compare(BinOp::Lt, Operand::local(i), len);
        self.b.terminate(TermKind::If { cond: more, then: decode, else_: done });
        self.b.switch_to(decode);
        let c = self.element(data, Operand::local(i), byte);
        let c = self.temp_of(byte, Rvalue::Use(Operand::place(c)));
        let is_ascii = self.compare(BinOp::Lt, Operand::local(c), Operand::Const(Const::Int { value: 0x80, ty: byte }));
        self.b.terminate(TermKind::If { cond: is_ascii, then: ascii, else_: multi });
        self.b.switch_to(ascii);
        self.b.assign_local(r, Rvalue::Convert(Operand::local(c), rune));
        self.b.assign_local(next, Rvalue::Binary(BinOp::Add, Operand::local(i), Operand::int(1, int)));
        self.b.terminate(TermKind::Goto(body_b));
        self.b.switch_to(multi);
        let args = vec![s.clone(), Operand::local(i)];
        self.b.call(Callee::Runtime(RuntimeFn::DecodeRune), args, vec![Place::local(r), Place::local(next)]);
        self.b.terminate(TermKind::Goto(body_b));
        self.b.switch_to(body_b);
        let (int_t, rune_t) = (self.lx.universe_type("int"), self.lx.universe_type("rune"));
        self.assign_range_vars(def, targets, &[Some((Operand::local(i), int_t)), Some((Operand::local(r), rune_t))]);
        self.loop_body(label, body, done, Some(cont));
        self.goto_and_switch(cont);
        self.b.assign_local(i, Rvalue::Use(Operand::local(next)));
        self.b.terminate(TermKind::Goto(head));
        self.b.switch_to(done);
    }
}
