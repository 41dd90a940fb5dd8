//! Escape analysis in the manner of gc's (cmd/compile/internal/escape): a data-flow graph
//! of locations (variables, allocation sites, the heap) whose edges carry dereference
//! counts, solved per function; parameters get leak tags that calls of the function use,
//! computed bottom-up (a callee of the same package is analysed before its caller; a callee
//! under analysis, i.e. recursion, counts as unknown).
//!
//! An edge `dst <- src, derefs` says that the value of `src` (derefs = 0), its address (-1)
//! or what it points to (1, 2, ...) flows to `dst`. Walking backwards from each root with
//! the fewest dereferences, a location whose address reaches a root that outlives it (the
//! heap, a result, a variable declared outside its loop or in an enclosing function)
//! escapes; an escaping location becomes a root itself. A parameter reached from the heap
//! leaks to the heap, one reached from a result leaks to that result.
//!
//! Everything the walk does not model flows to the heap (calls of func values, interface
//! methods, functions of other packages, `go` and `defer` arguments, channel sends, map
//! stores, values boxed in interfaces), so an unknown construct can only keep more on the
//! heap. Deferred calls run after the body's frame is gone (decision 29), hence their
//! arguments go to the heap, unlike gc's.

use super::Lowerer;
use crate::syntax::ast::{BlockId, DeclKind, ExprId, ExprKind, File, StmtId, StmtKind};
use crate::syntax::token::{Operator, Token};
use crate::types::ty::{BasicKind, Type};
use crate::types::{Builtin, FileInfo, FuncRef, Implicit, Mode, ObjId, ObjKind, SelectionKind, TypeId};
use std::cell::RefCell;
use std::collections::{HashMap, HashSet, VecDeque};
use std::rc::Rc;

/// The length of a slice literal with elements `elems` (keys are constant indices; unkeyed
/// elements follow the previous one); `value` gives a key's constant value.
pub(super) fn slice_lit_len(f: &File, elems: &[ExprId], value: &dyn Fn(ExprId) -> Option<i64>) -> u64 {
    let (mut next, mut len) = (0i64, 0i64);
    for &el in elems {
        let index = match f[el].kind {
            ExprKind::KeyValue { key, .. } => value(key).unwrap_or(next),
            _ => next,
        };
        next = index + 1;
        len = len.max(next);
    }
    len as u64
}

/// gc's maxImplicitStackVarSize: larger `new`, `&T{}` and closure objects stay on the heap.
const MAX_STACK_ALLOC: u64 = 64 * 1024;

/// Where one parameter's value leaks: to the heap and to each result, with the fewest
/// dereferences on the way (None: it does not).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(super) struct Leaks {
    pub heap: Option<i32>,
    pub results: Vec<Option<i32>>,
}

/// The outcome of analysing one function (with its function literals).
#[derive(Debug, Default)]
pub(super) struct Analysis {
    /// Variables whose address outlives their frame: they live on the heap.
    pub heap_vars: HashSet<ObjId>,
    /// Allocation sites (`new(T)` calls, `&T{...}` literals, function literals) whose object
    /// does not outlive the frame: they live in it.
    pub stack_allocs: HashSet<ExprId>,
    /// The leaks of the parameters, receiver first.
    pub params: Vec<Leaks>,
    /// The decisions in gc's -m wording, with positions.
    pub reports: Vec<(crate::syntax::pos::Pos, String)>,
}

/// The analyses of a package's functions, by function object; None while one is under way.
#[derive(Default)]
pub(super) struct Cache {
    /// Whether to word the decisions for `goclift build -m`.
    report: std::cell::Cell<bool>,
    done: RefCell<HashMap<ObjId, Option<Rc<Analysis>>>>,
    funcs: RefCell<Option<HashMap<ObjId, FuncRef>>>,
}

impl Lowerer<'_> {
    /// The escape analysis of function `f` of this package (cached), or None when it cannot
    /// be analysed (a body with goto, a generic function, recursion in progress).
    pub(super) fn escape_analysis(&self, f: FuncRef) -> Option<Rc<Analysis>> {
        if let Some(a) = self.escape_cache.done.borrow().get(&f.obj) {
            return a.clone();
        }
        let file = &self.files[f.file];
        let DeclKind::Func { recv, typ, body: Some(body), .. } = file[f.decl].kind else { return None };
        if self.is_generic_func(f.obj) || has_goto(file, body) || disabled() {
            self.escape_cache.done.borrow_mut().insert(f.obj, None);
            return None;
        }
        self.escape_cache.done.borrow_mut().insert(f.obj, None);
        let mut w = Walker::new(self, f.file);
        let mut params = Vec::new();
        if let Some(r) = recv {
            params.push(r.name.and_then(|n| w.declare_param(n)));
        }
        if let ExprKind::FuncType { params: ps, results } = file[typ].kind {
            for field in &file[ps] {
                params.push(field.name.and_then(|n| w.declare_param(n)));
            }
            w.declare_results(&file[results]);
        }
        w.block(body);
        let names = param_names(file, recv, typ);
        let mut a = w.solve(&params);
        if self.escape_cache.report.get() {
            a.reports = self.escape_reports(f, &a, &params_report_info(file, &self.info.files[f.file], recv, typ), &names);
        }
        let a = Rc::new(a);
        self.escape_cache.done.borrow_mut().insert(f.obj, Some(a.clone()));
        Some(a)
    }

    /// The analysed function behind object `obj`, if it is a function of this package.
    fn escape_func_ref(&self, obj: ObjId) -> Option<FuncRef> {
        let mut funcs = self.escape_cache.funcs.borrow_mut();
        let map = funcs.get_or_insert_with(|| self.info.funcs.iter().map(|f| (f.obj, *f)).collect());
        map.get(&obj).copied()
    }
}

/// The -m lines of gc for the functions of the main package (the last of `packages`):
/// variables moved to heap, allocation sites that escape or not, parameters' leaks.
pub fn escape_report(packages: &[super::PackageInput], world: &crate::types::World, sources: &crate::syntax::pos::SourceMap) -> Vec<crate::diag::Diagnostic> {
    let Some(main) = packages.last() else { return Vec::new() };
    let shared = super::Shared::default();
    let names = super::Names::default();
    let lx = Lowerer::new(main, world, sources, &shared, &names);
    lx.escape_cache.report.set(true);
    let mut out = Vec::new();
    for f in &main.info.funcs {
        if let Some(a) = lx.escape_analysis(*f) {
            let file = main.files[f.file].file;
            out.extend(a.reports.iter().map(|(pos, msg)| crate::diag::Diagnostic { file, pos: *pos, msg: msg.clone() }));
        }
    }
    out.sort_by_key(|d| (d.file.0, d.pos));
    out.dedup_by(|a, b| a.file == b.file && a.pos == b.pos && a.msg == b.msg);
    out
}

/// Per parameter (receiver first): its position and whether its type has pointers.
type ParamInfo = Vec<(crate::syntax::pos::Pos, TypeId)>;

fn params_report_info(file: &File, info: &FileInfo, recv: Option<crate::syntax::ast::Field>, typ: ExprId) -> ParamInfo {
    let mut out = Vec::new();
    let ty = |e: ExprId| info.type_of(e).map(|tv| tv.ty).unwrap_or_default();
    if let Some(r) = recv {
        out.push((r.name.map_or(r.pos, |n| file[n].pos), ty(r.typ)));
    }
    if let ExprKind::FuncType { params, .. } = file[typ].kind {
        for f in &file[params] {
            out.push((f.name.map_or(f.pos, |n| file[n].pos), ty(f.typ)));
        }
    }
    out
}

/// The names of the parameters (receiver first; gc's `arg#N` for unnamed ones) and of the
/// results (`~rN` for unnamed ones).
fn param_names(file: &File, recv: Option<crate::syntax::ast::Field>, typ: ExprId) -> (Vec<String>, Vec<String>) {
    let mut params = Vec::new();
    let name = |n: Option<ExprId>, unnamed: String| n.map(|n| file.name(n).as_str().to_string()).unwrap_or(unnamed);
    if let Some(r) = recv {
        params.push(name(r.name, "arg#0".into()));
    }
    let mut results = Vec::new();
    if let ExprKind::FuncType { params: ps, results: rs } = file[typ].kind {
        for f in &file[ps] {
            let i = params.len();
            params.push(name(f.name, format!("arg#{i}")));
        }
        for (i, f) in file[rs].iter().enumerate() {
            results.push(name(f.name, format!("~r{i}")));
        }
    }
    (params, results)
}

impl Lowerer<'_> {
    /// gc's -m wording of analysis `a` of function `f`.
    fn escape_reports(&self, f: FuncRef, a: &Analysis, params: &ParamInfo, names: &(Vec<String>, Vec<String>)) -> Vec<(crate::syntax::pos::Pos, String)> {
        let mut out = a.reports.clone();
        for (i, leaks) in a.params.iter().enumerate() {
            let (Some(&(pos, t)), Some(name)) = (params.get(i), names.0.get(i)) else { continue };
            let pointers = t != TypeId::default() && {
                let ty = self.ir_ty(t);
                self.tys.borrow().has_pointers(ty)
            };
            if !pointers || out.iter().any(|(p, m)| *p == pos && m.starts_with("moved to heap")) {
                continue;
            }
            if leaks.heap.is_none() && leaks.results.iter().all(|r| r.is_none()) {
                out.push((pos, format!("{name} does not escape")));
                continue;
            }
            match leaks.heap {
                Some(0) => out.push((pos, format!("leaking param: {name}"))),
                Some(_) => out.push((pos, format!("leaking param content: {name}"))),
                None => {}
            }
            for (j, r) in leaks.results.iter().enumerate() {
                if let (Some(d), Some(res)) = (r, names.1.get(j)) {
                    out.push((pos, format!("leaking param: {name} to result {res} level={d}")));
                }
            }
        }
        let _ = f;
        out
    }
}

/// GOCLIFT_ESCAPE=off turns the analysis off (every address-taken or captured variable and
/// every allocation on the heap, as before it existed): for measuring what it saves.
fn disabled() -> bool {
    static OFF: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    *OFF.get_or_init(|| std::env::var("GOCLIFT_ESCAPE").is_ok_and(|v| v == "off"))
}

/// Whether a function body contains goto (backward jumps make loops the walk would not
/// see; such functions keep every address-taken variable on the heap).
pub(super) fn has_goto(file: &File, body: BlockId) -> bool {
    let (lo, hi) = (file[body].pos, file[body].rbrace);
    file.stmts.iter().any(|s| matches!(s.kind, StmtKind::Branch { tok: Token::Goto, .. }) && s.pos >= lo && s.pos <= hi)
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum LocKind {
    Heap,
    Var(ObjId),
    /// A parameter of the analysed function (index, receiver first).
    Param(usize),
    /// A result of a function (the analysed one: index; literals: None).
    Result(Option<usize>),
    Alloc(ExprId),
    Temp,
}

struct Loc {
    kind: LocKind,
    /// Incoming flows: (source, dereferences).
    edges: Vec<(usize, i32)>,
    loop_depth: u32,
    /// The function (0: the analysed one; then its literals) the location belongs to.
    func: u32,
    escapes: bool,
    pos: crate::syntax::pos::Pos,
    /// The variable (or named parameter or result) the location is.
    obj: Option<ObjId>,
}

/// Where a value goes: a location and the dereferences applied on the way (None: nowhere).
#[derive(Clone, Copy, Debug)]
struct Hole {
    dst: Option<usize>,
    derefs: i32,
}

impl Hole {
    const DISCARD: Hole = Hole { dst: None, derefs: 0 };
    fn addr(self) -> Hole {
        Hole { derefs: self.derefs - 1, ..self }
    }
    fn deref(self) -> Hole {
        Hole { derefs: self.derefs + 1, ..self }
    }
    fn shift(self, d: i32) -> Hole {
        Hole { derefs: self.derefs + d, ..self }
    }
}

const HEAP: usize = 0;

struct Walker<'l, 'a> {
    lx: &'l Lowerer<'a>,
    fi: usize,
    file: &'a File,
    info: &'a FileInfo,
    locs: Vec<Loc>,
    vars: HashMap<ObjId, usize>,
    loop_depth: u32,
    func: u32,
    /// The enclosing function of each function (by index; 0 has none).
    parents: Vec<u32>,
    /// The closure object location of each function literal (by function index).
    closure_locs: Vec<usize>,
    /// The result locations of the function being walked, and their checker types.
    results: Vec<usize>,
    result_types: Vec<TypeId>,
}

impl<'l, 'a> Walker<'l, 'a> {
    fn new(lx: &'l Lowerer<'a>, fi: usize) -> Self {
        let heap = Loc { kind: LocKind::Heap, edges: Vec::new(), loop_depth: 0, func: 0, escapes: true, pos: Default::default(), obj: None };
        Walker {
            lx,
            fi,
            file: &lx.files[fi],
            info: &lx.info.files[fi],
            locs: vec![heap],
            vars: HashMap::new(),
            loop_depth: 1,
            func: 0,
            parents: vec![0],
            closure_locs: vec![HEAP],
            results: Vec::new(),
            result_types: Vec::new(),
        }
    }

    fn new_loc(&mut self, kind: LocKind, pos: crate::syntax::pos::Pos) -> usize {
        self.locs.push(Loc { kind, edges: Vec::new(), loop_depth: self.loop_depth, func: self.func, escapes: false, pos, obj: None });
        self.locs.len() - 1
    }

    fn hole(l: usize) -> Hole {
        Hole { dst: Some(l), derefs: 0 }
    }

    fn heap() -> Hole {
        Self::hole(HEAP)
    }

    /// `src` flows to `k`.
    fn flow(&mut self, k: Hole, src: usize) {
        if let Some(d) = k.dst {
            if d != src || k.derefs != 0 {
                self.locs[d].edges.push((src, k.derefs));
            }
        }
    }

    /// A temporary that flows to every hole of `ks`.
    fn tee(&mut self, ks: &[Hole]) -> Hole {
        let ks: Vec<Hole> = ks.iter().copied().filter(|k| k.dst.is_some()).collect();
        match ks.len() {
            0 => Hole::DISCARD,
            1 => ks[0],
            _ => {
                let t = self.new_loc(LocKind::Temp, Default::default());
                for k in ks {
                    self.flow(k, t);
                }
                Self::hole(t)
            }
        }
    }

    fn declare_param(&mut self, name: ExprId) -> Option<usize> {
        let obj = self.info.def(name)?;
        let index = self.locs.iter().filter(|l| matches!(l.kind, LocKind::Param(_))).count();
        let l = self.new_loc(LocKind::Param(index), self.file[name].pos);
        self.locs[l].obj = Some(obj);
        self.vars.insert(obj, l);
        Some(l)
    }

    /// Result locations for the current function: named results are variables.
    fn declare_results(&mut self, fields: &[crate::syntax::ast::Field]) {
        self.results.clear();
        self.result_types = fields.iter().map(|f| self.type_of(f.typ)).collect();
        for (i, n) in fields.iter().map(|f| f.name).enumerate() {
            let index = (self.func == 0).then_some(i);
            let pos = n.map(|n| self.file[n].pos).unwrap_or_default();
            let l = self.new_loc(LocKind::Result(index), pos);
            if let Some(obj) = n.and_then(|n| self.info.def(n)) {
                self.locs[l].obj = Some(obj);
                self.vars.insert(obj, l);
            }
            self.results.push(l);
        }
    }

    /// A variable declared by name `e` (None for `_` or a name that declares nothing).
    fn declare(&mut self, e: ExprId) -> Option<usize> {
        let obj = self.info.def(e)?;
        Some(self.declare_obj(obj, self.file[e].pos))
    }

    fn declare_obj(&mut self, obj: ObjId, pos: crate::syntax::pos::Pos) -> usize {
        let l = self.new_loc(LocKind::Var(obj), pos);
        self.locs[l].obj = Some(obj);
        self.vars.insert(obj, l);
        l
    }

    fn type_of(&self, e: ExprId) -> TypeId {
        self.info.type_of(e).map(|tv| tv.ty).unwrap_or_default()
    }

    fn under(&self, t: TypeId) -> Type {
        self.lx.under(t).clone()
    }

    /// The type of field `i` of struct type `t` (or of the struct `t` points to).
    fn field_type_at(&self, t: TypeId, i: u32) -> TypeId {
        let t = match self.under(t) {
            Type::Pointer(b) => b,
            _ => t,
        };
        match self.under(t) {
            Type::Struct(st) => st.fields.get(i as usize).map(|&f| self.lx.world.obj(f).typ()).unwrap_or_default(),
            _ => TypeId::default(),
        }
    }

    fn has_pointers(&self, t: TypeId) -> bool {
        if matches!(self.lx.under(t), Type::Tuple(_) | Type::Signature(_)) || t == TypeId::default() {
            return true;
        }
        let ty = self.lx.ir_ty(t);
        self.lx.tys.borrow().has_pointers(ty)
    }

    fn is_interface(&self, t: TypeId) -> bool {
        matches!(self.lx.under(t), Type::Interface(_))
    }

    // ---- statements ----

    fn block(&mut self, b: BlockId) {
        for &s in &self.file[self.file[b].stmts] {
            self.stmt(s);
        }
    }

    fn stmts(&mut self, list: &[StmtId]) {
        for &s in list {
            self.stmt(s);
        }
    }

    fn stmt(&mut self, s: StmtId) {
        let f = self.file;
        match f[s].kind {
            StmtKind::Empty | StmtKind::Branch { .. } => {}
            StmtKind::Labeled { stmt, .. } => self.stmt(stmt),
            StmtKind::Block(b) => self.block(b),
            StmtKind::Expr(e) => self.expr_stmt(e),
            StmtKind::Send { chan, value } => {
                self.discard(chan);
                self.expr(Self::heap(), value);
            }
            StmtKind::Decl(decls) => {
                for &d in &f[decls] {
                    if let DeclKind::Var { names, values, .. } = f[d].kind {
                        let names: Vec<ExprId> = f[names].to_vec();
                        let holes: Vec<Hole> = names.iter().map(|&n| self.declare(n).map_or(Hole::DISCARD, Self::hole)).collect();
                        let types: Vec<TypeId> = names.iter().map(|&n| self.info.def(n).map(|o| self.lx.world.obj(o).typ()).unwrap_or_default()).collect();
                        if let Some(v) = values {
                            self.assign_values(&holes, &types, v);
                        }
                    }
                }
            }
            StmtKind::Assign { op, lhs, rhs } => self.assign(op, lhs, rhs),
            StmtKind::CallStmt { call, .. } => self.all_to_heap(call),
            StmtKind::Return { results } => {
                let Some(r) = results else { return };
                let holes: Vec<Hole> = self.results.iter().map(|&l| Self::hole(l)).collect();
                let types = self.result_types.clone();
                self.assign_values(&holes, &types, r);
            }
            StmtKind::If { init, cond, then, else_ } => {
                if let Some(i) = init {
                    self.stmt(i);
                }
                if let Some(c) = cond {
                    self.discard(c);
                }
                self.block(then);
                if let Some(e) = else_ {
                    self.stmt(e);
                }
            }
            StmtKind::For { init, cond, post, body } => {
                if let Some(i) = init {
                    self.stmt(i);
                }
                self.loop_depth += 1;
                if let Some(c) = cond {
                    self.discard(c);
                }
                if let Some(p) = post {
                    self.stmt(p);
                }
                self.block(body);
                self.loop_depth -= 1;
            }
            StmtKind::Switch { init, tag, body, .. } => {
                if let Some(i) = init {
                    self.stmt(i);
                }
                let guard = tag.map(|t| f.unparen(t)).and_then(|t| match f[t].kind {
                    ExprKind::TypeSwitchGuard { x, .. } => Some(x),
                    _ => None,
                });
                let subject = match (guard, tag) {
                    (Some(x), _) => {
                        let t = self.new_loc(LocKind::Temp, Default::default());
                        self.expr(Self::hole(t), x);
                        Some(t)
                    }
                    (None, Some(t)) => {
                        self.discard(t);
                        None
                    }
                    _ => None,
                };
                for (i, clause) in f[body].iter().enumerate() {
                    if let Some(&v) = self.info.implicits.get(&Implicit::TypeSwitchCase(s, i as u32)) {
                        let l = self.declare_obj(v, clause.pos);
                        if let Some(t) = subject {
                            self.flow(Self::hole(l), t);
                        }
                    }
                    if let (Some(c), None) = (clause.cases, guard) {
                        self.discard(c);
                    }
                    self.stmts(&f[clause.body]);
                }
            }
            StmtKind::Select { body, .. } => {
                for clause in &f[body] {
                    if let Some(c) = clause.comm {
                        self.stmt(c);
                    }
                    self.stmts(&f[clause.body]);
                }
            }
            StmtKind::Range { lhs, def, x } => self.range(lhs, def, x, s),
        }
    }

    fn range(&mut self, lhs: Option<ExprId>, def: bool, x: ExprId, s: StmtId) {
        let f = self.file;
        let targets: Vec<ExprId> = match lhs.map(|l| f.unparen(l)) {
            Some(l) => match f[l].kind {
                ExprKind::List(items) => f[items].to_vec(),
                _ => vec![l],
            },
            None => Vec::new(),
        };
        let holes: Vec<Hole> = targets.iter().map(|&t| if def { self.declare(t).map_or(Hole::DISCARD, Self::hole) } else { self.lhs_hole(t) }).collect();
        let xt = self.type_of(x);
        let value_hole = holes.get(1).copied().unwrap_or(Hole::DISCARD);
        match self.under(xt) {
            Type::Slice(_) => self.expr(value_hole.deref(), x),
            Type::Array(..) => self.expr(value_hole, x),
            Type::Pointer(_) => self.expr(value_hole.deref(), x),
            _ => self.discard(x),
        }
        let _ = (holes, s);
    }

    /// `lhs op= rhs`, `lhs = rhs`, `lhs := rhs`, `x++`.
    fn assign(&mut self, op: Option<Operator>, lhs: ExprId, rhs: Option<ExprId>) {
        let f = self.file;
        let list = |e: ExprId| -> Vec<ExprId> {
            match f[e].kind {
                ExprKind::List(items) => f[items].to_vec(),
                _ => vec![e],
            }
        };
        let lhs_list = list(lhs);
        let define = op == Some(Operator::Def);
        if op.is_some() && !define {
            // x op= y and x++: arithmetic makes new values.
            for &l in &lhs_list {
                self.discard(l);
            }
            if let Some(r) = rhs {
                self.discard(r);
            }
            return;
        }
        let mut holes = Vec::new();
        let mut types = Vec::new();
        for &l in &lhs_list {
            let l = f.unparen(l);
            if define {
                if let Some(obj) = self.info.def(l) {
                    holes.push(Self::hole(self.declare_obj(obj, f[l].pos)));
                    types.push(self.lx.world.obj(obj).typ());
                    continue;
                }
            }
            holes.push(self.lhs_hole(l));
            types.push(self.type_of(l));
        }
        if let Some(r) = rhs {
            self.assign_values(&holes, &types, r);
        }
    }

    /// Values `rhs` (a list, or one multi-valued expression) assigned to `holes` of types
    /// `types`.
    fn assign_values(&mut self, holes: &[Hole], types: &[TypeId], rhs: ExprId) {
        let f = self.file;
        let values: Vec<ExprId> = match f[rhs].kind {
            ExprKind::List(items) => f[items].to_vec(),
            _ => vec![rhs],
        };
        if values.len() == 1 && holes.len() > 1 {
            let v = f.unparen(values[0]);
            match f[v].kind {
                ExprKind::Call { .. } => self.call(holes, v),
                // v, ok = x.(T): the value comes out of x.
                ExprKind::Assert { x, .. } => self.expr(holes[0], x),
                _ => self.discard(v),
            }
            return;
        }
        for (i, &v) in values.iter().enumerate() {
            let k = holes.get(i).copied().unwrap_or(Hole::DISCARD);
            self.value_to(k, v, types.get(i).copied().unwrap_or_default());
        }
    }

    /// Where an assignment to `e` stores: a variable's location, or the heap for stores
    /// through pointers, into slices, maps and package variables. Evaluates the parts of
    /// `e` that are not the destination.
    fn lhs_hole(&mut self, e: ExprId) -> Hole {
        let f = self.file;
        let e = f.unparen(e);
        match f[e].kind {
            ExprKind::Name(_) => match self.info.use_of(e).and_then(|o| self.vars.get(&o).map(|&l| (o, l))) {
                Some((o, l)) => {
                    self.capture(o, l);
                    Self::hole(l)
                }
                None if f.name(e).as_str() == "_" => Hole::DISCARD,
                None => Self::heap(),
            },
            ExprKind::Selector { x, .. } => match self.info.selections.get(&e) {
                Some(sel) if sel.kind == SelectionKind::FieldVal && !sel.indirect => self.lhs_hole(x),
                _ => {
                    self.discard(x);
                    Self::heap()
                }
            },
            ExprKind::Index { x, index } => {
                self.discard(index);
                match self.under(self.type_of(x)) {
                    Type::Array(..) => self.lhs_hole(x),
                    Type::Map(..) => {
                        self.discard(x);
                        self.expr(Self::heap(), index);
                        Self::heap()
                    }
                    _ => {
                        self.discard(x);
                        Self::heap()
                    }
                }
            }
            _ => {
                self.discard(e);
                Self::heap()
            }
        }
    }

    fn expr_stmt(&mut self, e: ExprId) {
        let e = self.file.unparen(e);
        match self.file[e].kind {
            ExprKind::Call { .. } => self.call(&[], e),
            _ => self.discard(e),
        }
    }

    // ---- expressions ----

    /// Evaluates `e` for its effects only.
    fn discard(&mut self, e: ExprId) {
        self.expr(Hole::DISCARD, e)
    }

    /// The value of `e` goes to `k` as a value of type `want`: a conversion to an interface
    /// that boxes the value sends what it points to to the heap (the box is a heap object).
    fn value_to(&mut self, k: Hole, e: ExprId, want: TypeId) {
        if k.dst.is_none() {
            // Discarded (`_ = v`): nothing is converted or stored.
            return self.expr(k, e);
        }
        let from = self.type_of(e);
        let unknown = want == TypeId::default();
        let to_iface = unknown || self.is_interface(want);
        if to_iface && !self.is_interface(from) && !self.lx.is_direct_iface(from) && !self.is_untyped_nil(e) {
            if unknown {
                let t = self.tee(&[k, Self::heap()]);
                return self.expr(t, e);
            }
            return self.expr(Self::heap(), e);
        }
        self.expr(k, e)
    }

    fn is_untyped_nil(&self, e: ExprId) -> bool {
        self.info.type_of(e).is_some_and(|tv| tv.mode == Mode::Value && matches!(self.lx.under(tv.ty), Type::Basic(BasicKind::UntypedNil)))
    }

    fn expr(&mut self, k: Hole, e: ExprId) {
        let f = self.file;
        // (An expression without a recorded type is walked all the same: every use of a
        // variable must be seen, or a captured one could stay in the frame unnoticed.)
        let tv = self.info.type_of(e);
        if tv.is_some_and(|tv| self.lx.info.value(tv).is_some() || tv.mode == Mode::TypeExpr) {
            return;
        }
        // A value without pointers carries no address (gc's blankLoc rule).
        let k = match tv {
            Some(tv) if k.derefs >= 0 && k.dst.is_some() && !self.has_pointers(tv.ty) => Hole::DISCARD,
            _ => k,
        };
        match f[e].kind {
            ExprKind::Name(_) => {
                if let Some(obj) = self.info.use_of(e) {
                    if let Some(&l) = self.vars.get(&obj) {
                        self.capture(obj, l);
                        self.flow(k, l);
                    }
                }
            }
            ExprKind::Bad | ExprKind::BasicLit { .. } => {}
            ExprKind::Paren(x) => self.expr(k, x),
            ExprKind::CompositeLit { .. } => self.composite(k, e),
            ExprKind::KeyValue { value, .. } => self.expr(k, value),
            ExprKind::FuncLit { typ, body } => self.func_lit(k, e, typ, body),
            ExprKind::Selector { x, .. } => match self.info.selections.get(&e).cloned() {
                Some(sel) if sel.kind == SelectionKind::FieldVal => {
                    let k = if sel.indirect { k.deref() } else { k };
                    self.expr(k, x)
                }
                Some(sel) if sel.kind == SelectionKind::MethodVal => {
                    // A method value: a heap closure holding the receiver.
                    self.receiver(Self::heap(), x, &sel)
                }
                _ => {
                    // A qualified identifier or a method expression: no local flows.
                }
            },
            ExprKind::Index { x, index } => {
                self.discard(index);
                match self.under(self.type_of(x)) {
                    Type::Array(..) => self.expr(k, x),
                    Type::Slice(_) | Type::Pointer(_) => self.expr(k.deref(), x),
                    Type::Map(..) | Type::Basic(_) | Type::BasicAlias(..) => self.discard(x),
                    // Generic instantiation f[T]: a function value.
                    _ => {}
                }
            }
            ExprKind::Slice { x, index, .. } => {
                for i in index.into_iter().flatten() {
                    self.discard(i);
                }
                match self.under(self.type_of(x)) {
                    Type::Array(..) => self.expr(k.addr(), x),
                    _ => self.expr(k, x),
                }
            }
            ExprKind::Assert { x, .. } => self.expr(k, x),
            ExprKind::TypeSwitchGuard { x, .. } => self.expr(k, x),
            ExprKind::Operation { op, x, y } => match (op, y) {
                (Operator::And, None) => {
                    let lit = f.unparen(x);
                    let slice_lit = matches!(f[lit].kind, ExprKind::CompositeLit { .. }) && matches!(self.under(self.type_of(lit)), Type::Slice(_));
                    if slice_lit {
                        // &[]T{...}: both objects on the heap (the sites would share an id).
                        self.expr(Self::heap(), x)
                    } else if let ExprKind::CompositeLit { .. } = f[lit].kind {
                        // &T{...}: a new object, which the literal's values flow into.
                        let a = self.new_loc(LocKind::Alloc(lit), f[e].pos);
                        self.composite(Self::hole(a), lit);
                        self.flow(k.addr(), a);
                    } else {
                        self.expr(k.addr(), x)
                    }
                }
                (Operator::Mul, None) => self.expr(k.deref(), x),
                (_, None) => self.discard(x),
                (_, Some(y)) => {
                    self.discard(x);
                    self.discard(y);
                }
            },
            ExprKind::Call { .. } => self.call(&[k], e),
            ExprKind::List(items) => {
                for &x in &f[items] {
                    self.discard(x);
                }
            }
            _ => {}
        }
    }

    /// A use of variable `obj` (location `l`) inside function literals of the function that
    /// declared it: each literal's closure object holds its address.
    fn capture(&mut self, _obj: ObjId, l: usize) {
        let owner = self.locs[l].func;
        let mut fn_ = self.func;
        while fn_ != owner && fn_ != 0 {
            let c = self.closure_locs[fn_ as usize];
            self.flow(Self::hole(c).addr(), l);
            fn_ = self.parents[fn_ as usize];
        }
    }

    fn func_lit(&mut self, k: Hole, e: ExprId, typ: ExprId, body: BlockId) {
        let c = self.new_loc(LocKind::Alloc(e), self.file[e].pos);
        self.flow(k.addr(), c);
        let parent = self.func;
        let id = self.parents.len() as u32;
        self.parents.push(parent);
        self.closure_locs.push(c);
        let saved_depth = std::mem::replace(&mut self.loop_depth, 1);
        let saved_results = std::mem::take(&mut self.results);
        let saved_types = std::mem::take(&mut self.result_types);
        self.func = id;
        if let ExprKind::FuncType { params, results } = self.file[typ].kind {
            for field in &self.file[params] {
                if let Some(n) = field.name {
                    self.declare(n);
                }
            }
            let file = self.file;
            self.declare_results(&file[results]);
        }
        self.block(body);
        self.func = parent;
        self.loop_depth = saved_depth;
        self.results = saved_results;
        self.result_types = saved_types;
    }

    fn composite(&mut self, k: Hole, e: ExprId) {
        let f = self.file;
        let ExprKind::CompositeLit { elems, .. } = f[e].kind else { return };
        let t = self.type_of(e);
        let elems: Vec<ExprId> = f[elems].to_vec();
        match self.under(t) {
            Type::Struct(st) => {
                for (i, &el) in elems.iter().enumerate() {
                    let (field, value) = match f[el].kind {
                        ExprKind::KeyValue { key, value } => {
                            let name = f.name(key);
                            (st.fields.iter().position(|&fl| self.lx.world.obj(fl).name == name).unwrap_or(i), value)
                        }
                        _ => (i, el),
                    };
                    let want = st.fields.get(field).map(|&fl| self.lx.world.obj(fl).typ()).unwrap_or_default();
                    self.value_to(k, value, want);
                }
            }
            Type::Array(_, elem) => {
                for &el in &elems {
                    let v = match f[el].kind {
                        ExprKind::KeyValue { value, .. } => value,
                        _ => el,
                    };
                    self.value_to(k, v, elem);
                }
            }
            Type::Slice(elem) => {
                // The backing array is an allocation site, which the elements flow into.
                let a = self.new_loc(LocKind::Alloc(e), f[e].pos);
                for &el in &elems {
                    let v = match f[el].kind {
                        ExprKind::KeyValue { value, .. } => value,
                        _ => el,
                    };
                    self.value_to(Self::hole(a), v, elem);
                }
                self.flow(k.addr(), a);
            }
            Type::Pointer(_) => {
                // An elided &T{...} inside another literal: a heap object.
                let heap = Self::heap();
                self.composite_elems_to(heap, &elems);
            }
            _ => {
                // Maps: keys and values go to the heap.
                for &el in &elems {
                    match f[el].kind {
                        ExprKind::KeyValue { key, value } => {
                            self.value_to(Self::heap(), key, TypeId::default());
                            self.value_to(Self::heap(), value, TypeId::default());
                        }
                        _ => self.value_to(Self::heap(), el, TypeId::default()),
                    }
                }
            }
        }
    }

    fn composite_elems_to(&mut self, k: Hole, elems: &[ExprId]) {
        for &el in elems {
            match self.file[el].kind {
                ExprKind::KeyValue { key, value } => {
                    if !matches!(self.file[key].kind, ExprKind::Name(_)) {
                        self.discard(key);
                    }
                    self.value_to(k, value, TypeId::default());
                }
                _ => self.value_to(k, el, TypeId::default()),
            }
        }
    }

    /// The receiver `x` of method selection `sel` goes to `k`: its address for a pointer
    /// method called on a value, what it points to for a value method called on a pointer.
    fn receiver(&mut self, k: Hole, x: ExprId, sel: &crate::types::Selection) {
        let ptr_recv = self.lx.world.obj(sel.obj).has_ptr_recv();
        let mut t = self.type_of(x);
        for &i in &sel.index[..sel.index.len() - 1] {
            t = self.field_type_at(t, i);
        }
        let is_ptr = matches!(self.under(t), Type::Pointer(_));
        match (ptr_recv, is_ptr) {
            (true, false) => self.expr(k.addr(), x),
            (false, true) => self.expr(k.deref(), x),
            _ => self.expr(k, x),
        }
    }

    /// A `go` or `defer` statement's call: everything it evaluates goes to the heap.
    fn all_to_heap(&mut self, call: ExprId) {
        let f = self.file;
        let call = f.unparen(call);
        let ExprKind::Call { fun, args, .. } = f[call].kind else { return self.expr(Self::heap(), call) };
        let fun = f.unparen(fun);
        match f[fun].kind {
            ExprKind::Selector { x, .. } => match self.info.selections.get(&fun).cloned() {
                Some(sel) if sel.kind == SelectionKind::MethodVal => self.receiver(Self::heap(), x, &sel),
                _ => self.expr(Self::heap(), fun),
            },
            _ => self.expr(Self::heap(), fun),
        }
        for &a in &f[args] {
            self.expr(Self::heap(), a);
        }
    }

    /// A call whose results go to `ks` (one hole per result; missing ones are discarded).
    fn call(&mut self, ks: &[Hole], e: ExprId) {
        let f = self.file;
        let ExprKind::Call { fun, args, has_dots } = f[e].kind else { return };
        let fun = f.unparen(fun);
        let args: Vec<ExprId> = f[args].to_vec();
        let k0 = ks.first().copied().unwrap_or(Hole::DISCARD);
        if let Some(obj) = self.info.use_of(fun) {
            if let ObjKind::Builtin(b) = self.lx.world.obj(obj).kind {
                return self.builtin(k0, e, b, &args, has_dots);
            }
        }
        let Some(ftv) = self.info.type_of(fun) else {
            for &a in &args {
                self.expr(Self::heap(), a);
            }
            return;
        };
        if ftv.mode == Mode::TypeExpr {
            return self.conversion(k0, args.first().copied(), ftv.ty);
        }
        if let Some(obj) = self.info.use_of(fun) {
            if let ObjKind::Builtin(b) = self.lx.world.obj(obj).kind {
                return self.builtin(k0, e, b, &args, has_dots);
            }
        }
        let sig = self.lx.world.under_no_expand(ftv.ty);
        let Some(s) = self.lx.world.sig(sig).cloned() else {
            self.discard(fun);
            for &a in &args {
                self.expr(Self::heap(), a);
            }
            return;
        };
        let param_types: Vec<TypeId> = self.lx.world.tuple_vars(s.params).iter().map(|&v| self.lx.world.obj(v).typ()).collect();
        let implicit_slice = s.variadic && !has_dots;
        // The callee, if static and analysed; its receiver expression.
        let (callee, recv) = self.static_callee(fun);
        let analysis = callee.and_then(|obj| self.lx.escape_func_ref(obj)).and_then(|r| self.lx.escape_analysis(r));
        let param_holes: Vec<Hole> = match &analysis {
            Some(a) => a.params.iter().map(|leaks| self.leak_hole(leaks, ks)).collect(),
            None => Vec::new(),
        };
        let hole_at = |i: usize| param_holes.get(i).copied().unwrap_or(Hole { dst: Some(HEAP), derefs: 0 });
        let mut next = 0;
        if let Some((x, sel)) = recv {
            self.receiver(hole_at(0), x, &sel);
            next = 1;
        } else if callee.is_none() {
            // Through a func value or an interface: the value itself does not escape.
            match f[fun].kind {
                ExprKind::Selector { x, .. } if self.info.selections.get(&fun).is_some_and(|s| s.kind == SelectionKind::MethodVal) => {
                    self.expr(Self::heap(), x);
                }
                _ => self.discard(fun),
            }
        }
        let nparams = param_types.len();
        for (i, &a) in args.iter().enumerate() {
            if implicit_slice && i + 1 >= nparams {
                // Elements of the implicit ...T slice: the slice's array is a heap object.
                self.value_to(Self::heap(), a, self.lx.elem(param_types[nparams - 1]));
                continue;
            }
            if args.len() == 1 && nparams > 1 {
                // f(g()): g's results are f's arguments.
                let holes: Vec<Hole> = (0..nparams).map(|j| hole_at(next + j)).collect();
                return self.call(&holes, f.unparen(a));
            }
            let want = param_types.get(i).copied().unwrap_or_default();
            self.value_to(hole_at(next + i), a, want);
        }
    }

    /// The hole for an argument whose parameter leaks as `leaks`, with the call's result
    /// holes `ks`.
    fn leak_hole(&mut self, leaks: &Leaks, ks: &[Hole]) -> Hole {
        let mut holes = Vec::new();
        if let Some(d) = leaks.heap {
            holes.push(Self::heap().shift(d));
        }
        for (i, r) in leaks.results.iter().enumerate() {
            if let (Some(d), Some(k)) = (r, ks.get(i)) {
                holes.push(k.shift(*d));
            }
        }
        self.tee(&holes)
    }

    /// The function object a call of `fun` calls statically (a function or a concrete
    /// method of this package), with the receiver for methods.
    fn static_callee(&self, fun: ExprId) -> (Option<ObjId>, Option<(ExprId, crate::types::Selection)>) {
        if self.lx.instances.uses.contains_key(&(self.fi, fun)) {
            return (None, None);
        }
        match self.file[fun].kind {
            ExprKind::Name(_) => match self.info.use_of(fun) {
                Some(o) if matches!(self.lx.world.obj(o).kind, ObjKind::Func { .. }) => (Some(o), None),
                _ => (None, None),
            },
            ExprKind::Selector { x, sel: name } => match self.info.selections.get(&fun) {
                Some(sel) if sel.kind == SelectionKind::MethodVal => {
                    let mut t = self.type_of(x);
                    for &i in &sel.index[..sel.index.len() - 1] {
                        t = self.field_type_at(t, i);
                    }
                    if self.is_interface(t) {
                        return (None, None);
                    }
                    (Some(sel.obj), Some((x, sel.clone())))
                }
                Some(_) => (None, None),
                None => (self.info.use_of(name).filter(|&o| matches!(self.lx.world.obj(o).kind, ObjKind::Func { .. })), None),
            },
            _ => (None, None),
        }
    }

    /// `T(x)` into `k`.
    fn conversion(&mut self, k: Hole, x: Option<ExprId>, to: TypeId) {
        let Some(x) = x else { return };
        let from = self.type_of(x);
        let (fu, tu) = (self.under(from), self.under(to));
        let is_str = |t: &Type| matches!(t, Type::Basic(b) | Type::BasicAlias(b, _) if matches!(b, BasicKind::String | BasicKind::UntypedString));
        match (&fu, &tu) {
            (_, Type::Interface(_)) => self.value_to(k, x, to),
            // New strings and slices.
            (_, _) if is_str(&tu) || is_str(&fu) => self.discard(x),
            (Type::Basic(BasicKind::UnsafePointer), Type::Basic(BasicKind::Uintptr)) => self.expr(Self::heap(), x),
            (Type::Basic(BasicKind::Uintptr), Type::Basic(BasicKind::UnsafePointer)) => self.unsafe_value(k, x),
            (Type::Basic(BasicKind::Uintptr), _) => self.discard(x),
            (Type::Basic(_) | Type::BasicAlias(..), Type::Basic(_) | Type::BasicAlias(..))
                if !matches!(fu, Type::Basic(BasicKind::UnsafePointer)) =>
            {
                self.discard(x)
            }
            _ => self.expr(k, x),
        }
    }

    /// A uintptr expression converted to unsafe.Pointer, into `k` (gc's unsafeValue): the
    /// pointers it was computed from flow to the result: through `uintptr(p)`, arithmetic,
    /// and uintptr fields read through a pointer (reflect.SliceHeader's Data).
    fn unsafe_value(&mut self, k: Hole, x: ExprId) {
        let f = self.file;
        let x = f.unparen(x);
        match f[x].kind {
            ExprKind::Call { fun, args, .. } if self.info.type_of(fun).is_some_and(|tv| tv.mode == Mode::TypeExpr) => {
                match f[args].first() {
                    Some(&a) if matches!(self.under(self.type_of(a)), Type::Basic(BasicKind::UnsafePointer)) => self.expr(k, a),
                    Some(&a) => self.unsafe_value(k, a),
                    None => {}
                }
            }
            ExprKind::Selector { x: inner, .. } => match self.info.selections.get(&x) {
                Some(sel) if sel.kind == SelectionKind::FieldVal && sel.indirect => self.expr(k.deref(), inner),
                Some(sel) if sel.kind == SelectionKind::FieldVal => self.expr(k, inner),
                _ => self.discard(x),
            },
            ExprKind::Operation { op, x: l, y: Some(r) } => match op {
                Operator::Add | Operator::Sub | Operator::Or | Operator::Xor | Operator::Mul | Operator::Div | Operator::Rem | Operator::And | Operator::AndNot => {
                    self.unsafe_value(k, l);
                    self.unsafe_value(k, r);
                }
                Operator::Shl | Operator::Shr => {
                    self.unsafe_value(k, l);
                    self.discard(r);
                }
                _ => {
                    self.discard(l);
                    self.discard(r);
                }
            },
            _ => self.discard(x),
        }
    }

    fn builtin(&mut self, k: Hole, e: ExprId, b: Builtin, args: &[ExprId], has_dots: bool) {
        let has_ptrs = |w: &Self, t: TypeId| {
            let ty = w.lx.ir_ty(t);
            w.lx.tys.borrow().has_pointers(ty)
        };
        match b {
            Builtin::New => {
                let a = self.new_loc(LocKind::Alloc(e), self.file[e].pos);
                self.flow(k.addr(), a);
            }
            Builtin::Append => {
                let Some(&s) = args.first() else { return };
                let st = self.type_of(s);
                let elem = match self.under(st) {
                    Type::Slice(el) => el,
                    _ => TypeId::default(),
                };
                let appendee = if elem == TypeId::default() || has_ptrs(self, elem) { self.tee(&[k, Self::heap().deref()]) } else { k };
                self.expr(appendee, s);
                if has_dots {
                    if let Some(&a) = args.get(1) {
                        let at = self.type_of(a);
                        let pointers = matches!(self.under(at), Type::Slice(el) if has_ptrs(self, el));
                        self.expr(if pointers { Self::heap().deref() } else { Hole::DISCARD }, a);
                    }
                } else {
                    for &a in &args[1..] {
                        self.value_to(Self::heap(), a, elem);
                    }
                }
            }
            Builtin::Copy => {
                if let [dst, src] = args {
                    self.discard(*dst);
                    let st = self.type_of(*src);
                    let pointers = matches!(self.under(st), Type::Slice(el) if has_ptrs(self, el));
                    self.expr(if pointers { Self::heap().deref() } else { Hole::DISCARD }, *src);
                }
            }
            Builtin::Panic => {
                for &a in args {
                    self.value_to(Self::heap(), a, TypeId::default());
                }
            }
            Builtin::Print | Builtin::Println | Builtin::Len | Builtin::Cap | Builtin::Close | Builtin::Delete
            | Builtin::Complex | Builtin::Real | Builtin::Imag | Builtin::Recover => {
                for &a in args {
                    self.discard(a);
                }
            }
            Builtin::Make => {
                for &a in args.iter().skip(1) {
                    self.discard(a);
                }
                // make([]T, n[, m]): an allocation site, which can stay in the frame when the
                // capacity (m, else n) is constant (gc's HeapAllocReason).
                if matches!(self.under(self.type_of(e)), Type::Slice(_)) {
                    let a = self.new_loc(LocKind::Alloc(e), self.file[e].pos);
                    let constant = self.backing_len(e).is_some();
                    self.flow(if constant { k.addr() } else { Self::heap().addr() }, a);
                }
            }
            _ => {
                // unsafe.Add, unsafe.Slice and others: the pointer argument flows to the result
                // and, to be safe, to the heap.
                let t = self.tee(&[k, Self::heap()]);
                for &a in args {
                    self.expr(t, a);
                }
            }
        }
    }

    // ---- solving ----

    /// Walks the graph from every root and returns the decisions; `params` are the
    /// parameter locations (None for unnamed ones), receiver first.
    fn solve(mut self, params: &[Option<usize>]) -> Analysis {
        let n = self.locs.len();
        let mut nresults = 0;
        for l in &self.locs {
            if let LocKind::Result(Some(i)) = l.kind {
                nresults = nresults.max(i + 1);
            }
        }
        let mut leaks: Vec<Leaks> = vec![Leaks { heap: None, results: vec![None; nresults] }; n];
        let mut todo: VecDeque<usize> = (0..n).collect();
        let mut queued = vec![true; n];
        let mut dist = vec![i32::MAX; n];
        while let Some(root) = todo.pop_front() {
            queued[root] = false;
            dist.iter_mut().for_each(|d| *d = i32::MAX);
            let mut work: VecDeque<usize> = VecDeque::new();
            dist[root] = 0;
            work.push_back(root);
            let mut in_work = vec![false; n];
            in_work[root] = true;
            while let Some(l) = work.pop_front() {
                in_work[l] = false;
                let mut derefs = dist[l];
                let address_of = derefs < 0;
                if address_of {
                    derefs = 0;
                }
                if self.outlives(root, l) {
                    if address_of && !self.locs[l].escapes {
                        self.locs[l].escapes = true;
                        if !queued[l] {
                            queued[l] = true;
                            todo.push_back(l);
                        }
                        continue;
                    }
                    if let LocKind::Param(_) = self.locs[l].kind {
                        let leak = &mut leaks[l];
                        match self.locs[root].kind {
                            LocKind::Result(Some(i)) if !self.locs[root].escapes => {
                                let r = &mut leak.results[i];
                                *r = Some(r.map_or(derefs, |d| d.min(derefs)));
                            }
                            _ => leak.heap = Some(leak.heap.map_or(derefs, |d| d.min(derefs))),
                        }
                    }
                }
                for i in 0..self.locs[l].edges.len() {
                    let (src, d) = self.locs[l].edges[i];
                    let nd = derefs + d;
                    if nd < dist[src] {
                        dist[src] = nd;
                        if !in_work[src] {
                            in_work[src] = true;
                            work.push_back(src);
                        }
                    }
                }
            }
        }
        self.decisions(params, &leaks)
    }

    /// Whether root location `root` outlives location `l` (gc's outlives).
    fn outlives(&self, root: usize, l: usize) -> bool {
        let (r, o) = (&self.locs[root], &self.locs[l]);
        if r.escapes {
            return true;
        }
        if let LocKind::Result(_) = r.kind {
            return true;
        }
        if r.func == o.func && r.loop_depth < o.loop_depth {
            return true;
        }
        // A variable of an enclosing function outlives the locations of its literals.
        let mut f = o.func;
        while f != 0 {
            f = self.parents[f as usize];
            if f == r.func {
                return o.func != r.func;
            }
        }
        false
    }

    fn decisions(self, params: &[Option<usize>], leaks: &[Leaks]) -> Analysis {
        let mut a = Analysis::default();
        for l in &self.locs {
            match l.kind {
                LocKind::Var(obj) if l.escapes => {
                    a.heap_vars.insert(obj);
                }
                LocKind::Alloc(e) => {
                    let stack = !l.escapes && self.alloc_size(e) <= MAX_STACK_ALLOC;
                    if stack {
                        a.stack_allocs.insert(e);
                    }
                    let verdict = if stack { "does not escape" } else { "escapes to heap" };
                    a.reports.push((l.pos, format!("{} {verdict}", self.alloc_text(e))));
                }
                _ => {}
            }
            if let (Some(obj), true, LocKind::Var(_) | LocKind::Param(_) | LocKind::Result(_)) = (l.obj, l.escapes, l.kind) {
                a.reports.push((l.pos, format!("moved to heap: {}", self.lx.world.obj(obj).name.as_str())));
            }
        }
        // Parameters and named results that escape.
        for l in &self.locs {
            if let (LocKind::Param(_) | LocKind::Result(_), true, Some(obj)) = (l.kind, l.escapes, l.obj) {
                a.heap_vars.insert(obj);
            }
        }
        a.params = params.iter().map(|p| p.map(|l| leaks[l].clone()).unwrap_or_default()).collect();
        a
    }

    /// How gc's -m names allocation site `e`.
    fn alloc_text(&self, e: ExprId) -> String {
        let f = self.file;
        match f[e].kind {
            ExprKind::Call { .. } if self.is_make(e) => crate::syntax::printer::expr_string(f, e),
            ExprKind::Call { args, .. } => {
                let t = f[args].first().map(|&a| crate::syntax::printer::expr_string(f, a)).unwrap_or_default();
                format!("new({t})")
            }
            ExprKind::FuncLit { .. } => "func literal".to_string(),
            ExprKind::CompositeLit { typ: Some(t), .. } if matches!(self.under(self.type_of(e)), Type::Slice(_)) => {
                format!("{}{{...}}", crate::syntax::printer::expr_string(f, t))
            }
            ExprKind::CompositeLit { .. } if matches!(self.under(self.type_of(e)), Type::Slice(_)) => {
                format!("{}{{...}}", self.lx.world.type_string(self.type_of(e), crate::types::typestring::Qualifier::Path))
            }
            ExprKind::CompositeLit { typ: Some(t), .. } => format!("&{}{{...}}", crate::syntax::printer::expr_string(f, t)),
            _ => "composite literal".to_string(),
        }
    }

    /// Whether call `e` is of the built-in make.
    fn is_make(&self, e: ExprId) -> bool {
        let ExprKind::Call { fun, .. } = self.file[e].kind else { return false };
        let fun = self.file.unparen(fun);
        self.info.use_of(fun).is_some_and(|o| matches!(self.lx.world.obj(o).kind, ObjKind::Builtin(Builtin::Make)))
    }

    /// The length of the backing array a slice allocation site makes (a slice literal, or
    /// make with constant sizes), if `e` is one.
    fn backing_len(&self, e: ExprId) -> Option<u64> {
        if !matches!(self.under(self.type_of(e)), Type::Slice(_)) {
            return None;
        }
        let f = self.file;
        let value = |a: ExprId| self.info.type_of(a).and_then(|tv| self.lx.info.value(tv)).map(super::expr::int_bits);
        match f[e].kind {
            ExprKind::CompositeLit { elems, .. } => Some(slice_lit_len(f, &f[elems], &value)),
            ExprKind::Call { args, .. } => {
                let args = &f[args];
                let n = value(*args.get(2).or(args.get(1))?)?;
                u64::try_from(n).ok()
            }
            _ => None,
        }
    }

    /// The size of the object allocation site `e` makes.
    fn alloc_size(&self, e: ExprId) -> u64 {
        if let Some(n) = self.backing_len(e) {
            let ty = self.lx.ir_ty(self.lx.elem(self.type_of(e)));
            return n.saturating_mul(self.lx.tys.borrow().layout(ty).size);
        }
        let t = match self.file[e].kind {
            ExprKind::Call { args, .. } => self.file[args].first().map(|&a| self.type_of(a)).unwrap_or_default(),
            ExprKind::FuncLit { .. } => return 8 * 64,
            _ => self.type_of(e),
        };
        let ty = self.lx.ir_ty(t);
        self.lx.tys.borrow().layout(ty).size
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::lower_source;

    /// Whether each named function of program `src` allocates on the heap.
    fn allocates(name: &str, src: &str, funcs: &[&str]) -> Vec<bool> {
        let program = lower_source(&format!("escape-{name}"), src);
        funcs
            .iter()
            .map(|want| {
                let f = program.funcs.iter().find(|f| f.symbol == *want).unwrap_or_else(|| panic!("no {want}"));
                format!("{f:?}").contains("MallocGC")
            })
            .collect()
    }

    #[test]
    fn addresses_that_stay_in_the_frame() {
        let src = "package main\n\
            type T struct{ a, b int; p *int }\n\
            var sink *int\n\
            func local() int { x := 1; p := &x; *p = 2; return x }\n\
            func returned() *int { x := 1; return &x }\n\
            func stored() { x := 1; sink = &x }\n\
            func id(p *int) *int { return p }\n\
            func throughCall() int { x := 3; return *id(&x) }\n\
            func throughCallOut() *int { x := 3; return id(&x) }\n\
            func newLocal() int { t := &T{a: 1}; n := new(int); *n = 2; t.b = *n; return t.a + t.b }\n\
            func loopCarried() *T { var last *T; for i := 0; i < 3; i++ { last = &T{a: i} }; return last }\n\
            func main() { _ = local(); _ = returned(); stored(); _ = throughCall(); _ = throughCallOut(); _ = newLocal(); _ = loopCarried() }\n";
        let got = allocates(
            "addr",
            src,
            &["main.local", "main.returned", "main.stored", "main.throughCall", "main.throughCallOut", "main.newLocal", "main.loopCarried"],
        );
        assert_eq!(got, [false, true, true, false, true, false, true]);
    }

    #[test]
    fn closures_that_stay_in_the_frame() {
        let src = "package main\n\
            func calledHere() int { n := 0; f := func() { n++ }; f(); f(); return n }\n\
            func returned() func() int { n := 0; return func() int { n++; return n } }\n\
            func started() int { n := 0; done := make(chan bool); go func() { n = 1; done <- true }(); <-done; return n }\n\
            func deferred() (r int) { n := 2; defer func() { r = n }(); return 0 }\n\
            func main() { _ = calledHere(); _ = returned(); _ = started(); _ = deferred() }\n";
        let got = allocates("closures", src, &["main.calledHere", "main.returned", "main.started", "main.deferred·deferbody"]);
        assert_eq!(got, [false, true, true, true]);
    }
}
