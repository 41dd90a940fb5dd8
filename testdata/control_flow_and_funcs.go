// Functions with parameters and results, methods, closures over package and local
// variables, loops with labels, switch with fallthrough, structs, pointers, arrays.

package main

type point struct {
	x, y int
}

var counter int

func fib(n int) int {
	if n < 2 {
		return n
	}
	return fib(n-1) + fib(n-2)
}

func divmod(a, b int) (q, r int) {
	q = a / b
	r = a % b
	return
}

func (p point) sum() int { return p.x + p.y }

func (p *point) scale(k int) {
	p.x *= k
	p.y *= k
}

func apply(f func(int) int, v int) int { return f(v) }

func main() {
	println(fib(20))
	q, r := divmod(17, 5)
	println(q, r)
	p := point{3, 4}
	println(p.sum())
	p.scale(10)
	println(p.x, p.y, p.sum())
	total := 0
	for i := 0; i < 10; i++ {
		if i%2 == 0 {
			continue
		}
		total += i
	}
	println("total", total)
	add := func(k int) int { counter++; return k + total }
	println(apply(add, 5), counter)
	var arr [5]int
	for i := range arr {
		arr[i] = i * i
	}
	s := 0
	for _, v := range arr {
		s += v
	}
	println(s, len(arr))
	switch {
	case s > 100:
		println("big")
	case s > 10:
		println("medium")
		fallthrough
	default:
		println("fell")
	}
	x := 3.5
	var f32 float32 = 1.25
	println(x*2, f32, 'a', true && s > 3)
	pp := &p
	pp.x = 7
	println(p.x, pp.y, p == point{7, 40})
outer:
	for i := 0; i < 3; i++ {
		for j := 0; j < 3; j++ {
			if j == 2 {
				continue outer
			}
			if i == 2 {
				break outer
			}
			println(i, j)
		}
	}
}
