#!/usr/bin/env bash
# The shadow gate, before any traffic: sends the same labelled rows to the serving and the
# candidate revision, taking turns, and compares what they answer.
#
#   cloudrun/compare.sh SERVING_URL CANDIDATE_URL [--rows CSV]... [--report DIR]
#
# --rows CSV    labelled rows: the models' features and their label column; repeat for several
#               sets, each judged on its own. Default: every CSV in target/model-bundle/comparison/,
#               where each build writes its held-out rows (candidate.csv) and the released model's
#               (released.csv, named by the spec's reference.comparison_set).
# --report DIR  where shadow-report.md and shadow-report.json go (default target/release); the
#               Markdown is also appended to $GITHUB_STEP_SUMMARY when that is set.
# Gates: quality per labelled set against the serving revision and the spec's minimums,
# agreement (exact when both serve the same model), 5xx, p99 latency. Thresholds and their
# reasons: cloudrun/gates.env (SHADOW_*); an environment variable of the same name overrides one.
# Identity tokens only for https URLs (private Cloud Run): COMPARE_ID_TOKEN, else SMOKE_ID_TOKEN,
# else `gcloud auth print-identity-token`. A plain http URL (a local instance) gets none.
# The comparison runs from target/ (./mvnw compile builds it when missing).
# Exit 0: the candidate may take traffic. 3: a gate failed (the report names it, with numbers).
# 1: the comparison could not be made (RUNBOOK.md, "Playbook: the shadow gate failed").
# shellcheck source=cloudrun/lib.sh
source "$(dirname "$0")/lib.sh"

serving="" candidate="" rows=() report="${RELEASE_DIR:-target/release}"
while [ $# -gt 0 ]; do
  case "$1" in
    --rows) rows+=("$2"); shift 2 ;;
    --report) report="$2"; shift 2 ;;
    --help|-h) usage ;;
    -*) echo "compare.sh: unknown option $1" >&2; usage 2 ;;
    *)
      if [ -z "$serving" ]; then serving="${1%/}"
      elif [ -z "$candidate" ]; then candidate="${1%/}"
      else echo "compare.sh: unexpected argument $1" >&2; usage 2
      fi
      shift ;;
  esac
done
[ -n "$serving" ] && [ -n "$candidate" ] || die "name both base URLs: compare.sh SERVING_URL CANDIDATE_URL"
project="$(cd "$CLOUDRUN_DIR/.." && pwd)"
if [ ${#rows[@]} -eq 0 ]; then
  for file in "$project"/target/model-bundle/comparison/*.csv; do
    [ -e "$file" ] && rows+=("$file")
  done
  [ ${#rows[@]} -gt 0 ] ||
    die "no labelled rows: pass --rows CSV, or build first (./mvnw process-classes writes target/model-bundle/comparison/)"
fi
args=()
for file in "${rows[@]}"; do
  [ -r "$file" ] || die "cannot read $file"
  args+=(--rows "$(cd "$(dirname "$file")" && pwd)/$(basename "$file")")
done
mkdir -p "$report"
report="$(cd "$report" && pwd)"

# An identity token only where one is needed: Cloud Run's private https URLs.
if [[ "$serving" == https://* || "$candidate" == https://* ]]; then
  token="${COMPARE_ID_TOKEN:-${SMOKE_ID_TOKEN:-}}"
  if [ -z "$token" ]; then
    token=$(gcloud auth print-identity-token) ||
      die "no identity token: set COMPARE_ID_TOKEN or log in with gcloud auth login"
  fi
  export COMPARE_ID_TOKEN="$token"
else
  unset COMPARE_ID_TOKEN
fi

tool="$project/target/training-classes/dev/predictfn/tools/CompareCommand.class"
if [ ! -f "$tool" ] || [ ! -f "$project/target/tools.classpath" ]; then
  log "building the comparison tool (./mvnw compile)"
  (cd "$project" && ./mvnw -B -q --no-transfer-progress compile) >&2 ||
    die "./mvnw compile failed; the comparison could not be made"
fi
classpath="$project/target/classes:$project/target/training-classes:$(cat "$project/target/tools.classpath")"

status=0
java -cp "$classpath" dev.predictfn.tools.Tools compare "$serving" "$candidate" "${args[@]}" \
  --gates "$CLOUDRUN_DIR/gates.env" --report "$report" || status=$?
if [ -n "${GITHUB_STEP_SUMMARY:-}" ] && [ -f "$report/shadow-report.md" ]; then
  cat "$report/shadow-report.md" >>"$GITHUB_STEP_SUMMARY"
fi
case "$status" in
  0) log "passed: the candidate may take traffic ($report/shadow-report.md)" ;;
  3) log "FAILED: the candidate must not take traffic ($report/shadow-report.md; RUNBOOK.md, \"Playbook: the shadow gate failed\")" ;;
  *) status=1; log "the comparison could not be made (above)" ;;
esac
exit "$status"
