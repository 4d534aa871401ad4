#!/usr/bin/env bash
# Re-fetches the JavaScript and CSS the web pages, /docs, /redoc and the HTML export use, from the
# npm registry, at the versions pinned in web/static/vendor/MANIFEST, into web/static/vendor/
# (committed: the app serves them itself and the HTML export inlines Cytoscape.js, so nothing is
# fetched from a CDN at run time). Every file is checked against the manifest's sha256; a file
# with a patch (scripts/vendor-patches/NAME.sed) is checked before and after the edit.
#   scripts/vendor-js.sh          fetch, check, patch, check again, copy
#   scripts/vendor-js.sh --check  only check that the vendored files match the manifest
# (@zazuko/yasgui ships no licence file: its package.json says MIT.)
set -euo pipefail
cd "$(dirname "$0")/.."

VENDOR=web/static/vendor
MANIFEST=$VENDOR/MANIFEST
PATCHES=scripts/vendor-patches

entries() { grep -v '^\s*#' "$MANIFEST" | grep -v '^\s*$'; }

# the sha256 the vendored file must have: the patched one if there is a patch
expected() { if [ -n "$2" ]; then echo "${2#*=}"; else echo "$1"; fi; }

matches() { echo "$1  $2" | sha256sum --check --quiet >/dev/null 2>&1; }

check() {
    local status=0
    while read -r package version source target sha256 licence patch; do
        if ! matches "$(expected "$sha256" "${patch:-}")" "$VENDOR/$target"; then
            echo "vendor-js: $VENDOR/$target does not match $package@$version $source ${patch:-}" >&2
            status=1
        fi
    done < <(entries)
    return $status
}

if [ "${1:-}" = "--check" ]; then
    check && echo "vendor-js: $(entries | wc -l) files match $MANIFEST"
    exit
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
while read -r package version source target sha256 licence patch; do
    unpacked="$work/${package//\//_}@$version"
    if [ ! -d "$unpacked" ]; then
        mkdir -p "$unpacked"
        tarball=$(cd "$work" && npm pack --silent "$package@$version" </dev/null)
        tar xzf "$work/$tarball" -C "$unpacked"
    fi
    file="$unpacked/package/$source"
    if ! matches "$sha256" "$file"; then
        echo "vendor-js: $package@$version $source from npm does not match the manifest's sha256" >&2
        exit 1
    fi
    if [ -n "${patch:-}" ]; then
        sed -f "$PATCHES/${patch%%=*}.sed" "$file" > "$file.patched"
        file="$file.patched"
    fi
    mkdir -p "$(dirname "$VENDOR/$target")"
    cp "$file" "$VENDOR/$target"
done < <(entries)
check
echo "vendor-js: $(entries | wc -l) files vendored into $VENDOR"
