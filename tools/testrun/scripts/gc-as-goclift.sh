#!/bin/sh
# A stand-in for goclift that builds with gc, to check the runners themselves:
#   goclift-testrun conformance --goclift tools/testrun/scripts/gc-as-goclift.sh ...
# Accepts goclift's contract `build -o OUT FILE.go...` (GOOS/GOARCH from the
# environment) and builds a static executable with `go build`.
set -e
if [ "$1" != build ]; then
	echo "usage: $0 build -o OUT FILE.go..." >&2
	exit 2
fi
shift
GO=${GO:-${GOROOT:-/usr/lib/go-1.19}/bin/go}
CGO_ENABLED=0 exec "$GO" build "$@"
