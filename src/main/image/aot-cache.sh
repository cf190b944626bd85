#!/usr/bin/env bash
# Writes the image's launch files and records the JDK's AOT cache (JEP 483, 514, 515) for it:
#   OUT/launch/jvm.classpath  the class path, in a fixed order: /app/classpath/<the application
#                             jar>, then /app/libs/<each dependency> in Maven's order
#   OUT/launch/jvm.options    the image's JVM options, plus -XX:AOTCache=/app/aot/app.aot
#   OUT/launch/score.args     a batch job task's whole launch (cloudrun/score-job.sh's command:
#                             java @/app/score.args score ...): the same options, the cache's
#                             method profiles not replayed, the class path and the main class
#   OUT/aot/app.aot           the cache
# The cache is recorded with the very JVM the image runs (the base's jlink runtime) and the very
# jars at the image's layout, with the file times Jib gives them (1970-01-01T00:00:01Z): the JVM
# accepts a cache only for the same JVM build, class path and jar sizes and times. A training
# run serves a representative workload over loopback (training-workload.sh); on SIGTERM the JVM
# writes the cache (classes loaded and linked, method profiles).
#
# A job task maps the same cache, for its classes, but does not replay its profiles
# (-XX:-AOTReplayTraining, a diagnostic flag): they are the serving workload's, and replayed they
# make a task compile serving code at start and compile its score loop worse (docs/container-image.md).
set -euo pipefail

usage() {
  cat <<'EOF'
Usage: aot-cache.sh --java FILE --jar FILE --dependencies FILE --options FILE --main CLASS
                    --record true|false --out DIR

  --java FILE          the image's java (the base's unpacked runtime, .../opt/java/bin/java)
  --jar FILE           the application's thin jar
  --dependencies FILE  the runtime class path of the dependencies (host paths, ':'-separated)
  --options FILE       the image's JVM options file (jvm.options)
  --main CLASS         the main class
  --record true|false  false: only the launch files, no cache (and no -XX:AOTCache option)
  --out DIR            writes DIR/launch/ and DIR/aot/
EOF
}

java="" jar="" dependencies="" options="" main="" out="" record=true
while [ $# -gt 0 ]; do
  case "$1" in
    --java) java="$2"; shift 2 ;;
    --jar) jar="$2"; shift 2 ;;
    --dependencies) dependencies="$2"; shift 2 ;;
    --options) options="$2"; shift 2 ;;
    --main) main="$2"; shift 2 ;;
    --out) out="$2"; shift 2 ;;
    --record) record="$2"; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) echo "aot-cache.sh: unknown argument $1" >&2; usage >&2; exit 1 ;;
  esac
done
[ -n "$java" ] && [ -n "$jar" ] && [ -n "$dependencies" ] && [ -n "$options" ] && [ -n "$main" ] && [ -n "$out" ] \
  || { usage >&2; exit 1; }

jib_file_time="1970-01-01T00:00:01Z"
stage="$out/stage" launch="$out/launch" aot="$out/aot"
rm -rf "$stage" "$launch" "$aot"
mkdir -p "$stage/app/classpath" "$stage/app/libs" "$launch" "$aot"

# The image's class path: the application jar first, then the dependencies in Maven's order.
cp "$jar" "$stage/app/classpath/"
image_classpath="/app/classpath/$(basename "$jar")"
IFS=":" read -r -a dependency_jars < "$dependencies" || true  # no final newline
for dependency in "${dependency_jars[@]}"; do
  name=$(basename "$dependency")
  [ -e "$stage/app/libs/$name" ] && { echo "aot-cache.sh: two dependencies named $name" >&2; exit 1; }
  cp "$dependency" "$stage/app/libs/$name"
  image_classpath="$image_classpath:/app/libs/$name"
done
touch -d "$jib_file_time" "$stage"/app/classpath/* "$stage"/app/libs/*
printf '%s\n' "$image_classpath" > "$launch/jvm.classpath"
cp "$options" "$launch/jvm.options"
score_args() {  # the java launcher's argument file for a job task, from the final jvm.options
  cat "$launch/jvm.options"
  printf '\n# A batch job task (src/main/image/aot-cache.sh): the classes of the cache without its\n'
  printf '# serving profiles (when there is a cache), the class path, the main class.\n'
  if grep -q '^-XX:AOTCache=' "$launch/jvm.options"; then
    printf '%s\n' -XX:+UnlockDiagnosticVMOptions -XX:-AOTReplayTraining
  fi
  printf '%s\n' -cp "$image_classpath" "$main"
}
if [ "$record" != true ]; then
  score_args > "$launch/score.args"
  rm -rf "$stage"
  echo "aot-cache.sh: launch files written, no AOT cache (--record $record)"
  exit 0
fi
training_classpath=${image_classpath//\/app\//$stage/app/}

log="$out/training.log"
# PORT=-1: Micronaut picks a free port and logs it.
PORT=-1 "$java" "@$options" -XX:AOTCacheOutput="$aot/app.aot" \
  -cp "$training_classpath" "$main" > "$log" 2>&1 &
pid=$!
trap 'kill -9 $pid 2>/dev/null || true' EXIT

port=""
for _ in $(seq 1 600); do
  port=$(sed -n 's|.*Server Running: http://[^:]*:\([0-9]*\).*|\1|p' "$log" | head -1)
  [ -n "$port" ] && break
  kill -0 $pid 2>/dev/null || { cat "$log" >&2; echo "aot-cache.sh: the training run exited early" >&2; exit 1; }
  sleep 0.1
done
[ -n "$port" ] || { cat "$log" >&2; echo "aot-cache.sh: the training run did not start in 60 s" >&2; exit 1; }

base="http://127.0.0.1:$port"
bash "$(dirname "$0")/training-workload.sh" "$base" || { cat "$log" >&2; exit 1; }

kill -TERM $pid
wait $pid || { cat "$log" >&2; echo "aot-cache.sh: the training run did not exit 0" >&2; exit 1; }
trap - EXIT
[ -s "$aot/app.aot" ] || { cat "$log" >&2; echo "aot-cache.sh: no AOT cache was written" >&2; exit 1; }
rm -rf "$stage"
printf '\n# The JDK AOT cache recorded by the build (src/main/image/aot-cache.sh).\n-XX:AOTCache=/app/aot/app.aot\n' >> "$launch/jvm.options"
score_args > "$launch/score.args"
echo "aot-cache.sh: $aot/app.aot ($(du -h "$aot/app.aot" | cut -f1)) recorded by $java"
