# syntax=docker/dockerfile:1
#
# vmgroup-operator image: the shaded jar on a jlink'ed Java 17 runtime, on a distroless base
# (glibc and the native libraries a JRE needs, no shell, no package manager), as UID 65532.
#
#   docker build -t vmgroup-operator:0.1.0 .
#
# Pin both images by digest (@sha256:...) in CI for byte-for-byte reproducible builds.
ARG BUILD_IMAGE=maven:3.9-eclipse-temurin-17
ARG RUNTIME_IMAGE=gcr.io/distroless/java-base-debian12:nonroot

# ---- build: the jar, then a minimal runtime for it ----------------------------------------------
FROM ${BUILD_IMAGE} AS build
WORKDIR /src
COPY pom.xml ./
COPY src ./src
# the CRD generator checks deploy/crd at build time; samples travel in the jar
COPY deploy ./deploy
RUN --mount=type=cache,target=/root/.m2 \
    mvn -B -q package -DskipTests -Dspotless.check.skip=true

# The modules the jar needs. Obtained with
#   jdeps --multi-release 17 --print-module-deps --ignore-missing-deps target/vmgroup-operator.jar
# (--multi-release is required: the shaded jar is a multi-release jar), which printed
#   java.base,java.compiler,java.desktop,java.naming,java.net.http,java.sql,jdk.httpserver,
#   jdk.management,jdk.unsupported
# plus jdk.crypto.ec, which jdeps can't see (a security provider loaded at run time): without it
# Java 17 has no elliptic-curve TLS, and vCenter and the API server handshakes fail.
# Re-run jdeps when dependencies change.
ARG JLINK_MODULES=java.base,java.compiler,java.desktop,java.naming,java.net.http,java.sql,jdk.httpserver,jdk.management,jdk.unsupported,jdk.crypto.ec
RUN jlink \
      --add-modules "${JLINK_MODULES}" \
      --strip-debug --no-man-pages --no-header-files --compress=2 \
      --generate-cds-archive \
      --output /opt/jre \
 && /opt/jre/bin/java -jar target/vmgroup-operator.jar --help > /dev/null

# ---- runtime -------------------------------------------------------------------------------------
FROM ${RUNTIME_IMAGE}
COPY --from=build /opt/jre /opt/jre
COPY --from=build /src/target/vmgroup-operator.jar /app/vmgroup-operator.jar
# Class-data sharing for the operator's own classes (JOSDK, Fabric8, Jackson, ...), not only the
# JDK's: about 0.5 s less from JVM start to the first reconcile (docs/benchmarks.md). The archive
# records the jar's path, size and time, so it is dumped here, beside the jar it is for, by the
# runtime that will map it; the class list comes from scripts/cds-classlist.sh. Should the archive
# ever not match, the JVM silently loads classes from the jar as without it. The base image's
# default user can't write /app, hence root for this one step.
COPY deploy/cds/vmgroup-operator.classlist /app/vmgroup-operator.classlist
USER 0
RUN ["/opt/jre/bin/java", "-Xshare:dump", "-XX:SharedClassListFile=/app/vmgroup-operator.classlist", "-XX:SharedArchiveFile=/app/vmgroup-operator.jsa", "-cp", "/app/vmgroup-operator.jar"]
# distroless "nonroot" is 65532:65532; say so explicitly (the Deployment also enforces it)
USER 65532:65532
WORKDIR /tmp
EXPOSE 8080
# JVM options measured for a 256Mi limit (docs/operations.md, "Footprint"). On the command line
# rather than in JAVA_TOOL_OPTIONS, which the JVM announces with a plain-text line on stderr that
# breaks LOG_FORMAT=json. deploy/base/deployment.yaml repeats this list as its command (a test keeps
# the two equal).
ENTRYPOINT ["/opt/jre/bin/java", "-XX:+UseSerialGC", "-XX:MaxRAMPercentage=50", "-XX:TieredStopAtLevel=1", "-XX:ReservedCodeCacheSize=48m", "-XX:MaxMetaspaceSize=96m", "-XX:SharedArchiveFile=/app/vmgroup-operator.jsa", "-jar", "/app/vmgroup-operator.jar"]
