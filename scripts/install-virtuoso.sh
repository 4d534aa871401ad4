#!/usr/bin/env bash
# Virtuoso Open Source for the SPARQL-server backend's integration test (see install-system-packages.sh).
exec bash "$(dirname "$0")/install-system-packages.sh" virtuoso
