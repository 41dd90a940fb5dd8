//! Tests of the string functions, allocating from a private heap through a G -> M -> P ->
//! mcache chain as compiled code does (see malloc_test.rs). Expected capacities and strings are
//! what gc 1.19 produces for the same conversions.

use super::*;
use crate::mheap::MHeap;
use crate::runtime2::P;

/// A goroutine record whose M allocates from a fresh heap of its own (leaked, as heaps are).
pub(crate) fn test_g() -> *mut G {
    let h: &'static MHeap = Box::leak(Box::new(MHeap::new()));
    h.init();
    let p = Box::leak(Box::new(P {
        mcache: h.alloc_mcache(),
        ..P::zeroed()
    }));
    let m = Box::leak(Box::new(M {
        p,
        ..M::zeroed()
    }));
    Box::leak(Box::new(G {
        m,
        ..G::default()
    }))
}

fn s(b: &[u8]) -> GoString {
    GoString {
        ptr: b.as_ptr(),
        len: b.len() as isize,
    }
}

fn text(g: GoString) -> Vec<u8> {
    // SAFETY: the tests only build valid strings.
    unsafe { g.as_bytes().to_vec() }
}

#[test]
fn concatenation_joins_the_operands() {
    let gp = test_g();
    // SAFETY: gp's M owns its heap; the operands are live.
    unsafe {
        let m = (*gp).m;
        let r = concatstring2_from_go(b"ab".as_ptr(), 2, b"cde".as_ptr(), 3, gp);
        assert_eq!(text(r), b"abcde");
        let five = [s(b"1"), s(b""), s(b"333"), s(b"4444"), s(b"55555")];
        assert_eq!(text(concat_spilled(five.as_ptr() as *const usize, 5, gp)), b"1333444455555");
        assert_eq!(text(concatstrings(&five[..3], m)), b"1333");
        assert_eq!(concatstrings(&[s(b""), s(b"")], m), GoString::EMPTY);
        assert_eq!(concatstrings(&[], m), GoString::EMPTY);
        let many: Vec<GoString> = (0..100).map(|_| s(b"xy")).collect();
        let r = concatstrings_from_go(many.as_ptr(), many.len() as isize, gp);
        assert_eq!(text(r), b"xy".repeat(100));
    }
}

#[test]
fn a_single_nonempty_operand_off_the_stack_is_returned_as_is() {
    let gp = test_g();
    let data = b"only".to_vec();
    // SAFETY: as above.
    unsafe {
        let r = concatstrings(&[s(b""), s(&data), s(b"")], (*gp).m);
        assert_eq!(r.ptr, data.as_ptr(), "no copy, as gc's \"\" + s");
    }
}

#[test]
fn a_single_operand_on_a_goroutine_stack_is_copied() {
    crate::proc::test_schedinit(4);
    let gp = test_g();
    // SAFETY: the scheduler (and so MHEAP) is initialised; the stack is ours until freed.
    unsafe {
        let stk = crate::stack::stackalloc(8192, core::ptr::null_mut());
        let p = (stk.lo + 100) as *mut u8;
        core::ptr::copy_nonoverlapping(b"stack".as_ptr(), p, 5);
        assert!(on_any_stack(p));
        let r = concatstrings(&[s(b""), GoString { ptr: p, len: 5 }], (*gp).m);
        assert_ne!(r.ptr, p as *const u8, "stack data must not escape");
        assert_eq!(text(r), b"stack");
        crate::stack::stackfree(stk, core::ptr::null_mut());
    }
    assert!(!on_any_stack(b"static".as_ptr()));
}

#[test]
fn cmpstring_orders_by_bytes_then_length() {
    let cases: &[(&[u8], &[u8], isize)] = &[
        (b"", b"", 0),
        (b"a", b"", 1),
        (b"", b"a", -1),
        (b"abc", b"abd", -1),
        (b"abd", b"abc", 1),
        (b"ab", b"abc", -1),
        (b"abc", b"abc", 0),
        (b"\xff", b"\x01", 1),
        (b"Z", b"a", -1),
    ];
    for &(a, b, want) in cases {
        // SAFETY: live byte strings.
        let got = unsafe { cmpstring_export(a.as_ptr(), a.len() as isize, b.as_ptr(), b.len() as isize) };
        assert_eq!(got, want, "{a:?} vs {b:?}");
    }
}

#[test]
fn memequal_compares_bytes() {
    let a = b"hello, world".to_vec();
    let b = b"hello, wor1d".to_vec();
    // SAFETY: live buffers of the sizes given.
    unsafe {
        assert!(crate::alg::memequal(a.as_ptr(), b.as_ptr(), 9));
        assert!(!crate::alg::memequal(a.as_ptr(), b.as_ptr(), 12));
        assert!(crate::alg::memequal(a.as_ptr(), a.as_ptr(), 12));
        assert!(crate::alg::memequal(core::ptr::null(), core::ptr::null(), 0));
        assert!(crate::alg::memequal(a.as_ptr(), b.as_ptr(), 0));
    }
}

#[test]
fn byte_slice_to_string_copies_except_for_zero_and_one_bytes() {
    let gp = test_g();
    // SAFETY: as above.
    unsafe {
        let m = (*gp).m;
        assert_eq!(slicebytetostring(core::ptr::null(), 0, m), GoString::EMPTY);
        let one = slicebytetostring(b"\xc8".as_ptr(), 1, m);
        assert_eq!(text(one), b"\xc8");
        let table = STATIC_UINT64S.as_ptr() as usize;
        assert!((table..table + 2048).contains(&(one.ptr as usize)), "static, no allocation");
        let src = b"several bytes".to_vec();
        let r = slicebytetostring_from_go(src.as_ptr(), src.len() as isize, gp);
        assert_ne!(r.ptr, src.as_ptr());
        assert_eq!(text(r), src);
    }
}

#[test]
fn string_to_byte_slice_has_gcs_capacity_and_a_zeroed_tail() {
    // gc 1.19: cap([]byte(strings.Repeat("a", n))) for an escaping result.
    let gc: &[(usize, isize)] = &[
        (0, 0),
        (1, 8),
        (5, 8),
        (8, 8),
        (9, 16),
        (17, 24),
        (33, 48),
        (100, 112),
        (1000, 1024),
        (5000, 5376),
        (40000, 40960),
    ];
    let gp = test_g();
    for &(n, cap) in gc {
        let src = vec![b'a'; n];
        let mut out = Slice {
            ptr: core::ptr::null_mut(),
            len: -1,
            cap: -1,
        };
        // SAFETY: as above; out is writable.
        unsafe {
            stringtoslicebyte_from_go(&mut out, src.as_ptr(), n as isize, gp);
            assert_eq!((out.len, out.cap), (n as isize, cap), "n = {n}");
            let all = core::slice::from_raw_parts(out.ptr, cap as usize);
            assert_eq!(&all[..n], &src[..]);
            assert!(all[n..].iter().all(|&b| b == 0), "tail zeroed");
        }
    }
}

#[test]
fn string_to_rune_slice_has_gcs_capacity_and_decodes_like_range() {
    // gc 1.19: cap([]rune(strings.Repeat("é", n))) for an escaping result.
    let gc: &[(usize, isize)] = &[
        (0, 0),
        (1, 2),
        (2, 2),
        (3, 4),
        (5, 6),
        (7, 8),
        (9, 12),
        (100, 104),
        (1000, 1024),
        (9000, 10240),
    ];
    let gp = test_g();
    for &(n, cap) in gc {
        let src = "é".repeat(n);
        let mut out = Slice {
            ptr: core::ptr::null_mut(),
            len: -1,
            cap: -1,
        };
        // SAFETY: as above.
        unsafe {
            stringtoslicerune_from_go(&mut out, src.as_ptr(), src.len() as isize, gp);
            assert_eq!((out.len, out.cap), (n as isize, cap), "n = {n}");
            let all = core::slice::from_raw_parts(out.ptr as *const i32, cap as usize);
            assert!(all[..n].iter().all(|&r| r == 'é' as i32));
            assert!(all[n..].iter().all(|&r| r == 0), "tail zeroed");
        }
    }
    let bad = b"a\xffb\xe2\x82";
    // SAFETY: as above.
    let runes = unsafe {
        let r = stringtoslicerune(s(bad), (*gp).m);
        core::slice::from_raw_parts(r.ptr as *const i32, r.len as usize).to_vec()
    };
    assert_eq!(runes, [0x61, 0xFFFD, 0x62, 0xFFFD, 0xFFFD]);
}

#[test]
fn rune_slice_to_string_matches_gc() {
    // gc 1.19: string([]rune{-1, 0x10FFFF, 0x110000, 0xD800, 0xDFFF, 'a', 0x7FF, 0x800,
    // 0xFFFF, 0x10000}) is "\uFFFD\U0010ffff\uFFFD\uFFFD\uFFFDa\u07ff\u0800\uffff\U00010000".
    let runes = [-1, 0x10FFFF, 0x110000, 0xD800, 0xDFFF, 'a' as i32, 0x7FF, 0x800, 0xFFFF, 0x10000];
    let want = "\u{FFFD}\u{10ffff}\u{FFFD}\u{FFFD}\u{FFFD}a\u{7ff}\u{800}\u{ffff}\u{10000}";
    let gp = test_g();
    // SAFETY: as above.
    unsafe {
        let r = slicerunetostring_from_go(runes.as_ptr(), runes.len() as isize, gp);
        assert_eq!(text(r), want.as_bytes());
        let e = slicerunetostring(core::ptr::null(), 0, (*gp).m);
        assert_eq!(e.len, 0);
    }
}

#[test]
fn integer_to_string_rejects_what_is_not_a_rune() {
    let cases: &[(i64, &str)] = &[
        (-1, "\u{FFFD}"),
        (0x10FFFF, "\u{10FFFF}"),
        (0x110000, "\u{FFFD}"),
        (0xD800, "\u{FFFD}"),
        ('a' as i64, "a"),
        (0, "\0"),
        // Values that do not survive conversion to rune (gc's int64(rune(v)) != v).
        ((1 << 32) + 'a' as i64, "\u{FFFD}"),
        (-1 << 40, "\u{FFFD}"),
        ('世' as i64, "世"),
    ];
    let gp = test_g();
    for &(v, want) in cases {
        // SAFETY: as above.
        let got = unsafe { intstring_from_go(v, gp) };
        assert_eq!(text(got), want.as_bytes(), "string({v})");
    }
}
