//! Go types, stored in the [`World`](super::World)'s type arena and referred to by [`TypeId`].
//!
//! The kinds mirror types2's: basic types, pointers, slices, arrays, maps, channels,
//! structs, tuples, signatures, interfaces, unions, named (defined) types and type
//! parameters. Composite types whose structure is given by component ids alone (pointer,
//! slice, array, map, chan) are hash-consed, so identical ones usually share an id; the
//! others are created fresh, and identity is decided structurally (see `predicates`).

use super::object::ObjId;
use super::scope::ScopeId;
use crate::syntax::pos::{FileId, Pos};

/// A type, by index into the world's type arena. `TypeId::INVALID` is types2's
/// `Typ[Invalid]` (also the default).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct TypeId(pub u32);

impl TypeId {
    /// The invalid type (reported errors leave it behind).
    pub const INVALID: TypeId = TypeId(0);

    /// The arena index.
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

/// The predeclared basic types and the untyped constant kinds, in types2's order (the
/// order of the untyped kinds matters: an untyped operand converts to a "larger" kind).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum BasicKind {
    Invalid,
    Bool,
    Int,
    Int8,
    Int16,
    Int32,
    Int64,
    Uint,
    Uint8,
    Uint16,
    Uint32,
    Uint64,
    Uintptr,
    Float32,
    Float64,
    Complex64,
    Complex128,
    String,
    UnsafePointer,
    UntypedBool,
    UntypedInt,
    UntypedRune,
    UntypedFloat,
    UntypedComplex,
    UntypedString,
    UntypedNil,
}

/// Property bits of basic kinds (types2's BasicInfo).
pub mod info {
    pub const BOOLEAN: u8 = 1;
    pub const INTEGER: u8 = 2;
    pub const UNSIGNED: u8 = 4;
    pub const FLOAT: u8 = 8;
    pub const COMPLEX: u8 = 16;
    pub const STRING: u8 = 32;
    pub const UNTYPED: u8 = 64;
    pub const ORDERED: u8 = INTEGER | FLOAT | STRING;
    pub const NUMERIC: u8 = INTEGER | FLOAT | COMPLEX;
    pub const CONST_TYPE: u8 = BOOLEAN | NUMERIC | STRING;
}

/// All basic kinds in declaration order: the first type ids of every world.
pub const BASIC_KINDS: [BasicKind; 26] = {
    use BasicKind::*;
    [
        Invalid,
        Bool,
        Int,
        Int8,
        Int16,
        Int32,
        Int64,
        Uint,
        Uint8,
        Uint16,
        Uint32,
        Uint64,
        Uintptr,
        Float32,
        Float64,
        Complex64,
        Complex128,
        String,
        UnsafePointer,
        UntypedBool,
        UntypedInt,
        UntypedRune,
        UntypedFloat,
        UntypedComplex,
        UntypedString,
        UntypedNil,
    ]
};

/// Type id of the `byte` alias (a distinct basic type printed as "byte", identical to uint8).
pub const BYTE: TypeId = TypeId(26);
/// Type id of the `rune` alias.
pub const RUNE: TypeId = TypeId(27);

impl BasicKind {
    /// The type id of this basic kind.
    pub fn id(self) -> TypeId {
        TypeId(self as u32)
    }

    /// The name as types2 prints it (`untyped int`, `uint8`, `invalid type`).
    pub fn name(self) -> &'static str {
        use BasicKind::*;
        match self {
            Invalid => "invalid type",
            Bool => "bool",
            Int => "int",
            Int8 => "int8",
            Int16 => "int16",
            Int32 => "int32",
            Int64 => "int64",
            Uint => "uint",
            Uint8 => "uint8",
            Uint16 => "uint16",
            Uint32 => "uint32",
            Uint64 => "uint64",
            Uintptr => "uintptr",
            Float32 => "float32",
            Float64 => "float64",
            Complex64 => "complex64",
            Complex128 => "complex128",
            String => "string",
            UnsafePointer => "Pointer",
            UntypedBool => "untyped bool",
            UntypedInt => "untyped int",
            UntypedRune => "untyped rune",
            UntypedFloat => "untyped float",
            UntypedComplex => "untyped complex",
            UntypedString => "untyped string",
            UntypedNil => "untyped nil",
        }
    }

    /// The kind's property bits.
    pub fn info(self) -> u8 {
        use info::*;
        use BasicKind::*;
        match self {
            Invalid | UnsafePointer => 0,
            Bool => BOOLEAN,
            Int | Int8 | Int16 | Int32 | Int64 => INTEGER,
            Uint | Uint8 | Uint16 | Uint32 | Uint64 | Uintptr => INTEGER | UNSIGNED,
            Float32 | Float64 => FLOAT,
            Complex64 | Complex128 => COMPLEX,
            String => STRING,
            UntypedBool => BOOLEAN | UNTYPED,
            UntypedInt | UntypedRune => INTEGER | UNTYPED,
            UntypedFloat => FLOAT | UNTYPED,
            UntypedComplex => COMPLEX | UNTYPED,
            UntypedString => STRING | UNTYPED,
            UntypedNil => UNTYPED,
        }
    }

    /// Whether this is the type of an untyped constant (or nil).
    pub fn is_untyped(self) -> bool {
        self.info() & info::UNTYPED != 0
    }

    /// Whether values of this kind are integers (typed or untyped).
    pub fn is_integer(self) -> bool {
        self.info() & info::INTEGER != 0
    }

    /// Whether this is an unsigned integer kind.
    pub fn is_unsigned(self) -> bool {
        self.info() & info::UNSIGNED != 0
    }

    /// Whether values of this kind are floats (typed or untyped).
    pub fn is_float(self) -> bool {
        self.info() & info::FLOAT != 0
    }

    /// Whether values of this kind are complex numbers (typed or untyped).
    pub fn is_complex(self) -> bool {
        self.info() & info::COMPLEX != 0
    }

    /// Whether values of this kind are numeric.
    pub fn is_numeric(self) -> bool {
        self.info() & info::NUMERIC != 0
    }

    /// The default kind of an untyped kind (spec: "Constants"); the kind itself otherwise.
    pub fn default_kind(self) -> BasicKind {
        use BasicKind::*;
        match self {
            UntypedBool => Bool,
            UntypedInt => Int,
            UntypedRune => Int32,
            UntypedFloat => Float64,
            UntypedComplex => Complex128,
            UntypedString => String,
            k => k,
        }
    }

    /// Size in bytes on goclift's (64-bit) targets, as gc lays values out.
    pub fn size(self) -> u64 {
        use BasicKind::*;
        match self {
            Bool | Int8 | Uint8 | Invalid => 1,
            Int16 | Uint16 => 2,
            Int32 | Uint32 | Float32 => 4,
            Int | Int64 | Uint | Uint64 | Uintptr | Float64 | Complex64 | UnsafePointer => 8,
            Complex128 | String => 16,
            _ => 8,
        }
    }

    /// Width in bits of an integer kind.
    pub fn int_bits(self) -> u32 {
        (self.size() * 8) as u32
    }
}

/// A channel's direction.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ChanDir {
    Both,
    Send,
    Recv,
}

/// One type-set term: `T`, `~T`, or (with `ty` None) the set of all types.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Term {
    pub tilde: bool,
    pub ty: Option<TypeId>,
}

/// A struct type: its fields are `Var` objects (with `is_field` set) in declaration order.
#[derive(Clone, Debug, Default)]
pub struct StructType {
    pub fields: Vec<ObjId>,
    /// Tags by field index; empty if no field has a tag.
    pub tags: Vec<Box<str>>,
    /// Set once the fields are known (a struct under construction is incomplete).
    pub complete: bool,
}

impl StructType {
    /// The tag of field `i` ("" if none).
    pub fn tag(&self, i: usize) -> &str {
        self.tags.get(i).map_or("", |t| t)
    }
}

/// A function or method signature.
#[derive(Clone, Debug)]
pub struct Signature {
    /// The receiver of a method (a `Var`), None for functions.
    pub recv: Option<ObjId>,
    /// The receiver type parameters of a method of a generic type.
    pub rparams: Vec<TypeId>,
    /// The type parameters of a generic function.
    pub tparams: Vec<TypeId>,
    /// A `Tuple` type of the parameters.
    pub params: TypeId,
    /// A `Tuple` type of the results.
    pub results: TypeId,
    /// Whether the last parameter is `...T` (its type is then `[]T`).
    pub variadic: bool,
    /// The scope of the parameters (None for signatures made by substitution).
    pub scope: Option<ScopeId>,
}

/// An interface type.
#[derive(Clone, Debug, Default)]
pub struct InterfaceType {
    /// The explicitly declared methods (`Func` objects), sorted by unique name.
    pub methods: Vec<ObjId>,
    /// The embedded elements (interfaces, unions, other types).
    pub embeddeds: Vec<TypeId>,
    /// Where each embedded element appears (for error messages).
    pub embed_pos: Vec<(FileId, Pos)>,
    /// An interface written implicitly as a constraint `[T ~int]`.
    pub implicit: bool,
    /// Set once methods and embeddeds are filled in.
    pub complete: bool,
    /// The computed type set (see `typeset`).
    pub tset: Option<TypeSetId>,
}

/// Index of a computed type set in the world.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct TypeSetId(pub u32);

/// The type set of an interface: its methods (sorted by unique name), its terms, and
/// whether it is restricted to comparable types. An empty `terms` list is the empty set;
/// a list containing a term with `ty` None is the set of all types.
#[derive(Clone, Debug, Default)]
pub struct TypeSet {
    pub methods: Vec<ObjId>,
    pub terms: Vec<Term>,
    pub comparable: bool,
}

impl TypeSet {
    /// Whether the set contains all types (restricted by methods only).
    pub fn all_terms(&self) -> bool {
        self.terms.iter().any(|t| t.ty.is_none())
    }

    /// Whether the set is empty.
    pub fn is_empty(&self) -> bool {
        self.terms.is_empty()
    }

    /// Whether the interface is a plain method set (usable as an ordinary type).
    pub fn is_method_set(&self) -> bool {
        !self.comparable && self.all_terms()
    }

    /// Whether the set has specific type terms.
    pub fn has_terms(&self) -> bool {
        !self.is_empty() && !self.all_terms()
    }
}

/// A defined type (or an instance of a generic one).
#[derive(Clone, Debug)]
pub struct NamedType {
    /// The type's `TypeName` object (for instances, the origin's).
    pub obj: ObjId,
    /// The generic type this is an instance of (the type itself if not an instance).
    pub orig: TypeId,
    /// The type arguments of an instance.
    pub targs: Vec<TypeId>,
    /// The type parameters of a generic type (instances share their origin's).
    pub tparams: Vec<TypeId>,
    /// The underlying type; during setup possibly another Named, and for instances not yet
    /// expanded, INVALID with `expanded` false.
    pub underlying: TypeId,
    /// The type on the right-hand side of the declaration (for cycle detection).
    pub from_rhs: TypeId,
    /// Declared methods (of the origin), or the instantiated methods of an instance
    /// (filled on demand, see `World::named_method`).
    pub methods: Vec<Option<ObjId>>,
    /// For instances: whether the underlying type has been computed.
    pub expanded: bool,
}

/// A type parameter.
#[derive(Clone, Debug)]
pub struct TypeParamType {
    /// Its `TypeName` object.
    pub obj: ObjId,
    /// Position in its type parameter list.
    pub index: u32,
    /// The constraint (an interface, or INVALID).
    pub bound: TypeId,
    /// A unique id (for printing with subscripts when debugging).
    pub id: u32,
}

/// The structure of a type.
#[derive(Clone, Debug)]
pub enum Type {
    Basic(BasicKind),
    /// A basic type under another name (`byte`, `rune`): identical to the kind.
    BasicAlias(BasicKind, &'static str),
    Pointer(TypeId),
    Slice(TypeId),
    /// Length -1 means unknown (an error was reported).
    Array(i64, TypeId),
    Map(TypeId, TypeId),
    Chan(ChanDir, TypeId),
    Struct(Box<StructType>),
    /// Parameter and result lists and multi-value expressions: a list of `Var`s.
    Tuple(Box<[ObjId]>),
    Signature(Box<Signature>),
    Interface(Box<InterfaceType>),
    Union(Box<[Term]>),
    Named(Box<NamedType>),
    TypeParam(Box<TypeParamType>),
}

/// Key for hash-consing the simple composite types.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) enum SimpleKey {
    Pointer(TypeId),
    Slice(TypeId),
    Array(i64, TypeId),
    Map(TypeId, TypeId),
    Chan(ChanDir, TypeId),
}

impl Type {
    /// The basic kind, for basic types (incl. byte and rune).
    pub fn basic(&self) -> Option<BasicKind> {
        match *self {
            Type::Basic(k) | Type::BasicAlias(k, _) => Some(k),
            _ => None,
        }
    }
}
