package runtime

import _ "unsafe"

// syscall.Exec's hooks, the page size, and Breakpoint.

// syscall_runtime_BeforeExec and AfterExec bracket execve in syscall.Exec. gc takes its
// execLock there so that its runtime starts no new thread while the process image is
// replaced (gc issue 19546: on some systems exec from a multithreaded process fails while
// another thread is being created). goclift creates Ms under the scheduler lock only;
// the hooks have nothing to hold, and exec proceeds as gc's does otherwise.
//
//go:linkname syscall_runtime_BeforeExec syscall.runtime_BeforeExec
func syscall_runtime_BeforeExec() {}

//go:linkname syscall_runtime_AfterExec syscall.runtime_AfterExec
func syscall_runtime_AfterExec() {}

// physPageSize returns the system's page size (from the auxiliary vector).
func physPageSize() int

//go:linkname syscall_Getpagesize syscall.Getpagesize
func syscall_Getpagesize() int { return physPageSize() }

// breakpoint executes a breakpoint trap (int3 / brk).
func breakpoint()

// Breakpoint executes a breakpoint trap: without a debugger attached, the program dies of
// SIGTRAP with gc's crash report.
func Breakpoint() { breakpoint() }
