//! Building the IR of a checked package: package-level variables and their initialisation,
//! function and method bodies, function literals (closures), and the program entry.
//!
//! Split by concern: [`types`] (checker types to IR layouts), [`func`] (one function's
//! lowering state: variables, escaping variables, closures), [`stmt`] (statements and
//! control flow), [`range`] (range loops), [`expr`] (expressions and places), [`composite`]
//! (composite literals, slice expressions), [`typedesc`] and [`typealg`] (runtime type
//! descriptors, equality and hash functions, method wrappers), [`call`] (calls, built-ins and conversions),
//! [`iface`] (interfaces), [`map`] (maps), [`method`] (method values and expressions), [`print`] (print and println as gc's walkPrint), [`escape`] (which variables live on the
//! heap).
//!
//! The checker accepts the whole language; lowering grows construct by construct. Whatever
//! it cannot lower yet is reported as an error at its position ("goclift cannot compile …
//! yet"), never skipped.

mod call;
mod chan;
mod composite;
mod defer;
mod escape;
mod expr;
mod func;
mod iface;
mod map;
mod method;
mod method_expr;
mod goroutine;
mod instance;
mod print;
mod range;
mod stmt;
mod typealg;
mod typedesc;
mod types;

use super::build::FuncBuilder;
use super::ty::TyTable as IrTys;
use super::typedesc::{TypeDescId, TypeDescs};
use super::{Callee, Func, Global, GlobalId, Program};
use crate::diag::Diagnostic;
use crate::runtime_abi::PROGRAM_ENTRY;
use crate::syntax::ast::{DeclKind, File};
use crate::syntax::pos::{Pos, SourceMap};
use crate::types::{FuncRef, Info, ObjId, World};
use std::cell::RefCell;
use std::collections::HashMap;

/// The IR of a checked main package, with the program entry; or the constructs that cannot
/// be compiled yet.
pub fn lower_package(files: &[File], info: &Info, world: &World, sources: &SourceMap) -> Result<Program, Vec<Diagnostic>> {
    // Instantiation creates types: generic packages lower with their own copy of the world.
    let owned;
    let (world, instances) = if instance::has_generics(info) {
        let mut w = world.clone();
        let inst = instance::collect(files, info, &mut w);
        owned = w;
        (&owned, inst)
    } else {
        (world, Default::default())
    };
    let mut lx = Lowerer::new(files, info, world, sources);
    lx.install_instances(instances);
    let lx = lx;
    lx.reject_unsupported_decls();
    for &f in &info.funcs {
        lx.func_decl(f);
    }
    lx.instance_bodies();
    lx.package_init();
    lx.entry();
    let errors = lx.errors.into_inner();
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(Program {
        tys: lx.tys.into_inner(),
        funcs: lx.funcs.into_inner(),
        globals: lx.globals.into_inner(),
        type_descs: lx.type_descs.into_inner(),
    })
}

/// Package-wide lowering state.
struct Lowerer<'a> {
    files: &'a [File],
    info: &'a Info,
    world: &'a World,
    sources: &'a SourceMap,
    errors: RefCell<Vec<Diagnostic>>,
    tys: RefCell<IrTys>,
    funcs: RefCell<Vec<Func>>,
    globals: RefCell<Vec<Global>>,
    /// Package-level variables.
    global_ids: HashMap<ObjId, GlobalId>,
    /// Linker symbols of the package's functions and methods with bodies.
    func_symbols: HashMap<ObjId, String>,
    /// Runtime type descriptors, and their ids by link string.
    type_descs: RefCell<TypeDescs>,
    desc_ids: RefCell<HashMap<String, TypeDescId>>,
    /// Symbols of the functions generated so far (equality, hashing, wrappers).
    generated: RefCell<std::collections::HashSet<String>>,
    /// Instances of generic functions and methods (see instance.rs).
    instances: instance::Instances,
}

impl<'a> Lowerer<'a> {
    fn new(files: &'a [File], info: &'a Info, world: &'a World, sources: &'a SourceMap) -> Lowerer<'a> {
        let mut lx = Lowerer {
            files,
            info,
            world,
            sources,
            errors: RefCell::new(Vec::new()),
            tys: RefCell::new(IrTys::default()),
            funcs: RefCell::new(Vec::new()),
            globals: RefCell::new(Vec::new()),
            global_ids: HashMap::new(),
            func_symbols: HashMap::new(),
            type_descs: RefCell::new(TypeDescs::default()),
            desc_ids: RefCell::new(HashMap::new()),
            generated: RefCell::new(std::collections::HashSet::new()),
            instances: Default::default(),
        };
        for &f in &info.funcs {
            lx.func_symbols.insert(f.obj, lx.symbol(f));
        }
        lx.declare_globals();
        lx
    }

    /// Reports a construct that cannot be compiled yet.
    fn unsupported(&self, fi: usize, pos: Pos, what: &str) {
        let msg = format!("goclift cannot compile {what} yet");
        let mut errors = self.errors.borrow_mut();
        // One report per position is enough (a construct may be visited twice).
        if !errors.iter().any(|d| d.pos == pos && d.file == self.files[fi].file) {
            errors.push(Diagnostic { file: self.files[fi].file, pos, msg });
        }
    }

    /// Package-level declarations that need code or data this stage cannot produce yet.
    fn reject_unsupported_decls(&self) {
        for (fi, file) in self.files.iter().enumerate() {
            for &d in &file[file.decls] {
                let decl = &file[d];
                match &decl.kind {
                    DeclKind::Import { .. } => self.unsupported(fi, decl.pos, "imports"),
                    _ => {}
                }
            }
        }
    }

    /// The linker symbol of a package function or method, as gc names them: `pkg.name`,
    /// `pkg.init.N` for the Nth init function, `pkg.T.M` and `pkg.(*T).M` for methods.
    fn symbol(&self, f: FuncRef) -> String {
        let pkg = &self.info.package;
        if let Some(i) = self.info.inits.iter().position(|&g| g == f) {
            return format!("{pkg}.init.{i}");
        }
        let file = &self.files[f.file];
        let DeclKind::Func { name, recv, .. } = file[f.decl].kind else { unreachable!("FuncRef names a func decl") };
        let name = file.name(name);
        let Some(recv) = recv else { return format!("{pkg}.{}", name.as_str()) };
        let mut t = file.unparen(recv.typ);
        let mut pointer = false;
        if let crate::syntax::ast::ExprKind::Operation { op: crate::syntax::token::Operator::Mul, x, y: None } = file[t].kind {
            pointer = true;
            t = file.unparen(x);
        }
        let base = match file[t].kind {
            crate::syntax::ast::ExprKind::Index { x, .. } => x,
            _ => t,
        };
        let tname = file.name(base);
        if pointer {
            format!("{pkg}.(*{}).{}", tname.as_str(), name.as_str())
        } else {
            format!("{pkg}.{}.{}", tname.as_str(), name.as_str())
        }
    }

    /// A data object per package-level variable (`_` variables too: their initialisers run).
    fn declare_globals(&mut self) {
        for (fi, file) in self.files.iter().enumerate() {
            for &d in &file[file.decls] {
                let DeclKind::Var { names, .. } = file[d].kind else { continue };
                for &n in &file[names] {
                    let Some(obj) = self.info.files[fi].def(n) else { continue };
                    let ty = self.ir_ty(self.world.obj(obj).typ());
                    let name = file.name(n);
                    let mut globals = self.globals.borrow_mut();
                    let symbol = match name.as_str() {
                        "_" => format!("{}._.{}", self.info.package, globals.len()),
                        n => format!("{}.{n}", self.info.package),
                    };
                    self.global_ids.insert(obj, GlobalId(globals.len() as u32));
                    globals.push(Global { symbol, ty });
                }
            }
        }
    }

    /// Adds a finished function to the program.
    fn add_func(&self, f: Func) {
        self.funcs.borrow_mut().push(f);
    }

    /// `pkg.init`: package-level variables in the checker's initialisation order, then the
    /// init functions in source order (gc's package initialisation function).
    fn package_init(&self) {
        let mut b = FuncBuilder::new(&format!("{}.init", self.info.package), "", 0, &[], Vec::new());
        let mut closures = 0;
        for init in &self.info.init_order {
            let mut fx = func::FnCx::for_package_init(self, init.file, b, &mut closures);
            fx.global_init(&init.lhs, init.rhs);
            b = fx.finish_builder();
        }
        for &f in &self.info.inits {
            b.call(Callee::Func(self.func_symbols[&f.obj].clone()), Vec::new(), Vec::new());
        }
        self.add_func(b.finish());
    }

    /// `goclift.main`: package initialisation, then main.main.
    fn entry(&self) {
        let mut b = FuncBuilder::new(PROGRAM_ENTRY, "", 0, &[], Vec::new());
        b.call(Callee::Func(format!("{}.init", self.info.package)), Vec::new(), Vec::new());
        if let Some(main) = &self.info.main {
            b.call(Callee::Func(self.func_symbols[&main.obj].clone()), Vec::new(), Vec::new());
        }
        self.add_func(b.finish());
    }

    /// The source file name of file `fi`, as listings and tracebacks show it.
    fn filename(&self, fi: usize) -> &str {
        &self.sources.file(self.files[fi].file).name
    }
}
