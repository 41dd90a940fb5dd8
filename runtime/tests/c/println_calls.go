// The reference for println_calls.c: gc's output for the same println operands.
// runtime/tests/staticlib.rs runs both and compares their standard error byte for byte.
package main

import (
	"math"
	"unsafe"
)

// next is a xorshift64 generator, so that both programs print the same pseudo-random values.
func next(x *uint64) uint64 {
	*x ^= *x << 13
	*x ^= *x >> 7
	*x ^= *x << 17
	return *x
}

type hex uint64

func main() {
	negz := math.Copysign(0, -1)
	println(0.0, negz, 1.5, 1e100, 1e-300, math.NaN(), math.Inf(1), math.Inf(-1))
	println(math.MaxFloat64, math.SmallestNonzeroFloat64, 9.9999999, 0.1, 123456789.0, -2.5e-10)
	println(int64(0), int64(-1), int64(math.MaxInt64), int64(math.MinInt64), uint64(math.MaxUint64))
	println(complex(1, 2), complex(-0.5, math.Inf(1)))
	println(true, false, "str", "")
	var nilp *int
	println(nilp, unsafe.Pointer(uintptr(0xdeadbeef)))
	var s []byte
	println(s)
	print("no newline", 1, 2, "\n")

	x := uint64(88172645463325252)
	for i := 0; i < 2000; i++ {
		bits := next(&x)
		f := math.Float64frombits(bits)
		// Scaled copies reach ordinary magnitudes, where most real programs' values are.
		println(f, f*1e-300, float64(int64(bits))/1e9, int64(bits), bits)
	}
}
