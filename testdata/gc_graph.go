// Several goroutines rewire a shared pointer graph (under a channel lock) while others make
// garbage, so that collections run while the graph changes. Every node carries a checksum of
// its id; at the end the reachable graph is walked and every node checked: a node freed while
// still reachable (and reused) breaks its checksum.
package main

type Node struct {
	id    int
	check int
	edges [4]*Node
	data  []int
}

var root *Node
var nextID int

func newNode() *Node {
	nextID++
	n := &Node{id: nextID, check: nextID*7 + 3}
	n.data = make([]int, nextID%13)
	for i := range n.data {
		n.data[i] = n.id + i
	}
	return n
}

func ok(n *Node) bool {
	if n.check != n.id*7+3 {
		return false
	}
	for i, v := range n.data {
		if v != n.id+i {
			return false
		}
	}
	return true
}

type rng struct{ s uint32 }

func (r *rng) next() int {
	r.s = r.s*1664525 + 1013904223
	return int(r.s >> 8)
}

func worker(seed uint32, lock chan bool, done chan int) {
	r := &rng{seed}
	bad := 0
	for i := 0; i < 15000; i++ {
		<-lock
		// Walk a few random steps from the root.
		n := root
		for s := r.next() % 6; s > 0; s-- {
			e := n.edges[r.next()%4]
			if e == nil {
				break
			}
			n = e
		}
		if !ok(n) {
			bad++
		}
		k := r.next() % 4
		switch r.next() % 3 {
		case 0:
			n.edges[k] = newNode()
		case 1:
			n.edges[k] = root.edges[r.next()%4]
		case 2:
			n.edges[k] = nil
		}
		if root.edges[0] == nil {
			root.edges[0] = newNode()
		}
		lock <- true
		// Garbage made outside the lock, in parallel with the other goroutines.
		g := make([]*Node, 20)
		for j := range g {
			g[j] = &Node{id: j}
		}
		if i%100 == 0 {
			_ = make([]byte, 64<<10)
		}
	}
	done <- bad
}

func walk(n *Node, seen map[*Node]bool) int {
	if n == nil || seen[n] {
		return 0
	}
	seen[n] = true
	bad := 0
	if !ok(n) {
		bad++
	}
	for _, e := range n.edges {
		bad += walk(e, seen)
	}
	return bad
}

func main() {
	root = newNode()
	lock := make(chan bool, 1)
	lock <- true
	done := make(chan int)
	const workers = 4
	for w := 0; w < workers; w++ {
		go worker(uint32(w+1), lock, done)
	}
	bad := 0
	for w := 0; w < workers; w++ {
		bad += <-done
	}
	bad += walk(root, map[*Node]bool{})
	println("bad:", bad, "nodes made:", nextID > 1000)
}
