// Panics raised by deferred calls while a function returns: recovered by an older deferred
// call of the same frame (the frame then returns its named results), or inside the deferred
// call by its own deferred calls.
package main

func f() (r int) {
	defer func() {
		if recover() != nil {
			r += 10
		}
	}()
	defer func() { panic("in deferreturn") }()
	defer func() { r = 1 }()
	return 0
}

func g() {
	defer println("g: outer defer runs")
	defer func() {
		defer func() { println("nested recovered:", recover() != nil) }()
		panic("nested")
	}()
	println("g body")
}

func main() {
	println(f())
	g()
}
