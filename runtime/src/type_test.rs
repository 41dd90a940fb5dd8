//! Descriptor layout tests, and the unit tests' own `goclift.types`: a zeroed blob that tests
//! fill with hand-built names and descriptors (the compiler's job in real programs), with
//! helpers that build the common ones the way the compiler does.

use super::*;
use core::cell::UnsafeCell;
use core::mem::{offset_of, size_of};
use std::sync::atomic::{AtomicU32, AtomicUsize, Ordering::SeqCst};

const BLOB_SIZE: usize = 4 << 20;

/// The unit tests' descriptor blob.
#[repr(C, align(64))]
pub struct Blob(UnsafeCell<[u8; BLOB_SIZE]>);
// SAFETY: tests only write freshly reserved, disjoint parts (see `alloc`).
unsafe impl Sync for Blob {}

/// `goclift.types` for the unit tests, found through the runtime's weak reference.
#[unsafe(export_name = "goclift.types")]
pub static TEST_TYPES: Blob = Blob(UnsafeCell::new([0; BLOB_SIZE]));

/// Next free byte of the blob; offset 0 stays unused, as it means "none".
static NEXT: AtomicUsize = AtomicUsize::new(64);

/// Reserves `size` bytes aligned to `align` in the blob: (pointer, offset).
pub fn alloc(size: usize, align: usize) -> (*mut u8, i32) {
    let mut off = NEXT.load(SeqCst);
    loop {
        let start = off.next_multiple_of(align);
        let end = start + size;
        assert!(end <= BLOB_SIZE, "test descriptor blob full");
        match NEXT.compare_exchange(off, end, SeqCst, SeqCst) {
            // SAFETY: in bounds; reserved for the caller alone.
            Ok(_) => {
                return (
                    unsafe { (TEST_TYPES.0.get() as *mut u8).add(start) },
                    start as i32,
                )
            }
            Err(cur) => off = cur,
        }
    }
}

/// Moves `v` into the blob: (reference, offset).
pub fn put<T>(v: T) -> (&'static mut T, i32) {
    let (p, off) = alloc(size_of::<T>(), core::mem::align_of::<T>().max(8));
    // SAFETY: fresh, aligned, large enough.
    unsafe {
        (p as *mut T).write(v);
        (&mut *(p as *mut T), off)
    }
}

/// Encodes a name (gc's newName) into the blob and returns its offset.
pub fn name_full(
    s: &[u8],
    exported: bool,
    tag: &[u8],
    pkgpath: NameOff,
    embedded: bool,
) -> NameOff {
    let mut b = vec![0u8];
    if exported {
        b[0] |= NAME_EXPORTED;
    }
    if !tag.is_empty() {
        b[0] |= NAME_HAS_TAG;
    }
    if pkgpath != 0 {
        b[0] |= NAME_HAS_PKG_PATH;
    }
    if embedded {
        b[0] |= NAME_EMBEDDED;
    }
    let varint = |b: &mut Vec<u8>, mut n: usize| loop {
        if n < 0x80 {
            b.push(n as u8);
            break;
        }
        b.push(n as u8 | 0x80);
        n >>= 7;
    };
    varint(&mut b, s.len());
    b.extend_from_slice(s);
    if !tag.is_empty() {
        varint(&mut b, tag.len());
        b.extend_from_slice(tag);
    }
    if pkgpath != 0 {
        b.extend_from_slice(&pkgpath.to_le_bytes());
    }
    let (p, off) = alloc(b.len(), 1);
    // SAFETY: reserved for b.len() bytes.
    unsafe { core::ptr::copy_nonoverlapping(b.as_ptr(), p, b.len()) };
    off
}

/// A plain name, exported if it starts with an upper-case letter.
pub fn name(s: &str) -> NameOff {
    name_full(
        s.as_bytes(),
        s.starts_with(|c: char| c.is_ascii_uppercase()),
        b"",
        0,
        false,
    )
}

/// The Name at `off`.
pub fn name_at(off: NameOff) -> Name {
    resolve_name_off(off)
}

/// Distinct type hashes for the test types.
static NEXT_HASH: AtomicU32 = AtomicU32::new(0x9e37_79b9);

/// A Type header: `str` is the type's string.
pub fn header(
    size: usize,
    align: u8,
    kind: u8,
    ptrdata: usize,
    equal: Option<EqualFn>,
    s: &str,
) -> Type {
    Type {
        size,
        ptrdata,
        hash: NEXT_HASH.fetch_add(0x6a09_e667, SeqCst),
        tflag: 0,
        align,
        field_align: align,
        kind,
        equal,
        gcdata: core::ptr::null(),
        str_: name(s),
        ptr_to_this: 0,
    }
}

/// A basic (non-composite) type in the blob.
pub fn basic(t: Type) -> &'static Type {
    put(t).0
}

/// The empty interface type `interface {}`.
pub fn empty_interface() -> &'static InterfaceType {
    interface(b"interface {}", 0, &[])
}

/// An interface type with the given (sorted) methods `(name, func type)`.
pub fn interface(
    s: &[u8],
    pkgpath: NameOff,
    methods: &[(NameOff, TypeOff)],
) -> &'static InterfaceType {
    let (imethods, _) = alloc(methods.len() * size_of::<IMethod>() + 8, 8);
    let imethods = imethods as *mut IMethod;
    for (i, &(n, t)) in methods.iter().enumerate() {
        // SAFETY: reserved above.
        unsafe { imethods.add(i).write(IMethod { name: n, ityp: t }) };
    }
    let mut typ = header(16, 8, KIND_INTERFACE, 16, None, "");
    typ.str_ = name_full(s, false, b"", 0, false);
    put(InterfaceType {
        typ,
        pkgpath: if pkgpath == 0 {
            Name::null()
        } else {
            name_at(pkgpath)
        },
        mhdr: SliceHeader {
            ptr: imethods,
            len: methods.len() as isize,
            cap: methods.len() as isize,
        },
    })
    .0
}

/// A named type `s` with methods `(name, type, code)`, sorted by name: a header followed by
/// its UncommonType and methods, as the compiler lays them out. `base` gives size, kind etc.
pub fn named_with_methods(
    base: Type,
    s: &str,
    pkgpath: &str,
    methods: &[(NameOff, TypeOff, usize)],
) -> (&'static Type, TypeOff) {
    assert_eq!(
        kind_descriptor_size(base.kind()),
        size_of::<Type>(),
        "plain kinds only"
    );
    let total = size_of::<Type>() + size_of::<UncommonType>() + methods.len() * size_of::<Method>();
    let (p, off) = alloc(total, 8);
    let mut t = base;
    t.str_ = name(s);
    t.tflag |= TFLAG_UNCOMMON | TFLAG_NAMED;
    let pkg = name(pkgpath);
    // SAFETY: `total` bytes reserved at p.
    unsafe {
        (p as *mut Type).write(t);
        let u = p.add(size_of::<Type>()) as *mut UncommonType;
        u.write(UncommonType::new(
            pkg,
            methods.len() as u16,
            methods.len() as u16,
            size_of::<UncommonType>() as u32,
        ));
        let ms = (u as *mut u8).add(size_of::<UncommonType>()) as *mut Method;
        for (i, &(n, mt, code)) in methods.iter().enumerate() {
            let (_, text) = put(code);
            ms.add(i).write(Method {
                name: n,
                mtyp: mt,
                ifn: text,
                tfn: text,
            });
        }
        (&*(p as *const Type), off)
    }
}

/// A function type with no parameters (distinct per call, identified by `s`).
pub fn func_type(s: &str) -> TypeOff {
    put(FuncType {
        typ: header(8, 8, KIND_FUNC | KIND_DIRECT_IFACE, 8, None, s),
        in_count: 0,
        out_count: 0,
    })
    .1
}

/// A map type as the compiler makes it (bucket type, slot sizes, flags) for key and elem.
pub fn map_of(key: &'static Type, elem: &'static Type, hasher: HashFn) -> &'static MapType {
    let (ik, ie) = (key.size > 128, elem.size > 128);
    let keysize = if ik { 8 } else { key.size };
    let elemsize = if ie { 8 } else { elem.size };
    let bucketsize = 8 + 8 * keysize + 8 * elemsize + 8;
    let pointers = ik || ie || key.ptrdata != 0 || elem.ptrdata != 0;
    let bucket = basic(header(
        bucketsize,
        8,
        KIND_STRUCT,
        if pointers { bucketsize } else { 0 },
        None,
        "bucket",
    ));
    let k = key.kind();
    let mut flags = 0;
    if ik {
        flags |= MAP_INDIRECT_KEY;
    }
    if ie {
        flags |= MAP_INDIRECT_ELEM;
    }
    if !matches!(
        k,
        KIND_FLOAT32 | KIND_FLOAT64 | KIND_COMPLEX64 | KIND_COMPLEX128 | KIND_INTERFACE
    ) {
        flags |= MAP_REFLEXIVE_KEY;
    }
    if matches!(
        k,
        KIND_FLOAT32
            | KIND_FLOAT64
            | KIND_COMPLEX64
            | KIND_COMPLEX128
            | KIND_STRING
            | KIND_INTERFACE
    ) {
        flags |= MAP_NEED_KEY_UPDATE;
    }
    if k == KIND_INTERFACE {
        flags |= MAP_HASH_MIGHT_PANIC;
    }
    put(MapType {
        typ: header(8, 8, KIND_MAP | KIND_DIRECT_IFACE, 8, None, "map[test]test"),
        key,
        elem,
        bucket,
        hasher,
        keysize: keysize as u8,
        elemsize: elemsize as u8,
        bucketsize: bucketsize as u16,
        flags,
    })
    .0
}

#[test]
fn header_layout_is_gc_1_19s() {
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
    assert_eq!(size_of::<Type>(), TYPE_HEADER_SIZE);
}

/// Offsets and sizes of gc 1.19's descriptors on 64-bit targets (runtime/type.go, with Go's
/// field alignment rules; cross-checked against gc-built binaries in gc_descriptor_offsets).
#[test]
fn kind_descriptor_layouts_are_gc_1_19s() {
    assert_eq!(
        (
            offset_of!(UncommonType, pkgpath),
            offset_of!(UncommonType, mcount)
        ),
        (0, 4)
    );
    assert_eq!(
        (
            offset_of!(UncommonType, xcount),
            offset_of!(UncommonType, moff)
        ),
        (6, 8)
    );
    assert_eq!(size_of::<UncommonType>(), 16);
    assert_eq!(
        (
            offset_of!(Method, mtyp),
            offset_of!(Method, ifn),
            offset_of!(Method, tfn)
        ),
        (4, 8, 12)
    );
    assert_eq!(size_of::<Method>(), 16);
    assert_eq!((offset_of!(IMethod, ityp), size_of::<IMethod>()), (4, 8));
    assert_eq!(
        (
            offset_of!(InterfaceType, pkgpath),
            offset_of!(InterfaceType, mhdr)
        ),
        (48, 56)
    );
    assert_eq!(size_of::<InterfaceType>(), 80);
    assert_eq!(
        (
            offset_of!(MapType, key),
            offset_of!(MapType, elem),
            offset_of!(MapType, bucket)
        ),
        (48, 56, 64)
    );
    assert_eq!(
        (
            offset_of!(MapType, hasher),
            offset_of!(MapType, keysize),
            offset_of!(MapType, elemsize)
        ),
        (72, 80, 81)
    );
    assert_eq!(
        (
            offset_of!(MapType, bucketsize),
            offset_of!(MapType, flags),
            size_of::<MapType>()
        ),
        (82, 84, 88)
    );
    assert_eq!(
        (
            offset_of!(ArrayType, elem),
            offset_of!(ArrayType, slice),
            offset_of!(ArrayType, len)
        ),
        (48, 56, 64)
    );
    assert_eq!(size_of::<ArrayType>(), 72);
    assert_eq!(
        (
            offset_of!(ChanType, elem),
            offset_of!(ChanType, dir),
            size_of::<ChanType>()
        ),
        (48, 56, 64)
    );
    assert_eq!(
        (offset_of!(SliceType, elem), size_of::<SliceType>()),
        (48, 56)
    );
    assert_eq!(
        (
            offset_of!(FuncType, in_count),
            offset_of!(FuncType, out_count),
            size_of::<FuncType>()
        ),
        (48, 50, 56)
    );
    assert_eq!((offset_of!(PtrType, elem), size_of::<PtrType>()), (48, 56));
    assert_eq!(
        (
            offset_of!(StructField, typ),
            offset_of!(StructField, offset),
            size_of::<StructField>()
        ),
        (8, 16, 24)
    );
    assert_eq!(
        (
            offset_of!(StructType, pkg_path),
            offset_of!(StructType, fields),
            size_of::<StructType>()
        ),
        (48, 56, 80)
    );
}

#[test]
fn names_decode_with_tags_and_package_paths() {
    let pkg = name("example.com/p");
    let n = name_at(name_full(b"field", false, b"json:\"f\"", pkg, true));
    assert_eq!(n.name(), b"field");
    assert_eq!(n.tag(), b"json:\"f\"");
    assert_eq!(n.pkg_path(), b"example.com/p");
    assert!(n.is_embedded() && !n.is_exported() && !n.is_blank());
    let n = name_at(name("Exported"));
    assert!(n.is_exported() && n.tag().is_empty() && n.pkg_path().is_empty());
    assert!(name_at(name("_")).is_blank());
    assert_eq!(Name::null().name(), b"");
    // A long name has a multi-byte varint length.
    let long = "x".repeat(300);
    assert_eq!(name_at(name(&long)).name(), long.as_bytes());
}

#[test]
fn type_strings_honour_the_extra_star() {
    let mut t = header(8, 8, KIND_PTR, 8, None, "*main.T");
    assert_eq!(t.string(), b"*main.T");
    t.tflag |= TFLAG_EXTRA_STAR;
    assert_eq!(t.string(), b"main.T");
    let (named, off) = named_with_methods(
        header(8, 8, KIND_INT, 0, None, ""),
        "main.Celsius",
        "main",
        &[],
    );
    assert_eq!(named.string(), b"main.Celsius");
    assert_eq!(named.name(), b"Celsius");
    assert_eq!(named.pkgpath(), b"main");
    assert_eq!(resolve_type_off(off), named as *const Type);
    let generic = header(8, 8, KIND_INT, 0, None, "main.G[main.x.y]");
    let mut generic = generic;
    generic.tflag |= TFLAG_NAMED;
    assert_eq!(generic.name(), b"G[main.x.y]");
    assert_eq!(empty_interface().typ.string(), b"interface {}");
}

#[test]
fn offsets_resolve_in_the_blob() {
    assert!(resolve_type_off(0).is_null() && resolve_type_off(-1).is_null());
    let (_, off) = put(0x1234_5678usize);
    assert_eq!(resolve_text_off(off) as usize, 0x1234_5678);
    assert_eq!(resolve_text_off(-1), unreachable_method as *const u8);
    assert_eq!(resolve_name_off(0), Name::null());
}

#[test]
fn uncommon_follows_the_kind_descriptor() {
    let (t, _) = named_with_methods(
        header(8, 8, KIND_INT, 0, None, ""),
        "main.N",
        "main",
        &[(name("M"), func_type("func()"), 42)],
    );
    let u = t.uncommon().expect("uncommon");
    assert_eq!(
        u as *const UncommonType as usize - t as *const Type as usize,
        48
    );
    assert_eq!(u.methods().len(), 1);
    assert_eq!(resolve_name_off(u.methods()[0].name).name(), b"M");
    assert_eq!(resolve_text_off(u.methods()[0].ifn) as usize, 42);
}

/// Checks the offsets above against descriptors in a gc-built binary: a Go program reads
/// its own descriptors through unsafe pointers at the offsets this file assumes and reports
/// whether each field holds what it must. Skipped without gc.
#[test]
fn gc_descriptor_offsets() {
    let go = std::env::var("GO").unwrap_or_else(|_| "/usr/lib/go-1.19/bin/go".into());
    if !std::path::Path::new(&go).exists() || cfg!(not(target_arch = "x86_64")) {
        eprintln!("skipped: no gc at {go} (or not the build machine's arch)");
        return;
    }
    let dir = std::env::temp_dir().join(format!("goclift-typeoffsets-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let src = dir.join("main.go");
    std::fs::write(&src, GC_OFFSETS_PROGRAM).unwrap();
    let out = std::process::Command::new(&go)
        .args(["run", src.to_str().unwrap()])
        .env("GO111MODULE", "off")
        .output()
        .expect("run gc");
    let _ = std::fs::remove_dir_all(&dir);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "gc run failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(stdout.trim(), "ok", "mismatches:\n{stdout}");
}

/// The program for gc_descriptor_offsets.
const GC_OFFSETS_PROGRAM: &str = r#"package main

import (
	"fmt"
	"reflect"
	"unsafe"
)

type eface struct{ t, d unsafe.Pointer }

func typ(x any) unsafe.Pointer { return (*eface)(unsafe.Pointer(&x)).t }
func at(p unsafe.Pointer, off uintptr) unsafe.Pointer { return unsafe.Add(p, off) }
func word(p unsafe.Pointer, off uintptr) unsafe.Pointer { return *(*unsafe.Pointer)(at(p, off)) }
func rt(t reflect.Type) unsafe.Pointer { return (*eface)(unsafe.Pointer(&t)).d }

type S struct {
	A int
	b string `tag:"x"`
}

type I interface{ M(); N() }
type T int

func (T) M() {}
func (T) N() {}

var bad []string

func check(what string, ok bool) {
	if !ok {
		bad = append(bad, what)
	}
}

func main() {
	m := typ(map[string]int8{})
	check("map key", word(m, 48) == typ(""))
	check("map elem", word(m, 56) == typ(int8(0)))
	check("map bucket size", uintptr(*(*uint16)(at(m, 82))) == *(*uintptr)(word(m, 64)))
	check("map keysize", *(*uint8)(at(m, 80)) == 16)
	check("map elemsize", *(*uint8)(at(m, 81)) == 1)
	check("map bucketsize", *(*uint16)(at(m, 82)) == 8+8*16+8*1+8)
	check("map flags", *(*uint32)(at(m, 84)) == 4|8)
	check("kind at 23", *(*uint8)(at(m, 23))&31 == 21)
	a := typ([3]int16{})
	check("array elem", word(a, 48) == typ(int16(0)))
	check("array slice", word(a, 56) == typ([]int16{}))
	check("array len", *(*uintptr)(at(a, 64)) == 3)
	c := typ(make(<-chan int))
	check("chan elem", word(c, 48) == typ(0))
	check("chan dir", *(*uintptr)(at(c, 56)) == 1)
	check("slice elem", word(typ([]bool{}), 48) == typ(false))
	check("ptr elem", word(typ(new(S)), 48) == typ(S{}))
	f := typ(func(int, string) bool { return false })
	check("func in", *(*uint16)(at(f, 48)) == 2)
	check("func out", *(*uint16)(at(f, 50)) == 1)
	check("func params", word(f, 56) == typ(0) && word(f, 64) == typ("") && word(f, 72) == typ(false))
	s := typ(S{})
	check("struct fields len", *(*int)(at(s, 64)) == 2)
	fields := word(s, 56)
	check("field 1 type", word(fields, 24+8) == typ(""))
	check("field 1 offset", *(*uintptr)(at(fields, 24+16)) == 8)
	n := (*byte)(word(fields, 24))
	check("field name flags", *n == 1<<1 && *(*byte)(at(unsafe.Pointer(n), 1)) == 1 && *(*byte)(at(unsafe.Pointer(n), 2)) == 'b')
	i := rt(reflect.TypeOf((*I)(nil)).Elem())
	check("iface methods len", *(*int)(at(i, 64)) == 2)
	u := at(typ(T(0)), 48)
	check("uncommon mcount", *(*uint16)(at(u, 4)) == 2)
	check("uncommon moff", *(*uint32)(at(u, 8)) == 16)
	check("tflag uncommon", *(*uint8)(at(typ(T(0)), 20))&1 == 1)
	if len(bad) == 0 {
		fmt.Println("ok")
	}
	for _, b := range bad {
		fmt.Println(b)
	}
}
"#;
