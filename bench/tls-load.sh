#!/usr/bin/env bash
# TLS termination, Portcullis next to nginx in ONE run on loopback: both terminate HTTPS (TLS 1.3, the same
# certificate) in front of the same backend (bench/harness/nginx-backend.conf on 127.0.0.1:18080) and are
# measured alternately with the same clients:
#   keep-alive    wrk over https, connections kept: requests/s of established TLS connections
#   handshakes    wrk over https with 'Connection: close': every request is a new connection and a full
#                 TLS 1.3 handshake (wrk does not resume sessions), so requests/s = new handshakes/s
#   s_time new    openssl s_time -new: sequential full handshakes + one GET each (one client, one core)
#   s_time reuse  openssl s_time -reuse: the same with session resumption (a TLS 1.3 ticket)
# then prints Portcullis / nginx ratios and each side's CPU time per request. Portcullis must say at start
# that BoringSSL serves TLS (the line is checked and printed).
#
# Usage:  bench/tls-load.sh                  # ROUNDS=3 DURATION=10 CONNS=50 THREADS=1 STIME=5 (~4 min)
#         SMOKE=1 bench/tls-load.sh          # CI smoke: 1 round of 2 s (~40 s)
#         CERT_TYPE=rsa bench/tls-load.sh    # RSA 2048 certificate instead of ECDSA P-256
#         PORTCULLIS_JAVA_OPTS="-Xmx128m" bench/tls-load.sh
#         BACKEND_PORT=18090 NGINX_TLS_PORT=18453 GATEWAY_TLS_PORT=18457 bench/tls-load.sh   # other ports
#         TLS_CSV=file bench/tls-load.sh     # also writes the medians there for bench/targets.sh (bench/load.sh
#                                            # runs this script as its "tls" scenario and does so)
# Only 127.0.0.1 is targeted; every wait is bounded; every process started here is stopped on exit (by its
# PID). Results: bench/results/<run id>-tls.txt (gitignored) and stdout.
# Exit status: 0 = run completed; 1 = setup failure; 2 = results invalid (errors, non-2xx, no BoringSSL).
set -uo pipefail

BENCH_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$BENCH_DIR/.." && pwd)"
source "$BENCH_DIR/lib.sh"   # log, stop_started, wait_http, cpu_ticks, median
LOG_PREFIX=tls-load.sh

# ---------------------------------------------------------------- knobs (environment wins)
SMOKE="${SMOKE:-0}"
if [[ $SMOKE == 1 ]]; then
  : "${ROUNDS:=1}" "${DURATION:=2}" "${WARMUP:=1}" "${JAVA_WARMUP:=3}" "${STIME:=1}"
fi
ROUNDS="${ROUNDS:-3}" DURATION="${DURATION:-10}" CONNS="${CONNS:-50}" THREADS="${THREADS:-1}"
WARMUP="${WARMUP:-3}" JAVA_WARMUP="${JAVA_WARMUP:-15}" STIME="${STIME:-5}"
CERT_TYPE="${CERT_TYPE:-ec}"
URL_PATH=/json
RUN_DIR="${RUN_DIR:-/tmp/portcullis-tls-bench}"
RESULTS_DIR="${RESULTS_DIR:-$BENCH_DIR/results}"
JAR_SRC="$REPO/proxy/target/portcullis.jar"
[[ -n ${PORTCULLIS_JAVA_OPTS+x} ]] && export PORTCULLIS_JAVA_OPTS   # read by bin/portcullis
for n in ROUNDS DURATION CONNS THREADS WARMUP JAVA_WARMUP STIME; do
  [[ ${!n} =~ ^[0-9]+$ ]] || { log "$n must be a non-negative integer, got '${!n}'"; exit 1; }
done
[[ $CERT_TYPE == ec || $CERT_TYPE == rsa ]] || { log "CERT_TYPE must be ec or rsa"; exit 1; }

declare -A PORT=([backend]="${BACKEND_PORT:-18080}" [nginx]="${NGINX_TLS_PORT:-18443}" [gateway]="${GATEWAY_TLS_PORT:-18447}")
TARGETS=(nginx gateway)
CLK_TCK=$(getconf CLK_TCK)

# ---------------------------------------------------------------- processes (stopped by PID on exit)
declare -A TPID=()   # every PID also goes to STARTED
cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  stop_started
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

missing=()
for t in wrk nginx openssl curl ss timeout java; do command -v "$t" >/dev/null || missing+=("$t"); done
((${#missing[@]})) && { log "missing tools: ${missing[*]} (apt-get install -y wrk nginx openssl curl iproute2)"; exit 1; }
[[ -f $JAR_SRC ]] || { log "$JAR_SRC missing: build first (mvn -B -DskipTests package)"; exit 1; }
for t in backend "${TARGETS[@]}"; do
  if ss -Hltn "sport = :${PORT[$t]}" | grep -q .; then log "port ${PORT[$t]} ($t) is in use; stop that first"; exit 1; fi
done

mkdir -p "$RUN_DIR"/{www/static,backend-tmp,tls-tmp} "$RESULTS_DIR"
sed -e "s|@RUN_DIR@|$RUN_DIR|g" -e "s|127.0.0.1:18080|127.0.0.1:${PORT[backend]}|" \
  "$BENCH_DIR/harness/nginx-backend.conf" >"$RUN_DIR/nginx-backend.conf"

# A test CA and a server certificate for localhost / 127.0.0.1 (both servers serve the same one).
if [[ $CERT_TYPE == ec ]]; then keyopt=(-newkey ec -pkeyopt ec_paramgen_curve:prime256v1); else keyopt=(-newkey rsa:2048); fi
openssl req -x509 "${keyopt[@]}" -nodes -keyout "$RUN_DIR/ca.key" -out "$RUN_DIR/ca.pem" -days 2 -subj /CN=bench-ca 2>/dev/null \
  && openssl req "${keyopt[@]}" -nodes -keyout "$RUN_DIR/server.key" -out "$RUN_DIR/server.csr" -subj /CN=localhost 2>/dev/null \
  && printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\n' >"$RUN_DIR/san.ext" \
  && openssl x509 -req -in "$RUN_DIR/server.csr" -CA "$RUN_DIR/ca.pem" -CAkey "$RUN_DIR/ca.key" -set_serial 1 -days 2 \
       -out "$RUN_DIR/server.pem" -extfile "$RUN_DIR/san.ext" 2>/dev/null \
  || { log "cannot make the test certificate"; exit 1; }
sed -e "s|@RUN_DIR@|$RUN_DIR|g" -e "s|@CERT@|$RUN_DIR/server.pem|g" -e "s|@KEY@|$RUN_DIR/server.key|g" \
  -e "s|@PORT@|${PORT[nginx]}|g" -e "s|@BACKEND@|${PORT[backend]}|g" \
  "$BENCH_DIR/config/nginx-tls.conf" >"$RUN_DIR/nginx-tls.conf"
cp "$JAR_SRC" "$RUN_DIR/portcullis.jar" || exit 1   # a rebuild during the run must not change what is measured
export PORTCULLIS_JAR="$RUN_DIR/portcullis.jar" PORTCULLIS_BENCH_CERT="$RUN_DIR/server.pem" PORTCULLIS_BENCH_KEY="$RUN_DIR/server.key"
sed -e "s|port: 18447|port: ${PORT[gateway]}|" -e "s|host: 127.0.0.1:18080|host: 127.0.0.1:${PORT[backend]}|" \
  "$BENCH_DIR/config/tls.yaml" >"$RUN_DIR/tls.yaml"

start() {   # name url cmd...: starts, then waits (bounded) for a 200 on url
  local name=$1 url=$2; shift 2
  "$@" >"$RUN_DIR/$name.out" 2>&1 &
  local pid=$!
  STARTED+=("$pid"); TPID[$name]=$pid
  wait_http "$url" 150 "$pid" --cacert "$RUN_DIR/ca.pem" && { log "started $name pid=$pid"; return 0; }
  log "$name did not come up on $url"; tail -20 "$RUN_DIR/$name.out" >&2; exit 1
}
start backend "http://127.0.0.1:${PORT[backend]}$URL_PATH" nginx -p "$RUN_DIR/" -c "$RUN_DIR/nginx-backend.conf" -g 'daemon off;'
start nginx "https://localhost:${PORT[nginx]}$URL_PATH" nginx -p "$RUN_DIR/" -c "$RUN_DIR/nginx-tls.conf" -g 'daemon off;'
start gateway "https://localhost:${PORT[gateway]}$URL_PATH" "$REPO/bin/portcullis" -f "$RUN_DIR/tls.yaml"

PROVIDER="$(grep -o 'TLS is served by .*' "$RUN_DIR/gateway.out" | head -1)"
log "Portcullis: ${PROVIDER:-no TLS provider line in its log}"
valid=1
[[ $PROVIDER == *BoringSSL* ]] || { log "Portcullis does not serve TLS with BoringSSL: the comparison is not the intended one"; valid=0; }
declare -A PROTO=()
for t in "${TARGETS[@]}"; do
  PROTO[$t]=$(openssl s_client -connect "127.0.0.1:${PORT[$t]}" -servername localhost </dev/null 2>/dev/null \
    | awk '/^New, /{gsub(/,/, ""); print $2, $5; exit}')
  ref=$(curl -fs "http://127.0.0.1:${PORT[backend]}$URL_PATH" | md5sum)
  got=$(curl -fs --cacert "$RUN_DIR/ca.pem" "https://localhost:${PORT[$t]}$URL_PATH" | md5sum)
  [[ $got == "$ref" ]] || { log "body mismatch for $t"; exit 1; }
  log "$t negotiates ${PROTO[$t]:-?}"
done

# ---------------------------------------------------------------- measuring
wrk_run() {  # target mode seconds out
  local t=$1 mode=$2 secs=$3 out=$4 hdr=()
  [[ $mode == handshakes ]] && hdr=(-H 'Connection: close')
  timeout $((secs + 30)) wrk -t"$THREADS" -c"$CONNS" -d"${secs}s" "${hdr[@]}" "https://127.0.0.1:${PORT[$t]}$URL_PATH" >"$out" 2>&1
}
stime_run() {  # target new|reuse seconds out; the wall time goes to out.wall (s_time prints whole seconds only)
  local t0 t1
  t0=$(date +%s.%N)
  timeout $(($3 + 30)) openssl s_time -connect "127.0.0.1:${PORT[$1]}" "-$2" -time "$3" -www "$URL_PATH" >"$4" 2>&1
  t1=$(date +%s.%N)
  awk -v a="$t0" -v b="$t1" 'BEGIN{printf "%.3f", b-a}' >"$4.wall"
}

for t in "${TARGETS[@]}"; do
  w=$WARMUP; [[ $t == gateway ]] && w=$JAVA_WARMUP
  log "warm-up $t ${w}s keep-alive + ${w}s handshakes"
  wrk_run "$t" keepalive "$w" "$RUN_DIR/warmup-$t-keepalive.txt"
  wrk_run "$t" handshakes "$w" "$RUN_DIR/warmup-$t-handshakes.txt"
done

RUN_ID="${RUN_ID:-$(date +%Y%m%d-%H%M%S)}"
CSV="$RUN_DIR/results-$RUN_ID.csv"
echo "round,measure,target,per_s,cpu_us_per_req,errors" >"$CSV"
for r in $(seq 1 "$ROUNDS"); do
  order=("${TARGETS[@]}"); ((r % 2 == 0)) && order=(gateway nginx)
  for m in keepalive handshakes stime-new stime-reuse; do
    for t in "${order[@]}"; do
      out="$RUN_DIR/r$r-$t-$m.txt"
      c0=$(cpu_ticks "${TPID[$t]}")
      case $m in
        keepalive|handshakes) wrk_run "$t" "$m" "$DURATION" "$out"
          rate=$(awk '/^Requests\/sec:/{print $2}' "$out"); n=$(awk '/ requests in /{print $1; exit}' "$out")
          errs=$(awk '/Socket errors|Non-2xx/{gsub(/^ +/,""); gsub(/,/,""); printf "%s; ", $0}' "$out") ;;
        stime-*) stime_run "$t" "${m#stime-}" "$STIME" "$out"
          # connections over the wall time of the whole s_time run (-reuse adds one first, unresumed connection)
          n=$(awk '/connections in .* real seconds/{n=$1} END{print n+0}' "$out")
          rate=$(awk -v n="$n" -v s="$(cat "$out.wall")" 'BEGIN{printf "%.1f", (s>0)?n/s:0}')
          errs=$(grep -qi 'error' "$out" && echo "s_time error (see $out)") ;;
      esac
      c1=$(cpu_ticks "${TPID[$t]}")
      cpu_us=$(awk -v a="$c0" -v b="$c1" -v h="$CLK_TCK" -v n="${n:-0}" 'BEGIN{printf "%.1f", (n>0)?(b-a)/h/n*1e6:0}')
      [[ -n $rate ]] || { log "no result for $t $m:"; cat "$out" >&2; rate=0; }
      log "round $r $m $t: ${rate}/s cpu=${cpu_us}us/req ${errs}"
      echo "$r,$m,$t,$rate,$cpu_us,${errs:-none}" >>"$CSV"
    done
  done
done

# ---------------------------------------------------------------- report
SUMMARY="$RESULTS_DIR/$RUN_ID-tls$([[ $SMOKE == 1 ]] && echo -smoke).txt"
errs=$(awk -F, 'NR>1 && $6!="none"' "$CSV")
[[ -z $errs ]] || valid=0
{
  echo "# TLS termination $RUN_ID  host: $(nproc) CPUs, $(uname -r); loopback; same backend (nginx :${PORT[backend]}, $URL_PATH)"
  echo "# Portcullis: ${PROVIDER:-?}; negotiated: nginx ${PROTO[nginx]:-?}, Portcullis ${PROTO[gateway]:-?}; certificate: $CERT_TYPE"
  echo "# wrk -t$THREADS -c$CONNS -d${DURATION}s (handshakes: -H 'Connection: close'); openssl s_time -time $STIME; $ROUNDS rounds, alternating order, median"
  echo "# nginx $(nginx -v 2>&1 | sed 's/.*nginx\///') ($(openssl version | cut -d' ' -f1-2)), 1 worker; Portcullis 1 event loop"
  echo "# cpu_us/req = CPU time of the server's process tree per request (or connection for s_time)"
  printf '%-14s %12s %12s %8s %14s %14s\n' measure nginx/s portcullis/s ratio nginx_us/req portc_us/req
  for m in keepalive handshakes stime-new stime-reuse; do
    col() { awk -F, -v m="$m" -v t="$1" -v c="$2" '$2==m && $3==t{print $c}' "$CSV" | median; }
    a=$(col nginx 4); b=$(col gateway 4); ca=$(col nginx 5); cb=$(col gateway 5)
    printf '%-14s %12.0f %12.0f %8s %14.1f %14.1f\n' "$m" "$a" "$b" \
      "$(awk -v a="$a" -v b="$b" 'BEGIN{printf "%.2f", (a>0)?b/a:0}')" "$ca" "$cb"
  done
  if [[ -n ${TLS_CSV:-} ]]; then   # for bench/targets.sh: rows keepalive / handshake (= new handshakes/s) per target
    { echo "scenario,target,rps,cpu_us_per_req"
      for m in keepalive handshakes stime-new stime-reuse; do
        for t in "${TARGETS[@]}"; do
          r=$(awk -F, -v m="$m" -v t="$t" '$2==m && $3==t{print $4}' "$CSV" | median)
          c=$(awk -F, -v m="$m" -v t="$t" '$2==m && $3==t{print $5}' "$CSV" | median)
          echo "$([[ $m == handshakes ]] && echo handshake || echo "$m"),$t,$r,$c"
        done
      done; } >"$TLS_CSV"
  fi
  if [[ -n $errs ]]; then echo "# runs with errors:"; echo "$errs" | sed 's/^/#   /'; else echo "# no socket errors, no non-2xx responses"; fi
  echo "# ratio = Portcullis / nginx (higher is better for Portcullis); raw output: $RUN_DIR"
} | tee "$SUMMARY"
log "summary written to $SUMMARY"
((valid)) || exit 2
