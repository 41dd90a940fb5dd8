// Frames with defers: methods, results returned in memory and in many registers, many
// parameters, and function literals that defer and recover.
package main

type big struct{ a, b, c, d, e int }

type T struct{ n int }

func (t *T) method(x int) (r int) {
	defer func() {
		if recover() != nil {
			r = 10 + x
		}
	}()
	t.n = 10
	var s []int
	return s[x]
}

func (t T) valueMethod() (s string, n int, ok bool) {
	defer func() {
		recover()
		s, ok = "recovered", true
	}()
	n = t.n
	panic("v")
}

func bigResult(k int) (b big) {
	defer func() {
		recover()
		b.e = 99
	}()
	b = big{1, 2, 3, 4, 5}
	if k > 0 {
		panic("k")
	}
	return b
}

func manyParams(a, b, c, d, e, f, g, h, i, j int, s string, fl float64) (int, string, float64) {
	defer func() { recover() }()
	if a == 1 {
		panic("p")
	}
	return a + b + c + d + e + f + g + h + i + j, s, fl
}

func main() {
	t := &T{}
	println(t.method(3))
	s, n, ok := T{n: 4}.valueMethod()
	println(s, n, ok)
	println(bigResult(0).e, bigResult(1).e, bigResult(1).a)
	x, y, z := manyParams(2, 2, 3, 4, 5, 6, 7, 8, 9, 10, "str", 1.5)
	println(x, y, z)
	x, y, z = manyParams(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, "str", 1.5)
	println(x, y, z)
	count := 0
	inc := func(k int) (r int) {
		defer func() {
			if recover() != nil {
				count += 100
				r = -1
			}
		}()
		count += k
		if k == 3 {
			panic("three")
		}
		return count
	}
	println(inc(1), inc(3), inc(5), count)
}
