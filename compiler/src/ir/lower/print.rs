//! print and println as gc's walkPrint expands them: for println a " " between arguments and
//! "\n" after; runs of constant strings merged; then printlock, one runtime call per item
//! (chosen by the argument's type), printunlock.

use super::func::FnCx;
use crate::ir::ty::Ty;
use crate::ir::{Callee, Const, Operand, Rvalue};
use crate::runtime_abi::RuntimeFn;
use crate::syntax::ast::ExprId;
use crate::types::ty::Type;
use crate::types::BasicKind;

/// One printed item: a constant string (possibly merged) or another argument.
enum Item {
    Str(Vec<u8>),
    Value(RuntimeFn, Operand),
}

impl FnCx<'_, '_> {
    /// `print(args...)` or `println(args...)`.
    pub fn print(&mut self, args: &[ExprId], newline: bool) {
        let mut items: Vec<Item> = Vec::new();
        let push_str = |items: &mut Vec<Item>, s: &[u8]| match items.last_mut() {
            Some(Item::Str(prev)) => prev.extend_from_slice(s),
            _ => items.push(Item::Str(s.to_vec())),
        };
        // `println(f())` prints each result of a multi-valued f.
        let tuple = args.len() == 1 && matches!(self.lx.world.ty(self.type_of(args[0])), Type::Tuple(_));
        let values: Vec<(ExprId, crate::types::TypeId, Operand)> = if tuple {
            let types: Vec<_> = self.lx.world.tuple_vars(self.type_of(args[0])).iter().map(|&v| self.lx.world.obj(v).typ()).collect();
            let values = self.multi_value(args[0]);
            types.into_iter().zip(values).map(|(t, v)| (args[0], t, v)).collect()
        } else {
            args.iter().map(|&a| {
                let v = self.expr(a);
                (a, self.type_of(a), self.stabilize(v))
            }).collect()
        };
        for (i, (a, t, value)) in values.into_iter().enumerate() {
            if newline && i > 0 {
                push_str(&mut items, b" ");
            }
            if let Operand::Const(Const::Str(s)) = &value {
                push_str(&mut items, s);
                continue;
            }
            let value = self.stabilize(value);
            match self.print_item(t, value) {
                Some(item) => items.push(item),
                None => self.unsupported(self.file.start_pos(a), "printing values of this type"),
            }
        }
        if newline {
            push_str(&mut items, b"\n");
        }
        self.b.call(Callee::Runtime(RuntimeFn::PrintLock), vec![], vec![]);
        for item in items {
            let (f, args) = match item {
                Item::Str(s) if s == b" " => (RuntimeFn::PrintSp, vec![]),
                Item::Str(s) if s == b"\n" => (RuntimeFn::PrintNl, vec![]),
                Item::Str(s) => (RuntimeFn::PrintString, vec![Operand::Const(Const::Str(s))]),
                Item::Value(f, v) => (f, vec![v]),
            };
            self.b.call(Callee::Runtime(f), args, vec![]);
        }
        self.b.call(Callee::Runtime(RuntimeFn::PrintUnlock), vec![], vec![]);
    }

    /// The runtime call printing one argument, with the argument converted as gc does:
    /// printint takes an int64, printuint a uint64, printfloat a float64, printcomplex a
    /// complex128.
    fn print_item(&mut self, t: crate::types::TypeId, v: Operand) -> Option<Item> {
        let (f, target) = match self.lx.under(t) {
            Type::Basic(k) | Type::BasicAlias(k, _) => match k {
                BasicKind::Bool | BasicKind::UntypedBool => (RuntimeFn::PrintBool, None),
                BasicKind::String | BasicKind::UntypedString => (RuntimeFn::PrintString, None),
                BasicKind::UnsafePointer | BasicKind::UntypedNil => (RuntimeFn::PrintPointer, None),
                k if k.is_float() => (RuntimeFn::PrintFloat, Some(Ty::Float { bits: 64 })),
                k if k.is_complex() => (RuntimeFn::PrintComplex, Some(Ty::Complex { bits: 128 })),
                k if k.is_unsigned() => (RuntimeFn::PrintUint, Some(Ty::Int { bits: 64, signed: false })),
                _ => (RuntimeFn::PrintInt, Some(Ty::Int { bits: 64, signed: true })),
            },
            Type::Pointer(_) | Type::Chan(..) | Type::Map(..) | Type::Signature(_) => (RuntimeFn::PrintPointer, None),
            Type::Slice(_) => (RuntimeFn::PrintSlice, None),
            _ => return None,
        };
        let v = match target {
            Some(ty) => {
                let ty = self.ir(ty);
                if self.b_operand_ty(&v) != ty {
                    Operand::local(self.temp_of(ty, Rvalue::Convert(v, ty)))
                } else {
                    v
                }
            }
            None => v,
        };
        Some(Item::Value(f, v))
    }
}
