#!/usr/bin/env bash
# The candidate workflow's first step (.github/workflows/candidate.yml): copies a retraining run's
# directory from the candidates bucket and checks, before anything is built, that it is the
# candidate named: a finished run (run.json) that ended with a candidate whose model file has the
# SHA-256 given. The build then verifies it in full (tools adopt, through push-image.sh
# --candidate) before it goes into an image.
#
#   cloudrun/fetch-candidate.sh --candidate gs://BUCKET/PREFIX/RUN/ --sha256 HEX --out DIR
#
# Prints (and writes to $GITHUB_OUTPUT) candidate_dir=DIR; writes the run's summary to
# $GITHUB_STEP_SUMMARY when set. Environment: GCP_PROJECT_ID.
# shellcheck source=cloudrun/lib.sh
source "$(dirname "$0")/lib.sh"

candidate="" sha="" out=""
while [ $# -gt 0 ]; do
  case "$1" in
    --candidate) candidate="$2"; shift 2 ;;
    --sha256) sha="$2"; shift 2 ;;
    --out) out="$2"; shift 2 ;;
    --help|-h) usage ;;
    *) echo "fetch-candidate.sh: unknown argument $1" >&2; usage 2 ;;
  esac
done
require_env GCP_PROJECT_ID
require_candidate "$candidate" "$sha"
[ -n "$out" ] || die "--out DIR is required"
[ ! -e "$out" ] || [ -z "$(ls -A "$out")" ] || die "--out $out is not empty"

mkdir -p "$out"
read_only storage rsync "$candidate" "$out" --recursive --project="$GCP_PROJECT_ID" >&2 ||
  die "could not copy $candidate (does it exist, and may the deployer read the bucket? cloudrun/retrain-job.sh grants it)"
run="$out/run.json"
[ -f "$run" ] || die "$candidate has no run.json: the run has not finished, or this is not a run's directory"
outcome=$(jq -r '.outcome' "$run")
[ "$outcome" = candidate ] ||
  die "$candidate ended with $outcome: $(jq -r '.message // ""' "$run") (RUNBOOK.md, \"Playbook: a retraining run failed its gate\")"
recorded=$(jq -r '.model_sha256' "$run")
[ "$recorded" = "$sha" ] || die "$candidate holds model $recorded, not the $sha named"
model="$out/$(jq -r '.bundle' "$run")model.tribuo"
[ -f "$model" ] || die "$candidate has no bundle at $(jq -r '.bundle' "$run")"
actual=$(sha256sum "$model" | cut -d' ' -f1)
[ "$actual" = "$sha" ] || die "$model has sha256 $actual, not $sha: the copy or the bucket is damaged"

summary=$(jq -r '"### Candidate \(.candidate)\n\n| | |\n|---|---|\n| Model | \(.model_name) `\(.model_sha256)` |\n| Data | `\(.data.uri)` sha256 `\(.data.sha256)` (\(.data.shards | length) file(s)) |\n| Spec | \(.spec) sha256 `\(.spec_sha256)` |\n| Job execution | \(.job // "-") / \(.execution // "-") |\n| Trained | \(.started_at) to \(.finished_at) |\n| Exit code | \(.exit_code) (train \(.tools.train), gate \(.tools.gate), drift \(.tools.drift)) |"' "$run")
echo "$summary" >&2
[ -z "${GITHUB_STEP_SUMMARY:-}" ] || printf '%s\n\n' "$summary" >>"$GITHUB_STEP_SUMMARY"
output candidate_dir "$out"
