//! The type checker: gc's types2 rewritten in Rust, with the same algorithms and message
//! texts (gc's "compiler error messages" flavour) and positions.
//!
//! # Use
//!
//! All packages of a compilation are checked one at a time, in dependency order, into one
//! [`World`] (the arenas of all types, objects, scopes and packages, so imported types are
//! shared, not copied):
//!
//! ```ignore
//! let mut world = types::World::new();               // universe and package unsafe
//! // for each package, dependencies first:
//! let config = types::Config { path: "net/url".into(), go_version: None, ..Default::default() };
//! let mut importer = |w: &mut types::World, path: &str| -> Result<types::PackageId, String> {
//!     /* resolve `path` as written in the importing package (vendoring...) to the
//!        PackageId of an already-checked package */
//! };
//! let (info, diags) = types::check_package(&mut world, &config, &files, &sources, &mut importer);
//! // branch errors come from crate::syntax::parse_and_check, as gc reports them while parsing
//! ```
//!
//! * Run `check_package` on a thread with [`CHECKER_STACK_SIZE`] of stack: it recurses
//!   along the syntax tree, and real code nests deeply.
//! * `files` are one package's parsed files (all sharing the `SourceMap` in which the
//!   names of all packages' files are registered: messages may mention positions in
//!   other packages; gc names standard library files `$GOROOT/src/...`).
//! * "unsafe" is resolved by the checker; every other import path goes to the importer.
//! * Diagnostics are unsorted; `diag::render` sorts them as gc does. gc reports parse
//!   errors not starting with "syntax error" (e.g. "middle index required in 3-index
//!   slice") together with the type errors, and stops only on syntax errors.
//!
//! # Results
//!
//! [`Info`] has, per file and indexed by the file's node ids ([`FileInfo`]): the type,
//! mode and constant value of every expression including type expressions (untyped
//! constants get the type they are finally converted to); the object every identifier
//! declares or uses; implicit objects (import names, type switch clause variables,
//! unnamed parameters); selections with embedded-field paths; instances of generic
//! functions and types. Per package: the initialization order of package variables and the
//! functions and methods to compile. Everything else is in the [`World`]: objects
//! ([`Object`]: kind, name, package, position, type; methods of instances link to their
//! generic origin), types ([`Type`]; `World::under`, `identical`, `method_set`,
//! `lookup_field_or_method`, `subst`, `sizeof`/`alignof`/`offsetsof` with gc's layouts),
//! scopes and packages.
//!
//! Branch statements (labels, break/continue/goto/fallthrough) are checked by the syntax
//! stage ([`crate::syntax::branches`]), as gc does while parsing (its errors don't stop type
//! checking).

mod assign;
mod builtins;
mod call;
mod check;
pub mod constant;
mod conversions;
mod decl;
mod expr;
mod implements;
mod index;
mod infer;
mod initorder;
pub mod lookup;
mod mono;
pub mod object;
mod operand;
pub mod predicates;
mod resolver;
mod returns;
pub mod scope;
pub mod sizes;
mod stmt;
pub mod subst;
pub mod ty;
pub mod typeset;
pub mod typestring;
mod typexpr;
mod unify;
mod universe;
mod validtype;
pub mod world;

#[cfg(test)]
mod stdimport;
#[cfg(test)]
mod tests;

pub use check::{check_package, Config, Importer};
pub use object::{Builtin, ObjId, ObjKind, Object};
pub use ty::{BasicKind, Type, TypeId};
pub use world::{Package, PackageId, World};

use crate::syntax::ast::{DeclId, ExprId};

/// The stack size to run [`check_package`] with: the checker recurses along the syntax
/// tree, and real code nests deeply (time/tzdata concatenates 7000 strings in one
/// expression). The memory is only reserved, not used.
pub const CHECKER_STACK_SIZE: usize = 1 << 30;
use constant::ConstValue;
use std::collections::HashMap;

/// What an expression is (types2's operand modes), as recorded in [`TypeAndValue`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub enum Mode {
    /// Not recorded (or invalid).
    #[default]
    Invalid,
    /// A call of a function without results.
    NoValue,
    /// A built-in function (the recorded type is its signature at this call).
    Builtin,
    /// A type.
    TypeExpr,
    /// A constant (see the value).
    Constant,
    /// An addressable variable.
    Variable,
    /// A map index expression.
    MapIndex,
    /// A computed value.
    Value,
    /// `nil`.
    NilValue,
    /// A value that may be used in a comma-ok assignment (receive, type assertion).
    CommaOk,
    /// A cgo call returning (value, error).
    CommaErr,
}

/// The type of an expression and, for constants, its value (after any implicit
/// conversion: an untyped constant gets the type it is converted to, e.g. `1` in
/// `var x float64 = 1` has type float64 and value 1.0).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct TypeAndValue {
    pub mode: Mode,
    pub ty: TypeId,
    /// Index into [`Info::consts`] (0: none).
    pub val: u32,
}

/// How a selector expression `x.f` was resolved.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SelectionKind {
    /// `x.f` is a struct field.
    FieldVal,
    /// `x.f` is a method value.
    MethodVal,
    /// `T.f` is a method expression.
    MethodExpr,
}

/// A selector's resolution: the receiver type, the selected field or method, the path of
/// embedded fields (last entry: the field's or method's index), and whether a pointer
/// indirection occurs on the path.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Selection {
    pub kind: SelectionKind,
    pub recv: TypeId,
    pub obj: ObjId,
    pub index: Vec<u32>,
    pub indirect: bool,
}

/// An instantiation of a generic function or type: the type arguments and the instance.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Instance {
    pub targs: Vec<TypeId>,
    pub ty: TypeId,
}

/// Nodes with implicitly declared objects.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Implicit {
    /// An import without local name: the package name object.
    Import(DeclId),
    /// A type switch case clause (the switch statement and clause index): the variable
    /// declared by `x := y.(type)` for that clause.
    TypeSwitchCase(crate::syntax::ast::StmtId, u32),
    /// An unnamed parameter or result (the type expression of the field).
    Param(ExprId),
}

/// Results for one file, indexed by the file's node ids.
#[derive(Debug, Default)]
pub struct FileInfo {
    /// Type and value of every checked expression (incl. type expressions), by ExprId.
    pub types: Vec<TypeAndValue>,
    /// The object an identifier declares, by ExprId of the Name.
    pub defs: Vec<Option<ObjId>>,
    /// The object an identifier denotes, by ExprId of the Name.
    pub uses: Vec<Option<ObjId>>,
    pub implicits: HashMap<Implicit, ObjId>,
    /// Selector expressions (by ExprId of the Selector), except qualified identifiers.
    pub selections: HashMap<ExprId, Selection>,
    /// Instantiations, by ExprId of the generic function's or type's identifier.
    pub instances: HashMap<ExprId, Instance>,
}

impl FileInfo {
    /// The recorded type and value of `e`, if any.
    pub fn type_of(&self, e: ExprId) -> Option<TypeAndValue> {
        self.types.get(e.index()).copied().filter(|t| t.mode != Mode::Invalid)
    }

    /// The object declared by identifier `e`.
    pub fn def(&self, e: ExprId) -> Option<ObjId> {
        self.defs.get(e.index()).copied().flatten()
    }

    /// The object used by identifier `e`.
    pub fn use_of(&self, e: ExprId) -> Option<ObjId> {
        self.uses.get(e.index()).copied().flatten()
    }

    /// The object identifier `e` declares or uses.
    pub fn object_of(&self, e: ExprId) -> Option<ObjId> {
        self.def(e).or_else(|| self.use_of(e))
    }
}

/// A package-level variable initialization in execution order: the variables (several
/// for `var a, b = f()`) and the initializer (file index and expression).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Initializer {
    pub lhs: Vec<ObjId>,
    pub file: usize,
    pub rhs: ExprId,
}

/// A function or method declaration with a body: its object, file index and declaration.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct FuncRef {
    pub obj: ObjId,
    pub file: usize,
    pub decl: DeclId,
}

/// The result of checking one package.
#[derive(Debug, Default)]
pub struct Info {
    /// The package (in the world).
    pub pkg: Option<PackageId>,
    /// The package name.
    pub package: String,
    /// One entry per checked file, in the order given.
    pub files: Vec<FileInfo>,
    /// Constant values referred to by [`TypeAndValue::val`] (entry 0 is unused).
    pub consts: Vec<ConstValue>,
    /// Package-level variable initializations in execution order.
    pub init_order: Vec<Initializer>,
    /// Functions and methods with bodies, in source order (file order, then declaration
    /// order), including init functions and generic ones.
    pub funcs: Vec<FuncRef>,
    /// The `init` functions in source order (also in `funcs`).
    pub inits: Vec<FuncRef>,
    /// `main` of package main, if declared.
    pub main: Option<FuncRef>,
}

impl Info {
    /// The constant value of a recorded expression, if it is constant.
    pub fn value(&self, tv: TypeAndValue) -> Option<&ConstValue> {
        (tv.val != 0).then(|| &self.consts[tv.val as usize])
    }
}
