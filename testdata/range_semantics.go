// Range loops with Go 1.19 semantics: one iteration variable per loop (closures share it),
// the range expression evaluated once (also an array from a call when only the index is
// used), `=` targets assigned as a tuple (index expressions first), values converted to
// the targets' types (an interface), and map elements as targets.
package main

var calls int

func arr() [3]int {
	calls++
	return [3]int{10, 20, 30}
}

func arrPtr() *[4]int {
	calls++
	return &[4]int{}
}

func main() {
	var fs []func() int
	for i := range [3]int{} {
		fs = append(fs, func() int { return i })
	}
	for _, f := range fs {
		print(f(), " ")
	}
	println()

	var g func() string
	for _, s := range []string{"a", "b", "c"} {
		if g == nil {
			g = func() string { return s }
		}
	}
	println(g())

	n := 0
	for i := range arr() {
		n += i
	}
	for range arr() {
		n++
	}
	println(n, calls)
	l := len(arrPtr())
	println(l, calls)

	x := []int{1, 2}
	i := 1
	for i, x[i] = range []int{7} {
	}
	println(i, x[0], x[1])

	var e interface{}
	for _, e = range []float64{2.5} {
	}
	println(e.(float64))

	m := map[int]string{}
	k := 0
	for k, m[k] = range []string{"x", "y"} {
	}
	println(k, len(m), m[0])

	var r rune
	var at interface{}
	for at, r = range "héllo" {
	}
	println(at.(int), string(r))

	c := make(chan interface{}, 2)
	c <- 1
	c <- "two"
	close(c)
	for v := range c {
		switch v := v.(type) {
		case int:
			println("int", v)
		case string:
			println("string", v)
		}
	}
}
