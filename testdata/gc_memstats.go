// runtime.ReadMemStats: the figures agree with each other and move the way allocation and
// collection move them.
package main

import "runtime"

type T struct {
	next *T
	buf  [64]byte
}

var keep *T

func main() {
	var a, b runtime.MemStats
	runtime.ReadMemStats(&a)
	println("heap alloc == alloc:", a.HeapAlloc == a.Alloc)
	println("sys covers heap:", a.Sys >= a.HeapSys)
	println("idle+inuse == sys:", a.HeapIdle+a.HeapInuse == a.HeapSys)
	println("gc enabled:", a.EnableGC)
	for i := 0; i < 100000; i++ {
		t := &T{next: keep}
		if i%100 == 0 {
			keep = t
		}
	}
	runtime.GC()
	runtime.ReadMemStats(&b)
	println("mallocs grew:", b.Mallocs >= a.Mallocs+100000)
	println("total alloc grew:", b.TotalAlloc >= a.TotalAlloc+100000*80)
	println("a forced cycle:", b.NumForcedGC > a.NumForcedGC, b.NumGC > a.NumGC)
	println("frees grew:", b.Frees > a.Frees)
	println("live heap bounded:", b.HeapAlloc < 4<<20)
	println("pause recorded:", b.PauseNs[(b.NumGC+255)%256] > 0, b.LastGC > 0)
	println("next gc set:", b.NextGC > 0)

	runtime.KeepAlive(keep)
}
