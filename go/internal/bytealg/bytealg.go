// Package bytealg is goclift's internal/bytealg: the byte-string primitives that GOROOT
// writes in assembly, in portable Go (GOROOT's package is replaced in goclift builds).
// The API is the one packages bytes and strings use.
package bytealg

import "unsafe"

// MaxLen is the longest pattern Index and IndexString accept.
const MaxLen = 64

// MaxBruteForce is the pattern length up to which callers search by brute force.
const MaxBruteForce = 64

// PrimeRK is the prime base of the Rabin-Karp hashes.
const PrimeRK = 16777619

// memequal reports whether the size bytes at a and b are equal (the runtime's).
//
//go:linkname memequal runtime.memequal
func memequal(a, b unsafe.Pointer, size uintptr) bool

// Equal reports whether a and b have the same bytes.
func Equal(a, b []byte) bool {
	return len(a) == len(b) && (len(a) == 0 || memequal(unsafe.Pointer(&a[0]), unsafe.Pointer(&b[0]), uintptr(len(a))))
}

// Compare returns -1, 0 or +1 as a sorts before, equal to or after b.
func Compare(a, b []byte) int {
	n := len(a)
	if len(b) < n {
		n = len(b)
	}
	for i := 0; i < n; i++ {
		if a[i] != b[i] {
			if a[i] < b[i] {
				return -1
			}
			return 1
		}
	}
	switch {
	case len(a) < len(b):
		return -1
	case len(a) > len(b):
		return 1
	}
	return 0
}

// Count returns the number of bytes c in b.
func Count(b []byte, c byte) int {
	n := 0
	for _, x := range b {
		if x == c {
			n++
		}
	}
	return n
}

// CountString returns the number of bytes c in s.
func CountString(s string, c byte) int {
	n := 0
	for i := 0; i < len(s); i++ {
		if s[i] == c {
			n++
		}
	}
	return n
}

// IndexByte returns the index of the first byte c in b, or -1.
func IndexByte(b []byte, c byte) int {
	for i, x := range b {
		if x == c {
			return i
		}
	}
	return -1
}

// IndexByteString returns the index of the first byte c in s, or -1.
func IndexByteString(s string, c byte) int {
	for i := 0; i < len(s); i++ {
		if s[i] == c {
			return i
		}
	}
	return -1
}

// Index returns the index of the first b in a, or -1 (2 <= len(b) <= MaxLen).
func Index(a, b []byte) int {
	n := len(b)
	for i := 0; i+n <= len(a); i++ {
		if a[i] == b[0] && Equal(a[i:i+n], b) {
			return i
		}
	}
	return -1
}

// IndexString returns the index of the first b in a, or -1 (2 <= len(b) <= MaxLen).
func IndexString(a, b string) int {
	n := len(b)
	for i := 0; i+n <= len(a); i++ {
		if a[i] == b[0] && a[i:i+n] == b {
			return i
		}
	}
	return -1
}

// Cutover returns how many bytes IndexByte may skip over before the caller should switch
// from brute force to Rabin-Karp, after n bytes were searched (gc's heuristic: one false
// positive per 8 bytes).
func Cutover(n int) int {
	return (n + 16) / 8
}
