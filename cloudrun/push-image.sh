#!/usr/bin/env bash
# The build job of a release: builds the image at the release's version with Jib and pushes it,
# then checks that the jar, the model and the image label carry that version.
#
#   cloudrun/push-image.sh --version 1.2.3 --repository REGION-docker.pkg.dev/PROJECT/REPO/prediction-function
#
# Tags pushed: the version and, with --also-tag TAG, TAG (the release job: the commit). JIB_ACCESS_TOKEN, when set, is
# handed to Jib as the password of user oauth2accesstoken (the release job's short-lived token
# from Workload Identity Federation; Jib's own credential discovery is not relied upon).
# MAVEN_EXTRA_ARGS: more Maven arguments (the local-registry test adds
# -Djib.allowInsecureRegistries=true). Prints (and writes to $GITHUB_OUTPUT): digest, image
# (REPOSITORY@sha256:..., what deploy.sh takes).
# shellcheck source=cloudrun/lib.sh
source "$(dirname "$0")/lib.sh"

usage() { sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'; exit "${1:-0}"; }

version="" repository="" also_tag=""
while [ $# -gt 0 ]; do
  case "$1" in
    --version) version="$2"; shift 2 ;;
    --repository) repository="$2"; shift 2 ;;
    --also-tag) also_tag="$2"; shift 2 ;;
    --help|-h) usage ;;
    *) echo "push-image.sh: unknown argument $1" >&2; usage 2 ;;
  esac
done
[ -n "$version" ] && [ -n "$repository" ] || die "--version and --repository are required"
version_from_tag "v$version" >/dev/null
[[ "$repository" =~ ^[a-z0-9.:-]+/[a-z0-9._/-]+$ ]] || die "--repository must be HOST/PATH without a tag: '$repository'"

# The pushed image's digest goes to a file of its own (whatever variant MAVEN_EXTRA_ARGS builds).
digest_file=target/jib-push.digest
args=(-B --no-transfer-progress -Pimage -DskipTests "-Drevision=$version" clean package jib:build
  "-Djib.to.image=$repository:$version" "-Djib.outputPaths.digest=$PWD/$digest_file")
[ -z "$also_tag" ] || args+=("-Djib.to.tags=$also_tag")
[ -z "${JIB_ACCESS_TOKEN:-}" ] ||
  args+=(-Djib.to.auth.username=oauth2accesstoken "-Djib.to.auth.password=$JIB_ACCESS_TOKEN")
# shellcheck disable=SC2206
args+=(${MAVEN_EXTRA_ARGS:-})
log "./mvnw ${args[*]//-Djib.to.auth.password=*/-Djib.to.auth.password=***}"
./mvnw "${args[@]}"

digest=$(cat "$digest_file")
[[ "$digest" =~ ^sha256:[0-9a-f]{64}$ ]] || die "$digest_file holds '$digest', not a digest"
card_version=$(jq -r '.model_version' target/model-bundle/model/model-card.json)
[ "$card_version" = "$version" ] || die "the model card says version $card_version, the release is $version"
[ -f "target/prediction-function-$version.jar" ] || die "no target/prediction-function-$version.jar"
output digest "$digest"
output image "$repository@$digest"
