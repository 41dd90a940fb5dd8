// runtime.Stack: the calling goroutine's traceback (and every goroutine's) written into a
// buffer, truncated to its length, in the format of gc's tracebacks.
package main

import "runtime"

func f(c chan int) {
	buf := make([]byte, 4096)
	n := runtime.Stack(buf, false)
	print(string(buf[:n]))
	println("---")
	// Wait until the other goroutine blocks in its receive.
	for !contains(buf[:runtime.Stack(buf, true)], "[chan receive]") {
		runtime.Gosched()
	}
	n = runtime.Stack(buf, true)
	print(string(buf[:n]))
	println("---")
	n = runtime.Stack(buf[:20], false)
	println(n, string(buf[:n]))
	println(runtime.Stack(nil, true))
	close(c)
}

func contains(b []byte, s string) bool {
	for i := 0; i+len(s) <= len(b); i++ {
		if string(b[i:i+len(s)]) == s {
			return true
		}
	}
	return false
}

func main() {
	c := make(chan int)
	go func() { <-c }()
	f(c)
}
