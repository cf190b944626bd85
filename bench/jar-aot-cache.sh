#!/usr/bin/env bash
# Records a JDK AOT cache (JDK 25: JEP 483, 514, 515) for the jar of README's run command, the way
# src/main/image/aot-cache.sh does for the image: one training run that serves the same workload
# (src/main/image/training-workload.sh) on loopback, then stops on SIGTERM and writes the cache.
# Afterwards, JAVA25 -XX:AOTCache=CACHE -jar JAR
# starts from it (docs/container-image.md, "The jar's start-up"). The cache is valid only for the
# same JDK build and the same jar; a JVM that cannot use it starts without it (-Xlog:aot says why).
# JVM options after CACHE are those of the runs that will start from the cache: it is recorded
# with them, as the image records its cache with its own options (src/main/image/jvm.options).
set -euo pipefail

usage() {
  cat <<USAGE
usage: bench/jar-aot-cache.sh [--java JAVA25] JAR CACHE [JVM_OPTION...]
  JVM_OPTION...  the options of the runs that start from the cache (recorded with them)
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
PORT="$port" "$java25" "$@" -XX:AOTCacheOutput="$cache" --sun-misc-unsafe-memory-access=allow \
  -jar "$jar" > "$log" 2>&1 &
pid=$!
trap 'kill -9 $pid 2>/dev/null || true; rm -f "$log"' EXIT
base="http://127.0.0.1:$port"
wait_for_200 "$base/health/readiness" "" "kill -0 $pid" 60 \
  || { cat "$log" >&2; echo "jar-aot-cache.sh: the training run did not become ready" >&2; exit 1; }
bash "$(dirname "$0")/../src/main/image/training-workload.sh" "$base" \
  || { cat "$log" >&2; echo "jar-aot-cache.sh: the training workload failed" >&2; exit 1; }
kill -TERM $pid
wait $pid || { cat "$log" >&2; echo "jar-aot-cache.sh: the training run did not exit 0" >&2; exit 1; }
trap 'rm -f "$log"' EXIT
[[ -s "$cache" ]] || { cat "$log" >&2; echo "jar-aot-cache.sh: no cache written" >&2; exit 1; }
echo "jar-aot-cache.sh: $cache ($(du -h "$cache" | cut -f1)) for $jar; start with:"
echo "  $java25 $* -XX:AOTCache=$cache --sun-misc-unsafe-memory-access=allow -jar $jar"
