//! Defer statements, recover, and the frames of functions that defer calls.
//!
//! **Frames.** A function `f` with defer statements is compiled as two functions (see
//! runtime/src/panic.rs for the runtime's half and docs/decisions.md, "Defer, panic and
//! recover"):
//! - `f` keeps its symbol and signature. It binds its parameters and result variables as
//!   any function does, packs what the body needs into an argument block on its stack (the
//!   parameters' values; the addresses of the result variables and of variables captured by a
//!   function literal; the address of its checkpoint word `ck`), calls
//!   `goclift.deferframe(&ck, f·deferbody, &block)`, which runs the body and then the deferred
//!   calls, and returns the result variables' values;
//! - `f·deferbody` holds `f`'s statements; its result variables are `f`'s, through pointers, and
//!   its return statements store them and return nothing.
//!
//! A recovery resumes `f`'s deferframe call after its call of the body: it runs the remaining
//! deferred calls and returns, and `f` returns the results as the deferred calls left them.
//! To `f` this is a normal return of the call, and `f`'s code after it reads only its stack
//! slots, so no value it reads can be stale.
//!
//! **Deferred calls.** `defer fv()` of an argument-less func value without results (a
//! function literal, a func variable, a function) defers `fv` itself. Any other call is
//! wrapped as gc does it: the function value, receiver and arguments are evaluated at the
//! defer statement into a closure object `{code, values...}`, and the wrapper function
//! `code` makes the call with them. The runtime is told the call is wrapped, so that recover
//! works in the wrapper's callee (the deferred function proper) and not in the wrapper
//! (`defer recover()` does not recover, as in gc).

use super::func::{FnCx, Var};
use crate::ir::build::FuncBuilder;
use crate::ir::ty::{Ty, TyId};
use crate::ir::{BinOp, Callee, Const, LocalId, Operand, Place, Proj, Rvalue, TermKind};
use crate::runtime_abi::RuntimeFn;
use crate::syntax::ast::{BlockId, ExprId, ExprKind, File, StmtId, StmtKind};
use crate::types::ObjKind;
use std::collections::HashMap;

/// Lowering state for defer: set in the body function of a frame with defers, and in
/// wrappers of deferred built-in calls.
#[derive(Default)]
pub(super) struct DeferState {
    /// The local holding the address of the frame's checkpoint word (in a body function).
    frame: Option<LocalId>,
    /// Values that expressions stand for (a wrapper's arguments, evaluated at the defer
    /// statement); `expr` consults this first.
    presets: HashMap<ExprId, Operand>,
    /// The defer statements that run at most once per call (outside loops, in a body without
    /// goto), each with its record's index in the frame's record array.
    frame_records: HashMap<StmtId, usize>,
    /// The local holding the address of that array, and the array's IR type (in a body
    /// function).
    records: Option<(LocalId, TyId)>,
    /// The open-coded defers of the body, when the frame open-codes them.
    open: Option<OpenDefers>,
}

/// Open-coded defers (gc's, decided as gc does in [`open_codable`]): the frame's record area
/// holds one defer record standing for all of them, registered when the body starts, then
/// the runtime's `OpenDefers` (a bits word and a func value per defer statement), then the
/// wrapper closures of the deferred calls. A defer statement stores its func value and sets
/// its bit; each exit of the body makes the pending calls, newest first, clearing each bit
/// before the call; a panic, Goexit, or the deferreturn after a recovery runs those still
/// pending through the record (runtime/src/panic.rs).
struct OpenDefers {
    /// The address of the `OpenDefers` area, and its IR type.
    area: LocalId,
    area_ty: TyId,
    /// Each defer statement's index (its bit and func value slot).
    index: HashMap<StmtId, usize>,
    /// The address of the frame's record area, where wrappers are placed after `OpenDefers`.
    records: LocalId,
    /// Words of the record area used so far (shared with the frame, which sizes the area after
    /// the body is lowered).
    words: std::rc::Rc<std::cell::Cell<u64>>,
}

/// At most this many defer statements are open-coded (gc's maxOpenDefers: one byte of bits).
const MAX_OPEN_DEFERS: usize = 8;

/// Words of a defer record (runtime/src/panic.rs's `Defer`: two flags, then four pointers).
const DEFER_RECORD_WORDS: u64 = 5;

impl FnCx<'_, '_> {
    /// The value preset for expression `e`, if any (see [`DeferState::presets`]).
    pub fn preset(&self, e: ExprId) -> Option<Operand> {
        self.dfr.presets.get(&e).cloned()
    }

    /// What a return statement returns: the result variables' values, or nothing in the
    /// body function of a frame with defers (its results are the frame's variables).
    pub fn return_operands(&self) -> Vec<Operand> {
        if self.dfr.frame.is_some() {
            Vec::new()
        } else {
            self.result_operands()
        }
    }

    /// Lowers a function body (parameters and results bound) and finishes the function,
    /// splitting it into a frame and a body function when it defers calls.
    pub fn lower_body(self, body: BlockId) -> crate::ir::Func {
        if !has_defer(self.file, body) {
            return self.body(body);
        }
        self.split_frame(body)
    }

    /// Builds `f` (the frame: argument block, deferframe call, deferreturn, return) in the
    /// current builder and lowers the statements into a new body function.
    fn split_frame(mut self, body: BlockId) -> crate::ir::Func {
        let ptr = self.ir(Ty::Ptr);
        let uintptr = self.ir(Ty::Int { bits: 64, signed: false });
        let body_symbol = format!("{}·deferbody", self.b.symbol());
        // What the body needs from the frame: each variable bound so far (parameters,
        // captured variables), and the results (named ones are variables too).
        let results = self.results.clone();
        let is_result = |v: &Var| results.iter().position(|r| same_var(*r, *v));
        let mut vars: Vec<_> = self.vars.iter().filter(|(_, v)| is_result(v).is_none()).map(|(&o, &v)| (o, v)).collect();
        vars.sort_by_key(|(o, _)| *o);
        let named: Vec<_> = self.vars.iter().filter_map(|(&o, v)| is_result(v).map(|j| (o, j))).collect();
        let mut fields = Vec::new();
        let mut values = Vec::new();
        for &(_, v) in &vars {
            let (ty, val) = self.pass_var(v, false);
            fields.push(ty);
            values.push(val);
        }
        for v in self.results.clone() {
            let (ty, val) = self.pass_var(v, true);
            fields.push(ty);
            values.push(val);
        }
        let ck = self.temp(uintptr);
        self.b.assign_local(ck, Rvalue::Use(Operand::int(0, uintptr)));
        let ck_addr = self.temp_of(ptr, Rvalue::AddrOf(Place::local(ck)));
        // Records for the defer statements that run at most once: in this frame, which
        // outlives the body and the deferred calls (see goclift.deferprocstack).
        let once = once_defers(file_of(&self), body);
        let open = open_codable(file_of(&self), body, &once);
        // For open-coded defers: the record, the bits word and a func value per defer.
        let record_words = if open { DEFER_RECORD_WORDS + 1 + once.len() as u64 } else { once.len() as u64 * DEFER_RECORD_WORDS };
        let open_words = std::rc::Rc::new(std::cell::Cell::new(record_words));
        let records_ty = self.ir(Ty::Array { len: record_words.max(1), elem: uintptr });
        // Not zeroed: deferprocstack writes a whole record before linking it.
        let records = self.temp(records_ty);
        let records_addr = self.temp_of(ptr, Rvalue::AddrOf(Place::local(records)));
        fields.push(ptr);
        values.push(Operand::local(records_addr));
        fields.push(ptr);
        values.push(Operand::local(ck_addr));
        let block_ty = self.ir(Ty::Struct(fields.clone()));
        let block = self.temp(block_ty);
        self.b.assign_local(block, Rvalue::Aggregate(block_ty, values));
        let block_addr = self.temp_of(ptr, Rvalue::AddrOf(Place::local(block)));
        let code = self.temp_of(ptr, Rvalue::FuncAddr(body_symbol.clone()));
        // Deferred calls run at the return: tracebacks show the frame at its final return
        // statement, or its closing brace, as gc does for the common single-return case.
        let file = self.file;
        let decl_line = self.b.line;
        self.b.line = match file[file[body].stmts].last() {
            Some(&last) if matches!(file[last].kind, crate::syntax::ast::StmtKind::Return { .. }) => file[last].pos.line,
            _ => file[body].rbrace.line,
        };
        self.b.call(
            Callee::Runtime(RuntimeFn::DeferFrame),
            vec![Operand::local(ck_addr), Operand::local(code), Operand::local(block_addr)],
            vec![],
        );
        let ops = self.result_operands();
        self.b.terminate(TermKind::Return(ops));
        self.b.line = decl_line;

        // The body: unpack the block, rebind the variables and results to the copies.
        let line = self.b.line;
        let file = self.lx.filename(self.fi).to_string();
        let body_b = FuncBuilder::new(&body_symbol, &file, line, &[(String::new(), ptr)], Vec::new());
        let frame_b = std::mem::replace(&mut self.b, body_b);
        let arg = self.b.params()[0];
        let field = |i: usize| Operand::place(Place::deref(Operand::local(arg), block_ty).field(i as u32));
        for (i, &(obj, v)) in vars.iter().enumerate() {
            let l = self.temp_of(fields[i], Rvalue::Use(field(i)));
            let nv = match v {
                Var::Local(_) => Var::Local(l),
                Var::Heap { ty, .. } => Var::Heap { ptr: l, ty },
            };
            self.vars.insert(obj, nv);
        }
        for (j, v) in self.results.clone().into_iter().enumerate() {
            let i = vars.len() + j;
            let l = self.temp_of(ptr, Rvalue::Use(field(i)));
            let ty = match v {
                Var::Local(loc) => frame_b.local_ty(loc),
                Var::Heap { ty, .. } => ty,
            };
            self.results[j] = Var::Heap { ptr: l, ty };
        }
        for (obj, j) in named {
            self.vars.insert(obj, self.results[j]);
        }
        let frame = self.temp_of(ptr, Rvalue::Use(field(fields.len() - 1)));
        self.dfr.frame = Some(frame);
        let records_ptr = self.temp_of(ptr, Rvalue::Use(field(fields.len() - 2)));
        if open {
            self.start_open_defers(records_ptr, frame, once, open_words.clone());
        } else {
            self.dfr.records = Some((records_ptr, records_ty));
            self.dfr.frame_records = once.into_iter().enumerate().map(|(i, s)| (s, i)).collect();
        }
        let lx = self.lx;
        let body_func = self.body(body);
        lx.add_func(body_func);
        let mut frame_b = frame_b;
        if open {
            // Now the wrappers' sizes are known.
            let area_ty = lx.tys.borrow_mut().intern(Ty::Array { len: open_words.get(), elem: uintptr });
            frame_b.set_local_ty(records, area_ty);
        }
        frame_b.finish()
    }

    /// Starts a body whose defers are open-coded: registers the frame's record for them
    /// (record area at `records`, checkpoint word at `frame`).
    fn start_open_defers(&mut self, records: LocalId, frame: LocalId, defers: Vec<StmtId>, words: std::rc::Rc<std::cell::Cell<u64>>) {
        let ptr = self.ir(Ty::Ptr);
        let uintptr = self.ir(Ty::Int { bits: 64, signed: false });
        let fvs = self.ir(Ty::Array { len: defers.len() as u64, elem: ptr });
        let area_ty = self.ir(Ty::Struct(vec![uintptr, fvs]));
        let at = Rvalue::Offset { ptr: Operand::local(records), index: Operand::int(DEFER_RECORD_WORDS as i64, self.int()), scale: 8 };
        let area = self.temp_of(ptr, at);
        let args = vec![Operand::local(records), Operand::local(frame), Operand::local(area)];
        self.b.call(Callee::Runtime(RuntimeFn::DeferOpenFrame), args, vec![]);
        let index = defers.into_iter().enumerate().map(|(i, s)| (s, i)).collect();
        self.dfr.open = Some(OpenDefers { area, area_ty, index, records, words });
    }

    /// At an exit of a body with open-coded defers: makes the pending deferred calls, newest
    /// first, each unmarked before it runs (so that a panic in it does not run it again).
    pub fn open_defers_at_exit(&mut self) {
        let Some(open) = &self.dfr.open else { return };
        let (area, area_ty, n) = (open.area, open.area_ty, open.index.len());
        let uintptr = self.ir(Ty::Int { bits: 64, signed: false });
        let ptr = self.ir(Ty::Ptr);
        let boolean = self.ir(Ty::Bool);
        let bits_place = Place::deref(Operand::local(area), area_ty).field(0);
        for i in (0..n).rev() {
            let bit = Operand::int(1 << i, uintptr);
            let bits = self.temp_of(uintptr, Rvalue::Use(Operand::place(bits_place.clone())));
            let masked = self.temp_of(uintptr, Rvalue::Binary(BinOp::And, Operand::local(bits), bit.clone()));
            let pending = self.temp_of(boolean, Rvalue::Binary(BinOp::Ne, Operand::local(masked), Operand::int(0, uintptr)));
            let (call, next) = (self.b.block(), self.b.block());
            self.b.terminate(TermKind::If { cond: Operand::local(pending), then: call, else_: next });
            self.b.switch_to(call);
            self.b.assign(bits_place.clone(), Rvalue::Binary(BinOp::AndNot, Operand::local(bits), bit));
            let slot = Place::deref(Operand::local(area), area_ty).field(1).project(Proj::Index(Operand::int(i as i64, self.int())));
            let fv = self.temp_of(ptr, Rvalue::Use(Operand::place(slot)));
            self.b.call(Callee::Closure { func: Operand::local(fv), results: vec![] }, vec![], vec![]);
            self.b.terminate(TermKind::Goto(next));
            self.b.switch_to(next);
        }
    }

    /// An open-coded defer statement (index `i`): stores func value `fv` and marks the call
    /// pending.
    fn open_defer(&mut self, i: usize, fv: Operand, wrapped: bool) {
        let Some(open) = &self.dfr.open else { return };
        let (area, area_ty) = (open.area, open.area_ty);
        let uintptr = self.ir(Ty::Int { bits: 64, signed: false });
        let slot = Place::deref(Operand::local(area), area_ty).field(1).project(Proj::Index(Operand::int(i as i64, self.int())));
        self.b.assign(slot, Rvalue::Use(fv));
        let bits_place = Place::deref(Operand::local(area), area_ty).field(0);
        let mask = (1i64 << i) | if wrapped { 1 << (8 + i) } else { 0 };
        let bits = self.temp_of(uintptr, Rvalue::Use(Operand::place(bits_place.clone())));
        self.b.assign(bits_place, Rvalue::Binary(BinOp::Or, Operand::local(bits), Operand::int(mask, uintptr)));
    }

    /// Space for a wrapper closure object of IR type `layout` in the frame's record area, when
    /// the defers are open-coded (the frame outlives every call of the wrapper).
    fn open_wrapper_space(&mut self, layout: TyId) -> Option<LocalId> {
        let open = self.dfr.open.as_ref()?;
        let (records, words) = (open.records, open.words.clone());
        let size = self.lx.tys.borrow().layout(layout).size;
        let at = words.get();
        words.set(at + size.div_ceil(8));
        let ptr = self.ir(Ty::Ptr);
        let rv = Rvalue::Offset { ptr: Operand::local(records), index: Operand::int(at as i64, self.int()), scale: 8 };
        Some(self.temp_of(ptr, rv))
    }

    /// How variable `v` goes into the argument block: its value (IR type and operand), or,
    /// for results and variables on the heap, a pointer to it.
    fn pass_var(&mut self, v: Var, result: bool) -> (TyId, Operand) {
        let ptr = self.ir(Ty::Ptr);
        match v {
            Var::Heap { ptr: p, .. } => (ptr, Operand::local(p)),
            Var::Local(l) if result => (ptr, Operand::local(self.temp_of(ptr, Rvalue::AddrOf(Place::local(l))))),
            Var::Local(l) => (self.b.local_ty(l), Operand::local(l)),
        }
    }

    /// `defer call`: pushes the call on the goroutine's defer chain.
    pub fn defer_stmt(&mut self, s: StmtId, call: ExprId) {
        let Some(frame) = self.dfr.frame else {
            return self.unsupported(self.file[s].pos, "defer outside a function body");
        };
        let call = self.file.unparen(call);
        let ExprKind::Call { fun, args, .. } = self.file[call].kind else { return };
        self.b.line = self.file.start_pos(call).line;
        let fun = self.file.unparen(fun);
        let no_args = self.file[args].is_empty();
        let (fv, wrapped) = if self.is_builtin(fun) {
            (self.builtin_wrapper(call), true)
        } else if no_args && self.is_plain_func_value(fun) {
            let v = self.expr(fun);
            (self.stabilize(v), false)
        } else {
            match self.call_wrapper(call) {
                Some(fv) => (fv, true),
                None => return,
            }
        };
        if let Some(&i) = self.dfr.open.as_ref().and_then(|o| o.index.get(&s)) {
            return self.open_defer(i, fv, wrapped);
        }
        let wrapped = Operand::Const(Const::Bool(wrapped));
        match (self.dfr.frame_records.get(&s).copied(), self.dfr.records) {
            (Some(i), Some((records, records_ty))) => {
                let ptr = self.ir(Ty::Ptr);
                let word = Operand::int((i as u64 * DEFER_RECORD_WORDS) as i64, self.int());
                let place = Place::deref(Operand::local(records), records_ty).project(crate::ir::Proj::Index(word));
                let d = self.temp_of(ptr, Rvalue::AddrOf(place));
                let args = vec![Operand::local(d), Operand::local(frame), fv, wrapped];
                self.b.call(Callee::Runtime(RuntimeFn::DeferProcStack), args, vec![]);
            }
            _ => {
                let args = vec![Operand::local(frame), fv, wrapped];
                self.b.call(Callee::Runtime(RuntimeFn::DeferProc), args, vec![]);
            }
        }
    }

    /// Whether `fun` names a built-in function.
    fn is_builtin(&self, fun: ExprId) -> bool {
        self.info.use_of(fun).is_some_and(|o| matches!(self.lx.world.obj(o).kind, ObjKind::Builtin(_)))
    }

    /// Whether `fun` is a func value of type `func()` that can be deferred as it is: not a
    /// method (whose receiver must be bound) and without parameters or results.
    fn is_plain_func_value(&self, fun: ExprId) -> bool {
        if let ExprKind::Selector { .. } = self.file[fun].kind {
            if self.selection(fun).is_some_and(|s| s.kind != crate::types::SelectionKind::FieldVal) {
                return false;
            }
        }
        let t = self.type_of(fun);
        let sig = self.lx.world.under_no_expand(t);
        match self.lx.world.sig(sig) {
            Some(s) => self.lx.world.tuple_vars(s.params).is_empty() && self.lx.world.tuple_vars(s.results).is_empty(),
            None => false,
        }
    }

    /// A wrapper closure for deferred call `call` of a function, method or func value: the
    /// callee's func value (if any), receiver and arguments are evaluated now.
    fn call_wrapper(&mut self, call: ExprId) -> Option<Operand> {
        let ExprKind::Call { fun, args, has_dots } = self.file[call].kind else { return None };
        let fun = self.file.unparen(fun);
        let args: Vec<ExprId> = self.file[args].to_vec();
        let fun_t = self.type_of(fun);
        let sig = self.lx.world.under_no_expand(fun_t);
        let (variadic, params) = match self.lx.world.sig(sig) {
            Some(s) => (s.variadic && !has_dots, s.params),
            None => return None,
        };
        let param_types: Vec<_> = self.lx.world.tuple_vars(params).iter().map(|&v| self.lx.world.obj(v).typ()).collect();
        let (_, result_tys) = self.lx.signature_tys(sig);
        let (callee, recv) = self.callee(fun);
        let fv = match callee {
            Some(_) => None,
            None => {
                let v = self.expr(fun);
                Some(self.stabilize(v))
            }
        };
        let mut values: Vec<Operand> = recv.into_iter().collect();
        let keep = self.keeps_uintptrs_alive(fun);
        values.extend(self.call_args(&args, &param_types, variadic, keep));
        let mut captured: Vec<Operand> = fv.iter().cloned().collect();
        captured.extend(values.iter().cloned());
        let tys: Vec<TyId> = captured.iter().map(|v| self.b_operand_ty(v)).collect();
        let (mut w, ctx, layout) = self.wrapper_builder(&tys);
        let load = |i: usize| Operand::place(Place::deref(Operand::local(ctx), layout).field(i as u32 + 1));
        let mut loaded: Vec<Operand> = (0..tys.len()).map(|i| Operand::local(w.local_of(tys[i], load(i)))).collect();
        let callee = match callee {
            Some(c) => c,
            None => Callee::Closure { func: loaded.remove(0), results: result_tys },
        };
        w.call(callee, loaded, vec![]);
        w.terminate(TermKind::Return(vec![]));
        Some(self.finish_wrapper(w, captured, layout, keep))
    }

    /// A wrapper closure for a deferred call of a built-in (print, println, panic, close,
    /// delete, copy, recover): its arguments are evaluated now; the wrapper lowers the
    /// built-in call with the arguments preset to the values it was given.
    fn builtin_wrapper(&mut self, call: ExprId) -> Operand {
        let ExprKind::Call { args, .. } = self.file[call].kind else { unreachable!("a call") };
        let args: Vec<ExprId> = self.file[args].to_vec();
        let mut captured = Vec::new();
        let mut preset_ids = Vec::new();
        for &a in &args {
            let constant = self.tv(a).is_some_and(|tv| self.lx.info.value(tv).is_some() || tv.mode == crate::types::Mode::TypeExpr);
            if constant {
                continue;
            }
            let v = self.expr(a);
            captured.push(self.stabilize(v));
            preset_ids.push(a);
        }
        let tys: Vec<TyId> = captured.iter().map(|v| self.b_operand_ty(v)).collect();
        let (w, ctx, layout) = self.wrapper_builder(&tys);
        let mut wx = FnCx::new(self.lx, self.fi, w, self.closures, self.outer_symbol.clone());
        wx.in_func_lit = self.in_func_lit;
        wx.heap = self.heap.clone();
        for (i, &a) in preset_ids.iter().enumerate() {
            let v = Operand::place(Place::deref(Operand::local(ctx), layout).field(i as u32 + 1));
            let l = wx.temp_of(tys[i], Rvalue::Use(v));
            wx.dfr.presets.insert(a, Operand::local(l));
        }
        wx.expr_stmt(call);
        if !wx.b.is_terminated() {
            wx.b.terminate(TermKind::Return(vec![]));
        }
        let w = wx.finish_builder();
        self.finish_wrapper(w, captured, layout, false)
    }

    /// A builder for a wrapper function (a closure without parameters or results) whose
    /// closure object holds values of types `tys` after the code word; returns the builder,
    /// its closure-context local and the closure object's layout.
    fn wrapper_builder(&mut self, tys: &[TyId]) -> (FuncBuilder, LocalId, TyId) {
        // Not a funcN: gc numbers its wrappers after the function's literals, so they must
        // not shift the literals' names (wrappers never show in tracebacks).
        let symbol = {
            let funcs = self.lx.funcs.borrow();
            (1..)
                .map(|n| format!("{}.deferwrap{n}", self.outer_symbol))
                .find(|s| !funcs.iter().any(|f| &f.symbol == s))
                .expect("some wrapper name is free")
        };
        let ptr = self.ir(Ty::Ptr);
        let mut fields = vec![ptr];
        fields.extend_from_slice(tys);
        let layout = self.ir(Ty::Struct(fields));
        let file = self.lx.filename(self.fi).to_string();
        let mut w = FuncBuilder::new(&symbol, &file, self.b.line, &[], Vec::new());
        w.line = self.b.line;
        w.set_wrapper();
        let ctx = w.closure_param(ptr);
        (w, ctx, layout)
    }

    /// Adds wrapper `w` to the program and builds its closure object `{code, captured...}`
    /// (whose uintptrs the collector scans if `keep_uintptrs`).
    fn finish_wrapper(&mut self, w: FuncBuilder, captured: Vec<Operand>, layout: TyId, keep_uintptrs: bool) -> Operand {
        let func = w.finish();
        let symbol = func.symbol.clone();
        self.lx.add_func(func);
        let ptr = self.ir(Ty::Ptr);
        let on_stack = if keep_uintptrs { None } else { self.open_wrapper_space(layout) };
        let obj = match on_stack {
            Some(obj) => obj,
            None => {
                let obj = self.temp(ptr);
                if keep_uintptrs {
                    self.new_object_keeping_uintptrs(obj, layout);
                } else {
                    self.new_object(obj, layout);
                }
                obj
            }
        };
        let code = self.temp_of(ptr, Rvalue::FuncAddr(symbol));
        let mut parts = vec![Operand::local(code)];
        parts.extend(captured);
        self.b.assign(Place::deref(Operand::local(obj), layout), Rvalue::Aggregate(layout, parts));
        Operand::local(obj)
    }

    /// `recover()`: the current panic's value if this function is the deferred call it runs
    /// (the runtime checks, from this function's frame pointer), else nil.
    pub fn recover(&mut self, e: ExprId) -> Operand {
        let ty = self.ty(self.type_of(e));
        self.runtime_value(RuntimeFn::GoRecover, vec![], ty)
    }

    /// `panic(e)` for a value `e` of type `any`: runtime.gopanic with its type and data words.
    pub fn panic_any(&mut self, e: Operand) {
        let e = self.stabilize(e);
        let typ = self.string_part(&e, 0);
        let data = self.string_part(&e, 1);
        self.b.call(Callee::Runtime(RuntimeFn::GoPanic), vec![typ, data], vec![]);
        self.b.terminate(TermKind::Unreachable);
    }
}

/// Whether two variable bindings are the same variable.
fn same_var(a: Var, b: Var) -> bool {
    match (a, b) {
        (Var::Local(x), Var::Local(y)) => x == y,
        (Var::Heap { ptr: x, .. }, Var::Heap { ptr: y, .. }) => x == y,
        _ => false,
    }
}

impl FuncBuilder {
    /// A new temporary holding `v`.
    fn local_of(&mut self, ty: TyId, v: Operand) -> LocalId {
        let l = self.local("", ty);
        self.assign_local(l, Rvalue::Use(v));
        l
    }
}

/// Whether a function body contains a defer statement of its own (not counting those in
/// function literals, which are functions of their own).
/// The file a lowering context works on.
fn file_of<'a>(fx: &FnCx<'_, 'a>) -> &'a File {
    fx.file
}

/// The defer statements of `body` that run at most once per call: outside loops (function
/// literals are not entered: their defers are theirs), none at all when the body has goto.
fn once_defers(file: &File, body: BlockId) -> Vec<StmtId> {
    fn walk(file: &File, s: StmtId, in_loop: bool, out: &mut Vec<StmtId>) {
        let block = |b: BlockId, in_loop: bool, out: &mut Vec<StmtId>| {
            for &s in &file[file[b].stmts] {
                walk(file, s, in_loop, out);
            }
        };
        match file[s].kind {
            StmtKind::CallStmt { tok, .. } if tok == crate::syntax::token::Token::Defer && !in_loop => out.push(s),
            StmtKind::Labeled { stmt, .. } => walk(file, stmt, in_loop, out),
            StmtKind::Block(b) => block(b, in_loop, out),
            StmtKind::If { then, else_, .. } => {
                block(then, in_loop, out);
                if let Some(e) = else_ {
                    walk(file, e, in_loop, out);
                }
            }
            StmtKind::For { body, .. } => block(body, true, out),
            StmtKind::Switch { body, .. } => {
                for c in &file[body] {
                    for &s in &file[c.body] {
                        walk(file, s, in_loop, out);
                    }
                }
            }
            StmtKind::Select { body, .. } => {
                for c in &file[body] {
                    for &s in &file[c.body] {
                        walk(file, s, in_loop, out);
                    }
                }
            }
            _ => {}
        }
    }
    if super::escape_flow::has_goto(file, body) {
        return Vec::new();
    }
    let mut out = Vec::new();
    for &s in &file[file[body].stmts] {
        walk(file, s, false, &mut out);
    }
    out
}

/// Whether the defers of `body` are open-coded, as gc decides (ssagen's hasOpenDefers): every
/// defer statement runs at most once (`once` holds them all), there are at most eight, and
/// the explicit return statements times the defers are at most 15.
fn open_codable(file: &File, body: BlockId, once: &[StmtId]) -> bool {
    let defers = count_stmts(file, body, &|k| matches!(k, StmtKind::CallStmt { tok, .. } if *tok == crate::syntax::token::Token::Defer));
    let returns = count_stmts(file, body, &|k| matches!(k, StmtKind::Return { .. }));
    defers > 0 && once.len() == defers && defers <= MAX_OPEN_DEFERS && returns * defers <= 15
}

/// The statements of `body` (nested ones too, not those of function literals) of a kind
/// `pred` accepts.
fn count_stmts(file: &File, body: BlockId, pred: &dyn Fn(&StmtKind) -> bool) -> usize {
    fn stmt(file: &File, s: StmtId, pred: &dyn Fn(&StmtKind) -> bool) -> usize {
        let block = |b: BlockId| count_stmts(file, b, pred);
        let opt = |s: Option<StmtId>| s.map_or(0, |s| stmt(file, s, pred));
        let here = usize::from(pred(&file[s].kind));
        here + match file[s].kind {
            StmtKind::Labeled { stmt: inner, .. } => stmt(file, inner, pred),
            StmtKind::Block(b) => block(b),
            StmtKind::If { init, then, else_, .. } => opt(init) + block(then) + opt(else_),
            StmtKind::For { init, post, body, .. } => opt(init) + opt(post) + block(body),
            StmtKind::Switch { init, body, .. } => {
                opt(init) + file[body].iter().map(|c| file[c.body].iter().map(|&s| stmt(file, s, pred)).sum::<usize>()).sum::<usize>()
            }
            StmtKind::Select { body, .. } => file[body]
                .iter()
                .map(|c| opt(c.comm) + file[c.body].iter().map(|&s| stmt(file, s, pred)).sum::<usize>())
                .sum(),
            _ => 0,
        }
    }
    file[file[body].stmts].iter().map(|&s| stmt(file, s, pred)).sum()
}

pub(super) fn has_defer(file: &File, body: BlockId) -> bool {
    file[file[body].stmts].iter().any(|&s| stmt_has_defer(file, s))
}

fn stmt_has_defer(file: &File, s: StmtId) -> bool {
    let block = |b: BlockId| has_defer(file, b);
    let opt = |s: Option<StmtId>| s.is_some_and(|s| stmt_has_defer(file, s));
    match file[s].kind {
        StmtKind::CallStmt { tok, .. } => tok == crate::syntax::token::Token::Defer,
        StmtKind::Labeled { stmt, .. } => stmt_has_defer(file, stmt),
        StmtKind::Block(b) => block(b),
        StmtKind::If { init, then, else_, .. } => opt(init) || block(then) || opt(else_),
        StmtKind::For { init, post, body, .. } => opt(init) || opt(post) || block(body),
        StmtKind::Switch { init, body, .. } => {
            opt(init) || file[body].iter().any(|c| file[c.body].iter().any(|&s| stmt_has_defer(file, s)))
        }
        StmtKind::Select { body, .. } => {
            file[body].iter().any(|c| opt(c.comm) || file[c.body].iter().any(|&s| stmt_has_defer(file, s)))
        }
        _ => false,
    }
}
