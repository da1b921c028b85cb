#!/usr/bin/env bash
# Reproducible L7 proxy baseline on loopback: backend (nginx) + anchor proxies
# (nginx, HAProxy, optional Vert.x http-proxy and Spring Cloud Gateway), measured with wrk.
#
# Copy of the shared proxy-baseline harness (run.sh), adapted for Portcullis; bench/load.sh calls it
# with the gateway = Portcullis and then prints its own summary. Changes from the shared copy are
# listed in bench/harness/README.md.
#
# Usage:  bench/harness/run.sh                 # defaults below
#         PIN=1 bench/harness/run.sh           # CPU pinning (see README)
#         TARGETS="direct nginx haproxy" ROUNDS=5 bench/harness/run.sh
#         GATEWAY_CMD="java ... -jar gw.jar ..." bench/harness/run.sh   # adds a gateway as target "gateway" (:18087)
#
# Every load step is a bounded wrk run (-d), wrapped in `timeout`; every wait loop has a
# fixed number of tries. Only 127.0.0.1 is ever targeted. All processes this script starts
# are recorded by PID and stopped on exit (trap), nothing else is touched.
set -uo pipefail

BENCH_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
RUN_DIR="${RUN_DIR:-/tmp/portcullis-bench}"     # runtime configs, temp dirs, logs, raw wrk output
JAVA_DIR="${JAVA_DIR:-/tmp/bench-java}"         # where build-java.sh put the Java anchors
RESULTS_DIR="${RESULTS_DIR:-$(cd "$BENCH_DIR/.." && pwd)/results}"   # bench/results/

TARGETS="${TARGETS:-direct nginx haproxy vertx scg gateway}"   # java targets are skipped if their jar is missing, gateway if GATEWAY_CMD is unset
PATHS="${PATHS:-/json /static/16k.bin}"
ROUNDS="${ROUNDS:-3}"
DURATION="${DURATION:-10}"         # seconds per measured wrk run
CONNS="${CONNS:-50}"
THREADS="${THREADS:-1}"
WARMUP="${WARMUP:-3}"              # seconds of warm-up per path for native targets
JAVA_WARMUP="${JAVA_WARMUP:-15}"   # seconds of warm-up per path for JVM targets (JIT)
PIN="${PIN:-0}"                    # 0 (default, the more stable setup here, see README): the scheduler places everything; 1: taskset pinning to the CPUs below
WRK_CPU="${WRK_CPU:-1}"
PROXY_CPU="${PROXY_CPU:-0}"
BACKEND_CPU="${BACKEND_CPU:-1}"
JAVA_BIN="${JAVA_BIN:-java}"
JAVA_OPTS="${JAVA_OPTS:--Xms256m -Xmx256m -XX:+UseG1GC}"
LABEL="${LABEL:-}"
# extra wrk arguments for every target, e.g. a JWT: WRK_HEADER='Authorization: Bearer eyJ...' (sent to all
# targets alike, the anchors ignore it)
WRK_HEADER="${WRK_HEADER:-}"
WRK_EXTRA=(); [[ -n $WRK_HEADER ]] && WRK_EXTRA=(-H "$WRK_HEADER")
QUIET_WAIT="${QUIET_WAIT:-20}"     # before each measured run wait up to this many s for other load to drop...
QUIET_MAX="${QUIET_MAX:-30}"       # ...below this % of one core (other processes may share this machine)
NOISY_MAX="${NOISY_MAX:-25}"       # a measured run during which other load used more than this % of one core...
NOISY_RETRIES="${NOISY_RETRIES:-2}" # ...is measured again, at most this many times (the discarded runs are kept in discarded.csv)

# The future gateway joins as target "gateway" when GATEWAY_CMD is set (its process must listen on
# 127.0.0.1:$GATEWAY_PORT and forward to the backend 127.0.0.1:18080), e.g.
#   GATEWAY_CMD="java $JAVA_OPTS -jar gw.jar --port 18087 --upstream http://127.0.0.1:18080" bench/harness/run.sh
# (bench/load.sh sets it to Portcullis with bench/config/plain.yaml)
GATEWAY_CMD="${GATEWAY_CMD:-}"
GATEWAY_PORT="${GATEWAY_PORT:-18087}"
GATEWAY_IS_JVM="${GATEWAY_IS_JVM:-1}"   # 1: gets the JVM warm-up (JAVA_WARMUP)
declare -A PORT=([direct]=18080 [nginx]=18081 [haproxy]=18082 [vertx]=18083 [scg]=18084 [gateway]=$GATEWAY_PORT)
declare -A TPID=()        # target -> PID we started (direct -> backend PID); every PID also goes to STARTED
CLK_TCK=$(getconf CLK_TCK)
source "$BENCH_DIR/../lib.sh"   # log, stop_started, wait_http, cpu_ticks, rss_mib, median

exec {LOG_FD}>&2   # log via a copy of stderr: a trap can run while wrk_run has fd 2 redirected to a .cpu file

cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  ((${#STARTED[@]})) && log "cleanup: stopping PIDs ${STARTED[*]}"
  stop_started
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

pin() {   # pin CPU cmd... -> exec cmd pinned to CPU (or unpinned when PIN=0)
  local cpu=$1; shift
  if [[ "$PIN" == 1 ]]; then exec taskset -c "$cpu" "$@"; else exec "$@"; fi
}

port_busy() { ss -Hltn "sport = :$1" | grep -q .; }

start() {   # name cpu cmd...
  local name=$1 cpu=$2; shift 2
  local port=${PORT[$name]}
  if port_busy "$port"; then log "port $port busy, refusing to start $name"; exit 1; fi
  ( pin "$cpu" "$@" ) >"$RUN_DIR/$name.out" 2>&1 &
  local pid=$!
  STARTED+=("$pid"); TPID[$name]=$pid
  local tries=100; [[ $name == vertx || $name == scg || $name == gateway ]] && tries=300
  # with the extra header, so a gateway that requires a token (bench/auth-load.sh) counts as up
  if ! wait_http "http://127.0.0.1:$port/json" "$tries" "$pid" ${WRK_HEADER:+-H "$WRK_HEADER"}; then log "$name did not come up on :$port"; tail -20 "$RUN_DIR/$name.out" >&2; exit 1; fi
  log "started $name pid=$pid port=$port ${PIN:+cpu=$([[ $PIN == 1 ]] && echo "$cpu" || echo any)}"
}

to_ms() {  # wrk latency token (e.g. 512.00us, 1.20ms, 1.02s) -> ms
  awk -v v="$1" 'BEGIN{
    if (v ~ /us$/) {sub(/us$/,"",v); printf "%.3f", v/1000}
    else if (v ~ /ms$/) {sub(/ms$/,"",v); printf "%.3f", v}
    else if (v ~ /m$/) {sub(/m$/,"",v); printf "%.3f", v*60000}
    else if (v ~ /s$/) {sub(/s$/,"",v); printf "%.3f", v*1000}
    else printf "nan"}'
}

wrk_run() {  # url seconds outfile  (wrk's own user+sys CPU seconds go to outfile.cpu)
  local url=$1 secs=$2 out=$3 pre=()
  local TIMEFORMAT='%U %S'
  [[ "$PIN" == 1 ]] && pre=(taskset -c "$WRK_CPU")
  # `time` on a simple command (not a subshell that execs: bash would lose the timing)
  { time "${pre[@]}" timeout $((secs + 30)) wrk -t"$THREADS" -c"$CONNS" -d"${secs}s" --latency "${WRK_EXTRA[@]}" "$url" >"$out" 2>&1 ; } 2>"$out.cpu"
}

sys_busy_ticks() {  # all CPUs: user+nice+system+irq+softirq+steal
  awk '$1=="cpu"{print $2+$3+$4+$7+$8+$9; exit}' /proc/stat
}

quiet_wait() {  # bounded wait (QUIET_WAIT s max) until CPU use by everything else drops below QUIET_MAX % of a core
  local i b0 b1 o0 o1 busy ours
  for i in $(seq 1 "$QUIET_WAIT"); do
    b0=$(sys_busy_ticks); o0=$(ours_ticks); sleep 1; b1=$(sys_busy_ticks); o1=$(ours_ticks)
    busy=$(( (b1 - b0) - (o1 - o0) ))
    (( busy * 100 / CLK_TCK < QUIET_MAX )) && { echo "$((busy * 100 / CLK_TCK))"; return 0; }
  done
  echo "$((busy * 100 / CLK_TCK))!"   # '!' = gave up waiting, machine was busy
}

tcp_active_opens() { awk '$1=="Tcp:" && $2 ~ /^[0-9]+$/ {print $6; exit}' /proc/net/snmp; }  # connect()s, machine-wide

ours_ticks() { local t=0 p; for p in "${STARTED[@]}"; do t=$((t + $(cpu_ticks "$p"))); done; echo "$t"; }

spread_pct() { sort -g | awk '{a[NR]=$1} END{ if(NR<2){print "0.0"; exit} m=(NR%2)?a[(NR+1)/2]:(a[NR/2]+a[NR/2+1])/2; printf "%.1f", (a[NR]-a[1])/m*100 }'; }

# ---------------------------------------------------------------- setup
declare -A PKG=([wrk]=wrk [nginx]=nginx [haproxy]=haproxy [curl]=curl [ss]=iproute2 [taskset]=util-linux [timeout]=coreutils)
missing=()
for t in wrk nginx haproxy curl ss taskset timeout; do command -v "$t" >/dev/null || missing+=("${PKG[$t]}"); done
if ((${#missing[@]})); then
  log "missing tools; install with: apt-get update && apt-get install -y ${missing[*]}"; exit 1
fi
mkdir -p "$RUN_DIR"/{www/static,backend-tmp,proxy-tmp} "$RESULTS_DIR"
[[ -s "$RUN_DIR/www/static/16k.bin" ]] || head -c 16384 /dev/urandom >"$RUN_DIR/www/static/16k.bin"
for f in nginx-backend.conf nginx-proxy.conf haproxy.cfg; do   # the nginx configs name their files under @RUN_DIR@
  sed "s|@RUN_DIR@|$RUN_DIR|g" "$BENCH_DIR/$f" >"$RUN_DIR/$f"
done

VERTX_JAR="$JAVA_DIR/vertx/target/vertx-proxy-anchor.jar"
SCG_JAR="$JAVA_DIR/scg/target/scg-proxy-anchor.jar"
active=()
for t in $TARGETS; do
  case $t in
    vertx) [[ -f $VERTX_JAR ]] || { log "skip vertx: $VERTX_JAR missing (run bench/harness/build-java.sh)"; continue; } ;;
    scg)   [[ -f $SCG_JAR ]]   || { log "skip scg: $SCG_JAR missing (run bench/harness/build-java.sh)"; continue; } ;;
    gateway) [[ -n $GATEWAY_CMD ]] || continue ;;
  esac
  active+=("$t")
done

TS="${RUN_ID:-$(date +%Y%m%d-%H%M%S)}"   # RUN_ID: set by bench/load.sh so it can find the result files
MODE=$([[ $PIN == 1 ]] && echo "pinned(wrk=cpu$WRK_CPU,proxy=cpu$PROXY_CPU,backend=cpu$BACKEND_CPU)" || echo "unpinned")
RAW="$RUN_DIR/raw-$TS"; mkdir -p "$RAW"
log "mode=$MODE targets=${active[*]} paths=$PATHS rounds=$ROUNDS duration=${DURATION}s conns=$CONNS threads=$THREADS raw=$RAW"

start direct "$BACKEND_CPU" nginx -p "$RUN_DIR/" -c "$RUN_DIR/nginx-backend.conf" -g 'daemon off;'
for t in "${active[@]}"; do
  case $t in
    nginx)   start nginx "$PROXY_CPU" nginx -p "$RUN_DIR/" -c "$RUN_DIR/nginx-proxy.conf" -g 'daemon off;' ;;
    haproxy) start haproxy "$PROXY_CPU" haproxy -db -f "$RUN_DIR/haproxy.cfg" ;;
    vertx)   start vertx "$PROXY_CPU" "$JAVA_BIN" $JAVA_OPTS -Dbench.port=18083 -Dbench.eventLoops=1 -jar "$VERTX_JAR" ;;
    scg)     start scg "$PROXY_CPU" "$JAVA_BIN" $JAVA_OPTS -Dreactor.netty.ioWorkerCount=1 -jar "$SCG_JAR" --server.port=18084 ;;
    gateway) start gateway "$PROXY_CPU" bash -c "exec $GATEWAY_CMD" ;;
  esac
done

declare -A RSS_IDLE=()
for t in "${active[@]}"; do RSS_IDLE[$t]=$(rss_mib "${TPID[$t]}"); done

# sanity: every target returns the same body
for p in $PATHS; do
  hdr=(); [[ -n $WRK_HEADER ]] && hdr=(-H "$WRK_HEADER")
  ref=$(curl -fs "${hdr[@]}" "http://127.0.0.1:18080$p" | md5sum)
  for t in "${active[@]}"; do
    got=$(curl -fs "${hdr[@]}" "http://127.0.0.1:${PORT[$t]}$p" | md5sum)
    [[ "$got" == "$ref" ]] || { log "body mismatch for $t $p"; exit 1; }
  done
done

# warm-up (bounded)
for t in "${active[@]}"; do
  w=$WARMUP; [[ $t == vertx || $t == scg || ( $t == gateway && $GATEWAY_IS_JVM == 1 ) ]] && w=$JAVA_WARMUP
  for p in $PATHS; do
    log "warm-up $t $p ${w}s"
    wrk_run "http://127.0.0.1:${PORT[$t]}$p" "$w" "$RAW/warmup-$t-${p//\//_}.txt"
  done
done

# measured rounds; order alternates (forward, reverse, forward, ...) to spread drift evenly
CSV="$RAW/results.csv"
# target_cpu_s / requests: exact CPU seconds of the target's process tree and wrk's request count for the run
# (bench/load.sh derives CPU time per request from them); errors stays last and has no commas
echo "round,path,target,rps,p50_ms,p99_ms,target_cpu_pct,backend_cpu_pct,other_cpu_pct,quiet_before_pct,retries,tcp_connects,target_cpu_s,requests,errors" >"$CSV"
for r in $(seq 1 "$ROUNDS"); do
  order=("${active[@]}")
  if ((r % 2 == 0)); then order=(); for ((i=${#active[@]}-1; i>=0; i--)); do order+=("${active[$i]}"); done; fi
  for p in $PATHS; do
    for t in "${order[@]}"; do
      for attempt in $(seq 0 "$NOISY_RETRIES"); do
      out="$RAW/r$r-$t-${p//\//_}-a$attempt.txt"
      pre=$(quiet_wait)
      c0=$(cpu_ticks "${TPID[$t]}"); b0=$(cpu_ticks "${TPID[direct]}"); a0=$(ours_ticks); s0=$(sys_busy_ticks); k0=$(tcp_active_opens)
      wrk_run "http://127.0.0.1:${PORT[$t]}$p" "$DURATION" "$out"
      c1=$(cpu_ticks "${TPID[$t]}"); b1=$(cpu_ticks "${TPID[direct]}"); a1=$(ours_ticks); s1=$(sys_busy_ticks); k1=$(tcp_active_opens)
      opens=$((k1 - k0))   # wrk opens CONNS; a proxy that reuses upstream connections adds few more
      wrk_cpu=$(awk '{printf "%.0f", ($1+$2)*100}' "$out.cpu" 2>/dev/null)   # in ticks of 1/100 s
      # other% = CPU used by anything that is not wrk/backend/proxies (other processes, unattributed softirq)
      other=$(awk -v s="$((s1 - s0))" -v a="$((a1 - a0))" -v w="${wrk_cpu:-0}" -v h="$CLK_TCK" -v d="$DURATION" \
        'BEGIN{o=(s - a)/h*100 - w; if (o<0) o=0; printf "%.0f", o/d}')
      rps=$(awk '/^Requests\/sec:/{print $2}' "$out")
      p50=$(to_ms "$(awk '$1=="50%"{print $2}' "$out")")
      p99=$(to_ms "$(awk '$1=="99%"{print $2}' "$out")")
      cpu=$(awk -v a="$c0" -v b="$c1" -v h="$CLK_TCK" -v d="$DURATION" 'BEGIN{printf "%.0f", (b-a)/h/d*100}')
      bcpu=$(awk -v a="$b0" -v b="$b1" -v h="$CLK_TCK" -v d="$DURATION" 'BEGIN{printf "%.0f", (b-a)/h/d*100}')
      errs=$(awk '/Socket errors|Non-2xx/{gsub(/^ +/,""); gsub(/,/,""); printf "%s; ", $0}' "$out")
      cpu_s=$(awk -v a="$c0" -v b="$c1" -v h="$CLK_TCK" 'BEGIN{printf "%.2f", (b-a)/h}')
      nreq=$(awk '/ requests in /{print $1; exit}' "$out")
      [[ -n "$rps" ]] || { log "wrk failed for $t $p:"; cat "$out" >&2; rps=0; }
      line="$r,$p,$t,$rps,$p50,$p99,$cpu,$bcpu,$other,$pre,$attempt,$opens,$cpu_s,${nreq:-0},${errs:-none}"
      log "round $r $p $t: rps=$rps p50=${p50}ms p99=${p99}ms cpu=${cpu}% backend_cpu=${bcpu}% other_cpu=${other}% (before: ${pre}%) tcp_connects=$opens ${errs}"
      if ((other > NOISY_MAX && attempt < NOISY_RETRIES)); then
        echo "$line" >>"$RAW/discarded.csv"; log "  other load ${other}% > ${NOISY_MAX}%: discarded, measuring again"; continue
      fi
      echo "$line" >>"$CSV"; break
      done
    done
  done
done

declare -A RSS_AFTER=()
for t in "${active[@]}"; do RSS_AFTER[$t]=$(rss_mib "${TPID[$t]}"); done

# ---------------------------------------------------------------- report
SUMMARY="$RESULTS_DIR/$TS-$([[ $PIN == 1 ]] && echo pinned || echo unpinned)${LABEL:+-$LABEL}.txt"
{
  echo "# proxy baseline $TS  host: $(nproc) CPUs, $(uname -r)  mode: $MODE"
  echo "# wrk -t$THREADS -c$CONNS -d${DURATION}s --latency${WRK_HEADER:+ -H '<WRK_HEADER>'}, $ROUNDS rounds (alternating order), median of rounds"
  [[ -n $GATEWAY_CMD ]] && echo "# gateway: $GATEWAY_CMD (port $GATEWAY_PORT)"
  echo "# warm-up ${WARMUP}s/path native, ${JAVA_WARMUP}s/path JVM; JAVA_OPTS='$JAVA_OPTS' ($("$JAVA_BIN" -version 2>&1 | head -1))"
  echo "# nginx $(nginx -v 2>&1 | sed 's/.*nginx\///'), haproxy $(haproxy -v | head -1 | awk '{print $3}'), wrk $(wrk -v 2>&1 | head -1 | awk '{print $2}')"
  echo "# cpu% = CPU time of the target process tree during the measured run / wall time (100% = one core)"
  echo "# spread = (max-min)/median of rps over the rounds; RSS = sum of VmRSS of the process tree"
  echo "# other% = CPU used meanwhile by everything else on the machine (other processes, unattributed softirq), median"
  echo "# loadavg at end: $(cut -d' ' -f1-3 /proc/loadavg)"
  for p in $PATHS; do
    echo
    echo "## path $p"
    direct_rps=$(awk -F, -v p="$p" '$2==p && $3=="direct"{print $4}' "$CSV" | median)
    nginx_rps=$(awk -F, -v p="$p" '$2==p && $3=="nginx"{print $4}' "$CSV" | median)
    printf '%-8s %10s %7s %8s %8s %8s %8s %6s %7s %6s %9s %9s\n' target rps spread p50_ms p99_ms x_direct x_nginx cpu% bk_cpu% other% rss_idle rss_after
    for t in "${active[@]}"; do
      col() { awk -F, -v p="$p" -v t="$t" -v c="$1" '$2==p && $3==t{print $c}' "$CSV"; }
      rps=$(col 4 | median); sp=$(col 4 | spread_pct)
      p50=$(col 5 | median); p99=$(col 6 | median); cpu=$(col 7 | median); bcpu=$(col 8 | median); oth=$(col 9 | median)
      xd=$(awk -v a="$rps" -v b="$direct_rps" 'BEGIN{printf "%.2f", (b>0)?a/b:0}')
      xn=$([[ -n "$nginx_rps" && "$nginx_rps" != nan ]] && awk -v a="$rps" -v b="$nginx_rps" 'BEGIN{printf "%.2f", (b>0)?a/b:0}' || echo "-")
      printf '%-8s %10.0f %6s%% %8.3f %8.3f %8s %8s %6.0f %7.0f %6.0f %8sM %8sM\n' "$t" "$rps" "$sp" "$p50" "$p99" "$xd" "$xn" "$cpu" "$bcpu" "$oth" "${RSS_IDLE[$t]}" "${RSS_AFTER[$t]}"
    done
  done
  errs=$(awk -F, 'NR>1 && $15!="none"' "$CSV")
  echo
  if [[ -n "$errs" ]]; then echo "# runs with socket errors / non-2xx:"; echo "$errs" | sed 's/^/#   /'; else echo "# no socket errors, no non-2xx responses"; fi
  nd=$(cat "$RAW/discarded.csv" 2>/dev/null | wc -l)
  nn=$(awk -F, -v m="$NOISY_MAX" 'NR>1 && $9>m' "$CSV" | wc -l)
  echo "# runs discarded for other load > ${NOISY_MAX}% and measured again: $nd; kept runs still above it (retries used up): $nn"
  echo "# raw wrk output and per-round CSV: $RAW"
} | tee "$SUMMARY"
cp "$CSV" "${SUMMARY%.txt}.csv"
{ echo "target,rss_idle_mib,rss_after_mib"; for t in "${active[@]}"; do echo "$t,${RSS_IDLE[$t]},${RSS_AFTER[$t]}"; done; } >"${SUMMARY%.txt}.rss.csv"
log "summary written to $SUMMARY"
