//! A small builder for IR functions: blocks are opened, filled and terminated in any order.

use super::{Block, BlockId, Call, Callee, Func, Local, LocalId, Operand, Place, Rvalue, Stmt, StmtKind, TermKind, Terminator};
use crate::runtime_abi::RuntimeFn;
use super::ty::TyId;

/// Builds one [`Func`]. Statements go to the current block; `terminate` ends it.
pub struct FuncBuilder {
    func: Func,
    /// Blocks' statements and terminators while under construction.
    open: Vec<(Vec<Stmt>, Option<Terminator>)>,
    current: BlockId,
    /// The source line given to statements added from now on.
    pub line: u32,
}

impl FuncBuilder {
    /// A function with the given symbol, source place, parameter types and result types; the
    /// parameters are its first locals, and the entry block is current.
    pub fn new(symbol: &str, file: &str, line: u32, params: &[(String, TyId)], results: Vec<TyId>) -> FuncBuilder {
        let locals: Vec<Local> = params.iter().map(|(n, t)| Local { ty: *t, name: n.clone() }).collect();
        let func = Func {
            symbol: symbol.to_string(),
            file: file.to_string(),
            line,
            params: (0..locals.len() as u32).map(LocalId).collect(),
            results,
            closure: None,
            locals,
            blocks: Vec::new(),
            wrapper: false,
        };
        FuncBuilder { func, open: vec![(Vec::new(), None)], current: BlockId(0), line }
    }

    /// Marks the function as a compiler-made wrapper that tracebacks leave out.
    pub fn set_wrapper(&mut self) {
        self.func.wrapper = true;
    }

    /// The function's symbol.
    pub fn symbol(&self) -> &str {
        &self.func.symbol
    }

    /// The parameter locals.
    pub fn params(&self) -> Vec<LocalId> {
        self.func.params.clone()
    }

    /// A new local of type `ty`.
    pub fn local(&mut self, name: &str, ty: TyId) -> LocalId {
        self.func.locals.push(Local { ty, name: name.to_string() });
        LocalId(self.func.locals.len() as u32 - 1)
    }

    /// A new, empty block (not current).
    pub fn block(&mut self) -> BlockId {
        self.open.push((Vec::new(), None));
        BlockId(self.open.len() as u32 - 1)
    }

    /// Makes `b` the block statements are added to.
    pub fn switch_to(&mut self, b: BlockId) {
        self.current = b;
    }

    /// Whether the current block has been terminated already.
    pub fn is_terminated(&self) -> bool {
        self.open[self.current.0 as usize].1.is_some()
    }

    fn push(&mut self, kind: StmtKind) {
        let line = self.line;
        self.open[self.current.0 as usize].0.push(Stmt { line, kind });
    }

    /// Makes this a function literal's body: a new pointer-typed local receives the closure
    /// object (passed after the parameters).
    pub fn closure_param(&mut self, ptr_ty: TyId) -> LocalId {
        let l = self.local("&closure", ptr_ty);
        self.func.closure = Some(l);
        l
    }

    /// The type of local `l`.
    pub fn local_ty(&self, l: LocalId) -> TyId {
        self.func.locals[l.0 as usize].ty
    }

    /// Changes the type of local `l` (a frame area whose size is known only after the code
    /// using it is lowered).
    pub fn set_local_ty(&mut self, l: LocalId, ty: TyId) {
        self.func.locals[l.0 as usize].ty = ty;
    }

    /// `dst = rv`
    pub fn assign(&mut self, dst: Place, rv: Rvalue) {
        self.push(StmtKind::Assign(dst, rv));
    }

    /// `dst = rv` for a whole local.
    pub fn assign_local(&mut self, dst: LocalId, rv: Rvalue) {
        self.assign(Place::local(dst), rv);
    }

    /// A call whose results go to `results`.
    pub fn call(&mut self, callee: Callee, args: Vec<Operand>, results: Vec<Place>) {
        self.push(StmtKind::Call(Call { callee, args, results }));
    }

    /// A run-time check: `panic(args...)` unless `ok`.
    pub fn check(&mut self, ok: Operand, panic: RuntimeFn, args: Vec<Operand>) {
        self.push(StmtKind::Check { ok, panic, args });
    }

    /// Ends the current block.
    pub fn terminate(&mut self, kind: TermKind) {
        let line = self.line;
        let slot = &mut self.open[self.current.0 as usize].1;
        debug_assert!(slot.is_none(), "block terminated twice");
        *slot = Some(Terminator { line, kind });
    }

    /// The finished function. Blocks left unterminated return (only valid for functions
    /// without results, where falling off the end returns).
    pub fn finish(mut self) -> Func {
        for (stmts, term) in self.open {
            let term = term.unwrap_or(Terminator { line: 0, kind: TermKind::Return(Vec::new()) });
            self.func.blocks.push(Block { stmts, term });
        }
        self.func
    }
}
