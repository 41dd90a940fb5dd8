package runtime

import (
	"sync/atomic"
	_ "unsafe"
)

// The other hooks of package sync (gc's proc.go, mgc.go, stubs.go).

// nanotime returns the monotonic clock in nanoseconds.
func nanotime() int64

// procPin disables preemption of the calling goroutine and returns its P's id.
func procPin() int

// procUnpin undoes procPin.
func procUnpin()

// fastrandn returns a pseudo-random number in [0, n).
func fastrandn(n uint32) uint32

// throw prints "fatal error: s" and exits with status 2.
func throw(s string)

//go:linkname sync_runtime_nanotime sync.runtime_nanotime
func sync_runtime_nanotime() int64 { return nanotime() }

//go:linkname sync_runtime_procPin sync.runtime_procPin
func sync_runtime_procPin() int { return procPin() }

//go:linkname sync_runtime_procUnpin sync.runtime_procUnpin
func sync_runtime_procUnpin() { procUnpin() }

//go:linkname sync_fastrandn sync.fastrandn
func sync_fastrandn(n uint32) uint32 { return fastrandn(n) }

//go:linkname sync_throw sync.throw
func sync_throw(s string) { throw(s) }

//go:linkname sync_fatal sync.fatal
func sync_fatal(s string) { throw(s) }

// sync_runtime_canSpin reports whether sync.Mutex should spin before parking. goclift's
// mutexes always park instead (spinning is an optimisation gc makes on multicore machines;
// parking is always correct).
//
//go:linkname sync_runtime_canSpin sync.runtime_canSpin
func sync_runtime_canSpin(i int) bool { return false }

//go:linkname sync_runtime_doSpin sync.runtime_doSpin
func sync_runtime_doSpin() {}

// poolcleanup is sync's function that empties the sync.Pools; the collector calls it at
// the start of each cycle.
var poolcleanup func()

//go:linkname sync_runtime_registerPoolCleanup sync.runtime_registerPoolCleanup
func sync_runtime_registerPoolCleanup(f func()) { poolcleanup = f }

//go:linkname sync_runtime_LoadAcquintptr runtime/internal/atomic.LoadAcquintptr
func sync_runtime_LoadAcquintptr(ptr *uintptr) uintptr { return atomic.LoadUintptr(ptr) }

//go:linkname sync_runtime_StoreReluintptr runtime/internal/atomic.StoreReluintptr
func sync_runtime_StoreReluintptr(ptr *uintptr, val uintptr) uintptr {
	atomic.StoreUintptr(ptr, val)
	return val
}

//go:linkname sync_atomic_runtime_procPin sync/atomic.runtime_procPin
func sync_atomic_runtime_procPin() int { return procPin() }

//go:linkname sync_atomic_runtime_procUnpin sync/atomic.runtime_procUnpin
func sync_atomic_runtime_procUnpin() { procUnpin() }
