// Stack memory goes back when goroutines need less or end: goroutines that grew their
// stacks deep and now park near the bottom, and goroutines that have ended, must not keep
// what they used at their deepest once collections have run (gc shrinks idle stacks and
// frees dead goroutines' stacks during collections).
package main

import (
	"fmt"
	"runtime"
)

const goroutines = 2000

// deep uses about 16 KiB of stack below its caller's frame.
func deep(n int) int {
	var pad [64]int
	pad[n%64] = n
	if n == 0 {
		return pad[0]
	}
	return deep(n-1) + pad[n%64]
}

func stackInuse() uint64 {
	runtime.GC()
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return ms.StackInuse
}

func main() {
	// Idle Ps keep a few dead goroutines and cached stacks for reuse (gc and goclift alike):
	// a fixed P count keeps that allowance independent of the machine.
	runtime.GOMAXPROCS(2)
	base := stackInuse()
	ready := make(chan int)
	release := make(chan bool)
	for i := 0; i < goroutines; i++ {
		go func(i int) {
			ready <- deep(30 + i%4)
			<-release
		}(i)
	}
	sum := 0
	for i := 0; i < goroutines; i++ {
		sum += <-ready
	}
	// Every goroutine is parked one frame deep after having used ~16 KiB.
	parked := stackInuse() - base
	fmt.Println("results:", sum)
	fmt.Println("parked goroutines keep at most 12 KiB of stack each:", parked < goroutines*12<<10)

	close(release)
	for runtime.NumGoroutine() > 1 {
		runtime.Gosched()
	}
	ended := stackInuse() - base
	fmt.Println("ended goroutines keep less than 2 MiB of stack in all:", ended < 2<<20)
}
