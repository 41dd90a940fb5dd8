// gcstress: allocates about 2.6 GB in total while keeping a live set of about
// 40 MB of pointerful records and byte buffers, replacing them at random.
// Measures allocation throughput, the garbage collector's mark and sweep cost
// with a sizeable live heap, write barriers, and how much memory the runtime
// holds at peak relative to the live set (peak RSS).
package main

const (
	liveSlots   = 1 << 14 // slots; each holds a record and its predecessor
	allocations = 2500000 // records allocated in total
	maxPayload  = 2048    // bytes; mean payload ~ 1 KiB
)

// Record is a small pointerful object; every record points at the one that
// occupied its slot before, whose own link is cut to bound the live set.
type Record struct {
	id      int
	payload []byte
	prev    *Record
}

// rng is xorshift64*, deterministic so that both compilers do the same work.
type rng struct{ state uint64 }

func (r *rng) next() uint64 {
	r.state ^= r.state >> 12
	r.state ^= r.state << 25
	r.state ^= r.state >> 27
	return r.state * 2685821657736338717
}

func main() {
	slots := make([]*Record, liveSlots)
	r := &rng{state: 88172645463325252}
	var checksum uint64
	var allocated uint64
	for i := 0; i < allocations; i++ {
		x := r.next()
		size := int(x % maxPayload)
		payload := make([]byte, size)
		for j := 0; j < size; j += 64 {
			payload[j] = byte(i + j)
		}
		slot := int((x >> 32) % liveSlots)
		old := slots[slot]
		if old != nil {
			checksum += uint64(old.id) + uint64(len(old.payload))
			if len(old.payload) > 0 {
				checksum += uint64(old.payload[0])
			}
			old.prev = nil
		}
		slots[slot] = &Record{id: i, payload: payload, prev: old}
		allocated += uint64(size) + 40
	}
	live := 0
	for _, rec := range slots {
		if rec != nil {
			live++
			checksum += uint64(rec.id)
		}
	}
	println("allocated MB:", allocated>>20, "live records:", live, "checksum:", checksum)
}
