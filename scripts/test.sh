#!/usr/bin/env bash
# The whole test suite: unit tests, the CRD freshness check, formatting, and the integration
# tests against the simulator and the mock API server (plus a real kube-apiserver when
# KUBE_API_TEST_DIR holds its binaries).
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
exec mvn -B verify "$@"
