//! The -S listing: each compiled function's machine code, disassembled with capstone,
//! grouped by the Go source line each instruction came from, with call and data targets named.

use super::CodegenCx;
use crate::ir;
use cranelift_codegen::binemit::Reloc;
use cranelift_codegen::ir::{ExternalName, UserExternalName};
use cranelift_codegen::{Context, FinalizedRelocTarget};
use cranelift_module::{DataId, FuncId, Module};

/// The listing of one function.
#[derive(Debug)]
pub struct FuncListing {
    /// Go-style symbol name, e.g. `main.main`.
    pub symbol: String,
    /// Source file ("" for synthesized functions).
    pub file: String,
    /// Line of the declaration.
    pub line: u32,
    /// Code size in bytes.
    pub size: u32,
    /// Consecutive instructions that share a source line.
    pub groups: Vec<LineGroup>,
}

/// A run of instructions generated for one source line (0 = no line: prologue and such).
#[derive(Debug)]
pub struct LineGroup {
    pub line: u32,
    pub insns: Vec<Insn>,
}

/// One disassembled instruction.
#[derive(Debug)]
pub struct Insn {
    pub offset: u32,
    pub bytes: Vec<u8>,
    /// Mnemonic and operands, plus the name of a relocation target if the instruction has one.
    pub text: String,
}

/// Disassembles the function just compiled in `ctx`.
pub fn function_listing(cx: &CodegenCx, f: &ir::Func, ctx: &Context) -> Result<FuncListing, String> {
    let compiled = ctx.compiled_code().ok_or("internal error: no compiled code for listing")?;
    let code = compiled.buffer.data();
    let cs = cx.isa.to_capstone().map_err(|e| format!("capstone: {e}"))?;
    let insns = cs.disasm_all(code, 0).map_err(|e| format!("disassembling {}: {e}", f.symbol))?;
    let srclocs = compiled.buffer.get_srclocs_sorted();
    let relocs = compiled.buffer.relocs();
    let mut groups: Vec<LineGroup> = Vec::new();
    for insn in insns.iter() {
        let offset = insn.address() as u32;
        let end = offset + insn.bytes().len() as u32;
        let line = srclocs
            .iter()
            .find(|s| s.start <= offset && offset < s.end)
            .map(|s| if s.loc.is_default() { 0 } else { s.loc.bits() })
            .unwrap_or(0);
        let mut text = format!("{} {}", insn.mnemonic().unwrap_or("?"), insn.op_str().unwrap_or(""));
        if let Some(r) = relocs.iter().find(|r| r.offset >= offset && r.offset < end) {
            text = format!("{:<40} ; {}", text.trim_end(), reloc_name(cx, ctx, &r.target, r.kind));
        }
        let insn = Insn { offset, bytes: insn.bytes().to_vec(), text: text.trim_end().to_string() };
        match groups.last_mut() {
            Some(g) if g.line == line => g.insns.push(insn),
            _ => groups.push(LineGroup { line, insns: vec![insn] }),
        }
    }
    Ok(FuncListing {
        symbol: f.symbol.clone(),
        file: f.file.clone(),
        line: f.line,
        size: code.len() as u32,
        groups,
    })
}

/// The symbol a relocation refers to, as the linker will see it.
fn reloc_name(cx: &CodegenCx, ctx: &Context, target: &FinalizedRelocTarget, _kind: Reloc) -> String {
    let FinalizedRelocTarget::ExternalName(ExternalName::User(r)) = target else {
        return format!("{target:?}");
    };
    let UserExternalName { namespace, index } = ctx.func.params.user_named_funcs()[*r].clone();
    let decls = cx.module.declarations();
    let name = match namespace {
        0 => decls.get_function_decl(FuncId::from_u32(index)).name.clone(),
        _ => decls.get_data_decl(DataId::from_u32(index)).name.clone(),
    };
    name.unwrap_or_else(|| format!("anon.{namespace}.{index}"))
}
