package runtime

import "unsafe"

// The runtime side of package time (gc's time.go and timestub.go): the clocks, Sleep and
// the timers behind time.Timer, time.Ticker and time.After, on the Rust runtime's per-P
// timer heaps (time.rs). A time.runtimeTimer has the layout of the runtime's Timer; its
// function f is a Go func value that the runtime calls on g0 as goclift calls any
// func(any, uintptr) value (arg's two words, seq, then the closure context).

// walltime returns the wall clock (seconds and nanoseconds since 1970).
func walltime() (sec int64, nsec int32)

// timeSleep puts the calling goroutine to sleep for at least ns nanoseconds.
func timeSleep(ns int64)

// startTimer, stopTimer, resetTimer and modTimer act on a time.runtimeTimer.
func startTimer(t unsafe.Pointer)
func stopTimer(t unsafe.Pointer) bool
func resetTimer(t unsafe.Pointer, when int64) bool
func modTimer(t unsafe.Pointer, when, period int64, f func(any, uintptr), arg any, seq uintptr)

//go:linkname time_now time.now
func time_now() (sec int64, nsec int32, mono int64) {
	sec, nsec = walltime()
	return sec, nsec, nanotime()
}

//go:linkname time_Sleep time.Sleep
func time_Sleep(ns int64) { timeSleep(ns) }

//go:linkname time_startTimer time.startTimer
func time_startTimer(t unsafe.Pointer) { startTimer(t) }

//go:linkname time_stopTimer time.stopTimer
func time_stopTimer(t unsafe.Pointer) bool { return stopTimer(t) }

//go:linkname time_resetTimer time.resetTimer
func time_resetTimer(t unsafe.Pointer, when int64) bool { return resetTimer(t, when) }

//go:linkname time_modTimer time.modTimer
func time_modTimer(t unsafe.Pointer, when, period int64, f func(any, uintptr), arg any, seq uintptr) {
	modTimer(t, when, period, f, arg, seq)
}
