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

job_action "${1:-}"
[ $# -eq 0 ] || shift
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
  execute_job "$job" "$wait" "RUNBOOK.md, \"Playbook: online accuracy dropped\", says what to do"
  exit 0
fi

require_image_digest "$image"
[[ "$bucket" =~ ^[a-z0-9][a-z0-9._-]{1,220}[a-z0-9]$ ]] || die "--bucket must name a Cloud Storage bucket, not '$bucket'"
[[ "$drop" =~ ^(0(\.[0-9]+)?|1(\.0+)?)$ ]] || die "--max-accuracy-drop must be a number from 0 to 1, not '$drop'"
[[ "$labelled" =~ ^[1-9][0-9]*$ ]] || die "--min-labelled must be a positive number, not '$labelled'"
[ -z "$schedule" ] || is_cron "$schedule" ||
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

schedule_job "$job" "$schedule"
