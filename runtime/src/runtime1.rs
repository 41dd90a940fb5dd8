//! Process arguments and environment (Go's runtime1.go: args, goargs, goenvs).

use core::sync::atomic::{AtomicI32, AtomicPtr, Ordering};

static ARGC: AtomicI32 = AtomicI32::new(0);
static ARGV: AtomicPtr<*const u8> = AtomicPtr::new(core::ptr::null_mut());
static ENVP: AtomicPtr<*const u8> = AtomicPtr::new(core::ptr::null_mut());

/// Records the C entry's argc, argv and envp (gc's args), before any Go code runs.
pub fn args(argc: i32, argv: *const *const u8, envp: *const *const u8) {
    ARGC.store(argc, Ordering::Relaxed);
    ARGV.store(argv as *mut *const u8, Ordering::Relaxed);
    ENVP.store(envp as *mut *const u8, Ordering::Relaxed);
}

/// Number of command-line arguments, the program name included.
pub fn argc() -> usize {
    ARGC.load(Ordering::Relaxed).max(0) as usize
}

/// Command-line argument `i` (without its NUL), or None past the end.
pub fn arg(i: usize) -> Option<&'static [u8]> {
    if i >= argc() {
        return None;
    }
    // SAFETY: argv holds argc valid C strings that live for the whole process.
    unsafe { Some(c_string(*ARGV.load(Ordering::Relaxed).add(i))) }
}

/// Environment entry `i` ("KEY=value"), or None past the end (the array ends with null).
pub fn env(i: usize) -> Option<&'static [u8]> {
    let envp = ENVP.load(Ordering::Relaxed);
    if envp.is_null() {
        return None;
    }
    // SAFETY: envp is a null-terminated array of C strings that live for the whole process,
    // and entries before the terminator were already seen to be non-null.
    unsafe {
        for k in 0..i {
            if (*envp.add(k)).is_null() {
                return None;
            }
        }
        let p = *envp.add(i);
        if p.is_null() {
            None
        } else {
            Some(c_string(p))
        }
    }
}

/// The bytes of the NUL-terminated string at `p` (gc's gostringnocopy without the copy).
///
/// # Safety
/// `p` must point to a NUL-terminated string that lives for the rest of the process.
unsafe fn c_string(p: *const u8) -> &'static [u8] {
    let mut n = 0;
    while *p.add(n) != 0 {
        n += 1;
    }
    core::slice::from_raw_parts(p, n)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn args_and_env_are_read_back_from_the_c_arrays() {
        let argv: [*const u8; 3] = [
            c"prog".as_ptr().cast(),
            c"-x".as_ptr().cast(),
            core::ptr::null(),
        ];
        let envp: [*const u8; 2] = [c"HOME=/root".as_ptr().cast(), core::ptr::null()];
        args(2, argv.as_ptr(), envp.as_ptr());
        assert_eq!(argc(), 2);
        assert_eq!(arg(0), Some(&b"prog"[..]));
        assert_eq!(arg(1), Some(&b"-x"[..]));
        assert_eq!(arg(2), None);
        assert_eq!(env(0), Some(&b"HOME=/root"[..]));
        assert_eq!(env(1), None);
        assert_eq!(env(5), None);
    }
}

// Go-callable accessors for goclift's go/runtime (which builds os.Args and syscall's
// environment from them, as gc's goargs and goenvs do). Leaf functions.

/// The bytes as a Go string (pointer, length); ("" past the end).
fn go_string(s: Option<&'static [u8]>) -> crate::arch::Pair {
    let s = s.unwrap_or(&[]);
    crate::arch::Pair(s.as_ptr() as usize, s.len())
}

/// `runtime.argc() int`.
#[unsafe(export_name = "runtime.argc")]
extern "C" fn argc_from_go() -> isize {
    argc() as isize
}

/// `runtime.argv(i int) string`.
#[unsafe(export_name = "runtime.argv")]
extern "C" fn argv_from_go(i: isize) -> crate::arch::Pair {
    go_string(arg(i as usize))
}

/// `runtime.envv(i int) string`: environment entry i, "" past the end.
#[unsafe(export_name = "runtime.envv")]
extern "C" fn envv_from_go(i: isize) -> crate::arch::Pair {
    go_string(env(i as usize))
}
