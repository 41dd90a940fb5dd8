// A goroutine that spends its time in sync.Pool's pinned sections: Get on an empty pool
// scans every P's queue in a loop with preemption disabled (procPin). sysmon asks the
// long-running goroutine to yield; a loop back edge must not yield until it unpins (it used
// to, and the scheduler died with "schedule: holding locks").
package main

import (
	"fmt"
	"runtime"
	"sync"
	"time"
)

func main() {
	runtime.GOMAXPROCS(256)
	var p sync.Pool
	var wg sync.WaitGroup
	deadline := time.Now().Add(300 * time.Millisecond)
	for g := 0; g < 2; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for time.Now().Before(deadline) {
				for i := 0; i < 1000; i++ {
					if p.Get() != nil {
						panic("empty pool returned a value")
					}
				}
			}
		}()
	}
	wg.Wait()
	fmt.Println("ok")
}
