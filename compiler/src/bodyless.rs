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
    "reflect.typehash",
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
    "runtime.assertE2I",
    "runtime.callers",
    "runtime.chancap",
    "runtime.chanlen",
    "runtime.chanrecv2",
    "runtime.chansend1",
    "runtime.closechan",
    "runtime.entersyscall",
    "runtime.envv",
    "runtime.exitsyscall",
    "runtime.fastrandn",
    "runtime.findfunc",
    "runtime.freeOSMemory",
    "runtime.makechan",
    "runtime.makemap",
    "runtime.mallocgc",
    "runtime.mapaccess2",
    "runtime.mapassign",
    "runtime.mapdelete",
    "runtime.mapiterinit",
    "runtime.mapiternext",
    "runtime.memequal",
    "runtime.memmove",
    "runtime.nanotime",
    "runtime.procPin",
    "runtime.procUnpin",
    "runtime.rawsyscall6",
    "runtime.registerErrorType",
    "runtime.resolveNameOff",
    "runtime.resolveTextOff",
    "runtime.resolveTypeOff",
    "runtime.selectnbrecv",
    "runtime.selectnbsend",
    "runtime.semacquire1",
    "runtime.semrelease1",
    "runtime.setGCPercent",
    "runtime.setMemoryLimit",
    "runtime.stack",
    "runtime.throw",
    "runtime.typesBase",
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

/// The runtime's functions behind the hooks of time, os, syscall and internal/poll (the
/// netpoller, netpoll.rs) that go/runtime's time.go, os.go and poll.go push (kept apart so
/// that they merge as a block).
const RUNTIME_TIME_OS: &[&str] = &[
    "runtime.exit",
    "runtime.isPollServerDescriptor",
    "runtime.modTimer",
    "runtime.pollClose",
    "runtime.pollOpen",
    "runtime.pollReset",
    "runtime.pollServerInit",
    "runtime.pollSetDeadline",
    "runtime.pollUnblock",
    "runtime.pollWait",
    "runtime.pollWaitCanceled",
    "runtime.resetTimer",
    "runtime.startTimer",
    "runtime.stopTimer",
    "runtime.timeSleep",
    "runtime.walltime",
];

/// The machine half of the reflect bridge (go/reflect, runtime/src/reflectcall.rs): the
/// machine-call primitive and the stubs of functions reflect makes.
const RUNTIME_REFLECT: &[&str] = &["reflect.gocliftMachineCall", "reflect.makeFuncStub", "reflect.methodValueCall"];

/// The runtime's functions behind os/signal, syscall.Getpagesize and runtime.Breakpoint
/// (runtime/src/sigqueue.rs, signal_linux.rs), pushed by go/runtime's signal.go and exec.go.
const RUNTIME_SIGNAL: &[&str] = &[
    "runtime.breakpoint",
    "runtime.clearSignalHandlers",
    "runtime.physPageSize",
    "runtime.sigdisable",
    "runtime.sigenable",
    "runtime.sigignore",
    "runtime.sigqueueIdle",
    "runtime.sigqueueIgnored",
    "runtime.sigqueueSeq",
    "runtime.sigqueueTake",
    "runtime.sigqueueWait",
    "runtime.sigqueueWant",
];

/// How the bodyless function with linker symbol `symbol` is provided, if goclift has it.
pub fn provider(symbol: &str) -> Option<Provider> {
    let listed = |table: &[&str]| table.binary_search(&symbol).is_ok();
    (listed(RUNTIME) || listed(RUNTIME_TIME_OS) || listed(RUNTIME_REFLECT) || listed(RUNTIME_SIGNAL))
        .then_some(Provider::Runtime)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_is_sorted_for_binary_search() {
        assert!(RUNTIME.windows(2).all(|w| w[0] < w[1]));
        assert!(RUNTIME_TIME_OS.windows(2).all(|w| w[0] < w[1]));
        assert!(RUNTIME_REFLECT.windows(2).all(|w| w[0] < w[1]));
        assert!(RUNTIME_SIGNAL.windows(2).all(|w| w[0] < w[1]));
        assert_eq!(provider("runtime.walltime"), Some(Provider::Runtime));
        assert_eq!(provider("runtime.Gosched"), Some(Provider::Runtime));
        assert_eq!(provider("math.archFloor"), None);
    }
}
