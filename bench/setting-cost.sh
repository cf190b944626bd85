#!/usr/bin/env bash
# What a setting costs POST /predict: the jar run with each value of one environment variable in
# turn (the order rotating every round), each round a fresh process, a warm-up and a measured wrk
# run on the same body; prints every run, then each value's median requests/s and its ratio to the
# first value's, and the CPU the process used during the measured runs (with --thread, also the
# share of a core one of its threads took, to tell a thread that limits throughput from work
# spread over the cores). The service's stdout goes to a file, as Cloud Run's log collector drains
# it, so what the service writes there is paid for. Loopback only, one process at a time; server
# and wrk share the machine's cores.
#   bench/setting-cost.sh --env DRIFT_ENABLED --values "false true" JAR
#   bench/setting-cost.sh --env PREDICTION_LOG_SAMPLE --values "0 0.01 1" --batch \
#     --thread prediction-records JAR
set -euo pipefail

usage() {
  cat <<USAGE
usage: bench/setting-cost.sh --env NAME --values "A B ..." [--rounds N] [--duration S]
                             [--connections C] [--batch] [--thread T] [--port P] JAR
  N rounds (default 5) of every value, each a 10 s warm-up and an S-second (default 10) run at C
  connections (default 16) of one Iris row, or with --batch a 100-row batch. Prints the cores the
  process used during the measured runs and, with --thread, the share of one core the thread
  named T took. With PREDICTION_LOG_SAMPLE it also prints the bytes each prediction record took
  on stdout.
USAGE
}

rounds=5 duration=10 connections=16 port=18282 batch=false name="" values="" thread=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --env) name="$2"; shift 2 ;;
    --values) values="$2"; shift 2 ;;
    --rounds) rounds="$2"; shift 2 ;;
    --duration) duration="$2"; shift 2 ;;
    --connections) connections="$2"; shift 2 ;;
    --port) port="$2"; shift 2 ;;
    --batch) batch=true; shift ;;
    --thread) thread="$2"; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) break ;;
  esac
done
[[ $# -eq 1 && -n "$name" && -n "$values" ]] || { usage >&2; exit 2; }
jar="$1"
[[ -f "$jar" ]] || { echo "no such jar: $jar" >&2; exit 2; }
here=$(cd "$(dirname "$0")" && pwd)
source "$here/common.sh"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
body="$work/body.json"
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
read -r -a settings <<< "$values"

hz=$(getconf CLK_TCK)

# One fresh process with $name=$1: warm-up, measured run; prints its requests/s, the cores it used
# and the share of a core --thread's thread took during the measured run.
measure() {
  local stdout="$work/stdout-$1.log"
  env "$name=$1" PORT="$port" LOG_LEVEL=WARN java -jar "$jar" >"$stdout" 2>&1 &
  local pid=$!
  wait_for_200 "http://127.0.0.1:$port/health/readiness" "" "kill -0 $pid" 60 \
    || { kill "$pid" 2>/dev/null; exit 1; }
  WRK_METHOD=POST WRK_BODY_FILE="$body" WRK_ROWS="$rows" wrk -t 2 -c "$connections" -d 10s \
    -s "$here/wrk/request.lua" "http://127.0.0.1:$port/predict" >/dev/null
  local result process_before thread_before=0 process_ticks thread_ticks=0 started=$EPOCHREALTIME
  process_before=$(cpu_ticks "$pid")
  [[ -z "$thread" ]] || thread_before=$(cpu_ticks "$pid" "$thread")
  result=$(WRK_METHOD=POST WRK_BODY_FILE="$body" WRK_ROWS="$rows" wrk -t 2 -c "$connections" \
    -d "${duration}s" -s "$here/wrk/request.lua" "http://127.0.0.1:$port/predict" | grep '^RESULT')
  process_ticks=$(( $(cpu_ticks "$pid") - process_before ))
  [[ -z "$thread" ]] || thread_ticks=$(( $(cpu_ticks "$pid" "$thread") - thread_before ))
  local seconds
  seconds=$(awk -v a="$started" -v b="$EPOCHREALTIME" 'BEGIN { print b - a }')
  kill -TERM "$pid"; wait "$pid" || true
  [[ "$result" == *" non2xx=0 "* ]] || { echo "errors: $result" >&2; exit 1; }
  if [[ "$name" == PREDICTION_LOG_SAMPLE ]]; then
    # Bytes per prediction record, from what this process wrote: the records are whole lines.
    grep -h '"record":"prediction"' "$stdout" |
      awk '{ n++; b += length($0) + 1 } END { if (n) printf "%.0f %.0f\n", n, b; else print "0 0" }' >> "$work/bytes"
  fi
  echo "$(echo "$result" | sed -E 's/.* rps=([0-9]+) .*/\1/')" \
    "$(awk -v t="$process_ticks" -v h="$hz" -v s="$seconds" 'BEGIN { printf "%.2f", t / h / s }')" \
    "$(awk -v t="$thread_ticks" -v h="$hz" -v s="$seconds" 'BEGIN { printf "%.2f", t / h / s }')"
}

declare -A runs cpu shares
count=${#settings[@]}
for ((r = 0; r < rounds; r++)); do
  for ((k = 0; k < count; k++)); do
    value="${settings[$(( (k + r) % count ))]}"
    read -r rps cores share <<< "$(measure "$value")"
    echo "round $((r + 1)) $name=$value: $rps requests/s, $cores cores${thread:+, $thread $share of a core}"
    runs[$value]="${runs[$value]:-} $rps"
    cpu[$value]="${cpu[$value]:-} $cores"
    shares[$value]="${shares[$value]:-} $share"
  done
done
median_of() { printf '%s\n' "$@" | median; }
# shellcheck disable=SC2086 # the runs are a list of numbers
base=$(median_of ${runs[${settings[0]}]})
line="median requests/s ($rows row(s) each, $connections connections):"
for value in "${settings[@]}"; do
  # shellcheck disable=SC2086
  m=$(median_of ${runs[$value]})
  line="$line $name=$value $(awk -v m="$m" -v b="$base" 'BEGIN { printf "%.0f (%.3f)", m, m / b }');"
done
echo "${line%;}; ratios to $name=${settings[0]}"
line="median CPU during the measured runs:"
for value in "${settings[@]}"; do
  # shellcheck disable=SC2086
  line="$line $name=$value $(median_of ${cpu[$value]}) cores${thread:+ ($thread $(median_of ${shares[$value]}) of one)};"
done
echo "${line%;}"
if [[ -s "$work/bytes" ]]; then
  awk '{ n += $1; b += $2 } END { if (n) printf "prediction records: %.0f written, %.0f bytes each on stdout, %.2f GiB per million records\n", n, b / n, b / n * 1e6 / 2^30 }' "$work/bytes"
fi
