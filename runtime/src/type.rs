//! Type descriptors (Go's type.go): the leading part of gc 1.19's runtime._type, which the
//! compiler emits for every type and passes to allocation, interface and map functions.
//!
//! The layout is gc's (and reflect.rtype's), so that GOROOT's reflect can read descriptors;
//! the offsets are part of the runtime ABI and tested below. The allocator reads `size` and
//! `ptrdata` (zero means the type holds no pointers, so its objects go to noscan spans);
//! `gcdata` is for the collector.

/// Kind bit: the type is stored directly in an interface word (gc's kindDirectIface).
pub const KIND_DIRECT_IFACE: u8 = 1 << 5;
/// Kind bit: `gcdata` is a GC program rather than a pointer bitmap (gc's kindGCProg).
pub const KIND_GC_PROG: u8 = 1 << 6;
/// Mask of the kind number in `kind` (gc's kindMask).
pub const KIND_MASK: u8 = (1 << 5) - 1;

/// gc 1.19's runtime._type.
#[repr(C)]
#[derive(Debug)]
pub struct Type {
    /// Size of a value in bytes.
    pub size: usize,
    /// Length of the prefix of a value that holds all its pointers; 0 for pointer-free types.
    pub ptrdata: usize,
    /// Hash of the type, for maps and type switches.
    pub hash: u32,
    /// Extra type information flags (gc's tflag).
    pub tflag: u8,
    /// Alignment of a variable of the type.
    pub align: u8,
    /// Alignment of a struct field of the type.
    pub field_align: u8,
    /// Kind number and the KIND_* bits.
    pub kind: u8,
    /// Equality function, (a, b) -> a == b; null if the type is not comparable.
    pub equal: Option<unsafe extern "C" fn(*const u8, *const u8) -> bool>,
    /// Pointer bitmap (one bit per word of the ptrdata prefix) or GC program.
    pub gcdata: *const u8,
    /// Offset of the type's name in the module's name data (gc's nameOff).
    pub str_: i32,
    /// Offset of the descriptor of *T, or 0 (gc's typeOff).
    pub ptr_to_this: i32,
}

impl Type {
    /// Whether values of the type hold no pointers: such objects go to noscan spans.
    pub fn noscan(&self) -> bool {
        self.ptrdata == 0
    }
}

/// Byte offset of `size`.
pub const TYPE_SIZE_OFFSET: usize = 0;
/// Byte offset of `ptrdata`.
pub const TYPE_PTRDATA_OFFSET: usize = 8;
/// Byte offset of `hash`.
pub const TYPE_HASH_OFFSET: usize = 16;
/// Byte offset of `kind`.
pub const TYPE_KIND_OFFSET: usize = 23;
/// Byte offset of `equal`.
pub const TYPE_EQUAL_OFFSET: usize = 24;
/// Byte offset of `gcdata`.
pub const TYPE_GCDATA_OFFSET: usize = 32;
/// Size of the descriptor header (before kind-specific fields).
pub const TYPE_HEADER_SIZE: usize = 48;

#[cfg(test)]
mod tests {
    use super::*;
    use core::mem::offset_of;

    #[test]
    fn layout_is_gc_1_19s() {
        assert_eq!(offset_of!(Type, size), TYPE_SIZE_OFFSET);
        assert_eq!(offset_of!(Type, ptrdata), TYPE_PTRDATA_OFFSET);
        assert_eq!(offset_of!(Type, hash), TYPE_HASH_OFFSET);
        assert_eq!(offset_of!(Type, tflag), 20);
        assert_eq!(offset_of!(Type, align), 21);
        assert_eq!(offset_of!(Type, field_align), 22);
        assert_eq!(offset_of!(Type, kind), TYPE_KIND_OFFSET);
        assert_eq!(offset_of!(Type, equal), TYPE_EQUAL_OFFSET);
        assert_eq!(offset_of!(Type, gcdata), TYPE_GCDATA_OFFSET);
        assert_eq!(offset_of!(Type, str_), 40);
        assert_eq!(offset_of!(Type, ptr_to_this), 44);
        assert_eq!(core::mem::size_of::<Type>(), TYPE_HEADER_SIZE);
    }
}
