// Finalizers on tiny objects (pointer-free, under 16 bytes, packed into shared 16-byte
// blocks): SetFinalizer accepts pointers inside a block, each finalizer gets its own
// object, and the block stays alive while any of its objects is reachable.
package main

import (
	"fmt"
	"runtime"
	"time"
)

type small struct{ a, b int16 }

var kept []*int32

func main() {
	const n = 200
	done := make(chan int32, n)
	for i := 0; i < n; i++ {
		x := new(int32)
		*x = int32(i)
		runtime.SetFinalizer(x, func(p *int32) { done <- *p })
		if i%50 == 7 {
			kept = append(kept, x) // its block's neighbours may stay alive with it
		}
	}
	s := &small{1, 2}
	runtime.SetFinalizer(s, func(p *small) { done <- int32(1000 + p.a + p.b) })
	s = nil
	seen := map[int32]bool{}
	deadline := time.Now().Add(2 * time.Minute)
	for len(seen) < n*8/10 && time.Now().Before(deadline) {
		runtime.GC()
		for drained := false; !drained; {
			select {
			case v := <-done:
				if seen[v] {
					panic(fmt.Sprint("finalized twice: ", v))
				}
				if v >= 0 && v < n && v%50 == 7 {
					panic(fmt.Sprint("reachable object finalized: ", v))
				}
				seen[v] = true
			case <-time.After(10 * time.Millisecond):
				drained = true
			}
		}
	}
	fmt.Println("most finalized:", len(seen) >= n*8/10)
	runtime.KeepAlive(kept)
	for _, p := range kept {
		fmt.Println(*p)
	}
}
