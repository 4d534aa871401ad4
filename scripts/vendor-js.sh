#!/usr/bin/env bash
# Re-fetches the JavaScript library the web pages and the HTML export use, from the npm registry,
# at a pinned version, into web/static/vendor/ (committed: the app serves it itself and the
# HTML export inlines it, so nothing is fetched from a CDN at run time).
#   scripts/vendor-js.sh          fetch, check the checksum, copy
#   scripts/vendor-js.sh --check  only check that the vendored file matches the pinned checksum
set -euo pipefail
cd "$(dirname "$0")/.."

CYTOSCAPE_VERSION=3.34.4
CYTOSCAPE_SHA256=081591ab735b2b6a3b31a3c60f8f3a3e2fee8c92939e0c7820ad1208571b6cd8
VENDOR=web/static/vendor

check() {
    echo "${CYTOSCAPE_SHA256}  ${VENDOR}/cytoscape.min.js" | sha256sum --check --quiet
}

if [ "${1:-}" = "--check" ]; then
    check && echo "vendor-js: cytoscape ${CYTOSCAPE_VERSION} ok"
    exit
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent "cytoscape@${CYTOSCAPE_VERSION}" >/dev/null && tar xzf "cytoscape-${CYTOSCAPE_VERSION}.tgz")
mkdir -p "$VENDOR"
cp "$work/package/dist/cytoscape.min.js" "$VENDOR/cytoscape.min.js"
cp "$work/package/LICENSE" "$VENDOR/cytoscape.LICENSE"
echo "cytoscape ${CYTOSCAPE_VERSION} (npm), dist/cytoscape.min.js, MIT licence: cytoscape.LICENSE" > "$VENDOR/VERSIONS"
check
echo "vendor-js: cytoscape ${CYTOSCAPE_VERSION} vendored into ${VENDOR}"
