// Command gotypes is the go/types yardstick for goclift's type checker: it
// type-checks every package of the standard library (the packages `go list
// std` prints, without cmd/ and vendor/) on one core and prints how long it took.
//
// Usage: gotypes [-importer source|shared]
//
// Each listed package is parsed and checked with function bodies. Its imports
// are resolved by one of two importers:
//
//	source  go/importer.ForCompiler(fset, "source", nil), shared by all
//	        packages. It parses and checks every imported package once more,
//	        without function bodies, and caches the result (the default; this
//	        is how tools that check a package from source usually work).
//	shared  the packages this program has already checked fully, so every
//	        package is parsed and checked exactly once, which is the work a
//	        compiler checking all of std does.
//
// cgo is off (as for goclift), so no C tool runs. Output is one line of
// key=value pairs for the bench runner:
//
//	packages=N files=N lines=N bytes=N errors=N seconds=S
package main

import (
	"bytes"
	"flag"
	"fmt"
	"go/ast"
	"go/build"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"time"
)

// stats accumulates what was checked.
type stats struct {
	packages, files, lines, bytes, errors int
}

// stdPackages runs `go list std` and keeps the library proper.
func stdPackages() ([]string, error) {
	goCmd := filepath.Join(runtime.GOROOT(), "bin", "go")
	out, err := exec.Command(goCmd, "list", "std").Output()
	if err != nil {
		return nil, fmt.Errorf("go list std: %v", err)
	}
	var pkgs []string
	for _, p := range strings.Fields(string(out)) {
		if strings.HasPrefix(p, "cmd/") || strings.HasPrefix(p, "vendor/") {
			continue
		}
		pkgs = append(pkgs, p)
	}
	return pkgs, nil
}

// parsePackage parses the Go files of bp, counting them into st.
func parsePackage(fset *token.FileSet, bp *build.Package, st *stats) ([]*ast.File, error) {
	var files []*ast.File
	for _, name := range bp.GoFiles {
		src, err := os.ReadFile(filepath.Join(bp.Dir, name))
		if err != nil {
			return nil, err
		}
		f, err := parser.ParseFile(fset, filepath.Join(bp.Dir, name), src, 0)
		if err != nil {
			return nil, err
		}
		files = append(files, f)
		st.files++
		st.lines += bytes.Count(src, []byte{'\n'})
		st.bytes += len(src)
	}
	return files, nil
}

// checkPackage parses and fully checks bp, resolving imports with imp.
func checkPackage(fset *token.FileSet, bp *build.Package, imp types.Importer, st *stats) *types.Package {
	files, err := parsePackage(fset, bp, st)
	if err != nil {
		st.errors++
		fmt.Fprintln(os.Stderr, err)
		return nil
	}
	conf := types.Config{
		Importer: imp,
		Sizes:    types.SizesFor("gc", build.Default.GOARCH),
		Error: func(err error) {
			st.errors++
			if st.errors <= 20 {
				fmt.Fprintln(os.Stderr, err)
			}
		},
	}
	pkg, _ := conf.Check(bp.ImportPath, fset, files, nil)
	st.packages++
	return pkg
}

// sharedImporter resolves imports to packages it has checked fully itself,
// checking each on first use.
type sharedImporter struct {
	fset     *token.FileSet
	packages map[string]*types.Package
	st       *stats
}

func (s *sharedImporter) Import(path string) (*types.Package, error) {
	return s.ImportFrom(path, "", 0)
}

func (s *sharedImporter) ImportFrom(path, dir string, _ types.ImportMode) (*types.Package, error) {
	bp, err := build.Default.Import(path, dir, 0)
	if err != nil {
		return nil, err
	}
	if bp.ImportPath == "unsafe" {
		return types.Unsafe, nil
	}
	if pkg, done := s.packages[bp.ImportPath]; done {
		if pkg == nil {
			return nil, fmt.Errorf("import cycle or failed check through %q", bp.ImportPath)
		}
		return pkg, nil
	}
	s.packages[bp.ImportPath] = nil // marks "in progress"
	pkg := checkPackage(s.fset, bp, s, s.st)
	s.packages[bp.ImportPath] = pkg
	return pkg, nil
}

// checkAll checks every package in pkgs with the chosen importer.
func checkAll(pkgs []string, importerName string) (stats, error) {
	var st stats
	fset := token.NewFileSet()
	switch importerName {
	case "source":
		imp := importer.ForCompiler(fset, "source", nil)
		for _, path := range pkgs {
			bp, err := build.Default.Import(path, "", 0)
			if err != nil {
				if _, noGo := err.(*build.NoGoError); !noGo {
					st.errors++
					fmt.Fprintln(os.Stderr, err)
				}
				continue
			}
			if bp.ImportPath != "unsafe" {
				checkPackage(fset, bp, imp, &st)
			}
		}
	case "shared":
		imp := &sharedImporter{fset: fset, packages: map[string]*types.Package{}, st: &st}
		for _, path := range pkgs {
			if _, err := imp.ImportFrom(path, "", 0); err != nil {
				if _, noGo := err.(*build.NoGoError); !noGo {
					st.errors++
					fmt.Fprintln(os.Stderr, err)
				}
			}
		}
	default:
		return st, fmt.Errorf("unknown importer %q (want source or shared)", importerName)
	}
	return st, nil
}

func main() {
	importerName := flag.String("importer", "source", "how imports are resolved: source or shared")
	flag.Parse()
	runtime.GOMAXPROCS(1)
	// No cgo: the source importer would otherwise run `go tool cgo` and gcc.
	build.Default.CgoEnabled = false

	pkgs, err := stdPackages()
	if err != nil {
		fmt.Fprintln(os.Stderr, "gotypes:", err)
		os.Exit(1)
	}
	start := time.Now()
	st, err := checkAll(pkgs, *importerName)
	if err != nil {
		fmt.Fprintln(os.Stderr, "gotypes:", err)
		os.Exit(2)
	}
	fmt.Printf("packages=%d files=%d lines=%d bytes=%d errors=%d seconds=%.3f\n",
		st.packages, st.files, st.lines, st.bytes, st.errors, time.Since(start).Seconds())
}
