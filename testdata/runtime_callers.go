// runtime.Caller, Callers, CallersFrames and FuncForPC: the names, files and lines of the
// calling goroutine's frames, through methods, closures, deferred calls, generic
// instances and goroutines.
package main

import "runtime"

func where() {
	pc, file, line, ok := runtime.Caller(1)
	println(runtime.FuncForPC(pc).Name(), file[len(file)-18:], line, ok)
}

type T struct{}

func (T) m()  { where() }
func (*T) p() { where() }

// stack prints the frames from its caller up to main.main.
func stack() {
	pcs := make([]uintptr, 32)
	n := runtime.Callers(2, pcs)
	frames := runtime.CallersFrames(pcs[:n])
	for {
		f, more := frames.Next()
		println(" ", f.Function, f.Line, f.Func.Name() == f.Function, f.Entry <= f.PC)
		if f.Function == "main.main" || !more {
			break
		}
	}
}

func G[X any](x X) { stack() }

func recursive(n int) {
	if n == 0 {
		stack()
		return
	}
	recursive(n - 1)
}

func main() {
	where()
	T{}.m()
	(&T{}).p()
	func() { where() }()
	println("generic")
	G(1)
	G("s")
	println("recursive")
	recursive(3)
	println("caller 0:")
	_, _, line, _ := runtime.Caller(0)
	println(line)
	_, _, _, ok := runtime.Caller(1000)
	println("deep caller ok:", ok)
	println("goroutine")
	done := make(chan bool)
	go func() {
		where()
		done <- true
	}()
	<-done
	println("deferred")
	defer func() {
		where()
		recover()
		where()
	}()
	var p *int
	_ = *p
}
