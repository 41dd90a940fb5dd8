// spawnstorm: starts four million short-lived goroutines in batches of 100 000
// and waits for each batch on a buffered channel (one send per goroutine, no
// imports, so that goclift can build it before it compiles packages). Measures
// goroutine creation and exit (stack allocation, run-queue traffic, work
// stealing) and the wake-up of the waiting main goroutine. (Batches of 10 000
// made gc's time bimodal on 2 cores; 100 000 gives a stable figure.)
package main

const (
	batches   = 40
	batchSize = 100000
)

// work is a few hundred nanoseconds of arithmetic, so that each goroutine does
// something but creation and scheduling dominate.
func work(seed int) int {
	x := uint64(seed)*2654435761 + 1
	for i := 0; i < 32; i++ {
		x ^= x << 13
		x ^= x >> 7
		x ^= x << 17
	}
	return int(x % 1000)
}

func main() {
	results := make([]int, batchSize)
	done := make(chan bool, batchSize)
	total := 0
	for b := 0; b < batches; b++ {
		for i := 0; i < batchSize; i++ {
			go func(slot, seed int) {
				results[slot] = work(seed)
				done <- true
			}(i, b*batchSize+i)
		}
		for i := 0; i < batchSize; i++ {
			<-done
		}
		for _, r := range results {
			total += r
		}
	}
	println("goroutines:", batches*batchSize, "checksum:", total)
}
