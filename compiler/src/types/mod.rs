//! The type checker: from parsed files to [`Info`], everything later stages need to know
//! about the package (types and constant values of expressions, what identifiers denote,
//! the functions to compile), plus gc-worded diagnostics.
//!
//! This first slice checks what the code generator supports so far — function declarations
//! without parameters, calls of those functions and of the built-ins print and println, and
//! constant expressions of every basic kind with exact arithmetic — and reports anything else
//! as not yet supported, at its position. The type checker issue grows it to the whole language.

mod check;
pub mod constant;
pub mod ty;

pub use check::check_package;

use crate::syntax::ast::{DeclId, ExprId};
use constant::ConstValue;
use std::collections::HashMap;
use ty::{TypeId, TypeTable};

/// A predeclared function.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Builtin {
    Print,
    Println,
}

/// A package-level function declaration: the file (index into the checked files) and decl.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct FuncRef {
    pub file: usize,
    pub decl: DeclId,
}

/// What an identifier or call target denotes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Callee {
    Builtin(Builtin),
    Func(FuncRef),
}

/// The type of an expression and, for constants, its value (after any implicit conversion,
/// e.g. an untyped constant argument of println converted to its default type).
#[derive(Clone, Debug, PartialEq)]
pub struct TypeAndValue {
    pub ty: TypeId,
    pub value: Option<ConstValue>,
}

/// Per-file results, indexed by the file's node ids.
#[derive(Debug, Default)]
pub struct FileInfo {
    /// Types and constant values of checked expressions.
    pub exprs: HashMap<ExprId, TypeAndValue>,
    /// Call targets of call expressions, keyed by the call's `fun` expression.
    pub callees: HashMap<ExprId, Callee>,
}

/// The result of checking one package.
#[derive(Debug)]
pub struct Info {
    pub types: TypeTable,
    /// The package name.
    pub package: String,
    /// Functions with bodies, in source order (file order, then declaration order).
    pub funcs: Vec<FuncRef>,
    /// The `init` functions in source order (also in `funcs`).
    pub inits: Vec<FuncRef>,
    /// `main`, if declared.
    pub main: Option<FuncRef>,
    /// One entry per checked file, in the order given.
    pub files: Vec<FileInfo>,
}
