#!/usr/bin/env bash
# Run-to-run stability of results written by run.sh (bench/harness/run.sh, also via bench/load.sh;
# the extra CSV columns load.sh relies on come after the ones read here).
# Usage: bench/harness/stability.sh bench/results/*-pinned*.csv      (one group of runs at a time)
# For every path/target over all rounds of all given CSVs: n, median rps, min, max,
# CV (stdev/mean) of rps, CV of p99, and CV of the per-round ratio to nginx and to direct
# (ratios are taken inside the same round, so slow drifts of the machine cancel out).
# MAX_OTHER=25 bench/harness/stability.sh ...  keeps only runs during which other load (other_cpu_pct) was <= 25% of a core.
set -euo pipefail
(($#)) || { echo "usage: $0 results/*.csv" >&2; exit 1; }
printf "%-16s %-8s %3s %9s %9s %9s %7s %7s %9s %7s %9s %7s\n" path target n med_rps min max cv_rps cv_p99 x_nginx cv x_direct cv
awk -F, -v maxo="${MAX_OTHER:-100000}" '
  FNR==1 { file++; next }
  $9+0 > maxo+0 { next }
  { key=$2 SUBSEP $3; r=file "." $1 "." $2
    rps[key]=rps[key] " " $4; p99[key]=p99[key] " " $6; seen[key]=1
    if ($3=="nginx") nginx[r]=$4; if ($3=="direct") direct[r]=$4
    row[NR]=r SUBSEP key SUBSEP $4 }
  function stats(list, out,   a, n, i, s, ss, m, sd, sorted, tmp, j) {
    n=split(list, a, " "); s=0; ss=0
    for (i=1;i<=n;i++){ s+=a[i]; ss+=a[i]*a[i] }
    m=s/n; sd=(n>1)? sqrt((ss-n*m*m)/(n-1)) : 0; if (sd!=sd) sd=0
    for (i=1;i<=n;i++) sorted[i]=a[i]+0
    for (i=2;i<=n;i++){ tmp=sorted[i]; j=i-1; while (j>0 && sorted[j]>tmp){ sorted[j+1]=sorted[j]; j-- } sorted[j+1]=tmp }
    out["n"]=n; out["mean"]=m; out["cv"]=(m>0)?sd/m*100:0; out["min"]=sorted[1]; out["max"]=sorted[n]
    out["med"]=(n%2)? sorted[(n+1)/2] : (sorted[n/2]+sorted[n/2+1])/2
  }
  END {
    for (i in row) { split(row[i], f, SUBSEP); r=f[1]; key=f[2] SUBSEP f[3]; v=f[4]
      if (nginx[r]>0) xn[key]=xn[key] " " v/nginx[r]; if (direct[r]>0) xd[key]=xd[key] " " v/direct[r] }
    for (key in seen) { split(key, f, SUBSEP)
      stats(rps[key], S); stats(p99[key], P)
      if (xn[key]!="") stats(xn[key], N); if (xd[key]!="") stats(xd[key], D)
      xn_s = (xn[key]=="") ? sprintf("%9s %7s", "-", "-") : sprintf("%9.2f %6.1f%%", N["med"], N["cv"])
      xd_s = (xd[key]=="") ? sprintf("%9s %7s", "-", "-") : sprintf("%9.2f %6.1f%%", D["med"], D["cv"])
      printf "%-16s %-8s %3d %9.0f %9.0f %9.0f %6.1f%% %6.1f%% %s %s\n", f[1], f[2], S["n"], S["med"], S["min"], S["max"], S["cv"], P["cv"], xn_s, xd_s
    }
  }' "$@" | sort -k1,1 -k4,4nr
