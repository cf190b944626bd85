# Sourced by the benchmarks: podman as these machines need it (src/test/image/podman.sh),
#   wrk_cell                 one measured load cell as a Markdown table row (at the end), and
#   bench_init KIND [IMAGE]  sets $here (bench/), $work (a scratch directory), $name (a container
#                            name) and $image (IMAGE, or target/jib-image.tar's image, loaded);
#                            the container and the directory are removed when the script exits.
#                            Then it changes to $work: conmon writes a file named "oom" into its
#                            working directory when the kernel kills a container for memory.
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
source "$here/../src/test/image/podman.sh"
# java25: prints the java of a JDK 25 ($JAVA25_HOME, or Temurin's or Debian's usual place), or
# nothing when there is none.
java25() {
  local candidate
  for candidate in "${JAVA25_HOME:-}" /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/java-25-openjdk-amd64; do
    [[ -n "$candidate" && -x "$candidate/bin/java" ]] && { echo "$candidate/bin/java"; return; }
  done
}
# entrypoint_with IMAGE OPTIONS: IMAGE's entrypoint (java @/app/jvm.options ...) as JSON for
# podman run --entrypoint, with OPTIONS right after the image's own JVM options, so they win over
# them (JDK_JAVA_OPTIONS come before the command line and lose to jvm.options).
entrypoint_with() {
  podman image inspect -f '{{json .Config.Entrypoint}}' "$1" \
    | jq -c --arg options "$2" '.[:2] + ($options | split(" ") | map(select(. != ""))) + .[2:]'
}
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

# wrk_cell BASE DURATION REPEATS LABEL METHOD PATH BODY ROWS CONNECTIONS: a 10 s warm-up, then
# REPEATS runs of DURATION s with wrk (bench/wrk/request.lua); prints one Markdown table row from
# the run with the median requests/s: label, connections, req/s, rows/s, p50/p90/p99/p99.9 in ms,
# and the errors of all runs.
wrk_cell() {
  local base="$1" duration="$2" repeats="$3" label="$4" method="$5" path="$6" body="$7" rows="$8"
  local c="$9" threads=2
  [[ "$c" -lt 2 ]] && threads=1
  export WRK_METHOD="$method" WRK_BODY_FILE="$body" WRK_ROWS="$rows"
  wrk -t"$threads" -c"$c" -d10s -s "$here/wrk/request.lua" "$base$path" >/dev/null
  for ((r = 0; r < repeats; r++)); do
    wrk -t"$threads" -c"$c" -d"${duration}s" -s "$here/wrk/request.lua" "$base$path" | grep '^RESULT'
  done > "$work/runs.txt"
  # Each line: RESULT key=value ...; sort the runs by requests/s and take the middle one.
  awk '{ for (i = 2; i <= NF; i++) { split($i, kv, "="); if (kv[1] == "rps") print kv[2], NR } }' "$work/runs.txt" \
    | sort -n | awk -v m=$(( (repeats + 1) / 2 )) 'NR == m { print $2 }' > "$work/median.txt"
  awk -v label="$label" -v c="$c" -v pick="$(cat "$work/median.txt")" '{
    for (i = 2; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
    errors += v["non2xx"] + v["connect_errors"] + v["read_errors"] + v["write_errors"] + v["timeouts"]
    if (NR == pick) row = sprintf("| %s | %d | %d | %d | %.2f | %.2f | %.2f | %.2f |", label, c, v["rps"],
      v["rows_per_s"], v["p50_us"] / 1000, v["p90_us"] / 1000, v["p99_us"] / 1000, v["p999_us"] / 1000)
  } END { printf "%s %d |\n", row, errors }' "$work/runs.txt"
}
