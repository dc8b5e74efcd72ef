#!/usr/bin/env bash
# Installs what a fresh machine lacks (Java 17 and Maven are expected; Go and Debian's govmomi
# are installed here) and builds the simulator launcher. Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v java >/dev/null || { echo "Java 17 is required" >&2; exit 1; }
command -v mvn >/dev/null || { echo "Maven is required" >&2; exit 1; }
./scripts/build-vcsim.sh
