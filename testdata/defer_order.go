// Deferred calls: LIFO order, arguments evaluated at the defer statement, defers in loops,
// deferred closures that change named results, methods, func values and built-ins.
package main

type counter struct{ n int }

func (c counter) show(tag string) { println(tag, "value receiver", c.n) }

func (c *counter) bump(tag string) {
	c.n++
	println(tag, "pointer receiver", c.n)
}

func trace(name string) string {
	println("enter", name)
	return name
}

func un(name string) { println("leave", name) }

func nested() {
	defer un(trace("nested"))
	println("in nested")
}

func order() {
	for i := 0; i < 4; i++ {
		defer println("loop defer", i)
	}
	x := 10
	defer println("x at defer time:", x)
	x = 20
	defer func() { println("x seen by closure:", x) }()
	x = 30
}

func double() (r int) {
	defer func() { r *= 2 }()
	return 21
}

func triple(n int) (a, b int, s string) {
	defer func() {
		a += 100
		s += "!"
	}()
	a, b, s = n, n*3, "done"
	return
}

func overwrite() (r int) {
	defer func() { r = 7 }()
	r = 1
	return 99
}

func results(n int) (int, string) {
	println("results called with", n)
	return n * 2, "ignored"
}

func variadic(prefix string, xs ...int) {
	sum := 0
	for _, x := range xs {
		sum += x
	}
	println(prefix, len(xs), sum)
}

func funcValues() {
	f := func(s string) { println("func value", s) }
	defer f("first")
	f = func(s string) { println("replaced func value", s) }
	defer f("second")
	var g func()
	g = func() { println("argument-less func value") }
	defer g()
	defer nested()
}

func methods() {
	c := counter{n: 1}
	defer c.show("deferred")
	defer c.bump("deferred")
	p := &c
	defer p.show("via pointer")
	c.n = 5
	println("methods body", c.n)
}

func builtins() {
	s := "at defer"
	defer print("print ", 1, " ", true, "\n")
	defer println("println", s, 2.5)
	s = "later"
	defer variadic("variadic", 1, 2, 3)
	defer variadic("empty")
	defer results(4)
}

func deep(n int) int {
	if n == 0 {
		return 0
	}
	defer func() { println("unwinding", n) }()
	return deep(n-1) + 1
}

func inLiteral() {
	func() {
		defer println("inner literal's defer")
		println("inner literal body")
	}()
	println("after inner literal")
}

func main() {
	defer println("main's last words")
	order()
	println("double:", double())
	a, b, s := triple(4)
	println("triple:", a, b, s)
	println("overwrite:", overwrite())
	funcValues()
	methods()
	builtins()
	println("deep:", deep(3))
	inLiteral()
}
