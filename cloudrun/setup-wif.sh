#!/usr/bin/env bash
# One-time, keyless setup of a Google Cloud project for this repository's release workflow:
# Artifact Registry repository, runtime and deployer service accounts with least privilege, the
# metrics collector's configuration secret (cloudrun/run-monitoring.yaml), a workload identity pool with an OIDC provider that admits only this repository's workflows,
# and the binding that lets them act as the deployer. No service account key is ever created.
# Idempotent: what exists is kept (the provider's condition is re-applied), so running it again
# is safe. Prints the repository variables to set at the end.
#
#   cloudrun/setup-wif.sh --project my-project --region europe-west1 \
#     --github-repository my-org/prediction-function \
#     --github-repository-id 123456789 --github-owner-id 987654 [--dry-run]
#
# The numeric ids identify the repository and its owner even after renames; names can be
# re-registered by someone else. Read them with: gh api repos/OWNER/NAME --jq '.id, .owner.id'
#
# Options (defaults in brackets):
#   --repository NAME   Artifact Registry repository [prediction-function]
#   --service NAME      Cloud Run service [prediction-function]
#   --pool ID           workload identity pool [github]
#   --provider ID       OIDC provider in the pool [github-actions]
#   --dry-run           print the commands that would change something, change nothing
# Needs: gcloud logged in as someone who may enable services and manage IAM in the project.
# shellcheck source=cloudrun/lib.sh
source "$(dirname "$0")/lib.sh"

project="" region="" repo="" repo_id="" owner_id=""
registry=prediction-function service=prediction-function pool=github provider=github-actions
while [ $# -gt 0 ]; do
  case "$1" in
    --project) project="$2"; shift 2 ;;
    --region) region="$2"; shift 2 ;;
    --github-repository) repo="$2"; shift 2 ;;
    --github-repository-id) repo_id="$2"; shift 2 ;;
    --github-owner-id) owner_id="$2"; shift 2 ;;
    --repository) registry="$2"; shift 2 ;;
    --service) service="$2"; shift 2 ;;
    --pool) pool="$2"; shift 2 ;;
    --provider) provider="$2"; shift 2 ;;
    --dry-run) export DRY_RUN=1; shift ;;
    --help|-h) usage ;;
    *) echo "setup-wif.sh: unknown argument $1" >&2; usage 2 ;;
  esac
done
[ -n "$project" ] && [ -n "$region" ] && [ -n "$repo" ] || die "--project, --region and --github-repository are required (--help)"
[[ "$repo_id" =~ ^[0-9]+$ ]] || die "--github-repository-id must be the repository's numeric id (--help says how to read it)"
[[ "$owner_id" =~ ^[0-9]+$ ]] || die "--github-owner-id must be the owner's numeric id (--help says how to read it)"
[[ "$repo" =~ ^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$ ]] || die "--github-repository must be OWNER/NAME, not '$repo'"

p=(--project="$project")
runtime_sa="$service-runtime@$project.iam.gserviceaccount.com"
deployer_sa="$service-deployer@$project.iam.gserviceaccount.com"

# exists CMD...: the read-only describe succeeds (its output is not needed).
exists() {
  show gcloud "$@"
  gcloud "$@" >/dev/null 2>&1
}

echo "== APIs"
change services enable run.googleapis.com artifactregistry.googleapis.com iam.googleapis.com \
  iamcredentials.googleapis.com sts.googleapis.com secretmanager.googleapis.com \
  monitoring.googleapis.com "${p[@]}"

echo "== Artifact Registry repository $registry ($region)"
if exists artifacts repositories describe "$registry" --location="$region" "${p[@]}"; then
  echo "exists"
else
  # Immutable tags: a released version's tag can never be pointed at another image.
  change artifacts repositories create "$registry" --repository-format=docker \
    --location="$region" --immutable-tags \
    --description="Images of the $service Cloud Run service" "${p[@]}"
fi

echo "== Service accounts"
for account in runtime deployer; do
  if exists iam service-accounts describe "$service-$account@$project.iam.gserviceaccount.com" "${p[@]}"; then
    echo "$service-$account exists"
  else
    change iam service-accounts create "$service-$account" \
      --display-name="$service $account (cloudrun/setup-wif.sh)" "${p[@]}"
  fi
done
# The runtime account: the application calls no Google API; its metrics collector writes metrics
# and reads its one configuration secret (below). The deployer may push images to this one
# repository, deploy Cloud Run revisions, and run them as the runtime account.
change projects add-iam-policy-binding "$project" \
  --member="serviceAccount:$runtime_sa" --role=roles/monitoring.metricWriter --condition=None
change artifacts repositories add-iam-policy-binding "$registry" --location="$region" \
  --member="serviceAccount:$deployer_sa" --role=roles/artifactregistry.writer "${p[@]}"
change projects add-iam-policy-binding "$project" \
  --member="serviceAccount:$deployer_sa" --role=roles/run.developer --condition=None
# The release's smoke test calls the private service as the deployer. run.developer already
# reaches the services it deploys; invoker is granted explicitly so the smoke test never depends
# on that role's contents.
change projects add-iam-policy-binding "$project" \
  --member="serviceAccount:$deployer_sa" --role=roles/run.invoker --condition=None
change iam service-accounts add-iam-policy-binding "$runtime_sa" \
  --member="serviceAccount:$deployer_sa" --role=roles/iam.serviceAccountUser "${p[@]}"
# The release's canary steps read each revision's request counts, latencies and predictions
# from Cloud Monitoring (cloudrun/canary.sh); reading is all it may do there.
change projects add-iam-policy-binding "$project" \
  --member="serviceAccount:$deployer_sa" --role=roles/monitoring.viewer --condition=None

echo "== Metrics collector configuration (secret $service-run-monitoring)"
config_file="$CLOUDRUN_DIR/run-monitoring.yaml"
config_secret="$service-run-monitoring"
if exists secrets describe "$config_secret" "${p[@]}"; then
  # A new version only when the file changed: instances started after it read the new one.
  if read_only secrets versions access latest --secret="$config_secret" "${p[@]}" |
      cmp -s - "$config_file"; then
    echo "latest version is $config_file"
  else
    change secrets versions add "$config_secret" --data-file="$config_file" "${p[@]}"
  fi
else
  change secrets create "$config_secret" --data-file="$config_file" \
    --replication-policy=automatic "${p[@]}"
fi
change secrets add-iam-policy-binding "$config_secret" \
  --member="serviceAccount:$runtime_sa" --role=roles/secretmanager.secretAccessor "${p[@]}"

echo "== Workload identity pool $pool and provider $provider"
if exists iam workload-identity-pools describe "$pool" --location=global "${p[@]}"; then
  echo "pool exists"
else
  change iam workload-identity-pools create "$pool" --location=global \
    --display-name="GitHub Actions" "${p[@]}"
fi
# Only this repository (by numeric id, with its owner's) and only tags v* or the main branch.
condition="assertion.repository_id == '$repo_id' && assertion.repository_owner_id == '$owner_id' && (assertion.ref.startsWith('refs/tags/v') || assertion.ref == 'refs/heads/main')"
mapping="google.subject=assertion.sub,attribute.repository_id=assertion.repository_id,attribute.repository_owner_id=assertion.repository_owner_id,attribute.repository=assertion.repository,attribute.ref=assertion.ref"
if exists iam workload-identity-pools providers describe "$provider" --location=global \
    --workload-identity-pool="$pool" "${p[@]}"; then
  echo "provider exists: re-applying its mapping and condition"
  change iam workload-identity-pools providers update-oidc "$provider" --location=global \
    --workload-identity-pool="$pool" --attribute-mapping="$mapping" \
    --attribute-condition="$condition" "${p[@]}"
else
  change iam workload-identity-pools providers create-oidc "$provider" --location=global \
    --workload-identity-pool="$pool" --display-name="$repo" \
    --issuer-uri="https://token.actions.githubusercontent.com" \
    --attribute-mapping="$mapping" --attribute-condition="$condition" "${p[@]}"
fi

if [ "${DRY_RUN:-0}" = 1 ]; then
  number=PROJECT_NUMBER
else
  number=$(read_only projects describe "$project" --format='value(projectNumber)')
fi
pool_name="projects/$number/locations/global/workloadIdentityPools/$pool"
change iam service-accounts add-iam-policy-binding "$deployer_sa" \
  --role=roles/iam.workloadIdentityUser \
  --member="principalSet://iam.googleapis.com/$pool_name/attribute.repository_id/$repo_id" "${p[@]}"

# The Debian mirror the image's base is fetched from: GitHub's runners have no Debian sources.
debian_mirror=$(bash "$(dirname "$0")/../src/main/image/base.sh" --print-mirror 2>/dev/null || echo "URL-OF-A-DEBIAN-MIRROR")
cat <<VARIABLES

Set these repository variables (Settings > Secrets and variables > Actions > Variables), or with gh:
  gh variable set GCP_PROJECT_ID --body '$project'
  gh variable set GCP_REGION --body '$region'
  gh variable set GCP_ARTIFACT_REPOSITORY --body '$registry'
  gh variable set CLOUD_RUN_SERVICE --body '$service'
  gh variable set GCP_WORKLOAD_IDENTITY_PROVIDER --body '$pool_name/providers/$provider'
  gh variable set GCP_DEPLOYER_SERVICE_ACCOUNT --body '$deployer_sa'
  gh variable set DEBIAN_MIRROR --body '$debian_mirror'
None of them is a secret: without this repository's identity token they grant nothing.
VARIABLES
