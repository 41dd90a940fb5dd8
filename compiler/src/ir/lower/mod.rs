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

mod bodyless;
mod call;
mod chan;
mod compare;
mod composite;
mod defer;
mod escape;
mod escape_flow;
pub use escape_flow::escape_report;
mod expr;
mod func;
mod iface;
mod map;
mod method;
mod methodset;
mod goroutine;
mod instance;
mod print;
mod range;
mod reach;
mod stmt;
mod typealg;
mod typedesc;
mod types;

use super::build::FuncBuilder;
use super::ty::{TyId, TyTable as IrTys};
use super::typedesc::{ItabId, TypeDescId, TypeDescs};
use super::{Callee, ExternFunc, Func, Global, GlobalId, Program};
use crate::diag::Diagnostic;
use crate::runtime_abi::PROGRAM_ENTRY;
use crate::syntax::ast::{DeclKind, File};
use crate::syntax::pos::{Pos, SourceMap};
use crate::types::{FuncRef, Info, ObjId, World};
use std::cell::RefCell;
use std::collections::HashMap;

/// One checked package of the program: its files and the checker's results.
pub struct PackageInput<'a> {
    pub files: &'a [File],
    pub info: &'a Info,
}

/// The IR of a whole program: `packages` in dependency order (every package after the ones
/// it imports; the main package last), with the program entry; or the constructs that
/// cannot be compiled yet.
pub fn lower_program(packages: &[PackageInput], world: &mut World, sources: &SourceMap) -> Result<Program, Vec<Diagnostic>> {
    let shared = Shared::default();
    // Instantiation creates types: the generic code of the main package is instantiated
    // first, in the world (see instance.rs).
    let instances = match packages.last() {
        Some(main) if instance::has_generics(main.info) => instance::collect(main.files, main.info, world),
        _ => Default::default(),
    };
    let world = &*world;
    let empty = Names::default();
    let mut names = Names::default();
    for (i, p) in packages.iter().enumerate() {
        Lowerer::new(p, world, sources, &shared, &empty).declare(i, &mut names);
    }
    for (m, sym) in &instances.methods {
        names.func_symbols.insert(*m, sym.clone());
    }
    let defined: HashMap<String, ObjId> = names.func_symbols.iter().map(|(&o, s)| (s.clone(), o)).collect();
    for p in packages {
        Lowerer::new(p, world, sources, &shared, &empty).declare_bodyless(&mut names, &defined);
    }
    let mut lowerers: Vec<Lowerer> = packages.iter().map(|p| Lowerer::new(p, world, sources, &shared, &names)).collect();
    if let Some(main) = lowerers.last_mut() {
        main.install_instances(instances);
    }
    let inits: Vec<String> = lowerers.iter().map(|lx| lx.package_init()).collect();
    let main = packages.last().and_then(|p| p.info.main).and_then(|m| lowerers.last()?.func_symbol(m.obj));
    lower_reachable(&lowerers, &names, &shared);
    if let Some(main) = lowerers.last() {
        main.instance_bodies();
    }
    lower_reachable(&lowerers, &names, &shared);
    shared.funcs.borrow_mut().push(entry(&inits, main));
    let errors: Vec<Diagnostic> = lowerers.into_iter().flat_map(|lx| lx.errors.into_inner()).collect();
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(Program {
        tys: shared.tys.into_inner(),
        funcs: shared.funcs.into_inner(),
        globals: shared.globals.into_inner(),
        type_descs: shared.type_descs.into_inner(),
        externs: shared.externs.into_inner(),
    })
}

/// Lowers the functions that the code lowered so far refers to, and those they refer to,
/// until none is left: only what the program can reach is compiled (like gc's linker
/// dead-code pass, but before code generation); the methods of method tables as they
/// become reachable (reach.rs).
fn lower_reachable(lowerers: &[Lowerer], names: &Names, shared: &Shared) {
    loop {
        let next = shared.wanted.borrow_mut().pop();
        if let Some(obj) = next {
            let (pkg, f) = names.bodies[&obj];
            lowerers[pkg].func_decl(f);
        } else if !reach::fill_reachable_methods(lowerers, names, shared) {
            break;
        }
    }
}

/// `goclift.main`: the packages' initialisation in dependency order, then main.main.
fn entry(inits: &[String], main: Option<String>) -> Func {
    let mut b = FuncBuilder::new(PROGRAM_ENTRY, "", 0, &[], Vec::new());
    for init in inits {
        b.call(Callee::Func(init.clone()), Vec::new(), Vec::new());
    }
    if let Some(main) = main {
        b.call(Callee::Func(main), Vec::new(), Vec::new());
    }
    b.finish()
}

/// What every package's lowering adds to: the program's types, functions, data and type
/// descriptors.
#[derive(Default)]
struct Shared {
    tys: RefCell<IrTys>,
    funcs: RefCell<Vec<Func>>,
    globals: RefCell<Vec<Global>>,
    /// Runtime type descriptors, and their ids by link string.
    type_descs: RefCell<TypeDescs>,
    desc_ids: RefCell<HashMap<String, TypeDescId>>,
    /// Static itabs by (interface, concrete type) descriptor (None: left to the runtime).
    itab_ids: RefCell<HashMap<(TypeDescId, TypeDescId), Option<ItabId>>>,
    /// Read-only constants boxed into interfaces, by bytes and type (iface.rs).
    static_boxes: RefCell<HashMap<(Vec<u8>, TyId), GlobalId>>,
    /// Symbols of the functions generated so far (equality, hashing, wrappers).
    generated: RefCell<std::collections::HashSet<String>>,
    /// Bodyless functions with a provider, as the program declares them.
    externs: RefCell<Vec<ExternFunc>>,
    /// Functions with bodies referred to but not lowered yet, and all referred to so far.
    wanted: RefCell<Vec<ObjId>>,
    referred: RefCell<std::collections::HashSet<ObjId>>,
    /// Which methods of method tables are reachable (reach.rs).
    reach: RefCell<reach::MethodReach>,
}

/// The program's package-level names: what other packages refer to.
#[derive(Default)]
struct Names {
    /// Package-level variables.
    global_ids: HashMap<ObjId, GlobalId>,
    /// Linker symbols of the functions and methods with bodies and of the bodyless ones
    /// goclift provides.
    func_symbols: HashMap<ObjId, String>,
    /// The functions and methods with bodies: their package (index in the program) and
    /// declaration.
    bodies: HashMap<ObjId, (usize, FuncRef)>,
    /// Functions marked `//go:uintptrescapes` (see `FnCx::keeps_uintptrs_alive`).
    uintptr_escapes: std::collections::HashSet<ObjId>,
    /// Bodyless functions defined by a function of the program (`//go:linkname`): the
    /// definition, compiled when the bodyless function is referred to.
    aliases: HashMap<ObjId, ObjId>,
}

/// One package's lowering state, over the program-wide [`Shared`] state and [`Names`].
struct Lowerer<'a> {
    files: &'a [File],
    info: &'a Info,
    /// The package's import path ("main" for the main package): the prefix of its symbols.
    path: &'a str,
    world: &'a World,
    sources: &'a SourceMap,
    errors: RefCell<Vec<Diagnostic>>,
    tys: &'a RefCell<IrTys>,
    funcs: &'a RefCell<Vec<Func>>,
    globals: &'a RefCell<Vec<Global>>,
    global_ids: &'a HashMap<ObjId, GlobalId>,
    func_symbols: &'a HashMap<ObjId, String>,
    type_descs: &'a RefCell<TypeDescs>,
    desc_ids: &'a RefCell<HashMap<String, TypeDescId>>,
    itab_ids: &'a RefCell<HashMap<(TypeDescId, TypeDescId), Option<ItabId>>>,
    static_boxes: &'a RefCell<HashMap<(Vec<u8>, TyId), GlobalId>>,
    generated: &'a RefCell<std::collections::HashSet<String>>,
    externs: &'a RefCell<Vec<ExternFunc>>,
    bodies: &'a HashMap<ObjId, (usize, FuncRef)>,
    aliases: &'a HashMap<ObjId, ObjId>,
    uintptr_escapes: &'a std::collections::HashSet<ObjId>,
    /// Instances of generic functions and methods (see instance.rs; the main package's).
    instances: instance::Instances,
    wanted: &'a RefCell<Vec<ObjId>>,
    referred: &'a RefCell<std::collections::HashSet<ObjId>>,
    reach: &'a RefCell<reach::MethodReach>,
    /// Escape analyses of this package's functions (escape_flow.rs).
    escape_cache: escape_flow::Cache,
}

impl<'a> Lowerer<'a> {
    fn new(p: &PackageInput<'a>, world: &'a World, sources: &'a SourceMap, shared: &'a Shared, names: &'a Names) -> Lowerer<'a> {
        let path = p.info.pkg.map_or(p.info.package.as_str(), |id| world.pkg(id).path.as_str());
        Lowerer {
            files: p.files,
            info: p.info,
            path,
            world,
            sources,
            errors: RefCell::new(Vec::new()),
            tys: &shared.tys,
            funcs: &shared.funcs,
            globals: &shared.globals,
            global_ids: &names.global_ids,
            func_symbols: &names.func_symbols,
            type_descs: &shared.type_descs,
            desc_ids: &shared.desc_ids,
            itab_ids: &shared.itab_ids,
            static_boxes: &shared.static_boxes,
            generated: &shared.generated,
            externs: &shared.externs,
            bodies: &names.bodies,
            aliases: &names.aliases,
            uintptr_escapes: &names.uintptr_escapes,
            instances: Default::default(),
            wanted: &shared.wanted,
            referred: &shared.referred,
            reach: &shared.reach,
            escape_cache: Default::default(),
        }
    }

    /// The linker symbol of function or method `obj` (None for a bodyless function goclift
    /// does not provide); the function is compiled because of this reference.
    fn func_symbol(&self, obj: ObjId) -> Option<String> {
        let symbol = self.func_symbols.get(&obj)?;
        let definition = self.aliases.get(&obj).copied().unwrap_or(obj);
        if self.bodies.contains_key(&definition) && self.referred.borrow_mut().insert(definition) {
            self.wanted.borrow_mut().push(definition);
        }
        Some(symbol.clone())
    }

    /// Adds the package's functions with bodies and its variables to `names` (`pkg`: the
    /// package's index in the program).
    fn declare(&self, pkg: usize, names: &mut Names) {
        for &f in &self.info.funcs {
            names.func_symbols.insert(f.obj, self.linked_symbol(f));
            names.bodies.insert(f.obj, (pkg, f));
            let file = &self.files[f.file];
            if file.pragma_directives(file[f.decl].pragma).iter().any(|d| &*d.text == "go:uintptrescapes") {
                names.uintptr_escapes.insert(f.obj);
            }
        }
        self.declare_globals(&mut names.global_ids);
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

    /// The symbol of a function or method without `//go:linkname`, as gc names them: `pkg.name`,
    /// `pkg.init.N` for the Nth init function, `pkg.T.M` and `pkg.(*T).M` for methods.
    fn symbol(&self, f: FuncRef) -> String {
        let pkg = self.path;
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
    fn declare_globals(&self, ids: &mut HashMap<ObjId, GlobalId>) {
        for (fi, file) in self.files.iter().enumerate() {
            for &d in &file[file.decls] {
                let DeclKind::Var { names, .. } = file[d].kind else { continue };
                for &n in &file[names] {
                    let Some(obj) = self.info.files[fi].def(n) else { continue };
                    let ty = self.ir_ty(self.world.obj(obj).typ());
                    let name = file.name(n);
                    let mut globals = self.globals.borrow_mut();
                    let symbol = match name.as_str() {
                        "_" => format!("{}._.{}", self.path, globals.len()),
                        n => format!("{}.{n}", self.path),
                    };
                    ids.insert(obj, GlobalId(globals.len() as u32));
                    globals.push(Global { symbol, ty, init: None });
                }
            }
        }
    }

    /// The read-only data object holding `bytes` as a value of IR type `ty`, shared by every
    /// conversion of the same constant to an interface.
    fn static_box(&self, bytes: Vec<u8>, ty: TyId) -> GlobalId {
        let mut boxes = self.static_boxes.borrow_mut();
        let mut globals = self.globals.borrow_mut();
        *boxes.entry((bytes, ty)).or_insert_with_key(|(bytes, ty)| {
            let id = GlobalId(globals.len() as u32);
            globals.push(Global { symbol: format!("goclift.stmp.{}", id.0), ty: *ty, init: Some(bytes.clone()) });
            id
        })
    }

    /// Adds a finished function to the program.
    fn add_func(&self, f: Func) {
        self.funcs.borrow_mut().push(f);
    }

    /// `pkg.init`: package-level variables in the checker's initialisation order, then the
    /// init functions in source order (gc's package initialisation function); returns its
    /// symbol.
    fn package_init(&self) -> String {
        let symbol = format!("{}.init", self.path);
        let mut b = FuncBuilder::new(&symbol, "", 0, &[], Vec::new());
        let mut closures = 0;
        for init in &self.info.init_order {
            let mut fx = func::FnCx::for_package_init(self, init.file, b, &mut closures);
            fx.global_init(&init.lhs, init.rhs);
            b = fx.finish_builder();
        }
        for &f in &self.info.inits {
            if let Some(symbol) = self.func_symbol(f.obj) {
                b.call(Callee::Func(symbol), Vec::new(), Vec::new());
            }
        }
        self.add_func(b.finish());
        symbol
    }

    /// The source file name of file `fi`, as listings and tracebacks show it.
    fn filename(&self, fi: usize) -> &str {
        &self.sources.file(self.files[fi].file).name
    }
}

#[cfg(test)]
pub(super) mod tests {
    use crate::driver::frontend::compile_main_package;
    use crate::target::Target;

    /// The lowered program of main package source `src` (`name` keeps concurrent tests'
    /// scratch directories apart); panics if it does not compile.
    pub fn lower_source(name: &str, src: &str) -> crate::ir::Program {
        let dir = std::env::temp_dir().join(format!("goclift-lower-{}-{name}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("main.go");
        std::fs::write(&file, src).unwrap();
        let fe = compile_main_package(&[file.to_string_lossy().into_owned()], Target::host(), false);
        let _ = std::fs::remove_dir_all(&dir);
        let Ok(fe) = fe else { panic!("{name} does not compile") };
        fe.program.expect("a main package")
    }
}
