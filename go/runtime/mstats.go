// Memory statistics: gc 1.19's MemStats, field for field (the Rust runtime fills it in
// gc's layout, runtime/src/mgc.rs write_memstats).

package runtime

// A MemStats records statistics about the memory allocator.
type MemStats struct {
	Alloc      uint64
	TotalAlloc uint64
	Sys        uint64
	Lookups    uint64
	Mallocs    uint64
	Frees      uint64

	HeapAlloc    uint64
	HeapSys      uint64
	HeapIdle     uint64
	HeapInuse    uint64
	HeapReleased uint64
	HeapObjects  uint64

	StackInuse  uint64
	StackSys    uint64
	MSpanInuse  uint64
	MSpanSys    uint64
	MCacheInuse uint64
	MCacheSys   uint64
	BuckHashSys uint64
	GCSys       uint64
	OtherSys    uint64

	NextGC        uint64
	LastGC        uint64
	PauseTotalNs  uint64
	PauseNs       [256]uint64
	PauseEnd      [256]uint64
	NumGC         uint32
	NumForcedGC   uint32
	GCCPUFraction float64
	EnableGC      bool
	DebugGC       bool

	BySize [61]struct {
		Size    uint32
		Mallocs uint64
		Frees   uint64
	}
}

// ReadMemStats populates m with memory allocator statistics (provided by the Rust runtime).
func ReadMemStats(m *MemStats)

// The collector's knobs behind runtime/debug (gc's mgc.go/mgcpacer.go linknames); the
// bodyless functions below are the Rust runtime's (mgcpacer.rs).

//go:linkname debug_setGCPercent runtime/debug.setGCPercent
func debug_setGCPercent(percent int32) int32 { return setGCPercent(percent) }

//go:linkname debug_setMemoryLimit runtime/debug.setMemoryLimit
func debug_setMemoryLimit(limit int64) int64 { return setMemoryLimit(limit) }

//go:linkname debug_freeOSMemory runtime/debug.freeOSMemory
func debug_freeOSMemory() { freeOSMemory() }

func setGCPercent(percent int32) int32
func setMemoryLimit(limit int64) int64
func freeOSMemory()
