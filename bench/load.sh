#!/usr/bin/env bash
# Whole-process load benchmark of Portcullis, side by side with direct (no proxy), nginx and HAProxy,
# in ONE run on loopback: same backend (nginx, 127.0.0.1:18080), same load generator (wrk), alternating
# rounds. The measuring is done by bench/harness/run.sh (a copy of the project's shared proxy-baseline
# harness); this script sets it up for Portcullis, then prints a summary per path with the ratios,
# CPU time per request, RSS and a PASS/SHORT verdict for Portcullis (row "gateway").
#
# Usage:  bench/load.sh                      # full run: ROUNDS=3 DURATION=10 CONNS=50 THREADS=1 (5-10 min)
#         SMOKE=1 bench/load.sh              # CI smoke: 1 round of 2 s, short warm-ups (~1 min)
#         PIN=1 bench/load.sh                # proxies pinned to CPU 0, wrk + backend on CPU 1
#         PORTCULLIS_JAVA_OPTS="-Xmx128m" bench/load.sh
#         GATEWAY_CMD="..." bench/load.sh    # any other command listening on 127.0.0.1:18087
#         SCENARIOS=plain bench/load.sh      # only the side-by-side plain run (default: plain auth dpop tls,
#                                            # then bench/targets.sh prints the issue-7 target table)
# Every knob of bench/harness/run.sh can be set in the environment (see bench/README.md).
#
# Only 127.0.0.1 is ever targeted; every wait is bounded; every process started here (directly or by
# the harness) is stopped on exit. Results: bench/results/<run id>-*.txt|csv (gitignored) and stdout.
# Exit status: 0 = run completed and valid (PASS or SHORT alike, unless STRICT=1: then 3 on SHORT);
# 1 = setup/harness failure; 2 = results invalid (non-2xx responses or a target served nothing).
set -uo pipefail

BENCH_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$BENCH_DIR/.." && pwd)"
source "$BENCH_DIR/lib.sh"   # log, median
LOG_PREFIX=load.sh

# ---------------------------------------------------------------- knobs (environment wins)
SMOKE="${SMOKE:-0}"
if [[ $SMOKE == 1 ]]; then   # CI: just prove that everything starts, proxies and is measured
  : "${ROUNDS:=1}" "${DURATION:=2}" "${WARMUP:=1}" "${JAVA_WARMUP:=3}" "${QUIET_WAIT:=2}" "${NOISY_RETRIES:=0}"
fi
export ROUNDS="${ROUNDS:-3}" DURATION="${DURATION:-10}" CONNS="${CONNS:-50}" THREADS="${THREADS:-1}"
export WARMUP="${WARMUP:-3}" JAVA_WARMUP="${JAVA_WARMUP:-15}"
export QUIET_WAIT="${QUIET_WAIT:-20}" QUIET_MAX="${QUIET_MAX:-30}" NOISY_MAX="${NOISY_MAX:-25}" NOISY_RETRIES="${NOISY_RETRIES:-2}"
export PIN="${PIN:-0}" PATHS="${PATHS:-/json /static/16k.bin}"
export TARGETS="${TARGETS:-direct nginx haproxy gateway}"
SCENARIOS="${SCENARIOS:-plain auth dpop tls}"
export LABEL="${LABEL:-$([[ $SMOKE == 1 ]] && echo smoke || echo load)}"
export RUN_DIR="${RUN_DIR:-/tmp/portcullis-bench}"
export RESULTS_DIR="${RESULTS_DIR:-$BENCH_DIR/results}"
export GATEWAY_PORT="${GATEWAY_PORT:-18087}" GATEWAY_IS_JVM="${GATEWAY_IS_JVM:-1}"
PORTCULLIS_CONFIG="${PORTCULLIS_CONFIG:-$BENCH_DIR/config/plain.yaml}"
JAR_SRC="$REPO/proxy/target/portcullis.jar"
BUILD_TIMEOUT="${BUILD_TIMEOUT:-900}"            # s, for `mvn package` when the jar is missing
GOAL_RPS_X_NGINX="${GOAL_RPS_X_NGINX:-1.0}"      # PASS needs gateway rps >= this x nginx rps ...
GOAL_CPU_X_NGINX="${GOAL_CPU_X_NGINX:-1.0}"      # ... and CPU time per request <= this x nginx's
STRICT="${STRICT:-0}"
[[ -n ${PORTCULLIS_JAVA_OPTS+x} ]] && export PORTCULLIS_JAVA_OPTS   # read by bin/portcullis

for n in ROUNDS DURATION CONNS THREADS WARMUP JAVA_WARMUP QUIET_WAIT NOISY_RETRIES GATEWAY_PORT BUILD_TIMEOUT; do
  [[ ${!n} =~ ^[0-9]+$ ]] || { log "$n must be a non-negative integer, got '${!n}'"; exit 1; }
done
for n in GOAL_RPS_X_NGINX GOAL_CPU_X_NGINX; do
  [[ ${!n} =~ ^[0-9]+(\.[0-9]+)?$ ]] || { log "$n must be a number, got '${!n}'"; exit 1; }
done
((GATEWAY_PORT >= 1024 && GATEWAY_PORT <= 65535)) || { log "GATEWAY_PORT out of range: $GATEWAY_PORT"; exit 1; }

# ---------------------------------------------------------------- child process handling
CHILD=""   # the one long-running child at a time (mvn or the harness); its own trap stops its servers
descendants() { local p; for p in $(ps -o pid= --ppid "$1" 2>/dev/null); do echo "$p"; descendants "$p"; done; }
stop_child() {
  [[ -n $CHILD ]] && kill -0 "$CHILD" 2>/dev/null || return 0
  log "stopping child pid $CHILD"
  kill -TERM "$CHILD" 2>/dev/null
  # the harness reacts after its current wrk run ends (bash runs traps between commands): allow that long
  local i limit=$(( (DURATION > JAVA_WARMUP ? DURATION : JAVA_WARMUP) + 45 ))
  for ((i = 0; i < limit * 5; i++)); do kill -0 "$CHILD" 2>/dev/null || break; sleep 0.2; done
  if kill -0 "$CHILD" 2>/dev/null; then
    local kids; kids=$(descendants "$CHILD")
    log "child $CHILD still running after ${limit}s: killing it and its descendants $kids"
    kill -KILL "$CHILD" $kids 2>/dev/null
  fi
  wait "$CHILD" 2>/dev/null
  CHILD=""
}
trap 'rc=$?; trap - EXIT; stop_child; exit $rc' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
run_child() {   # runs "$@" in the background and waits for it, so that a signal reaches our trap at once
  "$@" &
  CHILD=$!
  wait "$CHILD"; local rc=$?
  CHILD=""
  return "$rc"
}

# ---------------------------------------------------------------- checks
declare -A PKG=([wrk]=wrk [nginx]=nginx [haproxy]=haproxy [curl]=curl [ss]=iproute2 [taskset]=util-linux
                [timeout]=coreutils [awk]=mawk [java]=openjdk-17-jdk-headless [mvn]=maven)
need=(wrk nginx haproxy curl ss taskset timeout awk)
DEFAULT_GATEWAY=0; JAR_INFO=""
if [[ " $TARGETS " == *" gateway "* && -z ${GATEWAY_CMD:-} ]]; then
  DEFAULT_GATEWAY=1; need+=(java); [[ -f $JAR_SRC ]] || need+=(mvn)
fi
missing=()
for t in "${need[@]}"; do command -v "$t" >/dev/null || missing+=("${PKG[$t]}"); done
if ((${#missing[@]})); then
  log "missing tools. Install them with:"
  echo "apt-get update && apt-get install -y ${missing[*]}" >&2
  exit 1
fi

declare -A PORT=([direct]=18080 [nginx]=18081 [haproxy]=18082 [vertx]=18083 [scg]=18084 [gateway]=$GATEWAY_PORT)
for t in $TARGETS; do
  [[ -n ${PORT[$t]:-} ]] || { log "unknown target '$t' (known: ${!PORT[*]})"; exit 1; }
  if ss -Hltn "sport = :${PORT[$t]}" | grep -q .; then
    log "port ${PORT[$t]} ($t) is already in use on this machine; stop whatever listens there first:"
    ss -Hltnp "sport = :${PORT[$t]}" >&2
    exit 1
  fi
done
[[ " $TARGETS " == *" direct "* ]] || { log "TARGETS must contain direct (it is the backend)"; exit 1; }

# ---------------------------------------------------------------- the Portcullis command
if ((DEFAULT_GATEWAY)); then
  [[ -f $PORTCULLIS_CONFIG ]] || { log "config not found: $PORTCULLIS_CONFIG"; exit 1; }
  PORTCULLIS_CONFIG="$(realpath "$PORTCULLIS_CONFIG")"
  if [[ ! -f $JAR_SRC ]]; then
    log "$JAR_SRC missing: building it (mvn -q -B -DskipTests package, at most ${BUILD_TIMEOUT}s)"
    pushd "$REPO" >/dev/null || exit 1
    run_child timeout "$BUILD_TIMEOUT" mvn -q -B -DskipTests package || { log "build failed"; exit 1; }
    popd >/dev/null || exit 1
    [[ -f $JAR_SRC ]] || { log "build did not produce $JAR_SRC"; exit 1; }
  fi
  # Run a private copy of the jar: a rebuild of proxy/target during the run must not change (or break)
  # the process being measured. bin/portcullis takes the jar from PORTCULLIS_JAR.
  export PORTCULLIS_JAR="$RUN_DIR/portcullis.jar"
  mkdir -p "$RUN_DIR" && cp "$JAR_SRC" "$PORTCULLIS_JAR" || { log "cannot copy the jar to $RUN_DIR"; exit 1; }
  JAR_INFO="$(sha256sum "$PORTCULLIS_JAR" | cut -c1-12), built $(date -u -r "$JAR_SRC" +%Y-%m-%dT%H:%MZ)"
  log "measuring a copy of proxy/target/portcullis.jar (sha256 $JAR_INFO)"
  if [[ -x $REPO/bin/portcullis ]]; then
    GATEWAY_CMD="$(printf '%q' "$REPO/bin/portcullis") -f $(printf '%q' "$PORTCULLIS_CONFIG")"
  else
    # the launcher adds its small-footprint JVM defaults (PORTCULLIS_JAVA_OPTS replaces them); without it
    # only PORTCULLIS_JAVA_OPTS is given to java
    log "bin/portcullis not found: running the jar with plain java (without the launcher's JVM defaults)"
    GATEWAY_CMD="java ${PORTCULLIS_JAVA_OPTS:-} -jar $(printf '%q' "$PORTCULLIS_JAR") -f $(printf '%q' "$PORTCULLIS_CONFIG")"
  fi
fi
export GATEWAY_CMD="${GATEWAY_CMD:-}"

# ---------------------------------------------------------------- measure
export RUN_ID="${RUN_ID:-$(date +%Y%m%d-%H%M%S)}"
# the repository state at the start (commits may land while the run goes on)
REPO_STATE="$(git -C "$REPO" rev-parse --short HEAD 2>/dev/null || echo 'no commit')$(git -C "$REPO" status --porcelain -- proxy 2>/dev/null | grep -q . && echo ' (proxy/ has uncommitted changes)')"
BASE="$RESULTS_DIR/$RUN_ID-$([[ $PIN == 1 ]] && echo pinned || echo unpinned)-$LABEL"
log "run $RUN_ID: targets=$TARGETS rounds=$ROUNDS duration=${DURATION}s conns=$CONNS threads=$THREADS pin=$PIN smoke=$SMOKE"
[[ -n $GATEWAY_CMD ]] && log "gateway: $GATEWAY_CMD${PORTCULLIS_JAVA_OPTS:+ (PORTCULLIS_JAVA_OPTS=$PORTCULLIS_JAVA_OPTS)}"
run_child "$BENCH_DIR/harness/run.sh"; rc=$?
if ((rc != 0)); then log "harness failed (exit $rc); server logs: $RUN_DIR/*.out"; exit 1; fi
CSV="$BASE.csv"; RSS="$BASE.rss.csv"
[[ -f $CSV && -f $RSS ]] || { log "harness results not found: $CSV"; exit 1; }

# ---------------------------------------------------------------- summary
col() { awk -F, -v p="$1" -v t="$2" -v c="$3" 'NR>1 && $2==p && $3==t {print $c}' "$CSV"; }   # path target column
cpu_us() {   # per kept measured run: target CPU seconds / requests served, in µs; median of the rounds
  awk -F, -v p="$1" -v t="$2" 'NR>1 && $2==p && $3==t && $14>0 {printf "%.3f\n", $13/$14*1e6}' "$CSV" | median | awk '{printf "%.2f", $1}'
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN{ if (a=="" || b=="" || a=="nan" || b=="nan" || b<=0) print "-"; else printf "%.2f", a/b }'; }
rss() { awk -F, -v t="$1" -v c="$2" '$1==t{print $c}' "$RSS"; }
ge() { awk -v a="$1" -v b="$2" 'BEGIN{exit !(a+0 >= b+0)}'; }

active=($(awk -F, 'NR>1{print $1}' "$RSS"))
has() { [[ " ${active[*]} " == *" $1 "* ]]; }
other=$(awk -F, 'NR>1{print $9}' "$CSV" | median | awk '{printf "%.0f", $1}'); other_max=$(awk -F, 'NR>1{print $9}' "$CSV" | sort -g | tail -1)
SUM="$BASE-summary.txt"; SUMCSV="$BASE-summary.csv"
echo "path,target,rps,p50_ms,p99_ms,x_direct,x_nginx,x_haproxy,cpu_us_per_req,tcp_connects_per_run,noisy_rounds,rss_idle_mib,rss_after_mib,verdict" >"$SUMCSV"
verdicts=()
{
  echo
  echo "# Portcullis load benchmark $RUN_ID ($(date -u +%Y-%m-%dT%H:%MZ))$([[ $SMOKE == 1 ]] && echo '; SMOKE run: too short to judge performance')"
  echo "# host: $(nproc) CPUs ($(awk -F': ' '/^model name/{print $2; exit}' /proc/cpuinfo)), $(uname -r); mode: $([[ $PIN == 1 ]] && echo pinned || echo unpinned)"
  echo "# repo at start: $REPO_STATE"
  [[ -n $GATEWAY_CMD ]] && echo "# gateway: $GATEWAY_CMD${PORTCULLIS_JAVA_OPTS:+; PORTCULLIS_JAVA_OPTS=$PORTCULLIS_JAVA_OPTS}${PORTCULLIS_EXTRA_OPTS:+; PORTCULLIS_EXTRA_OPTS=$PORTCULLIS_EXTRA_OPTS}"
  [[ -n $JAR_INFO ]] && echo "# jar: proxy/target/portcullis.jar sha256 $JAR_INFO (run from a copy in $RUN_DIR)"
  echo "# wrk -t$THREADS -c$CONNS -d${DURATION}s, $ROUNDS round(s) in alternating order, medians of rounds; other load on the machine: median ${other}%, max ${other_max}% of a core"
  echo "# cpu_us = CPU time of the target's process tree / requests served (direct: the backend's); conns = TCP connects per run"
  echo "#   (wrk's $CONNS + upstream connections opened by the proxy; far more means connections are not kept alive); medians of rounds;"
  echo "#   noisy = kept rounds during which other load exceeded ${NOISY_MAX}% of a core (the re-measure retries ran out)"
  echo "# verdict (gateway): PASS if rps >= ${GOAL_RPS_X_NGINX} x nginx and cpu_us <= ${GOAL_CPU_X_NGINX} x nginx's, else SHORT(what)"
  for p in $PATHS; do
    declare -A R=() U=()
    for t in "${active[@]}"; do R[$t]=$(col "$p" "$t" 4 | median); U[$t]=$(cpu_us "$p" "$t"); done
    echo
    echo "## path $p"
    printf '%-8s %9s %8s %8s %8s %8s %9s %8s %6s %6s %9s %9s  %s\n' target rps p50_ms p99_ms x_direct x_nginx x_haproxy cpu_us conns noisy rss_idle rss_after verdict
    for t in "${active[@]}"; do
      p50=$(col "$p" "$t" 5 | median); p99=$(col "$p" "$t" 6 | median); conns=$(col "$p" "$t" 12 | median | awk '{printf "%.0f", $1}')
      noisy=$(col "$p" "$t" 9 | awk -v m="$NOISY_MAX" '$1>m{k++} END{printf "%d/%d", k, NR}')
      xd=$(ratio "${R[$t]}" "${R[direct]}")
      xn=$(has nginx && ratio "${R[$t]}" "${R[nginx]}" || echo -)
      xh=$(has haproxy && ratio "${R[$t]}" "${R[haproxy]}" || echo -)
      v=-
      if [[ $t == gateway ]]; then
        if ! has nginx; then v="n/a (no nginx)"
        else
          short=()
          ge "${R[gateway]}" "$(awk -v n="${R[nginx]}" -v g="$GOAL_RPS_X_NGINX" 'BEGIN{print n*g}')" || short+=(rps)
          ge "$(awk -v n="${U[nginx]}" -v g="$GOAL_CPU_X_NGINX" 'BEGIN{print n*g}')" "${U[gateway]}" || short+=(cpu)
          if ((${#short[@]})); then v="SHORT($(IFS=,; echo "${short[*]}"))"; else v=PASS; fi
          nn=$( { col "$p" gateway 9; col "$p" nginx 9; } | awk -v m="$NOISY_MAX" '$1>m{k++} END{print k+0}')
          verdicts+=("$p: $v (rps ${xn} x nginx, goal >= ${GOAL_RPS_X_NGINX}; cpu/request ${U[gateway]} us vs nginx ${U[nginx]} us = $(ratio "${U[gateway]}" "${U[nginx]}") x, goal <= ${GOAL_CPU_X_NGINX})$( ((nn)) && echo "; NOISY: $nn of the gateway's and nginx's runs had other load > ${NOISY_MAX}%, do not rely on this verdict")")
        fi
      fi
      printf '%-8s %9.0f %8.3f %8.3f %8s %8s %9s %8s %6s %6s %8sM %8sM  %s\n' "$t" "${R[$t]}" "$p50" "$p99" "$xd" "$xn" "$xh" "${U[$t]}" "$conns" "$noisy" "$(rss "$t" 2)" "$(rss "$t" 3)" "$v"
      echo "$p,$t,${R[$t]},$p50,$p99,$xd,$xn,$xh,${U[$t]},$conns,$noisy,$(rss "$t" 2),$(rss "$t" 3),$v" >>"$SUMCSV"
    done
    unset R U
  done
  echo
  for v in "${verdicts[@]}"; do echo "# gateway $v"; done
  echo "# files: $BASE.txt (harness table), $BASE.csv (per round), $SUM, $SUMCSV"
} | tee "$SUM"

# ---------------------------------------------------------------- validity and exit status
bad=$(awk -F, 'NR>1 && ($4+0 <= 0 || $15 ~ /Non-2xx/) {print "  round " $1 " " $2 " " $3 ": rps=" $4 " " $15}' "$CSV")
if [[ -n $bad ]]; then log "results invalid:"; echo "$bad" >&2; exit 2; fi
awk -F, 'NR>1 && $15 ~ /Socket errors/ {found=1} END{exit !found}' "$CSV" && log "warning: some runs had socket errors (see $BASE.txt)"
if [[ $STRICT == 1 ]] && grep -q 'SHORT' "$SUMCSV"; then log "STRICT=1 and the gateway is SHORT of a goal"; exit 3; fi

# ---------------------------------------------------------------- the other scenarios, then the target table
[[ $SCENARIOS == plain ]] && exit 0
AUTH_CSV=- DPOP_CSV=- TLS_CSV=-
export PIN SMOKE   # the scenario scripts take the same knobs
for s in $SCENARIOS; do
  case $s in
    plain) ;;
    auth)
      log "scenario auth: bench/auth-load.sh"
      if RUN_ID="$RUN_ID-auth" LABEL=auth PATHS=/json TARGETS="direct nginx gateway" run_child "$BENCH_DIR/auth-load.sh" >&2; then
        AUTH_CSV="$RESULTS_DIR/$RUN_ID-auth-$([[ $PIN == 1 ]] && echo pinned || echo unpinned)-auth-summary.csv"
      else log "scenario auth did not complete"; fi ;;
    dpop)
      log "scenario dpop: bench/dpop-load.sh"
      if DPOP_CSV="$BASE-dpop.csv" run_child "$BENCH_DIR/dpop-load.sh" >&2; then DPOP_CSV="$BASE-dpop.csv"
      else log "scenario dpop did not complete"; fi ;;
    tls)
      if [[ -x $BENCH_DIR/tls-load.sh ]]; then
        log "scenario tls: bench/tls-load.sh"
        if TLS_CSV="$BASE-tls.csv" run_child "$BENCH_DIR/tls-load.sh" >&2; then TLS_CSV="$BASE-tls.csv"
        else log "scenario tls did not complete"; fi
      fi ;;
    *) log "unknown scenario '$s' (known: plain auth dpop tls)" ;;
  esac
done
"$BENCH_DIR/targets.sh" "$SUMCSV" "$AUTH_CSV" "$DPOP_CSV" "$TLS_CSV" | tee "$BASE-targets.txt"
exit 0
