// Pointers kept only in the frames of deep recursions (so on older stack segments than the one
// running when a collection starts), in several goroutines at once and in goroutines blocked
// on channels, must survive collections started by garbage made at the bottom of the
// recursion.
package main

type Cell struct {
	depth int
	tag   string
	next  *Cell
}

func churn(n int) int {
	s := 0
	for i := 0; i < n; i++ {
		b := make([]*Cell, 32)
		b[i%32] = &Cell{depth: i}
		s += len(b)
	}
	return s
}

// descend keeps one cell per frame, reachable only from that frame, and checks it on the way
// back up.
func descend(d int, id int) int {
	c := &Cell{depth: d, tag: "frame", next: &Cell{depth: -d}}
	var pad [16]int // bigger frames: more segments
	pad[d%16] = d
	bad := 0
	if d > 0 {
		bad = descend(d-1, id)
	} else {
		churn(20000)
	}
	if c.depth != d || c.tag != "frame" || c.next.depth != -d || pad[d%16] != d {
		bad++
	}
	return bad
}

func waiter(in chan int, out chan int) {
	c := &Cell{depth: 42, tag: "waiter", next: &Cell{depth: 43}}
	n := <-in
	bad := 0
	if c.depth != 42 || c.tag != "waiter" || c.next.depth != 43 {
		bad++
	}
	out <- bad + n
}

func main() {
	in := make(chan int)
	out := make(chan int)
	for i := 0; i < 10; i++ {
		go waiter(in, out)
	}
	done := make(chan int)
	for g := 0; g < 4; g++ {
		go func(id int) {
			bad := 0
			for r := 0; r < 3; r++ {
				bad += descend(2000, id)
			}
			done <- bad
		}(g)
	}
	bad := descend(3000, -1)
	for g := 0; g < 4; g++ {
		bad += <-done
	}
	churn(50000)
	for i := 0; i < 10; i++ {
		in <- 0
	}
	for i := 0; i < 10; i++ {
		bad += <-out
	}
	println("bad:", bad)
}
