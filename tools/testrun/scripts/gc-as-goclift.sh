#!/bin/sh
# A stand-in for goclift that uses gc, to check the runners themselves:
#   goclift-testrun conformance --goclift tools/testrun/scripts/gc-as-goclift.sh ...
# Accepts goclift's contracts (GOOS/GOARCH from the environment):
#   build -o OUT FILE.go...        a static executable, with `go build`;
#   check -e [-lang=go1.N] FILE.go errors as run.go's errorcheck gets them, with
#                                  `go tool compile -p=p -d=panic -C -e` (-C: gc's
#                                  errorcheck runs print no columns).
set -e
GO=${GO:-${GOROOT:-/usr/lib/go-1.19}/bin/go}
case "$1" in
build)
	shift
	CGO_ENABLED=0 exec "$GO" build "$@"
	;;
check)
	shift
	[ "$1" = -e ] && shift
	out=$(mktemp -d)
	trap 'rm -rf "$out"' EXIT
	status=0
	"$GO" tool compile -p=p -d=panic,ssa/check/on -C -e -o "$out/a.o" "$@" || status=$?
	exit $status
	;;
*)
	echo "usage: $0 build -o OUT FILE.go... | check -e [-lang=go1.N] FILE.go" >&2
	exit 2
	;;
esac
