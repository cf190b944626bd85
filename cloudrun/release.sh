#!/usr/bin/env bash
# The deploy job of a release: deploy the image as a revision with no traffic, smoke-test it at
# its tag URL, and only then move all traffic to it.
#
#   cloudrun/release.sh --tag v1.2.3 --image REGION-docker.pkg.dev/PROJECT/REPO/IMAGE@sha256:...
#
# A failed deploy or smoke test exits non-zero before any traffic moves: the revision that served
# keeps serving. A revision that failed its smoke test is deleted (its logs remain), so nothing
# can give it traffic later; one that never became ready is left, unready, by Cloud Run.
# Environment: GCP_PROJECT_ID, GCP_REGION, CLOUD_RUN_SERVICE (default prediction-function),
# SMOKE_ID_TOKEN (smoke.sh). Writes a summary to $GITHUB_STEP_SUMMARY when set.
# shellcheck source=cloudrun/lib.sh
source "$(dirname "$0")/lib.sh"

usage() { sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'; exit "${1:-0}"; }

tag="" image=""
while [ $# -gt 0 ]; do
  case "$1" in
    --tag) tag="$2"; shift 2 ;;
    --image) image="$2"; shift 2 ;;
    --help|-h) usage ;;
    *) echo "release.sh: unknown argument $1" >&2; usage 2 ;;
  esac
done
version=$(version_from_tag "$tag")
init_service

summary() {
  [ -z "${GITHUB_STEP_SUMMARY:-}" ] || echo "$*" >>"$GITHUB_STEP_SUMMARY"
}

deployed=$(mktemp)
trap 'rm -f "$deployed"' EXIT
"$CLOUDRUN_DIR/deploy.sh" --version "$version" --image "$image" | tee "$deployed"
revision=$(sed -n 's/^revision=//p' "$deployed")
url=$(sed -n 's/^url=//p' "$deployed")
first_deploy=$(sed -n 's/^first_deploy=//p' "$deployed")
revision_tag=$(sed -n 's/^tag=//p' "$deployed")
service_url=$(sed -n 's/^service_url=//p' "$deployed")
summary "### Release $tag"
summary ""
summary "| | |"
summary "|---|---|"
summary "| Image | \`$image\` |"
summary "| Revision | \`$revision\` |"
summary "| Tag URL | $url |"

if ! "$CLOUDRUN_DIR/smoke.sh" --url "$url" --version "$version"; then
  summary "| Smoke test | **failed**: traffic not moved |"
  if [ "$first_deploy" = true ]; then
    die "smoke test of $revision failed; it is the service's first revision, so it serves: fix and release again"
  fi
  # A revision that failed its smoke test must never serve: delete it, so that neither a
  # rollback to "previous" nor a mistyped name can pick it. Its logs stay in Cloud Logging.
  change run services update-traffic "$CLOUD_RUN_SERVICE" "${SERVICE_FLAGS[@]}" --remove-tags="$revision_tag" &&
    change run revisions delete "$revision" "${SERVICE_FLAGS[@]}" --quiet ||
    log "could not delete $revision; delete it by hand (RUNBOOK.md, \"Playbook: a release fails its smoke test\")"
  summary "| Revision deleted | \`$revision\` (its logs remain) |"
  die "smoke test of $revision failed; traffic stays where it was (RUNBOOK.md, \"Playbook: a release fails its smoke test\")"
fi
summary "| Smoke test | passed |"

"$CLOUDRUN_DIR/promote.sh" --revision "$revision"
summary "| Traffic | 100% to \`$revision\` |"
summary "| Service URL | $service_url |"
output revision "$revision"
output service_url "$service_url"
