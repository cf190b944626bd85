#!/usr/bin/env bash
# Makes the deployed service a BigQuery remote function, so that SQL scores whole tables:
#   SELECT `PROJECT.DATASET`.predict(sepal_length, sepal_width, petal_length, petal_width) FROM t
# Creates (when missing) the dataset and a CLOUD_RESOURCE connection, grants the connection's
# service account roles/run.invoker on the service (nothing else), and creates or replaces the
# function, its arguments and their types taken from the model card, its endpoint the service's
# POST /bigquery. Idempotent: run it again after a model with other features is released.
#
#   cloudrun/bigquery-function.sh --dataset ml [--function predict] [--return label] [--dry-run]
#
# Options (defaults in brackets):
#   --dataset NAME            dataset of the function (required)
#   --function NAME           the function's name [predict]
#   --return KIND             label (RETURNS STRING), probability (RETURNS FLOAT64; needs --class)
#                             or json (RETURNS JSON: label, probabilities, model_version) [label]
#   --class LABEL             the label whose probability --return probability answers
#   --on-null MODE            error (a NULL argument fails the query) or null (answers NULL) [error]
#   --max-batching-rows N     most rows BigQuery puts in one request; at most the service's
#                             BIGQUERY_MAX_CALLS [5000]
#   --location LOCATION       BigQuery location of dataset and connection; the service's region
#                             must be in it [GCP_REGION]
#   --connection NAME         the connection [prediction-function]
#   --card FILE               model card giving the arguments [target/model-bundle/model/model-card.json]
#   --dry-run                 print the commands that would change something, change nothing
# Environment: GCP_PROJECT_ID, GCP_REGION, CLOUD_RUN_SERVICE (default prediction-function).
# Needs: gcloud and bq logged in as someone who may create datasets, connections and routines and
# set the service's IAM policy. RUNBOOK.md, "BigQuery remote function", says how to operate it.
# shellcheck source=cloudrun/lib.sh
source "$(dirname "$0")/lib.sh"

dataset="" function=predict returns=label class="" on_null=error batch=5000 location=""
connection=prediction-function card=target/model-bundle/model/model-card.json
while [ $# -gt 0 ]; do
  case "$1" in
    --dataset) dataset="$2"; shift 2 ;;
    --function) function="$2"; shift 2 ;;
    --return) returns="$2"; shift 2 ;;
    --class) class="$2"; shift 2 ;;
    --on-null) on_null="$2"; shift 2 ;;
    --max-batching-rows) batch="$2"; shift 2 ;;
    --location) location="$2"; shift 2 ;;
    --connection) connection="$2"; shift 2 ;;
    --card) card="$2"; shift 2 ;;
    --dry-run) export DRY_RUN=1; shift ;;
    --help|-h) usage ;;
    *) echo "bigquery-function.sh: unknown argument $1" >&2; usage 2 ;;
  esac
done
init_service
location="${location:-$GCP_REGION}"
identifier='^[A-Za-z_][A-Za-z0-9_]{0,127}$'
[[ "$dataset" =~ $identifier ]] || die "--dataset must name a dataset (letters, digits, _), not '$dataset'"
[[ "$function" =~ $identifier ]] || die "--function must be a SQL identifier, not '$function'"
[[ "$connection" =~ ^[A-Za-z0-9_-]+$ ]] || die "--connection must be letters, digits, _ or -, not '$connection'"
[[ "$batch" =~ ^[1-9][0-9]*$ ]] || die "--max-batching-rows must be a positive number, not '$batch'"
[ -f "$card" ] || die "no model card at $card: build first (./mvnw -DskipTests package) or pass --card"
case "$returns" in
  label) sql_type=STRING ;;
  probability) sql_type=FLOAT64 ;;
  json) sql_type=JSON ;;
  *) die "--return must be label, probability or json, not '$returns'" ;;
esac
if [ "$returns" = probability ]; then
  jq -e --arg c "$class" '.labels | index($c) != null' "$card" >/dev/null ||
    die "--return probability needs --class, one of $(jq -c .labels "$card")"
elif [ -n "$class" ]; then
  die "--class is only read with --return probability"
fi
[ "$on_null" = error ] || [ "$on_null" = null ] || die "--on-null must be error or null, not '$on_null'"

# The arguments, in the card's feature order: numeric features FLOAT64, categorical ones STRING.
arguments=$(jq -r '[.schema[] | "\(.name) \(if .kind == "categorical" then "STRING" else "FLOAT64" end)"] | join(", ")' "$card")
context="(\"return\", \"$returns\")"
[ -z "$class" ] || context="$context, (\"class\", \"$class\")"
context="$context, (\"on_null\", \"$on_null\")"

echo "== Dataset $GCP_PROJECT_ID:$dataset ($location)"
if bq_read show --dataset "$GCP_PROJECT_ID:$dataset" >/dev/null 2>&1; then
  echo "exists"
else
  bq_change mk --dataset --location="$location" "$GCP_PROJECT_ID:$dataset"
fi

echo "== Connection $GCP_PROJECT_ID.$location.$connection"
if bq_read show --connection "$GCP_PROJECT_ID.$location.$connection" >/dev/null 2>&1; then
  echo "exists"
else
  bq_change mk --connection --location="$location" --project_id="$GCP_PROJECT_ID" \
    --connection_type=CLOUD_RESOURCE "$connection"
fi
if [ "${DRY_RUN:-0}" = 1 ]; then
  account="CONNECTION_SERVICE_ACCOUNT"
  url="https://SERVICE-URL"
else
  account=$(bq_read show --format=json --connection "$GCP_PROJECT_ID.$location.$connection" |
    jq -r '.cloudResource.serviceAccountId // empty')
  [ -n "$account" ] || die "connection $connection has no service account; is it CLOUD_RESOURCE?"
  url=$(service_json | jq -r '.status.url // empty')
  [ -n "$url" ] || die "service $CLOUD_RUN_SERVICE does not exist in $GCP_REGION: deploy it first"
fi

echo "== The connection may invoke $CLOUD_RUN_SERVICE (roles/run.invoker on the service only)"
change run services add-iam-policy-binding "$CLOUD_RUN_SERVICE" "${SERVICE_FLAGS[@]}" \
  --member="serviceAccount:$account" --role=roles/run.invoker

echo "== Function \`$GCP_PROJECT_ID.$dataset\`.$function"
statement="CREATE OR REPLACE FUNCTION \`$GCP_PROJECT_ID.$dataset\`.$function($arguments)
RETURNS $sql_type
REMOTE WITH CONNECTION \`$GCP_PROJECT_ID.$location.$connection\`
OPTIONS (
  endpoint = '$url/bigquery',
  max_batching_rows = $batch,
  user_defined_context = [$context]
)"
echo "$statement"
bq_change query --project_id="$GCP_PROJECT_ID" --location="$location" --use_legacy_sql=false \
  --nouse_cache "$statement"
output function "$GCP_PROJECT_ID.$dataset.$function"
