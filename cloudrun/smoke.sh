#!/usr/bin/env bash
# Smoke test of one revision before it gets traffic: it must be ready, serve the model version
# of the release, and predict the known rows of cloudrun/smoke-cases.json (one per class of the
# built-in model) with their known labels.
#
#   cloudrun/smoke.sh --url https://v1-2-3---prediction-function-....run.app --version 1.2.3
#
# SMOKE_ID_TOKEN: an identity token for the private service (the release job gets one from its
# Workload Identity Federation step; by hand: gcloud auth print-identity-token). Unset: no
# Authorization header (a local instance).
# SMOKE_READY_SECONDS (default 60): how long to wait for readiness. SMOKE_CASES: another cases file.
# Exit 0: every check passed. Exit 1: the first failed check is printed; promote nothing.
# shellcheck source=cloudrun/lib.sh
source "$(dirname "$0")/lib.sh"

url="" version=""
while [ $# -gt 0 ]; do
  case "$1" in
    --url) url="${2%/}"; shift 2 ;;
    --version) version="$2"; shift 2 ;;
    --help|-h) usage ;;
    *) echo "smoke.sh: unknown argument $1" >&2; usage 2 ;;
  esac
done
[ -n "$url" ] || die "--url is required"
[ -n "$version" ] || die "--version is required"
cases="${SMOKE_CASES:-$CLOUDRUN_DIR/smoke-cases.json}"
[ -r "$cases" ] || die "cannot read $cases"

headers=(-H 'Accept: application/json')
[ -z "${SMOKE_ID_TOKEN:-}" ] || headers+=(-H "Authorization: Bearer $SMOKE_ID_TOKEN")
body=$(mktemp) head=$(mktemp)
trap 'rm -f "$body" "$head"' EXIT

# GET or POST; leaves the body in $body and the headers in $head, prints the status.
call() {
  local method="$1" path="$2" data="${3:-}"
  local args=(-s -o "$body" -D "$head" -w '%{http_code}' --max-time 10 -X "$method" "${headers[@]}")
  [ -z "$data" ] || args+=(-H 'Content-Type: application/json' --data "$data")
  curl "${args[@]}" "$url$path" || true
}

fail() {
  echo "smoke.sh: FAILED: $*" >&2
  echo "smoke.sh: last response body: $(head -c 500 "$body" 2>/dev/null)" >&2
  exit 1
}

# 1. Readiness: a verified model is loaded (the revision may still be starting).
deadline=$((SECONDS + ${SMOKE_READY_SECONDS:-60}))
until [ "$(call GET /health/readiness)" = 200 ]; do
  [ $SECONDS -lt $deadline ] || fail "GET $url/health/readiness did not answer 200 within ${SMOKE_READY_SECONDS:-60} s"
  sleep 2
done
echo "smoke: readiness 200"

# 2. The model card names the release's version.
status=$(call GET /model)
[ "$status" = 200 ] || fail "GET /model answered $status"
served=$(jq -r '.model_version' "$body" 2>/dev/null || echo "(no JSON)")
[ "$served" = "$version" ] || fail "the revision serves model version '$served', the release is '$version'"
echo "smoke: model $(jq -r '.model_name' "$body" 2>/dev/null) version $served"

# 3. Known rows, known labels; the version header and body agree.
count=$(jq 'length' "$cases")
[ "$count" -gt 0 ] || fail "$cases has no cases"
for i in $(seq 0 $((count - 1))); do
  features=$(jq -c ".[$i].features" "$cases")
  expected=$(jq -r ".[$i].prediction" "$cases")
  status=$(call POST /predict "{\"features\":$features}")
  [ "$status" = 200 ] || fail "POST /predict $features answered $status"
  got=$(jq -r '.prediction' "$body" 2>/dev/null || echo "(no JSON)")
  [ "$got" = "$expected" ] || fail "POST /predict $features predicted '$got', expected '$expected'"
  header=$(tr -d '\r' <"$head" | sed -n 's/^[Xx]-[Mm]odel-[Vv]ersion: *//p')
  [ "$header" = "$version" ] || fail "X-Model-Version was '$header', expected '$version'"
  echo "smoke: $features -> $got"
done
echo "smoke: passed ($count rows, version $version, $url)"
