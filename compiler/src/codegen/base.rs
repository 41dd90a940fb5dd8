//! Lowering of IR function bodies to Cranelift IR, and their compilation into the module.

use super::{abi, disasm, CodegenCx};
use crate::ir::{self, Callee, StmtKind, Value};
use cranelift_codegen::ir::{types, InstBuilder, SourceLoc};
use cranelift_frontend::{FunctionBuilder, FunctionBuilderContext};
use cranelift_module::{FuncId, Module};

/// Compiles `f` into the module; returns its listing when `want_listing`.
pub fn define_function(
    cx: &mut CodegenCx,
    f: &ir::Func,
    want_listing: bool,
) -> Result<Option<disasm::FuncListing>, String> {
    let id = cx.go_func(&f.symbol)?;
    let mut ctx = cx.module.make_context();
    ctx.func.signature = abi::nullary_signature(cx.isa.as_ref());
    let frontend_config = cx.isa.frontend_config();
    let mut fctx = FunctionBuilderContext::new();
    {
        let mut b = FunctionBuilder::new(&mut ctx.func, &mut fctx);
        let entry = b.create_block();
        b.switch_to_block(entry);
        b.seal_block(entry);
        b.set_srcloc(SourceLoc::new(f.line));
        for stmt in &f.body {
            b.set_srcloc(SourceLoc::new(stmt.line));
            lower_stmt(cx, &mut b, stmt)?;
        }
        b.ins().return_(&[]);
        b.finalize(frontend_config);
    }
    cx.module
        .define_function(id, &mut ctx)
        .map_err(|e| format!("compiling {}: {e:?}", f.symbol))?;
    let listing = if want_listing { Some(disasm::function_listing(cx, f, &ctx)?) } else { None };
    cx.module.clear_context(&mut ctx);
    Ok(listing)
}

fn lower_stmt(cx: &mut CodegenCx, b: &mut FunctionBuilder, stmt: &ir::Stmt) -> Result<(), String> {
    match &stmt.kind {
        StmtKind::Call(call) => lower_call(cx, b, call),
        StmtKind::Return => {
            b.ins().return_(&[]);
            // Code after a return is unreachable but still needs a block to live in.
            let after = b.create_block();
            b.switch_to_block(after);
            b.seal_block(after);
            Ok(())
        }
    }
}

fn lower_call(cx: &mut CodegenCx, b: &mut FunctionBuilder, call: &ir::Call) -> Result<(), String> {
    let callee: FuncId = match &call.callee {
        Callee::Runtime(f) => cx.runtime_func(*f)?,
        Callee::Func(symbol) => cx.go_func(symbol)?,
    };
    let fref = cx.module.declare_func_in_func(callee, b.func);
    // Executables are linked statically into one image well under 2 GiB, so every callee,
    // imported runtime functions included, is reachable with a direct PC-relative call.
    b.func.dfg.ext_funcs[fref].colocated = true;
    let mut args = Vec::with_capacity(call.args.len() * 2);
    for v in &call.args {
        lower_value(cx, b, v, &mut args)?;
    }
    let expected = b.func.dfg.signatures[b.func.dfg.ext_funcs[fref].signature].params.len();
    if args.len() != expected {
        return Err(format!("internal error: call with {} machine arguments, callee takes {expected}", args.len()));
    }
    b.ins().call(fref, &args);
    Ok(())
}

/// Appends the machine values representing `v` to `out`.
fn lower_value(
    cx: &mut CodegenCx,
    b: &mut FunctionBuilder,
    v: &Value,
    out: &mut Vec<cranelift_codegen::ir::Value>,
) -> Result<(), String> {
    let ptr = cx.isa.pointer_type();
    match v {
        Value::Int(i) => out.push(b.ins().iconst(types::I64, *i)),
        Value::Bool(t) => out.push(b.ins().iconst(types::I8, i64::from(*t))),
        Value::Float(x) => out.push(b.ins().f64const(*x)),
        Value::Str(bytes) if bytes.is_empty() => {
            out.push(b.ins().iconst(ptr, 0));
            out.push(b.ins().iconst(ptr, 0));
        }
        Value::Str(bytes) => {
            let data = cx.strings.intern(&mut cx.module, bytes)?;
            let gv = cx.module.declare_data_in_func(data, b.func);
            out.push(b.ins().symbol_value(ptr, gv));
            out.push(b.ins().iconst(ptr, bytes.len() as i64));
        }
    }
    Ok(())
}
