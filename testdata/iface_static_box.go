// Conversions of constants and zero-size values to interfaces box them without allocating
// (read-only data, as gc does); the boxes behave like any other: assertions, comparisons,
// map keys, printing, and value-receiver methods that modify their copy of the receiver.
package main

import (
	"fmt"
	"runtime"
)

type N int

func (n N) Bump() N { n += 100; return n }

type C complex128

func (c C) Bump() C { c += 1; return c }

type F float32

func (f F) Bump() F { f *= 2; return f }

type B bool

func (b B) Bump() B { b = !b; return b }

type E struct{}

func (e E) Bump() E { e = E{}; return e }

type bumper interface{ String() string }

func (n N) String() string { n++; return fmt.Sprint(int(n)) }

var sink any

func main() {
	vals := []any{5, -7, int8(-3), uint16(65535), int64(1) << 62, 3.5, float32(1.5), complex(1, 2),
		complex64(complex(-1, 0.5)), true, false, "", struct{}{}, [0]int{}, N(42), C(2i), F(0.25), B(true), E{}}
	for _, v := range vals {
		fmt.Printf("%T %v\n", v, v)
	}
	// Value-receiver methods get a copy: the box must not change.
	var n any = N(1)
	fmt.Println(n.(N).Bump(), n.(N).Bump(), n)
	var s bumper = N(9)
	fmt.Println(s.String(), s.String(), s)
	var c interface{ Bump() C } = C(1 + 1i)
	fmt.Println(c.Bump(), c.Bump())
	var f interface{ Bump() F } = F(3)
	fmt.Println(f.Bump(), f.Bump())
	var b interface{ Bump() B } = B(false)
	fmt.Println(b.Bump(), b.Bump())
	var e interface{ Bump() E } = E{}
	fmt.Println(e.Bump() == E{})
	// Equality and map keys.
	m := map[any]int{}
	m[5]++
	m[5]++
	m[""]++
	m[struct{}{}]++
	m[struct{}{}]++
	fmt.Println(m[5], m[""], m[struct{}{}], any(5) == any(5), any(5) == any(int64(5)), any(1.5) == any(1.5))
	// No allocation per conversion.
	var ms0, ms1 runtime.MemStats
	runtime.ReadMemStats(&ms0)
	for i := 0; i < 10000; i++ {
		sink = 12345
		sink = 2.5
		sink = ""
		sink = struct{}{}
		sink = N(7)
	}
	runtime.ReadMemStats(&ms1)
	fmt.Println("allocations per 1000 conversions:", (ms1.Mallocs-ms0.Mallocs)/50)
}
