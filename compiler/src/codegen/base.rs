//! Lowering of IR functions to Cranelift IR, and their compilation into the module.
//!
//! Locals whose address is never taken and whose type splits into scalars (see
//! [`crate::ir::ty::Layout::scalars`]) are kept as one Cranelift variable per scalar, so SSA
//! construction is left to cranelift-frontend; the others get a stack slot (see
//! [`super::value_and_place`]). IR blocks map one to one onto Cranelift blocks; run-time
//! checks add cold blocks of their own.

use super::value_and_place::{Storage, Val};
use super::{abi, disasm, num, CodegenCx};
use crate::ir::ty::{Ty, TyId};
use crate::ir::{self, Callee, Const, Operand, Rvalue, StmtKind, TermKind};
use crate::runtime_abi::RuntimeFn;
use cranelift_codegen::ir::{types, Block, InstBuilder, SourceLoc, TrapCode, Value};
use cranelift_frontend::{FunctionBuilder, FunctionBuilderContext};
use cranelift_module::Module;

/// A function lowered to Cranelift IR, to be compiled to machine code and then defined.
pub struct Built<'p> {
    func: &'p ir::Func,
    id: cranelift_module::FuncId,
    ctx: cranelift_codegen::Context,
}

/// Lowers `f` to Cranelift IR (declaring what it refers to in the module).
pub fn build_function<'p>(cx: &mut CodegenCx, program: &ir::Program, f: &'p ir::Func) -> Result<Built<'p>, String> {
    let id = cx.go_func(&f.symbol)?;
    let mut ctx = cx.module.make_context();
    let param_tys = abi::param_tys(f);
    ctx.func.signature = abi::go_signature(&program.tys, &abi::func_sig(f, &param_tys), cx.isa.as_ref());
    let frontend_config = cx.isa.frontend_config();
    let mut fctx = FunctionBuilderContext::new();
    {
        let b = FunctionBuilder::new(&mut ctx.func, &mut fctx);
        let mut fx = FunctionCx {
            cx,
            program,
            func: f,
            b,
            storage: Vec::new(),
            blocks: Vec::new(),
            result_ptrs: Vec::new(),
        };
        fx.lower_body()?;
        fx.b.seal_all_blocks();
        fx.b.finalize(frontend_config);
    }
    Ok(Built { func: f, id, ctx })
}

/// Compiles the built functions to machine code, on as many threads as the machine has
/// cores (Cranelift compiles each function on its own; this is most of a build's time).
pub fn compile_all(isa: &dyn cranelift_codegen::isa::TargetIsa, built: &mut [Built]) -> Result<(), String> {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get()).min(built.len().max(1));
    let queue = std::sync::Mutex::new(built.iter_mut());
    let first_error = std::sync::Mutex::new(None);
    std::thread::scope(|scope| {
        for _ in 0..threads {
            scope.spawn(|| loop {
                let next = queue.lock().expect("no worker panics").next();
                let Some(b) = next else { break };
                if let Err(e) = b.ctx.compile(isa, &mut Default::default()) {
                    let msg = format!("compiling {}: {:?}", b.func.symbol, e.inner);
                    first_error.lock().expect("no worker panics").get_or_insert(msg);
                }
            });
        }
    });
    match first_error.into_inner().expect("no worker panics") {
        Some(e) => Err(e),
        None => Ok(()),
    }
}

/// Defines a compiled function in the module and the function table; returns its listing
/// when `want_listing`.
pub fn define_function(cx: &mut CodegenCx, program: &ir::Program, built: Built, want_listing: bool) -> Result<Option<disasm::FuncListing>, String> {
    let Built { func: f, id, mut ctx } = built;
    let code = super::prologue::define_checked(cx, id, &f.symbol, &ctx)?;
    // A function with defers is shown as its body, with the frame half's arguments.
    let hidden = cx.defer_frames.contains_key(&f.symbol);
    let body_of = f.symbol.strip_suffix("·deferbody").and_then(|s| cx.defer_frames.get(s)).copied();
    let has_args = body_of.unwrap_or_else(|| super::functab::has_args(program, f));
    cx.functab.add(f, code, &ctx, has_args, hidden)?;
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
    /// Where each local lives.
    pub(super) storage: Vec<Storage>,
    /// The Cranelift block of each IR block.
    blocks: Vec<Block>,
    /// For each result that lives in memory (in order), the pointer the caller passed.
    result_ptrs: Vec<Value>,
}

impl FunctionCx<'_, '_> {
    fn lower_body(&mut self) -> Result<(), String> {
        // Cranelift stores source locations relative to the first one it sees, and a line
        // one below that base would come out as "no location": base them at line 0.
        self.b.func.params.ensure_base_srcloc(SourceLoc::new(0));
        // The machine entry block holds the stack check (emitted last, when the frame's stack
        // slots are known) and jumps to the IR's entry block.
        let entry = self.b.create_block();
        self.b.append_block_params_for_function_params(entry);
        self.b.switch_to_block(entry);
        self.b.ensure_inserted_block();
        self.blocks = self.func.blocks.iter().map(|_| self.b.create_block()).collect();
        self.b.switch_to_block(self.blocks[0]);
        self.b.set_srcloc(SourceLoc::new(self.func.line));
        self.declare_locals(entry)?;
        let back_edges = super::prologue::back_edges(self.func);
        for (i, block) in self.func.blocks.iter().enumerate() {
            self.b.switch_to_block(self.blocks[i]);
            for stmt in &block.stmts {
                self.b.set_srcloc(SourceLoc::new(stmt.line));
                self.stmt(stmt)?;
            }
            self.b.set_srcloc(SourceLoc::new(block.term.line));
            if let TermKind::Goto(t) = block.term.kind {
                if back_edges.contains(&(i as u32, t.0)) {
                    self.preempt_check()?;
                }
            }
            self.terminator(&block.term.kind)?;
        }
        self.b.switch_to_block(entry);
        self.b.set_srcloc(SourceLoc::new(self.func.line));
        self.stack_check(entry)?;
        self.b.ins().jump(self.blocks[0], &[]);
        Ok(())
    }

    /// Gives every local its storage; parameters take the entry block's parameters (in the
    /// order of [`abi::go_signature`]), the others start at their zero value.
    fn declare_locals(&mut self, entry: Block) -> Result<(), String> {
        let params: Vec<Value> = self.b.block_params(entry).to_vec();
        let mut next = params.into_iter();
        let tys = &self.program.tys;
        let mem_results = self.func.results.iter().filter(|&&r| abi::in_memory(tys, r)).count();
        self.result_ptrs = next.by_ref().take(mem_results).collect();
        let in_memory = super::value_and_place::memory_locals(self.program, self.func);
        for (i, local) in self.func.locals.iter().enumerate() {
            let id = ir::LocalId(i as u32);
            let incoming: Option<Vec<Value>> = if self.func.params.contains(&id) || self.func.closure == Some(id) {
                let n = abi::scalars(tys, local.ty).map_or(1, |s| s.len());
                Some(next.by_ref().take(n).collect())
            } else {
                None
            };
            let storage = self.new_storage(local.ty, in_memory[i], incoming)?;
            self.storage.push(storage);
        }
        Ok(())
    }

    fn stmt(&mut self, stmt: &ir::Stmt) -> Result<(), String> {
        match &stmt.kind {
            StmtKind::Assign(dst, rv) => self.assign(dst, rv),
            StmtKind::Call(call) => self.call(call),
            StmtKind::Check { ok, panic, args } => {
                let ok = self.scalars(ok)?[0];
                let mut values = Vec::new();
                for a in args {
                    values.extend(self.scalars(a)?);
                }
                self.panic_unless(ok, *panic, &values)
            }
        }
    }

    /// `dst = rv`.
    fn assign(&mut self, dst: &ir::Place, rv: &Rvalue) -> Result<(), String> {
        let ty = self.place_ty(dst);
        let val = match rv {
            Rvalue::Use(op) => self.operand(op)?,
            Rvalue::Aggregate(_, parts) => return self.assign_aggregate(dst, parts),
            _ => Val::Scalars(self.rvalue(rv)?),
        };
        let loc = self.resolve(dst)?;
        self.write_barrier(dst, &loc, ty, &val)?;
        self.write(&loc, ty, val)
    }

    /// Assigns the parts of an aggregate value, evaluated first (so a part may read `dst`).
    fn assign_aggregate(&mut self, dst: &ir::Place, parts: &[Operand]) -> Result<(), String> {
        let ty = self.place_ty(dst);
        let vals = parts.iter().map(|p| self.operand(p)).collect::<Result<Vec<_>, _>>()?;
        let loc = self.resolve(dst)?;
        for (i, (part, val)) in parts.iter().zip(vals).enumerate() {
            let part_ty = self.operand_ty(part);
            let sub = self.part_loc(&loc, ty, i as u32);
            self.write_barrier(dst, &sub, part_ty, &val)?;
            self.write(&sub, part_ty, val)?;
        }
        Ok(())
    }

    fn terminator(&mut self, term: &TermKind) -> Result<(), String> {
        match term {
            TermKind::Goto(t) => {
                self.b.ins().jump(self.blocks[t.0 as usize], &[]);
            }
            TermKind::If { cond, then, else_ } => {
                let c = self.scalars(cond)?[0];
                let (t, e) = (self.blocks[then.0 as usize], self.blocks[else_.0 as usize]);
                self.b.ins().brif(c, t, &[], e, &[]);
            }
            TermKind::Return(ops) => {
                let mut values = Vec::new();
                let mut mem_results = self.result_ptrs.clone().into_iter();
                for op in ops {
                    let ty = self.operand_ty(op);
                    if abi::in_memory(&self.program.tys, ty) {
                        let dst = mem_results.next().ok_or("internal error: result pointers")?;
                        let val = self.operand(op)?;
                        self.write(&super::value_and_place::Loc::mem(dst), ty, val)?;
                    } else {
                        values.extend(self.scalars(op)?);
                    }
                }
                self.b.ins().return_(&values);
            }
            TermKind::Unreachable => {
                self.b.ins().trap(TrapCode::unwrap_user(1));
            }
        }
        Ok(())
    }

    /// The scalars of an operand whose type splits into scalars.
    pub fn scalars(&mut self, op: &Operand) -> Result<Vec<Value>, String> {
        match self.operand(op)? {
            Val::Scalars(v) => Ok(v),
            _ => Err(format!("internal error: {op:?} used as scalars but lives in memory")),
        }
    }

    /// The value of an operand.
    pub fn operand(&mut self, op: &Operand) -> Result<Val, String> {
        match op {
            Operand::Copy(place) => {
                let ty = self.place_ty(place);
                let loc = self.resolve(place)?;
                Ok(self.read(&loc, ty))
            }
            Operand::Const(c) => self.constant(c),
        }
    }

    fn constant(&mut self, c: &Const) -> Result<Val, String> {
        let ptr = self.cx.isa.pointer_type();
        Ok(Val::Scalars(match c {
            Const::Int { value, ty } => {
                let t = self.scalar_types(*ty)[0];
                vec![self.b.ins().iconst(t, num::truncate(*value, t))]
            }
            Const::Float { value, ty } => {
                let t = self.scalar_types(*ty)[0];
                vec![num::fconst(&mut self.b, t, *value)]
            }
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
            Const::Zero(ty) => match abi::scalars(&self.program.tys, *ty) {
                Some(ts) => ts.into_iter().map(|t| num::zero(&mut self.b, t)).collect(),
                None => return Ok(Val::Zero),
            },
        }))
    }

    /// The Cranelift types of the scalars of `ty` (empty for types that live in memory).
    pub fn scalar_types(&self, ty: TyId) -> Vec<cranelift_codegen::ir::Type> {
        abi::scalars(&self.program.tys, ty).unwrap_or_default()
    }

    fn rvalue(&mut self, rv: &Rvalue) -> Result<Vec<Value>, String> {
        let ptr = self.cx.isa.pointer_type();
        match rv {
            Rvalue::Use(op) => self.scalars(op),
            Rvalue::Unary(op, x) => {
                let ty = self.operand_ty(x);
                let v = self.scalars(x)?;
                num::unary(self, *op, ty, &v)
            }
            Rvalue::Binary(op, x, y) => {
                let (xt, yt) = (self.operand_ty(x), self.operand_ty(y));
                let (xv, yv) = (self.scalars(x)?, self.scalars(y)?);
                num::binary(self, *op, (xt, &xv), (yt, &yv))
            }
            Rvalue::Convert(x, to) => {
                let from = self.operand_ty(x);
                let v = self.scalars(x)?;
                num::convert(self, &v, from, *to)
            }
            Rvalue::AddrOf(place) => {
                let loc = self.resolve_address(place)?;
                Ok(vec![self.address(&loc)?])
            }
            Rvalue::Offset { ptr: base, index, scale } => {
                let base = self.scalars(base)?[0];
                let index = self.scalars(index)?[0];
                let scaled = self.b.ins().imul_imm_s(index, *scale as i64);
                Ok(vec![self.b.ins().iadd(base, scaled)])
            }
            Rvalue::FuncAddr(symbol) => {
                let id = self.cx.go_func(symbol)?;
                let fref = self.cx.module.declare_func_in_func(id, self.b.func);
                Ok(vec![self.b.ins().func_addr(ptr, fref)])
            }
            Rvalue::FuncValue(symbol) => {
                let data = self.cx.static_closure(symbol)?;
                let gv = self.cx.module.declare_data_in_func(data, self.b.func);
                Ok(vec![self.b.ins().symbol_value(ptr, gv)])
            }
            Rvalue::Desc(id) => {
                let layout = self.cx.types.as_ref().ok_or("internal error: descriptor without a blob")?;
                let offset = layout.offsets[id.0 as usize];
                Ok(vec![self.blob_address(ptr, offset)])
            }
            Rvalue::Itab(id) => {
                let layout = self.cx.types.as_ref().ok_or("internal error: itab without a blob")?;
                let offset = layout.itab_offsets[id.0 as usize];
                Ok(vec![self.blob_address(ptr, offset)])
            }
            Rvalue::Aggregate(..) => Err("internal error: aggregate outside an assignment".into()),
        }
    }

    /// The address `offset` bytes into the `goclift.types` blob.
    fn blob_address(&mut self, ptr: cranelift_codegen::ir::Type, offset: u64) -> Value {
        let data = self.cx.types.as_ref().expect("checked by the caller").data;
        let gv = self.cx.module.declare_data_in_func(data, self.b.func);
        let base = self.b.ins().symbol_value(ptr, gv);
        self.b.ins().iadd_imm_s(base, offset as i64)
    }

    /// The IR type of an operand.
    pub fn operand_ty(&self, op: &Operand) -> TyId {
        self.func.operand_ty(self.program, op)
    }

    /// The IR type of a place.
    pub fn place_ty(&self, place: &ir::Place) -> TyId {
        self.func.place_ty(self.program, place)
    }

    fn call(&mut self, call: &ir::Call) -> Result<(), String> {
        // Arguments: scalars, or the address of a copy for values that live in memory.
        let mut args = Vec::with_capacity(call.args.len() * 2);
        for a in &call.args {
            match self.operand(a)? {
                Val::Scalars(v) => args.extend(v),
                val => {
                    let ty = self.operand_ty(a);
                    let copy = self.temp_slot(ty);
                    self.write(&copy, ty, val)?;
                    args.push(self.address(&copy)?);
                }
            }
        }
        let result_tys = self.result_types(call)?;
        // Results that live in memory go to temporaries whose addresses lead the arguments.
        let mut mem_results = Vec::new();
        for &r in &result_tys {
            if abi::in_memory(&self.program.tys, r) {
                mem_results.push(self.temp_slot(r));
            }
        }
        let mut full_args = Vec::with_capacity(args.len() + mem_results.len() + 1);
        for slot in &mem_results {
            full_args.push(self.address(slot)?);
        }
        full_args.extend(args);
        self.runtime_copy_barrier(&call.callee, &full_args)?;
        let results = match &call.callee {
            Callee::Runtime(f) => {
                let id = self.cx.runtime_func(*f)?;
                self.direct_call(id, &full_args)?
            }
            Callee::Func(symbol) => {
                let id = self.cx.go_func(symbol)?;
                self.direct_call(id, &full_args)?
            }
            Callee::Closure { func, .. } | Callee::Indirect { code: func, .. } => {
                let closure = matches!(call.callee, Callee::Closure { .. });
                let target = self.scalars(func)?[0];
                let code = if closure {
                    full_args.push(target);
                    // The context also goes to g.closure_ctx, where the stubs of functions
                    // reflect.MakeFunc makes find it (their signature is not known statically).
                    let g = self.b.ins().get_pinned_reg(self.cx.isa.pointer_type());
                    let flags = cranelift_codegen::ir::MemFlagsData::trusted();
                    self.b.ins().store(flags, target, g, crate::runtime_abi::G_CLOSURE_CTX_OFFSET);
                    self.b.ins().load(self.cx.isa.pointer_type(), cranelift_codegen::ir::MemFlagsData::new(), target, 0)
                } else {
                    target
                };
                let param_tys: Vec<TyId> = call.args.iter().map(|a| self.operand_ty(a)).collect();
                let sig = abi::GoSig { params: &param_tys, results: &result_tys, closure };
                let sig = abi::go_signature(&self.program.tys, &sig, self.cx.isa.as_ref());
                let sigref = self.b.import_signature(sig);
                let inst = self.b.ins().call_indirect(sigref, code, &full_args);
                self.b.inst_results(inst).to_vec()
            }
        };
        self.write_results(call, &result_tys, &results, mem_results)
    }

    /// The result types of a call's callee.
    fn result_types(&self, call: &ir::Call) -> Result<Vec<TyId>, String> {
        Ok(match &call.callee {
            Callee::Closure { results, .. } | Callee::Indirect { results, .. } => results.clone(),
            Callee::Func(symbol) => self.cx.go_results(symbol)?.to_vec(),
            Callee::Runtime(_) => call.results.iter().map(|p| self.place_ty(p)).collect(),
        })
    }

    /// Distributes a call's machine results over its result places.
    fn write_results(
        &mut self,
        call: &ir::Call,
        result_tys: &[TyId],
        results: &[Value],
        mem_results: Vec<super::value_and_place::Loc>,
    ) -> Result<(), String> {
        if call.results.is_empty() {
            return Ok(());
        }
        let mut rest = results;
        let mut mem = mem_results.into_iter();
        for (place, &ty) in call.results.iter().zip(result_tys) {
            let val = if abi::in_memory(&self.program.tys, ty) {
                let slot = mem.next().ok_or("internal error: memory results")?;
                self.read(&slot, ty)
            } else {
                let want = self.scalar_types(ty);
                let (mine, tail) = rest.split_at(want.len().min(rest.len()));
                rest = tail;
                // Runtime functions return words; a bool result is its low byte.
                let fitted = mine.iter().zip(&want).map(|(&v, &t)| self.fit_int(v, t)).collect();
                Val::Scalars(fitted)
            };
            let loc = self.resolve(place)?;
            self.write_barrier(place, &loc, ty, &val)?;
            self.write(&loc, ty, val)?;
        }
        Ok(())
    }

    /// An integer value narrowed or zero-extended to integer type `t` (others unchanged).
    fn fit_int(&mut self, v: Value, t: cranelift_codegen::ir::Type) -> Value {
        let have = self.b.func.dfg.value_type(v);
        if have == t || !have.is_int() || !t.is_int() {
            v
        } else if have.bits() > t.bits() {
            self.b.ins().ireduce(t, v)
        } else {
            self.b.ins().uextend(t, v)
        }
    }

    /// A direct call of a function of the module; returns its machine results.
    pub(super) fn direct_call(&mut self, callee: cranelift_module::FuncId, args: &[Value]) -> Result<Vec<Value>, String> {
        let fref = self.cx.module.declare_func_in_func(callee, self.b.func);
        // Executables are linked statically into one image well under 2 GiB, so every callee,
        // imported runtime functions included, is reachable with a direct PC-relative call.
        self.b.func.dfg.ext_funcs[fref].colocated = true;
        let sig = &self.b.func.dfg.signatures[self.b.func.dfg.ext_funcs[fref].signature];
        let param_types: Vec<_> = sig.params.iter().map(|p| p.value_type).collect();
        if args.len() != param_types.len() {
            return Err(format!(
                "internal error in {}: call with {} machine arguments, callee takes {}",
                self.func.symbol,
                args.len(),
                param_types.len()
            ));
        }
        let args: Vec<Value> = args.iter().zip(&param_types).map(|(&v, &t)| self.fit_int(v, t)).collect();
        let inst = self.b.ins().call(fref, &args);
        Ok(self.b.inst_results(inst).to_vec())
    }

    /// Calls run-time panic function `f` with `args` unless `ok` (a bool); code continues in a
    /// fresh block where it is.
    pub fn panic_unless(&mut self, ok: Value, f: RuntimeFn, args: &[Value]) -> Result<(), String> {
        let (panic_block, cont) = (self.b.create_block(), self.b.create_block());
        self.b.ins().brif(ok, cont, &[], panic_block, &[]);
        self.b.set_cold_block(panic_block);
        self.b.switch_to_block(panic_block);
        let id = self.cx.runtime_func(f)?;
        self.direct_call(id, args)?;
        self.b.ins().trap(TrapCode::unwrap_user(1));
        self.b.switch_to_block(cont);
        Ok(())
    }

    /// Calls run-time panic function `f` (without arguments) when `cond` is true.
    pub fn panic_if(&mut self, cond: Value, f: RuntimeFn) -> Result<(), String> {
        let ok = self.b.ins().bxor_imm_u(cond, 1);
        self.panic_unless(ok, f, &[])
    }
}
