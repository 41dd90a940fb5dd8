// The importable runtime package (goclift's go/runtime): constants, scheduler controls and
// goroutine counts.
package main

import "runtime"

func main() {
	println(runtime.GOOS, runtime.GOARCH == "amd64" || runtime.GOARCH == "arm64", runtime.Compiler)
	println(runtime.NumGoroutine(), runtime.NumCPU() > 0)
	done := make(chan bool)
	go func() {
		runtime.Gosched()
		done <- true
	}()
	println(runtime.NumGoroutine())
	<-done
	old := runtime.GOMAXPROCS(1)
	println(old > 0, runtime.GOMAXPROCS(0), runtime.GOMAXPROCS(old))
	var x any = 3
	runtime.KeepAlive(x)
	exited := make(chan bool)
	go func() {
		defer close(exited)
		defer println("deferred before Goexit")
		runtime.Goexit()
		println("not reached")
	}()
	<-exited
	runtime.LockOSThread()
	runtime.UnlockOSThread()
	println(runtime.Version()[:4])
}
