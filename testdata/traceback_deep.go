package main

// A panic 60 calls deep with large frames: the stack has grown several times on the way
// (goclift: by segments, each entered through morestack, which the traceback sees through).

func down(n int, buf [64]int) int {
	if n == 0 {
		var p *[64]int
		return p[buf[0]]
	}
	buf[n%64]++
	return down(n-1, buf) + 1
}

func main() {
	var buf [64]int
	println(down(60, buf))
}
