#!/usr/bin/env bash
# Installs what the browser tests and the SVG export need, from Debian's packages:
# chromium + chromium-driver (headless browser tests through Selenium) and graphviz (`dot`).
# Idempotent: does nothing when everything is already there. Needs root (or sudo).
set -euo pipefail

need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v chromedriver >/dev/null 2>&1 || need+=(chromium-driver)
command -v dot >/dev/null 2>&1 || need+=(graphviz)
# fonts so that pages render text in screenshots
[ -d /usr/share/fonts/truetype/dejavu ] || need+=(fonts-dejavu-core)

if [ ${#need[@]} -eq 0 ]; then
    echo "install-browser: chromium, chromedriver and dot already installed"
    exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null 2>&1 || { echo "install-browser: need root or sudo to install ${need[*]}" >&2; exit 1; }
    SUDO="sudo"
fi

echo "install-browser: installing ${need[*]}"
export DEBIAN_FRONTEND=noninteractive
# wait for another apt/dpkg run (up to 10 minutes) rather than failing on its lock
APT_OPTS=(-o DPkg::Lock::Timeout=600 -o Acquire::Retries=3)
$SUDO apt-get "${APT_OPTS[@]}" update -qq
$SUDO apt-get "${APT_OPTS[@]}" install -y -qq --no-install-recommends "${need[@]}"
command -v chromium >/dev/null && command -v chromedriver >/dev/null && command -v dot >/dev/null
echo "install-browser: done ($(chromium --version 2>/dev/null || true); $(dot -V 2>&1))"
