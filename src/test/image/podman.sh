# Sourced by the image tests and benchmarks: podman as these machines need it
# (../shared/notes/containers.md): the runc runtime, since crun refuses the hybrid cgroup layout,
# and a containers.conf without default ulimits, which the runtime may not raise.
#   podman ARGS...      podman with both
#   built_image         loads target/jib-image.tar (./mvnw -Pimage package) and prints its ID
podman_conf="${TMPDIR:-/tmp}/prediction-function-containers.conf"
printf '[containers]\ndefault_ulimits = []\n' > "$podman_conf"
podman() { CONTAINERS_CONF="$podman_conf" command podman --runtime runc "$@"; }
built_image() {
  podman load --quiet --input target/jib-image.tar >/dev/null
  cat target/jib-image.id
}
