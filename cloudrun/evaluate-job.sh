#!/usr/bin/env bash
# Online accuracy as a Cloud Run job: the service's own image runs `evaluate` over the records a
# Cloud Storage logging sink writes (cloudrun/setup-records.sh --bucket), the bucket mounted at
# /records through a Cloud Storage volume (no client library). It writes
# evaluate/online-accuracy.json into the bucket and logs one line per revision; a revision whose
# online accuracy fell more than the threshold below its card's fails the execution and logs the
# ERROR line cloudrun/alerts/online-accuracy.yaml fires on
# (RUNBOOK.md, "Playbook: online accuracy dropped").
#
#   cloudrun/evaluate-job.sh deploy --image IMAGE@sha256:DIGEST --bucket BUCKET [--schedule CRON] [--dry-run]
#   cloudrun/evaluate-job.sh run [--wait]
#
# deploy: creates or updates the job and, with --schedule, a Cloud Scheduler job that starts it
#   --image IMAGE             the image, by digest: the serving revision's, so its card is the one
#                             judged against (a release's job summary names it)
#   --bucket BUCKET           the bucket the records sink writes, mounted at /records
#   --max-accuracy-drop D     [0.05]; --min-labelled N [100] (evaluate --help)
#   --schedule CRON           e.g. '0 6 * * *' (UTC): a scheduler job whose own service account
#                             may run this job and nothing else
# run: starts an execution now; --wait waits for it and fails if accuracy dropped
# Both: --job NAME [CLOUD_RUN_SERVICE-evaluate], --dry-run (print the changes, make none).
# Environment: GCP_PROJECT_ID, GCP_REGION, CLOUD_RUN_SERVICE (default prediction-function).
# shellcheck source=cloudrun/lib.sh
source "$(dirname "$0")/lib.sh"

usage() { sed -n '2,25p' "$0" | sed 's/^# \{0,1\}//'; exit "${1:-0}"; }

action="${1:-}"
[ $# -eq 0 ] || shift
case "$action" in
  deploy|run) ;;
  --help|-h) usage ;;
  *) echo "evaluate-job.sh: first argument must be deploy or run" >&2; usage 2 ;;
esac
image="" bucket="" drop=0.05 labelled=100 schedule="" wait=false job=""
while [ $# -gt 0 ]; do
  case "$1" in
    --image) image="$2"; shift 2 ;;
    --bucket) bucket="$2"; shift 2 ;;
    --max-accuracy-drop) drop="$2"; shift 2 ;;
    --min-labelled) labelled="$2"; shift 2 ;;
    --schedule) schedule="$2"; shift 2 ;;
    --wait) wait=true; shift ;;
    --job) job="$2"; shift 2 ;;
    --dry-run) export DRY_RUN=1; shift ;;
    --help|-h) usage ;;
    *) echo "evaluate-job.sh: unknown argument $1" >&2; usage 2 ;;
  esac
done
init_service
job="${job:-$CLOUD_RUN_SERVICE-evaluate}"

if [ "$action" = run ]; then
  flags=()
  [ "$wait" = false ] || flags+=(--wait)
  echo "== Execution of $job"
  change run jobs execute "$job" "${SERVICE_FLAGS[@]}" "${flags[@]}" ||
    die "the execution failed: RUNBOOK.md, \"Playbook: online accuracy dropped\", says what to do"
  exit 0
fi

[[ "$image" =~ ^[a-z0-9.-]+/[^@:]+@sha256:[0-9a-f]{64}$ ]] ||
  die "--image must name an image by digest (HOST/PATH@sha256:<64 hex>), never by a tag: '$image'"
[[ "$bucket" =~ ^[a-z0-9][a-z0-9._-]{1,220}[a-z0-9]$ ]] || die "--bucket must name a Cloud Storage bucket, not '$bucket'"
[[ "$drop" =~ ^(0(\.[0-9]+)?|1(\.0+)?)$ ]] || die "--max-accuracy-drop must be a number from 0 to 1, not '$drop'"
[[ "$labelled" =~ ^[1-9][0-9]*$ ]] || die "--min-labelled must be a positive number, not '$labelled'"
[ -z "$schedule" ] || [[ "$schedule" =~ ^[0-9*/,-]+( [0-9*/,-]+){4}$ ]] ||
  die "--schedule must be a cron expression of five fields, such as '0 6 * * *', not '$schedule'"
p=(--project="$GCP_PROJECT_ID")
runtime="$CLOUD_RUN_SERVICE-runtime@$GCP_PROJECT_ID.iam.gserviceaccount.com"

echo "== The runtime account may read the records and write the report in gs://$bucket"
change storage buckets add-iam-policy-binding "gs://$bucket" "${p[@]}" \
  --member="serviceAccount:$runtime" --role=roles/storage.objectUser
echo "== Job $job"
# The sink writes run.googleapis.com/stdout/YYYY/MM/DD/*.json; one task reads them all.
change run jobs deploy "$job" "${SERVICE_FLAGS[@]}" --image="$image" \
  --tasks=1 --max-retries=0 --task-timeout=3600s --cpu=1 --memory=1Gi \
  --service-account="$runtime" \
  --add-volume="name=records,type=cloud-storage,bucket=$bucket" \
  --add-volume-mount="volume=records,mount-path=/records" \
  --args="evaluate,--input,/records/run.googleapis.com/stdout,--report,/records/evaluate/online-accuracy.json,--max-accuracy-drop,$drop,--min-labelled,$labelled"
output job "$job"
[ -n "$schedule" ] || exit 0

scheduler="$CLOUD_RUN_SERVICE-scheduler"
scheduler_sa="$scheduler@$GCP_PROJECT_ID.iam.gserviceaccount.com"
echo "== Service account $scheduler: may run $job, nothing else"
if read_only iam service-accounts describe "$scheduler_sa" "${p[@]}" >/dev/null 2>&1; then
  echo "exists"
else
  change iam service-accounts create "$scheduler" \
    --display-name="$CLOUD_RUN_SERVICE scheduler (cloudrun/evaluate-job.sh)" "${p[@]}"
fi
change run jobs add-iam-policy-binding "$job" "${SERVICE_FLAGS[@]}" \
  --member="serviceAccount:$scheduler_sa" --role=roles/run.invoker
echo "== Schedule $job-schedule: $schedule (UTC)"
uri="https://run.googleapis.com/v2/projects/$GCP_PROJECT_ID/locations/$GCP_REGION/jobs/$job:run"
verb=create
if read_only scheduler jobs describe "$job-schedule" --location="$GCP_REGION" "${p[@]}" >/dev/null 2>&1; then
  verb=update
fi
change scheduler jobs "$verb" http "$job-schedule" --location="$GCP_REGION" \
  --schedule="$schedule" --time-zone=Etc/UTC --uri="$uri" --http-method=POST \
  --oauth-service-account-email="$scheduler_sa" "${p[@]}"
output schedule "$job-schedule"
