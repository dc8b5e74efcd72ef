#!/usr/bin/env bash
# Builds the vCenter simulator launcher (tools/vcsim) from Debian's Go and govmomi packages.
# Installs them when missing; safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-target/vcsim/vcsim}

if ! command -v go >/dev/null 2>&1 || [ ! -d /usr/share/gocode/src/github.com/vmware/govmomi/simulator ]; then
  echo "installing golang-go and golang-github-vmware-govmomi-dev (Debian packages)" >&2
  sudo_cmd=""
  [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq golang-go golang-github-vmware-govmomi-dev >/dev/null
fi

if [ -x "$out" ] && [ -z "$(find tools/vcsim -name "*.go" -newer "$out")" ]; then
  exit 0
fi
mkdir -p "$(dirname "$out")"
export GOPATH=/usr/share/gocode GO111MODULE=off
export GOCACHE=${GOCACHE:-$PWD/target/go-cache}
go build -o "$out" ./tools/vcsim
echo "built $out" >&2
