//! Tests of itabs, the itab table, type assertions and their panic messages.

use super::*;
use crate::r#type::tests::{
    basic, func_type, header, interface, name, name_full, named_with_methods, put,
};
use crate::r#type::{TypeOff, KIND_INT, KIND_STRING};

/// The descriptors of one test "package": interface I { M(); N() }, T with M and N, S with M
/// only, and int (no methods).
struct Pkg {
    i: &'static InterfaceType,
    t: &'static Type,
    s: &'static Type,
    int: &'static Type,
}

fn pkg(prefix: &str) -> Pkg {
    let fm: TypeOff = func_type("func()");
    let fn_: TypeOff = func_type("func() int");
    let (m, n) = (name("M"), name("N"));
    let i = interface(
        format!("{prefix}.I").as_bytes(),
        name(prefix),
        &[(m, fm), (n, fn_)],
    );
    let t = named_with_methods(
        header(8, 8, KIND_INT, 0, None, ""),
        &format!("{prefix}.T"),
        prefix,
        &[(m, fm, 0x1000), (n, fn_, 0x2000)],
    )
    .0;
    let s = named_with_methods(
        header(8, 8, KIND_INT, 0, None, ""),
        &format!("{prefix}.S"),
        prefix,
        &[(m, fm, 0x3000)],
    )
    .0;
    let int = basic(header(8, 8, KIND_INT, 0, None, "int"));
    Pkg { i, t, s, int }
}

fn message(f: impl FnOnce() + std::panic::UnwindSafe) -> String {
    let err = std::panic::catch_unwind(f).expect_err("should panic");
    err.downcast_ref::<String>().cloned().unwrap_or_default()
}

#[test]
fn getitab_fills_methods_in_interface_order_and_caches() {
    let p = pkg("main");
    unsafe {
        let m = getitab(p.i, p.t, false);
        assert_eq!((*m).inter, p.i as *const InterfaceType);
        assert_eq!((*m).typ, p.t as *const Type);
        let fun = core::slice::from_raw_parts((*m).fun.as_ptr(), 2);
        assert_eq!(fun, &[0x1000, 0x2000]);
        assert_eq!(getitab(p.i, p.t, false), m, "cached");
        assert_eq!(core::mem::offset_of!(Itab, fun), ITAB_FUN_OFFSET);
    }
}

#[test]
fn missing_methods_fail_or_panic_with_gcs_message() {
    let p = pkg("main");
    unsafe {
        assert!(getitab(p.i, p.s, true).is_null());
        // Again, now from the cached negative entry.
        assert!(getitab(p.i, p.s, true).is_null());
        let (i, s, int) = (
            p.i as *const InterfaceType as usize,
            p.s as *const Type as usize,
            p.int as *const Type as usize,
        );
        let msg = message(move || {
            getitab(i as *const InterfaceType, s as *const Type, false);
        });
        assert_eq!(
            msg,
            "interface conversion: main.S is not main.I: missing method N"
        );
        let msg = message(move || {
            getitab(i as *const InterfaceType, int as *const Type, false);
        });
        assert_eq!(
            msg,
            "interface conversion: int is not main.I: missing method M"
        );
        assert_eq!(
            assert_e2i2(p.i, p.s, 8 as *const u8),
            Iface {
                tab: null_mut(),
                data: core::ptr::null()
            }
        );
        let ok = assert_e2i2(p.i, p.t, 8 as *const u8);
        assert_eq!(ok.data, 8 as *const u8);
        assert_eq!((*ok.tab).typ, p.t as *const Type);
    }
}

#[test]
fn unexported_methods_match_only_within_their_package() {
    // package a: interface { m() }; package b: type B with method m (unexported).
    let fm = func_type("func()");
    let pa = name("a");
    let ia = interface(b"a.I", pa, &[(name_full(b"m", false, b"", 0, false), fm)]);
    let (tb, _) = named_with_methods(
        header(8, 8, KIND_INT, 0, None, ""),
        "b.B",
        "b",
        &[(name("m"), fm, 0x10)],
    );
    let (ta, _) = named_with_methods(
        header(8, 8, KIND_INT, 0, None, ""),
        "a.A",
        "a",
        &[(name("m"), fm, 0x20)],
    );
    unsafe {
        assert!(getitab(ia, tb, true).is_null());
        let m = getitab(ia, ta, true);
        assert!(!m.is_null());
        assert_eq!((*m).fun[0], 0x20);
    }
}

#[test]
fn assertions_between_interfaces() {
    let p = pkg("main");
    unsafe {
        let m = assert_e2i(p.i, p.t);
        assert_eq!(assert_i2i(p.i, m), m, "same interface: same itab");
        assert_eq!(conv_i2i(p.i, m), m);
        assert!(conv_i2i(p.i, null_mut()).is_null());
        assert_eq!(
            assert_i2i2(p.i, m, 16 as *const u8),
            Iface {
                tab: m,
                data: 16 as *const u8
            }
        );
        assert_eq!(
            assert_i2i2(p.i, null_mut(), 16 as *const u8).tab,
            null_mut()
        );
        // Another interface with a subset of the methods: J { M() }.
        let j = interface(
            b"main.J",
            name("main"),
            &[(name("M"), resolve_type_off_of(p.i, 0))],
        );
        let mj = assert_i2i(j, m);
        assert_eq!((*mj).inter, j as *const InterfaceType);
        assert_eq!((*mj).fun[0], 0x1000);
        let s_in_j = assert_e2i(j, p.s);
        assert_eq!(
            assert_i2i2(p.i, s_in_j, 16 as *const u8).tab,
            null_mut(),
            "S lacks N"
        );
    }
}

/// The typeOff of method k of interface `i`.
fn resolve_type_off_of(i: &InterfaceType, k: usize) -> TypeOff {
    i.mhdr.as_slice()[k].ityp
}

#[test]
fn nil_interface_assertions_panic_with_gcs_message() {
    let p = pkg("main");
    let i = p.i as *const InterfaceType as usize;
    let msg = message(move || unsafe {
        assert_e2i(i as *const InterfaceType, core::ptr::null());
    });
    assert_eq!(msg, "interface conversion: interface is nil, not main.I");
    let msg = message(move || unsafe {
        assert_i2i(i as *const InterfaceType, null_mut());
    });
    assert_eq!(msg, "interface conversion: interface is nil, not main.I");
    let msg = message(move || unsafe { panicnildottype(&(*(i as *const InterfaceType)).typ) });
    assert_eq!(msg, "interface conversion: interface is nil, not main.I");
}

#[test]
fn dottype_panics_name_the_types_as_gc() {
    let p = pkg("main");
    let e = &crate::r#type::tests::empty_interface().typ as *const Type as usize;
    let string = basic(header(16, 8, KIND_STRING, 8, None, "string")) as *const Type as usize;
    let int = p.int as *const Type as usize;
    let msg = message(move || unsafe {
        panicdottype_e(string as *const Type, int as *const Type, e as *const Type)
    });
    assert_eq!(msg, "interface conversion: interface {} is string, not int");
    let (i, s, t) = (
        &p.i.typ as *const Type as usize,
        p.s as *const Type as usize,
        p.t as *const Type as usize,
    );
    let msg =
        message(move || unsafe { panicdottype_i(null_mut(), s as *const Type, i as *const Type) });
    assert_eq!(msg, "interface conversion: main.I is nil, not main.S");
    let itab = unsafe { getitab(p.i, p.t, false) } as usize;
    let msg = message(move || unsafe {
        panicdottype_i(itab as *const Itab, s as *const Type, i as *const Type)
    });
    assert_eq!(msg, "interface conversion: main.I is main.T, not main.S");
    // Same spelling, different packages.
    let q = pkg("main2");
    let other = named_with_methods(
        header(8, 8, KIND_INT, 0, None, ""),
        "main.T",
        "other/main",
        &[],
    )
    .0 as *const Type as usize;
    let _ = q;
    let msg = message(move || unsafe {
        panicdottype_e(other as *const Type, t as *const Type, e as *const Type)
    });
    assert_eq!(
        msg,
        "interface conversion: interface {} is main.T, not main.T (types from different packages)"
    );
    let local = named_with_methods(header(8, 8, KIND_INT, 0, None, ""), "main.T", "main", &[]).0
        as *const Type as usize;
    let msg = message(move || unsafe {
        panicdottype_e(local as *const Type, t as *const Type, e as *const Type)
    });
    assert_eq!(
        msg,
        "interface conversion: interface {} is main.T, not main.T (types from different scopes)"
    );
}

#[test]
fn the_table_grows_and_keeps_every_itab() {
    let p = pkg("grow");
    let fm = resolve_type_off_of(p.i, 0);
    let fn_ = resolve_type_off_of(p.i, 1);
    let (m, n) = (p.i.mhdr.as_slice()[0].name, p.i.mhdr.as_slice()[1].name);
    let types: Vec<&'static Type> = (0..700)
        .map(|k| {
            named_with_methods(
                header(8, 8, KIND_INT, 0, None, ""),
                &format!("grow.T{k}"),
                "grow",
                &[(m, fm, 0x100 + k), (n, fn_, 0x101 + k)],
            )
            .0
        })
        .collect();
    let itabs: Vec<*mut Itab> = types
        .iter()
        .map(|t| unsafe { getitab(p.i, *t, false) })
        .collect();
    unsafe {
        assert!((*ITAB_TABLE.load(Acquire)).size >= 1024, "the table grew");
        for (k, t) in types.iter().enumerate() {
            assert_eq!(getitab(p.i, *t, false), itabs[k]);
            assert_eq!((*itabs[k]).fun[0], 0x100 + k);
        }
    }
}

#[test]
fn static_itabs_are_found_instead_of_new_ones() {
    let p = pkg("static");
    let (stat, _) = put(Itab::new(p.i, p.t, p.t.hash, 0x777));
    unsafe {
        ITAB_LOCK.lock();
        itabsinit();
        add_static_itabs(&[stat as *mut Itab]);
        ITAB_LOCK.unlock();
        assert_eq!(getitab(p.i, p.t, false), stat as *mut Itab);
    }
}
