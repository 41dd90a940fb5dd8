//! The OS memory interface (Go's mem.go and mem_linux.go).
//!
//! Address space moves through gc's four states: None -> Reserved (`sys_reserve`, PROT_NONE)
//! -> Prepared/Ready (`sys_map`, readable and writable; on Linux the two are the same) and
//! back from Ready to Prepared with `sys_unused` (MADV_DONTNEED: the kernel takes the pages,
//! which read back as zeros) and `sys_used`. `sys_alloc` goes straight from None to Ready for
//! runtime metadata that is never part of the heap.

use crate::mstats::SysMemStat;
use crate::os_linux::{
    madvise, mmap, munmap, MADV_DONTNEED, MAP_ANON, MAP_FIXED, MAP_PRIVATE, PROT_NONE, PROT_READ,
    PROT_WRITE,
};
use crate::panic::{fatal_message, throw};

/// errno EACCES.
const EACCES: i32 = 13;
/// errno EAGAIN.
const EAGAIN: i32 = 11;
/// errno ENOMEM.
const ENOMEM: i32 = 12;

/// Maps `n` bytes of zeroed read-write memory anywhere (gc's sysAllocOS); null on failure.
pub fn sys_alloc_os(n: usize) -> *mut u8 {
    // SAFETY: a fresh anonymous mapping at an address the kernel picks replaces nothing.
    let r = unsafe {
        mmap(
            core::ptr::null_mut(),
            n,
            PROT_READ | PROT_WRITE,
            MAP_ANON | MAP_PRIVATE,
            -1,
            0,
        )
    };
    match r {
        Ok(p) => p,
        Err(EACCES) => {
            fatal_message(&[b"runtime: mmap: access denied\n"]);
            crate::os_linux::exit(2)
        }
        Err(EAGAIN) => {
            fatal_message(&[b"runtime: mmap: too much locked memory (check 'ulimit -l').\n"]);
            crate::os_linux::exit(2)
        }
        Err(_) => core::ptr::null_mut(),
    }
}

/// Like `sys_alloc_os`, and counts the bytes in `stat` (gc's sysAlloc).
pub fn sys_alloc(n: usize, stat: &SysMemStat) -> *mut u8 {
    let p = sys_alloc_os(n);
    if !p.is_null() {
        stat.add(n as i64);
    }
    p
}

/// Returns memory from `sys_alloc` to the OS (gc's sysFree).
///
/// # Safety
/// Nothing may use [v, v+n) afterwards.
pub unsafe fn sys_free(v: *mut u8, n: usize, stat: &SysMemStat) {
    stat.add(-(n as i64));
    sys_free_os(v, n);
}

/// Unmaps [v, v+n) (gc's sysFreeOS).
///
/// # Safety
/// Nothing may use the range afterwards.
pub unsafe fn sys_free_os(v: *mut u8, n: usize) {
    let _ = munmap(v, n);
}

/// Reserves `n` bytes of address space, preferably at address `hint` (0: anywhere), without
/// backing memory (gc's sysReserve). The kernel treats the hint as a hint: the result may be
/// elsewhere. Null on failure.
pub fn sys_reserve(hint: usize, n: usize) -> *mut u8 {
    // SAFETY: without MAP_FIXED the kernel never replaces an existing mapping.
    let r = unsafe { mmap(hint as *mut u8, n, PROT_NONE, MAP_ANON | MAP_PRIVATE, -1, 0) };
    r.unwrap_or(core::ptr::null_mut())
}

/// Makes reserved address space [v, v+n) readable and writable (gc's sysMap: Reserved ->
/// Prepared; on Linux Prepared memory is usable at once, so this is also sysUsed's job).
///
/// # Safety
/// [v, v+n) must be address space this runtime reserved and does not use yet.
pub unsafe fn sys_map(v: *mut u8, n: usize) {
    let r = mmap(
        v,
        n,
        PROT_READ | PROT_WRITE,
        MAP_ANON | MAP_FIXED | MAP_PRIVATE,
        -1,
        0,
    );
    match r {
        Ok(p) if p == v => {}
        Err(ENOMEM) => throw("runtime: out of memory"),
        _ => throw("runtime: cannot map pages in arena address space"),
    }
}

/// Gives the physical pages behind [v, v+n) back to the OS; the range stays mapped and reads
/// back as zeros (gc's sysUnused with MADV_DONTNEED). Both ends must be physical-page aligned.
///
/// # Safety
/// Nothing may need the contents of the range.
pub unsafe fn sys_unused(v: *mut u8, n: usize) {
    let phys = crate::os_linux::phys_page_size();
    if (v as usize) & (phys - 1) != 0 || n & (phys - 1) != 0 {
        throw("unaligned sysUnused");
    }
    if madvise(v, n, MADV_DONTNEED).is_err() {
        throw("runtime: madvise(MADV_DONTNEED) failed");
    }
}

/// Announces that [v, v+n), released by `sys_unused`, is about to be used again (gc's
/// sysUsed). Linux refaults the pages on first touch, so nothing needs doing; gc's only work
/// here is transparent-huge-page advice, which goclift leaves to the kernel's defaults.
///
/// # Safety
/// The range must be mapped heap memory.
pub unsafe fn sys_used(_v: *mut u8, _n: usize) {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reserve_then_map_gives_zeroed_writable_memory() {
        let n = 1 << 20;
        let v = sys_reserve(0, n);
        assert!(!v.is_null());
        // SAFETY: the reservation is ours.
        unsafe {
            sys_map(v, n);
            assert_eq!(*v.add(n - 1), 0);
            *v.add(n - 1) = 1;
            sys_unused(v, n);
            sys_used(v, n);
            assert_eq!(*v.add(n - 1), 0, "released pages read back as zeros");
            sys_free_os(v, n);
        }
    }

    #[test]
    fn sys_alloc_counts_in_its_stat() {
        let stat = SysMemStat::new();
        let p = sys_alloc(65536, &stat);
        assert!(!p.is_null());
        assert_eq!(stat.load(), 65536);
        // SAFETY: allocated above, unused since.
        unsafe { sys_free(p, 65536, &stat) };
        assert_eq!(stat.load(), 0);
    }

    #[test]
    #[should_panic(expected = "unaligned sysUnused")]
    fn sys_unused_refuses_unaligned_ranges() {
        // SAFETY: the check fires before any system call.
        unsafe { sys_unused(4097 as *mut u8, 4096) };
    }
}
