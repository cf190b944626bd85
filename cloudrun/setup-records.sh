#!/usr/bin/env bash
# One-time setup of where the service's prediction and feedback records go and of online accuracy
# (docs/operations.md, "Prediction records and online accuracy"):
#   - a BigQuery dataset, and a Cloud Logging sink that routes the service's records (and nothing
#     else of its log) into day-partitioned tables there; the sink's writer identity may edit
#     that dataset's tables and nothing else;
#   - with --bucket, a Cloud Storage bucket and a second sink into it, for the evaluate job
#     (cloudrun/evaluate-job.sh); its writer identity may create objects in that bucket only;
#   - the table model_cards, holding each model card's test metrics (--card adds or keeps one:
#     run again after a release with a new model);
#   - the view online_accuracy (cloudrun/online-accuracy.sql): accuracy, macro-F1 and log loss per
#     revision, model version and day, beside the card's. It reads the table the sink creates with
#     its first record, so it is created on the first run after records arrived.
# Idempotent: what exists is kept (a sink's filter and destination are re-applied).
#
#   cloudrun/setup-records.sh [--dataset prediction_records] [--bucket NAME] [--dry-run]
#
# Options (defaults in brackets):
#   --dataset NAME    the BigQuery dataset [prediction_records]
#   --location LOC    where the dataset and the bucket live [GCP_REGION]
#   --sink NAME       the logging sink to BigQuery; the bucket's is NAME-gcs [CLOUD_RUN_SERVICE-records]
#   --bucket NAME     also a Cloud Storage bucket and sink, for the evaluate job
#   --card FILE       a model card whose test metrics the view shows [target/model-bundle/model/model-card.json]
#   --dry-run         print the commands that would change something, change nothing
# Environment: GCP_PROJECT_ID, GCP_REGION, CLOUD_RUN_SERVICE (default prediction-function).
# Needs: gcloud and bq logged in as someone who may create sinks, datasets, buckets and views and
# set their IAM policies. The alert on online accuracy is cloudrun/alerts/online-accuracy.yaml.
# shellcheck source=cloudrun/lib.sh
source "$(dirname "$0")/lib.sh"

dataset=prediction_records location="" sink="" bucket="" card=target/model-bundle/model/model-card.json
while [ $# -gt 0 ]; do
  case "$1" in
    --dataset) dataset="$2"; shift 2 ;;
    --location) location="$2"; shift 2 ;;
    --sink) sink="$2"; shift 2 ;;
    --bucket) bucket="$2"; shift 2 ;;
    --card) card="$2"; shift 2 ;;
    --dry-run) export DRY_RUN=1; shift ;;
    --help|-h) usage ;;
    *) echo "setup-records.sh: unknown argument $1" >&2; usage 2 ;;
  esac
done
init_service
location="${location:-$GCP_REGION}"
sink="${sink:-$CLOUD_RUN_SERVICE-records}"
[[ "$dataset" =~ ^[A-Za-z_][A-Za-z0-9_]{0,1023}$ ]] || die "--dataset must name a dataset (letters, digits, _), not '$dataset'"
[[ "$sink" =~ ^[A-Za-z0-9_.-]{1,96}$ ]] || die "--sink must be letters, digits, _, . or -, not '$sink'"
[ -z "$bucket" ] || [[ "$bucket" =~ ^[a-z0-9][a-z0-9_.-]{1,61}[a-z0-9]$ ]] || die "--bucket must be a bucket name (lower case, digits, _, . or -), not '$bucket'"
[ -f "$card" ] || die "no model card at $card: build first (./mvnw -DskipTests package) or pass --card"
p=(--project="$GCP_PROJECT_ID")

# The service's records and nothing else: its stdout entries whose payload is a record
# (records.RecordJson). Cloud Run names every stdout entry run.googleapis.com/stdout, so the
# sink creates one table of that name, partitioned by day of the entry's timestamp.
filter="resource.type=\"cloud_run_revision\" AND resource.labels.service_name=\"$CLOUD_RUN_SERVICE\" AND log_id(\"run.googleapis.com/stdout\") AND jsonPayload.record=(\"prediction\" OR \"feedback\")"
# bq names a table PROJECT:DATASET.TABLE; SQL names it `PROJECT.DATASET.TABLE`.
records_table="$GCP_PROJECT_ID:$dataset.run_googleapis_com_stdout"
cards_table="$GCP_PROJECT_ID:$dataset.model_cards"
view_table="$GCP_PROJECT_ID:$dataset.online_accuracy"
sql_name() { echo "${1/:/.}"; }

echo "== APIs"
change services enable logging.googleapis.com bigquery.googleapis.com storage.googleapis.com "${p[@]}"

echo "== Dataset $GCP_PROJECT_ID:$dataset ($location)"
if bq_read show --dataset "$GCP_PROJECT_ID:$dataset" >/dev/null 2>&1; then
  echo "exists"
else
  bq_change mk --dataset --location="$location" \
    --description="Prediction and feedback records of $CLOUD_RUN_SERVICE (cloudrun/setup-records.sh)" \
    "$GCP_PROJECT_ID:$dataset"
fi

# sink NAME DESTINATION: creates the sink, or re-applies its destination and filter; prints its
# writer identity (serviceAccount:...).
sink() {
  local name="$1" destination="$2" extra=()
  [[ "$destination" == bigquery.* ]] && extra=(--use-partitioned-tables)
  if read_only logging sinks describe "$name" "${p[@]}" >/dev/null 2>&1; then
    change logging sinks update "$name" "$destination" --log-filter="$filter" "${p[@]}" >&2
  else
    change logging sinks create "$name" "$destination" --log-filter="$filter" "${extra[@]}" \
      --description="Prediction and feedback records of $CLOUD_RUN_SERVICE" "${p[@]}" >&2
  fi
  if [ "${DRY_RUN:-0}" = 1 ]; then
    echo "serviceAccount:SINK-WRITER-IDENTITY"
  else
    read_only logging sinks describe "$name" --format='value(writerIdentity)' "${p[@]}"
  fi
}

echo "== Sink $sink -> BigQuery $GCP_PROJECT_ID:$dataset"
writer=$(sink "$sink" "bigquery.googleapis.com/projects/$GCP_PROJECT_ID/datasets/$dataset")
[[ "$writer" == serviceAccount:* ]] || die "sink $sink has no writer identity (got '$writer')"
# The writer may edit tables in this dataset only: no project-wide role.
bq_change add-iam-policy-binding --dataset --member="$writer" --role=roles/bigquery.dataEditor \
  "$GCP_PROJECT_ID:$dataset"

if [ -n "$bucket" ]; then
  echo "== Bucket gs://$bucket and sink $sink-gcs, for the evaluate job"
  if read_only storage buckets describe "gs://$bucket" "${p[@]}" >/dev/null 2>&1; then
    echo "exists"
  else
    change storage buckets create "gs://$bucket" --location="$location" \
      --uniform-bucket-level-access "${p[@]}"
  fi
  gcs_writer=$(sink "$sink-gcs" "storage.googleapis.com/$bucket")
  [[ "$gcs_writer" == serviceAccount:* ]] || die "sink $sink-gcs has no writer identity (got '$gcs_writer')"
  change storage buckets add-iam-policy-binding "gs://$bucket" --member="$gcs_writer" \
    --role=roles/storage.objectCreator "${p[@]}"
fi

echo "== Table $cards_table and the card of $(jq -r '"\(.model_name) \(.model_version)"' "$card")"
if ! bq_read show --format=none "$cards_table" >/dev/null 2>&1; then
  bq_change mk --table --description="Model cards' test metrics, for the online_accuracy view" \
    "$cards_table" \
    model_sha256:STRING,model_name:STRING,model_version:STRING,accuracy:FLOAT64,macro_f1:FLOAT64,log_loss:FLOAT64
fi
# One row per model (by sha256): a card seen before is kept as it is.
row=$(jq -r '"SELECT \(.model_sha256 | @json) AS model_sha256, \(.model_name | @json) AS model_name, \(.model_version | @json) AS model_version, \(.evaluation.accuracy) AS accuracy, \(.evaluation.macro_f1) AS macro_f1, \(.evaluation.log_loss) AS log_loss"' "$card")
bq_change query --project_id="$GCP_PROJECT_ID" --location="$location" --use_legacy_sql=false \
  --nouse_cache "MERGE \`$(sql_name "$cards_table")\` AS cards USING ($row) AS card ON cards.model_sha256 = card.model_sha256 WHEN NOT MATCHED THEN INSERT ROW"

echo "== View $view_table"
view=$(sed -e "s/RECORDS_TABLE/$(sql_name "$records_table")/g" -e "s/CARDS_TABLE/$(sql_name "$cards_table")/g" \
  "$CLOUDRUN_DIR/online-accuracy.sql")
if [ "${DRY_RUN:-0}" != 1 ] && ! bq_read show --format=none "$records_table" >/dev/null 2>&1; then
  log "no records yet: the sink creates $records_table with the first one; run this again then to create the view"
else
  if bq_read show --format=none "$view_table" >/dev/null 2>&1; then
    bq_change update --use_legacy_sql=false --view="$view" "$view_table"
  else
    bq_change mk --use_legacy_sql=false --view="$view" \
      --description="Online accuracy per revision, model and day (cloudrun/online-accuracy.sql)" \
      "$view_table"
  fi
fi
output dataset "$GCP_PROJECT_ID:$dataset"
output sink "$sink"
