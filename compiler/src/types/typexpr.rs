//! Identifiers and type expressions (types2's typexpr.go, struct.go, interface.go,
//! signature.go, union.go).

use super::check::{At, Checker};
use super::constant::ConstValue;
use super::object::{ObjId, ObjKind};
use super::operand::{Mode, Operand};
use super::resolver::unpack;
use super::subst::SubstMap;
use super::ty::*;
use super::Implicit;
use crate::syntax::ast::{ChanDir as AstDir, ExprId, ExprKind, Field};
use crate::syntax::intern::Symbol;
use crate::syntax::token::{LitKind, Operator};

impl<'a> Checker<'a> {
    /// Resolves identifier `e` into operand `x` (types2's ident).
    pub(crate) fn ident(&mut self, x: &mut Operand, e: ExprId, def: Option<TypeId>, want_type: bool) {
        x.mode = Mode::Invalid;
        x.expr = Some(e);
        x.typ = TypeId::INVALID;
        let name = self.file().name(e);
        let Some((scope, obj)) = self.w.lookup_parent(self.scope(), name) else {
            if name.is_blank() {
                if let Some(&tp) = self.recv_tparam_map.get(&(self.env.file as u32, e)) {
                    x.mode = Mode::TypeExpr;
                    x.typ = tp;
                } else {
                    self.err_expr(e, "cannot use _ as value or type".into());
                }
            } else {
                self.err_expr(e, format!("undefined: {name}"));
            }
            return;
        };
        if (obj == self.w.predeclared.any || obj == self.w.predeclared.comparable)
            && !self.allow_version(Some(self.pkg), 1, 18)
        {
            self.version_error(At::Expr(e), "go1.18", format!("predeclared {name}"));
            return;
        }
        self.record_use(e, obj);
        let o = self.w.obj(obj);
        if o.ty.is_none() || o.is_type_name() && want_type {
            self.obj_decl(obj, def);
        }
        let typ = self.w.obj(obj).typ();
        if let Some(&pn) = self.dot_import_map.get(&(scope, name)) {
            self.set_used(pn);
        }
        match self.w.obj(obj).kind.clone() {
            ObjKind::PkgName { .. } => {
                self.err_expr(e, format!("use of package {name} not in selector"));
                return;
            }
            ObjKind::Const { val } => {
                self.add_decl_dep(obj);
                if typ == TypeId::INVALID {
                    return;
                }
                if obj == self.w.predeclared.iota {
                    match &self.env.iota {
                        None => {
                            self.err_expr(e, "cannot use iota outside constant declaration".into());
                            return;
                        }
                        Some(v) => x.val = v.clone(),
                    }
                } else {
                    x.val = val;
                }
                x.mode = Mode::Constant;
            }
            ObjKind::TypeName => {
                if self.is_broken_alias(obj) {
                    self.err_expr(e, format!("invalid use of type alias {name} in recursive type (see issue #50729)"));
                    return;
                }
                x.mode = Mode::TypeExpr;
            }
            ObjKind::Var { .. } => {
                if self.w.obj(obj).pkg == Some(self.pkg) {
                    self.set_used(obj);
                }
                self.add_decl_dep(obj);
                if typ == TypeId::INVALID {
                    return;
                }
                x.mode = Mode::Variable;
            }
            ObjKind::Func { .. } => {
                self.add_decl_dep(obj);
                x.mode = Mode::Value;
            }
            ObjKind::Builtin(b) => {
                x.id = Some(b);
                x.mode = Mode::Builtin;
            }
            ObjKind::Nil => x.mode = Mode::NilValue,
            ObjKind::Label { .. } => return,
        }
        x.typ = typ;
    }

    /// The type denoted by type expression `e`.
    pub(crate) fn typ(&mut self, e: ExprId) -> TypeId {
        self.defined_type(e, None)
    }

    /// A type used for a variable (checks that constraint interfaces aren't used).
    pub(crate) fn var_type(&mut self, e: ExprId) -> TypeId {
        let t = self.defined_type(e, None);
        self.valid_var_type(e, t);
        t
    }

    /// Reports (later) interfaces with type constraints used as ordinary types.
    pub(crate) fn valid_var_type(&mut self, e: ExprId, t: TypeId) {
        if self.w.is_type_param(t) {
            return;
        }
        self.later(move |c| {
            let u = c.w.under(t);
            if !matches!(c.w.ty(u), Type::Interface(_)) {
                return;
            }
            let pos = c.file().start_pos(e);
            let ts = c.compute_interface_type_set(u, (c.file_id(), pos));
            let set = c.w.type_set_data(ts);
            if set.is_method_set() {
                return;
            }
            let msg = if set.comparable {
                format!("cannot use type {} outside a type constraint: interface is (or embeds) comparable", c.ts(t))
            } else {
                format!("cannot use type {} outside a type constraint: interface contains type constraints", c.ts(t))
            };
            c.error(At::Pos(pos), msg);
        });
    }

    /// typ with the defined type being declared (`def`).
    pub(crate) fn defined_type(&mut self, e: ExprId, def: Option<TypeId>) -> TypeId {
        let mut t = self.typ_internal(e, def);
        if self.w.is_generic(t) {
            let msg = format!("cannot use generic type {} without instantiation", self.ts(t));
            self.err_expr(e, msg);
            t = TypeId::INVALID;
        }
        self.record_type_and_value(e, Mode::TypeExpr, t, None);
        t
    }

    /// A generic (uninstantiated) type; reports non-generic ones if `report`.
    pub(crate) fn generic_type(&mut self, e: ExprId, report: bool) -> TypeId {
        let mut t = self.typ_internal(e, None);
        if t != TypeId::INVALID && !self.w.is_generic(t) {
            if report {
                let msg = format!("{} is not a generic type", self.ts(t));
                self.err_expr(e, msg);
            }
            t = TypeId::INVALID;
        }
        self.record_type_and_value(e, Mode::TypeExpr, t, None);
        t
    }

    fn typ_internal(&mut self, e0: ExprId, def: Option<TypeId>) -> TypeId {
        let f = self.file();
        match f[e0].kind.clone() {
            ExprKind::Bad => {}
            ExprKind::Name(_) => {
                let mut x = Operand::default();
                self.ident(&mut x, e0, def, true);
                if let Some(t) = self.type_operand(&x, def) {
                    return t;
                }
            }
            ExprKind::Selector { .. } => {
                let mut x = Operand::default();
                self.selector(&mut x, e0, def);
                if let Some(t) = self.type_operand(&x, def) {
                    return t;
                }
            }
            ExprKind::Index { x, index } => {
                if !self.allow_version(Some(self.pkg), 1, 18) {
                    self.version_error(At::Pos(f[e0].pos), "go1.18", "type instantiation".into());
                }
                let xlist = unpack(f, Some(index));
                return self.instantiated_type(x, &xlist, def);
            }
            ExprKind::Paren(x) => return self.defined_type(x, def),
            ExprKind::ArrayType { len, elem } => {
                let placeholder = self.w.add_type(Type::Array(-1, self.w.predeclared.incomplete));
                self.set_underlying(def, placeholder);
                let n = match len {
                    Some(l) => self.array_length(l),
                    None => {
                        self.err_expr(e0, "invalid use of [...] array (outside a composite literal)".into());
                        -1
                    }
                };
                let elem = self.var_type(elem);
                let t = self.w.array(n, elem);
                self.set_underlying(def, t);
                if n >= 0 {
                    return t;
                }
            }
            ExprKind::SliceType { elem } => {
                let placeholder = self.w.add_type(Type::Slice(self.w.predeclared.incomplete));
                self.set_underlying(def, placeholder);
                let elem = self.var_type(elem);
                let t = self.w.slice(elem);
                self.set_underlying(def, t);
                return t;
            }
            ExprKind::DotsType { elem } => {
                self.err_expr(e0, "invalid use of '...'".into());
                self.use_exprs(&[elem]);
            }
            ExprKind::StructType { fields } => {
                let t = self.w.add_type(Type::Struct(Box::default()));
                self.set_underlying(def, t);
                self.struct_type(t, &f[fields]);
                return t;
            }
            ExprKind::Operation { op: Operator::Mul, x, y: None } => {
                let placeholder = self.w.pointer(TypeId::INVALID);
                self.set_underlying(def, placeholder);
                let base = self.var_type(x);
                if base == TypeId::INVALID {
                    return TypeId::INVALID;
                }
                let t = self.w.pointer(base);
                self.set_underlying(def, t);
                return t;
            }
            ExprKind::FuncType { params, results } => {
                let t = self.new_signature_placeholder();
                self.set_underlying(def, t);
                let ps = f[params].to_vec();
                let rs = f[results].to_vec();
                self.func_type_lists(t, None, &[], &ps, &rs);
                return t;
            }
            ExprKind::InterfaceType { methods } => {
                let t = self.w.add_type(Type::Interface(Box::default()));
                self.set_underlying(def, t);
                self.interface_type(t, e0, &f[methods], def);
                return t;
            }
            ExprKind::MapType { key, value } => {
                let inc = self.w.predeclared.incomplete;
                let placeholder = self.w.add_type(Type::Map(inc, inc));
                self.set_underlying(def, placeholder);
                let k = self.var_type(key);
                let v = self.var_type(value);
                let t = self.w.map(k, v);
                self.set_underlying(def, t);
                self.later(move |c| {
                    if !c.w.comparable(k) {
                        let why = if c.w.is_type_param(k) { " (missing comparable constraint)" } else { "" };
                        let msg = format!("invalid map key type {}{why}", c.ts(k));
                        c.err_expr(key, msg);
                    }
                });
                return t;
            }
            ExprKind::ChanType { dir, elem } => {
                let placeholder = self.w.add_type(Type::Chan(ChanDir::Both, self.w.predeclared.incomplete));
                self.set_underlying(def, placeholder);
                let d = match dir {
                    AstDir::Both => ChanDir::Both,
                    AstDir::SendOnly => ChanDir::Send,
                    AstDir::RecvOnly => ChanDir::Recv,
                };
                let elem = self.var_type(elem);
                let t = self.w.chan(d, elem);
                self.set_underlying(def, t);
                return t;
            }
            _ => {
                let msg = format!("{} is not a type", self.es(e0));
                self.err_expr(e0, msg);
                self.use_exprs(&[e0]);
            }
        }
        self.set_underlying(def, TypeId::INVALID);
        TypeId::INVALID
    }

    /// The type of a Name or Selector operand used as a type, reporting non-types.
    fn type_operand(&mut self, x: &Operand, def: Option<TypeId>) -> Option<TypeId> {
        match x.mode {
            Mode::TypeExpr => {
                self.set_underlying(def, x.typ);
                return Some(x.typ);
            }
            Mode::Invalid => {}
            Mode::NoValue => {
                let msg = format!("{} used as type", self.opnd(x));
                self.error(self.at(x), msg);
            }
            _ => {
                let msg = format!("{} is not a type", self.opnd(x));
                self.error(self.at(x), msg);
            }
        }
        None
    }

    /// Where errors about operand `x` are reported.
    pub(crate) fn at(&self, x: &Operand) -> At {
        match x.expr {
            Some(e) => At::Expr(e),
            None => At::Pos(crate::syntax::pos::Pos::default()),
        }
    }

    fn new_signature_placeholder(&mut self) -> TypeId {
        self.w.add_type(Type::Signature(Box::new(Signature {
            recv: None,
            rparams: Vec::new(),
            tparams: Vec::new(),
            params: self.w.empty_tuple,
            results: self.w.empty_tuple,
            variadic: false,
            scope: None,
        })))
    }

    /// instantiatedType: `x[xlist]` for a generic type `x`.
    fn instantiated_type(&mut self, x: ExprId, xlist: &[ExprId], def: Option<TypeId>) -> TypeId {
        let gtyp = self.generic_type(x, true);
        if gtyp == TypeId::INVALID {
            return gtyp;
        }
        let Some(targs) = self.type_list(xlist) else {
            self.set_underlying(def, TypeId::INVALID);
            return TypeId::INVALID;
        };
        let at = (self.file_id(), self.file()[x].pos);
        let inst = self.w.instantiate_named(gtyp, &targs, Some(at));
        self.set_underlying(def, inst);
        let xlist = xlist.to_vec();
        let pos = self.file()[x].pos;
        self.later(move |c| {
            c.record_instance(x, targs.clone(), inst);
            let tparams = c.w.named(gtyp).map(|n| n.tparams.clone()).unwrap_or_default();
            if c.validate_targ_len(At::Pos(pos), tparams.len(), targs.len()) {
                if let Err((i, msg)) = c.verify(&tparams, &targs) {
                    let at = xlist.get(i).map_or(At::Pos(pos), |&e| At::Expr(e));
                    c.error(at, msg);
                } else {
                    let fid = c.file_id();
                    c.mono_record_instance((fid, pos), &tparams, &targs, &xlist);
                }
            }
            c.valid_type(inst);
        });
        inst
    }

    /// Reports a wrong number of type arguments.
    pub(crate) fn validate_targ_len(&mut self, at: At, ntparams: usize, ntargs: usize) -> bool {
        if ntargs != ntparams {
            self.error(at, format!("got {ntargs} arguments but {ntparams} type parameters"));
            return false;
        }
        true
    }

    /// The length of an array type (or -1 after an error).
    fn array_length(&mut self, e: ExprId) -> i64 {
        let f = self.file();
        if let ExprKind::Name(name) = f[e].kind {
            match self.lookup(name) {
                None => {
                    self.err_expr(e, format!("undeclared name {name} for array length"));
                    return -1;
                }
                Some(o) if !self.w.obj(o).is_const() => {
                    self.err_expr(e, format!("invalid array length {name}"));
                    return -1;
                }
                _ => {}
            }
        }
        let mut x = Operand::default();
        self.expr(&mut x, e);
        if x.mode != Mode::Constant {
            if x.mode != Mode::Invalid {
                let msg = format!("array length {} must be constant", self.opnd(&x));
                self.error(self.at(&x), msg);
            }
            return -1;
        }
        if self.w.is_untyped(x.typ) || self.w.is_integer(x.typ) {
            let v = x.val.to_int();
            if let ConstValue::Int(_) = v {
                if self.representable_const(&v, BasicKind::Int, None) {
                    if let Some(n) = v.to_i64().filter(|&n| n >= 0) {
                        return n;
                    }
                    let msg = format!("invalid array length {}", self.opnd(&x));
                    self.error(self.at(&x), msg);
                    return -1;
                }
            }
        }
        let msg = format!("array length {} must be integer", self.opnd(&x));
        self.error(self.at(&x), msg);
        -1
    }

    /// The types of a list of type expressions; None if any is invalid.
    pub(crate) fn type_list(&mut self, list: &[ExprId]) -> Option<Vec<TypeId>> {
        let mut res = Some(Vec::with_capacity(list.len()));
        for &x in list {
            let t = self.var_type(x);
            if t == TypeId::INVALID {
                res = None;
            }
            if let Some(r) = &mut res {
                r.push(t);
            }
        }
        res
    }

    // ------------------------------------------------------------------------------------
    // Structs

    fn struct_type(&mut self, st: TypeId, fields: &[Field]) {
        let mut out: Vec<ObjId> = Vec::with_capacity(fields.len());
        let mut tags: Vec<Box<str>> = Vec::new();
        let mut any_tag = false;
        let mut prev: Option<ExprId> = None;
        let mut typ = TypeId::INVALID;
        let fid = self.file_id();
        for f in fields {
            if prev != Some(f.typ) {
                typ = self.var_type(f.typ);
                prev = Some(f.typ);
            }
            let tag = f.tag.map(|t| self.tag(t)).unwrap_or_default();
            let (name, embedded, pos, ftyp) = match f.name {
                Some(n) => (self.file().name(n), false, self.file()[n].pos, typ),
                None => {
                    let pos = self.start_pos(f.typ);
                    match self.embedded_field_ident(f.typ) {
                        Some(id) => {
                            let t = typ;
                            let e = f.typ;
                            self.later(move |c| c.check_embedded_field(t, e));
                            (self.file().name(id), true, pos, typ)
                        }
                        None => {
                            let msg = format!("invalid embedded field type {}", self.es(f.typ));
                            self.error(At::Pos(pos), msg);
                            (Symbol::intern("_"), true, pos, TypeId::INVALID)
                        }
                    }
                }
            };
            let fld = self.w.new_field(fid, pos, Some(self.pkg), name, ftyp, embedded);
            if !name.is_blank() {
                if let Some(&alt) = out.iter().find(|&&o| self.w.same_id(o, Some(self.pkg), name)) {
                    let parts = vec![
                        (Some(At::Pos(pos)), format!("{name} redeclared")),
                        (Some(At::Obj(alt)), format!("other declaration of {name}")),
                    ];
                    self.report(parts);
                    continue;
                }
            }
            if let Some(n) = f.name {
                self.record_def(n, Some(fld));
            } else if let Some(id) = self.embedded_field_ident(f.typ) {
                self.record_def(id, Some(fld));
            }
            any_tag |= !tag.is_empty();
            tags.push(tag.into_boxed_str());
            out.push(fld);
        }
        if !any_tag {
            tags.clear();
        }
        if let Type::Struct(s) = self.w.ty_mut(st) {
            s.fields = out;
            s.tags = tags;
            s.complete = true;
        }
    }

    fn check_embedded_field(&mut self, t: TypeId, e: ExprId) {
        let pos = At::Expr(e);
        let (base, is_ptr) = self.w.deref(t);
        let u = self.w.under(base);
        match self.w.ty(u) {
            Type::Basic(BasicKind::Invalid) => {}
            Type::Basic(BasicKind::UnsafePointer) => {
                self.error(pos, "embedded field type cannot be unsafe.Pointer".into());
            }
            Type::Pointer(_) => self.error(pos, "embedded field type cannot be a pointer".into()),
            Type::Interface(_) => {
                if self.w.is_type_param(base) {
                    self.error(pos, "embedded field type cannot be a (pointer to a) type parameter".into());
                } else if is_ptr {
                    self.error(pos, "embedded field type cannot be a pointer to an interface".into());
                }
            }
            _ => {}
        }
    }

    fn embedded_field_ident(&self, e: ExprId) -> Option<ExprId> {
        let f = self.file();
        match f[e].kind {
            ExprKind::Name(_) => Some(e),
            ExprKind::Operation { op: Operator::Mul, x, y: None } => {
                let is_ptr_ptr = matches!(f[x].kind, ExprKind::Operation { op: Operator::Mul, y: None, .. });
                if is_ptr_ptr {
                    None
                } else {
                    self.embedded_field_ident(x)
                }
            }
            ExprKind::Selector { sel, .. } => Some(sel),
            ExprKind::Index { x, .. } => self.embedded_field_ident(x),
            _ => None,
        }
    }

    fn tag(&mut self, t: ExprId) -> String {
        let f = self.file();
        if let ExprKind::BasicLit { kind, bad, text } = f[t].kind {
            if bad {
                return String::new();
            }
            if kind == LitKind::String {
                if let Some(v) = super::constant::string_literal(f.text(text)) {
                    return String::from_utf8_lossy(&v).into_owned();
                }
            }
            let msg = format!("invalid AST: incorrect tag syntax: {:?}", f.text(text));
            self.err_expr(t, msg);
        }
        String::new()
    }

    // ------------------------------------------------------------------------------------
    // Interfaces and unions

    fn interface_type(&mut self, it: TypeId, e: ExprId, fields: &[Field], def: Option<TypeId>) {
        let mut methods = Vec::new();
        let mut embeddeds = Vec::new();
        let mut embed_pos = Vec::new();
        let fid = self.file_id();
        for f in fields {
            let Some(n) = f.name else {
                let pos = self.start_pos(f.typ);
                let t = self.parse_union(f.typ);
                embeddeds.push(t);
                embed_pos.push((fid, pos));
                continue;
            };
            let name = self.file().name(n);
            if name.is_blank() {
                self.err_expr(n, "methods must have a unique non-blank name".into());
                continue;
            }
            let typ = self.typ(f.typ);
            if self.w.sig(typ).is_none() {
                if typ != TypeId::INVALID {
                    let msg = format!("invalid AST: {} is not a method signature", self.ts(typ));
                    self.err_expr(f.typ, msg);
                }
                continue;
            }
            let recv_typ = def.unwrap_or(it);
            let pos = self.file()[n].pos;
            let recv = self.w.new_param(fid, pos, Some(self.pkg), Symbol::intern(""), recv_typ);
            if let Type::Signature(s) = self.w.ty_mut(typ) {
                s.recv = Some(recv);
            }
            let m = self.w.new_func(fid, pos, Some(self.pkg), name, Some(typ));
            self.w.obj_mut(m).color = super::object::BLACK;
            self.record_def(n, Some(m));
            methods.push(m);
        }
        let empty = methods.is_empty() && embeddeds.is_empty();
        self.w.sort_methods(&mut methods);
        let top = self.w.predeclared.top_type_set;
        if let Type::Interface(i) = self.w.ty_mut(it) {
            i.methods = methods;
            i.embeddeds = embeddeds;
            i.embed_pos = embed_pos;
            i.complete = true;
            if empty {
                i.tset = Some(top);
            }
        }
        if !empty {
            let pos = (fid, self.file()[e].pos);
            self.later(move |c| {
                c.compute_interface_type_set(it, pos);
            });
        }
    }

    /// The implicit interface `interface{x}` of a constraint written as `~T` or `A | B`.
    pub(crate) fn implicit_interface(&mut self, x: ExprId) -> TypeId {
        let it = self.w.add_type(Type::Interface(Box::default()));
        let pos = (self.file_id(), self.start_pos(x));
        let t = self.parse_union(x);
        if let Type::Interface(i) = self.w.ty_mut(it) {
            i.embeddeds = vec![t];
            i.embed_pos = vec![pos];
            i.complete = true;
            i.implicit = true;
        }
        self.later(move |c| {
            c.compute_interface_type_set(it, pos);
        });
        it
    }

    /// Computes an interface's type set, reporting errors (duplicate methods, union size)
    /// and checking methods embedded twice for identical signatures.
    pub(crate) fn compute_interface_type_set(
        &mut self,
        it: TypeId,
        _pos: (crate::syntax::pos::FileId, crate::syntax::pos::Pos),
    ) -> TypeSetId {
        if let Some(ts) = self.w.iface(it).and_then(|i| i.tset) {
            return ts;
        }
        if !self.allow_version(Some(self.pkg), 1, 18) {
            self.drop_new_embeddings(it);
        }
        let mut errs = Vec::new();
        let mut dups = Vec::new();
        let ts = self.w.compute_type_set(it, Some(&mut errs), Some(&mut dups));
        for e in errs {
            let mut parts = vec![(Some(At::FilePos(e.file, e.pos)), e.msg)];
            if let Some((f, p, m)) = e.other {
                parts.push((Some(At::FilePos(f, p)), m));
            }
            self.report(parts);
        }
        for d in dups {
            self.later(move |c| {
                let (mt, ot) = (c.w.obj(d.method).typ(), c.w.obj(d.other).typ());
                let mpkg = c.w.obj(d.method).pkg;
                if !c.allow_version(mpkg, 1, 14) || !c.w.identical(mt, ot) {
                    let name = c.w.obj(d.method).name;
                    let parts = vec![
                        (Some(At::FilePos(d.file, d.pos)), format!("duplicate method {name}")),
                        (Some(At::FilePos(d.other_pos.0, d.other_pos.1)), format!("other declaration of {name}")),
                    ];
                    c.report(parts);
                }
            });
        }
        ts
    }

    /// Before go1.18, interfaces may embed only method-set interfaces: reports (and drops)
    /// constraint interfaces, unions and other types.
    fn drop_new_embeddings(&mut self, it: TypeId) {
        let Some(i) = self.w.iface(it).cloned() else { return };
        let mut keep = Vec::new();
        let mut keep_pos = Vec::new();
        for (k, &e) in i.embeddeds.iter().enumerate() {
            let at = i.embed_pos.get(k).map_or(At::Pos(Default::default()), |&(f, p)| At::FilePos(f, p));
            let u = self.w.under(e);
            let ut = self.w.ty(u).clone();
            let what = match ut {
                Type::Interface(_) if self.is_imported_constraint(e) => {
                    Some(format!("embedding constraint interface {}", self.ts(e)))
                }
                Type::Interface(_) => None,
                Type::Union(_) => Some(format!("embedding interface element {}", self.ts(u))),
                Type::Basic(BasicKind::Invalid) => None,
                _ => Some(format!("embedding non-interface type {}", self.ts(e))),
            };
            match what {
                Some(w) => self.version_error(at, "go1.18", w),
                None => {
                    keep.push(e);
                    keep_pos.push(i.embed_pos.get(k).copied().unwrap_or_default());
                }
            }
        }
        if let Type::Interface(b) = self.w.ty_mut(it) {
            b.embeddeds = keep;
            b.embed_pos = keep_pos;
        }
    }

    /// parseUnion: a union of terms (or the single type of a one-term union without ~).
    fn parse_union(&mut self, uexpr: ExprId) -> TypeId {
        let (blist, tlist) = self.flatten_union(uexpr);
        let mut terms: Vec<Term> = Vec::with_capacity(tlist.len());
        let mut too_many = false;
        for &x in &tlist {
            let term = self.parse_tilde(x);
            if tlist.len() == 1 && !term.tilde {
                return term.ty.unwrap_or(TypeId::INVALID);
            }
            if terms.len() >= super::typeset::MAX_TERM_COUNT {
                if !too_many {
                    let msg = format!(
                        "cannot handle more than {} union terms (implementation limitation)",
                        super::typeset::MAX_TERM_COUNT
                    );
                    self.err_expr(x, msg);
                    too_many = true;
                }
            } else {
                terms.push(term);
            }
        }
        if too_many {
            return TypeId::INVALID;
        }
        let u = self.w.add_type(Type::Union(terms.clone().into_boxed_slice()));
        for b in blist {
            self.record_type_and_value(b, Mode::TypeExpr, u, None);
        }
        self.later(move |c| c.check_union_terms(&terms, &tlist));
        u
    }

    fn check_union_terms(&mut self, terms: &[Term], tlist: &[ExprId]) {
        for (i, t) in terms.iter().enumerate() {
            let Some(ty) = t.ty.filter(|&ty| ty != TypeId::INVALID) else { continue };
            let u = self.w.under(ty);
            let is_iface = matches!(self.w.ty(u), Type::Interface(_));
            if t.tilde {
                if is_iface {
                    let msg = format!("invalid use of ~ ({} is an interface)", self.ts(ty));
                    self.err_expr(tlist[i], msg);
                    continue;
                }
                if !self.w.identical(u, ty) {
                    let msg = format!("invalid use of ~ (underlying type of {} is {})", self.ts(ty), self.ts(u));
                    self.err_expr(tlist[i], msg);
                    continue;
                }
            }
            if is_iface {
                let ts = self.w.type_set(u);
                let set = self.w.type_set_data(ts).clone();
                let ts_str = self.term_string(*t);
                if !set.methods.is_empty() {
                    self.err_expr(tlist[i], format!("cannot use {ts_str} in union ({ts_str} contains methods)"));
                } else if ty == self.w.predeclared.comparable_type {
                    self.err_expr(tlist[i], "cannot use comparable in union".into());
                } else if set.comparable {
                    self.err_expr(tlist[i], format!("cannot use {ts_str} in union ({ts_str} embeds comparable)"));
                }
                continue;
            }
            for (j, x) in terms[..i].iter().enumerate() {
                let Some(xt) = x.ty else { continue };
                if self.w.is_interface(xt) {
                    continue;
                }
                if !self.w.term_disjoint(*x, *t) {
                    let msg = format!("overlapping terms {} and {}", self.term_string(*t), self.term_string(terms[j]));
                    self.err_expr(tlist[i], msg);
                    break;
                }
            }
        }
    }

    /// A term as types2 prints `*Term` values: with full package paths.
    fn term_string(&self, t: Term) -> String {
        let ty = t.ty.map(|ty| self.w.type_string(ty, super::typestring::Qualifier::Path)).unwrap_or_default();
        if t.tilde {
            format!("~{ty}")
        } else {
            ty
        }
    }

    fn parse_tilde(&mut self, tx: ExprId) -> Term {
        let f = self.file();
        let (x, tilde) = match f[tx].kind {
            ExprKind::Operation { op: Operator::Tilde, x, y: None } => (x, true),
            _ => (tx, false),
        };
        let mut typ = self.typ(x);
        if self.w.is_type_param(typ) {
            if tilde {
                let msg = format!("type in term {} cannot be a type parameter", self.es(tx));
                self.err_expr(x, msg);
            } else {
                self.err_expr(x, "term cannot be a type parameter".into());
            }
            typ = TypeId::INVALID;
        }
        let term = Term { tilde, ty: Some(typ) };
        if tilde {
            let u = self.w.add_type(Type::Union(Box::new([term])));
            self.record_type_and_value(tx, Mode::TypeExpr, u, None);
        }
        term
    }

    fn flatten_union(&self, x: ExprId) -> (Vec<ExprId>, Vec<ExprId>) {
        let f = self.file();
        if let ExprKind::Operation { op: Operator::Or, x: l, y: Some(r) } = f[x].kind {
            let (mut b, mut t) = self.flatten_union(l);
            b.push(x);
            t.push(r);
            return (b, t);
        }
        (Vec::new(), vec![x])
    }

    // ------------------------------------------------------------------------------------
    // Signatures

    /// funcType for a function declaration (with receiver and type parameters).
    pub(crate) fn func_type(&mut self, sig: TypeId, recv: Option<Field>, tparams: &[Field], ftype: ExprId) {
        let f = self.file();
        let (ps, rs) = match f[ftype].kind {
            ExprKind::FuncType { params, results } => (f[params].to_vec(), f[results].to_vec()),
            _ => (Vec::new(), Vec::new()),
        };
        self.func_type_lists(sig, recv, tparams, &ps, &rs);
    }

    fn func_type_lists(
        &mut self,
        sig: TypeId,
        recv: Option<Field>,
        tparams: &[Field],
        params: &[Field],
        results: &[Field],
    ) {
        let saved_scope = self.env.scope;
        self.open_scope("function");
        let scope = self.scope();
        self.w.scope_mut(scope).is_func = true;
        let mut rparams_out = Vec::new();
        if let Some(r) = recv {
            let (_, rname, rparams) = self.unpack_recv(r.typ, true);
            if !rparams.is_empty() {
                rparams_out = self.declare_recv_tparams(r, rname, &rparams);
            }
        }
        let tparams_out = if tparams.is_empty() {
            Vec::new()
        } else {
            self.collect_type_params(tparams, super::decl::TParamOwner::Sig(sig))
        };
        let temp = self.w.new_scope(Some(scope), "function body (temp. scope)");
        let recv_list = match recv {
            Some(r) => self.collect_params(temp, &[r], false).0,
            None => Vec::new(),
        };
        let (params_v, variadic) = self.collect_params(temp, params, true);
        let (results_v, _) = self.collect_params(temp, results, false);
        self.squash(temp, scope);
        let recv_obj = recv.map(|_| match recv_list.first() {
            Some(&r) => r,
            None => {
                self.w.new_param(super::object::NO_FILE, Default::default(), None, Symbol::intern(""), TypeId::INVALID)
            }
        });
        let ptup = self.w.tuple(params_v);
        let rtup = self.w.tuple(results_v);
        if let Type::Signature(s) = self.w.ty_mut(sig) {
            s.recv = recv_obj;
            s.rparams = rparams_out;
            s.tparams = tparams_out;
            s.params = ptup;
            s.results = rtup;
            s.variadic = variadic;
            s.scope = Some(scope);
        }
        if let Some(r) = recv_obj {
            self.later(move |c| c.validate_receiver(sig, r));
        }
        self.env.scope = saved_scope;
    }

    fn declare_recv_tparams(&mut self, r: Field, rname: Option<ExprId>, rparams: &[ExprId]) -> Vec<TypeId> {
        let tparams: Vec<TypeId> =
            rparams.iter().enumerate().map(|(i, &p)| self.declare_type_param(p, i as u32)).collect();
        for (i, &p) in rparams.iter().enumerate() {
            if self.file().name(p).is_blank() {
                self.recv_tparam_map.insert((self.env.file as u32, p), tparams[i]);
            }
        }
        let mut recv_tparams = Vec::new();
        if let Some(rname) = rname {
            let g = self.generic_type(rname, false);
            if let Some(n) = self.w.named(g) {
                recv_tparams = n.tparams.clone();
            }
        }
        if tparams.len() == recv_tparams.len() {
            let smap = SubstMap::new(&recv_tparams, &tparams);
            for (i, &tp) in tparams.iter().enumerate() {
                self.mono_record_canon(tp, recv_tparams[i]);
                let rb = self.w.type_param(recv_tparams[i]).map_or(TypeId::INVALID, |p| p.bound);
                let b = self.w.subst(rb, &smap);
                if let Type::TypeParam(p) = self.w.ty_mut(tp) {
                    p.bound = b;
                }
            }
        } else if tparams.len() < recv_tparams.len() {
            let n = tparams.len();
            let got = format!("{n} type parameter{}", if n == 1 { "" } else { "s" });
            let msg = format!("got {got}, but receiver base type declares {}", recv_tparams.len());
            self.error(At::Pos(r.pos), msg);
        }
        tparams
    }

    /// Moves the objects of `temp` into its parent `scope`, reporting redeclarations.
    fn squash(&mut self, temp: crate::types::scope::ScopeId, scope: crate::types::scope::ScopeId) {
        let elems: Vec<(Symbol, ObjId)> = self.w.scope(temp).elems().to_vec();
        for (name, obj) in elems {
            if let Some(alt) = self.w.scope_mut(scope).insert(name, obj) {
                self.report_redeclared(At::Obj(obj), name, alt);
            } else {
                self.w.obj_mut(obj).parent = Some(scope);
            }
        }
        self.w.scope_mut(scope).children.retain(|&c| c != temp);
    }

    fn collect_params(
        &mut self,
        scope: crate::types::scope::ScopeId,
        list: &[Field],
        variadic_ok: bool,
    ) -> (Vec<ObjId>, bool) {
        let mut params = Vec::with_capacity(list.len());
        let (mut named, mut anonymous, mut variadic) = (false, false, false);
        let mut typ = TypeId::INVALID;
        let mut prev: Option<ExprId> = None;
        let fid = self.file_id();
        for (i, field) in list.iter().enumerate() {
            let mut ftype = field.typ;
            if prev != Some(ftype) {
                prev = Some(ftype);
                if let ExprKind::DotsType { elem } = self.file()[ftype].kind {
                    ftype = elem;
                    if variadic_ok && i == list.len() - 1 {
                        variadic = true;
                    } else {
                        self.err_expr(field.typ, "can only use ... with final parameter in list".into());
                    }
                }
                typ = self.var_type(ftype);
            }
            match field.name {
                Some(n) => {
                    let name = self.file().name(n);
                    let pos = self.file()[n].pos;
                    let par = self.w.new_param(fid, pos, Some(self.pkg), name, typ);
                    self.declare(scope, Some(n), par);
                    params.push(par);
                    named = true;
                }
                None => {
                    let par = self.w.new_param(fid, field.pos, Some(self.pkg), Symbol::intern(""), typ);
                    self.record_implicit(Implicit::Param(field.typ), par);
                    params.push(par);
                    anonymous = true;
                }
            }
        }
        if named && anonymous {
            if let Some(f0) = list.first() {
                self.error(At::Pos(f0.pos), "invalid AST: list contains both named and anonymous parameters".into());
            }
        }
        if variadic {
            if let Some(&last) = params.last() {
                let t = self.w.obj(last).typ();
                let s = self.w.slice(t);
                self.w.obj_mut(last).ty = Some(s);
                if let Some(lf) = list.last() {
                    self.record_type_and_value(lf.typ, Mode::TypeExpr, s, None);
                }
            }
        }
        (params, variadic)
    }

    fn validate_receiver(&mut self, sig: TypeId, recv: ObjId) {
        let rt = self.w.obj(recv).typ();
        let (rtyp, _) = self.w.deref(rt);
        if rtyp == TypeId::INVALID {
            return;
        }
        let at = At::Obj(recv);
        match self.w.ty(rtyp).clone() {
            Type::Named(n) => {
                let has_rparams = self.w.sig(sig).is_some_and(|s| !s.rparams.is_empty());
                if !n.targs.is_empty() && !has_rparams {
                    let msg = format!("cannot define new methods on instantiated type {}", self.ts(rtyp));
                    self.error(at, msg);
                    return;
                }
                if self.w.obj(n.obj).pkg != Some(self.pkg) {
                    let msg = format!("cannot define new methods on non-local type {}", self.ts(rtyp));
                    self.error(at, msg);
                    return;
                }
                let u = self.w.under(rtyp);
                let cause = match self.w.ty(u) {
                    Type::Basic(BasicKind::UnsafePointer) => "unsafe.Pointer",
                    Type::Pointer(_) | Type::Interface(_) => "pointer or interface type",
                    _ => "",
                };
                if !cause.is_empty() {
                    let msg = format!("invalid receiver type {} ({cause})", self.ts(rtyp));
                    self.error(at, msg);
                }
            }
            Type::Basic(_) | Type::BasicAlias(..) => {
                let msg = format!("cannot define new methods on non-local type {}", self.ts(rtyp));
                self.error(at, msg);
            }
            _ => {
                let msg = format!("invalid receiver type {}", self.ts(rt));
                self.error(at, msg);
            }
        }
    }
}
