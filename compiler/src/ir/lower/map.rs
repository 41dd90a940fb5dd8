//! Maps through the runtime's hashmap (gc's map.go entry points): make, index (with
//! comma-ok), assignment, delete, len, range and literals. Keys are passed by address.

use super::func::FnCx;
use crate::ir::ty::Ty;
use crate::ir::{BinOp, Callee, Const, Operand, Place, Rvalue, TermKind};
use crate::runtime_abi::RuntimeFn;
use crate::syntax::ast::{BlockId, ExprId, ExprKind};
use crate::types::ty::Type;
use crate::types::{ObjId, TypeId};

/// Size of the runtime's map iterator (gc's hiter): key pointer at 0, elem pointer at 8.
const HITER_SIZE: u64 = 96;

impl FnCx<'_, '_> {
    /// The key and element types of map type `t`.
    fn map_types(&self, t: TypeId) -> (TypeId, TypeId) {
        match self.lx.under(t) {
            Type::Map(k, v) => (*k, *v),
            _ => (t, t),
        }
    }

    /// `make(map[K]V[, hint])`.
    pub fn make_map(&mut self, t: TypeId, hint: Option<ExprId>) -> Operand {
        let int = self.int();
        let ptr = self.ir(Ty::Ptr);
        let hint = match hint {
            Some(h) => {
                let v = self.expr(h);
                self.to_int(v, int)
            }
            None => Operand::int(0, int),
        };
        let desc = self.desc(t);
        self.runtime_value(RuntimeFn::MakeMap, vec![desc, hint, Operand::Const(Const::Zero(ptr))], ptr)
    }

    /// The address of a temporary holding key `k` (converted to the key type).
    fn key_addr(&mut self, key: ExprId, key_t: TypeId) -> Operand {
        let kt = self.type_of(key);
        let v = self.expr(key);
        let v = self.coerce(v, kt, key_t);
        let ty = self.ty(key_t);
        let tmp = self.temp_of(ty, Rvalue::Use(v));
        let ptr = self.ir(Ty::Ptr);
        Operand::local(self.temp_of(ptr, Rvalue::AddrOf(Place::local(tmp))))
    }

    /// The arguments (map descriptor, map, key address) of a map operation on `m[key]`,
    /// and the element type.
    fn map_op_args(&mut self, m: ExprId, key: ExprId) -> (Vec<Operand>, TypeId) {
        let t = self.type_of(m);
        let (kt, vt) = self.map_types(t);
        let mv = self.expr(m);
        let mv = self.stabilize(mv);
        let k = self.key_addr(key, kt);
        let desc = self.desc(t);
        (vec![desc, mv, k], vt)
    }

    /// `m[k]` read: the element (the zero value when absent), through mapaccess1.
    pub fn map_index(&mut self, m: ExprId, key: ExprId) -> Place {
        let (args, vt) = self.map_op_args(m, key);
        let ptr = self.ir(Ty::Ptr);
        let p = self.runtime_value(RuntimeFn::MapAccess1, args, ptr);
        Place::deref(p, self.ty(vt))
    }

    /// `v, ok := m[k]`.
    pub fn map_index_ok(&mut self, m: ExprId, key: ExprId) -> Vec<Operand> {
        let (args, vt) = self.map_op_args(m, key);
        let ptr = self.ir(Ty::Ptr);
        let bool_ty = self.ir(Ty::Bool);
        let (p, ok) = (self.temp(ptr), self.temp(bool_ty));
        self.b.call(Callee::Runtime(RuntimeFn::MapAccess2), args, vec![Place::local(p), Place::local(ok)]);
        let ty = self.ty(vt);
        let v = self.temp_of(ty, Rvalue::Use(Operand::place(Place::deref(Operand::local(p), ty))));
        vec![Operand::local(v), Operand::local(ok)]
    }

    /// The element slot of `m[k]` for assignment (mapassign; panics on a nil map).
    pub fn map_assign_place(&mut self, m: ExprId, key: ExprId) -> Place {
        let (args, vt) = self.map_op_args(m, key);
        let ptr = self.ir(Ty::Ptr);
        let p = self.runtime_value(RuntimeFn::MapAssign, args, ptr);
        Place::deref(p, self.ty(vt))
    }

    /// `delete(m, k)`.
    /// `delete(m, key)` on evaluated operands of types `mt` and `kt`.
    pub fn map_delete(&mut self, (m, mt): (Operand, TypeId), (key, kt): (Operand, TypeId)) {
        let (key_t, _) = self.map_types(mt);
        let v = self.coerce(key, kt, key_t);
        let ty = self.ty(key_t);
        let tmp = self.temp_of(ty, Rvalue::Use(v));
        let ptr = self.ir(Ty::Ptr);
        let k = Operand::local(self.temp_of(ptr, Rvalue::AddrOf(Place::local(tmp))));
        let desc = self.desc(mt);
        self.b.call(Callee::Runtime(RuntimeFn::MapDelete), vec![desc, m, k], Vec::new());
    }

    /// `len(m)`: 0 for nil, else the count in the map header's first word.
    pub fn map_len(&mut self, m: Operand) -> Operand {
        let int = self.int();
        let ptr = self.ir(Ty::Ptr);
        let m = self.stabilize(m);
        let n = self.temp_of(int, Rvalue::Use(Operand::int(0, int)));
        let nonnil = self.compare(BinOp::Ne, m.clone(), Operand::Const(Const::Zero(ptr)));
        let (load, done) = (self.b.block(), self.b.block());
        self.b.terminate(TermKind::If { cond: nonnil, then: load, else_: done });
        self.b.switch_to(load);
        self.b.assign_local(n, Rvalue::Use(Operand::place(Place::deref(m, int))));
        self.b.terminate(TermKind::Goto(done));
        self.b.switch_to(done);
        Operand::local(n)
    }

    /// A map composite literal: make, then one assignment per element.
    pub fn map_lit(&mut self, t: TypeId, elems: &[ExprId], dst: Place) {
        let m = self.make_map(t, None);
        let m = self.stabilize(m);
        let (kt, vt) = self.map_types(t);
        let desc = self.desc(t);
        let ptr = self.ir(Ty::Ptr);
        for &el in elems {
            let ExprKind::KeyValue { key, value } = self.file[el].kind else { continue };
            let k = self.key_addr(key, kt);
            let vty = self.type_of(value);
            let v = self.expr(value);
            let v = self.coerce(v, vty, vt);
            let v = self.stabilize(v);
            let p = self.runtime_value(RuntimeFn::MapAssign, vec![desc.clone(), m.clone(), k], ptr);
            let ty = self.ty(vt);
            self.b.assign(Place::deref(p, ty), Rvalue::Use(v));
        }
        self.b.assign(dst, Rvalue::Use(m));
    }

    /// `for k, v := range m`: through mapiterinit/mapiternext (randomised order).
    pub fn range_map(&mut self, label: Option<ObjId>, def: bool, targets: &[ExprId], m: ExprId, body: BlockId) {
        let t = self.type_of(m);
        let (kt, vt) = self.map_types(t);
        let mv = self.expr(m);
        let mv = self.stabilize(mv);
        let ptr = self.ir(Ty::Ptr);
        let word = self.ir(Ty::Ptr);
        let it_ty = self.ir(Ty::Array { len: HITER_SIZE / 8, elem: word });
        let it = self.temp(it_ty);
        // mapiterinit expects a zeroed iterator (gc's hiter is a fresh variable); this one's
        // slot is reused when the loop runs again.
        self.b.assign(Place::local(it), Rvalue::Use(Operand::Const(Const::Zero(it_ty))));
        let it_addr = self.temp_of(ptr, Rvalue::AddrOf(Place::local(it)));
        let desc = self.desc(t);
        self.b.call(Callee::Runtime(RuntimeFn::MapIterInit), vec![desc, mv, Operand::local(it_addr)], Vec::new());
        self.declare_range_vars(def, targets);
        let (head, body_b, cont, done) = (self.b.block(), self.b.block(), self.b.block(), self.b.block());
        self.goto_and_switch(head);
        let int = self.int();
        let key_ptr = Operand::place(Place::deref(Operand::local(it_addr), it_ty).project(crate::ir::Proj::Index(Operand::int(0, int))));
        let key_ptr = self.stabilize(key_ptr);
        let more = self.compare(BinOp::Ne, key_ptr.clone(), Operand::Const(Const::Zero(ptr)));
        self.b.terminate(TermKind::If { cond: more, then: body_b, else_: done });
        self.b.switch_to(body_b);
        let key = Operand::place(Place::deref(key_ptr, self.ty(kt)));
        let value = if targets.len() > 1 {
            let elem_ptr = Operand::place(Place::deref(Operand::local(it_addr), it_ty).project(crate::ir::Proj::Index(Operand::int(1, int))));
            Some(Operand::place(Place::deref(elem_ptr, self.ty(vt))))
        } else {
            None
        };
        self.assign_range_vars(def, targets, &[Some((key, kt)), value.map(|v| (v, vt))]);
        self.loop_body(label, body, done, Some(cont));
        self.goto_and_switch(cont);
        self.b.call(Callee::Runtime(RuntimeFn::MapIterNext), vec![Operand::local(it_addr)], Vec::new());
        self.b.terminate(TermKind::Goto(head));
        self.b.switch_to(done);
    }
}
