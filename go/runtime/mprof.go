package runtime

import "sync/atomic"

// Profiling controls (gc's mprof.go). goclift's allocator does not sample allocations and
// its runtime records no blocking or contention events, so the profiles are complete but
// empty: MemProfile, BlockProfile and MutexProfile report zero records. The rates are real
// variables that programs set and read back.

// MemProfileRate controls the fraction of memory allocations that are recorded and
// reported in the memory profile (gc's default: one sample per 512 KiB allocated).
var MemProfileRate int = 512 * 1024

// A StackRecord describes a single execution stack.
type StackRecord struct {
	Stack0 [32]uintptr // stack trace for this record; ends at first 0 entry
}

// Stack returns the stack trace associated with the record, a prefix of r.Stack0.
func (r *StackRecord) Stack() []uintptr {
	for i, v := range r.Stack0 {
		if v == 0 {
			return r.Stack0[0:i]
		}
	}
	return r.Stack0[0:]
}

// A MemProfileRecord describes the live objects allocated by a particular call sequence
// (stack trace).
type MemProfileRecord struct {
	AllocBytes, FreeBytes     int64       // number of bytes allocated, freed
	AllocObjects, FreeObjects int64       // number of objects allocated, freed
	Stack0                    [32]uintptr // stack trace for this record; ends at first 0 entry
}

// InUseBytes returns the number of bytes in use (AllocBytes - FreeBytes).
func (r *MemProfileRecord) InUseBytes() int64 { return r.AllocBytes - r.FreeBytes }

// InUseObjects returns the number of objects in use (AllocObjects - FreeObjects).
func (r *MemProfileRecord) InUseObjects() int64 {
	return r.AllocObjects - r.FreeObjects
}

// Stack returns the stack trace associated with the record, a prefix of r.Stack0.
func (r *MemProfileRecord) Stack() []uintptr {
	for i, v := range r.Stack0 {
		if v == 0 {
			return r.Stack0[0:i]
		}
	}
	return r.Stack0[0:]
}

// MemProfile returns a profile of memory allocated and freed per allocation site: n is
// the number of records; if len(p) >= n, they are copied into p and ok is true. goclift
// takes no samples, so n is 0.
func MemProfile(p []MemProfileRecord, inuseZero bool) (n int, ok bool) {
	return 0, true
}

// BlockProfileRecord describes blocking events originated at a particular call sequence.
type BlockProfileRecord struct {
	Count  int64
	Cycles int64
	StackRecord
}

var blockprofilerate uint64 // in CPU ticks; only recorded
var mutexprofilerate uint64 // fraction sampled; only recorded

// SetBlockProfileRate controls the fraction of goroutine blocking events that are
// reported in the blocking profile (rate <= 0 turns it off; 1 records every event).
func SetBlockProfileRate(rate int) {
	r := int64(0)
	if rate > 0 {
		r = int64(rate) // gc converts nanoseconds to ticks; goclift counts no ticks
	}
	atomic.StoreUint64(&blockprofilerate, uint64(r))
}

// SetMutexProfileFraction controls the fraction of mutex contention events reported in
// the mutex profile and returns the previous rate; a negative rate only reads it.
func SetMutexProfileFraction(rate int) int {
	if rate < 0 {
		return int(atomic.LoadUint64(&mutexprofilerate))
	}
	return int(atomic.SwapUint64(&mutexprofilerate, uint64(rate)))
}

// BlockProfile returns the blocking profile (no records under goclift).
func BlockProfile(p []BlockProfileRecord) (n int, ok bool) { return 0, true }

// MutexProfile returns the mutex contention profile (no records under goclift).
func MutexProfile(p []BlockProfileRecord) (n int, ok bool) { return 0, true }
