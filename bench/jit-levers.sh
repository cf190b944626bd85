#!/usr/bin/env bash
# Compiler settings as levers on start-up and warm-up, each tried on the shipped image the way
# Cloud Run runs it (1 CPU, 512 MiB) by adding JVM options after the image's own: its cold start
# against the image as built, taking turns (bench/container-startup.sh --variant), and its warm-up
# curve's first 5 s and steady state (bench/warmup.sh --java-options). Prints a Markdown table.
set -euo pipefail

usage() {
  cat <<USAGE
usage: bench/jit-levers.sh [--runs N] [--seconds S] [IMAGE]
  N start rounds per setting (default 5), S seconds of warm-up curve (default 30).
USAGE
}

runs=5 seconds=30 image=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --runs) runs="$2"; shift 2 ;;
    --seconds) seconds="$2"; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) image="$1"; shift ;;
  esac
done
source "$(dirname "$0")/common.sh"
bench_init levers "$image"

levers=(
  "-XX:CompileThresholdScaling=1"
  "-XX:CompileThresholdScaling=5"
  "-XX:TieredStopAtLevel=1"
  "-XX:+UnlockDiagnosticVMOptions -XX:-AOTReplayTraining"
  "-XX:CICompilerCount=4"
)
warm() { # options -> "first-5-s steady" requests/s
  bash "$here/warmup.sh" --seconds "$seconds" --java-options "$1" --image "$image" 2>/dev/null \
    | sed -n 's/^first 5 s: \([0-9]*\) requests\/s; last 5 s (steady): \([0-9]*\) requests\/s.*/\1 \2/p'
}
median_of() { # label file -> median ms
  grep "^$1" "$2" | sed -E 's/.*median +([0-9]+) ms.*/\1/'
}

read -r built_first built_steady <<<"$(warm "")"
echo "| JVM options added after the image's | Cold start, 1 CPU (median) | The image as built, same rounds | First 5 s, requests/s | Steady (last 5 s), requests/s |"
echo "| --- | --- | --- | --- | --- |"
echo "| none (the image as built) | | | $built_first | $built_steady |"
for lever in "${levers[@]}"; do
  bash "$here/container-startup.sh" --runs "$runs" --variant "$lever" "$image" > "$work/starts.txt" 2>/dev/null
  read -r first steady <<<"$(warm "$lever")"
  echo "| \`$lever\` | $(median_of "with $lever" "$work/starts.txt") ms | $(median_of "with the AOT cache" "$work/starts.txt") ms | $first | $steady |"
done
