//! Method sets with promoted methods (spec "Method sets", "Selectors"), and the wrappers
//! that call a promoted method from the outer receiver: the code addresses of method
//! tables (so that itabs hold promoted methods), method expressions `T.M` of promoted and
//! interface methods.

use super::func::FnCx;
use super::Lowerer;
use crate::ir::build::FuncBuilder;
use crate::ir::ty::{Ty, TyId};
use crate::ir::{Callee, Operand, Place, Rvalue, TermKind};
use crate::types::ty::Type;
use crate::types::{ObjId, PackageId, TypeId};
use std::collections::HashSet;

/// One method of a method set: the method and the embedded fields leading to it.
#[derive(Clone, Debug)]
pub(super) struct MethodEntry {
    pub obj: ObjId,
    /// Field indices of the embedded fields from the receiver to the method's receiver.
    pub path: Vec<u32>,
    /// Whether a pointer indirection lies on the way (through `*T` or an embedded pointer).
    pub indirect: bool,
}

/// A type reached while walking embedded fields.
struct Embedded {
    typ: TypeId,
    path: Vec<u32>,
    indirect: bool,
    multiples: bool,
}

impl Lowerer<'_> {
    /// The method set of `t` (`*T` includes pointer-receiver methods), sorted by name as
    /// method tables and itabs are; types2's algorithm without instantiating anything.
    pub(super) fn method_set(&self, t: TypeId) -> Vec<MethodEntry> {
        let (base, is_ptr) = match self.world.ty(t) {
            Type::Pointer(e) => (*e, true),
            _ => (t, false),
        };
        if is_ptr && matches!(self.under(base), Type::Interface(_)) {
            return Vec::new();
        }
        let mut entries = Vec::new();
        let mut current = vec![Embedded { typ: base, path: Vec::new(), indirect: is_ptr, multiples: false }];
        let mut seen: HashSet<String> = HashSet::new();
        let mut names: Vec<(Option<PackageId>, String)> = Vec::new();
        while !current.is_empty() {
            let mut next = Vec::new();
            let mut level: Vec<(MethodEntry, bool)> = Vec::new();
            let mut field_names: Vec<(Option<PackageId>, String)> = Vec::new();
            for e in &current {
                if let Some(n) = self.world.named(e.typ) {
                    if !seen.insert(self.link_string(e.typ)) {
                        continue;
                    }
                    for m in n.methods.iter().flatten() {
                        level.push((MethodEntry { obj: *m, path: e.path.clone(), indirect: e.indirect }, e.multiples));
                    }
                }
                match self.under(e.typ).clone() {
                    Type::Struct(st) => {
                        for (i, &f) in st.fields.iter().enumerate() {
                            let fo = self.world.obj(f);
                            field_names.push((fo.pkg, fo.name.as_str().to_string()));
                            if fo.is_embedded() {
                                let (typ, p) = match self.world.ty(fo.typ()) {
                                    Type::Pointer(el) => (*el, true),
                                    _ => (fo.typ(), false),
                                };
                                let mut path = e.path.clone();
                                path.push(i as u32);
                                next.push(Embedded { typ, path, indirect: e.indirect || p, multiples: e.multiples });
                            }
                        }
                    }
                    Type::Interface(_) => {
                        for m in self.interface_method_objs(e.typ) {
                            level.push((MethodEntry { obj: m, path: e.path.clone(), indirect: true }, e.multiples));
                        }
                    }
                    _ => {}
                }
            }
            // Names found at a depth shadow deeper ones; collisions at one depth remove it.
            let mut here: Vec<(Option<PackageId>, String, Option<MethodEntry>)> = Vec::new();
            for (entry, multiple) in level {
                let o = self.world.obj(entry.obj);
                let (pkg, name) = (o.pkg, o.name.as_str().to_string());
                if names.iter().any(|(p, n)| *n == name && same_name(*p, pkg, &name)) {
                    continue;
                }
                match here.iter().position(|(p, n, _)| *n == name && same_name(*p, pkg, &name)) {
                    Some(i) => here[i].2 = None,
                    None => here.push((pkg, name, (!multiple).then_some(entry))),
                }
            }
            for (pkg, name) in field_names {
                if let Some(i) = here.iter().position(|(p, n, _)| *n == name && same_name(*p, pkg, &name)) {
                    here[i].2 = None;
                } else if !names.iter().any(|(p, n)| *n == name && same_name(*p, pkg, &name)) {
                    here.push((pkg, name, None));
                }
            }
            for (pkg, name, entry) in here {
                names.push((pkg, name));
                if let Some(entry) = entry {
                    if is_ptr || entry.indirect || !self.world.obj(entry.obj).has_ptr_recv() {
                        entries.push(entry);
                    }
                }
            }
            current = self.consolidate(next);
        }
        entries.sort_by(|a, b| self.world.obj(a.obj).name.as_str().cmp(self.world.obj(b.obj).name.as_str()));
        entries
    }

    /// The name of method `m` in a wrapper symbol of type `tname`: an unexported method of
    /// another package is qualified by that package's path, as gc does, since the type may
    /// have an unexported method of its own package with the same name (os/exec's
    /// closeOnce.close and the close it promotes from *os.File).
    fn qualified_method_name(&self, m: &MethodEntry, tname: &str) -> String {
        let obj = self.world.obj(m.obj);
        let name = obj.name.as_str();
        match obj.pkg {
            Some(p) if !crate::types::object::is_exported(name) => {
                let path = &self.world.pkg(p).path;
                let own = tname.strip_prefix("*").unwrap_or(tname).strip_prefix(path.as_str()).is_some_and(|r| r.starts_with('.'));
                if own { name.to_string() } else { format!("{path}.{name}") }
            }
            _ => name.to_string(),
        }
    }

    /// Merges embedded types met more than once at one depth (they then select nothing).
    fn consolidate(&self, list: Vec<Embedded>) -> Vec<Embedded> {
        let mut out: Vec<(String, Embedded)> = Vec::new();
        for e in list {
            let key = self.link_string(e.typ);
            match out.iter_mut().find(|(k, _)| *k == key) {
                Some((_, o)) => o.multiples = true,
                None => out.push((key, e)),
            }
        }
        out.into_iter().map(|(_, e)| e).collect()
    }

    /// A function calling method `m.obj` of the value reached from a receiver of type
    /// `base` (or `*base` when `via_pointer`) through the embedded fields of `m.path`;
    /// through the itab when that value is an interface. Parameters: the receiver, then
    /// the method's. gc's `pkg.T.M` / `pkg.(*T).M` wrappers.
    pub(super) fn method_wrapper(&self, base: TypeId, via_pointer: bool, m: &MethodEntry) -> String {
        let tname = self.link_string(base);
        let name = self.qualified_method_name(m, &tname);
        let symbol = match (self.world.named(base).is_some(), via_pointer) {
            (true, true) => match tname.rsplit_once('.') {
                Some((pkg, t)) => format!("{pkg}.(*{t}).{name}"),
                None => format!("(*{tname}).{name}"),
            },
            (false, true) => format!("(*{tname}).{name}"),
            (_, false) => format!("{tname}.{name}"),
        };
        if !self.generated.borrow_mut().insert(symbol.clone()) {
            return symbol;
        }
        let (params, results) = self.signature_tys(self.world.obj(m.obj).typ());
        let ptr = self.tys.borrow_mut().intern(Ty::Ptr);
        let recv_ty = if via_pointer { ptr } else { self.ir_ty(base) };
        let mut all: Vec<(String, TyId)> = vec![("recv".into(), recv_ty)];
        all.extend(params.iter().map(|&t| (String::new(), t)));
        let b = FuncBuilder::new(&symbol, "", 0, &all, results.clone());
        let mut closures = 0;
        let mut fx = FnCx::for_generated(self, b, &mut closures);
        let locals = fx.b.params();
        let recv = if via_pointer { Place::deref(Operand::local(locals[0]), self.ir_ty(base)) } else { Place::local(locals[0]) };
        let args: Vec<Operand> = locals[1..].iter().map(|&l| Operand::local(l)).collect();
        let outs = fx.call_promoted(recv, base, m, args, results);
        fx.b.terminate(TermKind::Return(outs));
        self.add_func(fx.finish_builder().finish());
        symbol
    }
}

impl FnCx<'_, '_> {
    /// Calls method `m.obj` of the value reached from `recv` (of type `t`) through the
    /// embedded fields of `m.path`.
    fn call_promoted(&mut self, mut place: Place, mut t: TypeId, m: &MethodEntry, args: Vec<Operand>, results: Vec<TyId>) -> Vec<Operand> {
        for &f in &m.path {
            if let Type::Pointer(e) = self.lx.under(t).clone() {
                let p = self.stabilize(Operand::place(place));
                t = e;
                place = Place::deref(p, self.ty(t));
            }
            let Some(st) = self.lx.world.struct_type(self.lx.world.under_no_expand(t)) else { break };
            t = self.lx.world.obj(st.fields[f as usize]).typ();
            place = place.field(f);
        }
        let name = self.lx.world.obj(m.obj).name;
        if self.is_interface(t) {
            let index = self.lx.interface_method_objs(t).iter().position(|&x| self.lx.world.obj(x).name == name).unwrap_or(0);
            self.lx.note_interface_call(m.obj);
            let iface = self.stabilize(Operand::place(place));
            return self.interface_call(iface, index, args, results);
        }
        let is_ptr = matches!(self.lx.under(t), Type::Pointer(_));
        let recv = match (self.lx.world.obj(m.obj).has_ptr_recv(), is_ptr) {
            (true, false) => {
                let ptr = self.ir(Ty::Ptr);
                Operand::local(self.temp_of(ptr, Rvalue::AddrOf(place)))
            }
            (false, true) => {
                let p = self.stabilize(Operand::place(place));
                let elem = self.ty(self.lx.elem(t));
                Operand::place(Place::deref(p, elem))
            }
            _ => Operand::place(place),
        };
        let recv = self.stabilize(recv);
        let Some(symbol) = self.lx.func_symbol(m.obj) else {
            self.unsupported(crate::syntax::pos::Pos::default(), "promoted methods of other packages");
            return results.iter().map(|&r| Operand::Const(crate::ir::Const::Zero(r))).collect();
        };
        let outs: Vec<_> = results.iter().map(|&r| self.temp(r)).collect();
        let mut all = vec![recv];
        all.extend(args);
        self.b.call(Callee::Func(symbol), all, outs.iter().map(|&o| Place::local(o)).collect());
        outs.into_iter().map(Operand::local).collect()
    }
}

/// Whether two method or field names from packages `p` and `q` are the same identifier.
fn same_name(p: Option<PackageId>, q: Option<PackageId>, name: &str) -> bool {
    crate::types::object::is_exported(name) || p == q
}
