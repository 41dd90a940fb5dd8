// Open-coded defers (at most 8 defer statements, none in a loop, few returns): the calls
// made at each exit, and the same calls made by panics, recover, Goexit and the deferreturn
// after a recovery.
package main

import (
	"errors"
	"fmt"
	"runtime"
	"sync"
)

type acc struct{ log []string }

func (a *acc) add(s string, n int) { a.log = append(a.log, fmt.Sprint(s, n)) }

// Arguments are evaluated at the defer statement; calls run newest first.
func args(a *acc) {
	x := 1
	defer a.add("x", x)
	x = 2
	defer a.add("x", x)
	defer func() { a.add("closure x", x) }()
	x = 3
}

// Only the defers whose statements ran are called.
func conditional(a *acc, n int) (r int) {
	if n > 0 {
		defer a.add("pos", n)
	}
	if n%2 == 0 {
		defer a.add("even", n)
	}
	defer func() { r *= 10 }()
	if n > 5 {
		return n + 1
	}
	return n
}

// A panic before some defer statements ran: only those that ran are called.
func partial(a *acc) (r int) {
	defer func() {
		if e := recover(); e != nil {
			a.add(fmt.Sprint("recovered ", e), r)
			r = -1
		}
	}()
	defer a.add("first", 1)
	r = 5
	var p *int
	if r == 5 {
		r = *p
	}
	defer a.add("never", 2)
	return 7
}

// recover in the newest deferred call; the older ones are still pending and run after the
// recovery, before the frame returns.
func recoverNewest(a *acc) (r string) {
	defer func() { r += "+oldest" }()
	defer a.add("middle", 2)
	defer func() {
		r = fmt.Sprint("got ", recover())
	}()
	panic("boom")
}

// A deferred call panics at a normal return: the older pending call recovers it.
func panicAtExit(a *acc) (r int) {
	defer func() {
		e := recover()
		a.add(fmt.Sprint("outer recovered ", e), r)
		r = 99
	}()
	defer a.add("between", 0)
	defer func() { panic(errors.New("from deferred")) }()
	r = 1
	return 2
}

// Re-panics: a deferred call panics while the first panic runs the frame's calls.
func repanic(a *acc) {
	defer func() {
		a.add(fmt.Sprint("last recovered ", recover()), 0)
	}()
	defer func() { panic("second") }()
	defer a.add("before second", 0)
	panic("first")
}

// defer recover() does not recover; a deferred built-in panic does panic.
func builtins(a *acc) (s string) {
	defer func() { s = fmt.Sprint("recovered ", recover()) }()
	ch := make(chan int, 1)
	defer close(ch)
	defer recover()
	defer println("deferred println", 42)
	panic("through builtins")
}

// A nil func value panics when the deferred call is made, not at the defer statement.
func nilFunc(a *acc) (r string) {
	defer func() { r = fmt.Sprint("nil call: ", recover() != nil) }()
	var f func()
	defer f()
	a.add("after nil defer", 0)
	return "returned"
}

// recover only works in a function the panic calls directly.
func helperRecover() interface{} { return recover() }

func indirect(a *acc) (r interface{}) {
	defer func() {
		r = recover()
	}()
	defer func() {
		a.add(fmt.Sprint("indirect recover: ", helperRecover()), 0)
	}()
	panic("direct only")
}

// A deferred call with open-coded defers of its own, run by a panic: its calls' recover
// returns nil (they are not called by the panic), the panic goes on.
func inner(a *acc) {
	defer func() { a.add(fmt.Sprint("inner recover: ", recover()), 0) }()
	a.add("inner body", 0)
}

func nested(a *acc) (r interface{}) {
	defer func() { r = recover() }()
	defer inner(a)
	panic("nested")
}

// Defers in a loop stay on the slow path; mixed with open-coding callers.
func loop(a *acc, n int) (r int) {
	for i := 0; i < n; i++ {
		defer a.add("loop", i)
	}
	defer func() { r = len(a.log) }()
	return 0
}

// More returns than open-coding allows (returns * defers > 15).
func manyReturns(a *acc, n int) int {
	defer a.add("m1", n)
	defer a.add("m2", n)
	switch n {
	case 0:
		return 0
	case 1:
		return 1
	case 2:
		return 2
	case 3:
		return 3
	case 4:
		return 4
	case 5:
		return 5
	case 6:
		return 6
	}
	return -1
}

// Eight defers (the most open-coding allows) and nine.
func eight(a *acc) {
	defer a.add("d", 1)
	defer a.add("d", 2)
	defer a.add("d", 3)
	defer a.add("d", 4)
	defer a.add("d", 5)
	defer a.add("d", 6)
	defer a.add("d", 7)
	defer a.add("d", 8)
}

func nine(a *acc) {
	defer a.add("n", 1)
	defer a.add("n", 2)
	defer a.add("n", 3)
	defer a.add("n", 4)
	defer a.add("n", 5)
	defer a.add("n", 6)
	defer a.add("n", 7)
	defer a.add("n", 8)
	defer a.add("n", 9)
}

// Goexit runs the pending open-coded calls of every frame; recover returns nil in them.
func goexitFrame(a *acc, wg *sync.WaitGroup) {
	defer wg.Done()
	defer func() { a.add(fmt.Sprint("goexit recover: ", recover()), 0) }()
	defer a.add("goexit pending", 1)
	goexitInner(a)
	a.add("not reached", 0)
}

func goexitInner(a *acc) {
	defer a.add("goexit inner", 2)
	runtime.Goexit()
}

// Goexit inside a deferred call run by a panic: the panic is abandoned, the older calls run.
func goexitInPanic(a *acc, wg *sync.WaitGroup) {
	defer wg.Done()
	defer a.add("older", 3)
	defer runtime.Goexit()
	panic("abandoned")
}

// A recovered panic deep in recursion, each level with open-coded defers.
func deep(a *acc, n int) (r int) {
	defer func() { r += n }()
	if n == 0 {
		panic("bottom")
	}
	return deep(a, n-1)
}

func deepTop(a *acc) (r int) {
	defer func() {
		a.add(fmt.Sprint("deep recovered ", recover()), r)
		r = 1000
	}()
	return deep(a, 20)
}

// Named results changed by deferred closures after the return statement set them.
func named() (x, y int) {
	defer func() { x, y = y, x }()
	defer func() { x *= 2 }()
	return 3, 4
}

func show(name string, a *acc, extra ...interface{}) {
	fmt.Println(name, a.log, extra)
}

func main() {
	a := &acc{}
	args(a)
	show("args", a)

	a = &acc{}
	r1 := conditional(a, 4)
	r2 := conditional(a, 7)
	r3 := conditional(a, -2)
	show("conditional", a, r1, r2, r3)

	a = &acc{}
	show("partial", a, partial(a))
	a = &acc{}
	show("recoverNewest", a, recoverNewest(a))
	a = &acc{}
	show("panicAtExit", a, panicAtExit(a))
	a = &acc{}
	repanic(a)
	show("repanic", a)
	a = &acc{}
	show("builtins", a, builtins(a))
	a = &acc{}
	show("nilFunc", a, nilFunc(a))
	a = &acc{}
	show("indirect", a, indirect(a))
	a = &acc{}
	show("nested", a, nested(a))
	a = &acc{}
	show("loop", a, loop(a, 3))
	a = &acc{}
	for i := 0; i < 8; i++ {
		manyReturns(a, i)
	}
	show("manyReturns", a)
	a = &acc{}
	eight(a)
	nine(a)
	show("eight nine", a)

	var wg sync.WaitGroup
	a = &acc{}
	wg.Add(1)
	go goexitFrame(a, &wg)
	wg.Wait()
	show("goexit", a)
	a = &acc{}
	wg.Add(1)
	go goexitInPanic(a, &wg)
	wg.Wait()
	show("goexitInPanic", a)

	a = &acc{}
	show("deep", a, deepTop(a))
	x, y := named()
	fmt.Println("named", x, y)
	for i := 0; i < 100000; i++ {
		a = &acc{}
		if recoverNewest(a) != "got boom+oldest" || len(a.log) != 1 {
			panic("bad repeat")
		}
	}
	fmt.Println("done")
}
