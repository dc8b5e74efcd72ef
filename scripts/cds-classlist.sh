#!/usr/bin/env bash
# Regenerates deploy/cds/vmgroup-operator.classlist, the classes the Dockerfile puts in the image's
# class-data-sharing archive (JVM start to first reconcile about 0.5 s faster; docs/benchmarks.md).
# It records what the operator jar loads from start through converging 20 groups x 2 VMs against
# the simulator. Rerun after dependency upgrades: a stale list only makes start-up slower (classes
# it misses load from the jar as usual, ones that no longer exist are skipped), and
# CdsClassListTest fails once most of the operator's own listed classes are gone.
set -euo pipefail
cd "$(dirname "$0")/.."
out=deploy/cds/vmgroup-operator.classlist
tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT
./scripts/bench.sh --scenarios footprint --groups 20 --replicas 2 --timeout 300 \
  --footprint-jvm-defaults --footprint-dump-class-list "$tmp" >/dev/null
[[ -s "$tmp" ]] || { echo "no class list written" >&2; exit 1; }
mv "$tmp" "$out"
trap - EXIT
echo "wrote $out ($(grep -vc '^#' "$out") classes)"
