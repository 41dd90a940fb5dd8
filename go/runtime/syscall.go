package runtime

import _ "unsafe"

// The runtime side of packages syscall and os (gc's runtime/internal/syscall, runtime1.go's
// goargs/goenvs and the linknames of proc.go).

// rawsyscall6 makes system call trap and returns the kernel's result: a value, or a
// negated errno.
func rawsyscall6(trap, a1, a2, a3, a4, a5, a6 uintptr) int

// entersyscall and exitsyscall bracket a system call that may block, so that the
// scheduler can hand the processor to another thread meanwhile.
func entersyscall()
func exitsyscall()

// argc returns the number of command-line arguments; argv the i-th; envv the i-th
// environment entry ("" past the end).
func argc() int
func argv(i int) string
func envv(i int) string

// syscall_RawSyscall6 is syscall.RawSyscall6: err is a syscall.Errno (a uintptr).
//
//go:linkname syscall_RawSyscall6 syscall.RawSyscall6
func syscall_RawSyscall6(trap, a1, a2, a3, a4, a5, a6 uintptr) (r1, r2, err uintptr) {
	r := rawsyscall6(trap, a1, a2, a3, a4, a5, a6)
	if r < 0 && r > -4096 {
		return ^uintptr(0), 0, uintptr(-r)
	}
	return uintptr(r), 0, 0
}

//go:linkname syscall_rawSyscallNoError syscall.rawSyscallNoError
func syscall_rawSyscallNoError(trap, a1, a2, a3 uintptr) (r1, r2 uintptr) {
	return uintptr(rawsyscall6(trap, a1, a2, a3, 0, 0, 0)), 0
}

//go:linkname syscall_runtime_envs syscall.runtime_envs
func syscall_runtime_envs() []string {
	n := 0
	for envv(n) != "" {
		n++
	}
	env := make([]string, n)
	for i := range env {
		env[i] = envv(i)
	}
	return env
}

//go:linkname os_runtime_args os.runtime_args
func os_runtime_args() []string {
	args := make([]string, argc())
	for i := range args {
		args[i] = argv(i)
	}
	return args
}
