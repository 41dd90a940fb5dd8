// Pipes through the netpoller: a read on an empty pipe parks only its goroutine (with
// GOMAXPROCS(1) the other goroutines keep running), a large write blocks until the reader
// drains the pipe, read deadlines expire with a timeout error, Close unblocks a pending
// read, and many pipes wait at once.
package main

import (
	"errors"
	"io"
	"os"
	"runtime"
	"time"
)

func main() {
	runtime.GOMAXPROCS(1)

	// A blocked reader does not hold the only P.
	r, w, err := os.Pipe()
	if err != nil {
		panic(err)
	}
	got := make(chan string)
	go func() {
		buf := make([]byte, 16)
		n, err := r.Read(buf)
		if err != nil {
			panic(err)
		}
		got <- string(buf[:n])
	}()
	counter := 0
	for i := 0; i < 1000; i++ {
		counter++
		runtime.Gosched()
	}
	println("other goroutines ran:", counter)
	w.WriteString("hello")
	println("read:", <-got)

	// A write larger than the pipe buffer completes while the reader drains it.
	const size = 1 << 20
	data := make([]byte, size)
	for i := range data {
		data[i] = byte(i * 7)
	}
	sum := make(chan int)
	go func() {
		all, err := io.ReadAll(r)
		if err != nil {
			panic(err)
		}
		s := 0
		for i, b := range all {
			if b != byte(i*7) {
				println("corrupt at", i)
				break
			}
			s++
		}
		sum <- s
	}()
	n, err := w.Write(data)
	println("wrote:", n, err == nil)
	w.Close()
	println("reader got:", <-sum)
	r.Close()

	// Read deadlines.
	r2, w2, _ := os.Pipe()
	// t0 before the deadline is set: the read cannot end before t0 + 15ms however late
	// this goroutine runs between the two calls.
	t0 := time.Now()
	r2.SetReadDeadline(t0.Add(15 * time.Millisecond))
	_, err = r2.Read(make([]byte, 4))
	println("deadline:", errors.Is(err, os.ErrDeadlineExceeded), time.Since(t0) >= 15*time.Millisecond)
	_, err = r2.Read(make([]byte, 4))
	println("still expired:", errors.Is(err, os.ErrDeadlineExceeded))
	r2.SetReadDeadline(time.Time{})
	go func() {
		time.Sleep(5 * time.Millisecond)
		w2.WriteString("late")
	}()
	buf := make([]byte, 8)
	n, err = r2.Read(buf)
	println("after clearing the deadline:", string(buf[:n]), err == nil)

	// A deadline in the past fails at once; Close unblocks a pending read.
	r2.SetReadDeadline(time.Now().Add(-time.Second))
	_, err = r2.Read(buf)
	println("past deadline:", errors.Is(err, os.ErrDeadlineExceeded))
	r2.SetReadDeadline(time.Time{})
	go func() {
		time.Sleep(5 * time.Millisecond)
		r2.Close()
	}()
	_, err = r2.Read(buf)
	println("closed while reading:", errors.Is(err, os.ErrClosed))
	w2.Close()

	// Many pipes waiting at once, written in reverse order.
	const np = 20
	var ws []*os.File
	results := make(chan int, np)
	for i := 0; i < np; i++ {
		pr, pw, _ := os.Pipe()
		ws = append(ws, pw)
		go func(i int, pr *os.File) {
			b := make([]byte, 1)
			pr.Read(b)
			results <- i*1000 + int(b[0])
			pr.Close()
		}(i, pr)
	}
	time.Sleep(5 * time.Millisecond)
	for i := np - 1; i >= 0; i-- {
		ws[i].Write([]byte{byte(i)})
		ws[i].Close()
	}
	ok := 0
	for i := 0; i < np; i++ {
		v := <-results
		if v/1000 == v%1000 {
			ok++
		}
	}
	println("pipes served:", ok)
}
