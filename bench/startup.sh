#!/usr/bin/env bash
# Measures exec-to-first-200 on POST /predict for a jar, or for any command (the seed-style peer,
# bench/seed.sh): the start-up a Cloud Run request waits for.
# Prints each run and the median, min and max in milliseconds. Loopback only, one process at a time.
set -euo pipefail

usage() {
  cat <<USAGE
usage: bench/startup.sh [--runs N] [--port P] JAR [JVM_OPTION...]
       bench/startup.sh [--runs N] [--port P] --command COMMAND...
  Starts JAR (or COMMAND) N times (default 10) with PORT=P (default 18181) and times, from exec,
  the first POST /predict on 127.0.0.1:P answered 200. JVM options go before -jar, e.g.
  -XX:TieredStopAtLevel=1. COMMAND must serve on P itself (bench/seed.sh run DIR --port P).
USAGE
}

runs=10
port=18181
while [[ $# -gt 0 ]]; do
  case "$1" in
    --runs) runs="$2"; shift 2 ;;
    --port) port="$2"; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) break ;;
  esac
done
[[ $# -ge 1 ]] || { usage >&2; exit 2; }
command=()
if [[ "$1" == --command ]]; then
  shift
  command=("$@")
else
  jar="$1"; shift
  [[ -f "$jar" ]] || { echo "no such jar: $jar" >&2; exit 2; }
  command=(java "$@" -jar "$jar")
fi
body='{"features":[5.1,3.5,1.4,0.2]}'
source "$(dirname "$0")/common.sh"

times=()
for ((i = 1; i <= runs; i++)); do
  start=$(date +%s%N)
  PORT="$port" "${command[@]}" >/dev/null 2>&1 &
  pid=$!
  wait_for_200 "http://127.0.0.1:$port/predict" "$body" "kill -0 $pid" 120 \
    || { echo "run $i: no answer" >&2; exit 1; }
  end=$(date +%s%N)
  kill -TERM "$pid"; wait "$pid" || true
  ms=$(( (end - start) / 1000000 ))
  times+=("$ms")
  echo "run $i: ${ms} ms"
done
read -r m min max _ < <(printf '%s\n' "${times[@]}" | summary)
echo "median $(printf '%.0f' "$m") ms, min ${min} ms, max ${max} ms over ${runs} runs"
