#!/usr/bin/env bash
# Load benchmark of the container image with wrk, loopback only, bounded runs. For each endpoint
# (POST /predict one row, POST /predict 100 rows, the Open Inference Protocol's infer, and the
# trivial GET /v2/health/live as the server's own ceiling) and each connection count, a 10 s
# warm-up then N measured runs; prints a Markdown table with the run of median requests/s (its
# rows/s and latency percentiles) and the errors of all runs.
# Server and wrk share the machine's cores, as the seed services were measured.
set -euo pipefail

usage() {
  cat <<USAGE
usage: bench/load.sh [--duration S] [--repeats N] [--connections "1 16 64 256"] [--cpus C]
                     [--memory M] [IMAGE]
  IMAGE defaults to target/jib-image.tar's (./mvnw -Pimage package). Each cell: a 10 s warm-up,
  then N runs (default 3) of S seconds (default 5); --cpus limits the container (default: none).
USAGE
}

duration=5 repeats=3 connections="1 16 64 256" cpus="" memory=512m image=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --duration) duration="$2"; shift 2 ;;
    --repeats) repeats="$2"; shift 2 ;;
    --connections) connections="$2"; shift 2 ;;
    --cpus) cpus="$2"; shift 2 ;;
    --memory) memory="$2"; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) image="$1"; shift ;;
  esac
done
source "$(dirname "$0")/common.sh"
bench_init load "$image"

limits=(--memory "$memory")
[[ -n "$cpus" ]] && limits+=(--cpus "$cpus")
port=$(serve_image "$name" "$image" "${limits[@]}")
base="http://127.0.0.1:$port"

printf '{"features":[5.1,3.5,1.4,0.2]}' > "$work/one.json"
{ printf '{"instances":['; for i in $(seq 1 100); do [[ $i -gt 1 ]] && printf ','; printf '[5.9,3.0,4.2,1.5]'; done; printf ']}'; } > "$work/batch.json"
printf '{"inputs":[{"name":"input","shape":[1,4],"datatype":"FP32","data":[5.1,3.5,1.4,0.2]}]}' > "$work/infer.json"

run() { # label method path body rows connections -> one table row
  wrk_cell "$base" "$duration" "$repeats" "$@"
}

echo "image $image, limits: ${limits[*]}; per cell a 10 s warm-up, then the median of $repeats runs of ${duration} s"
echo "$(nproc) cores: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(date -u +%Y-%m-%dT%H:%MZ)"
echo
echo "| Endpoint | Connections | Requests/s | Rows/s | p50 ms | p90 ms | p99 ms | p99.9 ms | Errors (all runs) |"
echo "| --- | --- | --- | --- | --- | --- | --- | --- | --- |"
for c in $connections; do
  run "GET /v2/health/live (ceiling)" GET /v2/health/live "" 0 "$c"
  run "POST /predict, 1 row" POST /predict "$work/one.json" 1 "$c"
  run "POST /predict, 100 rows" POST /predict "$work/batch.json" 100 "$c"
  run "POST /v2/models/iris-sgd/infer" POST /v2/models/iris-sgd/infer "$work/infer.json" 1 "$c"
done
echo
echo "Memory in use by the container after the runs: $(podman stats --no-stream --format '{{.MemUsage}}' "$name")"
