//! The stack check at the start of compiled functions, the preemption check on loop back
//! edges, and the wrapper that checks for functions with large frames (decisions 17 and 21;
//! the runtime's side is runtime/src/morestack.rs).
//!
//! Cranelift's prologue has already allocated the frame when the function body starts, so the
//! check is `sp <= g.stackguard0` right after it, in the body:
//!
//! ```text
//!     guard = load [g + 16]           ; g is the pinned register
//!     if get_stack_pointer() <= guard (unsigned) goto slow
//!     ...body...
//! slow (cold):
//!     [g + 48] = &f; [g + 56] = stack argument bytes; [g + 64] = extra frame need
//!     results = runtime.morestack(f's own arguments)   ; with f's own signature
//!     return results
//! ```
//!
//! The runtime's guard area (STACK_GUARD = 2048 bytes below stackguard0) covers frames up to
//! [`MAX_UNCHECKED_FRAME`] plus morestack's own frame. A function whose compiled frame is larger
//! is emitted as `f·body` behind a small wrapper `f` that checks `sp - frame` before calling it
//! (so the large frame is never allocated below the guard). Leaf functions (no calls) with
//! small frames need no check: the caller's check left them the guard's slack.
//!
//! Loops are preemptible through the same poisoned stackguard0: every loop back edge loads it
//! and calls goclift.preemptPoint when it equals the runtime's STACK_PREEMPT (that stub's own
//! check enters morestack, which preempts the goroutine unless it holds M locks; the stub
//! itself does nothing).

use super::base::FunctionCx;
use super::CodegenCx;
use crate::ir;
use crate::runtime_abi::{
    RuntimeFn, G_MORESTACK_ARGSIZE_OFFSET, G_MORESTACK_FN_OFFSET, G_MORESTACK_FRAMESIZE_OFFSET, G_STACKGUARD0_OFFSET,
    STACK_PREEMPT,
};
use crate::target::Arch;
use cranelift_codegen::ir::condcodes::IntCC;
use cranelift_codegen::ir::{types, Block, InstBuilder, MemFlagsData, Signature, Value};
use cranelift_codegen::Context;
use cranelift_frontend::{FunctionBuilder, FunctionBuilderContext};
use cranelift_module::{FuncId, Linkage, Module, ModuleReloc};
use std::collections::HashSet;

/// The largest frame (return address and saved frame pointer included) a function may
/// allocate before its check (the runtime's STACK_MAX_UNCHECKED_FRAME).
pub const MAX_UNCHECKED_FRAME: u32 = 1024;

/// Explicit stack slots above this many bytes make a leaf function check anyway (its
/// compiled frame would probably exceed [`MAX_UNCHECKED_FRAME`] with spills).
const LEAF_SLOTS_LIMIT: u32 = 512;

/// Bytes a wrapper adds to the body's frame in its check: its own frame and the body's call.
const WRAPPER_SLACK: i64 = 256;

/// The data symbol that tells the runtime that every function checks the stack, so that
/// goroutines may start on small stacks (runtime/src/proc.rs, `goclift.stackcheck`).
pub const STACKCHECK_SYMBOL: &str = "goclift.stackcheck";

/// Whether `f` needs a stack check at entry: it calls a function (a leaf runs in the slack
/// its caller's check left).
pub fn calls_something(f: &ir::Func) -> bool {
    f.blocks.iter().any(|b| b.stmts.iter().any(|s| matches!(s.kind, ir::StmtKind::Call(_))))
}

/// The loop back edges of `f`'s control-flow graph: edges to a block on the current path of
/// a depth-first walk from the entry.
pub fn back_edges(f: &ir::Func) -> HashSet<(u32, u32)> {
    let succs = |b: u32| -> Vec<u32> {
        match &f.blocks[b as usize].term.kind {
            ir::TermKind::Goto(t) => vec![t.0],
            ir::TermKind::If { then, else_, .. } => vec![then.0, else_.0],
            ir::TermKind::Return(_) | ir::TermKind::Unreachable => Vec::new(),
        }
    };
    let n = f.blocks.len();
    let (mut on_path, mut seen) = (vec![false; n], vec![false; n]);
    let mut edges = HashSet::new();
    if n == 0 {
        return edges;
    }
    // Explicit stack of (block, next successor index): functions may have thousands of blocks.
    let mut stack = vec![(0u32, 0usize)];
    seen[0] = true;
    on_path[0] = true;
    while let Some(&mut (b, ref mut i)) = stack.last_mut() {
        let ss = succs(b);
        if *i < ss.len() {
            let s = ss[*i];
            *i += 1;
            if on_path[s as usize] {
                edges.insert((b, s));
            } else if !seen[s as usize] {
                seen[s as usize] = true;
                on_path[s as usize] = true;
                stack.push((s, 0));
            }
        } else {
            on_path[b as usize] = false;
            stack.pop();
        }
    }
    edges
}

/// Bytes of stack arguments a call with signature `sig` passes (Cranelift's System V and
/// AAPCS64 assignment: 6 or 8 integer and 8 float registers, then 8-byte stack slots; on
/// amd64 an implicit return-area pointer takes the first integer register), rounded up to 16.
pub fn stack_arg_bytes(sig: &Signature, arch: Arch) -> i64 {
    let is_float = |t: cranelift_codegen::ir::Type| t.is_float();
    let (ints, floats) = sig.params.iter().fold((0i64, 0i64), |(i, f), p| if is_float(p.value_type) { (i, f + 1) } else { (i + 1, f) });
    let (int_rets, float_rets) = sig.returns.iter().fold((0i64, 0i64), |(i, f), p| if is_float(p.value_type) { (i, f + 1) } else { (i + 1, f) });
    let int_regs = match arch {
        Arch::Amd64 if int_rets > 2 || float_rets > 2 => 5,
        Arch::Amd64 => 6,
        Arch::Arm64 => 8,
    };
    let slots = (ints - int_regs).max(0) + (floats - 8).max(0);
    (slots * 8 + 15) & !15
}

impl CodegenCx {
    /// `runtime.morestack`, imported without a signature: it is called through its address
    /// with the signature of the function whose check failed.
    fn morestack(&mut self) -> Result<FuncId, String> {
        let sig = Signature::new(self.isa.default_call_conv());
        self.module.declare_function("runtime.morestack", Linkage::Import, &sig).map_err(|e| format!("declaring runtime.morestack: {e}"))
    }

    /// Defines `goclift.stackcheck` (nonzero): every function of the program checks its stack.
    pub fn define_stackcheck(&mut self) -> Result<(), String> {
        let id = self.module.declare_data(STACKCHECK_SYMBOL, Linkage::Export, false, false).map_err(|e| format!("declaring {STACKCHECK_SYMBOL}: {e}"))?;
        let mut desc = cranelift_module::DataDescription::new();
        desc.define(Box::new([1u8]));
        self.module.define_data(id, &desc).map_err(|e| format!("defining {STACKCHECK_SYMBOL}: {e}"))
    }
}

/// The stack pointer, the g register, and `sp <= g.stackguard0 - extra` (unsigned).
fn stack_exhausted(b: &mut FunctionBuilder, extra: i64) -> (Value, Value) {
    let g = b.ins().get_pinned_reg(types::I64);
    let guard = b.ins().load(types::I64, MemFlagsData::trusted(), g, G_STACKGUARD0_OFFSET);
    let sp = b.ins().get_stack_pointer(types::I64);
    let sp = if extra == 0 { sp } else { b.ins().iadd_imm_s(sp, -extra) };
    (b.ins().icmp(IntCC::UnsignedLessThanOrEqual, sp, guard), g)
}

/// Emits the check in the current block (the function's entry, with `params` its block
/// parameters); the body continues in the returned block. `symbol` is the function morestack
/// re-enters (the wrapper for a wrapped body), `extra` bytes of frame not yet allocated.
fn emit_check(cx: &mut CodegenCx, b: &mut FunctionBuilder, symbol: &str, params: &[Value], extra: i64, arch: Arch) -> Result<Block, String> {
    let (exhausted, g) = stack_exhausted(b, extra);
    let (slow, cont) = (b.create_block(), b.create_block());
    b.ins().brif(exhausted, slow, &[], cont, &[]);
    b.set_cold_block(slow);
    b.switch_to_block(slow);
    let ptr = cx.isa.pointer_type();
    let me = cx.go_func(symbol)?;
    let me = cx.module.declare_func_in_func(me, b.func);
    b.func.dfg.ext_funcs[me].colocated = true;
    let me = b.ins().func_addr(ptr, me);
    let flags = MemFlagsData::trusted();
    b.ins().store(flags, me, g, G_MORESTACK_FN_OFFSET);
    let argbytes = stack_arg_bytes(&b.func.signature, arch);
    let argsize = b.ins().iconst(types::I64, argbytes);
    b.ins().store(flags, argsize, g, G_MORESTACK_ARGSIZE_OFFSET);
    let framesize = b.ins().iconst(types::I64, extra);
    b.ins().store(flags, framesize, g, G_MORESTACK_FRAMESIZE_OFFSET);
    let morestack = cx.morestack()?;
    let morestack = cx.module.declare_func_in_func(morestack, b.func);
    b.func.dfg.ext_funcs[morestack].colocated = true;
    let code = b.ins().func_addr(ptr, morestack);
    let sig = b.func.signature.clone();
    let sigref = b.import_signature(sig);
    let call = b.ins().call_indirect(sigref, code, params);
    let results = b.inst_results(call).to_vec();
    b.ins().return_(&results);
    b.switch_to_block(cont);
    Ok(cont)
}

impl FunctionCx<'_, '_> {
    /// The entry check of the function being compiled, unless it is a leaf with small
    /// stack slots; returns the block the body continues in (the entry block without a check).
    pub(super) fn stack_check(&mut self, entry: Block) -> Result<Block, String> {
        let slots: u32 = self.b.func.sized_stack_slots.values().map(|s| s.size).sum();
        if !calls_something(self.func) && slots <= LEAF_SLOTS_LIMIT {
            return Ok(entry);
        }
        let params = self.b.block_params(entry).to_vec();
        let arch = self.cx.arch;
        emit_check(self.cx, &mut self.b, &self.func.symbol.clone(), &params, 0, arch)
    }

    /// On a loop back edge: enters the runtime's preemption point when the runtime asks for
    /// preemption (g.stackguard0 poisoned); code continues in a fresh block.
    pub(super) fn preempt_check(&mut self) -> Result<(), String> {
        let g = self.b.ins().get_pinned_reg(types::I64);
        let guard = self.b.ins().load(types::I64, MemFlagsData::trusted(), g, G_STACKGUARD0_OFFSET);
        let poisoned = self.b.ins().icmp_imm_s(IntCC::Equal, guard, STACK_PREEMPT);
        let (yield_block, cont) = (self.b.create_block(), self.b.create_block());
        self.b.ins().brif(poisoned, yield_block, &[], cont, &[]);
        self.b.set_cold_block(yield_block);
        self.b.switch_to_block(yield_block);
        let id = self.cx.runtime_func(RuntimeFn::PreemptPoint)?;
        let fref = self.cx.module.declare_func_in_func(id, self.b.func);
        self.b.func.dfg.ext_funcs[fref].colocated = true;
        self.b.ins().call(fref, &[]);
        self.b.ins().jump(cont, &[]);
        self.b.switch_to_block(cont);
        Ok(())
    }
}

/// The frame a compiled function allocates: from its stack pointer after the prologue up to
/// and including the saved frame pointer and return address.
pub fn frame_size(ctx: &Context) -> u32 {
    let layout = ctx.compiled_code().and_then(|c| c.buffer.frame_layout());
    layout.map_or(0, |l| l.frame_to_fp_offset) + 16
}

/// Defines function `id` from the code compiled in `ctx`: directly when its frame is small
/// enough for the check after the prologue; otherwise as `symbol·body` behind a wrapper that
/// checks for the whole frame first and then calls it. Returns the id the code was defined
/// under (the body's, for a wrapped function).
pub fn define_checked(cx: &mut CodegenCx, id: FuncId, symbol: &str, ctx: &Context) -> Result<FuncId, String> {
    let frame = frame_size(ctx);
    let target = if frame <= MAX_UNCHECKED_FRAME {
        id
    } else {
        let name = format!("{symbol}·body");
        let body = cx.module.declare_function(&name, Linkage::Local, &ctx.func.signature).map_err(|e| format!("declaring {name}: {e}"))?;
        define_wrapper(cx, id, body, symbol, &ctx.func.signature, frame)?;
        body
    };
    let compiled = ctx.compiled_code().ok_or("internal error: no compiled code")?;
    let relocs: Vec<ModuleReloc> = compiled.buffer.relocs().iter().map(|r| ModuleReloc::from_mach_reloc(r, &ctx.func, target)).collect();
    let alignment = compiled.buffer.alignment as u64;
    cx.module.define_function_bytes(target, alignment, compiled.buffer.data(), &relocs).map_err(|e| format!("defining {symbol}: {e}"))?;
    Ok(target)
}

/// The wrapper `symbol` of a function with a large frame: checks that `frame` more bytes fit
/// above the guard (else morestack, asking for that much), then calls the body.
fn define_wrapper(cx: &mut CodegenCx, id: FuncId, body: FuncId, symbol: &str, sig: &Signature, frame: u32) -> Result<(), String> {
    let mut ctx = cx.module.make_context();
    ctx.func.signature = sig.clone();
    let mut fctx = FunctionBuilderContext::new();
    {
        let mut b = FunctionBuilder::new(&mut ctx.func, &mut fctx);
        let entry = b.create_block();
        b.append_block_params_for_function_params(entry);
        b.switch_to_block(entry);
        let params = b.block_params(entry).to_vec();
        let arch = cx.arch;
        emit_check(cx, &mut b, symbol, &params, i64::from(frame) + WRAPPER_SLACK, arch)?;
        let fref = cx.module.declare_func_in_func(body, b.func);
        b.func.dfg.ext_funcs[fref].colocated = true;
        let call = b.ins().call(fref, &params);
        let results = b.inst_results(call).to_vec();
        b.ins().return_(&results);
        b.seal_all_blocks();
        b.finalize(cx.isa.frontend_config());
    }
    cx.module.define_function(id, &mut ctx).map_err(|e| format!("compiling the wrapper of {symbol}: {e:?}"))?;
    cx.module.clear_context(&mut ctx);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use cranelift_codegen::ir::AbiParam;
    use cranelift_codegen::isa::CallConv;

    fn sig(params: &[cranelift_codegen::ir::Type], rets: &[cranelift_codegen::ir::Type]) -> Signature {
        let mut s = Signature::new(CallConv::SystemV);
        s.params.extend(params.iter().map(|&t| AbiParam::new(t)));
        s.returns.extend(rets.iter().map(|&t| AbiParam::new(t)));
        s
    }

    #[test]
    fn stack_arguments() {
        let i = types::I64;
        let f = types::F64;
        assert_eq!(stack_arg_bytes(&sig(&[i; 6], &[i]), Arch::Amd64), 0);
        assert_eq!(stack_arg_bytes(&sig(&[i; 7], &[]), Arch::Amd64), 16);
        assert_eq!(stack_arg_bytes(&sig(&[i; 9], &[]), Arch::Amd64), 32);
        assert_eq!(stack_arg_bytes(&sig(&[i; 9], &[]), Arch::Arm64), 16);
        // Three integer results: the return-area pointer takes rdi.
        assert_eq!(stack_arg_bytes(&sig(&[i; 6], &[i; 3]), Arch::Amd64), 16);
        assert_eq!(stack_arg_bytes(&sig(&[f; 9], &[]), Arch::Amd64), 16);
        assert_eq!(stack_arg_bytes(&sig(&[f, i, f], &[]), Arch::Arm64), 0);
    }
}
