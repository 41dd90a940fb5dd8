//! `==` and `!=` on structs and arrays, in the order gc's generated code compares their parts
//! (cmd/compile's compare.EqStruct and reflectdata's geneq). The order is observable: a
//! comparison stops at the first difference, so a later part that would panic (two
//! interfaces holding an uncomparable dynamic type) or fault (a string whose bytes are not
//! readable) is never reached when a cheaper part already differs.

use super::func::FnCx;
use crate::ir::ty::Ty;
use crate::ir::{BinOp, BlockId, Callee, Const, LocalId, Operand, Place, Proj, Rvalue, TermKind, UnOp};
use crate::runtime_abi::RuntimeFn;
use crate::syntax::pos::Pos;
use crate::syntax::token::Operator;
use crate::types::ty::Type;
use crate::types::TypeId;

/// One condition of an aggregate comparison, on a pair of corresponding parts.
enum Cond {
    /// The parts compared with `==` as a whole.
    Whole(Operand, Operand, TypeId),
    /// Two strings' lengths equal.
    StrLen(Operand, Operand),
    /// Two strings' bytes equal (their lengths already are): a runtime call.
    StrBytes(Operand, Operand),
}

impl FnCx<'_, '_> {
    /// `==` and `!=` on structs and arrays of checker type `t`: all non-blank fields
    /// (elements) equal, leaving at the first difference.
    pub(super) fn aggregate_eq(&mut self, pos: Pos, op: BinOp, x: Operand, y: Operand, t: TypeId) -> Option<Operand> {
        let bool_ty = self.ir(Ty::Bool);
        let x = self.stabilize(x);
        let y = self.stabilize(y);
        let (Operand::Copy(xp), Operand::Copy(yp)) = (&x, &y) else { return None };
        let (xp, yp) = (xp.as_ref().clone(), yp.as_ref().clone());
        let result = self.temp_of(bool_ty, Rvalue::Use(Operand::Const(Const::Bool(true))));
        let done = self.b.block();
        match self.lx.under(t).clone() {
            Type::Struct(st) => {
                let fields: Vec<(u32, TypeId)> = st
                    .fields
                    .iter()
                    .enumerate()
                    .filter(|&(_, &f)| self.lx.world.obj(f).name.as_str() != "_")
                    .map(|(i, &f)| (i as u32, self.lx.world.obj(f).typ()))
                    .collect();
                self.struct_eq(pos, result, done, (&xp, &yp), &fields)?;
            }
            Type::Array(n, e) => self.array_eq(pos, result, done, (&xp, &yp), n, e)?,
            _ => return None,
        }
        self.goto_and_switch(done);
        if op == BinOp::Ne {
            self.b.assign_local(result, Rvalue::Unary(UnOp::Not, Operand::local(result)));
        }
        Some(Operand::local(result))
    }

    /// The fields of two structs, as gc's EqStruct orders them: the conditions form groups
    /// separated by the fields whose comparison can panic (each such field alone in its
    /// group, so that fields before it are compared before it and fields after it after
    /// it); within a group, runtime calls (string bytes) come after everything else, so
    /// every string length of the group is compared before any string's bytes.
    fn struct_eq(&mut self, pos: Pos, result: LocalId, done: BlockId, (xp, yp): (&Place, &Place), fields: &[(u32, TypeId)]) -> Option<()> {
        let mut group = Vec::new();
        for &(i, ft) in fields {
            let a = Operand::place(xp.clone().field(i));
            let b = Operand::place(yp.clone().field(i));
            let panics = self.eq_can_panic(ft);
            if panics {
                self.conds_eq(pos, result, done, std::mem::take(&mut group))?;
            }
            if self.is_string(ft) {
                group.push(Cond::StrLen(a.clone(), b.clone()));
                group.push(Cond::StrBytes(a, b));
            } else {
                group.push(Cond::Whole(a, b, ft));
            }
            if panics {
                self.conds_eq(pos, result, done, std::mem::take(&mut group))?;
            }
        }
        self.conds_eq(pos, result, done, group)
    }

    /// One group of conditions: the runtime calls last, the order kept otherwise.
    fn conds_eq(&mut self, pos: Pos, result: LocalId, done: BlockId, group: Vec<Cond>) -> Option<()> {
        let (calls, cheap): (Vec<Cond>, Vec<Cond>) = group.into_iter().partition(|c| matches!(c, Cond::StrBytes(..)));
        for c in cheap.into_iter().chain(calls) {
            let eq = match c {
                Cond::Whole(a, b, t) => self.binary_values(pos, Operator::Eql, (a, t), (b, t), self.lx.bool_type())?,
                Cond::StrLen(a, b) => {
                    let (al, bl) = (self.string_part(&a, 1), self.string_part(&b, 1));
                    self.compare(BinOp::Eq, al, bl)
                }
                Cond::StrBytes(a, b) => self.string_bytes_eq(&a, &b),
            };
            self.and_cond(result, done, eq);
        }
        Some(())
    }

    /// The elements of two arrays, as gc's generated array equality orders them: for strings
    /// all lengths first, then all bytes; other elements one after another.
    fn array_eq(&mut self, pos: Pos, result: LocalId, done: BlockId, (xp, yp): (&Place, &Place), n: i64, e: TypeId) -> Option<()> {
        if !self.is_string(e) {
            return self.array_loop(result, done, (xp, yp), n, |fx, a, b| fx.binary_values(pos, Operator::Eql, (a, e), (b, e), fx.lx.bool_type()));
        }
        self.array_loop(result, done, (xp, yp), n, |fx, a, b| {
            let (al, bl) = (fx.string_part(&a, 1), fx.string_part(&b, 1));
            Some(fx.compare(BinOp::Eq, al, bl))
        })?;
        self.array_loop(result, done, (xp, yp), n, |fx, a, b| Some(fx.string_bytes_eq(&a, &b)))
    }

    /// An index loop over two arrays' elements, leaving at the first `cond` that is false.
    fn array_loop(
        &mut self,
        result: LocalId,
        done: BlockId,
        (xp, yp): (&Place, &Place),
        n: i64,
        cond: impl Fn(&mut Self, Operand, Operand) -> Option<Operand>,
    ) -> Option<()> {
        let int = self.int();
        let i = self.temp_of(int, Rvalue::Use(Operand::int(0, int)));
        let (head, body, exit) = (self.b.block(), self.b.block(), self.b.block());
        self.goto_and_switch(head);
        let more = self.compare(BinOp::Lt, Operand::local(i), Operand::int(n, int));
        self.b.terminate(TermKind::If { cond: more, then: body, else_: exit });
        self.b.switch_to(body);
        let a = Operand::place(xp.clone().project(Proj::Index(Operand::local(i))));
        let b = Operand::place(yp.clone().project(Proj::Index(Operand::local(i))));
        let eq = cond(self, a, b)?;
        self.and_cond(result, done, eq);
        self.b.assign_local(i, Rvalue::Binary(BinOp::Add, Operand::local(i), Operand::int(1, int)));
        self.b.terminate(TermKind::Goto(head));
        self.b.switch_to(exit);
        Some(())
    }

    /// Whether the bytes of two strings of equal length are equal.
    fn string_bytes_eq(&mut self, a: &Operand, b: &Operand) -> Operand {
        let bool_ty = self.ir(Ty::Bool);
        let eq = self.temp(bool_ty);
        let (ap, bp, al) = (self.string_part(a, 0), self.string_part(b, 0), self.string_part(a, 1));
        self.b.call(Callee::Runtime(RuntimeFn::MemEqual), vec![ap, bp, al], vec![Place::local(eq)]);
        Operand::local(eq)
    }

    /// `result = eq`, and on to `done` if it is false.
    fn and_cond(&mut self, result: LocalId, done: BlockId, eq: Operand) {
        self.b.assign_local(result, Rvalue::Use(eq));
        let next = self.b.block();
        self.b.terminate(TermKind::If { cond: Operand::local(result), then: next, else_: done });
        self.b.switch_to(next);
    }

    /// Whether comparing two values of type `t` can panic (gc's EqCanPanic: it holds an
    /// interface in a non-blank field or an element).
    fn eq_can_panic(&self, t: TypeId) -> bool {
        match self.lx.under(t).clone() {
            Type::Interface(_) => true,
            Type::Array(_, e) => self.eq_can_panic(e),
            Type::Struct(st) => st.fields.iter().any(|&f| {
                let fo = self.lx.world.obj(f);
                fo.name.as_str() != "_" && self.eq_can_panic(fo.typ())
            }),
            _ => false,
        }
    }

    /// Whether `t`'s underlying type is string.
    fn is_string(&self, t: TypeId) -> bool {
        matches!(self.lx.under(t), Type::Basic(k) | Type::BasicAlias(k, _) if matches!(k, crate::types::ty::BasicKind::String))
    }
}
