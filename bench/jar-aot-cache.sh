#!/usr/bin/env bash
# Records a JDK AOT cache (JDK 25: JEP 483, 514, 515) for the jar of README's run command, the way
# src/main/image/aot-cache.sh does for the image: one training run that serves the same workload
# (src/main/image/training-workload.sh) on loopback, then stops on SIGTERM and writes the cache.
# Afterwards, JAVA25 -XX:AOTCache=CACHE -jar JAR
# starts from it (docs/container-image.md, "The jar's start-up"). The cache is valid only for the
# same JDK build and the same jar; a JVM that cannot use it starts without it (-Xlog:aot says why).
# With --score, the cache is the score mode's, as the image's job tasks start from: recorded by
# src/main/image/score-training.sh scoring a CSV for the jar's model (its card read from a run of
# the jar). JVM options after CACHE are the ones the runs that start from the cache will use: the
# cache is recorded with them, as the image records its caches with its own options.
set -euo pipefail

usage() {
  cat <<USAGE
usage: bench/jar-aot-cache.sh [--java JAVA25] [--score] JAR CACHE [JVM_OPTION...]
  --score  the score mode's cache
  JVM_OPTION...  the options the runs that start from the cache use (recorded with them)
  JAVA25 defaults to \$JAVA25_HOME/bin/java or a Temurin/OpenJDK 25 under /usr/lib/jvm.
USAGE
}

java25="" score=false
while [[ $# -gt 0 ]]; do
  case "$1" in
    --java) java25="$2"; shift 2 ;;
    --score) score=true; shift ;;
    -h|--help) usage; exit 0 ;;
    *) break ;;
  esac
done
[[ $# -ge 2 ]] || { usage >&2; exit 2; }
jar="$1" cache="$2"
shift 2
[[ -f "$jar" ]] || { echo "jar-aot-cache.sh: no such jar: $jar" >&2; exit 2; }
source "$(dirname "$0")/common.sh"
[[ -n "$java25" ]] || java25=$(java25)
[[ -n "$java25" ]] || { echo "jar-aot-cache.sh: no JDK 25 (--java or JAVA25_HOME)" >&2; exit 2; }

log=$(mktemp)
port=$(shuf -i 20000-60000 -n 1)
rm -f "$cache"
recording=(-XX:AOTCacheOutput="$cache")
$score && recording=()  # this run only serves the model's card
PORT="$port" "$java25" "${recording[@]}" "$@" --sun-misc-unsafe-memory-access=allow \
  -jar "$jar" > "$log" 2>&1 &
pid=$!
trap 'kill -9 $pid 2>/dev/null || true; rm -f "$log"' EXIT
base="http://127.0.0.1:$port"
wait_for_200 "$base/health/readiness" "" "kill -0 $pid" 60 \
  || { cat "$log" >&2; echo "jar-aot-cache.sh: the training run did not become ready" >&2; exit 1; }
if $score; then
  card=$(mktemp)
  trap 'kill -9 $pid 2>/dev/null || true; rm -f "$log" "$card"' EXIT
  curl -sf "$base/model" > "$card" || { echo "jar-aot-cache.sh: GET /model failed" >&2; exit 1; }
  kill -TERM $pid
  wait $pid || true  # the JVM exits 143 on SIGTERM
  bash "$(dirname "$0")/../src/main/image/score-training.sh" "$card" "$cache" 200000 \
    "$java25" "$@" --sun-misc-unsafe-memory-access=allow -jar "$jar" >&2
  echo "jar-aot-cache.sh: $cache ($(du -h "$cache" | cut -f1)) for $jar's score mode; start with:"
  echo "  $java25 $* -XX:AOTCache=$cache --sun-misc-unsafe-memory-access=allow -jar $jar score ..."
  exit 0
fi
bash "$(dirname "$0")/../src/main/image/training-workload.sh" "$base" \
  || { cat "$log" >&2; echo "jar-aot-cache.sh: the training workload failed" >&2; exit 1; }
kill -TERM $pid
wait $pid || { cat "$log" >&2; echo "jar-aot-cache.sh: the training run did not exit 0" >&2; exit 1; }
trap 'rm -f "$log"' EXIT
[[ -s "$cache" ]] || { cat "$log" >&2; echo "jar-aot-cache.sh: no cache written" >&2; exit 1; }
echo "jar-aot-cache.sh: $cache ($(du -h "$cache" | cut -f1)) for $jar; start with:"
echo "  $java25 $* -XX:AOTCache=$cache --sun-misc-unsafe-memory-access=allow -jar $jar"
