//! Lowering one function: its variables (in locals, or on the heap when they escape),
//! parameters and results, and function literals as closures.
//!
//! A closure object is a heap block `{code, &v1, &v2, ...}`: the code address of the
//! literal's function, then a pointer to each captured variable (captured variables always
//! live on the heap, so the closure shares them with its creator, as Go requires).

use super::escape::heap_vars;
use super::Lowerer;
use crate::ir::build::FuncBuilder;
use crate::ir::ty::{Ty, TyId};
use crate::ir::{BlockId, Callee, Func, LocalId, Operand, Place, Rvalue, TermKind};
use crate::runtime_abi::RuntimeFn;
use crate::syntax::ast::{self, ExprId, ExprKind, File};
use crate::syntax::pos::Pos;
use crate::types::{FileInfo, ObjId, TypeId};
use std::collections::{HashMap, HashSet};

/// Where a variable lives.
#[derive(Clone, Copy, Debug)]
pub(super) enum Var {
    /// In a local of the function.
    Local(LocalId),
    /// In a cell at the address held by a pointer local: on the heap, or in the frame
    /// when escape analysis shows that the address does not outlive it.
    Heap { ptr: LocalId, ty: TyId },
}

/// The targets of `break` and `continue` inside a loop, switch or select.
pub(super) struct BranchTarget {
    /// The statement's label, if any.
    pub label: Option<ObjId>,
    pub brk: BlockId,
    /// None for switch and select (which `continue` passes through).
    pub cont: Option<BlockId>,
}

/// The state of lowering one function body.
pub(super) struct FnCx<'l, 'a> {
    pub lx: &'l Lowerer<'a>,
    pub fi: usize,
    pub file: &'a File,
    pub info: &'a FileInfo,
    pub b: FuncBuilder,
    pub vars: HashMap<ObjId, Var>,
    /// Variables that must live on the heap.
    pub heap: HashSet<ObjId>,
    /// Variables that need a cell (their address is taken or a literal captures them)
    /// whose address does not outlive the frame: the cell is a stack slot.
    pub frame_cells: HashSet<ObjId>,
    /// Allocation sites (`new(T)`, `&T{...}`, function literals) whose object does not
    /// outlive the frame (escape_flow.rs): allocated in it.
    pub stack_allocs: HashSet<ExprId>,
    /// The result variables (named or not), in order.
    pub results: Vec<Var>,
    pub result_tys: Vec<TyId>,
    /// The checker types of the results.
    pub result_types: Vec<TypeId>,
    pub targets: Vec<BranchTarget>,
    /// Blocks of labelled statements, for goto.
    pub labels: HashMap<ObjId, BlockId>,
    /// Counter for naming function literals (`outer.func1`, ...).
    pub closures: &'l mut u32,
    /// The symbol function literals are named after.
    pub outer_symbol: String,
    /// Lowering a function literal: literals in it are named `outer.N` (gc's closureName).
    pub in_func_lit: bool,
    /// Defer lowering state (see defer.rs).
    pub(super) dfr: super::defer::DeferState,
    /// The generic instance being compiled: index into the Lowerer's instance bodies.
    pub(super) inst: Option<usize>,
}

impl<'l, 'a> FnCx<'l, 'a> {
    pub(super) fn new(lx: &'l Lowerer<'a>, fi: usize, b: FuncBuilder, closures: &'l mut u32, outer_symbol: String) -> FnCx<'l, 'a> {
        FnCx {
            lx,
            fi,
            file: &lx.files[fi],
            info: &lx.info.files[fi],
            b,
            vars: HashMap::new(),
            heap: HashSet::new(),
            frame_cells: HashSet::new(),
            stack_allocs: HashSet::new(),
            results: Vec::new(),
            result_tys: Vec::new(),
            result_types: Vec::new(),
            targets: Vec::new(),
            labels: HashMap::new(),
            closures,
            outer_symbol,
            in_func_lit: false,
            dfr: Default::default(),
            inst: None,
        }
    }

    /// A context that adds package-level initialisation code to `b`.
    pub fn for_package_init(lx: &'l Lowerer<'a>, fi: usize, b: FuncBuilder, closures: &'l mut u32) -> FnCx<'l, 'a> {
        let symbol = format!("{}.init", lx.path);
        FnCx::new(lx, fi, b, closures, symbol)
    }

    /// A context for a function the compiler generates (equality, hashing, wrappers).
    pub fn for_generated(lx: &'l Lowerer<'a>, b: FuncBuilder, closures: &'l mut u32) -> FnCx<'l, 'a> {
        let symbol = format!("{}.gen", lx.path);
        FnCx::new(lx, 0, b, closures, symbol)
    }

    /// The builder, after package-level initialisation code was added.
    pub fn finish_builder(self) -> FuncBuilder {
        self.b
    }

    /// Reports a construct that cannot be compiled yet.
    pub fn unsupported(&self, pos: Pos, what: &str) {
        self.lx.unsupported(self.fi, pos, what);
    }

    /// The IR type of checker type `t`.
    pub fn ty(&self, t: TypeId) -> TyId {
        self.lx.ir_ty(t)
    }

    /// An IR type by structure.
    pub fn ir(&self, t: Ty) -> TyId {
        self.lx.tys.borrow_mut().intern(t)
    }

    /// `int`.
    pub fn int(&self) -> TyId {
        self.ir(Ty::Int { bits: 64, signed: true })
    }

    /// A new temporary of type `ty`.
    pub fn temp(&mut self, ty: TyId) -> LocalId {
        self.b.local("", ty)
    }

    /// A temporary holding `rv`.
    pub fn temp_of(&mut self, ty: TyId, rv: Rvalue) -> LocalId {
        let t = self.temp(ty);
        self.b.assign_local(t, rv);
        t
    }

    /// Declares variable `obj` of checker type `t` at its declaration, zeroed (a fresh heap
    /// cell each time the declaration runs, if it escapes).
    pub fn declare_var(&mut self, obj: ObjId, t: TypeId) -> Var {
        let ty = self.ty(t);
        let name = self.lx.world.obj(obj).name.as_str().to_string();
        let var = if self.heap.contains(&obj) {
            let ptr = self.b.local(&format!("&{name}"), self.ir(Ty::Ptr));
            self.new_object(ptr, ty);
            Var::Heap { ptr, ty }
        } else if self.frame_cells.contains(&obj) {
            let ptr = self.b.local(&format!("&{name}"), self.ir(Ty::Ptr));
            self.frame_object(ptr, ty);
            Var::Heap { ptr, ty }
        } else {
            let l = self.b.local(&name, ty);
            self.b.assign_local(l, Rvalue::Use(Operand::Const(crate::ir::Const::Zero(ty))));
            Var::Local(l)
        };
        self.vars.insert(obj, var);
        var
    }

    /// `ptr = new(T)` for a T of IR type `ty`: zeroed heap memory. Pointer-free layouts go
    /// to the allocator's noscan spans; others pass the layout's pointer bitmap (one bit per
    /// word, as a constant) so that the collector scans the object precisely without a type
    /// descriptor (closures, goroutine and defer blocks have none).
    pub fn new_object(&mut self, ptr: LocalId, ty: TyId) {
        let size = self.lx.tys.borrow().layout(ty).size;
        let int = self.int();
        let bits = self.lx.pointer_bitmap_of(ty);
        let needzero = Operand::Const(crate::ir::Const::Bool(true));
        let (f, map) = if bits.iter().any(|&b| b != 0) {
            let st = self.ir(Ty::String);
            let s = self.temp_of(st, Rvalue::Use(Operand::Const(crate::ir::Const::Str(bits))));
            (RuntimeFn::MallocGCBitmap, Operand::Copy(Box::new(Place::local(s).project(crate::ir::Proj::Field(0)))))
        } else {
            (RuntimeFn::MallocGC, Operand::Const(crate::ir::Const::Zero(self.ir(Ty::Ptr))))
        };
        let args = vec![Operand::int(size as i64, int), map, needzero];
        self.b.call(Callee::Runtime(f), args, vec![Place::local(ptr)]);
    }

    /// `ptr = &cell` for a new zeroed stack slot of IR type `ty`: an object that escape
    /// analysis keeps in the frame. Goroutine stacks grow by segments that never move
    /// (decision 17) and are scanned conservatively, so the address stays valid and what
    /// the cell points to stays alive.
    pub fn frame_object(&mut self, ptr: LocalId, ty: TyId) {
        let cell = self.b.local("", ty);
        self.b.assign_local(cell, Rvalue::Use(Operand::Const(crate::ir::Const::Zero(ty))));
        self.b.assign_local(ptr, Rvalue::AddrOf(Place::local(cell)));
    }

    /// `ptr = new(T)` for allocation site `site`: in the frame when escape analysis allows.
    pub fn alloc_object(&mut self, site: ExprId, ptr: LocalId, ty: TyId) {
        if self.stack_allocs.contains(&site) {
            self.frame_object(ptr, ty)
        } else {
            self.new_object(ptr, ty)
        }
    }

    /// `new_object` for a block carrying the arguments of a `//go:uintptrescapes` callee:
    /// its uintptr words count as pointers for the collector, so that the objects they
    /// point to live until the call completes (as gc keeps them).
    pub fn new_object_keeping_uintptrs(&mut self, ptr: LocalId, ty: TyId) {
        let scanned = self.uintptrs_as_pointers(ty);
        self.new_object(ptr, scanned)
    }

    /// `ty` with every uintptr-sized unsigned integer replaced by a pointer (same layout).
    fn uintptrs_as_pointers(&mut self, ty: TyId) -> TyId {
        let t = self.lx.tys.borrow().get(ty).clone();
        match t {
            Ty::Int { bits: 64, signed: false } => self.ir(Ty::Ptr),
            Ty::Struct(fields) => {
                let fields = fields.into_iter().map(|f| self.uintptrs_as_pointers(f)).collect();
                self.ir(Ty::Struct(fields))
            }
            Ty::Array { len, elem } => {
                let elem = self.uintptrs_as_pointers(elem);
                self.ir(Ty::Array { len, elem })
            }
            _ => ty,
        }
    }

    /// The place of a variable.
    pub fn var_place(&self, v: Var) -> Place {
        match v {
            Var::Local(l) => Place::local(l),
            Var::Heap { ptr, ty } => Place::deref(Operand::local(ptr), ty),
        }
    }

    /// Binds the parameters and results of a function of type expression `typ` and
    /// signature `sig_ty`; `first_param` is the first parameter local (after a receiver).
    fn bind_signature(&mut self, typ: ExprId, param_locals: &[LocalId]) {
        let ExprKind::FuncType { params, results } = self.file[typ].kind else { return };
        let file = self.file;
        for (field, &l) in file[params].iter().zip(param_locals) {
            if let Some(obj) = field.name.and_then(|n| self.info.def(n)) {
                self.bind_incoming(obj, l);
            }
        }
        for field in &file[results] {
            let obj = field.name.and_then(|n| self.info.def(n));
            let t = self.tv(field.typ).map(|tv| tv.ty).unwrap_or_default();
            self.result_types.push(t);
            let var = match obj {
                Some(obj) => self.declare_var(obj, t),
                None => {
                    let ty = self.ty(t);
                    let l = self.b.local("~r", ty);
                    Var::Local(l)
                }
            };
            self.results.push(var);
        }
    }

    /// Binds an incoming parameter: it stays in its local, or is copied to the heap.
    pub fn bind_incoming(&mut self, obj: ObjId, l: LocalId) {
        if self.heap.contains(&obj) || self.frame_cells.contains(&obj) {
            let ty = self.b.local_ty(l);
            let ptr = self.b.local("&param", self.ir(Ty::Ptr));
            if self.heap.contains(&obj) {
                self.new_object(ptr, ty);
            } else {
                self.frame_object(ptr, ty);
            }
            self.b.assign(Place::deref(Operand::local(ptr), ty), Rvalue::Use(Operand::local(l)));
            self.vars.insert(obj, Var::Heap { ptr, ty });
        } else {
            self.vars.insert(obj, Var::Local(l));
        }
    }

    /// `x, y = <rhs>` for package-level variables `lhs` (in the package init function).
    pub fn global_init(&mut self, lhs: &[ObjId], rhs: ExprId) {
        self.b.line = self.file[rhs].pos.line;
        self.heap.extend(super::escape::heap_vars_in_expr(self.lx, self.fi, rhs));
        let types = self.rhs_types(rhs, lhs.len());
        let values = self.rhs_values(rhs, lhs.len());
        for (i, (obj, v)) in lhs.iter().zip(values).enumerate() {
            if let Some(&g) = self.lx.global_ids.get(obj) {
                let place = Place { base: crate::ir::PlaceBase::Global(g), proj: Vec::new() };
                let want = self.lx.world.obj(*obj).typ();
                let v = match types.get(i) {
                    Some(&from) => self.coerce(v, from, want),
                    None => v,
                };
                self.b.assign(place, Rvalue::Use(v));
            }
        }
    }

    /// The current values of the result variables.
    pub fn result_operands(&self) -> Vec<Operand> {
        self.results.iter().map(|&v| Operand::place(self.var_place(v))).collect()
    }

    /// Lowers a function body and finishes the function; falling off the end returns.
    pub(super) fn body(mut self, body: ast::BlockId) -> Func {
        let file = self.file;
        for &s in &file[file[body].stmts] {
            self.stmt(s);
        }
        if !self.b.is_terminated() {
            self.b.line = file[body].rbrace.line;
            self.open_defers_at_exit();
            let ops = self.return_operands();
            self.b.terminate(TermKind::Return(ops));
        }
        self.b.finish()
    }

    /// A function literal: compiles its body as a function of its own and yields the
    /// closure object.
    pub fn func_lit(&mut self, e: ExprId, typ: ExprId, body: ast::BlockId) -> Operand {
        *self.closures += 1;
        // gc's closureName: main.f.func1 in a function, main.f.func1.1 in a literal.
        let symbol = if self.in_func_lit {
            format!("{}.{}", self.outer_symbol, *self.closures)
        } else {
            format!("{}.func{}", self.outer_symbol, *self.closures)
        };
        let captured = self.captured_vars(e);
        let sig = self.type_of(e);
        let (param_tys, result_tys) = self.lx.signature_tys(sig);
        let params: Vec<(String, TyId)> = param_tys.iter().map(|&t| (String::new(), t)).collect();
        let line = self.file[e].pos.line;
        let b = FuncBuilder::new(&symbol, self.lx.filename(self.fi), line, &params, result_tys.clone());
        let ptr_ty = self.ir(Ty::Ptr);
        let layout = self.closure_layout(captured.len());
        let func = {
            let mut inner_closures = 0;
            let mut inner = FnCx::new(self.lx, self.fi, b, &mut inner_closures, symbol.clone());
            inner.in_func_lit = true;
            inner.inst = self.inst;
            inner.heap = self.heap.clone();
            inner.frame_cells = self.frame_cells.clone();
            inner.stack_allocs = self.stack_allocs.clone();
            inner.result_tys = result_tys;
            let ctx = inner.b.closure_param(ptr_ty);
            for (i, &(obj, ty)) in captured.iter().enumerate() {
                let slot = Place::deref(Operand::local(ctx), layout).field(i as u32 + 1);
                let ptr = inner.temp_of(ptr_ty, Rvalue::Use(Operand::place(slot)));
                inner.vars.insert(obj, Var::Heap { ptr, ty });
            }
            let param_locals = inner.b.params();
            inner.bind_signature(typ, &param_locals);
            inner.lower_body(body)
        };
        self.lx.add_func(func);
        // The closure object: the code address, then the captured variables' addresses.
        let obj = self.temp(ptr_ty);
        self.alloc_object(e, obj, layout);
        let code = self.temp_of(ptr_ty, Rvalue::FuncAddr(symbol));
        let object = Place::deref(Operand::local(obj), layout);
        self.b.assign(object.clone().field(0), Rvalue::Use(Operand::local(code)));
        for (i, (obj_id, _)) in captured.iter().enumerate() {
            let Some(Var::Heap { ptr, .. }) = self.vars.get(obj_id).copied() else { continue };
            self.b.assign(object.clone().field(i as u32 + 1), Rvalue::Use(Operand::local(ptr)));
        }
        Operand::local(obj)
    }

    /// The IR struct of a closure object with `n` captured variables.
    fn closure_layout(&self, n: usize) -> TyId {
        let ptr = self.ir(Ty::Ptr);
        self.ir(Ty::Struct(vec![ptr; n + 1]))
    }

    /// The variables of this function that function literal `e` uses, in a fixed order.
    fn captured_vars(&self, e: ExprId) -> Vec<(ObjId, TyId)> {
        let mut uses = Vec::new();
        collect_uses(self.file, self.info, e, &mut uses);
        let mut seen = HashSet::new();
        uses.into_iter()
            .filter(|o| self.vars.contains_key(o) && seen.insert(*o))
            .filter_map(|o| match self.vars[&o] {
                Var::Heap { ty, .. } => Some((o, ty)),
                Var::Local(_) => None,
            })
            .collect()
    }
}

/// Every object used by name inside expression `e` (recursively, through statements).
fn collect_uses(file: &File, info: &FileInfo, e: ExprId, out: &mut Vec<ObjId>) {
    // Expression ids of a function literal's subtree are not contiguous in general, so walk
    // the arena: every Name expression between the literal's first and last node.
    let (start, end) = subtree_range(file, e);
    for i in start..end {
        let id = ExprId::from_index(i);
        if let ExprKind::Name(_) = file[id].kind {
            if let Some(o) = info.use_of(id) {
                out.push(o);
            }
        }
    }
}

/// The range of expression indices that a function literal's subtree occupies: the parser
/// allocates a literal's nodes while parsing it, so they lie between the literal's type
/// expression and the literal itself.
fn subtree_range(file: &File, e: ExprId) -> (usize, usize) {
    match file[e].kind {
        ExprKind::FuncLit { typ, .. } => (typ.index().min(e.index()), e.index().max(typ.index()) + 1),
        _ => (e.index(), e.index() + 1),
    }
}

impl Lowerer<'_> {
    /// The IR parameter and result types of a signature type (the receiver excluded).
    pub(super) fn signature_tys(&self, sig: TypeId) -> (Vec<TyId>, Vec<TyId>) {
        let Some(s) = self.world.sig(self.world.under_no_expand(sig)) else { return (Vec::new(), Vec::new()) };
        let tys = |t: TypeId| self.world.tuple_vars(t).iter().map(|&v| self.ir_ty(self.world.obj(v).typ())).collect();
        (tys(s.params), tys(s.results))
    }

    /// Lowers a function or method declaration with a body (generic ones per instance).
    pub(super) fn func_decl(&self, f: crate::types::FuncRef) {
        let file = &self.files[f.file];
        let ast::DeclKind::Func { name, .. } = file[f.decl].kind else { return };
        if file.name(name).as_str() == "_" || self.is_generic_func(f.obj) {
            return;
        }
        self.lower_func(f, self.func_symbols[&f.obj].clone(), None);
    }

    /// Lowers function `f` as `symbol`, as instance `inst` of a generic function if given.
    pub(super) fn lower_func(&self, f: crate::types::FuncRef, symbol: String, inst: Option<usize>) {
        let file = &self.files[f.file];
        let ast::DeclKind::Func { recv, body: Some(body), typ, .. } = file[f.decl].kind else { return };
        let sig = self.subst_in(inst, self.world.obj(f.obj).typ());
        let (mut param_tys, result_tys) = self.signature_tys(sig);
        let info = &self.info.files[f.file];
        let recv_obj = recv.and_then(|r| r.name).and_then(|n| info.def(n));
        if let Some(r) = recv {
            let t = info.type_of(r.typ).map(|tv| tv.ty).unwrap_or_default();
            param_tys.insert(0, self.ir_ty(self.subst_in(inst, t)));
        }
        let params: Vec<(String, TyId)> = param_tys.iter().map(|&t| (String::new(), t)).collect();
        let b = FuncBuilder::new(&symbol, self.filename(f.file), file[f.decl].pos.line, &params, result_tys.clone());
        let mut closures = 0;
        let mut fx = FnCx::new(self, f.file, b, &mut closures, symbol);
        fx.inst = inst;
        let cells = heap_vars(self, f.file, recv.and_then(|r| r.name), typ, body);
        match inst.is_none().then(|| self.escape_analysis(f)).flatten() {
            Some(a) => {
                let (heap, frame): (HashSet<ObjId>, HashSet<ObjId>) = cells.into_iter().partition(|o| a.heap_vars.contains(o));
                fx.heap = heap;
                fx.frame_cells = frame;
                fx.stack_allocs = a.stack_allocs.clone();
            }
            None => fx.heap = cells,
        }
        fx.result_tys = result_tys;
        let mut locals = fx.b.params();
        if recv.is_some() {
            let r = locals.remove(0);
            if let Some(obj) = recv_obj {
                fx.bind_incoming(obj, r);
            }
        }
        fx.bind_signature(typ, &locals);
        if self.uintptr_escapes.contains(&f.obj) {
            fx.pin_uintptr_params(&locals);
        }
        let func = fx.lower_body(body);
        self.add_func(func);
    }
}

impl FnCx<'_, '_> {
    /// For a `//go:uintptrescapes` function: copies its uintptr parameters into stack slots
    /// that last the whole call, where the conservative stack scan finds them, so the objects
    /// they point to live until it returns (gc keeps them alive from the caller; a register
    /// copy may die at its last use, and a caller's copy would outlive the call).
    fn pin_uintptr_params(&mut self, params: &[LocalId]) {
        let uintptr = self.ir(Ty::Int { bits: 64, signed: false });
        let ptr = self.ir(Ty::Ptr);
        for &p in params {
            if self.b_operand_ty(&Operand::local(p)) == uintptr {
                let slot = self.temp_of(uintptr, Rvalue::Use(Operand::local(p)));
                self.temp_of(ptr, Rvalue::AddrOf(Place::local(slot)));
            }
        }
    }
}
