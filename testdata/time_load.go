// Timers under load: 200 goroutines sleeping on all Ps, Timer and Ticker Reset while
// pending, a select loop with time.After, context.WithTimeout, reading an empty stdin,
// and time parsing and formatting without fmt.
package main

import (
	"context"
	"os"
	"sync"
	"time"
)

func main() {
	// Many sleepers on all Ps.
	var wg sync.WaitGroup
	var mu sync.Mutex
	total := 0
	for i := 0; i < 200; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			for j := 0; j < 5; j++ {
				time.Sleep(time.Duration(i%7+1) * time.Millisecond)
			}
			mu.Lock()
			total++
			mu.Unlock()
		}(i)
	}
	wg.Wait()
	println("sleepers:", total)

	// Timer reset to earlier and later while pending.
	t := time.NewTimer(time.Hour)
	t.Reset(2 * time.Millisecond)
	<-t.C
	t.Reset(time.Hour)
	println("reset later pending:", t.Reset(time.Millisecond))
	<-t.C
	println("timer reset ok")

	tk := time.NewTicker(time.Hour)
	tk.Reset(time.Millisecond)
	<-tk.C
	<-tk.C
	tk.Stop()
	println("ticker reset ok")

	// select loop with timeouts.
	c := make(chan int)
	go func() {
		for i := 0; i < 50; i++ {
			c <- i
		}
	}()
	got, timeouts := 0, 0
	for got < 50 {
		select {
		case <-c:
			got++
		case <-time.After(50 * time.Millisecond):
			timeouts++
		}
	}
	println("select loop:", got)

	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Millisecond)
	defer cancel()
	<-ctx.Done()
	println("context:", ctx.Err().Error())

	n, err := os.Stdin.Read(make([]byte, 10))
	println("stdin:", n, err.Error())
	println(time.Unix(0, 0).UTC().String())
	d, _ := time.ParseDuration("1h2m3.5s")
	println(d.String())
	tt, err := time.Parse(time.RFC3339, "2022-03-04T05:06:07+02:00")
	println(tt.UTC().Format(time.ANSIC), err == nil, tt.Weekday().String(), tt.YearDay())
}
