#!/usr/bin/env bash
# The issue-7 target table: one row per performance target, from the result files of one bench/load.sh
# run (plain /json and 16 KiB, auth profile, DPoP, HTTPS), with the measured ratio, the goal and PASS /
# SHORT. bench/load.sh calls it at the end; it can be re-run on the files of an earlier run.
#
# Usage: bench/targets.sh PLAIN_SUMMARY_CSV [AUTH_SUMMARY_CSV|-] [DPOP_CSV|-] [TLS_CSV|-]
# PLAIN / AUTH: the *-summary.csv that bench/load.sh writes (path,target,rps,p50_ms,p99_ms,...,cpu_us_per_req,
# ...,rss_after_mib,...); DPOP: bench/dpop-load.sh's DPOP_CSV (rps,p50,p99,cpu_us,non2xx,rss_mib);
# TLS: bench/tls-load.sh's TLS_CSV (scenario,target,rps: rows "keepalive" and "handshake" for gateway and nginx).
set -uo pipefail
PLAIN=$1 AUTH=${2:--} DPOP=${3:--} TLS=${4:--}
RSS_LIMIT_MIB=${RSS_LIMIT_MIB:-128}

val() {  # file path target column-name -> value
  awk -F, -v p="$2" -v t="$3" -v c="$4" 'NR==1 {for (i = 1; i <= NF; i++) if ($i == c) k = i; next}
       $1 == p && $2 == t {print $k; exit}' "$1"
}
row() {  # scenario, measured, reference, ratio, goal, verdict
  printf '%-50s %16s %10s %6s %9s  %s\n' "$@"
}
judge() {  # value op goal -> PASS / SHORT
  awk -v v="$1" -v g="$3" -v op="$2" 'BEGIN { if (v == "" || v == "-") { print "n/a"; exit }
    ok = (op == ">=") ? (v + 0 >= g + 0) : (v + 0 <= g + 0); print ok ? "PASS" : "SHORT" }'
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "" || b == "" || b + 0 <= 0) print "-"; else printf "%.2f", a / b }'; }
max() { awk -v a="$1" -v b="$2" 'BEGIN { print (a + 0 >= b + 0) ? a : b }'; }

echo
echo "# Portcullis performance targets (issue 7), from one bench/load.sh run; ratios are gateway / reference"
row scenario gateway reference ratio goal verdict
row -------- ------- --------- ----- ---- -------
g=$(val "$PLAIN" /json gateway rps); n=$(val "$PLAIN" /json nginx rps); h=$(val "$PLAIN" /json haproxy rps)
best=$(max "${n:-0}" "${h:-0}"); x=$(ratio "$g" "$best")
row "plain /json rps vs max(nginx, HAProxy)" "$(printf %.0f "${g:-0}")" "$(printf %.0f "$best")" "$x" ">= 1.00" "$(judge "$x" ">=" 1.0)"
gc=$(val "$PLAIN" /json gateway cpu_us_per_req); nc=$(val "$PLAIN" /json nginx cpu_us_per_req); x=$(ratio "$gc" "$nc")
row "plain /json CPU us/request vs nginx" "$gc" "$nc" "$x" "<= 0.90" "$(judge "$x" "<=" 0.9)"
gp=$(val "$PLAIN" /json gateway p99_ms); np=$(val "$PLAIN" /json nginx p99_ms); x=$(ratio "$gp" "$np")
row "plain /json p99 ms vs nginx" "$gp" "$np" "$x" "<= 1.00" "$(judge "$x" "<=" 1.0)"
g16=$(val "$PLAIN" /static/16k.bin gateway rps); d16=$(val "$PLAIN" /static/16k.bin direct rps); x=$(ratio "$g16" "$d16")
row "16 KiB rps vs direct" "$(printf %.0f "${g16:-0}")" "$(printf %.0f "${d16:-0}")" "$x" ">= 0.97" "$(judge "$x" ">=" 0.97)"
if [[ $AUTH != - && -f $AUTH ]]; then
  # nginx proxies the same requests without checking anything: the auth run's own nginx rows are the reference.
  ga=$(val "$AUTH" /json gateway rps); na=$(val "$AUTH" /json nginx rps); x=$(ratio "$ga" "$na")
  row "jwtAuth RS256 + rateLimit + headers vs plain nginx" "$(printf %.0f "${ga:-0}")" "$(printf %.0f "${na:-0}")" "$x" ">= 0.90" "$(judge "$x" ">=" 0.9)"
else
  row "jwtAuth RS256 + rateLimit + headers vs plain nginx" - - - ">= 0.90" "not run"
fi
if [[ $DPOP != - && -f $DPOP ]]; then
  IFS=, read -r drps _ _ dcpu dbad drss < <(tail -1 "$DPOP")
  v=$(judge "$drps" ">=" 10000); ((dbad > 0)) && v="INVALID ($dbad non-2xx)"
  row "DPoP, new ES256 token + proof each, 1 core" "$drps" "-" "-" ">= 10000" "$v"
else
  row "DPoP, new ES256 token + proof each, 1 core" - - - ">= 10000" "not run"
fi
if [[ $TLS != - && -f $TLS ]]; then
  for s in keepalive handshake; do
    gt=$(val "$TLS" "$s" gateway rps); nt=$(val "$TLS" "$s" nginx rps); x=$(ratio "$gt" "$nt")
    row "HTTPS TLS 1.3 $s rps vs nginx HTTPS" "$(printf %.0f "${gt:-0}")" "$(printf %.0f "${nt:-0}")" "$x" ">= 1.00" "$(judge "$x" ">=" 1.0)"
  done
else
  row "HTTPS TLS 1.3 vs nginx HTTPS" - - - ">= 1.00" "not run"
fi
rss=$(val "$PLAIN" /json gateway rss_after_mib)
row "RSS after the run, launcher defaults (MiB)" "$rss" "-" "-" "<= $RSS_LIMIT_MIB" "$(judge "$rss" "<=" "$RSS_LIMIT_MIB")"
row "JMH routing/rewrite/rate limit/metrics B/op" "see bench/README" "-" "-" "~0" "JMH, not load"
