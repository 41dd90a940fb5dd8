//! Calls of built-in functions, incl. those of package unsafe (types2's builtins.go).

use super::check::{At, Checker};
use super::constant::ConstValue;
use super::object::Builtin;
use super::operand::{Mode, Operand};
use super::ty::*;
use super::SelectionKind;
use crate::syntax::ast::{ExprId, ExprKind};
use crate::syntax::intern::Symbol;

impl<'a> Checker<'a> {
    /// A signature `func(args...) res` recorded for built-in calls.
    fn make_sig(&mut self, res: Option<TypeId>, args: &[TypeId]) -> TypeId {
        let params: Vec<TypeId> = args.iter().map(|&t| self.w.default_type(t)).collect();
        let ptup = self.w.tuple_of_types(None, &params);
        let rtup = match res {
            Some(r) => self.w.tuple_of_types(None, &[r]),
            None => self.w.empty_tuple,
        };
        self.w.signature(ptup, rtup, false)
    }

    fn record_builtin(&mut self, call: ExprId, res: Option<TypeId>, args: &[TypeId]) {
        let sig = self.make_sig(res, args);
        if let ExprKind::Call { fun, .. } = self.file()[call].kind {
            self.record_builtin_type(fun, sig);
        }
    }

    /// Checks a call of built-in `id`; false if invalid (errors reported).
    pub(crate) fn builtin(&mut self, x: &mut Operand, call: ExprId, id: Builtin) -> bool {
        let f = self.file();
        let ExprKind::Call { fun, args, has_dots } = f[call].kind else { return false };
        let arg_list = f[args].to_vec();
        let name = id.name();
        if has_dots && id != Builtin::Append {
            let msg = format!("invalid operation: invalid use of ... with built-in {name}");
            self.err_expr(call, msg);
            self.use_exprs(&arg_list);
            return false;
        }
        let saved_call_or_recv = self.env.has_call_or_recv;
        if matches!(id, Builtin::Len | Builtin::Cap) {
            self.env.has_call_or_recv = false;
        }
        let r = self.builtin_inner(x, call, fun, &arg_list, has_dots, id);
        if matches!(id, Builtin::Len | Builtin::Cap) {
            self.env.has_call_or_recv = saved_call_or_recv;
        }
        r
    }

    fn builtin_inner(
        &mut self,
        x: &mut Operand,
        call: ExprId,
        fun: ExprId,
        arg_list: &[ExprId],
        has_dots: bool,
        id: Builtin,
    ) -> bool {
        let (min_args, variadic, _) = id.arity();
        let mut xlist: Vec<Operand> = Vec::new();
        let mut nargs = arg_list.len();
        if !matches!(id, Builtin::Make | Builtin::New | Builtin::Offsetof) {
            xlist = self.expr_list(arg_list, false).0;
            nargs = xlist.len();
            if nargs > 0 {
                *x = xlist[0].clone();
                if x.mode == Mode::Invalid {
                    return false;
                }
            }
        }
        let msg = if nargs < min_args {
            "not enough"
        } else if !variadic && nargs > min_args {
            "too many"
        } else {
            ""
        };
        if !msg.is_empty() {
            let m = format!(
                "invalid operation: {msg} arguments for {} (expected {min_args}, found {nargs})",
                self.es(call)
            );
            self.err_expr(call, m);
            return false;
        }
        match id {
            Builtin::Append => return self.builtin_append(x, call, xlist, nargs, has_dots),
            Builtin::Cap | Builtin::Len => return self.builtin_len(x, call, id),
            Builtin::Close => {
                let us = self.under_terms(x.typ);
                for u in us {
                    match *self.w.ty(u) {
                        Type::Chan(ChanDir::Recv, _) => {
                            let msg = format!("invalid operation: cannot close receive-only channel {}", self.opnd(x));
                            self.error(self.at(x), msg);
                            return false;
                        }
                        Type::Chan(..) => {}
                        _ => {
                            let msg = format!("invalid operation: cannot close non-channel {}", self.opnd(x));
                            self.error(self.at(x), msg);
                            return false;
                        }
                    }
                }
                x.mode = Mode::NoValue;
                self.record_builtin(call, None, &[x.typ]);
            }
            Builtin::Complex => return self.builtin_complex(x, call, &mut xlist[1].clone()),
            Builtin::Copy => {
                let y = xlist[1].clone();
                if y.mode == Mode::Invalid {
                    return false;
                }
                let dst = self.w.core_type(x.typ).and_then(|c| match self.w.ty(c) {
                    Type::Slice(e) => Some(*e),
                    _ => None,
                });
                let src0 = self.w.core_string(y.typ);
                let src = src0.and_then(|s| {
                    if self.w.is_string(s) {
                        Some(BYTE)
                    } else {
                        match self.w.ty(s) {
                            Type::Slice(e) => Some(*e),
                            _ => None,
                        }
                    }
                });
                let (Some(d), Some(s)) = (dst, src) else {
                    let msg = format!(
                        "invalid argument: copy expects slice arguments; found {} and {}",
                        self.opnd(x),
                        self.opnd(&y)
                    );
                    self.error(self.at(x), msg);
                    return false;
                };
                if !self.w.identical(d, s) {
                    let msg = format!(
                        "invalid argument: arguments to copy {} and {} have different element types {} and {}",
                        self.opnd(x),
                        self.opnd(&y),
                        self.ts(d),
                        self.ts(s)
                    );
                    self.error(self.at(x), msg);
                    return false;
                }
                self.record_builtin(call, Some(BasicKind::Int.id()), &[x.typ, y.typ]);
                x.mode = Mode::Value;
                x.typ = BasicKind::Int.id();
            }
            Builtin::Delete => {
                let map_t = x.typ;
                let mut key: Option<TypeId> = None;
                for u in self.under_terms(map_t) {
                    let Type::Map(k, _) = *self.w.ty(u) else {
                        let msg = format!("invalid argument: {} is not a map", self.opnd(x));
                        self.error(self.at(x), msg);
                        return false;
                    };
                    if let Some(prev) = key {
                        if !self.w.identical(prev, k) {
                            let msg =
                                format!("invalid argument: maps of {} must have identical key types", self.opnd(x));
                            self.error(self.at(x), msg);
                            return false;
                        }
                    }
                    key = Some(k);
                }
                *x = xlist[1].clone();
                if x.mode == Mode::Invalid {
                    return false;
                }
                self.assignment(x, key, "argument to delete");
                if x.mode == Mode::Invalid {
                    return false;
                }
                x.mode = Mode::NoValue;
                let k = key.unwrap_or(TypeId::INVALID);
                self.record_builtin(call, None, &[map_t, k]);
            }
            Builtin::Imag | Builtin::Real => return self.builtin_real_imag(x, call, id),
            Builtin::Make => return self.builtin_make(x, call, arg_list, nargs),
            Builtin::New => {
                let t = self.var_type(arg_list[0]);
                if t == TypeId::INVALID {
                    return false;
                }
                x.mode = Mode::Value;
                x.typ = self.w.pointer(t);
                self.record_builtin(call, Some(x.typ), &[t]);
            }
            Builtin::Panic => {
                if let Some(sig) = self.env.sig {
                    let results = self.w.sig(sig).map_or(self.w.empty_tuple, |s| s.results);
                    if self.w.tuple_len(results) > 0 {
                        self.env.is_panic.insert(call);
                    }
                }
                let empty = self.w.predeclared.empty_interface;
                self.assignment(x, Some(empty), "argument to panic");
                if x.mode == Mode::Invalid {
                    return false;
                }
                x.mode = Mode::NoValue;
                self.record_builtin(call, None, &[empty]);
            }
            Builtin::Print | Builtin::Println => {
                let mut params = Vec::with_capacity(nargs);
                for (i, item) in xlist.iter().enumerate().take(nargs) {
                    if i > 0 {
                        *x = item.clone();
                    }
                    self.assignment(x, None, &format!("argument to {}", id.name()));
                    if x.mode == Mode::Invalid {
                        return false;
                    }
                    params.push(x.typ);
                }
                x.mode = Mode::NoValue;
                self.record_builtin(call, None, &params);
            }
            Builtin::Recover => {
                x.mode = Mode::Value;
                x.typ = self.w.predeclared.empty_interface;
                self.record_builtin(call, Some(x.typ), &[]);
            }
            Builtin::Add => {
                if !self.allow_version(Some(self.pkg), 1, 17) {
                    self.version_error(At::Expr(fun), "go1.17", "unsafe.Add".into());
                    return false;
                }
                let up = BasicKind::UnsafePointer.id();
                self.assignment(x, Some(up), "argument to unsafe.Add");
                if x.mode == Mode::Invalid {
                    return false;
                }
                let mut y = xlist[1].clone();
                if !self.is_valid_index(&mut y, "length", true) {
                    return false;
                }
                x.mode = Mode::Value;
                x.typ = up;
                self.record_builtin(call, Some(up), &[up, y.typ]);
            }
            Builtin::Alignof | Builtin::Sizeof => {
                let what =
                    if id == Builtin::Alignof { "argument to unsafe.Alignof" } else { "argument to unsafe.Sizeof" };
                self.assignment(x, None, what);
                if x.mode == Mode::Invalid {
                    return false;
                }
                let uintptr = BasicKind::Uintptr.id();
                if self.has_var_size(x.typ, &mut Vec::new()) {
                    x.mode = Mode::Value;
                    self.record_builtin(call, Some(uintptr), &[x.typ]);
                } else {
                    let v = if id == Builtin::Alignof { self.w.alignof(x.typ) } else { self.w.sizeof(x.typ) };
                    x.mode = Mode::Constant;
                    x.val = ConstValue::int(v);
                }
                x.typ = uintptr;
            }
            Builtin::Offsetof => return self.builtin_offsetof(x, call, arg_list[0]),
            Builtin::Slice => {
                if !self.allow_version(Some(self.pkg), 1, 17) {
                    self.version_error(At::Expr(fun), "go1.17", "unsafe.Slice".into());
                    return false;
                }
                let u = self.w.under(x.typ);
                let Type::Pointer(base) = *self.w.ty(u) else {
                    let msg = format!("invalid argument: {} is not a pointer", self.opnd(x));
                    self.error(self.at(x), msg);
                    return false;
                };
                let mut y = xlist[1].clone();
                if !self.is_valid_index(&mut y, "length", false) {
                    return false;
                }
                x.mode = Mode::Value;
                x.typ = self.w.slice(base);
                self.record_builtin(call, Some(x.typ), &[u, y.typ]);
            }
        }
        let _ = fun;
        true
    }

    /// The underlying types a built-in must accept for `t`: the terms of a type parameter,
    /// or `t`'s underlying type.
    fn under_terms(&mut self, t: TypeId) -> Vec<TypeId> {
        if self.w.is_type_param(t) {
            return self.w.tparam_under_terms(t).unwrap_or_else(|| vec![TypeId::INVALID]);
        }
        vec![self.w.under(t)]
    }

    fn builtin_append(
        &mut self,
        x: &mut Operand,
        call: ExprId,
        xlist: Vec<Operand>,
        nargs: usize,
        has_dots: bool,
    ) -> bool {
        let s = x.typ;
        let elem = self.w.core_type(s).and_then(|c| match self.w.ty(c) {
            Type::Slice(e) => Some(*e),
            _ => None,
        });
        let Some(t) = elem else {
            let cause = if x.is_nil() {
                "have untyped nil".to_string()
            } else if self.w.is_type_param(s) {
                match self.w.core_type(s) {
                    Some(u) => format!("{} has core type {}", self.opnd(x), self.ts(u)),
                    None => format!("{} has no core type", self.opnd(x)),
                }
            } else {
                format!("have {}", self.opnd(x))
            };
            let msg = format!("first argument to append must be a slice; {cause}");
            self.error(self.at(x), msg);
            return false;
        };
        let mut alist = vec![x.clone()];
        if nargs == 2 && has_dots {
            let bs = self.w.slice(BYTE);
            if self.assignable_to(x, bs, None).0 {
                let y = xlist[1].clone();
                if y.mode == Mode::Invalid {
                    return false;
                }
                let cs = self.w.core_string(y.typ);
                if cs.is_some_and(|c| self.w.is_string(c)) {
                    let sig = self.make_sig(Some(s), &[s, y.typ]);
                    if let Type::Signature(sg) = self.w.ty_mut(sig) {
                        sg.variadic = true;
                    }
                    if let ExprKind::Call { fun, .. } = self.file()[call].kind {
                        self.record_builtin_type(fun, sig);
                    }
                    x.mode = Mode::Value;
                    x.typ = s;
                    return true;
                }
                alist.push(y);
            }
        }
        let st = self.w.slice(t);
        let sig = self.make_sig(Some(s), &[s, st]);
        if let Type::Signature(sg) = self.w.ty_mut(sig) {
            sg.variadic = true;
        }
        let mut args = alist;
        for item in xlist.into_iter().skip(args.len()) {
            args.push(item);
        }
        self.arguments(call, sig, &[], args, &[]);
        x.mode = Mode::Value;
        x.typ = s;
        if let ExprKind::Call { fun, .. } = self.file()[call].kind {
            self.record_builtin_type(fun, sig);
        }
        true
    }

    fn builtin_len(&mut self, x: &mut Operand, call: ExprId, id: Builtin) -> bool {
        let mut mode = Mode::Invalid;
        let mut val = ConstValue::Unknown;
        let u = self.w.under(x.typ);
        let u = self.array_ptr_deref(u);
        match self.w.ty(u).clone() {
            Type::Basic(_) | Type::BasicAlias(..) if self.w.is_string(u) && id == Builtin::Len => {
                if x.mode == Mode::Constant {
                    mode = Mode::Constant;
                    val = ConstValue::int(x.val.as_bytes().map_or(0, |b| b.len()) as i64);
                } else {
                    mode = Mode::Value;
                }
            }
            Type::Array(n, _) => {
                mode = Mode::Value;
                if !self.env.has_call_or_recv {
                    mode = Mode::Constant;
                    val = if n >= 0 { ConstValue::int(n) } else { ConstValue::Unknown };
                }
            }
            Type::Slice(_) | Type::Chan(..) => mode = Mode::Value,
            Type::Map(..) if id == Builtin::Len => mode = Mode::Value,
            Type::Interface(_) if self.w.is_type_param(x.typ) => {
                if let Some(us) = self.w.tparam_under_terms(x.typ) {
                    let mut ok = true;
                    for t in us {
                        let t = self.array_ptr_deref(t);
                        ok &= match self.w.ty(t) {
                            Type::Basic(_) | Type::BasicAlias(..) => self.w.is_string(t) && id == Builtin::Len,
                            Type::Array(..) | Type::Slice(_) | Type::Chan(..) => true,
                            Type::Map(..) => id == Builtin::Len,
                            _ => false,
                        };
                    }
                    if ok {
                        mode = Mode::Value;
                    }
                }
            }
            _ => {}
        }
        if mode == Mode::Invalid && self.w.under(x.typ) != TypeId::INVALID {
            let msg = format!("invalid argument: {} for {}", self.opnd(x), id.name());
            self.error(self.at(x), msg);
            return false;
        }
        if mode != Mode::Constant {
            self.record_builtin(call, Some(BasicKind::Int.id()), &[x.typ]);
        }
        x.mode = mode;
        x.typ = BasicKind::Int.id();
        x.val = val;
        true
    }

    fn array_ptr_deref(&mut self, t: TypeId) -> TypeId {
        if let Type::Pointer(b) = *self.w.ty(t) {
            let bu = self.w.under(b);
            if matches!(self.w.ty(bu), Type::Array(..)) {
                return bu;
            }
        }
        t
    }

    fn builtin_complex(&mut self, x: &mut Operand, call: ExprId, y: &mut Operand) -> bool {
        if y.mode == Mode::Invalid {
            return false;
        }
        let d = u8::from(self.w.is_untyped(x.typ)) | (u8::from(self.w.is_untyped(y.typ)) << 1);
        match d {
            1 => self.convert_untyped(x, y.typ),
            2 => self.convert_untyped(y, x.typ),
            3 => {
                if x.mode == Mode::Constant && y.mode == Mode::Constant {
                    for o in [&mut *x, &mut *y] {
                        if self.w.is_numeric(o.typ) && o.val.imag().sign() == 0 {
                            o.typ = BasicKind::UntypedFloat.id();
                        }
                    }
                } else {
                    self.convert_untyped(x, BasicKind::Float64.id());
                    self.convert_untyped(y, BasicKind::Float64.id());
                }
            }
            _ => {}
        }
        if x.mode == Mode::Invalid || y.mode == Mode::Invalid {
            return false;
        }
        if !self.w.identical(x.typ, y.typ) {
            let msg = format!(
                "invalid operation: {} (mismatched types {} and {})",
                self.es(call),
                self.ts(x.typ),
                self.ts(y.typ)
            );
            self.error(self.at(x), msg);
            return false;
        }
        let res = self.apply_type_func(x, Builtin::Complex, |k| match k {
            BasicKind::Float32 => Some(BasicKind::Complex64),
            BasicKind::Float64 => Some(BasicKind::Complex128),
            BasicKind::UntypedFloat => Some(BasicKind::UntypedComplex),
            _ => None,
        });
        let Some(res) = res else {
            let msg = format!("invalid argument: arguments have type {}, expected floating-point", self.ts(x.typ));
            self.error(self.at(x), msg);
            return false;
        };
        if x.mode == Mode::Constant && y.mode == Mode::Constant {
            let (re, im) = (x.val.to_float(), y.val.to_float());
            x.val = ConstValue::complex_of(re, im);
        } else {
            x.mode = Mode::Value;
        }
        if x.mode != Mode::Constant {
            self.record_builtin(call, Some(res), &[x.typ, x.typ]);
        }
        x.typ = res;
        true
    }

    fn builtin_real_imag(&mut self, x: &mut Operand, call: ExprId, id: Builtin) -> bool {
        if self.w.is_untyped(x.typ) {
            if x.mode == Mode::Constant {
                if self.w.is_numeric(x.typ) {
                    x.typ = BasicKind::UntypedComplex.id();
                }
            } else {
                self.convert_untyped(x, BasicKind::Complex128.id());
                if x.mode == Mode::Invalid {
                    return false;
                }
            }
        }
        let res = self.apply_type_func(x, id, |k| match k {
            BasicKind::Complex64 => Some(BasicKind::Float32),
            BasicKind::Complex128 => Some(BasicKind::Float64),
            BasicKind::UntypedComplex => Some(BasicKind::UntypedFloat),
            _ => None,
        });
        let Some(res) = res else {
            let msg = format!("invalid argument: argument has type {}, expected complex type", self.ts(x.typ));
            self.error(self.at(x), msg);
            return false;
        };
        if x.mode == Mode::Constant {
            x.val = if id == Builtin::Real { x.val.real() } else { x.val.imag() };
        } else {
            x.mode = Mode::Value;
        }
        if x.mode != Mode::Constant {
            self.record_builtin(call, Some(res), &[x.typ]);
        }
        x.typ = res;
        true
    }

    /// The result type of complex/real/imag for the argument's type (for type parameters:
    /// a new type parameter with the mapped terms).
    fn apply_type_func(
        &mut self,
        x: &Operand,
        id: Builtin,
        f: impl Fn(BasicKind) -> Option<BasicKind>,
    ) -> Option<TypeId> {
        if self.w.is_type_param(x.typ) {
            let terms = self.w.tparam_terms(x.typ)?;
            let mut out = Vec::with_capacity(terms.len());
            for t in terms {
                let ty = t.ty?;
                let u = self.w.under(ty);
                let k = self.w.basic_kind(u)?;
                out.push(Term { tilde: t.tilde, ty: Some(f(k)?.id()) });
            }
            let msg =
                format!("{} not supported as argument to {} for go1.18 (see issue #50937)", self.opnd(x), id.name());
            self.error(self.at(x), msg);
            let p = self.w.type_param(x.typ)?.clone();
            let name = self.w.obj(p.obj).name;
            let tname = self.w.new_type_name(super::object::NO_FILE, Default::default(), Some(self.pkg), name, None);
            let union = self.w.add_type(Type::Union(out.into_boxed_slice()));
            let iface = self.w.interface(Vec::new(), vec![union]);
            return Some(self.w.new_type_param(tname, p.index, iface));
        }
        let u = self.w.under(x.typ);
        let k = self.w.basic_kind(u)?;
        f(k).map(BasicKind::id)
    }

    fn builtin_make(&mut self, x: &mut Operand, call: ExprId, arg_list: &[ExprId], nargs: usize) -> bool {
        let arg0 = arg_list[0];
        let t = self.var_type(arg0);
        if t == TypeId::INVALID {
            return false;
        }
        let min = match self.w.core_type(t).map(|c| self.w.ty(c).clone()) {
            Some(Type::Slice(_)) => 2,
            Some(Type::Map(..) | Type::Chan(..)) => 1,
            None => {
                let msg = format!("invalid argument: cannot make {}: no core type", self.es(arg0));
                self.err_expr(arg0, msg);
                return false;
            }
            _ => {
                let msg =
                    format!("invalid argument: cannot make {}; type must be slice, map, or channel", self.es(arg0));
                self.err_expr(arg0, msg);
                return false;
            }
        };
        if nargs < min || min + 1 < nargs {
            let msg =
                format!("invalid operation: {} expects {min} or {} arguments; found {nargs}", self.es(call), min + 1);
            self.err_expr(call, msg);
            return false;
        }
        let mut types = vec![t];
        let mut sizes = Vec::new();
        for &a in &arg_list[1..] {
            let (typ, size) = self.index(a, -1);
            types.push(typ);
            if size >= 0 {
                sizes.push(size);
            }
        }
        if sizes.len() == 2 && sizes[0] > sizes[1] {
            self.err_expr(arg_list[1], "invalid argument: length and capacity swapped".into());
        }
        x.mode = Mode::Value;
        x.typ = t;
        self.record_builtin(call, Some(t), &types);
        true
    }

    fn builtin_offsetof(&mut self, x: &mut Operand, call: ExprId, arg0: ExprId) -> bool {
        let f = self.file();
        let selx = f.unparen(arg0);
        let ExprKind::Selector { x: sx, sel } = f[selx].kind else {
            let msg = format!("invalid argument: {} is not a selector expression", self.es(arg0));
            self.err_expr(arg0, msg);
            self.use_exprs(&[arg0]);
            return false;
        };
        self.expr(x, sx);
        if x.mode == Mode::Invalid {
            return false;
        }
        let base = self.w.deref_struct_ptr(x.typ);
        let name: Symbol = f.name(sel);
        let lk = self.w.lookup_field_or_method(base, false, Some(self.pkg), name);
        let Some(obj) = lk.obj else {
            let msg = format!("invalid argument: {} has no single field {name}", self.ts(base));
            self.error(self.at(x), msg);
            return false;
        };
        if self.w.obj(obj).is_func() {
            let msg = format!("invalid argument: {} is a method value", self.es(arg0));
            self.err_expr(arg0, msg);
            return false;
        }
        if lk.indirect {
            let msg = format!("invalid argument: field {name} is embedded via a pointer in {}", self.ts(base));
            self.error(self.at(x), msg);
            return false;
        }
        self.record_selection(selx, SelectionKind::FieldVal, base, obj, lk.index.clone(), false);
        let mode = if x.mode == Mode::Variable { Mode::Variable } else { Mode::Value };
        let ft = self.w.obj(obj).typ();
        self.record(&Operand { mode, expr: Some(selx), typ: ft, ..Operand::default() });
        let uintptr = BasicKind::Uintptr.id();
        if self.has_var_size(base, &mut Vec::new()) {
            x.mode = Mode::Value;
            self.record_builtin(call, Some(uintptr), &[ft]);
        } else {
            let mut o = 0i64;
            let mut typ = base;
            for &i in &lk.index {
                let offs = self.w.offsetsof(typ);
                o += offs.get(i as usize).copied().unwrap_or(0);
                let u = self.w.under(typ);
                typ = self
                    .w
                    .struct_type(u)
                    .and_then(|s| s.fields.get(i as usize).copied())
                    .map_or(TypeId::INVALID, |f| self.w.obj(f).typ());
            }
            x.mode = Mode::Constant;
            x.val = ConstValue::int(o);
        }
        x.typ = uintptr;
        true
    }

    /// Whether the size of `t` depends on type parameters.
    fn has_var_size(&mut self, t: TypeId, seen: &mut Vec<TypeId>) -> bool {
        if let Type::Named(_) = self.w.ty(t) {
            if seen.contains(&t) {
                return false;
            }
            seen.push(t);
        }
        let u = self.w.under(t);
        match self.w.ty(u).clone() {
            Type::Array(_, e) => self.has_var_size(e, seen),
            Type::Struct(st) => st.fields.iter().any(|&f| {
                let ft = self.w.obj(f).typ();
                self.has_var_size(ft, seen)
            }),
            Type::Interface(_) => self.w.is_type_param(t),
            _ => false,
        }
    }
}
