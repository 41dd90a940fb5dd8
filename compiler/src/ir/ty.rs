//! The IR's types: what code generation needs to know about a Go type — its layout (size,
//! alignment, field offsets, as gc lays them out on 64-bit targets) and how a value of it
//! splits into machine scalars. Lowering translates the checker's types into these, so
//! code generation never looks at the checker's own representation.

use std::collections::HashMap;

/// A type, by index into the program's [`TyTable`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TyId(pub u32);

/// One machine scalar: the unit values are passed, returned and kept in registers as.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Scalar {
    /// An integer of 8, 16, 32 or 64 bits (booleans are I8 holding 0 or 1; pointers are I64).
    Int(u8),
    F32,
    F64,
}

impl Scalar {
    /// Size in bytes.
    pub fn size(self) -> u64 {
        match self {
            Scalar::Int(bits) => u64::from(bits / 8),
            Scalar::F32 => 4,
            Scalar::F64 => 8,
        }
    }
}

/// The layout-relevant structure of a Go type.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Ty {
    Bool,
    /// Integer of `bits` (8, 16, 32, 64) with Go's signedness (int, uint, uintptr are 64-bit).
    Int { bits: u8, signed: bool },
    /// float32 (`bits` = 32) or float64.
    Float { bits: u8 },
    /// complex64 (two float32) or complex128.
    Complex { bits: u8 },
    /// Any single pointer: *T, unsafe.Pointer, map, chan, func values (closure pointers).
    Ptr,
    /// (data pointer, length).
    String,
    /// (data pointer, length, capacity).
    Slice,
    /// (itab or type pointer, data pointer).
    Interface,
    /// Fields in declaration order.
    Struct(Vec<TyId>),
    Array { len: u64, elem: TyId },
}

/// The interned IR types of a program, with their layouts computed once.
#[derive(Debug)]
pub struct TyTable {
    tys: Vec<Ty>,
    layouts: Vec<Layout>,
    ids: HashMap<Ty, TyId>,
}

impl Default for TyTable {
    /// A table holding the types constants may have without naming one (bool, string) and the
    /// parts of strings, slices, interfaces and complex numbers.
    fn default() -> Self {
        let mut t = TyTable { tys: Vec::new(), layouts: Vec::new(), ids: HashMap::new() };
        t.intern(Ty::Bool);
        t.intern(Ty::String);
        // The parts of strings, slices and interfaces (see `projected`).
        t.intern(Ty::Ptr);
        t.intern(Ty::Int { bits: 64, signed: true });
        t.intern(Ty::Float { bits: 32 });
        t.intern(Ty::Float { bits: 64 });
        t
    }
}

/// Where a type's bytes go.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Layout {
    pub size: u64,
    pub align: u64,
    /// Byte offset of each field (structs) — empty for other types.
    pub field_offsets: Vec<u64>,
    /// The scalars a value splits into, with their byte offsets, when it is small and flat
    /// enough to live in registers; None for arrays of more than one element and for
    /// aggregates of more than [`MAX_SCALARS`] scalars (those live in memory).
    pub scalars: Option<Vec<(Scalar, u64)>>,
}

/// Aggregates with more scalars than this are kept in memory rather than in registers.
pub const MAX_SCALARS: usize = 4;

impl TyTable {
    /// The id of `ty`, interning it (and computing its layout) on first use.
    pub fn intern(&mut self, ty: Ty) -> TyId {
        if let Some(&id) = self.ids.get(&ty) {
            return id;
        }
        let layout = self.compute_layout(&ty);
        let id = TyId(self.tys.len() as u32);
        self.tys.push(ty.clone());
        self.layouts.push(layout);
        self.ids.insert(ty, id);
        id
    }

    /// The id of a type already interned (bool and string always are).
    pub fn lookup(&self, ty: &Ty) -> TyId {
        *self.ids.get(ty).unwrap_or_else(|| panic!("IR type {ty:?} used without being interned"))
    }

    /// The structure of `id`.
    pub fn get(&self, id: TyId) -> &Ty {
        &self.tys[id.0 as usize]
    }

    /// The layout of `id`.
    pub fn layout(&self, id: TyId) -> &Layout {
        &self.layouts[id.0 as usize]
    }

    /// The type of projection `p` of a value of type `ty` (see [`super::Proj`]).
    pub fn projected(&self, ty: TyId, p: &super::Proj) -> TyId {
        match (self.get(ty), p) {
            (Ty::Struct(fields), super::Proj::Field(i)) => fields[*i as usize],
            (Ty::Array { elem, .. }, super::Proj::Index(_)) => *elem,
            (Ty::String | Ty::Slice | Ty::Interface, super::Proj::Field(i)) => {
                let word = if matches!(self.get(ty), Ty::Interface) || *i == 0 { Ty::Ptr } else { Ty::Int { bits: 64, signed: true } };
                self.lookup(&word)
            }
            (Ty::Complex { bits }, super::Proj::Field(_)) => self.lookup(&Ty::Float { bits: bits / 2 }),
            (t, p) => panic!("internal error: projection {p:?} of {t:?}"),
        }
    }

    /// Byte offset of field or part `i` of `ty` (see [`super::Proj::Field`]).
    pub fn field_offset(&self, ty: TyId, i: u32) -> u64 {
        match self.get(ty) {
            Ty::Struct(_) => self.layout(ty).field_offsets[i as usize],
            Ty::Complex { bits } => u64::from(i) * u64::from(*bits / 16),
            _ => u64::from(i) * 8,
        }
    }

    /// Whether values of `ty` hold pointers (which the collector must see).
    pub fn has_pointers(&self, ty: TyId) -> bool {
        match self.get(ty) {
            Ty::Ptr | Ty::String | Ty::Slice | Ty::Interface => true,
            Ty::Struct(fields) => fields.iter().any(|&f| self.has_pointers(f)),
            Ty::Array { len, elem } => *len > 0 && self.has_pointers(*elem),
            Ty::Bool | Ty::Int { .. } | Ty::Float { .. } | Ty::Complex { .. } => false,
        }
    }

    /// Calls `f` with the byte offset of every pointer word of a `ty` value placed at
    /// `offset`, in increasing order (gc's ptrmask, as offsets): the one walk behind both
    /// the collector's pointer bitmaps and the write barriers of multi-word stores.
    pub fn for_each_pointer_word(&self, ty: TyId, offset: u64, f: &mut impl FnMut(u64)) {
        match self.get(ty) {
            Ty::Ptr | Ty::String | Ty::Slice => f(offset),
            Ty::Interface => {
                f(offset);
                f(offset + 8);
            }
            Ty::Struct(fields) => {
                let offsets = &self.layout(ty).field_offsets;
                for (&field, &o) in fields.iter().zip(offsets) {
                    self.for_each_pointer_word(field, offset + o, f);
                }
            }
            Ty::Array { len, elem } => {
                if self.has_pointers(*elem) {
                    let size = self.layout(*elem).size;
                    for i in 0..*len {
                        self.for_each_pointer_word(*elem, offset + i * size, f);
                    }
                }
            }
            Ty::Bool | Ty::Int { .. } | Ty::Float { .. } | Ty::Complex { .. } => {}
        }
    }

    /// Shorthands for common types.
    pub fn int(&mut self) -> TyId {
        self.intern(Ty::Int { bits: 64, signed: true })
    }

    /// `bool`.
    pub fn bool(&mut self) -> TyId {
        self.intern(Ty::Bool)
    }

    fn compute_layout(&self, ty: &Ty) -> Layout {
        let flat = |size: u64, align: u64, scalars: Vec<(Scalar, u64)>| Layout {
            size,
            align,
            field_offsets: Vec::new(),
            scalars: Some(scalars),
        };
        let word = Scalar::Int(64);
        match ty {
            Ty::Bool => flat(1, 1, vec![(Scalar::Int(8), 0)]),
            Ty::Int { bits, .. } => {
                let n = u64::from(*bits / 8);
                flat(n, n, vec![(Scalar::Int(*bits), 0)])
            }
            Ty::Float { bits: 32 } => flat(4, 4, vec![(Scalar::F32, 0)]),
            Ty::Float { .. } => flat(8, 8, vec![(Scalar::F64, 0)]),
            Ty::Complex { bits: 64 } => flat(8, 4, vec![(Scalar::F32, 0), (Scalar::F32, 4)]),
            Ty::Complex { .. } => flat(16, 8, vec![(Scalar::F64, 0), (Scalar::F64, 8)]),
            Ty::Ptr => flat(8, 8, vec![(word, 0)]),
            Ty::String | Ty::Interface => flat(16, 8, vec![(word, 0), (word, 8)]),
            Ty::Slice => flat(24, 8, vec![(word, 0), (word, 8), (word, 16)]),
            Ty::Struct(fields) => self.struct_layout(fields),
            Ty::Array { len, elem } => {
                let e = self.layout(*elem);
                let scalars = match len {
                    0 => Some(Vec::new()),
                    1 => e.scalars.clone(),
                    _ => None,
                };
                Layout { size: e.size * len, align: e.align, field_offsets: Vec::new(), scalars }
            }
        }
    }

    /// gc's struct layout: fields at their alignment; a final zero-size field gets one byte of
    /// padding so that its address does not point past the object; size rounded to the alignment.
    fn struct_layout(&self, fields: &[TyId]) -> Layout {
        let (mut offset, mut align) = (0u64, 1u64);
        let mut offsets = Vec::with_capacity(fields.len());
        let mut scalars = Some(Vec::new());
        for &f in fields {
            let l = self.layout(f);
            offset = offset.next_multiple_of(l.align);
            offsets.push(offset);
            align = align.max(l.align);
            scalars = match (scalars, &l.scalars) {
                (Some(mut acc), Some(fs)) => {
                    acc.extend(fs.iter().map(|&(s, o)| (s, o + offset)));
                    Some(acc)
                }
                _ => None,
            };
            offset += l.size;
        }
        if fields.last().is_some_and(|&f| self.layout(f).size == 0) && offset > 0 {
            offset += 1;
        }
        let scalars = scalars.filter(|s| s.len() <= MAX_SCALARS);
        Layout { size: offset.next_multiple_of(align), align, field_offsets: offsets, scalars }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn basic_layouts() {
        let mut t = TyTable::default();
        let s = t.intern(Ty::String);
        assert_eq!(t.layout(s).size, 16);
        assert_eq!(t.layout(s).scalars.as_ref().unwrap().len(), 2);
        let c64 = t.intern(Ty::Complex { bits: 64 });
        assert_eq!((t.layout(c64).size, t.layout(c64).align), (8, 4));
    }

    #[test]
    fn struct_layout_matches_gc() {
        let mut t = TyTable::default();
        let b = t.bool();
        let i = t.int();
        let i16 = t.intern(Ty::Int { bits: 16, signed: true });
        // struct { a bool; b int; c int16 } is 24 bytes with b at 8 and c at 16 (unsafe.Sizeof).
        let st = t.intern(Ty::Struct(vec![b, i, i16]));
        let l = t.layout(st);
        assert_eq!((l.size, l.align), (24, 8));
        assert_eq!(l.field_offsets, vec![0, 8, 16]);
        // struct { x int; z struct{} } pads the trailing zero-size field: 16 bytes.
        let empty = t.intern(Ty::Struct(vec![]));
        let st2 = t.intern(Ty::Struct(vec![i, empty]));
        assert_eq!(t.layout(st2).size, 16);
        assert_eq!(t.layout(empty).size, 0);
    }

    #[test]
    fn big_aggregates_live_in_memory() {
        let mut t = TyTable::default();
        let i = t.int();
        let arr = t.intern(Ty::Array { len: 4, elem: i });
        assert!(t.layout(arr).scalars.is_none());
        assert_eq!(t.layout(arr).size, 32);
        let s = t.intern(Ty::Slice);
        let big = t.intern(Ty::Struct(vec![s, s]));
        assert!(t.layout(big).scalars.is_none());
    }

    #[test]
    fn pointer_words_follow_gc_ptrmask() {
        let mut t = TyTable::default();
        let (i, p, s, e) = (t.int(), t.intern(Ty::Ptr), t.intern(Ty::String), t.intern(Ty::Interface));
        // struct { n int; p *T; s string; e any }: pointers at 8, 16, 32 and 40 (a string's
        // length word and the integer are not pointers).
        let st = t.intern(Ty::Struct(vec![i, p, s, e]));
        // [2]struct{...} repeats them every 48 bytes; an array of integers has none.
        let arr = t.intern(Ty::Array { len: 2, elem: st });
        let ints = t.intern(Ty::Array { len: 1000, elem: i });
        let words = |ty| {
            let mut out = Vec::new();
            t.for_each_pointer_word(ty, 0, &mut |off| out.push(off));
            out
        };
        assert_eq!(words(st), vec![8, 16, 32, 40]);
        assert_eq!(words(arr), vec![8, 16, 32, 40, 56, 64, 80, 88]);
        assert!(words(ints).is_empty());
    }
}
