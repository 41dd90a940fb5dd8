package runtime

import _ "unsafe"

// The runtime side of package internal/poll (gc's netpoll.go and sema.go).

//go:linkname poll_runtime_Semacquire internal/poll.runtime_Semacquire
func poll_runtime_Semacquire(addr *uint32) { semacquire1(addr, false) }

//go:linkname poll_runtime_Semrelease internal/poll.runtime_Semrelease
func poll_runtime_Semrelease(addr *uint32) { semrelease1(addr, false) }

// The netpoller (the Rust runtime's netpoll.rs and netpoll_epoll.rs). A poll descriptor
// is a uintptr here as in internal/poll; mode is 'r', 'w' or 'r'+'w'; the int results
// are internal/poll's pollNoError, pollErrClosing, pollErrTimeout, pollErrNotPollable.
func pollServerInit()
func isPollServerDescriptor(fd uintptr) bool
func pollOpen(fd uintptr) (uintptr, int)
func pollClose(ctx uintptr)
func pollReset(ctx uintptr, mode int) int
func pollWait(ctx uintptr, mode int) int
func pollWaitCanceled(ctx uintptr, mode int)
func pollSetDeadline(ctx uintptr, d int64, mode int)
func pollUnblock(ctx uintptr)

//go:linkname poll_runtime_pollServerInit internal/poll.runtime_pollServerInit
func poll_runtime_pollServerInit() { pollServerInit() }

//go:linkname poll_runtime_isPollServerDescriptor internal/poll.runtime_isPollServerDescriptor
func poll_runtime_isPollServerDescriptor(fd uintptr) bool { return isPollServerDescriptor(fd) }

//go:linkname poll_runtime_pollOpen internal/poll.runtime_pollOpen
func poll_runtime_pollOpen(fd uintptr) (uintptr, int) { return pollOpen(fd) }

//go:linkname poll_runtime_pollClose internal/poll.runtime_pollClose
func poll_runtime_pollClose(ctx uintptr) { pollClose(ctx) }

//go:linkname poll_runtime_pollReset internal/poll.runtime_pollReset
func poll_runtime_pollReset(ctx uintptr, mode int) int { return pollReset(ctx, mode) }

//go:linkname poll_runtime_pollWait internal/poll.runtime_pollWait
func poll_runtime_pollWait(ctx uintptr, mode int) int { return pollWait(ctx, mode) }

//go:linkname poll_runtime_pollWaitCanceled internal/poll.runtime_pollWaitCanceled
func poll_runtime_pollWaitCanceled(ctx uintptr, mode int) { pollWaitCanceled(ctx, mode) }

//go:linkname poll_runtime_pollSetDeadline internal/poll.runtime_pollSetDeadline
func poll_runtime_pollSetDeadline(ctx uintptr, d int64, mode int) { pollSetDeadline(ctx, d, mode) }

//go:linkname poll_runtime_pollUnblock internal/poll.runtime_pollUnblock
func poll_runtime_pollUnblock(ctx uintptr) { pollUnblock(ctx) }
