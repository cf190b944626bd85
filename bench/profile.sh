#!/usr/bin/env bash
# Where POST /predict's CPU goes: records a JDK Flight Recorder CPU profile (settings=profile) in
# the container while wrk drives one-row requests at 64 connections, then gives each Java sample
# to the first part of the request's path, in the table's order, that has a frame in its stack
# (so the shares add up to 100%). Time in the kernel (socket reads and writes) is not sampled.
# Prints Markdown; loopback only.
set -euo pipefail

usage() {
  cat <<USAGE
usage: bench/profile.sh [--duration S] [IMAGE]
  IMAGE defaults to target/jib-image.tar's (./mvnw -Pimage package). Records S seconds (default
  20) after a warm-up of 15 s.
USAGE
}

duration=20 image=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --duration) duration="$2"; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) image="$1"; shift ;;
  esac
done
source "$(dirname "$0")/common.sh"
bench_init profile "$image"
port=$(serve_image "$name" "$image" --memory 512m \
  -e JDK_JAVA_OPTIONS="-XX:StartFlightRecording=delay=15s,duration=${duration}s,filename=/tmp/predict.jfr,settings=profile")
printf '{"features":[5.1,3.5,1.4,0.2]}' > "$work/one.json"
WRK_METHOD=POST WRK_BODY_FILE="$work/one.json" WRK_ROWS=1 \
  wrk -t2 -c64 -d"$(( duration + 17 ))s" -s "$here/wrk/request.lua" "http://127.0.0.1:$port/predict" >/dev/null
podman cp "$name:/tmp/predict.jfr" "$work/predict.jfr"
# The image's own runtime has the jfr tool; run it on the recording, without network.
podman run --rm --network none --user 0 -v "$work:/work" --entrypoint /opt/java/bin/jfr "$image" \
  print --events jdk.ExecutionSample --stack-depth 200 /work/predict.jfr > "$work/samples.txt"

echo "JFR execution samples of the JVM's threads during $duration s of POST /predict at 64 connections:"
echo
echo "| Part of the request's path (frames in the stack) | Share of samples |"
echo "| --- | --- |"
printf '%s\t%s\n' \
  "the model (Predictor, Tribuo)" 'dev\.predictfn\.model|org\.tribuo' \
  "decoding and validating the body (PredictRequestDecoder, rows, JSON parser)" 'PredictRequestDecoder|JsonBodies|dev\.predictfn\.rows' \
  "encoding the JSON response (Micronaut Serde)" 'io\.micronaut\.serde' \
  "metrics (Micrometer: request timer and histogram, prediction counter)" 'micrometer' \
  "this service's filters (request log, model version header, trace context)" 'RequestLogFilter|ModelVersionHeaderFilter|TraceContext' \
  "HTTP/1.1 codec (Netty)" 'HttpObjectDecoder|HttpObjectEncoder|HttpServerCodec' \
  "Micronaut: routing, filter chain, response pipeline" 'io\.micronaut' > "$work/parts.tsv"
awk -f "$here/jfr-shares.awk" "$work/parts.tsv" "$work/samples.txt" | awk -F'\t' '
  { count[NR] = $1; label[NR] = $2; if ($2 == "total") total = $1 }
  END {
    for (i = 1; i <= NR; i++) {
      if (label[i] == "total") printf "| (Java samples) | %d |\n", total
      else printf "| %s | %.0f%% |\n", (label[i] == "other" ? "the rest: Netty event loop and buffers, JDK" : label[i]), count[i] * 100 / total
    }
  }'
