#!/usr/bin/env bash
# Install Virtuoso Open Source (Debian package) for the integration test of the SPARQL-server backend.
# Idempotent: does nothing when virtuoso-t and isql-vt are already there. The package's own service
# is not used (scripts/virtuoso.sh runs a private instance on 127.0.0.1); the dba password asked by
# the package is preseeded so the install never prompts.
set -euo pipefail

if command -v virtuoso-t >/dev/null 2>&1 && command -v isql-vt >/dev/null 2>&1; then
  echo "virtuoso already installed: $(command -v virtuoso-t)"
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

PW="${VIRTUOSO_DBA_PASSWORD:-dba}"
echo "virtuoso-opensource-7 virtuoso-opensource-7/dba-password password $PW" | $SUDO debconf-set-selections
echo "virtuoso-opensource-7 virtuoso-opensource-7/dba-password-again password $PW" | $SUDO debconf-set-selections

export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# policy-rc.d keeps the package's own service from starting (it cannot in a container anyway).
if [ ! -e /usr/sbin/policy-rc.d ]; then
  printf '#!/bin/sh\nexit 101\n' | $SUDO tee /usr/sbin/policy-rc.d >/dev/null
  $SUDO chmod +x /usr/sbin/policy-rc.d
  trap '$SUDO rm -f /usr/sbin/policy-rc.d' EXIT
fi
$SUDO apt-get install -y -qq --no-install-recommends virtuoso-opensource >/dev/null
command -v virtuoso-t >/dev/null && command -v isql-vt >/dev/null
echo "virtuoso installed: $(command -v virtuoso-t)"
