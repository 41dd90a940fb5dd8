// os/exec: running programs (fork and exec through syscall's hooks), their output, exit
// statuses, errors for missing programs, pipes to their standard input, the environment
// and working directory they get, and many children started concurrently.
package main

import (
	"errors"
	"io"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
)

func main() {
	out, err := exec.Command("echo", "hello", "world").Output()
	println("echo:", strings.TrimSpace(string(out)), err == nil)

	err = exec.Command("sh", "-c", "exit 7").Run()
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		println("exit status:", ee.ExitCode(), err.Error())
	}

	err = exec.Command("/nonexistent/program").Run()
	println("missing:", err.Error())
	_, err = exec.LookPath("goclift-no-such-program")
	println("lookpath:", err != nil)

	cmd := exec.Command("tr", "a-z", "A-Z")
	in, _ := cmd.StdinPipe()
	outp, _ := cmd.StdoutPipe()
	if err := cmd.Start(); err != nil {
		panic(err)
	}
	go func() {
		io.WriteString(in, "through a pipe\n")
		in.Close()
	}()
	b, _ := io.ReadAll(outp)
	println("tr:", strings.TrimSpace(string(b)), cmd.Wait() == nil)

	cmd = exec.Command("sh", "-c", "echo $GOCLIFT_X; pwd; echo err >&2")
	cmd.Env = []string{"GOCLIFT_X=from parent"}
	cmd.Dir = "/"
	b, err = cmd.CombinedOutput()
	println("env, dir, stderr:", strings.ReplaceAll(string(b), "\n", "|"), err == nil)

	var wg sync.WaitGroup
	results := make([]bool, 16)
	for i := range results {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			out, err := exec.Command("echo", strconv.Itoa(i)).Output()
			results[i] = err == nil && strings.TrimSpace(string(out)) == strconv.Itoa(i)
		}(i)
	}
	wg.Wait()
	n := 0
	for _, ok := range results {
		if ok {
			n++
		}
	}
	println("concurrent children:", n)

	cmd = exec.Command("cat")
	cmd.Stdin = strings.NewReader("copied by cat\n")
	cmd.Stdout = os.Stdout
	println("cat:", cmd.Run() == nil)
}
