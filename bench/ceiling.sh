#!/usr/bin/env bash
# How close POST /predict comes to the server's own ceiling (the trivial GET /v2/health/live):
# both at C connections, taking turns for N rounds in one container, so they share the machine's
# noise; prints each round's requests/s and ratio, then the median ratio. Loopback only.
set -euo pipefail

usage() {
  cat <<USAGE
usage: bench/ceiling.sh [--rounds N] [--duration S] [--connections C] [IMAGE]
  IMAGE defaults to target/jib-image.tar's (./mvnw -Pimage package). N rounds (default 5) of S
  seconds (default 10) per endpoint at C connections (default 64), after one warm-up of each.
USAGE
}

rounds=5 duration=10 connections=64 image=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --rounds) rounds="$2"; shift 2 ;;
    --duration) duration="$2"; shift 2 ;;
    --connections) connections="$2"; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) image="$1"; shift ;;
  esac
done
source "$(dirname "$0")/common.sh"
bench_init ceiling "$image"
port=$(serve_image "$name" "$image" --memory 512m)
printf '{"features":[5.1,3.5,1.4,0.2]}' > "$work/one.json"

rps() { # method path body -> requests/s
  WRK_METHOD="$1" WRK_BODY_FILE="$3" WRK_ROWS=1 wrk -t2 -c"$connections" -d"${duration}s" \
    -s "$here/wrk/request.lua" "http://127.0.0.1:$port$2" | sed -n 's/^RESULT .* rps=\([0-9]*\) .*/\1/p'
}
rps GET /v2/health/live "" >/dev/null
rps POST /predict "$work/one.json" >/dev/null
ratios=()
for ((i = 1; i <= rounds; i++)); do
  ceiling=$(rps GET /v2/health/live "")
  predict=$(rps POST /predict "$work/one.json")
  ratios+=("$(awk -v p="$predict" -v c="$ceiling" 'BEGIN { printf "%.3f", p / c }')")
  echo "round $i: GET /v2/health/live $ceiling req/s, POST /predict $predict req/s, ratio ${ratios[-1]}"
done
printf '%s\n' "${ratios[@]}" | summary | awk -v c="$connections" '{
  printf "median ratio %.0f%% (range %.0f-%.0f%%) at %d connections over %d rounds\n", $1 * 100, $2 * 100, $3 * 100, c, $4 }'
