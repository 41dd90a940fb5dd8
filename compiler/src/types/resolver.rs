//! Collecting the package-level objects of all files, imports, and declaring them in
//! source order (types2's resolver.go).

use super::check::{At, Checker, DeclInfo, DeclKind};
use super::constant::ConstValue;
use super::object::{ObjId, ObjKind};
use super::scope::ScopeId;
use super::world::PackageId;
use super::Implicit;
use crate::syntax::ast::{DeclId, DeclKind as D, ExprId, ExprKind, File};
use crate::syntax::intern::Symbol;
use crate::syntax::token::Operator;

/// The elements of a possibly-list expression (types2's unpackExpr).
pub(crate) fn unpack(f: &File, e: Option<ExprId>) -> Vec<ExprId> {
    match e {
        None => Vec::new(),
        Some(e) => match f[e].kind {
            ExprKind::List(l) => f[l].to_vec(),
            _ => vec![e],
        },
    }
}

/// Checks an import path literal and returns the path (types2's validatedImportPath).
fn validated_import_path(lit: &str) -> Result<String, String> {
    let bytes = super::constant::string_literal(lit).ok_or_else(|| "invalid syntax".to_string())?;
    let s = String::from_utf8_lossy(&bytes).into_owned();
    if s.is_empty() {
        return Err("empty string".into());
    }
    const ILLEGAL: &str = "!\"#$%&'()*,:;<=>?[\\]^{|}`\u{FFFD}";
    for c in s.chars() {
        if !crate::syntax::scanner::is_print(c as u32) || c.is_whitespace() || ILLEGAL.contains(c) {
            return Err(format!("invalid character {}", crate::syntax::scanner::format_u(c as u32)));
        }
    }
    Ok(s)
}

struct MethodInfo {
    obj: ObjId,
    ptr: bool,
    recv: ExprId,
    file: usize,
}

impl Checker<'_> {
    /// arity: reports missing or extra initialization expressions.
    pub(crate) fn arity(
        &mut self,
        pos: crate::syntax::pos::Pos,
        names: &[ExprId],
        inits: &[ExprId],
        const_decl: bool,
        inherited: bool,
    ) {
        let (l, r) = (names.len(), inits.len());
        if l < r {
            let n = inits[l];
            if inherited {
                let at = self.pos_string(self.pos_of(At::Expr(n)));
                self.error(At::Pos(pos), format!("extra init expr at {at}"));
            } else {
                let msg = format!("extra init expr {}", self.es(n));
                self.err_expr(n, msg);
            }
        } else if l > r && (const_decl || r != 1) {
            let n = names[r];
            let msg = format!("missing init expr for {}", self.file().name(n));
            self.err_expr(n, msg);
        }
    }

    fn declare_pkg_obj(&mut self, ident: ExprId, obj: ObjId, d: DeclInfo) {
        let name = self.file().name(ident);
        if name.as_str() == "init" {
            self.err_expr(ident, "cannot declare init - must be func".into());
            return;
        }
        if name.as_str() == "main" && self.w.pkg(self.pkg).name == "main" {
            self.err_expr(ident, "cannot declare main - must be func".into());
            return;
        }
        let scope = self.w.pkg(self.pkg).scope;
        self.declare(scope, Some(ident), obj);
        self.obj_map.insert(obj, d);
        self.w.obj_mut(obj).order = self.obj_map.len() as u32;
    }

    /// Imports `path`, reporting failures (the result is then a fake package).
    fn import_package(&mut self, at: At, path: &str) -> PackageId {
        if let Some(&p) = self.imp_map.get(path) {
            return p;
        }
        let imp = if path == "unsafe" {
            self.w.unsafe_pkg
        } else {
            match self.importer.import(self.w, path) {
                Ok(p) if !self.w.pkg(p).name.is_empty() && self.w.pkg(p).name != "_" => p,
                res => {
                    let err = match res {
                        Ok(p) => format!("invalid package name: {:?}", self.w.pkg(p).name),
                        Err(e) => e,
                    };
                    self.error(at, format!("could not import {path} ({err})"));
                    let name = path.trim_end_matches('/').rsplit('/').next().unwrap_or(path).to_string();
                    let p = self.w.new_package(path, &name);
                    self.w.pkg_mut(p).fake = true;
                    p
                }
            }
        };
        self.imp_map.insert(path.to_string(), imp);
        imp
    }

    /// collectObjects: declares all package-level objects and collects methods.
    pub(crate) fn collect_objects(&mut self) {
        let pkg_scope = self.w.pkg(self.pkg).scope;
        let mut methods: Vec<MethodInfo> = Vec::new();
        let mut file_scopes: Vec<ScopeId> = Vec::new();
        for fi in self.pkg_files.clone() {
            self.env.file = fi;
            let f = self.file();
            let file_scope = self.w.new_scope(Some(pkg_scope), "file");
            file_scopes.push(file_scope);
            if let Some(n) = f.pkg_name {
                self.record_def(n, None);
            }
            let decls: Vec<DeclId> = f[f.decls].to_vec();
            let mut first: Option<usize> = None;
            let mut last: Option<DeclId> = None;
            for (index, &d) in decls.iter().enumerate() {
                if !matches!(f[d].kind, D::Const { .. }) {
                    first = None;
                }
                match f[d].kind.clone() {
                    D::Import { local, path } => self.collect_import(fi, d, file_scope, local, path),
                    D::Const { names, .. } => {
                        let prev_group = index.checked_sub(1).map(|i| f[decls[i]].group);
                        let new_group = first.is_none() || f[d].group.is_none() || prev_group != Some(f[d].group);
                        if new_group {
                            first = Some(index);
                            last = None;
                        }
                        let iota = ConstValue::int((index - first.unwrap_or(index)) as i64);
                        let (typ, values, inherited) = self.const_spec_source(d, &mut last);
                        let vals = unpack(f, values);
                        let names = f[names].to_vec();
                        for (i, &name) in names.iter().enumerate() {
                            let (fid, pos) = self.here(name);
                            let obj = self.w.new_const(fid, pos, Some(self.pkg), f.name(name), None, iota.clone());
                            let init = vals.get(i).copied();
                            let di = DeclInfo::new(fi, file_scope, DeclKind::Const { typ, init, inherited });
                            self.declare_pkg_obj(name, obj, di);
                        }
                        self.arity(f[d].pos, &names, &vals, true, inherited);
                    }
                    D::Var { names, typ, values } => {
                        let names = f[names].to_vec();
                        let vals = unpack(f, values);
                        let is_list = values.is_some_and(|v| matches!(f[v].kind, ExprKind::List(_)));
                        let lhs: Vec<ObjId> = names
                            .iter()
                            .map(|&n| {
                                let (fid, pos) = self.here(n);
                                self.w.new_var(fid, pos, Some(self.pkg), f.name(n), None)
                            })
                            .collect();
                        for (i, &name) in names.iter().enumerate() {
                            let kind = if !is_list {
                                DeclKind::Var { lhs: Some(lhs.clone()), typ, init: values }
                            } else {
                                DeclKind::Var { lhs: None, typ, init: vals.get(i).copied() }
                            };
                            let mut di = DeclInfo::new(fi, file_scope, kind);
                            if !is_list && i > 0 {
                                di.shared_with = Some(lhs[0]);
                            }
                            self.declare_pkg_obj(name, lhs[i], di);
                        }
                        if typ.is_none() || values.is_some() {
                            self.arity(f[d].pos, &names, &vals, false, false);
                        }
                    }
                    D::Type { name, tparams, .. } => {
                        if !tparams.is_empty() && !self.allow_version(Some(self.pkg), 1, 18) {
                            let p = f[tparams][0].pos;
                            self.version_error(At::Pos(p), "go1.18", "type parameter".into());
                        }
                        let (fid, pos) = self.here(name);
                        let obj = self.w.new_type_name(fid, pos, Some(self.pkg), f.name(name), None);
                        self.declare_pkg_obj(name, obj, DeclInfo::new(fi, file_scope, DeclKind::Type(d)));
                    }
                    D::Func { recv, name, tparams, typ, body } => {
                        self.collect_func(
                            fi,
                            d,
                            file_scope,
                            recv,
                            name,
                            tparams.len(),
                            typ,
                            body.is_some(),
                            &mut methods,
                        );
                    }
                }
            }
        }
        self.check_file_scope_conflicts(&file_scopes);
        self.file_scopes = file_scopes;
        for m in methods {
            self.env.file = m.file;
            if let Some((ptr, base)) = self.resolve_base_type_name(m.ptr, m.recv) {
                if let ObjKind::Func { has_ptr_recv, .. } = &mut self.w.obj_mut(m.obj).kind {
                    *has_ptr_recv = ptr;
                }
                self.methods.entry(base).or_default().push(m.obj);
            }
        }
        self.compute_ambiguous_names();
    }

    /// The type and values a constant spec uses (inherited from the last spec with
    /// values in its group), and whether they are inherited.
    fn const_spec_source(&self, d: DeclId, last: &mut Option<DeclId>) -> (Option<ExprId>, Option<ExprId>, bool) {
        let f = self.file();
        let D::Const { typ, values, .. } = f[d].kind else { return (None, None, false) };
        if typ.is_some() || values.is_some() {
            *last = Some(d);
            return (typ, values, false);
        }
        match *last {
            Some(l) => match f[l].kind {
                D::Const { typ, values, .. } => (typ, values, true),
                _ => (None, None, false),
            },
            None => (None, None, false),
        }
    }

    fn collect_import(
        &mut self,
        fi: usize,
        d: DeclId,
        file_scope: ScopeId,
        local: Option<ExprId>,
        path: Option<ExprId>,
    ) {
        let f = self.file();
        let Some(path) = path else { return };
        let Some(lit) = f.lit_text(path) else { return };
        if matches!(f[path].kind, ExprKind::BasicLit { bad: true, .. }) {
            return;
        }
        let path_str = match validated_import_path(lit) {
            Ok(p) => p,
            Err(e) => {
                self.err_expr(path, format!("invalid import path ({e})"));
                return;
            }
        };
        let imp = self.import_package(At::Pos(f[path].pos), &path_str);
        if imp != self.w.unsafe_pkg {
            let h = self.w.pkg(imp).height + 1;
            let p = self.w.pkg_mut(self.pkg);
            p.height = p.height.max(h);
        }
        let mut name = self.w.pkg(imp).name.clone();
        if let Some(l) = local {
            name = f.name(l).as_str().to_string();
            if path_str == "C" {
                self.err_expr(l, "cannot rename import \"C\"".into());
                return;
            }
        }
        if name == "init" {
            self.error(At::Pos(f[d].pos), "cannot import package as init - init must be a func".into());
            return;
        }
        if !self.w.pkg(self.pkg).imports.contains(&imp) {
            self.w.pkg_mut(self.pkg).imports.push(imp);
        }
        let fid = f.file;
        let pkg_name = self.w.new_pkg_name(fid, f[d].pos, self.pkg, Symbol::intern(&name), imp);
        match local {
            Some(l) => self.record_def(l, Some(pkg_name)),
            None => self.record_implicit(Implicit::Import(d), pkg_name),
        }
        if self.w.pkg(imp).fake {
            self.set_used(pkg_name);
        }
        self.imports.push(pkg_name);
        if name == "." {
            let scope = self.w.pkg(imp).scope;
            let elems: Vec<(Symbol, ObjId)> = self.w.scope(scope).elems().to_vec();
            for (n, obj) in elems {
                if !super::object::is_exported(n.as_str()) {
                    continue;
                }
                if let Some(alt) = self.w.scope(file_scope).lookup(n) {
                    let at = At::Expr(local.unwrap_or(path));
                    self.report_redeclared(at, n, alt);
                } else {
                    self.w.scope_mut(file_scope).insert(n, obj);
                    self.dot_import_map.insert((file_scope, n), pkg_name);
                }
            }
        } else {
            self.declare(file_scope, None, pkg_name);
        }
        let _ = fi;
    }

    #[allow(clippy::too_many_arguments)]
    fn collect_func(
        &mut self,
        fi: usize,
        d: DeclId,
        file_scope: ScopeId,
        recv: Option<crate::syntax::ast::Field>,
        name: ExprId,
        ntparams: usize,
        typ: ExprId,
        has_body: bool,
        methods: &mut Vec<MethodInfo>,
    ) {
        let f = self.file();
        let fname = f.name(name);
        let (fid, pos) = self.here(name);
        let obj = self.w.new_func(fid, pos, Some(self.pkg), fname, None);
        if let ObjKind::Func { decl, .. } = &mut self.w.obj_mut(obj).kind {
            *decl = Some((fi as u32, d));
        }
        let is_main_pkg = self.w.pkg(self.pkg).name == "main";
        let mut has_tparam_error = false;
        match recv {
            None => {
                if fname.as_str() == "init" || fname.as_str() == "main" && is_main_pkg {
                    if ntparams != 0 {
                        if let D::Func { tparams, .. } = &f[d].kind {
                            let first = f[*tparams][0];
                            let at = first.name.unwrap_or(first.typ);
                            self.err_expr(at, format!("func {fname} must have no type parameters"));
                            has_tparam_error = true;
                        }
                    }
                    if let ExprKind::FuncType { params, results } = f[typ].kind {
                        if !params.is_empty() || !results.is_empty() {
                            self.error(
                                At::Pos(f[d].pos),
                                format!("func {fname} must have no arguments and no return values"),
                            );
                        }
                    }
                }
                if fname.as_str() == "init" {
                    let pkg_scope = self.w.pkg(self.pkg).scope;
                    self.w.obj_mut(obj).parent = Some(pkg_scope);
                    self.record_def(name, Some(obj));
                    if !has_body {
                        self.error(At::Obj(obj), "missing function body".into());
                    }
                } else {
                    let pkg_scope = self.w.pkg(self.pkg).scope;
                    self.declare(pkg_scope, Some(name), obj);
                }
            }
            Some(r) => {
                let (ptr, rname, _) = self.unpack_recv(r.typ, false);
                if let Some(rname) = rname {
                    if !fname.is_blank() {
                        methods.push(MethodInfo { obj, ptr, recv: rname, file: fi });
                    }
                }
                self.record_def(name, Some(obj));
            }
        }
        if ntparams != 0 && !self.allow_version(Some(self.pkg), 1, 18) && !has_tparam_error {
            if let D::Func { tparams, .. } = &self.file()[d].kind {
                let p = self.file()[*tparams][0].pos;
                self.version_error(At::Pos(p), "go1.18", "type parameter".into());
            }
        }
        self.obj_map.insert(obj, DeclInfo::new(fi, file_scope, DeclKind::Func(d)));
        self.w.obj_mut(obj).order = self.obj_map.len() as u32;
    }

    fn check_file_scope_conflicts(&mut self, file_scopes: &[ScopeId]) {
        let pkg_scope = self.w.pkg(self.pkg).scope;
        for &scope in file_scopes {
            let elems: Vec<(Symbol, ObjId)> = self.w.scope(scope).elems().to_vec();
            for (name, obj) in elems {
                let Some(alt) = self.w.scope(pkg_scope).lookup(name) else { continue };
                let msg = match self.w.obj(obj).kind {
                    ObjKind::PkgName { imported, .. } => {
                        format!("{name} already declared through import of {}", self.import_desc(imported))
                    }
                    _ => {
                        let p = self.w.obj(obj).pkg.map(|p| self.import_desc(p)).unwrap_or_default();
                        format!("{name} already declared through dot-import of {p}")
                    }
                };
                let other = (Some(At::Obj(obj)), format!("other declaration of {name}"));
                self.report(vec![(Some(At::Obj(alt)), msg), other]);
            }
        }
    }

    /// A package as types2 prints `*Package` values: `package name ("path")`.
    fn import_desc(&self, p: PackageId) -> String {
        let pk = self.w.pkg(p);
        format!("package {} ({})", pk.name, super::constant::quote(pk.path.as_bytes()))
    }

    /// unpackRecv: whether the receiver type is a pointer, its base type name, and (with
    /// `unpack_params`) the receiver type parameter names.
    pub(crate) fn unpack_recv(&mut self, mut rtyp: ExprId, unpack_params: bool) -> (bool, Option<ExprId>, Vec<ExprId>) {
        let f = self.file();
        let mut ptr = false;
        loop {
            match f[rtyp].kind {
                ExprKind::Paren(x) => rtyp = x,
                ExprKind::Operation { op: Operator::Mul, x, y: None } => {
                    ptr = true;
                    rtyp = x;
                }
                _ => break,
            }
        }
        let mut tparams = Vec::new();
        if let ExprKind::Index { x, index } = f[rtyp].kind {
            rtyp = x;
            if unpack_params {
                for arg in unpack(f, Some(index)) {
                    match f[arg].kind {
                        ExprKind::Name(_) => tparams.push(arg),
                        ExprKind::Bad => tparams.push(arg),
                        _ => {
                            let msg = format!("receiver type parameter {} must be an identifier", self.es(arg));
                            self.err_expr(arg, msg);
                            tparams.push(arg);
                        }
                    }
                }
            }
        }
        let rname = matches!(f[rtyp].kind, ExprKind::Name(_)).then_some(rtyp);
        (ptr, rname, tparams)
    }

    /// resolveBaseTypeName: the package-level type name a receiver type refers to
    /// (through aliases), and whether it is a pointer.
    fn resolve_base_type_name(&mut self, seen_ptr: bool, mut typ: ExprId) -> Option<(bool, ObjId)> {
        let mut ptr = seen_ptr;
        let mut seen: Vec<ObjId> = Vec::new();
        let pkg_scope = self.w.pkg(self.pkg).scope;
        let mut files_file = self.env.file;
        loop {
            let f = &self.files[files_file];
            typ = f.unparen(typ);
            if let ExprKind::Operation { op: Operator::Mul, x, y: None } = f[typ].kind {
                if ptr {
                    return None;
                }
                ptr = true;
                typ = f.unparen(x);
            }
            let ExprKind::Name(name) = f[typ].kind else { return None };
            let obj = self.w.scope(pkg_scope).lookup(name)?;
            if !matches!(self.w.obj(obj).kind, ObjKind::TypeName) || seen.contains(&obj) {
                return None;
            }
            let d = self.obj_map.get(&obj)?;
            let DeclKind::Type(decl) = d.kind else { return None };
            let df = d.file;
            let D::Type { alias, typ: rhs, .. } = self.files[df][decl].kind else { return None };
            if !alias {
                return Some((ptr, obj));
            }
            typ = rhs;
            files_file = df;
            seen.push(obj);
        }
    }

    /// packageObjects: declares all package-level objects, types first.
    pub(crate) fn package_objects(&mut self) {
        let mut list: Vec<ObjId> = self.obj_map.keys().copied().collect();
        list.sort_by_key(|&o| self.w.obj(o).order);
        let mut aliases = Vec::new();
        let mut others = Vec::new();
        for &obj in &list {
            if !self.w.obj(obj).is_type_name() {
                others.push(obj);
                continue;
            }
            let d = &self.obj_map[&obj];
            let is_alias = match d.kind {
                DeclKind::Type(decl) => matches!(self.files[d.file][decl].kind, D::Type { alias: true, .. }),
                _ => false,
            };
            if is_alias {
                aliases.push(obj);
            } else {
                self.obj_decl(obj, None);
            }
        }
        for obj in aliases.into_iter().chain(others) {
            self.obj_decl(obj, None);
        }
        self.methods.clear();
    }

    /// Reports imports that were not used.
    pub(crate) fn unused_imports(&mut self) {
        for obj in self.imports.clone() {
            let o = self.w.obj(obj);
            if o.used() || o.name.is_blank() {
                continue;
            }
            let ObjKind::PkgName { imported, .. } = o.kind else { continue };
            let path = self.w.pkg(imported).path.clone();
            let elem = path.rsplit('/').next().unwrap_or(&path);
            let name = o.name.as_str();
            let qpath = super::constant::quote(path.as_bytes());
            let msg = if name.is_empty() || name == "." || name == elem {
                format!("imported and not used: {qpath}")
            } else {
                format!("imported and not used: {qpath} as {name}")
            };
            self.error(At::Obj(obj), msg);
        }
    }

    /// Package names used by more than one package reachable through imports.
    fn compute_ambiguous_names(&mut self) {
        let mut seen: Vec<PackageId> = Vec::new();
        let mut by_name: Vec<(String, Vec<String>)> = Vec::new();
        let mut stack = vec![self.pkg];
        while let Some(p) = stack.pop() {
            if seen.contains(&p) {
                continue;
            }
            seen.push(p);
            let pk = self.w.pkg(p);
            match by_name.iter_mut().find(|(n, _)| *n == pk.name) {
                Some((_, paths)) => {
                    if !paths.contains(&pk.path) {
                        paths.push(pk.path.clone());
                    }
                }
                None => by_name.push((pk.name.clone(), vec![pk.path.clone()])),
            }
            stack.extend(pk.imports.iter().copied());
        }
        self.ambiguous = by_name.into_iter().filter(|(_, p)| p.len() > 1).map(|(n, _)| n).collect();
    }
}
