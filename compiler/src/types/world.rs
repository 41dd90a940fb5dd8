//! The [`World`]: everything the checker knows across the packages of one compilation —
//! the arenas of types, objects, scopes and packages — with constructors and accessors.
//! Packages are checked one after another into the same world, so types and objects of
//! imported packages are directly shared.

use super::constant::ConstValue;
use super::object::{ObjId, ObjKind, Object, BLACK, NO_FILE, WHITE};
use super::scope::{Scope, ScopeId};
use super::ty::*;
use crate::syntax::intern::{FxBuild, Symbol};
use crate::syntax::pos::{FileId, Pos};
use std::collections::HashMap;

/// A package, by index into the world's package arena.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PackageId(pub u32);

/// A package: path, name, scope and imports.
#[derive(Clone, Debug)]
pub struct Package {
    pub path: String,
    pub name: String,
    pub scope: ScopeId,
    /// Directly imported packages (in import order, without duplicates).
    pub imports: Vec<PackageId>,
    /// Length of the longest import chain to a package without imports (for sorting
    /// unexported method names, as types2's height).
    pub height: u32,
    /// Set when checking is finished.
    pub complete: bool,
    /// A stand-in for a package that could not be imported.
    pub fake: bool,
}

/// An instance of a generic type or function: its type arguments and the instance.
pub(crate) type InstanceEntry = (Box<[TypeId]>, TypeId);

/// Hash map with the fast Fx hasher.
pub type FxHashMap<K, V> = HashMap<K, V, FxBuild>;

/// The arenas of one compilation.
#[derive(Clone, Debug)]
pub struct World {
    types: Vec<Type>,
    simple: FxHashMap<SimpleKey, TypeId>,
    objs: Vec<Object>,
    scopes: Vec<Scope>,
    pkgs: Vec<Package>,
    pub(crate) type_sets: Vec<TypeSet>,
    /// Instances by origin (generic type or function signature), for de-duplication.
    pub(crate) instances: FxHashMap<TypeId, Vec<InstanceEntry>>,
    /// Errors found computing type sets on demand (drained by the checker).
    pub(crate) pending_tset_errors: Vec<super::typeset::TypeSetError>,
    pub(crate) pending_tset_dups: Vec<super::typeset::DuplicateEmbedded>,
    /// Computed union type sets (None: invalid union).
    pub(crate) union_sets: FxHashMap<TypeId, Option<Vec<Term>>>,
    next_tparam_id: u32,
    /// Where instances made by substitution are positioned (the instance being expanded).
    pub(crate) subst_pos: Option<(FileId, Pos)>,
    /// Nesting depth of instance expansions (guards against invalid recursive types).
    pub(crate) expand_depth: u32,
    /// The universe scope.
    pub universe: ScopeId,
    /// Package unsafe.
    pub unsafe_pkg: PackageId,
    /// The empty tuple (no parameters or results).
    pub empty_tuple: TypeId,
    /// Predeclared objects and types the checker refers to directly.
    pub predeclared: Predeclared,
}

/// Predeclared objects and types with special roles.
#[derive(Clone, Copy, Debug)]
pub struct Predeclared {
    pub iota: ObjId,
    pub any: ObjId,
    pub any_type: TypeId,
    pub error: TypeId,
    pub comparable: ObjId,
    pub comparable_type: TypeId,
    pub nil: ObjId,
    /// A stand-in element type of composite types under construction (behaves as the
    /// invalid type; composite literals of such types are cycles).
    pub incomplete: TypeId,
    /// The empty interface `interface{}` (distinct from `any`'s for printing).
    pub empty_interface: TypeId,
    /// The type set of all types (no methods, no terms).
    pub top_type_set: TypeSetId,
}

impl Default for World {
    fn default() -> Self {
        World::new()
    }
}

impl World {
    /// A world with the universe scope and package unsafe.
    pub fn new() -> World {
        let mut w = World {
            types: Vec::with_capacity(1 << 12),
            simple: FxHashMap::default(),
            objs: Vec::with_capacity(1 << 12),
            scopes: Vec::new(),
            pkgs: Vec::new(),
            type_sets: Vec::new(),
            instances: FxHashMap::default(),
            union_sets: FxHashMap::default(),
            pending_tset_errors: Vec::new(),
            pending_tset_dups: Vec::new(),
            next_tparam_id: 0,
            expand_depth: 0,
            subst_pos: None,
            universe: ScopeId(0),
            unsafe_pkg: PackageId(0),
            empty_tuple: TypeId::INVALID,
            predeclared: Predeclared {
                iota: ObjId(0),
                any: ObjId(0),
                any_type: TypeId::INVALID,
                error: TypeId::INVALID,
                comparable: ObjId(0),
                comparable_type: TypeId::INVALID,
                nil: ObjId(0),
                incomplete: TypeId::INVALID,
                empty_interface: TypeId::INVALID,
                top_type_set: TypeSetId(0),
            },
        };
        for k in BASIC_KINDS {
            w.types.push(Type::Basic(k));
        }
        w.types.push(Type::BasicAlias(BasicKind::Uint8, "byte"));
        w.types.push(Type::BasicAlias(BasicKind::Int32, "rune"));
        w.empty_tuple = w.add_type(Type::Tuple(Box::new([])));
        w.predeclared.incomplete = w.add_type(Type::Basic(BasicKind::Invalid));
        w.universe = w.new_scope(None, "universe");
        super::universe::define_universe(&mut w);
        w
    }

    // ------------------------------------------------------------------------------------
    // Types

    /// Adds a type to the arena (no hash-consing).
    pub fn add_type(&mut self, t: Type) -> TypeId {
        let id = TypeId(self.types.len() as u32);
        self.types.push(t);
        id
    }

    /// The structure of `t`.
    pub fn ty(&self, t: TypeId) -> &Type {
        &self.types[t.index()]
    }

    /// Mutable access for filling in types under construction.
    pub fn ty_mut(&mut self, t: TypeId) -> &mut Type {
        &mut self.types[t.index()]
    }

    /// Number of types (ids are dense below it).
    pub fn type_count(&self) -> usize {
        self.types.len()
    }

    fn intern(&mut self, key: SimpleKey) -> TypeId {
        if let Some(&id) = self.simple.get(&key) {
            return id;
        }
        let t = match key {
            SimpleKey::Pointer(b) => Type::Pointer(b),
            SimpleKey::Slice(e) => Type::Slice(e),
            SimpleKey::Array(n, e) => Type::Array(n, e),
            SimpleKey::Map(k, v) => Type::Map(k, v),
            SimpleKey::Chan(d, e) => Type::Chan(d, e),
        };
        let id = self.add_type(t);
        self.simple.insert(key, id);
        id
    }

    /// `*base`
    pub fn pointer(&mut self, base: TypeId) -> TypeId {
        self.intern(SimpleKey::Pointer(base))
    }

    /// `[]elem`
    pub fn slice(&mut self, elem: TypeId) -> TypeId {
        self.intern(SimpleKey::Slice(elem))
    }

    /// `[len]elem` (len -1 for an unknown length).
    pub fn array(&mut self, len: i64, elem: TypeId) -> TypeId {
        self.intern(SimpleKey::Array(len, elem))
    }

    /// `map[key]elem`
    pub fn map(&mut self, key: TypeId, elem: TypeId) -> TypeId {
        self.intern(SimpleKey::Map(key, elem))
    }

    /// `chan elem` with a direction.
    pub fn chan(&mut self, dir: ChanDir, elem: TypeId) -> TypeId {
        self.intern(SimpleKey::Chan(dir, elem))
    }

    /// A tuple of variables.
    pub fn tuple(&mut self, vars: Vec<ObjId>) -> TypeId {
        if vars.is_empty() {
            return self.empty_tuple;
        }
        self.add_type(Type::Tuple(vars.into_boxed_slice()))
    }

    /// A tuple of unnamed variables of the given types.
    pub fn tuple_of_types(&mut self, pkg: Option<PackageId>, types: &[TypeId]) -> TypeId {
        let vars = types.iter().map(|&t| self.new_param(NO_FILE, Pos::default(), pkg, Symbol::intern(""), t)).collect();
        self.tuple(vars)
    }

    /// A signature without receiver or type parameters.
    pub fn signature(&mut self, params: TypeId, results: TypeId, variadic: bool) -> TypeId {
        self.add_type(Type::Signature(Box::new(Signature {
            recv: None,
            rparams: Vec::new(),
            tparams: Vec::new(),
            params,
            results,
            variadic,
            scope: None,
        })))
    }

    /// An interface with the given explicit methods and embedded types, complete.
    pub fn interface(&mut self, mut methods: Vec<ObjId>, embeddeds: Vec<TypeId>) -> TypeId {
        self.sort_methods(&mut methods);
        let embed_pos = Vec::new();
        self.add_type(Type::Interface(Box::new(InterfaceType {
            methods,
            embeddeds,
            embed_pos,
            implicit: false,
            complete: true,
            tset: None,
        })))
    }

    /// A new defined type for `obj` (sets the object's type if unset).
    pub fn new_named(&mut self, obj: ObjId, underlying: TypeId) -> TypeId {
        let id = TypeId(self.types.len() as u32);
        self.types.push(Type::Named(Box::new(NamedType {
            obj,
            orig: id,
            targs: Vec::new(),
            tparams: Vec::new(),
            underlying,
            from_rhs: underlying,
            methods: Vec::new(),
            expanded: true,
        })));
        if self.objs[obj.index()].ty.is_none() {
            self.objs[obj.index()].ty = Some(id);
        }
        id
    }

    /// A new type parameter for `obj` with the given index and bound.
    pub fn new_type_param(&mut self, obj: ObjId, index: u32, bound: TypeId) -> TypeId {
        self.next_tparam_id += 1;
        let id = self.next_tparam_id;
        let t = self.add_type(Type::TypeParam(Box::new(TypeParamType { obj, index, bound, id })));
        if self.objs[obj.index()].ty.is_none() {
            self.objs[obj.index()].ty = Some(t);
        }
        t
    }

    /// The Named data of `t`, if it is a defined type.
    pub fn named(&self, t: TypeId) -> Option<&NamedType> {
        match self.ty(t) {
            Type::Named(n) => Some(n),
            _ => None,
        }
    }

    /// The Named data of `t` for updating.
    pub fn named_mut(&mut self, t: TypeId) -> Option<&mut NamedType> {
        match self.ty_mut(t) {
            Type::Named(n) => Some(n),
            _ => None,
        }
    }

    /// The TypeParam data of `t`.
    pub fn type_param(&self, t: TypeId) -> Option<&TypeParamType> {
        match self.ty(t) {
            Type::TypeParam(p) => Some(p),
            _ => None,
        }
    }

    /// The signature data of `t` (not looking through named types).
    pub fn sig(&self, t: TypeId) -> Option<&Signature> {
        match self.ty(t) {
            Type::Signature(s) => Some(s),
            _ => None,
        }
    }

    /// The struct data of `t` (not looking through named types).
    pub fn struct_type(&self, t: TypeId) -> Option<&StructType> {
        match self.ty(t) {
            Type::Struct(s) => Some(s),
            _ => None,
        }
    }

    /// The interface data of `t` (not looking through named types).
    pub fn iface(&self, t: TypeId) -> Option<&InterfaceType> {
        match self.ty(t) {
            Type::Interface(i) => Some(i),
            _ => None,
        }
    }

    /// The variables of a tuple type (empty for other types).
    pub fn tuple_vars(&self, t: TypeId) -> &[ObjId] {
        match self.ty(t) {
            Type::Tuple(v) => v,
            _ => &[],
        }
    }

    /// The number of variables of a tuple.
    pub fn tuple_len(&self, t: TypeId) -> usize {
        self.tuple_vars(t).len()
    }

    /// The type of the `i`th variable of a tuple.
    pub fn tuple_type(&self, t: TypeId, i: usize) -> TypeId {
        self.tuple_vars(t).get(i).map_or(TypeId::INVALID, |&v| self.obj(v).typ())
    }

    /// The basic kind of `t` itself (not its underlying type).
    pub fn basic_kind(&self, t: TypeId) -> Option<BasicKind> {
        self.ty(t).basic()
    }

    /// Whether `t` is a type parameter.
    pub fn is_type_param(&self, t: TypeId) -> bool {
        matches!(self.ty(t), Type::TypeParam(_))
    }

    /// A computed type set.
    pub fn type_set_data(&self, s: TypeSetId) -> &TypeSet {
        &self.type_sets[s.0 as usize]
    }

    pub(crate) fn add_type_set(&mut self, s: TypeSet) -> TypeSetId {
        self.type_sets.push(s);
        TypeSetId(self.type_sets.len() as u32 - 1)
    }

    // ------------------------------------------------------------------------------------
    // Objects

    /// Adds an object.
    pub fn add_obj(&mut self, o: Object) -> ObjId {
        self.objs.push(o);
        ObjId(self.objs.len() as u32 - 1)
    }

    /// The object with id `o`.
    pub fn obj(&self, o: ObjId) -> &Object {
        &self.objs[o.index()]
    }

    /// Mutable access to an object.
    pub fn obj_mut(&mut self, o: ObjId) -> &mut Object {
        &mut self.objs[o.index()]
    }

    /// Number of objects.
    pub fn obj_count(&self) -> usize {
        self.objs.len()
    }

    #[allow(clippy::too_many_arguments)]
    fn new_object(
        &mut self,
        kind: ObjKind,
        file: FileId,
        pos: Pos,
        pkg: Option<PackageId>,
        name: Symbol,
        ty: Option<TypeId>,
    ) -> ObjId {
        self.add_obj(Object { name, kind, pkg, file, pos, ty, parent: None, order: 0, color: WHITE })
    }

    /// A variable.
    pub fn new_var(
        &mut self,
        file: FileId,
        pos: Pos,
        pkg: Option<PackageId>,
        name: Symbol,
        ty: Option<TypeId>,
    ) -> ObjId {
        let kind = ObjKind::Var { is_field: false, embedded: false, used: false, origin: None };
        self.new_object(kind, file, pos, pkg, name, ty)
    }

    /// A parameter or result (marked used: unused parameters are fine).
    pub fn new_param(&mut self, file: FileId, pos: Pos, pkg: Option<PackageId>, name: Symbol, ty: TypeId) -> ObjId {
        let kind = ObjKind::Var { is_field: false, embedded: false, used: true, origin: None };
        self.new_object(kind, file, pos, pkg, name, Some(ty))
    }

    /// A struct field.
    pub fn new_field(
        &mut self,
        file: FileId,
        pos: Pos,
        pkg: Option<PackageId>,
        name: Symbol,
        ty: TypeId,
        embedded: bool,
    ) -> ObjId {
        let kind = ObjKind::Var { is_field: true, embedded, used: false, origin: None };
        self.new_object(kind, file, pos, pkg, name, Some(ty))
    }

    /// A constant (its value is set when declared).
    pub fn new_const(
        &mut self,
        file: FileId,
        pos: Pos,
        pkg: Option<PackageId>,
        name: Symbol,
        ty: Option<TypeId>,
        val: ConstValue,
    ) -> ObjId {
        self.new_object(ObjKind::Const { val }, file, pos, pkg, name, ty)
    }

    /// A type name.
    pub fn new_type_name(
        &mut self,
        file: FileId,
        pos: Pos,
        pkg: Option<PackageId>,
        name: Symbol,
        ty: Option<TypeId>,
    ) -> ObjId {
        self.new_object(ObjKind::TypeName, file, pos, pkg, name, ty)
    }

    /// A function or method.
    pub fn new_func(
        &mut self,
        file: FileId,
        pos: Pos,
        pkg: Option<PackageId>,
        name: Symbol,
        ty: Option<TypeId>,
    ) -> ObjId {
        let kind = ObjKind::Func { has_ptr_recv: false, origin: None, decl: None };
        self.new_object(kind, file, pos, pkg, name, ty)
    }

    /// A package name.
    pub fn new_pkg_name(&mut self, file: FileId, pos: Pos, pkg: PackageId, name: Symbol, imported: PackageId) -> ObjId {
        let id = self.new_object(ObjKind::PkgName { imported, used: false }, file, pos, Some(pkg), name, None);
        self.objs[id.index()].ty = Some(TypeId::INVALID);
        id
    }

    /// A label.
    pub fn new_label(&mut self, file: FileId, pos: Pos, pkg: PackageId, name: Symbol) -> ObjId {
        let id = self.new_object(ObjKind::Label { used: false }, file, pos, Some(pkg), name, Some(TypeId::INVALID));
        self.objs[id.index()].color = BLACK;
        id
    }

    /// Whether object `o` has the unique identifier (pkg, name): same name, and for
    /// unexported names the same package (types2's sameId).
    pub fn same_id(&self, o: ObjId, pkg: Option<PackageId>, name: Symbol) -> bool {
        let obj = self.obj(o);
        if obj.name != name {
            return false;
        }
        if obj.exported() {
            return true;
        }
        match (obj.pkg, pkg) {
            (Some(a), Some(b)) => a == b || self.pkg(a).path == self.pkg(b).path,
            (a, b) => a == b,
        }
    }

    /// Sorts methods by unique name as types2 does (exported first, then by name, then by
    /// package height and path).
    pub fn sort_methods(&self, methods: &mut [ObjId]) {
        methods.sort_by(|&a, &b| self.method_order(a, b));
    }

    fn method_order(&self, a: ObjId, b: ObjId) -> std::cmp::Ordering {
        let (x, y) = (self.obj(a), self.obj(b));
        let (ex, ey) = (x.exported(), y.exported());
        if ex != ey {
            return ey.cmp(&ex);
        }
        let by_name = x.name.as_str().cmp(y.name.as_str());
        if by_name != std::cmp::Ordering::Equal || ex {
            return by_name;
        }
        match (x.pkg, y.pkg) {
            (Some(p), Some(q)) => {
                let (p, q) = (self.pkg(p), self.pkg(q));
                p.height.cmp(&q.height).then_with(|| p.path.cmp(&q.path))
            }
            (p, q) => p.cmp(&q),
        }
    }

    // ------------------------------------------------------------------------------------
    // Scopes

    /// A new scope under `parent`.
    pub fn new_scope(&mut self, parent: Option<ScopeId>, comment: &'static str) -> ScopeId {
        let id = ScopeId(self.scopes.len() as u32);
        self.scopes.push(Scope::new(parent, comment));
        if let Some(p) = parent {
            self.scopes[p.0 as usize].children.push(id);
        }
        id
    }

    /// The scope with id `s`.
    pub fn scope(&self, s: ScopeId) -> &Scope {
        &self.scopes[s.0 as usize]
    }

    /// Mutable access to a scope.
    pub fn scope_mut(&mut self, s: ScopeId) -> &mut Scope {
        &mut self.scopes[s.0 as usize]
    }

    /// Inserts `obj` into scope `s` unless its name is taken (then returns the other
    /// object); sets the object's parent if unset.
    pub fn scope_insert(&mut self, s: ScopeId, obj: ObjId) -> Option<ObjId> {
        let name = self.obj(obj).name;
        if let Some(alt) = self.scopes[s.0 as usize].insert(name, obj) {
            return Some(alt);
        }
        let o = &mut self.objs[obj.index()];
        if o.parent.is_none() {
            o.parent = Some(s);
        }
        None
    }

    /// The innermost object named `name` visible from scope `s`, with its scope.
    pub fn lookup_parent(&self, mut s: ScopeId, name: Symbol) -> Option<(ScopeId, ObjId)> {
        loop {
            let sc = self.scope(s);
            if let Some(o) = sc.lookup(name) {
                return Some((s, o));
            }
            s = sc.parent?;
        }
    }

    /// The universe object named `name`.
    pub fn universe_lookup(&self, name: &str) -> Option<ObjId> {
        self.scope(self.universe).lookup(Symbol::intern(name))
    }

    // ------------------------------------------------------------------------------------
    // Packages

    /// A new, empty package with its own scope under the universe.
    pub fn new_package(&mut self, path: &str, name: &str) -> PackageId {
        let scope = self.new_scope(Some(self.universe), "package");
        self.pkgs.push(Package {
            path: path.to_string(),
            name: name.to_string(),
            scope,
            imports: Vec::new(),
            height: 0,
            complete: false,
            fake: false,
        });
        PackageId(self.pkgs.len() as u32 - 1)
    }

    /// The package with id `p`.
    pub fn pkg(&self, p: PackageId) -> &Package {
        &self.pkgs[p.0 as usize]
    }

    /// Mutable access to a package.
    pub fn pkg_mut(&mut self, p: PackageId) -> &mut Package {
        &mut self.pkgs[p.0 as usize]
    }

    /// Number of packages (incl. unsafe).
    pub fn package_count(&self) -> usize {
        self.pkgs.len()
    }

    /// The object named `name` in package `p`'s scope.
    pub fn pkg_lookup(&self, p: PackageId, name: &str) -> Option<ObjId> {
        self.scope(self.pkg(p).scope).lookup(Symbol::intern(name))
    }
}
