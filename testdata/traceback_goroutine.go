package main

// A nil pointer dereference in a goroutine: the signal line, the faulting frame at the
// faulting line, and "created by".

type node struct {
	next *node
	val  int
}

func last(n *node) int {
	for n.next != nil {
		n = n.next
	}
	return n.val
}

func worker(list *node, done chan int, next chan bool) {
	done <- last(list)
	<-next
	done <- last(list.next.next)
}

func main() {
	done := make(chan int)
	next := make(chan bool)
	go worker(&node{next: &node{val: 2}}, done, next)
	println(<-done)
	next <- true
	println(<-done)
}
