#!/usr/bin/env bash
# Overload: the image as Cloud Run runs it (1 CPU, 512 MiB, read-only root) under 1,000 concurrent
# connections (Cloud Run's most per instance) of POST /predict for S seconds, while a separate
# client sends one request every 0.2 s to see whether others are still served, and how fast.
# Before and after: resident memory, threads and open file descriptors of the JVM, so growth
# without bound would show. Prints Markdown; loopback only; the container is removed at the end.
# Exit status 1 when the server failed a request, dropped a connection or lost the probe.
set -euo pipefail

usage() {
  cat <<USAGE
usage: bench/overload.sh [--connections N] [--duration S] [IMAGE]
  IMAGE defaults to target/jib-image.tar's (./mvnw -Pimage package). N connections (default
  1000) for S seconds (default 20).
USAGE
}

connections=1000 duration=20 image=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --connections) connections="$2"; shift 2 ;;
    --duration) duration="$2"; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) image="$1"; shift ;;
  esac
done
source "$(dirname "$0")/common.sh"
bench_init overload "$image"
(( $(ulimit -n) > connections + 64 )) || ulimit -n $(( connections + 1024 ))

port=$(serve_image "$name" "$image" --cpus 1 --memory 512m)
pid=$(podman inspect -f '{{.State.Pid}}' "$name")
base="http://127.0.0.1:$port"
body='{"features":[5.1,3.5,1.4,0.2]}'
printf '%s' "$body" > "$work/one.json"

state() { # RSS MiB, threads, open descriptors of the JVM
  echo "$(awk '/^VmRSS:/ {printf "%.0f", $2 / 1024}' "/proc/$pid/status") MiB RSS," \
    "$(awk '/^Threads:/ {print $2}' "/proc/$pid/status") threads," \
    "$(ls "/proc/$pid/fd" | wc -l) open descriptors"
}
probe() { # N -> one "status seconds" line per request, one every 0.2 s
  for ((i = 0; i < $1; i++)); do
    curl -s -o /dev/null -w '%{http_code} %{time_total}\n' --max-time 5 -X POST \
      -H 'Content-Type: application/json' -d "$body" "$base/predict" || echo "000 5"
    sleep 0.2
  done
}
summarise_probe() { # file -> "ok of n answered 200, median and max ms"
  local n ok
  n=$(wc -l < "$1")
  ok=$(awk '$1 == 200' "$1" | wc -l)
  awk '$1 == 200 { printf "%.1f\n", $2 * 1000 }' "$1" | summary | awk -v n="$n" -v ok="$ok" '
    { printf "%d of %d answered 200, median %.1f ms, max %.1f ms", ok, n, $1, $3 }
    END { if (NR == 0) printf "%d of %d answered 200", ok, n }'
}

# Warm the JIT as a running instance would be, then measure the probe on an idle server.
export WRK_METHOD=POST WRK_BODY_FILE="$work/one.json" WRK_ROWS=1
wrk -t2 -c16 -d10s -s "$here/wrk/request.lua" "$base/predict" >/dev/null
before=$(state)
probe 25 > "$work/idle.txt"

probes=$(( duration * 5 - 10 ))
( sleep 1; probe "$probes" > "$work/busy.txt" ) &
prober=$!
wrk -t2 -c"$connections" -d"${duration}s" --timeout 10s -s "$here/wrk/request.lua" "$base/predict" > "$work/wrk.txt"
wait "$prober"
sleep 2
after=$(state)
line=$(grep '^RESULT' "$work/wrk.txt")
value() { echo "$line" | tr ' ' '\n' | sed -n "s/^$1=//p"; }
running=$(podman inspect -f '{{.State.Running}}' "$name")

echo "$connections connections on POST /predict for $duration s; image $image, --cpus 1 --memory 512m"
echo
echo "| Measure | Value |"
echo "| --- | --- |"
echo "| Requests/s under overload | $(value rps) |"
echo "| Latency p50 / p99 / p99.9 | $(awk -v a="$(value p50_us)" -v b="$(value p99_us)" -v c="$(value p999_us)" 'BEGIN { printf "%.0f / %.0f / %.0f ms", a / 1000, b / 1000, c / 1000 }') |"
echo "| Non-2xx answers | $(value non2xx) |"
echo "| Connect / read / write errors, timeouts | $(value connect_errors) / $(value read_errors) / $(value write_errors) / $(value timeouts) |"
echo "| Another client, idle server | $(summarise_probe "$work/idle.txt") |"
echo "| Another client, during the overload | $(summarise_probe "$work/busy.txt") |"
echo "| JVM before | $before |"
echo "| JVM 2 s after | $after |"
echo "| Still running | $running |"

failed=0
[[ "$running" == true ]] || failed=1
(( $(value non2xx) + $(value connect_errors) + $(value read_errors) + $(value write_errors) + $(value timeouts) == 0 )) || failed=1
awk '$1 != 200 { bad = 1 } END { exit bad }' "$work/busy.txt" || failed=1
exit $failed
