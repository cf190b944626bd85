#!/usr/bin/env bash
# The workload a JDK AOT cache is recorded with (src/main/image/aot-cache.sh for the image,
# bench/jar-aot-cache.sh for the jar): what a serving instance does, sent to the service at BASE,
# 300 times over. Exits 1, saying what differed, when an answer's status is not the expected one.
# Needs curl and jq.
set -euo pipefail
[ $# -eq 1 ] || { echo "usage: training-workload.sh BASE (e.g. http://127.0.0.1:8080)" >&2; exit 2; }
base="$1"
json=(-H 'Content-Type: application/json')
# Requests for whichever model the image bundles, from its card: typical rows (each numeric
# feature's training mean, minimum or maximum; each categorical feature's first or last
# category), an invalid row (null first value), and the Open Inference Protocol's tensor when
# every feature is numeric (it answers 400 for categorical features).
card=$(curl -sf "$base/model") || { echo "training-workload.sh: GET $base/model failed" >&2; exit 1; }
model=$(jq -r '.model_name' <<<"$card")
row() {  # $1: mean, min or max
  jq -c --arg stat "$1" '[.schema[] | if .kind == "numeric" then .numeric[$stat]
    else (.categorical.frequencies | keys_unsorted | if $stat == "max" then last else first end) end]' <<<"$card"
}
named() {  # the same row as an object of feature name to value
  jq -c --argjson row "$1" '[.features, $row] | transpose | map({(.[0]): .[1]}) | add' <<<"$card"
}
mean=$(row mean) low=$(row min) high=$(row max)
mean_named=$(named "$mean") high_named=$(named "$high")
invalid=$(jq -c '.[0] = null' <<<"$mean")
bigquery=$(jq -c --argjson a "$mean" --argjson b "$low" --argjson c "$high" \
  '{requestId: "training", caller: "training", sessionUser: "training", calls: [$a, $b, $c]}' <<<'{}')
if jq -e 'all(.schema[]; .kind == "numeric")' <<<"$card" >/dev/null; then
  infer_status=200
  infer=$(jq -c --argjson a "$low" --argjson b "$high" \
    '{id: "1", inputs: [{name: "input", shape: [2, ($a | length)], datatype: "FP64", data: ($a + $b)}]}' <<<'{}')
else
  infer_status=400
  infer='{"id":"1","inputs":[{"name":"input","shape":[1,1],"datatype":"FP64","data":[0]}]}'
fi
# What a serving instance does, in one keep-alive connection: probes, single and batch
# predictions (positional and named), explanations, the Open Inference Protocol, a BigQuery
# remote-function batch, metadata, metrics, and the common mistakes. curl prints the status of
# each request. (A heavier workload, 30,000 requests 16 in flight after this one, made the image
# start later and warm up no sooner in bench/warmup.sh taking turns: not kept.)
workload() {
  curl -s -o /dev/null -w '%{http_code} ' \
    "$base/health/readiness" --next -s -o /dev/null -w '%{http_code} ' "$base/health/liveness" \
    --next -s -o /dev/null -w '%{http_code} ' "${json[@]}" "$base/predict" -d "{\"features\":$mean}" \
    --next -s -o /dev/null -w '%{http_code} ' "${json[@]}" "$base/predict" \
      -d "{\"features\":$high_named}" \
    --next -s -o /dev/null -w '%{http_code} ' "${json[@]}" "$base/predict" \
      -d "{\"instances\":[$low,$mean_named]}" \
    --next -s -o /dev/null -w '%{http_code} ' "${json[@]}" "$base/predict?explain=true" -d "{\"features\":$high}" \
    --next -s -o /dev/null -w '%{http_code} ' "${json[@]}" "$base/predict" -d "{\"features\":$invalid}" \
    --next -s -o /dev/null -w '%{http_code} ' "${json[@]}" "$base/predict" -d '{"features":[]}' \
    --next -s -o /dev/null -w '%{http_code} ' "${json[@]}" "$base/predict" -d 'not json' \
    --next -s -o /dev/null -w '%{http_code} ' "${json[@]}" "$base/v2/models/$model/infer" -d "$infer" \
    --next -s -o /dev/null -w '%{http_code} ' "${json[@]}" "$base/bigquery" -d "$bigquery" \
    --next -s -o /dev/null -w '%{http_code} ' "$base/v2/models/$model" \
    --next -s -o /dev/null -w '%{http_code} ' "$base/v2/health/ready" \
    --next -s -o /dev/null -w '%{http_code} ' "$base/model" \
    --next -s -o /dev/null -w '%{http_code} ' "$base/metrics" \
    --next -s -o /dev/null -w '%{http_code} ' "$base/nowhere"
}
statuses=""
for _ in $(seq 1 300); do statuses=$(workload); done
expected="200 200 200 200 200 200 400 400 400 $infer_status 200 200 200 200 200 404 "
[ "$statuses" = "$expected" ] \
  || { echo "training-workload.sh: got '$statuses', expected '$expected'" >&2; exit 1; }
