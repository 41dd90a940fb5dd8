// Many goroutines grow their stacks to varying depths over and over, some of them parking
// at the bottom of a deep recursion while collections run (which release the memory that
// idle goroutines and dead ones hold), then check every result; afterwards the stack
// memory in use must have gone back down.
// The workers also allocate, so that concurrent collections run while they work.
package main

import (
	"fmt"
	"runtime"
)

const (
	workers = 48
	rounds  = 40
)

// frame recurses n deep with a frame of about half a KiB, returning a value that depends
// on every level, so that a corrupted frame or a lost segment shows.
func frame(n, seed int) int {
	var local [48]int
	for i := range local {
		local[i] = seed + i*n
	}
	if n == 0 {
		return local[seed%48]
	}
	return frame(n-1, (seed*31+n)&0xffffff) + local[n%48] - local[(n+1)%48]
}

// want computes frame's result without recursion.
func want(n, seed int) int {
	for k := n; k > 0; k-- {
		seed = (seed*31 + k) & 0xffffff
	}
	total := seed
	for k := 1; k <= n; k++ {
		total += (k%48)*k - ((k+1)%48)*k
	}
	return total
}

// parkDeep recurses n deep, then waits on gate before returning.
func parkDeep(n, seed int, parked chan<- bool, gate <-chan bool) int {
	var local [48]int
	local[n%48] = seed
	if n == 0 {
		parked <- true
		<-gate
		return seed
	}
	return parkDeep(n-1, seed+1, parked, gate) + local[n%48] - seed
}

// sink keeps garbage reachable for a moment, so that collections start on their own while
// the workers grow, shrink and park.
var sink [workers][]byte

func worker(id int, parked chan<- bool, gate <-chan bool, errs chan<- string) {
	for r := 0; r < rounds; r++ {
		sink[id%workers] = make([]byte, 64<<10)
		n := (id*37 + r*101) % 700
		seed := id*1000 + r
		if got, w := frame(n, seed), want(n, seed); got != w {
			errs <- fmt.Sprintf("worker %d round %d depth %d: got %d, want %d", id, r, n, got, w)
			return
		}
		if r%10 == 5 {
			// Go deep, park there while the main goroutine collects, come back up.
			d := 200 + id*13
			if got := parkDeep(d, seed, parked, gate); got != seed+d {
				errs <- fmt.Sprintf("worker %d park %d: got %d, want %d", id, r, got, seed+d)
				return
			}
		}
	}
	errs <- ""
}

func main() {
	parked := make(chan bool)
	gate := make(chan bool)
	errs := make(chan string, workers)
	for gen := 0; gen < 3; gen++ {
		for id := 0; id < workers; id++ {
			go worker(id+gen*workers, parked, gate, errs)
		}
		// Each worker parks deep four times (rounds 5, 15, 25, 35).
		for i := 0; i < 4*workers; i++ {
			<-parked
			if i%workers == workers-1 {
				runtime.GC()
			}
			gate <- true
		}
		failed := 0
		for id := 0; id < workers; id++ {
			if e := <-errs; e != "" {
				fmt.Println(e)
				failed++
			}
		}
		fmt.Println("generation", gen, "failures:", failed)
	}

	// One goroutine goes very deep (many segments), then everything has ended.
	done := make(chan int)
	go func() { done <- frame(200000, 3) }()
	fmt.Println("deep ok:", <-done == want(200000, 3))

	runtime.GC()
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	fmt.Println("stack memory released:", ms.StackInuse < 64<<20)
}
