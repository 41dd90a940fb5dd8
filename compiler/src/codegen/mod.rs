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
        let sig = abi::nullary_signature(cx.isa.as_ref());
        let id = cx
            .module
            .declare_function(&f.symbol, Linkage::Export, &sig)
            .map_err(|e| format!("declaring {}: {e}", f.symbol))?;
        cx.go_funcs.insert(f.symbol.clone(), id);
    }
    let mut listing = Vec::new();
    for f in &program.funcs {
        let compiled = base::define_function(&mut cx, f, opts.listing)?;
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
mod tests {
    use super::*;
    use crate::ir::{Call, Callee, Func, Program, Stmt, StmtKind, Value};
    use crate::link::{find_runtime_lib, link, LinkJob};
    use crate::runtime_abi::PROGRAM_ENTRY;
    use crate::target::Arch;

    fn call(callee: Callee, args: Vec<Value>) -> Stmt {
        Stmt { line: 3, kind: StmtKind::Call(Call { callee, args }) }
    }

    /// `main.main` printing a string, an int, a bool and a float, and the entry calling it.
    fn sample_program() -> Program {
        use RuntimeFn::*;
        let rt = Callee::Runtime;
        let main = Func {
            symbol: "main.main".into(),
            file: "x.go".into(),
            line: 2,
            body: vec![
                call(rt(PrintLock), vec![]),
                call(rt(PrintString), vec![Value::Str(b"hi ".to_vec())]),
                call(rt(PrintInt), vec![Value::Int(-7)]),
                call(rt(PrintSp), vec![]),
                call(rt(PrintBool), vec![Value::Bool(true)]),
                call(rt(PrintSp), vec![]),
                call(rt(PrintFloat), vec![Value::Float(1.5)]),
                call(rt(PrintNl), vec![]),
                call(rt(PrintUnlock), vec![]),
            ],
        };
        let entry = Func {
            symbol: PROGRAM_ENTRY.into(),
            file: String::new(),
            line: 0,
            body: vec![call(Callee::Func("main.main".into()), vec![])],
        };
        Program { funcs: vec![main, entry] }
    }

    fn build_and_run(arch: Arch) -> Option<(String, bool)> {
        let target = Target { arch };
        let lib = find_runtime_lib(target).ok()?;
        let (cc, _) = target.linker();
        if std::process::Command::new(cc).arg("--version").output().is_err() {
            return None;
        }
        let out = compile_program(&sample_program(), target, Options { listing: true }).unwrap();
        let dir = tempfile::tempdir().unwrap();
        let exe = dir.path().join("x");
        link(&LinkJob { target, object: &out.object, runtime_lib: &lib, output: &exe, echo: false }).unwrap();
        let mut cmd = match target.emulator() {
            Some(emu) => {
                let mut c = std::process::Command::new(emu);
                c.arg(&exe);
                c
            }
            None => std::process::Command::new(&exe),
        };
        let result = cmd.output().ok()?;
        let listed = out.listing.iter().any(|f| f.symbol == "main.main" && f.groups.iter().any(|g| g.line == 3));
        Some((String::from_utf8_lossy(&result.stderr).into_owned(), result.status.success() && listed))
    }

    #[test]
    fn compiles_links_and_runs_on_both_targets() {
        for arch in [Arch::Amd64, Arch::Arm64] {
            let Some((stderr, ok)) = build_and_run(arch) else {
                eprintln!("skipped {arch:?}: runtime or toolchain missing");
                continue;
            };
            assert!(ok, "{arch:?} failed");
            assert_eq!(stderr, "hi -7 true +1.500000e+000\n", "{arch:?}");
        }
    }
}
