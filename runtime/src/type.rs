//! Type descriptors (Go's type.go): gc 1.19's runtime._type and the kind-specific descriptors
//! that extend it, the encoded names they point at, and the resolution of the 32-bit offsets
//! (nameOff, typeOff, textOff) inside them.
//!
//! The layouts are gc's (and reflect.rtype's), so that GOROOT's reflect can read descriptors;
//! the offsets are part of the runtime ABI and tested in type_test.rs. The allocator reads `size`
//! and `ptrdata` (zero means the type holds no pointers, so its objects go to noscan spans);
//! `gcdata` is for the collector; maps, interfaces and the hash/equality functions read the rest.
//!
//! **Where offsets point** (docs/decisions.md, "Type descriptors in one blob"): the compiler
//! emits every type descriptor and every encoded name of a program into one read-only data
//! object, the symbol `goclift.types`. A nameOff or typeOff is a byte offset from the start of
//! that object (0 means none; a typeOff of -1 means unreachable, as in gc). A textOff is the
//! byte offset, in the same object, of a pointer-sized word holding the method's code address
//! (the compiler writes it with an absolute relocation), or -1 for a method no one calls. The
//! runtime reaches the object through a weak reference, so that executables without
//! descriptors (the C test programs) still link; using an offset then throws.

/// Kind numbers (gc's kindBool ... kindUnsafePointer), in `Type::kind & KIND_MASK`.
pub const KIND_BOOL: u8 = 1;
pub const KIND_INT: u8 = 2;
pub const KIND_INT8: u8 = 3;
pub const KIND_INT16: u8 = 4;
pub const KIND_INT32: u8 = 5;
pub const KIND_INT64: u8 = 6;
pub const KIND_UINT: u8 = 7;
pub const KIND_UINT8: u8 = 8;
pub const KIND_UINT16: u8 = 9;
pub const KIND_UINT32: u8 = 10;
pub const KIND_UINT64: u8 = 11;
pub const KIND_UINTPTR: u8 = 12;
pub const KIND_FLOAT32: u8 = 13;
pub const KIND_FLOAT64: u8 = 14;
pub const KIND_COMPLEX64: u8 = 15;
pub const KIND_COMPLEX128: u8 = 16;
pub const KIND_ARRAY: u8 = 17;
pub const KIND_CHAN: u8 = 18;
pub const KIND_FUNC: u8 = 19;
pub const KIND_INTERFACE: u8 = 20;
pub const KIND_MAP: u8 = 21;
pub const KIND_PTR: u8 = 22;
pub const KIND_SLICE: u8 = 23;
pub const KIND_STRING: u8 = 24;
pub const KIND_STRUCT: u8 = 25;
pub const KIND_UNSAFE_POINTER: u8 = 26;

/// Kind bit: the type is stored directly in an interface word (gc's kindDirectIface).
pub const KIND_DIRECT_IFACE: u8 = 1 << 5;
/// Kind bit: `gcdata` is a GC program rather than a pointer bitmap (gc's kindGCProg).
pub const KIND_GC_PROG: u8 = 1 << 6;
/// Mask of the kind number in `kind` (gc's kindMask).
pub const KIND_MASK: u8 = (1 << 5) - 1;

/// tflag: an UncommonType follows the kind-specific descriptor (gc's tflagUncommon).
pub const TFLAG_UNCOMMON: u8 = 1 << 0;
/// tflag: the name at `str_` has a leading '*' that is not part of the type string (gc's
/// tflagExtraStar; lets T and *T share one name).
pub const TFLAG_EXTRA_STAR: u8 = 1 << 1;
/// tflag: the type has a name (gc's tflagNamed).
pub const TFLAG_NAMED: u8 = 1 << 2;
/// tflag: equal and hash may treat a value as `size` bytes of memory (gc's
/// tflagRegularMemory).
pub const TFLAG_REGULAR_MEMORY: u8 = 1 << 3;

/// Byte offset of a name in `goclift.types` (gc's nameOff); 0 is "no name".
pub type NameOff = i32;
/// Byte offset of a type descriptor in `goclift.types` (gc's typeOff); 0 and -1 are "none".
pub type TypeOff = i32;
/// Byte offset in `goclift.types` of a word holding a code address (see the module doc);
/// -1 is "unreachable".
pub type TextOff = i32;

/// An equality function of a descriptor: `(a, b) -> *a == *b` (gc's _type.equal), C ABI; in
/// compiled descriptors a Go func value standing in its place (call it with `call_equal`).
pub type EqualFn = unsafe extern "C" fn(*const u8, *const u8) -> bool;
/// A hash function of a map descriptor: `(p, seed) -> hash` (gc's maptype.hasher), C ABI; in
/// compiled descriptors a Go func value standing in its place (call it with `call_hasher`).
pub type HashFn = unsafe extern "C" fn(*const u8, usize) -> usize;

/// gc 1.19's runtime._type.
#[repr(C)]
#[derive(Debug)]
pub struct Type {
    /// Size of a value in bytes.
    pub size: usize,
    /// Length of the prefix of a value that holds all its pointers; 0 for pointer-free types.
    pub ptrdata: usize,
    /// Hash of the type, for maps and type switches.
    pub hash: u32,
    /// Extra type information flags (gc's tflag, the TFLAG_* bits).
    pub tflag: u8,
    /// Alignment of a variable of the type.
    pub align: u8,
    /// Alignment of a struct field of the type.
    pub field_align: u8,
    /// Kind number and the KIND_* bits.
    pub kind: u8,
    /// Equality function, (a, b) -> a == b; null if the type is not comparable.
    pub equal: Option<EqualFn>,
    /// Pointer bitmap (one bit per word of the ptrdata prefix) or GC program.
    pub gcdata: *const u8,
    /// The type's string (see `string`) as a nameOff.
    pub str_: NameOff,
    /// Offset of the descriptor of *T, or 0 (gc's typeOff).
    pub ptr_to_this: TypeOff,
}

/// Byte offset of `size`.
pub const TYPE_SIZE_OFFSET: usize = 0;
/// Byte offset of `ptrdata`.
pub const TYPE_PTRDATA_OFFSET: usize = 8;
/// Byte offset of `hash`.
pub const TYPE_HASH_OFFSET: usize = 16;
/// Byte offset of `kind`.
pub const TYPE_KIND_OFFSET: usize = 23;
/// Byte offset of `equal`.
pub const TYPE_EQUAL_OFFSET: usize = 24;
/// Byte offset of `gcdata`.
pub const TYPE_GCDATA_OFFSET: usize = 32;
/// Size of the descriptor header (before kind-specific fields).
pub const TYPE_HEADER_SIZE: usize = 48;

impl Type {
    /// Whether values of the type hold no pointers: such objects go to noscan spans.
    pub fn noscan(&self) -> bool {
        self.ptrdata == 0
    }

    /// The kind number (KIND_BOOL ...).
    pub fn kind(&self) -> u8 {
        self.kind & KIND_MASK
    }

    /// Whether an interface holds a value of this type in its data word itself rather than
    /// a pointer to it (gc's isDirectIface).
    pub fn is_direct_iface(&self) -> bool {
        self.kind & KIND_DIRECT_IFACE != 0
    }

    /// The type's string as gc prints it in messages ("main.T", "[]int", "interface {}").
    pub fn string(&self) -> &'static [u8] {
        let s = resolve_name_off(self.str_).name();
        if self.tflag & TFLAG_EXTRA_STAR != 0 && !s.is_empty() {
            &s[1..]
        } else {
            s
        }
    }

    /// The methods-and-package record after the kind-specific descriptor, if the type has
    /// one (gc's uncommon).
    pub fn uncommon(&self) -> Option<&'static UncommonType> {
        if self.tflag & TFLAG_UNCOMMON == 0 {
            return None;
        }
        let off = kind_descriptor_size(self.kind());
        // SAFETY: tflagUncommon promises an UncommonType right after the kind's descriptor,
        // which is 8-aligned like every descriptor (descriptors live as long as the program).
        Some(unsafe { &*((self as *const Type as *const u8).add(off) as *const UncommonType) })
    }

    /// The unqualified name of a named type ("T" for main.T), else empty (gc's name).
    pub fn name(&self) -> &'static [u8] {
        if self.tflag & TFLAG_NAMED == 0 {
            return b"";
        }
        let s = self.string();
        let mut i = s.len();
        let mut brackets = 0i32;
        while i > 0 && (s[i - 1] != b'.' || brackets != 0) {
            match s[i - 1] {
                b']' => brackets += 1,
                b'[' => brackets -= 1,
                _ => {}
            }
            i -= 1;
        }
        &s[i..]
    }

    /// The path of the package that defined the type, also for unnamed struct and interface
    /// types (gc's pkgpath).
    pub fn pkgpath(&self) -> &'static [u8] {
        if let Some(u) = self.uncommon() {
            return resolve_name_off(u.pkgpath).name();
        }
        match self.kind() {
            // SAFETY: the kind says which descriptor this header starts.
            KIND_STRUCT => unsafe {
                (*(self as *const Type as *const StructType))
                    .pkg_path
                    .name()
            },
            KIND_INTERFACE => unsafe {
                (*(self as *const Type as *const InterfaceType))
                    .pkgpath
                    .name()
            },
            _ => b"",
        }
    }
}

/// Size of the kind-specific descriptor that starts with a Type header, which is where an
/// UncommonType follows (gc's uncommon switch).
pub fn kind_descriptor_size(kind: u8) -> usize {
    use core::mem::size_of;
    match kind {
        KIND_STRUCT => size_of::<StructType>(),
        KIND_PTR => size_of::<PtrType>(),
        KIND_FUNC => size_of::<FuncType>(),
        KIND_SLICE => size_of::<SliceType>(),
        KIND_ARRAY => size_of::<ArrayType>(),
        KIND_CHAN => size_of::<ChanType>(),
        KIND_MAP => size_of::<MapType>(),
        KIND_INTERFACE => size_of::<InterfaceType>(),
        _ => size_of::<Type>(),
    }
}

/// A Go slice header inside a descriptor (`[]imethod`, `[]structfield`).
#[repr(C)]
#[derive(Debug)]
pub struct SliceHeader<T> {
    /// First element.
    pub ptr: *const T,
    /// Number of elements.
    pub len: isize,
    /// Capacity (unused by the runtime).
    pub cap: isize,
}

impl<T> SliceHeader<T> {
    /// The elements.
    pub fn as_slice(&self) -> &[T] {
        if self.len <= 0 {
            return &[];
        }
        // SAFETY: descriptors are emitted with valid slices of `len` elements.
        unsafe { core::slice::from_raw_parts(self.ptr, self.len as usize) }
    }
}

/// A method of a concrete type (gc's method): sorted by name in the uncommon record.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct Method {
    /// Name of the method.
    pub name: NameOff,
    /// Its function type without the receiver (a FuncType).
    pub mtyp: TypeOff,
    /// Code used in interface calls (the receiver is the interface's data word).
    pub ifn: TextOff,
    /// Code used in method calls on the type itself (method expressions).
    pub tfn: TextOff,
}

/// Package path and methods of a named type or a type with methods (gc's uncommontype).
#[repr(C)]
#[derive(Debug)]
pub struct UncommonType {
    /// The defining package's path.
    pub pkgpath: NameOff,
    /// Number of methods.
    pub mcount: u16,
    /// Number of exported methods (they come first).
    pub xcount: u16,
    /// Byte offset from this record to its [mcount]Method.
    pub moff: u32,
    _unused: u32,
}

impl UncommonType {
    /// A record (for descriptors built at run time and in tests).
    pub const fn new(pkgpath: NameOff, mcount: u16, xcount: u16, moff: u32) -> UncommonType {
        UncommonType {
            pkgpath,
            mcount,
            xcount,
            moff,
            _unused: 0,
        }
    }

    /// The methods, sorted by name.
    pub fn methods(&self) -> &'static [Method] {
        // SAFETY: the compiler places mcount methods moff bytes after the record.
        unsafe {
            let p = (self as *const UncommonType as *const u8).add(self.moff as usize);
            core::slice::from_raw_parts(p as *const Method, self.mcount as usize)
        }
    }
}

/// A method of an interface type (gc's imethod).
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct IMethod {
    /// Name of the method.
    pub name: NameOff,
    /// Its function type (a FuncType).
    pub ityp: TypeOff,
}

/// An interface type (gc's interfacetype). `mhdr` is sorted by name (gc's order: by name,
/// then by package path for unexported names).
#[repr(C)]
#[derive(Debug)]
pub struct InterfaceType {
    pub typ: Type,
    /// Package of the interface type, for unexported method names.
    pub pkgpath: Name,
    /// The methods.
    pub mhdr: SliceHeader<IMethod>,
}

/// maptype.flags: keys are stored as pointers to heap copies (key size > 128).
pub const MAP_INDIRECT_KEY: u32 = 1;
/// maptype.flags: elems are stored as pointers to heap copies (elem size > 128).
pub const MAP_INDIRECT_ELEM: u32 = 2;
/// maptype.flags: k == k for every key (no floats or interfaces in the key).
pub const MAP_REFLEXIVE_KEY: u32 = 4;
/// maptype.flags: overwriting an entry must also store the new key (equal keys may differ
/// in bits: +0/-0, strings with different backing arrays).
pub const MAP_NEED_KEY_UPDATE: u32 = 8;
/// maptype.flags: the hash function may panic (interface keys).
pub const MAP_HASH_MIGHT_PANIC: u32 = 16;

/// A map type (gc's maptype).
#[repr(C)]
#[derive(Debug)]
pub struct MapType {
    pub typ: Type,
    /// Key type.
    pub key: *const Type,
    /// Element type.
    pub elem: *const Type,
    /// The compiler's bucket type: tophash [8]uint8, keys [8]K, elems [8]E, overflow *bucket
    /// (a uintptr when neither keys nor elems hold pointers, so buckets are noscan).
    pub bucket: *const Type,
    /// Hash function for keys, `(p, seed) -> hash`, C ABI.
    pub hasher: HashFn,
    /// Size of a key slot (a pointer for indirect keys).
    pub keysize: u8,
    /// Size of an element slot (a pointer for indirect elements).
    pub elemsize: u8,
    /// Size of a bucket.
    pub bucketsize: u16,
    /// MAP_* flags.
    pub flags: u32,
}

impl MapType {
    /// Keys are stored indirectly.
    pub fn indirect_key(&self) -> bool {
        self.flags & MAP_INDIRECT_KEY != 0
    }
    /// Elements are stored indirectly.
    pub fn indirect_elem(&self) -> bool {
        self.flags & MAP_INDIRECT_ELEM != 0
    }
    /// Every key equals itself.
    pub fn reflexive_key(&self) -> bool {
        self.flags & MAP_REFLEXIVE_KEY != 0
    }
    /// Overwrites must store the key too.
    pub fn need_key_update(&self) -> bool {
        self.flags & MAP_NEED_KEY_UPDATE != 0
    }
    /// The hash function may panic.
    pub fn hash_might_panic(&self) -> bool {
        self.flags & MAP_HASH_MIGHT_PANIC != 0
    }
}

/// An array type (gc's arraytype).
#[repr(C)]
#[derive(Debug)]
pub struct ArrayType {
    pub typ: Type,
    /// Element type.
    pub elem: *const Type,
    /// The slice type []elem.
    pub slice: *const Type,
    /// Length.
    pub len: usize,
}

/// A channel type (gc's chantype).
#[repr(C)]
#[derive(Debug)]
pub struct ChanType {
    pub typ: Type,
    /// Element type.
    pub elem: *const Type,
    /// Direction: 1 receive, 2 send, 3 both (reflect.ChanDir).
    pub dir: usize,
}

/// A slice type (gc's slicetype).
#[repr(C)]
#[derive(Debug)]
pub struct SliceType {
    pub typ: Type,
    /// Element type.
    pub elem: *const Type,
}

/// A function type (gc's functype), followed (after the UncommonType, if any) by inCount +
/// outCount parameter type pointers. The top bit of `out_count` marks a variadic function.
#[repr(C)]
#[derive(Debug)]
pub struct FuncType {
    pub typ: Type,
    /// Number of parameters.
    pub in_count: u16,
    /// Number of results, | 1<<15 if variadic.
    pub out_count: u16,
}

impl FuncType {
    /// Parameter and result types, in that order (gc's in() ++ out()).
    fn params_and_results(&self) -> &'static [*const Type] {
        let mut off = core::mem::size_of::<FuncType>();
        if self.typ.tflag & TFLAG_UNCOMMON != 0 {
            off += core::mem::size_of::<UncommonType>();
        }
        let n = self.in_count as usize + (self.out_count & 0x7fff) as usize;
        // SAFETY: the compiler places the type pointers right after the descriptor.
        unsafe {
            let p = (self as *const FuncType as *const u8).add(off) as *const *const Type;
            core::slice::from_raw_parts(p, n)
        }
    }

    /// Parameter types (gc's in).
    pub fn ins(&self) -> &'static [*const Type] {
        &self.params_and_results()[..self.in_count as usize]
    }

    /// Result types (gc's out).
    pub fn outs(&self) -> &'static [*const Type] {
        &self.params_and_results()[self.in_count as usize..]
    }

    /// Whether the last parameter is variadic (gc's dotdotdot).
    pub fn is_variadic(&self) -> bool {
        self.out_count & (1 << 15) != 0
    }
}

/// A pointer type (gc's ptrtype).
#[repr(C)]
#[derive(Debug)]
pub struct PtrType {
    pub typ: Type,
    /// Pointed-to type.
    pub elem: *const Type,
}

/// A field of a struct type (gc's structfield).
#[repr(C)]
#[derive(Debug)]
pub struct StructField {
    /// Name (with tag; flagged embedded for embedded fields).
    pub name: Name,
    /// Field type.
    pub typ: *const Type,
    /// Byte offset in the struct.
    pub offset: usize,
}

/// A struct type (gc's structtype).
#[repr(C)]
#[derive(Debug)]
pub struct StructType {
    pub typ: Type,
    /// Package of the struct type, for unexported field names.
    pub pkg_path: Name,
    /// The fields, in declaration order.
    pub fields: SliceHeader<StructField>,
}

/// An encoded name (gc's name): a flags byte (NAME_* bits), the name's length as a varint,
/// its bytes, then optionally a tag (varint length, bytes), then optionally the 4-byte
/// nameOff of a package path. A null pointer is the empty name.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Name {
    /// The flags byte.
    pub bytes: *const u8,
}

/// Name flag: exported.
pub const NAME_EXPORTED: u8 = 1 << 0;
/// Name flag: a tag follows the name.
pub const NAME_HAS_TAG: u8 = 1 << 1;
/// Name flag: a package path nameOff follows the name and tag.
pub const NAME_HAS_PKG_PATH: u8 = 1 << 2;
/// Name flag: the name of an embedded field.
pub const NAME_EMBEDDED: u8 = 1 << 3;

impl Name {
    /// The empty name.
    pub const fn null() -> Name {
        Name {
            bytes: core::ptr::null(),
        }
    }

    fn byte(&self, off: usize) -> u8 {
        // SAFETY: names are well-formed and live as long as the program.
        unsafe { *self.bytes.add(off) }
    }

    /// The flags byte (0 for the empty name).
    fn flags(&self) -> u8 {
        if self.bytes.is_null() {
            0
        } else {
            self.byte(0)
        }
    }

    /// Exported (gc's isExported).
    pub fn is_exported(&self) -> bool {
        self.flags() & NAME_EXPORTED != 0
    }

    /// Name of an embedded field (gc's isEmbedded).
    pub fn is_embedded(&self) -> bool {
        self.flags() & NAME_EMBEDDED != 0
    }

    /// Reads a varint at `off`: (bytes used, value) (gc's readvarint).
    fn read_varint(&self, off: usize) -> (usize, usize) {
        let mut v = 0usize;
        let mut i = 0;
        loop {
            let x = self.byte(off + i);
            v += ((x & 0x7f) as usize) << (7 * i);
            if x & 0x80 == 0 {
                return (i + 1, v);
            }
            i += 1;
        }
    }

    /// The bytes of `len` at `off`.
    fn bytes_at(&self, off: usize, len: usize) -> &'static [u8] {
        // SAFETY: a well-formed name holds `len` bytes there.
        unsafe { core::slice::from_raw_parts(self.bytes.add(off), len) }
    }

    /// The name itself (gc's name).
    pub fn name(&self) -> &'static [u8] {
        if self.bytes.is_null() {
            return b"";
        }
        let (i, l) = self.read_varint(1);
        self.bytes_at(1 + i, l)
    }

    /// The field tag, or empty (gc's tag).
    pub fn tag(&self) -> &'static [u8] {
        if self.flags() & NAME_HAS_TAG == 0 {
            return b"";
        }
        let (i, l) = self.read_varint(1);
        let (i2, l2) = self.read_varint(1 + i + l);
        self.bytes_at(1 + i + l + i2, l2)
    }

    /// The package path stored with the name (methods and fields defined in another package
    /// than their type), or empty (gc's pkgPath).
    pub fn pkg_path(&self) -> &'static [u8] {
        if self.flags() & NAME_HAS_PKG_PATH == 0 {
            return b"";
        }
        let (i, l) = self.read_varint(1);
        let mut off = 1 + i + l;
        if self.flags() & NAME_HAS_TAG != 0 {
            let (i2, l2) = self.read_varint(off);
            off += i2 + l2;
        }
        let b = self.bytes_at(off, 4);
        resolve_name_off(i32::from_le_bytes([b[0], b[1], b[2], b[3]])).name()
    }

    /// Whether the name is "_" (gc's isBlank).
    pub fn is_blank(&self) -> bool {
        self.name() == b"_"
    }
}

// The weak references to the compiler's descriptor blob. A weak undefined symbol resolves to
// 0 when the program has no blob (the runtime's C test programs), instead of failing the link.
core::arch::global_asm!(
    ".pushsection .data.rel.ro.goclift_types_ref,\"aw\"",
    ".balign 8",
    ".globl goclift_types_ref",
    ".hidden goclift_types_ref",
    "goclift_types_ref:",
    ".8byte goclift.types",
    ".popsection",
);

// Weak only outside unit tests: the tests define the symbol (type_test.rs), and an assembler
// may see the definition and a `.weak` in one module, which it rejects.
#[cfg(not(test))]
core::arch::global_asm!(".weak goclift.types");

extern "C" {
    /// The address of `goclift.types`, or null.
    static goclift_types_ref: *const u8;
}

/// The start of the descriptor blob `goclift.types`; throws if the program has none.
pub fn types_base() -> *const u8 {
    // SAFETY: a word written by the linker, never modified.
    let base = unsafe { goclift_types_ref };
    if base.is_null() {
        crate::panic::throw("runtime: no type descriptors (goclift.types is not defined)");
    }
    base
}

/// `runtime.typesBase() unsafe.Pointer`: the start of the descriptor blob, or nil if the
/// program has none (go/runtime/reflect.go reads the typelinks table from it).
#[unsafe(export_name = "runtime.typesBase")]
extern "C" fn runtime_types_base() -> *const u8 {
    // SAFETY: a word written by the linker, never modified.
    unsafe { goclift_types_ref }
}

/// The name at `off` in the descriptor blob (gc's resolveNameOff); 0 is the empty name.
pub fn resolve_name_off(off: NameOff) -> Name {
    if off == 0 {
        return Name::null();
    }
    // SAFETY: the compiler emits offsets inside the blob.
    Name {
        bytes: unsafe { types_base().offset(off as isize) },
    }
}

/// The descriptor at `off` in the blob (gc's resolveTypeOff); null for 0 and -1.
pub fn resolve_type_off(off: TypeOff) -> *const Type {
    if off == 0 || off == -1 {
        return core::ptr::null();
    }
    // SAFETY: the compiler emits offsets inside the blob.
    unsafe { types_base().offset(off as isize) as *const Type }
}

/// The code address for a method's textOff (gc's textOff): the word at `off` in the blob,
/// or `unreachable_method` for -1.
pub fn resolve_text_off(off: TextOff) -> *const u8 {
    if off == -1 {
        return unreachable_method as *const u8;
    }
    // SAFETY: the compiler emits a pointer-sized word at `off` (alignment not relied on).
    unsafe { (types_base().offset(off as isize) as *const *const u8).read_unaligned() }
}

/// Stands in for methods that the compiler found unreachable (gc's unreachableMethod).
extern "C" fn unreachable_method() {
    crate::panic::throw("unreachable method called. linker bug?")
}

#[cfg(test)]
#[path = "type_test.rs"]
pub mod tests;

// ---------------------------------------------------------------------------------------------
// The offset resolvers of reflect and internal/reflectlite (bodyless there; gc's runtime
// provides them by //go:linkname in runtime1.go). Leaf functions: no goroutine needed.

/// `internal/reflectlite.resolveNameOff(ptrInModule unsafe.Pointer, off int32) unsafe.Pointer`.
#[unsafe(export_name = "internal/reflectlite.resolveNameOff")]
extern "C" fn reflectlite_resolve_name_off(_ptr_in_module: *const u8, off: i32) -> *const u8 {
    resolve_name_off(off).bytes
}

/// `internal/reflectlite.resolveTypeOff(rtype unsafe.Pointer, off int32) unsafe.Pointer`.
#[unsafe(export_name = "internal/reflectlite.resolveTypeOff")]
extern "C" fn reflectlite_resolve_type_off(_rtype: *const u8, off: i32) -> *const Type {
    resolve_type_off(off)
}

/// `runtime.resolveNameOff(off int32) unsafe.Pointer`: go/runtime/reflect.go's
/// `reflect.resolveNameOff` handles reflect's run-time ids and calls this for the rest.
#[unsafe(export_name = "runtime.resolveNameOff")]
extern "C" fn runtime_resolve_name_off(off: i32) -> *const u8 {
    resolve_name_off(off).bytes
}

/// `runtime.resolveTypeOff(off int32) unsafe.Pointer`: go/runtime/reflect.go's
/// `reflect.resolveTypeOff` handles reflect's run-time ids and calls this for the rest.
#[unsafe(export_name = "runtime.resolveTypeOff")]
extern "C" fn runtime_resolve_type_off(off: i32) -> *const Type {
    resolve_type_off(off)
}

/// `runtime.resolveTextOff(off int32) unsafe.Pointer`: go/runtime/reflect.go's
/// `reflect.resolveTextOff` handles reflect's run-time ids and calls this for the rest.
#[unsafe(export_name = "runtime.resolveTextOff")]
extern "C" fn runtime_resolve_text_off(off: i32) -> *const u8 {
    resolve_text_off(off)
}
