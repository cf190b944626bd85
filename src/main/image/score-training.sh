#!/usr/bin/env bash
# Records a JDK AOT cache for the score mode (a Cloud Run job's task, docs/batch.md): one run of
# `score` over a generated CSV for whichever model is bundled, started with -XX:AOTCacheOutput, so
# the cache holds the classes a task loads and links, and no method profiles
# (-XX:-AOTRecordTraining, a diagnostic flag of the recording run only; the tasks that start from
# the cache need none). A task replays a cache's profiles into early compilations, and for a loop
# that runs millions of times that cost CPU per row against the JIT's own profiles, whichever
# workload recorded them (docs/container-image.md). This is what cloudrun/score-job.sh's tasks
# start from (/app/aot/score.aot). Used by aot-cache.sh for the image and by
# bench/jar-aot-cache.sh --score for the jar.
#
#   score-training.sh CARD CACHE ROWS JAVA JVM_ARGUMENTS... (up to and including the main class or -jar JAR)
#
# CARD is the model card (GET /model): the CSV has an id column, then the card's features in its
# order; numeric values uniform between the training minimum and maximum (four decimals, plain),
# categorical values each category in turn; one row in 10,000 has a value no model reads, so the
# reject path is loaded too. Needs jq and awk.
set -euo pipefail
[ $# -ge 5 ] || { echo "usage: score-training.sh CARD CACHE ROWS JAVA JVM_ARGUMENTS..." >&2; exit 2; }
card="$1" cache="$2" rows="$3" java="$4"
shift 4
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# A CSV cell as the score mode reads it: quoted only when it holds a comma or a quote.
cell='if test("[,\"]") then "\"" + gsub("\""; "\"\"") + "\"" else . end'
header=$(jq -r "[\"id\"] + [.features[] | $cell] | join(\",\")" "$card")
# One line per feature: "n<TAB>min<TAB>max", or "c<TAB>" and its categories separated by tabs.
jq -r ".schema[] | if .kind == \"numeric\" then \"n\t\(.numeric.min // 0)\t\(.numeric.max // 1)\"
  else \"c\t\" + ([.categorical.frequencies | keys_unsorted[] | $cell] | join(\"\t\")) end" \
  "$card" > "$work/features.tsv"
mkdir "$work/in"
awk -F'\t' -v rows="$rows" -v header="$header" '
  { kind[NR] = $1; lo[NR] = $2; hi[NR] = $3; n[NR] = NF - 1; for (i = 2; i <= NF; i++) cat[NR, i - 2] = $i }
  END {
    srand(1)
    print header
    for (r = 0; r < rows; r++) {
      line = r
      for (f = 1; f <= NR; f++) {
        if (f == 1 && r % 10000 == 9999) v = "?"
        else if (kind[f] == "n") v = sprintf("%.4f", lo[f] + (hi[f] - lo[f]) * rand())
        else v = cat[f, r % n[f]]
        line = line "," v
      }
      print line
    }
  }' "$work/features.tsv" > "$work/in/training.csv"

rm -f "$cache"
"$java" -XX:AOTCacheOutput="$cache" -XX:+UnlockDiagnosticVMOptions -XX:-AOTRecordTraining "$@" score --input "$work/in/training.csv" \
  --output "$work/out" --id id > "$work/score.log" 2>&1 \
  || { cat "$work/score.log" >&2; echo "score-training.sh: the score run failed" >&2; exit 1; }
grep -q "score summary: task 0 of 1: $rows rows read" "$work/score.log" \
  || { cat "$work/score.log" >&2; echo "score-training.sh: the score run did not read $rows rows" >&2; exit 1; }
[ -s "$cache" ] || { cat "$work/score.log" >&2; echo "score-training.sh: no AOT cache was written" >&2; exit 1; }
echo "score-training.sh: $cache ($(du -h "$cache" | cut -f1)), recorded scoring $rows rows"
