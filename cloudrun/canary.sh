#!/usr/bin/env bash
# Canary steps, after the shadow gate: the candidate revision takes a share of real traffic step
# by step, each step held for a dwell time and judged on its own window in Cloud Monitoring.
#
#   cloudrun/canary.sh --revision NEW --previous OLD [--steps 5,25,100] [--dwell SECONDS]
#   cloudrun/canary.sh --abort --revision NEW
#
# Each step below 100 moves traffic by name (NEW=p, OLD=100-p), holds it, then judges the window
# from the move until now: the candidate's 5xx share and p99 latency (Cloud Run's request_count
# and request_latencies by revision) and the PSI of its predicted labels against OLD's
# (predictions_total by revision, through the Prometheus sidecar). A step with too little data
# is not a pass: it waits CANARY_POLL_SECONDS at a time, for at most CANARY_NO_DATA_SECONDS.
# The step of 100 is the promotion: all traffic to NEW by name. "--steps 100" promotes at once.
# A failed step moves all traffic back to OLD and marks NEW rejected (its tag becomes
# rejected-TAG; it is not deleted), writes the report and exits 3.
# While a step holds, someone may move traffic by hand (.github/workflows/canary.yml): NEW at
# 100% ends the canary as promoted (exit 0), NEW at 0% as aborted (exit 3), anything else stops
# it (exit 1) with what serves printed.
# --abort: the manual stop of a holding canary: all traffic to the other revision with a share,
# NEW marked rejected.
# Thresholds: cloudrun/gates.env (CANARY_*); an environment variable of the same name overrides.
# Environment: GCP_PROJECT_ID, GCP_REGION, CLOUD_RUN_SERVICE (default prediction-function),
# MONITORING_API (default https://monitoring.googleapis.com), RELEASE_DIR (default
# target/release: canary-report.md and .json; the Markdown also goes to $GITHUB_STEP_SUMMARY).
# DRY_RUN=1 shows the traffic moves and queries of the first step, waits for nothing.
# Exit 0: promoted. 3: a step failed or the canary was aborted; traffic is back on OLD.
# 1: error; what serves is printed (RUNBOOK.md, "Playbook: a canary step failed").
# shellcheck source=cloudrun/lib.sh
source "$(dirname "$0")/lib.sh"

revision="" previous="" steps="" dwell="" abort=false
while [ $# -gt 0 ]; do
  case "$1" in
    --revision) revision="$2"; shift 2 ;;
    --previous) previous="$2"; shift 2 ;;
    --steps) steps="$2"; shift 2 ;;
    --dwell) dwell="$2"; shift 2 ;;
    --abort) abort=true; shift ;;
    --help|-h) usage ;;
    *) echo "canary.sh: unknown argument $1" >&2; usage 2 ;;
  esac
done
[ -n "$revision" ] || die "--revision is required (the candidate)"
init_service
load_gates

if [ "$abort" = true ]; then
  service=$(service_json)
  [ -n "$service" ] || die "service $CLOUD_RUN_SERVICE does not exist"
  share=$(echo "$service" | share_of "$revision")
  back=$(echo "$service" | jq -r --arg name "$revision" \
    '[(.status.traffic // [])[] | select((.percent // 0) > 0 and .revisionName != $name)] | sort_by(-.percent) | .[0].revisionName // empty')
  if [ "$share" = 0 ]; then
    log "$revision has no traffic; nothing to abort"
  else
    [ -n "$back" ] || die "$revision serves all traffic: that is a release, not a canary; roll back instead (RUNBOOK.md, \"Rollback\")"
    move_all_traffic "$back"
  fi
  reject_revision "$revision"
  [ "${DRY_RUN:-0}" = 1 ] || print_serving
  exit 0
fi

[ -n "$previous" ] || die "--previous is required (the revision that serves now)"
[ "$previous" != "$revision" ] || die "--previous and --revision are the same revision"
steps="${steps:-$CANARY_STEPS}"
dwell="${dwell:-$CANARY_DWELL_SECONDS}"
[[ "$dwell" =~ ^[0-9]+$ ]] || die "--dwell must be whole seconds: '$dwell'"
IFS=, read -ra percents <<<"$steps"
last=0
for p in "${percents[@]}"; do
  [[ "$p" =~ ^[0-9]+$ ]] && [ "$p" -gt "$last" ] && [ "$p" -le 100 ] ||
    die "--steps must be rising percentages ending at 100, e.g. 5,25,100: '$steps'"
  last=$p
done
[ "$last" = 100 ] || die "--steps must end at 100 (the promotion): '$steps'"

api="${MONITORING_API:-https://monitoring.googleapis.com}"
report_dir="${RELEASE_DIR:-target/release}"
mkdir -p "$report_dir"
results='[]'

# One Cloud Monitoring query (projects.timeSeries.list) over [START, END]: FILTER ALIGNER REDUCER GROUP_BY.
query() {
  local period=$((end - start))
  [ "$period" -ge 60 ] || period=60
  local args=(-sS --fail-with-body --max-time 30 -G "$api/v3/projects/$GCP_PROJECT_ID/timeSeries"
    -H "Authorization: Bearer $access_token"
    --data-urlencode "filter=$1"
    --data-urlencode "interval.startTime=$(date -u -d "@$start" +%Y-%m-%dT%H:%M:%SZ)"
    --data-urlencode "interval.endTime=$(date -u -d "@$end" +%Y-%m-%dT%H:%M:%SZ)"
    --data-urlencode "aggregation.alignmentPeriod=${period}s"
    --data-urlencode "aggregation.perSeriesAligner=$2"
    --data-urlencode "aggregation.crossSeriesReducer=$3")
  [ -z "${4:-}" ] || args+=(--data-urlencode "aggregation.groupByFields=$4")
  curl "${args[@]}" || die "Cloud Monitoring did not answer ($api); the step cannot be judged"
}

run_filter() {
  echo "metric.type=\"run.googleapis.com/$1\" AND resource.type=\"cloud_run_revision\" AND resource.labels.service_name=\"$CLOUD_RUN_SERVICE\" AND resource.labels.revision_name=\"$2\""
}

predictions_filter() {
  echo "metric.type=\"prometheus.googleapis.com/predictions_total/counter\" AND metric.labels.revision=\"$1\""
}

# Judges the window [start, end] of the step at $1 percent; prints the step's result as JSON.
judge() {
  local cand_requests serv_requests cand_latency serv_latency cand_labels serv_labels
  cand_requests=$(query "$(run_filter request_count "$revision")" ALIGN_DELTA REDUCE_SUM metric.labels.response_code_class)
  serv_requests=$(query "$(run_filter request_count "$previous")" ALIGN_DELTA REDUCE_SUM metric.labels.response_code_class)
  cand_latency=$(query "$(run_filter request_latencies "$revision")" ALIGN_PERCENTILE_99 REDUCE_MAX)
  serv_latency=$(query "$(run_filter request_latencies "$previous")" ALIGN_PERCENTILE_99 REDUCE_MAX)
  cand_labels=$(query "$(predictions_filter "$revision")" ALIGN_DELTA REDUCE_SUM metric.labels.label)
  serv_labels=$(query "$(predictions_filter "$previous")" ALIGN_DELTA REDUCE_SUM metric.labels.label)
  jq -n -f "$CLOUDRUN_DIR/canary-judge.jq" --argjson percent "$1" --argjson from "$start" --argjson to "$end" \
    --argjson cr "$cand_requests" --argjson sr "$serv_requests" \
    --argjson cl "$cand_latency" --argjson sl "$serv_latency" \
    --argjson cp "$cand_labels" --argjson sp "$serv_labels" \
    --argjson max5xx "$CANARY_MAX_5XX_SHARE" --argjson ratio "$CANARY_MAX_P99_RATIO" \
    --argjson floor "$CANARY_P99_FLOOR_MS" --argjson maxpsi "$CANARY_MAX_LABEL_PSI" \
    --argjson minreq "$CANARY_MIN_REQUESTS" --argjson minpred "$CANARY_MIN_PREDICTIONS"
}

# Writes the report (Markdown and JSON) with OUTCOME, and exits with STATUS.
finish() {
  local outcome="$1" status="$2"
  trap - EXIT
  echo "$results" | jq --arg outcome "$outcome" --arg revision "$revision" --arg previous "$previous" \
    '{revision: $revision, previous: $previous, outcome: $outcome, steps: .}' >"$report_dir/canary-report.json"
  {
    echo "### Canary of \`$revision\`: $outcome"
    echo ""
    echo "Against \`$previous\`. Thresholds: cloudrun/gates.env (5xx share <= $CANARY_MAX_5XX_SHARE, p99 <= x$CANARY_MAX_P99_RATIO or $CANARY_P99_FLOOR_MS ms, label PSI <= $CANARY_MAX_LABEL_PSI)."
    echo ""
    echo "| step | window | check | result | numbers |"
    echo "|---|---|---|---|---|"
    echo "$results" | jq -r '.[] | . as $step | .checks[]
      | "| \($step.percent)% | \(($step.end - $step.start)) s | \(.name) | \(if .status == "fail" then "**fail**" else .status end) | \(.detail | gsub("\\|"; "\\|")) |"'
    echo ""
    echo "Traffic now:"
    echo '```'
    if [ "${DRY_RUN:-0}" = 1 ]; then echo "(dry run)"; else print_serving; fi
    echo '```'
  } >"$report_dir/canary-report.md"
  cat "$report_dir/canary-report.md"
  [ -z "${GITHUB_STEP_SUMMARY:-}" ] || cat "$report_dir/canary-report.md" >>"$GITHUB_STEP_SUMMARY"
  exit "$status"
}

roll_back() {
  log "step failed: $1; all traffic back to $previous"
  move_all_traffic "$previous" >&2
  reject_revision "$revision"
  finish "rolled back at ${percent}%: $1" 3
}

# Stops the canary if someone moved traffic by hand while a step held.
still_ours() {
  local share
  share=$(service_json | share_of "$revision")
  [ "$share" = "$1" ] && return 0
  if [ "$share" = 100 ]; then
    log "$revision was given all traffic by hand while ${1}% held: promoted"
    finish "promoted by hand at ${1}%" 0
  elif [ "$share" = 0 ]; then
    log "$revision was taken out of traffic by hand while ${1}% held: aborted"
    finish "aborted by hand at ${1}%" 3
  fi
  print_serving >&2
  die "traffic changed by hand while ${1}% held ($revision now ${share}%); the canary stops and leaves traffic as above"
}

# Once traffic is split, an unexpected end (an error, a cancelled job's SIGTERM) must not leave
# it split: all traffic goes back to the revision that served, and the report says why.
on_unexpected_end() {
  local status=$?
  trap - EXIT
  log "the canary ended unexpectedly (exit $status) while traffic was split; all traffic back to $previous"
  move_all_traffic "$previous" >&2 || log "could not move traffic back: do it by hand (RUNBOOK.md, \"Playbook: a canary step failed\")"
  finish "stopped by an error at ${percent}%; traffic back on $previous" 1
}
trap 'exit 143' TERM INT

# A sleep that a signal interrupts at once (bash runs a trap only after a foreground command), so a
# cancelled job moves traffic back within its grace period.
pause() {
  sleep "$1" &
  wait $! || true
}

access_token=""
if [ "${DRY_RUN:-0}" != 1 ]; then
  access_token=$(read_only auth print-access-token) ||
    die "no access token for Cloud Monitoring (gcloud auth print-access-token)"
fi
for percent in "${percents[@]}"; do
  if [ "$percent" = 100 ]; then
    move_all_traffic "$revision" >&2
    [ "${DRY_RUN:-0}" = 1 ] || unreject_revision "$revision"
    finish "promoted" 0
  fi
  # Armed before the split, not after it: a cancelled job's SIGTERM waits for gcloud to return,
  # by when Cloud Run may have split the traffic.
  [ "${DRY_RUN:-0}" = 1 ] || trap on_unexpected_end EXIT
  change run services update-traffic "$CLOUD_RUN_SERVICE" "${SERVICE_FLAGS[@]}" \
    --to-revisions="$revision=$percent,$previous=$((100 - percent))" || {
    [ "$percent" != "${percents[0]}" ] || trap - EXIT # the first split failed: nothing to undo
    die "traffic was not split; nothing changed (RUNBOOK.md, \"Playbook: a canary step failed\")"
  }
  if [ "${DRY_RUN:-0}" = 1 ]; then
    log "dry run: would hold ${percent}% for $dwell s, then judge the window"
    continue
  fi
  log "${percent}% of traffic to $revision, holding $dwell s"
  start=$(date +%s)
  poll=$((CANARY_POLL_SECONDS < dwell ? CANARY_POLL_SECONDS : dwell))
  [ "$poll" -gt 0 ] || poll=1
  while [ $(($(date +%s) - start)) -lt "$dwell" ]; do
    pause "$poll"
    still_ours "$percent"
  done
  while true; do
    end=$(date +%s)
    result=$(judge "$percent")
    verdict=$(echo "$result" | jq -r .verdict)
    case "$verdict" in
      pass)
        results=$(echo "$results" | jq --argjson r "$result" '. + [$r]')
        log "${percent}% passed"
        break ;;
      fail)
        results=$(echo "$results" | jq --argjson r "$result" '. + [$r]')
        roll_back "$(echo "$result" | jq -r '[.checks[] | select(.status == "fail") | "\(.name): \(.detail)"] | join("; ")')" ;;
      *)
        if [ $((end - start)) -ge $((dwell + CANARY_NO_DATA_SECONDS)) ]; then
          results=$(echo "$results" | jq --argjson r "$result" '. + [$r]')
          roll_back "no data after $((end - start)) s: $(echo "$result" | jq -r '[.checks[] | select(.status == "no_data") | .detail] | join("; ")')"
        fi
        log "${percent}%: no data yet ($(echo "$result" | jq -r '[.checks[] | select(.status == "no_data") | .detail] | join("; ")')); looking again in $CANARY_POLL_SECONDS s"
        pause "$CANARY_POLL_SECONDS"
        still_ours "$percent" ;;
    esac
  done
done
