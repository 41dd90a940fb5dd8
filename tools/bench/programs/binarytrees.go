// binarytrees: the Benchmarks Game allocation benchmark, sequential version.
// Measures allocation of many small pointerful objects, deep recursion and the
// garbage collector's handling of short-lived trees next to one long-lived tree.
package main

// Node is a binary tree node; leaves have both children nil.
type Node struct {
	left, right *Node
}

func bottomUpTree(depth int) *Node {
	if depth <= 0 {
		return &Node{}
	}
	return &Node{bottomUpTree(depth - 1), bottomUpTree(depth - 1)}
}

func (n *Node) itemCheck() int {
	if n.left == nil {
		return 1
	}
	return 1 + n.left.itemCheck() + n.right.itemCheck()
}

const (
	minDepth = 4
	maxDepth = 17
)

func main() {
	stretchDepth := maxDepth + 1
	println("stretch tree of depth", stretchDepth, "check:", bottomUpTree(stretchDepth).itemCheck())

	longLived := bottomUpTree(maxDepth)
	for depth := minDepth; depth <= maxDepth; depth += 2 {
		iterations := 1 << uint(maxDepth-depth+minDepth)
		check := 0
		for i := 0; i < iterations; i++ {
			check += bottomUpTree(depth).itemCheck()
		}
		println(iterations, "trees of depth", depth, "check:", check)
	}
	println("long lived tree of depth", maxDepth, "check:", longLived.itemCheck())
}
