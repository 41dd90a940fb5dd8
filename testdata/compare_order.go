// The order in which == compares the parts of structs and arrays, which is observable: a
// comparison stops at the first difference, so a part that would panic or fault later is
// never reached (gc compares all string lengths of a struct before any string's bytes,
// each interface field after the fields before it, and all string lengths of an array
// before any string's bytes).
package main

import (
	"fmt"
	"reflect"
	"unsafe"
)

type SI struct {
	s string
	i int
}

type SS struct {
	s, t string
}

type IA struct {
	n int
	x any
	m int
}

type Nested struct {
	a  [2]string
	in SI
}

// unreadable returns a string of length n whose bytes are at an address that faults.
func unreadable(addr uintptr, n int) string {
	var s string
	h := (*reflect.StringHeader)(unsafe.Pointer(&s))
	h.Data = addr
	h.Len = n
	return s
}

func try(name string, f func() bool) {
	defer func() {
		if r := recover(); r != nil {
			fmt.Println(name, "panics:", r)
		}
	}()
	fmt.Println(name, f())
}

func main() {
	bad1, bad2 := unreadable(8, 3), unreadable(16, 3)
	fn := func() {}

	try("SI lengths equal, ints differ", func() bool { return SI{bad1, 1} == SI{bad2, 2} })
	try("SS second lengths differ", func() bool { return SS{bad1, "a"} == SS{bad2, "aa"} })
	try("SS as interfaces", func() bool { return any(SS{"a", bad1}) == any(SS{"b", bad2}) })
	try("SS equal", func() bool { return SS{"ab", "c"} == SS{"ab", "c"} })
	try("SS bytes differ", func() bool { return SS{"ab", "c"} == SS{"ab", "d"} })
	try("IA first differs", func() bool { return IA{1, fn, 0} == IA{2, fn, 0} })
	try("IA interface panics", func() bool { return IA{1, fn, 0} == IA{1, fn, 1} })
	try("IA last differs", func() bool { return IA{1, 5, 0} == IA{1, 5, 1} })
	try("array types differ", func() bool { return [2]any{fn, 1} == [2]any{fn, "x"} })
	try("array panics", func() bool { return [2]any{fn, 1} == [2]any{fn, 1} })
	try("array of strings", func() bool { return [3]string{bad1, "a", "b"} == [3]string{bad2, "a", "bc"} })
	try("array of strings equal", func() bool { return [3]string{"x", "a", "b"} == [3]string{"x", "a", "b"} })
	try("nested", func() bool {
		return Nested{[2]string{bad1, "q"}, SI{"z", 1}} == Nested{[2]string{bad2, "qq"}, SI{"z", 1}}
	})
	try("nested as interfaces", func() bool {
		return any(Nested{[2]string{"p", "q"}, SI{bad1, 1}}) == any(Nested{[2]string{"p", "q"}, SI{bad2, 2}})
	})
	m := map[SI]int{{"a", 1}: 1}
	m[SI{"a", 1}]++
	fmt.Println(m)
}
