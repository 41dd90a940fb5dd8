// os/signal: Notify, Stop, Ignore, Ignored, Reset with signals a program sends itself, and
// the signals the runtime ignores or lets kill unless asked for.
package main

import (
	"fmt"
	"os"
	"os/signal"
	"syscall"
	"time"
)

func self(sig syscall.Signal) {
	if err := syscall.Kill(syscall.Getpid(), sig); err != nil {
		panic(err)
	}
}

func receive(c chan os.Signal) {
	select {
	case s := <-c:
		fmt.Println("received", s)
	case <-time.After(30 * time.Second):
		fmt.Println("timed out")
		os.Exit(1)
	}
}

func main() {
	c := make(chan os.Signal, 4)
	signal.Notify(c, syscall.SIGUSR1, syscall.SIGUSR2)
	self(syscall.SIGUSR1)
	receive(c)
	self(syscall.SIGUSR2)
	receive(c)

	// Several deliveries while nobody receives: each reaches the channel or is merged with
	// a pending one of the same signal, never lost altogether.
	for i := 0; i < 3; i++ {
		self(syscall.SIGUSR1)
		time.Sleep(10 * time.Millisecond)
	}
	receive(c)
	time.Sleep(50 * time.Millisecond)
	for len(c) > 0 {
		<-c
	}

	// SIGINT, caught instead of ending the program.
	ci := make(chan os.Signal, 1)
	signal.Notify(ci, os.Interrupt)
	self(syscall.SIGINT)
	receive(ci)
	signal.Stop(ci)

	// Stopped: SIGUSR2 no longer reaches c, and with no other channel asking for it ...
	signal.Stop(c)
	fmt.Println("ignored before:", signal.Ignored(syscall.SIGUSR2))
	signal.Ignore(syscall.SIGUSR2)
	fmt.Println("ignored after:", signal.Ignored(syscall.SIGUSR2))
	self(syscall.SIGUSR2) // ... ignored: the program goes on
	time.Sleep(20 * time.Millisecond)
	fmt.Println("channel empty:", len(c) == 0)

	// Notify again after Ignore: received again.
	signal.Notify(c, syscall.SIGUSR2)
	fmt.Println("ignored once notified:", signal.Ignored(syscall.SIGUSR2))
	self(syscall.SIGUSR2)
	receive(c)
	signal.Reset(syscall.SIGUSR2)

	// Signals the runtime ignores unless asked for.
	self(syscall.SIGURG)
	self(syscall.SIGWINCH)
	self(syscall.SIGCHLD)
	time.Sleep(20 * time.Millisecond)
	fmt.Println("still running")

	// Notify for every signal, then one of them.
	all := make(chan os.Signal, 8)
	signal.Notify(all)
	self(syscall.SIGHUP)
	receive(all)
	signal.Reset()

	// Killing signals (SIGINT, SIGTERM without Notify) cannot be checked here: the runner
	// compares output and exit status, and under qemu the program cannot run itself as a
	// child; they are checked by hand.
	fmt.Println("done")
}
