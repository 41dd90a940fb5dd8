// time: Sleep, Since, After, NewTimer with Stop and Reset, AfterFunc, NewTicker, select
// with a timeout, and timers that only the runtime refers to surviving a collection.
// Output is independent of timing: only orders and lower bounds are printed.
package main

import (
	"runtime"
	"time"
)

var sink [][]byte

func main() {
	t0 := time.Now()
	time.Sleep(20 * time.Millisecond)
	println("slept at least 20ms:", time.Since(t0) >= 20*time.Millisecond)
	println("until is negative:", time.Until(t0) < 0)

	<-time.After(5 * time.Millisecond)
	println("after fired")

	tm := time.NewTimer(time.Hour)
	println("stop pending:", tm.Stop())
	println("stop again:", tm.Stop())
	println("reset stopped:", tm.Reset(time.Millisecond))
	v := <-tm.C
	println("reset timer fired, time after start:", v.After(t0))
	println("stop fired:", tm.Stop())

	done := make(chan int)
	time.AfterFunc(2*time.Millisecond, func() { done <- 42 })
	println("afterfunc:", <-done)

	tk := time.NewTicker(3 * time.Millisecond)
	var last time.Time
	for i := 0; i < 5; i++ {
		t := <-tk.C
		if !t.After(last) {
			println("ticks out of order")
		}
		last = t
	}
	tk.Stop()
	println("ticker: 5 ticks")

	never := make(chan int)
	select {
	case <-never:
		println("never")
	case <-time.After(10 * time.Millisecond):
		println("select timed out")
	}

	// Timers referenced only by the runtime's timer heaps survive collections.
	var chans []<-chan time.Time
	for i := 0; i < 50; i++ {
		chans = append(chans, time.After(time.Duration(30+i%7)*time.Millisecond))
	}
	for i := 0; i < 3000; i++ {
		sink = append(sink, make([]byte, 48+i%64))
		if i%1000 == 999 {
			sink = nil
			runtime.GC()
		}
	}
	for _, c := range chans {
		<-c
	}
	println("50 timers fired after collections")

	d := 1500 * time.Millisecond
	println(d.String(), time.Duration(0).String(), (90 * time.Minute).String())
	println(time.Unix(1e9, 0).UTC().Format(time.RFC3339))
	println(time.Date(2023, time.March, 5, 14, 7, 9, 0, time.UTC).Format("Mon Jan _2 15:04:05 2006"))
}
