#!/usr/bin/env bash
# Resident memory of the gateway as bin/portcullis starts it (its default JVM flags), after a bounded wrk
# load: the check behind the chart's 128Mi limit, on ports of its own so it can run beside bench/load.sh.
#
#   bench/rss.sh                          # JDK of JAVA_HOME / PATH, 2 x 20 s of load
#   JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64 DURATION=10 bench/rss.sh
#   PORTCULLIS_JAVA_OPTS="-Xmx32m ..." bench/rss.sh    # try other flags
#   PORTCULLIS_CONFIG=... WRK_HEADER=... bench/rss.sh  # another config (its 18087 / 18080 are remapped)
#   RUNNER=bench/rss.sh PATHS=/json bench/auth-load.sh # the auth profile (jwtAuth + rate limit + rewrite)
#
# Same backend as bench/load.sh (its nginx config), 127.0.0.1 only, every wait bounded, everything it
# starts is stopped on exit. Prints VmRSS idle / after each path and VmHWM (the peak) in MiB.
set -euo pipefail
BENCH_DIR="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)"
REPO="$(cd "$BENCH_DIR/.." && pwd)"
DURATION="${DURATION:-20}" CONNS="${CONNS:-50}" PATHS="${PATHS:-/json /static/16k.bin}"
CONFIG="${PORTCULLIS_CONFIG:-$BENCH_DIR/config/plain.yaml}" WRK_HEADER="${WRK_HEADER:-}"
BACKEND_PORT="${BACKEND_PORT:-28180}" GATEWAY_PORT="${GATEWAY_PORT:-28187}"
for t in wrk nginx curl; do command -v "$t" >/dev/null || { echo "rss.sh: $t missing" >&2; exit 1; }; done

source "$BENCH_DIR/lib.sh"   # stop_started, wait_http
run="$(mktemp -d /tmp/portcullis-rss.XXXXXX)"
cleanup() { stop_started; rm -rf "$run"; }
trap cleanup EXIT

chmod 0755 "$run"   # nginx workers run as nobody
mkdir -p "$run"/{www/static,backend-tmp}
head -c 16384 /dev/urandom >"$run/www/static/16k.bin"
sed -e "s|@RUN_DIR@|$run|g" -e "s|127.0.0.1:18080|127.0.0.1:$BACKEND_PORT|" "$BENCH_DIR/harness/nginx-backend.conf" >"$run/backend.conf"
nginx -p "$run/" -c "$run/backend.conf" -g 'daemon off;' &
STARTED+=($!)
sed -e "s|18087|$GATEWAY_PORT|g" -e "s|18080|$BACKEND_PORT|g" "$CONFIG" >"$run/gateway.yaml"
"$REPO/bin/portcullis" -f "$run/gateway.yaml" >"$run/gateway.log" 2>&1 &
gw=$!
STARTED+=("$gw")
wait_http "http://127.0.0.1:$GATEWAY_PORT/json" 150 "$gw" ${WRK_HEADER:+-H "$WRK_HEADER"} \
  || { echo "rss.sh: the gateway did not come up" >&2; cat "$run/gateway.log" >&2; exit 1; }
# bin/portcullis execs java, so $gw is the JVM itself.
kib() { awk -v k="$1:" '$1==k{print $2}' "/proc/$gw/status"; }
mib() { awk -v v="$(kib "$1")" 'BEGIN{printf "%.1f", v/1024}'; }
java_bin="$(readlink -f "/proc/$gw/exe")"
echo "rss.sh: $("$java_bin" -version 2>&1 | head -1); flags: $(tr '\0' ' ' <"/proc/$gw/cmdline" | sed 's/ -jar .*//; s/^[^ ]* //')"
echo "rss.sh: idle VmRSS $(mib VmRSS) MiB"
for p in $PATHS; do
  timeout $((DURATION + 30)) wrk -t1 -c"$CONNS" -d"${DURATION}s" ${WRK_HEADER:+-H "$WRK_HEADER"} \
    "http://127.0.0.1:$GATEWAY_PORT$p" | awk -v p="$p" '/Requests\/sec/{rps=$2} /Non-2xx/{bad=$NF} END{printf "rss.sh: %s %s req/s%s\n", p, rps, bad ? ", non-2xx " bad : ""}'
  echo "rss.sh: after $p VmRSS $(mib VmRSS) MiB"
done
[[ -n ${NMT:-} ]] && jcmd "$gw" VM.native_memory summary | grep -E "committed" | head -25
echo "rss.sh: VmRSS $(mib VmRSS) MiB (anon $(mib RssAnon), file $(mib RssFile)), VmHWM (peak) $(mib VmHWM) MiB, limit 128 MiB"
