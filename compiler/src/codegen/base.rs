//! Lowering of IR functions to Cranelift IR, and their compilation into the module.
//!
//! Every IR local is split into its scalars (see [`crate::ir::ty::Layout::scalars`]), each a
//! Cranelift variable, so SSA construction is left to cranelift-frontend. IR blocks map one to
//! one onto Cranelift blocks; run-time checks add cold blocks of their own.

use super::{abi, disasm, num, CodegenCx};
use crate::ir::ty::{Ty, TyId};
use crate::ir::{self, Callee, Const, Operand, Rvalue, StmtKind, TermKind};
use crate::runtime_abi::RuntimeFn;
use cranelift_codegen::ir::{types, Block, InstBuilder, SourceLoc, TrapCode, Value};
use cranelift_frontend::{FunctionBuilder, FunctionBuilderContext, Variable};
use cranelift_module::{FuncId, Module};

/// Compiles `f` into the module; returns its listing when `want_listing`.
pub fn define_function(
    cx: &mut CodegenCx,
    program: &ir::Program,
    f: &ir::Func,
    want_listing: bool,
) -> Result<Option<disasm::FuncListing>, String> {
    let id = cx.go_func(&f.symbol)?;
    let mut ctx = cx.module.make_context();
    ctx.func.signature = abi::go_signature(&program.tys, f, cx.isa.as_ref())?;
    let frontend_config = cx.isa.frontend_config();
    let mut fctx = FunctionBuilderContext::new();
    {
        let b = FunctionBuilder::new(&mut ctx.func, &mut fctx);
        let mut fx = FunctionCx { cx, program, func: f, b, vars: Vec::new(), blocks: Vec::new() };
        fx.lower_body()?;
        fx.b.seal_all_blocks();
        fx.b.finalize(frontend_config);
    }
    cx.module
        .define_function(id, &mut ctx)
        .map_err(|e| format!("compiling {}: {e:?}", f.symbol))?;
    let listing = if want_listing { Some(disasm::function_listing(cx, f, &ctx)?) } else { None };
    cx.module.clear_context(&mut ctx);
    Ok(listing)
}

/// The state of lowering one function.
pub(super) struct FunctionCx<'a, 'b> {
    pub cx: &'a mut CodegenCx,
    pub program: &'a ir::Program,
    pub func: &'a ir::Func,
    pub b: FunctionBuilder<'b>,
    /// The variables holding each local's scalars.
    vars: Vec<Vec<Variable>>,
    /// The Cranelift block of each IR block.
    blocks: Vec<Block>,
}

impl FunctionCx<'_, '_> {
    fn lower_body(&mut self) -> Result<(), String> {
        self.blocks = self.func.blocks.iter().map(|_| self.b.create_block()).collect();
        let entry = self.blocks[0];
        self.b.append_block_params_for_function_params(entry);
        self.b.switch_to_block(entry);
        self.b.set_srcloc(SourceLoc::new(self.func.line));
        self.declare_locals()?;
        for (i, block) in self.func.blocks.iter().enumerate() {
            self.b.switch_to_block(self.blocks[i]);
            for stmt in &block.stmts {
                self.b.set_srcloc(SourceLoc::new(stmt.line));
                self.stmt(stmt)?;
            }
            self.b.set_srcloc(SourceLoc::new(block.term.line));
            self.terminator(&block.term.kind)?;
        }
        Ok(())
    }

    /// Declares a variable per scalar of every local; parameters take the entry block's
    /// parameters, the others start at zero (Go's zero value).
    fn declare_locals(&mut self) -> Result<(), String> {
        let params: Vec<Value> = self.b.block_params(self.blocks[0]).to_vec();
        let mut next_param = params.into_iter();
        for (i, local) in self.func.locals.iter().enumerate() {
            let tys = abi::scalars(&self.program.tys, local.ty)?;
            let is_param = self.func.params.iter().any(|p| p.0 as usize == i);
            let mut vars = Vec::with_capacity(tys.len());
            for t in tys {
                let v = self.b.declare_var(t);
                let init = match is_param {
                    true => next_param.next().ok_or("internal error: parameter count")?,
                    false => num::zero(&mut self.b, t),
                };
                self.b.def_var(v, init);
                vars.push(v);
            }
            self.vars.push(vars);
        }
        Ok(())
    }

    fn stmt(&mut self, stmt: &ir::Stmt) -> Result<(), String> {
        match &stmt.kind {
            StmtKind::Assign(dst, rv) => {
                let values = self.rvalue(rv)?;
                self.write_local(*dst, &values)
            }
            StmtKind::Call(call) => self.call(call),
        }
    }

    fn write_local(&mut self, dst: ir::LocalId, values: &[Value]) -> Result<(), String> {
        let vars = &self.vars[dst.0 as usize];
        if vars.len() != values.len() {
            return Err(format!("internal error: assigning {} scalars to a local of {}", values.len(), vars.len()));
        }
        for (&var, &v) in vars.iter().zip(values) {
            self.b.try_def_var(var, v).map_err(|e| {
                format!("internal error in {}: assigning to local {} ({:?}): {e}", self.func.symbol, dst.0, self.func.locals[dst.0 as usize])
            })?;
        }
        Ok(())
    }

    fn terminator(&mut self, term: &TermKind) -> Result<(), String> {
        match term {
            TermKind::Goto(t) => {
                self.b.ins().jump(self.blocks[t.0 as usize], &[]);
            }
            TermKind::If { cond, then, else_ } => {
                let c = self.operand(cond)?[0];
                let (t, e) = (self.blocks[then.0 as usize], self.blocks[else_.0 as usize]);
                self.b.ins().brif(c, t, &[], e, &[]);
            }
            TermKind::Return(ops) => {
                let mut values = Vec::new();
                for op in ops {
                    values.extend(self.operand(op)?);
                }
                self.b.ins().return_(&values);
            }
            TermKind::Unreachable => {
                self.b.ins().trap(TrapCode::unwrap_user(1));
            }
        }
        Ok(())
    }

    /// The scalars of an operand's value.
    pub fn operand(&mut self, op: &Operand) -> Result<Vec<Value>, String> {
        match op {
            Operand::Local(l) => Ok(self.vars[l.0 as usize].clone().into_iter().map(|v| self.b.use_var(v)).collect()),
            Operand::Const(c) => self.constant(c),
        }
    }

    fn constant(&mut self, c: &Const) -> Result<Vec<Value>, String> {
        let ptr = self.cx.isa.pointer_type();
        Ok(match c {
            Const::Int { value, ty } => {
                let t = abi::scalars(&self.program.tys, *ty)?[0];
                vec![self.b.ins().iconst(t, num::truncate(*value, t))]
            }
            Const::Float { value, ty } => vec![self.float_const(*value, *ty)?],
            Const::Complex { re, im, ty } => {
                let part = match self.program.tys.get(*ty) {
                    Ty::Complex { bits: 64 } => types::F32,
                    _ => types::F64,
                };
                vec![num::fconst(&mut self.b, part, *re), num::fconst(&mut self.b, part, *im)]
            }
            Const::Bool(t) => vec![self.b.ins().iconst(types::I8, i64::from(*t))],
            Const::Str(bytes) if bytes.is_empty() => vec![self.b.ins().iconst(ptr, 0), self.b.ins().iconst(ptr, 0)],
            Const::Str(bytes) => {
                let data = self.cx.strings.intern(&mut self.cx.module, bytes)?;
                let gv = self.cx.module.declare_data_in_func(data, self.b.func);
                vec![self.b.ins().symbol_value(ptr, gv), self.b.ins().iconst(ptr, bytes.len() as i64)]
            }
        })
    }

    fn float_const(&mut self, value: f64, ty: TyId) -> Result<Value, String> {
        let t = abi::scalars(&self.program.tys, ty)?[0];
        Ok(num::fconst(&mut self.b, t, value))
    }

    fn rvalue(&mut self, rv: &Rvalue) -> Result<Vec<Value>, String> {
        match rv {
            Rvalue::Use(op) => self.operand(op),
            Rvalue::Unary(op, x) => {
                let ty = self.operand_ty(x);
                let v = self.operand(x)?;
                num::unary(self, *op, ty, &v)
            }
            Rvalue::Binary(op, x, y) => {
                let (xt, yt) = (self.operand_ty(x), self.operand_ty(y));
                let (xv, yv) = (self.operand(x)?, self.operand(y)?);
                num::binary(self, *op, (xt, &xv), (yt, &yv))
            }
            Rvalue::Convert(x, to) => {
                let from = self.operand_ty(x);
                let v = self.operand(x)?;
                num::convert(self, &v, from, *to)
            }
        }
    }

    /// The IR type of an operand.
    pub fn operand_ty(&self, op: &Operand) -> TyId {
        self.func.operand_ty(&self.program.tys, op)
    }

    fn call(&mut self, call: &ir::Call) -> Result<(), String> {
        let callee: FuncId = match &call.callee {
            Callee::Runtime(f) => self.cx.runtime_func(*f)?,
            Callee::Func(symbol) => self.cx.go_func(symbol)?,
        };
        let fref = self.cx.module.declare_func_in_func(callee, self.b.func);
        // Executables are linked statically into one image well under 2 GiB, so every callee,
        // imported runtime functions included, is reachable with a direct PC-relative call.
        self.b.func.dfg.ext_funcs[fref].colocated = true;
        let mut args = Vec::with_capacity(call.args.len() * 2);
        for a in &call.args {
            args.extend(self.operand(a)?);
        }
        let sig = &self.b.func.dfg.signatures[self.b.func.dfg.ext_funcs[fref].signature];
        if args.len() != sig.params.len() {
            return Err(format!(
                "internal error: call with {} machine arguments, callee takes {}",
                args.len(),
                sig.params.len()
            ));
        }
        let inst = self.b.ins().call(fref, &args);
        let results = self.b.inst_results(inst).to_vec();
        let mut rest = results.as_slice();
        for &dst in &call.results {
            let n = self.vars[dst.0 as usize].len();
            let (mine, tail) = rest.split_at(n.min(rest.len()));
            self.write_local(dst, mine)?;
            rest = tail;
        }
        Ok(())
    }

    /// Emits a call to a run-time panic function, taken when `cond` is true; code continues in
    /// a fresh block where it is false.
    pub fn panic_if(&mut self, cond: Value, f: RuntimeFn) -> Result<(), String> {
        let (panic_block, cont) = (self.b.create_block(), self.b.create_block());
        self.b.ins().brif(cond, panic_block, &[], cont, &[]);
        self.b.set_cold_block(panic_block);
        self.b.switch_to_block(panic_block);
        let id = self.cx.runtime_func(f)?;
        let fref = self.cx.module.declare_func_in_func(id, self.b.func);
        self.b.func.dfg.ext_funcs[fref].colocated = true;
        self.b.ins().call(fref, &[]);
        self.b.ins().trap(TrapCode::unwrap_user(1));
        self.b.switch_to_block(cont);
        Ok(())
    }
}
