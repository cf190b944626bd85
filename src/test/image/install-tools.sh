#!/usr/bin/env bash
# Installs what the image tests need on a Debian or Ubuntu machine, when it is missing:
# podman with the runc runtime, Debian's docker-registry (a real registry on 127.0.0.1), curl and jq;
# also shellcheck, which .ci/run runs on the release scripts, and wrk, the load generator of the
# soak test and the benchmarks.
# A JDK 25 must already be there (base.sh looks for it; -Dimage.jdk=DIR names it).
set -euo pipefail
missing=()
command -v podman >/dev/null || missing+=(podman)
command -v runc >/dev/null || [ -x /usr/sbin/runc ] || missing+=(runc)
command -v docker-registry >/dev/null || missing+=(docker-registry)
command -v curl >/dev/null || missing+=(curl)
command -v jq >/dev/null || missing+=(jq)
command -v dpkg-deb >/dev/null || missing+=(dpkg)
command -v shellcheck >/dev/null || missing+=(shellcheck)
command -v wrk >/dev/null || missing+=(wrk)
if [ ${#missing[@]} -eq 0 ]; then
  echo "install-tools.sh: podman, runc, docker-registry, curl, jq, dpkg-deb, shellcheck and wrk are present"
  exit 0
fi
sudo=""
[ "$(id -u)" -eq 0 ] || sudo=sudo
echo "install-tools.sh: installing ${missing[*]}"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
