// Methods promoted through embedded fields (values and pointers, two levels deep) in
// interface method tables, and methods with parameters called through interfaces.
package main

type Inner struct{ v int }

func (i *Inner) Bump(k int) int { i.v += k; return i.v }
func (i Inner) Get() int       { return i.v }

type Outer struct {
	*Inner
	tag string
}

type Deep struct {
	Outer
	x int
}

type Getter interface{ Get() int }
type Bumper interface{ Bump(int) int }

func main() {
	o := Outer{Inner: &Inner{v: 1}, tag: "t"}
	var g Getter = o
	var b Bumper = o
	println(g.Get(), b.Bump(5), g.Get())
	d := Deep{Outer: o}
	var g2 Getter = d
	var b2 Bumper = &d
	println(g2.Get(), b2.Bump(1), g2.Get())
}
