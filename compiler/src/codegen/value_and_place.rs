//! Where values live and how places are read and written.
//!
//! A local lives either in Cranelift variables, one per scalar of its type, or in memory: a
//! stack slot, or for parameters passed by pointer the caller's copy. A local goes to memory
//! when its type does not split into scalars, when its address is taken, or when it is
//! indexed by a run-time value (see [`memory_locals`]). Places resolve to a [`Loc`]: a byte
//! range of a register local, or an address.

use super::base::FunctionCx;
use super::{abi, num};
use crate::ir::ty::{Ty, TyId};
use crate::ir::{self, Const, Operand, PlaceBase, Proj, Rvalue, StmtKind, TermKind};
use cranelift_codegen::ir::{InstBuilder, MemFlagsData, StackSlotData, StackSlotKind, Value};
use cranelift_frontend::Variable;
use cranelift_module::Module;

/// Where a local lives.
pub enum Storage {
    /// One variable per scalar, with the scalar's byte offset in the value.
    Vars(Vec<(Variable, u64)>),
    /// In memory at this address (a stack slot, or the caller's copy of a parameter).
    Mem(Value),
}

/// A value being moved: scalars in registers, or (for types that live in memory) the
/// address of the bytes, or the zero value of such a type.
pub enum Val {
    Scalars(Vec<Value>),
    Mem(Value),
    Zero,
}

/// A resolved place.
#[derive(Clone, Copy)]
pub enum Loc {
    /// Bytes starting at `offset` of a local kept in variables.
    Vars { local: u32, offset: u64 },
    /// Memory at `addr + offset`.
    Mem { addr: Value, offset: i64 },
}

impl Loc {
    /// Memory at `addr`.
    pub fn mem(addr: Value) -> Loc {
        Loc::Mem { addr, offset: 0 }
    }
}

/// For each local of `func`, whether it must live in memory.
pub fn memory_locals(program: &ir::Program, func: &ir::Func) -> Vec<bool> {
    let mut mem: Vec<bool> = func.locals.iter().map(|l| abi::in_memory(&program.tys, l.ty)).collect();
    let mut visit = |place: &ir::Place, addressed: bool| {
        if let PlaceBase::Local(l) = place.base {
            let dynamic_index = place.proj.iter().any(|p| matches!(p, Proj::Index(Operand::Copy(_))));
            if addressed || dynamic_index {
                mem[l.0 as usize] = true;
            }
        }
    };
    for block in &func.blocks {
        for stmt in &block.stmts {
            match &stmt.kind {
                StmtKind::Assign(place, rv) => {
                    walk_place(place, &mut visit);
                    walk_rvalue(rv, &mut visit);
                }
                StmtKind::Call(call) => {
                    call.args.iter().for_each(|a| walk_operand(a, &mut visit));
                    call.results.iter().for_each(|p| walk_place(p, &mut visit));
                    if let ir::Callee::Closure { func, .. } | ir::Callee::Indirect { code: func, .. } = &call.callee {
                        walk_operand(func, &mut visit);
                    }
                }
                StmtKind::Check { ok, args, .. } => {
                    walk_operand(ok, &mut visit);
                    args.iter().for_each(|a| walk_operand(a, &mut visit));
                }
            }
        }
        match &block.term.kind {
            TermKind::If { cond, .. } => walk_operand(cond, &mut visit),
            TermKind::Return(ops) => ops.iter().for_each(|o| walk_operand(o, &mut visit)),
            TermKind::Goto(_) | TermKind::Unreachable => {}
        }
    }
    mem
}

/// Calls `visit(place, addressed)` for every place in `rv`.
fn walk_rvalue(rv: &Rvalue, visit: &mut impl FnMut(&ir::Place, bool)) {
    match rv {
        Rvalue::Use(x) | Rvalue::Unary(_, x) | Rvalue::Convert(x, _) => walk_operand(x, visit),
        Rvalue::Binary(_, x, y) | Rvalue::Offset { ptr: x, index: y, .. } => {
            walk_operand(x, visit);
            walk_operand(y, visit);
        }
        Rvalue::AddrOf(p) => {
            visit(p, true);
            walk_place_operands(p, visit);
        }
        Rvalue::Aggregate(_, parts) => parts.iter().for_each(|p| walk_operand(p, visit)),
        Rvalue::FuncAddr(_) | Rvalue::FuncValue(_) | Rvalue::Desc(_) | Rvalue::Itab(_) => {}
    }
}

fn walk_operand(op: &Operand, visit: &mut impl FnMut(&ir::Place, bool)) {
    if let Operand::Copy(p) = op {
        walk_place(p, visit);
    }
}

fn walk_place(p: &ir::Place, visit: &mut impl FnMut(&ir::Place, bool)) {
    visit(p, false);
    walk_place_operands(p, visit);
}

/// The operands inside a place: a dereferenced pointer and index values.
fn walk_place_operands(p: &ir::Place, visit: &mut impl FnMut(&ir::Place, bool)) {
    if let PlaceBase::Deref { ptr, .. } = &p.base {
        walk_operand(ptr, visit);
    }
    for proj in &p.proj {
        if let Proj::Index(i) = proj {
            walk_operand(i, visit);
        }
    }
}

impl FunctionCx<'_, '_> {
    /// Storage for a local of type `ty`; `incoming` holds a parameter's machine arguments.
    pub(super) fn new_storage(&mut self, ty: TyId, in_memory: bool, incoming: Option<Vec<Value>>) -> Result<Storage, String> {
        let scalars = abi::scalars(&self.program.tys, ty);
        let offsets: Vec<u64> = self.program.tys.layout(ty).scalars.iter().flatten().map(|&(_, o)| o).collect();
        if let (false, Some(types)) = (in_memory, &scalars) {
            let mut vars = Vec::with_capacity(types.len());
            for (i, &t) in types.iter().enumerate() {
                let var = self.b.declare_var(t);
                let init = match &incoming {
                    Some(values) => *values.get(i).ok_or("internal error: parameter count")?,
                    None => num::zero(&mut self.b, t),
                };
                self.b.def_var(var, init);
                vars.push((var, offsets[i]));
            }
            return Ok(Storage::Vars(vars));
        }
        if let (Some(values), None) = (&incoming, &scalars) {
            // Passed by pointer to a copy the callee owns.
            return Ok(Storage::Mem(values[0]));
        }
        let slot = self.temp_slot(ty);
        let init = match incoming {
            Some(values) => Val::Scalars(values),
            None => Val::Zero,
        };
        self.write(&slot, ty, init)?;
        match slot {
            Loc::Mem { addr, .. } => Ok(Storage::Mem(addr)),
            Loc::Vars { .. } => unreachable!("temp_slot gives memory"),
        }
    }

    /// A fresh stack slot for a value of `ty`.
    pub(super) fn temp_slot(&mut self, ty: TyId) -> Loc {
        let layout = self.program.tys.layout(ty);
        let align_shift = layout.align.max(8).trailing_zeros() as u8;
        let data = StackSlotData::new(StackSlotKind::ExplicitSlot, layout.size.max(1) as u32, align_shift);
        let slot = self.b.create_sized_stack_slot(data);
        let addr = self.b.ins().stack_addr(self.cx.isa.pointer_type(), slot, 0);
        Loc::mem(addr)
    }

    /// Where a place is.
    pub(super) fn resolve(&mut self, place: &ir::Place) -> Result<Loc, String> {
        self.resolve_with(place, false)
    }

    /// Where a place is whose address is taken: `&p.f` checks p for nil as gc does (the
    /// address itself would not fault).
    pub(super) fn resolve_address(&mut self, place: &ir::Place) -> Result<Loc, String> {
        self.resolve_with(place, true)
    }

    fn resolve_with(&mut self, place: &ir::Place, address: bool) -> Result<Loc, String> {
        let ptr = self.cx.isa.pointer_type();
        let (mut loc, mut ty) = match &place.base {
            PlaceBase::Local(l) => {
                let ty = self.func.locals[l.0 as usize].ty;
                match &self.storage[l.0 as usize] {
                    Storage::Vars(_) => (Loc::Vars { local: l.0, offset: 0 }, ty),
                    Storage::Mem(addr) => (Loc::mem(*addr), ty),
                }
            }
            PlaceBase::Global(g) => {
                let data = self.cx.global(*g)?;
                let gv = self.cx.module.declare_data_in_func(data, self.b.func);
                (Loc::mem(self.b.ins().symbol_value(ptr, gv)), self.program.globals[g.0 as usize].ty)
            }
            PlaceBase::Deref { ptr: p, ty } => (Loc::mem(self.scalars(p)?[0]), *ty),
        };
        let deref_base = match (&place.base, loc) {
            (PlaceBase::Deref { .. }, Loc::Mem { addr, .. }) => Some(addr),
            _ => None,
        };
        for proj in &place.proj {
            let next = self.program.tys.projected(ty, proj);
            loc = match (loc, proj) {
                (Loc::Vars { local, offset }, Proj::Field(i)) => {
                    Loc::Vars { local, offset: offset + self.program.tys.field_offset(ty, *i) }
                }
                (Loc::Mem { addr, offset }, Proj::Field(i)) => {
                    Loc::Mem { addr, offset: offset + self.program.tys.field_offset(ty, *i) as i64 }
                }
                (loc, Proj::Index(Operand::Const(Const::Int { value, .. }))) => {
                    let delta = *value as u64 * self.program.tys.layout(next).size;
                    match loc {
                        Loc::Vars { local, offset } => Loc::Vars { local, offset: offset + delta },
                        Loc::Mem { addr, offset } => Loc::Mem { addr, offset: offset + delta as i64 },
                    }
                }
                (Loc::Mem { addr, offset }, Proj::Index(index)) => {
                    let index = self.scalars(index)?[0];
                    let size = self.program.tys.layout(next).size as i64;
                    let scaled = self.b.ins().imul_imm_s(index, size);
                    let base = self.b.ins().iadd(addr, scaled);
                    Loc::Mem { addr: base, offset }
                }
                (Loc::Vars { .. }, Proj::Index(_)) => {
                    return Err("internal error: run-time index into a register local".into());
                }
            };
            ty = next;
        }
        if let (Some(base), Loc::Mem { offset, .. }) = (deref_base, loc) {
            self.nil_probe(base, ty, offset, address);
        }
        Ok(loc)
    }

    /// gc's explicit nil check where the access itself would not fault on a nil pointer:
    /// a zero-size part of the pointee (nothing is read) or an offset beyond the unmapped
    /// page 0. A one-byte load from the pointer faults into the nil-dereference panic.
    fn nil_probe(&mut self, base: Value, accessed: TyId, offset: i64, address: bool) {
        const NIL_FAULT_LIMIT: i64 = 0x1000;
        if address || self.program.tys.layout(accessed).size == 0 || offset >= NIL_FAULT_LIMIT {
            self.b.ins().load(cranelift_codegen::ir::types::I8, MemFlagsData::new(), base, 0);
        }
    }

    /// The location of part `i` of an aggregate of type `ty` at `loc`.
    pub(super) fn part_loc(&mut self, loc: &Loc, ty: TyId, i: u32) -> Loc {
        let delta = match self.program.tys.get(ty) {
            Ty::Array { elem, .. } => u64::from(i) * self.program.tys.layout(*elem).size,
            _ => self.program.tys.field_offset(ty, i),
        };
        match *loc {
            Loc::Vars { local, offset } => Loc::Vars { local, offset: offset + delta },
            Loc::Mem { addr, offset } => Loc::Mem { addr, offset: offset + delta as i64 },
        }
    }

    /// The variables of a register local covering bytes `[offset, offset + size)`.
    fn vars_in(&self, local: u32, offset: u64, size: u64) -> Vec<Variable> {
        match &self.storage[local as usize] {
            Storage::Vars(vars) => {
                vars.iter().filter(|&&(_, o)| o >= offset && o < offset + size).map(|&(v, _)| v).collect()
            }
            Storage::Mem(_) => Vec::new(),
        }
    }

    /// Reads a value of type `ty` at `loc`.
    pub(super) fn read(&mut self, loc: &Loc, ty: TyId) -> Val {
        let program = self.program;
        let layout = program.tys.layout(ty);
        match (*loc, &layout.scalars) {
            (Loc::Vars { local, offset }, _) => {
                let vars = self.vars_in(local, offset, layout.size);
                Val::Scalars(vars.into_iter().map(|v| self.b.use_var(v)).collect())
            }
            (Loc::Mem { addr, offset }, Some(scalars)) => Val::Scalars(
                scalars
                    .iter()
                    .map(|&(s, o)| self.b.ins().load(abi::scalar_type(s), MemFlagsData::new(), addr, (offset + o as i64) as i32))
                    .collect(),
            ),
            (Loc::Mem { addr, offset }, None) => Val::Mem(self.b.ins().iadd_imm_s(addr, offset)),
        }
    }

    /// Writes `val`, a value of type `ty`, to `loc`.
    pub(super) fn write(&mut self, loc: &Loc, ty: TyId, val: Val) -> Result<(), String> {
        let program = self.program;
        let layout = program.tys.layout(ty);
        let val = match val {
            Val::Zero if layout.scalars.is_some() => {
                let types = self.scalar_types(ty);
                Val::Scalars(types.into_iter().map(|t| num::zero(&mut self.b, t)).collect())
            }
            v => v,
        };
        match (*loc, val) {
            (Loc::Vars { local, offset }, Val::Scalars(values)) => {
                let vars = self.vars_in(local, offset, layout.size);
                if vars.len() != values.len() {
                    return Err(format!("internal error: assigning {} scalars to {}", values.len(), vars.len()));
                }
                for (var, v) in vars.into_iter().zip(values) {
                    self.b.try_def_var(var, v).map_err(|e| format!("internal error in {}: {e}", self.func.symbol))?;
                }
            }
            (Loc::Mem { addr, offset }, Val::Scalars(values)) => {
                let scalars = layout.scalars.as_ref().ok_or("internal error: scalars for a memory type")?;
                for (&(_, o), v) in scalars.iter().zip(values) {
                    self.b.ins().store(MemFlagsData::new(), v, addr, (offset + o as i64) as i32);
                }
            }
            (Loc::Mem { addr, offset }, Val::Mem(src)) => {
                let dst = self.b.ins().iadd_imm_s(addr, offset);
                let align = layout.align.clamp(1, 8) as u8;
                let config = self.cx.isa.frontend_config();
                self.b.emit_small_memory_copy(config, dst, src, layout.size, align, align, false, MemFlagsData::new());
            }
            (Loc::Mem { addr, offset }, Val::Zero) => {
                let dst = self.b.ins().iadd_imm_s(addr, offset);
                let align = layout.align.clamp(1, 8) as u8;
                let config = self.cx.isa.frontend_config();
                self.b.emit_small_memset(config, dst, 0, layout.size, align, MemFlagsData::new());
            }
            (Loc::Vars { .. }, _) => return Err("internal error: memory value into a register local".into()),
        }
        Ok(())
    }

    /// The address of a location in memory.
    pub(super) fn address(&mut self, loc: &Loc) -> Result<Value, String> {
        match *loc {
            Loc::Mem { addr, offset } => Ok(if offset == 0 { addr } else { self.b.ins().iadd_imm_s(addr, offset) }),
            Loc::Vars { .. } => Err("internal error: address of a register local".into()),
        }
    }
}
