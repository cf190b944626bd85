# shellcheck shell=bash
# Shared by the scripts in cloudrun/ (sourced, not run). Bash with gcloud, curl and jq (and bq).
#
# Configuration comes from the environment, the same names as the repository variables
# (docs/operations.md, "One-time setup"): GCP_PROJECT_ID, GCP_REGION, CLOUD_RUN_SERVICE.
# DRY_RUN=1 prints every gcloud command that would change something instead of running it.

set -euo pipefail

# shellcheck disable=SC2034 # used by the scripts that source this file
CLOUDRUN_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

die() {
  echo "$(basename "$0"): $*" >&2
  exit 1
}

# The script's help, then exit with $1 (default 0): its leading comment block, from the line after
# #! to the shellcheck directive or the first line of code, without the "# ".
usage() {
  awk 'NR == 1 { next } !/^#/ || /^# shellcheck/ { exit } { sub(/^# ?/, ""); print }' "$0"
  exit "${1:-0}"
}

log() {
  echo "$(basename "$0"): $*" >&2
}

# Fails with the names of the variables that are empty or unset.
require_env() {
  local missing=()
  for name in "$@"; do
    [ -n "${!name:-}" ] || missing+=("$name")
  done
  [ ${#missing[@]} -eq 0 ] ||
    die "set ${missing[*]} (the repository variables; docs/operations.md, \"One-time setup\")"
}

# Prints a command the way a shell would read it back.
show() {
  local quoted
  printf -v quoted '%q ' "$@"
  echo "+ ${quoted% }" >&2
}

# A gcloud command that changes something: shown, then run unless DRY_RUN=1.
change() {
  show gcloud "$@"
  [ "${DRY_RUN:-0}" = 1 ] || gcloud "$@"
}

# A gcloud command that only reads: shown and run, also in a dry run.
read_only() {
  show gcloud "$@"
  gcloud "$@"
}

# The same for bq, BigQuery's CLI.
bq_change() {
  show bq "$@"
  [ "${DRY_RUN:-0}" = 1 ] || bq "$@"
}

bq_read() {
  show bq "$@"
  bq "$@"
}

# The release version for a git tag: v1.2.3 -> 1.2.3. SemVer with an optional pre-release part
# (v1.2.3-rc.1); build metadata (+...) is refused because image tags cannot hold a '+'.
version_from_tag() {
  local tag="$1"
  local semver='^v(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)(-[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?$'
  [[ "$tag" =~ $semver ]] ||
    die "tag '$tag' is not a release tag: use v MAJOR.MINOR.PATCH, e.g. v1.4.0 or v1.4.0-rc.1"
  echo "${tag#v}"
}

# The Cloud Run traffic tag for a version: 1.2.3-rc.1 -> v1-2-3-rc-1 (lowercase, digits, '-').
traffic_tag() {
  local tag
  tag="v$(echo "$1" | tr 'A-Z.' 'a-z-')"
  [ ${#tag} -le 46 ] || die "version $1 is too long for a Cloud Run traffic tag ($tag)"
  echo "$tag"
}

# Checks the configuration and sets SERVICE_FLAGS, gcloud's location flags for the service.
init_service() {
  CLOUD_RUN_SERVICE="${CLOUD_RUN_SERVICE:-prediction-function}"
  require_env GCP_PROJECT_ID GCP_REGION
  SERVICE_FLAGS=("--region=$GCP_REGION" "--project=$GCP_PROJECT_ID")
}

# The service as JSON, or nothing when it does not exist yet.
service_json() {
  local found
  found=$(read_only run services list "${SERVICE_FLAGS[@]}" \
    --filter="metadata.name=$CLOUD_RUN_SERVICE" --format='value(metadata.name)')
  [ -n "$found" ] || return 0
  read_only run services describe "$CLOUD_RUN_SERVICE" "${SERVICE_FLAGS[@]}" --format=json
}

# One line per revision that receives traffic: "REVISION PERCENT".
serving_revisions() {
  jq -r '(.status.traffic // [])[] | select((.percent // 0) > 0) | "\(.revisionName) \(.percent)"'
}

# Prints what serves now: each revision with traffic, its share and tag, and the service URL.
print_serving() {
  local json
  json=$(service_json)
  [ -n "$json" ] || { echo "service $CLOUD_RUN_SERVICE does not exist"; return 0; }
  echo "$json" | jq -r '"Service \(.metadata.name): \(.status.url)",
    ((.status.traffic // [])[] | select((.percent // 0) > 0 or .tag != null)
      | "  \(.revisionName)  \(.percent // 0)%\(if .tag then "  tag \(.tag) \(.url)" else "" end)")'
}

# Moves all traffic to revision $1 by name (never --to-latest), then prints what serves.
move_all_traffic() {
  change run services update-traffic "$CLOUD_RUN_SERVICE" "${SERVICE_FLAGS[@]}" \
    --to-revisions="$1=100" || die "traffic was not moved to $1"
  [ "${DRY_RUN:-0}" = 1 ] || print_serving
}

# Writes key=value to the step outputs of a GitHub Actions job (and always to stdout).
output() {
  echo "$1=$2"
  [ -z "${GITHUB_OUTPUT:-}" ] || echo "$1=$2" >>"$GITHUB_OUTPUT"
}

# Sets each threshold of cloudrun/gates.env that the environment does not already set.
load_gates() {
  local key value
  while IFS='=' read -r key value; do
    case "$key" in '' | '#'*) continue ;; esac
    [[ "$key" =~ ^[A-Z0-9_]+$ ]] || die "$CLOUDRUN_DIR/gates.env: not KEY=VALUE: $key"
    [ -n "${!key:-}" ] || printf -v "$key" '%s' "$value"
  done <"$CLOUDRUN_DIR/gates.env"
}

# The traffic tag of revision $1 in service JSON on stdin, or nothing.
tag_of() {
  jq -r --arg name "$1" '[(.status.traffic // [])[] | select(.revisionName == $name and .tag != null) | .tag][0] // empty'
}

# The share of revision $1 in service JSON on stdin (0 when it has none).
share_of() {
  jq -r --arg name "$1" '[(.status.traffic // [])[] | select(.revisionName == $name) | (.percent // 0)] | add // 0'
}

# Marks a candidate that failed a release gate: its tag becomes rejected-TAG, so its URL stays for
# inspection, deploy.sh keeps it, and rollback.sh never picks it as "previous". Nothing is deleted.
reject_revision() {
  local revision="$1" tag rejected
  tag=$(service_json | tag_of "$revision")
  if [ -z "$tag" ]; then
    log "$revision has no tag to mark rejected"
    return 0
  fi
  case "$tag" in rejected-*) return 0 ;; esac
  rejected="rejected-$tag"
  rejected="${rejected:0:46}"
  change run services update-traffic "$CLOUD_RUN_SERVICE" "${SERVICE_FLAGS[@]}" \
    --update-tags="$rejected=$revision" --remove-tags="$tag" ||
    log "could not retag $revision as $rejected; do it by hand (RUNBOOK.md, \"Playbook: a canary step failed\")"
}

# The reverse, for a rejected candidate that passes a re-run of its canary and is promoted:
# rejected-TAG becomes TAG again, so rollbacks treat it like any released revision.
unreject_revision() {
  local revision="$1" tag
  tag=$(service_json | tag_of "$revision")
  case "$tag" in
    rejected-*)
      change run services update-traffic "$CLOUD_RUN_SERVICE" "${SERVICE_FLAGS[@]}" \
        --update-tags="${tag#rejected-}=$revision" --remove-tags="$tag" ||
        log "could not retag $revision as ${tag#rejected-}; do it by hand" ;;
  esac
}

# The job scripts' first argument, deploy or run, into $action (their usage() for --help).
# shellcheck disable=SC2034 # action is read by the script
job_action() {
  case "${1:-}" in
    deploy|run) action="$1" ;;
    --help|-h) usage ;;
    *) echo "$(basename "$0"): first argument must be deploy or run" >&2; usage 2 ;;
  esac
}

# Fails unless $1 names an image by digest, as every deploy takes it.
require_image_digest() {
  [[ "$1" =~ ^[a-z0-9.-]+/[^@:]+@sha256:[0-9a-f]{64}$ ]] ||
    die "--image must name an image by digest (HOST/PATH@sha256:<64 hex>), never by a tag: '$1'"
}

# Fails unless $1 names a retraining run's directory and $2 is a model's SHA-256, as the candidate
# workflow, fetch-candidate.sh and push-image.sh take a candidate.
require_candidate() {
  [[ "$1" =~ ^gs://[a-z0-9][a-z0-9._-]{1,220}[a-z0-9]/.+/$ ]] ||
    die "the candidate must be a retraining run's directory, gs://BUCKET/PREFIX/RUN/ (ending in /), not '$1'"
  [[ "$2" =~ ^[0-9a-f]{64}$ ]] || die "the candidate's sha256 must be 64 lower-case hex digits, not '$2'"
}

# execute_job JOB WAIT WHERE: starts an execution of Cloud Run job JOB, waiting for it when WAIT
# is true; WHERE says where to read why it failed.
execute_job() {
  local flags=()
  [ "$2" = false ] || flags+=(--wait)
  echo "== Execution of $1"
  change run jobs execute "$1" "${SERVICE_FLAGS[@]}" "${flags[@]}" || die "the execution failed: $3"
}

# ensure_service_account NAME DISPLAY-NAME: creates NAME@PROJECT unless it exists.
ensure_service_account() {
  local p=(--project="$GCP_PROJECT_ID")
  if read_only iam service-accounts describe "$1@$GCP_PROJECT_ID.iam.gserviceaccount.com" "${p[@]}" >/dev/null 2>&1; then
    echo "exists"
  else
    change iam service-accounts create "$1" --display-name="$2" "${p[@]}"
  fi
}

# schedule_job JOB CRON: a Cloud Scheduler job JOB-schedule that starts Cloud Run job JOB at CRON
# (UTC), as the account CLOUD_RUN_SERVICE-scheduler, which may run the jobs it is bound to and
# nothing else (created on first use; evaluate-job.sh and retrain-job.sh share it).
schedule_job() {
  local job="$1" cron="$2" p=(--project="$GCP_PROJECT_ID")
  local scheduler="$CLOUD_RUN_SERVICE-scheduler"
  local scheduler_sa="$scheduler@$GCP_PROJECT_ID.iam.gserviceaccount.com"
  echo "== Service account $scheduler: may run $job, nothing else"
  ensure_service_account "$scheduler" "$CLOUD_RUN_SERVICE scheduler (cloudrun/lib.sh schedule_job)"
  change run jobs add-iam-policy-binding "$job" "${SERVICE_FLAGS[@]}" \
    --member="serviceAccount:$scheduler_sa" --role=roles/run.invoker
  echo "== Schedule $job-schedule: $cron (UTC)"
  local uri="https://run.googleapis.com/v2/projects/$GCP_PROJECT_ID/locations/$GCP_REGION/jobs/$job:run"
  local verb=create
  if read_only scheduler jobs describe "$job-schedule" --location="$GCP_REGION" "${p[@]}" >/dev/null 2>&1; then
    verb=update
  fi
  change scheduler jobs "$verb" http "$job-schedule" --location="$GCP_REGION" \
    --schedule="$cron" --time-zone=Etc/UTC --uri="$uri" --http-method=POST \
    --oauth-service-account-email="$scheduler_sa" "${p[@]}"
  output schedule "$job-schedule"
}

# Whether $1 is a cron expression of five fields, such as '0 6 * * *'.
is_cron() {
  [[ "$1" =~ ^[0-9*/,-]+( [0-9*/,-]+){4}$ ]]
}
