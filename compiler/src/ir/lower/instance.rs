//! Generic code by monomorphisation: one compiled body per generic function or method and
//! distinct list of type arguments (see decision "Generics are monomorphised").
//!
//! Before lowering, [`collect`] finds every instance the program needs, starting from the
//! non-generic code: instantiations of generic functions (`F[int]`, or `F(1)` with inferred
//! type arguments) and the methods of every instantiated type that occurs in a concrete type
//! (method tables need them all, as gc's do). Each instance body is then checked for the
//! instances *it* needs, with its type arguments substituted, until nothing new appears.
//!
//! Substitution creates types, which needs the world mutably, while lowering reads it
//! shared; so the collector also precomputes, per instance body, everything the lowering
//! asks about the body with types substituted: a map from the checker's types to their
//! substituted types, selections re-resolved on the substituted receiver types (a method of
//! a type parameter's constraint becomes the concrete type's method), and the symbols of the
//! generic functions the body uses. [`FnCx::subst`] and its companions apply it centrally.
//!
//! Symbols name the type arguments as link strings (package paths): `main.F[int,string]`,
//! `main.List[int].Len`, `main.(*List[main.T]).Push`, and closures inside an instance
//! `main.F[int].func1` (gc uses the same shape, with gc-shape names in the brackets).

use super::func::FnCx;
use super::Lowerer;
use crate::syntax::ast::{DeclKind, ExprId, File};
use crate::types::subst::SubstMap;
use crate::types::ty::Type;
use crate::types::typestring::Qualifier;
use crate::types::{FuncRef, Info, ObjId, ObjKind, Selection, SelectionKind, TypeAndValue, TypeId, World};
use std::collections::{HashMap, HashSet, VecDeque};

/// The instances a package needs.
#[derive(Default)]
pub(super) struct Instances {
    /// Bodies to compile, one per generic function or method and type argument list.
    pub bodies: Vec<Body>,
    /// Symbols of the method objects of instantiated types.
    pub methods: HashMap<ObjId, String>,
    /// Symbols of generic function instances used in non-generic code, by file and the
    /// generic function's identifier.
    pub uses: HashMap<(usize, ExprId), String>,
}

/// One instance of a generic function or method.
pub(super) struct Body {
    pub func: FuncRef,
    pub symbol: String,
    pub subst: Subst,
}

/// What the lowering of an instance body sees differently from the generic body.
#[derive(Default)]
pub(super) struct Subst {
    /// Checker types of the body and their substituted types (unchanged types absent).
    types: HashMap<TypeId, TypeId>,
    /// Selections re-resolved on the substituted types.
    selections: HashMap<ExprId, Selection>,
    /// Symbols of the generic function instances the body uses, by identifier.
    uses: HashMap<ExprId, String>,
    /// The first expression whose type still mentions type parameters after substitution
    /// (a construct the collector does not handle): reported instead of miscompiled.
    unresolved: Option<ExprId>,
}

/// Whether the package has generic code to instantiate.
pub(super) fn has_generics(info: &Info) -> bool {
    info.files.iter().any(|f| !f.instances.is_empty())
}

/// Finds every instance the package needs (the world gets the instantiated types).
pub(super) fn collect(files: &[File], info: &Info, world: &mut World) -> Instances {
    let mut c = Collector {
        files,
        info,
        w: world,
        decls: HashMap::new(),
        queued: HashSet::new(),
        queue: VecDeque::new(),
        walked: HashSet::new(),
        out: Instances::default(),
    };
    for &f in &info.funcs {
        if c.generic_params(f.obj).is_some() {
            c.decls.insert(f.obj, f);
        }
    }
    c.seed();
    while let Some((f, targs, symbol)) = c.queue.pop_front() {
        c.instantiate(f, &targs, symbol);
    }
    c.out
}

struct Collector<'a> {
    files: &'a [File],
    info: &'a Info,
    w: &'a mut World,
    /// Generic functions and methods of generic types, by object.
    decls: HashMap<ObjId, FuncRef>,
    queued: HashSet<String>,
    queue: VecDeque<(FuncRef, Vec<TypeId>, String)>,
    /// Concrete types whose instances were expanded (and their methods queued).
    walked: HashSet<TypeId>,
    out: Instances,
}

impl Collector<'_> {
    /// The type parameters of a generic function, or the receiver type parameters of a
    /// method of a generic type; None for other functions.
    fn generic_params(&self, f: ObjId) -> Option<Vec<TypeId>> {
        let sig = self.w.sig(self.w.obj(f).typ())?;
        if !sig.tparams.is_empty() {
            Some(sig.tparams.clone())
        } else if !sig.rparams.is_empty() {
            Some(sig.rparams.clone())
        } else {
            None
        }
    }

    /// The source offsets a function declaration spans.
    fn span(&self, f: FuncRef) -> (u32, u32) {
        let file = &self.files[f.file];
        let decl = &file[f.decl];
        let end = match decl.kind {
            DeclKind::Func { body: Some(body), .. } => file[body].rbrace.offset,
            _ => decl.pos.offset,
        };
        (decl.pos.offset, end)
    }

    /// The expressions of file `fi` whose offsets lie within `span`.
    fn exprs_in(&self, fi: usize, span: (u32, u32)) -> Vec<ExprId> {
        let file = &self.files[fi];
        (0..self.info.files[fi].types.len())
            .map(ExprId::from_index)
            .filter(|&e| (span.0..=span.1).contains(&file[e].pos.offset))
            .collect()
    }

    /// The instances non-generic code uses directly, and the instantiated types it
    /// mentions.
    fn seed(&mut self) {
        for fi in 0..self.files.len() {
            let generic: Vec<(u32, u32)> =
                self.info.funcs.iter().filter(|f| f.file == fi && self.decls.contains_key(&f.obj)).map(|&f| self.span(f)).collect();
            let file = &self.files[fi];
            let fin = &self.info.files[fi];
            for i in 0..fin.types.len() {
                let e = ExprId::from_index(i);
                let off = file[e].pos.offset;
                if generic.iter().any(|&(a, b)| (a..=b).contains(&off)) {
                    continue;
                }
                if let Some(tv) = fin.type_of(e) {
                    self.walk(tv.ty);
                }
                if let Some(o) = fin.object_of(e) {
                    self.walk(self.w.obj(o).typ());
                }
                if let Some(inst) = fin.instances.get(&e) {
                    if let Some(sym) = self.func_instance(fin.use_of(e), &inst.targs) {
                        self.out.uses.insert((fi, e), sym);
                    }
                }
            }
        }
    }

    /// The symbol of generic function `f` instantiated with `targs`, queued for
    /// compilation; None if `f` is not a generic function with a body.
    fn func_instance(&mut self, f: Option<ObjId>, targs: &[TypeId]) -> Option<String> {
        let f = f?;
        let fref = *self.decls.get(&f)?;
        for &t in targs {
            self.walk(t);
        }
        let args: Vec<String> = targs.iter().map(|&t| self.w.type_string(t, Qualifier::Path)).collect();
        let symbol = format!("{}.{}[{}]", self.info.package, self.w.obj(f).name.as_str(), args.join(","));
        self.enqueue(fref, targs.to_vec(), symbol.clone());
        Some(symbol)
    }

    fn enqueue(&mut self, f: FuncRef, targs: Vec<TypeId>, symbol: String) {
        if self.queued.insert(symbol.clone()) {
            self.queue.push_back((f, targs, symbol));
        }
    }

    /// Whether `t` mentions no type parameters.
    fn is_concrete(&self, t: TypeId) -> bool {
        let w = &*self.w;
        match w.ty(t) {
            Type::TypeParam(_) => false,
            Type::Union(terms) => terms.iter().all(|t| t.ty.map_or(true, |ty| self.is_concrete(ty))),
            Type::Basic(_) | Type::BasicAlias(..) => true,
            // A generic type itself (not an instance) has type parameters but no arguments.
            Type::Named(n) => (n.orig != t || n.tparams.is_empty()) && n.targs.iter().all(|&a| self.is_concrete(a)),
            Type::Pointer(e) | Type::Slice(e) | Type::Array(_, e) | Type::Chan(_, e) => self.is_concrete(*e),
            Type::Map(k, v) => self.is_concrete(*k) && self.is_concrete(*v),
            Type::Struct(s) => s.fields.iter().all(|&f| self.is_concrete(w.obj(f).typ())),
            Type::Tuple(vars) => vars.iter().all(|&v| self.is_concrete(w.obj(v).typ())),
            Type::Signature(s) => s.tparams.is_empty() && self.is_concrete(s.params) && self.is_concrete(s.results),
            Type::Interface(it) => {
                it.methods.iter().all(|&m| self.is_concrete(w.obj(m).typ())) && it.embeddeds.iter().all(|&e| self.is_concrete(e))
            }
        }
    }

    /// Whether `t` is a generic type or function signature itself (as its name in an
    /// instantiation denotes it), not an instance.
    fn is_generic(&self, t: TypeId) -> bool {
        match self.w.ty(t) {
            Type::Named(n) => n.orig == t && !n.tparams.is_empty(),
            Type::Signature(s) => !s.tparams.is_empty(),
            _ => false,
        }
    }

    /// Expands the instantiated types reachable from concrete type `t` and queues their
    /// methods.
    fn walk(&mut self, t: TypeId) {
        if !self.walked.insert(t) || !self.is_concrete(t) {
            return;
        }
        match self.w.ty(t).clone() {
            Type::Named(n) => {
                if !n.targs.is_empty() {
                    self.w.expand_named(t);
                    for i in 0..self.w.named_method_count(t) {
                        if let Some(m) = self.w.named_method(t, i) {
                            self.method_instance(t, m);
                            self.walk(self.w.obj(m).typ());
                        }
                    }
                }
                let u = self.w.under_no_expand(t);
                self.walk(u);
            }
            Type::Pointer(e) | Type::Slice(e) | Type::Array(_, e) | Type::Chan(_, e) => self.walk(e),
            Type::Map(k, v) => {
                self.walk(k);
                self.walk(v);
            }
            Type::Struct(s) => {
                for f in s.fields {
                    self.walk(self.w.obj(f).typ());
                }
            }
            Type::Tuple(vars) => {
                for v in vars.iter() {
                    self.walk(self.w.obj(*v).typ());
                }
            }
            Type::Signature(s) => {
                self.walk(s.params);
                self.walk(s.results);
            }
            Type::Interface(it) => {
                // Interfaces made by substitution get their type sets (method lists).
                self.w.type_set(t);
                for m in it.methods {
                    self.walk(self.w.obj(m).typ());
                }
                for e in it.embeddeds {
                    self.walk(e);
                }
            }
            _ => {}
        }
    }

    /// Method `m` of instantiated type `inst`: its symbol, and its body queued.
    fn method_instance(&mut self, inst: TypeId, m: ObjId) {
        let ObjKind::Func { origin: Some(origin), has_ptr_recv, .. } = self.w.obj(m).kind else { return };
        let Some(&fref) = self.decls.get(&origin) else { return };
        let Some(n) = self.w.named(inst) else { return };
        let targs = n.targs.clone();
        let tname = self.w.obj(n.obj).name.as_str().to_string();
        let args: Vec<String> = targs.iter().map(|&t| self.w.type_string(t, Qualifier::Path)).collect();
        let recv = format!("{tname}[{}]", args.join(","));
        let name = self.w.obj(m).name.as_str();
        let pkg = &self.info.package;
        let symbol = if has_ptr_recv { format!("{pkg}.(*{recv}).{name}") } else { format!("{pkg}.{recv}.{name}") };
        self.out.methods.insert(m, symbol.clone());
        self.enqueue(fref, targs, symbol);
    }

    /// Records what lowering instance `symbol` of `f` with `targs` needs.
    fn instantiate(&mut self, f: FuncRef, targs: &[TypeId], symbol: String) {
        let params = self.generic_params(f.obj).unwrap_or_default();
        let smap = SubstMap::new(&params, targs);
        let mut s = Subst::default();
        let sig = self.w.obj(f.obj).typ();
        self.subst_type(&mut s, sig, &smap);
        let fi = f.file;
        let fin = &self.info.files[fi];
        for e in self.exprs_in(fi, self.span(f)) {
            if let Some(tv) = fin.type_of(e) {
                let t = self.subst_type(&mut s, tv.ty, &smap);
                if s.unresolved.is_none() && !self.is_concrete(t) && !self.is_generic(t) {
                    s.unresolved = Some(e);
                }
            }
            if let Some(o) = fin.object_of(e) {
                let t = self.w.obj(o).typ();
                self.subst_type(&mut s, t, &smap);
            }
            if let Some(sel) = fin.selections.get(&e) {
                if let Some(sel) = self.resolve(sel, &mut s, &smap) {
                    s.selections.insert(e, sel);
                }
            }
            if let Some(inst) = fin.instances.get(&e) {
                let targs: Vec<TypeId> = inst.targs.iter().map(|&t| self.w.subst(t, &smap)).collect();
                if let Some(sym) = self.func_instance(fin.use_of(e), &targs) {
                    s.uses.insert(e, sym);
                }
            }
        }
        self.out.bodies.push(Body { func: f, symbol, subst: s });
    }

    /// Records the substituted type of `t` and expands what it reaches.
    fn subst_type(&mut self, s: &mut Subst, t: TypeId, smap: &SubstMap) -> TypeId {
        if let Some(&u) = s.types.get(&t) {
            return u;
        }
        let u = self.w.subst(t, smap);
        if u != t {
            s.types.insert(t, u);
        }
        self.walk(u);
        u
    }

    /// A selection with its receiver type substituted; methods looked up again on the
    /// substituted type (None when nothing changes).
    fn resolve(&mut self, sel: &Selection, s: &mut Subst, smap: &SubstMap) -> Option<Selection> {
        let recv = self.subst_type(s, sel.recv, smap);
        if recv == sel.recv {
            return None;
        }
        let obj = self.w.obj(sel.obj);
        if sel.kind == SelectionKind::FieldVal || !obj.is_func() {
            return Some(Selection { recv, ..sel.clone() });
        }
        let (pkg, name) = (obj.pkg, obj.name);
        let found = self.w.lookup_field_or_method(recv, true, pkg, name);
        let obj = found.obj?;
        self.walk(self.w.obj(obj).typ());
        Some(Selection { kind: sel.kind, recv, obj, index: found.index, indirect: found.indirect })
    }
}

impl Lowerer<'_> {
    /// Installs the instances found by [`collect`] (lower_program has added their method
    /// symbols to the program's names).
    pub(super) fn install_instances(&mut self, inst: Instances) {
        self.instances = inst;
    }

    /// Whether `f` is generic (compiled only per instance).
    pub(super) fn is_generic_func(&self, f: ObjId) -> bool {
        self.world.sig(self.world.obj(f).typ()).is_some_and(|s| !s.tparams.is_empty() || !s.rparams.is_empty())
    }

    /// Checker type `t` as instance `inst` (an index into the instance bodies) sees it.
    pub(super) fn subst_in(&self, inst: Option<usize>, t: TypeId) -> TypeId {
        match inst {
            Some(i) => self.instances.bodies[i].subst.types.get(&t).copied().unwrap_or(t),
            None => t,
        }
    }

    /// Compiles every instance body.
    pub(super) fn instance_bodies(&self) {
        for (i, body) in self.instances.bodies.iter().enumerate() {
            if let Some(e) = body.subst.unresolved {
                let pos = self.files[body.func.file].start_pos(e);
                self.unsupported(body.func.file, pos, "this use of type parameters");
                continue;
            }
            self.lower_func(body.func, body.symbol.clone(), Some(i));
        }
    }
}

impl<'l> FnCx<'l, '_> {
    fn inst_subst(&self) -> Option<&'l Subst> {
        let lx: &'l Lowerer = self.lx;
        self.inst.map(|i| &lx.instances.bodies[i].subst)
    }

    /// Checker type `t` with the instance's type arguments substituted.
    pub fn subst(&self, t: TypeId) -> TypeId {
        self.lx.subst_in(self.inst, t)
    }

    /// The recorded type and value of `e`, substituted.
    pub fn tv(&self, e: ExprId) -> Option<TypeAndValue> {
        self.info.type_of(e).map(|tv| TypeAndValue { ty: self.subst(tv.ty), ..tv })
    }

    /// The type of object `o` (a variable of this function), substituted.
    pub fn obj_type(&self, o: ObjId) -> TypeId {
        self.subst(self.lx.world.obj(o).typ())
    }

    /// The selection of selector expression `e`, for this instance.
    pub fn selection(&self, e: ExprId) -> Option<&'l Selection> {
        if let Some(sel) = self.inst_subst().and_then(|s| s.selections.get(&e)) {
            return Some(sel);
        }
        let info: &'l crate::types::FileInfo = self.info;
        info.selections.get(&e)
    }

    /// The symbol of the function instance that identifier `e` (or `e[targs]`) denotes,
    /// if it names a generic function.
    pub fn instance_symbol(&self, e: ExprId) -> Option<String> {
        let e = self.file.unparen(e);
        let e = match self.file[e].kind {
            crate::syntax::ast::ExprKind::Index { x, .. } => self.file.unparen(x),
            _ => e,
        };
        if let Some(sym) = self.inst_subst().and_then(|s| s.uses.get(&e)) {
            return Some(sym.clone());
        }
        self.lx.instances.uses.get(&(self.fi, e)).cloned()
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::lower_source;

    /// The symbols of the functions compiled for program `src`.
    fn symbols(name: &str, src: &str) -> Vec<String> {
        lower_source(&format!("instance-{name}"), src).funcs.into_iter().map(|f| f.symbol).collect()
    }

    #[test]
    fn one_body_per_type_argument_list() {
        let syms = symbols(
            "funcs",
            "package main\nfunc Id[T any](x T) T { return x }\n\
             func main() { _ = Id(1); _ = Id[int](2); _ = Id(\"s\"); f := Id[[]int]; _ = f }\n",
        );
        let ids: Vec<&String> = syms.iter().filter(|s| s.starts_with("main.Id")).collect();
        assert_eq!(ids.len(), 3, "{syms:?}");
        for want in ["main.Id[int]", "main.Id[string]", "main.Id[[]int]"] {
            assert!(syms.iter().any(|s| s == want), "{want} missing from {syms:?}");
        }
    }

    #[test]
    fn methods_of_instantiated_types_and_nested_instances() {
        let syms = symbols(
            "methods",
            "package main\ntype L[T any] struct{ xs []T }\n\
             func (l *L[T]) Push(x T) { l.xs = append(l.xs, x) }\n\
             func (l L[T]) Len() int { return len(l.xs) }\n\
             func Wrap[T any](x T) L[[]T] { var l L[[]T]; l.Push([]T{x}); return l }\n\
             func main() { _ = Wrap(1).Len() }\n",
        );
        for want in ["main.Wrap[int]", "main.(*L[[]int]).Push", "main.L[[]int].Len"] {
            assert!(syms.iter().any(|s| s == want), "{want} missing from {syms:?}");
        }
        // The generic bodies themselves are not compiled.
        assert!(!syms.iter().any(|s| s == "main.Wrap" || s.contains("[T]")), "{syms:?}");
    }
}
