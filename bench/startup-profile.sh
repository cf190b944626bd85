#!/usr/bin/env bash
# The start-up profile of the image: which library every class loaded before the first 200 comes
# from, and which library the CPU of a cold start goes to. Starts the image as Cloud Run does
# (1 CPU, 512 MiB) once with -Xlog:class+load, then N times with a JFR recording (1 ms execution
# samples, every compilation), each cut at that start's first 200 on POST /predict;
# bench/startup/StartupProfile.java turns them into two Markdown tables. JFR adds the jdk.jfr
# module, and the JVM then refuses the image's AOT cache (it was recorded without it): the CPU
# table describes a start without the cache, where every library's classes are loaded and linked
# from its jar (as the jar path does), and the shares are what to read, not the milliseconds.
# Needs a JDK 25 for the reader (JFR files of the image's JVM): $JAVA25_HOME, or the usual places.
set -euo pipefail

usage() {
  cat <<USAGE
usage: bench/startup-profile.sh [--runs N] [IMAGE]
  IMAGE defaults to target/jib-image.tar's (./mvnw -Pimage package). N recorded starts (default 5).
USAGE
}

runs=5 image=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --runs) runs="$2"; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) image="$1"; shift ;;
  esac
done
reader="$(cd "$(dirname "$0")" && pwd)/startup/StartupProfile.java"
source "$(dirname "$0")/common.sh"
java25=$(java25)
[[ -n "$java25" ]] || { echo "startup-profile.sh: no JDK 25 (set JAVA25_HOME)" >&2; exit 2; }
bench_init profile "$image"
port=$(shuf -i 20000-60000 -n 1)
body='{"features":[5.1,3.5,1.4,0.2]}'
mkdir -p "$work/jfr"
chmod 777 "$work/jfr" # the image's user writes the recordings

start_once() { # JDK_JAVA_OPTIONS -> prints the epoch milliseconds of the first 200
  podman run -d --name "$name" --cpus 1 --memory 512m --read-only --read-only-tmpfs=false \
    -v "$work/jfr:/jfr" -p "127.0.0.1:$port:8080" -e PORT=8080 -e "JDK_JAVA_OPTIONS=$1" \
    "$image" >/dev/null
  wait_for_200 "http://127.0.0.1:$port/predict" "$body" "container_alive $name" 60 \
    || { podman logs "$name" >&2; exit 1; }
  date +%s%3N
}

start_once "-Xlog:class+load:stdout:uptime" >/dev/null
podman logs "$name" > "$work/classes.log" 2>&1
podman rm -f -t 10 "$name" >/dev/null

recordings=()
for ((i = 1; i <= runs; i++)); do
  first=$(start_once "-XX:FlightRecorderOptions:repository=/jfr -XX:StartFlightRecording:filename=/jfr/start-$i.jfr,settings=profile,jdk.ExecutionSample#period=1ms,jdk.Compilation#threshold=0ms")
  podman stop -t 10 "$name" >/dev/null # JFR writes the recording on exit
  podman rm -f "$name" >/dev/null
  recordings+=("$first:$work/jfr/start-$i.jfr")
  echo "recorded start $i" >&2
done

echo "Classes loaded by one start of the image (with its AOT cache, --cpus 1 --memory 512m) up to"
echo "its first 200 (\`-Xlog:class+load\`):"
echo
"$java25" "$reader" classes "$work/classes.log"
echo
echo "CPU of $runs starts, --cpus 1 --memory 512m, JFR samples up to each first 200 (JFR switches the"
echo "AOT cache off, so these are starts without it):"
echo
"$java25" "$reader" samples "${recordings[@]}"
