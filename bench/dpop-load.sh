#!/usr/bin/env bash
# DPoP under load: Portcullis alone (nginx and HAProxy cannot check DPoP), on one event loop, with every
# access token and every RFC 9449 proof new, so each request costs two ES256 signature checks (token and
# proof) plus the replay check; the target (issue 7) is >= 10,000 requests/s on one core.
# Tokens and proofs are minted beforehand by Debian's python3-jwt (bench/dpop/mint_pairs.py), not by
# Portcullis, and sent once each by wrk (bench/dpop/pairs.lua); a replayed pair would be refused, so any
# non-2xx response means the run ran out of pairs or the gateway refused a valid one: the run is invalid.
#
# Usage: bench/dpop-load.sh               # 20 s warm-up (the JIT needs it on this path) + 10 s measured
#        SMOKE=1 bench/dpop-load.sh       # CI: 1 s + 2 s
#        RATE_GUESS=20000 bench/dpop-load.sh   # pairs minted = RATE_GUESS x seconds x 1.3
#        DPOP_CSV=file bench/dpop-load.sh      # also writes the result row there (bench/load.sh does)
# Exit status: 0 = run valid (PASS or SHORT), 1 = setup failure, 2 = invalid (non-2xx or nothing served).
set -uo pipefail
BENCH_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$BENCH_DIR/.." && pwd)"
source "$BENCH_DIR/lib.sh"   # log, stop_started, wait_http, cpu_ticks
LOG_PREFIX=dpop-load.sh

SMOKE="${SMOKE:-0}"
if [[ $SMOKE == 1 ]]; then : "${WARMUP:=1}" "${DURATION:=2}" "${RATE_GUESS:=3000}"; fi
WARMUP="${WARMUP:-20}" DURATION="${DURATION:-10}" CONNS="${CONNS:-50}" RATE_GUESS="${RATE_GUESS:-6000}"
GOAL_RPS="${GOAL_RPS:-10000}"
PY=/usr/bin/python3
for t in wrk nginx openssl curl; do command -v "$t" >/dev/null || { log "needs $t"; exit 1; }; done
"$PY" -c 'import jwt, cryptography' 2>/dev/null || { log "needs python3-jwt and python3-cryptography"; exit 1; }
[[ -f $REPO/proxy/target/portcullis.jar ]] || { log "build the jar first: mvn -B -DskipTests package"; exit 1; }

WORK="$(mktemp -d /tmp/portcullis-dpop-bench.XXXXXX)"
cleanup() { stop_started; rm -rf "$WORK"; }
trap cleanup EXIT
trap 'exit 1' INT TERM

# ---------------------------------------------------------------- keys, JWKS, pairs (outside Portcullis)
for k in issuer client; do
  openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$WORK/$k.pem" 2>/dev/null || { log "openssl failed"; exit 1; }
done
echo "[{\"pem\": \"$WORK/issuer.pem\", \"kid\": \"bench-es\", \"alg\": \"ES256\", \"use\": \"sig\"}]" |
  "$PY" "$REPO/proxy/src/test/resources/jwt/jwks.py" > "$WORK/jwks.json" || { log "jwks.py failed"; exit 1; }
PAIRS=$(( RATE_GUESS * (WARMUP + DURATION) * 13 / 10 ))
log "minting $PAIRS token/proof pairs (ES256) with python3-jwt"
start=$(date +%s)
"$PY" "$BENCH_DIR/dpop/mint_pairs.py" "$WORK/issuer.pem" "$WORK/client.pem" "$PAIRS" \
  "http://127.0.0.1:18087/json" "$WORK/pairs.txt" || { log "minting failed"; exit 1; }
log "minted in $(( $(date +%s) - start )) s"
# The warm-up gets its own pairs, so the measured run starts with unused ones.
WARM_PAIRS=$(( RATE_GUESS * WARMUP * 13 / 10 ))
head -n "$WARM_PAIRS" "$WORK/pairs.txt" > "$WORK/warm.txt"
tail -n +"$((WARM_PAIRS + 1))" "$WORK/pairs.txt" > "$WORK/run.txt"

# ---------------------------------------------------------------- backend and gateway
for port in 18080 18087; do
  if curl -s -o /dev/null --max-time 1 "http://127.0.0.1:$port/"; then log "port $port is already in use"; exit 1; fi
done
mkdir -p "$WORK/run/www/static" "$WORK/run/backend-tmp"
sed "s#@RUN_DIR@#$WORK/run#g" "$BENCH_DIR/harness/nginx-backend.conf" > "$WORK/run/nginx-backend.conf"
nginx -p "$WORK/run/" -c "$WORK/run/nginx-backend.conf" -g 'daemon off;' >"$WORK/backend.log" 2>&1 &
STARTED+=($!)
PORTCULLIS_BENCH_JWKS="$WORK/jwks.json" "$REPO/bin/portcullis" -f "$BENCH_DIR/config/dpop.yaml" >"$WORK/gateway.log" 2>&1 &
GW=$!; STARTED+=($GW)
wait_http http://127.0.0.1:18080/json 100 || { log "backend did not start"; cat "$WORK/backend.log" >&2; exit 1; }
# --no-fail: without a token the gateway answers 401, which shows it is up (the status is checked below)
wait_http http://127.0.0.1:18087/json 150 "$GW" --no-fail || { log "gateway did not start"; cat "$WORK/gateway.log" >&2; exit 1; }
provider=$(grep -o 'JWT signatures are verified with [^;]*' "$WORK/gateway.log" | head -1 | sed 's/JWT signatures are verified with //')
code=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:18087/json")
[[ $code == 401 ]] || { log "a request without a token got $code, expected 401"; exit 2; }

run_wrk() {  # pairs file, seconds, output
  PAIRS_FILE="$1" timeout $(( $2 + 60 )) wrk -t1 -c"$CONNS" -d"$2s" --latency -s "$BENCH_DIR/dpop/pairs.lua" \
    "http://127.0.0.1:18087/json" > "$3" 2>&1
}
log "warm-up ${WARMUP}s"
run_wrk "$WORK/warm.txt" "$WARMUP" "$WORK/warm.out"
t0=$(cpu_ticks "$GW")
log "measuring ${DURATION}s"
run_wrk "$WORK/run.txt" "$DURATION" "$WORK/run.out"
t1=$(cpu_ticks "$GW")
rss=$(awk '/VmRSS/ {printf "%.1fM", $2 / 1024}' "/proc/$GW/status")

requests=$(awk '/requests in/ {print $1}' "$WORK/run.out")
rps=$(awk '/Requests\/sec/ {printf "%d", $2}' "$WORK/run.out")
bad=$(awk '/Non-2xx/ {print $NF}' "$WORK/run.out"); bad=${bad:-0}
errors=$(awk '/Socket errors/' "$WORK/run.out")
p50=$(awk '$1 == "50%" {print $2}' "$WORK/run.out"); p99=$(awk '$1 == "99%" {print $2}' "$WORK/run.out")
[[ -n $requests && $requests -gt 0 ]] || { log "wrk served nothing"; cat "$WORK/run.out" >&2; exit 2; }
used=$requests; have=$(wc -l < "$WORK/run.txt")
cpu_us=$(awk -v t=$((t1 - t0)) -v r="$requests" -v hz="$(getconf CLK_TCK)" 'BEGIN {printf "%.1f", t / hz * 1e6 / r}')
verdict=$(awk -v r="$rps" -v g="$GOAL_RPS" 'BEGIN {print (r >= g) ? "PASS" : "SHORT"}')

echo
echo "# Portcullis DPoP load $(date -u +%Y-%m-%dT%H:%MZ): RFC 9449, new ES256 token + proof per request, 1 event loop"
echo "# host: $(nproc) CPUs, $(uname -r); wrk -t1 -c$CONNS -d${DURATION}s; pairs sent $used of $have; provider: ${provider:-see gateway log}"
printf '%-8s %8s %8s %8s %8s %8s %9s  %s\n' target rps p50 p99 cpu_us non2xx rss_after "verdict (>= $GOAL_RPS rps)"
printf '%-8s %8s %8s %8s %8s %8s %9s  %s\n' dpop "$rps" "$p50" "$p99" "$cpu_us" "$bad" "$rss" "$verdict"
[[ -n $errors ]] && echo "# $errors"
if [[ -n ${DPOP_CSV:-} ]]; then   # for bench/targets.sh
  echo "rps,p50,p99,cpu_us,non2xx,rss_mib" > "$DPOP_CSV"
  echo "$rps,$p50,$p99,$cpu_us,$bad,${rss%M}" >> "$DPOP_CSV"
fi
if (( bad > 0 )); then
  log "$bad non-2xx responses: $([[ $used -gt $have ]] && echo "pairs ran out (raise RATE_GUESS)" || echo "valid pairs refused, see $WORK/gateway.log")"
  tail -5 "$WORK/gateway.log" >&2
  exit 2
fi
exit 0
