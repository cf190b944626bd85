#!/usr/bin/env bash
# Batch scoring as a Cloud Run job: the service's own image runs `score` tasks in parallel over
# files in a Cloud Storage bucket, mounted at /data through a Cloud Storage volume (no client
# library). Each task scores its share and writes part, rejects, drift and summary files
# (docs/batch.md; RUNBOOK.md, "Batch scoring job"). A task starts the image's JVM with its own
# launch file (java @/app/score.args: src/main/image/aot-cache.sh): the image's AOT cache for its
# classes, without the serving workload's method profiles.
#
#   cloudrun/score-job.sh deploy --image IMAGE@sha256:DIGEST --bucket BUCKET [options] [--dry-run]
#   cloudrun/score-job.sh run --input 'in/2026-12-01/*.csv' --output out/2026-12-01 [options]
#
# deploy: creates or updates the job and lets the runtime account read and write the bucket
#   --image IMAGE             the image, by digest (a release's: its job summary names it)
#   --bucket BUCKET           the Cloud Storage bucket mounted at /data
#   --tasks N                 tasks per execution [10]
#   --parallelism N           tasks running at once [10]
#   --max-retries N           retries of a failed task [3]
#   --task-timeout DURATION   longest a task may run [3600s]
#   --memory SIZE             per task [512Mi]; --cpu N per task [1]
# run: starts an execution (a new one scores the same input to the same bytes)
#   --input PATH              in the bucket: a file, a directory or a glob
#   --output PATH             in the bucket: the directory the tasks write to
#   --id COLUMN               keep only this input column besides the predictions
#   --tasks N                 override the job's task count for this execution
#   --wait                    wait for the execution and fail if a task failed
# Both: --job NAME [CLOUD_RUN_SERVICE-score], --dry-run (print the changes, make none).
# Environment: GCP_PROJECT_ID, GCP_REGION, CLOUD_RUN_SERVICE (default prediction-function).
# shellcheck source=cloudrun/lib.sh
source "$(dirname "$0")/lib.sh"

job_action "${1:-}"
[ $# -eq 0 ] || shift
image="" bucket="" tasks="" parallelism=10 retries=3 timeout=3600s memory=512Mi cpu=1
input="" output="" id="" wait=false job=""
while [ $# -gt 0 ]; do
  case "$1" in
    --image) image="$2"; shift 2 ;;
    --bucket) bucket="$2"; shift 2 ;;
    --tasks) tasks="$2"; shift 2 ;;
    --parallelism) parallelism="$2"; shift 2 ;;
    --max-retries) retries="$2"; shift 2 ;;
    --task-timeout) timeout="$2"; shift 2 ;;
    --memory) memory="$2"; shift 2 ;;
    --cpu) cpu="$2"; shift 2 ;;
    --input) input="$2"; shift 2 ;;
    --output) output="$2"; shift 2 ;;
    --id) id="$2"; shift 2 ;;
    --wait) wait=true; shift ;;
    --job) job="$2"; shift 2 ;;
    --dry-run) export DRY_RUN=1; shift ;;
    --help|-h) usage ;;
    *) echo "score-job.sh: unknown argument $1" >&2; usage 2 ;;
  esac
done
init_service
job="${job:-$CLOUD_RUN_SERVICE-score}"
number='^[1-9][0-9]*$'

if [ "$action" = deploy ]; then
  require_image_digest "$image"
  [[ "$bucket" =~ ^[a-z0-9][a-z0-9._-]{1,220}[a-z0-9]$ ]] || die "--bucket must name a Cloud Storage bucket, not '$bucket'"
  tasks="${tasks:-10}"
  for n in "$tasks" "$parallelism"; do
    [[ "$n" =~ $number ]] || die "--tasks and --parallelism must be positive numbers, not '$n'"
  done
  [[ "$retries" =~ ^[0-9]+$ ]] || die "--max-retries must be a number, not '$retries'"
  runtime="$CLOUD_RUN_SERVICE-runtime@$GCP_PROJECT_ID.iam.gserviceaccount.com"
  echo "== The runtime account may read and write objects of gs://$bucket"
  change storage buckets add-iam-policy-binding "gs://$bucket" --project="$GCP_PROJECT_ID" \
    --member="serviceAccount:$runtime" --role=roles/storage.objectUser
  echo "== Job $job"
  change run jobs deploy "$job" "${SERVICE_FLAGS[@]}" --image="$image" \
    --tasks="$tasks" --parallelism="$parallelism" --max-retries="$retries" \
    --task-timeout="$timeout" --cpu="$cpu" --memory="$memory" \
    --service-account="$runtime" \
    --add-volume="name=data,type=cloud-storage,bucket=$bucket" \
    --add-volume-mount="volume=data,mount-path=/data" \
    --command=/opt/java/bin/java,@/app/score.args --args=score,--input,/data/in,--output,/data/out
  output job "$job"
  exit 0
fi

[ -n "$input" ] && [ -n "$output" ] || die "run needs --input and --output (paths in the bucket)"
for path in "$input" "$output" "$id"; do
  [[ "$path" != *,* ]] || die "'$path' has a comma, which gcloud's --args cannot carry"
  [[ "$path" != /* && "$path" != *..* ]] || die "'$path' must be a path inside the bucket, without .."
done
[ -z "$tasks" ] || [[ "$tasks" =~ $number ]] || die "--tasks must be a positive number, not '$tasks'"
args="score,--input,/data/$input,--output,/data/$output"
[ -z "$id" ] || args="$args,--id,$id"
flags=(--args="$args")
[ -z "$tasks" ] || flags+=(--tasks="$tasks")
[ "$wait" = false ] || flags+=(--wait)
echo "== Execution of $job: /data/$input -> /data/$output"
change run jobs execute "$job" "${SERVICE_FLAGS[@]}" "${flags[@]}" ||
  die "the execution failed: RUNBOOK.md, \"Batch scoring job\", says how to find the failed tasks"
echo "Each task writes part-, rejects-, drift- and summary-I-of-N files to $output in the bucket."
output output "/data/$output"
