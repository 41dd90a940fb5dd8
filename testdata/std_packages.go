// Standard-library packages compiled from GOROOT by goclift: strings, strconv, errors,
// unicode/utf8, sort, sync and sync/atomic (with goclift's runtime and internal/bytealg).
package main

import (
	"errors"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"unicode/utf8"
)

type pair struct {
	key any
	err error
	_   int
}

func main() {
	println(strings.ToUpper("hello"), strings.Repeat("ab", 3), strings.Index("chicken", "ken"))
	println(utf8.RuneCountInString("héllo, 世界"), utf8.ValidString("a\xffb"))
	b := utf8.AppendRune(make([]byte, 0, 8), '世')
	println(len(b), string(b))
	println(strconv.Itoa(-12345), strconv.Quote("a\tb\"c"), strconv.FormatFloat(3.25, 'f', 3, 64))
	n, err := strconv.Atoi("42x")
	println(n, err.Error())
	e := errors.New("boom")
	println(e.Error(), errors.Unwrap(e) == nil, errors.Is(err, strconv.ErrSyntax))

	var mu sync.Mutex
	var wg sync.WaitGroup
	var count int64
	total := 0
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func(k int) {
			defer wg.Done()
			for j := 0; j < 1000; j++ {
				atomic.AddInt64(&count, 1)
				mu.Lock()
				total += k
				mu.Unlock()
			}
		}(i)
	}
	wg.Wait()
	println(atomic.LoadInt64(&count), total)
	var once sync.Once
	for i := 0; i < 3; i++ {
		once.Do(func() { println("once") })
	}
	words := strings.Fields(" the quick  brown fox ")
	sort.Strings(words)
	println(strings.Join(words, ","))
	xs := []int{5, 2, 8, 1}
	sort.Slice(xs, func(i, j int) bool { return xs[i] < xs[j] })
	println(xs[0], xs[1], xs[2], xs[3])
	var sb strings.Builder
	for i := 0; i < 3; i++ {
		sb.WriteString("ab")
	}
	println(sb.String(), sb.Len())
	c := sync.NewCond(&mu)
	ready := false
	go func() { mu.Lock(); ready = true; c.Broadcast(); mu.Unlock() }()
	mu.Lock()
	for !ready {
		c.Wait()
	}
	mu.Unlock()
	println("cond ok")

	p, q := pair{key: 1, err: e}, pair{key: 1, err: e}
	r := pair{key: "1", err: e}
	println(p == q, p == r, [2]any{1, "a"} == [2]any{1, "a"})
}
