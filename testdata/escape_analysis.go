// Escape analysis keeps objects whose address does not outlive the frame in it and moves
// the others to the heap: the program behaves the same either way (goclift build -m shows
// which is which).
package main

import "runtime"

type node struct {
	v    int
	next *node
}

var global *node

func sum(p *[8]int) int {
	s := 0
	for _, v := range p {
		s += v
	}
	return s
}

func noEscape(n int) int {
	var a [8]int
	for i := range a {
		a[i] = i * n
	}
	return sum(&a)
}

func identity(p *int) *int { return p }

func leakResult() *int {
	x := 42
	return identity(&x)
}

func leakGlobal() {
	n := node{v: 7}
	global = &n
}

func closureLocal() int {
	count := 0
	inc := func() { count++ }
	for i := 0; i < 10; i++ {
		inc()
	}
	return count
}

func closureEscapes() func() int {
	c := 0
	return func() int { c++; return c }
}

func listInLoop() *node {
	var head *node
	for i := 0; i < 5; i++ {
		head = &node{v: i, next: head}
	}
	return head
}

func listLocal() int {
	var head *node
	for i := 0; i < 5; i++ {
		n := new(node)
		n.v = i
		n.next = head
		head = n
	}
	s := 0
	for p := head; p != nil; p = p.next {
		s += p.v
	}
	return s
}

func stackNew() int {
	p := new(node)
	p.v = 3
	q := &node{v: 4, next: p}
	return q.v + q.next.v
}

func (n *node) add(d int) { n.v += d }

func methodOnLocal() int {
	var n node
	n.add(5)
	n.add(6)
	return n.v
}

type adder interface{ add(int) }

func viaInterface() int {
	var n node
	var a adder = &n
	a.add(9)
	return n.v
}

func pointersDiffer() bool {
	return leakResult() != leakResult()
}

func deferredCapture() (r int) {
	x := 10
	defer func() { r = x * 2 }()
	x = 21
	return 0
}

func goroutineCapture() int {
	v := 0
	done := make(chan bool)
	go func() { v = 99; done <- true }()
	<-done
	return v
}

func recurse(n int, p *int) int {
	if n == 0 {
		return *p
	}
	x := *p + 1
	return recurse(n-1, &x)
}

func main() {
	println(noEscape(3))
	println(*leakResult())
	leakGlobal()
	runtime.GC()
	println(global.v)
	println(closureLocal())
	f := closureEscapes()
	f()
	println(f())
	l := listInLoop()
	runtime.GC()
	for p := l; p != nil; p = p.next {
		print(p.v, " ")
	}
	println()
	println(listLocal())
	println(stackNew())
	println(methodOnLocal())
	println(viaInterface())
	println(pointersDiffer())
	println(deferredCapture())
	println(goroutineCapture())
	start := 1
	println(recurse(100000, &start))
}
