#!/usr/bin/env bash
# Memory of the container image under load, and the smallest memory limit it survives. For each
# limit (MiB, largest first) the image runs as Cloud Run runs it (1 CPU, that limit, read-only root
# file system); after readiness and again after S seconds of the soak mix (bench/wrk/soak.lua:
# one-row, batch, OIP and malformed requests) at 80 connections, and 10 s after that load, it
# records the JVM's resident memory (anonymous + file-backed pages, from the host's /proc) and its
# heap (from /metrics).
# A limit is survived when the container is still running, was not OOM-killed, no answer was a
# 5xx, no connection failed, and it served at least a tenth of the first limit's requests/s (a
# JVM short of memory can stall without dying). Then, at the first limit, Native Memory Tracking shows where
# the resident memory goes. Prints Markdown; loopback only, every container removed at the end.
set -euo pipefail

usage() {
  cat <<USAGE
usage: bench/memory.sh [--duration S] [--limits "512 256 ..."] [IMAGE]
  IMAGE defaults to target/jib-image.tar's (./mvnw -Pimage package). S seconds of load per limit
  (default 20); limits in MiB, default "512 384 256 192 160 128 112 96 80".
USAGE
}

duration=20 limits="512 384 256 192 160 128 112 96 80" image=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --duration) duration="$2"; shift 2 ;;
    --limits) limits="$2"; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) image="$1"; shift ;;
  esac
done
source "$(dirname "$0")/common.sh"
bench_init memory "$image"

mib() { awk -v k="$1" 'BEGIN { printf "%.0f", k / 1024 }'; }
# The JVM's resident memory in KiB: total, anonymous (heap, metaspace, code, stacks) and
# file-backed (the AOT cache, libjvm and the jars, mapped read-only and shareable).
rss() { awk '/^(VmRSS|RssAnon|RssFile):/ {printf "%s ", $2} END {print ""}' "/proc/$1/status"; }
# Heap in use and committed, in MiB, from the Prometheus endpoint ("? ?" when it does not answer
# within 5 s: a JVM short of memory can stall rather than die).
heap() {
  { curl -sf --max-time 5 "http://127.0.0.1:$1/metrics" || true; } | awk '
    /^jvm_memory_used_bytes\{.*area="heap"/ { used += $NF }
    /^jvm_memory_committed_bytes\{.*area="heap"/ { committed += $NF }
    END { if (used) printf "%.0f %.0f\n", used / 1048576, committed / 1048576; else print "? ?" }'
}

echo "Image $image, 1 CPU, read-only root; load: soak mix at 80 connections for ${duration} s per limit."
echo
echo "| Limit | Started | RSS after start (anon + file) | Heap used / committed after start | Requests/s (from a cold JVM) | 5xx | Connection errors | RSS at the end of the load | RSS 10 s later | Heap used / committed 10 s later | Survived |"
echo "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"
smallest=""
all_survived=true
first_rps=""
for limit in $limits; do
  podman rm -f -t 0 "$name" >/dev/null 2>&1 || true
  if ! port=$(serve_image "$name" "$image" --cpus 1 --memory "${limit}m" 2>"$work/start.err"); then
    echo "| $limit MiB | no | | | | | | | | | no |"
    all_survived=false
    continue
  fi
  pid=$(podman inspect -f '{{.State.Pid}}' "$name")
  read -r total0 anon0 file0 < <(rss "$pid")
  read -r used0 committed0 < <(heap "$port")
  wrk -t2 -c80 -d"${duration}s" -s "$here/wrk/soak.lua" "http://127.0.0.1:$port" > "$work/load.txt" 2>&1 || true
  line=$(grep '^SOAK' "$work/load.txt" || echo "SOAK rps=0 s5xx=0 socket_errors=0")
  value() { echo "$line" | tr ' ' '\n' | sed -n "s/^$1=//p"; }
  end_rss=""
  [[ -r "/proc/$pid/status" ]] && read -r total1 anon1 file1 < <(rss "$pid") \
    && end_rss="$(mib "$total1") MiB ($(mib "$anon1") + $(mib "$file1"))"
  sleep 10
  running=$(podman inspect -f '{{.State.Running}}' "$name")
  # podman's OOMKilled flag stays false with runc here; the kernel's SIGKILL shows as 137.
  oom=$(podman inspect -f '{{.State.OOMKilled}} {{.State.ExitCode}}' "$name" | awk '{ print ($1 == "true" || $2 == 137) ? "true" : "false" }')
  if [[ "$running" == true ]]; then
    read -r total2 anon2 file2 < <(rss "$pid")
    read -r used2 committed2 < <(heap "$port")
    later_rss="$(mib "$total2") MiB ($(mib "$anon2") + $(mib "$file2"))"
    later_heap="$used2 / $committed2 MiB"
  else
    # 3: the JVM's -XX:+ExitOnOutOfMemoryError; 137: killed (SIGKILL) by the kernel's OOM killer.
    later_rss="exited with $(podman inspect -f '{{.State.ExitCode}}' "$name") (OOM-killed: $oom)"
    later_heap="$(podman logs "$name" 2>&1 | grep -m1 -o 'java.lang.OutOfMemoryError[^"\]*' || true)"
  fi
  survived=no
  [[ -n "$first_rps" ]] || first_rps=$(value rps)
  if [[ "$running" == true && "$oom" != true && "$(value s5xx)" -eq 0 && "$(value socket_errors)" -eq 0 ]] \
      && (( $(value rps) * 10 >= first_rps )); then
    survived=yes
    $all_survived && smallest="$limit"
  else
    all_survived=false
  fi
  echo "| $limit MiB | yes | $(mib "$total0") MiB ($(mib "$anon0") + $(mib "$file0")) | $used0 / $committed0 MiB | $(value rps) | $(value s5xx) | $(value socket_errors) | $end_rss | $later_rss | $later_heap | $survived |"
done
echo
if [[ -n "$smallest" ]]; then
  echo "Smallest limit survived (with every larger one): **$smallest MiB**."
else
  echo "No limit was survived."
fi

# Where the resident memory goes: Native Memory Tracking's summary, printed by the JVM at exit,
# after the same load at the first (largest) limit.
first=${limits%% *}
podman rm -f -t 0 "$name" >/dev/null 2>&1 || true
port=$(serve_image "$name" "$image" --cpus 1 --memory "${first}m" \
  -e JDK_JAVA_OPTIONS="-XX:NativeMemoryTracking=summary -XX:+UnlockDiagnosticVMOptions -XX:+PrintNMTStatistics")
pid=$(podman inspect -f '{{.State.Pid}}' "$name")
wrk -t2 -c80 -d"${duration}s" -s "$here/wrk/soak.lua" "http://127.0.0.1:$port" > /dev/null 2>&1 || true
read -r total anon file < <(rss "$pid")
podman stop -t 10 "$name" >/dev/null
podman logs "$name" > "$work/nmt.txt" 2>&1
echo
echo "Native Memory Tracking after the same load at $first MiB (RSS $(mib "$total") MiB: $(mib "$anon") anonymous, $(mib "$file") file-backed; NMT itself adds a little):"
echo
echo "| JVM area | Reserved MiB | Committed MiB |"
echo "| --- | --- | --- |"
# Lines such as "-                 Java Heap (reserved=402653184, committed=50331648)" and
# "Total: reserved=..., committed=..." (bytes: PrintNMTStatistics uses no scale).
awk '
  function mib(field,   v) { match($0, field "=[0-9]+"); v = substr($0, RSTART + length(field) + 1, RLENGTH - length(field) - 1); return v / 1048576 }
  /^Total: reserved=/ { total = sprintf("| Total | %.0f | %.0f |", mib("reserved"), mib("committed")) }
  /^-  +[A-Za-z].*\(reserved=/ {
    area = $0; sub(/^- +/, "", area); sub(/ *\(reserved=.*/, "", area)
    if (mib("committed") >= 1) printf "| %s | %.0f | %.0f |\n", area, mib("reserved"), mib("committed")
  }
  END { print total }' "$work/nmt.txt"
