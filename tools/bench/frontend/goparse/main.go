// Command goparse is the go/parser yardstick for goclift's parser: it parses
// every .go file under a directory tree, one file after another on one core,
// and prints what it parsed and how long it took.
//
// Usage: goparse DIR
//
// Directories named testdata or starting with "." or "_" are skipped, the rule
// `goclift check --parse-only` follows. Files are parsed with comments kept
// (a compiler needs them for //go: directives and build constraints) and
// without go/parser's legacy object resolution, which a compiler front end
// does not do. Output is one line of key=value pairs for the bench runner:
//
//	files=N lines=N bytes=N errors=N read_seconds=S parse_seconds=S total_seconds=S
package main

import (
	"bytes"
	"fmt"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"time"
)

const parseMode = parser.ParseComments | parser.SkipObjectResolution

// skipDir reports whether a directory is outside the parse set.
func skipDir(name string) bool {
	return name == "testdata" || strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_")
}

// goFiles lists the .go files under root in lexical order.
func goFiles(root string) ([]string, error) {
	var files []string
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if path != root && skipDir(d.Name()) {
				return filepath.SkipDir
			}
			return nil
		}
		if strings.HasSuffix(d.Name(), ".go") {
			files = append(files, path)
		}
		return nil
	})
	return files, err
}

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: goparse DIR")
		os.Exit(2)
	}
	// The yardstick is one core: no parallel GC workers either.
	runtime.GOMAXPROCS(1)
	// WalkDir does not follow a symlinked root (Debian's GOROOT/src is one).
	root, err := filepath.EvalSymlinks(os.Args[1])
	if err != nil {
		fmt.Fprintln(os.Stderr, "goparse:", err)
		os.Exit(1)
	}

	start := time.Now()
	paths, err := goFiles(root)
	if err != nil {
		fmt.Fprintln(os.Stderr, "goparse:", err)
		os.Exit(1)
	}
	var readTime, parseTime time.Duration
	var lines, size, errors int
	fset := token.NewFileSet()
	for _, path := range paths {
		readStart := time.Now()
		src, err := os.ReadFile(path)
		if err != nil {
			fmt.Fprintln(os.Stderr, "goparse:", err)
			os.Exit(1)
		}
		parseStart := time.Now()
		_, err = parser.ParseFile(fset, path, src, parseMode)
		parseTime += time.Since(parseStart)
		readTime += parseStart.Sub(readStart)
		if err != nil {
			errors++
			fmt.Fprintln(os.Stderr, err)
		}
		lines += bytes.Count(src, []byte{'\n'})
		size += len(src)
	}
	total := time.Since(start)
	fmt.Printf("files=%d lines=%d bytes=%d errors=%d read_seconds=%.3f parse_seconds=%.3f total_seconds=%.3f\n",
		len(paths), lines, size, errors, readTime.Seconds(), parseTime.Seconds(), total.Seconds())
}
