package main

import (
	"example.com/multi/base"
	"example.com/multi/lib"
)

type square struct{ side int }

func (s square) Area() int { return s.side * s.side }

func init() { base.Order = append(base.Order, "main.init") }

func main() {
	for _, s := range base.Order {
		println(s)
	}
	println(base.Greeting, lib.Derived)
	p := lib.Point{X: 1, Y: 2}
	p.Scale(3)
	println(p.Sum(), lib.Lookup("b"), lib.Count)
	shapes := []lib.Shape{lib.Rect{W: 2, H: 5}, square{3}}
	for _, s := range shapes {
		if r, ok := s.(lib.Rect); ok {
			println("rect", r.W, r.H, s.Area())
		} else {
			println("other", s.Area())
		}
	}
	f := lib.Lookup
	sum := p.Sum
	println(f("a"), lib.Apply(func(x int) int { return x * 2 }, 21), sum())
	lib.Count = 5
	println(lib.Count)
	t := &lib.Tally{Name: "t"}
	t.Inc()
	t.Inc()
	println(t.Name, t.Value(), t.Counter.Value())
	var v interface{ Value() int } = t
	println(v.Value())
}
