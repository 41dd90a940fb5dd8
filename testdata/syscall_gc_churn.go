// A goroutine blocked in read(2) on a pipe, main writing to it and waiting on a channel with
// time.After (which makes channels), four goroutines allocating, and runtime.GC every 50
// writes: an allocation inside the runtime (makechan's second block) may park the goroutine
// in a collection and resume it on another M; the runtime once kept using the old M, which
// had lost its P ("fatal error: mallocgc called without a P"; 9 runs in 10).
package main

import (
	"fmt"
	"os"
	"runtime"
	"sync"
	"syscall"
	"time"
)

type node struct {
	next *node
	buf  []byte
}

func churn(stop chan struct{}, wg *sync.WaitGroup) {
	defer wg.Done()
	var head *node
	for i := 0; ; i++ {
		select {
		case <-stop:
			return
		default:
		}
		head = &node{next: head, buf: make([]byte, 64+i%512)}
		if i%1000 == 0 {
			head = nil
		}
		if i%97 == 0 {
			deep(i % 200)
		}
	}
}

func deep(n int) int {
	var pad [64]byte
	if n == 0 {
		return int(pad[0])
	}
	return deep(n-1) + int(pad[n%64])
}

func main() {
	var p [2]int
	if err := syscall.Pipe(p[:]); err != nil {
		panic(err)
	}
	c := make(chan int, 100)
	go func() {
		b := make([]byte, 1)
		for {
			n, err := syscall.Read(p[0], b)
			if n != 1 || err != nil {
				panic(err)
			}
			c <- int(b[0])
		}
	}()
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for i := 0; i < 4; i++ {
		wg.Add(1)
		go churn(stop, &wg)
	}
	got, sent := 0, 0
	deadline := time.Now().Add(2 * time.Second)
	for time.Now().Before(deadline) {
		syscall.Write(p[1], []byte{1})
		sent++
		select {
		case <-c:
			got++
		case <-time.After(20 * time.Second):
			fmt.Println("lost after", got)
			os.Exit(1)
		}
		if sent%50 == 0 {
			runtime.GC()
		}
	}
	close(stop)
	wg.Wait()
	fmt.Println("ok", got == sent, got > 10)
}
