// Churns through far more memory than it keeps: a ring of live trees is replaced one tree at a
// time while garbage trees, byte slices and strings are made and dropped. Every live tree is
// checked when it leaves the ring, so an object freed while reachable shows up as a wrong sum.
package main

type Tree struct {
	left, right *Tree
	val         int
	pad         [4]int
}

func build(depth, val int) *Tree {
	if depth == 0 {
		return &Tree{val: val}
	}
	return &Tree{left: build(depth-1, 2*val), right: build(depth-1, 2*val+1), val: val}
}

func (t *Tree) sum() int {
	if t == nil {
		return 0
	}
	return t.val + t.left.sum() + t.right.sum()
}

type Blob struct {
	data []byte
	name string
	next *Blob
}

func main() {
	const ring = 16
	var live [ring]*Tree
	var want [ring]int
	bad := 0
	total := 0
	var blobs *Blob
	nblobs := 0
	for i := 0; i < 3000; i++ {
		slot := i % ring
		if live[slot] != nil {
			if got := live[slot].sum(); got != want[slot] {
				bad++
			}
		}
		live[slot] = build(9, i)
		want[slot] = live[slot].sum()
		// Garbage: a tree, a byte slice and a string per iteration.
		total += build(6, i).sum() & 1
		b := &Blob{data: make([]byte, 100+i%900), name: "blob", next: blobs}
		for j := range b.data {
			b.data[j] = byte(i + j)
		}
		b.name = b.name + "-x"
		blobs = b
		nblobs++
		if nblobs == 50 {
			// Check and drop the list.
			n := 0
			for p := blobs; p != nil; p = p.next {
				if len(p.data) > 0 && p.data[len(p.data)-1] != byte(len(p.data)-1+int(p.data[0])) {
					bad++
				}
				if p.name != "blob-x" {
					bad++
				}
				n++
			}
			if n != 50 {
				bad++
			}
			blobs = nil
			nblobs = 0
		}
	}
	for slot := 0; slot < ring; slot++ {
		if live[slot].sum() != want[slot] {
			bad++
		}
	}
	println("bad:", bad, "total parity:", total)
}
