#!/usr/bin/env bash
# The demo: builds what it needs (simulator launcher, operator jar) and plays the seed's
# walkthrough against the vCenter simulator and an embedded Kubernetes API.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
if [ ! -f target/vmgroup-operator.jar ] || [ -n "$(find src pom.xml deploy -newer target/vmgroup-operator.jar -type f | head -1)" ]; then
  echo "building target/vmgroup-operator.jar (a minute or two on a fresh machine)" >&2
  # quiet Maven still prints terminal resets; its output is shown only when the build fails
  log=$(mktemp)
  if ! mvn -B -q package -DskipTests -Dspotless.check.skip=true >"$log" 2>&1; then
    cat "$log" >&2
    rm -f "$log"
    exit 1
  fi
  rm -f "$log"
fi
exec java -jar target/vmgroup-operator.jar demo --vcsim target/vcsim/vcsim "$@"
