//! What descriptors say about a type beyond its layout: gc's type strings, the link string
//! that identifies a type across the program, equality and hash functions (runtime ones
//! for basic shapes, generated ones for structs and arrays), map key properties, the
//! pointer-receiver wrappers used in method tables, and the descriptors that have no checker
//! type of their own (map buckets, the slice types of arrays).

use super::func::FnCx;
use super::Lowerer;
use crate::ir::build::FuncBuilder;
use crate::ir::ty::{Ty, TyId};
use crate::ir::typedesc::{kind, DescExtra, TypeDesc, TypeDescId};
use crate::ir::{Callee, Operand, Place, Rvalue, TermKind};
use crate::types::ty::{ChanDir, Type};
use crate::types::{BasicKind, ObjId, TypeId};

impl Lowerer<'_> {
    /// The string identifying a type in the whole program (package paths, not names).
    pub(super) fn link_string(&self, t: TypeId) -> String {
        self.world.link_string(t)
    }

    /// The link string of a signature without its receiver (for func descriptor keys).
    pub(super) fn signature_string(&self, sig: TypeId) -> String {
        self.world.link_signature_string(sig)
    }

    /// The type's string as gc's reflect data writes it: package names, `interface {}`,
    /// `struct { A int }`, `func(int) (string, error)`.
    pub(super) fn gc_type_string(&self, t: TypeId) -> String {
        let w = self.world;
        match w.ty(t) {
            Type::Basic(k) | Type::BasicAlias(k, _) => basic_name(*k).to_string(),
            Type::Named(n) => {
                let o = w.obj(n.obj);
                let name = o.name.as_str();
                match o.pkg {
                    Some(p) => {
                        let mut s = format!("{}.{name}", w.pkg(p).name);
                        if !n.targs.is_empty() {
                            let args: Vec<String> = n.targs.iter().map(|&a| self.gc_type_string(a)).collect();
                            s = format!("{s}[{}]", args.join(","));
                        }
                        s
                    }
                    None => name.to_string(),
                }
            }
            Type::Pointer(e) => format!("*{}", self.gc_type_string(*e)),
            Type::Slice(e) => format!("[]{}", self.gc_type_string(*e)),
            Type::Array(n, e) => format!("[{n}]{}", self.gc_type_string(*e)),
            Type::Map(k, v) => format!("map[{}]{}", self.gc_type_string(*k), self.gc_type_string(*v)),
            Type::Chan(d, e) => {
                let e = self.gc_type_string(*e);
                match d {
                    ChanDir::Both => format!("chan {e}"),
                    ChanDir::Send => format!("chan<- {e}"),
                    ChanDir::Recv => format!("<-chan {e}"),
                }
            }
            Type::Signature(_) => format!("func{}", self.gc_signature(t)),
            Type::Struct(st) => {
                if st.fields.is_empty() {
                    return "struct {}".into();
                }
                let fields: Vec<String> = st
                    .fields
                    .iter()
                    .enumerate()
                    .map(|(i, &f)| {
                        let o = w.obj(f);
                        let ty = self.gc_type_string(o.typ());
                        let embedded = matches!(o.kind, crate::types::ObjKind::Var { embedded: true, .. });
                        let mut s = if embedded { ty } else { format!("{} {ty}", o.name.as_str()) };
                        if !st.tag(i).is_empty() {
                            s = format!("{s} {:?}", st.tag(i));
                        }
                        s
                    })
                    .collect();
                format!("struct {{ {} }}", fields.join("; "))
            }
            Type::Interface(_) => {
                let methods = self.interface_method_objs(t);
                if methods.is_empty() {
                    return "interface {}".into();
                }
                let ms: Vec<String> =
                    methods.iter().map(|&m| format!("{}{}", w.obj(m).name.as_str(), self.gc_signature(w.obj(m).typ()))).collect();
                format!("interface {{ {} }}", ms.join("; "))
            }
            Type::Tuple(_) | Type::Union(_) | Type::TypeParam(_) => self.link_string(t),
        }
    }

    /// `(params) results` of a signature, as gc writes func types.
    pub(super) fn gc_signature(&self, sig: TypeId) -> String {
        let w = self.world;
        let Some(s) = w.sig(w.under_no_expand(sig)) else { return "()".into() };
        let params: Vec<TypeId> = w.tuple_vars(s.params).iter().map(|&v| w.obj(v).typ()).collect();
        let results: Vec<TypeId> = w.tuple_vars(s.results).iter().map(|&v| w.obj(v).typ()).collect();
        let mut ps: Vec<String> = params.iter().map(|&p| self.gc_type_string(p)).collect();
        if s.variadic {
            if let Some(last) = ps.last_mut() {
                *last = format!("...{}", last.trim_start_matches("[]"));
            }
        }
        let mut out = format!("({})", ps.join(", "));
        match results.len() {
            0 => {}
            1 => out = format!("{out} {}", self.gc_type_string(results[0])),
            _ => {
                let rs: Vec<String> = results.iter().map(|&r| self.gc_type_string(r)).collect();
                out = format!("{out} ({})", rs.join(", "));
            }
        }
        out
    }

    /// The equality function of `t` (None if values of `t` cannot be compared).
    pub(super) fn equal_fn(&self, t: TypeId) -> Option<String> {
        use BasicKind::*;
        let by_size = |size: u64| match size {
            0 => Some("runtime.memequal0".to_string()),
            1 => Some("runtime.memequal8".to_string()),
            2 => Some("runtime.memequal16".to_string()),
            4 => Some("runtime.memequal32".to_string()),
            8 => Some("runtime.memequal64".to_string()),
            16 => Some("runtime.memequal128".to_string()),
            _ => None,
        };
        match self.under(t).clone() {
            Type::Basic(k) | Type::BasicAlias(k, _) => match k {
                Float32 => Some("runtime.f32equal".into()),
                Float64 => Some("runtime.f64equal".into()),
                Complex64 => Some("runtime.c64equal".into()),
                Complex128 => Some("runtime.c128equal".into()),
                String => Some("runtime.strequal".into()),
                _ => by_size(self.size_of(t)),
            },
            Type::Pointer(_) | Type::Chan(..) => by_size(8),
            Type::Interface(_) => {
                if self.interface_method_objs(t).is_empty() {
                    Some("runtime.nilinterequal".into())
                } else {
                    Some("runtime.interequal".into())
                }
            }
            Type::Struct(_) | Type::Array(..) if self.is_comparable(t) => {
                if self.is_regular_memory(t) {
                    if let Some(f) = by_size(self.size_of(t)) {
                        return Some(f);
                    }
                }
                Some(self.generated_equal(t))
            }
            _ => None,
        }
    }

    /// Whether `t` is comparable with ==.
    fn is_comparable(&self, t: TypeId) -> bool {
        match self.under(t).clone() {
            Type::Slice(_) | Type::Map(..) | Type::Signature(_) => false,
            Type::Array(_, e) => self.is_comparable(e),
            Type::Struct(st) => st.fields.iter().all(|&f| self.is_comparable(self.world.obj(f).typ())),
            _ => true,
        }
    }

    /// Whether values of `t` compare and hash as plain memory (no floats, strings,
    /// interfaces, and no padding).
    pub(super) fn is_regular_memory(&self, t: TypeId) -> bool {
        match self.under(t).clone() {
            Type::Basic(k) | Type::BasicAlias(k, _) => {
                !(k.is_float() || k.is_complex() || matches!(k, BasicKind::String | BasicKind::UntypedString))
            }
            Type::Pointer(_) | Type::Chan(..) => true,
            Type::Array(_, e) => self.is_regular_memory(e),
            Type::Struct(st) => {
                // Blank fields take no part in == (nor in hashing).
                let blank = st.fields.iter().any(|&f| self.world.obj(f).name.as_str() == "_");
                let fields: Vec<TypeId> = st.fields.iter().map(|&f| self.world.obj(f).typ()).collect();
                let sizes: u64 = fields.iter().map(|&f| self.size_of(f)).sum();
                !blank && fields.iter().all(|&f| self.is_regular_memory(f)) && sizes == self.size_of(t)
            }
            _ => false,
        }
    }

    /// The hash function of map keys of type `k`, `(p, seed) uintptr`.
    pub(super) fn hash_fn(&self, k: TypeId) -> String {
        use BasicKind::*;
        let size = self.size_of(k);
        let by_size = |size: u64| match size {
            0 => Some("runtime.memhash0"),
            1 => Some("runtime.memhash8"),
            2 => Some("runtime.memhash16"),
            4 => Some("runtime.memhash32"),
            8 => Some("runtime.memhash64"),
            16 => Some("runtime.memhash128"),
            _ => None,
        };
        let named = match self.under(k).clone() {
            Type::Basic(b) | Type::BasicAlias(b, _) => match b {
                Float32 => Some("runtime.f32hash"),
                Float64 => Some("runtime.f64hash"),
                Complex64 => Some("runtime.c64hash"),
                Complex128 => Some("runtime.c128hash"),
                String => Some("runtime.strhash"),
                _ => by_size(size),
            },
            Type::Pointer(_) | Type::Chan(..) => by_size(8),
            Type::Interface(_) if self.interface_method_objs(k).is_empty() => Some("runtime.nilinterhash"),
            Type::Interface(_) => Some("runtime.interhash"),
            _ if self.is_regular_memory(k) => by_size(size),
            _ => None,
        };
        match named {
            Some(f) => f.to_string(),
            None => self.generated_hash(k),
        }
    }

    /// Whether every key equals itself (no floats or interfaces inside).
    pub(super) fn is_reflexive(&self, t: TypeId) -> bool {
        match self.under(t).clone() {
            Type::Basic(k) | Type::BasicAlias(k, _) => !(k.is_float() || k.is_complex()),
            Type::Interface(_) => false,
            Type::Array(_, e) => self.is_reflexive(e),
            Type::Struct(st) => st.fields.iter().all(|&f| self.is_reflexive(self.world.obj(f).typ())),
            _ => true,
        }
    }

    /// Whether overwriting a map entry must store the key too (equal keys may differ).
    pub(super) fn needs_key_update(&self, t: TypeId) -> bool {
        match self.under(t).clone() {
            Type::Basic(k) | Type::BasicAlias(k, _) => {
                k.is_float() || k.is_complex() || matches!(k, BasicKind::String | BasicKind::UntypedString)
            }
            Type::Interface(_) => true,
            Type::Array(_, e) => self.needs_key_update(e),
            Type::Struct(st) => st.fields.iter().any(|&f| self.needs_key_update(self.world.obj(f).typ())),
            _ => false,
        }
    }

    /// Whether hashing a key of type `t` may panic (it holds an interface).
    pub(super) fn hash_might_panic(&self, t: TypeId) -> bool {
        match self.under(t).clone() {
            Type::Interface(_) => true,
            Type::Array(_, e) => self.hash_might_panic(e),
            Type::Struct(st) => st.fields.iter().any(|&f| self.hash_might_panic(self.world.obj(f).typ())),
            _ => false,
        }
    }

    /// A generated `(p, q *T) bool` comparing the fields (elements) of two T values.
    fn generated_equal(&self, t: TypeId) -> String {
        let symbol = format!("goclift.eq.{}", self.link_string(t));
        if !self.generated.borrow_mut().insert(symbol.clone()) {
            return symbol;
        }
        let (ptr, boolean) = {
            let mut tys = self.tys.borrow_mut();
            (tys.intern(Ty::Ptr), tys.intern(Ty::Bool))
        };
        let ty = self.ir_ty(t);
        let b = FuncBuilder::new(&symbol, "", 0, &[("p".into(), ptr), ("q".into(), ptr)], vec![boolean]);
        let mut closures = 0;
        let mut fx = FnCx::for_generated(self, b, &mut closures);
        let [p, q] = [fx.b.params()[0], fx.b.params()[1]];
        let x = Operand::place(Place::deref(Operand::local(p), ty));
        let y = Operand::place(Place::deref(Operand::local(q), ty));
        let eq = fx.binary_values(crate::syntax::pos::Pos::default(), crate::syntax::token::Operator::Eql, (x, t), (y, t), self.bool_type());
        let eq = eq.unwrap_or(Operand::Const(crate::ir::Const::Bool(false)));
        fx.b.terminate(TermKind::Return(vec![eq]));
        self.add_func(fx.finish_builder().finish());
        symbol
    }

    /// A generated `(p *T, seed uintptr) uintptr` hashing the fields (elements) of a T.
    fn generated_hash(&self, t: TypeId) -> String {
        let symbol = format!("goclift.hash.{}", self.link_string(t));
        if !self.generated.borrow_mut().insert(symbol.clone()) {
            return symbol;
        }
        let (ptr, word) = {
            let mut tys = self.tys.borrow_mut();
            (tys.intern(Ty::Ptr), tys.intern(Ty::Int { bits: 64, signed: false }))
        };
        let ty = self.ir_ty(t);
        let b = FuncBuilder::new(&symbol, "", 0, &[("p".into(), ptr), ("h".into(), word)], vec![word]);
        let mut closures = 0;
        let mut fx = FnCx::for_generated(self, b, &mut closures);
        let [p, h] = [fx.b.params()[0], fx.b.params()[1]];
        let parts: Vec<(u64, TypeId)> = match self.under(t).clone() {
            Type::Struct(st) => {
                let offsets = self.tys.borrow().layout(ty).field_offsets.clone();
                st.fields.iter().zip(offsets).filter(|(&f, _)| self.world.obj(f).name.as_str() != "_").map(|(&f, o)| (o, self.world.obj(f).typ())).collect()
            }
            Type::Array(n, e) => (0..n.max(0) as u64).map(|i| (i * self.size_of(e), e)).collect(),
            _ => Vec::new(),
        };
        for (offset, ft) in parts {
            let f = self.hash_fn(ft);
            let at = fx.temp_of(ptr, Rvalue::Offset { ptr: Operand::local(p), index: Operand::int(offset as i64, word), scale: 1 });
            let callee = match crate::runtime_abi::RuntimeFn::by_symbol(&f) {
                Some(r) => Callee::Runtime(r),
                None => Callee::Func(f),
            };
            fx.b.call(callee, vec![Operand::local(at), Operand::local(h)], vec![Place::local(h)]);
        }
        fx.b.terminate(TermKind::Return(vec![Operand::local(h)]));
        self.add_func(fx.finish_builder().finish());
        symbol
    }

    /// `pkg.(*T).M` for a value-receiver method M of named type T: loads the receiver and
    /// calls `pkg.T.M` (gc's pointer wrappers, used in method tables).
    pub(super) fn pointer_wrapper(&self, named: TypeId, m: ObjId, symbol: &str) -> String {
        let wrapper = pointer_wrapper_name(symbol);
        if !self.generated.borrow_mut().insert(wrapper.clone()) {
            return wrapper;
        }
        let (params, results) = self.signature_tys(self.world.obj(m).typ());
        let ptr = self.tys.borrow_mut().intern(Ty::Ptr);
        let recv_ty = self.ir_ty(named);
        let mut all: Vec<(String, TyId)> = vec![("recv".into(), ptr)];
        all.extend(params.iter().map(|&t| (String::new(), t)));
        let b = FuncBuilder::new(&wrapper, "", 0, &all, results.clone());
        let mut closures = 0;
        let mut fx = FnCx::for_generated(self, b, &mut closures);
        let locals = fx.b.params();
        let mut args = vec![Operand::place(Place::deref(Operand::local(locals[0]), recv_ty))];
        args.extend(locals[1..].iter().map(|&l| Operand::local(l)));
        let outs: Vec<_> = results.iter().map(|&r| fx.temp(r)).collect();
        fx.b.call(Callee::Func(symbol.to_string()), args, outs.iter().map(|&o| Place::local(o)).collect());
        fx.b.terminate(TermKind::Return(outs.into_iter().map(Operand::local).collect()));
        self.add_func(fx.finish_builder().finish());
        wrapper
    }

    /// A descriptor for gc's map bucket struct of map[k]v (no checker type exists for it).
    pub(super) fn bucket_desc(&self, k: TypeId, v: TypeId, indirect_key: bool, indirect_elem: bool) -> (TypeDescId, u64) {
        let key = format!("map.bucket[{}]{}", self.link_string(k), self.link_string(v));
        let mut tys = self.tys.borrow_mut();
        let word = tys.intern(Ty::Ptr);
        let byte = tys.intern(Ty::Int { bits: 8, signed: false });
        drop(tys);
        let kt = if indirect_key { word } else { self.ir_ty(k) };
        let vt = if indirect_elem { word } else { self.ir_ty(v) };
        let mut tys = self.tys.borrow_mut();
        let tophash = tys.intern(Ty::Array { len: 8, elem: byte });
        let keys = tys.intern(Ty::Array { len: 8, elem: kt });
        let elems = tys.intern(Ty::Array { len: 8, elem: vt });
        // The overflow pointer is a uintptr when nothing else holds pointers (noscan buckets).
        let pointerful = tys.has_pointers(keys) || tys.has_pointers(elems);
        let overflow = if pointerful { word } else { tys.intern(Ty::Int { bits: 64, signed: false }) };
        let bucket = tys.intern(Ty::Struct(vec![tophash, keys, elems, overflow]));
        let size = tys.layout(bucket).size;
        drop(tys);
        let string = format!("map.bucket[{}]{}", self.gc_type_string(k), self.gc_type_string(v));
        let id = self.layout_desc(&key, bucket, kind::STRUCT, string, DescExtra::Struct { pkgpath: String::new(), fields: Vec::new() });
        (id, size)
    }

    /// The descriptor of `[]e` (for array descriptors).
    pub(super) fn slice_desc(&self, e: TypeId) -> TypeDescId {
        let key = format!("[]{}", self.link_string(e));
        if let Some(&id) = self.desc_ids.borrow().get(&key) {
            return id;
        }
        let elem = self.type_desc(e);
        let slice = self.tys.borrow_mut().intern(Ty::Slice);
        let string = format!("[]{}", self.gc_type_string(e));
        self.layout_desc(&key, slice, kind::SLICE, string, DescExtra::Slice { elem })
    }

    /// A descriptor made from an IR layout (for types the checker has no type for).
    fn layout_desc(&self, key: &str, ty: TyId, k: u8, string: String, extra: DescExtra) -> TypeDescId {
        if let Some(&id) = self.desc_ids.borrow().get(key) {
            return id;
        }
        let gcdata = self.pointer_bitmap_of(ty);
        let ptrdata = last_pointer_end(&gcdata);
        let (size, align) = {
            let tys = self.tys.borrow();
            (tys.layout(ty).size, tys.layout(ty).align)
        };
        let desc = TypeDesc {
            size,
            ptrdata,
            hash: 0,
            tflag: 0,
            align: align as u8,
            field_align: align as u8,
            kind: k,
            equal: None,
            gcdata: if ptrdata == 0 { Vec::new() } else { gcdata },
            string,
            ptr_to_this: None,
            extra,
            uncommon: None,
        };
        let mut descs = self.type_descs.borrow_mut();
        descs.descs.push(desc);
        let id = TypeDescId(descs.descs.len() as u32 - 1);
        self.desc_ids.borrow_mut().insert(key.to_string(), id);
        id
    }
}

/// The end of the last pointer word marked in a pointer bitmap (the ptrdata).
pub(super) fn last_pointer_end(bits: &[u8]) -> u64 {
    let mut end = 0;
    for (i, b) in bits.iter().enumerate() {
        for j in 0..8 {
            if b & (1 << j) != 0 {
                end = (i * 8 + j + 1) as u64 * 8;
            }
        }
    }
    end
}

/// gc's name of a basic type in type strings (byte and rune are uint8 and int32).
fn basic_name(k: BasicKind) -> &'static str {
    use BasicKind::*;
    match k {
        Uint8 => "uint8",
        Int32 => "int32",
        UntypedBool => "bool",
        UntypedInt => "int",
        UntypedRune => "int32",
        UntypedFloat => "float64",
        UntypedComplex => "complex128",
        UntypedString => "string",
        UnsafePointer => "unsafe.Pointer",
        k => k.name(),
    }
}

/// The symbol `pkg.(*T).M` of the pointer-receiver form of method symbol `pkg.T.M`.
pub(super) fn pointer_wrapper_name(symbol: &str) -> String {
    match symbol.rsplit_once('.') {
        Some((head, name)) => match head.rsplit_once('.') {
            Some((pkg, tname)) => format!("{pkg}.(*{tname}).{name}"),
            None => format!("{symbol}·ptr"),
        },
        None => format!("{symbol}·ptr"),
    }
}
