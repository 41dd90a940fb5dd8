package runtime

import _ "unsafe"

// os/signal's hooks (gc's sigqueue.go): the signal handler queues the signals the program
// asked for (runtime/src/sigqueue.rs) and os/signal's loop goroutine takes them in
// signal_recv. The handler's dispositions change in runtime/src/signal_linux.rs.

func sigqueueSeq() uint32
func sigqueueTake() uint32
func sigqueueWait(seq uint32)
func sigqueueIdle() bool
func sigqueueWant(sig uint32, op uint32)

// sigqueueWant's operations.
const (
	sigEnable  = 0
	sigDisable = 1
	sigIgnore  = 2
)
func sigqueueIgnored(sig uint32) bool
func sigenable(sig uint32)
func sigdisable(sig uint32)
func sigignore(sig uint32)
func clearSignalHandlers()

// signal_recv blocks until a signal the program asked for arrives and returns it. The wait
// is a system call as far as the scheduler knows, so other goroutines keep its P.
//
//go:linkname signal_recv os/signal.signal_recv
func signal_recv() uint32 {
	for {
		seq := sigqueueSeq()
		if sig := sigqueueTake(); sig != 0 {
			return sig
		}
		entersyscall()
		sigqueueWait(seq)
		exitsyscall()
	}
}

//go:linkname signal_enable os/signal.signal_enable
func signal_enable(sig uint32) {
	sigqueueWant(sig, sigEnable)
	sigenable(sig)
}

//go:linkname signal_disable os/signal.signal_disable
func signal_disable(sig uint32) {
	sigqueueWant(sig, sigDisable)
	sigdisable(sig)
}

//go:linkname signal_ignore os/signal.signal_ignore
func signal_ignore(sig uint32) {
	sigqueueWant(sig, sigIgnore)
	sigignore(sig)
}

//go:linkname signal_ignored os/signal.signal_ignored
func signal_ignored(sig uint32) bool { return sigqueueIgnored(sig) }

// signalWaitUntilIdle returns once no signal is on its way to os/signal's loop goroutine
// (signal.Stop's guarantee that none is delivered afterwards). os/signal calls it only after
// its loop goroutine has started.
//
//go:linkname signalWaitUntilIdle os/signal.signalWaitUntilIdle
func signalWaitUntilIdle() {
	for !sigqueueIdle() {
		Gosched()
	}
}
