//! Process start-up and exit (Go's proc.go: the main thread's g0 and the call of main.main).
//!
//! Executables start in glibc's crt1, which calls the C `main` below; it sets up g0 on the
//! current thread stack and runs the compiled program's `goclift.main` with g0 in the g register.

use crate::runtime2::{Stack, G, M, P};
use crate::stack::{G0_STACK_SIZE, STACK_GUARD};

#[cfg(all(goclift_staticlib, not(test)))]
unsafe extern "C" {
    /// The compiler-generated program entry: package initialisation, then main.main.
    #[link_name = "goclift.main"]
    fn goclift_main();
}

/// The C entry point: records the arguments, initialises g0, runs the Go program, exits 0.
///
/// # Safety
/// Called once, by crt1, with the process's argument and environment arrays.
#[cfg(all(goclift_staticlib, not(test)))]
#[unsafe(no_mangle)]
pub unsafe extern "C" fn main(argc: i32, argv: *const *const u8, envp: *const *const u8) -> i32 {
    crate::runtime1::args(argc, argv, envp);
    crate::os_linux::sysargs(envp);
    let g0 = &raw mut crate::runtime2::G0;
    init_g0(&mut *g0, crate::arch::current_sp());
    schedinit(
        g0,
        &raw mut crate::runtime2::M0,
        &raw mut crate::runtime2::P0,
    );
    crate::arch::goclift_call_with_g(goclift_main, g0);
    crate::os_linux::exit(0)
}

/// Initialises what runs before any Go code (gc's schedinit, as far as goclift has it): the
/// allocator, m0 with its g0, and P0 with the bootstrap mcache (gc's procresize(1)).
///
/// # Safety
/// Called once, on the main thread, with its g0, m0 and P0.
pub unsafe fn schedinit(g0: *mut G, m0: *mut M, p0: *mut P) {
    crate::malloc::mallocinit();
    (*m0).g0 = g0;
    (*g0).m = m0;
    (*p0).mcache = crate::malloc::take_mcache0();
    (*p0).m = m0;
    (*m0).p = p0;
}

/// Gives g0 the top G0_STACK_SIZE bytes below `sp` of the thread stack, as gc's rt0_go does.
pub fn init_g0(g0: &mut G, sp: usize) {
    let hi = sp & !15;
    let lo = hi - G0_STACK_SIZE;
    g0.stack = Stack { lo, hi };
    g0.stackguard0 = lo + STACK_GUARD;
    g0.stackguard1 = g0.stackguard0;
}

/// Exits the process with `code` (gc's runtime.exit, used by os.Exit).
#[unsafe(export_name = "runtime.exit")]
pub extern "C" fn exit(code: i32) {
    crate::os_linux::exit(code)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn g0_gets_64k_below_the_aligned_sp_with_a_guard() {
        let mut g = G::default();
        init_g0(&mut g, 0x7fff_0000_1238);
        assert_eq!(g.stack.hi, 0x7fff_0000_1230);
        assert_eq!(g.stack.lo, 0x7fff_0000_1230 - 65536);
        assert_eq!(g.stackguard0, g.stack.lo + 928);
        assert_eq!(g.stackguard1, g.stackguard0);
    }
}
