package runtime

// Function and frame information from the compiler's function table (gc's symtab.go and
// traceback.go API, over goclift's table: runtime/src/symtab.rs).

// pcInfo is what the function table says about a pc.
type pcInfo struct {
	name  string
	file  string
	line  int
	entry uintptr
}

// findfunc fills info for the Go function containing pc, with the line of the
// instruction at pc; false if pc is in no Go function.
func findfunc(pc uintptr, info *pcInfo) bool

// callers stores in buf[:n] the return addresses of the calling goroutine's Go frames,
// skipping skip of them (frame 0 is the function calling callers), and returns how many.
func callers(skip int, buf *uintptr, n int) int

// Caller reports file and line number information about function invocations on the
// calling goroutine's stack: skip 0 is the caller of Caller.
func Caller(skip int) (pc uintptr, file string, line int, ok bool) {
	var rpc [1]uintptr
	if callers(skip+1, &rpc[0], 1) < 1 {
		return
	}
	frame, _ := CallersFrames(rpc[:]).Next()
	return frame.PC, frame.File, frame.Line, frame.PC != 0
}

// Callers fills pc with the return program counters of function invocations on the calling
// goroutine's stack, skipping `skip` frames (0: Callers itself); it returns how many.
func Callers(skip int, pc []uintptr) int {
	if len(pc) == 0 {
		return 0
	}
	return callers(skip, &pc[0], len(pc))
}

// Frames may be used to get function/file/line information for a slice of PC values
// returned by Callers.
type Frames struct {
	callers []uintptr
}

// Frame is the information returned by Frames for each call frame.
type Frame struct {
	// PC is the program counter for the location in this frame: for a frame that calls
	// another frame, the program counter of a call instruction.
	PC uintptr
	// Func is the Func value of this call frame.
	Func *Func
	// Function is the package path-qualified function name of this call frame.
	Function string
	// File and Line are the file name and line number of the location in this frame.
	File string
	Line int
	// Entry point program counter for the function.
	Entry uintptr
}

// CallersFrames takes a slice of PCs returned by Callers and prepares to return
// function/file/line information.
func CallersFrames(callers []uintptr) *Frames {
	return &Frames{callers: callers}
}

// Next returns a Frame representing the next call frame in the slice of PC values,
// and whether there are more frames after it.
func (ci *Frames) Next() (frame Frame, more bool) {
	for len(ci.callers) > 0 {
		pc := ci.callers[0]
		ci.callers = ci.callers[1:]
		var info pcInfo
		if !findfunc(pc, &info) {
			continue
		}
		if pc > info.entry {
			// The entries are return addresses (or faulting pcs plus one): the call
			// is the instruction before.
			pc--
			findfunc(pc, &info)
		}
		name := funcNameForPrint(info.name)
		frame = Frame{
			PC:       pc,
			Func:     &Func{name: name, entry: info.entry, file: info.file},
			Function: name,
			File:     info.file,
			Line:     info.line,
			Entry:    info.entry,
		}
		break
	}
	for _, pc := range ci.callers {
		var info pcInfo
		if findfunc(pc, &info) {
			return frame, true
		}
	}
	return frame, false
}

// A Func represents a Go function in the running binary.
type Func struct {
	name  string
	file  string
	entry uintptr
}

// FuncForPC returns the function that contains pc, or nil.
func FuncForPC(pc uintptr) *Func {
	var info pcInfo
	if !findfunc(pc, &info) {
		return nil
	}
	return &Func{name: funcNameForPrint(info.name), entry: info.entry, file: info.file}
}

// Name returns the name of the function.
func (f *Func) Name() string {
	if f == nil {
		return ""
	}
	return f.name
}

// Entry returns the entry address of the function.
func (f *Func) Entry() uintptr { return f.entry }

// FileLine returns the file name and line number of the source code corresponding to pc.
func (f *Func) FileLine(pc uintptr) (file string, line int) {
	var info pcInfo
	if !findfunc(pc, &info) || info.entry != f.entry {
		return f.file, 0
	}
	return info.file, info.line
}

// funcNameForPrint shortens the type arguments of an instantiated generic function's
// name to "[...]": gc's function table names instances so.
func funcNameForPrint(name string) string {
	open := -1
	for i := 0; i < len(name); i++ {
		if name[i] == '[' {
			open = i
			break
		}
	}
	if open < 0 {
		return name
	}
	depth := 0
	for i := open; i < len(name); i++ {
		switch name[i] {
		case '[':
			depth++
		case ']':
			depth--
			if depth == 0 {
				return name[:open] + "[...]" + funcNameForPrint(name[i+1:])
			}
		}
	}
	return name[:open] + "[...]"
}

// stack writes the traceback of the calling goroutine (of all goroutines if all) to
// buf[:n] and returns how many bytes it wrote.
func stack(buf *byte, n int, all bool) int

// Stack formats a stack trace of the calling goroutine into buf and returns the number of
// bytes written to buf. If all is true, Stack formats stack traces of all other goroutines
// into buf after the trace for the current goroutine.
func Stack(buf []byte, all bool) int {
	if len(buf) == 0 {
		return 0
	}
	return stack(&buf[0], len(buf), all)
}

