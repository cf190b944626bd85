# Sourced by the image tests and benchmarks: podman as the project's build machines need it:
# the runc runtime, since crun refuses the hybrid cgroup layout,
# and a containers.conf without default ulimits, which the runtime may not raise.
#   podman ARGS...      podman with both
#   built_image         loads target/jib-image.tar (./mvnw -Pimage package: the shipped variant;
#                       -Dimage.aot-cache=false writes target/jib-image-no-aot-cache.*) and prints its ID
#   serve_image         starts an image and waits for it (below)
podman_conf="${TMPDIR:-/tmp}/prediction-function-containers.conf"
printf '[containers]\ndefault_ulimits = []\n' > "$podman_conf"
podman() { CONTAINERS_CONF="$podman_conf" command podman --runtime runc "$@"; }
built_image() {
  podman load --quiet --input target/jib-image.tar >/dev/null
  cat target/jib-image.id
}
# serve_image NAME IMAGE [ARG...]: runs IMAGE detached as NAME, read-only, with PORT=8080 published
# on a free 127.0.0.1 port (ARGs go to podman run), waits up to 60 s for readiness and prints
# that port.
serve_image() {
  local name="$1" image="$2" port waited=0
  shift 2
  port=$(shuf -i 20000-60000 -n 1)
  podman run -d --name "$name" --read-only -p "127.0.0.1:$port:8080" -e PORT=8080 "$@" "$image" >/dev/null
  until curl -sf -o /dev/null "http://127.0.0.1:$port/health/readiness"; do
    [[ "$(podman inspect -f '{{.State.Running}}' "$name")" == true ]] \
      || { podman logs "$name" >&2; echo "$name exited before it was ready" >&2; return 1; }
    (( waited++ < 600 )) || { echo "$name was not ready within 60 s" >&2; return 1; }
    sleep 0.1
  done
  echo "$port"
}
