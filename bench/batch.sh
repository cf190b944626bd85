#!/usr/bin/env bash
# Batch scoring of one large CSV, side by side in the same run and on one core each (taskset):
# the service's score mode (the jar, with the 384 MiB heap a job task with 512 MiB gets, as in
# docs/batch.md) and the seed-style Python way (pandas read_csv of the whole file, scikit-learn
# predict and predict_proba, to_csv: bench/seed/score.py, Debian's python3-pandas and
# python3-sklearn), over rounds, since these machines change speed within minutes: in each round
# the jar runs right before pandas and right after it, so that its two runs (about 25 s each at
# the default size) span the stretch of machine time pandas' one run (minutes) takes, and the
# round's ratio is the jar's rows over both its runs' CPU seconds against pandas'.
# Prints a Markdown table of rows/s per core (rows over CPU seconds), wall time and peak resident
# memory (GNU time), each round's ratio, and the median of the rounds' ratios; with --profile, one
# more run of the jar under JDK Flight Recorder and where its CPU goes per row; with --baseline, an
# earlier commit's jar (bench/baseline.sh) on the same input and JVM, beside it, and whether their
# outputs are the same bytes; with --aot, each jar starts as its image's job tasks start: from a JDK
# AOT cache recorded the way the image records its own (bench/jar-aot-cache.sh: a serving workload
# on loopback, with the runs' JVM options), this commit's without replaying the cache's method
# profiles (the image's /app/score.args), the baseline's replaying them (its image's entrypoint);
# the jar also runs once without a cache and once replaying the profiles, and a task's start (the
# first 100 rows) is timed all three ways. No network; the input is generated.
set -euo pipefail

usage() {
  cat <<USAGE
usage: bench/batch.sh [--rows N] [--rounds N] [--jar JAR] [--java JAVA] [--baseline JAR] [--jsonl] [--aot] [--profile]
  --rows N     rows of the generated CSV (default 44000000, about 1 GB)
  --rounds N   rounds of the jar, pandas and the jar again (default 3); the ratio is the median
               of the rounds' ratios
  --jar JAR    the service's jar (default target/prediction-function-VERSION.jar; ./mvnw package)
  --java JAVA  the java that runs it (default: java on the PATH); the image runs JDK 25
  --baseline JAR
               also an earlier commit's jar (bench/baseline.sh REV), on the same JVM and input
  --jsonl      also score the same rows as JSON Lines with the jar (and the baseline's)
  --aot        start each jar as its image's job tasks start, from a JDK AOT cache recorded as
               the image records its own (bench/jar-aot-cache.sh; JAVA must be JDK 25); also
               run the jar once without a cache and once replaying the cache's profiles, and
               time a task's start (100 rows) each of the three ways
  --profile    also profile a run of the jar: the share of CPU and microseconds per row of each
               part of the score mode (reading, parsing, the model, formatting, writing, drift)
USAGE
}

rows=44000000 rounds=3 jar="" java=java profile=false baseline="" jsonl=false aot=false
while [[ $# -gt 0 ]]; do
  case "$1" in
    --rows) rows="$2"; shift 2 ;;
    --rounds) rounds="$2"; shift 2 ;;
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
source "$here/common.sh" # median, cpu_mark, cpu_since
root="$here/.."
[[ "$rounds" =~ ^[1-9][0-9]*$ ]] || { echo "batch.sh: --rounds takes a positive whole number" >&2; exit 2; }
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

measure() { # label round command...: appends "label round wall user sys maxrss_kib" to runs.txt
  local label="$1" round="$2"
  shift 2
  /usr/bin/time -f "%e %U %S %M" -o "$work/time.txt" taskset -c 0 "$@" > "$work/$label.log" 2>&1 ||
    { echo "batch.sh: $label failed:" >&2; tail -5 "$work/$label.log" >&2; exit 1; }
  echo "$label $round $(cat "$work/time.txt")" >> "$work/runs.txt"
}
score() { # label round input output jar options...: the score mode of the jar, into a fresh output
  local label="$1" round="$2" input="$3" output="$4" file="$5"
  shift 5
  rm -rf "$output"
  echo "round $round: $label" >&2
  measure "$label" "$round" "$java" "$@" -jar "$file" score \
    --input "$input" --output "$output" --id id --progress-seconds 30
}
pandas() { # round
  echo "round $1: pandas and scikit-learn" >&2
  measure pandas "$1" /usr/bin/python3 "$here/seed/score.py" "$work/seed" "$work/input.csv" "$work/pandas.csv"
}
java_version=$("$java" -version 2>&1 | head -1)
jar_options=(-Xmx384m -XX:+UseSerialGC -XX:ActiveProcessorCount=1)
ours_options=("${jar_options[@]}") base_options=("${jar_options[@]}") started="java -jar"
if $aot; then
  # Recorded with the runs' options, as the image records its cache with its own.
  echo "recording the jars' AOT caches (bench/jar-aot-cache.sh)" >&2
  bash "$here/jar-aot-cache.sh" --java "$java" "$jar" "$work/jar.aot" "${jar_options[@]}" > /dev/null
  replay_options=("${jar_options[@]}" -XX:AOTCache="$work/jar.aot" --sun-misc-unsafe-memory-access=allow)
  # As /app/score.args starts a job task (src/main/image/aot-cache.sh).
  ours_options=("${replay_options[@]}" -XX:+UnlockDiagnosticVMOptions -XX:-AOTReplayTraining)
  if [[ -n "$baseline" ]]; then
    bash "$here/jar-aot-cache.sh" --java "$java" "$baseline" "$work/baseline.aot" "${jar_options[@]}" > /dev/null
    base_options+=(-XX:AOTCache="$work/baseline.aot" --sun-misc-unsafe-memory-access=allow)
  fi
  started="the image's AOT cache, its profiles not replayed, as a job task starts"
fi

# Round 1 runs every scorer once, each next to the one it is compared with: the baseline jar and
# the jar beside it (whose outputs are compared), the two JSON Lines runs, the jar without a cache
# and replaying the profiles; then, as every round does, the jar right before pandas and right
# after it. The jar's two runs bracket pandas' one, so a slow or fast stretch of the machine
# during pandas' minutes weighs on the jar's side of the round too; the ratio to pandas is the
# median of the rounds' own ratios. The round's CPU (steal) is read over those three runs.
if [[ -n "$baseline" ]]; then
  score baseline 1 "$work/input.csv" "$work/baseline" "$baseline" "${base_options[@]}"
  score beside-baseline 1 "$work/input.csv" "$work/jar" "$jar" "${ours_options[@]}"
  same=no
  cmp -s "$work/jar/part-00000-of-00001.csv" "$work/baseline/part-00000-of-00001.csv" && same=yes
  rm -rf "$work/baseline"
fi
if $jsonl; then
  awk -F, 'NR > 1 { printf "{\"id\":%s,\"sepal_length\":%s,\"sepal_width\":%s,\"petal_length\":%s,\"petal_width\":%s}\n", $1, $2, $3, $4, $5 }' \
    "$work/input.csv" > "$work/input.jsonl"
  if [[ -n "$baseline" ]]; then
    score jsonl-baseline 1 "$work/input.jsonl" "$work/jsonl-baseline" "$baseline" "${base_options[@]}"
  fi
  score jsonl 1 "$work/input.jsonl" "$work/jsonl" "$jar" "${ours_options[@]}"
  if [[ -n "$baseline" ]]; then
    jsonl_same=no
    cmp -s "$work/jsonl/part-00000-of-00001.jsonl" "$work/jsonl-baseline/part-00000-of-00001.jsonl" && jsonl_same=yes
  fi
  rm -rf "$work/input.jsonl" "$work/jsonl" "$work/jsonl-baseline"
fi
if $aot; then
  score plain 1 "$work/input.csv" "$work/plain" "$jar" "${jar_options[@]}"
  score replay 1 "$work/input.csv" "$work/plain" "$jar" "${replay_options[@]}"
  rm -rf "$work/plain"
fi
cpu_mark "$work/round.cpu"
score jar 1 "$work/input.csv" "$work/jar" "$jar" "${ours_options[@]}"
scored=$(($(wc -l < "$work/jar/part-00000-of-00001.csv") - 1))
pandas 1
peer_scored=$(($(wc -l < "$work/pandas.csv") - 1))
[[ "$scored" -eq "$rows" && "$peer_scored" -eq "$rows" ]] ||
  { echo "batch.sh: scored $scored and $peer_scored of $rows rows" >&2; exit 1; }
score jar-after 1 "$work/input.csv" "$work/jar" "$jar" "${ours_options[@]}"
echo "1 $(cpu_since "$work/round.cpu")" > "$work/steal.txt"
for ((round = 2; round <= rounds; round++)); do
  cpu_mark "$work/round.cpu"
  score jar "$round" "$work/input.csv" "$work/jar" "$jar" "${ours_options[@]}"
  pandas "$round"
  score jar-after "$round" "$work/input.csv" "$work/jar" "$jar" "${ours_options[@]}"
  echo "$round $(cpu_since "$work/round.cpu")" >> "$work/steal.txt"
done
rm -rf "$work/jar" "$work/pandas.csv"

rate() { # labels round -> rows over CPU seconds of the runs of that round with one of the labels
  awk -v labels="$1" -v round="$2" -v n="$rows" '$1 ~ "^(" labels ")$" && $2 == round { k++; cpu += $4 + $5 }
    END { printf "%.3f\n", n * k / cpu }' "$work/runs.txt"
}
echo "$rows rows, $((bytes / 1000000)) MB of CSV; one core each (taskset -c 0); $(nproc) cores: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'); $java_version; $(date -u +%Y-%m-%dT%H:%MZ)"
echo
echo "| Scorer | Runs | Wall s | CPU s | Rows/s per core | Peak RSS MiB |"
echo "| --- | --- | --- | --- | --- | --- |"
stats() { # labels -> "runs wall cpu rss" of their runs: how many, the medians of wall and CPU seconds, the largest RSS (KiB)
  awk -v labels="$1" '$1 ~ "^(" labels ")$"' "$work/runs.txt" > "$work/picked.txt"
  echo "$(wc -l < "$work/picked.txt") $(awk '{ print $3 }' "$work/picked.txt" | median)" \
    "$(awk '{ print $4 + $5 }' "$work/picked.txt" | median) $(awk '$6 > m { m = $6 } END { print m }' "$work/picked.txt")"
}
rss() { stats "$1" | cut -d' ' -f4; }
ours="jar|jar-after|beside-baseline" # every run of the jar as its tasks start
row() { # labels title -> the scorer table's row of their runs
  local k wall cpu kib
  read -r k wall cpu kib <<< "$(stats "$1")"
  awk -v title="$2" -v k="$k" -v w="$wall" -v c="$cpu" -v n="$rows" -v rss="$kib" \
    'BEGIN { printf "| %s | %d | %.1f | %.1f | %.0f | %d |\n", title, k, w, c, n / c, rss / 1024 }'
}
row "$ours" "score mode (jar, 384 MiB heap; $started)"
$aot && row plain "score mode, no AOT cache (java -jar)"
$aot && row replay "score mode, the AOT cache with its serving profiles replayed (the image's entrypoint)"
[[ -n "$baseline" ]] && row baseline "score mode of the baseline jar ($(basename "$baseline" .jar))"
if $jsonl; then
  row jsonl "score mode, the same rows as JSON Lines"
  [[ -n "$baseline" ]] && row jsonl-baseline "score mode of the baseline jar, JSON Lines"
fi
row pandas "pandas + scikit-learn"
echo
echo "The rounds: the jar right before pandas and right after it, its rows/s over both runs' CPU seconds (round 1 also runs the other scorers, each beside the one it is compared with); steal is the share of the machine's CPU time the hypervisor gave to another guest during the round:"
echo
echo "| Round | Score mode rows/s per core (before; after) | pandas + scikit-learn rows/s per core | Ratio | CPU during the round |"
echo "| --- | --- | --- | --- | --- |"
for ((round = 1; round <= rounds; round++)); do
  a=$(rate "jar|jar-after" "$round") b=$(rate pandas "$round")
  awk -v r="$round" -v a="$a" -v b="$b" -v cpu="$(sed -n "s/^$round //p" "$work/steal.txt")" \
    -v before="$(rate jar "$round")" -v after="$(rate jar-after "$round")" \
    'BEGIN { printf "| %d | %.0f (%.0f; %.0f) | %.0f | %.2fx | %s |\n", r, a, before, after, b, a / b, cpu }'
  awk -v a="$a" -v b="$b" 'BEGIN { print a / b }' >> "$work/ratios.txt"
done
echo
ratio=$(median < "$work/ratios.txt")
awk -v r="$ratio" -v k="$rounds" -v ra="$(rss "$ours")" -v rb="$(rss pandas)" 'BEGIN {
  printf "score mode: %.2fx the rows/s per core of pandas + scikit-learn (the median of %d rounds'"'"' ratios), %.2fx its peak memory\n", r, k, ra / rb }'
if $aot; then
  awk -v a="$(rate plain 1)" -v b="$(rate pandas 1)" 'BEGIN {
    printf "score mode, no AOT cache: %.2fx the rows/s per core of pandas + scikit-learn (round 1)\n", a / b }'
  awk -v a="$(rate replay 1)" -v b="$(rate pandas 1)" 'BEGIN {
    printf "score mode, the serving profiles replayed: %.2fx the rows/s per core of pandas + scikit-learn (round 1)\n", a / b }'
fi
if [[ -n "$baseline" ]]; then
  awk -v a="$(rate beside-baseline 1)" -v b="$(rate baseline 1)" -v ra="$(rss "$ours")" -v rb="$(rss baseline)" -v same="$same" 'BEGIN {
    printf "score mode: %.2fx the rows/s per core of the baseline jar (round 1), %.2fx its peak memory; output part byte-identical to the baseline'"'"'s: %s\n", a / b, ra / rb, same }'
fi
if $jsonl && [[ -n "$baseline" ]]; then
  awk -v a="$(rate jsonl 1)" -v b="$(rate jsonl-baseline 1)" -v same="$jsonl_same" 'BEGIN {
    printf "score mode, JSON Lines: %.2fx the rows/s per core of the baseline jar; output part byte-identical to the baseline'"'"'s: %s\n", a / b, same }'
fi

if $aot; then
  # A task's start: the input's first 100 rows, each way 5 times, taking turns.
  head -101 "$work/input.csv" > "$work/start.csv"
  for ((k = 1; k <= 5; k++)); do
    score start-jar "$k" "$work/start.csv" "$work/start" "$jar" "${ours_options[@]}"
    score start-replay "$k" "$work/start.csv" "$work/start" "$jar" "${replay_options[@]}"
    score start-plain "$k" "$work/start.csv" "$work/start" "$jar" "${jar_options[@]}"
  done
  rm -rf "$work/start" "$work/start.csv"
  echo
  echo "A task's start: the same JVM scoring the input's first 100 rows, each way 5 times, taking turns (medians; the largest resident set):"
  echo
  echo "| Started | Wall s | CPU s | Peak RSS MiB |"
  echo "| --- | --- | --- | --- |"
  for way in "jar:from $started" "replay:from the AOT cache, its serving profiles replayed" "plain:without an AOT cache"; do
    read -r k wall cpu kib <<< "$(stats "start-${way%%:*}")"
    awk -v t="${way#*:}" -v w="$wall" -v c="$cpu" -v m="$kib" \
      'BEGIN { printf "| %s | %.2f | %.2f | %d |\n", t, w, c, m / 1024 }'
  done
fi

$profile || exit 0
# Where the jar's CPU goes: the same run again under JDK Flight Recorder (settings=profile), each
# Java sample given to the first part below that has a frame in its stack (so the shares add up to
# 100%), and its share of the run's user CPU divided by the rows; system CPU (the kernel's file
# reads and writes) is not sampled and has its own row. Each part's entry method is compiled on
# its own (CompileCommand dontinline): inlined into the loop, a sample's stack names the method
# of the nearest debug-information point, often not the one running, and the shares come out
# wrong (the drift tally got hardly a sample, though a stand-in that counts nothing saves a clear
# share of the run's CPU). The calls cost the profiled run a little: its CPU is beside the rounds'.
echo "profiling the jar" >&2
jfr_tool="$(dirname "$(readlink -f "$(command -v "$java")")")/jfr"
apart=(-XX:CompileCommand=quiet)
for method in PieceReader::next {Csv,JsonLines}FastPath::{read,writePrediction} Chunk::writeKept; do
  apart+=("-XX:CompileCommand=dontinline,dev.predictfn.batch.$method")
done
for method in 'model.Predictor$RowScorer::score' drift.DriftTally::add rows.DecimalText::write; do
  apart+=("-XX:CompileCommand=dontinline,dev.predictfn.$method")
done
rm -rf "$work/jar"
measure profiled 0 "$java" "${ours_options[@]}" "${apart[@]}" \
  -XX:StartFlightRecording=filename="$work/score.jfr",settings=profile -jar "$jar" score \
  --input "$work/input.csv" --output "$work/jar" --id id --progress-seconds 30
rm -rf "$work/jar"
"$jfr_tool" print --events jdk.ExecutionSample --stack-depth 200 "$work/score.jfr" > "$work/samples.txt"
read -r u s <<< "$(awk '$1 == "profiled" { print $4, $5 }' "$work/runs.txt")"
echo
echo "Where the score mode's CPU goes, from JDK Flight Recorder's samples of one more run, with each part's entry method compiled apart from the loop (\`-XX:CompileCommand=dontinline\`) so that a sample names the part it ran in ($u s user, $s s system CPU):"
echo
echo "| Part (frames in the sample's stack) | Share of samples | µs per row |"
echo "| --- | --- | --- |"
printf '%s\t%s\n' \
  "formatting probabilities as text (DecimalText; Double.toString on JDK 17)" 'DecimalText|DoubleToDecimal|FloatingDecimal|ToDecimal' \
  "the model (LinearScorer, Tribuo)" 'dev\.predictfn\.model|org\.tribuo' \
  "drift: each value into its bin (DriftTally)" 'DriftTally|FeatureBins' \
  "parsing and validating the line (CsvFastPath, DirectValues, Decimal; CsvRows, RowReader for the rest)" 'CsvFastPath\.read|JsonLinesFastPath\.read|DirectValues|CsvRows\.parse|CsvRows\.split|JsonLinesRows\.parse|dev\.predictfn\.rows' \
  "writing the output line (the fast path's writePrediction, PartOutput; CsvRows, StringBuilder for the rest)" 'FastPath\.writePrediction|PartOutput|Chunk\.writeKept|CsvRows|JsonLinesRows\.write|StringBuilder' \
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
