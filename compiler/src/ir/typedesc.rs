//! Runtime type descriptors as data: what lowering decides about each Go type that needs a
//! descriptor (gc 1.19's runtime._type and the kind-specific records that extend it), for
//! code generation to lay out in the `goclift.types` blob (docs/decisions.md 21).
//!
//! Everything here is already computed (sizes, pointer bitmaps, flags, type strings, the
//! functions for equality, hashing and methods, by linker symbol); code generation only
//! encodes it in gc's byte layout.

/// A descriptor, by index into [`TypeDescs::descs`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TypeDescId(pub u32);

/// All descriptors of a program.
#[derive(Debug, Default)]
pub struct TypeDescs {
    pub descs: Vec<TypeDesc>,
    /// The itabs built at compile time (listed in `goclift.itablinks` for the runtime).
    pub itabs: Vec<ItabDesc>,
}

/// A static itab, by index into [`TypeDescs::itabs`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct ItabId(pub u32);

/// An itab built at compile time (gc's itab): an interface type, a concrete type
/// implementing it, and the code of each interface method for it.
#[derive(Debug, Clone)]
pub struct ItabDesc {
    pub inter: TypeDescId,
    pub typ: TypeDescId,
    /// The concrete type's method for each interface method, in the interface's method
    /// order, by symbol (code taking the interface's data word as receiver).
    pub fun: Vec<String>,
}

/// One type descriptor.
#[derive(Debug, Clone)]
pub struct TypeDesc {
    pub size: u64,
    /// Bytes of the prefix that holds pointers (0 for pointer-free types).
    pub ptrdata: u64,
    pub hash: u32,
    /// gc's tflag bits (uncommon, named, regular memory).
    pub tflag: u8,
    pub align: u8,
    pub field_align: u8,
    /// gc's kind number with the direct-interface bit.
    pub kind: u8,
    /// The equality function `(p, q unsafe.Pointer) bool`, by symbol; None if incomparable.
    pub equal: Option<String>,
    /// One bit per pointer-sized word of the ptrdata prefix: set where a pointer is.
    pub gcdata: Vec<u8>,
    /// The type's string as reflect and panic messages show it ("main.T", "[]int").
    pub string: String,
    pub ptr_to_this: Option<TypeDescId>,
    pub extra: DescExtra,
    /// Package path and methods, for named types and types with methods.
    pub uncommon: Option<Uncommon>,
}

/// The kind-specific part of a descriptor.
#[derive(Debug, Clone)]
pub enum DescExtra {
    Basic,
    Ptr { elem: TypeDescId },
    Slice { elem: TypeDescId },
    Array { elem: TypeDescId, slice: TypeDescId, len: u64 },
    /// `dir`: 1 receive-only, 2 send-only, 3 both (reflect.ChanDir).
    Chan { elem: TypeDescId, dir: u64 },
    Map(MapDesc),
    Func { ins: Vec<TypeDescId>, outs: Vec<TypeDescId>, variadic: bool },
    Interface { pkgpath: String, methods: Vec<IMethodDesc> },
    Struct { pkgpath: String, fields: Vec<FieldDesc> },
}

/// gc's maptype fields beyond the header.
#[derive(Debug, Clone)]
pub struct MapDesc {
    pub key: TypeDescId,
    pub elem: TypeDescId,
    /// The bucket struct type.
    pub bucket: TypeDescId,
    /// The key hash function `(p unsafe.Pointer, seed uintptr) uintptr`, by symbol.
    pub hasher: String,
    pub keysize: u8,
    pub elemsize: u8,
    pub bucketsize: u16,
    pub flags: u32,
}

/// An interface method (gc's imethod).
#[derive(Debug, Clone)]
pub struct IMethodDesc {
    pub name: String,
    pub exported: bool,
    /// The method's func type (without receiver).
    pub typ: TypeDescId,
}

/// A struct field (gc's structfield).
#[derive(Debug, Clone)]
pub struct FieldDesc {
    pub name: String,
    pub exported: bool,
    pub embedded: bool,
    pub typ: TypeDescId,
    pub offset: u64,
    pub tag: String,
}

/// gc's uncommontype with its methods (sorted by name, exported first as gc sorts).
#[derive(Debug, Clone)]
pub struct Uncommon {
    pub pkgpath: String,
    pub methods: Vec<MethodDesc>,
}

/// A method of a concrete type (gc's method).
#[derive(Debug, Clone)]
pub struct MethodDesc {
    pub name: String,
    pub exported: bool,
    /// The method's func type without the receiver.
    pub mtyp: TypeDescId,
    /// Code for interface calls (the receiver is the interface's data word), by symbol.
    pub ifn: Option<String>,
    /// Code for direct calls on the type, by symbol.
    pub tfn: Option<String>,
}

/// gc's kind numbers.
pub mod kind {
    pub const BOOL: u8 = 1;
    pub const INT: u8 = 2;
    pub const INT8: u8 = 3;
    pub const INT16: u8 = 4;
    pub const INT32: u8 = 5;
    pub const INT64: u8 = 6;
    pub const UINT: u8 = 7;
    pub const UINT8: u8 = 8;
    pub const UINT16: u8 = 9;
    pub const UINT32: u8 = 10;
    pub const UINT64: u8 = 11;
    pub const UINTPTR: u8 = 12;
    pub const FLOAT32: u8 = 13;
    pub const FLOAT64: u8 = 14;
    pub const COMPLEX64: u8 = 15;
    pub const COMPLEX128: u8 = 16;
    pub const ARRAY: u8 = 17;
    pub const CHAN: u8 = 18;
    pub const FUNC: u8 = 19;
    pub const INTERFACE: u8 = 20;
    pub const MAP: u8 = 21;
    pub const PTR: u8 = 22;
    pub const SLICE: u8 = 23;
    pub const STRING: u8 = 24;
    pub const STRUCT: u8 = 25;
    pub const UNSAFE_POINTER: u8 = 26;
    /// The value is stored directly in an interface's data word.
    pub const DIRECT_IFACE: u8 = 1 << 5;
}

/// gc's tflag bits.
pub mod tflag {
    pub const UNCOMMON: u8 = 1 << 0;
    pub const EXTRA_STAR: u8 = 1 << 1;
    pub const NAMED: u8 = 1 << 2;
    pub const REGULAR_MEMORY: u8 = 1 << 3;
}

/// gc's maptype flags.
pub mod mapflag {
    pub const INDIRECT_KEY: u32 = 1;
    pub const INDIRECT_ELEM: u32 = 2;
    pub const REFLEXIVE_KEY: u32 = 4;
    pub const NEED_KEY_UPDATE: u32 = 8;
    pub const HASH_MIGHT_PANIC: u32 = 16;
}
