//! Tests of the slice functions. The expected capacities are what gc 1.19 reports for the same
//! appends: /tmp programs built with /usr/lib/go-1.19/bin/go that append one element at a time
//! to a nil slice of [N]byte-sized elements (printing each new cap()), and that append `add`
//! elements at once to `make([]T, from)`.

use super::*;
use crate::string::tests::test_g;
use core::ptr::null_mut;

/// (element size, elements appended one by one, every capacity gc's slices went through).
const GC_APPEND_ONE: &[(usize, usize, &[isize])] = &[
    (1, 20000, &[8, 16, 32, 64, 128, 256, 512, 896, 1408, 2048, 3072, 4096, 5376, 6912, 9472, 12288, 16384, 21760]),
    (2, 20000, &[4, 8, 16, 32, 64, 128, 256, 512, 896, 1344, 2048, 3072, 4096, 5440, 7168, 9216, 12288, 16384, 24576]),
    (3, 20000, &[2, 5, 10, 21, 42, 85, 170, 341, 682, 1066, 1621, 2261, 3157, 4522, 6144, 8192, 10922, 16384, 21845]),
    (4, 20000, &[2, 4, 8, 16, 32, 64, 128, 256, 512, 864, 1344, 2048, 3072, 4096, 5440, 7168, 10240, 14336, 18432, 24576]),
    (5, 20000, &[1, 3, 6, 12, 25, 51, 102, 204, 409, 819, 1228, 1894, 2713, 3686, 4915, 6553, 9830, 13107, 18022, 22937]),
    (12, 20000, &[1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 853, 1365, 2048, 3413, 4778, 6826, 8874, 11605, 15018, 19114, 24576]),
    (8, 20000, &[1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 848, 1280, 1792, 2560, 3408, 5120, 7168, 9216, 12288, 16384, 21504]),
    (16, 20000, &[1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 848, 1280, 1792, 2560, 3584, 5120, 6656, 8704, 11264, 14336, 18432, 23552]),
    (24, 20000, &[1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 853, 1365, 2048, 3072, 4096, 5461, 7168, 9216, 11946, 15360, 19456, 24576]),
    (32, 20000, &[1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 852, 1280, 1792, 2560, 3584, 4864, 6400, 8192, 10496, 13312, 16896, 21504]),
    (40, 20000, &[1, 2, 4, 8, 16, 32, 67, 134, 272, 544, 1024, 1638, 2252, 3072, 4096, 5324, 6963, 9011, 11468, 14540, 18432, 23347]),
    (72, 20000, &[1, 2, 4, 8, 16, 32, 67, 135, 284, 568, 910, 1365, 1934, 2616, 3527, 4664, 6030, 7736, 9898, 12629, 16042, 20252]),
    (100, 3000, &[1, 2, 4, 8, 17, 34, 69, 143, 286, 573, 983, 1474, 2048, 2785, 3686]),
    (1000, 300, &[1, 2, 4, 8, 16, 32, 65, 131, 262, 524]),
    (5000, 100, &[1, 2, 4, 8, 16, 32, 65, 131]),
];

/// (element size, from, add, gc's cap(append(make([]T, from), make([]T, add)...))).
const GC_APPEND_MANY: &[(usize, isize, isize, isize)] = &[
    (1, 0, 1, 8),
    (3, 0, 1, 2),
    (8, 0, 1, 1),
    (24, 0, 1, 1),
    (13, 0, 1, 1),
    (1, 0, 5, 8),
    (3, 0, 5, 5),
    (8, 0, 5, 6),
    (24, 0, 5, 5),
    (13, 0, 5, 6),
    (1, 0, 33, 48),
    (3, 0, 33, 37),
    (8, 0, 33, 36),
    (24, 0, 33, 37),
    (13, 0, 33, 34),
    (1, 3, 1, 8),
    (3, 3, 1, 8),
    (8, 3, 1, 6),
    (24, 3, 1, 6),
    (13, 3, 1, 6),
    (1, 3, 4, 8),
    (3, 3, 4, 8),
    (8, 3, 4, 8),
    (24, 3, 4, 7),
    (13, 3, 4, 7),
    (1, 3, 7, 16),
    (3, 3, 7, 10),
    (8, 3, 7, 10),
    (24, 3, 7, 10),
    (13, 3, 7, 11),
    (1, 3, 100, 112),
    (3, 3, 100, 106),
    (8, 3, 100, 112),
    (24, 3, 100, 112),
    (13, 3, 100, 108),
    (1, 256, 1, 512),
    (3, 256, 1, 512),
    (8, 256, 1, 512),
    (24, 256, 1, 512),
    (13, 256, 1, 521),
    (1, 256, 300, 576),
    (3, 256, 300, 597),
    (8, 256, 300, 608),
    (24, 256, 300, 565),
    (13, 256, 300, 630),
    (1, 256, 1000, 1280),
    (3, 256, 1000, 1365),
    (8, 256, 1000, 1280),
    (24, 256, 1000, 1365),
    (13, 256, 1000, 1260),
    (1, 1000, 1, 1536),
    (3, 1000, 1, 1621),
    (8, 1000, 1, 1536),
    (24, 1000, 1, 1706),
    (13, 1000, 1, 1467),
    (1, 1000, 2000, 3072),
    (3, 1000, 2000, 3157),
    (8, 1000, 2000, 3072),
    (24, 1000, 2000, 3072),
    (13, 1000, 2000, 3150),
    (1, 5000, 1, 6528),
    (3, 5000, 1, 6826),
    (8, 5000, 1, 7168),
    (24, 5000, 1, 6485),
    (13, 5000, 1, 6931),
    (1, 100000, 1, 131072),
    (3, 100000, 1, 125610),
    (8, 100000, 1, 125952),
    (24, 100000, 1, 125269),
    (13, 100000, 1, 125400),
];

/// A type descriptor of `size` bytes, with pointers in its first word if `pointers`.
fn ty(size: usize, pointers: bool) -> Type {
    Type {
        size,
        ptrdata: if pointers { 8 } else { 0 },
        hash: 0,
        tflag: 0,
        align: 8,
        field_align: 8,
        kind: 17,
        equal: None,
        gcdata: core::ptr::null(),
        str_: 0,
        ptr_to_this: 0,
    }
}

#[test]
fn appending_one_at_a_time_goes_through_gcs_capacities() {
    for &(size, n, want) in GC_APPEND_ONE {
        let (mut len, mut cap) = (0isize, 0isize);
        let mut caps = Vec::new();
        for _ in 0..n {
            if len + 1 > cap {
                let g = grow(size, len, cap, len + 1);
                assert!(!g.overflow);
                assert_eq!(g.capmem, roundupsize(g.capmem), "whole size class");
                cap = g.newcap;
                caps.push(cap);
            }
            len += 1;
        }
        assert_eq!(caps, want, "element size {size}");
    }
}

#[test]
fn appending_many_at_once_matches_gc() {
    for &(size, from, add, want) in GC_APPEND_MANY {
        let g = grow(size, from, from, from + add);
        assert_eq!(g.newcap, want, "size {size}, from {from}, add {add}");
        assert_eq!(g.lenmem, from as usize * size);
        assert_eq!(g.newlenmem, (from + add) as usize * size);
    }
}

#[test]
fn the_growth_rule_is_gcs() {
    assert_eq!(next_capacity(0, 1), 1);
    assert_eq!(next_capacity(100, 101), 200, "double below 256");
    assert_eq!(next_capacity(255, 256), 510);
    assert_eq!(next_capacity(256, 257), 512, "256 + (256 + 768) / 4");
    assert_eq!(next_capacity(1024, 1025), 1024 + (1024 + 768) / 4);
    assert_eq!(next_capacity(1000, 5000), 5000, "more than double: what is needed");
    assert_eq!(next_capacity(isize::MAX / 2 + 1, isize::MAX / 2 + 2), isize::MAX / 2 + 2, "overflow");
}

#[test]
fn growslice_copies_the_elements_and_zeroes_what_gc_zeroes() {
    let gp = test_g();
    for pointers in [false, true] {
        let t = ty(8, pointers);
        let old: Vec<u64> = (1..=5).collect();
        let s = Slice {
            ptr: old.as_ptr() as *mut u8,
            len: 5,
            cap: 5,
        };
        let mut out = Slice {
            ptr: null_mut(),
            len: 0,
            cap: 0,
        };
        let args = [&mut out as *mut Slice as usize, &t as *const Type as usize, s.ptr as usize, 5, 5, 7];
        // SAFETY: gp's M owns its heap; the arguments describe live memory.
        unsafe {
            growslice_spilled(args.as_ptr(), gp);
            assert_eq!((out.len, out.cap), (5, 10));
            let all = core::slice::from_raw_parts(out.ptr as *const u64, 10);
            assert_eq!(&all[..5], &old[..]);
            // Pointerful arrays are zeroed entirely; pointer-free ones beyond the new length
            // (the caller overwrites the appended elements).
            let zero_from = if pointers { 5 } else { 7 };
            assert!(all[zero_from..].iter().all(|&v| v == 0), "pointers: {pointers}");
        }
    }
}

#[test]
fn growslice_of_zero_size_elements_uses_zerobase() {
    let gp = test_g();
    let t = ty(0, false);
    let s = Slice {
        ptr: null_mut(),
        len: 3,
        cap: 3,
    };
    // SAFETY: as above.
    let r = unsafe { growslice(&t, s, 10, gp) };
    assert_eq!(r.ptr as usize, &raw const crate::malloc::ZEROBASE as usize);
    assert_eq!((r.len, r.cap), (3, 10));
}

#[test]
#[should_panic(expected = "runtime error: growslice: cap out of range")]
fn growslice_refuses_to_shrink() {
    let gp = test_g();
    let t = ty(8, false);
    let s = Slice {
        ptr: null_mut(),
        len: 3,
        cap: 3,
    };
    // SAFETY: the check comes before any access.
    unsafe { growslice(&t, s, 2, gp) };
}

#[test]
#[should_panic(expected = "runtime error: growslice: cap out of range")]
fn growslice_refuses_impossible_sizes() {
    let gp = test_g();
    let t = ty(24, false);
    let s = Slice {
        ptr: null_mut(),
        len: 0,
        cap: 0,
    };
    // SAFETY: the check comes before any access.
    unsafe { growslice(&t, s, isize::MAX / 16, gp) };
}

#[test]
fn makeslice_allocates_zeroed_typed_memory() {
    let gp = test_g();
    for pointers in [false, true] {
        let t = ty(24, pointers);
        // SAFETY: as above.
        unsafe {
            let p = makeslice_from_go(&t, 3, 10, gp);
            let all = core::slice::from_raw_parts(p, 240);
            assert!(all.iter().all(|&b| b == 0));
            let p = makeslice64_from_go(&t, 0, 0, gp);
            assert_eq!(p as usize, &raw const crate::malloc::ZEROBASE as usize);
        }
    }
}

fn makeslice_message(size: usize, len: isize, cap: isize) -> String {
    let gp = test_g();
    let t = ty(size, false);
    let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        // SAFETY: as above.
        unsafe { makeslice(&t, len, cap, gp) };
    }));
    match r {
        Ok(()) => "ok".into(),
        Err(e) => e.downcast_ref::<String>().cloned().unwrap_or_default(),
    }
}

#[test]
fn makeslice_checks_in_gcs_order() {
    let len = "runtime error: makeslice: len out of range";
    let cap = "runtime error: makeslice: cap out of range";
    assert_eq!(makeslice_message(8, -1, 5), len);
    assert_eq!(makeslice_message(8, -1, -1), len);
    assert_eq!(makeslice_message(8, 6, 5), cap);
    assert_eq!(makeslice_message(8, 1, -1), cap);
    assert_eq!(makeslice_message(8, (1 << 62) + 1, (1 << 62) + 1), len, "len * size overflows");
    assert_eq!(makeslice_message(8, 1, 1 << 46), cap, "cap beyond maxAlloc");
    assert_eq!(makeslice_message(1, (1 << 48) + 1, (1 << 48) + 1), len, "beyond maxAlloc");
}

#[test]
fn makeslicecopy_copies_the_prefix_and_zeroes_the_rest() {
    let gp = test_g();
    let from: Vec<u32> = (1..=6).collect();
    for pointers in [false, true] {
        let t = ty(4, pointers);
        // SAFETY: as above; from holds 6 elements.
        unsafe {
            let p = makeslicecopy_from_go(&t, 10, 6, from.as_ptr() as *const u8, gp);
            let all = core::slice::from_raw_parts(p as *const u32, 10);
            assert_eq!(all, &[1, 2, 3, 4, 5, 6, 0, 0, 0, 0]);
            let p = makeslicecopy(&t, 4, 6, from.as_ptr() as *const u8, gp);
            assert_eq!(core::slice::from_raw_parts(p as *const u32, 4), &[1, 2, 3, 4]);
        }
    }
}

#[test]
fn slicecopy_copies_the_shorter_length_even_when_overlapping() {
    let mut v: Vec<u8> = (0..10).collect();
    let p = v.as_mut_ptr();
    // SAFETY: every range lies inside v.
    unsafe {
        assert_eq!(slicecopy_export(p.add(2), 8, p, 10, 1), 8, "forward overlap");
        assert_eq!(v, [0, 1, 0, 1, 2, 3, 4, 5, 6, 7]);
        let p = v.as_mut_ptr();
        assert_eq!(slicecopy_export(p, 10, p.add(3), 7, 1), 7, "backward overlap");
        assert_eq!(v, [1, 2, 3, 4, 5, 6, 7, 5, 6, 7]);
        let p = v.as_mut_ptr();
        assert_eq!(slicecopy_export(p, 1, p.add(9), 1, 1), 1, "one byte");
        assert_eq!(v[0], 7);
        assert_eq!(slicecopy_export(p, 0, p, 5, 1), 0);
        assert_eq!(slicecopy_export(p, 5, p, 0, 1), 0);
        assert_eq!(slicecopy_export(null_mut(), 5, core::ptr::null(), 3, 0), 3, "zero width");
    }
    let mut w = [0u64; 4];
    let src = [7u64, 8, 9];
    // SAFETY: sizes as given.
    unsafe {
        assert_eq!(slicecopy(w.as_mut_ptr() as *mut u8, 4, src.as_ptr() as *const u8, 3, 8), 3);
    }
    assert_eq!(w, [7, 8, 9, 0]);
}

#[test]
fn typedslicecopy_copies_pointerful_elements() {
    let t = ty(16, true);
    let mut dst = [0u64; 6];
    let src = [1u64, 2, 3, 4];
    // SAFETY: sizes as given (3 and 2 elements of 16 bytes).
    unsafe {
        let n = typedslicecopy_from_go(&t, dst.as_mut_ptr() as *mut u8, 3, src.as_ptr() as *const u8, 2, null_mut());
        assert_eq!(n, 2);
        assert_eq!(typedslicecopy(&t, dst.as_mut_ptr() as *mut u8, 0, src.as_ptr() as *const u8, 2), 0);
    }
    assert_eq!(dst, [1, 2, 3, 4, 0, 0]);
}

fn unsafeslice_message(size: usize, ptr: usize, len: i64) -> String {
    let t = ty(size, false);
    let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        // SAFETY: only checks, no access.
        unsafe { unsafeslice64(&t, ptr as *const u8, len, null_mut()) };
    }));
    match r {
        Ok(()) => "ok".into(),
        Err(e) => e.downcast_ref::<String>().cloned().unwrap_or_default(),
    }
}

#[test]
fn unsafe_slice_checks_match_gc() {
    let len = "runtime error: unsafe.Slice: len out of range";
    let nil = "runtime error: unsafe.Slice: ptr is nil and len is not zero";
    assert_eq!(unsafeslice_message(8, 0, 0), "ok");
    assert_eq!(unsafeslice_message(8, 0x1000, 10), "ok");
    assert_eq!(unsafeslice_message(8, 0, 1), nil);
    assert_eq!(unsafeslice_message(8, 0x1000, -1), len);
    assert_eq!(unsafeslice_message(8, 0, -1), len, "negative len first");
    assert_eq!(unsafeslice_message(8, usize::MAX - 15, 2), "ok", "up to the end of memory");
    assert_eq!(unsafeslice_message(8, usize::MAX - 15, 3), len, "wraps around");
    assert_eq!(unsafeslice_message(8, 0x1000, 1 << 61), len, "len * size overflows");
    assert_eq!(unsafeslice_message(0, 0, 1 << 40), "ok", "zero-size elements");
}
