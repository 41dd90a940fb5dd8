// Calls through reflect: Value.Call and CallSlice on functions, closures and methods, with
// arguments and results of every shape goclift's convention distinguishes (integers, floats,
// strings, small and large structs, arrays, interfaces, slices, many arguments that spill to
// the stack, many results that spill to the return area), and panics propagating through Call.

package main

import (
	"fmt"
	"reflect"
	"strings"
)

type Small struct {
	A int32
	B float64
}

type Large struct {
	A, B, C, D, E int
	S          string
}

type Pair [2]int

type T struct{ n int }

func (t T) Get() int               { return t.n }
func (t *T) Add(d int) int          { t.n += d; return t.n }
func (t T) Scale(f float64) float64 { return float64(t.n) * f }

type Embed struct {
	*T
	name string
}

type Stringer interface{ String() string }

type Named string

func (n Named) String() string { return "named:" + string(n) }

func add(a, b int) int                 { return a + b }
func mix(a int8, f float32, s string, b bool, g float64) string {
	return fmt.Sprint(a, f, s, b, g)
}
func swapSmall(s Small) Small            { return Small{int32(s.B), float64(s.A)} }
func largeSum(l Large) (int, string)     { return l.A + l.B + l.C + l.D + l.E, l.S }
func makeLarge(n int) Large               { return Large{n, n + 1, n + 2, n + 3, n + 4, "large"} }
func pair(p Pair) Pair                    { return Pair{p[1], p[0]} }
func iface(x any, s Stringer) string     { return fmt.Sprintf("%v/%s", x, s.String()) }
func sliceOp(xs []int) []int             { return append(xs, len(xs)) }
func variadic(prefix string, xs ...int) string {
	return fmt.Sprint(prefix, xs)
}
func many(a, b, c, d, e, f, g, h, i, j int, x, y, z float64, s1, s2 string) string {
	return fmt.Sprint(a, b, c, d, e, f, g, h, i, j, x, y, z, s1, s2)
}
func manyFloats(a, b, c, d, e, f, g, h, i, j float64, k float32) float64 {
	return a + b + c + d + e + f + g + h + i + j + float64(k)
}
func results() (int, string, float64, bool, []byte, error) {
	return 7, "seven", 7.5, true, []byte("b"), fmt.Errorf("err")
}
func complexes(c complex128, d complex64) (complex128, complex64) { return c * 2, d + 1 }
func pointers(p *int) *int                                       { *p++; return p }
func nothing()                                                   { fmt.Println("nothing called") }
func boom(msg string) int                                       { panic("boom: " + msg) }

func show(vs []reflect.Value) string {
	var parts []string
	for _, v := range vs {
		parts = append(parts, fmt.Sprintf("%v", v.Interface()))
	}
	return strings.Join(parts, " | ")
}

func call(f any, args ...any) []reflect.Value {
	in := make([]reflect.Value, len(args))
	for i, a := range args {
		in[i] = reflect.ValueOf(a)
	}
	return reflect.ValueOf(f).Call(in)
}

func main() {
	fmt.Println(show(call(add, 3, 4)))
	fmt.Println(show(call(mix, int8(-3), float32(1.5), "s", true, 2.25)))
	fmt.Println(show(call(swapSmall, Small{3, 4.75})))
	fmt.Println(show(call(largeSum, Large{1, 2, 3, 4, 5, "L"})))
	fmt.Println(show(call(makeLarge, 10)))
	fmt.Println(show(call(pair, Pair{1, 2})))
	fmt.Println(show(call(iface, 42, Named("x"))))
	fmt.Println(show(call(sliceOp, []int{1, 2})))
	fmt.Println(show(call(variadic, "v", 1, 2, 3)))
	fmt.Println(show(call(variadic, "none")))
	fmt.Println(show(reflect.ValueOf(variadic).CallSlice([]reflect.Value{reflect.ValueOf("slice"), reflect.ValueOf([]int{4, 5})})))
	fmt.Println(show(call(many, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 1.5, 2.5, 3.5, "s1", "s2")))
	fmt.Println(show(call(manyFloats, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0, float32(0.5))))
	fmt.Println(show(call(results)))
	fmt.Println(show(call(complexes, 1+2i, complex64(3+4i))))
	n := 41
	r := call(pointers, &n)
	fmt.Println(n, *(r[0].Interface().(*int)))
	fmt.Println(len(call(nothing)))

	// Closures capture their context.
	base := 100
	closure := func(x int) int { base += x; return base }
	fmt.Println(show(call(closure, 5)), base)

	// Method values and methods through reflect.
	t := &T{n: 3}
	fmt.Println(show(reflect.ValueOf(t).MethodByName("Add").Call([]reflect.Value{reflect.ValueOf(4)})), t.n)
	fmt.Println(show(reflect.ValueOf(*t).MethodByName("Get").Call(nil)))
	fmt.Println(show(reflect.ValueOf(t).MethodByName("Scale").Call([]reflect.Value{reflect.ValueOf(0.5)})))
	m := reflect.ValueOf(t).Method(0) // Add
	fmt.Println(show(m.Call([]reflect.Value{reflect.ValueOf(10)})))
	fmt.Println(show(call(t.Add, 1)), show(call(T.Get, T{9})), show(call((*T).Add, t, 2)))
	e := Embed{&T{n: 20}, "e"}
	fmt.Println(show(reflect.ValueOf(e).MethodByName("Get").Call(nil)))
	fmt.Println(show(reflect.ValueOf(&e).MethodByName("Add").Call([]reflect.Value{reflect.ValueOf(5)})))
	var s Stringer = Named("iface")
	fmt.Println(show(reflect.ValueOf(&s).Elem().Method(0).Call(nil)))
	for i := 0; i < reflect.TypeOf(t).NumMethod(); i++ {
		meth := reflect.TypeOf(t).Method(i)
		fmt.Println(meth.Name, meth.Type)
	}
	fmt.Println(show(reflect.TypeOf(t).Method(0).Func.Call([]reflect.Value{reflect.ValueOf(t), reflect.ValueOf(1)})))

	// A panic inside the called function propagates through Call.
	func() {
		defer func() { fmt.Println("recovered:", recover()) }()
		call(boom, "deep")
		fmt.Println("not reached")
	}()

	// Calls with wrong arguments panic in reflect, as with gc.
	func() {
		defer func() { fmt.Println("recovered:", recover()) }()
		call(add, 1)
	}()
	func() {
		defer func() { fmt.Println("recovered:", recover()) }()
		call(add, 1, "x")
	}()
}
