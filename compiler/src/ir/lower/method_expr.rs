//! Functions that call a method through a path of embedded fields, taking the receiver as
//! first argument: method expressions `I.M` of interface types and `T.M` of promoted methods
//! (gc's wrappers of the same names, `main.I.M`, `main.T.M`), and the promoted methods in
//! the method tables of types that embed others (`main.(*Outer).M` calls the embedded
//! field's M).

use super::func::FnCx;
use super::Lowerer;
use crate::ir::build::FuncBuilder;
use crate::ir::ty::{Ty, TyId};
use crate::ir::typedesc::MethodDesc;
use crate::ir::{Callee, Operand, Place, Rvalue, TermKind};
use crate::syntax::intern::Symbol;
use crate::types::ty::Type;
use crate::types::{ObjId, Selection, TypeId};
use std::collections::{HashMap, HashSet};

impl FnCx<'_, '_> {
    /// The function for method expression `sel` (an interface's method, or a promoted
    /// one), or None if the method has no known symbol.
    pub(super) fn method_expr_wrapper(&mut self, sel: &Selection) -> Option<String> {
        let name = self.lx.world.obj(sel.obj).name;
        let symbol = format!("{}.{}", self.lx.link_string(sel.recv), name.as_str());
        self.lx.path_wrapper(symbol, sel.recv, &sel.index[..sel.index.len() - 1], sel.obj)
    }
}

/// A method promoted into a type's method set through embedded fields.
struct Promoted {
    method: ObjId,
    /// The embedded fields leading to the method's receiver.
    path: Vec<u32>,
}

impl Lowerer<'_> {
    /// Function `symbol(recv, args...)` that follows the embedded fields `path` from `recv`
    /// (of type `recv_t`) and calls method `m` on what it finds (through the itab if that
    /// is an interface). None if `m` has no known symbol.
    pub(super) fn path_wrapper(&self, symbol: String, recv_t: TypeId, path: &[u32], m: ObjId) -> Option<String> {
        if self.generated.borrow().contains(&symbol) {
            return Some(symbol);
        }
        let last = self.path_type(recv_t, path);
        let target = self.func_symbols.get(&m).cloned();
        let is_iface = matches!(self.under(last), Type::Interface(_));
        if target.is_none() && !is_iface {
            return None;
        }
        self.generated.borrow_mut().insert(symbol.clone());
        let (params, results) = self.signature_tys(self.world.obj(m).typ());
        let mut all: Vec<(String, TyId)> = vec![("recv".into(), self.ir_ty(recv_t))];
        all.extend(params.iter().map(|&t| (String::new(), t)));
        let b = FuncBuilder::new(&symbol, "", 0, &all, results.clone());
        let mut closures = 0;
        let mut fx = FnCx::for_generated(self, b, &mut closures);
        let mut locals = fx.b.params();
        let recv = locals.remove(0);
        let args: Vec<Operand> = locals.into_iter().map(Operand::local).collect();
        let mut t = recv_t;
        let mut place = Place::local(recv);
        for &f in path {
            if let Type::Pointer(elem) = self.under(t) {
                let elem = *elem;
                place = Place::deref(Operand::place(place), self.ir_ty(elem));
                t = elem;
            }
            let Some(st) = self.world.struct_type(self.world.under_no_expand(t)) else { break };
            let field = st.fields[f as usize];
            place = place.field(f);
            t = self.world.obj(field).typ();
        }
        let outs = if is_iface {
            let name = self.world.obj(m).name;
            let index = self.interface_method_objs(t).iter().position(|&x| self.world.obj(x).name == name).unwrap_or(0);
            fx.interface_call(Operand::place(place), index, args, results.clone())
        } else {
            let is_ptr = matches!(self.under(t), Type::Pointer(_));
            let r = match (self.world.obj(m).has_ptr_recv(), is_ptr) {
                (true, false) => {
                    let ptr = fx.ir(Ty::Ptr);
                    Operand::local(fx.temp_of(ptr, Rvalue::AddrOf(place)))
                }
                (false, true) => {
                    let elem = self.ir_ty(self.elem(t));
                    Operand::place(Place::deref(Operand::place(place), elem))
                }
                _ => Operand::place(place),
            };
            let r = fx.stabilize(r);
            let outs: Vec<_> = results.iter().map(|&ty| fx.temp(ty)).collect();
            let mut all = vec![r];
            all.extend(args);
            fx.b.call(Callee::Func(target.unwrap_or_default()), all, outs.iter().map(|&o| Place::local(o)).collect());
            outs.into_iter().map(Operand::local).collect()
        };
        fx.b.terminate(TermKind::Return(outs));
        self.add_func(fx.finish_builder().finish());
        Some(symbol)
    }

    /// The type reached from `t` through the embedded fields of `path`.
    fn path_type(&self, mut t: TypeId, path: &[u32]) -> TypeId {
        for &f in path {
            if let Type::Pointer(e) = self.under(t) {
                t = *e;
            }
            let Some(st) = self.world.struct_type(self.world.under_no_expand(t)) else { break };
            t = self.world.obj(st.fields[f as usize]).typ();
        }
        t
    }

    /// Method table entries for the methods promoted into named type `named` (or into
    /// `*named` if `pointer`) from its embedded fields.
    /// `ptr` is the type `*named` when the table is the pointer type's.
    pub(super) fn promoted_method_descs(&self, named: TypeId, ptr: Option<TypeId>) -> Vec<MethodDesc> {
        let pointer = ptr.is_some();
        let mut out = Vec::new();
        for p in self.promoted_methods(named) {
            let o = self.world.obj(p.method);
            let through_ptr = self.path_has_pointer(named, &p.path);
            if o.has_ptr_recv() && !pointer && !through_ptr {
                continue;
            }
            let name = o.name.as_str();
            let link = self.link_string(named);
            let value_symbol = format!("{link}.{name}");
            let (ifn, tfn) = if pointer {
                let Some(recv) = ptr else { continue };
                let symbol = super::typealg::pointer_wrapper_name(&value_symbol);
                let Some(w) = self.path_wrapper(symbol, recv, &p.path, p.method) else { continue };
                (w.clone(), w)
            } else {
                let Some(w) = self.path_wrapper(value_symbol, named, &p.path, p.method) else { continue };
                if self.is_direct_iface(named) {
                    (w.clone(), w)
                } else {
                    (self.pointer_wrapper(named, p.method, &w), w)
                }
            };
            out.push(MethodDesc { name: name.to_string(), exported: o.exported(), mtyp: self.method_type_desc(p.method), ifn: Some(ifn), tfn: Some(tfn) });
        }
        out
    }

    /// The method table of an unnamed struct type `t` (or of a pointer to one) with
    /// methods promoted from embedded fields; None if it has none.
    pub(super) fn unnamed_uncommon(&self, t: TypeId) -> Option<crate::ir::typedesc::Uncommon> {
        let methods = match self.world.ty(t) {
            Type::Struct(_) => self.promoted_method_descs(t, None),
            Type::Pointer(e) if matches!(self.world.ty(*e), Type::Struct(_)) => self.promoted_method_descs(*e, Some(t)),
            _ => Vec::new(),
        };
        if methods.is_empty() {
            return None;
        }
        let mut methods = methods;
        methods.sort_by(|a, b| a.name.cmp(&b.name));
        let pkgpath = self.info.pkg.map(|p| self.world.pkg(p).path.clone()).unwrap_or_default();
        Some(crate::ir::typedesc::Uncommon { pkgpath, methods })
    }

    /// Whether the embedded fields of `path` from `t` pass through a pointer.
    fn path_has_pointer(&self, mut t: TypeId, path: &[u32]) -> bool {
        for &f in path {
            let Some(st) = self.world.struct_type(self.world.under_no_expand(t)) else { return false };
            t = self.world.obj(st.fields[f as usize]).typ();
            if let Type::Pointer(e) = self.under(t) {
                if !matches!(self.under(*e), Type::Interface(_)) {
                    return true;
                }
                t = *e;
            }
        }
        false
    }

    /// The methods promoted into `named` from embedded fields, as the spec's selector
    /// rules find them: the shallowest depth wins, and two at the same depth (or a field of
    /// the same name) cancel out.
    fn promoted_methods(&self, named: TypeId) -> Vec<Promoted> {
        let w = self.world;
        let mut seen: HashSet<Symbol> = HashSet::new();
        if let Some(n) = w.named(named) {
            seen.extend(n.methods.iter().flatten().map(|&m| w.obj(m).name));
        }
        let mut visited: HashSet<TypeId> = HashSet::from([named]);
        let mut level: Vec<(TypeId, Vec<u32>)> = vec![(named, Vec::new())];
        let mut out = Vec::new();
        let mut depth = 0;
        while !level.is_empty() && depth < 16 {
            let mut found: HashMap<Symbol, Vec<Option<(ObjId, Vec<u32>)>>> = HashMap::new();
            let mut next = Vec::new();
            for (t, path) in level {
                if depth > 0 {
                    let methods: Vec<ObjId> = if matches!(self.under(t), Type::Interface(_)) {
                        self.interface_method_objs(t)
                    } else {
                        w.named(t).map(|n| n.methods.iter().flatten().copied().collect()).unwrap_or_default()
                    };
                    for m in methods {
                        found.entry(w.obj(m).name).or_default().push(Some((m, path.clone())));
                    }
                }
                let Some(st) = w.struct_type(w.under_no_expand(t)) else { continue };
                for (i, &f) in st.fields.iter().enumerate() {
                    let fo = w.obj(f);
                    found.entry(fo.name).or_default().push(None);
                    if !fo.is_embedded() {
                        continue;
                    }
                    let (et, _) = w.deref(fo.typ());
                    if visited.insert(et) {
                        let mut p = path.clone();
                        p.push(i as u32);
                        next.push((et, p));
                    }
                }
            }
            let mut names: Vec<Symbol> = found.keys().copied().collect();
            names.sort_by(|a, b| a.as_str().cmp(b.as_str()));
            for name in names {
                let entries = &found[&name];
                if !seen.insert(name) {
                    continue;
                }
                if let [Some((m, path))] = entries.as_slice() {
                    out.push(Promoted { method: *m, path: path.clone() });
                }
            }
            level = next;
            depth += 1;
        }
        out
    }
}
