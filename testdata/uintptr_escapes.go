// Objects whose addresses are passed as uintptr arguments to a //go:uintptrescapes
// function stay alive until the call completes: in direct calls, variadic arrays, and the
// argument blocks of deferred and go'd calls.
package main

import (
	"runtime"
	"unsafe"
)

var done = make(chan bool, 1)

func setup() unsafe.Pointer {
	s := "ok"
	runtime.SetFinalizer(&s, func(p *string) { *p = "FAIL" })
	return unsafe.Pointer(&s)
}

// collect runs the collector and gives the finalizers queued by it time to run.
func collect() {
	for i := 0; i < 3; i++ {
		runtime.GC()
		for j := 0; j < 10; j++ {
			runtime.Gosched()
		}
	}
}

//go:noinline
//go:uintptrescapes
func check(s string, p uintptr, rest ...uintptr) {
	collect()
	if *(*string)(unsafe.Pointer(p)) != "ok" {
		panic(s + ": p failed")
	}
	for _, r := range rest {
		if *(*string)(unsafe.Pointer(r)) != "ok" {
			panic(s + ": rest failed")
		}
	}
	println(s, "ok")
	done <- true
}

type S struct{}

//go:uintptrescapes
func (S) check(s string, p uintptr, rest ...uintptr) {
	check(s, p, rest...)
}

func main() {
	check("call", uintptr(setup()), uintptr(setup()), uintptr(setup()))
	<-done
	go check("go", uintptr(setup()), uintptr(setup()))
	<-done
	func() {
		defer check("defer", uintptr(setup()), uintptr(setup()), uintptr(setup()))
		collect()
	}()
	<-done
	func() {
		var s S
		defer s.check("defer method", uintptr(setup()), uintptr(setup()))
		collect()
	}()
	<-done
}
