// select: default, nil channels, send and receive cases, break, select in loops, and the
// random choice among ready cases (only totals are printed).
package main

func main() {
	// Only a default.
	select {
	default:
		println("only default")
	}

	// Nothing ready: default.
	c := make(chan int)
	select {
	case v := <-c:
		println("unexpected", v)
	default:
		println("default")
	}

	// Nil channel cases never proceed.
	var nilc chan int
	b := make(chan int, 1)
	b <- 7
	select {
	case v := <-nilc:
		println("nil recv", v)
	case nilc <- 1:
		println("nil send")
	case v, ok := <-b:
		println("b", v, ok)
	}

	// A send case.
	select {
	case b <- 8:
		println("sent")
	default:
		println("full")
	}
	select {
	case b <- 9:
		println("sent")
	default:
		println("full")
	}
	println(<-b)

	// Closed channel: receive with ok false.
	cl := make(chan string)
	close(cl)
	select {
	case s, ok := <-cl:
		println("closed", s == "", ok)
	}

	// break inside select leaves the select only.
	for i := 0; i < 3; i++ {
		select {
		default:
			if i == 1 {
				break
			}
			println("iteration", i)
		}
	}

	// Random choice among ready cases: both get chosen over many rounds.
	x := make(chan int, 1)
	y := make(chan int, 1)
	nx, ny := 0, 0
	for i := 0; i < 2000; i++ {
		x <- 1
		y <- 2
		select {
		case <-x:
			nx++
			<-y
		case <-y:
			ny++
			<-x
		}
	}
	println(nx+ny, nx > 100, ny > 100)

	// A select loop serving senders until quit.
	data := make(chan int)
	quit := make(chan bool)
	go func() {
		for i := 1; i <= 5; i++ {
			data <- i
		}
		quit <- true
	}()
	total := 0
loop:
	for {
		select {
		case v := <-data:
			total += v
		case <-quit:
			break loop
		}
	}
	println("total", total)

	// Assignment (not declaration) in a case, to existing variables and an element.
	arr := make([]int, 2)
	var ok bool
	r := make(chan int, 1)
	r <- 5
	select {
	case arr[1], ok = <-r:
	}
	println(arr[0], arr[1], ok)

	// Case operands are evaluated once, in order, on entry.
	order := 0
	ch := func(name string, c chan int) chan int {
		order++
		println("eval", name, order)
		return c
	}
	val := func() int {
		order++
		println("eval value", order)
		return order
	}
	z := make(chan int, 1)
	select {
	case <-ch("first", nil):
	case ch("second", z) <- val():
		println("sent", <-z)
	}
}
