//! goclift's runtime: what compiled Go programs call into (printing, entry, and later the
//! scheduler, allocator and collector). Built as a staticlib by tools/build-runtime.sh; see
//! runtime/README.md for the ABI the compiler relies on.
//!
//! Module names follow the Go runtime's file names (print.go -> print.rs, and so on).
//!
//! The items that only a final executable may contain (the C `main`, the panic handler, the
//! personality stub) are compiled only with `--cfg goclift_staticlib`, which
//! tools/build-runtime.sh passes. Without it, as under cargo, the crate is an ordinary no_std
//! library, so std crates (unit tests, the compiler's ABI agreement tests) can link it.
#![cfg_attr(not(test), no_std)]

pub mod alg;
pub mod arch;
pub mod chan;
pub mod complex;
pub mod error;
pub mod iface;
pub mod lock_futex;
pub mod malloc;
pub mod mbarrier;
pub mod map;
pub mod mbitmap;
pub mod mcache;
pub mod mcentral;
pub mod mem_linux;
pub mod mfixalloc;
pub mod mfinal;
pub mod mgc;
pub mod mgcmark;
pub mod mgcpacer;
pub mod mgcscavenge;
pub mod mgcsweep;
pub mod morestack;
pub mod mheap;
pub mod mpagealloc;
pub mod mpallocbits;
pub mod mranges;
pub mod mspanset;
pub mod mstats;
pub mod mwbbuf;
pub mod netpoll;
pub mod netpoll_epoll;
pub mod os_linux;
pub mod panic;
pub mod print;
pub mod proc;
pub mod reflectcall;
pub mod runtime1;
pub mod runtime2;
pub mod select;
pub mod sema;
pub mod signal_linux;
pub mod sigqueue;
pub mod sigtab_linux;
pub mod slice;
pub mod sizeclasses;
pub mod sync_atomic;
pub mod stack;
pub mod string;
pub mod symtab;
pub mod time;
pub mod traceback;
pub mod r#type;
pub mod utf8;

/// A Rust panic inside the runtime is a runtime bug: report it like gc's throw and exit 2.
#[cfg(all(goclift_staticlib, not(test)))]
#[panic_handler]
fn panic_handler(info: &core::panic::PanicInfo) -> ! {
    use core::fmt::Write;
    let mut out = StderrWriter;
    let _ = writeln!(out, "fatal error: {}", info.message());
    os_linux::exit(2)
}

/// Unbuffered standard error for core::fmt, used only on the way out.
#[cfg(all(goclift_staticlib, not(test)))]
struct StderrWriter;

#[cfg(all(goclift_staticlib, not(test)))]
impl core::fmt::Write for StderrWriter {
    fn write_str(&mut self, s: &str) -> core::fmt::Result {
        os_linux::write_all(2, s.as_bytes());
        Ok(())
    }
}

/// The Rust unwinding personality, which the prebuilt `core` (compiled with panic=unwind)
/// references from its unwind tables. The runtime is built with panic=abort and no Go or C
/// frame unwinds through Rust, so it can never run; defining it lets executables link without
/// depending on --gc-sections to drop those references.
#[cfg(all(goclift_staticlib, not(test)))]
#[unsafe(no_mangle)]
pub extern "C" fn rust_eh_personality() {
    panic::throw("unexpected unwinding through the runtime");
}
