// print and println of values of every printable kind, as gc's runtime formats them:
// integers of each size, floats, complex numbers, bools, strings, nil pointers, maps,
// channels, funcs, slices and interfaces, named types, and a multi-value call's results.
package main

type myInt int8
type myString string
type myFloat float32

type I interface{ M() }

func three() (int16, float64, string) { return -42, 42.0, "x" }

func main() {
	var (
		i8  int8    = -128
		i16 int16   = -32768
		i32 int32   = -2147483648
		i64 int64   = -9223372036854775808
		u8  uint8   = 255
		u16 uint16  = 65535
		u32 uint32  = 4294967295
		u64 uint64  = 18446744073709551615
		up  uintptr = 12345
		f32 float32 = 1.5
		f64 float64 = -0.1
		c64         = complex64(complex(1, -2))
		c128        = complex(-0.5, 3.25)
		r   rune    = 'é'
		b   byte    = 'A'
	)
	println(i8, i16, i32, i64)
	println(u8, u16, u32, u64, up)
	println(f32, f64, c64, c128, r, b)
	println(myInt(-3), myString("named"), myFloat(2))
	var p *int
	var m map[string]int
	var ch chan int
	var f func()
	var s []int
	println(p, m, ch, f == nil, s)
	var e interface{}
	var it I
	println(e, it)
	print(e, it, "\n")
	print(three())
	println()
	println(three())
	zero := 0.0
	println(1/zero, -1/zero, zero/zero == zero/zero)
	println(true && !false, "done")
}
