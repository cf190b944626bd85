#!/usr/bin/env bash
# The deploy job of a release: deploy the image as a revision with no traffic, smoke-test it at
# its tag URL, compare it with the serving revision on labelled rows (the shadow gate,
# cloudrun/compare.sh), then give it traffic in canary steps that roll back on their own
# (cloudrun/canary.sh).
#
#   cloudrun/release.sh --tag v1.2.3 --image REGION-docker.pkg.dev/PROJECT/REPO/IMAGE@sha256:...
#
# A failed deploy, smoke test or shadow gate exits non-zero before any traffic moves: the revision
# that served keeps serving. A revision that failed its smoke test is deleted (its logs remain);
# one that failed the shadow gate or a canary step keeps a rejected-TAG tag for inspection and is
# never picked by a rollback to "previous"; one that never became ready is left, unready, by Cloud
# Run. A failed canary step has already moved all traffic back. A release refuses to start while
# traffic is split (a canary still holding): promote or abort that one first.
# Environment: GCP_PROJECT_ID, GCP_REGION, CLOUD_RUN_SERVICE (default prediction-function),
# SMOKE_ID_TOKEN (smoke.sh, compare.sh), CANARY_STEPS and the other thresholds of
# cloudrun/gates.env. Writes a summary to $GITHUB_STEP_SUMMARY when set.
# shellcheck source=cloudrun/lib.sh
source "$(dirname "$0")/lib.sh"

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

# The revision that serves now is the baseline of the shadow gate and of every canary step.
serving=$(service_json | serving_revisions)
if [ "$(echo "$serving" | grep -c .)" -gt 1 ]; then
  die "traffic is split (${serving//$'\n'/, }): a canary is still holding; promote or abort it first (RUNBOOK.md, \"Playbook: a canary step failed\")"
fi
previous=${serving%% *}

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

if [ "$first_deploy" = true ]; then
  # Nothing serves yet to compare with or to fall back to: the first revision takes all traffic.
  "$CLOUDRUN_DIR/promote.sh" --revision "$revision"
  summary "| Traffic | 100% to \`$revision\` (the service's first revision) |"
  summary "| Service URL | $service_url |"
  output revision "$revision"
  output service_url "$service_url"
  exit 0
fi

# The shadow gate: the serving revision at its own tag URL (or the service URL, which sends it
# all traffic) against the new one, on the build's labelled rows.
serving_url=$(service_json | jq -r --arg name "$previous" \
  '[(.status.traffic // [])[] | select(.revisionName == $name and .tag != null) | .url][0] // .status.url')
summary "| Serving revision | \`$previous\` ($serving_url) |"
summary ""
compared=0
"$CLOUDRUN_DIR/compare.sh" "$serving_url" "$url" || compared=$?
if [ "$compared" -ne 0 ]; then
  if [ "$compared" -eq 3 ]; then
    reject_revision "$revision"
    die "$revision failed the shadow gate; traffic stays on $previous (RUNBOOK.md, \"Playbook: the shadow gate failed\")"
  fi
  die "the shadow comparison could not be made; traffic stays on $previous, $revision waits at 0% (RUNBOOK.md, \"Playbook: the shadow gate failed\")"
fi

"$CLOUDRUN_DIR/canary.sh" --revision "$revision" --previous "$previous" ||
  die "$revision did not pass its canary steps; the canary report above says where traffic is (RUNBOOK.md, \"Playbook: a canary step failed\")"
summary ""
summary "Traffic: 100% to \`$revision\`; service URL $service_url"
output revision "$revision"
output service_url "$service_url"
