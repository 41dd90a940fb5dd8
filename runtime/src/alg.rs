//! Hash and equality functions (Go's alg.go and hash64.go): the functions type descriptors
//! point at (`Type::equal`, `MapType::hasher`), the generic `typehash` for interface keys,
//! and interface comparison.
//!
//! **Hash function.** gc's portable fallback (hash64.go, wyhash-inspired) on both
//! architectures, seeded once per process with random bytes from getrandom(2); gc uses AES
//! instructions where the CPU has them, which only changes speed and the hash values, never
//! behaviour a program can rely on. See docs/decisions.md.
//!
//! **ABI.** Every function here is exported under gc's name with the C calling convention:
//! hashers are `uintptr (const void *p, uintptr seed)`, equality functions `bool (const void
//! *p, const void *q)` (result in the low byte, 0 or 1). In goclift `Type::equal` and
//! `MapType::hasher` hold these code addresses directly (gc stores func values, i.e. pointers
//! to closures). Functions that may call compiler-generated equality code (interface
//! comparison) or recurse and panic (interface hashing) are entered through `go_entry!` stubs,
//! which reserve stack and pick up g; the leaf functions are plain. Compiled code calls all
//! of them with g in the g register, like every runtime function.

use crate::r#type::{
    ArrayType, EqualFn, HashFn, InterfaceType, StructType, Type, KIND_ARRAY, KIND_COMPLEX128,
    KIND_COMPLEX64, KIND_FLOAT32, KIND_FLOAT64, KIND_INTERFACE, KIND_STRING, KIND_STRUCT,
    TFLAG_REGULAR_MEMORY,
};
use crate::runtime2::G;
use core::sync::atomic::{AtomicU64, AtomicUsize, Ordering::Relaxed};

// ---------------------------------------------------------------------------------------------
// The seed and the core hash (hash64.go).

const M1: u64 = 0xa0761d6478bd642f;
const M2: u64 = 0xe7037ed1a0b428db;
const M3: u64 = 0x8ebc6af09c88c6e3;
const M4: u64 = 0x589965cc75374cc3;
const M5: u64 = 0x1d8e4e27c47d124f;

/// gc's hash constants c0 and c1 (alg.go, 64-bit values).
const C0: usize = 33054211828000289;
const C1: usize = 23344194077549503;

/// gc's hashkey[0]: the per-process random key of memhash, odd once set (0: not yet).
static HASHKEY: AtomicUsize = AtomicUsize::new(0);

/// The hash key, chosen on first use. Every thread sees the same key: the first one to pick
/// one publishes it with a compare-and-swap, so a map never sees two keys.
#[inline]
fn hashkey() -> usize {
    let k = HASHKEY.load(Relaxed);
    if k != 0 {
        return k;
    }
    init_hashkey()
}

#[cold]
fn init_hashkey() -> usize {
    let k = random_word() | 1;
    match HASHKEY.compare_exchange(0, k, Relaxed, Relaxed) {
        Ok(_) => k,
        Err(winner) => winner,
    }
}

/// Eight random bytes from getrandom(2) (gc's getRandomData reads AT_RANDOM or
/// /dev/urandom); if the kernel refuses, the clock and an address, which still differ per run.
fn random_word() -> usize {
    let mut w = 0usize;
    // SAFETY: the kernel writes at most 8 bytes into `w`.
    let n = unsafe { getrandom(&mut w as *mut usize as *mut u8, 8) };
    if n != 8 {
        let (s, ns) = crate::os_linux::clock_gettime(1);
        w = (s as usize).rotate_left(32) ^ ns as usize ^ (&w as *const usize as usize);
    }
    w
}

/// getrandom(buf, len, 0): the raw result (bytes written, or a negated errno).
/// (os_linux.rs keeps the other system calls; this is the only one hashing needs.)
unsafe fn getrandom(buf: *mut u8, len: usize) -> isize {
    let ret: isize;
    #[cfg(target_arch = "x86_64")]
    core::arch::asm!(
        "syscall",
        inlateout("rax") 318isize => ret,
        in("rdi") buf, in("rsi") len, in("rdx") 0usize,
        lateout("rcx") _, lateout("r11") _,
        options(nostack),
    );
    #[cfg(target_arch = "aarch64")]
    core::arch::asm!(
        "svc 0",
        in("x8") 278usize,
        inlateout("x0") buf as isize => ret,
        in("x1") len, in("x2") 0usize,
        options(nostack),
    );
    ret
}

#[inline(always)]
fn mix(a: u64, b: u64) -> u64 {
    let r = a as u128 * b as u128;
    (r >> 64) as u64 ^ r as u64
}

#[inline(always)]
unsafe fn r4(p: *const u8) -> u64 {
    (p as *const u32).read_unaligned() as u64
}

#[inline(always)]
unsafe fn r8(p: *const u8) -> u64 {
    (p as *const u64).read_unaligned()
}

/// gc's memhashFallback: the hash of `s` bytes at `p` with `seed`.
///
/// # Safety
/// `p` must be readable for `s` bytes.
pub unsafe fn memhash_bytes(mut p: *const u8, seed: usize, s: usize) -> usize {
    let mut seed = seed as u64 ^ hashkey() as u64 ^ M1;
    let (a, b);
    if s == 0 {
        return seed as usize;
    } else if s < 4 {
        a = *p as u64 | (*p.add(s >> 1) as u64) << 8 | (*p.add(s - 1) as u64) << 16;
        b = 0;
    } else if s == 4 {
        a = r4(p);
        b = a;
    } else if s < 8 {
        a = r4(p);
        b = r4(p.add(s - 4));
    } else if s == 8 {
        a = r8(p);
        b = a;
    } else if s <= 16 {
        a = r8(p);
        b = r8(p.add(s - 8));
    } else {
        let mut l = s;
        if l > 48 {
            let (mut seed1, mut seed2) = (seed, seed);
            while l > 48 {
                seed = mix(r8(p) ^ M2, r8(p.add(8)) ^ seed);
                seed1 = mix(r8(p.add(16)) ^ M3, r8(p.add(24)) ^ seed1);
                seed2 = mix(r8(p.add(32)) ^ M4, r8(p.add(40)) ^ seed2);
                p = p.add(48);
                l -= 48;
            }
            seed ^= seed1 ^ seed2;
        }
        while l > 16 {
            seed = mix(r8(p) ^ M2, r8(p.add(8)) ^ seed);
            p = p.add(16);
            l -= 16;
        }
        // l may now be below 16: read the last 16 bytes, reaching back into hashed ones.
        let end = p.add(l);
        a = r8(end.sub(16));
        b = r8(end.sub(8));
    }
    mix(M5 ^ s as u64, mix(a ^ M2, b ^ seed)) as usize
}

// ---------------------------------------------------------------------------------------------
// Hash functions (alg.go).

/// `runtime.memhash(p unsafe.Pointer, h, s uintptr) uintptr`: hash of `s` bytes at `p`.
#[unsafe(export_name = "runtime.memhash")]
pub unsafe extern "C" fn memhash(p: *const u8, h: usize, s: usize) -> usize {
    memhash_bytes(p, h, s)
}

/// `runtime.memhash0(p, h) uintptr`: hash of a zero-size value (the seed).
#[unsafe(export_name = "runtime.memhash0")]
pub unsafe extern "C" fn memhash0(_p: *const u8, h: usize) -> usize {
    h
}

/// `runtime.memhash8(p, h) uintptr`.
#[unsafe(export_name = "runtime.memhash8")]
pub unsafe extern "C" fn memhash8(p: *const u8, h: usize) -> usize {
    memhash_bytes(p, h, 1)
}

/// `runtime.memhash16(p, h) uintptr`.
#[unsafe(export_name = "runtime.memhash16")]
pub unsafe extern "C" fn memhash16(p: *const u8, h: usize) -> usize {
    memhash_bytes(p, h, 2)
}

/// `runtime.memhash32(p, h) uintptr` (gc's memhash32Fallback).
#[unsafe(export_name = "runtime.memhash32")]
pub unsafe extern "C" fn memhash32(p: *const u8, h: usize) -> usize {
    let a = r4(p);
    mix(M5 ^ 4, mix(a ^ M2, a ^ h as u64 ^ hashkey() as u64 ^ M1)) as usize
}

/// `runtime.memhash64(p, h) uintptr` (gc's memhash64Fallback).
#[unsafe(export_name = "runtime.memhash64")]
pub unsafe extern "C" fn memhash64(p: *const u8, h: usize) -> usize {
    let a = r8(p);
    mix(M5 ^ 8, mix(a ^ M2, a ^ h as u64 ^ hashkey() as u64 ^ M1)) as usize
}

/// `runtime.memhash128(p, h) uintptr`.
#[unsafe(export_name = "runtime.memhash128")]
pub unsafe extern "C" fn memhash128(p: *const u8, h: usize) -> usize {
    memhash_bytes(p, h, 16)
}

/// `runtime.strhash(p *string, h) uintptr`: hash of the string's bytes.
#[unsafe(export_name = "runtime.strhash")]
pub unsafe extern "C" fn strhash(p: *const u8, h: usize) -> usize {
    let s = p as *const GoString;
    memhash_bytes((*s).ptr, h, (*s).len)
}

/// A random word for NaN hashes (gc uses fastrand; any random value will do).
fn nan_random() -> usize {
    static STATE: AtomicU64 = AtomicU64::new(0x853c49e6748fea9b);
    let s = STATE.fetch_add(M1, Relaxed).wrapping_add(M1);
    mix(s, s ^ M2) as usize
}

/// `runtime.f32hash(p *float32, h) uintptr`: +0 and -0 hash alike, NaNs randomly.
#[unsafe(export_name = "runtime.f32hash")]
pub unsafe extern "C" fn f32hash(p: *const u8, h: usize) -> usize {
    let f = (p as *const f32).read_unaligned();
    if f == 0.0 {
        C1.wrapping_mul(C0 ^ h)
    } else if f.is_nan() {
        C1.wrapping_mul(C0 ^ h ^ nan_random())
    } else {
        memhash_bytes(p, h, 4)
    }
}

/// `runtime.f64hash(p *float64, h) uintptr`: +0 and -0 hash alike, NaNs randomly.
#[unsafe(export_name = "runtime.f64hash")]
pub unsafe extern "C" fn f64hash(p: *const u8, h: usize) -> usize {
    let f = (p as *const f64).read_unaligned();
    if f == 0.0 {
        C1.wrapping_mul(C0 ^ h)
    } else if f.is_nan() {
        C1.wrapping_mul(C0 ^ h ^ nan_random())
    } else {
        memhash_bytes(p, h, 8)
    }
}

/// `runtime.c64hash(p *complex64, h) uintptr`.
#[unsafe(export_name = "runtime.c64hash")]
pub unsafe extern "C" fn c64hash(p: *const u8, h: usize) -> usize {
    f32hash(p.add(4), f32hash(p, h))
}

/// `runtime.c128hash(p *complex128, h) uintptr`.
#[unsafe(export_name = "runtime.c128hash")]
pub unsafe extern "C" fn c128hash(p: *const u8, h: usize) -> usize {
    f64hash(p.add(8), f64hash(p, h))
}

unsafe extern "C" fn interhash_from_go(p: *const u8, h: usize, _g: *mut G) -> usize {
    interhash_value(p, h)
}

crate::go_entry!(
    /// `runtime.interhash(p *iface, h) uintptr`: hash of a non-empty interface value; panics
    /// with "runtime error: hash of unhashable type T" for uncomparable dynamic types. (An
    /// entry stub: hashing recurses through the dynamic type and may format a panic.)
    interhash_entry = "runtime.interhash"(p: *const u8, h: usize) -> usize;
    g in "rdx" / "x2" => interhash_from_go
);

unsafe extern "C" fn reflect_typehash_from_go(t: *const Type, p: *const u8, h: usize, _g: *mut G) -> usize {
    typehash(t, p, h)
}

crate::go_entry!(
    /// `reflect.typehash(t *rtype, p unsafe.Pointer, h uintptr) uintptr` (gc's
    /// reflect_typehash): the hash reflect.MapOf's maps use; panics like interhash for
    /// interfaces holding unhashable values.
    reflect_typehash_entry = "reflect.typehash"(t: *const Type, p: *const u8, h: usize) -> usize;
    g in "rcx" / "x3" => reflect_typehash_from_go
);

unsafe extern "C" fn nilinterhash_from_go(p: *const u8, h: usize, _g: *mut G) -> usize {
    nilinterhash_value(p, h)
}

crate::go_entry!(
    /// `runtime.nilinterhash(p *eface, h) uintptr`: hash of an empty-interface value; panics
    /// like interhash.
    nilinterhash_entry = "runtime.nilinterhash"(p: *const u8, h: usize) -> usize;
    g in "rdx" / "x2" => nilinterhash_from_go
);

/// interhash's body (also for unit tests, which can observe its panic).
///
/// # Safety
/// `p` must point to an iface.
pub unsafe fn interhash_value(p: *const u8, h: usize) -> usize {
    let tab = *(p as *const *const crate::iface::Itab);
    if tab.is_null() {
        return h;
    }
    hash_dynamic((*tab).typ, p.add(8), h)
}

/// nilinterhash's body.
///
/// # Safety
/// `p` must point to an eface.
pub unsafe fn nilinterhash_value(p: *const u8, h: usize) -> usize {
    let t = *(p as *const *const Type);
    if t.is_null() {
        return h;
    }
    hash_dynamic(t, p.add(8), h)
}

/// The hash of an interface's dynamic value of type `t` whose data word is at `data`.
unsafe fn hash_dynamic(t: *const Type, data: *const u8, h: usize) -> usize {
    if (*t).equal.is_none() {
        // Checked here rather than in typehash to name the outermost type, as gc does.
        panic_error_string(&[b"hash of unhashable type ", (*t).string()]);
    }
    let v = if (*t).is_direct_iface() {
        data
    } else {
        *(data as *const *const u8)
    };
    C1.wrapping_mul(typehash(t, v, h ^ C0))
}

/// The hash of the value of type `t` at `p` with seed `h` (gc's typehash): must agree with
/// the hash functions the compiler generates for map keys of type `t`.
///
/// # Safety
/// `p` must point to a value of type `t`.
pub unsafe fn typehash(t: *const Type, p: *const u8, h: usize) -> usize {
    let t = &*t;
    if t.tflag & TFLAG_REGULAR_MEMORY != 0 {
        return match t.size {
            4 => memhash32(p, h),
            8 => memhash64(p, h),
            n => memhash_bytes(p, h, n),
        };
    }
    match t.kind() {
        KIND_FLOAT32 => f32hash(p, h),
        KIND_FLOAT64 => f64hash(p, h),
        KIND_COMPLEX64 => c64hash(p, h),
        KIND_COMPLEX128 => c128hash(p, h),
        KIND_STRING => strhash(p, h),
        KIND_INTERFACE => {
            let it = &*(t as *const Type as *const InterfaceType);
            if it.mhdr.len == 0 {
                nilinterhash_value(p, h)
            } else {
                interhash_value(p, h)
            }
        }
        KIND_ARRAY => {
            let a = &*(t as *const Type as *const ArrayType);
            let mut h = h;
            for i in 0..a.len {
                h = typehash(a.elem, p.add(i * (*a.elem).size), h);
            }
            h
        }
        KIND_STRUCT => {
            let s = &*(t as *const Type as *const StructType);
            let mut h = h;
            for f in s.fields.as_slice() {
                if !f.name.is_blank() {
                    h = typehash(f.typ, p.add(f.offset), h);
                }
            }
            h
        }
        _ => panic_error_string(&[b"hash of unhashable type ", t.string()]),
    }
}

// ---------------------------------------------------------------------------------------------
// Equality functions (alg.go, and internal/bytealg's memequal).

/// A Go string header.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct GoString {
    /// The bytes.
    pub ptr: *const u8,
    /// Length in bytes.
    pub len: usize,
}

/// `runtime.memequal(p, q unsafe.Pointer, size uintptr) bool`: whether `size` bytes at p
/// and q are equal.
#[unsafe(export_name = "runtime.memequal")]
pub unsafe extern "C" fn memequal(p: *const u8, q: *const u8, size: usize) -> bool {
    p == q || core::slice::from_raw_parts(p, size) == core::slice::from_raw_parts(q, size)
}

/// `runtime.memequal0(p, q) bool`: zero-size values are always equal.
#[unsafe(export_name = "runtime.memequal0")]
pub unsafe extern "C" fn memequal0(_p: *const u8, _q: *const u8) -> bool {
    true
}

/// `runtime.memequal8(p, q) bool`.
#[unsafe(export_name = "runtime.memequal8")]
pub unsafe extern "C" fn memequal8(p: *const u8, q: *const u8) -> bool {
    *p == *q
}

/// `runtime.memequal16(p, q) bool`.
#[unsafe(export_name = "runtime.memequal16")]
pub unsafe extern "C" fn memequal16(p: *const u8, q: *const u8) -> bool {
    (p as *const u16).read_unaligned() == (q as *const u16).read_unaligned()
}

/// `runtime.memequal32(p, q) bool`.
#[unsafe(export_name = "runtime.memequal32")]
pub unsafe extern "C" fn memequal32(p: *const u8, q: *const u8) -> bool {
    (p as *const u32).read_unaligned() == (q as *const u32).read_unaligned()
}

/// `runtime.memequal64(p, q) bool`.
#[unsafe(export_name = "runtime.memequal64")]
pub unsafe extern "C" fn memequal64(p: *const u8, q: *const u8) -> bool {
    (p as *const u64).read_unaligned() == (q as *const u64).read_unaligned()
}

/// `runtime.memequal128(p, q) bool`.
#[unsafe(export_name = "runtime.memequal128")]
pub unsafe extern "C" fn memequal128(p: *const u8, q: *const u8) -> bool {
    (p as *const [u64; 2]).read_unaligned() == (q as *const [u64; 2]).read_unaligned()
}

/// `runtime.f32equal(p, q) bool`: float comparison (+0 == -0, NaN != NaN).
#[unsafe(export_name = "runtime.f32equal")]
pub unsafe extern "C" fn f32equal(p: *const u8, q: *const u8) -> bool {
    (p as *const f32).read_unaligned() == (q as *const f32).read_unaligned()
}

/// `runtime.f64equal(p, q) bool`.
#[unsafe(export_name = "runtime.f64equal")]
pub unsafe extern "C" fn f64equal(p: *const u8, q: *const u8) -> bool {
    (p as *const f64).read_unaligned() == (q as *const f64).read_unaligned()
}

/// `runtime.c64equal(p, q) bool`.
#[unsafe(export_name = "runtime.c64equal")]
pub unsafe extern "C" fn c64equal(p: *const u8, q: *const u8) -> bool {
    f32equal(p, q) && f32equal(p.add(4), q.add(4))
}

/// `runtime.c128equal(p, q) bool`.
#[unsafe(export_name = "runtime.c128equal")]
pub unsafe extern "C" fn c128equal(p: *const u8, q: *const u8) -> bool {
    f64equal(p, q) && f64equal(p.add(8), q.add(8))
}

/// `runtime.strequal(p, q *string) bool`.
#[unsafe(export_name = "runtime.strequal")]
pub unsafe extern "C" fn strequal(p: *const u8, q: *const u8) -> bool {
    let (a, b) = (*(p as *const GoString), *(q as *const GoString));
    a.len == b.len && memequal(a.ptr, b.ptr, a.len)
}

/// Whether interface values with dynamic type `t` and data words `x`, `y` are equal (gc's
/// efaceeq); panics with "runtime error: comparing uncomparable type T".
///
/// # Safety
/// `x` and `y` must be data words of values of type `t`; `g` the calling goroutine.
pub unsafe fn efaceeq_value(t: *const Type, x: *const u8, y: *const u8, g: *mut G) -> bool {
    if t.is_null() {
        return true;
    }
    let Some(eq) = (*t).equal else {
        panic_error_string(&[b"comparing uncomparable type ", (*t).string()]);
    };
    if (*t).is_direct_iface() {
        // Pointers, channels and single-pointer structs and arrays: the words themselves.
        return x == y;
    }
    call_equal(eq, x, y, g)
}

/// gc's ifaceeq: as efaceeq_value for the dynamic type of itab `tab`.
///
/// # Safety
/// As efaceeq_value; `tab` null or an itab.
pub unsafe fn ifaceeq_value(
    tab: *const crate::iface::Itab,
    x: *const u8,
    y: *const u8,
    g: *mut G,
) -> bool {
    if tab.is_null() {
        return true;
    }
    efaceeq_value((*tab).typ, x, y, g)
}

unsafe extern "C" fn efaceeq_from_go(
    t: *const Type,
    x: *const u8,
    y: *const u8,
    g: *mut G,
) -> bool {
    efaceeq_value(t, x, y, g)
}

crate::go_entry!(
    /// `runtime.efaceeq(t *_type, x, y unsafe.Pointer) bool`: for `a == b` on empty
    /// interfaces whose type words are equal (t), with their data words x and y.
    efaceeq_entry = "runtime.efaceeq"(t: *const Type, x: *const u8, y: *const u8) -> bool;
    g in "rcx" / "x3" => efaceeq_from_go
);

unsafe extern "C" fn ifaceeq_from_go(
    tab: *const crate::iface::Itab,
    x: *const u8,
    y: *const u8,
    g: *mut G,
) -> bool {
    ifaceeq_value(tab, x, y, g)
}

crate::go_entry!(
    /// `runtime.ifaceeq(tab *itab, x, y unsafe.Pointer) bool`: for `a == b` on non-empty
    /// interfaces whose itabs are equal (tab).
    ifaceeq_entry = "runtime.ifaceeq"(tab: *const crate::iface::Itab, x: *const u8, y: *const u8) -> bool;
    g in "rcx" / "x3" => ifaceeq_from_go
);

/// gc's nilinterequal: `*p == *q` for empty interfaces.
///
/// # Safety
/// `p` and `q` must point to efaces.
pub unsafe fn nilinterequal_value(p: *const u8, q: *const u8, g: *mut G) -> bool {
    let (x, y) = (p as *const [*const u8; 2], q as *const [*const u8; 2]);
    (*x)[0] == (*y)[0] && efaceeq_value((*x)[0] as *const Type, (*x)[1], (*y)[1], g)
}

/// gc's interequal: `*p == *q` for non-empty interfaces.
///
/// # Safety
/// `p` and `q` must point to ifaces.
pub unsafe fn interequal_value(p: *const u8, q: *const u8, g: *mut G) -> bool {
    let (x, y) = (p as *const [*const u8; 2], q as *const [*const u8; 2]);
    (*x)[0] == (*y)[0] && ifaceeq_value((*x)[0] as *const crate::iface::Itab, (*x)[1], (*y)[1], g)
}

unsafe extern "C" fn nilinterequal_from_go(p: *const u8, q: *const u8, g: *mut G) -> bool {
    nilinterequal_value(p, q, g)
}

crate::go_entry!(
    /// `runtime.nilinterequal(p, q *eface) bool`: the equality function of empty interface
    /// types (and what compiled struct/array equality calls for such fields).
    nilinterequal_entry = "runtime.nilinterequal"(p: *const u8, q: *const u8) -> bool;
    g in "rdx" / "x2" => nilinterequal_from_go
);

unsafe extern "C" fn interequal_from_go(p: *const u8, q: *const u8, g: *mut G) -> bool {
    interequal_value(p, q, g)
}

crate::go_entry!(
    /// `runtime.interequal(p, q *iface) bool`: the equality function of non-empty interface
    /// types.
    interequal_entry = "runtime.interequal"(p: *const u8, q: *const u8) -> bool;
    g in "rdx" / "x2" => interequal_from_go
);

// ---------------------------------------------------------------------------------------------
// Calling descriptor functions from Rust.

extern "C" {
    /// The end of the executable's code (GNU ld's `etext`).
    static etext: u8;
}

/// The code address and closure context to call a descriptor's function word `f` with.
/// Descriptors hold Go func values there, as gc's do (the compiler's point at a word of the
/// blob holding the code address; reflect's MapOf, StructOf, ArrayOf store closures): they
/// live in data or the heap, above the code, and are called through their first word with
/// the object as the trailing context argument (decision 31). Code addresses (below the end
/// of the code: the runtime's unit tests build descriptors with Rust functions) are called
/// directly.
#[inline]
fn descriptor_fn(f: usize) -> (usize, usize) {
    // Only the symbol's address is taken.
    let end_of_code = core::ptr::addr_of!(etext) as usize;
    if f < end_of_code {
        (f, 0)
    } else {
        // SAFETY: f is a func value, whose first word is its code address.
        (unsafe { *(f as *const usize) }, f)
    }
}

/// Calls an equality function from a descriptor with g in the g register: it may be
/// compiler-generated Go code, which checks its stack against g (Rust may keep anything in
/// r15/x21 otherwise).
///
/// # Safety
/// `f` must be an equality function; `p`, `q` values of its type; `g` the calling goroutine
/// (or null when `f` is known to be runtime code that does not read g).
#[inline]
pub unsafe fn call_equal(f: EqualFn, p: *const u8, q: *const u8, g: *mut G) -> bool {
    let r: usize;
    let (f, ctx) = descriptor_fn(f as usize);
    #[cfg(target_arch = "x86_64")]
    core::arch::asm!(
        "call {f}",
        f = in(reg) f,
        in("rdi") p, in("rsi") q, in("rdx") ctx, in("r15") g,
        lateout("rax") r,
        clobber_abi("C"),
    );
    #[cfg(target_arch = "aarch64")]
    core::arch::asm!(
        "blr {f}",
        f = in(reg) f,
        inlateout("x0") p => r, in("x1") q, in("x2") ctx, in("x21") g,
        clobber_abi("C"),
    );
    r as u8 != 0
}

/// Calls a hash function from a map descriptor with g in the g register (see call_equal).
///
/// # Safety
/// `f` must be a hash function; `p` a key of its type; `g` as for call_equal.
#[inline]
pub unsafe fn call_hasher(f: HashFn, p: *const u8, seed: usize, g: *mut G) -> usize {
    let r: usize;
    let (f, ctx) = descriptor_fn(f as usize);
    #[cfg(target_arch = "x86_64")]
    core::arch::asm!(
        "call {f}",
        f = in(reg) f,
        in("rdi") p, in("rsi") seed, in("rdx") ctx, in("r15") g,
        lateout("rax") r,
        clobber_abi("C"),
    );
    #[cfg(target_arch = "aarch64")]
    core::arch::asm!(
        "blr {f}",
        f = in(reg) f,
        inlateout("x0") p => r, in("x1") seed, in("x2") ctx, in("x21") g,
        clobber_abi("C"),
    );
    r
}

// ---------------------------------------------------------------------------------------------
// Run-time error panics raised here.

/// Panics with a gc errorString: "panic: runtime error: <pieces>" (recoverable, like
/// panic.rs's run-time errors). Messages longer than 512 bytes are cut (only absurdly long
/// type names get there).
pub fn panic_error_string(pieces: &[&[u8]]) -> ! {
    let mut all: [&[u8]; 8] = [b""; 8];
    all[0] = b"runtime error: ";
    for (i, p) in pieces.iter().take(7).enumerate() {
        all[i + 1] = p;
    }
    panic_message(&all[..pieces.len().min(7) + 1])
}

/// Panics with the message made of `pieces` ("panic: <message>"), as gc's panic of an error
/// value whose Error() is that message.
pub fn panic_message(pieces: &[&[u8]]) -> ! {
    let mut buf = crate::print::FixedBuf::<512>::new();
    for p in pieces {
        let n = p.len().min(buf.remaining());
        buf.push(&p[..n]);
    }
    // Printed as gc prints an error value's Error() text after "panic: ".
    crate::panic::gopanic(core::ptr::null_mut(), crate::error::PanicValue::Error(buf.as_bytes()))
}

#[cfg(test)]
#[path = "alg_test.rs"]
mod tests;
