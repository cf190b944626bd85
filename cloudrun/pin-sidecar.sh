#!/usr/bin/env bash
# Pins the metrics collector of cloudrun/service.yaml (the Managed Service for Prometheus sidecar)
# to the digest of a release tag, so that every revision runs exactly the image that was
# reviewed, never what the tag points at later. Rewrites the collector's image line in place;
# commit the change like any other.
#
#   cloudrun/pin-sidecar.sh --tag 1.2.0 [--file cloudrun/service.yaml] [--dry-run]
#
# --tag VERSION   a release of the sidecar image (the tags its registry lists:
#                 gcloud artifacts docker tags list IMAGE)
# --file PATH     the service file to rewrite [cloudrun/service.yaml]
# --dry-run       print the pinned image line, change nothing
# Needs: gcloud logged in (any account may read the public image).
# shellcheck source=cloudrun/lib.sh
source "$(dirname "$0")/lib.sh"

SIDECAR_IMAGE=us-docker.pkg.dev/cloud-ops-agents-artifacts/cloud-run-gmp-sidecar/cloud-run-gmp-sidecar

tag="" service_yaml="$CLOUDRUN_DIR/service.yaml"
while [ $# -gt 0 ]; do
  case "$1" in
    --tag) tag="$2"; shift 2 ;;
    --file) service_yaml="$2"; shift 2 ;;
    --dry-run) export DRY_RUN=1; shift ;;
    --help|-h) usage ;;
    *) echo "pin-sidecar.sh: unknown argument $1" >&2; usage 2 ;;
  esac
done
[[ "$tag" =~ ^[0-9A-Za-z._-]+$ ]] || die "--tag is required: a release tag of $SIDECAR_IMAGE (e.g. --tag 1.2.0)"

digest=$(read_only artifacts docker images describe "$SIDECAR_IMAGE:$tag" \
  --format='value(image_summary.digest)') || die "the registry has no tag $tag of $SIDECAR_IMAGE"
[[ "$digest" =~ ^sha256:[0-9a-f]{64}$ ]] || die "unexpected digest for $tag: '$digest'"

line="          image: $SIDECAR_IMAGE@$digest"
[ "$(grep -c "^ *image: $SIDECAR_IMAGE@" "$service_yaml")" = 1 ] ||
  die "$service_yaml must have exactly one image line of $SIDECAR_IMAGE"
if [ "${DRY_RUN:-0}" = 1 ]; then
  echo "$line"
  exit 0
fi
tmp=$(mktemp "$service_yaml.XXXXXX")
awk -v line="$line" -v image="$SIDECAR_IMAGE@" 'index($0, "image: " image) { print line; next } { print }' \
  "$service_yaml" >"$tmp"
mv "$tmp" "$service_yaml"
log "pinned $SIDECAR_IMAGE:$tag as $digest in $service_yaml"
