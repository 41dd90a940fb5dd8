//! Named language entities (types2's Objects): constants, type names, variables (incl.
//! struct fields and parameters), functions and methods, package names, labels, built-ins
//! and nil. They live in the [`World`](super::World)'s object arena, referred to by [`ObjId`].

use super::constant::ConstValue;
use super::scope::ScopeId;
use super::ty::TypeId;
use super::PackageId;
use crate::syntax::intern::Symbol;
use crate::syntax::pos::{FileId, Pos};

/// An object, by index into the world's object arena.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ObjId(pub u32);

impl ObjId {
    /// The arena index.
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

/// The predeclared functions (incl. those of package unsafe), in types2's order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Builtin {
    Append,
    Cap,
    Close,
    Complex,
    Copy,
    Delete,
    Imag,
    Len,
    Make,
    New,
    Panic,
    Print,
    Println,
    Real,
    Recover,
    // package unsafe
    Add,
    Alignof,
    Offsetof,
    Sizeof,
    Slice,
}

impl Builtin {
    /// All built-ins, in order.
    pub const ALL: [Builtin; 20] = {
        use Builtin::*;
        [
            Append, Cap, Close, Complex, Copy, Delete, Imag, Len, Make, New, Panic, Print, Println, Real, Recover, Add,
            Alignof, Offsetof, Sizeof, Slice,
        ]
    };

    /// The built-in's name.
    pub fn name(self) -> &'static str {
        use Builtin::*;
        match self {
            Append => "append",
            Cap => "cap",
            Close => "close",
            Complex => "complex",
            Copy => "copy",
            Delete => "delete",
            Imag => "imag",
            Len => "len",
            Make => "make",
            New => "new",
            Panic => "panic",
            Print => "print",
            Println => "println",
            Real => "real",
            Recover => "recover",
            Add => "Add",
            Alignof => "Alignof",
            Offsetof => "Offsetof",
            Sizeof => "Sizeof",
            Slice => "Slice",
        }
    }

    /// (minimum argument count, variadic, whether a call may stand as a statement).
    pub fn arity(self) -> (usize, bool, bool) {
        use Builtin::*;
        match self {
            Append => (1, true, false),
            Cap | Imag | Len | Real | New | Alignof | Offsetof | Sizeof => (1, false, false),
            Close | Panic => (1, false, true),
            Complex | Add | Slice => (2, false, false),
            Copy | Delete => (2, false, true),
            Make => (1, true, false),
            Print | Println => (0, true, true),
            Recover => (0, false, true),
        }
    }

    /// Whether it belongs to package unsafe.
    pub fn is_unsafe(self) -> bool {
        matches!(self, Builtin::Add | Builtin::Alignof | Builtin::Offsetof | Builtin::Sizeof | Builtin::Slice)
    }
}

/// What kind of object, with kind-specific data.
#[derive(Clone, Debug)]
pub enum ObjKind {
    /// An imported package's local name.
    PkgName {
        imported: PackageId,
        used: bool,
    },
    /// A constant with its value (Unknown until declared).
    Const {
        val: ConstValue,
    },
    TypeName,
    /// A variable, parameter, result or struct field.
    Var {
        is_field: bool,
        embedded: bool,
        used: bool,
        /// For variables made by instantiation: the generic variable.
        origin: Option<ObjId>,
    },
    /// A function or method (its type is a Signature).
    Func {
        has_ptr_recv: bool,
        /// For methods of instantiated types: the generic method.
        origin: Option<ObjId>,
        /// Declared in source (index of the file in its package and the declaration).
        decl: Option<(u32, crate::syntax::ast::DeclId)>,
    },
    Label {
        used: bool,
    },
    Builtin(Builtin),
    Nil,
}

/// Object colors for cycle detection during lazy declaration checking (types2's
/// white/grey/black): grey objects carry their index in the object path.
pub const WHITE: u32 = 0;
/// Fully declared.
pub const BLACK: u32 = 1;
/// Grey colors are `GREY + index in the object path`.
pub const GREY: u32 = 2;

/// A named language entity.
#[derive(Clone, Debug)]
pub struct Object {
    pub name: Symbol,
    pub kind: ObjKind,
    /// The package the object belongs to; None for universe objects.
    pub pkg: Option<PackageId>,
    /// Declaring file and position (`FileId(u32::MAX)` for predeclared objects).
    pub file: FileId,
    pub pos: Pos,
    /// The object's type; None while not yet known (types2's nil type).
    pub ty: Option<TypeId>,
    /// The scope the object was declared in.
    pub parent: Option<ScopeId>,
    /// Source order of package-level objects (> 0), 0 otherwise.
    pub order: u32,
    /// Declaration state, see [`WHITE`], [`BLACK`], [`GREY`].
    pub color: u32,
}

/// The file id of predeclared (universe and unsafe) objects.
pub const NO_FILE: FileId = FileId(u32::MAX);

impl Object {
    /// Whether the name starts with an upper-case letter.
    pub fn exported(&self) -> bool {
        is_exported(self.name.as_str())
    }

    /// The type (INVALID if not yet known).
    pub fn typ(&self) -> TypeId {
        self.ty.unwrap_or(TypeId::INVALID)
    }

    /// Whether the object has a known source position.
    pub fn has_pos(&self) -> bool {
        self.file != NO_FILE
    }

    /// The word types2 uses for the kind of object in some messages.
    pub fn is_var(&self) -> bool {
        matches!(self.kind, ObjKind::Var { .. })
    }

    /// Whether this is a function or method.
    pub fn is_func(&self) -> bool {
        matches!(self.kind, ObjKind::Func { .. })
    }

    /// Whether this is a type name.
    pub fn is_type_name(&self) -> bool {
        matches!(self.kind, ObjKind::TypeName)
    }

    /// Whether this is a constant.
    pub fn is_const(&self) -> bool {
        matches!(self.kind, ObjKind::Const { .. })
    }

    /// The value of a constant object.
    pub fn const_val(&self) -> Option<&ConstValue> {
        match &self.kind {
            ObjKind::Const { val } => Some(val),
            _ => None,
        }
    }

    /// Whether a method has a pointer receiver.
    pub fn has_ptr_recv(&self) -> bool {
        matches!(self.kind, ObjKind::Func { has_ptr_recv: true, .. })
    }

    /// Whether a variable is a struct field.
    pub fn is_field(&self) -> bool {
        matches!(self.kind, ObjKind::Var { is_field: true, .. })
    }

    /// Whether a field is embedded.
    pub fn is_embedded(&self) -> bool {
        matches!(self.kind, ObjKind::Var { embedded: true, .. })
    }

    /// Marks a variable, package name or label as used.
    pub fn set_used(&mut self) {
        match &mut self.kind {
            ObjKind::Var { used, .. } | ObjKind::PkgName { used, .. } | ObjKind::Label { used } => *used = true,
            _ => {}
        }
    }

    /// Whether a variable, package name or label has been used.
    pub fn used(&self) -> bool {
        match self.kind {
            ObjKind::Var { used, .. } | ObjKind::PkgName { used, .. } | ObjKind::Label { used } => used,
            _ => true,
        }
    }
}

/// Whether `name` is exported (starts with an upper-case letter).
pub fn is_exported(name: &str) -> bool {
    name.chars().next().is_some_and(char::is_uppercase)
}
