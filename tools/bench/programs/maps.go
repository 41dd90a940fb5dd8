// maps: insert, lookup and delete on map[int]int and map[string]int.
// Measures the runtime's hash maps (hashing, growth, probing, deletion with
// tombstones) and, for the string keys, short-string allocation and comparison.
package main

const (
	intKeys    = 1 << 20
	stringKeys = 1 << 18
	rounds     = 3
)

// itoa appends the decimal form of a non-negative v to b; it keeps the program
// free of strconv so that only the language core is needed.
func itoa(b []byte, v int) []byte {
	var digits [20]byte
	i := len(digits)
	for {
		i--
		digits[i] = byte('0' + v%10)
		v /= 10
		if v == 0 {
			break
		}
	}
	return append(b, digits[i:]...)
}

// scramble spreads consecutive integers over the key space (a bijection on
// uint32), so that keys are not inserted in hash-friendly order.
func scramble(i int) int {
	x := uint32(i)
	x ^= x >> 16
	x *= 0x45d9f3b
	x ^= x >> 16
	return int(x)
}

func intWorkload() int {
	m := make(map[int]int)
	sum := 0
	for r := 0; r < rounds; r++ {
		for i := 0; i < intKeys; i++ {
			m[scramble(i)] = i + r
		}
		for i := 0; i < 2*intKeys; i++ {
			if v, ok := m[scramble(i)]; ok {
				sum += v
			} else {
				sum++
			}
		}
		for i := 0; i < intKeys; i += 2 {
			delete(m, scramble(i))
		}
		sum += len(m)
	}
	return sum
}

func stringKey(i int) string {
	b := make([]byte, 0, 24)
	b = append(b, "key-"...)
	b = itoa(b, scramble(i))
	return string(b)
}

func stringWorkload() int {
	m := make(map[string]int)
	sum := 0
	for r := 0; r < rounds; r++ {
		for i := 0; i < stringKeys; i++ {
			m[stringKey(i)] = i ^ r
		}
		for i := 0; i < 2*stringKeys; i++ {
			if v, ok := m[stringKey(i)]; ok {
				sum += v
			}
		}
		for i := 1; i < stringKeys; i += 2 {
			delete(m, stringKey(i))
		}
		sum += len(m)
	}
	return sum
}

func main() {
	println("int map checksum:", intWorkload())
	println("string map checksum:", stringWorkload())
}
