#!/usr/bin/env bash
# The build job of a release: builds the serving image and the retraining job's image at the
# release's version with Jib and pushes both, then checks that the jar, the model and the image
# label carry that version.
#
#   cloudrun/push-image.sh --version 1.2.3 --repository REGION-docker.pkg.dev/PROJECT/REPO/prediction-function
#       [--candidate DIR --candidate-sha256 HEX --candidate-uri gs://BUCKET/PREFIX/RUN/]
#
# --candidate: serve a retraining run's candidate (a local copy of its run directory) instead of
# the model the build trains; it is verified first (tools adopt) and must have the SHA-256 given.
# The retraining image goes to REPOSITORY-retrain. Tags pushed: the version and, with
# --also-tag TAG, TAG (the release job: the commit). JIB_ACCESS_TOKEN, when set, is
# handed to Jib as the password of user oauth2accesstoken (the release job's short-lived token
# from Workload Identity Federation; Jib's own credential discovery is not relied upon).
# MAVEN_EXTRA_ARGS: more Maven arguments (the local-registry test adds
# -Djib.allowInsecureRegistries=true). Prints (and writes to $GITHUB_OUTPUT): digest, image
# (REPOSITORY@sha256:..., what deploy.sh takes), retrain_image (what retrain-job.sh takes).
# shellcheck source=cloudrun/lib.sh
source "$(dirname "$0")/lib.sh"

version="" repository="" also_tag="" candidate="" candidate_sha="" candidate_uri=""
while [ $# -gt 0 ]; do
  case "$1" in
    --version) version="$2"; shift 2 ;;
    --repository) repository="$2"; shift 2 ;;
    --also-tag) also_tag="$2"; shift 2 ;;
    --candidate) candidate="$2"; shift 2 ;;
    --candidate-sha256) candidate_sha="$2"; shift 2 ;;
    --candidate-uri) candidate_uri="$2"; shift 2 ;;
    --help|-h) usage ;;
    *) echo "push-image.sh: unknown argument $1" >&2; usage 2 ;;
  esac
done
[ -n "$version" ] && [ -n "$repository" ] || die "--version and --repository are required"
version_from_tag "v$version" >/dev/null
[[ "$repository" =~ ^[a-z0-9.:-]+/[a-z0-9._/-]+$ ]] || die "--repository must be HOST/PATH without a tag: '$repository'"
if [ -n "$candidate$candidate_sha$candidate_uri" ]; then
  [ -f "$candidate/run.json" ] || die "--candidate must name a copy of a retraining run's directory (with its run.json): '$candidate'"
  require_candidate "$candidate_uri" "$candidate_sha"
fi

# A push build's files have names of their own (target/jib-push.*, target/jib-push-retrain.*), so
# whatever variant MAVEN_EXTRA_ARGS builds, the digests read below are the pushed ones.
digest_file=target/jib-push.digest
retrain_digest_file=target/jib-push-retrain.digest
args=(-B --no-transfer-progress -Pimage -DskipTests "-Drevision=$version" clean package
  jib:build jib:build@retrain-image
  "-Dimage.name=$repository:$version" "-Dimage.artifact=$PWD/target/jib-push"
  "-Dretrain.image.name=$repository-retrain:$version" "-Dretrain.image.artifact=$PWD/target/jib-push-retrain")
[ -z "$also_tag" ] || args+=("-Djib.to.tags=$also_tag")
[ -z "$candidate" ] ||
  args+=("-Dmodel.candidate=$(realpath "$candidate")" "-Dmodel.candidate.sha256=$candidate_sha" "-Dmodel.candidate.uri=$candidate_uri")
[ -z "${JIB_ACCESS_TOKEN:-}" ] ||
  args+=(-Djib.to.auth.username=oauth2accesstoken "-Djib.to.auth.password=$JIB_ACCESS_TOKEN")
# shellcheck disable=SC2206
args+=(${MAVEN_EXTRA_ARGS:-})
log "./mvnw ${args[*]//-Djib.to.auth.password=*/-Djib.to.auth.password=***}"
./mvnw "${args[@]}"

digest=$(cat "$digest_file")
[[ "$digest" =~ ^sha256:[0-9a-f]{64}$ ]] || die "$digest_file holds '$digest', not a digest"
retrain_digest=$(cat "$retrain_digest_file")
[[ "$retrain_digest" =~ ^sha256:[0-9a-f]{64}$ ]] || die "$retrain_digest_file holds '$retrain_digest', not a digest"
card=target/model-bundle/model/model-card.json
card_version=$(jq -r '.model_version' "$card")
[ "$card_version" = "$version" ] || die "the model card says version $card_version, the release is $version"
[ -f "target/prediction-function-$version.jar" ] || die "no target/prediction-function-$version.jar"
if [ -n "$candidate" ]; then
  served=$(jq -r '[.model_sha256, .lineage.candidate] | join(" ")' "$card")
  [ "$served" = "$candidate_sha $candidate_uri" ] ||
    die "the image's card names '$served', not the candidate $candidate_sha $candidate_uri"
  log "the image serves candidate $candidate_uri (model sha256 $candidate_sha)"
fi
output digest "$digest"
output image "$repository@$digest"
output retrain_image "$repository-retrain@$retrain_digest"
if [ -n "${GITHUB_STEP_SUMMARY:-}" ]; then
  {
    echo "### Images of $version"
    echo ""
    echo "| | |"
    echo "|---|---|"
    echo "| Serving | \`$repository@$digest\` |"
    echo "| Retraining job (cloudrun/retrain-job.sh deploy --image) | \`$repository-retrain@$retrain_digest\` |"
    [ -z "$candidate" ] || echo "| Model | candidate $candidate_uri, sha256 \`$candidate_sha\` |"
    echo ""
  } >>"$GITHUB_STEP_SUMMARY"
fi
