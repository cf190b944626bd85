#!/usr/bin/env bash
# What online drift monitoring costs POST /predict: the jar with DRIFT_ENABLED=true and =false,
# alternating, each round a fresh process, a warm-up and a measured wrk run on the same body;
# prints every run and the median requests/s of each setting with their ratio. Loopback only,
# one process at a time; server and wrk share the machine's cores.
set -euo pipefail

usage() {
  cat <<USAGE
usage: bench/drift-cost.sh [--rounds N] [--duration S] [--connections C] [--batch] [--port P] JAR
  N rounds (default 5) of: drift on, drift off (order alternating), each a 10 s warm-up and an
  S-second (default 10) run at C connections (default 16) of one Iris row, or with --batch a
  100-row batch.
USAGE
}

rounds=5 duration=10 connections=16 port=18282 batch=false
while [[ $# -gt 0 ]]; do
  case "$1" in
    --rounds) rounds="$2"; shift 2 ;;
    --duration) duration="$2"; shift 2 ;;
    --connections) connections="$2"; shift 2 ;;
    --port) port="$2"; shift 2 ;;
    --batch) batch=true; shift ;;
    -h|--help) usage; exit 0 ;;
    *) break ;;
  esac
done
[[ $# -eq 1 ]] || { usage >&2; exit 2; }
jar="$1"
[[ -f "$jar" ]] || { echo "no such jar: $jar" >&2; exit 2; }
here=$(cd "$(dirname "$0")" && pwd)
body=$(mktemp)
trap 'rm -f "$body"' EXIT
rows=1
if [[ "$batch" == true ]]; then
  rows=100
  { printf '{"instances":['
    for ((i = 0; i < rows; i++)); do printf '%s[%s]' "$([[ $i -gt 0 ]] && echo ,)" \
      "$(case $((i % 3)) in 0) echo 5.1,3.5,1.4,0.2 ;; 1) echo 5.9,3.0,4.2,1.5 ;; *) echo 6.7,3.0,5.2,2.3 ;; esac)"; done
    printf ']}'; } >"$body"
else
  printf '{"features":[5.1,3.5,1.4,0.2]}' >"$body"
fi

# One fresh process with DRIFT_ENABLED=$1: warm-up, measured run; prints its requests/s.
measure() {
  DRIFT_ENABLED="$1" PORT="$port" LOG_LEVEL=WARN java -jar "$jar" >/dev/null 2>&1 &
  local pid=$!
  until curl -sf -o /dev/null "http://127.0.0.1:$port/health/readiness"; do
    kill -0 "$pid" 2>/dev/null || { echo "the jar exited before it was ready" >&2; exit 1; }
    sleep 0.1
  done
  WRK_METHOD=POST WRK_BODY_FILE="$body" WRK_ROWS="$rows" wrk -t 2 -c "$connections" -d 10s \
    -s "$here/wrk/request.lua" "http://127.0.0.1:$port/predict" >/dev/null
  local result
  result=$(WRK_METHOD=POST WRK_BODY_FILE="$body" WRK_ROWS="$rows" wrk -t 2 -c "$connections" \
    -d "${duration}s" -s "$here/wrk/request.lua" "http://127.0.0.1:$port/predict" | grep '^RESULT')
  kill -TERM "$pid"; wait "$pid" || true
  [[ "$result" == *" non2xx=0 "* ]] || { echo "errors: $result" >&2; exit 1; }
  echo "$result" | sed -E 's/.* rps=([0-9]+) .*/\1/'
}

on=() off=()
for ((r = 1; r <= rounds; r++)); do
  if (( r % 2 )); then a=true b=false; else a=false b=true; fi
  for setting in "$a" "$b"; do
    rps=$(measure "$setting")
    echo "round $r drift=$setting: $rps requests/s"
    if [[ "$setting" == true ]]; then on+=("$rps"); else off+=("$rps"); fi
  done
done
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
m_on=$(median "${on[@]}") m_off=$(median "${off[@]}")
awk -v on="$m_on" -v off="$m_off" -v rows="$rows" 'BEGIN {
  printf "median requests/s (%d row(s) each): drift on %.0f, off %.0f; on/off = %.3f (%+.1f%%)\n",
    rows, on, off, on / off, 100 * (on / off - 1) }'
