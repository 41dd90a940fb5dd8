//! Method values (`x.M` as a func value, bound to its receiver) and method expressions
//! (`T.M`, taking the receiver as first argument).

use super::func::FnCx;
use crate::ir::build::FuncBuilder;
use crate::ir::ty::{Ty, TyId};
use crate::ir::{Callee, Const, Operand, Place, Rvalue, TermKind};
use crate::syntax::ast::ExprId;
use crate::types::ty::Type;
use crate::types::Selection;

impl FnCx<'_, '_> {
    /// `x.M` as a value: a closure object `{wrapper, receiver}` whose wrapper (gc's `M-fm`)
    /// calls the method with the bound receiver.
    pub fn method_value(&mut self, e: ExprId, x: ExprId, sel: &Selection) -> Operand {
        let (params, results) = self.lx.signature_tys(self.type_of(e));
        let embedded = &sel.index[..sel.index.len() - 1];
        let recv_t = self.field_path_type(self.type_of(x), embedded);
        let name = self.lx.world.obj(sel.obj).name;
        let (recv, target) = if self.is_interface(recv_t) {
            let index = self.lx.interface_method_objs(recv_t).iter().position(|&m| self.lx.world.obj(m).name == name).unwrap_or(0);
            self.lx.note_interface_call(sel.obj);
            let v = if embedded.is_empty() { self.expr(x) } else { Operand::place(self.field_path(x, embedded)) };
            let v = self.stabilize(v);
            // A method value of a nil interface panics now, not when called.
            let tab = self.string_part(&v, 0);
            self.nil_check(tab);
            (v, Target::Interface(index, format!("{}.{}-fm", self.lx.link_string(recv_t), name.as_str())))
        } else {
            let Some(symbol) = self.lx.func_symbol(sel.obj) else {
                self.unsupported(self.file.start_pos(e), "method values of other packages");
                return Operand::Const(Const::Zero(self.ir(Ty::Ptr)));
            };
            let ptr_recv = self.lx.world.obj(sel.obj).has_ptr_recv();
            (self.receiver(x, &sel.index, ptr_recv), Target::Method(symbol))
        };
        let recv_ty = self.b_operand_ty(&recv);
        let wrapper = self.bound_method_wrapper(&target, recv_ty, &params, &results);
        let ptr = self.ir(Ty::Ptr);
        let layout = self.ir(Ty::Struct(vec![ptr, recv_ty]));
        let obj = self.temp(ptr);
        self.new_object(obj, layout);
        let code = self.temp_of(ptr, Rvalue::FuncAddr(wrapper));
        let object = Place::deref(Operand::local(obj), layout);
        self.b.assign(object.clone().field(0), Rvalue::Use(Operand::local(code)));
        self.b.assign(object.field(1), Rvalue::Use(recv));
        Operand::local(obj)
    }

    /// The wrapper of a bound method: params, then the closure `{code, receiver}`.
    fn bound_method_wrapper(&mut self, target: &Target, recv_ty: TyId, params: &[TyId], results: &[TyId]) -> String {
        let symbol = match target {
            Target::Method(m) => format!("{m}-fm"),
            Target::Interface(_, s) => s.clone(),
        };
        if !self.lx.generated.borrow_mut().insert(symbol.clone()) {
            return symbol;
        }
        let all: Vec<(String, TyId)> = params.iter().map(|&t| (String::new(), t)).collect();
        let b = FuncBuilder::new(&symbol, "", 0, &all, results.to_vec());
        let mut closures = 0;
        let mut fx = FnCx::for_generated(self.lx, b, &mut closures);
        let ptr = fx.ir(Ty::Ptr);
        let ctx = fx.b.closure_param(ptr);
        let layout = fx.ir(Ty::Struct(vec![ptr, recv_ty]));
        let recv = Operand::place(Place::deref(Operand::local(ctx), layout).field(1));
        let recv = fx.stabilize(recv);
        let args: Vec<Operand> = fx.b.params().into_iter().map(Operand::local).collect();
        let outs = match target {
            Target::Method(m) => {
                let outs: Vec<_> = results.iter().map(|&r| fx.temp(r)).collect();
                let mut all = vec![recv];
                all.extend(args);
                fx.b.call(Callee::Func(m.clone()), all, outs.iter().map(|&o| Place::local(o)).collect());
                outs.into_iter().map(Operand::local).collect()
            }
            Target::Interface(index, _) => fx.interface_call(recv, *index, args, results.to_vec()),
        };
        fx.b.terminate(TermKind::Return(outs));
        self.lx.add_func(fx.finish_builder().finish());
        symbol
    }

    /// `T.M` or `(*T).M` as a func value taking the receiver first: the method itself, its
    /// pointer wrapper, or a wrapper reaching a promoted method (or calling an interface's
    /// method through the itab).
    pub fn method_expr(&mut self, e: ExprId, sel: &Selection) -> Operand {
        let ptr = self.ir(Ty::Ptr);
        let (base, via_pointer) = match self.lx.world.ty(sel.recv) {
            Type::Pointer(b) => (*b, true),
            _ => (sel.recv, false),
        };
        let path = sel.index[..sel.index.len() - 1].to_vec();
        let symbol = if path.is_empty() && !self.is_interface(base) {
            let Some(symbol) = self.lx.func_symbol(sel.obj) else {
                self.unsupported(self.file.start_pos(e), "method expressions of other packages");
                return Operand::Const(Const::Zero(ptr));
            };
            let value_method = !self.lx.world.obj(sel.obj).has_ptr_recv();
            if via_pointer && value_method {
                self.lx.pointer_wrapper(base, sel.obj, &symbol)
            } else {
                symbol
            }
        } else {
            let entry = super::methodset::MethodEntry { obj: sel.obj, path, indirect: sel.indirect };
            self.lx.method_wrapper(base, via_pointer, &entry)
        };
        Operand::local(self.temp_of(ptr, Rvalue::FuncValue(symbol)))
    }
}

/// What a method value's wrapper calls.
enum Target {
    /// A method by symbol, with the receiver as first argument.
    Method(String),
    /// Method `index` of an interface receiver; the wrapper's symbol.
    Interface(usize, String),
}
