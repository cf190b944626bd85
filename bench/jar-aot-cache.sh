#!/usr/bin/env bash
# Records a JDK AOT cache (JDK 25: JEP 483, 514, 515) for the jar of README's run command, the way
# src/main/image/aot-cache.sh does for the image: one training run that serves a few hundred
# requests of every kind on loopback, then stops on SIGTERM and writes the cache. Afterwards
#   JAVA25 -XX:AOTCache=CACHE -jar JAR
# starts from it (docs/container-image.md, "The jar's start-up"). The cache is valid only for the
# same JDK build and the same jar; a JVM that cannot use it starts without it (-Xlog:aot says why).
set -euo pipefail

usage() {
  cat <<USAGE
usage: bench/jar-aot-cache.sh [--java JAVA25] JAR CACHE
  JAVA25 defaults to \$JAVA25_HOME/bin/java or a Temurin/OpenJDK 25 under /usr/lib/jvm.
USAGE
}

java25=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --java) java25="$2"; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) break ;;
  esac
done
[[ $# -eq 2 ]] || { usage >&2; exit 2; }
jar="$1" cache="$2"
[[ -f "$jar" ]] || { echo "jar-aot-cache.sh: no such jar: $jar" >&2; exit 2; }
source "$(dirname "$0")/common.sh"
[[ -n "$java25" ]] || java25=$(java25)
[[ -n "$java25" ]] || { echo "jar-aot-cache.sh: no JDK 25 (--java or JAVA25_HOME)" >&2; exit 2; }

log=$(mktemp)
port=$(shuf -i 20000-60000 -n 1)
rm -f "$cache"
PORT="$port" "$java25" -XX:AOTCacheOutput="$cache" --sun-misc-unsafe-memory-access=allow \
  -jar "$jar" > "$log" 2>&1 &
pid=$!
trap 'kill -9 $pid 2>/dev/null || true; rm -f "$log"' EXIT
base="http://127.0.0.1:$port"
for _ in $(seq 1 600); do
  curl -sf -o /dev/null "$base/health/readiness" && break
  kill -0 $pid 2>/dev/null || { cat "$log" >&2; echo "jar-aot-cache.sh: the training run exited" >&2; exit 1; }
  sleep 0.1
done
json=(-H 'Content-Type: application/json')
for _ in $(seq 1 100); do
  curl -sf -o /dev/null "${json[@]}" "$base/predict" -d '{"features":[5.1,3.5,1.4,0.2]}' \
    --next -sf -o /dev/null "${json[@]}" "$base/predict" \
      -d '{"instances":[[6.7,3.0,5.2,2.3],{"sepal_length":5.9,"sepal_width":3.0,"petal_length":4.2,"petal_width":1.5}]}' \
    --next -sf -o /dev/null "${json[@]}" "$base/predict?explain=true" -d '{"features":[6.3,2.9,5.6,1.8]}' \
    --next -sf -o /dev/null "${json[@]}" "$base/v2/models/iris-sgd/infer" \
      -d '{"inputs":[{"name":"input","shape":[1,4],"datatype":"FP64","data":[5.1,3.5,1.4,0.2]}]}' \
    --next -sf -o /dev/null "${json[@]}" "$base/bigquery" \
      -d '{"requestId":"r","caller":"c","sessionUser":"u","calls":[[5.1,3.5,1.4,0.2],[6.7,3.0,5.2,2.3]]}' \
    --next -sf -o /dev/null "$base/health/liveness" --next -sf -o /dev/null "$base/model" \
    --next -sf -o /dev/null "$base/metrics" \
    || { cat "$log" >&2; echo "jar-aot-cache.sh: a training request failed" >&2; exit 1; }
done
kill -TERM $pid
wait $pid || { cat "$log" >&2; echo "jar-aot-cache.sh: the training run did not exit 0" >&2; exit 1; }
trap 'rm -f "$log"' EXIT
[[ -s "$cache" ]] || { cat "$log" >&2; echo "jar-aot-cache.sh: no cache written" >&2; exit 1; }
echo "jar-aot-cache.sh: $cache ($(du -h "$cache" | cut -f1)) for $jar; start with:"
echo "  $java25 -XX:AOTCache=$cache --sun-misc-unsafe-memory-access=allow -jar $jar"
