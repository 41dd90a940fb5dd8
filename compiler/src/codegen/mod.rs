//! IR -> Cranelift IR -> machine code in an object file.
//!
//! Split by concern, like rustc_codegen_cranelift: [`isa`] (target flags), [`abi`]
//! (signatures), [`base`] (function bodies), [`constants`] (read-only data such as string
//! literals), [`disasm`] (the -S listing).

pub mod abi;
pub mod base;
pub mod constants;
pub mod disasm;
pub mod isa;
mod num;

use crate::ir;
use crate::runtime_abi::RuntimeFn;
use crate::target::Target;
use cranelift_codegen::isa::OwnedTargetIsa;
use cranelift_module::{FuncId, Linkage, Module};
use cranelift_object::{ObjectBuilder, ObjectModule};
use std::collections::HashMap;

/// Options that change what code generation produces.
#[derive(Clone, Copy, Debug, Default)]
pub struct Options {
    /// Produce an assembly listing of every function (-S).
    pub listing: bool,
}

/// The result of compiling a program: one relocatable object file and, if asked, its listing.
pub struct Output {
    pub object: Vec<u8>,
    pub listing: Vec<disasm::FuncListing>,
}

/// State shared by the functions of one object file.
pub struct CodegenCx {
    pub module: ObjectModule,
    pub isa: OwnedTargetIsa,
    go_funcs: HashMap<String, FuncId>,
    runtime_funcs: HashMap<RuntimeFn, FuncId>,
    pub(crate) strings: constants::StringTable,
}

impl CodegenCx {
    fn new(target: Target) -> Result<CodegenCx, String> {
        let isa = isa::build_isa(target)?;
        let builder =
            ObjectBuilder::new(isa.clone(), "go", cranelift_module::default_libcall_names())
                .map_err(|e| format!("object builder: {e}"))?;
        Ok(CodegenCx {
            module: ObjectModule::new(builder),
            isa,
            go_funcs: HashMap::new(),
            runtime_funcs: HashMap::new(),
            strings: constants::StringTable::default(),
        })
    }

    /// The module id of a Go function of this program (declared up front).
    pub fn go_func(&self, symbol: &str) -> Result<FuncId, String> {
        self.go_funcs.get(symbol).copied().ok_or_else(|| format!("call to undeclared function {symbol}"))
    }

    /// The module id of a runtime function, declared as an import on first use.
    pub fn runtime_func(&mut self, f: RuntimeFn) -> Result<FuncId, String> {
        if let Some(&id) = self.runtime_funcs.get(&f) {
            return Ok(id);
        }
        let sig = abi::runtime_signature(f, self.isa.as_ref());
        let id = self
            .module
            .declare_function(f.symbol(), Linkage::Import, &sig)
            .map_err(|e| format!("declaring {}: {e}", f.symbol()))?;
        self.runtime_funcs.insert(f, id);
        Ok(id)
    }
}

/// Compiles `program` for `target` into an object file.
pub fn compile_program(program: &ir::Program, target: Target, opts: Options) -> Result<Output, String> {
    let mut cx = CodegenCx::new(target)?;
    for f in &program.funcs {
        let sig = abi::go_signature(&program.tys, f, cx.isa.as_ref())?;
        let id = cx
            .module
            .declare_function(&f.symbol, Linkage::Export, &sig)
            .map_err(|e| format!("declaring {}: {e}", f.symbol))?;
        cx.go_funcs.insert(f.symbol.clone(), id);
    }
    let mut listing = Vec::new();
    for f in &program.funcs {
        let compiled = base::define_function(&mut cx, program, f, opts.listing)?;
        if let Some(l) = compiled {
            listing.push(l);
        }
    }
    cx.strings.define_all(&mut cx.module)?;
    let product = cx.module.finish();
    let object = product.emit().map_err(|e| format!("writing the object file: {e}"))?;
    Ok(Output { object, listing })
}

#[cfg(test)]
mod tests;
