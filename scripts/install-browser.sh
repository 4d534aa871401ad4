#!/usr/bin/env bash
# chromium, chromium-driver, fonts and graphviz for the browser tests and the SVG export (see install-system-packages.sh).
exec bash "$(dirname "$0")/install-system-packages.sh" browser
