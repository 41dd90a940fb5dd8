//! The universe scope (predeclared types, constants, nil and built-in functions) and
//! package unsafe, as types2's universe.go sets them up.

use super::constant::ConstValue;
use super::object::{Builtin, ObjId, ObjKind, Object, BLACK, NO_FILE};
use super::ty::{BasicKind, InterfaceType, Term, Type, TypeId, TypeSet, BASIC_KINDS, BYTE, RUNE};
use super::world::World;
use crate::syntax::intern::Symbol;
use crate::syntax::pos::Pos;

/// Fills the universe scope of a new world and creates package unsafe.
pub(crate) fn define_universe(w: &mut World) {
    w.unsafe_pkg = w.new_package("unsafe", "unsafe");
    w.pkg_mut(w.unsafe_pkg).complete = true;
    let top = w.add_type_set(TypeSet {
        methods: Vec::new(),
        terms: vec![Term { tilde: false, ty: None }],
        comparable: false,
    });
    w.predeclared.top_type_set = top;
    define_types(w);
    define_consts(w);
    let nil = def(w, "nil", ObjKind::Nil, Some(BasicKind::UntypedNil.id()));
    w.predeclared.nil = nil;
    for b in Builtin::ALL {
        def(w, b.name(), ObjKind::Builtin(b), Some(TypeId::INVALID));
    }
}

/// Declares a predeclared object (exported names go to package unsafe).
fn def(w: &mut World, name: &str, kind: ObjKind, ty: Option<TypeId>) -> ObjId {
    let exported = super::object::is_exported(name);
    let pkg = exported.then_some(w.unsafe_pkg);
    let obj = w.add_obj(Object {
        name: Symbol::intern(name),
        kind,
        pkg,
        file: NO_FILE,
        pos: Pos::default(),
        ty,
        parent: None,
        order: 0,
        color: BLACK,
    });
    let scope = if exported { w.pkg(w.unsafe_pkg).scope } else { w.universe };
    w.scope_insert(scope, obj);
    obj
}

fn define_types(w: &mut World) {
    for k in BASIC_KINDS {
        if k == BasicKind::Invalid || k.is_untyped() {
            continue;
        }
        def(w, k.name(), ObjKind::TypeName, Some(k.id()));
    }
    def(w, "byte", ObjKind::TypeName, Some(BYTE));
    def(w, "rune", ObjKind::TypeName, Some(RUNE));

    let top = w.predeclared.top_type_set;
    let any_type =
        w.add_type(Type::Interface(Box::new(InterfaceType { complete: true, tset: Some(top), ..Default::default() })));
    let any = def(w, "any", ObjKind::TypeName, Some(any_type));
    w.predeclared.any = any;
    w.predeclared.any_type = any_type;
    let empty =
        w.add_type(Type::Interface(Box::new(InterfaceType { complete: true, tset: Some(top), ..Default::default() })));
    w.predeclared.empty_interface = empty;

    define_error(w);

    let comparable = def(w, "comparable", ObjKind::TypeName, None);
    let set =
        w.add_type_set(TypeSet { methods: Vec::new(), terms: vec![Term { tilde: false, ty: None }], comparable: true });
    let itype =
        w.add_type(Type::Interface(Box::new(InterfaceType { complete: true, tset: Some(set), ..Default::default() })));
    let named = w.new_named(comparable, itype);
    w.predeclared.comparable = comparable;
    w.predeclared.comparable_type = named;
}

/// `type error interface { Error() string }`
fn define_error(w: &mut World) {
    let obj = def(w, "error", ObjKind::TypeName, None);
    let named = w.new_named(obj, TypeId::INVALID);
    let recv = w.new_param(NO_FILE, Pos::default(), None, Symbol::intern(""), named);
    let res = w.new_param(NO_FILE, Pos::default(), None, Symbol::intern(""), BasicKind::String.id());
    let results = w.tuple(vec![res]);
    let params = w.empty_tuple;
    let sig = w.signature(params, results, false);
    if let Some(s) = match w.ty_mut(sig) {
        Type::Signature(s) => Some(s),
        _ => None,
    } {
        s.recv = Some(recv);
    }
    let m = w.new_func(NO_FILE, Pos::default(), None, Symbol::intern("Error"), Some(sig));
    w.obj_mut(m).color = BLACK;
    let set =
        w.add_type_set(TypeSet { methods: vec![m], terms: vec![Term { tilde: false, ty: None }], comparable: false });
    let itype = w.add_type(Type::Interface(Box::new(InterfaceType {
        methods: vec![m],
        complete: true,
        tset: Some(set),
        ..Default::default()
    })));
    if let Some(n) = w.named_mut(named) {
        n.underlying = itype;
        n.from_rhs = itype;
    }
    w.predeclared.error = named;
}

fn define_consts(w: &mut World) {
    let ub = BasicKind::UntypedBool.id();
    def(w, "true", ObjKind::Const { val: ConstValue::Bool(true) }, Some(ub));
    def(w, "false", ObjKind::Const { val: ConstValue::Bool(false) }, Some(ub));
    let iota = def(w, "iota", ObjKind::Const { val: ConstValue::int(0) }, Some(BasicKind::UntypedInt.id()));
    w.predeclared.iota = iota;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn universe_has_the_predeclared_names() {
        let w = World::new();
        for name in ["int", "byte", "rune", "any", "error", "comparable", "true", "iota", "nil", "append", "println"] {
            assert!(w.universe_lookup(name).is_some(), "{name}");
        }
        assert!(w.universe_lookup("Sizeof").is_none());
        assert!(w.pkg_lookup(w.unsafe_pkg, "Sizeof").is_some());
        assert!(w.pkg_lookup(w.unsafe_pkg, "Pointer").is_some());
        let byte = w.obj(w.universe_lookup("byte").unwrap()).typ();
        assert_eq!(w.basic_kind(byte), Some(BasicKind::Uint8));
    }
}
