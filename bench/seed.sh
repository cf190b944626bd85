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
#   bench/seed.sh run DIR [--workers N] [--port P]
#                                            serves DIR/model.joblib on 127.0.0.1:P (default 18282):
#                                            1 worker is uvicorn alone, N > 1 gunicorn with N uvicorn
#                                            workers; it replaces this shell (exec), so a caller can
#                                            time it from exec
# Exit codes: 0 done, 1 a step failed, 2 bad arguments.
set -euo pipefail

usage() { sed -n '2,18p' "$0" | sed 's/^# \{0,1\}//'; }
here=$(cd "$(dirname "$0")" && pwd)
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
