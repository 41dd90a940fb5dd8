// Complex arithmetic as gc computes it: +, -, * inline, / through runtime.complex128div
// (Smith's algorithm, with C99's infinities and zeros where it gives NaN), complex64
// division widened to complex128, and real/imag/complex.
package main

func div(n, m complex128) complex128 { return n / m }

func div64(n, m complex64) complex64 { return n / m }

func main() {
	a := complex(1, 2)
	b := complex(3, -4)
	println(a+b, a-b, a*b, a/b)
	println(real(a/b), imag(a/b))
	println(div(10, 2i), div(1+1i, 1-1i), div(-7.5+2i, 0.25-0.5i))

	zero := 0.0
	inf := 1 / zero
	nan := zero / zero
	// Division by zero: infinities with the numerator's signs.
	println(div(1-1i, 0))
	println(div(complex(-2, 0), complex(zero, zero)))
	// Infinite numerator, finite divisor.
	println(div(complex(inf, 0), 1+1i))
	println(div(complex(inf, -inf), 2))
	// Finite numerator, infinite divisor.
	println(div(1+1i, complex(inf, 0)))
	println(div(1+1i, complex(-inf, inf)))
	// NaN stays NaN.
	q := div(complex(nan, nan), 0)
	println(real(q) != real(q), imag(q) != imag(q))
	// Large and small parts (the scaling in Smith's algorithm avoids overflow).
	println(div(1e300+1e300i, 1e300+1e300i), div(1e-300+1e-300i, 1e-300i))

	x := complex64(complex(1.5, -2.5))
	y := complex64(complex(0.5, 0.25))
	println(div64(x, y), x*y, x-y, x+y)
	println(div64(1, 0))
	var c complex64 = 3
	c /= 2i
	println(c)
	println(a == complex(1, 2), a != b)
}
