#!/usr/bin/env bash
# Runs the test suite against a real PostgreSQL: installs Debian's postgresql when absent,
# starts a scratch cluster on 127.0.0.1 (removed afterwards), and points
# FABU_TEST_DATABASE_URL at it. Usage: scripts/test-postgres.sh [extra swift test args]
set -euo pipefail

if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  echo "== installing postgresql (Debian package)"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq postgresql >/dev/null
fi
PGBIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
PORT=${FABU_TEST_PG_PORT:-55432}
DIR=$(mktemp -d /tmp/fabu-pg.XXXXXX)
chmod 755 "$DIR"
RUN_AS=()
if [ "$(id -u)" = 0 ]; then
  chown postgres "$DIR"
  RUN_AS=(runuser -u postgres --)
fi
cleanup() {
  "${RUN_AS[@]}" "$PGBIN/pg_ctl" -D "$DIR/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$DIR"
}
trap cleanup EXIT

"${RUN_AS[@]}" "$PGBIN/initdb" -D "$DIR/data" -U fabu --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
"${RUN_AS[@]}" "$PGBIN/pg_ctl" -D "$DIR/data" -l "$DIR/pg.log" -w \
  -o "-c listen_addresses=127.0.0.1 -p $PORT -k $DIR -c fsync=off -c synchronous_commit=off" start >/dev/null
"${RUN_AS[@]}" "$PGBIN/createdb" -h 127.0.0.1 -p "$PORT" -U fabu fabu_test

echo "== swift test against PostgreSQL on 127.0.0.1:$PORT"
FABU_TEST_DATABASE_URL="postgres://fabu@127.0.0.1:$PORT/fabu_test?sslmode=disable" swift test "$@"
