#!/usr/bin/env bash
# Batch scoring of one large CSV, side by side in the same run and on one core each (taskset):
# the service's score mode (the jar, with the 384 MiB heap a job task with 512 MiB gets, as in
# docs/batch.md) and the seed-style Python way (pandas read_csv of the whole file, scikit-learn
# predict and predict_proba, to_csv: bench/seed/score.py, Debian's python3-pandas and
# python3-sklearn). Prints a Markdown table of rows/s per core (rows over CPU seconds), wall time
# and peak resident memory (GNU time), and the ratios; with --profile, a third run of the jar
# under JDK Flight Recorder and where its CPU goes per row; with --baseline, an earlier commit's jar
# (bench/baseline.sh) on the same input and JVM, beside it, and whether their outputs are the same
# bytes; with --aot, each jar starts from a JDK AOT cache recorded the way the image records its own
# (bench/jar-aot-cache.sh: a serving workload on loopback), as the image's job tasks start, and the
# jar also runs once without one. No network; the input is generated.
set -euo pipefail

usage() {
  cat <<USAGE
usage: bench/batch.sh [--rows N] [--jar JAR] [--java JAVA] [--baseline JAR] [--jsonl] [--aot] [--profile]
  --rows N     rows of the generated CSV (default 44000000, about 1 GB)
  --jar JAR    the service's jar (default target/prediction-function-VERSION.jar; ./mvnw package)
  --java JAVA  the java that runs it (default: java on the PATH); the image runs JDK 25
  --baseline JAR
               also an earlier commit's jar (bench/baseline.sh REV), on the same JVM and input
  --jsonl      also score the same rows as JSON Lines with the jar (and the baseline's)
  --aot        start each jar from a JDK AOT cache recorded as the image records its own
               (bench/jar-aot-cache.sh; JAVA must be JDK 25), and run the jar once without too
  --profile    also profile a run of the jar: the share of CPU and microseconds per row of each
               part of the score mode (reading, parsing, the model, formatting, writing, drift)
USAGE
}

rows=44000000 jar="" java=java profile=false baseline="" jsonl=false aot=false
while [[ $# -gt 0 ]]; do
  case "$1" in
    --rows) rows="$2"; shift 2 ;;
    --jar) jar="$2"; shift 2 ;;
    --java) java="$2"; shift 2 ;;
    --baseline) baseline="$2"; shift 2 ;;
    --profile) profile=true; shift ;;
    --jsonl) jsonl=true; shift ;;
    --aot) aot=true; shift ;;
    -h|--help) usage; exit 0 ;;
    *) usage >&2; exit 2 ;;
  esac
done
here=$(cd "$(dirname "$0")" && pwd)
root="$here/.."
if [[ -z "$jar" ]]; then
  version=$(sed -n 's:.*<revision>\(.*\)</revision>.*:\1:p' "$root/pom.xml" | head -1)
  jar="$root/target/prediction-function-$version.jar"
fi
[[ -f "$jar" ]] || { echo "batch.sh: no $jar (./mvnw -DskipTests package)" >&2; exit 1; }
[[ -z "$baseline" || -f "$baseline" ]] || { echo "batch.sh: no $baseline (bench/baseline.sh REV)" >&2; exit 1; }
for tool in /usr/bin/time taskset; do
  command -v "$tool" >/dev/null || { echo "batch.sh: needs $tool" >&2; exit 1; }
done
bash "$here/seed.sh" install >&2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

echo "generating $rows rows" >&2
awk -v n="$rows" 'BEGIN {
  srand(7)
  print "id,sepal_length,sepal_width,petal_length,petal_width"
  for (i = 0; i < n; i++) {
    s = i % 3
    if (s == 0) printf "%d,%.1f,%.1f,%.1f,%.1f\n", i, 4.6 + rand(), 3.0 + rand(), 1.2 + rand() * 0.5, 0.1 + rand() * 0.3
    else if (s == 1) printf "%d,%.1f,%.1f,%.1f,%.1f\n", i, 5.5 + rand(), 2.5 + rand() * 0.6, 3.8 + rand(), 1.1 + rand() * 0.5
    else printf "%d,%.1f,%.1f,%.1f,%.1f\n", i, 6.0 + rand() * 1.5, 2.7 + rand() * 0.6, 5.0 + rand(), 1.8 + rand() * 0.6
  }
}' > "$work/input.csv"
bytes=$(stat -c %s "$work/input.csv")
bash "$here/seed.sh" model "$work/seed" >&2

measure() { # label command... -> "label wall user sys maxrss_kib"
  local label="$1"
  shift
  /usr/bin/time -f "%e %U %S %M" -o "$work/time.txt" taskset -c 0 "$@" > "$work/$label.log" 2>&1 ||
    { echo "batch.sh: $label failed:" >&2; tail -5 "$work/$label.log" >&2; exit 1; }
  echo "$label $(cat "$work/time.txt")"
}
java_version=$("$java" -version 2>&1 | head -1)
jar_options=(-Xmx384m -XX:+UseSerialGC -XX:ActiveProcessorCount=1)
ours_options=("${jar_options[@]}") base_options=("${jar_options[@]}") started="java -jar"
if $aot; then
  echo "recording the jars' AOT caches (bench/jar-aot-cache.sh)" >&2
  bash "$here/jar-aot-cache.sh" --java "$java" "$jar" "$work/jar.aot" > /dev/null
  ours_options+=(-XX:AOTCache="$work/jar.aot" --sun-misc-unsafe-memory-access=allow)
  if [[ -n "$baseline" ]]; then
    bash "$here/jar-aot-cache.sh" --java "$java" "$baseline" "$work/baseline.aot" > /dev/null
    base_options+=(-XX:AOTCache="$work/baseline.aot" --sun-misc-unsafe-memory-access=allow)
  fi
  started="the image's kind of AOT cache"
  echo "scoring with the jar, no AOT cache ($java_version)" >&2
  plain=$(measure plain "$java" "${jar_options[@]}" -jar "$jar" score \
    --input "$work/input.csv" --output "$work/jar" --id id --progress-seconds 30)
  rm -rf "$work/jar"
fi
echo "scoring with the jar ($java_version; $started)" >&2
ours=$(measure jar "$java" "${ours_options[@]}" -jar "$jar" score \
  --input "$work/input.csv" --output "$work/jar" --id id --progress-seconds 30)
scored=$(($(wc -l < "$work/jar/part-00000-of-00001.csv") - 1))
if [[ -n "$baseline" ]]; then
  echo "scoring with the baseline jar" >&2
  base=$(measure baseline "$java" "${base_options[@]}" -jar "$baseline" score \
    --input "$work/input.csv" --output "$work/baseline" --id id --progress-seconds 30)
  same=no
  cmp -s "$work/jar/part-00000-of-00001.csv" "$work/baseline/part-00000-of-00001.csv" && same=yes
  rm -rf "$work/baseline"
fi
if $jsonl; then
  echo "the same rows as JSON Lines, scored with the jar$([[ -n "$baseline" ]] && echo " and the baseline jar")" >&2
  awk -F, 'NR > 1 { printf "{\"id\":%s,\"sepal_length\":%s,\"sepal_width\":%s,\"petal_length\":%s,\"petal_width\":%s}\n", $1, $2, $3, $4, $5 }' \
    "$work/input.csv" > "$work/input.jsonl"
  jsonl_ours=$(measure jsonl "$java" "${ours_options[@]}" -jar "$jar" score \
    --input "$work/input.jsonl" --output "$work/jsonl" --id id --progress-seconds 30)
  if [[ -n "$baseline" ]]; then
    jsonl_base=$(measure jsonl-baseline "$java" "${base_options[@]}" -jar "$baseline" score \
      --input "$work/input.jsonl" --output "$work/jsonl-baseline" --id id --progress-seconds 30)
    jsonl_same=no
    cmp -s "$work/jsonl/part-00000-of-00001.jsonl" "$work/jsonl-baseline/part-00000-of-00001.jsonl" && jsonl_same=yes
  fi
  rm -rf "$work/input.jsonl" "$work/jsonl" "$work/jsonl-baseline"
fi
echo "scoring with pandas and scikit-learn" >&2
peer=$(measure pandas /usr/bin/python3 "$here/seed/score.py" "$work/seed" "$work/input.csv" "$work/pandas.csv")
peer_scored=$(($(wc -l < "$work/pandas.csv") - 1))
[[ "$scored" -eq "$rows" && "$peer_scored" -eq "$rows" ]] ||
  { echo "batch.sh: scored $scored and $peer_scored of $rows rows" >&2; exit 1; }

echo "$rows rows, $((bytes / 1000000)) MB of CSV; one core each (taskset -c 0); $(nproc) cores: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'); $java_version; $(date -u +%Y-%m-%dT%H:%MZ)"
echo
echo "| Scorer | Wall s | CPU s | Rows/s per core | Peak RSS MiB |"
echo "| --- | --- | --- | --- | --- |"
row() { # label wall user sys rss -> table row, and rows/s per core on stderr-free stdout
  awk -v label="$1" -v wall="$2" -v cpu="$(awk -v u="$3" -v s="$4" 'BEGIN { print u + s }')" -v rss="$5" -v n="$rows" \
    'BEGIN { printf "| %s | %.1f | %.1f | %d | %d |\n", label, wall, cpu, n / cpu, rss / 1024 }'
}
read -r _ w u s m <<< "$ours"
row "score mode (jar, 384 MiB heap; $started)" "$w" "$u" "$s" "$m"
ours_rate=$(awk -v u="$u" -v s="$s" -v n="$rows" 'BEGIN { print n / (u + s) }') ours_rss=$m
if $aot; then
  read -r _ w u s m <<< "$plain"
  row "score mode, no AOT cache (java -jar)" "$w" "$u" "$s" "$m"
  plain_rate=$(awk -v u="$u" -v s="$s" -v n="$rows" 'BEGIN { print n / (u + s) }')
fi
if [[ -n "$baseline" ]]; then
  read -r _ w u s m <<< "$base"
  row "score mode of the baseline jar ($(basename "$baseline" .jar))" "$w" "$u" "$s" "$m"
  base_rate=$(awk -v u="$u" -v s="$s" -v n="$rows" 'BEGIN { print n / (u + s) }') base_rss=$m
fi
if $jsonl; then
  read -r _ w u s m <<< "$jsonl_ours"
  row "score mode, the same rows as JSON Lines" "$w" "$u" "$s" "$m"
  jsonl_rate=$(awk -v u="$u" -v s="$s" -v n="$rows" 'BEGIN { print n / (u + s) }')
  if [[ -n "$baseline" ]]; then
    read -r _ w u s m <<< "$jsonl_base"
    row "score mode of the baseline jar, JSON Lines" "$w" "$u" "$s" "$m"
    jsonl_base_rate=$(awk -v u="$u" -v s="$s" -v n="$rows" 'BEGIN { print n / (u + s) }')
  fi
fi
read -r _ w u s m <<< "$peer"
row "pandas + scikit-learn" "$w" "$u" "$s" "$m"
peer_rate=$(awk -v u="$u" -v s="$s" -v n="$rows" 'BEGIN { print n / (u + s) }') peer_rss=$m
echo
awk -v a="$ours_rate" -v b="$peer_rate" -v ra="$ours_rss" -v rb="$peer_rss" 'BEGIN {
  printf "score mode: %.2fx the rows/s per core of pandas + scikit-learn, %.2fx its peak memory\n", a / b, ra / rb }'
if $aot; then
  awk -v a="$plain_rate" -v b="$peer_rate" 'BEGIN {
    printf "score mode, no AOT cache: %.2fx the rows/s per core of pandas + scikit-learn\n", a / b }'
fi
if [[ -n "$baseline" ]]; then
  awk -v a="$ours_rate" -v b="$base_rate" -v ra="$ours_rss" -v rb="$base_rss" -v same="$same" 'BEGIN {
    printf "score mode: %.2fx the rows/s per core of the baseline jar, %.2fx its peak memory; output part byte-identical to the baseline'"'"'s: %s\n", a / b, ra / rb, same }'
fi
if $jsonl && [[ -n "$baseline" ]]; then
  awk -v a="$jsonl_rate" -v b="$jsonl_base_rate" -v same="$jsonl_same" 'BEGIN {
    printf "score mode, JSON Lines: %.2fx the rows/s per core of the baseline jar; output part byte-identical to the baseline'"'"'s: %s\n", a / b, same }'
fi

$profile || exit 0
# Where the jar's CPU goes: the same run again under JDK Flight Recorder (settings=profile), each
# Java sample given to the first part below that has a frame in its stack (so the shares add up to
# 100%), and its share of the run's user CPU divided by the rows; system CPU (the kernel's file
# reads and writes) is not sampled and has its own row.
echo "profiling the jar" >&2
jfr_tool="$(dirname "$(readlink -f "$(command -v "$java")")")/jfr"
rm -rf "$work/jar"
profiled=$(measure profiled "$java" "${ours_options[@]}" \
  -XX:StartFlightRecording=filename="$work/score.jfr",settings=profile -jar "$jar" score \
  --input "$work/input.csv" --output "$work/jar" --id id --progress-seconds 30)
rm -rf "$work/jar"
"$jfr_tool" print --events jdk.ExecutionSample --stack-depth 200 "$work/score.jfr" > "$work/samples.txt"
read -r _ _ u s _ <<< "$profiled"
echo
echo "Where the score mode's CPU goes, from JDK Flight Recorder's samples of one more run ($u s user, $s s system CPU):"
echo
echo "| Part (frames in the sample's stack) | Share of samples | µs per row |"
echo "| --- | --- | --- |"
printf '%s\t%s\n' \
  "formatting probabilities as text (DecimalText; Double.toString on JDK 17)" 'DecimalText|DoubleToDecimal|FloatingDecimal|ToDecimal' \
  "the model (LinearScorer, Tribuo)" 'dev\.predictfn\.model|org\.tribuo' \
  "drift: each value into its bin (DriftTally)" 'DriftTally|FeatureBins' \
  "parsing and validating the line (CsvFastPath, DirectValues, Decimal; CsvRows, RowReader for the rest)" 'CsvFastPath\.read|JsonLinesFastPath\.read|DirectValues|CsvRows\.parse|CsvRows\.split|JsonLinesRows\.parse|dev\.predictfn\.rows' \
  "writing the output line (the fast path's writePrediction, PartOutput; CsvRows, StringBuilder for the rest)" 'FastPath\.writePrediction|PartOutput|CsvRows|JsonLinesRows\.write|StringBuilder' \
  "reading lines (PieceReader)" 'PieceReader' \
  "the loop that ties them (ScoreTask, Chunk)" 'ScoreTask|Chunk' > "$work/parts.tsv"
awk -f "$here/jfr-shares.awk" "$work/parts.tsv" "$work/samples.txt" |
  awk -F'\t' -v user="$u" -v sys="$s" -v rows="$rows" '
  { count[NR] = $1; label[NR] = $2; if ($2 == "total") total = $1 }
  END {
    for (i = 1; i <= NR; i++) {
      if (label[i] == "total") continue
      printf "| %s | %.0f%% | %.3f |\n", (label[i] == "other" ? "the rest: start-up (class loading, the bundle), JDK" : label[i]),
        count[i] * 100 / total, count[i] / total * user * 1e6 / rows
    }
    printf "| the kernel: file reads and writes (system CPU, not sampled) | | %.3f |\n", sys * 1e6 / rows
    printf "| (Java samples) | %d | |\n", total
  }'
