#!/usr/bin/env bash
# A private Virtuoso for tests and benchmarks: its own database folder and ini, listening on
# 127.0.0.1 only (never the Debian service). Usage:
#   scripts/virtuoso.sh start   # creates $VIRTUOSO_DIR, starts the server, opens SPARQL Update to it
#   scripts/virtuoso.sh stop    # shuts it down (the folder stays; `clean` removes it)
#   scripts/virtuoso.sh clean   # stop, then delete $VIRTUOSO_DIR
# Settings (environment): VIRTUOSO_DIR (default /tmp/msme-kg-virtuoso), VIRTUOSO_PORT (1111),
# VIRTUOSO_HTTP_PORT (8890), VIRTUOSO_DBA_PASSWORD (dba; a new database starts with dba/dba).
# Endpoints once started: http://127.0.0.1:$VIRTUOSO_HTTP_PORT/sparql (query + update) and
# /sparql-graph-crud (Graph Store Protocol).
set -euo pipefail

DIR="${VIRTUOSO_DIR:-/tmp/msme-kg-virtuoso}"
PORT="${VIRTUOSO_PORT:-1111}"
HTTP_PORT="${VIRTUOSO_HTTP_PORT:-8890}"
PW="${VIRTUOSO_DBA_PASSWORD:-dba}"
TEMPLATE="${VIRTUOSO_INI_TEMPLATE:-/usr/share/virtuoso-opensource-7/virtuoso.ini}"

isql() { isql-vt "127.0.0.1:$PORT" dba "$PW" "$@"; }

running() { isql exec="status();" >/dev/null 2>&1; }

start() {
  command -v virtuoso-t >/dev/null || { echo "virtuoso-t not found: run scripts/install-virtuoso.sh" >&2; exit 1; }
  if running; then echo "virtuoso already running on 127.0.0.1:$PORT"; return 0; fi
  mkdir -p "$DIR/db"
  local ini="$DIR/virtuoso.ini"
  # The packaged ini, with every path moved into $DIR, both ports on loopback, no row cap below 1M.
  sed -E \
    -e "s#/var/lib/virtuoso-opensource-7/db#$DIR/db#g" \
    -e "s#^(ServerPort[[:space:]]*=[[:space:]]*)1111#\\1127.0.0.1:$PORT#" \
    -e "s#^(ServerPort[[:space:]]*=[[:space:]]*)8890#\\1127.0.0.1:$HTTP_PORT#" \
    -e "s#^(DirsAllowed[[:space:]]*=.*)#\\1, $DIR#" \
    -e "s#^(ResultSetMaxRows[[:space:]]*=[[:space:]]*)[0-9]+#\\11000000#" \
    -e "s#^(NumberOfBuffers[[:space:]]*=[[:space:]]*)10000#\\1170000#" \
    -e "s#^(MaxDirtyBuffers[[:space:]]*=[[:space:]]*)6000#\\1130000#" \
    "$TEMPLATE" > "$ini"
  (cd "$DIR/db" && virtuoso-t +configfile "$ini" +wait)
  for _ in $(seq 1 60); do running && break; sleep 0.5; done
  running || { echo "virtuoso did not start; see $DIR/db/virtuoso.log" >&2; exit 1; }
  # Let the anonymous SPARQL user write (loopback only), through /sparql and the Graph Store Protocol.
  isql exec="GRANT SPARQL_UPDATE TO \"SPARQL\"; DB.DBA.RDF_DEFAULT_USER_PERMS_SET ('nobody', 7);" >/dev/null
  echo "virtuoso running: http://127.0.0.1:$HTTP_PORT/sparql (folder $DIR)"
}

stop() {
  if running; then isql exec="shutdown;" >/dev/null 2>&1 || true; fi
  for _ in $(seq 1 60); do running || break; sleep 0.5; done
  echo "virtuoso stopped"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  clean) stop; rm -rf "$DIR" ;;
  *) echo "usage: $0 start|stop|clean" >&2; exit 2 ;;
esac
