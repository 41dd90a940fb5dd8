//! Type descriptors: one per distinct Go type that the program needs at run time (for
//! interfaces, maps, allocation, panics), with gc 1.19's contents: kind, flags, sizes,
//! pointer bitmap, equality and hash functions, type string, element types, fields, methods.

use super::Lowerer;
use crate::ir::ty::TyId;
use crate::ir::typedesc::{
    kind, mapflag, tflag, DescExtra, FieldDesc, IMethodDesc, ItabDesc, ItabId, MapDesc, MethodDesc, TypeDesc, TypeDescId,
    Uncommon,
};
use crate::types::ty::{ChanDir, Type};
use crate::types::{BasicKind, TypeId};

impl Lowerer<'_> {
    /// The descriptor of checker type `t`, made (with those it refers to) on first use.
    pub(super) fn type_desc(&self, t: TypeId) -> TypeDescId {
        let key = self.link_string(t);
        if let Some(&id) = self.desc_ids.borrow().get(&key) {
            return id;
        }
        // Reserve the id first: descriptors of recursive types refer to themselves.
        let id = {
            let mut descs = self.type_descs.borrow_mut();
            descs.descs.push(placeholder());
            TypeDescId(descs.descs.len() as u32 - 1)
        };
        self.desc_ids.borrow_mut().insert(key.clone(), id);
        let desc = self.build_desc(t, &key, id);
        self.type_descs.borrow_mut().descs[id.0 as usize] = desc;
        id
    }

    fn build_desc(&self, t: TypeId, key: &str, id: TypeDescId) -> TypeDesc {
        let ir = self.ir_ty(t);
        let (size, align) = {
            let tys = self.tys.borrow();
            (tys.layout(ir).size, tys.layout(ir).align)
        };
        let gcdata = self.pointer_bitmap_of(ir);
        let ptrdata = super::typealg::last_pointer_end(&gcdata);
        // gc names the predeclared types too (reflect's Name() of int is "int").
        let named = matches!(self.world.ty(t), Type::Named(_) | Type::Basic(_) | Type::BasicAlias(..));
        let mut flags = if named { tflag::NAMED } else { 0 };
        let equal = self.equal_fn(t);
        if self.is_regular_memory(t) {
            flags |= tflag::REGULAR_MEMORY;
        }
        let uncommon = self.uncommon(t, id);
        if uncommon.is_some() {
            flags |= tflag::UNCOMMON;
        }
        let mut k = self.kind_of(t);
        if self.is_direct_iface(t) {
            k |= kind::DIRECT_IFACE;
        }
        TypeDesc {
            size,
            ptrdata,
            hash: fnv1a(key.as_bytes()),
            tflag: flags,
            align: align as u8,
            field_align: align as u8,
            kind: k,
            equal,
            gcdata: if ptrdata == 0 { Vec::new() } else { gcdata },
            string: self.gc_type_string(t),
            ptr_to_this: None,
            extra: self.desc_extra(t),
            uncommon,
        }
    }

    /// The kind-specific part of a descriptor.
    fn desc_extra(&self, t: TypeId) -> DescExtra {
        match self.under(t).clone() {
            Type::Pointer(e) => DescExtra::Ptr { elem: self.type_desc(e) },
            Type::Slice(e) => DescExtra::Slice { elem: self.type_desc(e) },
            Type::Array(n, e) => DescExtra::Array { elem: self.type_desc(e), slice: self.slice_desc(e), len: n.max(0) as u64 },
            Type::Chan(dir, e) => {
                let dir = match dir {
                    ChanDir::Recv => 1,
                    ChanDir::Send => 2,
                    ChanDir::Both => 3,
                };
                DescExtra::Chan { elem: self.type_desc(e), dir }
            }
            Type::Map(k, v) => DescExtra::Map(self.map_desc(k, v)),
            Type::Signature(_) => {
                let sig = self.world.under_no_expand(t);
                let s = self.world.sig(sig).cloned();
                let Some(s) = s else { return DescExtra::Basic };
                let descs = |tuple: TypeId| self.world.tuple_vars(tuple).iter().map(|&v| self.type_desc(self.world.obj(v).typ())).collect();
                DescExtra::Func { ins: descs(s.params), outs: descs(s.results), variadic: s.variadic }
            }
            Type::Interface(_) => {
                let objs = self.interface_method_objs(t);
                DescExtra::Interface { pkgpath: self.members_pkg_path(t, &objs), methods: self.interface_methods(t) }
            }
            Type::Struct(st) => {
                let ir = self.ir_ty(t);
                let offsets = self.tys.borrow().layout(ir).field_offsets.clone();
                let fields = st
                    .fields
                    .iter()
                    .enumerate()
                    .map(|(i, &f)| {
                        let o = self.world.obj(f);
                        let embedded = matches!(o.kind, crate::types::ObjKind::Var { embedded: true, .. });
                        FieldDesc {
                            name: o.name.as_str().to_string(),
                            exported: o.exported(),
                            embedded,
                            typ: self.type_desc(o.typ()),
                            offset: offsets.get(i).copied().unwrap_or(0),
                            tag: st.tag(i).to_string(),
                        }
                    })
                    .collect();
                DescExtra::Struct { pkgpath: self.members_pkg_path(t, &st.fields), fields }
            }
            _ => DescExtra::Basic,
        }
    }

    /// The package path of an object ("" for the universe's).
    fn obj_pkg_path(&self, obj: crate::types::ObjId) -> String {
        self.world.obj(obj).pkg.map(|p| self.world.pkg(p).path.clone()).unwrap_or_default()
    }

    /// The package path a struct or interface descriptor records (gc's pkgpath): the
    /// package of its unexported members, which qualifies their names; else the named
    /// type's package, or the package being compiled.
    fn members_pkg_path(&self, t: TypeId, members: &[crate::types::ObjId]) -> String {
        if let Some(&m) = members.iter().find(|&&m| !self.world.obj(m).exported()) {
            return self.obj_pkg_path(m);
        }
        match self.world.named(t) {
            Some(n) => self.obj_pkg_path(n.obj),
            None => self.path.to_string(),
        }
    }

    /// The itab for converting concrete type `typ` to non-empty interface type `inter`,
    /// built at compile time; None if the method table cannot say which method implements
    /// each interface method (the conversion then asks the runtime's getitab).
    pub(super) fn static_itab(&self, inter: TypeId, typ: TypeId) -> Option<ItabId> {
        let key = (self.type_desc(inter), self.type_desc(typ));
        if let Some(&id) = self.itab_ids.borrow().get(&key) {
            return id;
        }
        let id = self.itab_methods(inter, key.1).map(|fun| {
            let mut descs = self.type_descs.borrow_mut();
            descs.itabs.push(ItabDesc { inter: key.0, typ: key.1, fun });
            ItabId(descs.itabs.len() as u32 - 1)
        });
        self.itab_ids.borrow_mut().insert(key, id);
        id
    }

    /// The code of each method of interface `inter` for the type of descriptor `typ`: the
    /// one method of its table with that name (compiled now: see reach.rs).
    fn itab_methods(&self, inter: TypeId, typ: TypeDescId) -> Option<Vec<String>> {
        let indices: Vec<usize> = {
            let descs = self.type_descs.borrow();
            let table = &descs.descs[typ.0 as usize].uncommon.as_ref()?.methods;
            self.interface_method_objs(inter)
                .into_iter()
                .map(|m| {
                    let name = self.world.obj(m).name.as_str();
                    let mut found = table.iter().enumerate().filter(|(_, d)| d.name == name);
                    match (found.next(), found.next()) {
                        (Some((i, _)), None) => Some(i),
                        _ => None,
                    }
                })
                .collect::<Option<_>>()?
        };
        for &i in &indices {
            self.force_method_slot(typ, i);
        }
        let descs = self.type_descs.borrow();
        let table = &descs.descs[typ.0 as usize].uncommon.as_ref()?.methods;
        indices.iter().map(|&i| table[i].ifn.clone()).collect()
    }

    /// The methods of an interface type, sorted as the checker's type set sorts them.
    pub(super) fn interface_methods(&self, t: TypeId) -> Vec<IMethodDesc> {
        self.interface_method_objs(t)
            .into_iter()
            .map(|m| {
                let o = self.world.obj(m);
                IMethodDesc { name: o.name.as_str().to_string(), exported: o.exported(), typ: self.method_type_desc(m) }
            })
            .collect()
    }

    /// The methods of interface type `t` in itab order (sorted by name).
    pub(super) fn interface_method_objs(&self, t: TypeId) -> Vec<crate::types::ObjId> {
        let under = self.world.under_no_expand(t);
        let Some(it) = self.world.iface(under) else { return Vec::new() };
        let Some(ts) = it.tset else { return it.methods.clone() };
        let mut methods = self.world.type_set_data(ts).methods.clone();
        methods.sort_by(|&a, &b| self.world.obj(a).name.as_str().cmp(self.world.obj(b).name.as_str()));
        methods
    }

    /// The func type descriptor of a method (its signature without receiver).
    pub(super) fn method_type_desc(&self, m: crate::types::ObjId) -> TypeDescId {
        let sig = self.world.obj(m).typ();
        self.func_type_desc(sig)
    }

    /// A func descriptor for a signature, ignoring its receiver.
    fn func_type_desc(&self, sig: TypeId) -> TypeDescId {
        let key = format!("func{}", self.signature_string(sig));
        if let Some(&id) = self.desc_ids.borrow().get(&key) {
            return id;
        }
        let id = {
            let mut descs = self.type_descs.borrow_mut();
            descs.descs.push(placeholder());
            TypeDescId(descs.descs.len() as u32 - 1)
        };
        self.desc_ids.borrow_mut().insert(key.clone(), id);
        let s = self.world.sig(self.world.under_no_expand(sig)).cloned().expect("method signature");
        let descs = |tuple: TypeId| self.world.tuple_vars(tuple).iter().map(|&v| self.type_desc(self.world.obj(v).typ())).collect();
        let desc = TypeDesc {
            size: 8,
            ptrdata: 8,
            hash: fnv1a(key.as_bytes()),
            tflag: 0,
            align: 8,
            field_align: 8,
            kind: kind::FUNC | kind::DIRECT_IFACE,
            equal: None,
            gcdata: vec![1],
            string: format!("func{}", self.gc_signature(sig)),
            ptr_to_this: None,
            extra: DescExtra::Func { ins: descs(s.params), outs: descs(s.results), variadic: s.variadic },
            uncommon: None,
        };
        self.type_descs.borrow_mut().descs[id.0 as usize] = desc;
        id
    }

    /// The package path and method table of a named type T or *T, or of a struct type
    /// (or pointer to one) whose embedded fields give it methods: its whole method set,
    /// promoted methods through wrappers. `id`: the descriptor's; its method code is
    /// filled in when reachable (reach.rs).
    fn uncommon(&self, t: TypeId, id: TypeDescId) -> Option<Uncommon> {
        let (base, pointer) = match self.world.ty(t) {
            Type::Pointer(e) => (*e, true),
            _ => (t, false),
        };
        if !pointer {
            // gc gives predeclared types an uncommon record too: reflect's PkgPath reads it
            // ("unsafe" for unsafe.Pointer).
            match self.world.ty(base) {
                Type::Basic(k) | Type::BasicAlias(k, _) => {
                    let pkgpath = if *k == BasicKind::UnsafePointer { "unsafe" } else { "" };
                    return Some(Uncommon { pkgpath: pkgpath.to_string(), methods: Vec::new() });
                }
                _ => {}
            }
        }
        let named = self.world.named(base);
        let is_struct = matches!(self.world.ty(base), Type::Struct(_));
        if named.is_none() && !is_struct {
            return None;
        }
        if matches!(self.under(base), Type::Interface(_)) {
            return (!pointer && named.is_some()).then(|| Uncommon { pkgpath: named.map(|n| self.obj_pkg_path(n.obj)).unwrap_or_default(), methods: Vec::new() });
        }
        let mut methods: Vec<MethodDesc> = Vec::new();
        for entry in self.method_set(t) {
            let m = entry.obj;
            // Methods goclift cannot compile (bodyless, not provided) are left out.
            if entry.path.is_empty() && !self.func_symbols.contains_key(&m) {
                continue;
            }
            let o = self.world.obj(m);
            methods.push(MethodDesc {
                name: o.name.as_str().to_string(),
                exported: o.exported(),
                mtyp: self.method_type_desc(m),
                ifn: None,
                tfn: None,
            });
            self.defer_method_slot(id, methods.len() - 1, t, entry);
        }
        let Some(n) = named else {
            // gc leaves an unnamed type's package empty and names the package in each
            // unexported method's name; goclift's names carry no package, so the package of
            // the unexported methods stands in (getitab matches them against it).
            let pkgpath = self.method_set(t)
                .iter()
                .map(|e| self.world.obj(e.obj))
                .find(|o| !o.exported())
                .and_then(|o| o.pkg)
                .map(|p| self.world.pkg(p).path.clone())
                .unwrap_or_default();
            return (!methods.is_empty()).then(|| Uncommon { pkgpath, methods });
        };
        let pkgpath = self.world.obj(n.obj).pkg.map(|p| self.world.pkg(p).path.clone()).unwrap_or_default();
        Some(Uncommon { pkgpath, methods })
    }

    /// The code of method `entry` in the table of `t` (T or *T), compiling it and making
    /// the wrappers it needs: the itab entry (receiver in one word) and the method
    /// expression entry (receiver as its type); None if goclift does not provide it.
    pub(super) fn method_code(&self, t: TypeId, entry: &super::methodset::MethodEntry) -> Option<(String, String)> {
        let (base, pointer) = match self.world.ty(t) {
            Type::Pointer(e) => (*e, true),
            _ => (t, false),
        };
        let m = entry.obj;
        if !entry.path.is_empty() {
            let tfn = self.method_wrapper(base, pointer, entry);
            let ifn = if pointer || self.is_direct_iface(base) { tfn.clone() } else { self.method_wrapper(base, true, entry) };
            return Some((ifn, tfn));
        }
        let symbol = self.func_symbol(m)?;
        Some(if pointer {
            let wrapper = if self.world.obj(m).has_ptr_recv() { symbol.clone() } else { self.pointer_wrapper(base, m, &symbol) };
            (wrapper.clone(), wrapper)
        } else if self.is_direct_iface(base) {
            (symbol.clone(), symbol)
        } else {
            (self.pointer_wrapper(base, m, &symbol), symbol)
        })
    }

    /// The map descriptor fields: bucket layout and flags as gc's reflectdata computes them.
    fn map_desc(&self, k: TypeId, v: TypeId) -> MapDesc {
        let (ksize, vsize) = (self.size_of(k), self.size_of(v));
        let indirect_key = ksize > 128;
        let indirect_elem = vsize > 128;
        let keysize = if indirect_key { 8 } else { ksize };
        let elemsize = if indirect_elem { 8 } else { vsize };
        let (bucket, bucketsize) = self.bucket_desc(k, v, indirect_key, indirect_elem);
        let mut flags = 0;
        if indirect_key {
            flags |= mapflag::INDIRECT_KEY;
        }
        if indirect_elem {
            flags |= mapflag::INDIRECT_ELEM;
        }
        if self.is_reflexive(k) {
            flags |= mapflag::REFLEXIVE_KEY;
        }
        if self.needs_key_update(k) {
            flags |= mapflag::NEED_KEY_UPDATE;
        }
        if self.hash_might_panic(k) {
            flags |= mapflag::HASH_MIGHT_PANIC;
        }
        MapDesc {
            key: self.type_desc(k),
            elem: self.type_desc(v),
            bucket,
            hasher: self.hash_fn(k),
            keysize: keysize as u8,
            elemsize: elemsize as u8,
            bucketsize: bucketsize as u16,
            flags,
        }
    }

    /// The IR bitmap of pointer words of IR type `ty` (bit i set: word i holds a pointer).
    pub(super) fn pointer_bitmap_of(&self, ty: TyId) -> Vec<u8> {
        let tys = self.tys.borrow();
        let size = tys.layout(ty).size;
        let mut bits = vec![0u8; (size as usize / 8).div_ceil(8)];
        tys.for_each_pointer_word(ty, 0, &mut |off| {
            let w = (off / 8) as usize;
            bits[w / 8] |= 1 << (w % 8);
        });
        bits
    }

    /// gc's kind number of `t`.
    fn kind_of(&self, t: TypeId) -> u8 {
        use BasicKind::*;
        match self.under(t) {
            Type::Basic(b) | Type::BasicAlias(b, _) => match b {
                Bool | UntypedBool => kind::BOOL,
                Int | UntypedInt => kind::INT,
                Int8 => kind::INT8,
                Int16 => kind::INT16,
                Int32 | UntypedRune => kind::INT32,
                Int64 => kind::INT64,
                Uint => kind::UINT,
                Uint8 => kind::UINT8,
                Uint16 => kind::UINT16,
                Uint32 => kind::UINT32,
                Uint64 => kind::UINT64,
                Uintptr => kind::UINTPTR,
                Float32 => kind::FLOAT32,
                Float64 | UntypedFloat => kind::FLOAT64,
                Complex64 => kind::COMPLEX64,
                Complex128 | UntypedComplex => kind::COMPLEX128,
                String | UntypedString => kind::STRING,
                UnsafePointer | UntypedNil | Invalid => kind::UNSAFE_POINTER,
            },
            Type::Pointer(_) => kind::PTR,
            Type::Slice(_) => kind::SLICE,
            Type::Array(..) => kind::ARRAY,
            Type::Map(..) => kind::MAP,
            Type::Chan(..) => kind::CHAN,
            Type::Signature(_) => kind::FUNC,
            Type::Interface(_) => kind::INTERFACE,
            Type::Struct(_) => kind::STRUCT,
            _ => kind::STRUCT,
        }
    }

    /// Whether values of `t` are stored in an interface's data word directly (gc's
    /// isdirectiface): pointer-shaped types, and arrays and structs of exactly one such.
    pub(super) fn is_direct_iface(&self, t: TypeId) -> bool {
        match self.under(t).clone() {
            Type::Pointer(_) | Type::Chan(..) | Type::Map(..) | Type::Signature(_) => true,
            Type::Basic(BasicKind::UnsafePointer) => true,
            Type::Array(1, e) => self.is_direct_iface(e),
            Type::Struct(st) if st.fields.len() == 1 => self.is_direct_iface(self.world.obj(st.fields[0]).typ()),
            _ => false,
        }
    }
}

/// A descriptor slot being built.
fn placeholder() -> TypeDesc {
    TypeDesc {
        size: 0,
        ptrdata: 0,
        hash: 0,
        tflag: 0,
        align: 1,
        field_align: 1,
        kind: 0,
        equal: None,
        gcdata: Vec::new(),
        string: String::new(),
        ptr_to_this: None,
        extra: DescExtra::Basic,
        uncommon: None,
    }
}

/// 32-bit FNV-1a, gc's type hash over the type's link string.
fn fnv1a(bytes: &[u8]) -> u32 {
    let mut h: u32 = 0x811c_9dc5;
    for &b in bytes {
        h ^= u32::from(b);
        h = h.wrapping_mul(0x0100_0193);
    }
    h
}
