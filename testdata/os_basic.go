// os: writes to standard output and error, arguments, the environment, and os.Exit
// (status 3; deferred calls do not run, output written before it is not lost).
package main

import (
	"os"
	"strings"
)

func main() {
	defer println("deferred: must not run")
	os.Stdout.WriteString("to stdout\n")
	os.Stderr.Write([]byte("to stderr\n"))
	n, err := os.Stdout.Write([]byte("written "))
	println(n, err == nil)
	println("args:", len(os.Args), len(os.Args[0]) > 0)

	os.Setenv("GOCLIFT_TEST_VAR", "v1")
	println("getenv:", os.Getenv("GOCLIFT_TEST_VAR"))
	v, ok := os.LookupEnv("GOCLIFT_TEST_UNSET")
	println("lookup unset:", v == "", ok)
	found := false
	for _, kv := range os.Environ() {
		if strings.HasPrefix(kv, "GOCLIFT_TEST_VAR=") {
			found = kv == "GOCLIFT_TEST_VAR=v1"
		}
	}
	println("environ:", found)
	os.Unsetenv("GOCLIFT_TEST_VAR")
	_, ok = os.LookupEnv("GOCLIFT_TEST_VAR")
	println("after unset:", ok)
	os.Stdout.WriteString(os.Expand("$A-$B\n", func(k string) string { return strings.ToLower(k) }))

	if _, err := os.Open("/nonexistent/goclift"); err != nil {
		println("open error:", err.Error())
	}
	os.Exit(3)
}
