#!/usr/bin/env bash
# What a million predictions cost on Cloud Run, from requests/s measured here: the image and the
# seed-style peer's container (bench/seed.sh image) each with 1 CPU and 512 MiB, as Cloud Run's
# default instance, taking turns for N rounds; per turn a fresh container, a 10 s warm-up and a
# run of S seconds of one-row POST /predict at C connections (the instance kept busy, as under
# enough traffic). Cloud Run bills every container of a busy instance for its whole allocation,
# so an instance-second costs the vCPUs and GiB of all containers (cloudrun/service.yaml's app,
# and its collector sidecar when there is one), plus the price of the requests
# (bench/cloud-run-prices.env, dated, with its source). Prints a Markdown table and the machine's
# CPU steal and softirq shares over the runs. Loopback only.
set -euo pipefail

usage() {
  cat <<USAGE
usage: bench/cost.sh [--rounds N] [--duration S] [--connections C] [--peer PEER_IMAGE] [IMAGE]
  IMAGE defaults to target/jib-image.tar's; PEER_IMAGE to predictfn-peer. N rounds (default 3),
  S seconds (default 10), C connections (default 64).
USAGE
}

rounds=3 duration=10 connections=64 peer=predictfn-peer image=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --rounds) rounds="$2"; shift 2 ;;
    --duration) duration="$2"; shift 2 ;;
    --connections) connections="$2"; shift 2 ;;
    --peer) peer="$2"; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) image="$1"; shift ;;
  esac
done
source "$(dirname "$0")/common.sh"
source "$here/cloud-run-prices.env"
bench_init cost "$image"
body="$work/one.json"
printf '{"features":[5.1,3.5,1.4,0.2]}' > "$body"

# The service's own sizes, read from the file that deploys it (its containers are the entries
# indented 8 spaces): the app's and the collector's.
limit() { # container field -> value
  awk -v c="$1" -v f="$2" '
    /^        - name: / { name = $3 } name == c && $1 == f ":" { gsub(/"/, "", $2); print $2; exit }' \
    "$here/../cloudrun/service.yaml"
}
gib() { awk -v m="$1" 'BEGIN { if (m ~ /Gi$/) print m + 0; else print (m + 0) / 1024 }'; }
app_cpu=$(limit app cpu) app_gib=$(gib "$(limit app memory)")
collector_cpu=$(limit collector cpu) collector_gib=$(gib "$(limit collector memory)")

rps_of() { # image -> requests/s of one measured run on a fresh container
  local port
  port=$(shuf -i 20000-60000 -n 1)
  podman run -d --name "$name" --cpus 1 --memory 512m --read-only --read-only-tmpfs=false \
    -p "127.0.0.1:$port:8080" -e PORT=8080 "$1" >/dev/null
  wait_for_200 "http://127.0.0.1:$port/predict" "@$body" "container_alive $name" 120 \
    || { podman logs "$name" >&2; exit 1; }
  WRK_METHOD=POST WRK_BODY_FILE="$body" wrk -t2 -c"$connections" -d10s -s "$here/wrk/request.lua" \
    "http://127.0.0.1:$port/predict" >/dev/null
  WRK_METHOD=POST WRK_BODY_FILE="$body" wrk -t2 -c"$connections" -d"${duration}s" \
    -s "$here/wrk/request.lua" "http://127.0.0.1:$port/predict" \
    | sed -n 's/^RESULT.* rps=\([0-9.]*\).*/\1/p'
  podman rm -f -t 5 "$name" >/dev/null
}

ours=() theirs=()
cpu_mark "$work/cpu"
for ((i = 1; i <= rounds; i++)); do
  ours+=("$(rps_of "$image")")
  theirs+=("$(rps_of "$peer")")
  echo "round $i: the image ${ours[-1]} req/s, the peer ${theirs[-1]} req/s" >&2
done
cpu=$(cpu_since "$work/cpu")
mine=$(printf '%s\n' "${ours[@]}" | median)
peers=$(printf '%s\n' "${theirs[@]}" | median)

row() { # label rps vcpu gib
  awk -v label="$1" -v rps="$2" -v cpu="$3" -v gib="$4" -v pc="$PRICE_VCPU_SECOND" \
    -v pm="$PRICE_GIB_SECOND" -v pr="$PRICE_MILLION_REQUESTS" 'BEGIN {
      seconds = 1e6 / rps; compute = seconds * (cpu * pc + gib * pm)
      printf "| %s | %.0f | %.0f | %g vCPU, %g GiB | $%.4f | $%.4f |\n", label, rps, seconds, cpu, gib, compute, compute + pr }'
}
echo "Cloud Run prices of $PRICES_READ_ON (bench/cloud-run-prices.env): \$$PRICE_VCPU_SECOND per vCPU-second,"
echo "\$$PRICE_GIB_SECOND per GiB-second, \$$PRICE_MILLION_REQUESTS per million requests; one-row POST /predict at"
echo "$connections connections, each container at 1 CPU and 512 MiB, median of $rounds turns of ${duration} s."
echo
echo "| Serving a million one-row predictions | Requests/s at 1 vCPU | Busy instance-seconds | Billed per instance | Compute | With the requests' price |"
echo "| --- | --- | --- | --- | --- | --- |"
row "This image, without a collector" "$mine" "$app_cpu" "$app_gib"
row "This image with the collector sidecar as \`cloudrun/service.yaml\` sizes it" "$mine" \
  "$(awk -v a="$app_cpu" -v c="$collector_cpu" 'BEGIN { print a + c }')" \
  "$(awk -v a="$app_gib" -v c="$collector_gib" 'BEGIN { print a + c }')"
row "The peer's container (gunicorn, 2 uvicorn workers)" "$peers" 1 0.5
echo
echo "CPU while measuring: $cpu"
