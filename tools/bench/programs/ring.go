// ring: the Benchmarks Game thread-ring. 503 goroutines are linked in a ring
// by unbuffered channels and pass a token around, decrementing it at each hop.
// Measures channel hand-off between many goroutines (run queue and runnext).
package main

const (
	ringSize = 503
	hops     = 8000000
)

func member(id int, in <-chan int, out chan<- int, done chan<- int) {
	for token := range in {
		if token == 0 {
			done <- id
			return
		}
		out <- token - 1
	}
}

func main() {
	first := make(chan int)
	done := make(chan int)
	in := first
	for id := 1; id <= ringSize; id++ {
		out := first
		if id < ringSize {
			out = make(chan int)
		}
		go member(id, in, out, done)
		in = out
	}
	first <- hops
	println("token finished at goroutine", <-done)
}
