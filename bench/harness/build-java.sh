#!/usr/bin/env bash
# Builds the optional JVM anchors from bench/harness/java/ into /tmp/bench-java (Maven Central only);
# run.sh then adds them as targets vertx (:18083) and scg (:18084), e.g. TARGETS="direct nginx haproxy vertx gateway" bench/load.sh
#   vertx: io.vertx:vertx-http-proxy 4.5.14 (Vert.x core 4.5.14), fat jar via maven-shade-plugin
#   scg:   Spring Cloud Gateway (spring-cloud-starter-gateway, Spring Cloud 2024.0.1, Boot 3.4.5)
set -euo pipefail
BENCH_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
JAVA_DIR="${JAVA_DIR:-/tmp/bench-java}"
mkdir -p "$JAVA_DIR"
for app in ${APPS:-vertx scg}; do
  rm -rf "${JAVA_DIR:?}/$app"
  cp -r "$BENCH_DIR/java/$app" "$JAVA_DIR/$app"
  echo "building $app in $JAVA_DIR/$app"
  (cd "$JAVA_DIR/$app" && mvn -q -B package -DskipTests)
done
ls -la "$JAVA_DIR"/*/target/*.jar
