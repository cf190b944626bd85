# Sourced by the benchmarks: podman as these machines need it (src/main/image/podman.sh),
#   wait_for_200             polls a URL until it answers 200, while the server lives, within a limit
#   container_alive NAME     whether a container is running (for wait_for_200)
#   median, summary          the median, or "median min max", of numbers on stdin
#   cpu_mark, cpu_since      the machine's CPU steal and softirq shares over a stretch of time
#   wrk_cell                 one measured load cell as a Markdown table row (at the end), and
#   bench_init KIND [IMAGE]  sets $here (bench/), $work (a scratch directory), $name (a container
#                            name) and $image (IMAGE, or target/jib-image.tar's image, loaded);
#                            the container and the directory are removed when the script exits.
#                            Then it changes to $work: conmon writes a file named "oom" into its
#                            working directory when the kernel kills a container for memory.
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
source "$here/../src/main/image/podman.sh"
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
# wait_for_200 URL BODY ALIVE LIMIT: polls URL every 10 ms until it answers 200: a POST of the
# JSON BODY (text, or @FILE), or a GET when BODY is empty. ALIVE is a command that fails once the
# server is gone ("kill -0 PID", "container_alive NAME"); it runs every 50th poll, since podman
# inspect costs a good part of a core on these machines and would compete with the start it
# measures. Returns 0 at the first 200; 1 when the server died or LIMIT seconds passed, saying
# which on stderr. A caller times the start around it.
wait_for_200() {
  local url="$1" body="$2" alive="$3" limit="$4" polls=0 deadline=$((SECONDS + $4))
  local post=()
  [[ -n "$body" ]] && post=(-X POST -H 'Content-Type: application/json' --data-binary "$body")
  until curl -sf -o /dev/null --max-time 5 "${post[@]}" "$url"; do
    if (( ++polls % 50 == 0 )) && ! eval "$alive" >/dev/null 2>&1; then
      echo "wait_for_200: the server exited before $url answered 200" >&2
      return 1
    fi
    (( SECONDS < deadline )) || { echo "wait_for_200: no 200 from $url within $limit s" >&2; return 1; }
    sleep 0.01
  done
}
container_alive() { [[ "$(podman inspect -f '{{.State.Running}}' "$1" 2>/dev/null)" == true ]]; }

# median: the median of the numbers on stdin (of an even count, the mean of the middle two).
median() { sort -n | awk '{ a[NR] = $1 } END { if (NR) print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
# summary: "MEDIAN MIN MAX COUNT" of the numbers on stdin.
summary() { sort -n | awk '{ a[NR] = $1 } END { if (NR) print ((NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2), a[1], a[NR], NR }'; }

# cpu_mark FILE records the machine's CPU counters; cpu_since FILE prints the shares of CPU time
# since then that went to steal (the hypervisor gave the cores to another guest) and softirq
# (network interrupts, the loopback's included), e.g. "steal 2.1%, softirq 9.8%", and adds
# " NOT ITS OWN MACHINE" when steal took 5% or more: figures from such a stretch are low for a
# reason that is not the code's.
cpu_mark() { head -1 /proc/stat > "$1"; }
cpu_since() {
  { cat "$1"; head -1 /proc/stat; } | awk '
    { total = 0; for (i = 2; i <= 9; i++) total += $i; t[NR] = total; s[NR] = $9; q[NR] = $8 }
    END { d = t[2] - t[1]; if (d <= 0) d = 1
      steal = 100 * (s[2] - s[1]) / d; soft = 100 * (q[2] - q[1]) / d
      printf "steal %.1f%%, softirq %.1f%%%s\n", steal, soft, (steal >= 5) ? " NOT ITS OWN MACHINE" : "" }'
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

# cpu_ticks PID [THREAD]: the user and system clock ticks PID has used, or only its threads named
# THREAD (the kernel keeps the first 15 characters of a thread's name).
cpu_ticks() {
  local stat fields total=0 task
  if [[ -z "${2:-}" ]]; then
    stat=$(<"/proc/$1/stat")
    read -r -a fields <<< "${stat##*) }"
    echo $((fields[11] + fields[12]))
    return
  fi
  for task in /proc/"$1"/task/*; do
    [[ "$(cat "$task/comm" 2>/dev/null)" == "${2:0:15}" ]] || continue
    # The name may hold spaces: the fields that follow it start after its closing parenthesis. A
    # thread that ended since the listing (the JIT's compiler threads come and go) counts nothing.
    stat=$(cat "$task/stat" 2>/dev/null) || continue
    read -r -a fields <<< "${stat##*) }"
    total=$((total + fields[11] + fields[12]))
  done
  echo "$total"
}
