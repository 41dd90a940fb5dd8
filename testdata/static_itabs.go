// Itabs built at compile time and those the runtime makes for assertions are the same
// itab for one (interface, type) pair: interface values compare equal, work as map keys,
// and dispatch to the right methods, for value and pointer receivers and promoted methods.
package main

type Shape interface {
	Area() int
	Name() string
}

type Named interface{ Name() string }

type Sq struct{ s int }

func (q Sq) Area() int    { return q.s * q.s }
func (q Sq) Name() string { return "sq" }

type Rect struct{ w, h int }

func (r *Rect) Area() int    { return r.w * r.h }
func (r *Rect) Name() string { return "rect" }

// Framed gets its methods from the embedded Sq (promoted through a wrapper).
type Framed struct {
	Sq
	frame int
}

type id int

func (i id) Name() string { return "id" }

func viaAny(v interface{}) Shape { return v.(Shape) }

func main() {
	r := &Rect{2, 3}
	shapes := []Shape{Sq{3}, r, Framed{Sq{4}, 1}}
	for _, s := range shapes {
		println(s.Name(), s.Area())
	}
	// The same pair through a run-time assertion: the same itab.
	println(shapes[0] == viaAny(Sq{3}), shapes[1] == viaAny(r), shapes[2] == viaAny(Framed{Sq{4}, 1}))
	seen := map[Shape]int{}
	seen[Sq{1}]++
	seen[viaAny(Sq{1})]++
	println(len(seen), seen[Sq{1}])
	// Interface to interface, and a small value type.
	var n Named = shapes[1]
	println(n.Name())
	var k Named = id(7)
	var k2 interface{} = id(7)
	println(k == k2.(Named), k.Name())
	switch v := interface{}(shapes[2]).(type) {
	case Named:
		println("named", v.Name())
	}
}
