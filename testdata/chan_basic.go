// Channels: buffered and unbuffered, close, range, comma-ok, len and cap, nil channels,
// channels of strings, structs and channels.
package main

type point struct {
	x, y int
	name string
}

func fill(c chan int, n int) {
	for i := 0; i < n; i++ {
		c <- i * i
	}
	close(c)
}

func main() {
	// Buffered: FIFO order, len and cap.
	b := make(chan int, 4)
	println(len(b), cap(b))
	b <- 10
	b <- 20
	b <- 30
	println(len(b), cap(b))
	println(<-b, <-b)
	println(len(b))
	close(b)
	v, ok := <-b
	println(v, ok)
	v, ok = <-b
	println(v, ok)

	// Nil channels: len and cap are 0.
	var nilc chan int
	println(len(nilc), cap(nilc), nilc == nil)

	// Unbuffered with a sender goroutine; range until closed.
	u := make(chan int)
	go fill(u, 6)
	sum := 0
	for x := range u {
		sum += x
		print(x, " ")
	}
	println()
	println("sum", sum)

	// Range without a variable.
	c2 := make(chan int, 3)
	go fill(c2, 5)
	n := 0
	for range c2 {
		n++
	}
	println("received", n)

	// Strings and structs are copied through the channel.
	s := make(chan string, 2)
	s <- "hello"
	s <- "world"
	println(<-s + ", " + <-s)
	ps := make(chan point, 1)
	p := point{1, 2, "p"}
	ps <- p
	p.x = 100
	q := <-ps
	println(q.x, q.y, q.name, p.x)

	// A channel of channels: request/reply.
	reqs := make(chan chan int)
	go func() {
		for r := range reqs {
			r <- 42
		}
	}()
	reply := make(chan int)
	reqs <- reply
	println("reply", <-reply)
	close(reqs)

	// Comma-ok in an assignment and a declaration.
	done := make(chan bool, 1)
	done <- true
	var got, open = <-done
	println(got, open)
	close(done)
	_, open = <-done
	println(open)

	// Zero-size elements.
	sig := make(chan struct{}, 2)
	sig <- struct{}{}
	<-sig
	println(len(sig))

	// Receive as an expression statement and in an expression.
	e := make(chan int, 2)
	e <- 1
	e <- 2
	<-e
	println(<-e * 3)
}
