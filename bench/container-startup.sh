#!/usr/bin/env bash
# Measures a container's cold start as Cloud Run users feel it: from `podman run` to the first
# POST /predict answered 200, with 1 CPU and 512 MiB (Cloud Run's default instance), a read-only
# root file system, loopback only. Each round starts the image once with its JDK AOT cache and
# once with the cache switched off (-XX:AOTMode=off after the image's JVM options), so the two are
# measured side by side (or, with --variant, with other JVM options: how a lever is tried before
# it is kept, or what one in jvm.options buys); with --peer, each round also starts the seed-style
# peer's container (bench/seed.sh image) under the same limits. Prints every start, the median,
# min and max of each, and the machine's CPU steal and softirq shares over the rounds.
set -euo pipefail

usage() {
  cat <<USAGE
usage: bench/container-startup.sh [--runs N] [--cpus C] [--memory M] [--variant OPTIONS]
                                  [--peer PEER_IMAGE] [IMAGE]
  IMAGE defaults to the one in target/jib-image.tar (./mvnw -Pimage package), which is loaded.
  N rounds (default 10), each starting the image as built and with OPTIONS added after its JVM
  options (default -XX:AOTMode=off: without its AOT cache), and PEER_IMAGE (predictfn-peer,
  built by bench/seed.sh image), taking turns.
USAGE
}

runs=10 cpus=1 memory=512m image="" variant="-XX:AOTMode=off" peer=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --runs) runs="$2"; shift 2 ;;
    --cpus) cpus="$2"; shift 2 ;;
    --memory) memory="$2"; shift 2 ;;
    --peer) peer="$2"; shift 2 ;;
    --variant) variant="$2"; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) image="$1"; shift ;;
  esac
done

source "$(dirname "$0")/common.sh"
bench_init startup "$image"
port=$(shuf -i 20000-60000 -n 1)
body='{"features":[5.1,3.5,1.4,0.2]}'

start_once() { # podman run arguments and image -> prints milliseconds to the first 200
  local start end
  start=$(date +%s%N)
  podman run -d --name "$name" --cpus "$cpus" --memory "$memory" --read-only --read-only-tmpfs=false \
    -p "127.0.0.1:$port:8080" -e PORT=8080 "$@" >/dev/null
  wait_for_200 "http://127.0.0.1:$port/predict" "$body" "container_alive $name" 120 \
    || { podman logs "$name" >&2; exit 1; }
  end=$(date +%s%N)
  podman rm -f -t 10 "$name" >/dev/null
  echo $(( (end - start) / 1000000 ))
}

line() { # label times...
  local label="$1"; shift
  printf '%s\n' "$@" | summary | awk -v label="$label" \
    '{ printf "%-26s median %5d ms, min %5d ms, max %5d ms over %d starts\n", label, $1, $2, $3, $4 }'
}

with=() without=() peers=()
cpu_mark "$work/cpu"
for ((i = 1; i <= runs; i++)); do
  with+=("$(start_once "$image")")
  without+=("$(start_once --entrypoint "$(entrypoint_with "$image" "$variant")" "$image")")
  [[ -z "$peer" ]] || peers+=("$(start_once "$peer")")
  echo "round $i: as built ${with[-1]} ms, with $variant ${without[-1]} ms${peer:+, the peer ${peers[-1]} ms}"
done
echo "image $image, --cpus $cpus --memory $memory"
line "with the AOT cache" "${with[@]}"
if [[ "$variant" == "-XX:AOTMode=off" ]]; then
  line "without (AOTMode=off)" "${without[@]}"
else
  line "with $variant" "${without[@]}"
fi
[[ -z "$peer" ]] || line "the peer's container" "${peers[@]}"
echo "CPU over the rounds: $(cpu_since "$work/cpu")"
