// spectralnorm: the Benchmarks Game spectral-norm benchmark, sequential.
// Measures float64 division and multiply-add in nested loops over slices,
// bounds-check elimination and integer arithmetic in the matrix generator.
package main

import "math"

const n = 4000

// a is element (i, j) of the infinite matrix A.
func a(i, j int) float64 {
	return 1.0 / float64((i+j)*(i+j+1)/2+i+1)
}

func timesVec(v, u []float64) {
	for i := range v {
		s := 0.0
		for j, uj := range u {
			s += a(i, j) * uj
		}
		v[i] = s
	}
}

func timesTransposedVec(v, u []float64) {
	for i := range v {
		s := 0.0
		for j, uj := range u {
			s += a(j, i) * uj
		}
		v[i] = s
	}
}

// atATimesVec computes v = AᵀA u, using tmp as scratch.
func atATimesVec(v, u, tmp []float64) {
	timesVec(tmp, u)
	timesTransposedVec(v, tmp)
}

func main() {
	u := make([]float64, n)
	v := make([]float64, n)
	tmp := make([]float64, n)
	for i := range u {
		u[i] = 1
	}
	for i := 0; i < 10; i++ {
		atATimesVec(v, u, tmp)
		atATimesVec(u, v, tmp)
	}
	var vBv, vv float64
	for i, vi := range v {
		vBv += u[i] * vi
		vv += vi * vi
	}
	println(math.Sqrt(vBv / vv))
}
