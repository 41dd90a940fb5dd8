//! Method expressions that need a function of their own: `I.M` for an interface type I
//! (calls M through the receiver's itab) and `T.M` for a method promoted through embedded
//! fields (follows the fields, then calls M). Both take the receiver as first argument, as
//! gc's wrappers of the same names do (`main.I.M`, `main.T.M`).

use super::func::FnCx;
use crate::ir::build::FuncBuilder;
use crate::ir::ty::TyId;
use crate::ir::{Callee, Operand, Place, Rvalue, TermKind};
use crate::types::ty::Type;
use crate::types::Selection;

impl FnCx<'_, '_> {
    /// The wrapper function for method expression `sel` of func type `fty`, or None if
    /// the method has no known symbol.
    pub(super) fn method_expr_wrapper(&mut self, sel: &Selection, fty: crate::types::TypeId) -> Option<String> {
        let name = self.lx.world.obj(sel.obj).name;
        let symbol = format!("{}.{}", self.lx.link_string(sel.recv), name.as_str());
        let target = self.lx.func_symbols.get(&sel.obj).cloned();
        if !self.lx.generated.borrow().contains(&symbol) {
            // The final receiver must be an interface or a method with a symbol.
            let embedded = &sel.index[..sel.index.len() - 1];
            let last = self.field_path_type(sel.recv, embedded);
            if target.is_none() && !self.is_interface(last) {
                return None;
            }
            self.lx.generated.borrow_mut().insert(symbol.clone());
            let (params, results) = self.lx.signature_tys(fty);
            self.build_method_expr_wrapper(&symbol, sel, target, &params, &results);
        }
        Some(symbol)
    }

    fn build_method_expr_wrapper(&mut self, symbol: &str, sel: &Selection, target: Option<String>, params: &[TyId], results: &[TyId]) {
        let all: Vec<(String, TyId)> = params.iter().map(|&t| (String::new(), t)).collect();
        let b = FuncBuilder::new(symbol, "", 0, &all, results.to_vec());
        let mut closures = 0;
        let mut fx = FnCx::for_generated(self.lx, b, &mut closures);
        let mut locals = fx.b.params();
        let recv = locals.remove(0);
        let args: Vec<Operand> = locals.into_iter().map(Operand::local).collect();
        // Follow the embedded fields from the receiver.
        let mut t = sel.recv;
        let mut place = Place::local(recv);
        for &f in &sel.index[..sel.index.len() - 1] {
            if let Type::Pointer(elem) = fx.lx.under(t) {
                let elem = *elem;
                place = Place::deref(Operand::place(place), fx.ty(elem));
                t = elem;
            }
            let Some(st) = fx.lx.world.struct_type(fx.lx.world.under_no_expand(t)) else { break };
            let field = st.fields[f as usize];
            place = place.field(f);
            t = fx.lx.world.obj(field).typ();
        }
        let outs = if fx.is_interface(t) {
            let name = fx.lx.world.obj(sel.obj).name;
            let index = fx.lx.interface_method_objs(t).iter().position(|&m| fx.lx.world.obj(m).name == name).unwrap_or(0);
            fx.interface_call(Operand::place(place), index, args, results.to_vec())
        } else {
            let is_ptr = matches!(fx.lx.under(t), Type::Pointer(_));
            let r = match (fx.lx.world.obj(sel.obj).has_ptr_recv(), is_ptr) {
                (true, false) => {
                    let ptr = fx.ir(crate::ir::ty::Ty::Ptr);
                    Operand::local(fx.temp_of(ptr, Rvalue::AddrOf(place)))
                }
                (false, true) => {
                    let elem = fx.ty(fx.lx.elem(t));
                    Operand::place(Place::deref(Operand::place(place), elem))
                }
                _ => Operand::place(place),
            };
            let r = fx.stabilize(r);
            let outs: Vec<_> = results.iter().map(|&ty| fx.temp(ty)).collect();
            let mut all = vec![r];
            all.extend(args);
            fx.b.call(Callee::Func(target.unwrap_or_default()), all, outs.iter().map(|&o| Place::local(o)).collect());
            outs.into_iter().map(Operand::local).collect()
        };
        fx.b.terminate(TermKind::Return(outs));
        self.lx.add_func(fx.finish_builder().finish());
    }
}
