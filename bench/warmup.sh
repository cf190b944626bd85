#!/usr/bin/env bash
# Warm-up of a new instance: how fast it serves in its first seconds, against its own steady state.
# Starts the image (1 CPU, 512 MiB, read-only, as cloudrun/service.yaml runs it), the jar, or any
# command; at its first 200 on POST /predict starts S back-to-back 1-second wrk runs of one-row
# requests at C connections (loopback), and prints requests/s per second, the mean of the first
# 5 s, the mean of the last 5 s (its steady state) and their ratio.
set -euo pipefail

usage() {
  cat <<USAGE
usage: bench/warmup.sh [--seconds S] [--connections C] [--cpus N] [--java-options O] --image [IMAGE]
       bench/warmup.sh [--seconds S] [--connections C] --jar JAR [JVM_OPTION...]
       bench/warmup.sh [--seconds S] [--connections C] --command PORT COMMAND...
  S seconds of 1-s buckets (default 30), C connections (default 16). --image: IMAGE defaults to
  target/jib-image.tar's, --cpus to 1; O are JVM options added after the image's own
  (a lever tried before it goes into jvm.options). --command: COMMAND serves on 127.0.0.1:PORT itself.
  Exit codes: 0 measured, 1 the target did not serve, 2 bad arguments.
USAGE
}

seconds=30 connections=16 cpus=1 mode="" image="" java_options=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --seconds) seconds="$2"; shift 2 ;;
    --connections) connections="$2"; shift 2 ;;
    --cpus) cpus="$2"; shift 2 ;;
    --java-options) java_options="$2"; shift 2 ;;
    --image) mode=image; shift; [[ $# -gt 0 && "$1" != -* ]] && { image="$1"; shift; }; break ;;
    --jar) mode=jar; shift; break ;;
    --command) mode="command"; shift; break ;;
    -h|--help) usage; exit 0 ;;
    *) usage >&2; exit 2 ;;
  esac
done
[[ -n "$mode" ]] || { usage >&2; exit 2; }
(( seconds >= 10 )) || { echo "warmup.sh: --seconds must be at least 10" >&2; exit 2; }

origin=$PWD # bench_init changes to a scratch directory; the target starts from here
source "$(dirname "$0")/common.sh"
if [[ "$mode" == image ]]; then
  bench_init warmup "$image"
else
  bench_init warmup not-an-image # only the scratch directory and the container name
fi
body="$work/one.json"
printf '{"features":[5.1,3.5,1.4,0.2]}' > "$body"
pid=""
trap 'podman rm -f -t 0 "$name" >/dev/null 2>&1 || true; [[ -n "$pid" ]] && kill "$pid" 2>/dev/null; rm -rf "$work"' EXIT

start=$(date +%s%N)
case "$mode" in
  image)
    port=$(shuf -i 20000-60000 -n 1)
    podman run -d --name "$name" --cpus "$cpus" --memory 512m --read-only --read-only-tmpfs=false \
      -p "127.0.0.1:$port:8080" -e PORT=8080 \
      ${java_options:+--entrypoint "$(entrypoint_with "$image" "$java_options")"} "$image" >/dev/null
    alive="container_alive $name"
    what="image $image, --cpus $cpus --memory 512m${java_options:+, $java_options}" ;;
  jar)
    port=$(shuf -i 20000-60000 -n 1)
    jar="$1"; shift
    (cd "$origin" && PORT="$port" exec java "$@" -jar "$jar") >/dev/null 2>&1 &
    pid=$!
    alive="kill -0 $pid"
    what="jar $jar${*:+ $*}" ;;
  command)
    port="$1"; shift
    (cd "$origin" && exec "$@") >/dev/null 2>&1 &
    pid=$!
    alive="kill -0 $pid"
    what="$*" ;;
esac
wait_for_200 "http://127.0.0.1:$port/predict" "@$body" "$alive" 120 || exit 1
first=$(( ($(date +%s%N) - start) / 1000000 ))

threads=2
(( connections < 2 )) && threads=1
rates=()
for ((s = 1; s <= seconds; s++)); do
  rate=$(WRK_METHOD=POST WRK_BODY_FILE="$body" wrk -t"$threads" -c"$connections" -d1s \
      -s "$here/wrk/request.lua" "http://127.0.0.1:$port/predict" \
    | sed -n 's/^RESULT .* rps=\([0-9]*\) .*/\1/p')
  rates+=("${rate:-0}")
done
echo "$what: first 200 after $first ms; then requests/s in 1-s buckets at $connections connections:"
echo "${rates[*]}"
printf '%s\n' "${rates[@]}" | awk -v n="$seconds" '
  { r[NR] = $1 }
  END {
    for (i = 1; i <= 5; i++) first += r[i]
    for (i = n - 4; i <= n; i++) last += r[i]
    printf "first 5 s: %.0f requests/s; last 5 s (steady): %.0f requests/s; ratio %.0f%%\n",
      first / 5, last / 5, (last > 0 ? 100 * first / last : 0)
  }'
