#!/usr/bin/env bash
# Deploys an image as a new Cloud Run revision that receives no traffic, reachable at the URL of
# a traffic tag named after the version. The service's configuration is cloudrun/service.yaml
# (rendered with the image and the current traffic, then applied with `gcloud run services
# replace`), so what runs is always what the repository says.
#
#   cloudrun/deploy.sh --version 1.2.3 --image REGION-docker.pkg.dev/PROJECT/REPO/IMAGE@sha256:...
#
# Traffic stays exactly where it is: every revision that serves keeps its share, pinned by name.
# The first deploy of a service is the exception: there is nothing to protect, so its one
# revision gets all traffic once ready. If the revision never becomes ready, `replace` fails,
# this script exits non-zero and traffic is untouched.
#
# Environment: GCP_PROJECT_ID, GCP_REGION, CLOUD_RUN_SERVICE (default prediction-function);
# RELEASE_DIR (default target/release) receives the rendered service-VERSION.yaml.
# DRY_RUN=1: render and show the command, change nothing.
# Prints (and writes to $GITHUB_OUTPUT): revision, tag, url (the tag URL), service_url,
# first_deploy.
# shellcheck source=cloudrun/lib.sh
source "$(dirname "$0")/lib.sh"

version="" image=""
while [ $# -gt 0 ]; do
  case "$1" in
    --version) version="$2"; shift 2 ;;
    --image) image="$2"; shift 2 ;;
    --help|-h) usage ;;
    *) echo "deploy.sh: unknown argument $1" >&2; usage 2 ;;
  esac
done
[ -n "$version" ] || die "--version is required (e.g. --version 1.2.3)"
version_from_tag "v$version" >/dev/null
[[ "$image" =~ ^[a-z0-9.-]+/[^@:]+@sha256:[0-9a-f]{64}$ ]] ||
  die "--image must name an image by digest (HOST/PATH@sha256:<64 hex>), never by a tag: '$image'"
init_service

tag=$(traffic_tag "$version")
digest=${image##*@sha256:}
revision="$CLOUD_RUN_SERVICE-$tag-${digest:0:8}"
[ ${#revision} -le 63 ] || die "revision name $revision is longer than Cloud Run's 63 characters"

current=$(service_json)
first_deploy=false
[ -n "$current" ] || first_deploy=true

# The traffic block: the revisions serving now keep their share (pinned by name, so the new
# revision gets none), plus the new revision under its tag.
if [ "$first_deploy" = true ]; then
  traffic="  - revisionName: $revision
    tag: $tag
    percent: 100"
else
  serving=$(echo "$current" | serving_revisions)
  [ -n "$serving" ] || die "service $CLOUD_RUN_SERVICE has no revision with traffic; fix that first"
  if echo "$serving" | grep -q "^$revision "; then
    die "revision $revision of this image already serves; nothing to deploy"
  fi
  # Revisions a release gate rejected keep their rejected-TAG (for inspection, and so that a
  # rollback to "previous" never picks them).
  traffic=$(echo "$current" | jq -r --arg tag "$tag" '
    (.status.traffic // [])[]
    | select((.percent // 0) > 0 or ((.tag // "") | startswith("rejected-")))
    | "  - revisionName: \(.revisionName)\n    percent: \(.percent // 0)"
      + (if .tag != null and .tag != $tag then "\n    tag: \(.tag)" else "" end)')
  traffic="$traffic
  - revisionName: $revision
    tag: $tag
    percent: 0"
fi

release_dir="${RELEASE_DIR:-target/release}"
mkdir -p "$release_dir"
rendered="$release_dir/service-$version.yaml"
template="$CLOUDRUN_DIR/service.yaml"
grep -q '^  template:$' "$template" && grep -q '^    metadata:$' "$template" ||
  die "$template: expected spec.template.metadata at two and four spaces"
{
  awk -v service="$CLOUD_RUN_SERVICE" -v revision="$revision" -v image="$image" \
      -v project="$GCP_PROJECT_ID" '
    /^ *#/ { next }
    /^  name: / && !named { print "  name: " service; named = 1; next }
    /^  template:$/ { in_template = 1 }
    in_template && /^    metadata:$/ { print; print "      name: " revision; in_template = 0; next }
    /^ *image: REGION-docker[.]pkg[.]dev\// { sub(/image: .*/, "image: " image) }
    { gsub(/PROJECT_ID/, project); print }
  ' "$template"
  echo "  # Written by cloudrun/deploy.sh: each serving revision keeps its share; the new one waits."
  echo "  traffic:"
  echo "$traffic"
} >"$rendered"
if grep -n -E 'PROJECT_ID|REGION|REPOSITORY|DIGEST' "$rendered" >&2; then
  die "$rendered still has placeholders (above)"
fi
# Every other image (the metrics collector) is pinned by digest too, and the registry has it:
# a wrong pin fails here, with what to do, instead of as a revision that never starts.
for pinned in $(awk '/^ *(- )?image: / { print $NF }' "$rendered"); do
  [ "$pinned" = "$image" ] && continue
  [[ "$pinned" =~ @sha256:[0-9a-f]{64}$ ]] ||
    die "$template names $pinned by tag; pin it by digest (cloudrun/pin-sidecar.sh)"
  read_only artifacts docker images describe "$pinned" --format='value(image_summary.digest)' >/dev/null ||
    die "the registry has no image $pinned; pin a published release (cloudrun/pin-sidecar.sh --tag VERSION)"
done
log "rendered $rendered (revision $revision, tag $tag)"

change run services replace "$rendered" "${SERVICE_FLAGS[@]}" ||
  die "revision $revision did not become ready; traffic was not moved (RUNBOOK.md, \"Playbook: a new revision never becomes ready\")"

if [ "${DRY_RUN:-0}" = 1 ]; then
  url="(dry run)" service_url="(dry run)"
else
  deployed=$(service_json)
  url=$(echo "$deployed" | jq -r --arg tag "$tag" '(.status.traffic // [])[] | select(.tag == $tag) | .url')
  [ -n "$url" ] && [ "$url" != null ] || die "the service has no URL for tag $tag"
  service_url=$(echo "$deployed" | jq -r '.status.url')
fi
output revision "$revision"
output tag "$tag"
output url "$url"
output service_url "$service_url"
output first_deploy "$first_deploy"
