package runtime

import "unsafe"

// The runtime hooks of packages os and syscall beyond arguments and environment
// (syscall.go): exit, the system-call brackets, SIGPIPE on standard output, fastrand.

// exit ends the process with status code at once (exit_group): like gc's os.Exit, no
// deferred calls run and nothing is flushed.
func exit(code int32)

//go:linkname syscall_Exit syscall.Exit
func syscall_Exit(code int) { exit(int32(code)) }

// os_beforeExit runs before os.Exit(0); gc uses it for the race detector only.
//
//go:linkname os_beforeExit os.runtime_beforeExit
func os_beforeExit() {}

//go:linkname syscall_runtime_entersyscall syscall.runtime_entersyscall
func syscall_runtime_entersyscall() { entersyscall() }

//go:linkname syscall_runtime_exitsyscall syscall.runtime_exitsyscall
func syscall_runtime_exitsyscall() { exitsyscall() }

// setenv_c and unsetenv_c update the C environment, which exists only with cgo.
//
//go:linkname syscall_setenv_c syscall.setenv_c
func syscall_setenv_c(k, v string) {}

//go:linkname syscall_unsetenv_c syscall.unsetenv_c
func syscall_unsetenv_c(k string) {}

// os_fastrand returns a pseudo-random number (for temporary file names).
//
//go:linkname os_fastrand os.fastrand
func os_fastrand() uint32 { return fastrandn(^uint32(0)) }

// os_sigpipe is called when a write to standard output or error fails with EPIPE: the
// program dies of SIGPIPE, as gc's programs do (gc's dieFromSignal: default action, then
// raise; exit status 2 if that did not kill it).
//
//go:linkname os_sigpipe os.sigpipe
func os_sigpipe() {
	const sigpipe = 13
	var act [4]uintptr // struct sigaction with SIG_DFL and no flags
	rawsyscall6(sysRtSigaction, sigpipe, uintptr(unsafe.Pointer(&act)), 0, 8, 0, 0)
	var set [1]uint64
	set[0] = 1 << (sigpipe - 1)
	const sigUnblock = 1
	rawsyscall6(sysRtSigprocmask, sigUnblock, uintptr(unsafe.Pointer(&set)), 0, 8, 0, 0)
	rawsyscall6(sysTgkill, uintptr(rawsyscall6(sysGetpid, 0, 0, 0, 0, 0, 0)),
		uintptr(rawsyscall6(sysGettid, 0, 0, 0, 0, 0, 0)), sigpipe, 0, 0, 0)
	exit(2)
}

// The fork hooks of syscall.forkExec (gc's proc.go syscall_runtime_BeforeFork ...).

const (
	cloneVM    = 0x100
	cloneVfork = 0x4000
	sigSetmask = 2
)

// forkSigmask is the forking thread's signal mask, saved by BeforeFork (forkExec holds
// syscall.ForkLock from BeforeFork to AfterFork).
var forkSigmask uint64

// syscall_runtime_BeforeFork pins the goroutine to its M, so that a preemption request in
// its stack guard cannot enter the scheduler in the child, and blocks all signals.
//
//go:linkname syscall_runtime_BeforeFork syscall.runtime_BeforeFork
func syscall_runtime_BeforeFork() {
	procPin()
	all := ^uint64(0)
	rawsyscall6(sysRtSigprocmask, sigSetmask, uintptr(unsafe.Pointer(&all)),
		uintptr(unsafe.Pointer(&forkSigmask)), 8, 0, 0)
}

// syscall_runtime_AfterFork undoes BeforeFork in the parent.
//
//go:linkname syscall_runtime_AfterFork syscall.runtime_AfterFork
func syscall_runtime_AfterFork() {
	rawsyscall6(sysRtSigprocmask, sigSetmask, uintptr(unsafe.Pointer(&forkSigmask)), 0, 8, 0, 0)
	procUnpin()
}

// syscall_runtime_AfterForkInChild gives the signals the runtime catches their default
// action, so that its handler cannot run in the child before the exec, and restores the
// signal mask the program to be executed inherits (gc's clearSignalHandlers, msigrestore).
//
//go:linkname syscall_runtime_AfterForkInChild syscall.runtime_AfterForkInChild
func syscall_runtime_AfterForkInChild() {
	clearSignalHandlers()
	rawsyscall6(sysRtSigprocmask, sigSetmask, uintptr(unsafe.Pointer(&forkSigmask)), 0, 8, 0, 0)
}

// syscall_rawVforkSyscall is the clone of forkExec's child. gc runs the child on the
// parent's stack (CLONE_VM|CLONE_VFORK) from assembly that keeps its return address in a
// register; compiled code may spill values the parent reads back and may grow its stack,
// so goclift gives the child a copy of the address space instead: the same clone without
// CLONE_VM and CLONE_VFORK, which is forkExec's own path when vfork cannot be used. The
// parent learns of the exec's success through forkExec's close-on-exec pipe either way.
//
//go:linkname syscall_rawVforkSyscall syscall.rawVforkSyscall
func syscall_rawVforkSyscall(trap, a1 uintptr) (r1 uintptr, err uintptr) {
	r := rawsyscall6(trap, a1&^(cloneVM|cloneVfork), 0, 0, 0, 0, 0)
	if r < 0 && r > -4096 {
		return ^uintptr(0), uintptr(-r)
	}
	return uintptr(r), 0
}
