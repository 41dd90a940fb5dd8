// The run-time panics of panic_calls.c, as gc 1.19 raises them: the program panics in the way
// the environment variable CASE names. tests/staticlib.rs compares gc's standard error (up to
// the goroutine header) and exit status with the runtime's for each case.
package main

import (
	"os"
	"unsafe"
)

type T struct{ a, b int }

var (
	a    = []int{1, 2, 3}
	s    = "abc"
	n5   = 5
	n4   = 4
	n2   = 2
	n1   = 1
	neg  = -1
	zero = 0
	big  = uint64(1<<63 + 5)
	ubig = uint(1<<64 - 1)
	nilT *T
	nilF func()
	sink interface{}
)

func main() {
	switch os.Getenv("CASE") {
	case "index":
		sink = a[n5]
	case "index_neg":
		sink = a[neg]
	case "index_u":
		sink = a[big]
	case "slice_alen":
		sink = s[:n5]
	case "slice_acap":
		sink = a[:n5]
	case "slice_acap_u":
		sink = a[:ubig]
	case "slice_b":
		sink = a[n2:n1]
	case "slice_b_neg":
		sink = a[neg:]
	case "slice3_acap":
		sink = a[:n1:n5]
	case "slice3_b":
		sink = a[:n4:n2]
	case "slice3_c":
		sink = a[n2:n1:n2]
	case "slice3_c_neg":
		sink = a[neg:n1:n2]
	case "convert":
		sink = (*[4]int)(a)
	case "makeslice_len":
		sink = make([]int, neg)
	case "makeslice_cap":
		sink = make([]int, n1, zero)
	case "unsafe_nil":
		sink = unsafe.Slice((*int)(nil), n1)
	case "unsafe_len":
		sink = unsafe.Slice(&a[0], neg)
	case "divide":
		sink = n5 / zero
	case "shift":
		sink = n5 << neg
	case "string":
		panic("boom")
	case "string_lines":
		panic("two\nlines")
	case "nil":
		sink = nilT.b
	case "nil_call":
		nilF()
	case "fault":
		sink = *(*int)(unsafe.Pointer(uintptr(0xdeadbeef000)))
	}
}
