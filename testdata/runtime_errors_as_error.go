// Recovered run-time panics are values of the runtime's error types: they satisfy error
// and runtime.Error, and Error() gives gc's exact message.
package main

import "runtime"

func try(name string, f func()) {
	defer func() {
		r := recover()
		err, ok := r.(error)
		if !ok {
			println(name, "not an error")
			return
		}
		_, isRuntime := r.(runtime.Error)
		println(name, isRuntime, err.Error())
	}()
	f()
}

type T struct{ x int }

func main() {
	s := []int{1, 2, 3}
	i, j := 5, -1
	var m map[string]int
	var p *T
	var e any = "str"
	var ch chan int
	zero := 0
	try("index", func() { _ = s[i] })
	try("negindex", func() { _ = s[j] })
	try("slice", func() { _ = s[:i] })
	try("slice3", func() { _ = s[1:2:i] })
	try("sliceB", func() { k := 2; _ = s[k:1] })
	try("convert", func() { _ = (*[4]int)(s) })
	try("nilmap", func() { m["a"] = 1 })
	try("nilptr", func() { _ = p.x })
	try("divide", func() { _ = 1 / zero })
	try("assert", func() { _ = e.(int) })
	try("closenil", func() { close(ch) })
	try("makeslice", func() { _ = make([]int, i-10) })
	try("user", func() { panic("plain string") })
	r := func() (r any) {
		defer func() { r = recover() }()
		panic("again")
	}()
	if s, ok := r.(string); ok {
		println("string panic value", s)
	}
}
