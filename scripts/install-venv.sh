#!/usr/bin/env bash
# Makes (or brings up to date) a venv holding exactly the pinned dependencies, nothing newer:
#   1. the installer itself, pinned by hash (requirements-bootstrap.txt): the pip bundled with the
#      venv resolves extras under --require-hashes to whatever the registry published last, so it
#      would refuse a lock made before that release;
#   2. requirements.lock, every package pinned by hash, setuptools included (msme-kg itself is
#      then built with that setuptools: pip install --no-build-isolation).
# Usage: scripts/install-venv.sh VENV      (PYTHON=python3.11 unless set)
# `make venv` runs it for .venv, then installs msme-kg editable; the fresh-install test runs it
# for a venv outside the checkout. With PIP_NO_CACHE_DIR=1 everything is downloaded anew.
set -euo pipefail
venv=${1:?usage: scripts/install-venv.sh VENV}
here=$(cd "$(dirname "$0")/.." && pwd)
PYTHON=${PYTHON:-python3.11}

[ -x "$venv/bin/python" ] || "$PYTHON" -m venv "$venv"
"$venv/bin/python" -m pip install --quiet --require-hashes -r "$here/requirements-bootstrap.txt"
"$venv/bin/python" -m pip install --quiet --require-hashes -r "$here/requirements.lock"
