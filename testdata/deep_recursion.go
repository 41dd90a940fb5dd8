// Deep recursion grows the goroutine stack: 10 million frames on the main goroutine, deep
// recursion on other goroutines, and frames too large for the stack guard.
package main

func depth(n int) int {
	if n == 0 {
		return 0
	}
	return depth(n-1) + 1
}

type big struct {
	a [300]int
}

// bigframe has a frame of several KiB (an array local and a large argument).
func bigframe(n int, b big) int {
	var local [200]int
	local[n%200] = n
	if n == 0 {
		return b.a[0] + local[0]
	}
	b.a[0]++
	return bigframe(n-1, b) + local[n%200] - n
}

// many has arguments passed on the stack and several results.
func many(n, a, b, c, d, e, f, g, h, i int, x, y float64) (int, int, float64) {
	if n == 0 {
		return a + b + c + d, e + f + g + h + i, x + y
	}
	p, q, r := many(n-1, a, b, c, d, e, f, g, h, i+1, x, y+0.5)
	return p, q + 1, r
}

func main() {
	println(depth(10000000))
	println(bigframe(10000, big{}))
	p, q, r := many(1000000, 1, 2, 3, 4, 5, 6, 7, 8, 9, 1.5, 0)
	println(p, q, r)
	done := make(chan int)
	for i := 1; i <= 8; i++ {
		go func(i int) { done <- depth(100000 * i) }(i)
	}
	t := 0
	for i := 0; i < 8; i++ {
		t += <-done
	}
	println(t)
}
