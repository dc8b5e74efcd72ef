#!/usr/bin/env bash
# What the vCenter simulator spends to notify one change feed (see docs/benchmarks.md, drift):
# the cost of one collect of the operator's feed filter at VMS VMs, per VM property path, and how
# many changes POWER_OFFS out-of-band power-offs queue for every feed. The test needs the
# simulator package's unexported collect, so it runs inside a temporary copy of that package.
# Usage: scripts/profile-vcsim-feed.sh [VMS] [POWER_OFFS]   (defaults 1000 20)
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/build-vcsim.sh >&2 # installs Go and govmomi when missing
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/src/github.com/vmware"
cp -r /usr/share/gocode/src/github.com/vmware/govmomi "$work/src/github.com/vmware/"
cp tools/vcsim-profile/feed_cost_test.go "$work/src/github.com/vmware/govmomi/simulator/zz_feed_cost_test.go"
# the VM property paths the operator's change feed asks for, from its source
paths=$(sed -n '/VM_KEYS =/,/;/p' src/main/java/com/codeconnect/vmgroup/vsphere/soap/UpdateSetReader.java \
  | grep -oE '"[a-zA-Z.]+", "[a-zA-Z]+"' | cut -d'"' -f2 | paste -sd, -)
cd "$work/src/github.com/vmware/govmomi/simulator"
VMS=${1:-1000} POWER_OFFS=${2:-20} VM_PATHS="$paths" GOPATH="$work:/usr/share/gocode" GO111MODULE=off \
  GOCACHE="${GOCACHE:-$OLDPWD/target/go-cache}" \
  go test -count=1 -run TestFeedCost -v . 2>&1 | grep -oE '(feed_(collect|notify)|changes_per)[^ ]*.*'
