// Finalizers under concurrent collection: objects with finalizers are dropped while other
// goroutines churn memory (so concurrent cycles start and finish on their own). A finalizer
// must never run for an object that is still reachable, must run for most dropped ones
// (conservative stack scanning may keep a few), and must find what its object points to
// intact (objects reachable from a finalizable object survive until it is finalized).
package main

import (
	"runtime"
	"sync/atomic"
)

type Payload struct {
	words [8]int
}

type Obj struct {
	id      int
	payload *Payload
	kept    bool
}

var finalized int64
var wrongKept int64
var wrongPayload int64

func finalizer(o *Obj) {
	if o.kept {
		atomic.AddInt64(&wrongKept, 1)
	}
	if o.payload == nil || o.payload.words[7] != o.id*3 {
		atomic.AddInt64(&wrongPayload, 1)
	}
	atomic.AddInt64(&finalized, 1)
}

func makeObjs(n int) []*Obj {
	kept := make([]*Obj, 0, n/2)
	for i := 0; i < n; i++ {
		o := &Obj{id: i, payload: &Payload{}}
		o.payload.words[7] = i * 3
		runtime.SetFinalizer(o, finalizer)
		if i%2 == 0 {
			o.kept = true
			kept = append(kept, o)
		}
	}
	return kept
}

var sink []byte

func churn(rounds int, done chan bool) {
	for r := 0; r < rounds; r++ {
		for i := 0; i < 1000; i++ {
			sink = make([]byte, 256)
		}
	}
	done <- true
}

func main() {
	const n = 2000
	kept := makeObjs(n)
	done := make(chan bool)
	for g := 0; g < 2; g++ {
		go churn(400, done)
	}
	<-done
	<-done
	for i := 0; i < 4; i++ {
		runtime.GC()
		// Let the finalizer goroutine run what this cycle queued.
		for j := 0; j < 100; j++ {
			runtime.Gosched()
		}
	}
	f := atomic.LoadInt64(&finalized)
	println("most dropped objects finalized:", f >= n/2*9/10, f <= n/2)
	println("kept objects finalized:", atomic.LoadInt64(&wrongKept))
	println("payloads lost:", atomic.LoadInt64(&wrongPayload))
	for i, o := range kept {
		if o.id != 2*i || o.payload.words[7] != o.id*3 {
			println("kept object corrupted", i)
		}
	}
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	println("cycles ran:", ms.NumGC > 4)
}
