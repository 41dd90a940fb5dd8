// Method sets with embedding: promoted methods in method tables (value and pointer
// receivers, through embedded pointers and interfaces, shadowing and ambiguity, unnamed
// structs), method expressions of interfaces and promoted methods, and equality of
// structs and arrays holding interfaces.
package main

type Namer interface{ Name() string }
type Setter interface{ Set(string) }
type Both interface {
	Namer
	Setter
}

type Base struct{ name string }

func (b Base) Name() string   { return "base:" + b.name }
func (b *Base) Set(s string)   { b.name = s }
func (b Base) Hidden() string  { return "hidden" }

type Mid struct {
	Base
	extra int
}

func (m Mid) Hidden() string { return "mid-hidden" }

type Top struct{ Mid }

type PtrEmb struct{ *Base }

type IfaceEmb struct{ Namer }

type A struct{}

func (A) Name() string { return "A" }

type B struct{}

func (B) Name() string { return "B" }

type Ambig struct {
	A
	B
}

type Shadow struct {
	A
	Mid
}

type Hider interface{ Hidden() string }

type I interface{ M(int) int }

type V struct{ n int }

func (v V) M(x int) int   { return v.n + x }
func (v *V) P(x int) int  { v.n += x; return v.n }

type W struct {
	V
	s string
}

type D struct{ I }

type S struct {
	a any
	b Namer
	n int
}

func main() {
	t := Top{Mid{Base{"t"}, 1}}
	var n Namer = t
	println(n.Name())
	var h Hider = t
	println(h.Hidden())
	var bo Both = &t
	bo.Set("x")
	println(bo.Name(), t.name)
	p := PtrEmb{&Base{"p"}}
	var s Setter = p
	s.Set("q")
	println(p.Name())
	n = IfaceEmb{A{}}
	println(n.Name())
	_, ok := any(Ambig{}).(Namer)
	println(ok)
	n = Shadow{}
	println(n.Name())
	_, ok = any(t).(Setter)
	println(ok)
	_, ok = any(&t).(Setter)
	println(ok)
	var u Namer = struct{ Base }{Base{"unnamed"}}
	println(u.Name())
	var us Setter = &struct{ Base }{}
	us.Set("set")

	// Method expressions.
	f := I.M
	println(f(V{1}, 2))
	g := W.M
	println(g(W{V: V{5}}, 1))
	hp := (*W).P
	w := &W{V: V{7}}
	println(hp(w, 1), w.n)
	d := D.M
	println(d(D{V{10}}, 1))
	e := (*D).M
	println(e(&D{V{20}}, 1))

	// Equality with interface fields and elements.
	x := S{1, A{}, 3}
	y := S{1, A{}, 3}
	z := S{"1", A{}, 3}
	println(x == y, x != z, x == S{})
	arr := [2]any{1, "a"}
	println(arr == [2]any{1, "a"}, arr == [2]any{1, "b"})
	m := map[S]int{x: 5}
	println(m[y], m[z])
	defer func() { println("recovered", recover() != nil) }()
	bad := S{a: []int{1}}
	println(bad == bad)
}
