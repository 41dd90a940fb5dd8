// Package runtime is goclift's runtime package: the Go side of the runtime written in Rust
// (runtime/ in the goclift source tree). It replaces GOROOT's runtime package in builds.
// Functions declared here without a body are implemented by the Rust runtime under their
// Go symbol (runtime.Name); compiler/src/bodyless.rs lists them.
package runtime

// Compiler is the name of the toolchain whose conventions goclift follows: programs and
// the standard library test it to pick gc's behaviour, which goclift provides.
const Compiler = "gc"

// GOOS is the running program's operating system target.
const GOOS = "linux"

// GOARCH is the running program's architecture target (arch_*.go).
const GOARCH = goarch

// Version returns the Go release the program was built for.
func Version() string { return "go1.19" }

// Gosched yields the processor, allowing other goroutines to run.
func Gosched()

// Goexit terminates the goroutine that calls it, after running its deferred calls.
func Goexit()

// GOMAXPROCS sets the maximum number of CPUs executing simultaneously (if n > 0) and
// returns the previous setting.
func GOMAXPROCS(n int) int

// NumCPU returns the number of logical CPUs usable by the current process.
func NumCPU() int

// NumGoroutine returns the number of goroutines that currently exist.
func NumGoroutine() int

// KeepAlive marks its argument as reachable up to this call: the call itself is the use.
func KeepAlive(x any)

// GC runs a garbage collection and blocks the caller until it is complete.
func GC()

// SetFinalizer sets the finalizer associated with obj to the provided finalizer function
// (nil clears it); the collector runs it in a separate goroutine once obj is unreachable.
func SetFinalizer(obj any, finalizer any)

// An Error identifies a run time error.
type Error interface {
	error
	// RuntimeError is a no-op function that distinguishes run time errors from ordinary
	// errors.
	RuntimeError()
}

// LockOSThread wires the calling goroutine to its current operating system thread.
func LockOSThread()

// UnlockOSThread undoes an earlier call to LockOSThread.
func UnlockOSThread()

// defaultGOROOT is the GOROOT of the standard library goclift compiles against (the
// Debian golang-1.19-src package; goclift's GOROOT default).
const defaultGOROOT = "/usr/lib/go-1.19"

// GOROOT returns the root of the Go tree: $GOROOT if set, else the one goclift used.
func GOROOT() string {
	if s := gogetenv("GOROOT"); s != "" {
		return s
	}
	return defaultGOROOT
}

// gogetenv returns the value of environment variable key ("" if unset).
func gogetenv(key string) string {
	for i := 0; ; i++ {
		kv := envv(i)
		if kv == "" {
			return ""
		}
		if len(kv) > len(key) && kv[len(key)] == '=' && kv[:len(key)] == key {
			return kv[len(key)+1:]
		}
	}
}
