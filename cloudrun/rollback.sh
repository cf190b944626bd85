#!/usr/bin/env bash
# Rolls the service back: moves all traffic to a named revision, or to "previous", the newest
# ready revision created before the one that serves now. Prints what serves afterwards.
#
#   cloudrun/rollback.sh --to previous
#   cloudrun/rollback.sh --to prediction-function-v1-2-2-9f8e7d6c
#
# A model is part of its image, so rolling back a model is rolling back a revision.
# Refuses "previous" while traffic is split between revisions (name the revision instead), and
# never picks or accepts a revision a release gate rejected (tagged rejected-...).
# Afterwards traffic stays pinned to that revision: the next release moves it explicitly.
# Environment: GCP_PROJECT_ID, GCP_REGION, CLOUD_RUN_SERVICE (default prediction-function).
# DRY_RUN=1 shows the command instead of running it.
# shellcheck source=cloudrun/lib.sh
source "$(dirname "$0")/lib.sh"

target=""
while [ $# -gt 0 ]; do
  case "$1" in
    --to) target="$2"; shift 2 ;;
    --help|-h) usage ;;
    *) echo "rollback.sh: unknown argument $1" >&2; usage 2 ;;
  esac
done
[ -n "$target" ] || die "--to is required: a revision name or previous"
init_service

service=$(service_json)
[ -n "$service" ] || die "service $CLOUD_RUN_SERVICE does not exist in $GCP_REGION"
serving=$(echo "$service" | serving_revisions)
revisions=$(read_only run revisions list --service="$CLOUD_RUN_SERVICE" "${SERVICE_FLAGS[@]}" --format=json)

# One line per ready revision that no release gate rejected, oldest first: "CREATED NAME".
rejected=$(echo "$service" | jq -c '[(.status.traffic // [])[] | select((.tag // "") | startswith("rejected-")) | .revisionName]')
ready=$(echo "$revisions" | jq -r --argjson rejected "$rejected" '[.[]
  | select(any(.status.conditions[]?; .type == "Ready" and .status == "True"))
  | select(.metadata.name as $name | $rejected | index($name) | not)]
  | sort_by(.metadata.creationTimestamp)[] | "\(.metadata.creationTimestamp) \(.metadata.name)"')

if [ "$target" = previous ]; then
  [ "$(echo "$serving" | grep -c .)" -eq 1 ] ||
    die "traffic is split (${serving//$'\n'/, }); name the revision to roll back to: --to REVISION"
  current=${serving%% *}
  created=$(echo "$revisions" | jq -r --arg name "$current" '.[] | select(.metadata.name == $name) | .metadata.creationTimestamp')
  [ -n "$created" ] || die "revision $current that serves is not in the revision list"
  target=$(echo "$ready" | awk -v created="$created" '$1 < created { name = $2 } END { print name }')
  [ -n "$target" ] || die "no ready revision older than $current to roll back to"
  log "serving now: $current; previous ready revision: $target"
else
  echo "$ready" | awk '{ print $2 }' | grep -qx -- "$target" ||
    die "revision $target is not a ready revision of $CLOUD_RUN_SERVICE that no release gate rejected; ready: $(echo "$ready" | awk '{ print $2 }' | tr '\n' ' ')"
fi
if [ "$serving" = "$target 100" ]; then
  log "$target already receives all traffic; nothing to do"
  [ "${DRY_RUN:-0}" = 1 ] || print_serving
else
  move_all_traffic "$target"
fi
output revision "$target"
