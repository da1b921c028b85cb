# Helpers shared by the benchmark scripts (bench/harness/run.sh, load.sh, tls-load.sh, dpop-load.sh,
# rss.sh). Sourced, never run:   source "$BENCH_DIR/lib.sh"
#
# Safe under `set -euo pipefail`. A script sets LOG_PREFIX (and LOG_FD when stderr may be redirected while it logs), adds every PID it
# starts to STARTED, and calls stop_started from its exit trap: processes are stopped by the PIDs this run
# started, never by name, so a benchmark never touches anything else on the machine.

STARTED=()    # PIDs this script started; stop_started stops them and their direct children

log() { printf '[%(%H:%M:%S)T] %s%s\n' -1 "${LOG_PREFIX:+$LOG_PREFIX: }" "$*" >&"${LOG_FD:-2}"; }

# Stops every PID in STARTED: TERM to each (and to the direct children it has now, e.g. nginx workers),
# up to ~10 s for them to exit, then KILL to whatever is left, then reaps them.
stop_started() {
  ((${#STARTED[@]})) || return 0
  local pid i alive kids=()
  for pid in "${STARTED[@]}"; do
    kids+=($(ps -o pid= --ppid "$pid" 2>/dev/null || true))
    kill -TERM "$pid" 2>/dev/null || true
  done
  for i in $(seq 1 50); do
    alive=0
    for pid in "${STARTED[@]}" "${kids[@]}"; do if kill -0 "$pid" 2>/dev/null; then alive=1; fi; done
    ((alive)) || break
    sleep 0.2
  done
  for pid in "${STARTED[@]}" "${kids[@]}"; do kill -KILL "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}

# wait_http URL TRIES [PID] [curl options...]: polls URL every 0.2 s, at most TRIES times, until it answers
# 2xx (any HTTP answer with the curl option --no-fail). Fails at once when PID (if given, not empty) has exited.
wait_http() {
  local url=$1 tries=$2 pid=${3:-} i
  shift $(($# < 3 ? $# : 3))
  for i in $(seq 1 "$tries"); do
    [[ -n $pid ]] && ! kill -0 "$pid" 2>/dev/null && return 1
    curl -fs -o /dev/null --max-time 1 "$@" "$url" && return 0
    sleep 0.2
  done
  return 1
}

tree_pids() { echo "$1" $(ps -o pid= --ppid "$1" 2>/dev/null); }   # pid + direct children

# utime+stime (all threads, in clock ticks) summed over the process and its direct children
cpu_ticks() {
  local total=0 p t
  for p in $(tree_pids "$1"); do
    t=$(sed 's/^.*) //' "/proc/$p/stat" 2>/dev/null | awk '{print $12+$13}' || true); total=$((total + ${t:-0}))
  done
  echo "$total"
}

# VmRSS in MiB summed over the process and its direct children (nginx: master + worker)
rss_mib() {
  local total=0 p kb
  for p in $(tree_pids "$1"); do
    kb=$(awk '/^VmRSS:/{print $2}' "/proc/$p/status" 2>/dev/null || true); total=$((total + ${kb:-0}))
  done
  awk -v k="$total" 'BEGIN{printf "%.1f", k/1024}'
}

# median of the numbers on stdin, one per line ("nan" when there are none)
median() { sort -g | awk '{a[NR]=$1} END{ if(NR==0){print "nan"} else if(NR%2){print a[(NR+1)/2]} else {printf "%.3f\n",(a[NR/2]+a[NR/2+1])/2} }'; }
