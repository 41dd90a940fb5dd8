//! Go types, interned in a [`TypeTable`] and referred to by [`TypeId`], so that identical
//! unnamed types share one id and type identity of unnamed types is id equality.

use std::collections::HashMap;

/// A type, by index into its [`TypeTable`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TypeId(pub u32);

/// The predeclared basic types and the untyped constant kinds, as go/types' BasicKind.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum BasicKind {
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

impl BasicKind {
    /// The name as gc prints it in messages (`untyped int`, `uint8`, ...).
    pub fn name(self) -> &'static str {
        use BasicKind::*;
        match self {
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
            UnsafePointer => "unsafe.Pointer",
            UntypedBool => "untyped bool",
            UntypedInt => "untyped int",
            UntypedRune => "untyped rune",
            UntypedFloat => "untyped float",
            UntypedComplex => "untyped complex",
            UntypedString => "untyped string",
            UntypedNil => "untyped nil",
        }
    }

    /// Whether this is the type of an untyped constant (or nil).
    pub fn is_untyped(self) -> bool {
        use BasicKind::*;
        matches!(self, UntypedBool | UntypedInt | UntypedRune | UntypedFloat | UntypedComplex | UntypedString | UntypedNil)
    }

    /// Whether values of this kind are integers (typed or untyped).
    pub fn is_integer(self) -> bool {
        use BasicKind::*;
        matches!(
            self,
            Int | Int8 | Int16 | Int32 | Int64 | Uint | Uint8 | Uint16 | Uint32 | Uint64 | Uintptr | UntypedInt | UntypedRune
        )
    }

    /// Whether this is an unsigned integer kind.
    pub fn is_unsigned(self) -> bool {
        use BasicKind::*;
        matches!(self, Uint | Uint8 | Uint16 | Uint32 | Uint64 | Uintptr)
    }

    /// Whether values of this kind are floats (typed or untyped).
    pub fn is_float(self) -> bool {
        matches!(self, BasicKind::Float32 | BasicKind::Float64 | BasicKind::UntypedFloat)
    }

    /// Whether values of this kind are complex numbers (typed or untyped).
    pub fn is_complex(self) -> bool {
        matches!(self, BasicKind::Complex64 | BasicKind::Complex128 | BasicKind::UntypedComplex)
    }

    /// Whether values of this kind are numeric.
    pub fn is_numeric(self) -> bool {
        self.is_integer() || self.is_float() || self.is_complex()
    }

    /// The default type of an untyped kind (spec: "Constants"): the kind itself when typed.
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

    /// Size in bytes on a 64-bit target (both of goclift's targets are 64-bit), as gc lays it out.
    pub fn size(self) -> u64 {
        use BasicKind::*;
        match self {
            Bool | Int8 | Uint8 => 1,
            Int16 | Uint16 => 2,
            Int32 | Uint32 | Float32 => 4,
            Int | Int64 | Uint | Uint64 | Uintptr | Float64 | Complex64 | UnsafePointer => 8,
            Complex128 | String => 16,
            _ => 0,
        }
    }

    /// Width in bits of an integer kind (64-bit targets).
    pub fn int_bits(self) -> u32 {
        (self.size() * 8) as u32
    }
}

/// The structure of a type.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum TypeKind {
    Basic(BasicKind),
    Pointer(TypeId),
    Slice(TypeId),
    Array(u64, TypeId),
    Map(TypeId, TypeId),
    Chan(ChanDir, TypeId),
    /// Result lists and multi-value expressions.
    Tuple(Vec<TypeId>),
    Func(Signature),
}

/// A channel's direction.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ChanDir {
    Both,
    Send,
    Recv,
}

/// A function type.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Signature {
    pub params: Vec<TypeId>,
    pub results: Vec<TypeId>,
    pub variadic: bool,
}

/// The interned types of a compilation.
#[derive(Debug)]
pub struct TypeTable {
    kinds: Vec<TypeKind>,
    ids: HashMap<TypeKind, TypeId>,
}

/// The basic kinds in the order they are pre-interned, so `TypeTable::basic` is an index.
const BASIC_KINDS: [BasicKind; 25] = {
    use BasicKind::*;
    [
        Bool, Int, Int8, Int16, Int32, Int64, Uint, Uint8, Uint16, Uint32, Uint64, Uintptr, Float32, Float64,
        Complex64, Complex128, String, UnsafePointer, UntypedBool, UntypedInt, UntypedRune, UntypedFloat,
        UntypedComplex, UntypedString, UntypedNil,
    ]
};

impl Default for TypeTable {
    fn default() -> Self {
        let mut t = TypeTable { kinds: Vec::new(), ids: HashMap::new() };
        for k in BASIC_KINDS {
            t.intern(TypeKind::Basic(k));
        }
        t
    }
}

impl TypeTable {
    /// The id of `kind`, adding it on first use.
    pub fn intern(&mut self, kind: TypeKind) -> TypeId {
        if let Some(&id) = self.ids.get(&kind) {
            return id;
        }
        let id = TypeId(self.kinds.len() as u32);
        self.kinds.push(kind.clone());
        self.ids.insert(kind, id);
        id
    }

    /// The id of a basic type.
    pub fn basic(&self, k: BasicKind) -> TypeId {
        TypeId(BASIC_KINDS.iter().position(|&b| b == k).expect("every basic kind is pre-interned") as u32)
    }

    /// The structure of `id`.
    pub fn kind(&self, id: TypeId) -> &TypeKind {
        &self.kinds[id.0 as usize]
    }

    /// The basic kind of `id`, if it is a basic type.
    pub fn basic_kind(&self, id: TypeId) -> Option<BasicKind> {
        match self.kind(id) {
            TypeKind::Basic(k) => Some(*k),
            _ => None,
        }
    }

    /// The type as gc writes it in messages.
    pub fn display(&self, id: TypeId) -> String {
        match self.kind(id) {
            TypeKind::Basic(k) => k.name().to_string(),
            TypeKind::Pointer(t) => format!("*{}", self.display(*t)),
            TypeKind::Slice(t) => format!("[]{}", self.display(*t)),
            TypeKind::Array(n, t) => format!("[{n}]{}", self.display(*t)),
            TypeKind::Map(k, v) => format!("map[{}]{}", self.display(*k), self.display(*v)),
            TypeKind::Chan(ChanDir::Both, t) => format!("chan {}", self.display(*t)),
            TypeKind::Chan(ChanDir::Send, t) => format!("chan<- {}", self.display(*t)),
            TypeKind::Chan(ChanDir::Recv, t) => format!("<-chan {}", self.display(*t)),
            TypeKind::Tuple(ts) => format!("({})", self.list(ts)),
            TypeKind::Func(sig) => {
                let res = match sig.results.len() {
                    0 => String::new(),
                    1 => format!(" {}", self.display(sig.results[0])),
                    _ => format!(" ({})", self.list(&sig.results)),
                };
                format!("func({}){res}", self.list(&sig.params))
            }
        }
    }

    fn list(&self, ts: &[TypeId]) -> String {
        ts.iter().map(|&t| self.display(t)).collect::<Vec<_>>().join(", ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn interning_makes_identical_types_equal() {
        let mut t = TypeTable::default();
        let int = t.basic(BasicKind::Int);
        let a = t.intern(TypeKind::Slice(int));
        let b = t.intern(TypeKind::Slice(int));
        assert_eq!(a, b);
        let m = t.intern(TypeKind::Map(t.basic(BasicKind::String), a));
        assert_eq!(t.display(m), "map[string][]int");
        assert_eq!(t.basic_kind(t.basic(BasicKind::UntypedRune)), Some(BasicKind::UntypedRune));
    }

    #[test]
    fn defaults_and_sizes() {
        assert_eq!(BasicKind::UntypedRune.default_kind(), BasicKind::Int32);
        assert_eq!(BasicKind::UntypedFloat.default_kind().size(), 8);
        assert_eq!(BasicKind::String.size(), 16);
        assert!(BasicKind::Uintptr.is_unsigned() && BasicKind::Uintptr.is_integer());
    }
}
