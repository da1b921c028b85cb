# Portcullis container image, in three steps:
#   1. build the shaded jar with Maven (tests run in CI, not here);
#   2. bin/jlink-runtime: a Java runtime with only the modules the gateway uses, plus the jar and launcher,
#      in /opt/portcullis (the same script the test JlinkRuntimeIT runs, since CI has no container engine);
#   3. a minimal glibc base (the launcher is a bash script; Netty's epoll and BoringSSL and the AWS-LC
#      crypto provider are glibc native libraries), a non-root numeric user, nothing written outside /tmp.
#
#   docker build -t portcullis:0.1.0 .
#   docker run --read-only --tmpfs /tmp -p 8080:8080 -p 9090:9090 \
#     -v "$PWD/config.yaml:/etc/portcullis/config.yaml:ro" portcullis:0.1.0
ARG JDK_VERSION=25

FROM maven:3.9-eclipse-temurin-${JDK_VERSION} AS build
WORKDIR /src
COPY pom.xml ./
COPY proxy/pom.xml proxy/
COPY bench/pom.xml bench/
RUN mvn -B -q -ntp -pl proxy -am dependency:go-offline
COPY proxy/src proxy/src
COPY bin bin
RUN mvn -B -q -ntp -pl proxy -am -DskipTests package \
 && bin/jlink-runtime --out /opt/portcullis

FROM debian:bookworm-slim
COPY --from=build /opt/portcullis /opt/portcullis
ENV PATH=/opt/portcullis/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
# nobody:nogroup by number, so runAsNonRoot can verify it (the chart's securityContext uses the same ids)
USER 65534:65534
# 8080 traffic, 9090 metrics (config.statsAddr)
EXPOSE 8080 9090
ENTRYPOINT ["portcullis", "-f", "/etc/portcullis/config.yaml"]
