#!/usr/bin/env bash
# Installs the Debian packages the whole test suite needs, when they are missing:
#   browser   chromium + chromium-driver (the browser tests drive them through Selenium),
#             fonts-dejavu-core (text in the screenshots), graphviz (`dot`: SVG export)
#   virtuoso  virtuoso-opensource (the integration test of the SPARQL-server backend)
# Usage: scripts/install-system-packages.sh [browser] [virtuoso]     (both when none is named)
#
# `make test`, `make test-fast` and CI run it first. Idempotent: when everything is there it
# says so and exits 0 at once. Installing needs apt-get and root (or password-less sudo);
# without them it names what is missing and how to install it, and exits 1.
# Virtuoso's own service is never started (scripts/virtuoso.sh runs a private instance on
# 127.0.0.1); the dba password the package asks for is preseeded so the install never prompts.
set -euo pipefail

groups=("$@")
[ ${#groups[@]} -gt 0 ] || groups=(browser virtuoso)
POLICY_RC_D=${POLICY_RC_D:-/usr/sbin/policy-rc.d}

has_program() { command -v "$1" >/dev/null 2>&1; }
has_package() { [ "$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null)" = "install ok installed" ]; }

need=()
find_missing() {
  need=()
  local group
  for group in "${groups[@]}"; do
    case "$group" in
      browser)
        has_program chromium || need+=(chromium)
        has_program chromedriver || need+=(chromium-driver)
        has_package fonts-dejavu-core || need+=(fonts-dejavu-core)
        has_program dot || need+=(graphviz) ;;
      virtuoso)
        { has_program virtuoso-t && has_program isql-vt; } || need+=(virtuoso-opensource) ;;
      *)
        echo "install-system-packages: unknown group '$group' (known: browser, virtuoso)" >&2
        exit 2 ;;
    esac
  done
}

fail() {
  echo "install-system-packages: $1." >&2
  echo "  missing: ${need[*]}" >&2
  echo "  install them as root:  apt-get install --no-install-recommends ${need[*]}" >&2
  exit 1
}

find_missing
if [ ${#need[@]} -eq 0 ]; then
  echo "system packages: all there (${groups[*]})"
  exit 0
fi

has_program apt-get || fail "cannot install: no apt-get on this machine (a Debian or Ubuntu system is expected)"
SUDO=()
if [ "$(id -u)" -ne 0 ]; then
  { has_program sudo && sudo -n true 2>/dev/null; } || fail "cannot install: not root, and no password-less sudo"
  SUDO=(sudo -n)
fi

echo "system packages: installing ${need[*]}"
export DEBIAN_FRONTEND=noninteractive
if [[ " ${need[*]} " == *" virtuoso-opensource "* ]]; then
  password="${VIRTUOSO_DBA_PASSWORD:-dba}"
  for question in dba-password dba-password-again; do
    echo "virtuoso-opensource-7 virtuoso-opensource-7/$question password $password" | "${SUDO[@]}" debconf-set-selections
  done
  # policy-rc.d keeps the package's own service from starting (scripts/virtuoso.sh runs a private one)
  if [ ! -e "$POLICY_RC_D" ]; then
    printf '#!/bin/sh\nexit 101\n' | "${SUDO[@]}" tee "$POLICY_RC_D" >/dev/null
    "${SUDO[@]}" chmod +x "$POLICY_RC_D"
    trap '"${SUDO[@]}" rm -f "$POLICY_RC_D"' EXIT
  fi
fi
# wait for another apt/dpkg run (up to 10 minutes) rather than failing on its lock
apt_options=(-o DPkg::Lock::Timeout=600 -o Acquire::Retries=3)
"${SUDO[@]}" apt-get "${apt_options[@]}" update -qq
"${SUDO[@]}" apt-get "${apt_options[@]}" install -y -qq --no-install-recommends "${need[@]}" >/dev/null

find_missing
[ ${#need[@]} -eq 0 ] || fail "apt-get ran, yet some are still missing"
echo "system packages: installed; all there (${groups[*]})"
