//! Write barriers (gc's hybrid barrier, inserted where gc's walk/ssa phases insert it).
//!
//! While the collector marks concurrently, every store that may overwrite a pointer in the
//! heap or in a package-level variable goes through the runtime (runtime/src/mbarrier.rs):
//! the pointer being overwritten and the one being stored are recorded in the P's write
//! barrier buffer before the store (Yuasa deletion + Dijkstra insertion, as gc 1.19's
//! `gcWriteBarrier`). The check is inline: a load of `runtime.writeBarrier` (non-zero only
//! while marking) and a branch to a cold block that calls the runtime; the store itself is
//! emitted by the caller after the check, as before.
//!
//! Which stores: those whose place is reached through a pointer (`*p`, `p.f`, `a[i]` of a
//! slice...) or is a package-level variable, and whose value holds pointers. Stores to the
//! function's own locals (registers or stack slots) need none: stacks are scanned at the
//! start of the cycle (see docs/decisions.md) and are never shaded afterwards.
//! Scalar values call `goclift.gcWriteBarrier(slot, new)` per pointer word; values copied or
//! cleared as memory call `goclift.wbmove(dst, src, size)` (src null for a clear), which
//! shades the pointer words of the destination as the heap bitmap describes them.

use super::base::FunctionCx;
use super::value_and_place::{Loc, Val};
use crate::ir::ty::{TyId, TyTable};
use crate::ir::{self, PlaceBase};
use crate::runtime_abi::RuntimeFn;
use cranelift_codegen::ir::{types, InstBuilder, MemFlagsData, Value};
use cranelift_module::{Linkage, Module};

/// The runtime's flag word: non-zero while write barriers are enabled.
pub const FLAG_SYMBOL: &str = "runtime.writeBarrier";

/// Whether a store of a `ty` value to `place` needs a write barrier.
pub fn needs_barrier(tys: &TyTable, place: &ir::Place, ty: TyId) -> bool {
    !matches!(place.base, PlaceBase::Local(_)) && tys.has_pointers(ty)
}

/// Byte offsets of the pointer words of a `ty` value (gc's ptrmask, as offsets).
pub fn pointer_offsets(tys: &TyTable, ty: TyId) -> Vec<u64> {
    let mut out = Vec::new();
    tys.for_each_pointer_word(ty, 0, &mut |off| out.push(off));
    out
}

impl FunctionCx<'_, '_> {
    /// Emits the write barrier for storing `val` (a `ty` value) at `loc`, if `place` needs
    /// one; the caller emits the store right after. Nothing between the barrier call and
    /// the store can stop the goroutine, so the collector sees both or neither.
    pub(super) fn write_barrier(&mut self, place: &ir::Place, loc: &Loc, ty: TyId, val: &Val) -> Result<(), String> {
        let Loc::Mem { addr, offset } = *loc else { return Ok(()) };
        if !needs_barrier(&self.program.tys, place, ty) {
            return Ok(());
        }
        let ptr = self.cx.isa.pointer_type();
        let cont = self.flag_check()?;
        let dst = self.b.ins().iadd_imm_s(addr, offset);
        match val {
            Val::Scalars(values) => {
                let scalar_offsets: Vec<u64> = self
                    .program
                    .tys
                    .layout(ty)
                    .scalars
                    .as_ref()
                    .ok_or("internal error: scalars of a memory type")?
                    .iter()
                    .map(|&(_, o)| o)
                    .collect();
                let ptrs = pointer_offsets(&self.program.tys, ty);
                let values: Vec<Value> = values.clone();
                for (o, v) in scalar_offsets.into_iter().zip(values) {
                    if ptrs.contains(&o) {
                        let slot = self.b.ins().iadd_imm_s(dst, o as i64);
                        self.runtime_call(RuntimeFn::GcWriteBarrier, &[slot, v])?;
                    }
                }
            }
            Val::Mem(src) => {
                let size = self.b.ins().iconst(types::I64, self.program.tys.layout(ty).size as i64);
                self.runtime_call(RuntimeFn::GcWbMove, &[dst, *src, size])?;
            }
            Val::Zero => {
                let null = self.b.ins().iconst(ptr, 0);
                let size = self.b.ins().iconst(types::I64, self.program.tys.layout(ty).size as i64);
                self.runtime_call(RuntimeFn::GcWbMove, &[dst, null, size])?;
            }
        }
        self.b.ins().jump(cont, &[]);
        self.b.switch_to_block(cont);
        Ok(())
    }

    /// The barrier before a runtime call that copies memory which may hold pointers and
    /// cannot itself run barriers (leaf functions without an entry stub, so with almost no
    /// stack): `runtime.slicecopy` (copy and append of slices, whatever their elements)
    /// and `runtime.memmove` called from Go code (go/runtime's typedmemmove). `args` are
    /// the call's machine arguments. While marking, `goclift.wbmove` shades the pointer
    /// words of the destination (pointer-free heap objects are skipped by the runtime).
    pub(super) fn runtime_copy_barrier(&mut self, callee: &ir::Callee, args: &[Value]) -> Result<(), String> {
        let is_slicecopy = matches!(callee, ir::Callee::Runtime(RuntimeFn::SliceCopy));
        let is_memmove = matches!(callee, ir::Callee::Func(s) if s == "runtime.memmove");
        if !(is_slicecopy && args.len() == 5 || is_memmove && args.len() == 3) {
            return Ok(());
        }
        let cont = self.flag_check()?;
        let (dst, src, size) = if is_slicecopy {
            // min(toLen, fromLen) * width
            let (to_len, from_len) = (args[1], args[3]);
            let n = self.b.ins().smin(to_len, from_len);
            (args[0], args[2], self.b.ins().imul(n, args[4]))
        } else {
            (args[0], args[1], args[2])
        };
        self.runtime_call(RuntimeFn::GcWbMove, &[dst, src, size])?;
        self.b.ins().jump(cont, &[]);
        self.b.switch_to_block(cont);
        Ok(())
    }

    /// Tests `runtime.writeBarrier` and continues in a cold block taken when it is set;
    /// returns the block to jump to when done (the fast path's continuation).
    fn flag_check(&mut self) -> Result<cranelift_codegen::ir::Block, String> {
        let ptr = self.cx.isa.pointer_type();
        let data = self
            .cx
            .module
            .declare_data(FLAG_SYMBOL, Linkage::Import, true, false)
            .map_err(|e| format!("declaring {FLAG_SYMBOL}: {e}"))?;
        let gv = self.cx.module.declare_data_in_func(data, self.b.func);
        let flag_addr = self.b.ins().symbol_value(ptr, gv);
        let flag = self.b.ins().load(types::I32, MemFlagsData::new(), flag_addr, 0);
        let (slow, cont) = (self.b.create_block(), self.b.create_block());
        self.b.ins().brif(flag, slow, &[], cont, &[]);
        self.b.set_cold_block(slow);
        self.b.switch_to_block(slow);
        Ok(cont)
    }

    /// A call of runtime function `f` without results.
    fn runtime_call(&mut self, f: RuntimeFn, args: &[Value]) -> Result<(), String> {
        let id = self.cx.runtime_func(f)?;
        self.direct_call(id, args)?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::ty::Ty;

    #[test]
    fn pointer_offsets_cover_every_pointer_word() {
        let mut tys = TyTable::default();
        let int = tys.int();
        let ptr = tys.intern(Ty::Ptr);
        let iface = tys.intern(Ty::Interface);
        let s = tys.intern(Ty::Struct(vec![int, ptr, iface]));
        let arr = tys.intern(Ty::Array { len: 2, elem: s });
        assert_eq!(pointer_offsets(&tys, s), vec![8, 16, 24]);
        assert_eq!(pointer_offsets(&tys, arr), vec![8, 16, 24, 40, 48, 56]);
        assert!(pointer_offsets(&tys, int).is_empty());
    }
}
