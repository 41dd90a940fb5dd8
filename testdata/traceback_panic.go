package main

// An explicit panic deep in a recursion, then a second panic in a deferred call while the
// first is running deferred calls: gc shows the runtime's panic frame between them.

type parseError struct {
	line int
}

func (e *parseError) Error() string { return "parse error" }

func descend(n int) {
	if n == 0 {
		panic(&parseError{line: 3})
	}
	descend(n - 1)
	println("unreachable")
}

func cleanup(name string) {
	println("cleanup", name)
	var m map[int]bool
	m[1] = true
}

func run() {
	defer cleanup("run")
	descend(3)
}

func main() {
	defer println("main deferred")
	run()
}
