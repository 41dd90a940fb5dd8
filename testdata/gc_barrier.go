// Write barriers under concurrent marking: goroutines keep swapping pointers between the
// slots of a large shared table (p := t[i]; t[i] = t[j]; t[j] = p, or one store by copy())
// while another goroutine allocates garbage of the same size, so that collections run all
// the time and freed nodes are reused at once. Between the load and the stores the only other copy of p is in a
// register or on a stack that the collector has already scanned; without the deletion
// barrier on t[i] = t[j], a node moved from an unscanned slot to a scanned one is freed
// while still in the table, and the garbage allocator overwrites it. At the end every node
// must still carry its own id and checksum, and the ids must still be a permutation.
package main

import (
	"runtime"
	"sync"
	"sync/atomic"
)

type Node struct {
	id    int
	check int
	leaf  *Leaf
	pad   [2]int
}

type Leaf struct {
	id  int
	tag [3]int
}

const tableSize = 3 << 16
const swappers = 3

var table []*Node
var badLeaves int64

func newNode(id int) *Node {
	return &Node{id: id, check: id*31 + 7, leaf: &Leaf{id: id, tag: [3]int{id, id + 1, id + 2}}}
}

func good(n *Node, id int) bool {
	return n != nil && n.check == n.id*31+7 && n.leaf != nil && n.leaf.id == n.id && n.leaf.tag[2] == n.id+2
}

// swapper permutes its own third of the table (the swappers never race with each other).
func swapper(part int, seed uint32, rounds int, wg *sync.WaitGroup) {
	defer wg.Done()
	x := seed
	for r := 0; r < rounds; r++ {
		x ^= x << 13
		x ^= x >> 17
		x ^= x << 5
		lo := part * (tableSize / swappers)
		i := lo + int(x%(tableSize/swappers))
		j := lo + int((x>>7)%(tableSize/swappers))
		if r&1 == 0 {
			p := table[i]
			table[i] = table[j]
			table[j] = p
		} else {
			// The same swap with both stores done by copy (runtime.slicecopy),
			// through a stack array.
			var tmp [1]*Node
			tmp[0] = table[j]
			copy(table[j:j+1], table[i:i+1])
			copy(table[i:i+1], tmp[:])
		}
		if r%64 == 0 {
			// Replace a node's leaf too: the old leaf must not be freed while it is
			// still read below, and the new one must survive.
			n := table[j]
			old := n.leaf
			n.leaf = &Leaf{id: n.id, tag: [3]int{n.id, n.id + 1, n.id + 2}}
			if old.id != n.id {
				atomic.AddInt64(&badLeaves, 1)
			}
		}
	}
}

var sink []*Node

func garbage(done chan bool) {
	for k := 0; ; k++ {
		select {
		case <-done:
			return
		default:
		}
		for i := 0; i < 1000; i++ {
			n := &Node{id: -1, check: -1, leaf: &Leaf{id: -2, tag: [3]int{-3, -3, -3}}}
			n.pad[0] = -4
			if i%100 == 0 {
				sink = append(sink[:0], n)
			}
		}
	}
}

func main() {
	table = make([]*Node, tableSize)
	for i := range table {
		table[i] = newNode(i)
	}
	runtime.GC()
	done := make(chan bool)
	go garbage(done)
	var wg sync.WaitGroup
	for s := 0; s < swappers; s++ {
		wg.Add(1)
		go swapper(s, uint32(2463534242+s*977), 10000000, &wg)
	}
	wg.Wait()
	close(done)
	seen := make([]bool, tableSize)
	bad := 0
	for _, n := range table {
		if !good(n, 0) || n.id < 0 || n.id >= tableSize || seen[n.id] {
			bad++
			continue
		}
		seen[n.id] = true
	}
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	println("bad nodes:", bad, "bad leaves:", badLeaves)
	println("collected concurrently:", ms.NumGC > 3)
}
