//! The typed, desugared mid-level IR that code generation consumes.
//!
//! A function is a control-flow graph of basic blocks over typed locals, in the manner of
//! Rust's MIR: statements assign an [`Rvalue`] to a [`Place`] or call a function; each block
//! ends in one [`Terminator`]. A place is a local, a package-level variable or the target of
//! a pointer, narrowed by field and index projections; code generation keeps locals whose
//! address is never taken in registers and the rest in stack slots. Everything the code generator needs is explicit: built-ins such as
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
pub mod typedesc;

use crate::runtime_abi::RuntimeFn;
use ty::{TyId, TyTable};

/// A whole program: every function to compile, including the synthesized entry, and the
/// package-level variables.
#[derive(Debug, Default)]
pub struct Program {
    pub tys: TyTable,
    pub funcs: Vec<Func>,
    pub globals: Vec<Global>,
    /// Runtime type descriptors (see [`typedesc`]).
    pub type_descs: typedesc::TypeDescs,
    /// Go functions the program calls that are defined outside it (bodyless functions the
    /// runtime provides, see [`crate::bodyless`]).
    pub externs: Vec<ExternFunc>,
}

/// A Go function defined outside the program, called with the Go calling convention.
#[derive(Debug, Clone)]
pub struct ExternFunc {
    /// Linker symbol (`runtime.Gosched`).
    pub symbol: String,
    pub params: Vec<TyId>,
    pub results: Vec<TyId>,
}

/// A data object: a package-level variable (zero-initialised, writable), or a read-only
/// constant that a conversion to an interface points at instead of a heap box.
#[derive(Debug, Clone)]
pub struct Global {
    /// Linker symbol, in Go's naming (`main.x`).
    pub symbol: String,
    pub ty: TyId,
    /// The bytes of a read-only constant (padded with zeros to the type's size); None for a
    /// zero-initialised variable.
    pub init: Option<Vec<u8>>,
}

/// A package-level variable, by index into [`Program::globals`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct GlobalId(pub u32);

/// A local variable (parameters first), by index into [`Func::locals`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct LocalId(pub u32);

/// A basic block, by index into [`Func::blocks`]; block 0 is the entry.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct BlockId(pub u32);

/// One function with a body.
#[derive(Debug)]
pub struct Func {
    /// Linker symbol, in Go's naming (`main.main`, `main.init.0`, `main.main.func1`).
    pub symbol: String,
    /// Source file name as shown in diagnostics and listings (empty for synthesized code).
    pub file: String,
    /// Line of the declaration.
    pub line: u32,
    /// The parameter locals, in order.
    pub params: Vec<LocalId>,
    /// Result types, in order.
    pub results: Vec<TyId>,
    /// The closure context of a function literal: a pointer-typed local that receives the
    /// closure object. It is passed after all parameters (see `codegen::abi`).
    pub closure: Option<LocalId>,
    pub locals: Vec<Local>,
    pub blocks: Vec<Block>,
    /// A compiler-made wrapper (of a go or defer statement's call) that tracebacks leave
    /// out, as gc's do for its wrapper functions.
    pub wrapper: bool,
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
    /// `place = rvalue`
    Assign(Place, Rvalue),
    /// A call; its results (if any) are assigned to `results`.
    Call(Call),
    /// A run-time check: when `ok` is false, `panic` is called with `args` (it does not return).
    Check { ok: Operand, panic: RuntimeFn, args: Vec<Operand> },
}

/// A call.
#[derive(Debug)]
pub struct Call {
    pub callee: Callee,
    pub args: Vec<Operand>,
    /// Places receiving the results, one per result (empty when results are discarded).
    pub results: Vec<Place>,
}

/// The target of a call.
#[derive(Debug, Clone, PartialEq)]
pub enum Callee {
    /// A function of the runtime, by its ABI entry.
    Runtime(RuntimeFn),
    /// A Go function compiled in this program, by symbol.
    Func(String),
    /// A func value: a pointer to a closure object whose first word is the code address. The
    /// closure pointer is passed as the hidden last argument; `results` are the result types.
    Closure { func: Operand, results: Vec<TyId> },
    /// A code address (a method from an itab), called without a closure context.
    Indirect { code: Operand, results: Vec<TyId> },
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

/// A memory location or local that can be read and written.
#[derive(Debug, Clone, PartialEq)]
pub struct Place {
    pub base: PlaceBase,
    pub proj: Vec<Proj>,
}

/// Where a place starts.
#[derive(Debug, Clone, PartialEq)]
pub enum PlaceBase {
    Local(LocalId),
    Global(GlobalId),
    /// The value of type `ty` that the pointer operand points to (a nil pointer faults, which
    /// the runtime reports as a nil dereference).
    Deref { ptr: Operand, ty: TyId },
}

/// A step from a place into a part of it.
#[derive(Debug, Clone, PartialEq)]
pub enum Proj {
    /// Field `i` of a struct; or part `i` of a string (pointer, length), slice (pointer,
    /// length, capacity), interface (type word, data word) or complex number (real, imaginary).
    Field(u32),
    /// An element of an array; the index is already known to be in bounds.
    Index(Operand),
}

/// A value read by a statement: the current value of a place, or a constant.
#[derive(Debug, Clone, PartialEq)]
pub enum Operand {
    Copy(Box<Place>),
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
    /// The zero value of `ty` (nil pointers, slices, maps, interfaces, func values, and zero
    /// structs and arrays).
    Zero(TyId),
}

/// A computed value.
#[derive(Debug, Clone, PartialEq)]
pub enum Rvalue {
    Use(Operand),
    Unary(UnOp, Operand),
    /// A binary operation; both operands have the same type (shift counts excepted), and
    /// comparisons yield bool. Pointers compare like unsigned integers.
    Binary(BinOp, Operand, Operand),
    /// A conversion between numeric types, or between pointers and integers.
    Convert(Operand, TyId),
    /// The address of a place.
    AddrOf(Place),
    /// A value of type `ty` made of its parts in order: the fields of a struct, the elements
    /// of an array, or the parts listed at [`Proj::Field`].
    Aggregate(TyId, Vec<Operand>),
    /// `ptr + index * scale`, a pointer into an array or slice backing store.
    Offset { ptr: Operand, index: Operand, scale: u64 },
    /// The code address of a Go function of this program.
    FuncAddr(String),
    /// The func value of a Go function of this program: the address of a read-only closure
    /// object holding just its code address.
    FuncValue(String),
    /// The address of a runtime type descriptor of the program.
    Desc(typedesc::TypeDescId),
    /// The address of an itab built at compile time.
    Itab(typedesc::ItabId),
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
    pub fn operand_ty(&self, program: &Program, op: &Operand) -> TyId {
        match op {
            Operand::Copy(p) => self.place_ty(program, p),
            Operand::Const(c) => c.ty(&program.tys),
        }
    }

    /// The type of a place in this function.
    pub fn place_ty(&self, program: &Program, place: &Place) -> TyId {
        let mut ty = match &place.base {
            PlaceBase::Local(l) => self.locals[l.0 as usize].ty,
            PlaceBase::Global(g) => program.globals[g.0 as usize].ty,
            PlaceBase::Deref { ty, .. } => *ty,
        };
        for p in &place.proj {
            ty = program.tys.projected(ty, p);
        }
        ty
    }
}

impl Place {
    /// A whole local.
    pub fn local(l: LocalId) -> Place {
        Place { base: PlaceBase::Local(l), proj: Vec::new() }
    }

    /// The value of type `ty` that `ptr` points to.
    pub fn deref(ptr: Operand, ty: TyId) -> Place {
        Place { base: PlaceBase::Deref { ptr, ty }, proj: Vec::new() }
    }

    /// This place extended by one projection.
    pub fn project(mut self, p: Proj) -> Place {
        self.proj.push(p);
        self
    }

    /// Field or part `i` of this place.
    pub fn field(self, i: u32) -> Place {
        self.project(Proj::Field(i))
    }

    /// The local this place is rooted at, if any.
    pub fn root_local(&self) -> Option<LocalId> {
        match self.base {
            PlaceBase::Local(l) => Some(l),
            _ => None,
        }
    }
}

impl Operand {
    /// The current value of a local.
    pub fn local(l: LocalId) -> Operand {
        Operand::Copy(Box::new(Place::local(l)))
    }

    /// The current value of a place.
    pub fn place(p: Place) -> Operand {
        Operand::Copy(Box::new(p))
    }

    /// An `int` constant.
    pub fn int(value: i64, ty: TyId) -> Operand {
        Operand::Const(Const::Int { value, ty })
    }
}

impl Const {
    /// The constant's type.
    pub fn ty(&self, tys: &TyTable) -> TyId {
        match self {
            Const::Int { ty, .. } | Const::Float { ty, .. } | Const::Complex { ty, .. } => *ty,
            Const::Bool(_) => tys.lookup(&ty::Ty::Bool),
            Const::Str(_) => tys.lookup(&ty::Ty::String),
            Const::Zero(ty) => *ty,
        }
    }
}
