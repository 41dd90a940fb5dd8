//! Functions declared without a Go body — in GOROOT they are assembly or `//go:linkname`
//! hooks into gc's runtime; in goclift's own packages (go/) they are the Rust runtime's —
//! and how goclift provides each: the one table of them (../shared/DESIGN.md, "Bodyless
//! functions"). A call of a bodyless function that is not listed is reported at compile
//! time instead of failing at link time.

/// How a bodyless function is provided.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Provider {
    /// The Rust runtime defines the function under its Go symbol, with the Go calling
    /// convention (a `go_entry!` stub).
    Runtime,
}

/// Bodyless functions the Rust runtime implements, by symbol.
const RUNTIME: &[&str] = &[
    "internal/reflectlite.resolveNameOff",
    "internal/reflectlite.resolveTypeOff",
    "reflect.resolveNameOff",
    "reflect.resolveTextOff",
    "reflect.resolveTypeOff",
    "runtime.GC",
    "runtime.GOMAXPROCS",
    "runtime.Goexit",
    "runtime.Gosched",
    "runtime.KeepAlive",
    "runtime.LockOSThread",
    "runtime.NumCPU",
    "runtime.NumGoroutine",
    "runtime.ReadMemStats",
    "runtime.SetFinalizer",
    "runtime.UnlockOSThread",
    "runtime.argc",
    "runtime.argv",
    "runtime.chanlen",
    "runtime.entersyscall",
    "runtime.envv",
    "runtime.exitsyscall",
    "runtime.fastrandn",
    "runtime.freeOSMemory",
    "runtime.mallocgc",
    "runtime.memequal",
    "runtime.memmove",
    "runtime.nanotime",
    "runtime.procPin",
    "runtime.procUnpin",
    "runtime.rawsyscall6",
    "runtime.semacquire1",
    "runtime.semrelease1",
    "runtime.setGCPercent",
    "runtime.setMemoryLimit",
    "runtime.throw",
    "sync/atomic.AddInt32",
    "sync/atomic.AddInt64",
    "sync/atomic.AddUint32",
    "sync/atomic.AddUint64",
    "sync/atomic.AddUintptr",
    "sync/atomic.CompareAndSwapInt32",
    "sync/atomic.CompareAndSwapInt64",
    "sync/atomic.CompareAndSwapPointer",
    "sync/atomic.CompareAndSwapUint32",
    "sync/atomic.CompareAndSwapUint64",
    "sync/atomic.CompareAndSwapUintptr",
    "sync/atomic.LoadInt32",
    "sync/atomic.LoadInt64",
    "sync/atomic.LoadPointer",
    "sync/atomic.LoadUint32",
    "sync/atomic.LoadUint64",
    "sync/atomic.LoadUintptr",
    "sync/atomic.StoreInt32",
    "sync/atomic.StoreInt64",
    "sync/atomic.StorePointer",
    "sync/atomic.StoreUint32",
    "sync/atomic.StoreUint64",
    "sync/atomic.StoreUintptr",
    "sync/atomic.SwapInt32",
    "sync/atomic.SwapInt64",
    "sync/atomic.SwapPointer",
    "sync/atomic.SwapUint32",
    "sync/atomic.SwapUint64",
    "sync/atomic.SwapUintptr",
];

/// How the bodyless function with linker symbol `symbol` is provided, if goclift has it.
pub fn provider(symbol: &str) -> Option<Provider> {
    RUNTIME.binary_search(&symbol).is_ok().then_some(Provider::Runtime)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_is_sorted_for_binary_search() {
        assert!(RUNTIME.windows(2).all(|w| w[0] < w[1]));
        assert_eq!(provider("runtime.Gosched"), Some(Provider::Runtime));
        assert_eq!(provider("math.archFloor"), None);
    }
}
