//! Calls: of functions, methods and func values; built-in functions; conversions.

use super::func::FnCx;
use crate::ir::ty::{Ty, TyId};
use crate::ir::{BinOp, Callee, Const, Operand, Place, Rvalue, TermKind};
use crate::runtime_abi::RuntimeFn;
use crate::syntax::ast::{ExprId, ExprKind};
use crate::types::ty::Type;
use crate::types::{BasicKind, Builtin, Mode, ObjKind, SelectionKind, TypeId};

impl FnCx<'_, '_> {
    /// A call expression (or conversion); returns its results.
    pub fn call(&mut self, e: ExprId) -> Vec<Operand> {
        let ExprKind::Call { fun, args, has_dots } = self.file[e].kind else { return Vec::new() };
        let fun = self.file.unparen(fun);
        let args: Vec<ExprId> = self.file[args].to_vec();
        // gc places a call at its '(' (the node's own position), not at its start.
        self.b.line = self.file[e].pos.line;
        let fun_tv = self.tv(fun).unwrap_or_default();
        if fun_tv.mode == Mode::TypeExpr {
            return vec![self.conversion(e, args[0], fun_tv.ty)];
        }
        // A built-in is named by an identifier, or qualified for package unsafe's (unsafe.Add).
        if let Some(obj) = self.info.use_of(fun).or_else(|| self.qualified(fun)) {
            if let ObjKind::Builtin(b) = self.lx.world.obj(obj).kind {
                return self.builtin(e, b, &args, has_dots);
            }
        }
        let sig = self.lx.world.under_no_expand(fun_tv.ty);
        let (variadic, params_tuple) = match self.lx.world.sig(sig) {
            Some(s) => (s.variadic && !has_dots, s.params),
            None => (false, TypeId::default()),
        };
        let param_types: Vec<TypeId> =
            self.lx.world.tuple_vars(params_tuple).iter().map(|&v| self.lx.world.obj(v).typ()).collect();
        if let Some(values) = self.interface_method_call(fun, sig, &args, &param_types, variadic) {
            return values;
        }
        let (callee, recv) = self.callee(fun);
        let (_, result_tys) = self.lx.signature_tys(sig);
        // The function value is evaluated before the arguments.
        let callee = match callee {
            Some(c) => c,
            None => {
                let f = self.expr(fun);
                let f = self.stabilize(f);
                Callee::Closure { func: f, results: result_tys.clone() }
            }
        };
        let mut values = recv.into_iter().collect::<Vec<_>>();
        let keep = self.keeps_uintptrs_alive(fun);
        values.extend(self.call_args(&args, &param_types, variadic, keep));
        let results: Vec<_> = result_tys.iter().map(|&t| self.temp(t)).collect();
        self.b.call(callee, values, results.iter().map(|&r| Place::local(r)).collect());
        results.into_iter().map(Operand::local).collect()
    }

    /// `x.M(args)` where x is an interface: a call through the itab; None for other calls.
    fn interface_method_call(&mut self, fun: ExprId, sig: TypeId, args: &[ExprId], params: &[TypeId], variadic: bool) -> Option<Vec<Operand>> {
        let ExprKind::Selector { x, .. } = self.file[fun].kind else { return None };
        let sel = self.selection(fun)?.clone();
        let embedded = &sel.index[..sel.index.len() - 1];
        let it = self.field_path_type(self.type_of(x), embedded);
        if sel.kind != SelectionKind::MethodVal || !self.is_interface(it) {
            return None;
        }
        let name = self.lx.world.obj(sel.obj).name;
        let methods = self.lx.interface_method_objs(it);
        let index = methods.iter().position(|&m| self.lx.world.obj(m).name == name)?;
        self.lx.note_interface_call(methods[index]);
        let recv = if embedded.is_empty() { self.expr(x) } else { Operand::place(self.field_path(x, embedded)) };
        let values = self.call_args(args, params, variadic, false);
        let (_, results) = self.lx.signature_tys(sig);
        Some(self.interface_call(recv, index, values, results))
    }

    /// A direct callee (a package function or a method, with its receiver argument), or
    /// None for calls through a func value.
    pub(super) fn callee(&mut self, fun: ExprId) -> (Option<Callee>, Option<Operand>) {
        if let Some(sym) = self.instance_symbol(fun) {
            return (Some(Callee::Func(sym)), None);
        }
        match self.file[fun].kind {
            ExprKind::Name(_) => {
                let sym = self.info.use_of(fun).and_then(|o| self.lx.func_symbol(o));
                (sym.map(Callee::Func), None)
            }
            ExprKind::Selector { x, .. } => {
                let Some(sel) = self.selection(fun).cloned() else {
                    let sym = self.qualified(fun).and_then(|o| self.lx.func_symbol(o));
                    return (sym.map(Callee::Func), None);
                };
                if sel.kind != SelectionKind::MethodVal {
                    return (None, None);
                }
                // An interface method (deferred or go'd): called through its method value,
                // evaluated now (which checks the interface for nil).
                let it = self.field_path_type(self.type_of(x), &sel.index[..sel.index.len() - 1]);
                if self.is_interface(it) {
                    return (None, None);
                }
                let Some(sym) = self.lx.func_symbol(sel.obj) else {
                    self.unsupported(self.file[fun].pos, "calls of methods of other packages");
                    return (None, None);
                };
                let recv = self.receiver(x, &sel.index, self.lx.world.obj(sel.obj).has_ptr_recv());
                (Some(Callee::Func(sym)), Some(recv))
            }
            _ => (None, None),
        }
    }

    /// The receiver argument of a method call `x.m()` with selection path `path`: the value
    /// or address of `x` (or of the embedded field the method is promoted from).
    pub(super) fn receiver(&mut self, x: ExprId, path: &[u32], ptr_recv: bool) -> Operand {
        let xt = self.type_of(x);
        let embedded = &path[..path.len() - 1];
        let (place, t) = if embedded.is_empty() {
            (None, xt)
        } else {
            (Some(self.field_path(x, embedded)), self.field_path_type(xt, embedded))
        };
        if let Some(p) = place {
            return self.receiver_at(p, t, ptr_recv);
        }
        let is_ptr = matches!(self.lx.under(t), Type::Pointer(_));
        let v = match (ptr_recv, is_ptr) {
            (true, false) => {
                let p = self.place(x);
                let ptr = self.ir(Ty::Ptr);
                Operand::local(self.temp_of(ptr, Rvalue::AddrOf(p)))
            }
            (false, true) => {
                let p = self.expr(x);
                let elem = self.ty(self.lx.elem(t));
                Operand::place(Place::deref(p, elem))
            }
            _ => self.expr(x),
        };
        self.stabilize(v)
    }

    /// The receiver argument for a method with (`ptr_recv`) or without a pointer receiver,
    /// from the value at `place` of type `t`: its address, the value it points to, or itself.
    pub(super) fn receiver_at(&mut self, place: Place, t: TypeId, ptr_recv: bool) -> Operand {
        let is_ptr = matches!(self.lx.under(t), Type::Pointer(_));
        let v = match (ptr_recv, is_ptr) {
            (true, false) => {
                let ptr = self.ir(Ty::Ptr);
                Operand::local(self.temp_of(ptr, Rvalue::AddrOf(place)))
            }
            (false, true) => {
                let elem = self.ty(self.lx.elem(t));
                Operand::place(Place::deref(Operand::place(place), elem))
            }
            _ => Operand::place(place),
        };
        self.stabilize(v)
    }

    /// The type reached from `t` through the embedded fields of `path` (following pointers).
    pub(super) fn field_path_type(&self, mut t: TypeId, path: &[u32]) -> TypeId {
        for &f in path {
            if let Type::Pointer(e) = self.lx.under(t) {
                t = *e;
            }
            let Some(st) = self.lx.world.struct_type(self.lx.world.under_no_expand(t)) else { break };
            t = self.lx.world.obj(st.fields[f as usize]).typ();
        }
        t
    }

    /// Whether the callee `fun` is marked `//go:uintptrescapes`: its uintptr arguments are
    /// pointers the call keeps alive, so heap blocks carrying them (variadic arrays, defer and
    /// go blocks) are scanned as if they held pointers.
    pub(super) fn keeps_uintptrs_alive(&self, fun: ExprId) -> bool {
        let obj = match self.file[fun].kind {
            ExprKind::Name(_) => self.info.use_of(fun),
            ExprKind::Selector { .. } => self.selection(fun).map(|s| s.obj).or_else(|| self.qualified(fun)),
            _ => None,
        };
        obj.is_some_and(|o| self.lx.uintptr_escapes.contains(&o))
    }

    /// The argument values of a call, each in a temporary; a variadic call's extra
    /// arguments packed into a slice (whose uintptrs the collector scans if `keep_uintptrs`).
    pub(super) fn call_args(&mut self, args: &[ExprId], params: &[TypeId], variadic: bool, keep_uintptrs: bool) -> Vec<Operand> {
        let (mut values, types): (Vec<Operand>, Vec<TypeId>) = if args.len() == 1 && params.len() > 1 && !variadic
            || args.len() == 1 && self.is_tuple(args[0])
        {
            let t = self.type_of(args[0]);
            let types = self.lx.world.tuple_vars(t).iter().map(|&v| self.lx.world.obj(v).typ()).collect();
            (self.multi_value(args[0]), types)
        } else {
            let values = args.iter().map(|&a| {
                let v = self.expr(a);
                self.stabilize(v)
            }).collect();
            (values, args.iter().map(|&a| self.type_of(a)).collect())
        };
        // Each argument converted to its parameter's type (interfaces box their values).
        let elem_t = match params.last() {
            Some(&last) if variadic => Some(self.lx.elem(last)),
            _ => None,
        };
        for (i, v) in values.iter_mut().enumerate() {
            let want = match (i + 1 >= params.len(), elem_t) {
                (true, Some(e)) => e,
                _ => match params.get(i) {
                    Some(&p) => p,
                    None => continue,
                },
            };
            if let Some(&from) = types.get(i) {
                *v = self.coerce(v.clone(), from, want);
            }
        }
        if variadic {
            let fixed = params.len() - 1;
            let extra: Vec<Operand> = values.split_off(fixed.min(values.len()));
            let slice_t = params[fixed];
            let elem = self.ty(self.lx.elem(slice_t));
            values.push(self.new_slice(elem, extra, keep_uintptrs));
        }
        values
    }

    /// Whether `e` is a call with several results.
    pub(super) fn is_tuple(&self, e: ExprId) -> bool {
        matches!(self.tv(e).map(|t| self.lx.world.ty(t.ty)), Some(Type::Tuple(_)))
    }

    /// A new slice of IR element type `elem` holding `values` (nil if there are none), with
    /// the backing array's uintptrs scanned as pointers if `keep_uintptrs`.
    fn new_slice(&mut self, elem: TyId, values: Vec<Operand>, keep_uintptrs: bool) -> Operand {
        let slice_ty = self.ir(Ty::Slice);
        if values.is_empty() {
            return Operand::Const(Const::Zero(slice_ty));
        }
        let n = values.len();
        let arr_ty = self.ir(Ty::Array { len: n as u64, elem });
        let ptr_ty = self.ir(Ty::Ptr);
        let backing = self.temp(ptr_ty);
        if keep_uintptrs {
            self.new_object_keeping_uintptrs(backing, arr_ty);
        } else {
            self.new_object(backing, arr_ty);
        }
        let int = self.int();
        for (i, v) in values.into_iter().enumerate() {
            let place = Place::deref(Operand::local(backing), arr_ty).project(crate::ir::Proj::Index(Operand::int(i as i64, int)));
            self.b.assign(place, Rvalue::Use(v));
        }
        let len = Operand::int(n as i64, int);
        Operand::local(self.temp_of(slice_ty, Rvalue::Aggregate(slice_ty, vec![Operand::local(backing), len.clone(), len])))
    }

    /// A conversion `T(x)`.
    fn conversion(&mut self, e: ExprId, x: ExprId, to: TypeId) -> Operand {
        let from = self.type_of(x);
        let v = self.expr(x);
        if let Some(value) = self.tv(e).and_then(|tv| self.lx.info.value(tv)) {
            return self.constant(to, value);
        }
        let (fk, tk) = (self.lx.basic_kind(from), self.lx.basic_kind(to));
        let to_ty = self.ty(to);
        let is_string = |k: Option<BasicKind>| matches!(k, Some(BasicKind::String | BasicKind::UntypedString));
        match (self.lx.under(from).clone(), self.lx.under(to).clone()) {
            (_, Type::Interface(_)) => self.coerce(v, from, to),
            (Type::Slice(elem), _) if is_string(tk) => {
                let f = if self.lx.basic_kind(elem).is_some_and(|k| k == BasicKind::Int32) { RuntimeFn::SliceRuneToString } else { RuntimeFn::SliceByteToString };
                let (p, l) = (self.string_part(&v, 0), self.string_part(&v, 1));
                self.runtime_value(f, vec![p, l], to_ty)
            }
            (_, Type::Slice(elem)) if is_string(fk) => {
                let f = if self.lx.basic_kind(elem).is_some_and(|k| k == BasicKind::Int32) { RuntimeFn::StringToSliceRune } else { RuntimeFn::StringToSliceByte };
                self.runtime_out_value(f, vec![v], to_ty)
            }
            (Type::Slice(_), Type::Pointer(a)) => {
                let Type::Array(n, _) = self.lx.under(a).clone() else { return Operand::Const(Const::Zero(to_ty)) };
                self.slice_to_array_pointer(v, n)
            }
            _ if is_string(tk) && fk.is_some_and(|k| k.is_integer()) => {
                let int = self.int();
                let v = self.to_int(v, int);
                self.runtime_value(RuntimeFn::IntString, vec![v], to_ty)
            }
            _ => {
                let from_ty = self.ty(from);
                if from_ty == to_ty {
                    let v = self.stabilize(v);
                    return v;
                }
                Operand::local(self.temp_of(to_ty, Rvalue::Convert(v, to_ty)))
            }
        }
    }

    /// `(*[n]T)(s)`: the slice's data pointer, after gc's check that it has at least n
    /// elements (a nil slice gives nil for n == 0).
    fn slice_to_array_pointer(&mut self, s: Operand, n: i64) -> Operand {
        let int = self.int();
        let s = self.stabilize(s);
        let len = self.string_part(&s, 1);
        let short = self.compare(BinOp::Lt, len.clone(), Operand::int(n, int));
        let (fail, ok) = (self.b.block(), self.b.block());
        self.b.terminate(TermKind::If { cond: short, then: fail, else_: ok });
        self.b.switch_to(fail);
        self.b.call(Callee::Runtime(RuntimeFn::GoPanicSliceConvert), vec![Operand::int(n, int), len], Vec::new());
        self.b.terminate(TermKind::Unreachable);
        self.b.switch_to(ok);
        let data = self.string_part(&s, 0);
        self.stabilize(data)
    }

    /// The result of runtime function `f` (returning one value of IR type `ty`).
    pub fn runtime_value(&mut self, f: RuntimeFn, args: Vec<Operand>, ty: TyId) -> Operand {
        let t = self.temp(ty);
        self.b.call(Callee::Runtime(f), args, vec![Place::local(t)]);
        Operand::local(t)
    }

    /// The result of runtime function `f` that writes its result through a leading
    /// out-pointer (functions returning slices).
    pub fn runtime_out_value(&mut self, f: RuntimeFn, args: Vec<Operand>, ty: TyId) -> Operand {
        let t = self.temp(ty);
        let ptr = self.ir(Ty::Ptr);
        let out = self.temp_of(ptr, Rvalue::AddrOf(Place::local(t)));
        let mut all = vec![Operand::local(out)];
        for a in args {
            match self.b_operand_ty(&a) {
                ty if *self.lx.tys.borrow().get(ty) == Ty::String => {
                    let (p, l) = (self.string_part(&a, 0), self.string_part(&a, 1));
                    all.push(p);
                    all.push(l);
                }
                _ => all.push(a),
            }
        }
        self.b.call(Callee::Runtime(f), all, Vec::new());
        Operand::local(t)
    }

    /// The evaluated arguments of a built-in call with their types; a single multi-value
    /// call spreads into its results (`copy(f())`, `append(f())`, `complex(f())`).
    fn builtin_args(&mut self, args: &[ExprId]) -> Vec<(Operand, TypeId)> {
        if args.len() == 1 && self.is_tuple(args[0]) {
            let tuple = self.type_of(args[0]);
            let types: Vec<TypeId> = self.lx.world.tuple_vars(tuple).iter().map(|&v| self.lx.world.obj(v).typ()).collect();
            let values = self.multi_value(args[0]);
            return values.into_iter().map(|v| self.stabilize(v)).zip(types).collect();
        }
        let mut values = Vec::new();
        for &a in args {
            let v = self.expr(a);
            values.push((self.stabilize(v), self.type_of(a)));
        }
        values
    }

    /// A call of a built-in function.
    fn builtin(&mut self, e: ExprId, b: Builtin, args: &[ExprId], has_dots: bool) -> Vec<Operand> {
        let int = self.int();
        let rt = self.type_of(e);
        match b {
            Builtin::Print | Builtin::Println => {
                self.print(args, b == Builtin::Println);
                Vec::new()
            }
            Builtin::Len | Builtin::Cap => vec![self.len_cap(e, args[0], b == Builtin::Cap)],
            Builtin::New => {
                let t = self.tv(args[0]).map(|t| t.ty).unwrap_or_default();
                let ty = self.ty(t);
                let ptr = self.ir(Ty::Ptr);
                let p = self.temp(ptr);
                self.alloc_object(e, p, ty);
                vec![Operand::local(p)]
            }
            Builtin::Append => {
                let values = self.builtin_args(args);
                vec![self.append(e, values, has_dots)]
            }
            Builtin::Copy => {
                let values = self.builtin_args(args);
                let Ok([(dst, dst_t), (src, _)]) = <[_; 2]>::try_from(values) else { return Vec::new() };
                let elem = match self.lx.under(dst_t) {
                    Type::Slice(el) => *el,
                    _ => return Vec::new(),
                };
                let size = self.lx.size_of(elem);
                let parts = vec![
                    self.string_part(&dst, 0),
                    self.string_part(&dst, 1),
                    self.string_part(&src, 0),
                    self.string_part(&src, 1),
                    Operand::int(size as i64, int),
                ];
                vec![self.runtime_value(RuntimeFn::SliceCopy, parts, int)]
            }
            Builtin::Make => vec![self.make(e, args)],
            Builtin::Close => {
                self.close_chan(args[0]);
                Vec::new()
            }
            Builtin::Panic => {
                self.panic(args[0]);
                Vec::new()
            }
            Builtin::Recover => vec![self.recover(e)],
            Builtin::Delete => {
                let values = self.builtin_args(args);
                let Ok([m, k]) = <[_; 2]>::try_from(values) else { return Vec::new() };
                self.map_delete(m, k);
                Vec::new()
            }
            Builtin::Complex => {
                let values = self.builtin_args(args);
                let Ok([(re, _), (im, _)]) = <[_; 2]>::try_from(values) else { return Vec::new() };
                let ty = self.ty(rt);
                vec![Operand::local(self.temp_of(ty, Rvalue::Aggregate(ty, vec![re, im])))]
            }
            Builtin::Real | Builtin::Imag => {
                let v = self.expr(args[0]);
                let v = self.stabilize(v);
                let part = u32::from(b == Builtin::Imag);
                vec![self.string_part(&v, part)]
            }
            Builtin::Add => {
                // unsafe.Add(ptr, len): ptr + len, len of any integer type.
                let values = self.builtin_args(args);
                let Ok([(p, _), (n, _)]) = <[_; 2]>::try_from(values) else { return Vec::new() };
                let n = self.to_int(n, int);
                let ptr = self.ir(Ty::Ptr);
                vec![Operand::local(self.temp_of(ptr, Rvalue::Offset { ptr: p, index: n, scale: 1 }))]
            }
            Builtin::Slice => vec![self.unsafe_slice(e, args)],
            _ => {
                self.unsupported(self.file.start_pos(e), &format!("the built-in {}", b.name()));
                vec![Operand::Const(Const::Zero(self.ty(rt)))]
            }
        }
    }

    /// `unsafe.Slice(ptr, len)`: the slice `ptr[:len:len]` after gc's checks
    /// (runtime.unsafeslice: len not negative, no wrap-around, nil ptr only with len 0).
    fn unsafe_slice(&mut self, e: ExprId, args: &[ExprId]) -> Operand {
        let int = self.int();
        let st = self.type_of(e);
        let slice_ty = self.ty(st);
        let values = self.builtin_args(args);
        let Ok([(p, _), (n, _)]) = <[_; 2]>::try_from(values) else { return Operand::Const(Const::Zero(slice_ty)) };
        let n = self.to_int(n, int);
        let n = self.stabilize(n);
        let desc = self.desc(self.lx.elem(st));
        self.b.call(Callee::Runtime(RuntimeFn::UnsafeSlice), vec![desc, p.clone(), n.clone()], Vec::new());
        Operand::local(self.temp_of(slice_ty, Rvalue::Aggregate(slice_ty, vec![p, n.clone(), n])))
    }

    /// `panic(v)`: `v` converted to `any`, passed to runtime.gopanic.
    fn panic(&mut self, v: ExprId) {
        let vt = self.type_of(v);
        let x = self.expr(v);
        let any = self.lx.world.predeclared.any_type;
        let e = self.coerce(x, vt, any);
        self.panic_any(e);
    }

    /// `len(x)` or `cap(x)`.
    fn len_cap(&mut self, e: ExprId, x: ExprId, cap: bool) -> Operand {
        let int = self.int();
        match self.lx.under(self.type_of(x)).clone() {
            // Not constant (else the checker folded it): x has calls or receives to run.
            Type::Array(n, _) => {
                let v = self.expr(x);
                self.stabilize(v);
                Operand::int(n, int)
            }
            Type::Pointer(a) => {
                let v = self.expr(x);
                self.stabilize(v);
                match self.lx.under(a) {
                    Type::Array(n, _) => Operand::int(*n, int),
                    _ => Operand::int(0, int),
                }
            }
            Type::Slice(_) | Type::Basic(_) | Type::BasicAlias(..) => {
                let v = self.expr(x);
                let v = self.stabilize(v);
                self.string_part(&v, if cap { 2 } else { 1 })
            }
            Type::Map(..) => {
                let m = self.expr(x);
                self.map_len(m)
            }
            Type::Chan(..) => self.chan_len_cap(x, cap),
            _ => {
                self.unsupported(self.file.start_pos(e), "len and cap of channels");
                Operand::int(0, int)
            }
        }
    }

    /// `make([]T, len[, cap])`.
    fn make(&mut self, e: ExprId, args: &[ExprId]) -> Operand {
        let t = self.type_of(e);
        let int = self.int();
        let elem = match self.lx.under(t).clone() {
            Type::Slice(elem) => elem,
            Type::Map(..) => return self.make_map(t, args.get(1).copied()),
            Type::Chan(..) => return self.make_chan(e, args),
            _ => {
                self.unsupported(self.file.start_pos(e), "this make");
                return Operand::Const(Const::Zero(self.ty(t)));
            }
        };
        let len = self.expr(args[1]);
        let len = self.to_int(len, int);
        let len = self.stabilize(len);
        let cap = match args.get(2) {
            Some(&c) => {
                let c = self.expr(c);
                let c = self.to_int(c, int);
                self.stabilize(c)
            }
            None => len.clone(),
        };
        let ptr = self.ir(Ty::Ptr);
        // Constant sizes (checked at compile time) that escape analysis keeps in the frame.
        let frame_len = match &cap {
            Operand::Const(Const::Int { value, .. }) if self.stack_allocs.contains(&e) => Some(*value as u64),
            _ => None,
        };
        if let Some(n) = frame_len {
            if !matches!(len, Operand::Const(_)) {
                // gc's checks for a make in the frame: a negative len, then len > cap.
                let boolean = self.ir(Ty::Bool);
                let nonneg = self.temp_of(boolean, Rvalue::Binary(BinOp::Ge, len.clone(), Operand::int(0, int)));
                self.b.check(Operand::local(nonneg), RuntimeFn::PanicMakeSliceLen, vec![]);
                let fits = self.temp_of(boolean, Rvalue::Binary(BinOp::Le, len.clone(), Operand::int(n as i64, int)));
                self.b.check(Operand::local(fits), RuntimeFn::PanicMakeSliceCap, vec![]);
            }
            let elem_ty = self.ty(elem);
            let arr_ty = self.ir(Ty::Array { len: n, elem: elem_ty });
            let data = self.temp(ptr);
            self.frame_object(data, arr_ty);
            let slice_ty = self.ty(t);
            return Operand::local(self.temp_of(slice_ty, Rvalue::Aggregate(slice_ty, vec![Operand::local(data), len, cap])));
        }
        let desc = self.desc(elem);
        let data = self.runtime_value(RuntimeFn::MakeSlice, vec![desc, len.clone(), cap.clone()], ptr);
        let slice_ty = self.ty(t);
        Operand::local(self.temp_of(slice_ty, Rvalue::Aggregate(slice_ty, vec![data, len, cap])))
    }

    /// `append(s, x...)` / `append(s, t...)`: grows through runtime.growslice when the
    /// capacity does not suffice, then stores the new elements.
    fn append(&mut self, e: ExprId, args: Vec<(Operand, TypeId)>, has_dots: bool) -> Operand {
        let int = self.int();
        let st = self.type_of(e);
        let slice_ty = self.ty(st);
        let elem = self.lx.elem(st);
        let elem_ty = self.ty(elem);
        let mut args = args.into_iter();
        let Some((s, _)) = args.next() else { return Operand::Const(Const::Zero(slice_ty)) };
        if has_dots {
            // append(s, t...): t is a slice (or a string for []byte).
            let Some((t, _)) = args.next() else { return s };
            let n = self.string_part(&t, 1);
            let (result, old_len) = self.grow(s, n, slice_ty, elem);
            let size = self.lx.tys.borrow().layout(elem_ty).size;
            let dst_ptr = self.string_part(&result, 0);
            let ptr_ty = self.ir(Ty::Ptr);
            let dst = self.temp_of(ptr_ty, Rvalue::Offset { ptr: dst_ptr, index: old_len.clone(), scale: size });
            let n2 = self.string_part(&t, 1);
            let src = self.string_part(&t, 0);
            let args = vec![Operand::local(dst), n2.clone(), src, n2, Operand::int(size as i64, int)];
            self.runtime_value(RuntimeFn::SliceCopy, args, int);
            return result;
        }
        let mut values: Vec<Operand> = Vec::new();
        for (v, t) in args {
            let v = self.coerce(v, t, elem);
            values.push(self.stabilize(v));
        }
        if values.is_empty() {
            return s;
        }
        let (result, old_len) = self.grow(s, Operand::int(values.len() as i64, int), slice_ty, elem);
        let data = self.string_part(&result, 0);
        let data = self.stabilize(data);
        for (i, v) in values.into_iter().enumerate() {
            let idx = self.temp_of(int, Rvalue::Binary(BinOp::Add, old_len.clone(), Operand::int(i as i64, int)));
            let place = self.element(data.clone(), Operand::local(idx), elem_ty);
            self.b.assign(place, Rvalue::Use(v));
        }
        result
    }

    /// The slice `s` with room for `n` more elements (length already increased), and the
    /// old length.
    fn grow(&mut self, s: Operand, n: Operand, slice_ty: TyId, elem: TypeId) -> (Operand, Operand) {
        let int = self.int();
        let old_len = self.string_part(&s, 1);
        let old_len = self.stabilize(old_len);
        let cap = self.string_part(&s, 2);
        let new_len = self.temp_of(int, Rvalue::Binary(BinOp::Add, old_len.clone(), n));
        let uint = self.ir(Ty::Int { bits: 64, signed: false });
        let (ul, uc) = (self.temp_of(uint, Rvalue::Convert(Operand::local(new_len), uint)), self.temp_of(uint, Rvalue::Convert(cap.clone(), uint)));
        let fits = self.compare(BinOp::Le, Operand::local(ul), Operand::local(uc));
        let result = self.temp(slice_ty);
        let (yes, no, done) = (self.b.block(), self.b.block(), self.b.block());
        self.b.terminate(TermKind::If { cond: fits, then: yes, else_: no });
        self.b.switch_to(yes);
        let ptr = self.string_part(&s, 0);
        self.b.assign_local(result, Rvalue::Aggregate(slice_ty, vec![ptr.clone(), Operand::local(new_len), cap.clone()]));
        self.b.terminate(TermKind::Goto(done));
        self.b.switch_to(no);
        let desc = self.desc(elem);
        let ptr_ty = self.ir(Ty::Ptr);
        let out = self.temp_of(ptr_ty, Rvalue::AddrOf(Place::local(result)));
        let args = vec![Operand::local(out), desc, ptr, old_len.clone(), cap, Operand::local(new_len)];
        self.b.call(Callee::Runtime(RuntimeFn::GrowSlice), args, Vec::new());
        self.b.assign(Place::local(result).field(1), Rvalue::Use(Operand::local(new_len)));
        self.b.terminate(TermKind::Goto(done));
        self.b.switch_to(done);
        (Operand::local(result), old_len)
    }
}
