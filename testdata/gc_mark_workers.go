// Concurrent collection with several background mark workers (GOMAXPROCS 8: gc's formula
// gives two dedicated workers) while many goroutines allocate, link and check lists, and
// park on channels in between. An object freed while reachable shows up as a wrong sum.
package main

import (
	"fmt"
	"runtime"
	"sync"
)

type node struct {
	next *node
	val  int
	buf  []byte
}

func makeList(n, seed int) *node {
	var head *node
	for i := 0; i < n; i++ {
		head = &node{next: head, val: seed + i, buf: make([]byte, 48)}
		head.buf[i%48] = byte(i)
	}
	return head
}

func (l *node) sum() (s int) {
	for ; l != nil; l = l.next {
		s += l.val + int(l.buf[(l.val-l.val/1000*1000)%48])
	}
	return s
}

func want(n, seed int) (s int) {
	for i := 0; i < n; i++ {
		s += seed + i
		if (seed+i)%1000%48 == i%48 {
			s += i % 256
		}
	}
	return s
}

func main() {
	runtime.GOMAXPROCS(8)
	const workers, rounds, n = 32, 20, 300
	before := gcCount()
	var wg sync.WaitGroup
	bad := make(chan string, workers)
	baton := make(chan int, 4)
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			keep := makeList(n, w*1000)
			for r := 0; r < rounds; r++ {
				garbage := makeList(n, r)
				_ = garbage
				baton <- w // park now and then while others allocate
				<-baton
				if keep.sum() != want(n, w*1000) {
					bad <- fmt.Sprint("worker ", w, " round ", r)
					return
				}
				if r%10 == 9 {
					keep = makeList(n, w*1000)
				}
			}
		}(w)
	}
	wg.Wait()
	close(bad)
	for b := range bad {
		fmt.Println("corrupted:", b)
	}
	fmt.Println("collected during the run:", gcCount() > before)
}

func gcCount() uint32 {
	var st runtime.MemStats
	runtime.ReadMemStats(&st)
	return st.NumGC
}
