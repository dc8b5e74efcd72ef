#!/usr/bin/env bash
# The benchmark of issue 6 (see docs/benchmarks.md): converge, steady-state calls, drift repair,
# scale-down/delete and footprint, against the vCenter simulator and an embedded API server.
# Flags go to the benchmark; `scripts/bench.sh --help` lists them. Example smoke run:
#   scripts/bench.sh --groups 5 --replicas 2 --n 16 --quiet 5 --drift 3
# The scale model (the operator on the in-memory vCenter at 1,000-20,000 VMs) is a program of its
# own, run alone:
#   scripts/bench.sh --scenarios scale-model [--sizes 1000,5000,20000] [--budget 200] [--profile]
# and so is healing's detection-to-replacement latency:
#   scripts/bench.sh --scenarios healing [--replicas 4] [--rounds 5] [--unhealthy-after 10]
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh >&2
# The footprint scenario runs the operator jar; the benchmark itself is in the test classes.
if [[ ! -f target/vmgroup-operator.jar || ! -d target/test-classes/com/codeconnect/vmgroup/bench ]] \
    || [[ -n "$(find src pom.xml -newer target/vmgroup-operator.jar -print -quit)" ]]; then
  echo "[bench] building: mvn -q -DskipTests package" >&2
  mvn -B -q -DskipTests -Dspotless.check.skip=true package >&2
fi
# The operator runs inside this JVM here, so the common-pool setting its Main makes (see
# Main.COMMON_POOL_PARALLELISM: without it the JDK's HttpClient starts a thread per call on two
# cores) is made on the command line; the bare client runs in the same JVM with the same setting.
# It also gets the JIT and GC options the Deployment gives the operator (C1 only, serial GC): with
# the JVM's defaults, C2 compiling spent 5-9 CPU s of the two cores during a burst, which the
# deployed operator never spends. The bare client shares them. The benchmark checks and says.
deployed="$({ grep -oE -- '-XX:(TieredStopAtLevel=[0-9]+|\+Use[A-Za-z]+GC)' \
  deploy/base/deployment.yaml || true; } | sort -u | tr '\n' ' ')"
export MAVEN_OPTS="${MAVEN_OPTS:-} ${deployed}-Djava.util.concurrent.ForkJoinPool.common.parallelism=2"
main=com.codeconnect.vmgroup.bench.Benchmark
prev=""
for a in "$@"; do
  if [[ "$a" == "--scenarios=scale-model" || ( "$prev" == "--scenarios" && "$a" == "scale-model" ) ]]; then
    # Its operator runs in a JVM of its own with the Deployment's options (it reads them itself);
    # this JVM holds the API server and the driver.
    main=com.codeconnect.vmgroup.bench.ScaleModel
  fi
  if [[ "$a" == "--scenarios=healing" || ( "$prev" == "--scenarios" && "$a" == "healing" ) ]]; then
    main=com.codeconnect.vmgroup.bench.HealingLatency
  fi
  prev="$a"
done
if [[ " $* " == *" --help "* && "$main" == *.Benchmark ]]; then
  mvn -B -q exec:java -Dexec.classpathScope=test -Dexec.mainClass="$main" -Dexec.args="--help" \
    -Dvcsim.binary="$PWD/target/vcsim/vcsim"
  echo
  echo "--scenarios scale-model runs alone, with these options:"
  exec mvn -B -q exec:java -Dexec.classpathScope=test \
    -Dexec.mainClass=com.codeconnect.vmgroup.bench.ScaleModel -Dexec.args="--help"
fi
exec mvn -B -q exec:java -Dexec.classpathScope=test -Dexec.mainClass="$main" \
  -Dexec.args="$*" -Dvcsim.binary="$PWD/target/vcsim/vcsim"
