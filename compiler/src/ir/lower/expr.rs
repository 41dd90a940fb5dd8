//! Expressions and places.

use super::func::FnCx;
use crate::ir::ty::{Ty, TyId};
use crate::ir::{BinOp, Callee, Const, Operand, Place, PlaceBase, Proj, Rvalue, UnOp};
use crate::runtime_abi::RuntimeFn;
use crate::syntax::ast::{ExprId, ExprKind};
use crate::syntax::pos::Pos;
use crate::syntax::token::Operator;
use crate::types::constant::ConstValue;
use crate::types::ty::Type;
use crate::types::{Mode, ObjId, ObjKind, SelectionKind, TypeId};
use num_traits::ToPrimitive;

impl FnCx<'_, '_> {
    /// The checker type of expression `e`.
    pub fn type_of(&self, e: ExprId) -> TypeId {
        self.tv(e).map(|t| t.ty).unwrap_or_default()
    }

    /// The value of a single-valued expression.
    pub fn expr(&mut self, e: ExprId) -> Operand {
        if let Some(v) = self.preset(e) {
            return v;
        }
        let Some(tv) = self.tv(e) else {
            self.unsupported(self.file.start_pos(e), "this expression");
            return Operand::Const(Const::Bool(false));
        };
        if let Some(v) = self.lx.info.value(tv) {
            return self.constant(tv.ty, v);
        }
        if tv.mode == Mode::NilValue {
            return Operand::Const(Const::Zero(self.ty(tv.ty)));
        }
        let file = self.file;
        if let Some(sym) = self.instance_symbol(e) {
            let ptr = self.ir(Ty::Ptr);
            return Operand::local(self.temp_of(ptr, Rvalue::FuncValue(sym)));
        }
        match file[e].kind {
            ExprKind::Paren(x) => self.expr(x),
            ExprKind::Name(_) => self.name_value(e),
            ExprKind::Operation { op, x, y: Some(y) } => {
                let (xt, yt) = (self.type_of(x), self.type_of(y));
                if matches!(op, Operator::AndAnd | Operator::OrOr) {
                    return self.short_circuit(e);
                }
                let (xv, yv) = (self.expr(x), self.expr(y));
                self.binary_values(file[e].pos, op, (xv, xt), (yv, yt), tv.ty).unwrap_or(Operand::Const(Const::Bool(false)))
            }
            ExprKind::Operation { op, x, y: None } => self.unary(e, op, x, tv.ty),
            ExprKind::Call { .. } => {
                let mut values = self.call(e);
                if values.is_empty() {
                    self.unsupported(self.file.start_pos(e), "using a call without results as a value");
                    return Operand::Const(Const::Bool(false));
                }
                values.swap_remove(0)
            }
            ExprKind::FuncLit { typ, body } => self.func_lit(e, typ, body),
            ExprKind::Selector { x, .. } if !self.selection(e).is_some_and(|s| s.kind == SelectionKind::FieldVal) => {
                match self.selection(e).cloned() {
                    Some(sel) if sel.kind == SelectionKind::MethodVal => self.method_value(e, x, &sel),
                    Some(sel) => self.method_expr(e, &sel),
                    None => match self.qualified(e) {
                        Some(obj) => self.object_value(e, obj),
                        None => {
                            self.unsupported(file.start_pos(e), "this selector");
                            Operand::Const(Const::Zero(self.ty(tv.ty)))
                        }
                    },
                }
            }
            ExprKind::Selector { .. } | ExprKind::Index { .. } => {
                let p = self.place(e);
                Operand::place(p)
            }
            ExprKind::Slice { x, index, full } => self.slice_expr(e, x, index, full),
            ExprKind::Assert { x, .. } => self.type_assert(x, tv.ty, false).swap_remove(0),
            ExprKind::CompositeLit { .. } => {
                let ty = self.ty(tv.ty);
                let t = self.temp(ty);
                self.composite_lit(e, Place::local(t));
                Operand::local(t)
            }
            _ => {
                self.unsupported(self.file.start_pos(e), "this expression");
                Operand::Const(Const::Zero(self.ty(tv.ty)))
            }
        }
    }

    /// The values of a multi-valued expression (a call with several results).
    pub fn multi_value(&mut self, e: ExprId) -> Vec<Operand> {
        let e = self.file.unparen(e);
        match self.file[e].kind {
            ExprKind::Call { .. } => self.call(e),
            ExprKind::Assert { x, .. } => {
                let t = self.type_of(e);
                let t = self.lx.world.tuple_vars(t).first().map(|&v| self.lx.world.obj(v).typ()).unwrap_or(t);
                self.type_assert(x, t, true)
            }
            ExprKind::Index { x, index } if matches!(self.lx.under(self.type_of(x)), Type::Map(..)) => self.map_index_ok(x, index),
            _ if self.recv_operand(e).is_some() => self.recv_comma_ok(self.recv_operand(e).unwrap_or(e)),
            _ => {
                self.unsupported(self.file.start_pos(e), "this multi-value expression");
                Vec::new()
            }
        }
    }

    /// An expression statement (a call, or a receive).
    pub fn expr_stmt(&mut self, e: ExprId) {
        let e = self.file.unparen(e);
        match self.file[e].kind {
            ExprKind::Call { .. } => {
                self.call(e);
            }
            _ => {
                self.expr(e);
            }
        }
    }

    /// A constant of checker type `t`.
    pub fn constant(&self, t: TypeId, v: &ConstValue) -> Operand {
        let ty = self.ty(t);
        let c = match (self.lx.tys.borrow().get(ty), v) {
            (Ty::Bool, _) => Const::Bool(v.as_bool().unwrap_or(false)),
            (Ty::String, _) => Const::Str(v.as_bytes().unwrap_or_default().to_vec()),
            (Ty::Int { .. } | Ty::Ptr, _) => Const::Int { value: int_bits(v), ty },
            (Ty::Float { bits: 32 }, _) => Const::Float { value: v.to_f32().unwrap_or(0.0), ty },
            (Ty::Float { .. }, _) => Const::Float { value: v.to_f64().unwrap_or(0.0), ty },
            (Ty::Complex { bits }, _) => {
                let part = |c: ConstValue| match bits {
                    64 => c.to_f32().unwrap_or(0.0),
                    _ => c.to_f64().unwrap_or(0.0),
                };
                Const::Complex { re: part(v.real()), im: part(v.imag()), ty }
            }
            _ => Const::Zero(ty),
        };
        Operand::Const(c)
    }

    /// The value a name denotes: a variable, or a function as a func value.
    fn name_value(&mut self, e: ExprId) -> Operand {
        let Some(obj) = self.info.use_of(e) else {
            self.unsupported(self.file[e].pos, "this name");
            return Operand::Const(Const::Bool(false));
        };
        self.object_value(e, obj)
    }

    /// The object a qualified identifier `pkg.Name` denotes (None for other selectors).
    pub(super) fn qualified(&self, e: ExprId) -> Option<ObjId> {
        let ExprKind::Selector { sel, .. } = self.file[e].kind else { return None };
        if self.selection(e).is_some() {
            return None;
        }
        self.info.use_of(sel)
    }

    /// The value of object `obj`, which expression `e` (a name or qualified identifier)
    /// denotes: a variable, or a function as a func value.
    fn object_value(&mut self, e: ExprId, obj: ObjId) -> Operand {
        match &self.lx.world.obj(obj).kind {
            ObjKind::Func { .. } => match self.lx.func_symbol(obj) {
                Some(sym) => {
                    let ptr = self.ir(Ty::Ptr);
                    Operand::local(self.temp_of(ptr, Rvalue::FuncValue(sym.clone())))
                }
                None => {
                    let name = format!("functions without a Go body ({}.{})", self.lx.world.obj(obj).pkg.map_or("", |p| self.lx.world.pkg(p).path.as_str()), self.lx.world.obj(obj).name);
                    self.unsupported(self.file[e].pos, &name);
                    Operand::Const(Const::Zero(self.ir(Ty::Ptr)))
                }
            },
            _ => Operand::place(self.place(e)),
        }
    }

    /// The place of an addressable expression; other expressions are evaluated into a
    /// temporary, whose place is returned.
    pub fn place(&mut self, e: ExprId) -> Place {
        let file = self.file;
        let e = file.unparen(e);
        match file[e].kind {
            ExprKind::Name(_) => {
                let obj = self.info.use_of(e).or_else(|| self.info.def(e));
                if let Some(v) = obj.and_then(|o| self.vars.get(&o).copied()) {
                    return self.var_place(v);
                }
                if let Some(g) = obj.and_then(|o| self.lx.global_ids.get(&o).copied()) {
                    return Place { base: PlaceBase::Global(g), proj: Vec::new() };
                }
            }
            ExprKind::Selector { x, .. } => {
                if let Some(sel) = self.selection(e) {
                    if sel.kind == SelectionKind::FieldVal {
                        let path = sel.index.clone();
                        return self.field_path(x, &path);
                    }
                }
                if let Some(g) = self.qualified(e).and_then(|o| self.lx.global_ids.get(&o).copied()) {
                    return Place { base: PlaceBase::Global(g), proj: Vec::new() };
                }
            }
            ExprKind::Index { x, index } => {
                if let Some(p) = self.index_place(x, index) {
                    return p;
                }
            }
            ExprKind::Operation { op: Operator::Mul, x, y: None } => {
                let p = self.expr(x);
                let elem = self.ty(self.lx.elem(self.type_of(x)));
                return Place::deref(p, elem);
            }
            ExprKind::CompositeLit { .. } => {
                let ty = self.ty(self.type_of(e));
                let t = self.temp(ty);
                self.composite_lit(e, Place::local(t));
                return Place::local(t);
            }
            _ => {}
        }
        let unhandled = match file[e].kind {
            ExprKind::Name(_) => self.info.use_of(e).is_some_and(|o| self.lx.world.obj(o).is_var()).then_some("this variable"),
            ExprKind::Selector { .. } => Some("this selector"),
            ExprKind::Index { .. } => Some("this index expression"),
            _ => None,
        };
        if let Some(what) = unhandled {
            // expr() of these comes back here: report instead of recursing.
            self.unsupported(file.start_pos(e), what);
            let ty = self.ty(self.type_of(e));
            return Place::local(self.temp(ty));
        }
        let v = self.expr(e);
        let ty = self.b_operand_ty(&v);
        Place::local(self.temp_of(ty, Rvalue::Use(v)))
    }

    /// The place of `x.f` reached through the embedded fields of `path`, following pointers.
    pub(super) fn field_path(&mut self, x: ExprId, path: &[u32]) -> Place {
        let t = self.type_of(x);
        if matches!(self.lx.under(t), Type::Pointer(_)) {
            let p = self.expr(x);
            let elem = self.lx.elem(t);
            let place = Place::deref(p, self.ty(elem));
            self.walk_fields(place, elem, path)
        } else {
            let place = self.place(x);
            self.walk_fields(place, t, path)
        }
    }

    /// The place reached from `place`, a struct of type `t`, through the fields of `path`,
    /// following pointer fields on the way.
    pub(super) fn walk_fields(&mut self, mut place: Place, mut t: TypeId, path: &[u32]) -> Place {
        for (i, &f) in path.iter().enumerate() {
            if i > 0 {
                if let Type::Pointer(elem) = self.lx.under(t) {
                    let elem = *elem;
                    let p = Operand::place(place);
                    let p = self.stabilize(p);
                    t = elem;
                    place = Place::deref(p, self.ty(t));
                }
            }
            let Some(st) = self.lx.world.struct_type(self.lx.world.under_no_expand(t)) else { break };
            let field = st.fields[f as usize];
            place = place.field(f);
            t = self.lx.world.obj(field).typ();
        }
        place
    }

    /// `x[i]` for arrays, pointers to arrays, slices, strings and maps, with the bounds check.
    fn index_place(&mut self, x: ExprId, index: ExprId) -> Option<Place> {
        let xt = self.type_of(x);
        let int = self.int();
        match self.lx.under(xt).clone() {
            Type::Array(n, _) => {
                let base = self.place(x);
                let i = self.index_value(index, Operand::int(n, int));
                Some(base.project(Proj::Index(i)))
            }
            Type::Pointer(arr) => {
                let Type::Array(n, _) = self.lx.under(arr).clone() else { return None };
                let p = self.expr(x);
                let p = self.stabilize(p);
                let i = self.index_value(index, Operand::int(n, int));
                Some(Place::deref(p, self.ty(arr)).project(Proj::Index(i)))
            }
            Type::Slice(elem) => {
                let s = self.expr(x);
                let s = self.stabilize(s);
                let Operand::Copy(sp) = &s else { return None };
                let len = Operand::place(sp.as_ref().clone().field(1));
                let i = self.index_value(index, len);
                let data = Operand::place(sp.as_ref().clone().field(0));
                Some(self.element(data, i, self.ty(elem)))
            }
            Type::Basic(_) | Type::BasicAlias(..) => {
                let s = self.expr(x);
                let s = self.stabilize(s);
                let len = self.string_part(&s, 1);
                let i = self.index_value(index, len);
                let data = self.string_part(&s, 0);
                let byte = self.ir(Ty::Int { bits: 8, signed: false });
                Some(self.element(data, i, byte))
            }
            Type::Map(..) => Some(self.map_index(x, index)),
            _ => None,
        }
    }

    /// Part `i` of a string or slice operand.
    pub fn string_part(&mut self, s: &Operand, i: u32) -> Operand {
        match s {
            Operand::Copy(p) => Operand::place(p.as_ref().clone().field(i)),
            Operand::Const(Const::Str(bytes)) if i == 1 => Operand::int(bytes.len() as i64, self.int()),
            Operand::Const(c) => {
                let ty = c.ty(&self.lx.tys.borrow());
                let t = self.temp_of(ty, Rvalue::Use(s.clone()));
                Operand::place(Place::local(t).field(i))
            }
        }
    }

    /// The element at `data + i * size` of IR type `elem`.
    pub fn element(&mut self, data: Operand, i: Operand, elem: TyId) -> Place {
        let size = self.lx.tys.borrow().layout(elem).size;
        let ptr = self.ir(Ty::Ptr);
        let addr = self.temp_of(ptr, Rvalue::Offset { ptr: data, index: i, scale: size });
        Place::deref(Operand::local(addr), elem)
    }

    /// An index value as an int, checked against `len` (gc's goPanicIndex on failure).
    /// Constant indices into arrays were checked by the type checker.
    fn index_value(&mut self, index: ExprId, len: Operand) -> Operand {
        let i = self.expr(index);
        let it = self.type_of(index);
        let unsigned = self.lx.basic_kind(it).is_some_and(|k| k.is_unsigned());
        let int = self.int();
        let i = self.to_int(i, int);
        if let (Operand::Const(Const::Int { value, .. }), Operand::Const(Const::Int { value: n, .. })) = (&i, &len) {
            if *value >= 0 && value < n {
                return i;
            }
        }
        let uint = self.ir(Ty::Int { bits: 64, signed: false });
        let ui = Operand::local(self.temp_of(uint, Rvalue::Convert(i.clone(), uint)));
        let ulen = Operand::local(self.temp_of(uint, Rvalue::Convert(len.clone(), uint)));
        let ok = self.compare(BinOp::Lt, ui, ulen);
        let panic = if unsigned { RuntimeFn::GoPanicIndexU } else { RuntimeFn::GoPanicIndex };
        self.b.check(ok, panic, vec![i.clone(), len]);
        i
    }

    /// An integer operand converted to IR type `int` (a temporary unless it already is).
    pub fn to_int(&mut self, v: Operand, int: TyId) -> Operand {
        if self.b_operand_ty(&v) == int {
            return v;
        }
        if let Operand::Const(Const::Int { value, .. }) = v {
            return Operand::int(value, int);
        }
        Operand::local(self.temp_of(int, Rvalue::Convert(v, int)))
    }

    /// The place type of a place being built.
    pub fn place_ty(&self, p: &Place) -> TyId {
        let tys = self.lx.tys.borrow();
        let mut ty = match &p.base {
            PlaceBase::Local(l) => self.b.local_ty(*l),
            PlaceBase::Global(g) => self.lx.globals.borrow()[g.0 as usize].ty,
            PlaceBase::Deref { ty, .. } => *ty,
        };
        for proj in &p.proj {
            ty = tys.projected(ty, proj);
        }
        ty
    }

    /// `a && b`, `a || b` as a value.
    fn short_circuit(&mut self, e: ExprId) -> Operand {
        let bool_ty = self.ir(Ty::Bool);
        let t = self.temp(bool_ty);
        let (yes, no, done) = (self.b.block(), self.b.block(), self.b.block());
        self.cond(e, yes, no);
        self.b.switch_to(yes);
        self.b.assign_local(t, Rvalue::Use(Operand::Const(Const::Bool(true))));
        self.b.terminate(crate::ir::TermKind::Goto(done));
        self.b.switch_to(no);
        self.b.assign_local(t, Rvalue::Use(Operand::Const(Const::Bool(false))));
        self.b.terminate(crate::ir::TermKind::Goto(done));
        self.b.switch_to(done);
        Operand::local(t)
    }

    fn unary(&mut self, e: ExprId, op: Operator, x: ExprId, t: TypeId) -> Operand {
        let ty = self.ty(t);
        match op {
            Operator::And => self.address_of(x),
            Operator::Mul => {
                let p = self.place(e);
                Operand::place(p)
            }
            Operator::Add => self.expr(x),
            Operator::Sub | Operator::Not | Operator::Xor => {
                let v = self.expr(x);
                let un = match op {
                    Operator::Sub => UnOp::Neg,
                    Operator::Not => UnOp::Not,
                    _ => UnOp::Complement,
                };
                Operand::local(self.temp_of(ty, Rvalue::Unary(un, v)))
            }
            Operator::Recv => self.recv_expr(x),
            _ => {
                self.unsupported(self.file[e].pos, "this unary operator");
                Operand::Const(Const::Zero(ty))
            }
        }
    }

    /// `&x`: the address of a variable (which lives on the heap), of a part of one, or of a
    /// new heap object for `&T{...}`.
    fn address_of(&mut self, x: ExprId) -> Operand {
        let x = self.file.unparen(x);
        let ptr = self.ir(Ty::Ptr);
        if let ExprKind::CompositeLit { .. } = self.file[x].kind {
            let ty = self.ty(self.type_of(x));
            let obj = self.temp(ptr);
            self.alloc_object(x, obj, ty);
            self.composite_lit(x, Place::deref(Operand::local(obj), ty));
            return Operand::local(obj);
        }
        // Variables whose address is taken live on the heap (see `escape`), so a place rooted
        // at a local here is a temporary, which may live in the frame.
        let place = self.place(x);
        if self.is_slice_element(x) {
            if let Some(addr) = self.unprobed_address(&place) {
                return addr;
            }
        }
        Operand::local(self.temp_of(ptr, Rvalue::AddrOf(place)))
    }

    /// Whether `x` is an element of a slice or a part of one (fields and array elements
    /// reached without a pointer). Taking its address checks nothing for nil in gc: the
    /// bounds check stands for it (only unsafe code makes a slice of nil data with a length).
    fn is_slice_element(&self, x: ExprId) -> bool {
        match self.file[x].kind {
            ExprKind::Index { x: y, .. } => match self.lx.under(self.type_of(y)) {
                Type::Slice(_) => true,
                Type::Array(..) => self.is_slice_element(self.file.unparen(y)),
                _ => false,
            },
            ExprKind::Selector { x: y, .. } => {
                let field = self.selection(x).is_some_and(|s| s.kind == SelectionKind::FieldVal && !s.indirect);
                field && self.is_slice_element(self.file.unparen(y))
            }
            _ => false,
        }
    }

    /// The address of a place below a pointer, computed without the nil probe that taking
    /// the address of a place adds (`&p.f` checks p in gc): a probe reads the pointed-to
    /// memory, which for a slice element need not be readable.
    fn unprobed_address(&mut self, place: &Place) -> Option<Operand> {
        let PlaceBase::Deref { ptr, ty } = &place.base else { return None };
        let (mut addr, mut ty) = (ptr.clone(), *ty);
        let ptr_ty = self.ir(Ty::Ptr);
        let int = self.int();
        for proj in &place.proj {
            let next = self.lx.tys.borrow().projected(ty, proj);
            let (index, scale) = match proj {
                Proj::Field(i) => (Operand::int(self.lx.tys.borrow().field_offset(ty, *i) as i64, int), 1),
                Proj::Index(i) => (i.clone(), self.lx.tys.borrow().layout(next).size),
            };
            addr = Operand::local(self.temp_of(ptr_ty, Rvalue::Offset { ptr: addr, index, scale }));
            ty = next;
        }
        Some(addr)
    }

    /// `x op y` on values of checker types `xt` and `yt`; the result has type `rt`.
    pub fn binary_values(&mut self, pos: Pos, op: Operator, (x, xt): (Operand, TypeId), (y, yt): (Operand, TypeId), rt: TypeId) -> Option<Operand> {
        let bin = match op {
            Operator::Add => BinOp::Add,
            Operator::Sub => BinOp::Sub,
            Operator::Mul => BinOp::Mul,
            Operator::Div => BinOp::Div,
            Operator::Rem => BinOp::Rem,
            Operator::And => BinOp::And,
            Operator::Or => BinOp::Or,
            Operator::Xor => BinOp::Xor,
            Operator::AndNot => BinOp::AndNot,
            Operator::Shl => BinOp::Shl,
            Operator::Shr => BinOp::Shr,
            Operator::Eql => BinOp::Eq,
            Operator::Neq => BinOp::Ne,
            Operator::Lss => BinOp::Lt,
            Operator::Leq => BinOp::Le,
            Operator::Gtr => BinOp::Gt,
            Operator::Geq => BinOp::Ge,
            _ => {
                self.unsupported(pos, "this operator");
                return None;
            }
        };
        let comparison = matches!(bin, BinOp::Eq | BinOp::Ne | BinOp::Lt | BinOp::Le | BinOp::Gt | BinOp::Ge);
        // Compare in the operands' type: an untyped nil takes the other side's type.
        let operand_t = if self.is_nil(&x) || !self.is_interface(xt) && self.is_interface(yt) { yt } else { xt };
        let ot = self.ty(operand_t);
        let kind = self.lx.tys.borrow().get(ot).clone();
        let rty = self.ty(rt);
        match kind {
            Ty::String => return self.string_binary(pos, bin, x, y),
            Ty::Interface if comparison && !self.is_nil(&x) && !self.is_nil(&y) => {
                // An operand of concrete type is converted to the interface type first.
                let (it, x, y) = if self.is_interface(xt) {
                    let y = self.coerce(y, yt, xt);
                    (xt, x, y)
                } else {
                    let x = self.coerce(x, xt, yt);
                    (yt, x, y)
                };
                return Some(self.interface_eq(bin, x, y, it));
            }
            Ty::Slice | Ty::Interface if comparison => {
                // Only comparison with nil is allowed: compare the first word.
                let (x, y) = (self.first_word(x), self.first_word(y));
                return Some(self.compare(bin, x, y));
            }
            Ty::Struct(_) | Ty::Array { .. } if comparison => return self.aggregate_eq(pos, bin, x, y, operand_t),
            Ty::Interface | Ty::Struct(_) | Ty::Array { .. } | Ty::Slice => {
                self.unsupported(pos, "this operation");
                return None;
            }
            Ty::Complex { .. } if bin == BinOp::Div => return Some(self.complex_div(x, y, rty)),
            _ => {}
        }
        let (x, y) = (self.retype_nil(x, ot), self.retype_nil(y, ot));
        Some(Operand::local(self.temp_of(rty, Rvalue::Binary(bin, x, y))))
    }

    /// `x / y` on complex values, through runtime.complex128div as gc does (complex64
    /// operands widened, the quotient narrowed).
    fn complex_div(&mut self, x: Operand, y: Operand, ty: TyId) -> Operand {
        let f64_ty = self.ir(Ty::Float { bits: 64 });
        let (x, y) = (self.stabilize(x), self.stabilize(y));
        let mut args = Vec::new();
        for v in [&x, &y] {
            for part in 0..2 {
                let p = self.string_part(v, part);
                args.push(Operand::local(self.temp_of(f64_ty, Rvalue::Convert(p, f64_ty))));
            }
        }
        let (re, im) = (self.temp(f64_ty), self.temp(f64_ty));
        self.b.call(Callee::Runtime(RuntimeFn::Complex128Div), args, vec![Place::local(re), Place::local(im)]);
        let Ty::Complex { bits } = self.lx.tys.borrow().get(ty).clone() else { unreachable!("a complex type") };
        let part_ty = self.ir(Ty::Float { bits: bits / 2 });
        let re = Operand::local(self.temp_of(part_ty, Rvalue::Convert(Operand::local(re), part_ty)));
        let im = Operand::local(self.temp_of(part_ty, Rvalue::Convert(Operand::local(im), part_ty)));
        Operand::local(self.temp_of(ty, Rvalue::Aggregate(ty, vec![re, im])))
    }

    /// Whether an operand is a nil constant of pointer shape (the checker leaves the nil in
    /// `p == nil` untyped).
    fn is_nil(&self, v: &Operand) -> bool {
        matches!(v, Operand::Const(Const::Zero(t)) if *self.lx.tys.borrow().get(*t) == Ty::Ptr)
    }

    /// A nil constant given IR type `ty`.
    fn retype_nil(&self, v: Operand, ty: TyId) -> Operand {
        match v {
            Operand::Const(Const::Zero(_)) => Operand::Const(Const::Zero(ty)),
            v => v,
        }
    }

    /// The first word of a slice or interface (its data pointer or type word), or of nil.
    fn first_word(&mut self, v: Operand) -> Operand {
        let ptr = self.ir(Ty::Ptr);
        match v {
            Operand::Const(_) => Operand::Const(Const::Zero(ptr)),
            Operand::Copy(p) => Operand::place(p.field(0)),
        }
    }

    /// String concatenation and comparison, through the runtime.
    fn string_binary(&mut self, pos: Pos, op: BinOp, x: Operand, y: Operand) -> Option<Operand> {
        let int = self.int();
        let bool_ty = self.ir(Ty::Bool);
        match op {
            BinOp::Add => Some(self.concat(vec![x, y])),
            BinOp::Eq | BinOp::Ne => {
                let x = self.stabilize(x);
                let y = self.stabilize(y);
                let (xl, yl) = (self.string_part(&x, 1), self.string_part(&y, 1));
                let result = self.temp_of(bool_ty, Rvalue::Binary(BinOp::Eq, xl.clone(), yl));
                let (cmp, done) = (self.b.block(), self.b.block());
                self.b.terminate(crate::ir::TermKind::If { cond: Operand::local(result), then: cmp, else_: done });
                self.b.switch_to(cmp);
                let (xp, yp) = (self.string_part(&x, 0), self.string_part(&y, 0));
                self.b.call(Callee::Runtime(RuntimeFn::MemEqual), vec![xp, yp, xl], vec![Place::local(result)]);
                self.b.terminate(crate::ir::TermKind::Goto(done));
                self.b.switch_to(done);
                if op == BinOp::Ne {
                    self.b.assign_local(result, Rvalue::Unary(UnOp::Not, Operand::local(result)));
                }
                Some(Operand::local(result))
            }
            BinOp::Lt | BinOp::Le | BinOp::Gt | BinOp::Ge => {
                let c = self.temp(int);
                self.b.call(Callee::Runtime(RuntimeFn::CmpString), vec![x, y], vec![Place::local(c)]);
                Some(self.compare(op, Operand::local(c), Operand::int(0, int)))
            }
            _ => {
                self.unsupported(pos, "this string operation");
                None
            }
        }
    }

    /// The concatenation of string operands, through runtime.concatstrings.
    pub fn concat(&mut self, parts: Vec<Operand>) -> Operand {
        let string = self.ir(Ty::String);
        let int = self.int();
        let arr_ty = self.ir(Ty::Array { len: parts.len() as u64, elem: string });
        let arr = self.temp(arr_ty);
        let n = parts.len();
        self.b.assign_local(arr, Rvalue::Aggregate(arr_ty, parts));
        let ptr = self.ir(Ty::Ptr);
        let addr = self.temp_of(ptr, Rvalue::AddrOf(Place::local(arr)));
        let result = self.temp(string);
        self.b.call(Callee::Runtime(RuntimeFn::ConcatStrings), vec![Operand::local(addr), Operand::int(n as i64, int)], vec![Place::local(result)]);
        Operand::local(result)
    }
}

/// The two's-complement bits of an integer constant (unsigned values above MaxInt64 wrap).
pub fn int_bits(v: &ConstValue) -> i64 {
    match v {
        ConstValue::Int(i) => i.to_i64().or_else(|| i.to_u64().map(|u| u as i64)).unwrap_or(0),
        _ => v.to_i64().unwrap_or(0),
    }
}
