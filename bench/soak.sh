#!/usr/bin/env bash
# Soak test of the container image as Cloud Run runs it (1 CPU, 512 MiB, read-only root file
# system): CONNECTIONS concurrent connections (Cloud Run's default concurrency is 80) for DURATION
# seconds with a mix of valid, batch and malformed requests (wrk/soak.lua), loopback only.
# Passes when no request got a 5xx, no connection failed, and the JVM's resident memory grew by
# less than 10% between the end of the warm-up (the first fifth) and the end. Prints the figures.
set -euo pipefail

usage() {
  cat <<USAGE
usage: bench/soak.sh [--duration S] [--connections N] [IMAGE]
  S seconds in all (default 600), N connections (default 80). IMAGE defaults to
  target/jib-image.tar's (./mvnw -Pimage package).
USAGE
}

duration=600 connections=80 image=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --duration) duration="$2"; shift 2 ;;
    --connections) connections="$2"; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) image="$1"; shift ;;
  esac
done
source "$(dirname "$0")/common.sh"
bench_init soak "$image"

port=$(serve_image "$name" "$image" --cpus 1 --memory 512m)
pid=$(podman inspect -f '{{.State.Pid}}' "$name")
rss_kib() { awk '/^VmRSS:/ {print $2}' "/proc/$pid/status"; }

warmup=$(( duration / 5 ))
measured=$(( duration - warmup ))
echo "soak: $connections connections, ${warmup} s warm-up then ${measured} s, image $image, --cpus 1 --memory 512m"
wrk -t2 -c"$connections" -d"${warmup}s" -s "$here/wrk/soak.lua" "http://127.0.0.1:$port" > "$work/warmup.txt"
rss_after_warmup=$(rss_kib)
wrk -t2 -c"$connections" -d"${measured}s" -s "$here/wrk/soak.lua" "http://127.0.0.1:$port" > "$work/soak.txt"
rss_at_end=$(rss_kib)
line=$(grep '^SOAK' "$work/soak.txt")
echo "warm-up:  $(grep '^SOAK' "$work/warmup.txt")"
echo "measured: $line"

value() { echo "$line" | tr ' ' '\n' | sed -n "s/^$1=//p"; }
growth=$(awk -v a="$rss_after_warmup" -v b="$rss_at_end" 'BEGIN { printf "%.1f", (b - a) * 100 / a }')
echo "JVM resident memory: $(( rss_after_warmup / 1024 )) MiB after the warm-up, $(( rss_at_end / 1024 )) MiB at the end (${growth}%)"
failed=0
[[ "$(value s5xx)" -eq 0 ]] || { echo "FAIL: $(value s5xx) answers were 5xx"; failed=1; }
[[ "$(value socket_errors)" -eq 0 ]] || { echo "FAIL: $(value socket_errors) connection errors"; failed=1; }
[[ "$(value other)" -eq 0 ]] || { echo "FAIL: $(value other) answers were neither 2xx, 4xx nor 5xx"; failed=1; }
awk -v g="$growth" 'BEGIN { exit !(g < 10) }' || { echo "FAIL: resident memory grew ${growth}%"; failed=1; }
grep -q '"severity":"ERROR"' <(podman logs "$name" 2>&1) && { echo "FAIL: ERROR lines in the log:"; podman logs "$name" 2>&1 | grep '"severity":"ERROR"' | head -3; failed=1; }
[[ $failed -eq 0 ]] && echo "soak passed"
exit $failed
