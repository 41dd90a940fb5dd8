// Functions reflect makes, called as ordinary func values: reflect.MakeFunc (the generic swap
// of reflect's documentation, and signatures with floats, strings, large structs, arrays,
// many arguments and results), method values taken through reflect (value and pointer
// receivers, promoted methods), called directly, through Value.Call, from defer and go
// statements, and panics raised by the implementation.

package main

import (
	"fmt"
	"reflect"
	"strings"
)

type Big struct {
	A, B, C, D, E int
	S             string
}

type T struct{ n int }

func (t T) Get() int                 { return t.n }
func (t *T) Add(d int) int            { t.n += d; return t.n }
func (t T) Describe(p string) string { return fmt.Sprintf("%s%d", p, t.n) }

type Outer struct {
	T
	tag string
}

func main() {
	// reflect's MakeFunc example: a swap function for any two values of one type.
	swap := func(in []reflect.Value) []reflect.Value { return []reflect.Value{in[1], in[0]} }
	makeSwap := func(fptr any) {
		fn := reflect.ValueOf(fptr).Elem()
		fn.Set(reflect.MakeFunc(fn.Type(), swap))
	}
	var intSwap func(int, int) (int, int)
	makeSwap(&intSwap)
	fmt.Println(intSwap(0, 1))
	var floatSwap func(float64, float64) (float64, float64)
	makeSwap(&floatSwap)
	fmt.Println(floatSwap(2.72, 3.14))
	var strSwap func(string, string) (string, string)
	makeSwap(&strSwap)
	fmt.Println(strSwap("a", "b"))
	var bigSwap func(Big, Big) (Big, Big)
	makeSwap(&bigSwap)
	fmt.Println(bigSwap(Big{1, 2, 3, 4, 5, "x"}, Big{6, 7, 8, 9, 10, "y"}))
	var arrSwap func([3]int, [3]int) ([3]int, [3]int)
	makeSwap(&arrSwap)
	fmt.Println(arrSwap([3]int{1, 2, 3}, [3]int{4, 5, 6}))

	// Many arguments (registers and stack) and mixed results.
	var many func(a, b, c, d, e, f, g, h, i, j int, x, y, z float32, s string, w float64) (string, float64, int8, bool, Big)
	mf := reflect.MakeFunc(reflect.TypeOf(many), func(in []reflect.Value) []reflect.Value {
		var parts []string
		sum := 0.0
		for _, v := range in {
			parts = append(parts, fmt.Sprint(v.Interface()))
			switch v.Kind() {
			case reflect.Int:
				sum += float64(v.Int())
			case reflect.Float32, reflect.Float64:
				sum += v.Float()
			}
		}
		return []reflect.Value{
			reflect.ValueOf(strings.Join(parts, ",")),
			reflect.ValueOf(sum),
			reflect.ValueOf(int8(-5)),
			reflect.ValueOf(true),
			reflect.ValueOf(Big{1, 1, 2, 3, 5, "fib"}),
		}
	})
	reflect.ValueOf(&many).Elem().Set(mf)
	fmt.Println(many(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 0.5, 0.25, 0.125, "str", 100.5))
	// The same function through Value.Call.
	out := mf.Call([]reflect.Value{
		reflect.ValueOf(1), reflect.ValueOf(1), reflect.ValueOf(1), reflect.ValueOf(1), reflect.ValueOf(1),
		reflect.ValueOf(1), reflect.ValueOf(1), reflect.ValueOf(1), reflect.ValueOf(1), reflect.ValueOf(1),
		reflect.ValueOf(float32(1)), reflect.ValueOf(float32(1)), reflect.ValueOf(float32(1)),
		reflect.ValueOf("s"), reflect.ValueOf(1.0),
	})
	fmt.Println(out[0], out[1], out[2], out[3], out[4])

	// A MakeFunc'd func passed around as an ordinary func value.
	apply := func(f func(int) int, x int) int { return f(x) }
	double := reflect.MakeFunc(reflect.TypeOf(func(int) int { return 0 }), func(in []reflect.Value) []reflect.Value {
		return []reflect.Value{reflect.ValueOf(int(in[0].Int() * 2))}
	}).Interface().(func(int) int)
	fmt.Println(apply(double, 21))
	done := make(chan int)
	go func() { done <- double(50) }()
	fmt.Println(<-done)
	func() {
		defer fmt.Println("deferred", double(4))
		var hello func()
		reflect.ValueOf(&hello).Elem().Set(reflect.MakeFunc(reflect.TypeOf(hello), func([]reflect.Value) []reflect.Value {
			fmt.Println("hello from a deferred MakeFunc")
			return nil
		}))
		defer hello()
	}()

	// Method values made by reflect.
	t := &T{n: 5}
	get := reflect.ValueOf(*t).MethodByName("Get").Interface().(func() int)
	add := reflect.ValueOf(t).MethodByName("Add").Interface().(func(int) int)
	desc := reflect.ValueOf(t).MethodByName("Describe").Interface().(func(string) string)
	fmt.Println(get(), add(3), add(4), desc("n="), t.n)
	o := Outer{T{7}, "outer"}
	fmt.Println(reflect.ValueOf(o).MethodByName("Get").Interface().(func() int)())
	fmt.Println(reflect.ValueOf(&o).Method(0).Interface().(func(int) int)(1), o.n)
	var s fmt.Stringer = reflect.Value{}
	fmt.Println(reflect.ValueOf(&s).Elem().Method(0).Interface().(func() string)())

	// A panic in the implementation propagates to the caller.
	func() {
		defer func() { fmt.Println("recovered:", recover()) }()
		var f func(string) int
		reflect.ValueOf(&f).Elem().Set(reflect.MakeFunc(reflect.TypeOf(f), func(in []reflect.Value) []reflect.Value {
			panic("boom " + in[0].String())
		}))
		f("inside")
	}()
	// Results of the wrong type panic in reflect, as with gc.
	func() {
		defer func() { fmt.Println("recovered:", recover()) }()
		var f func() int
		reflect.ValueOf(&f).Elem().Set(reflect.MakeFunc(reflect.TypeOf(f), func([]reflect.Value) []reflect.Value {
			return []reflect.Value{reflect.ValueOf("not an int")}
		}))
		f()
	}()
}
