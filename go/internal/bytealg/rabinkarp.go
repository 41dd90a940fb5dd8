package bytealg

// Rabin-Karp string search (the algorithm of Karp and Rabin, 1987) with hashes over
// PrimeRK, for patterns longer than brute force handles.

// HashStr returns the hash of sep and PrimeRK to the power len(sep).
func HashStr(sep string) (uint32, uint32) {
	hash := uint32(0)
	for i := 0; i < len(sep); i++ {
		hash = hash*PrimeRK + uint32(sep[i])
	}
	return hash, power(len(sep))
}

// HashStrBytes is HashStr for a byte slice.
func HashStrBytes(sep []byte) (uint32, uint32) {
	return HashStr(string(sep))
}

// HashStrRev returns the hash of sep read backwards and PrimeRK to the power len(sep).
func HashStrRev(sep string) (uint32, uint32) {
	hash := uint32(0)
	for i := len(sep) - 1; i >= 0; i-- {
		hash = hash*PrimeRK + uint32(sep[i])
	}
	return hash, power(len(sep))
}

// HashStrRevBytes is HashStrRev for a byte slice.
func HashStrRevBytes(sep []byte) (uint32, uint32) {
	return HashStrRev(string(sep))
}

// power returns PrimeRK**n (mod 2**32).
func power(n int) uint32 {
	pow, sq := uint32(1), uint32(PrimeRK)
	for ; n > 0; n >>= 1 {
		if n&1 != 0 {
			pow *= sq
		}
		sq *= sq
	}
	return pow
}

// IndexRabinKarp returns the index of the first substr in s, or -1.
func IndexRabinKarp(s, substr string) int {
	hashss, pow := HashStr(substr)
	n := len(substr)
	if n > len(s) {
		return -1
	}
	var h uint32
	for i := 0; i < n; i++ {
		h = h*PrimeRK + uint32(s[i])
	}
	if h == hashss && s[:n] == substr {
		return 0
	}
	for i := n; i < len(s); {
		h *= PrimeRK
		h += uint32(s[i])
		h -= pow * uint32(s[i-n])
		i++
		if h == hashss && s[i-n:i] == substr {
			return i - n
		}
	}
	return -1
}

// IndexRabinKarpBytes is IndexRabinKarp for byte slices.
func IndexRabinKarpBytes(s, sep []byte) int {
	return IndexRabinKarp(string(s), string(sep))
}
