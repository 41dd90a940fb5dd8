#!/usr/bin/env bash
# Builds goclift's runtime staticlib for both targets with plain rustc (no cargo: the arm64
# toolchain is Debian's rustc, which has no cargo registry, and the crate has no dependencies):
#
#   target/runtime/linux_amd64/libgoclift_runtime.a   rustc from PATH (rustup), x86_64
#   target/runtime/linux_arm64/libgoclift_runtime.a   /usr/bin/rustc (Debian), aarch64
#
# Usage: tools/build-runtime.sh [--force] [amd64|arm64]...   (default: both targets)
# A target is rebuilt only when a file under runtime/src (or this script) is newer than its .a,
# so `make` can call this on every build; when nothing is to do it prints nothing.
# Overrides: RUSTC_AMD64, RUSTC_ARM64 (the compilers to use).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
script="$root/tools/build-runtime.sh"
src_dir="$root/runtime/src"

# The flags shared by both targets. goclift_staticlib enables the items only an executable may
# contain (C main, panic handler); see runtime/src/lib.rs. panic=abort: the runtime is no_std and never unwinds;
# line tables keep addr2line and debuggers useful without full debug info.
rustc_flags=(
  --edition 2021
  --crate-type staticlib
  --crate-name goclift_runtime
  --cfg goclift_staticlib
  -C opt-level=3
  -C force-frame-pointers=yes
  -C panic=abort
  -C debuginfo=line-tables-only
)

die() {
  echo "build-runtime: $*" >&2
  exit 1
}

# is_fresh OUT: OUT exists and no runtime source (nor this script) is newer than it.
is_fresh() {
  local out=$1
  [[ -f $out ]] || return 1
  [[ -z "$(find "$src_dir" "$script" -newer "$out" -print -quit)" ]]
}

# build GOARCH RUSTC TRIPLE: builds one staticlib into a temporary file and renames it into
# place, so that concurrent builds and readers never see a half-written archive.
build() {
  local goarch=$1 rustc=$2 triple=$3
  local out_dir="$root/target/runtime/linux_$goarch"
  local out="$out_dir/libgoclift_runtime.a"
  if [[ $force == 0 ]] && is_fresh "$out"; then
    return 0
  fi
  command -v "$rustc" >/dev/null || die "no rustc at '$rustc' for linux/$goarch (run tools/setup.sh)"
  mkdir -p "$out_dir"
  local tmp
  tmp="$(mktemp -d "$out_dir/.build.XXXXXX")"
  if ! "$rustc" "${rustc_flags[@]}" --target "$triple" -o "$tmp/libgoclift_runtime.a" \
      "$src_dir/lib.rs"; then
    rm -rf "$tmp"
    die "rustc ($rustc) failed for linux/$goarch"
  fi
  mv -f "$tmp/libgoclift_runtime.a" "$out"
  rm -rf "$tmp"
  echo "build-runtime: built ${out#"$root"/}"
}

force=0
targets=()
for arg in "$@"; do
  case $arg in
    --force) force=1 ;;
    amd64 | arm64) targets+=("$arg") ;;
    -h | --help)
      sed -n '2,12p' "$script" | sed 's/^# \{0,1\}//'
      exit 0
      ;;
    *) die "unknown argument '$arg' (expected --force, amd64 or arm64)" ;;
  esac
done
[[ ${#targets[@]} -gt 0 ]] || targets=(amd64 arm64)

for goarch in "${targets[@]}"; do
  case $goarch in
    amd64) build amd64 "${RUSTC_AMD64:-rustc}" x86_64-unknown-linux-gnu ;;
    arm64) build arm64 "${RUSTC_ARM64:-/usr/bin/rustc}" aarch64-unknown-linux-gnu ;;
  esac
done
