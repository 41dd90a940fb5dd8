// panic and recover: string panics and run-time errors are recovered by a directly deferred
// call; the recovering function returns normally with its named results as set; recover
// returns nil when not panicking or when not called directly by the deferred function.
package main

func catch(name string) {
	if r := recover(); r != nil {
		println(name, "recovered")
	} else {
		println(name, "nothing to recover")
	}
}

func stringPanic() (res int) {
	defer func() {
		if recover() != nil {
			res = 42
		}
	}()
	res = 1
	panic("boom")
}

func index(i int) (v int, ok bool) {
	defer func() {
		if recover() != nil {
			v, ok = -1, false
		}
	}()
	s := []int{10, 20, 30}
	return s[i], true
}

func divide(a, b int) (q int) {
	defer func() {
		if r := recover(); r != nil {
			q = -999
		}
	}()
	return a / b
}

type node struct {
	val  int
	next *node
}

func nilDeref(n *node) (v int) {
	defer func() {
		if recover() != nil {
			v = -7
		}
	}()
	return n.next.val
}

func sliceBounds(s []int, i, j int) (n int) {
	defer func() {
		if recover() != nil {
			n = -3
		}
	}()
	return len(s[i:j])
}

func notPanicking() {
	defer catch("notPanicking")
	println("notPanicking body")
}

func helper() bool { return recover() != nil }

func indirect() (got bool) {
	defer func() {
		defer func() {
			// Deferred by the deferred call, run when it returns: not the panic's call.
			println("recover in a defer of the deferred call:", recover() != nil)
		}()
		got = helper()
		println("recover in a nested call:", got)
		println("recover in the deferred call itself:", recover() != nil)
	}()
	panic("indirect")
}

func deferRecoverDirectly() {
	defer func() {
		println("deferRecoverDirectly: still panicking:", recover() != nil)
	}()
	defer recover()
	panic("not stopped by defer recover()")
}

func deferredFuncRecovers() {
	defer catch("deferred function with an argument")
	panic("caught by catch")
}

func rethrow() {
	defer func() {
		r := recover()
		println("rethrow: recovered once, panicking again")
		panic(r)
	}()
	panic("first")
}

func outerCatch() {
	defer catch("outerCatch")
	rethrow()
	println("not reached")
}

func replaced() {
	defer catch("replaced")
	defer func() {
		panic("second panic replaces the first")
	}()
	panic("first panic")
}

func afterRecoverDefersRun() (trace string) {
	defer func() { trace += " C" }()
	defer func() {
		recover()
		trace += " B"
	}()
	defer func() { trace += " A" }()
	trace = "start"
	panic("x")
}

func deepPanic(n int) {
	defer func() { println("deepPanic unwinding", n) }()
	if n == 0 {
		var p *node
		println(p.val)
	}
	deepPanic(n - 1)
}

func recoverDeep() {
	defer catch("recoverDeep")
	deepPanic(3)
}

func loop() (sum int) {
	for i := 0; i < 5; i++ {
		func() {
			defer func() {
				if recover() != nil {
					sum += 100
				}
			}()
			if i%2 == 1 {
				panic("odd")
			}
			sum += i
		}()
	}
	return sum
}

func main() {
	println("stringPanic:", stringPanic())
	v, ok := index(1)
	println("index(1):", v, ok)
	v, ok = index(5)
	println("index(5):", v, ok)
	println("divide:", divide(7, 2), divide(1, 0))
	println("nilDeref:", nilDeref(&node{val: 1}))
	println("sliceBounds:", sliceBounds([]int{1, 2, 3}, 1, 3), sliceBounds([]int{1, 2, 3}, 2, 1))
	notPanicking()
	println("recover outside a panic:", recover() == nil)
	println("indirect:", indirect())
	func() {
		defer catch("main literal")
		deferRecoverDirectly()
	}()
	deferredFuncRecovers()
	outerCatch()
	replaced()
	println("afterRecoverDefersRun:", afterRecoverDefersRun())
	recoverDeep()
	println("loop:", loop())
	println("main done")
}
