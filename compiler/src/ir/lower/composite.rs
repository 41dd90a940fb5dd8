//! Composite literals and slice expressions.

use super::func::FnCx;
use crate::ir::ty::Ty;
use crate::ir::{BinOp, Const, Operand, Place, Proj, Rvalue, TermKind};
use crate::runtime_abi::RuntimeFn;
use crate::syntax::ast::{ExprId, ExprKind};
use crate::types::ty::Type;

impl FnCx<'_, '_> {
    /// Stores composite literal `e` into `dst` (zeroed first: omitted fields and elements
    /// are zero).
    pub fn composite_lit(&mut self, e: ExprId, dst: Place) {
        let t = self.type_of(e);
        self.composite_lit_of(e, t, dst);
    }

    /// Stores composite literal `e` as a value of type `t` into `dst`; for a pointer type
    /// (an elided `&T` inside another literal, as `[]*T{{1}}`) into a new T.
    fn composite_lit_of(&mut self, e: ExprId, t: crate::types::TypeId, dst: Place) {
        let ExprKind::CompositeLit { elems, .. } = self.file[e].kind else { return };
        if let Type::Pointer(base) = self.lx.under(t).clone() {
            let ptr = self.ir(Ty::Ptr);
            let p = self.temp(ptr);
            let base_ty = self.ty(base);
            self.new_object(p, base_ty);
            self.composite_lit_of(e, base, Place::deref(Operand::local(p), base_ty));
            self.b.assign(dst, Rvalue::Use(Operand::local(p)));
            return;
        }
        let elems: Vec<ExprId> = self.file[elems].to_vec();
        let ty = self.ty(t);
        let int = self.int();
        match self.lx.under(t).clone() {
            Type::Struct(st) => {
                // Field values are evaluated in order, then stored.
                let mut values = Vec::new();
                for (i, &el) in elems.iter().enumerate() {
                    let (field, value) = match self.file[el].kind {
                        ExprKind::KeyValue { key, value } => {
                            let name = self.file.name(key);
                            (st.fields.iter().position(|&f| self.lx.world.obj(f).name == name).unwrap_or(i), value)
                        }
                        _ => (i, el),
                    };
                    let want = self.lx.world.obj(st.fields[field]).typ();
                    values.push((field, self.elem_value(value, want)));
                }
                self.b.assign(dst.clone(), Rvalue::Use(Operand::Const(Const::Zero(ty))));
                for (field, v) in values {
                    // A blank field's value is evaluated but not stored: the field stays zero.
                    if self.lx.world.obj(st.fields[field]).name.as_str() == "_" {
                        continue;
                    }
                    self.b.assign(dst.clone().field(field as u32), Rvalue::Use(v));
                }
            }
            Type::Array(_, _) => {
                self.b.assign(dst.clone(), Rvalue::Use(Operand::Const(Const::Zero(ty))));
                for (i, v) in self.indexed_values(&elems, self.lx.elem(t)) {
                    self.b.assign(dst.clone().project(Proj::Index(Operand::int(i, int))), Rvalue::Use(v));
                }
            }
            Type::Slice(elem) => {
                let values = self.indexed_values(&elems, elem);
                let n = values.iter().map(|(i, _)| i + 1).max().unwrap_or(0);
                let elem_ty = self.ty(elem);
                let arr_ty = self.ir(Ty::Array { len: n as u64, elem: elem_ty });
                let ptr = self.ir(Ty::Ptr);
                let backing = self.temp(ptr);
                self.alloc_object(e, backing, arr_ty);
                for (i, v) in values {
                    let place = Place::deref(Operand::local(backing), arr_ty).project(Proj::Index(Operand::int(i, int)));
                    self.b.assign(place, Rvalue::Use(v));
                }
                let len = Operand::int(n, int);
                self.b.assign(dst, Rvalue::Aggregate(ty, vec![Operand::local(backing), len.clone(), len]));
            }
            Type::Map(..) => self.map_lit(t, &elems, dst),
            Type::Pointer(base) => {
                // An elided `&T{...}` inside a literal of pointers (the type may be a
                // type parameter whose core type is *T).
                let base_ty = self.ty(base);
                let ptr = self.ir(Ty::Ptr);
                let obj = self.temp(ptr);
                self.new_object(obj, base_ty);
                self.composite_lit_of(e, base, Place::deref(Operand::local(obj), base_ty));
                self.b.assign(dst, Rvalue::Use(Operand::local(obj)));
            }
            _ => self.unsupported(self.file[e].pos, "this composite literal"),
        }
    }

    /// One element's value; elided composite literal types (`{1, 2}` inside `[][]int{...}`)
    /// are handled like explicit ones.
    fn elem_value(&mut self, v: ExprId, want: crate::types::TypeId) -> Operand {
        let have = self.type_of(v);
        let v2 = self.expr(v);
        let v2 = self.coerce(v2, have, want);
        self.stabilize(v2)
    }

    /// The values of an array or slice literal's elements with their indices (keys are
    /// constant indices; unkeyed elements follow the previous one).
    fn indexed_values(&mut self, elems: &[ExprId], elem_t: crate::types::TypeId) -> Vec<(i64, Operand)> {
        let mut next = 0i64;
        let mut out = Vec::new();
        for &el in elems {
            let (index, value) = match self.file[el].kind {
                ExprKind::KeyValue { key, value } => {
                    let k = self.tv(key).and_then(|tv| self.lx.info.value(tv)).map(super::expr::int_bits).unwrap_or(next);
                    (k, value)
                }
                _ => (next, el),
            };
            let v = self.elem_value(value, elem_t);
            out.push((index, v));
            next = index + 1;
        }
        out
    }

    /// `x[lo:hi]` and `x[lo:hi:max]` of strings, slices, arrays and pointers to arrays, with
    /// gc's bounds checks (0 <= lo <= hi <= max <= cap).
    pub fn slice_expr(&mut self, e: ExprId, x: ExprId, index: [Option<ExprId>; 3], full: bool) -> Operand {
        let xt = self.type_of(x);
        let int = self.int();
        let rt = self.type_of(e);
        let result_ty = self.ty(rt);
        let ptr = self.ir(Ty::Ptr);
        // The base pointer, length and capacity of what is sliced, and the element size.
        let (base, len, cap, elem_size, is_string) = match self.lx.under(xt).clone() {
            Type::Array(n, elem) => {
                let p = self.place(x);
                let addr = self.temp_of(ptr, Rvalue::AddrOf(p));
                (Operand::local(addr), Operand::int(n, int), Operand::int(n, int), self.lx.size_of(elem), false)
            }
            Type::Pointer(a) => {
                let Type::Array(n, elem) = self.lx.under(a).clone() else { return Operand::Const(Const::Zero(result_ty)) };
                let p = self.expr(x);
                let p = self.stabilize(p);
                (p, Operand::int(n, int), Operand::int(n, int), self.lx.size_of(elem), false)
            }
            Type::Slice(elem) => {
                let s = self.expr(x);
                let s = self.stabilize(s);
                let (p, l, c) = (self.string_part(&s, 0), self.string_part(&s, 1), self.string_part(&s, 2));
                (p, l, c, self.lx.size_of(elem), false)
            }
            _ => {
                let s = self.expr(x);
                let s = self.stabilize(s);
                let (p, l) = (self.string_part(&s, 0), self.string_part(&s, 1));
                (p, l.clone(), l, 1, true)
            }
        };
        let bound = |fx: &mut Self, i: Option<ExprId>, default: Operand| match i {
            Some(i) => {
                let v = fx.expr(i);
                let v = fx.to_int(v, int);
                fx.stabilize(v)
            }
            None => default,
        };
        let lo = bound(self, index[0], Operand::int(0, int));
        let hi = bound(self, index[1], len.clone());
        let max = if full { bound(self, index[2], cap.clone()) } else { cap.clone() };
        // hi <= max <= cap, then lo <= hi, each with gc's panic.
        if full {
            self.bounds_check(max.clone(), cap.clone(), RuntimeFn::GoPanicSlice3Acap);
            self.bounds_check(hi.clone(), max.clone(), RuntimeFn::GoPanicSlice3B);
            self.bounds_check(lo.clone(), hi.clone(), RuntimeFn::GoPanicSlice3C);
        } else {
            let f = if is_string || index[1].is_none() { RuntimeFn::GoPanicSliceAlen } else { RuntimeFn::GoPanicSliceAcap };
            self.bounds_check(hi.clone(), if is_string { len.clone() } else { cap.clone() }, f);
            self.bounds_check(lo.clone(), hi.clone(), RuntimeFn::GoPanicSliceB);
        }
        let new_len = self.temp_of(int, Rvalue::Binary(BinOp::Sub, hi, lo.clone()));
        let new_cap = self.temp_of(int, Rvalue::Binary(BinOp::Sub, max, lo.clone()));
        // The new base is base + lo*size, except when the new capacity is 0: then, as in gc,
        // the base stays put, so that it never points past the end of the backing store.
        let offset = self.temp_of(int, Rvalue::Binary(BinOp::Mul, lo, Operand::int(elem_size as i64, int)));
        let empty = self.compare(BinOp::Eq, Operand::local(new_cap), Operand::int(0, int));
        let (clear, done) = (self.b.block(), self.b.block());
        self.b.terminate(TermKind::If { cond: empty, then: clear, else_: done });
        self.b.switch_to(clear);
        self.b.assign_local(offset, Rvalue::Use(Operand::int(0, int)));
        self.b.terminate(TermKind::Goto(done));
        self.b.switch_to(done);
        let new_base = self.temp_of(ptr, Rvalue::Offset { ptr: base, index: Operand::local(offset), scale: 1 });
        let parts = if is_string {
            vec![Operand::local(new_base), Operand::local(new_len)]
        } else {
            vec![Operand::local(new_base), Operand::local(new_len), Operand::local(new_cap)]
        };
        Operand::local(self.temp_of(result_ty, Rvalue::Aggregate(result_ty, parts)))
    }

    /// Panics with `f(x, y)` unless 0 <= x <= y (compared as unsigned, as gc does).
    fn bounds_check(&mut self, x: Operand, y: Operand, f: RuntimeFn) {
        if let (Operand::Const(Const::Int { value: a, .. }), Operand::Const(Const::Int { value: b, .. })) = (&x, &y) {
            if 0 <= *a && a <= b {
                return;
            }
        }
        let uint = self.ir(Ty::Int { bits: 64, signed: false });
        let ux = self.temp_of(uint, Rvalue::Convert(x.clone(), uint));
        let uy = self.temp_of(uint, Rvalue::Convert(y.clone(), uint));
        let ok = self.compare(BinOp::Le, Operand::local(ux), Operand::local(uy));
        self.b.check(ok, f, vec![x, y]);
    }
}
