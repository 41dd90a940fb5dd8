//! The typed, desugared mid-level IR that code generation consumes.
//!
//! It is built from the checked AST by [`crate::ir::lower`]-style passes. Everything the
//! code generator needs is explicit here: builtins such as `println` are already expanded
//! into runtime calls, constants are folded to their final machine values, and each
//! statement carries the source line it came from (for -S listings and tracebacks).
//!
//! This first slice covers calls with constant arguments; it grows with the language.

pub mod lower;

use crate::runtime_abi::RuntimeFn;

/// A whole program: every function to compile, including the synthesized entry.
#[derive(Debug, Default)]
pub struct Program {
    pub funcs: Vec<Func>,
}

/// One function with a body.
#[derive(Debug)]
pub struct Func {
    /// Linker symbol, in Go's naming (`main.main`, `runtime.xyz`, `goclift.main`).
    pub symbol: String,
    /// Source file name as shown in diagnostics and listings (empty for synthesized code).
    pub file: String,
    /// Line of the declaration.
    pub line: u32,
    pub body: Vec<Stmt>,
}

/// A statement with the source line it came from (0 = synthesized).
#[derive(Debug)]
pub struct Stmt {
    pub line: u32,
    pub kind: StmtKind,
}

/// What a statement does.
#[derive(Debug)]
pub enum StmtKind {
    /// A call whose results are discarded.
    Call(Call),
    /// Return from the function (which has no results yet).
    Return,
}

/// A direct call.
#[derive(Debug)]
pub struct Call {
    pub callee: Callee,
    pub args: Vec<Value>,
}

/// The target of a direct call.
#[derive(Debug, Clone, PartialEq)]
pub enum Callee {
    /// A function of the runtime, by its ABI entry.
    Runtime(RuntimeFn),
    /// A Go function compiled in this program, by symbol.
    Func(String),
}

/// An argument value. Each variant has a fixed machine representation: `Int` one 64-bit
/// integer, `Bool` one byte, `Float` one f64, `Str` a (pointer, length) pair.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Int(i64),
    Bool(bool),
    Float(f64),
    Str(Vec<u8>),
}
