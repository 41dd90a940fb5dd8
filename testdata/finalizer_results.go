// Finalizers with results: goclift passes large results through pointer arguments and
// returns overflowing scalars through a return area, so the runner must make room for them
// or the object arrives in the wrong register.
package main

import (
	"fmt"
	"runtime"
	"sort"
	"time"
)

type T struct {
	id  int
	pad *int
}

var got = make(chan string, 100)

func bigArray(t *T) (unused [300]int) {
	got <- fmt.Sprint("bigArray ", t.id)
	unused[299] = t.id
	return
}

func manyInts(t *T) (a, b, c, d int, s string) {
	got <- fmt.Sprint("manyInts ", t.id)
	return t.id, 2, 3, 4, "x"
}

func manyFloats(t *T) (a, b, c float64, z complex128) {
	got <- fmt.Sprint("manyFloats ", t.id)
	return 1, 2, 3, 4i
}

func mixed(t *T) ([5]int, string, struct{ a, b, c, d, e int }, [9]float64, error) {
	got <- fmt.Sprint("mixed ", t.id)
	return [5]int{t.id}, "y", struct{ a, b, c, d, e int }{}, [9]float64{}, nil
}

func viaInterface(x any) (int, int, int) {
	got <- fmt.Sprint("viaInterface ", x.(*T).id)
	return 1, 2, 3
}

//go:noinline
func register() {
	for i := 0; i < 3; i++ {
		runtime.SetFinalizer(&T{id: i}, bigArray)
		runtime.SetFinalizer(&T{id: 10 + i}, manyInts)
		runtime.SetFinalizer(&T{id: 20 + i}, manyFloats)
		runtime.SetFinalizer(&T{id: 30 + i}, mixed)
		runtime.SetFinalizer(&T{id: 40 + i}, viaInterface)
	}
}

func main() {
	register()
	var lines []string
	deadline := time.Now().Add(2 * time.Minute)
	for len(lines) < 15 && time.Now().Before(deadline) {
		runtime.GC()
		select {
		case s := <-got:
			lines = append(lines, s)
		case <-time.After(10 * time.Millisecond):
		}
	}
	sort.Strings(lines)
	for _, s := range lines {
		fmt.Println(s)
	}
}
