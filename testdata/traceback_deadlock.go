package main

// Every goroutine blocks: the fatal error prints each one with its wait reason, its frames
// and the go statement that created it.

func sender(c chan<- int, v int) {
	c <- v
	c <- v
}

func waiter(a, b chan int) {
	select {
	case <-a:
	case b <- 1:
	}
}

func main() {
	c := make(chan int)
	go sender(c, 1)
	println(<-c)
	a := make(chan int)
	go func() {
		waiter(a, nil)
	}()
	var never chan int
	for i := 0; i < 2; i++ {
		<-c
	}
	<-never
}
