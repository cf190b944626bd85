#!/usr/bin/env bash
# Retraining as a Cloud Run job (docs/model.md, "Retraining"): the retraining image that a release
# pushes beside the serving image (push-image.sh prints it as retrain_image) runs `tools retrain`
# on labelled data in Cloud Storage, gates the candidate against the released card, checks the
# data for drift against it, and writes one run directory per execution to the candidates bucket
# (the bundle only when every gate passed). Weekly by default, through Cloud Scheduler. The buckets
# are Cloud Storage volumes: no client library. A candidate reaches traffic only through
# .github/workflows/candidate.yml (RUNBOOK.md, "Playbook: release a retrained candidate").
#
#   cloudrun/retrain-job.sh deploy --image IMAGE@sha256:DIGEST --data URI --candidates URI [--dry-run]
#   cloudrun/retrain-job.sh run [--wait] [--dry-run]
#
# deploy: creates or updates the job, its service account and its schedule
#   --image IMAGE        the retraining image, by digest (a release's retrain_image)
#   --data URI           the labelled rows: gs://BUCKET/OBJECT.csv, or the shards a BigQuery
#                        export writes, gs://BUCKET/PATH/part-*.csv (one * in the last segment)
#   --candidates URI     where runs go: gs://BUCKET[/PREFIX]; each run writes PREFIX/EXECUTION/
#   --spec FILE          a spec of src/main/training, as the image holds it [iris.spec.json]
#   --schedule CRON      [0 5 * * 1: Mondays 05:00 UTC]; --no-schedule: none (run by hand)
#   --memory SIZE        the task's memory [2Gi]; the data is read into memory whole
# run: starts an execution now; --wait waits for it and fails as the run did (exit codes: tools
#   retrain --help; RUNBOOK.md, "Playbook: a retraining run failed its gate")
# Both: --job NAME [CLOUD_RUN_SERVICE-retrain], --dry-run (print the changes, make none).
# Environment: GCP_PROJECT_ID, GCP_REGION, CLOUD_RUN_SERVICE (default prediction-function).
# shellcheck source=cloudrun/lib.sh
source "$(dirname "$0")/lib.sh"

job_action "${1:-}"
[ $# -eq 0 ] || shift
image="" data="" candidates="" spec=iris.spec.json schedule="0 5 * * 1" memory=2Gi wait=false job=""
while [ $# -gt 0 ]; do
  case "$1" in
    --image) image="$2"; shift 2 ;;
    --data) data="$2"; shift 2 ;;
    --candidates) candidates="$2"; shift 2 ;;
    --spec) spec="$2"; shift 2 ;;
    --schedule) schedule="$2"; shift 2 ;;
    --no-schedule) schedule=""; shift ;;
    --memory) memory="$2"; shift 2 ;;
    --wait) wait=true; shift ;;
    --job) job="$2"; shift 2 ;;
    --dry-run) export DRY_RUN=1; shift ;;
    --help|-h) usage ;;
    *) echo "retrain-job.sh: unknown argument $1" >&2; usage 2 ;;
  esac
done
init_service
job="${job:-$CLOUD_RUN_SERVICE-retrain}"

if [ "$action" = run ]; then
  execute_job "$job" "$wait" "its run.json says why (RUNBOOK.md, \"Playbook: a retraining run failed its gate\")"
  exit 0
fi

bucket_re='[a-z0-9][a-z0-9._-]{1,220}[a-z0-9]'
require_image_digest "$image"
[[ "$data" =~ ^gs://($bucket_re)/([^,*]+/)?[^,/]+$ && "$data" != *"*"*"*"* ]] ||
  die "--data must be gs://BUCKET/OBJECT or gs://BUCKET/PATH/part-*.csv (one * in the last segment, no commas), not '$data'"
data_bucket="${BASH_REMATCH[1]}"
[[ "$candidates" =~ ^gs://($bucket_re)(/[^,*]+[^,*/])?$ ]] ||
  die "--candidates must be gs://BUCKET or gs://BUCKET/PREFIX (no trailing /), not '$candidates'"
candidates_bucket="${BASH_REMATCH[1]}"
[ -f "$CLOUDRUN_DIR/../src/main/training/$spec" ] ||
  die "--spec must name a spec in src/main/training (the image holds those), not '$spec'"
[ -z "$schedule" ] || is_cron "$schedule" ||
  die "--schedule must be a cron expression of five fields, such as '0 5 * * 1', not '$schedule'"
[[ "$memory" =~ ^[1-9][0-9]*(Mi|Gi)$ ]] || die "--memory must be a size such as 2Gi or 512Mi, not '$memory'"
p=(--project="$GCP_PROJECT_ID")

account="$CLOUD_RUN_SERVICE-retrain"
account_sa="$account@$GCP_PROJECT_ID.iam.gserviceaccount.com"
echo "== Service account $account: reads the data, writes candidates, nothing else"
ensure_service_account "$account" "$CLOUD_RUN_SERVICE retraining (cloudrun/retrain-job.sh)"
# Object User on the candidates bucket: Cloud Storage FUSE replaces the empty object it creates
# when a file is opened, which takes delete as well as create. The job itself never replaces a
# finished run (retrain refuses a run directory that has a run.json).
change storage buckets add-iam-policy-binding "gs://$candidates_bucket" "${p[@]}" \
  --member="serviceAccount:$account_sa" --role=roles/storage.objectUser
# The release's candidate workflow reads a run back (cloudrun/fetch-candidate.sh) as the deployer.
change storage buckets add-iam-policy-binding "gs://$candidates_bucket" "${p[@]}" \
  --member="serviceAccount:$CLOUD_RUN_SERVICE-deployer@$GCP_PROJECT_ID.iam.gserviceaccount.com" \
  --role=roles/storage.objectViewer
volumes=(--add-volume="name=candidates,type=cloud-storage,bucket=$candidates_bucket"
  --add-volume-mount="volume=candidates,mount-path=/candidates")
mounts="--candidates-mount,/candidates,--data-mount,/candidates"
if [ "$data_bucket" != "$candidates_bucket" ]; then
  change storage buckets add-iam-policy-binding "gs://$data_bucket" "${p[@]}" \
    --member="serviceAccount:$account_sa" --role=roles/storage.objectViewer
  volumes+=(--add-volume="name=data,type=cloud-storage,bucket=$data_bucket,readonly=true"
    --add-volume-mount="volume=data,mount-path=/data")
  mounts="--candidates-mount,/candidates,--data-mount,/data"
fi

echo "== Job $job"
# One task; no retries: a failed gate or bad data is a verdict, and a retry would train again.
change run jobs deploy "$job" "${SERVICE_FLAGS[@]}" --image="$image" \
  --tasks=1 --max-retries=0 --task-timeout=3600s --cpu=2 --memory="$memory" \
  --service-account="$account_sa" "${volumes[@]}" \
  --args="retrain,--spec,$spec,--data,$data,--candidates,$candidates,$mounts"
output job "$job"
[ -n "$schedule" ] || exit 0

schedule_job "$job" "$schedule"
