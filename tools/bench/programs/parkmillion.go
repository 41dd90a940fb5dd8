// parkmillion: one million goroutines park at once on a channel receive, then are
// released by a close and report back. Measures the memory a parked goroutine costs
// (peak RSS: its stack, its G and the channel wait record; gc needs about 2.7 KB each)
// and the cost of creating, parking and waking that many.
package main

const goroutines = 1000000

func waiter(id int, ready chan<- bool, start <-chan int, done chan<- int) {
	ready <- true
	<-start
	done <- id
}

func main() {
	ready := make(chan bool, goroutines)
	start := make(chan int)
	done := make(chan int, goroutines)
	for i := 0; i < goroutines; i++ {
		go waiter(i, ready, start, done)
	}
	// Every goroutine has run up to its receive from start once all have said so.
	for i := 0; i < goroutines; i++ {
		<-ready
	}
	close(start)
	sum := 0
	for i := 0; i < goroutines; i++ {
		sum += <-done
	}
	println("goroutines:", goroutines, "sum:", sum)
}
