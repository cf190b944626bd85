#!/usr/bin/env bash
# Rows/s through POST /bigquery, BigQuery's remote-function route, at batch sizes BigQuery sends
# (max_batching_rows 500, 5,000 (cloudrun/bigquery-function.sh's default) and 20,000), beside
# POST /predict with its largest batch (MAX_BATCH_SIZE, 1,000 rows) in the same run, as the ratio
# of rows/s. The container runs as one Cloud Run instance does (1 CPU, 512 MiB, read-only); wrk
# (loopback only) keeps 4 requests in flight, as BigQuery sends several batches to an instance
# at once. Prints a Markdown table.
set -euo pipefail

usage() {
  cat <<USAGE
usage: bench/bigquery.sh [--duration S] [--repeats N] [--connections C] [IMAGE]
  IMAGE defaults to target/jib-image.tar's (./mvnw -Pimage package). Each cell: a 10 s warm-up,
  then N runs (default 3) of S seconds (default 5), C connections (default 4).
USAGE
}

duration=5 repeats=3 connections=4 image=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --duration) duration="$2"; shift 2 ;;
    --repeats) repeats="$2"; shift 2 ;;
    --connections) connections="$2"; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) image="$1"; shift ;;
  esac
done
source "$(dirname "$0")/common.sh"
bench_init bigquery "$image"

port=$(serve_image "$name" "$image" --cpus 1 --memory 512m)
base="http://127.0.0.1:$port"

rows() { # N -> N iris rows as JSON arrays, comma-separated, the three species in turn
  awk -v n="$1" 'BEGIN {
    split("[5.1,3.5,1.4,0.2] [5.9,3.0,4.2,1.5] [6.7,3.0,5.2,2.3]", r, " ")
    for (i = 0; i < n; i++) printf "%s%s", (i ? "," : ""), r[i % 3 + 1]
  }'
}
for n in 500 5000 20000; do
  printf '{"requestId":"bench-%d","caller":"//bigquery.googleapis.com/projects/p/jobs/p:US.bench",' "$n" > "$work/bq-$n.json"
  printf '"sessionUser":"bench@example.com","userDefinedContext":{"return":"label"},"calls":[%s]}' "$(rows "$n")" >> "$work/bq-$n.json"
done
printf '{"instances":[%s]}' "$(rows 1000)" > "$work/predict-1000.json"
# Every body is scored before it is measured: a 400 would measure error handling.
for body in "$work"/bq-*.json; do
  curl -sf -o /dev/null -X POST -H 'Content-Type: application/json' --data-binary @"$body" "$base/bigquery"
done
curl -sf -o /dev/null -X POST -H 'Content-Type: application/json' --data-binary @"$work/predict-1000.json" "$base/predict"

echo "image $image at 1 CPU, 512 MiB; $connections connections; per cell a 10 s warm-up, then the median of $repeats runs of ${duration} s"
echo "$(nproc) cores: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(date -u +%Y-%m-%dT%H:%MZ)"
echo
echo "| Endpoint | Connections | Requests/s | Rows/s | p50 ms | p90 ms | p99 ms | p99.9 ms | Errors (all runs) |"
echo "| --- | --- | --- | --- | --- | --- | --- | --- | --- |"
wrk_cell "$base" "$duration" "$repeats" "POST /predict, 1,000 rows" POST /predict "$work/predict-1000.json" 1000 "$connections" | tee "$work/predict.row"
for n in 500 5000 20000; do
  wrk_cell "$base" "$duration" "$repeats" "POST /bigquery, $n calls" POST /bigquery "$work/bq-$n.json" "$n" "$connections" | tee -a "$work/bq.rows"
done
echo
predict_rows=$(awk -F'|' '{ print $5 + 0 }' "$work/predict.row")
awk -F'|' -v base="$predict_rows" '{ gsub(/^ +| +$/, "", $2)
  printf "%s: %.2fx the rows/s of /predict with 1,000-row batches\n", $2, ($5 + 0) / base }' "$work/bq.rows"
