//! Field and method lookup with embedding (types2's lookup.go) and method sets (go/types'
//! methodset.go).

use super::object::ObjId;
use super::ty::*;
use super::world::{PackageId, World};
use crate::syntax::intern::Symbol;

/// The result of a field or method lookup.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Lookup {
    /// The field or method found; None if not found or ambiguous.
    pub obj: Option<ObjId>,
    /// The path of field indices to it (the last entry is the field or method index).
    /// Non-empty with `obj` None means the selector is ambiguous.
    pub index: Vec<u32>,
    /// Whether there was a pointer indirection on the path. With `obj` None and empty
    /// index: a method with pointer receiver was found but the operand isn't addressable.
    pub indirect: bool,
}

#[derive(Clone)]
struct Embedded {
    typ: TypeId,
    index: Vec<u32>,
    indirect: bool,
    multiples: bool,
}

fn concat(list: &[u32], i: usize) -> Vec<u32> {
    let mut v = Vec::with_capacity(list.len() + 1);
    v.extend_from_slice(list);
    v.push(i as u32);
    v
}

impl World {
    /// LookupFieldOrMethod: the field or method `name` of `t` (seen from package `pkg`
    /// for unexported names), searching embedded fields breadth-first.
    pub fn lookup_field_or_method(
        &mut self,
        t: TypeId,
        addressable: bool,
        pkg: Option<PackageId>,
        name: Symbol,
    ) -> Lookup {
        // Methods of a named pointer type's base are not in its method set.
        if let Type::Named(_) = self.ty(t) {
            let u = self.under(t);
            if let Type::Pointer(_) = self.ty(u) {
                let r = self.lookup_inner(u, false, pkg, name, false);
                if r.obj.is_some_and(|o| self.obj(o).is_func()) {
                    return Lookup::default();
                }
                return r;
            }
        }
        self.lookup_inner(t, addressable, pkg, name, false)
    }

    /// lookupFieldOrMethod with optional case folding (for "but does have" hints).
    pub fn lookup_inner(
        &mut self,
        t: TypeId,
        addressable: bool,
        pkg: Option<PackageId>,
        name: Symbol,
        fold: bool,
    ) -> Lookup {
        if name.is_blank() {
            return Lookup::default();
        }
        let (typ, is_ptr) = self.deref(t);
        if is_ptr && self.is_interface(typ) {
            return Lookup::default();
        }
        let mut current = vec![Embedded { typ, index: Vec::new(), indirect: is_ptr, multiples: false }];
        let mut seen: Vec<TypeId> = Vec::new();
        let mut res = Lookup::default();
        while !current.is_empty() {
            let mut next = Vec::new();
            for e in &current {
                let typ = e.typ;
                if let Type::Named(_) = self.ty(typ) {
                    if self.seen_named(&seen, typ) {
                        continue;
                    }
                    seen.push(typ);
                    if let Some((i, m)) = self.named_lookup_method(typ, pkg, name, fold) {
                        res.index = concat(&e.index, i);
                        if res.obj.is_some() || e.multiples {
                            return Lookup { obj: None, index: res.index, indirect: false };
                        }
                        res.obj = Some(m);
                        res.indirect = e.indirect;
                        continue;
                    }
                }
                let u = self.under(typ);
                match self.ty(u).clone() {
                    Type::Struct(st) => {
                        for (i, &f) in st.fields.iter().enumerate() {
                            if self.field_matches(f, pkg, name, fold) {
                                res.index = concat(&e.index, i);
                                if res.obj.is_some() || e.multiples {
                                    return Lookup { obj: None, index: res.index, indirect: false };
                                }
                                res.obj = Some(f);
                                res.indirect = e.indirect;
                                continue;
                            }
                            if res.obj.is_none() && self.obj(f).is_embedded() {
                                let ft = self.obj(f).typ();
                                let (typ, is_ptr) = self.deref(ft);
                                next.push(Embedded {
                                    typ,
                                    index: concat(&e.index, i),
                                    indirect: e.indirect || is_ptr,
                                    multiples: e.multiples,
                                });
                            }
                        }
                    }
                    Type::Interface(_) => {
                        let ts = self.type_set(u);
                        let methods = self.type_set_data(ts).methods.clone();
                        if let Some(i) = self.find_method(&methods, pkg, name, fold) {
                            res.index = concat(&e.index, i);
                            if res.obj.is_some() || e.multiples {
                                return Lookup { obj: None, index: res.index, indirect: false };
                            }
                            res.obj = Some(methods[i]);
                            res.indirect = e.indirect;
                        }
                    }
                    _ => {}
                }
            }
            if let Some(o) = res.obj {
                if self.obj(o).is_func() && self.obj(o).has_ptr_recv() && !res.indirect && !addressable {
                    return Lookup { obj: None, index: Vec::new(), indirect: true };
                }
                return res;
            }
            current = self.consolidate_multiples(next);
        }
        Lookup::default()
    }

    fn seen_named(&mut self, seen: &[TypeId], t: TypeId) -> bool {
        let orig = self.named(t).map_or(t, |n| n.orig);
        for &s in seen {
            if self.named(s).map_or(s, |n| n.orig) == orig && self.identical(s, t) {
                return true;
            }
        }
        false
    }

    fn field_matches(&self, f: ObjId, pkg: Option<PackageId>, name: Symbol, fold: bool) -> bool {
        if fold {
            let fname = self.obj(f).name;
            fname.as_str().eq_ignore_ascii_case(name.as_str()) && self.same_id(f, pkg, fname)
        } else {
            self.same_id(f, pkg, name)
        }
    }

    /// The index of the method named `name` in `methods` (types2's lookupMethod).
    pub fn find_method(&self, methods: &[ObjId], pkg: Option<PackageId>, name: Symbol, fold: bool) -> Option<usize> {
        if name.is_blank() {
            return None;
        }
        methods.iter().position(|&m| {
            let mname = self.obj(m).name;
            (mname == name || fold && mname.as_str().eq_ignore_ascii_case(name.as_str())) && self.same_id(m, pkg, mname)
        })
    }

    /// The method `name` declared for defined type `t` (instantiated for instances).
    pub fn named_lookup_method(
        &mut self,
        t: TypeId,
        pkg: Option<PackageId>,
        name: Symbol,
        fold: bool,
    ) -> Option<(usize, ObjId)> {
        let orig = self.named(t)?.orig;
        let methods: Vec<ObjId> = self.named(orig)?.methods.iter().flatten().copied().collect();
        let i = self.find_method(&methods, pkg, name, fold)?;
        let m = self.named_method(t, i)?;
        Some((i, m))
    }

    fn consolidate_multiples(&mut self, list: Vec<Embedded>) -> Vec<Embedded> {
        if list.len() <= 1 {
            return list;
        }
        let mut out: Vec<Embedded> = Vec::with_capacity(list.len());
        for e in list {
            let mut found = None;
            for (i, o) in out.iter().enumerate() {
                if o.typ == e.typ || self.identical(o.typ, e.typ) {
                    found = Some(i);
                    break;
                }
            }
            match found {
                Some(i) => out[i].multiples = true,
                None => out.push(e),
            }
        }
        out
    }

    /// The method set of `t` (spec: "Method sets"): the methods, with selection paths,
    /// that values of type `t` have, sorted by unique name. For `*T` it includes the
    /// methods with pointer receivers.
    pub fn method_set(&mut self, t: TypeId) -> Vec<MethodSetEntry> {
        let (base, is_ptr) = self.deref(t);
        if is_ptr && self.is_interface(base) {
            return Vec::new();
        }
        let mut entries: Vec<MethodSetEntry> = Vec::new();
        let mut current = vec![Embedded { typ: base, index: Vec::new(), indirect: is_ptr, multiples: false }];
        let mut seen: Vec<TypeId> = Vec::new();
        let mut names: Vec<(Option<PackageId>, Symbol)> = Vec::new();
        while !current.is_empty() {
            let mut next = Vec::new();
            let mut level: Vec<(MethodSetEntry, bool)> = Vec::new();
            let mut field_names: Vec<(Option<PackageId>, Symbol)> = Vec::new();
            for e in &current {
                let typ = e.typ;
                if let Type::Named(_) = self.ty(typ) {
                    if self.seen_named(&seen, typ) {
                        continue;
                    }
                    seen.push(typ);
                    for i in 0..self.named_method_count(typ) {
                        if let Some(m) = self.named_method(typ, i) {
                            let entry = MethodSetEntry { obj: m, index: concat(&e.index, i), indirect: e.indirect };
                            level.push((entry, e.multiples));
                        }
                    }
                }
                let u = self.under(typ);
                match self.ty(u).clone() {
                    Type::Struct(st) => {
                        for (i, &f) in st.fields.iter().enumerate() {
                            let fo = self.obj(f);
                            field_names.push((fo.pkg, fo.name));
                            if fo.is_embedded() {
                                let ft = fo.typ();
                                let (typ, p) = self.deref(ft);
                                next.push(Embedded {
                                    typ,
                                    index: concat(&e.index, i),
                                    indirect: e.indirect || p,
                                    multiples: e.multiples,
                                });
                            }
                        }
                    }
                    Type::Interface(_) => {
                        let ts = self.type_set(u);
                        let methods = self.type_set_data(ts).methods.clone();
                        for (i, m) in methods.into_iter().enumerate() {
                            let entry = MethodSetEntry { obj: m, index: concat(&e.index, i), indirect: true };
                            level.push((entry, e.multiples));
                        }
                    }
                    _ => {}
                }
            }
            // Names found at this depth shadow deeper ones; collisions at the same depth
            // remove the name.
            let mut here: Vec<(Option<PackageId>, Symbol, Option<MethodSetEntry>)> = Vec::new();
            for (entry, multiple) in level {
                let (pkg, name) = (self.obj(entry.obj).pkg, self.obj(entry.obj).name);
                if names.iter().any(|&(p, n)| n == name && self.same_pkg_name(p, pkg, name)) {
                    continue;
                }
                match here.iter().position(|(p, n, _)| *n == name && self.same_pkg_name(*p, pkg, name)) {
                    Some(i) => here[i].2 = None,
                    None => here.push((pkg, name, (!multiple).then_some(entry))),
                }
            }
            for (pkg, name) in field_names {
                if let Some(i) = here.iter().position(|(p, n, _)| *n == name && self.same_pkg_name(*p, pkg, name)) {
                    here[i].2 = None;
                } else if !names.iter().any(|&(p, n)| n == name && self.same_pkg_name(p, pkg, name)) {
                    here.push((pkg, name, None));
                }
            }
            for (pkg, name, entry) in here {
                names.push((pkg, name));
                if let Some(entry) = entry {
                    let o = self.obj(entry.obj);
                    if !is_ptr && !entry.indirect && o.has_ptr_recv() {
                        continue;
                    }
                    entries.push(entry);
                }
            }
            current = self.consolidate_multiples(next);
        }
        entries.sort_by(|a, b| {
            let (x, y) = (a.obj, b.obj);
            let mut v = [x, y];
            self.sort_methods(&mut v);
            if v[0] == x && x != y {
                std::cmp::Ordering::Less
            } else if x == y {
                std::cmp::Ordering::Equal
            } else {
                std::cmp::Ordering::Greater
            }
        });
        entries
    }

    fn same_pkg_name(&self, p: Option<PackageId>, q: Option<PackageId>, name: Symbol) -> bool {
        super::object::is_exported(name.as_str()) || p == q
    }
}

/// One method of a method set: the method, the path of embedded fields to it (last entry
/// is the method index), and whether a pointer indirection is on the path.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MethodSetEntry {
    pub obj: ObjId,
    pub index: Vec<u32>,
    pub indirect: bool,
}
