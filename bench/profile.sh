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
awk '
  function part(label, re) { parts++; name[parts] = label; pattern[parts] = re }
  function flush(   i) {
    if (!n) return
    total++
    for (i = 1; i <= parts; i++) if (stack ~ pattern[i]) { hits[i]++; return }
    other++
  }
  BEGIN {
    part("the model (Predictor, Tribuo)", "dev\\.predictfn\\.model|org\\.tribuo")
    part("decoding and validating the body (PredictRequestDecoder, rows, JSON parser)", "PredictRequestDecoder|JsonBodies|dev\\.predictfn\\.rows")
    part("encoding the JSON response (Micronaut Serde)", "io\\.micronaut\\.serde")
    part("metrics (Micrometer: request timer and histogram, prediction counter)", "micrometer")
    part("this service'"'"'s filters (request log, model version header, trace context)", "RequestLogFilter|ModelVersionHeaderFilter|TraceContext")
    part("HTTP/1.1 codec (Netty)", "HttpObjectDecoder|HttpObjectEncoder|HttpServerCodec")
    part("Micronaut: routing, filter chain, response pipeline", "io\\.micronaut")
  }
  /^jdk\.ExecutionSample/ { flush(); n = 1; stack = ""; next }
  /line:|\(/ { stack = stack " " $1 }
  END {
    flush()
    for (i = 1; i <= parts; i++) printf "| %s | %.0f%% |\n", name[i], hits[i] * 100 / total
    printf "| the rest: Netty event loop and buffers, JDK | %.0f%% |\n", other * 100 / total
    printf "| (Java samples) | %d |\n", total
  }' "$work/samples.txt"
