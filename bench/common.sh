# Sourced by the benchmarks: podman as these machines need it (src/test/image/podman.sh), and
#   bench_init KIND [IMAGE]  sets $here (bench/), $work (a scratch directory), $name (a container
#                            name) and $image (IMAGE, or target/jib-image.tar's image, loaded);
#                            the container and the directory are removed when the script exits.
#                            Then it changes to $work: conmon writes a file named "oom" into its
#                            working directory when the kernel kills a container for memory.
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
source "$here/../src/test/image/podman.sh"
bench_init() {
  work=$(mktemp -d)
  name="predictfn-$1-$$"
  trap 'podman rm -f -t 0 "$name" >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
  image="${2:-}"
  if [[ -z "$image" ]]; then
    image=$(built_image)
    echo "measuring target/jib-image.tar (the shipped variant, with its AOT cache): $image" >&2
  fi
  cd "$work"
}
