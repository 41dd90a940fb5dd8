//! Interfaces (Go's iface.go): itabs, the global itab table, type assertions to interface
//! types, and the type-assertion panics with gc's messages (error.go's TypeAssertionError).
//!
//! An interface value is two words: an eface `(type, data)` for `interface{}`, an iface
//! `(itab, data)` otherwise. An itab pairs an interface type with a concrete type and holds
//! the concrete type's code for each interface method, in the interface's (sorted) method
//! order, so a dynamic call is a load from `fun[i]`.
//!
//! **Static itabs.** The compiler builds most itabs at compile time (fully: inter, type, hash
//! and fun). So that one (interface, type) pair never has two itabs (interface comparison
//! and type switches compare itab pointers), it lists them in the data object
//! `goclift.itablinks`: a pointer-sized count followed by that many itab pointers. The
//! runtime adds them to its table before creating the first itab of its own (gc's
//! itabsinit); programs without the symbol simply have none.

use crate::alg::panic_message;
use crate::lock_futex::Mutex;
use crate::r#type::{
    resolve_name_off, resolve_text_off, resolve_type_off, InterfaceType, Type, TFLAG_UNCOMMON,
};
use crate::runtime2::G;
use core::ptr::null_mut;
use core::sync::atomic::{AtomicBool, AtomicPtr, AtomicUsize, Ordering::*};

/// An itab (gc's itab): `fun` has one word per interface method (the struct declares one;
/// the allocation has as many as the interface needs). `fun[0] == 0` marks a cached
/// negative result: the type does not implement the interface.
#[repr(C)]
#[derive(Debug)]
pub struct Itab {
    /// The interface type.
    pub inter: *const InterfaceType,
    /// The concrete (dynamic) type.
    pub typ: *const Type,
    /// Copy of typ.hash, for type switches (0 in itabs made at run time, as in gc).
    pub hash: u32,
    _unused: [u8; 4],
    /// Code addresses of the methods, in the interface's method order.
    pub fun: [usize; 1],
}

/// Byte offset of `fun[0]` in an itab: compiled code calls method i through the word at
/// ITAB_FUN_OFFSET + 8*i.
pub const ITAB_FUN_OFFSET: usize = 24;

impl Itab {
    /// An itab for `inter` and `typ` with `fun[0]` given (tests, and static itab layouts).
    pub const fn new(
        inter: *const InterfaceType,
        typ: *const Type,
        hash: u32,
        fun0: usize,
    ) -> Itab {
        Itab {
            inter,
            typ,
            hash,
            _unused: [0; 4],
            fun: [fun0],
        }
    }

    /// The method words (as many as the interface has methods).
    ///
    /// # Safety
    /// The itab must have been allocated for its interface.
    unsafe fn methods(&mut self) -> &mut [usize] {
        let n = (*self.inter).mhdr.len as usize;
        core::slice::from_raw_parts_mut(self.fun.as_mut_ptr(), n)
    }

    /// Fills `fun` for the itab's pair (gc's itab.init): both method lists are sorted by
    /// name, so one merge pass finds each interface method. Returns the name of the first
    /// missing method (and sets fun[0] = 0), or empty when the type implements the interface.
    ///
    /// # Safety
    /// The itab must have been allocated for its interface; descriptors must be valid.
    pub unsafe fn init(&mut self) -> &'static [u8] {
        let inter = &*self.inter;
        let typ = &*self.typ;
        let Some(x) = typ.uncommon() else {
            // No methods at all: the first interface method is missing.
            self.fun[0] = 0;
            return resolve_name_off(inter.mhdr.as_slice()[0].name).name();
        };
        let tmethods = x.methods();
        let mut j = 0;
        let mut fun0 = 0usize;
        let methods = self.methods();
        'imethods: for (k, im) in inter.mhdr.as_slice().iter().enumerate() {
            let itype = resolve_type_off(im.ityp);
            let name = resolve_name_off(im.name);
            let iname = name.name();
            let mut ipkg = name.pkg_path();
            if ipkg.is_empty() {
                ipkg = inter.pkgpath.name();
            }
            while j < tmethods.len() {
                let t = &tmethods[j];
                let tname = resolve_name_off(t.name);
                if resolve_type_off(t.mtyp) == itype && tname.name() == iname {
                    let mut pkg = tname.pkg_path();
                    if pkg.is_empty() {
                        pkg = resolve_name_off(x.pkgpath).name();
                    }
                    if tname.is_exported() || pkg == ipkg {
                        let ifn = resolve_text_off(t.ifn) as usize;
                        if k == 0 {
                            fun0 = ifn; // set last: fun[0] != 0 publishes a complete itab
                        } else {
                            methods[k] = ifn;
                        }
                        continue 'imethods;
                    }
                }
                j += 1;
            }
            methods[0] = 0;
            return iname;
        }
        methods[0] = fun0;
        b""
    }
}

/// The global itab hash table (gc's itabTableType): `size` (a power of two) entries with
/// quadratic probing, read without locks, written under ITAB_LOCK.
#[repr(C)]
struct ItabTable<const N: usize> {
    size: usize,
    count: AtomicUsize,
    entries: [AtomicPtr<Itab>; N],
}

/// Initial table size (gc's itabInitSize).
const ITAB_INIT_SIZE: usize = 512;

/// The table before the first growth (gc's itabTableInit).
static ITAB_TABLE_INIT: ItabTable<ITAB_INIT_SIZE> = ItabTable {
    size: ITAB_INIT_SIZE,
    count: AtomicUsize::new(0),
    entries: [const { AtomicPtr::new(null_mut()) }; ITAB_INIT_SIZE],
};

/// The current table; its length is in its header (gc's itabTable).
static ITAB_TABLE: AtomicPtr<ItabTable<0>> =
    AtomicPtr::new(&ITAB_TABLE_INIT as *const ItabTable<ITAB_INIT_SIZE> as *mut ItabTable<0>);

/// Serialises additions to the table (gc's itabLock).
static ITAB_LOCK: Mutex = Mutex::new();

/// Whether the compiler's static itabs have been added (under ITAB_LOCK).
static ITABS_INITED: AtomicBool = AtomicBool::new(false);

impl ItabTable<0> {
    /// Entry `i` (below `size`).
    unsafe fn entry(&self, i: usize) -> &AtomicPtr<Itab> {
        &*self.entries.as_ptr().add(i)
    }

    /// The itab of (inter, typ), or null (gc's find).
    unsafe fn find(&self, inter: *const InterfaceType, typ: *const Type) -> *mut Itab {
        let mask = self.size - 1;
        let mut h = itab_hash(inter, typ) & mask;
        let mut i = 1;
        loop {
            let m = self.entry(h).load(Acquire);
            if m.is_null() {
                return null_mut();
            }
            if (*m).inter == inter && (*m).typ == typ {
                return m;
            }
            h = (h + i) & mask;
            i += 1;
        }
    }

    /// Inserts `m` at the first free slot of its probe sequence (gc's add). ITAB_LOCK held.
    unsafe fn add(&self, m: *mut Itab) {
        let mask = self.size - 1;
        let mut h = itab_hash((*m).inter, (*m).typ) & mask;
        let mut i = 1;
        loop {
            let slot = self.entry(h);
            let m2 = slot.load(Relaxed);
            if m2 == m {
                return;
            }
            if m2.is_null() {
                slot.store(m, Release);
                self.count.fetch_add(1, Relaxed);
                return;
            }
            h = (h + i) & mask;
            i += 1;
        }
    }
}

/// The table's hash of a pair (gc's itabHashFunc): the compiler's type hashes.
unsafe fn itab_hash(inter: *const InterfaceType, typ: *const Type) -> usize {
    ((*inter).typ.hash ^ (*typ).hash) as usize
}

/// Adds `m` to the table, growing it at 75% load (gc's itabAdd). ITAB_LOCK held.
unsafe fn itab_add(m: *mut Itab) {
    let mut t = ITAB_TABLE.load(Relaxed);
    if (*t).count.load(Relaxed) >= 3 * ((*t).size / 4) {
        // Old tables stay allocated (persistentalloc): readers may still be probing them,
        // and all tables together stay under twice the final one.
        let size = (*t).size * 2;
        let bytes = 2 * 8 + size * 8;
        let t2 = crate::malloc::persistentalloc(bytes, 8, &crate::mstats::MEMSTATS.other_sys)
            as *mut ItabTable<0>;
        core::ptr::addr_of_mut!((*t2).size).write(size);
        for i in 0..(*t).size {
            let e = (*t).entry(i).load(Relaxed);
            if !e.is_null() {
                (*t2).add(e);
            }
        }
        if (*t2).count.load(Relaxed) != (*t).count.load(Relaxed) {
            crate::panic::throw("mismatched count during itab table copy");
        }
        ITAB_TABLE.store(t2, Release);
        t = t2;
    }
    (*t).add(m);
}

// The weak reference to the compiler's static itab list (see the module doc).
core::arch::global_asm!(
    ".pushsection .data.rel.ro.goclift_itablinks_ref,\"aw\"",
    ".balign 8",
    ".globl goclift_itablinks_ref",
    ".hidden goclift_itablinks_ref",
    "goclift_itablinks_ref:",
    ".8byte goclift.itablinks",
    ".popsection",
    ".weak goclift.itablinks",
);

extern "C" {
    /// The address of `goclift.itablinks`, or null.
    static goclift_itablinks_ref: *const usize;
}

/// Adds the compiler's static itabs once (gc's itabsinit). ITAB_LOCK held.
unsafe fn itabsinit() {
    if ITABS_INITED.load(Relaxed) {
        return;
    }
    let links = goclift_itablinks_ref;
    if !links.is_null() {
        add_static_itabs(core::slice::from_raw_parts(
            links.add(1) as *const *mut Itab,
            *links,
        ));
    }
    ITABS_INITED.store(true, Relaxed);
}

/// Adds itabs made elsewhere (the compiler's, or a test's) to the table.
///
/// # Safety
/// ITAB_LOCK held (or no other thread using the table); the itabs must be complete and live
/// for ever.
pub unsafe fn add_static_itabs(itabs: &[*mut Itab]) {
    for &m in itabs {
        itab_add(m);
    }
}

/// The itab for (inter, typ) (gc's getitab): from the table, or made, cached and returned.
/// If `typ` does not implement `inter`: null when `canfail`, else the panic
/// "interface conversion: T is not I: missing method M".
///
/// # Safety
/// `inter` and `typ` must be valid descriptors; `inter` must have methods.
pub unsafe fn getitab(inter: *const InterfaceType, typ: *const Type, canfail: bool) -> *mut Itab {
    let nmethods = (*inter).mhdr.len as usize;
    if nmethods == 0 {
        crate::panic::throw("internal error - misuse of itab");
    }
    if (*typ).tflag & TFLAG_UNCOMMON == 0 {
        if canfail {
            return null_mut();
        }
        let name = resolve_name_off((*inter).mhdr.as_slice()[0].name);
        panic_type_assertion(null_mut(), typ, &(*inter).typ, name.name());
    }
    let mut m = (*ITAB_TABLE.load(Acquire)).find(inter, typ);
    if m.is_null() {
        ITAB_LOCK.lock();
        itabsinit();
        m = (*ITAB_TABLE.load(Relaxed)).find(inter, typ);
        if m.is_null() {
            let size = core::mem::size_of::<Itab>() + (nmethods - 1) * 8;
            m = crate::malloc::persistentalloc(size, 8, &crate::mstats::MEMSTATS.other_sys)
                as *mut Itab;
            (*m).inter = inter;
            (*m).typ = typ;
            (*m).hash = 0;
            (*m).init();
            itab_add(m);
        }
        ITAB_LOCK.unlock();
    }
    if (*m).fun[0] != 0 {
        return m;
    }
    if canfail {
        return null_mut();
    }
    // A cached negative result does not say which method is missing: find it again.
    let missing = (*m).init();
    panic_type_assertion(null_mut(), typ, &(*inter).typ, missing)
}

/// An interface value with methods: (itab, data) (gc's iface), returned in two registers.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Iface {
    /// The itab, or null for a nil interface.
    pub tab: *mut Itab,
    /// The data word.
    pub data: *const u8,
}

impl Iface {
    /// The nil interface value.
    pub const NIL: Iface = Iface {
        tab: null_mut(),
        data: core::ptr::null(),
    };
}

// The entry points for compiled code. Each is a `go_entry!` stub: it guarantees the Rust code
// behind it stack (making an itab, or formatting a panic message, needs more than the guard
// area a plain leaf call may use) and passes g on for the panic machinery to come.

/// `x.(I)` for an empty interface x with type word `t` (gc's assertE2I): panics if x is nil
/// ("interface conversion: interface is nil, not I") or T lacks a method.
///
/// # Safety
/// Valid descriptors (t may be null).
pub unsafe fn assert_e2i(inter: *const InterfaceType, t: *const Type) -> *mut Itab {
    if t.is_null() {
        panic_type_assertion(null_mut(), null_mut(), &(*inter).typ, b"");
    }
    getitab(inter, t, false)
}

/// `v, ok := x.(I)` for an empty interface x = (t, data) (gc's assertE2I2): (nil, nil) when
/// the assertion fails.
///
/// # Safety
/// Valid descriptors (t may be null).
pub unsafe fn assert_e2i2(inter: *const InterfaceType, t: *const Type, data: *const u8) -> Iface {
    if t.is_null() {
        return Iface::NIL;
    }
    let tab = getitab(inter, t, true);
    if tab.is_null() {
        return Iface::NIL;
    }
    Iface { tab, data }
}

/// `x.(I)` for a non-empty interface x with itab `tab` (gc's assertI2I).
///
/// # Safety
/// Valid descriptors and itab (tab may be null).
pub unsafe fn assert_i2i(inter: *const InterfaceType, tab: *mut Itab) -> *mut Itab {
    if tab.is_null() {
        panic_type_assertion(null_mut(), null_mut(), &(*inter).typ, b"");
    }
    if (*tab).inter == inter {
        return tab;
    }
    getitab(inter, (*tab).typ, false)
}

/// `v, ok := x.(I)` for a non-empty interface x = (tab, data) (gc's assertI2I2).
///
/// # Safety
/// Valid descriptors and itab (tab may be null).
pub unsafe fn assert_i2i2(inter: *const InterfaceType, tab: *mut Itab, data: *const u8) -> Iface {
    if tab.is_null() {
        return Iface::NIL;
    }
    let mut tab = tab;
    if (*tab).inter != inter {
        tab = getitab(inter, (*tab).typ, true);
        if tab.is_null() {
            return Iface::NIL;
        }
    }
    Iface { tab, data }
}

/// The itab for converting a non-empty interface with itab `src` to interface type `dst`,
/// which it statically implements (gc's convI2I).
///
/// # Safety
/// Valid descriptors and itab (src may be null).
pub unsafe fn conv_i2i(dst: *const InterfaceType, src: *mut Itab) -> *mut Itab {
    if src.is_null() {
        return null_mut();
    }
    if (*src).inter == dst {
        return src;
    }
    getitab(dst, (*src).typ, false)
}

/// A failed `e.(T)` (gc's panicdottypeE): `have` the dynamic type (maybe nil), `want` T,
/// `iface` the static type of e. "interface conversion: interface {} is string, not int".
///
/// # Safety
/// Valid descriptors (have may be null).
pub unsafe fn panicdottype_e(have: *const Type, want: *const Type, iface: *const Type) -> ! {
    panic_type_assertion(iface, have, want, b"")
}

/// A failed `i.(T)` for a non-empty interface with itab `have`, maybe nil (gc's
/// panicdottypeI).
///
/// # Safety
/// Valid descriptors and itab (have may be null).
pub unsafe fn panicdottype_i(have: *const Itab, want: *const Type, iface: *const Type) -> ! {
    let t = if have.is_null() {
        core::ptr::null()
    } else {
        (*have).typ
    };
    panic_type_assertion(iface, t, want, b"")
}

/// A failed `i.(I)` on a nil interface (gc's panicnildottype): "interface conversion:
/// interface is nil, not I".
///
/// # Safety
/// `want` must be a descriptor.
pub unsafe fn panicnildottype(want: *const Type) -> ! {
    panic_type_assertion(null_mut(), null_mut(), want, b"")
}

unsafe extern "C" fn getitab_from_go(
    inter: *const InterfaceType,
    typ: *const Type,
    canfail: usize,
    _g: *mut G,
) -> *mut Itab {
    getitab(inter, typ, canfail & 0xff != 0)
}

crate::go_entry!(
    /// `runtime.getitab(inter *interfacetype, typ *_type, canfail bool) *itab` (canfail read
    /// from the low byte).
    getitab_entry = "runtime.getitab"(inter: *const InterfaceType, typ: *const Type, canfail: usize) -> *mut Itab;
    g in "rcx" / "x3" => getitab_from_go
);

unsafe extern "C" fn assert_e2i_from_go(
    inter: *const InterfaceType,
    t: *const Type,
    _g: *mut G,
) -> *mut Itab {
    assert_e2i(inter, t)
}

crate::go_entry!(
    /// `x.(I)`, x an empty interface with type word t: `runtime.assertE2I(inter
    /// *interfacetype, t *_type) *itab`.
    assert_e2i_entry = "runtime.assertE2I"(inter: *const InterfaceType, t: *const Type) -> *mut Itab;
    g in "rdx" / "x2" => assert_e2i_from_go
);

unsafe extern "C" fn assert_e2i2_from_go(
    inter: *const InterfaceType,
    t: *const Type,
    data: *const u8,
    _g: *mut G,
) -> Iface {
    assert_e2i2(inter, t, data)
}

crate::go_entry!(
    /// `v, ok := x.(I)`, x = (t, data) an empty interface: `runtime.assertE2I2(inter, t
    /// *_type, data unsafe.Pointer) (tab *itab, data unsafe.Pointer)`, (nil, nil) on failure.
    assert_e2i2_entry = "runtime.assertE2I2"(inter: *const InterfaceType, t: *const Type, data: *const u8) -> Iface;
    g in "rcx" / "x3" => assert_e2i2_from_go
);

unsafe extern "C" fn assert_i2i_from_go(
    inter: *const InterfaceType,
    tab: *mut Itab,
    _g: *mut G,
) -> *mut Itab {
    assert_i2i(inter, tab)
}

crate::go_entry!(
    /// `x.(I)`, x a non-empty interface with itab tab: `runtime.assertI2I(inter
    /// *interfacetype, tab *itab) *itab`.
    assert_i2i_entry = "runtime.assertI2I"(inter: *const InterfaceType, tab: *mut Itab) -> *mut Itab;
    g in "rdx" / "x2" => assert_i2i_from_go
);

unsafe extern "C" fn assert_i2i2_from_go(
    inter: *const InterfaceType,
    tab: *mut Itab,
    data: *const u8,
    _g: *mut G,
) -> Iface {
    assert_i2i2(inter, tab, data)
}

crate::go_entry!(
    /// `v, ok := x.(I)`, x = (tab, data) a non-empty interface: `runtime.assertI2I2(inter,
    /// tab *itab, data unsafe.Pointer) (tab *itab, data unsafe.Pointer)`.
    assert_i2i2_entry = "runtime.assertI2I2"(inter: *const InterfaceType, tab: *mut Itab, data: *const u8) -> Iface;
    g in "rcx" / "x3" => assert_i2i2_from_go
);

unsafe extern "C" fn conv_i2i_from_go(
    dst: *const InterfaceType,
    src: *mut Itab,
    _g: *mut G,
) -> *mut Itab {
    conv_i2i(dst, src)
}

crate::go_entry!(
    /// Interface-to-interface conversion: `runtime.convI2I(dst *interfacetype, src *itab)
    /// *itab`.
    conv_i2i_entry = "runtime.convI2I"(dst: *const InterfaceType, src: *mut Itab) -> *mut Itab;
    g in "rdx" / "x2" => conv_i2i_from_go
);

unsafe extern "C" fn panicdottype_e_from_go(
    have: *const Type,
    want: *const Type,
    iface: *const Type,
    _g: *mut G,
) {
    panicdottype_e(have, want, iface)
}

crate::go_entry!(
    /// A failed `e.(T)`: `runtime.panicdottypeE(have, want, iface *_type)`; never returns.
    panicdottype_e_entry = "runtime.panicdottypeE"(have: *const Type, want: *const Type, iface: *const Type);
    g in "rcx" / "x3" => panicdottype_e_from_go
);

unsafe extern "C" fn panicdottype_i_from_go(
    have: *const Itab,
    want: *const Type,
    iface: *const Type,
    _g: *mut G,
) {
    panicdottype_i(have, want, iface)
}

crate::go_entry!(
    /// A failed `i.(T)`: `runtime.panicdottypeI(have *itab, want, iface *_type)`; never
    /// returns.
    panicdottype_i_entry = "runtime.panicdottypeI"(have: *const Itab, want: *const Type, iface: *const Type);
    g in "rcx" / "x3" => panicdottype_i_from_go
);

unsafe extern "C" fn panicnildottype_from_go(want: *const Type, _g: *mut G) {
    panicnildottype(want)
}

crate::go_entry!(
    /// A failed `i.(I)` on a nil interface: `runtime.panicnildottype(want *_type)`; never
    /// returns.
    panicnildottype_entry = "runtime.panicnildottype"(want: *const Type);
    g in "rsi" / "x1" => panicnildottype_from_go
);

/// Panics with a TypeAssertionError (gc's error.go): `inter` the static interface type (or
/// null: "interface"), `concrete` the dynamic type (null: the interface was nil), `asserted`
/// the target type, `missing` a method the dynamic type lacks (or empty).
///
/// # Safety
/// The non-null pointers must be descriptors.
pub unsafe fn panic_type_assertion(
    inter: *const Type,
    concrete: *const Type,
    asserted: *const Type,
    missing: &[u8],
) -> ! {
    let i: &[u8] = if inter.is_null() {
        b"interface"
    } else {
        (*inter).string()
    };
    let a = (*asserted).string();
    if concrete.is_null() {
        panic_message(&[b"interface conversion: ", i, b" is nil, not ", a]);
    }
    let c = (*concrete).string();
    if !missing.is_empty() {
        panic_message(&[
            b"interface conversion: ",
            c,
            b" is not ",
            a,
            b": missing method ",
            missing,
        ]);
    }
    let mut note: &[u8] = b"";
    if c == a {
        // Same spelling, different types: say why.
        note = if (*concrete).pkgpath() != (*asserted).pkgpath() {
            b" (types from different packages)"
        } else {
            b" (types from different scopes)"
        };
    }
    panic_message(&[b"interface conversion: ", i, b" is ", c, b", not ", a, note])
}

#[cfg(test)]
#[path = "iface_test.rs"]
mod tests;
