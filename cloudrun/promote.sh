#!/usr/bin/env bash
# Moves all traffic to one named revision and prints what serves afterwards.
#
#   cloudrun/promote.sh --revision prediction-function-v1-2-3-0a1b2c3d
#
# Always by name (--to-revisions REVISION=100), never --to-latest: traffic pinned to a revision
# stays there until it is moved again, which is what keeps a new revision from receiving traffic
# before its smoke test (RUNBOOK.md, "Traffic is pinned").
# Environment: GCP_PROJECT_ID, GCP_REGION, CLOUD_RUN_SERVICE (default prediction-function).
# DRY_RUN=1 shows the command instead of running it.
# shellcheck source=cloudrun/lib.sh
source "$(dirname "$0")/lib.sh"

revision=""
while [ $# -gt 0 ]; do
  case "$1" in
    --revision) revision="$2"; shift 2 ;;
    --help|-h) usage ;;
    *) echo "promote.sh: unknown argument $1" >&2; usage 2 ;;
  esac
done
[ -n "$revision" ] || die "--revision is required"
init_service

move_all_traffic "$revision"
