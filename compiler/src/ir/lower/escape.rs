//! Which local variables must live on the heap: those captured by a function literal and
//! those whose address is taken (`&x`, slicing an array, a pointer-receiver method called
//! on the variable). This is the conservative first step before a real escape analysis: a
//! variable whose address does not outlive its frame could stay on the stack.

use super::Lowerer;
use crate::syntax::ast::{BlockId, ExprId, ExprKind, File, StmtId, StmtKind};
use crate::syntax::token::Operator;
use crate::types::ty::Type;
use crate::types::{FileInfo, Implicit, ObjId, SelectionKind};
use std::collections::{HashMap, HashSet};

/// The variables declared in a function body (including its literals) that must live on
/// the heap. `recv` is the receiver's name, `typ` the function's type expression (for the
/// parameters' declarations).
pub(super) fn heap_vars(lx: &Lowerer, fi: usize, recv: Option<ExprId>, typ: ExprId, body: BlockId) -> HashSet<ObjId> {
    let mut w = Walker { lx, file: &lx.files[fi], info: &lx.info.files[fi], depth: 0, def_depth: HashMap::new(), heap: HashSet::new() };
    if let Some(r) = recv {
        w.name(r);
    }
    w.expr(typ);
    w.block(body);
    w.heap
}

/// The variables declared inside expression `e` (its function literals) that must live on
/// the heap; for package-level initialisers.
pub(super) fn heap_vars_in_expr(lx: &Lowerer, fi: usize, e: ExprId) -> HashSet<ObjId> {
    let mut w = Walker { lx, file: &lx.files[fi], info: &lx.info.files[fi], depth: 0, def_depth: HashMap::new(), heap: HashSet::new() };
    w.expr(e);
    w.heap
}

struct Walker<'a> {
    lx: &'a Lowerer<'a>,
    file: &'a File,
    info: &'a FileInfo,
    /// Function literal nesting depth.
    depth: u32,
    /// The literal depth each variable was declared at.
    def_depth: HashMap<ObjId, u32>,
    heap: HashSet<ObjId>,
}

impl Walker<'_> {
    fn block(&mut self, b: BlockId) {
        for &s in &self.file[self.file[b].stmts] {
            self.stmt(s);
        }
    }

    fn opt_stmt(&mut self, s: Option<StmtId>) {
        if let Some(s) = s {
            self.stmt(s);
        }
    }

    fn opt_expr(&mut self, e: Option<ExprId>) {
        if let Some(e) = e {
            self.expr(e);
        }
    }

    fn stmt(&mut self, s: StmtId) {
        let f = self.file;
        match f[s].kind {
            StmtKind::Empty | StmtKind::Branch { .. } => {}
            StmtKind::Labeled { stmt, .. } => self.stmt(stmt),
            StmtKind::Block(b) => self.block(b),
            StmtKind::Expr(e) => self.expr(e),
            StmtKind::Send { chan, value } => {
                self.expr(chan);
                self.expr(value);
            }
            StmtKind::Decl(decls) => {
                for &d in &f[decls] {
                    if let crate::syntax::ast::DeclKind::Var { names, typ, values } = f[d].kind {
                        for &n in &f[names] {
                            self.expr(n);
                        }
                        self.opt_expr(typ);
                        self.opt_expr(values);
                    }
                }
            }
            StmtKind::Assign { lhs, rhs, .. } => {
                self.expr(lhs);
                self.opt_expr(rhs);
            }
            StmtKind::CallStmt { call, .. } => self.expr(call),
            StmtKind::Return { results } => self.opt_expr(results),
            StmtKind::If { init, cond, then, else_ } => {
                self.opt_stmt(init);
                self.opt_expr(cond);
                self.block(then);
                self.opt_stmt(else_);
            }
            StmtKind::For { init, cond, post, body } => {
                self.opt_stmt(init);
                self.opt_expr(cond);
                self.opt_stmt(post);
                self.block(body);
            }
            StmtKind::Switch { init, tag, body, .. } => {
                self.opt_stmt(init);
                self.opt_expr(tag);
                for (i, clause) in f[body].iter().enumerate() {
                    if let Some(&v) = self.info.implicits.get(&Implicit::TypeSwitchCase(s, i as u32)) {
                        self.def_depth.insert(v, self.depth);
                    }
                    self.opt_expr(clause.cases);
                    for &st in &f[clause.body] {
                        self.stmt(st);
                    }
                }
            }
            StmtKind::Select { body, .. } => {
                for clause in &f[body] {
                    self.opt_stmt(clause.comm);
                    for &st in &f[clause.body] {
                        self.stmt(st);
                    }
                }
            }
            StmtKind::Range { lhs, x, .. } => {
                self.opt_expr(lhs);
                self.expr(x);
            }
        }
    }

    fn expr(&mut self, e: ExprId) {
        let f = self.file;
        match f[e].kind {
            ExprKind::Name(_) => self.name(e),
            ExprKind::Bad | ExprKind::BasicLit { .. } => {}
            ExprKind::CompositeLit { typ, elems, .. } => {
                self.opt_expr(typ);
                for &x in &f[elems] {
                    self.expr(x);
                }
            }
            ExprKind::KeyValue { key, value } => {
                // A struct literal's keys are field names, not variables.
                if !matches!(f[key].kind, ExprKind::Name(_)) || self.info.use_of(key).is_some_and(|o| self.lx.world.obj(o).is_var()) {
                    self.expr(key);
                }
                self.expr(value);
            }
            ExprKind::FuncLit { typ, body } => {
                self.depth += 1;
                self.expr(typ);
                self.block(body);
                self.depth -= 1;
            }
            ExprKind::Paren(x) => self.expr(x),
            ExprKind::Selector { x, .. } => {
                if let Some(sel) = self.info.selections.get(&e) {
                    let obj = self.lx.world.obj(sel.obj);
                    let on_value = !matches!(self.info.type_of(x).map(|t| self.lx.under(t.ty)), Some(Type::Pointer(_)));
                    if sel.kind == SelectionKind::MethodVal && obj.has_ptr_recv() && on_value {
                        self.address_taken(x);
                    }
                }
                self.expr(x);
            }
            ExprKind::Index { x, index } => {
                self.expr(x);
                self.expr(index);
            }
            ExprKind::Slice { x, index, .. } => {
                if matches!(self.info.type_of(x).map(|t| self.lx.under(t.ty)), Some(Type::Array(..))) {
                    self.address_taken(x);
                }
                self.expr(x);
                for i in index.into_iter().flatten() {
                    self.expr(i);
                }
            }
            ExprKind::Assert { x, .. } => self.expr(x),
            ExprKind::TypeSwitchGuard { x, .. } => self.expr(x),
            ExprKind::Operation { op, x, y } => {
                if op == Operator::And && y.is_none() {
                    self.address_taken(x);
                }
                self.expr(x);
                self.opt_expr(y);
            }
            ExprKind::Call { fun, args, .. } => {
                self.expr(fun);
                for &a in &f[args] {
                    self.expr(a);
                }
            }
            ExprKind::List(items) => {
                for &x in &f[items] {
                    self.expr(x);
                }
            }
            ExprKind::FuncType { params, results } => {
                for field in f[params].iter().chain(&f[results]) {
                    if let Some(n) = field.name {
                        self.name(n);
                    }
                }
            }
            // Other type expressions declare and use no variables.
            _ => {}
        }
    }

    /// A variable declared or used by name.
    fn name(&mut self, e: ExprId) {
        if let Some(obj) = self.info.def(e) {
            self.def_depth.insert(obj, self.depth);
        } else if let Some(obj) = self.info.use_of(e) {
            if self.def_depth.get(&obj).is_some_and(|&d| d < self.depth) {
                self.heap.insert(obj);
            }
        }
    }

    /// `&x` or an implicit address of `x`: the variable at its root goes to the heap
    /// (through field selections and array indexing, but not through pointers).
    fn address_taken(&mut self, mut x: ExprId) {
        let f = self.file;
        loop {
            x = f.unparen(x);
            match f[x].kind {
                ExprKind::Name(_) => {
                    if let Some(obj) = self.info.use_of(x) {
                        if self.def_depth.contains_key(&obj) {
                            self.heap.insert(obj);
                        }
                    }
                    return;
                }
                ExprKind::Selector { x: inner, .. } if self.info.selections.get(&x).is_some_and(|s| !s.indirect) => x = inner,
                ExprKind::Index { x: inner, .. }
                    if matches!(self.info.type_of(inner).map(|t| self.lx.under(t.ty)), Some(Type::Array(..))) =>
                {
                    x = inner
                }
                _ => return,
            }
        }
    }
}
