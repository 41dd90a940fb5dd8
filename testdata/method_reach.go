// Methods reached only through interfaces, reflect and embedded interfaces are compiled
// (reach.rs); others may be left out of method tables.
package main

import (
	"errors"
	"fmt"
	"reflect"
	"sort"
)

type Shape interface{ Area() int }

type Rect struct{ W, H int }

func (r Rect) Area() int             { return r.W * r.H }
func (r Rect) Unused() string        { return "never" }
func (r *Rect) Scale(k int)          { r.W *= k; r.H *= k }
func (r Rect) String() string        { return fmt.Sprintf("Rect(%dx%d)", r.W, r.H) }
func (r Rect) Hello(s string) string { return "hello " + s }

type Named struct {
	Shape // promoted through the embedded interface
	Name  string
}

type myErr struct{ code int }

func (e *myErr) Error() string { return fmt.Sprint("code ", e.code) }

func main() {
	var s Shape = Rect{2, 3}
	fmt.Println(s.Area())
	f := s.Area // method value on an interface
	fmt.Println(f())
	g := Shape.Area // method expression on an interface
	fmt.Println(g(Rect{4, 5}))
	var n Shape = Named{Rect{1, 7}, "n"}
	fmt.Println(n.Area())
	fmt.Println(Rect{5, 6}) // String via fmt's Stringer assertion
	p := &Rect{1, 1}
	var sc interface{ Scale(int) } = p
	sc.Scale(3)
	fmt.Println(*p)
	m := reflect.ValueOf(Rect{}).MethodByName("Hello")
	fmt.Println(m.Call([]reflect.Value{reflect.ValueOf("reflect")})[0])
	fmt.Println(reflect.TypeOf(Rect{}).NumMethod(), reflect.TypeOf(&Rect{}).NumMethod())
	xs := []int{3, 1, 2}
	sort.Sort(sort.IntSlice(xs))
	fmt.Println(xs)
	var err error = &myErr{7}
	var target *myErr
	fmt.Println(errors.As(err, &target), target.code)
	defer func() { fmt.Println("recovered:", recover()) }()
	panic(err)
}
