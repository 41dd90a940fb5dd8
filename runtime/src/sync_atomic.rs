//! The bodyless functions of package sync/atomic (assembly in gc: sync/atomic/asm.s and
//! runtime/internal/atomic), as Go-callable leaf functions under their Go symbols.
//!
//! They are sequentially consistent, as Go's memory model asks of sync/atomic. None needs
//! the goroutine or much stack, so they are plain C-ABI functions (no `go_entry!` stub).
//! The Pointer variants store pointers: once the collector's write barrier exists they
//! must go through it (gc's atomicstorep and friends do).

use core::sync::atomic::Ordering::SeqCst;
use core::sync::atomic::{AtomicI32, AtomicI64, AtomicPtr, AtomicU32, AtomicU64, AtomicUsize};

/// Defines Swap, CompareAndSwap, Load and Store (and Add for integers) for one Go type.
macro_rules! atomic_ops {
    ($t:ty, $atomic:ty, $swap:literal, $cas:literal, $load:literal, $store:literal $(, $add:literal)?) => {
        const _: () = {
            /// `Swap`: stores `new` and returns the old value.
            #[unsafe(export_name = $swap)]
            unsafe extern "C" fn swap(addr: *mut $t, new: $t) -> $t {
                (*(addr as *const $atomic)).swap(new, SeqCst)
            }

            /// `CompareAndSwap`: stores `new` if the value is `old`; reports whether it did.
            #[unsafe(export_name = $cas)]
            unsafe extern "C" fn compare_and_swap(addr: *mut $t, old: $t, new: $t) -> bool {
                (*(addr as *const $atomic)).compare_exchange(old, new, SeqCst, SeqCst).is_ok()
            }

            /// `Load`.
            #[unsafe(export_name = $load)]
            unsafe extern "C" fn load(addr: *mut $t) -> $t {
                (*(addr as *const $atomic)).load(SeqCst)
            }

            /// `Store`.
            #[unsafe(export_name = $store)]
            unsafe extern "C" fn store(addr: *mut $t, val: $t) {
                (*(addr as *const $atomic)).store(val, SeqCst)
            }

            $(
                /// `Add`: adds `delta` (wrapping) and returns the new value.
                #[unsafe(export_name = $add)]
                unsafe extern "C" fn add(addr: *mut $t, delta: $t) -> $t {
                    (*(addr as *const $atomic)).fetch_add(delta, SeqCst).wrapping_add(delta)
                }
            )?
        };
    };
}

atomic_ops!(i32, AtomicI32, "sync/atomic.SwapInt32", "sync/atomic.CompareAndSwapInt32", "sync/atomic.LoadInt32", "sync/atomic.StoreInt32", "sync/atomic.AddInt32");
atomic_ops!(i64, AtomicI64, "sync/atomic.SwapInt64", "sync/atomic.CompareAndSwapInt64", "sync/atomic.LoadInt64", "sync/atomic.StoreInt64", "sync/atomic.AddInt64");
atomic_ops!(u32, AtomicU32, "sync/atomic.SwapUint32", "sync/atomic.CompareAndSwapUint32", "sync/atomic.LoadUint32", "sync/atomic.StoreUint32", "sync/atomic.AddUint32");
atomic_ops!(u64, AtomicU64, "sync/atomic.SwapUint64", "sync/atomic.CompareAndSwapUint64", "sync/atomic.LoadUint64", "sync/atomic.StoreUint64", "sync/atomic.AddUint64");
atomic_ops!(usize, AtomicUsize, "sync/atomic.SwapUintptr", "sync/atomic.CompareAndSwapUintptr", "sync/atomic.LoadUintptr", "sync/atomic.StoreUintptr", "sync/atomic.AddUintptr");
atomic_ops!(*mut u8, AtomicPtr<u8>, "sync/atomic.SwapPointer", "sync/atomic.CompareAndSwapPointer", "sync/atomic.LoadPointer", "sync/atomic.StorePointer");
