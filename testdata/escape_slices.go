// Slice literals and make([]T, n[, m]) whose backing arrays escape analysis keeps in the
// frame (constant capacity, no escape), next to ones that must live on the heap: values
// must be right whatever the placement, across loop iterations, appends, calls and panics.
package main

import (
	"fmt"
	"runtime"
)

func sum(s []int) int {
	t := 0
	for _, v := range s {
		t += v
	}
	return t
}

var global []int

// Literals in a loop: each iteration gets fresh contents; the one kept goes to the heap.
func loops(n int) (int, []int) {
	var kept []int
	total := 0
	for i := 0; i < n; i++ {
		s := []int{i, i * 2, i * 3}
		total += sum(s)
		k := []int{i}
		kept = k
		b := make([]int, 4)
		b[i%4] = i
		total += sum(b)
	}
	return total, kept
}

// A variable len with a constant cap: the checks of makeslice still apply.
func makeLen(i int) (r string) {
	defer func() {
		if e := recover(); e != nil {
			r = fmt.Sprint(e)
		}
	}()
	s := make([]int, i, 3)
	for j := range s {
		s[j] = j + 1
	}
	s = append(s, 100, 200) // may outgrow the frame array: copied to the heap
	return fmt.Sprint(sum(s), len(s), cap(s) >= len(s))
}

// Pointers stored in a frame slice; the pointees stay right across a collection.
func pointers() int {
	a, b := 1, 2
	ps := []*int{&a, &b}
	runtime.GC()
	*ps[1] += 40
	return a + b
}

// Slices that escape: returned, stored globally, captured by a goroutine's closure.
func escapes() []int {
	s := []int{4, 5, 6}
	global = make([]int, 2)
	global[1] = 9
	done := make(chan int)
	t := []int{7, 8}
	go func() { done <- sum(t) }()
	return append(s, <-done)
}

// Nested literals and byte slices.
func nested(x int) int {
	m := [][]int{{1}, {2, x}, {3, x, x}}
	b := make([]byte, 0, 8)
	b = append(b, "hi"...)
	return len(m[2]) + m[1][1] + int(b[1])
}

func main() {
	t, kept := loops(10)
	fmt.Println(t, kept)
	for _, i := range []int{0, 2, 3, 4, -1} {
		fmt.Println(makeLen(i))
	}
	fmt.Println(pointers())
	fmt.Println(escapes(), global)
	fmt.Println(nested(5))
	// Many frames' worth, interleaved with collections.
	acc := 0
	for i := 0; i < 20000; i++ {
		acc += nested(i) + sum([]int{i, 1})
		if i%5000 == 0 {
			runtime.GC()
		}
	}
	fmt.Println(acc)
}
