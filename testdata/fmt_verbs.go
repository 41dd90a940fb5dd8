package main

import (
	"errors"
	"fmt"
	"strconv"
)

type Celsius float64

func (c Celsius) String() string { return strconv.FormatFloat(float64(c), 'f', 1, 64) + "C" }

type PS struct{ n int }

func (p *PS) String() string { return "PS" + strconv.Itoa(p.n) }

type G struct{}

func (G) GoString() string { return "G!" }

type F struct{ v int }

func (f F) Format(s fmt.State, verb rune) {
	w, wok := s.Width()
	fmt.Fprintf(s, "F(%c,%d,%v,%v)", verb, f.v, w, wok)
}

type Panicky struct{}

func (Panicky) String() string { panic("boom") }

type NilS struct{ x int }

func (n *NilS) String() string { return "nils" }

type Tree struct {
	Left, Right *Tree
	V           int
}

type myErr struct{ msg string }

func (e myErr) Error() string { return e.msg }

var ErrNotFound = errors.New("not found")

type Embed struct {
	Celsius
	Name string
}

func main() {
	fmt.Println(Celsius(21.5), []Celsius{1, 2})
	fmt.Println(&PS{3}, PS{4})
	fmt.Printf("%v %#v %+v\n", G{}, G{}, G{})
	fmt.Printf("%v|%5d|%s\n", F{1}, F{2}, F{3})
	fmt.Println(Panicky{})
	var ns *NilS
	fmt.Println(ns)
	_ = &Tree{&Tree{nil, nil, 1}, nil, 2}
	fmt.Printf("%*d|%-*d|%.*f\n", 5, 1, 4, 2, 2, 3.14159)
	e := fmt.Errorf("ctx: %w", myErr{"inner"})
	var me myErr
	fmt.Println(errors.As(e, &me), me.msg, e)
	e2 := fmt.Errorf("layer2: %w", fmt.Errorf("layer1: %w", ErrNotFound))
	fmt.Println(errors.Is(e2, ErrNotFound), e2, errors.Unwrap(errors.Unwrap(e2)) == ErrNotFound)
	fmt.Println(fmt.Errorf("no wrap %d", 1), errors.Unwrap(fmt.Errorf("no wrap")) == nil)
	fmt.Println(Embed{Celsius(3), "n"})
	fmt.Printf("%v %d %s\n", []byte("hi"), []byte("hi"), []byte("hi"))
	fmt.Printf("%x %X %#x %#o %#b\n", "hello", []byte{1, 171}, 255, 8, 5)
	fmt.Printf("%e %.3g %g %g %v\n", 0.000123, 123456.0, 1e6, 1e-5, float32(0.1))
	fmt.Printf("%5t|%-7v|%q\n", false, nil, 'x')
	fmt.Printf("%d %d\n", []uint{1, 2}, map[string]int{"a": 1})
	m := map[interface{}]int{1: 1, "a": 2, 2.5: 3, false: 4}
	fmt.Println(m)
	fmt.Println(map[[2]int]string{{2, 1}: "b", {1, 2}: "a"})
	type kv struct {
		K string
		V *int
	}
	x := 5
	s := fmt.Sprintf("%+v", kv{"k", &x})
	fmt.Println(s[:len("{K:k V:0x")])
	fmt.Printf("%08b %o %x\n", 5, -8, -255)
	fmt.Printf("%s\n", error(nil))
	fmt.Printf("%v %v\n", struct{ a, b interface{} }{1, nil}, [0]int{})
	fmt.Printf("%6.2f%%\n", 99.5)
	var iface fmt.Stringer = Celsius(1)
	fmt.Printf("%T %T %T %T\n", iface, e, m, fmt.Println)
	fmt.Println(fmt.Sprintln("a", 1) + "|")
	fmt.Printf("%v\n", [][]string{{"a"}, nil, {}})
	fmt.Printf("%U %#U\n", 'ä', 'ä')
	fmt.Printf("%+q %x\n", "héllo", "é")
	fmt.Printf("%10.4v|%-10.3s|\n", "abcdefgh", "abcdefgh")
	fmt.Printf("%v %v %v\n", uintptr(7), int64(-1<<63), ^uint32(0))
	fmt.Printf("%.0f %.1f %5.1e\n", 2.5, 0.05, 12345.678)
}
