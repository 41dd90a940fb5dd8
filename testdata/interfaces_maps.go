// Interfaces (method calls through itabs, assertions, type switches, comparison), maps
// (literals, index, comma-ok, assignment, delete, range, struct keys), method tables.

package main

type Shape interface {
	Area() float64
	Name() string
}

type Rect struct{ w, h float64 }
type Circle struct{ r float64 }

func (r Rect) Area() float64    { return r.w * r.h }
func (r Rect) Name() string      { return "rect" }
func (c *Circle) Area() float64 { return 3 * c.r * c.r }
func (c *Circle) Name() string  { return "circle" }

type MyInt int

func (m MyInt) Name() string { return "myint" }

func describe(x interface{}) string {
	switch v := x.(type) {
	case int:
		return "int"
	case string:
		return "string " + v
	case Shape:
		return "shape " + v.Name()
	case nil:
		return "nil"
	default:
		return "other"
	}
}

func main() {
	shapes := []Shape{Rect{2, 3}, &Circle{1}}
	total := 0.0
	for _, s := range shapes {
		total += s.Area()
		println(s.Name(), s.Area())
	}
	println(total)
	var e interface{} = 42
	n, ok := e.(int)
	println(n, ok)
	s, ok := e.(string)
	println(s, ok)
	var sh Shape = Rect{1, 1}
	r := sh.(Rect)
	println(r.w, sh == Rect{1, 1}, sh != nil)
	m := map[string]int{"a": 1, "b": 2}
	m["c"] = 3
	m["a"] += 10
	println(len(m), m["a"], m["zz"])
	v, found := m["b"]
	println(v, found)
	delete(m, "b")
	_, found = m["b"]
	println(found, len(m))
	sum := 0
	for k, v := range m {
		sum += v + len(k)
	}
	println(sum)
	counts := make(map[int]int)
	for i := 0; i < 1000; i++ {
		counts[i%7]++
	}
	println(len(counts), counts[3])
	var i1, i2 interface{} = "x", "x"
	println(i1 == i2)
	println(describe(1), describe("s"), describe(Rect{}), describe(nil), describe(2.5))
	type pt struct{ x, y int }
	pm := map[pt]string{{1, 2}: "a"}
	pm[pt{3, 4}] = "b"
	println(pm[pt{1, 2}], pm[pt{3, 4}], len(pm))
	var mi interface{ Name() string } = MyInt(3)
	println(mi.Name())

}
