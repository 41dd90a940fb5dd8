package main

import (
	"errors"
	"fmt"
)

type P struct {
	X, Y int
	s    string
}

type S int

func (s S) String() string { return fmt.Sprintf("S<%d>", int(s)) }

type E struct{ code int }

func (e *E) Error() string { return fmt.Sprint("E", e.code) }

func main() {
	fmt.Println("hello", 42, 3.5, true, nil, 'x', "s")
	fmt.Printf("%d %5d %-5d| %x %X %o %b %c %q %U\n", 42, 7, 7, 255, 255, 8, 5, 'A', 'B', 0x1F600)
	fmt.Printf("%s %q %v %x % x %10s|%-10s|\n", "str", "q\"s", "v", "hi", "hi", "r", "l")
	fmt.Printf("%f %.2f %e %g %G %8.3f %v\n", 3.14159, 2.5, 123456.789, 1e21, 1e-7, 3.14159, 1.0)
	p := P{1, 2, "z"}
	fmt.Printf("%v %+v %#v %T\n", p, p, p, p)
	fmt.Printf("%v %+v %T\n", &p, &p, &p)
	fmt.Println([]int{1, 2, 3}, [2]string{"a", "b"}, map[string]int{"z": 1, "a": 2, "m": 3})
	fmt.Printf("%#v %#v %#v\n", []int{1}, map[int]bool{2: true, 1: false}, [1]float64{1.5})
	fmt.Println(S(5), []S{1, 2})
	fmt.Printf("%v %s %d\n", S(7), S(8), S(9))
	var err error = &E{3}
	fmt.Println(err)
	w := fmt.Errorf("wrap: %w", err)
	fmt.Println(w, errors.Unwrap(w) == err)
	var target *E
	fmt.Println(errors.As(w, &target), target.code, errors.Is(w, err))
	e1 := errors.New("base")
	fmt.Println(errors.Is(fmt.Errorf("x: %w", e1), e1))
	fmt.Println(fmt.Sprintf("%08.3f|%+d|%x", 3.14159, 5, []byte("abc")))
	fmt.Printf("%t %v %p\n", true, struct{}{}, nil)
	fmt.Printf("%v %v\n", int8(-5), uint64(1<<63))
	fmt.Printf("%6.2v|%-8v|%08d\n", 3.14159, "ab", -42)
	fmt.Printf("%v %d\n", []interface{}{1, "a", nil}, []int8{1, -1})
	fmt.Printf("%!d %z\n", 1)
	type inner struct{ A []int; M map[string]P }
	fmt.Printf("%+v\n", inner{[]int{1}, map[string]P{"k": {1, 2, "q"}}})
	fmt.Println(fmt.Sprint("a", 1, 2, "b", "c", 3.0))
	var ip *int
	fmt.Println(ip == nil, fmt.Sprintf("%v", ip))
	fmt.Printf("%v %v\n", complex(1, 2), complex64(complex(-1.5, 0)))
	fmt.Printf("%q %v\n", []string{"a", "b"}, [][]int{{1}, {2, 3}})
}
