#!/usr/bin/env bash
# Rows/s through POST /bigquery, BigQuery's remote-function route, at batch sizes BigQuery sends
# (max_batching_rows 500, 5,000 (cloudrun/bigquery-function.sh's default) and 20,000), beside
# POST /predict with its largest batch (MAX_BATCH_SIZE, 1,000 rows) in the same run, as the ratio
# of rows/s. The container runs as one Cloud Run instance does (1 CPU, 512 MiB, read-only); wrk
# (loopback only) keeps 4 requests in flight, as BigQuery sends several batches to an instance
# at once. Prints a Markdown table. With --baseline, also this tree's jar against an earlier
# commit's (bench/baseline.sh): each as a process on core 0 (JDK 25, one active processor), started
# as the image's entrypoint starts the service: the image's JVM options (src/main/image/jvm.options)
# with 384 MiB of heap (75% of 512 MiB), from a JDK AOT cache of its own recorded the way the image
# records its cache (bench/jar-aot-cache.sh: the serving workload, with those options), whose
# profiles it replays. wrk runs on core 1, the two jars take turns for the rounds, and each process
# is measured three times as it warms up: 5,000 calls 10-15 s after it is ready, 20,000 calls at
# 25-30 s and 5,000 calls again at 40-45 s; each round's ratio and the median of those ratios, so a
# slow stretch of the machine weighs on both jars of a round, and the share of the core the JIT's
# compiler threads took in each measured window, which is what holds a jar back while it warms up.
# A jar's stdout (its prediction records, which grow with its rows/s) goes down a pipe to a reader
# on core 1, as a log collector drains it, not to a file on disk, whose write-back of gigabytes
# throttled the faster jar more.
set -euo pipefail

usage() {
  cat <<USAGE
usage: bench/bigquery.sh [--duration S] [--repeats N] [--connections C] [--baseline JAR [--jar JAR]] [IMAGE]
  IMAGE defaults to target/jib-image.tar's (./mvnw -Pimage package). Each cell: a 10 s warm-up,
  then N runs (default 3) of S seconds (default 5), C connections (default 4).
  --baseline JAR  also compare the jar (--jar, default target/prediction-function-VERSION.jar) with
                  this earlier commit's jar (bench/baseline.sh REV): N rounds, each jar in turn
USAGE
}

duration=5 repeats=3 connections=4 image="" baseline="" jar=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --duration) duration="$2"; shift 2 ;;
    --repeats) repeats="$2"; shift 2 ;;
    --connections) connections="$2"; shift 2 ;;
    --baseline) baseline="$2"; shift 2 ;;
    --jar) jar="$2"; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) image="$1"; shift ;;
  esac
done
source "$(dirname "$0")/common.sh"
if [[ -n "$baseline" ]]; then
  if [[ -z "$jar" ]]; then
    version=$(sed -n 's:.*<revision>\(.*\)</revision>.*:\1:p' "$here/../pom.xml" | head -1)
    jar="$here/../target/prediction-function-$version.jar"
  fi
  for file in "$jar" "$baseline"; do
    [[ -f "$file" ]] || { echo "bigquery.sh: no $file (./mvnw package; bench/baseline.sh REV)" >&2; exit 1; }
  done
  jar=$(readlink -f "$jar") baseline=$(readlink -f "$baseline") # bench_init changes directory
  java=$(java25)
  [[ -n "$java" ]] || { echo "bigquery.sh: --baseline runs the jars on a JDK 25 (set JAVA25_HOME)" >&2; exit 1; }
fi
bench_init bigquery "$image"

port=$(serve_image "$name" "$image" --cpus 1 --memory 512m)
base="http://127.0.0.1:$port"

rows() { # N -> N iris rows as JSON arrays, comma-separated, the three species in turn
  awk -v n="$1" 'BEGIN {
    split("[5.1,3.5,1.4,0.2] [5.9,3.0,4.2,1.5] [6.7,3.0,5.2,2.3]", r, " ")
    for (i = 0; i < n; i++) printf "%s%s", (i ? "," : ""), r[i % 3 + 1]
  }'
}
for n in 500 5000 20000; do
  printf '{"requestId":"bench-%d","caller":"//bigquery.googleapis.com/projects/p/jobs/p:US.bench",' "$n" > "$work/bq-$n.json"
  printf '"sessionUser":"bench@example.com","userDefinedContext":{"return":"label"},"calls":[%s]}' "$(rows "$n")" >> "$work/bq-$n.json"
done
printf '{"instances":[%s]}' "$(rows 1000)" > "$work/predict-1000.json"
# Every body is scored before it is measured: a 400 would measure error handling.
for body in "$work"/bq-*.json; do
  curl -sf -o /dev/null -X POST -H 'Content-Type: application/json' --data-binary @"$body" "$base/bigquery"
done
curl -sf -o /dev/null -X POST -H 'Content-Type: application/json' --data-binary @"$work/predict-1000.json" "$base/predict"

echo "image $image at 1 CPU, 512 MiB; $connections connections; per cell a 10 s warm-up, then the median of $repeats runs of ${duration} s"
echo "$(nproc) cores: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(date -u +%Y-%m-%dT%H:%MZ)"
echo
echo "| Endpoint | Connections | Requests/s | Rows/s | p50 ms | p90 ms | p99 ms | p99.9 ms | Errors (all runs) |"
echo "| --- | --- | --- | --- | --- | --- | --- | --- | --- |"
wrk_cell "$base" "$duration" "$repeats" "POST /predict, 1,000 rows" POST /predict "$work/predict-1000.json" 1000 "$connections" | tee "$work/predict.row"
for n in 500 5000 20000; do
  wrk_cell "$base" "$duration" "$repeats" "POST /bigquery, $n calls" POST /bigquery "$work/bq-$n.json" "$n" "$connections" | tee -a "$work/bq.rows"
done
echo
predict_rows=$(awk -F'|' '{ print $5 + 0 }' "$work/predict.row")
awk -F'|' -v base="$predict_rows" '{ gsub(/^ +| +$/, "", $2)
  printf "%s: %.2fx the rows/s of /predict with 1,000-row batches\n", $2, ($5 + 0) / base }' "$work/bq.rows"

[[ -n "$baseline" ]] || exit 0
# The jars, in turns: a fresh process each round, so neither always runs on a warmer machine.
podman rm -f -t 0 "$name" >/dev/null
jar_port=18123
cell_sizes=(5000 20000 5000)
cell_names=() # when each is measured: after the warm-ups and cells before it
for cell in "${!cell_sizes[@]}"; do
  from=$((10 + cell * (10 + duration)))
  cell_names+=("${cell_sizes[$cell]} calls, $from-$((from + duration)) s after ready")
done
# As the image's entrypoint starts the service (src/main/image/aot-cache.sh): its JVM options, with
# the heap the image's 75% gives at 512 MiB, and each jar's cache recorded with the same options.
jar_options=(-Xmx384m -XX:ActiveProcessorCount=1 "@$here/../src/main/image/jvm.options")
echo "recording the jars' AOT caches (bench/jar-aot-cache.sh)" >&2
bash "$here/jar-aot-cache.sh" --java "$java" "$jar" "$work/this.aot" "${jar_options[@]}" > /dev/null
bash "$here/jar-aot-cache.sh" --java "$java" "$baseline" "$work/baseline.aot" "${jar_options[@]}" > /dev/null
compiling() { # PID -> the CPU ticks its JIT compiler threads (C1, C2) have used
  echo $(( $(cpu_ticks "$1" "C1 CompilerThread") + $(cpu_ticks "$1" "C2 CompilerThread") ))
}
hz=$(getconf CLK_TCK)
for ((r = 0; r < repeats; r++)); do
  for which in this baseline; do
    file="$jar"
    [[ "$which" == baseline ]] && file="$baseline"
    # The first 64 KiB of output stay in the log, for a jar that does not start.
    PORT=$jar_port taskset -c 0 "$java" "${jar_options[@]}" -XX:AOTCache="$work/$which.aot" -jar "$file" \
      > >(taskset -c 1 bash -c 'head -c 65536 > "$1"; exec cat > /dev/null' drain "$work/$which.log") 2>&1 &
    pid=$!
    wait_for_200 "http://127.0.0.1:$jar_port/health/readiness" "" "kill -0 $pid" 60 ||
      { sleep 1; tail -5 "$work/$which.log" >&2; exit 1; }
    for cell in "${!cell_sizes[@]}"; do
      n=${cell_sizes[$cell]}
      export WRK_METHOD=POST WRK_BODY_FILE="$work/bq-$n.json" WRK_ROWS="$n"
      taskset -c 1 wrk -t1 -c"$connections" -d10s -s "$here/wrk/request.lua" "http://127.0.0.1:$jar_port/bigquery" >/dev/null
      before=$(compiling "$pid")
      rate=$(taskset -c 1 wrk -t1 -c"$connections" -d"${duration}s" -s "$here/wrk/request.lua" "http://127.0.0.1:$jar_port/bigquery" |
        sed -n 's/^RESULT.* rows_per_s=\([0-9.]*\).*/\1/p')
      [[ -n "$rate" ]] || { echo "bigquery.sh: wrk measured no rows/s of the $which jar" >&2; exit 1; }
      share=$(awk -v t="$(( $(compiling "$pid") - before ))" -v hz="$hz" -v s="$duration" 'BEGIN { print t / hz / s * 100 }')
      echo "$which $r $cell $rate $share" >> "$work/jars.txt"
    done
    kill "$pid"
    wait "$pid" 2>/dev/null || true
  done
done
echo
echo "This tree's jar against the baseline jar ($(basename "$baseline" .jar)): each a process on one core (taskset -c 0, $("$java" -version 2>&1 | head -1 | cut -d'"' -f2), one active processor), started as the image's entrypoint starts the service (the image's JVM options with 384 MiB of heap, from an AOT cache of its own recorded on the image's serving workload, its profiles replayed), its stdout drained through a pipe on the other core, wrk on the other core too, $connections connections; $repeats rounds taking turns; each process measured ${duration} s after each of three 10 s warm-ups, as it warms up; the medians of each jar's rows/s, each round's ratio, the median of the rounds' ratios, and the median share of the core the JIT's compiler threads took while each jar was measured:"
echo
echo "| POST /bigquery | Baseline rows/s | This tree rows/s | Each round's ratio | Ratio | Compiling: baseline, this tree |"
echo "| --- | --- | --- | --- | --- | --- |"
for cell in "${!cell_sizes[@]}"; do
  ours=$(awk -v c="$cell" '$1 == "this" && $3 == c { print $4 }' "$work/jars.txt" | median)
  theirs=$(awk -v c="$cell" '$1 == "baseline" && $3 == c { print $4 }' "$work/jars.txt" | median)
  compiling_ours=$(awk -v c="$cell" '$1 == "this" && $3 == c { print $5 }' "$work/jars.txt" | median)
  compiling_theirs=$(awk -v c="$cell" '$1 == "baseline" && $3 == c { print $5 }' "$work/jars.txt" | median)
  awk -v c="$cell" '$3 == c { rate[$1, $2] = $4; if ($2 + 1 > rounds) rounds = $2 + 1 }
    END { for (r = 0; r < rounds; r++) print rate["this", r] / rate["baseline", r] }' "$work/jars.txt" > "$work/ratios-$cell.txt"
  awk -v name="${cell_names[$cell]}" -v a="$ours" -v b="$theirs" \
    -v each="$(awk '{ printf "%s%.2fx", (NR > 1 ? ", " : ""), $1 }' "$work/ratios-$cell.txt")" \
    -v ratio="$(median < "$work/ratios-$cell.txt")" -v ca="$compiling_ours" -v cb="$compiling_theirs" \
    'BEGIN { printf "| %s | %d | %d | %s | %.2fx | %.0f%%, %.0f%% |\n", name, b, a, each, ratio, cb, ca }'
done
echo
for cell in "${!cell_sizes[@]}"; do
  awk -v name="${cell_names[$cell]}" -v ratio="$(median < "$work/ratios-$cell.txt")" -v k="$repeats" 'BEGIN {
    printf "POST /bigquery, %s: %.2fx the baseline jar'"'"'s rows/s (the median of %d rounds'"'"' ratios)\n", name, ratio, k }'
done
