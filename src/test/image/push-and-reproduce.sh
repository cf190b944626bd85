#!/usr/bin/env bash
# Proves the push path and the build's reproducibility against a real registry on 127.0.0.1:
#  1. starts Debian's docker-registry on a free loopback port (plain HTTP, removed at exit);
#  2. builds the image twice from clean with cloudrun/push-image.sh (Jib) to that registry, without the JDK AOT
#     cache (its bytes differ from run to run, see docs/container-image.md), and checks both pushes
#     have the same digest, which is also the registry's Docker-Content-Digest for the manifest;
#     the same for the retraining job's image, which the same builds push;
#     the builds run in a copy of the checkout, so target/ keeps the shipped image's files;
#  3. pulls that digest with podman and gets a prediction from it;
#  4. checks that the image with the AOT cache (built first) shares every layer with those
#     builds except the two that hold the cache and the option that loads it;
#  5. closes the retraining loop: the retraining image (built first, beside the serving one)
#     trains a candidate into a directory standing in for the candidates bucket, a third build
#     adopts it (push-image.sh --candidate), and that image, pulled, serves the candidate.
# Run from the repository root after `./mvnw -Pimage package` (.ci/run does).
set -euo pipefail

usage() { echo "Usage: src/test/image/push-and-reproduce.sh   (from the repository root)"; }
case "${1:-}" in -h|--help) usage; exit 0 ;; "") ;; *) usage >&2; exit 1 ;; esac
[ -f pom.xml ] && [ -f target/jib-image.tar ] \
  || { echo "push-and-reproduce.sh: run ./mvnw -Pimage package first, from the repository root" >&2; exit 1; }

work=$(mktemp -d)
registry_pid=""
container=""
cleanup() {
  [ -n "$container" ] && podman rm -f -t 0 "$container" >/dev/null 2>&1 || true
  [ -n "$registry_pid" ] && kill "$registry_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
source "$(dirname "$0")/../../main/image/podman.sh"

manifest_of_tar() { # OCI tarball -> its manifest JSON
  local dir="$work/tar-$RANDOM"
  mkdir -p "$dir" && tar -xf "$1" -C "$dir" index.json blobs
  local digest
  digest=$(jq -r '.manifests[0].digest' "$dir/index.json" | cut -d: -f2)
  cat "$dir/blobs/sha256/$digest"
}
jq -r '.layers[].digest' <(manifest_of_tar target/jib-image.tar) > "$work/layers-with-cache"

# 1. the registry
port=$(shuf -i 20000-60000 -n 1)
cat > "$work/registry.yml" <<YAML
version: 0.1
storage:
  filesystem:
    rootdirectory: $work/registry
http:
  addr: 127.0.0.1:$port
YAML
docker-registry serve "$work/registry.yml" > "$work/registry.log" 2>&1 &
registry_pid=$!
for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$port/v2/" >/dev/null && break; sleep 0.1; done
curl -fs "http://127.0.0.1:$port/v2/" >/dev/null || { cat "$work/registry.log" >&2; exit 1; }
repository="127.0.0.1:$port/prediction-function"
echo "push-and-reproduce.sh: registry on 127.0.0.1:$port"

# 2. two clean builds, pushed, in a copy of the checkout (push-image.sh starts with mvn clean)
version=$(sed -n 's:.*<revision>\(.*\)</revision>.*:\1:p' pom.xml)
checkout="$work/checkout"
mkdir -p "$checkout"
git ls-files -z --cached --others --exclude-standard | xargs -0 cp --parents -t "$checkout"
# With the repository's history too: the image's revision label is the commit (git-commit-id).
cp -a .git "$checkout/"
digests=()
retrain_digests=()
registry_digest() { # REPOSITORY-NAME TAG -> the registry's digest of that manifest
  curl -fsI -H 'Accept: application/vnd.oci.image.manifest.v1+json' \
    "http://127.0.0.1:$port/v2/$1/manifests/$2" | tr -d '\r' | sed -n 's/^[Dd]ocker-[Cc]ontent-[Dd]igest: //p'
}
for build in 1 2; do
  # The release's own build-and-push script (release.yml runs it against Artifact Registry).
  (cd "$checkout" && MAVEN_EXTRA_ARGS="-q -Dimage.aot-cache=false -Djib.allowInsecureRegistries=true" \
    bash cloudrun/push-image.sh --version "$version" --repository "$repository" --also-tag "build-$build") \
    > "$work/build-$build.log" 2>&1 || { tail -50 "$work/build-$build.log" >&2; exit 1; }
  digest=$(cat "$checkout/target/jib-push.digest")
  grep -qx "image=$repository@$digest" "$work/build-$build.log" \
    || { echo "push-image.sh did not print image=$repository@$digest" >&2; exit 1; }
  served=$(registry_digest prediction-function "build-$build")
  echo "push-and-reproduce.sh: build $build pushed $digest (registry: $served)"
  [ "$digest" = "$served" ] || { echo "the registry serves $served, Jib wrote $digest" >&2; exit 1; }
  retrain=$(cat "$checkout/target/jib-push-retrain.digest")
  grep -qx "retrain_image=$repository-retrain@$retrain" "$work/build-$build.log" \
    || { echo "push-image.sh did not print retrain_image=$repository-retrain@$retrain" >&2; exit 1; }
  [ "$retrain" = "$(registry_digest prediction-function-retrain "build-$build")" ] \
    || { echo "the registry does not serve the retraining image $retrain" >&2; exit 1; }
  retrain_digests+=("$retrain")
  digests+=("$digest")
done
[ "${digests[0]}" = "${digests[1]}" ] \
  || { echo "push-and-reproduce.sh: two builds of one commit gave ${digests[0]} and ${digests[1]}" >&2; exit 1; }
[ "${retrain_digests[0]}" = "${retrain_digests[1]}" ] \
  || { echo "push-and-reproduce.sh: two builds gave the retraining images ${retrain_digests[0]} and ${retrain_digests[1]}" >&2; exit 1; }

# 3. pull by digest and ask it for a prediction
pulled_answers() { # IMAGE@DIGEST PATH -> waits for a prediction, then prints GET PATH's body
  podman pull --quiet --tls-verify=false "$1" >/dev/null
  local host_port answer=""
  host_port=$(shuf -i 20000-60000 -n 1)
  container=$(podman run -d --read-only --read-only-tmpfs=false --cpus 1 --memory 512m \
    -p "127.0.0.1:$host_port:8080" -e PORT=8080 "$1")
  for _ in $(seq 1 150); do
    answer=$(curl -fs -X POST "http://127.0.0.1:$host_port/predict" -H 'Content-Type: application/json' \
      -d '{"features":[5.1,3.5,1.4,0.2]}' || true)
    [ -n "$answer" ] && break
    sleep 0.2
  done
  local ok=true
  case "$answer" in
    *'"prediction":"setosa"'*) echo "push-and-reproduce.sh: the pulled image answers: $answer" >&2 ;;
    *) podman logs "$container" >&2 || true; echo "push-and-reproduce.sh: no prediction from the pulled image" >&2; ok=false ;;
  esac
  [ "$ok" = false ] || curl -fs "http://127.0.0.1:$host_port$2" || ok=false
  podman rm -f -t 0 "$container" >/dev/null; container=""
  podman rmi --force "$1" >/dev/null 2>&1 || true
  [ "$ok" = true ]
}
pulled_answers "$repository@${digests[0]}" /health/readiness >/dev/null

# 4. the image with the cache differs only in its last two layers
jq -r '.layers[].digest' <(manifest_of_tar "$checkout/target/jib-push.tar") > "$work/layers-without-cache"
shared=$(( $(wc -l < "$work/layers-with-cache") - 2 ))
if [ "$(head -n "$shared" "$work/layers-with-cache")" != "$(head -n "$shared" "$work/layers-without-cache")" ]; then
  echo "push-and-reproduce.sh: the image with the AOT cache differs from the others before its last two layers:" >&2
  diff "$work/layers-with-cache" "$work/layers-without-cache" >&2 || true
  exit 1
fi
echo "push-and-reproduce.sh: same digest twice (${digests[0]}; retraining image ${retrain_digests[0]}); with the AOT cache, $shared of $(wc -l < "$work/layers-with-cache") layers are the same"

# 5. the retraining loop, end to end
bucket="$work/bucket"
mkdir -p "$bucket/data" "$bucket/candidates"
cp src/main/training/data/iris/v1.csv "$bucket/data/labelled.csv"
chmod 755 "$bucket" "$bucket/data" && chmod 644 "$bucket/data/labelled.csv" && chmod 777 "$bucket/candidates"
podman load --quiet --input target/jib-retrain-image.tar >/dev/null
podman run --rm --read-only --cpus 1 --memory 512m -e CLOUD_RUN_EXECUTION=weekly-1 \
  -v "$bucket/data:/data:ro" -v "$bucket/candidates:/candidates" "$(cat target/jib-retrain-image.id)" \
  retrain --spec iris.spec.json --data gs://data-bucket/labelled.csv \
  --candidates gs://candidates-bucket/iris-sgd --data-mount /data \
  --candidates-mount /candidates > "$work/retrain.log" 2>&1 \
  || { cat "$work/retrain.log" >&2; echo "push-and-reproduce.sh: the retraining run failed" >&2; exit 1; }
podman rmi --force "$(cat target/jib-retrain-image.id)" >/dev/null 2>&1 || true
run_dir="$bucket/candidates/iris-sgd/weekly-1"
candidate_sha=$(jq -r .model_sha256 "$run_dir/run.json")
(cd "$checkout" && MAVEN_EXTRA_ARGS="-q -Dimage.aot-cache=false -Djib.allowInsecureRegistries=true" \
  bash cloudrun/push-image.sh --version "$version" --repository "$repository" --also-tag candidate \
    --candidate "$run_dir" --candidate-sha256 "$candidate_sha" \
    --candidate-uri gs://candidates-bucket/iris-sgd/weekly-1/) \
  > "$work/build-candidate.log" 2>&1 || { tail -50 "$work/build-candidate.log" >&2; exit 1; }
card=$(pulled_answers "$repository@$(cat "$checkout/target/jib-push.digest")" /model)
served=$(echo "$card" | jq -r '[.model_sha256, .model_version, .lineage.candidate] | join(" ")')
[ "$served" = "$candidate_sha $version gs://candidates-bucket/iris-sgd/weekly-1/" ] \
  || { echo "push-and-reproduce.sh: the candidate build serves '$served'" >&2; exit 1; }
echo "push-and-reproduce.sh: a retrained candidate ($candidate_sha) was adopted, pushed and served as $version"
