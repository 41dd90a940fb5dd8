// Strings (concatenation, comparison, indexing, slicing, range by rune, conversions),
// slices (literals, append with growth, make, copy, 3-index slicing of arrays), variadic
// calls, linked structures through pointers, closures capturing per-iteration copies.

package main

func join(parts []string, sep string) string {
	out := ""
	for i, p := range parts {
		if i > 0 {
			out += sep
		}
		out += p
	}
	return out
}

func sum(xs ...int) int {
	t := 0
	for _, x := range xs {
		t += x
	}
	return t
}

type node struct {
	val  int
	next *node
}

func main() {
	s := []int{1, 2, 3}
	s = append(s, 4, 5)
	println(len(s), cap(s), s[4])
	var grow []int
	for i := 0; i < 20; i++ {
		grow = append(grow, i)
	}
	println(len(grow), cap(grow), grow[19])
	t := grow[5:10]
	println(len(t), cap(t), t[0])
	m := make([]byte, 3, 10)
	m[1] = 'x'
	println(len(m), cap(m), m[1])
	str := "héllo, 世界"
	for i, r := range str {
		print(i, ":", r, " ")
	}
	println()
	println(len(str), str[1], str[0:5], str < "hz", str == "héllo, 世界")
	println(join([]string{"a", "b", "c"}, "-"))
	println(sum(), sum(1, 2, 3), sum(s...))
	b := []byte(str)
	println(len(b), string(b[7:]), string(rune(19990)))
	rs := []rune(str)
	println(len(rs), string(rs[1:3]))
	var head *node
	for i := 0; i < 5; i++ {
		head = &node{i, head}
	}
	for n := head; n != nil; n = n.next {
		print(n.val)
	}
	println()
	dst := make([]int, 2)
	println(copy(dst, s), dst[0], dst[1])
	arr := [4]int{1, 2, 3, 4}
	sl := arr[1:3]
	sl[0] = 99
	println(arr[1], len(sl), cap(sl))
	fns := []func() int{}
	for i := 0; i < 3; i++ {
		j := i
		fns = append(fns, func() int { return j * 10 })
	}
	for _, f := range fns {
		print(f(), " ")
	}
	println()
	var c complex128 = complex(1, 2)
	println(c, real(c), imag(c))
}
