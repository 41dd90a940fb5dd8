//! Tests of the hash and equality functions.

use super::*;
use crate::r#type::tests::{basic, empty_interface, header, name, put};
use crate::r#type::{
    SliceHeader, StructField, KIND_DIRECT_IFACE, KIND_INT, KIND_PTR, KIND_SLICE,
    TFLAG_REGULAR_MEMORY,
};

fn h64(x: u64, seed: usize) -> usize {
    unsafe { memhash64(&x as *const u64 as *const u8, seed) }
}

fn hbytes(b: &[u8], seed: usize) -> usize {
    unsafe { memhash(b.as_ptr(), seed, b.len()) }
}

fn go_str(s: &[u8]) -> GoString {
    GoString {
        ptr: s.as_ptr(),
        len: s.len(),
    }
}

#[test]
fn fixed_size_hashes_agree_with_memhash() {
    // gc's typehash relies on memhash32/64 matching memhash of 4/8 bytes.
    for x in [0u64, 1, 0xdead_beef, u64::MAX, 1 << 63] {
        for seed in [0, 1, 12345] {
            assert_eq!(h64(x, seed), hbytes(&x.to_le_bytes(), seed));
            let y = x as u32;
            assert_eq!(
                unsafe { memhash32(&y as *const u32 as *const u8, seed) },
                hbytes(&y.to_le_bytes(), seed)
            );
        }
    }
    let v = [7u8; 16];
    assert_eq!(unsafe { memhash128(v.as_ptr(), 3) }, hbytes(&v, 3));
    assert_eq!(unsafe { memhash8(v.as_ptr(), 3) }, hbytes(&v[..1], 3));
    assert_eq!(unsafe { memhash16(v.as_ptr(), 3) }, hbytes(&v[..2], 3));
    assert_eq!(unsafe { memhash0(v.as_ptr(), 3) }, 3);
}

#[test]
fn memhash_depends_on_every_byte_length_and_seed() {
    let data: Vec<u8> = (0..200u32).map(|i| (i * 7 + 3) as u8).collect();
    let mut seen = std::collections::HashSet::new();
    for n in 0..=data.len() {
        assert!(seen.insert(hbytes(&data[..n], 0)), "length {n} collides");
        let mut d = data[..n].to_vec();
        for i in 0..n {
            d[i] ^= 1;
            assert_ne!(
                hbytes(&d, 0),
                hbytes(&data[..n], 0),
                "byte {i} of {n} ignored"
            );
            d[i] ^= 1;
        }
    }
    assert_ne!(hbytes(b"abc", 1), hbytes(b"abc", 2));
}

#[test]
fn hash_bits_are_well_spread() {
    // Top bytes (tophash) and low bits (bucket index) of consecutive integers' hashes.
    let n = 1 << 16;
    let mut top = [0u32; 256];
    let mut low = [0u32; 256];
    for i in 0..n {
        let h = h64(i, 0);
        top[h >> 56] += 1;
        low[h & 255] += 1;
    }
    let expect = n as u32 / 256;
    for c in top.iter().chain(low.iter()) {
        assert!(
            *c > expect / 2 && *c < expect * 2,
            "skewed: {c} vs {expect}"
        );
    }
}

#[test]
fn strhash_hashes_the_bytes() {
    let s = b"hello, world";
    let g = go_str(s);
    assert_eq!(
        unsafe { strhash(&g as *const GoString as *const u8, 9) },
        hbytes(s, 9)
    );
    let other = s.to_vec();
    let g2 = go_str(&other);
    assert!(unsafe { strequal(&g as *const _ as *const u8, &g2 as *const _ as *const u8) });
    let g3 = go_str(b"hello");
    assert!(!unsafe { strequal(&g as *const _ as *const u8, &g3 as *const _ as *const u8) });
}

#[test]
fn float_hashes_equate_zeros_and_randomise_nans() {
    let (pz, nz, nan) = (0.0f64, -0.0f64, f64::NAN);
    let f = |x: &f64| unsafe { f64hash(x as *const f64 as *const u8, 5) };
    assert_eq!(f(&pz), f(&nz));
    assert_ne!(f(&nan), f(&nan), "NaN hashes must be random");
    assert_eq!(f(&1.5), hbytes(&1.5f64.to_le_bytes(), 5));
    let g = |x: &f32| unsafe { f32hash(x as *const f32 as *const u8, 5) };
    assert_eq!(g(&0.0), g(&-0.0));
    assert_ne!(g(&f32::NAN), g(&f32::NAN));
    let c = [0.0f64, -0.0];
    let d = [-0.0f64, 0.0];
    assert_eq!(unsafe { c128hash(c.as_ptr() as *const u8, 1) }, unsafe {
        c128hash(d.as_ptr() as *const u8, 1)
    });
    let c = [0.0f32, 2.0];
    let d = [-0.0f32, 2.0];
    assert_eq!(unsafe { c64hash(c.as_ptr() as *const u8, 1) }, unsafe {
        c64hash(d.as_ptr() as *const u8, 1)
    });
}

#[test]
fn equality_functions_follow_go() {
    unsafe {
        let (a, b) = (0.0f64, -0.0f64);
        assert!(f64equal(
            &a as *const f64 as *const u8,
            &b as *const f64 as *const u8
        ));
        let n = f64::NAN;
        assert!(!f64equal(
            &n as *const f64 as *const u8,
            &n as *const f64 as *const u8
        ));
        let (x, y) = (f32::NAN, f32::NAN);
        assert!(!f32equal(
            &x as *const f32 as *const u8,
            &y as *const f32 as *const u8
        ));
        let c1 = [1.0f32, -0.0];
        let c2 = [1.0f32, 0.0];
        assert!(c64equal(c1.as_ptr() as *const u8, c2.as_ptr() as *const u8));
        let c3 = [1.0f64, f64::NAN];
        assert!(!c128equal(
            c3.as_ptr() as *const u8,
            c3.as_ptr() as *const u8
        ));
        let p = [1u8, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17];
        let mut q = p;
        for (f, n) in [
            (
                memequal8 as unsafe extern "C" fn(*const u8, *const u8) -> bool,
                1,
            ),
            (memequal16, 2),
            (memequal32, 4),
            (memequal64, 8),
            (memequal128, 16),
        ] {
            assert!(f(p.as_ptr(), q.as_ptr()));
            q[n - 1] ^= 0x80;
            assert!(!f(p.as_ptr(), q.as_ptr()), "size {n} misses its last byte");
            assert!(memequal(p.as_ptr(), q.as_ptr(), n - 1));
            assert!(!memequal(p.as_ptr(), q.as_ptr(), n));
            q[n - 1] ^= 0x80;
        }
        assert!(memequal0(p.as_ptr(), q.as_ptr()));
    }
}

/// `[]int`: not comparable.
fn slice_type() -> &'static Type {
    basic(header(24, 8, KIND_SLICE, 8, None, "[]int"))
}

/// `int`: plain memory.
fn int_type() -> &'static Type {
    let mut t = header(8, 8, KIND_INT, 0, Some(memequal64), "int");
    t.tflag |= TFLAG_REGULAR_MEMORY;
    basic(t)
}

#[test]
#[should_panic(expected = "runtime error: hash of unhashable type []int")]
fn hashing_an_interface_holding_a_slice_panics() {
    let s = [0usize; 3];
    let e = [
        slice_type() as *const Type as *const u8,
        s.as_ptr() as *const u8,
    ];
    unsafe { nilinterhash_value(e.as_ptr() as *const u8, 0) };
}

#[test]
#[should_panic(expected = "runtime error: comparing uncomparable type []int")]
fn comparing_interfaces_holding_slices_panics() {
    let s = [0usize; 3];
    let e = [
        slice_type() as *const Type as *const u8,
        s.as_ptr() as *const u8,
    ];
    unsafe {
        nilinterequal_value(
            e.as_ptr() as *const u8,
            e.as_ptr() as *const u8,
            core::ptr::null_mut(),
        )
    };
}

#[test]
fn interface_hash_and_equality_use_the_dynamic_type() {
    let int = int_type();
    let (a, b, c) = (5usize, 5usize, 6usize);
    let ea = [
        int as *const Type as *const u8,
        &a as *const usize as *const u8,
    ];
    let eb = [
        int as *const Type as *const u8,
        &b as *const usize as *const u8,
    ];
    let ec = [
        int as *const Type as *const u8,
        &c as *const usize as *const u8,
    ];
    let nil = [core::ptr::null::<u8>(); 2];
    unsafe {
        let h = |e: &[*const u8; 2]| nilinterhash_value(e.as_ptr() as *const u8, 77);
        assert_eq!(h(&ea), h(&eb));
        assert_ne!(h(&ea), h(&ec));
        assert_eq!(h(&nil), 77);
        let eq = |x: &[*const u8; 2], y: &[*const u8; 2]| {
            nilinterequal_value(
                x.as_ptr() as *const u8,
                y.as_ptr() as *const u8,
                core::ptr::null_mut(),
            )
        };
        assert!(eq(&ea, &eb));
        assert!(!eq(&ea, &ec));
        assert!(eq(&nil, &nil));
        assert!(!eq(&ea, &nil));
        // Direct-interface types compare their data words.
        let mut p = header(
            8,
            8,
            KIND_PTR | KIND_DIRECT_IFACE,
            8,
            Some(memequal64),
            "*int",
        );
        p.tflag |= TFLAG_REGULAR_MEMORY;
        let p = basic(p);
        assert!(efaceeq_value(
            p,
            &a as *const usize as *const u8,
            &a as *const usize as *const u8,
            core::ptr::null_mut()
        ));
        assert!(!efaceeq_value(
            p,
            &a as *const usize as *const u8,
            &b as *const usize as *const u8,
            core::ptr::null_mut()
        ));
        // The empty interface type itself, hashed through typehash.
        let ei = &empty_interface().typ;
        assert_eq!(
            typehash(ei, ea.as_ptr() as *const u8, 1),
            typehash(ei, eb.as_ptr() as *const u8, 1)
        );
    }
}

#[test]
fn struct_hash_skips_blank_fields_and_hashes_floats_by_value() {
    // struct { x float64; _ int; s string }
    let f64t = basic(header(
        8,
        8,
        crate::r#type::KIND_FLOAT64,
        0,
        Some(f64equal),
        "float64",
    ));
    let strt = basic(header(16, 8, KIND_STRING, 8, Some(strequal), "string"));
    let int = int_type();
    let fields = [
        StructField {
            name: crate::r#type::tests::name_at(name("x")),
            typ: f64t,
            offset: 0,
        },
        StructField {
            name: crate::r#type::tests::name_at(name("_")),
            typ: int,
            offset: 8,
        },
        StructField {
            name: crate::r#type::tests::name_at(name("s")),
            typ: strt,
            offset: 16,
        },
    ];
    let (fp, _) = put(fields);
    let st = put(crate::r#type::StructType {
        typ: header(
            32,
            8,
            KIND_STRUCT,
            24,
            None,
            "struct { x float64; _ int; s string }",
        ),
        pkg_path: crate::r#type::Name::null(),
        fields: SliceHeader {
            ptr: fp.as_ptr(),
            len: 3,
            cap: 3,
        },
    })
    .0;
    #[repr(C)]
    struct V {
        x: f64,
        blank: usize,
        s: GoString,
    }
    let text = b"abc".to_vec();
    let a = V {
        x: 0.0,
        blank: 1,
        s: go_str(b"abc"),
    };
    let b = V {
        x: -0.0,
        blank: 2,
        s: go_str(&text),
    };
    let c = V {
        x: 0.0,
        blank: 1,
        s: go_str(b"abd"),
    };
    let h = |v: &V| unsafe { typehash(&st.typ, v as *const V as *const u8, 3) };
    assert_eq!(h(&a), h(&b));
    assert_ne!(h(&a), h(&c));
}

/// Returns whether the g register holds the first argument: proves call_equal sets it.
#[unsafe(naked)]
unsafe extern "C" fn g_register_is_first_arg(_p: *const u8, _q: *const u8) -> bool {
    #[cfg(target_arch = "x86_64")]
    core::arch::naked_asm!("xor eax, eax", "cmp r15, rdi", "sete al", "ret");
    #[cfg(target_arch = "aarch64")]
    core::arch::naked_asm!("cmp x21, x0", "cset w0, eq", "ret");
}

/// Returns the g register (as a hash function).
#[unsafe(naked)]
unsafe extern "C" fn g_register(_p: *const u8, _seed: usize) -> usize {
    #[cfg(target_arch = "x86_64")]
    core::arch::naked_asm!("mov rax, r15", "ret");
    #[cfg(target_arch = "aarch64")]
    core::arch::naked_asm!("mov x0, x21", "ret");
}

#[test]
fn descriptor_functions_are_called_with_g_in_the_g_register() {
    let fake_g = 0x1234_5670usize as *mut G;
    unsafe {
        assert!(call_equal(
            g_register_is_first_arg,
            fake_g as *const u8,
            core::ptr::null(),
            fake_g
        ));
        assert!(!call_equal(
            g_register_is_first_arg,
            8 as *const u8,
            core::ptr::null(),
            fake_g
        ));
        assert_eq!(
            call_hasher(g_register, core::ptr::null(), 0, fake_g),
            fake_g as usize
        );
        let x = 42u64;
        assert_eq!(
            call_hasher(memhash64, &x as *const u64 as *const u8, 9, fake_g),
            h64(42, 9)
        );
    }
}

#[test]
fn the_hash_key_is_odd_and_stable() {
    let k = hashkey();
    assert_eq!(k & 1, 1);
    assert_eq!(hashkey(), k);
}
