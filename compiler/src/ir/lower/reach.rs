//! Which methods of a type's method table are compiled: gc's linker dead-code pass for
//! methods (cmd/link/internal/ld/deadcode.go), done during lowering.
//!
//! A method table (a descriptor's uncommon methods) is emitted for every type with a
//! descriptor, but a method in it can only be called through an interface (an itab built
//! at run time from the table, or reflect). So a slot of the table is filled, and its
//! method compiled, only when
//! - the type was converted to an interface ("used in interface", which spreads to the
//!   types its descriptor refers to and from T to *T, as reflect can reach those), and
//!   some reachable code calls an interface method of that name and type (the runtime's panic
//!   printing calls Error and String); or reflect's Value.Method/MethodByName or a call
//!   of reflect.Type's Method/MethodByName is reachable, which keeps every exported
//!   method of such types; or
//! - an itab built at compile time holds it.
//!
//! The other slots keep their name and type (so that getitab and reflect still see the
//! method set) with no code: the offset -1, which the runtime resolves to
//! `unreachable_method`, a fatal error if it is ever called.

use super::methodset::MethodEntry;
use super::{Lowerer, Names, Shared};
use crate::ir::typedesc::{DescExtra, TypeDescId, TypeDescs};
use crate::types::{ObjId, TypeId};
use std::collections::{HashMap, HashSet};

/// A method as interface calls select it (gc's methodsig): its name, qualified by its
/// package path if unexported, and the descriptor of its type without receiver (the
/// descriptor getitab compares).
type MethodSig = (String, String, TypeDescId);

/// The interface methods the runtime calls itself, as `func() string` (printing a panic
/// value).
const RUNTIME_CALLED: [&str; 2] = ["Error", "String"];

/// The functions that, when reachable, make every exported method callable by name.
const REFLECT_METHOD_FUNCS: [&str; 2] = ["reflect.Value.Method", "reflect.Value.MethodByName"];

/// The program-wide state of method reachability.
#[derive(Default)]
pub(super) struct MethodReach {
    /// Descriptors of the types converted to interfaces.
    used: HashSet<TypeDescId>,
    /// Interface method names called by the code lowered so far.
    called: HashSet<MethodSig>,
    /// Whether a call of reflect.Type's Method or MethodByName was lowered.
    reflect_seen: bool,
    /// Method table slots not filled yet, by descriptor and index in its table.
    pending: HashMap<(TypeDescId, usize), Slot>,
}

/// An unfilled method table slot: what filling it needs.
pub(super) struct Slot {
    /// The type whose table it is (T or *T).
    pub typ: TypeId,
    pub entry: MethodEntry,
    sig: MethodSig,
    exported: bool,
    /// The package whose lowering made the descriptor (it fills the slot).
    pkg: String,
}

impl Lowerer<'_> {
    /// The [`MethodSig`] of method or interface method `m`.
    fn method_sig(&self, m: ObjId) -> MethodSig {
        let o = self.world.obj(m);
        let pkg = if o.exported() { String::new() } else { self.obj_pkg_path_of(m) };
        (o.name.as_str().to_string(), pkg, self.method_type_desc(m))
    }

    fn obj_pkg_path_of(&self, m: ObjId) -> String {
        self.world.obj(m).pkg.map(|p| self.world.pkg(p).path.clone()).unwrap_or_default()
    }

    /// Records a call of interface method `m` (a call, a method value or expression, or a
    /// promoted interface method's wrapper).
    pub(super) fn note_interface_call(&self, m: ObjId) {
        let name = self.method_sig(m);
        let mut reach = self.reach.borrow_mut();
        if self.is_reflect_method_lookup(m) {
            reach.reflect_seen = true;
        }
        reach.called.insert(name);
    }

    /// Whether interface method `m` looks methods up the way reflect.Type does, whatever
    /// interface declares it (gc's usemethod: `Method(int) reflect.Method` or
    /// `MethodByName(string) (reflect.Method, bool)`; a program's own interface with such a
    /// method can call reflect's through it).
    fn is_reflect_method_lookup(&self, m: ObjId) -> bool {
        let o = self.world.obj(m);
        let sig = self.signature_string(o.typ());
        match o.name.as_str() {
            "Method" => sig == "(int) reflect.Method",
            "MethodByName" => sig == "(string) (reflect.Method, bool)",
            _ => false,
        }
    }

    /// Records that values of type `t` are converted to an interface.
    pub(super) fn note_used_in_interface(&self, t: TypeId) {
        let id = self.type_desc(t);
        self.reach.borrow_mut().used.insert(id);
    }

    /// Registers slot `index` of the method table of `desc` (type `typ`), for method
    /// `entry`, to be filled when it becomes reachable.
    pub(super) fn defer_method_slot(&self, desc: TypeDescId, index: usize, typ: TypeId, entry: MethodEntry) {
        let name = self.method_sig(entry.obj);
        let exported = self.world.obj(entry.obj).exported();
        let slot = Slot { typ, entry, sig: name, exported, pkg: self.path.to_string() };
        self.reach.borrow_mut().pending.insert((desc, index), slot);
    }

    /// Fills slot `index` of the table of `desc` now if it is still empty (an itab built
    /// at compile time needs its methods whatever is called).
    pub(super) fn force_method_slot(&self, desc: TypeDescId, index: usize) {
        let slot = self.reach.borrow_mut().pending.remove(&(desc, index));
        if let Some(slot) = slot {
            self.fill_method_slot(desc, index, &slot);
        }
    }

    /// Compiles the method of `slot` (and its wrappers) and writes their symbols into the
    /// table.
    fn fill_method_slot(&self, desc: TypeDescId, index: usize, slot: &Slot) {
        let Some((ifn, tfn)) = self.method_code(slot.typ, &slot.entry) else { return };
        let mut descs = self.type_descs.borrow_mut();
        if let Some(u) = descs.descs[desc.0 as usize].uncommon.as_mut() {
            u.methods[index].ifn = Some(ifn);
            u.methods[index].tfn = Some(tfn);
        }
    }
}

/// Fills the method table slots that the code lowered so far makes reachable; whether it
/// filled any (their methods then wait in `shared.wanted`).
pub(super) fn fill_reachable_methods(lowerers: &[Lowerer], names: &Names, shared: &Shared) -> bool {
    let ready: Vec<((TypeDescId, usize), Slot)> = {
        let descs = shared.type_descs.borrow();
        let mut reach = shared.reach.borrow_mut();
        if reach.pending.is_empty() {
            return false;
        }
        let referred = shared.referred.borrow();
        let reflect_funcs = names.func_symbols.iter().filter(|(_, s)| REFLECT_METHOD_FUNCS.contains(&s.as_str()));
        let reflect_seen = reach.reflect_seen || reflect_funcs.into_iter().any(|(o, _)| referred.contains(o));
        let used = used_closure(&descs, &reach.used);
        let runtime_called = |s: &MethodSig| {
            RUNTIME_CALLED.contains(&s.0.as_str()) && s.1.is_empty() && descs.descs[s.2 .0 as usize].string == "func() string"
        };
        let wanted = |key: &(TypeDescId, usize), s: &Slot| {
            used.contains(&key.0) && ((reflect_seen && s.exported) || reach.called.contains(&s.sig) || runtime_called(&s.sig))
        };
        let keys: Vec<_> = reach.pending.iter().filter(|(k, s)| wanted(k, s)).map(|(k, _)| *k).collect();
        keys.into_iter().map(|k| (k, reach.pending.remove(&k).expect("pending slot"))).collect()
    };
    for ((desc, index), slot) in &ready {
        let lx = lowerers.iter().find(|l| l.path == slot.pkg).unwrap_or(&lowerers[0]);
        lx.fill_method_slot(*desc, *index, slot);
    }
    !ready.is_empty()
}

/// The descriptors whose values can be in interfaces: those converted, the types their
/// descriptors refer to (reflect reaches an element, a field, a parameter's type), and *T
/// for each such T (reflect's PtrTo and Value.Addr find *T's descriptor by name).
fn used_closure(descs: &TypeDescs, roots: &HashSet<TypeDescId>) -> HashSet<TypeDescId> {
    let mut pointer_to: HashMap<TypeDescId, TypeDescId> = HashMap::new();
    for (i, d) in descs.descs.iter().enumerate() {
        if let DescExtra::Ptr { elem } = d.extra {
            pointer_to.insert(elem, TypeDescId(i as u32));
        }
    }
    let mut seen: HashSet<TypeDescId> = HashSet::new();
    let mut work: Vec<TypeDescId> = roots.iter().copied().collect();
    while let Some(id) = work.pop() {
        if !seen.insert(id) {
            continue;
        }
        let d = &descs.descs[id.0 as usize];
        work.extend(d.ptr_to_this);
        work.extend(pointer_to.get(&id));
        match &d.extra {
            DescExtra::Ptr { elem } | DescExtra::Slice { elem } | DescExtra::Array { elem, .. } | DescExtra::Chan { elem, .. } => {
                work.push(*elem)
            }
            DescExtra::Map(m) => work.extend([m.key, m.elem]),
            DescExtra::Func { ins, outs, .. } => work.extend(ins.iter().chain(outs)),
            DescExtra::Interface { methods, .. } => work.extend(methods.iter().map(|m| m.typ)),
            DescExtra::Struct { fields, .. } => work.extend(fields.iter().map(|f| f.typ)),
            DescExtra::Basic => {}
        }
        // A method's type is reachable with its code (gc's markMethod).
        if let Some(u) = &d.uncommon {
            work.extend(u.methods.iter().filter(|m| m.ifn.is_some()).map(|m| m.mtyp));
        }
    }
    seen
}
