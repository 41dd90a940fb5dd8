// fannkuch: the Benchmarks Game fannkuch-redux benchmark (n=10), sequential.
// Measures tight integer loops over small arrays: bounds checks, loads/stores,
// register allocation. No allocation after start-up. One n=10 pass takes about
// 0.2 s with gc, so the pass is repeated to get a measurable time.
package main

const (
	n      = 10
	passes = 3
)

func fannkuch(n int) (checksum, maxFlips int) {
	perm := make([]int, n)
	perm1 := make([]int, n)
	count := make([]int, n)
	for i := range perm1 {
		perm1[i] = i
	}
	r := n
	permCount := 0
	for {
		for ; r != 1; r-- {
			count[r-1] = r
		}
		copy(perm, perm1)
		flips := 0
		for k := perm[0]; k != 0; k = perm[0] {
			for i, j := 0, k; i < j; i, j = i+1, j-1 {
				perm[i], perm[j] = perm[j], perm[i]
			}
			flips++
		}
		if flips > maxFlips {
			maxFlips = flips
		}
		if permCount%2 == 0 {
			checksum += flips
		} else {
			checksum -= flips
		}
		// Next permutation in the order the benchmark prescribes.
		for {
			if r == n {
				return checksum, maxFlips
			}
			first := perm1[0]
			for i := 0; i < r; i++ {
				perm1[i] = perm1[i+1]
			}
			perm1[r] = first
			count[r]--
			if count[r] > 0 {
				break
			}
			r++
		}
		permCount++
	}
}

func main() {
	checksum, maxFlips := 0, 0
	for pass := 0; pass < passes; pass++ {
		// Each pass must give the same answer; summing keeps every pass live.
		c, m := fannkuch(n)
		checksum += c
		maxFlips = m
	}
	checksum /= passes
	println(checksum)
	println("Pfannkuchen(", n, ") =", maxFlips)
}
