package runtime

import (
	"sync/atomic"
	"unsafe"
)

// The semaphores and notification lists behind package sync (gc's sema.go): sync declares
// these functions without bodies; the directives below give them these bodies.

// semacquire1 waits until *addr > 0 and decrements it; lifo queues the waiter first
// (the Rust runtime's sema.rs).
func semacquire1(addr *uint32, lifo bool)

// semrelease1 increments *addr and wakes a waiter; handoff passes the processor to it.
func semrelease1(addr *uint32, handoff bool)

//go:linkname sync_runtime_Semacquire sync.runtime_Semacquire
func sync_runtime_Semacquire(addr *uint32) { semacquire1(addr, false) }

//go:linkname sync_runtime_SemacquireMutex sync.runtime_SemacquireMutex
func sync_runtime_SemacquireMutex(addr *uint32, lifo bool, skipframes int) {
	semacquire1(addr, lifo)
}

//go:linkname sync_runtime_Semrelease sync.runtime_Semrelease
func sync_runtime_Semrelease(addr *uint32, handoff bool, skipframes int) {
	semrelease1(addr, handoff)
}

// notifyList is sync.notifyList (sync/runtime.go declares the same layout): tickets
// handed out (wait) and served (notify), a lock word, and the list of parked waiters.
type notifyList struct {
	wait   uint32
	notify uint32
	lock   uintptr
	head   unsafe.Pointer
	tail   unsafe.Pointer
}

// A goroutine parked in notifyListWait, on its own semaphore.
type notifyWaiter struct {
	ticket uint32
	sema   uint32
	next   *notifyWaiter
}

// lockNotify takes l's lock word; holders never block, so contenders only yield.
func lockNotify(l *notifyList) {
	for !atomic.CompareAndSwapUintptr(&l.lock, 0, 1) {
		Gosched()
	}
}

func unlockNotify(l *notifyList) { atomic.StoreUintptr(&l.lock, 0) }

// ticketLess reports a < b for tickets that wrap around.
func ticketLess(a, b uint32) bool { return int32(a-b) < 0 }

//go:linkname notifyListAdd sync.runtime_notifyListAdd
func notifyListAdd(l *notifyList) uint32 { return atomic.AddUint32(&l.wait, 1) - 1 }

//go:linkname notifyListWait sync.runtime_notifyListWait
func notifyListWait(l *notifyList, t uint32) {
	lockNotify(l)
	if ticketLess(t, l.notify) {
		unlockNotify(l)
		return
	}
	w := &notifyWaiter{ticket: t}
	if l.tail == nil {
		l.head = unsafe.Pointer(w)
	} else {
		(*notifyWaiter)(l.tail).next = w
	}
	l.tail = unsafe.Pointer(w)
	unlockNotify(l)
	semacquire1(&w.sema, false)
}

//go:linkname notifyListNotifyAll sync.runtime_notifyListNotifyAll
func notifyListNotifyAll(l *notifyList) {
	if atomic.LoadUint32(&l.wait) == atomic.LoadUint32(&l.notify) {
		return
	}
	lockNotify(l)
	w := (*notifyWaiter)(l.head)
	l.head, l.tail = nil, nil
	atomic.StoreUint32(&l.notify, atomic.LoadUint32(&l.wait))
	unlockNotify(l)
	for w != nil {
		next := w.next
		w.next = nil
		semrelease1(&w.sema, false)
		w = next
	}
}

//go:linkname notifyListNotifyOne sync.runtime_notifyListNotifyOne
func notifyListNotifyOne(l *notifyList) {
	if atomic.LoadUint32(&l.wait) == atomic.LoadUint32(&l.notify) {
		return
	}
	lockNotify(l)
	t := l.notify
	if t == atomic.LoadUint32(&l.wait) {
		unlockNotify(l)
		return
	}
	atomic.StoreUint32(&l.notify, t+1)
	var prev *notifyWaiter
	for w := (*notifyWaiter)(l.head); w != nil; prev, w = w, w.next {
		if w.ticket != t {
			continue
		}
		if prev == nil {
			l.head = unsafe.Pointer(w.next)
		} else {
			prev.next = w.next
		}
		if l.tail == unsafe.Pointer(w) {
			l.tail = unsafe.Pointer(prev)
		}
		unlockNotify(l)
		w.next = nil
		semrelease1(&w.sema, false)
		return
	}
	// The waiter took its ticket but is not parked yet: it will see notify > ticket.
	unlockNotify(l)
}

//go:linkname notifyListCheck sync.runtime_notifyListCheck
func notifyListCheck(size uintptr) {
	if size != unsafe.Sizeof(notifyList{}) {
		throw("bad notifyList size - sync/runtime mismatch")
	}
}
