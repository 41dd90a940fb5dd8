// defercall: 20 M calls of a function with one deferred call of a plain function, then
// 20 M calls of one whose deferred call is a method call with an argument (a wrapper).
// Measures the cost of defer at a normal return (open-coded defers in gc).
package main

type counter struct {
	n      int
	locked bool
}

var c counter

func unlock() { c.locked = false }

func (k *counter) add(d int) {
	k.n += d
	k.locked = false
}

func plain(i int) int {
	c.locked = true
	defer unlock()
	c.n += i & 3
	return c.n
}

func method(i int) int {
	c.locked = true
	defer c.add(i & 1)
	return c.n
}

func main() {
	const calls = 20000000
	s := 0
	for i := 0; i < calls; i++ {
		s += plain(i) & 7
	}
	for i := 0; i < calls; i++ {
		s += method(i) & 7
	}
	println(s, c.n, c.locked)
}
