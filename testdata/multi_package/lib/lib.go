// Package lib exercises what a package offers its importers: variables, functions,
// methods, interfaces, embedding and initialisation order.
package lib

import "example.com/multi/base"

var Count int

var table = map[string]int{"a": 1, "b": 2}

var Derived = len(base.Greeting)

type Point struct{ X, Y int }

func (p Point) Sum() int { return p.X + p.Y }

func (p *Point) Scale(k int) { p.X *= k; p.Y *= k }

type Shape interface{ Area() int }

type Rect struct{ W, H int }

func (r Rect) Area() int { return r.W * r.H }

// Tally embeds a type of another package; its methods are promoted.
type Tally struct {
	base.Counter
	Name string
}

func init() {
	Count = 10
	base.Order = append(base.Order, "lib.init")
}

func Lookup(k string) int { Count++; return table[k] }

func Apply(f func(int) int, x int) int { return f(x) }
