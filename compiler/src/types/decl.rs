//! Declarations: lazy, cycle-aware checking of package-level objects and local
//! declarations (types2's decl.go).

use super::check::{At, Checker, DeclKind, Env};
use super::constant::ConstValue;
use super::object::{ObjId, ObjKind, BLACK, GREY, WHITE};
use super::operand::Operand;
use super::resolver::unpack;
use super::ty::{Signature, Type, TypeId};
use crate::syntax::ast::{DeclId, DeclKind as D, ExprId, ExprKind, Field};
use crate::syntax::token::Operator;

/// What a type parameter list belongs to.
#[derive(Clone, Copy)]
pub(crate) enum TParamOwner {
    Named(TypeId),
    Sig(TypeId),
}

impl<'a> Checker<'a> {
    /// objDecl: type-checks the declaration of `obj` if not done yet, detecting cycles.
    /// `def` is the defined type being declared when `obj` is referenced from its RHS.
    pub(crate) fn obj_decl(&mut self, obj: ObjId, def: Option<TypeId>) {
        let o = self.w.obj(obj);
        if o.color == WHITE && o.ty.is_some() {
            self.w.obj_mut(obj).color = BLACK;
            return;
        }
        match o.color {
            WHITE => {}
            BLACK => return,
            _ => {
                self.obj_decl_cycle(obj);
                return;
            }
        }
        let Some(d) = self.obj_map.get(&obj) else {
            // Not a package-level object (should not happen); leave it alone.
            return;
        };
        let (file, file_scope, kind) = (d.file, d.file_scope, d.kind.clone());
        self.obj_path.push(obj);
        self.w.obj_mut(obj).color = GREY + self.obj_path.len() as u32 - 1;
        let saved = std::mem::replace(&mut self.env, Env { file, scope: Some(file_scope), ..Env::default() });
        match kind {
            DeclKind::Const { typ, init, inherited } => {
                self.env.decl = Some(obj);
                self.const_decl(obj, typ, init, inherited);
            }
            DeclKind::Var { lhs, typ, init } => {
                self.env.decl = Some(obj);
                self.var_decl(obj, lhs.as_deref(), typ, init);
            }
            DeclKind::Type(d) => {
                self.type_decl(obj, d, def);
                self.collect_methods(obj);
            }
            DeclKind::Func(d) => self.func_decl(obj, d),
        }
        self.env = saved;
        self.obj_path.pop();
        self.w.obj_mut(obj).color = BLACK;
    }

    /// A reference to an object that is being declared (grey): decides whether the cycle
    /// is valid and gives the object a type if it has none.
    fn obj_decl_cycle(&mut self, obj: ObjId) {
        let valid = self.valid_cycle(obj);
        let o = self.w.obj(obj);
        match o.kind {
            ObjKind::Const { .. } | ObjKind::Var { .. } if !valid || o.ty.is_none() => {
                self.w.obj_mut(obj).ty = Some(TypeId::INVALID);
            }
            ObjKind::TypeName if !valid => self.w.obj_mut(obj).ty = Some(TypeId::INVALID),
            _ => {}
        }
        if self.w.obj(obj).ty.is_none() {
            self.w.obj_mut(obj).ty = Some(TypeId::INVALID);
        }
    }

    /// validCycle: whether the cycle through `obj` on the object path is allowed.
    fn valid_cycle(&mut self, obj: ObjId) -> bool {
        let start = (self.w.obj(obj).color - GREY) as usize;
        let cycle: Vec<ObjId> = self.obj_path.get(start..).map(|c| c.to_vec()).unwrap_or_default();
        let mut tpar_cycle = false;
        let (mut nval, mut ndef) = (0, 0);
        for &o in &cycle {
            match self.w.obj(o).kind {
                ObjKind::Const { .. } | ObjKind::Var { .. } => nval += 1,
                ObjKind::TypeName => {
                    let t = self.w.obj(o).typ();
                    if self.env.in_tparam_list && self.w.is_generic(t) {
                        tpar_cycle = true;
                        break;
                    }
                    let alias = match self.obj_map.get(&o).map(|d| (d.file, d.kind.clone())) {
                        Some((f, DeclKind::Type(d))) => matches!(self.files[f][d].kind, D::Type { alias: true, .. }),
                        _ => self.w.is_alias(o),
                    };
                    if !alias {
                        ndef += 1;
                    }
                }
                _ => {}
            }
        }
        if !tpar_cycle {
            if nval == cycle.len() {
                return true;
            }
            if nval == 0 && ndef > 0 {
                return true;
            }
        }
        self.cycle_error(&cycle);
        false
    }

    /// Reports an invalid cycle, starting with the object declared first in the source.
    pub(crate) fn cycle_error(&mut self, cycle: &[ObjId]) {
        if cycle.is_empty() {
            return;
        }
        let mut i = self.first_in_src(cycle);
        let mut obj = cycle[i];
        let name = |c: &Self, o: ObjId| {
            let ob = c.w.obj(o);
            format!("{}{}", c.w.package_prefix(ob.pkg, c.qf()), ob.name)
        };
        let mut obj_name = name(self, obj);
        let is_tname = self.w.obj(obj).is_type_name();
        if is_tname && self.w.is_alias(obj) {
            self.valid_alias(obj, TypeId::INVALID);
        }
        let first = if is_tname {
            format!("invalid recursive type {obj_name}")
        } else {
            format!("illegal cycle in declaration of {obj_name}")
        };
        let mut parts = vec![(Some(At::Obj(obj)), first)];
        for _ in cycle {
            parts.push((Some(At::Obj(obj)), format!("{obj_name} refers to")));
            i = (i + 1) % cycle.len();
            obj = cycle[i];
            obj_name = name(self, obj);
        }
        parts.push((Some(At::Obj(obj)), obj_name));
        self.report(parts);
    }

    fn first_in_src(&self, path: &[ObjId]) -> usize {
        let key = |o: ObjId| {
            let ob = self.w.obj(o);
            (self.sources_name(ob.file), ob.pos.line, ob.pos.col)
        };
        let mut fst = 0;
        for i in 1..path.len() {
            if key(path[i]) < key(path[fst]) {
                fst = i;
            }
        }
        fst
    }

    fn sources_name(&self, f: crate::syntax::pos::FileId) -> String {
        if f == super::object::NO_FILE {
            return String::new();
        }
        self.sources.file(f).name.clone()
    }

    /// Marks an alias as being declared (uses of it are errors until it is).
    fn broken_alias(&mut self, alias: ObjId) {
        self.broken_aliases.insert(alias);
        self.w.obj_mut(alias).ty = Some(TypeId::INVALID);
    }

    fn valid_alias(&mut self, alias: ObjId, t: TypeId) {
        self.broken_aliases.remove(&alias);
        self.w.obj_mut(alias).ty = Some(t);
    }

    /// Whether `alias` is an alias whose type is not determined yet.
    pub(crate) fn is_broken_alias(&self, alias: ObjId) -> bool {
        self.w.obj(alias).ty == Some(TypeId::INVALID) && self.broken_aliases.contains(&alias)
    }

    fn const_decl(&mut self, obj: ObjId, typ: Option<ExprId>, init: Option<ExprId>, inherited: bool) {
        let iota = self.w.obj(obj).const_val().cloned();
        let saved_iota = std::mem::replace(&mut self.env.iota, iota);
        let saved_errpos = self.env.errpos.take();
        if let ObjKind::Const { val } = &mut self.w.obj_mut(obj).kind {
            *val = ConstValue::Unknown;
        }
        let mut ok = true;
        if let Some(typ) = typ {
            let t = self.typ(typ);
            if !self.w.is_const_type(t) {
                if self.w.under(t) != TypeId::INVALID {
                    let msg = format!("invalid constant type {}", self.ts(t));
                    self.err_expr(typ, msg);
                }
                self.w.obj_mut(obj).ty = Some(TypeId::INVALID);
                ok = false;
            } else {
                self.w.obj_mut(obj).ty = Some(t);
            }
        }
        if ok {
            let mut x = Operand::default();
            if let Some(init) = init {
                if inherited {
                    let o = self.w.obj(obj);
                    self.env.errpos = Some((o.file, o.pos));
                }
                self.expr(&mut x, init);
            }
            self.init_const(obj, &mut x);
        }
        self.env.iota = saved_iota;
        self.env.errpos = saved_errpos;
    }

    fn var_decl(&mut self, obj: ObjId, lhs: Option<&[ObjId]>, typ: Option<ExprId>, init: Option<ExprId>) {
        if let Some(typ) = typ {
            let t = self.var_type(typ);
            self.w.obj_mut(obj).ty = Some(t);
        }
        match init {
            None => {
                if typ.is_none() {
                    self.w.obj_mut(obj).ty = Some(TypeId::INVALID);
                }
            }
            Some(init) => match lhs {
                Some(lhs) if lhs.len() > 1 => {
                    if typ.is_some() {
                        let t = self.w.obj(obj).ty;
                        for &l in lhs {
                            self.w.obj_mut(l).ty = t;
                        }
                    }
                    self.init_vars(lhs, &[init], None);
                }
                _ => {
                    let mut x = Operand::default();
                    self.expr(&mut x, init);
                    self.init_var(obj, &mut x, "variable declaration");
                }
            },
        }
        for o in std::iter::once(obj).chain(lhs.unwrap_or(&[]).iter().copied()) {
            if self.w.obj(o).ty == Some(TypeId::INVALID) {
                self.set_used(o);
            }
        }
    }

    /// Sets the underlying type of the defined type being declared, if any.
    pub(crate) fn set_underlying(&mut self, def: Option<TypeId>, t: TypeId) {
        if let Some(n) = def.and_then(|d| self.w.named_mut(d)) {
            n.underlying = t;
        }
    }

    pub(crate) fn type_decl(&mut self, obj: ObjId, d: DeclId, def: Option<TypeId>) {
        let f = self.file();
        let D::Type { name: _, tparams, alias, typ } = f[d].kind.clone() else { return };
        self.later(move |c| {
            let t = c.w.obj(obj).typ();
            if c.w.named(t).is_some() {
                c.valid_type(t);
            }
            let rhs = c.w.named(t).filter(|n| n.obj == obj).map_or(t, |n| n.from_rhs);
            if c.is_imported_constraint(rhs) && !c.allow_version(Some(c.pkg), 1, 18) {
                let what = format!("using type constraint {}", c.ts(rhs));
                c.version_error(At::Expr(typ), "go1.18", what);
            }
        });
        let mut alias = alias;
        if alias && !tparams.is_empty() {
            self.error(At::Pos(f[d].pos), "generic type cannot be alias".into());
            alias = false;
        }
        if alias {
            if !self.allow_version(Some(self.pkg), 1, 9) {
                self.version_error(At::Pos(f[d].pos), "go1.9", "type aliases".into());
            }
            self.broken_alias(obj);
            let rhs = self.typ(typ);
            self.valid_alias(obj, rhs);
            return;
        }
        let named = self.w.new_named(obj, TypeId::INVALID);
        self.named_types.push(named);
        self.set_underlying(def, named);
        let saved_scope = self.env.scope;
        if !tparams.is_empty() {
            self.open_scope("type parameters");
            self.collect_type_params(&f[tparams], TParamOwner::Named(named));
        }
        let rhs = self.defined_type(typ, Some(named));
        if let Some(n) = self.w.named_mut(named) {
            n.from_rhs = rhs;
        }
        if self.w.is_type_param(rhs) {
            self.err_expr(typ, "cannot use a type parameter as RHS in type declaration".into());
            self.set_underlying(Some(named), TypeId::INVALID);
        }
        self.env.scope = saved_scope;
    }

    /// Declares the type parameters of a list (binding them to their owner at once, so
    /// that cycles through the constraints are seen) and checks their constraints.
    pub(crate) fn collect_type_params(&mut self, list: &[Field], owner: TParamOwner) -> Vec<TypeId> {
        let mut tparams = Vec::with_capacity(list.len());
        for (i, f) in list.iter().enumerate() {
            let name = f.name.unwrap_or(f.typ);
            let tp = self.declare_type_param(name, i as u32);
            tparams.push(tp);
        }
        match owner {
            TParamOwner::Named(n) => {
                if let Some(n) = self.w.named_mut(n) {
                    n.tparams = tparams.clone();
                }
            }
            TParamOwner::Sig(s) => {
                if let Type::Signature(s) = self.w.ty_mut(s) {
                    s.tparams = tparams.clone();
                }
            }
        }
        let saved = std::mem::replace(&mut self.env.in_tparam_list, true);
        let mut bound = TypeId::INVALID;
        for (i, f) in list.iter().enumerate() {
            if i == 0 || f.typ != list[i - 1].typ {
                bound = self.bound(f.typ);
                if self.w.is_type_param(bound) {
                    self.err_expr(f.typ, "cannot use a type parameter as constraint".into());
                    bound = TypeId::INVALID;
                }
            }
            if let Type::TypeParam(p) = self.w.ty_mut(tparams[i]) {
                p.bound = bound;
            }
        }
        self.env.in_tparam_list = saved;
        tparams
    }

    fn bound(&mut self, x: ExprId) -> TypeId {
        let f = self.file();
        if let ExprKind::Operation { op: Operator::Tilde | Operator::Or, .. } = f[x].kind {
            let t = self.implicit_interface(x);
            self.record_type_and_value(x, super::Mode::TypeExpr, t, None);
            return t;
        }
        self.typ(x)
    }

    /// Declares a type parameter named by `name` (at index `index` of its list).
    pub(crate) fn declare_type_param(&mut self, name: ExprId, index: u32) -> TypeId {
        let (fid, pos) = self.here(name);
        let sym = self.file().name(name);
        let tname = self.w.new_type_name(fid, pos, Some(self.pkg), sym, None);
        let tp = self.w.new_type_param(tname, index, TypeId::INVALID);
        self.w.obj_mut(tname).color = BLACK;
        let scope = self.scope();
        self.declare(scope, Some(name), tname);
        tp
    }

    /// Associates the collected methods with their base type.
    fn collect_methods(&mut self, obj: ObjId) {
        let Some(methods) = self.methods.remove(&obj) else { return };
        let base = self.w.obj(obj).typ();
        let is_named = self.w.named(base).is_some_and(|n| n.targs.is_empty());
        let mut mset: Vec<ObjId> = Vec::new();
        if is_named {
            self.later(move |c| c.check_field_uniqueness(base));
            mset.extend(
                self.w.named(base).map(|n| n.methods.iter().flatten().copied().collect::<Vec<_>>()).unwrap_or_default(),
            );
        }
        for m in methods {
            let (mpkg, mname) = (self.w.obj(m).pkg, self.w.obj(m).name);
            if let Some(&alt) = mset.iter().find(|&&o| self.w.same_id(o, mpkg, mname)) {
                let tname = self.w.obj(obj).name;
                let mut parts = vec![(Some(At::Obj(m)), format!("{tname}.{mname} redeclared in this block"))];
                parts.push((Some(At::Obj(alt)), format!("other declaration of {mname}")));
                self.report(parts);
                continue;
            }
            mset.push(m);
            if is_named {
                if let Some(n) = self.w.named_mut(base) {
                    n.methods.push(Some(m));
                }
            }
        }
    }

    fn check_field_uniqueness(&mut self, base: TypeId) {
        let u = self.w.under(base);
        let Some(st) = self.w.struct_type(u) else { return };
        let fields = st.fields.clone();
        let methods: Vec<ObjId> =
            self.w.named(base).map(|n| n.methods.iter().flatten().copied().collect()).unwrap_or_default();
        for fld in fields {
            let (fpkg, fname) = (self.w.obj(fld).pkg, self.w.obj(fld).name);
            if fname.is_blank() {
                continue;
            }
            if let Some(&alt) = methods.iter().find(|&&m| self.w.same_id(m, fpkg, fname)) {
                let parts = vec![
                    (Some(At::Obj(alt)), format!("field and method with the same name {fname}")),
                    (Some(At::Obj(fld)), format!("other declaration of {fname}")),
                ];
                self.report(parts);
            }
        }
    }

    fn func_decl(&mut self, obj: ObjId, d: DeclId) {
        let f = self.file();
        let D::Func { recv, tparams, typ, body, .. } = f[d].kind.clone() else { return };
        let placeholder = Signature {
            recv: None,
            rparams: Vec::new(),
            tparams: Vec::new(),
            params: self.w.empty_tuple,
            results: self.w.empty_tuple,
            variadic: false,
            scope: None,
        };
        let sig = self.w.add_type(Type::Signature(Box::new(placeholder)));
        self.w.obj_mut(obj).ty = Some(sig);
        let saved = std::mem::replace(&mut self.w.obj_mut(obj).color, BLACK);
        let tps = f[tparams].to_vec();
        self.func_type(sig, recv, &tps, typ);
        self.w.obj_mut(obj).color = saved;
        if !tparams.is_empty() && body.is_none() {
            self.error(At::Pos(f[d].pos), "parameterized function is missing function body".into());
        }
        if let Some(body) = body {
            if !self.config.ignore_func_bodies {
                let name = self.w.obj(obj).name;
                self.later(move |c| c.func_body(Some(obj), name.as_str(), sig, body, None));
            }
        }
    }

    /// Local declarations (types2's declStmt).
    pub(crate) fn decl_stmt(&mut self, list: &[DeclId]) {
        let f = self.file();
        let mut first: Option<usize> = None;
        let mut last: Option<DeclId> = None;
        for (index, &d) in list.iter().enumerate() {
            if !matches!(f[d].kind, D::Const { .. }) {
                first = None;
            }
            match f[d].kind.clone() {
                D::Const { names, typ, values } => {
                    let top = self.delayed_mark();
                    let prev_group = index.checked_sub(1).map(|i| f[list[i]].group);
                    if first.is_none() || f[d].group.is_none() || prev_group != Some(f[d].group) {
                        first = Some(index);
                        last = None;
                    }
                    let iota = ConstValue::int((index - first.unwrap_or(index)) as i64);
                    let (typ, values, inherited) = if typ.is_some() || values.is_some() {
                        last = Some(d);
                        (typ, values, false)
                    } else {
                        match last.map(|l| f[l].kind.clone()) {
                            Some(D::Const { typ, values, .. }) => (typ, values, true),
                            _ => (None, None, false),
                        }
                    };
                    let names = f[names].to_vec();
                    let vals = unpack(f, values);
                    let mut lhs = Vec::with_capacity(names.len());
                    for (i, &name) in names.iter().enumerate() {
                        let (fid, pos) = self.here(name);
                        let obj = self.w.new_const(fid, pos, Some(self.pkg), f.name(name), None, iota.clone());
                        lhs.push(obj);
                        self.const_decl(obj, typ, vals.get(i).copied(), inherited);
                    }
                    self.arity(f[d].pos, &names, &vals, true, inherited);
                    self.process_delayed(top);
                    let scope = self.scope();
                    for (i, &name) in names.iter().enumerate() {
                        self.declare(scope, Some(name), lhs[i]);
                    }
                }
                D::Var { names, typ, values } => {
                    let top = self.delayed_mark();
                    let names = f[names].to_vec();
                    let lhs0: Vec<ObjId> = names
                        .iter()
                        .map(|&n| {
                            let (fid, pos) = self.here(n);
                            self.w.new_var(fid, pos, Some(self.pkg), f.name(n), None)
                        })
                        .collect();
                    let vals = unpack(f, values);
                    for (i, &obj) in lhs0.iter().enumerate() {
                        let (lhs, init) = if vals.len() == names.len() {
                            (None, Some(vals[i]))
                        } else if vals.len() == 1 {
                            (Some(&lhs0[..]), Some(vals[0]))
                        } else {
                            (None, vals.get(i).copied())
                        };
                        self.var_decl(obj, lhs, typ, init);
                        if vals.len() == 1 {
                            break;
                        }
                    }
                    if typ.is_none() || values.is_some() {
                        self.arity(f[d].pos, &names, &vals, false, false);
                    }
                    self.process_delayed(top);
                    let scope = self.scope();
                    for (i, &name) in names.iter().enumerate() {
                        self.declare(scope, Some(name), lhs0[i]);
                    }
                }
                D::Type { name, .. } => {
                    if index == 0 && self.in_generic_function() {
                        // gc 1.19's back end cannot handle these (issue 47631).
                        let msg = "type declarations inside generic functions are not currently supported";
                        let pos = self.decl_stmt_pos.unwrap_or(f[d].pos);
                        let file = self.file_id();
                        self.late_diags.push(crate::diag::Diagnostic { file, pos, msg: msg.into() });
                    }
                    let (fid, pos) = self.here(name);
                    let obj = self.w.new_type_name(fid, pos, Some(self.pkg), f.name(name), None);
                    let scope = self.scope();
                    self.declare(scope, Some(name), obj);
                    self.obj_path.push(obj);
                    self.w.obj_mut(obj).color = GREY + self.obj_path.len() as u32 - 1;
                    self.type_decl(obj, d, None);
                    self.obj_path.pop();
                    self.w.obj_mut(obj).color = BLACK;
                }
                _ => self.error(At::Pos(f[d].pos), "invalid AST: unknown syntax.Decl node".into()),
            }
        }
    }

    /// Whether `t` is a constraint interface of another package (not usable before go1.18).
    pub(crate) fn is_imported_constraint(&mut self, t: TypeId) -> bool {
        let Some(n) = self.w.named(t) else { return false };
        let pkg = self.w.obj(n.obj).pkg;
        if pkg == Some(self.pkg) || pkg.is_none() {
            return false;
        }
        let u = self.w.under(t);
        if self.w.iface(u).is_none() {
            return false;
        }
        let ts = self.w.type_set(u);
        !self.w.type_set_data(ts).is_method_set()
    }

    /// Whether the function whose body is checked (the outermost one) is generic.
    fn in_generic_function(&self) -> bool {
        self.env.top_sig_generic
    }
}
