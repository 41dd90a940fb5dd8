#!/usr/bin/env bash
# Installs what goclift needs on Debian bookworm, and only what is missing: gc 1.19 (the
# reference toolchain and GOROOT), the arm64 cross linker and C library, qemu to run arm64
# executables, and Debian's rustc with the arm64 std for the arm64 runtime.
#
# Idempotent: when everything is present it prints one line and changes nothing. Runs apt-get
# as root, or through sudo when not root. Fails naming the package that could not be installed.
set -euo pipefail

export DEBIAN_FRONTEND=noninteractive

# Package, then what goclift needs it for (used in messages).
packages=(
  "golang-1.19-go|gc 1.19, the reference compiler, and Go's test/ tree for the conformance runner"
  "golang-1.19-src|the Go 1.19 standard library sources (GOROOT) that goclift compiles"
  "gcc-aarch64-linux-gnu|linking linux/arm64 executables"
  "libc6-dev-arm64-cross|the arm64 glibc that arm64 executables are statically linked with"
  "qemu-user|running linux/arm64 executables (qemu-aarch64) in the test suite"
  "rustc-web|Debian's rustc, which builds the arm64 runtime staticlib"
  "libstd-rust-web-dev:arm64|Rust's core/std for aarch64, needed to build the arm64 runtime"
)

die() {
  echo "setup: $*" >&2
  exit 1
}

# Run a command as root: directly, or through sudo when available.
as_root() {
  if [[ $(id -u) == 0 ]]; then
    "$@"
  elif command -v sudo >/dev/null; then
    sudo "$@"
  else
    die "must run as root (or with sudo installed) to run: $*"
  fi
}

is_installed() {
  [[ "$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null)" == "install ok installed" ]]
}

purpose_of() {
  local entry
  for entry in "${packages[@]}"; do
    if [[ ${entry%%|*} == "$1" ]]; then
      echo "${entry#*|}"
      return
    fi
  done
}

# The arm64 Rust std is a foreign-architecture package: dpkg must know arm64 first.
enable_arm64() {
  if ! dpkg --print-foreign-architectures | grep -qx arm64; then
    echo "setup: enabling the arm64 architecture in dpkg (for libstd-rust-web-dev:arm64)"
    as_root dpkg --add-architecture arm64
  fi
}

install_missing() {
  local missing=("$@") pkg
  echo "setup: missing: ${missing[*]}; updating the apt package lists"
  for pkg in "${missing[@]}"; do
    [[ $pkg == *:arm64 ]] && enable_arm64
  done
  as_root apt-get update -qq || die "apt-get update failed; cannot install ${missing[*]}"
  for pkg in "${missing[@]}"; do
    echo "setup: installing $pkg ($(purpose_of "$pkg"))"
    as_root apt-get install -y -qq --no-install-recommends "$pkg" ||
      die "could not install $pkg, which goclift needs for $(purpose_of "$pkg")"
  done
}

# Files and commands that the build and tests use directly, checked after any installation.
verify() {
  local path
  for path in /usr/lib/go-1.19/src /usr/lib/go-1.19/test /usr/lib/rustlib/aarch64-unknown-linux-gnu; do
    [[ -d $path ]] || die "$path is missing although its package is installed"
  done
  for path in aarch64-linux-gnu-gcc qemu-aarch64; do
    command -v "$path" >/dev/null || die "$path is not on PATH although its package is installed"
  done
}

main() {
  local missing=() entry pkg
  for entry in "${packages[@]}"; do
    pkg=${entry%%|*}
    is_installed "$pkg" || missing+=("$pkg")
  done
  if [[ ${#missing[@]} == 0 ]]; then
    verify
    echo "setup: all dependencies present"
    return
  fi
  install_missing "${missing[@]}"
  verify
  echo "setup: done"
}

main "$@"
