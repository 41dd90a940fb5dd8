//! The typed, desugared mid-level IR that code generation consumes.
//!
//! A function is a control-flow graph of basic blocks over typed locals, in the manner of
//! Rust's MIR: statements assign an [`Rvalue`] to a local or call a function; each block ends
//! in one [`Terminator`]. Everything the code generator needs is explicit: built-ins such as
//! println are already expanded into runtime calls, implicit conversions are explicit
//! [`Rvalue::Convert`]s, short-circuit operators and all Go control flow are branches, and
//! every statement carries its source line (for -S listings and tracebacks). Types are the
//! layout-level [`ty::Ty`]s, so code generation never consults the type checker.
//!
//! Lowering from the checked AST is in [`lower`]; [`build::FuncBuilder`] helps construct
//! functions (for lowering and for tests).

pub mod build;
pub mod lower;
pub mod ty;

use crate::runtime_abi::RuntimeFn;
use ty::{TyId, TyTable};

/// A whole program: every function to compile, including the synthesized entry.
#[derive(Debug, Default)]
pub struct Program {
    pub tys: TyTable,
    pub funcs: Vec<Func>,
}

/// A local variable (parameters first), by index into [`Func::locals`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct LocalId(pub u32);

/// A basic block, by index into [`Func::blocks`]; block 0 is the entry.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct BlockId(pub u32);

/// One function with a body.
#[derive(Debug)]
pub struct Func {
    /// Linker symbol, in Go's naming (`main.main`, `main.init.0`, `goclift.main`).
    pub symbol: String,
    /// Source file name as shown in diagnostics and listings (empty for synthesized code).
    pub file: String,
    /// Line of the declaration.
    pub line: u32,
    /// The parameter locals, in order.
    pub params: Vec<LocalId>,
    /// Result types, in order.
    pub results: Vec<TyId>,
    pub locals: Vec<Local>,
    pub blocks: Vec<Block>,
}

/// A local variable or temporary. Locals start as their type's zero value.
#[derive(Debug, Clone)]
pub struct Local {
    pub ty: TyId,
    /// The Go name, or "" for temporaries (for listings and debug info).
    pub name: String,
}

/// A basic block: straight-line statements, then one terminator.
#[derive(Debug)]
pub struct Block {
    pub stmts: Vec<Stmt>,
    pub term: Terminator,
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
    /// `local = rvalue`
    Assign(LocalId, Rvalue),
    /// A direct call; its results (if any) are assigned to `results`.
    Call(Call),
}

/// A direct call.
#[derive(Debug)]
pub struct Call {
    pub callee: Callee,
    pub args: Vec<Operand>,
    /// Locals receiving the results, one per result (empty when results are discarded).
    pub results: Vec<LocalId>,
}

/// The target of a direct call.
#[derive(Debug, Clone, PartialEq)]
pub enum Callee {
    /// A function of the runtime, by its ABI entry.
    Runtime(RuntimeFn),
    /// A Go function compiled in this program, by symbol.
    Func(String),
}

/// How a block ends, with the source line it came from.
#[derive(Debug)]
pub struct Terminator {
    pub line: u32,
    pub kind: TermKind,
}

/// The kinds of block terminators.
#[derive(Debug)]
pub enum TermKind {
    Goto(BlockId),
    /// Branch on a boolean operand.
    If { cond: Operand, then: BlockId, else_: BlockId },
    /// Return the operands (one per result).
    Return(Vec<Operand>),
    /// Control cannot reach the end of this block (e.g. after a call that panics).
    Unreachable,
}

/// A value read by a statement: a local's current value or a constant.
#[derive(Debug, Clone, PartialEq)]
pub enum Operand {
    Local(LocalId),
    Const(Const),
}

/// A constant of an IR type.
#[derive(Debug, Clone, PartialEq)]
pub enum Const {
    /// An integer of type `ty`, as its two's-complement bit pattern.
    Int { value: i64, ty: TyId },
    /// A float of type `ty` (float32 constants are already rounded to float32).
    Float { value: f64, ty: TyId },
    /// A complex number of type `ty`.
    Complex { re: f64, im: f64, ty: TyId },
    Bool(bool),
    /// A string; its type is the string type.
    Str(Vec<u8>),
}

/// A computed value.
#[derive(Debug, Clone, PartialEq)]
pub enum Rvalue {
    Use(Operand),
    Unary(UnOp, Operand),
    /// A binary operation; both operands have the same type (shift counts excepted), and
    /// comparisons yield bool.
    Binary(BinOp, Operand, Operand),
    /// A conversion between numeric types (the operand's type to `TyId`).
    Convert(Operand, TyId),
}

/// Unary operators.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnOp {
    /// `-x`
    Neg,
    /// `!x` on booleans
    Not,
    /// `^x` on integers
    Complement,
}

/// Binary operators, with Go's semantics for the operand type (wrap-around, truncated
/// division with a run-time check for zero, shifts by any count).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BinOp {
    Add,
    Sub,
    Mul,
    Div,
    Rem,
    And,
    Or,
    Xor,
    AndNot,
    Shl,
    Shr,
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

impl Func {
    /// The type of an operand in this function.
    pub fn operand_ty(&self, tys: &TyTable, op: &Operand) -> TyId {
        match op {
            Operand::Local(l) => self.locals[l.0 as usize].ty,
            Operand::Const(c) => c.ty(tys),
        }
    }
}

impl Const {
    /// The constant's type.
    pub fn ty(&self, tys: &TyTable) -> TyId {
        match self {
            Const::Int { ty, .. } | Const::Float { ty, .. } | Const::Complex { ty, .. } => *ty,
            Const::Bool(_) => tys.lookup(&ty::Ty::Bool),
            Const::Str(_) => tys.lookup(&ty::Ty::String),
        }
    }
}
