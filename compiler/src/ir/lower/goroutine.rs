//! The go statement: `go f(args)` evaluates the function value and the arguments in the
//! calling goroutine, packs them into a heap block, and starts a goroutine with
//! `runtime.newproc(thunk, block)`. The thunk is a compiler-generated function
//! `outer.gowrapN(block)` that unpacks the block and makes the call (gc 1.19 wraps such calls
//! in a closure the same way; the runtime calls `fn(arg, g)`, and the thunk ignores g, which
//! it also has in the g register).

use super::func::FnCx;
use crate::ir::build::FuncBuilder;
use crate::ir::ty::{Ty, TyId};
use crate::ir::{Callee, Const, Operand, Place, Rvalue, TermKind};
use crate::runtime_abi::RuntimeFn;
use crate::syntax::ast::{ExprId, ExprKind};
use crate::types::{Mode, ObjKind, TypeId};

impl FnCx<'_, '_> {
    /// `go call`.
    pub fn go_stmt(&mut self, call: ExprId) {
        let call = self.file.unparen(call);
        let ExprKind::Call { fun, args, has_dots } = self.file[call].kind else {
            return self.unsupported(self.file.start_pos(call), "this go statement");
        };
        let fun = self.file.unparen(fun);
        let args: Vec<ExprId> = self.file[args].to_vec();
        let fun_tv = self.tv(fun).unwrap_or_default();
        let builtin = self.info.use_of(fun).is_some_and(|o| matches!(self.lx.world.obj(o).kind, ObjKind::Builtin(_)));
        if builtin || fun_tv.mode == Mode::TypeExpr {
            return self.unsupported(self.file.start_pos(call), "go with a built-in function");
        }
        let sig = self.lx.world.under_no_expand(fun_tv.ty);
        let (variadic, params_tuple) = match self.lx.world.sig(sig) {
            Some(s) => (s.variadic && !has_dots, s.params),
            None => (false, TypeId::default()),
        };
        let param_types: Vec<TypeId> =
            self.lx.world.tuple_vars(params_tuple).iter().map(|&v| self.lx.world.obj(v).typ()).collect();
        let (_, result_tys) = self.lx.signature_tys(sig);
        // The function value first (a func value or the receiver), then the arguments.
        let (direct, recv) = self.callee(fun);
        let func_value = match direct {
            Some(_) => None,
            None => {
                let f = self.expr(fun);
                Some(self.stabilize(f))
            }
        };
        let mut values: Vec<Operand> = func_value.iter().cloned().collect();
        values.extend(recv);
        let keep = self.keeps_uintptrs_alive(fun);
        values.extend(self.call_args(&args, &param_types, variadic, keep));
        let tys: Vec<TyId> = values.iter().map(|v| self.b_operand_ty(v)).collect();
        let block_ty = self.ir(Ty::Struct(tys.clone()));
        let ptr = self.ir(Ty::Ptr);
        let block = if tys.is_empty() {
            Operand::Const(Const::Zero(ptr))
        } else {
            let p = self.temp(ptr);
            if keep {
                self.new_object_keeping_uintptrs(p, block_ty);
            } else {
                self.new_object(p, block_ty);
            }
            self.b.assign(Place::deref(Operand::local(p), block_ty), Rvalue::Aggregate(block_ty, values));
            Operand::local(p)
        };
        let callee = match direct {
            Some(c) => c,
            None => Callee::Closure { func: Operand::Const(Const::Zero(ptr)), results: result_tys },
        };
        let thunk = self.go_thunk(callee, block_ty, &tys);
        let code = self.temp_of(ptr, Rvalue::FuncAddr(thunk));
        self.b.call(Callee::Runtime(RuntimeFn::NewProc), vec![Operand::local(code), block], Vec::new());
    }

    /// Adds the thunk `outer.gowrapN(block *T)` that calls `callee` with the fields of the
    /// block (for a func value, field 0 is the closure); returns its symbol.
    fn go_thunk(&mut self, callee: Callee, block_ty: TyId, tys: &[TyId]) -> String {
        let symbol = self.fresh_thunk_symbol();
        let ptr = self.ir(Ty::Ptr);
        let mut b = FuncBuilder::new(&symbol, self.lx.filename(self.fi), self.b.line, &[("block".to_string(), ptr)], Vec::new());
        b.set_wrapper();
        let arg = b.params()[0];
        let fields: Vec<Operand> = (0..tys.len())
            .map(|i| {
                let l = b.local("", tys[i]);
                let field = Place::deref(Operand::local(arg), block_ty).field(i as u32);
                b.assign_local(l, Rvalue::Use(Operand::place(field)));
                Operand::local(l)
            })
            .collect();
        let (callee, args) = match callee {
            Callee::Closure { results, .. } => {
                let mut fields = fields.into_iter();
                let func = fields.next().unwrap_or(Operand::Const(Const::Zero(ptr)));
                (Callee::Closure { func, results }, fields.collect())
            }
            c => (c, fields),
        };
        b.call(callee, args, Vec::new());
        b.terminate(TermKind::Return(Vec::new()));
        self.lx.add_func(b.finish());
        symbol
    }

    /// `outer.gowrapN` with the smallest N not yet used.
    fn fresh_thunk_symbol(&self) -> String {
        let funcs = self.lx.funcs.borrow();
        (1..)
            .map(|n| format!("{}.gowrap{n}", self.outer_symbol))
            .find(|s| !funcs.iter().any(|f| &f.symbol == s))
            .expect("some thunk name is free")
    }
}
