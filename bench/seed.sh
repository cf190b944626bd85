#!/usr/bin/env bash
# The seed-style peer that the benchmarks measure beside the service, in the same run: a FastAPI +
# uvicorn + scikit-learn prediction service (bench/seed/app.py) on Debian's packages, the shape
# of the tutorial services this project replaces. Ratios against it mean something; figures typed
# in from another day or machine do not.
#
#   bench/seed.sh install                    installs Debian's python3-fastapi, python3-uvicorn,
#                                            python3-sklearn, python3-pandas (bench/batch.sh) and
#                                            gunicorn where missing (root/sudo)
#   bench/seed.sh model DIR                  trains the peer's LogisticRegression on Iris v1 into
#                                            DIR/model.joblib
#   bench/seed.sh image DIR                  builds the peer's container image, predictfn-peer: a root
#                                            with the files of those packages as dpkg installed them
#                                            here (bench/seed/root.py), the app and DIR/model.joblib;
#                                            gunicorn with 2 uvicorn workers on 0.0.0.0:8080, user
#                                            65532, so it runs under the image's podman limits
#   bench/seed.sh run DIR [--workers N] [--port P]
#                                            serves DIR/model.joblib on 127.0.0.1:P (default 18282):
#                                            1 worker is uvicorn alone, N > 1 gunicorn with N uvicorn
#                                            workers; it replaces this shell (exec), so a caller can
#                                            time it from exec
# Exit codes: 0 done, 1 a step failed, 2 bad arguments.
set -euo pipefail

usage() { awk 'NR == 1 { next } !/^#/ { exit } { sub(/^# ?/, ""); print }' "$0"; }
here=$(cd "$(dirname "$0")" && pwd)
source "$here/../src/main/image/podman.sh"
# Debian's interpreter, whose dist-packages hold the peer's libraries (not another python3 on PATH).
python=/usr/bin/python3

case "${1:-}" in
  install)
    missing=()
    for package in python3-fastapi python3-uvicorn python3-sklearn python3-pandas gunicorn; do
      dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
    done
    [[ ${#missing[@]} -eq 0 ]] && { echo "seed.sh: the peer's packages are present"; exit 0; }
    sudo=""
    [[ "$(id -u)" -eq 0 ]] || sudo=sudo
    echo "seed.sh: installing ${missing[*]}"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
    ;;
  model)
    [[ $# -eq 2 ]] || { usage >&2; exit 2; }
    "$python" "$here/seed/train.py" "$here/../src/main/training/data/iris/v1.csv" "$2"
    ;;
  image)
    [[ $# -eq 2 ]] || { usage >&2; exit 2; }
    [[ -f "$2/model.joblib" ]] || { echo "seed.sh: no $2/model.joblib (bench/seed.sh model $2)" >&2; exit 1; }
    root=$(mktemp -d)
    trap 'rm -rf "$root" "$root.list"' EXIT
    # Debian's python3-scipy depends on the pythran compiler, which brings g++, boost and the BLAS
    # headers; nothing imports it at run time, and a serving image would not carry a compiler.
    "$python" "$here/seed/root.py" --without python3-pythran \
      python3-fastapi python3-uvicorn python3-sklearn python3-pandas gunicorn > "$root.list"
    mkdir -p "$root/usr/bin" "$root/usr/lib" "$root/usr/lib64" "$root/usr/sbin" "$root/etc" "$root/srv/seed"
    for d in bin lib lib64 sbin; do ln -s "usr/$d" "$root/$d"; done # Debian's merged /usr
    sed 's|^/||' "$root.list" | tar -C / -cf - --no-recursion -T - | tar -C "$root" -xf - --keep-directory-symlink
    install -d -m 1777 "$root/tmp"
    printf 'root:x:0:0:root:/root:/usr/sbin/nologin\nnonroot:x:65532:65532:nonroot:/home/nonroot:/usr/sbin/nologin\n' > "$root/etc/passwd"
    printf 'root:x:0:\nnonroot:x:65532:\n' > "$root/etc/group"
    cp "$here/seed/app.py" "$2/model.joblib" "$root/srv/seed/"
    "$python" -m compileall -q "$root/srv/seed" # the root is read-only when it runs
    tar -C "$root" -cf - . | podman import \
      --change 'USER 65532' --change 'WORKDIR /srv/seed' \
      --change 'ENV PYTHONPATH=/srv/seed' --change 'ENV SEED_MODEL=/srv/seed/model.joblib' \
      --change 'ENTRYPOINT ["/usr/bin/python3", "-m", "gunicorn", "app:app", "--workers", "2", "--worker-class", "uvicorn.workers.UvicornWorker", "--worker-tmp-dir", "/dev/shm", "--bind", "0.0.0.0:8080", "--log-level", "warning"]' \
      - predictfn-peer >/dev/null
    echo "seed.sh: predictfn-peer, $(podman image inspect -f '{{.Size}}' predictfn-peer | awk '{ printf "%.0f MB", $1 / 1e6 }') unpacked"
    ;;
  run)
    [[ $# -ge 2 ]] || { usage >&2; exit 2; }
    dir="$2"; shift 2
    workers=1 port=18282
    while [[ $# -gt 0 ]]; do
      case "$1" in
        --workers) workers="$2"; shift 2 ;;
        --port) port="$2"; shift 2 ;;
        *) usage >&2; exit 2 ;;
      esac
    done
    [[ -f "$dir/model.joblib" ]] || { echo "seed.sh: no $dir/model.joblib (bench/seed.sh model $dir)" >&2; exit 1; }
    export SEED_MODEL="$dir/model.joblib" PYTHONPATH="$here/seed"
    if [[ "$workers" -eq 1 ]]; then
      exec "$python" -m uvicorn app:app --host 127.0.0.1 --port "$port" --log-level warning
    fi
    exec "$python" -m gunicorn app:app --workers "$workers" --worker-class uvicorn.workers.UvicornWorker \
      --bind "127.0.0.1:$port" --log-level warning
    ;;
  -h|--help) usage ;;
  *) usage >&2; exit 2 ;;
esac
