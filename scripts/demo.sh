#!/usr/bin/env bash
# The demo: builds what it needs (simulator launcher, operator jar) and plays the seed's
# walkthrough against the vCenter simulator and an embedded Kubernetes API.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
if [ ! -f target/vmgroup-operator.jar ] || [ -n "$(find src pom.xml deploy -newer target/vmgroup-operator.jar -type f | head -1)" ]; then
  mvn -B -q package -DskipTests -Dspotless.check.skip=true
fi
exec java -jar target/vmgroup-operator.jar demo --vcsim target/vcsim/vcsim "$@"
