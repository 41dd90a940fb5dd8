// chanpingpong: two goroutines bounce a counter over a pair of unbuffered
// channels. Measures the cost of an unbuffered send/receive rendezvous, which
// is dominated by goroutine park/unpark and scheduler hand-off.
package main

const roundTrips = 4000000

func player(in <-chan int, out chan<- int) {
	for v := range in {
		out <- v + 1
	}
	close(out)
}

func main() {
	ping := make(chan int)
	pong := make(chan int)
	go player(ping, pong)
	v := 0
	for i := 0; i < roundTrips; i++ {
		ping <- v
		v = <-pong
	}
	close(ping)
	_, open := <-pong
	println("round trips:", roundTrips, "value:", v, "closed:", !open)
}
