//! Interfaces: conversions to interface types (boxing), method calls through itabs, type
//! assertions, type switches and comparisons.
//!
//! An interface value is two words: the type word (an empty interface's dynamic type
//! descriptor, or a non-empty interface's itab, whose `typ` is at offset 8 and whose method
//! code addresses start at offset 24) and the data word (the value itself for pointer-shaped
//! types, else a pointer to a heap copy).

use super::func::FnCx;
use crate::ir::ty::{Ty, TyId};
use crate::ir::{BinOp, Callee, Const, Operand, Place, PlaceBase, Rvalue, TermKind};
use crate::runtime_abi::RuntimeFn;
use crate::syntax::ast::ExprId;
use crate::types::ty::Type;
use crate::types::TypeId;

/// Byte offset of `typ` in an itab.
const ITAB_TYPE: u32 = 1;
/// Byte offset of `fun[0]` in an itab.
const ITAB_FUN_OFFSET: i64 = 24;

impl FnCx<'_, '_> {
    /// Whether checker type `t` is an interface type.
    pub fn is_interface(&self, t: TypeId) -> bool {
        matches!(self.lx.under(t), Type::Interface(_))
    }

    /// Whether `t` is an interface without methods (its type word is a descriptor).
    pub fn is_empty_interface(&self, t: TypeId) -> bool {
        self.is_interface(t) && self.lx.interface_method_objs(t).is_empty()
    }

    /// The address of `t`'s type descriptor.
    pub fn desc(&mut self, t: TypeId) -> Operand {
        let id = self.lx.type_desc(t);
        let ptr = self.ir(Ty::Ptr);
        Operand::local(self.temp_of(ptr, Rvalue::Desc(id)))
    }

    /// `v` (of type `from`) as a value of type `to`: converted to an interface when `to` is
    /// one and `from` is not the same interface; otherwise unchanged.
    pub fn coerce(&mut self, v: Operand, from: TypeId, to: TypeId) -> Operand {
        if from == to || !self.is_interface(to) || self.lx.world.ty(from).basic() == Some(crate::types::BasicKind::UntypedNil) {
            if let Operand::Const(Const::Zero(_)) = v {
                return Operand::Const(Const::Zero(self.ty(to)));
            }
            return v;
        }
        // Identical interface types share itabs; any other pair converts (one itab per
        // interface type and dynamic type, so that comparisons of type words hold).
        if self.is_interface(from) && self.lx.link_string(from) == self.lx.link_string(to) {
            return v;
        }
        self.to_interface(v, from, to)
    }

    /// Converts `v` of type `from` to interface type `to`.
    fn to_interface(&mut self, v: Operand, from: TypeId, to: TypeId) -> Operand {
        let ptr = self.ir(Ty::Ptr);
        let iface = self.ir(Ty::Interface);
        let v = self.stabilize(v);
        let (word, data) = if self.is_interface(from) {
            let tab = self.string_part(&v, 0);
            let data = self.string_part(&v, 1);
            let word = if self.is_empty_interface(to) {
                if self.is_empty_interface(from) { tab } else { self.itab_type(tab) }
            } else if self.is_empty_interface(from) {
                // Only a type switch or assertion converts this way: the type implements `to`.
                let inter = self.desc(to);
                self.runtime_value(RuntimeFn::AssertE2I, vec![inter, tab], ptr)
            } else {
                let inter = self.desc(to);
                self.runtime_value(RuntimeFn::ConvI2I, vec![inter, tab], ptr)
            };
            (word, data)
        } else {
            self.lx.note_used_in_interface(from);
            let typ = self.desc(from);
            let word = if self.is_empty_interface(to) {
                typ.clone()
            } else if let Some(itab) = self.lx.static_itab(to, from) {
                Operand::local(self.temp_of(ptr, Rvalue::Itab(itab)))
            } else {
                let inter = self.desc(to);
                let int = self.int();
                self.runtime_value(RuntimeFn::GetItab, vec![inter, typ.clone(), Operand::int(0, int)], ptr)
            };
            let data = self.box_value(v, from, typ);
            (word, data)
        };
        Operand::local(self.temp_of(iface, Rvalue::Aggregate(iface, vec![word, data])))
    }

    /// The data word for a value of concrete type `t`: the value itself for pointer-shaped
    /// types; the address of read-only data for zero-size values and scalar constants (gc
    /// boxes those without allocating too); else a pointer to a new heap copy.
    fn box_value(&mut self, v: Operand, t: TypeId, desc: Operand) -> Operand {
        let ptr = self.ir(Ty::Ptr);
        let ty = self.ty(t);
        if self.lx.is_direct_iface(t) {
            return self.reinterpret(v, ty, ptr);
        }
        let size = self.lx.size_of(t);
        if let Some(bytes) = static_box_bytes(&v, size) {
            let place = Place { base: PlaceBase::Global(self.lx.static_box(bytes, ty)), proj: Vec::new() };
            return Operand::local(self.temp_of(ptr, Rvalue::AddrOf(place)));
        }
        let int = self.int();
        let p = self.temp(ptr);
        let args = vec![Operand::int(size as i64, int), desc, Operand::Const(Const::Bool(true))];
        self.b.call(Callee::Runtime(RuntimeFn::MallocGC), args, vec![Place::local(p)]);
        self.b.assign(Place::deref(Operand::local(p), ty), Rvalue::Use(v));
        Operand::local(p)
    }

    /// The same bytes seen as another IR type of the same size (through memory).
    fn reinterpret(&mut self, v: Operand, from: TyId, to: TyId) -> Operand {
        if from == to {
            return v;
        }
        let ptr = self.ir(Ty::Ptr);
        let tmp = self.temp_of(from, Rvalue::Use(v));
        let addr = self.temp_of(ptr, Rvalue::AddrOf(Place::local(tmp)));
        Operand::local(self.temp_of(to, Rvalue::Use(Operand::place(Place::deref(Operand::local(addr), to)))))
    }

    /// The dynamic type descriptor held by a non-empty interface's itab word (nil for nil).
    fn itab_type(&mut self, tab: Operand) -> Operand {
        let ptr = self.ir(Ty::Ptr);
        let result = self.temp_of(ptr, Rvalue::Use(Operand::Const(Const::Zero(ptr))));
        let nonnil = self.compare(BinOp::Ne, tab.clone(), Operand::Const(Const::Zero(ptr)));
        let (load, done) = (self.b.block(), self.b.block());
        self.b.terminate(TermKind::If { cond: nonnil, then: load, else_: done });
        self.b.switch_to(load);
        let words = self.ir(Ty::Array { len: 3, elem: ptr });
        let int = self.int();
        let place = Place::deref(tab, words).project(crate::ir::Proj::Index(Operand::int(i64::from(ITAB_TYPE), int)));
        self.b.assign_local(result, Rvalue::Use(Operand::place(place)));
        self.b.terminate(TermKind::Goto(done));
        self.b.switch_to(done);
        Operand::local(result)
    }

    /// gc's explicit nil check: panics with the nil-dereference error when pointer `p` is nil.
    pub fn nil_check(&mut self, p: Operand) {
        let ptr = self.ir(Ty::Ptr);
        let is_nil = self.compare(BinOp::Eq, p, Operand::Const(Const::Zero(ptr)));
        let (fail, ok) = (self.b.block(), self.b.block());
        self.b.terminate(TermKind::If { cond: is_nil, then: fail, else_: ok });
        self.b.switch_to(fail);
        self.b.call(Callee::Runtime(RuntimeFn::PanicMem), Vec::new(), Vec::new());
        self.b.terminate(TermKind::Unreachable);
        self.b.switch_to(ok);
    }

    /// The dynamic type descriptor of interface value `v` of type `t`.
    pub fn dynamic_type(&mut self, v: &Operand, t: TypeId) -> Operand {
        let word = self.string_part(v, 0);
        if self.is_empty_interface(t) {
            word
        } else {
            self.itab_type(word)
        }
    }

    /// A method call through an interface: `x.M(args)` with `index` the method's position
    /// in the interface's sorted method list.
    pub fn interface_call(&mut self, x: Operand, index: usize, args: Vec<Operand>, results: Vec<TyId>) -> Vec<Operand> {
        let ptr = self.ir(Ty::Ptr);
        let x = self.stabilize(x);
        let tab = self.string_part(&x, 0);
        let data = self.string_part(&x, 1);
        let code_addr = self.temp_of(ptr, Rvalue::Offset { ptr: tab, index: Operand::int(ITAB_FUN_OFFSET + 8 * index as i64, self.int()), scale: 1 });
        let code = self.temp_of(ptr, Rvalue::Use(Operand::place(Place::deref(Operand::local(code_addr), ptr))));
        let mut all = vec![data];
        all.extend(args);
        let outs: Vec<_> = results.iter().map(|&r| self.temp(r)).collect();
        let callee = Callee::Indirect { code: Operand::local(code), results };
        self.b.call(callee, all, outs.iter().map(|&o| Place::local(o)).collect());
        outs.into_iter().map(Operand::local).collect()
    }

    /// `x.(T)` (panicking) or `v, ok := x.(T)` (`comma_ok`): returns the value (and ok).
    pub fn type_assert(&mut self, x: ExprId, t: TypeId, comma_ok: bool) -> Vec<Operand> {
        let xt = self.type_of(x);
        let v = self.expr(x);
        let v = self.stabilize(v);
        let ptr = self.ir(Ty::Ptr);
        let bool_ty = self.ir(Ty::Bool);
        let ty = self.ty(t);
        let ok = self.temp_of(bool_ty, Rvalue::Use(Operand::Const(Const::Bool(false))));
        let result = self.temp_of(ty, Rvalue::Use(Operand::Const(Const::Zero(ty))));
        let word = self.string_part(&v, 0);
        let data = self.string_part(&v, 1);
        if self.is_interface(t) {
            let inter = self.desc(t);
            let empty_source = self.is_empty_interface(xt);
            if self.is_empty_interface(t) {
                let typ = self.dynamic_type(&v, xt);
                let present = self.compare(BinOp::Ne, typ.clone(), Operand::Const(Const::Zero(ptr)));
                self.b.assign_local(ok, Rvalue::Use(present));
                self.b.assign_local(result, Rvalue::Aggregate(ty, vec![typ, data]));
            } else {
                let f = if empty_source { RuntimeFn::AssertE2I2 } else { RuntimeFn::AssertI2I2 };
                self.b.call(Callee::Runtime(f), vec![inter.clone(), word.clone(), data], vec![Place::local(result)]);
                let tab = Operand::place(Place::local(result).field(0));
                let present = self.compare(BinOp::Ne, tab, Operand::Const(Const::Zero(ptr)));
                self.b.assign_local(ok, Rvalue::Use(present));
            }
            if !comma_ok {
                self.fail_unless_ok(ok, word, t, xt, empty_source);
            }
        } else {
            let typ = self.dynamic_type(&v, xt);
            let want = self.desc(t);
            let same = self.compare(BinOp::Eq, typ, want);
            self.b.assign_local(ok, Rvalue::Use(same));
            let (hit, done) = (self.b.block(), self.b.block());
            self.b.terminate(TermKind::If { cond: Operand::local(ok), then: hit, else_: done });
            self.b.switch_to(hit);
            let value = self.unbox(data, t);
            self.b.assign_local(result, Rvalue::Use(value));
            self.b.terminate(TermKind::Goto(done));
            self.b.switch_to(done);
            if !comma_ok {
                let empty_source = self.is_empty_interface(xt);
                self.fail_unless_ok(ok, word, t, xt, empty_source);
            }
        }
        let mut out = vec![Operand::local(result)];
        if comma_ok {
            out.push(Operand::local(ok));
        }
        out
    }

    /// Panics with gc's interface conversion message unless `ok`.
    fn fail_unless_ok(&mut self, ok: crate::ir::LocalId, word: Operand, want: TypeId, iface: TypeId, empty_source: bool) {
        let (fail, done) = (self.b.block(), self.b.block());
        self.b.terminate(TermKind::If { cond: Operand::local(ok), then: done, else_: fail });
        self.b.switch_to(fail);
        let want_desc = self.desc(want);
        let iface_desc = self.desc(iface);
        let f = if empty_source { RuntimeFn::PanicDottypeE } else { RuntimeFn::PanicDottypeI };
        self.b.call(Callee::Runtime(f), vec![word, want_desc, iface_desc], Vec::new());
        self.b.terminate(TermKind::Unreachable);
        self.b.switch_to(done);
    }

    /// The value of concrete type `t` held in data word `data`.
    pub fn unbox(&mut self, data: Operand, t: TypeId) -> Operand {
        let ty = self.ty(t);
        let ptr = self.ir(Ty::Ptr);
        if self.lx.is_direct_iface(t) {
            return self.reinterpret(data, ptr, ty);
        }
        Operand::place(Place::deref(data, ty))
    }

    /// `x == y` / `x != y` on interface values of type `t`.
    pub fn interface_eq(&mut self, op: BinOp, x: Operand, y: Operand, t: TypeId) -> Operand {
        let bool_ty = self.ir(Ty::Bool);
        let x = self.stabilize(x);
        let y = self.stabilize(y);
        let (xw, yw) = (self.string_part(&x, 0), self.string_part(&y, 0));
        let same = self.compare(BinOp::Eq, xw.clone(), yw);
        let result = self.temp_of(bool_ty, Rvalue::Use(same));
        let ptr = self.ir(Ty::Ptr);
        let (check, done) = (self.b.block(), self.b.block());
        let nonnil = self.compare(BinOp::Ne, xw.clone(), Operand::Const(Const::Zero(ptr)));
        let both = self.temp_of(bool_ty, Rvalue::Binary(BinOp::And, Operand::local(result), nonnil));
        self.b.terminate(TermKind::If { cond: Operand::local(both), then: check, else_: done });
        self.b.switch_to(check);
        let (xd, yd) = (self.string_part(&x, 1), self.string_part(&y, 1));
        let f = if self.is_empty_interface(t) { RuntimeFn::EfaceEq } else { RuntimeFn::IfaceEq };
        self.b.call(Callee::Runtime(f), vec![xw, xd, yd], vec![Place::local(result)]);
        self.b.terminate(TermKind::Goto(done));
        self.b.switch_to(done);
        if op == BinOp::Ne {
            self.b.assign_local(result, Rvalue::Unary(crate::ir::UnOp::Not, Operand::local(result)));
        }
        Operand::local(result)
    }
}

impl FnCx<'_, '_> {
    /// `switch v := x.(type) { case T1: ...; case T2, T3: ...; case nil: ...; default: ... }`.
    pub fn type_switch(
        &mut self,
        s: crate::syntax::ast::StmtId,
        label: Option<crate::types::ObjId>,
        x: ExprId,
        body: crate::syntax::ast::List<crate::syntax::ast::CaseClause>,
    ) {
        let xt = self.type_of(x);
        let v = self.expr(x);
        let v = self.stabilize(v);
        let typ = self.dynamic_type(&v, xt);
        let typ = self.stabilize(typ);
        let ptr = self.ir(Ty::Ptr);
        let file = self.file;
        let clauses = &file[body];
        let (bodies, done) = self.switch_dispatch(clauses, |fx, c, then, next| {
            let tv = fx.tv(c).unwrap_or_default();
            let hit = if tv.mode == crate::types::Mode::NilValue {
                fx.compare(BinOp::Eq, typ.clone(), Operand::Const(Const::Zero(ptr)))
            } else if fx.is_interface(tv.ty) {
                fx.implements(&v, xt, tv.ty)
            } else {
                let want = fx.desc(tv.ty);
                fx.compare(BinOp::Eq, typ.clone(), want)
            };
            fx.b.terminate(TermKind::If { cond: hit, then, else_: next });
        });
        for (i, clause) in clauses.iter().enumerate() {
            self.b.switch_to(bodies[i]);
            if let Some(&obj) = self.info.implicits.get(&crate::types::Implicit::TypeSwitchCase(s, i as u32)) {
                self.bind_case_var(obj, &v, xt);
            }
            self.targets.push(super::func::BranchTarget { label, brk: done, cont: None });
            for &st in &file[clause.body] {
                self.stmt(st);
            }
            self.targets.pop();
            if !self.b.is_terminated() {
                self.b.terminate(TermKind::Goto(done));
            }
        }
        self.b.switch_to(done);
    }

    /// Whether the dynamic type of `v` (of interface type `xt`) implements interface `want`.
    fn implements(&mut self, v: &Operand, xt: TypeId, want: TypeId) -> Operand {
        let ptr = self.ir(Ty::Ptr);
        if self.is_empty_interface(want) {
            let typ = self.dynamic_type(v, xt);
            return self.compare(BinOp::Ne, typ, Operand::Const(Const::Zero(ptr)));
        }
        let iface = self.ir(Ty::Interface);
        let inter = self.desc(want);
        let word = self.string_part(v, 0);
        let data = self.string_part(v, 1);
        let f = if self.is_empty_interface(xt) { RuntimeFn::AssertE2I2 } else { RuntimeFn::AssertI2I2 };
        let r = self.temp(iface);
        self.b.call(Callee::Runtime(f), vec![inter, word, data], vec![Place::local(r)]);
        self.compare(BinOp::Ne, Operand::place(Place::local(r).field(0)), Operand::Const(Const::Zero(ptr)))
    }

    /// Declares a type switch clause's variable: the value as the clause's single type, or
    /// the switched value itself.
    fn bind_case_var(&mut self, obj: crate::types::ObjId, v: &Operand, xt: TypeId) {
        let t = self.obj_type(obj);
        let var = self.declare_var(obj, t);
        let value = if t == xt {
            v.clone()
        } else if self.is_interface(t) {
            self.to_interface(v.clone(), xt, t)
        } else {
            let data = self.string_part(v, 1);
            self.unbox(data, t)
        };
        let place = self.var_place(var);
        self.b.assign(place, Rvalue::Use(value));
    }
}

/// The bytes of a value that can be boxed as read-only data instead of a heap copy: any
/// zero-size value, and constants of scalar types (integers, floats, complex numbers,
/// booleans, the empty string), laid out little-endian as on both targets.
fn static_box_bytes(v: &Operand, size: u64) -> Option<Vec<u8>> {
    if size == 0 {
        return Some(Vec::new());
    }
    let Operand::Const(c) = v else { return None };
    let bytes = match c {
        Const::Int { value, .. } if size <= 8 => value.to_le_bytes()[..size as usize].to_vec(),
        Const::Float { value, .. } if size == 4 => (*value as f32).to_bits().to_le_bytes().to_vec(),
        Const::Float { value, .. } => value.to_bits().to_le_bytes().to_vec(),
        Const::Complex { re, im, .. } if size == 8 => {
            [(*re as f32).to_bits().to_le_bytes(), (*im as f32).to_bits().to_le_bytes()].concat()
        }
        Const::Complex { re, im, .. } => [re.to_bits().to_le_bytes(), im.to_bits().to_le_bytes()].concat(),
        Const::Bool(b) => vec![u8::from(*b)],
        Const::Str(s) if s.is_empty() => vec![0; 16],
        _ => return None,
    };
    Some(bytes)
}
