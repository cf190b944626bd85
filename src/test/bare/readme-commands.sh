#!/usr/bin/env bash
# Proves README's two commands on a bare machine: builds a Debian 12 root with debootstrap that
# holds only openjdk-17-jdk-headless, git and ca-certificates (no unzip, curl, jq, gcloud,
# podman, Maven or a second JDK), clones the committed HEAD into it, and there
#   1. runs README's run command and, from the host, waits for readiness and asks for one
#      prediction on a free loopback port;
#   2. runs README's test command (./mvnw verify), which must pass, and prints which tests were
#      skipped and why (those that need a program the root lacks).
# Maven and every dependency are downloaded inside the root, as a newcomer's machine would; the
# root trusts the certificates this machine added locally (a TLS proxy's), as any machine on its
# network must.
#
# usage: src/test/bare/readme-commands.sh [--keep DIR] [--mirror URL]
#   --keep DIR    build the root in DIR and keep it (a second run reuses its packages)
#   --mirror URL  the Debian archive (its URL ends in /debian); default: $DEBIAN_MIRROR/debian,
#                 else the first bookworm source of this machine's apt
# Needs root (debootstrap, chroot and mounts) and network to the Debian mirror and Maven Central.
# Exit 0: both commands worked; 1: one did not (its output says where); 2: bad arguments.
set -euo pipefail

usage() { awk 'NR == 1 { next } !/^#/ { exit } { sub(/^# ?/, ""); print }' "$0"; }
keep="" mirror=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --keep) keep="$2"; shift 2 ;;
    --mirror) mirror="$2"; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) usage >&2; exit 2 ;;
  esac
done
[[ "$(id -u)" -eq 0 ]] || { echo "readme-commands.sh: needs root (debootstrap, chroot)" >&2; exit 2; }
repo=$(cd "$(dirname "$0")/../../.." && pwd)
log() { echo "readme-commands.sh: $*" >&2; }

# The mirror this machine's apt already uses (deb822 .sources or one-line sources.list).
[[ -n "$mirror" || -z "${DEBIAN_MIRROR:-}" ]] || mirror="$DEBIAN_MIRROR/debian"
if [[ -z "$mirror" ]]; then
  mirror=$(cat /etc/apt/sources.list.d/*.sources 2>/dev/null | awk '
    /^URIs:/ {uri=$2} /^Suites:/ {for (i = 2; i <= NF; i++) if ($i == "bookworm") {print uri; exit}}')
  [[ -n "$mirror" ]] || mirror=$(awk '$1 == "deb" && $3 == "bookworm" {print $2; exit}' \
    /etc/apt/sources.list 2>/dev/null || true)
  [[ -n "$mirror" ]] || { echo "readme-commands.sh: no bookworm mirror in apt's sources; pass --mirror" >&2; exit 2; }
fi
command -v debootstrap >/dev/null || {
  log "installing debootstrap"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap >/dev/null
}

root="${keep:-$(mktemp -d /tmp/bare-root.XXXXXX)}"
mkdir -p "$root"
app_pid=""
cleanup() {
  [[ -n "$app_pid" ]] && kill "$app_pid" 2>/dev/null || true
  # Whatever still runs inside the root (a Java server, Maven) would hold the mounts.
  for pid in $(ls /proc | grep -E '^[0-9]+$'); do
    [[ "$(readlink "/proc/$pid/root" 2>/dev/null)" == "$root" ]] && kill -9 "$pid" 2>/dev/null || true
  done
  for m in dev/pts dev proc sys; do umount -l "$root/$m" 2>/dev/null || true; done
  [[ -n "$keep" ]] || rm -rf --one-file-system "$root" "$root.debootstrap.log"
}
trap cleanup EXIT

if [[ ! -x "$root/usr/bin/java" ]]; then
  log "debootstrap bookworm (minbase) from $mirror into $root"
  debootstrap --variant=minbase bookworm "$root" "$mirror" > "$root.debootstrap.log" 2>&1 \
    || { tail -30 "$root.debootstrap.log" >&2; exit 1; }
fi
mount -t proc proc "$root/proc"
mount --bind /dev "$root/dev"
mount --bind /dev/pts "$root/dev/pts"
mount --bind /sys "$root/sys"
cp /etc/resolv.conf "$root/etc/resolv.conf"

# Everything below runs in the root with a clean environment: no CI, no host PATH or JAVA_HOME.
in_root() {
  chroot "$root" /usr/bin/env -i HOME=/root LANG=C.UTF-8 \
    PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin "$@"
}
if [[ ! -x "$root/usr/bin/java" ]]; then
  log "installing openjdk-17-jdk-headless, git and ca-certificates, and nothing else"
  in_root sh -c 'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
    --no-install-recommends openjdk-17-jdk-headless git ca-certificates >/dev/null'
fi
# A machine on this network trusts what its network makes it trust: certificates added locally
# (a company's TLS proxy) go into the root's trust stores, the JDK's included.
if compgen -G "/usr/local/share/ca-certificates/*.crt" >/dev/null; then
  mkdir -p "$root/usr/local/share/ca-certificates"
  cp /usr/local/share/ca-certificates/*.crt "$root/usr/local/share/ca-certificates/"
  in_root update-ca-certificates >/dev/null 2>&1
fi
for absent in unzip curl jq gcloud podman mvn; do
  ! in_root sh -c "command -v $absent" >/dev/null || { log "the root has $absent; it must not"; exit 1; }
done

rm -rf "$root/root/prediction-function" "$root/root/.m2"
git clone -q "$repo" "$root/root/prediction-function"
log "cloned $(git -C "$repo" rev-parse --short HEAD) into the root"

# README's commands, read from README.md itself, so this proves what a newcomer reads.
run_command=$(awk '/^## Two commands/ {s=1} s && /^```bash$/ {getline; print; exit}' "$repo/README.md")
test_command=$(awk '/^## Two commands/ {s=1} s && /^```bash$/ {n++; if (n == 2) {getline; print; exit}}' "$repo/README.md")
[[ "$run_command" == *mvnw* && "$test_command" == *mvnw* ]] \
  || { log "cannot find README's two commands under '## Two commands'"; exit 1; }

# 1. the run command, on a free port; readiness and one prediction from the host
port=$(shuf -i 20000-60000 -n 1)
log "run command: $run_command (PORT=$port)"
in_root sh -c "cd /root/prediction-function && export PORT=$port && $run_command" > "$root/run.log" 2>&1 &
app_pid=$!
ready=""
for _ in $(seq 1 600); do
  if ready=$(curl -sf "http://127.0.0.1:$port/health/readiness"); then break; fi
  kill -0 "$app_pid" 2>/dev/null || { tail -40 "$root/run.log" >&2; log "the run command stopped"; exit 1; }
  sleep 1
done
[[ "$ready" == *'"status":"UP"'* ]] || { tail -40 "$root/run.log" >&2; log "not ready within 600 s"; exit 1; }
answer=$(curl -sf -X POST "http://127.0.0.1:$port/predict" -H 'Content-Type: application/json' \
  -d '{"features":[5.1,3.5,1.4,0.2]}')
[[ "$answer" == *'"prediction":"setosa"'* ]] || { log "unexpected answer: $answer"; exit 1; }
log "run command serves: $answer"
for pid in $(ls /proc | grep -E '^[0-9]+$'); do
  [[ "$(readlink "/proc/$pid/root" 2>/dev/null)" == "$root" ]] && kill "$pid" 2>/dev/null || true
done
wait "$app_pid" 2>/dev/null || true
app_pid=""

# 2. the test command
log "test command: $test_command"
if ! in_root sh -c "cd /root/prediction-function && $test_command" > "$root/test.log" 2>&1; then
  grep -E 'Tests run:|FAIL|ERROR\]' "$root/test.log" | tail -30 >&2
  log "the test command failed (log: $root/test.log)"
  exit 1
fi
# Surefire's summary is a WARNING when it skipped tests.
grep -E '^\[(INFO|WARNING)\] Tests run: [0-9]+, Failures: 0, Errors: 0, Skipped: [0-9]+$' "$root/test.log" >&2 || true
skipped=$(grep -ho 'skipped: not on PATH: [^(]*' "$root"/root/prediction-function/target/*-reports/*.xml 2>/dev/null \
  | sort | uniq -c || true)
log "skipped for want of a program: ${skipped:-none}"
log "both of README's commands work on a bare machine"
