#!/usr/bin/env bash
# Measures a container's cold start as Cloud Run users feel it: from `podman run` to the first
# POST /predict answered 200, with 1 CPU and 512 MiB (Cloud Run's default instance), a read-only
# root file system, loopback only. Each round starts the image once with its JDK AOT cache and
# once with the cache switched off (-XX:AOTMode=off after the image's JVM options), so the two are
# measured side by side (or, with --variant, with other JVM options: how a lever is tried before
# it is kept, or what one in jvm.options buys); prints every start and the median, min and max.
set -euo pipefail

usage() {
  cat <<USAGE
usage: bench/container-startup.sh [--runs N] [--cpus C] [--memory M] [--variant OPTIONS] [IMAGE]
  IMAGE defaults to the one in target/jib-image.tar (./mvnw -Pimage package), which is loaded.
  N rounds (default 10), each starting the image as built and with OPTIONS added after its JVM
  options (default -XX:AOTMode=off: without its AOT cache), taking turns.
USAGE
}

runs=10 cpus=1 memory=512m image="" variant="-XX:AOTMode=off"
while [[ $# -gt 0 ]]; do
  case "$1" in
    --runs) runs="$2"; shift 2 ;;
    --cpus) cpus="$2"; shift 2 ;;
    --memory) memory="$2"; shift 2 ;;
    --variant) variant="$2"; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) image="$1"; shift ;;
  esac
done

source "$(dirname "$0")/common.sh"
bench_init startup "$image"
port=$(shuf -i 20000-60000 -n 1)
body='{"features":[5.1,3.5,1.4,0.2]}'

start_once() { # extra podman args... -> prints milliseconds to the first 200
  local start end polls=0
  start=$(date +%s%N)
  podman run -d --name "$name" --cpus "$cpus" --memory "$memory" --read-only --read-only-tmpfs=false \
    -p "127.0.0.1:$port:8080" -e PORT=8080 "$@" "$image" >/dev/null
  # Only curl every 10 ms: podman inspect costs a good part of a core on these machines, which
  # would compete with the container it measures, so it runs once a second (and to give up).
  until curl -sf -o /dev/null -X POST -H 'Content-Type: application/json' -d "$body" \
      "http://127.0.0.1:$port/predict"; do
    if (( ++polls % 100 == 0 )); then
      [[ "$(podman inspect -f '{{.State.Running}}' "$name")" == true ]] \
        || { podman logs "$name" >&2; echo "the container exited before serving" >&2; exit 1; }
      (( polls < 12000 )) || { echo "no 200 within 120 s" >&2; exit 1; }
    fi
    sleep 0.01
  done
  end=$(date +%s%N)
  podman rm -f -t 10 "$name" >/dev/null
  echo $(( (end - start) / 1000000 ))
}

summary() { # label times...
  local label="$1"; shift
  printf '%s\n' "$@" | sort -n | awk -v label="$label" '{a[NR]=$1} END {
    m = (NR % 2) ? a[(NR+1)/2] : int((a[NR/2] + a[NR/2+1]) / 2);
    printf "%-26s median %5d ms, min %5d ms, max %5d ms over %d starts\n", label, m, a[1], a[NR], NR }'
}

with=() without=()
for ((i = 1; i <= runs; i++)); do
  with+=("$(start_once)")
  without+=("$(start_once --entrypoint "$(entrypoint_with "$image" "$variant")")")
  echo "round $i: as built ${with[-1]} ms, with $variant ${without[-1]} ms"
done
echo "image $image, --cpus $cpus --memory $memory"
summary "with the AOT cache" "${with[@]}"
if [[ "$variant" == "-XX:AOTMode=off" ]]; then
  summary "without (AOTMode=off)" "${without[@]}"
else
  summary "with $variant" "${without[@]}"
fi
