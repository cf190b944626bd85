#!/usr/bin/env bash
# The whole benchmark suite in one command. Builds the image and the jars of the current working
# tree, runs every benchmark in turn (never two at once: 2 shared cores), and writes one Markdown
# report with the machine, the versions and the date: JMH micro benchmarks, cold starts (plain
# and Micronaut-AOT jar, the jar on a JDK 25 with an AOT cache, image with and without its JDK
# AOT cache, where a start goes, the start-up profile by library), warm-up curves and compiler
# settings tried as levers, load, what prediction records cost,
# /predict against the trivial endpoint and a CPU profile of /predict, BigQuery remote-function
# batches against /predict's, batch scoring of a large CSV against pandas, memory and the smallest
# surviving limit, overload, cost per million predictions on Cloud Run's prices, and the targets
# against the seed-style peer (bench/seed.sh: FastAPI + uvicorn + scikit-learn), which is measured
# in the same run, beside the service: in a container under the image's limits, and as a bare
# process as a second reference. Every start-up and load series records the machine's CPU steal
# and softirq shares, and says so when the machine was not its own.
# The report is docs/performance.md, the one place measured figures live; nothing else copies
# them. Loopback only; about 70 minutes with a baseline (--quick: 13).
set -euo pipefail

usage() {
  cat <<USAGE
usage: bench/suite.sh [--out FILE] [--quick] [--skip-build] [--baseline REV]
  Writes the report to FILE (default docs/performance.md) and prints it.
  --quick       fewer starts and shorter runs, to check the suite itself (figures are rougher)
  --skip-build  use target/ as it is (target/jib-image.tar, target/bench/plain.jar)
  --baseline REV
                the earlier commit whose jar the batch and BigQuery sections measure beside this
                tree's in the same run (bench/baseline.sh); default: the commit the report being
                replaced was measured on; none: no baseline
USAGE
}

root=$(cd "$(dirname "$0")/.." && pwd)
out="$root/docs/performance.md" quick=false build=true baseline_rev=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --out) out="$2"; shift 2 ;;
    --quick) quick=true; shift ;;
    --skip-build) build=false; shift ;;
    --baseline) baseline_rev="$2"; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) usage >&2; exit 2 ;;
  esac
done
cd "$root"
mkdir -p target/bench "$(dirname "$out")"
log() { echo "== $*" >&2; }
# Before an hour of measuring, not half way through it: the tools the containers and the load need.
for tool in podman wrk curl jq taskset /usr/bin/time; do
  command -v "$tool" >/dev/null ||
    { echo "suite.sh: needs $tool (bash src/test/image/install-tools.sh installs podman and wrk)" >&2; exit 1; }
done

if $quick; then
  starts=3 load_s=3 load_repeats=1 conns="1 64" mem_s=8 limits="512 128 96" over_s=8 phases=2 warm_s=10
  ceiling_rounds=2 batch_rows=2000000 records_rounds=1 cost_rounds=1
  jmh="-f 1 -wi 1 -w 1s -i 2 -r 1s"
else
  starts=10 load_s=5 load_repeats=3 conns="1 16 64 256" mem_s=20
  limits="512 384 256 192 160 128 112 96 80" over_s=20 phases=5 ceiling_rounds=5 warm_s=30
  batch_rows=44000000 records_rounds=3 cost_rounds=3
  jmh="-f 1 -wi 3 -w 1s -i 5 -r 1s"
fi

source bench/common.sh
version=$(sed -n 's:.*<revision>\(.*\)</revision>.*:\1:p' pom.xml | head -1)
if $build; then
  log "building the image and the Micronaut-AOT jar (./mvnw -Pimage package)"
  ./mvnw -B -q --no-transfer-progress -Pimage package -DskipTests >&2
  log "building the plain jar (-Dmicronaut.aot.enabled=false) in a copy of the working tree"
  copy=$(mktemp -d)
  git ls-files -z --cached --others --exclude-standard | xargs -0 cp --parents -t "$copy" 2>/dev/null || true
  (cd "$copy" && ./mvnw -B -q --no-transfer-progress package -DskipTests -Dmicronaut.aot.enabled=false >&2)
  cp "$copy/target/prediction-function-$version.jar" target/bench/plain.jar
  rm -rf "$copy"
fi
if [[ -z "$baseline_rev" && -f "$out" ]]; then
  baseline_rev=$(sed -n 's/^commit `\([0-9a-f]*\)`.*/\1/p' "$out" | head -1)
fi
baseline_jar=""
if [[ -n "$baseline_rev" && "$baseline_rev" != none ]]; then
  log "the baseline: the jar of $baseline_rev (bench/baseline.sh)"
  baseline_jar=$(bench/baseline.sh "$baseline_rev")
fi
log "the seed-style peer (bench/seed.sh): packages and model"
bash bench/seed.sh install >&2
bash bench/seed.sh model target/bench/seed >&2
bash bench/seed.sh image target/bench/seed >&2
peer_image=predictfn-peer
aot_jar="target/prediction-function-$version.jar"
plain_jar="target/bench/plain.jar"
image=$(built_image)

report=$(mktemp)
w() { echo "$*" >> "$report"; }
# cpu_begin / cpu_end: the machine's CPU steal and softirq shares over a series, as a report line.
cpu_begin() { cpu_mark target/bench/cpu-mark; }
cpu_end() { w ""; w "_CPU during this series: $(cpu_since target/bench/cpu-mark)._"; }

log "machine and versions"
w "# Performance"
w ""
w "Written by \`bash bench/suite.sh\` (docs/testing.md, \"Benchmarks\"); never edited by hand. Figures"
w "from one run on one machine: compare them with each other, not with another day's."
w ""
w "Measured by \`bash bench/suite.sh$($quick && echo ' --quick')\` on $(date -u +%Y-%m-%d) at $(date -u +%H:%M) UTC,"
w "commit \`$(git rev-parse --short HEAD)$(git diff --quiet HEAD -- src pom.xml bench || echo ' + uncommitted changes')\`."
if [[ -n "$baseline_jar" ]]; then
  w ""
  w "The baseline the batch and BigQuery sections measure beside this commit, in this run: the jar of"
  w "commit \`$(git rev-parse --short "$baseline_rev")\` (\`bench/baseline.sh\`)."
fi
w ""
w "| Machine and software | |"
w "| --- | --- |"
w "| CPU | $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //') |"
w "| Memory | $(free -g | awk '/^Mem:/ {print $2}') GiB |"
w "| OS | $(. /etc/os-release && echo "$PRETTY_NAME"), kernel $(uname -r) |"
w "| JVM of the jars | $(java -version 2>&1 | sed -n 2p) |"
w "| JVM in the image | $(podman run --rm --entrypoint /opt/java/bin/java "$image" -version 2>&1 | sed -n 2p) |"
w "| Container runtime | $(podman --version), runc $(runc --version | sed -n 's/^runc version //p') |"
w "| Load generator | $(wrk -v 2>&1 | head -1 | cut -d' ' -f1-2) |"
w ""

log "JMH micro benchmarks"
./mvnw -B -q --no-transfer-progress -Pjmh test-compile exec:exec@jmh \
  -Djmh.args="$jmh -rf json -rff $root/target/bench/jmh.json" >/dev/null 2>&1
w "## Micro benchmarks (JMH, no HTTP)"
w ""
w "\`./mvnw -Pjmh test-compile exec:exec@jmh\` (\`src/jmh/java\`): one thread, the application's own"
w "decoder, model and JSON mapper, JDK 17, \`$jmh\`."
w ""
w "| Benchmark | Time per operation | Error (99.9%) |"
w "| --- | --- | --- |"
jq -r '.[] | .primaryMetric as $m | "| \(.benchmark | sub(".*\\."; "")) | \($m.score | round / 1000) µs | \(if ($m.scoreError | type) == "number" then "± \($m.scoreError | round / 1000) µs" else "n/a (too few iterations)" end) |"' \
  target/bench/jmh.json >> "$report"
w ""

log "cold start of the jars and the peer ($starts rounds, taking turns)"
cpu_mark target/bench/cpu-jars
java25=$(java25)
if [[ -n "$java25" ]]; then
  bash bench/jar-aot-cache.sh --java "$java25" "$aot_jar" target/bench/jar.aot >&2
fi
plain=() aot=() aot25=() seed1=() seed2=()
once() { bench/startup.sh --runs 1 "$@" | sed -n 's/^run 1: \([0-9]*\) ms/\1/p'; }
for ((i = 1; i <= starts; i++)); do
  plain+=("$(once "$plain_jar")")
  aot+=("$(once "$aot_jar")")
  if [[ -n "$java25" ]]; then
    aot25+=("$(once --command "$java25" -XX:AOTCache=target/bench/jar.aot \
      --sun-misc-unsafe-memory-access=allow -jar "$aot_jar")")
  fi
  seed1+=("$(once --port 18282 --command bash bench/seed.sh run target/bench/seed --port 18282)")
  seed2+=("$(once --port 18282 --command bash bench/seed.sh run target/bench/seed --workers 2 --port 18282)")
done
stats() { printf '%s\n' "$@" | summary | awk '{ printf "%d ms | %d-%d ms", $1, $2, $3 }'; }
cpu_jars=$(cpu_since target/bench/cpu-jars)
log "cold start of the image and the peer's container ($starts rounds, taking turns)"
bench/container-startup.sh --runs "$starts" --peer "$peer_image" "$image" > target/bench/container-startup.txt
bench/container-startup.sh --runs "$starts" --cpus 2 --peer "$peer_image" "$image" > target/bench/container-startup-2cpus.txt
image_line() { grep "^$1" "${2:-target/bench/container-startup.txt}" | sed -E 's/.*median +([0-9]+) ms, min +([0-9]+) ms, max +([0-9]+) ms.*/\1 ms | \2-\3 ms/'; }
w "## Cold start: exec to the first 200 on POST /predict"
w ""
w "$starts starts each. The image's two modes and the peer's container take turns, under the same"
w "podman limits (\`--read-only\`, 512 MiB, 1 or 2 CPUs); so do the jars and the peer as a bare process,"
w "a second reference that pays no container's cost."
w ""
w "| What starts | Median | Range |"
w "| --- | --- | --- |"
w "| Jar without Micronaut AOT, JDK 17, 2 cores | $(stats "${plain[@]}") |"
w "| Jar with Micronaut AOT (what \`package\` builds), JDK 17, 2 cores | $(stats "${aot[@]}") |"
if [[ -n "$java25" ]]; then
  w "| The same jar, JDK 25 with its AOT cache (\`bench/jar-aot-cache.sh\`), 2 cores | $(stats "${aot25[@]}") |"
else
  w "| The same jar, JDK 25 with its AOT cache | not measured: no JDK 25 on this machine | |"
fi
w "| Peer as a bare process (second reference): uvicorn, 1 worker, 2 cores | $(stats "${seed1[@]}") |"
w "| Peer as a bare process (second reference): gunicorn, 2 uvicorn workers, 2 cores | $(stats "${seed2[@]}") |"
w "| Image with its JDK AOT cache, 1 CPU, 512 MiB | $(image_line 'with the AOT cache') |"
w "| Image without (\`-XX:AOTMode=off\`), 1 CPU, 512 MiB | $(image_line 'without') |"
w "| Peer's container (gunicorn, 2 uvicorn workers), 1 CPU, 512 MiB | $(image_line "the peer's container") |"
w "| Image with its JDK AOT cache, 2 CPUs (Cloud Run's startup CPU boost), 512 MiB | $(image_line 'with the AOT cache' target/bench/container-startup-2cpus.txt) |"
w "| Image without, 2 CPUs, 512 MiB | $(image_line 'without' target/bench/container-startup-2cpus.txt) |"
w "| Peer's container, 2 CPUs, 512 MiB | $(image_line "the peer's container" target/bench/container-startup-2cpus.txt) |"
w ""
w "_CPU during these series: the jars and the bare peer $cpu_jars; the containers at 1 CPU $(sed -n 's/^CPU over the rounds: //p' target/bench/container-startup.txt), at 2 CPUs $(sed -n 's/^CPU over the rounds: //p' target/bench/container-startup-2cpus.txt)._"
w ""
log "where an image start goes ($phases starts)"
w "### Where an image start goes"
w ""
bench/startup-phases.sh --runs "$phases" "$image" >> "$report"
w ""
log "start-up profile by library (bench/startup-profile.sh, $phases recorded starts)"
w "### Start-up profile by library"
w ""
bench/startup-profile.sh --runs "$phases" "$image" >> "$report"
w ""

log "warm-up (bench/warmup.sh): the image, the jar and the peer"
w "## Warm-up: requests/s in the first seconds after the first 200"
w ""
w "One-row POST /predict at 16 connections in 1-s buckets for $warm_s s from the first 200"
w "(\`bench/warmup.sh\`); steady state is the mean of the last 5 s."
w ""
w '```text'
bench/warmup.sh --seconds "$warm_s" --image "$image" | tee target/bench/warmup-image.txt >> "$report"
bench/warmup.sh --seconds "$warm_s" --cpus 2 --image "$image" >> "$report"
bench/warmup.sh --seconds "$warm_s" --jar "$aot_jar" >> "$report"
bench/warmup.sh --seconds "$warm_s" --command 18282 \
  bash bench/seed.sh run target/bench/seed --workers 2 --port 18282 | tee target/bench/warmup-peer.txt >> "$report"
w '```'
w ""
log "compiler settings as levers (bench/jit-levers.sh)"
w "### Compiler settings tried as levers"
w ""
w "Each setting added after the image's own JVM options (so it wins over them), 1 CPU, 512 MiB: cold starts"
w "taking turns with the image as built, then a warm-up curve of $warm_s s (\`bench/jit-levers.sh\`)."
w ""
bench/jit-levers.sh --runs "$(( (starts + 1) / 2 ))" --seconds "$warm_s" "$image" >> "$report"
w ""

log "load (bench/load.sh)"
w "## Load (wrk, server and wrk on the same 2 cores)"
w ""
w "Per cell a 10 s warm-up, then the run with the median requests/s of $load_repeats runs of $load_s s;"
w "the container has no CPU limit and 512 MiB."
w ""
cpu_begin
bench/load.sh --duration "$load_s" --repeats "$load_repeats" --connections "$conns" "$image" | tee target/bench/load.txt | sed -n '/^|/p' >> "$report"
cpu_end
w ""
w "$(grep '^Memory in use' target/bench/load.txt)."
w ""

log "POST /predict against the ceiling, taking turns (bench/ceiling.sh)"
bench/ceiling.sh --rounds "$ceiling_rounds" "$image" > target/bench/ceiling.txt
w "POST /predict against the trivial endpoint at 64 connections, taking turns for $ceiling_rounds rounds"
w "(\`bench/ceiling.sh\`): $(sed -n 's/^median ratio //p' target/bench/ceiling.txt)."
w ""
log "where /predict's CPU goes (bench/profile.sh)"
w "### Where POST /predict's CPU goes"
w ""
bench/profile.sh "$image" >> "$report"
w ""

log "BigQuery remote-function batches (bench/bigquery.sh)"
w "## BigQuery remote function: rows/s by batch size"
w ""
w "POST /bigquery with batches of the sizes BigQuery sends, beside POST /predict's largest batch in"
w "the same run (\`bench/bigquery.sh\`): the image at 1 CPU and 512 MiB, as one Cloud Run instance,"
w "4 requests in flight, per cell a 10 s warm-up and the median of $load_repeats runs of $load_s s."
w ""
cpu_begin
bigquery_baseline=()
[[ -n "$baseline_jar" ]] && bigquery_baseline=(--baseline "$baseline_jar" --jar "$aot_jar")
bench/bigquery.sh --duration "$load_s" --repeats "$load_repeats" "${bigquery_baseline[@]}" "$image" |
  tee target/bench/bigquery.txt | sed -n '/^| Endpoint/,/^$/p' | sed '/^$/d' >> "$report"
cpu_end
w ""
sed -n '/the rows\/s of \/predict/p' target/bench/bigquery.txt | sed 's/^/- /' >> "$report"
w ""
if [[ -n "$baseline_jar" ]]; then
  sed -n '/^This tree.s jar/,$p' target/bench/bigquery.txt | sed 's/^POST \/bigquery,/- POST \/bigquery,/' >> "$report"
  w ""
fi

log "what prediction records cost (bench/setting-cost.sh)"
w "## Prediction records: what they cost POST /predict"
w ""
w "The jar with \`PREDICTION_LOG_SAMPLE\` at 0, 0.01 and 1 taking turns, $records_rounds rounds, each"
w "a fresh process whose stdout (records and log) goes to a file, a 10 s warm-up and a $load_s s run"
w "at 16 connections (\`bench/setting-cost.sh\`); ratios are to sampling 0 in the same run. CPU is"
w "the process's during the measured runs (wrk has the rest of the machine), and the share of one"
w "core the thread that writes records took: near a whole core, it would be what limits throughput."
w ""
for body in "" --batch; do
  # shellcheck disable=SC2086 # no --batch for one row
  bench/setting-cost.sh --env PREDICTION_LOG_SAMPLE --values "0 0.01 1" --rounds "$records_rounds" \
    --duration "$load_s" --thread prediction-records $body "$aot_jar" |
    tee "target/bench/records$body.txt" |
    sed -n '/^median/p;/^prediction records/p' | sed 's/^/- /' >> "$report"
done
w ""

log "batch scoring of a large CSV against pandas + scikit-learn (bench/batch.sh)"
w "## Batch scoring: the score mode against pandas + scikit-learn"
w ""
w "One generated CSV scored by the image's \`score\` mode (the jar on JDK 25, the image's JVM, with the"
w "heap of a 512 MiB job task) and the seed-style Python way (pandas \`read_csv\` of the whole file,"
w "scikit-learn \`predict\` and \`predict_proba\`, \`to_csv\`), each pinned to one core"
w "(\`bench/batch.sh\`); rows/s per core is rows over CPU seconds, peak memory is GNU time's maximum"
w "resident set. Each jar starts as a job task of its image starts: from a JDK AOT cache recorded the"
w "way the image records its own (\`bench/jar-aot-cache.sh\`, with the runs' JVM options), this"
w "commit's without replaying the cache's serving profiles (the image's \`/app/score.args\`), the"
w "baseline's replaying them (its image's entrypoint); the jar runs once without a cache and once"
w "replaying the profiles too, and a task's start is timed all three ways. The same rows as JSON"
w "Lines go through the score mode too, and the baseline's jar, when there is one, runs the same way"
w "on the same inputs, each run of it right before one of the jar. These machines change speed within"
w "minutes, so in each of the rounds the jar runs right before pandas and right after it, and the"
w "round's ratio is the jar's rows/s over both runs against pandas'; the ratio to pandas is the median"
w "of the rounds' ratios."
w ""
batch_baseline=()
[[ -n "$baseline_jar" ]] && batch_baseline=(--baseline "$baseline_jar")
batch_aot=()
[[ -n "$java25" ]] && batch_aot=(--aot)
bench/batch.sh --rows "$batch_rows" --jar "$aot_jar" --java "${java25:-java}" "${batch_baseline[@]}" "${batch_aot[@]}" --jsonl --profile |
  tee target/bench/batch.txt > target/bench/batch.md
sed -n '1{p;s/.*//p};/^| Scorer/,/^$/p' target/bench/batch.md | sed '${/^$/d}' >> "$report"
w ""
awk '/^The rounds:/ { on = 1 } on { print; if ($0 == "" && ++blank == 2) exit }' target/bench/batch.md >> "$report"
sed -n '/^score mode[:,]/p' target/bench/batch.md | sed 's/^/- /' >> "$report"
w ""
awk '/^A task.s start:/ { on = 1 } on { if ($0 == "" && ++blank == 2) exit; print }' target/bench/batch.md >> "$report"
w ""
sed -n '/^Where the score mode/,$p' target/bench/batch.md >> "$report"
w ""

log "cost per million predictions (bench/cost.sh)"
w "## Cost per million predictions on Cloud Run"
w ""
w "What Cloud Run would bill for a million one-row predictions at the requests/s measured here, each"
w "container at 1 CPU and 512 MiB taking turns (\`bench/cost.sh\`): a busy instance is billed for every"
w "container's allocation, the collector sidecar's included, per second."
w ""
bench/cost.sh --rounds "$cost_rounds" --duration "$((load_s * 2))" --peer "$peer_image" "$image" | tee target/bench/cost.txt >> "$report"
w ""

log "memory and the smallest limit (bench/memory.sh)"
w "## Memory"
w ""
bench/memory.sh --duration "$mem_s" --limits "$limits" "$image" | tee target/bench/memory.txt | tail -n +3 >> "$report"
w ""

log "overload (bench/overload.sh)"
w "## Overload: 1,000 connections"
w ""
overload_status=0
bench/overload.sh --duration "$over_s" "$image" > target/bench/overload.txt || overload_status=$?
cat target/bench/overload.txt >> "$report"
w ""
[[ $overload_status -eq 0 ]] || w "**The overload run failed a request or lost the probe.**"

log "the peer under load (gunicorn, 2 uvicorn workers)"
seed_load() { # connections -> RESULT line of the peer's POST /predict
  bash bench/seed.sh run target/bench/seed --workers 2 --port 18282 >/dev/null 2>&1 &
  local pid=$! body
  body=$(mktemp)
  echo '{"features":[5.1,3.5,1.4,0.2]}' > "$body"
  wait_for_200 http://127.0.0.1:18282/predict "@$body" "kill -0 $pid" 60 || exit 1
  local threads=2
  [[ "$1" -lt 2 ]] && threads=1 # wrk wants at least one connection per thread
  WRK_METHOD=POST WRK_BODY_FILE="$body" wrk -t"$threads" -c"$1" -d5s -s bench/wrk/request.lua \
    http://127.0.0.1:18282/predict >/dev/null
  WRK_METHOD=POST WRK_BODY_FILE="$body" wrk -t"$threads" -c"$1" -d"${load_s}s" \
    -s bench/wrk/request.lua http://127.0.0.1:18282/predict | grep '^RESULT'
  # Resident memory of one worker after the load (the peer's processes are its workers' parent
  # and the workers; the largest is a worker).
  ps -o rss= --ppid "$pid" | sort -n | tail -1 > target/bench/seed-rss.txt
  kill -TERM "$pid"; wait "$pid" 2>/dev/null || true
  rm -f "$body"
}
cpu_mark target/bench/cpu-peer-load
seed64=$(seed_load 64)
seed1c=$(seed_load 1)
cpu_peer_load=$(cpu_since target/bench/cpu-peer-load)
field() { sed -E "s/.* $1=([0-9.]+).*/\1/" <<< "$2"; }
seed_rps64=$(field rps "$seed64")
seed_p99_64=$(awk -v us="$(field p99_us "$seed64")" 'BEGIN { printf "%.2f", us / 1000 }')
seed_p50_1=$(awk -v us="$(field p50_us "$seed1c")" 'BEGIN { printf "%.2f", us / 1000 }')
seed_rss=$(awk '{ printf "%d", $1 / 1024 }' target/bench/seed-rss.txt)
seed_cold=$(stats "${seed2[@]}" | cut -d' ' -f1)

log "targets"
rps64=$(awk -F'|' '$2 ~ /POST \/predict, 1 row/ && $3 + 0 == 64 {print $4 + 0}' target/bench/load.txt)
p99_64=$(awk -F'|' '$2 ~ /POST \/predict, 1 row/ && $3 + 0 == 64 {print $8 + 0}' target/bench/load.txt)
p50_1=$(awk -F'|' '$2 ~ /POST \/predict, 1 row/ && $3 + 0 == 1 {print $6 + 0}' target/bench/load.txt)
cold=$(image_line 'with the AOT cache' | cut -d' ' -f1)
rss_load=$(awk -F'|' '$2 ~ /^ 512 MiB/ {print $10}' target/bench/memory.txt | sed -E 's/^ *([0-9]+) MiB.*/\1/')
manifest=$(tar -xOf target/jib-image.tar index.json | jq -r '.manifests[0].digest' | cut -d: -f2)
compressed=$(tar -xOf target/jib-image.tar "blobs/sha256/$manifest" | jq '[.layers[].size, .config.size] | add')
unpacked=$(podman image inspect -f '{{.Size}}' "$image")
w "## Against the seed service and the targets"
w ""
w "The peer: \`bench/seed.sh\` (FastAPI + uvicorn + scikit-learn LogisticRegression from Debian's"
w "packages, gunicorn with 2 uvicorn workers), measured in this run on the same machine: load as a"
w "bare process with \`wrk\` after a 5 s warm-up (CPU meanwhile: $cpu_peer_load), and in its"
w "container at 1 CPU beside the image's (the cost section); its cold start in its container under"
w "the image's limits, and from exec as a bare process (above); the resident memory of one worker"
w "after the load. Targets are ratios to the peer; its 637 MB image is the seed's as reported (the"
w "peer's container here holds Debian's packages: $(podman image inspect -f '{{.Size}}' "$peer_image" | awk '{ printf "%.0f MB", $1 / 1e6 }') unpacked)."
w ""
w "| Measure | Peer | Target | This commit | Met |"
w "| --- | --- | --- | --- | --- |"
met() { awk "BEGIN { print ($1) ? \"yes\" : \"no\" }"; }
w "| POST /predict req/s at 64 connections | $seed_rps64 | ≥ 25x | $rps64 ($(awk -v a="$rps64" -v b="$seed_rps64" 'BEGIN { printf "%.1fx", a / b }')) | $(met "$rps64 >= 25 * $seed_rps64") |"
ratio=$(sed -n 's/^median ratio \([0-9]*\)%.*/\1/p' target/bench/ceiling.txt)
w "| Share of the trivial endpoint's req/s at 64 (median of the turns) | | ≥ 80% | $ratio% | $(met "$ratio >= 80") |"
w "| p99 at 64 connections | $seed_p99_64 ms | ≤ 1/20 of the peer's | $p99_64 ms | $(met "$p99_64 * 20 <= $seed_p99_64") |"
w "| p50 at 1 connection | $seed_p50_1 ms | | $p50_1 ms | |"
peer_rps=$(sed -n "s/^| The peer's container[^|]*| \([0-9]*\) |.*/\1/p" target/bench/cost.txt)
image_rps=$(sed -n 's/^| This image, without a collector | \([0-9]*\) |.*/\1/p' target/bench/cost.txt)
w "| POST /predict req/s at 64 connections, both in containers at 1 CPU (cost section) | $peer_rps | ≥ 25x | $image_rps ($(awk -v a="$image_rps" -v b="$peer_rps" 'BEGIN { printf "%.1fx", a / b }')) | $(met "$image_rps >= 25 * $peer_rps") |"
peer_cold=$(image_line "the peer's container" | cut -d' ' -f1)
peer_cold2=$(image_line "the peer's container" target/bench/container-startup-2cpus.txt | cut -d' ' -f1)
cold2=$(image_line 'with the AOT cache' target/bench/container-startup-2cpus.txt | cut -d' ' -f1)
w "| Cold start, podman run to first 200, both containers at 1 CPU, 512 MiB | $peer_cold ms | ≤ the peer's | $cold ms ($(awk -v a="$cold" -v b="$peer_cold" 'BEGIN { printf "%.2fx", a / b }')) | $(met "$cold <= $peer_cold") |"
w "| Cold start, both containers at 2 CPUs (startup CPU boost) | $peer_cold2 ms | ≤ the peer's | $cold2 ms ($(awk -v a="$cold2" -v b="$peer_cold2" 'BEGIN { printf "%.2fx", a / b }')) | $(met "$cold2 <= $peer_cold2") |"
w "| Cold start, second reference: the image at 1 CPU against the bare peer (2 workers, 2 cores) | $seed_cold ms | | $cold ms ($(awk -v a="$cold" -v b="$seed_cold" 'BEGIN { printf "%.2fx", a / b }')) | |"
if [[ -n "$java25" ]]; then
  jar25=$(stats "${aot25[@]}" | cut -d' ' -f1)
  w "| Cold start, the jar on JDK 25 with its AOT cache, 2 cores | $seed_cold ms | ≤ the peer's | $jar25 ms ($(awk -v a="$jar25" -v b="$seed_cold" 'BEGIN { printf "%.2fx", a / b }')) | $(met "$jar25 <= $seed_cold") |"
fi
warm_ratio() { sed -n 's/.*ratio \([0-9]*\)%$/\1/p' "$1"; }
w "| Warm-up: first 5 s after the first 200 as a share of its own steady state (image, 1 CPU) | $(warm_ratio target/bench/warmup-peer.txt)% | ≥ 50% | $(warm_ratio target/bench/warmup-image.txt)% | $(met "$(warm_ratio target/bench/warmup-image.txt) >= 50") |"
w "| RSS after load (image at 512 MiB, 1 CPU; peer: one worker) | $seed_rss MiB | ≤ the peer's | $rss_load MiB | $(met "$rss_load <= $seed_rss") |"
w "| Image size | 637 MB | < 150 MB | $(awk -v c="$compressed" -v u="$unpacked" 'BEGIN { printf "%.1f MB compressed, %.0f MB unpacked", c / 1e6, u / 1e6 }') | $(met "$unpacked < 150000000") |"

cp "$report" "$out"
rm -f "$report"
cat "$out"
