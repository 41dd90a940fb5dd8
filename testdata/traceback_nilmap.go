package main

// A write to a nil map in a method reached through a closure and a function value.

type registry struct {
	names map[string]int
}

func (r *registry) add(name string, n int) {
	r.names[name] = n
}

func apply(f func(string), names ...string) {
	for _, n := range names {
		f(n)
	}
}

func main() {
	r := &registry{}
	count := 0
	apply(func(s string) {
		count++
		println("adding", s)
		r.add(s, count)
	}, "a", "b")
}
