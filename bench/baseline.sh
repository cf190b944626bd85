#!/usr/bin/env bash
# The jar of an earlier commit, for the benchmarks that measure it beside this working tree's in
# the same run (bench/batch.sh and bench/bigquery.sh --baseline, bench/suite.sh --baseline): builds
# it once from the commit's own files (git archive, its own Maven wrapper and pom) into
# target/bench/baseline-COMMIT.jar, and prints that path.
set -euo pipefail

usage() {
  cat <<USAGE
usage: bench/baseline.sh REV
  REV: a commit, tag or branch of this repository, e.g. the commit of the report being replaced
USAGE
}
[[ $# -eq 1 && "$1" != -h && "$1" != --help ]] || { usage >&2; exit 2; }
root=$(cd "$(dirname "$0")/.." && pwd)
commit=$(git -C "$root" rev-parse --short=12 --verify "$1^{commit}") ||
  { echo "baseline.sh: $1 is not a commit of this repository" >&2; exit 2; }
jar="$root/target/bench/baseline-$commit.jar"
if [[ ! -f "$jar" ]]; then
  copy=$(mktemp -d)
  trap 'rm -rf "$copy"' EXIT
  git -C "$root" archive "$commit" | tar -x -C "$copy"
  echo "baseline.sh: building the jar of $commit" >&2
  (cd "$copy" && ./mvnw -B -q --no-transfer-progress package -DskipTests >&2)
  version=$(sed -n 's:.*<revision>\(.*\)</revision>.*:\1:p' "$copy/pom.xml" | head -1)
  mkdir -p "$(dirname "$jar")"
  cp "$copy/target/prediction-function-$version.jar" "$jar"
fi
echo "$jar"
