//! Sizes, alignments and field offsets as gc lays values out on 64-bit targets (gc's
//! noder/sizes.go gcSizes: pointer and register size 8).

use super::ty::*;
use super::world::World;

/// Pointer size of goclift's targets.
pub const PTR_SIZE: i64 = 8;
/// Register size of goclift's targets (the maximum alignment).
pub const REG_SIZE: i64 = 8;

/// `x` rounded up to a multiple of `a` (a power of two).
fn round_up(x: i64, a: i64) -> i64 {
    (x + a - 1) & !(a - 1)
}

impl World {
    /// unsafe.Sizeof for values of type `t`.
    pub fn sizeof(&mut self, t: TypeId) -> i64 {
        self.sizeof_in(t, &mut Vec::new())
    }

    /// unsafe.Alignof for variables of type `t`.
    pub fn alignof(&mut self, t: TypeId) -> i64 {
        self.alignof_in(t, &mut Vec::new())
    }

    /// Offsets of the fields of struct type `t` (its underlying type).
    pub fn offsetsof(&mut self, t: TypeId) -> Vec<i64> {
        let u = self.under(t);
        let fields = self.struct_type(u).map(|s| s.fields.clone()).unwrap_or_default();
        let types: Vec<TypeId> = fields.iter().map(|&f| self.obj(f).typ()).collect();
        self.offsets_of_types(&types, &mut Vec::new())
    }

    fn offsets_of_types(&mut self, types: &[TypeId], active: &mut Vec<TypeId>) -> Vec<i64> {
        let mut offsets = Vec::with_capacity(types.len());
        let mut o = 0i64;
        for &t in types {
            let a = self.alignof_in(t, active);
            o = round_up(o, a);
            offsets.push(o);
            o = o.saturating_add(self.sizeof_in(t, active));
        }
        offsets
    }

    /// Sizes of types containing themselves (invalid recursive types, reported
    /// elsewhere) are computed as if the inner occurrence were empty; `active` holds the
    /// defined types being measured.
    fn sizeof_in(&mut self, t: TypeId, active: &mut Vec<TypeId>) -> i64 {
        if active.contains(&t) || active.len() > 10_000 {
            return 0;
        }
        let named = matches!(self.ty(t), Type::Named(_));
        if named {
            active.push(t);
        }
        let r = self.sizeof_under(t, active);
        if named {
            active.pop();
        }
        r
    }

    fn sizeof_under(&mut self, t: TypeId, active: &mut Vec<TypeId>) -> i64 {
        let u = self.under(t);
        match self.ty(u).clone() {
            Type::Basic(k) | Type::BasicAlias(k, _) => match k {
                BasicKind::String => 2 * PTR_SIZE,
                BasicKind::Int | BasicKind::Uint | BasicKind::Uintptr | BasicKind::UnsafePointer => PTR_SIZE,
                _ => k.size() as i64,
            },
            Type::Array(n, e) => {
                if n <= 0 {
                    return 0;
                }
                self.sizeof_in(e, active).saturating_mul(n)
            }
            Type::Slice(_) => 3 * PTR_SIZE,
            Type::Struct(st) => {
                let n = st.fields.len();
                if n == 0 {
                    return 0;
                }
                let types: Vec<TypeId> = st.fields.iter().map(|&f| self.obj(f).typ()).collect();
                let offsets = self.offsets_of_types(&types, active);
                let mut last = self.sizeof_in(types[n - 1], active);
                if last == 0 && offsets[n - 1] > 0 {
                    last = 1;
                }
                let a = self.alignof_struct(&types, t, active);
                round_up(offsets[n - 1].saturating_add(last), a)
            }
            Type::Interface(_) => 2 * PTR_SIZE,
            _ => PTR_SIZE,
        }
    }

    fn alignof_in(&mut self, t: TypeId, active: &mut Vec<TypeId>) -> i64 {
        if active.contains(&t) || active.len() > 10_000 {
            return 1;
        }
        let named = matches!(self.ty(t), Type::Named(_));
        if named {
            active.push(t);
        }
        let r = self.alignof_under(t, active);
        if named {
            active.pop();
        }
        r
    }

    fn alignof_struct(&mut self, types: &[TypeId], t: TypeId, active: &mut Vec<TypeId>) -> i64 {
        if types.is_empty() && self.is_sync_atomic_align64(t) {
            return 8;
        }
        let mut max = 1;
        for &ft in types {
            max = max.max(self.alignof_in(ft, active));
        }
        max
    }

    fn alignof_under(&mut self, t: TypeId, active: &mut Vec<TypeId>) -> i64 {
        let u = self.under(t);
        match self.ty(u).clone() {
            Type::Array(_, e) => return self.alignof_in(e, active),
            Type::Struct(st) => {
                let types: Vec<TypeId> = st.fields.iter().map(|&f| self.obj(f).typ()).collect();
                return self.alignof_struct(&types, t, active);
            }
            Type::Slice(_) | Type::Interface(_) => return PTR_SIZE,
            Type::Basic(BasicKind::String) => return PTR_SIZE,
            _ => {}
        }
        let mut a = self.sizeof_in(t, active);
        if a < 1 {
            return 1;
        }
        if self.is_complex(t) {
            a /= 2;
        }
        a.min(REG_SIZE)
    }

    /// Whether `t` is the struct `align64` of sync/atomic or runtime/internal/atomic,
    /// which gc aligns to 8 bytes.
    fn is_sync_atomic_align64(&self, t: TypeId) -> bool {
        let Some(n) = self.named(t) else { return false };
        let o = self.obj(n.obj);
        o.name.as_str() == "align64"
            && o.pkg.is_some_and(|p| matches!(self.pkg(p).path.as_str(), "sync/atomic" | "runtime/internal/atomic"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn basic_and_composite_sizes() {
        let mut w = World::new();
        assert_eq!(w.sizeof(BasicKind::String.id()), 16);
        assert_eq!(w.sizeof(BasicKind::Complex64.id()), 8);
        assert_eq!(w.alignof(BasicKind::Complex64.id()), 4);
        let s = w.slice(BasicKind::Int8.id());
        assert_eq!(w.sizeof(s), 24);
        let a = w.array(3, BasicKind::Int16.id());
        assert_eq!((w.sizeof(a), w.alignof(a)), (6, 2));
    }
}
