package runtime

// Caller reports file and line number information about function invocations on the
// calling goroutine's stack: skip 0 is the caller of Caller.
func Caller(skip int) (pc uintptr, file string, line int, ok bool)

// Callers fills pc with the return program counters of function invocations on the calling
// goroutine's stack, skipping `skip` frames (0: Callers itself); it returns how many.
func Callers(skip int, pc []uintptr) int

// A Func represents a Go function in the running binary.
type Func struct {
	name  string
	entry uintptr
}

// FuncForPC returns the function that contains pc, or nil.
func FuncForPC(pc uintptr) *Func

// Name returns the name of the function.
func (f *Func) Name() string {
	if f == nil {
		return ""
	}
	return f.name
}

// Entry returns the entry address of the function.
func (f *Func) Entry() uintptr { return f.entry }
