// Goroutines: direct calls, method calls, func values and closures in go statements; a ring,
// a spawn storm, ping-pong and producer/consumer.
package main

type counter struct {
	n int
}

func (c *counter) add(k int, done chan bool) {
	c.n += k
	done <- true
}

func (c counter) report(out chan int) {
	out <- c.n
}

func sum(out chan int, xs ...int) {
	t := 0
	for _, x := range xs {
		t += x
	}
	out <- t
}

// A package-level func variable holding a named function.
var sender func(out chan int, v int)

func send(out chan int, v int) { out <- v }

func pair(a string, b int, out chan string) {
	out <- a + string(rune('0'+b))
}

// ring passes a token around n goroutines, m times.
func ring(n, m int) int {
	first := make(chan int)
	in := first
	for i := 0; i < n; i++ {
		out := make(chan int)
		go func(in, out chan int) {
			for v := range in {
				out <- v + 1
			}
			close(out)
		}(in, out)
		in = out
	}
	last := in
	total := 0
	for j := 0; j < m; j++ {
		first <- 0
		total += <-last
	}
	close(first)
	for range last {
	}
	return total
}

// storm starts n goroutines that each send their number.
func storm(n int) int {
	c := make(chan int, 64)
	for i := 0; i < n; i++ {
		go func(i int) { c <- i }(i)
	}
	t := 0
	for i := 0; i < n; i++ {
		t += <-c
	}
	return t
}

func pingpong(n int) int {
	ping, pong := make(chan int), make(chan int)
	go func() {
		for v := range ping {
			pong <- v + 1
		}
		close(pong)
	}()
	v := 0
	for i := 0; i < n; i++ {
		ping <- v
		v = <-pong
	}
	close(ping)
	return v
}

func producerConsumer(producers, items int) int {
	work := make(chan int, 16)
	results := make(chan int)
	done := make(chan bool)
	for p := 0; p < producers; p++ {
		go func(p int) {
			for i := 0; i < items; i++ {
				work <- p*items + i
			}
			done <- true
		}(p)
	}
	go func() {
		for p := 0; p < producers; p++ {
			<-done
		}
		close(work)
	}()
	for w := 0; w < 3; w++ {
		go func() {
			s := 0
			for v := range work {
				s += v
			}
			results <- s
		}()
	}
	t := 0
	for w := 0; w < 3; w++ {
		t += <-results
	}
	return t
}

func main() {
	done := make(chan bool)
	c := &counter{}
	go c.add(5, done)
	<-done
	go c.add(7, done)
	<-done
	out := make(chan int)
	go c.report(out)
	println("counter", <-out)

	go sum(out, 1, 2, 3, 4)
	println("sum", <-out)
	go sum(out)
	println("empty sum", <-out)
	xs := []int{10, 20}
	go sum(out, xs...)
	println("slice sum", <-out)

	strs := make(chan string)
	go pair("a", 1, strs)
	println(<-strs)

	// Arguments are evaluated at the go statement.
	k := 1
	f := func(v int) { out <- v * 100 }
	go f(k)
	k = 2
	println("arg", <-out, k)

	// A func value variable is evaluated at the go statement too.
	g := func() { out <- 1 }
	go g()
	g = func() { out <- 2 }
	println("func value", <-out)

	sender = send
	go sender(out, 77)
	println("named func value", <-out)

	// Closures share variables with their creator.
	shared := 0
	go func() {
		shared = 41
		done <- true
	}()
	<-done
	shared++
	println("shared", shared)

	println("ring", ring(100, 50))
	println("storm", storm(10000))
	println("pingpong", pingpong(10000))
	println("producer/consumer", producerConsumer(4, 1000))
}
