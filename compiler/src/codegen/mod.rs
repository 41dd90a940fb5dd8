//! IR -> Cranelift IR -> machine code in an object file.
//!
//! Split by concern, like rustc_codegen_cranelift: [`isa`] (target flags), [`abi`]
//! (signatures), [`base`] (function bodies), [`value_and_place`] (where locals live, reading
//! and writing places), [`typedesc`] (the type descriptor blob), [`constants`] (read-only data such as string literals), [`disasm`]
//! (the -S listing).

pub mod abi;
pub mod barrier;
pub mod base;
pub mod constants;
pub mod disasm;
pub mod functab;
pub mod isa;
mod num;
pub mod typedesc;
pub mod prologue;
pub mod value_and_place;

use crate::ir;
use crate::runtime_abi::RuntimeFn;
use crate::target::Target;
use cranelift_codegen::isa::OwnedTargetIsa;
use cranelift_module::{DataDescription, DataId, FuncId, Linkage, Module};
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
    /// The target architecture.
    pub arch: crate::target::Arch,
    /// Each Go function's module id and result types.
    go_funcs: HashMap<String, (FuncId, Vec<ir::ty::TyId>)>,
    /// Package-level variables, by [`ir::GlobalId`].
    globals: Vec<DataId>,
    /// Static closure objects of functions used as func values.
    closures: HashMap<String, DataId>,
    /// The program's descriptor blob, once laid out.
    pub(crate) types: Option<typedesc::TypesLayout>,
    runtime_funcs: HashMap<RuntimeFn, FuncId>,
    pub(crate) strings: constants::StringTable,
    /// The function table, filled as functions are compiled.
    pub(crate) functab: functab::FuncTab,
    /// The frame halves of functions with defers, by symbol: whether they have arguments.
    pub(crate) defer_frames: HashMap<String, bool>,
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
            arch: target.arch,
            go_funcs: HashMap::new(),
            globals: Vec::new(),
            closures: HashMap::new(),
            types: None,
            runtime_funcs: HashMap::new(),
            strings: constants::StringTable::default(),
            functab: functab::FuncTab::default(),
            defer_frames: HashMap::new(),
        })
    }

    /// The module id of a Go function of this program (declared up front).
    pub fn go_func(&self, symbol: &str) -> Result<FuncId, String> {
        self.go_funcs.get(symbol).map(|f| f.0).ok_or_else(|| format!("call to undeclared function {symbol}"))
    }

    /// The result types of a Go function of this program.
    pub fn go_results(&self, symbol: &str) -> Result<&[ir::ty::TyId], String> {
        self.go_funcs.get(symbol).map(|f| f.1.as_slice()).ok_or_else(|| format!("call to undeclared function {symbol}"))
    }

    /// The static closure object `{code}` of a Go function (the func value of a function
    /// named in the program), defined on first use.
    pub fn static_closure(&mut self, symbol: &str) -> Result<DataId, String> {
        if let Some(&id) = self.closures.get(symbol) {
            return Ok(id);
        }
        let func = self.go_func(symbol)?;
        let name = format!("{symbol}·f");
        let id = self.module.declare_data(&name, Linkage::Local, false, false).map_err(|e| format!("declaring {name}: {e}"))?;
        let mut desc = DataDescription::new();
        // Initialised bytes, not zeroinit: a zeroinit object goes to .bss, where the
        // relocation of the code address would be lost.
        desc.define(Box::new([0u8; 8]));
        desc.set_align(8);
        let fref = self.module.declare_func_in_data(func, &mut desc);
        desc.write_function_addr(0, fref);
        self.module.define_data(id, &desc).map_err(|e| format!("defining {name}: {e}"))?;
        self.closures.insert(symbol.to_string(), id);
        Ok(id)
    }

    /// The data object of a package-level variable.
    pub fn global(&self, g: ir::GlobalId) -> Result<DataId, String> {
        self.globals.get(g.0 as usize).copied().ok_or_else(|| format!("internal error: undeclared global {}", g.0))
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
        let param_tys = abi::param_tys(f);
        let sig = abi::go_signature(&program.tys, &abi::func_sig(f, &param_tys), cx.isa.as_ref());
        let id = cx
            .module
            .declare_function(&f.symbol, Linkage::Export, &sig)
            .map_err(|e| format!("declaring {}: {e}", f.symbol))?;
        cx.go_funcs.insert(f.symbol.clone(), (id, f.results.clone()));
    }
    for f in &program.externs {
        // A runtime entry the compiler also calls directly keeps the table's declaration.
        let id = match crate::runtime_abi::RuntimeFn::by_symbol(&f.symbol) {
            Some(rf) => cx.runtime_func(rf)?,
            None => {
                let sig = abi::go_signature(&program.tys, &abi::GoSig { params: &f.params, results: &f.results, closure: false }, cx.isa.as_ref());
                cx.module.declare_function(&f.symbol, Linkage::Import, &sig).map_err(|e| format!("declaring {}: {e}", f.symbol))?
            }
        };
        cx.go_funcs.insert(f.symbol.clone(), (id, f.results.clone()));
    }
    for g in &program.globals {
        // Variables are writable and exported; boxed constants are read-only and local.
        let (linkage, writable) = if g.init.is_some() { (Linkage::Local, false) } else { (Linkage::Export, true) };
        let id = cx
            .module
            .declare_data(&g.symbol, linkage, writable, false)
            .map_err(|e| format!("declaring {}: {e}", g.symbol))?;
        let layout = program.tys.layout(g.ty);
        let size = layout.size.max(1) as usize;
        let mut desc = DataDescription::new();
        match &g.init {
            Some(bytes) => {
                let mut data = bytes.clone();
                data.resize(size, 0);
                desc.define(data.into_boxed_slice());
            }
            None => desc.define_zeroinit(size),
        }
        desc.set_align(layout.align.max(1));
        cx.module.define_data(id, &desc).map_err(|e| format!("defining {}: {e}", g.symbol))?;
        cx.globals.push(id);
    }
    let symbols: std::collections::HashSet<&str> = program.funcs.iter().map(|f| f.symbol.as_str()).collect();
    cx.defer_frames = program
        .funcs
        .iter()
        .filter(|f| symbols.contains(format!("{}·deferbody", f.symbol).as_str()))
        .map(|f| (f.symbol.clone(), functab::has_args(program, f)))
        .collect();
    cx.types = typedesc::layout(&mut cx, &program.type_descs)?;
    let mut built = Vec::with_capacity(program.funcs.len());
    for f in &program.funcs {
        built.push(base::build_function(&mut cx, program, f)?);
    }
    base::compile_all(cx.isa.as_ref(), &mut built)?;
    let mut listing = Vec::new();
    for b in built {
        if let Some(l) = base::define_function(&mut cx, program, b, opts.listing)? {
            listing.push(l);
        }
    }
    cx.define_stackcheck()?;
    functab::define_goexit(&mut cx)?;
    let table = std::mem::take(&mut cx.functab);
    table.define(&mut cx, &functab::goroot())?;
    cx.strings.define_all(&mut cx.module)?;
    if let Some(layout) = cx.types.take() {
        typedesc::define(&mut cx, &program.type_descs, &layout)?;
    }
    let product = cx.module.finish();
    let object = product.emit().map_err(|e| format!("writing the object file: {e}"))?;
    Ok(Output { object, listing })
}

#[cfg(test)]
mod tests;
