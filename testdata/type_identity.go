// Run-time type identity and comparison: byte/uint8 and rune/int32 are one type; local
// types of the same name in different functions are distinct; func types ignore parameter
// names; an embedded alias names its field; identical interface types share itabs while
// other interface assignments convert; struct and array == with interface and blank
// fields; nil checks where no memory is read (zero-size values, &p.f, _ = *p).
package main

type I interface{ M() }
type J interface{ M() }
type T struct{ n int }

func (*T) M() {}

type Int = int
type A = struct{ int }
type B = struct{ Int }

func localA() interface{} {
	type L struct{ x int }
	return L{1}
}

func localB() interface{} {
	type L struct{ x int }
	return L{1}
}

type S struct {
	name string
	v    interface{}
	_    int
	arr  [2]interface{}
}

type Z struct{}

type W struct {
	z Z
	n int
}

func panics(f func()) (p bool) {
	defer func() { p = recover() != nil }()
	f()
	return
}

func main() {
	var x interface{} = byte(1)
	_, ok := x.(uint8)
	var y interface{} = rune(2)
	_, ok2 := y.(int32)
	println(ok, ok2)

	println(localA() == localB(), localA() == localA())
	var f interface{} = func(a int) string { return "" }
	_, ok = f.(func(b int) string)
	println(ok)
	var ea, eb interface{} = A{}, B{}
	println(ea == eb, ea == A{})

	t := new(T)
	var i1, i2 I
	var j interface{ M() }
	i1 = t
	j = t
	i2 = j
	var jj J = t
	println(i1 == i2, i1 == I(jj), interface{}(i1) == interface{}(jj))

	s1 := S{name: "a", v: 1, arr: [2]interface{}{"x", 2.5}}
	s2 := S{name: "a", v: 1, arr: [2]interface{}{"x", 2.5}}
	println(s1 == s2)
	s2.arr[1] = 3
	println(s1 == s2, s1 != s2)
	m := map[S]int{s1: 1}
	println(m[s1], m[s2])
	println(panics(func() { _ = S{v: []int{}} == S{v: []int{}} }))
	// Comparison stops at the first difference: the slice is never compared.
	println(S{name: "a", v: []int{}} == S{name: "b", v: []int{}})

	var zp *Z
	var wp *W
	println(panics(func() { _ = *zp == *zp }))
	println(panics(func() { _ = wp.z == wp.z }))
	println(panics(func() { _ = &wp.n }))
	var ip *int
	println(panics(func() { _ = *ip }))
	var arrp *[1 << 16]byte
	println(panics(func() { _ = arrp[1<<15] }))
}
