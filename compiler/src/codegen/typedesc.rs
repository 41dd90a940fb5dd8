//! The `goclift.types` blob: every type descriptor of the program in gc 1.19's byte layout,
//! with the names, pointer bitmaps, field and method tables they refer to (docs/decisions.md
//! 21: nameOff and typeOff are offsets from the blob's start, a textOff is the offset of a
//! word holding a code address; other pointers are absolute relocations). The itabs built at
//! compile time follow the descriptors in the blob; `goclift.itablinks` lists them for the
//! runtime (a count, then their addresses), which adds them to its itab table first.

use super::CodegenCx;
use crate::ir::typedesc::{tflag, DescExtra, TypeDesc, TypeDescs};
use crate::runtime_abi::RuntimeFn;
use cranelift_module::{DataDescription, DataId, Linkage, Module};
use std::collections::HashMap;

/// The blob's symbol.
pub const TYPES_SYMBOL: &str = "goclift.types";
/// The symbol of the list of static itabs.
pub const ITABLINKS_SYMBOL: &str = "goclift.itablinks";

/// Where each descriptor starts in the blob, fixed before any code refers to it.
pub struct TypesLayout {
    pub data: DataId,
    pub offsets: Vec<u64>,
    /// Where each static itab starts in the blob.
    pub itab_offsets: Vec<u64>,
}

/// Bytes of an itab with `n` methods: inter, _type, hash and padding, fun[n].
fn itab_size(n: usize) -> u64 {
    24 + 8 * n.max(1) as u64
}

/// Size of a descriptor's kind-specific record (gc's rtype and the structs extending it).
fn record_size(d: &TypeDesc) -> u64 {
    match &d.extra {
        DescExtra::Basic => 48,
        DescExtra::Ptr { .. } | DescExtra::Slice { .. } | DescExtra::Func { .. } => 56,
        DescExtra::Chan { .. } => 64,
        DescExtra::Array { .. } => 72,
        DescExtra::Interface { .. } | DescExtra::Struct { .. } => 80,
        DescExtra::Map(_) => 88,
    }
}

/// Bytes a descriptor occupies: its record, the uncommon record, a func type's parameter
/// pointers, and the method table.
fn desc_size(d: &TypeDesc) -> u64 {
    let mut n = record_size(d);
    if d.uncommon.is_some() {
        n += 16;
    }
    if let DescExtra::Func { ins, outs, .. } = &d.extra {
        n += 8 * (ins.len() + outs.len()) as u64;
    }
    if let Some(u) = &d.uncommon {
        n += 16 * u.methods.len() as u64;
    }
    n
}

/// Assigns each descriptor its offset (offset 0 stays free: it means "none").
pub fn layout(cx: &mut CodegenCx, descs: &TypeDescs) -> Result<Option<TypesLayout>, String> {
    if descs.descs.is_empty() {
        return Ok(None);
    }
    let data = cx.module.declare_data(TYPES_SYMBOL, Linkage::Export, false, false).map_err(|e| format!("declaring {TYPES_SYMBOL}: {e}"))?;
    let mut offsets = vec![0; descs.descs.len()];
    let mut off = 8u64;
    for i in gc_order(descs) {
        offsets[i] = off;
        off = (off + desc_size(&descs.descs[i])).next_multiple_of(8);
    }
    let mut itab_offsets = Vec::with_capacity(descs.itabs.len());
    for t in &descs.itabs {
        itab_offsets.push(off);
        off += itab_size(t.fun.len());
    }
    Ok(Some(TypesLayout { data, offsets, itab_offsets }))
}

/// The descriptors in the order gc's linker places type symbols: by symbol size, then by
/// name ("type." and the type string, which stands in for gc's link string). Programs see
/// the order: internal/fmtsort orders interface-typed map keys of different dynamic types by
/// their descriptors' addresses, so fmt prints map[interface{}]T as gc does.
fn gc_order(descs: &TypeDescs) -> Vec<usize> {
    let gc_size = |d: &TypeDesc| {
        desc_size(d)
            + match &d.extra {
                // gc keeps these tables inside the descriptor's symbol; the blob appends them.
                DescExtra::Struct { fields, .. } => 24 * fields.len() as u64,
                DescExtra::Interface { methods, .. } => 8 * methods.len() as u64,
                _ => 0,
            }
    };
    let mut order: Vec<usize> = (0..descs.descs.len()).collect();
    order.sort_by(|&a, &b| {
        let (da, db) = (&descs.descs[a], &descs.descs[b]);
        (gc_size(da), &da.string).cmp(&(gc_size(db), &db.string))
    });
    order
}

/// What a pointer-sized word of the blob must point at.
enum Target {
    /// The blob itself plus an offset.
    Blob(u64),
    /// A function, by symbol (a Go function of the program or a runtime function).
    Func(String),
}

/// The blob under construction.
struct Writer<'a> {
    layout: &'a TypesLayout,
    buf: Vec<u8>,
    relocs: Vec<(u64, Target)>,
    names: HashMap<Vec<u8>, u64>,
}

impl Writer<'_> {
    fn put(&mut self, at: u64, bytes: &[u8]) {
        let end = at as usize + bytes.len();
        if self.buf.len() < end {
            self.buf.resize(end, 0);
        }
        self.buf[at as usize..end].copy_from_slice(bytes);
    }

    fn put_u64(&mut self, at: u64, v: u64) {
        self.put(at, &v.to_le_bytes());
    }

    fn put_u32(&mut self, at: u64, v: u32) {
        self.put(at, &v.to_le_bytes());
    }

    /// Appends bytes at the end (aligned to `align`); returns their offset.
    fn append(&mut self, bytes: &[u8], align: usize) -> u64 {
        let at = self.buf.len().next_multiple_of(align);
        self.buf.resize(at, 0);
        self.buf.extend_from_slice(bytes);
        at as u64
    }

    /// An encoded name (gc's name: flags, varint length, bytes, optional tag); its offset.
    fn name(&mut self, name: &str, exported: bool, tag: &str, embedded: bool) -> u64 {
        let mut enc = vec![u8::from(exported) | if tag.is_empty() { 0 } else { 2 } | if embedded { 8 } else { 0 }];
        varint(&mut enc, name.len());
        enc.extend_from_slice(name.as_bytes());
        if !tag.is_empty() {
            varint(&mut enc, tag.len());
            enc.extend_from_slice(tag.as_bytes());
        }
        if let Some(&at) = self.names.get(&enc) {
            return at;
        }
        let at = self.append(&enc, 1);
        self.names.insert(enc, at);
        at
    }

    fn desc(&self, id: crate::ir::typedesc::TypeDescId) -> u64 {
        self.layout.offsets[id.0 as usize]
    }

    /// A pointer word at `at` to descriptor `id`.
    fn desc_ptr(&mut self, at: u64, id: crate::ir::typedesc::TypeDescId) {
        let target = self.desc(id);
        self.relocs.push((at, Target::Blob(target)));
    }

    /// A pointer word at `at` to a func value of `symbol` (a word of the blob holding its
    /// code address), as gc stores `equal` and `hasher`: reflect calls them as Go funcs.
    fn func_value(&mut self, at: u64, symbol: &str) {
        let word = self.text_word(symbol);
        self.relocs.push((at, Target::Blob(word)));
    }

    /// A word holding a code address; returns its offset (a textOff).
    fn text_word(&mut self, symbol: &str) -> u64 {
        let at = self.append(&[0; 8], 8);
        self.relocs.push((at, Target::Func(symbol.to_string())));
        at
    }

    /// An itab at `at` (gc's layout): inter, _type, the type's hash, fun[].
    fn write_itab(&mut self, t: &crate::ir::typedesc::ItabDesc, typ: &TypeDesc, at: u64) {
        self.desc_ptr(at, t.inter);
        self.desc_ptr(at + 8, t.typ);
        self.put_u32(at + 16, typ.hash);
        for (i, f) in t.fun.iter().enumerate() {
            self.relocs.push((at + 24 + 8 * i as u64, Target::Func(f.clone())));
        }
    }

    fn write(&mut self, d: &TypeDesc, at: u64, ptr_to_this: Option<crate::ir::typedesc::TypeDescId>) {
        self.put_u64(at, d.size);
        self.put_u64(at + 8, d.ptrdata);
        self.put_u32(at + 16, d.hash);
        self.put(at + 20, &[d.tflag & !tflag::EXTRA_STAR, d.align, d.field_align, d.kind]);
        if let Some(eq) = &d.equal {
            self.func_value(at + 24, eq);
        }
        if !d.gcdata.is_empty() {
            let g = self.append(&d.gcdata, 1);
            self.relocs.push((at + 32, Target::Blob(g)));
        }
        let s = self.name(&d.string, false, "", false);
        self.put_u32(at + 40, s as u32);
        if let Some(p) = ptr_to_this {
            let o = self.desc(p);
            self.put_u32(at + 44, o as u32);
        }
        self.write_extra(d, at);
        self.write_uncommon(d, at);
    }

    fn write_extra(&mut self, d: &TypeDesc, at: u64) {
        match &d.extra {
            DescExtra::Basic => {}
            DescExtra::Ptr { elem } | DescExtra::Slice { elem } => self.desc_ptr(at + 48, *elem),
            DescExtra::Array { elem, slice, len } => {
                self.desc_ptr(at + 48, *elem);
                self.desc_ptr(at + 56, *slice);
                self.put_u64(at + 64, *len);
            }
            DescExtra::Chan { elem, dir } => {
                self.desc_ptr(at + 48, *elem);
                self.put_u64(at + 56, *dir);
            }
            DescExtra::Map(m) => {
                self.desc_ptr(at + 48, m.key);
                self.desc_ptr(at + 56, m.elem);
                self.desc_ptr(at + 64, m.bucket);
                self.func_value(at + 72, &m.hasher);
                self.put(at + 80, &[m.keysize, m.elemsize]);
                self.put(at + 82, &m.bucketsize.to_le_bytes());
                self.put_u32(at + 84, m.flags);
            }
            DescExtra::Func { ins, outs, variadic } => {
                let out_count = outs.len() as u16 | if *variadic { 1 << 15 } else { 0 };
                self.put(at + 48, &(ins.len() as u16).to_le_bytes());
                self.put(at + 50, &out_count.to_le_bytes());
                let mut p = at + 56 + if d.uncommon.is_some() { 16 } else { 0 };
                for &t in ins.iter().chain(outs) {
                    self.desc_ptr(p, t);
                    p += 8;
                }
            }
            DescExtra::Interface { pkgpath, methods } => {
                let pkg = self.name(pkgpath, false, "", false);
                self.relocs.push((at + 48, Target::Blob(pkg)));
                let mut table = Vec::with_capacity(methods.len() * 8);
                let mut entries = Vec::new();
                for m in methods {
                    let n = self.name(&m.name, m.exported, "", false);
                    entries.push((n, self.desc(m.typ)));
                }
                for (n, t) in entries {
                    table.extend_from_slice(&(n as u32).to_le_bytes());
                    table.extend_from_slice(&(t as u32).to_le_bytes());
                }
                self.slice_header(at + 56, &table, methods.len());
            }
            DescExtra::Struct { pkgpath, fields } => {
                let pkg = self.name(pkgpath, false, "", false);
                self.relocs.push((at + 48, Target::Blob(pkg)));
                let table_at = self.append(&vec![0; fields.len() * 24], 8);
                for (i, f) in fields.iter().enumerate() {
                    let e = table_at + 24 * i as u64;
                    let n = self.name(&f.name, f.exported, &f.tag, f.embedded);
                    self.relocs.push((e, Target::Blob(n)));
                    self.desc_ptr(e + 8, f.typ);
                    self.put_u64(e + 16, f.offset);
                }
                self.relocs.push((at + 56, Target::Blob(table_at)));
                self.put_u64(at + 64, fields.len() as u64);
                self.put_u64(at + 72, fields.len() as u64);
            }
        }
    }

    /// The typelinks table (what gc's runtime.typelinks returns for a module): the offsets
    /// of all descriptors sorted by type string, appended to the blob; the blob's first word
    /// (offset 0 means "none", so nothing else uses it) holds the table's offset (low half)
    /// and length (high half). reflect searches it (typesByString) so that PtrTo, SliceOf,
    /// MapOf, ... return the program's own descriptors.
    fn typelinks(&mut self, descs: &TypeDescs) {
        let mut order: Vec<usize> = (0..descs.descs.len()).collect();
        order.sort_by(|&a, &b| descs.descs[a].string.cmp(&descs.descs[b].string));
        let table: Vec<u8> = order.iter().flat_map(|&i| (self.layout.offsets[i] as u32).to_le_bytes()).collect();
        let at = self.append(&table, 4);
        self.put_u32(0, at as u32);
        self.put_u32(4, order.len() as u32);
    }

    /// A Go slice header at `at` for `n` elements whose bytes are `table`.
    fn slice_header(&mut self, at: u64, table: &[u8], n: usize) {
        if n > 0 {
            let t = self.append(table, 8);
            self.relocs.push((at, Target::Blob(t)));
        }
        self.put_u64(at + 8, n as u64);
        self.put_u64(at + 16, n as u64);
    }

    fn write_uncommon(&mut self, d: &TypeDesc, at: u64) {
        let Some(u) = &d.uncommon else { return };
        let u_at = at + record_size(d);
        let params = match &d.extra {
            DescExtra::Func { ins, outs, .. } => 8 * (ins.len() + outs.len()) as u64,
            _ => 0,
        };
        let pkg = self.name(&u.pkgpath, false, "", false);
        self.put_u32(u_at, pkg as u32);
        let xcount = u.methods.iter().filter(|m| m.exported).count() as u16;
        self.put(u_at + 4, &(u.methods.len() as u16).to_le_bytes());
        self.put(u_at + 6, &xcount.to_le_bytes());
        self.put_u32(u_at + 8, (16 + params) as u32);
        for (i, m) in u.methods.iter().enumerate() {
            let e = u_at + 16 + params + 16 * i as u64;
            let n = self.name(&m.name, m.exported, "", false);
            let mtyp = self.desc(m.mtyp);
            let ifn = m.ifn.as_ref().map_or(u64::MAX, |f| self.text_word(f));
            let tfn = m.tfn.as_ref().map_or(u64::MAX, |f| self.text_word(f));
            self.put_u32(e, n as u32);
            self.put_u32(e + 4, mtyp as u32);
            self.put_u32(e + 8, ifn as u32);
            self.put_u32(e + 12, tfn as u32);
        }
    }
}

/// gc's varint: 7 bits per byte, low first, high bit set on all but the last.
fn varint(out: &mut Vec<u8>, mut n: usize) {
    loop {
        let b = (n & 0x7f) as u8;
        n >>= 7;
        if n == 0 {
            out.push(b);
            return;
        }
        out.push(b | 0x80);
    }
}

/// For each descriptor, the descriptor of the pointer type to it if the program has one
/// (gc's ptrToThis): reflect.PointerTo and reflect.New then return the program's own `*T`,
/// so that values they make convert to and assert as `*T`.
fn pointer_descs(descs: &TypeDescs) -> Vec<Option<crate::ir::typedesc::TypeDescId>> {
    let mut ptr_to = vec![None; descs.descs.len()];
    for (i, d) in descs.descs.iter().enumerate() {
        if let DescExtra::Ptr { elem } = d.extra {
            ptr_to[elem.0 as usize].get_or_insert(crate::ir::typedesc::TypeDescId(i as u32));
        }
    }
    ptr_to
}

/// Encodes and defines the blob.
pub fn define(cx: &mut CodegenCx, descs: &TypeDescs, layout: &TypesLayout) -> Result<(), String> {
    let mut w = Writer { layout, buf: vec![0; 8], relocs: Vec::new(), names: HashMap::new() };
    let desc_end = descs.descs.iter().zip(&layout.offsets).map(|(d, &o)| o + desc_size(d)).max().unwrap_or(8);
    let itab_end = descs.itabs.iter().zip(&layout.itab_offsets).map(|(t, &o)| o + itab_size(t.fun.len())).max().unwrap_or(8);
    let end = desc_end.max(itab_end);
    w.buf.resize(end as usize, 0);
    let ptr_to = pointer_descs(descs);
    for (i, (d, &at)) in descs.descs.iter().zip(&layout.offsets).enumerate() {
        w.write(d, at, d.ptr_to_this.or(ptr_to[i]));
    }
    for (t, &at) in descs.itabs.iter().zip(&layout.itab_offsets) {
        w.write_itab(t, &descs.descs[t.typ.0 as usize], at);
    }
    w.typelinks(descs);
    let Writer { buf, relocs, .. } = w;
    let mut desc = DataDescription::new();
    desc.define(buf.into_boxed_slice());
    desc.set_align(8);
    let self_ref = cx.module.declare_data_in_data(layout.data, &mut desc);
    for (at, target) in relocs {
        match target {
            Target::Blob(off) => desc.write_data_addr(at as u32, self_ref, off as i64),
            Target::Func(symbol) => {
                let id = match RuntimeFn::by_symbol(&symbol) {
                    Some(f) => cx.runtime_func(f)?,
                    None => cx.go_func(&symbol)?,
                };
                let fref = cx.module.declare_func_in_data(id, &mut desc);
                desc.write_function_addr(at as u32, fref);
            }
        }
    }
    cx.module.define_data(layout.data, &desc).map_err(|e| format!("defining {TYPES_SYMBOL}: {e}"))?;
    define_itablinks(cx, layout)
}

/// `goclift.itablinks`: the number of static itabs, then their addresses.
fn define_itablinks(cx: &mut CodegenCx, layout: &TypesLayout) -> Result<(), String> {
    if layout.itab_offsets.is_empty() {
        return Ok(());
    }
    let id = cx.module.declare_data(ITABLINKS_SYMBOL, Linkage::Export, false, false).map_err(|e| format!("declaring {ITABLINKS_SYMBOL}: {e}"))?;
    let n = layout.itab_offsets.len();
    let mut bytes = vec![0u8; 8 * (n + 1)];
    bytes[..8].copy_from_slice(&(n as u64).to_le_bytes());
    let mut desc = DataDescription::new();
    desc.define(bytes.into_boxed_slice());
    desc.set_align(8);
    let blob = cx.module.declare_data_in_data(layout.data, &mut desc);
    for (i, &off) in layout.itab_offsets.iter().enumerate() {
        desc.write_data_addr(8 * (i as u32 + 1), blob, off as i64);
    }
    cx.module.define_data(id, &desc).map_err(|e| format!("defining {ITABLINKS_SYMBOL}: {e}"))
}
