# goclift — see README.md. `make run PROG=file.go` and `make test` work on a fresh machine
# with only the Rust toolchain: both install what is missing (tools/setup.sh) and build first.

CARGO   ?= cargo
GOCLIFT := target/release/goclift
TESTRUN := target/release/goclift-testrun
BENCH   := target/release/goclift-bench
PROG    ?= testdata/hello.go
GOROOT  ?= /usr/lib/go-1.19
JOBS    ?= $(shell nproc)

.PHONY: all setup build run test unit testdata conformance-check syntax-check parse-goroot conformance bench cross clean

all: build

setup:
	@bash tools/setup.sh

# The release compiler and tools, and the runtime staticlib for linux/amd64 and linux/arm64
# (target/runtime/linux_{amd64,arm64}/libgoclift_runtime.a, where goclift finds it).
build: setup
	$(CARGO) build --release --workspace
	@bash tools/build-runtime.sh

run: build
	$(GOCLIFT) run $(PROG)

# Unit tests, the testdata/ programs, and the conformance tests on the committed pass lists,
# each for amd64 and (under qemu-aarch64) arm64; and the parser's agreement with gc's on every
# file of Go's test/ tree (tools/testrun/syntax/known-disagreements.txt may only shrink).
test: build unit testdata conformance-check syntax-check parse-goroot

syntax-check:
	$(TESTRUN) syntax --check -j $(JOBS)

# Every .go file of GOROOT/src outside testdata (4,727 files) must parse without an error.
parse-goroot:
	$(GOCLIFT) check --parse-only $(GOROOT)/src

unit:
	$(CARGO) test --release --workspace

testdata:
	$(TESTRUN) testdata --arch all -j $(JOBS)

conformance-check:
	$(TESTRUN) conformance --check-pass-list --arch all -j $(JOBS)

# Runs all `// run` and `// errorcheck` tests of GOROOT/test and rewrites the pass lists
# (commit them).
conformance: build
	$(TESTRUN) conformance --arch all --write-pass-list -j $(JOBS)

# BENCH_ARGS: e.g. --runs 3 --only binarytrees,parse (see tools/bench/README.md).
bench: build
	$(BENCH) $(BENCH_ARGS)

# Builds PROG for linux/arm64 (run it with qemu-aarch64).
cross: build
	GOARCH=arm64 $(GOCLIFT) build -o $(basename $(notdir $(PROG))).arm64 $(PROG)

clean:
	$(CARGO) clean
