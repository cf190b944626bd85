#!/usr/bin/env bash
# Where a cold start of the image goes: starts it N times as Cloud Run would (1 CPU, 512 MiB,
# read-only root) with -Xlog:startuptime, and splits podman-run-to-first-200 into phases from the
# JVM's and the application's own log lines. Prints a Markdown table of each phase's median.
set -euo pipefail

usage() {
  cat <<USAGE
usage: bench/startup-phases.sh [--runs N] [--cpus C] [IMAGE]
  IMAGE defaults to target/jib-image.tar's (./mvnw -Pimage package). N starts (default 5).
USAGE
}

runs=5 cpus=1 image=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --runs) runs="$2"; shift 2 ;;
    --cpus) cpus="$2"; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) image="$1"; shift ;;
  esac
done
source "$(dirname "$0")/common.sh"
bench_init phases "$image"
port=$(shuf -i 20000-60000 -n 1)
body='{"features":[5.1,3.5,1.4,0.2]}'
ms_of() { date -d "$1" +%s%3N; } # ISO-8601 time -> epoch milliseconds

: > "$work/phases.txt"
for ((i = 1; i <= runs; i++)); do
  start=$(date +%s%3N)
  podman run -d --name "$name" --cpus "$cpus" --memory 512m --read-only --read-only-tmpfs=false \
    -p "127.0.0.1:$port:8080" -e PORT=8080 \
    -e JDK_JAVA_OPTIONS="-Xlog:startuptime:stdout:time,uptime" "$image" >/dev/null
  wait_for_200 "http://127.0.0.1:$port/predict" "$body" "container_alive $name" 120 \
    || { podman logs "$name" >&2; exit 1; }
  end=$(date +%s%3N)
  podman logs "$name" > "$work/log.txt" 2>&1
  podman rm -f -t 10 "$name" >/dev/null
  # [2026-11-22T08:00:00.123+0000][0.096s] Create VM, 0.0879540 secs
  vm_line=$(grep -m1 '\] Create VM, ' "$work/log.txt")
  vm_wall=$(ms_of "$(echo "$vm_line" | sed -E 's/^\[([^]]+)\].*/\1/; s/\+0000$/Z/')")
  vm_uptime=$(echo "$vm_line" | sed -E 's/^\[[^]]+\]\[([0-9.]+)s\].*/\1/')
  jvm_start=$(awk -v w="$vm_wall" -v u="$vm_uptime" 'BEGIN { printf "%.0f", w - u * 1000 }')
  ready=$(ms_of "$(grep -m1 '"message":"Startup completed' "$work/log.txt" | sed -E 's/.*"time":"([^"]+)".*/\1/')")
  model_ms=$(grep -m1 '"message":"Model ' "$work/log.txt" | sed -E 's/.* in ([0-9]+) ms.*/\1/')
  echo "$(( jvm_start - start )) $(( vm_wall - jvm_start )) $(( ready - vm_wall )) $model_ms $(( end - ready )) $(( end - start ))" >> "$work/phases.txt"
  echo "start $i: $(tail -1 "$work/phases.txt")" >&2
done

col() { awk -v c="$1" '{print $c}' "$work/phases.txt" | median | xargs printf '%.0f'; }
echo "Median of $runs starts, --cpus $cpus --memory 512m, with the image's AOT cache:"
echo
echo "| Phase | Median ms |"
echo "| --- | --- |"
echo "| podman run to the JVM's first instant (container runtime) | $(col 1) |"
echo "| JVM creation (\`Create VM\` of \`-Xlog:startuptime\`) | $(col 2) |"
echo "| JVM created to \"Startup completed\" (Micronaut context, model, server) | $(col 3) |"
echo "| of which reading and verifying the model bundle | $(col 4) |"
echo "| \"Startup completed\" to the first 200 on /predict (first request) | $(col 5) |"
echo "| Total, podman run to the first 200 | $(col 6) |"
