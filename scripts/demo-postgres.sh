#!/usr/bin/env bash
# The PostgreSQL demo: rows inserted into table pipe_demo.orders appear in
# table pipe_demo.orders_copy, through topic pg-orders (examples/postgres:
# a postgres source and a postgres sink), and `pipe status` counts them.
# Needs PostgreSQL at 127.0.0.1:5432 with database test (trust auth), or
# PG_URL and PSQL_ARGS pointing elsewhere. Everything started here is stopped,
# and the schema pipe_demo dropped, at the end.
#
#   npm run demo:postgres                      # starts its own broker
#   KAFKA_BROKERS=host:port npm run demo:postgres
set -euo pipefail
cd "$(dirname "$0")/.."

PIPE=${PIPE:-node dist/cli/main.js}
PROJECT=examples/postgres
PSQL_ARGS=${PSQL_ARGS:--h 127.0.0.1 -U postgres -d test}
WORK=$(mktemp -d "${TMPDIR:-/tmp}/pipe-demo-pg.XXXXXX")
BROKER_PID=
UP_PID=

# shellcheck source=scripts/demo-lib.sh
. scripts/demo-lib.sh
# shellcheck disable=SC2086
sql() { psql -X -q -v ON_ERROR_STOP=1 $PSQL_ARGS "$@"; }

stop() {
  interrupt "$UP_PID"
  interrupt "$BROKER_PID"
  sql -c 'DROP SCHEMA IF EXISTS pipe_demo CASCADE' 2>/dev/null || true
  rm -rf "$WORK"
}
trap stop EXIT


# Waits until the copy holds $1 rows, for at most 60 seconds.
wait_for_rows() {
  for _ in $(seq 1 600); do
    if [ "$(sql -tAc 'SELECT count(*) FROM pipe_demo.orders_copy' 2>/dev/null || echo 0)" = "$1" ]; then return 0; fi
    sleep 0.1
  done
  echo "pipe_demo.orders_copy did not reach $1 rows; the worker said:" >&2
  cat "$WORK/up.log" >&2
  return 1
}

build_pipe_if_needed

say "PostgreSQL: a fresh schema pipe_demo with table orders"
sql -c 'SELECT version()' -tA | sed 's/^/    /'
sql -c 'DROP SCHEMA IF EXISTS pipe_demo CASCADE' -c 'CREATE SCHEMA pipe_demo' \
  -c 'CREATE TABLE pipe_demo.orders (id serial PRIMARY KEY, customer text NOT NULL, amount numeric(10,2), placed_at timestamptz NOT NULL DEFAULT now())'

start_broker_unless_given

say "pipe up: apply $PROJECT (source orders-from-db, topic pg-orders, sink orders-copy), then run it"
$PIPE -C "$PROJECT" up --http-listen 127.0.0.1:0 >"$WORK/up.log" 2>&1 &
UP_PID=$!
wait_for_line "$WORK/up.log" 'orders-copy-0 RUNNING' 120 "$UP_PID"
sed 's/^/    up | /' "$WORK/up.log"

say "inserting 5 orders into pipe_demo.orders"
sql -c "INSERT INTO pipe_demo.orders (customer, amount) VALUES ('ada', 12.50), ('grace', 99.99), ('linus', 5.00), ('barbara', 42.00), ('ken', 7.25)"
wait_for_rows 5
say "pipe_demo.orders_copy (created by the sink from the records' schema)"
sql -c 'SELECT * FROM pipe_demo.orders_copy ORDER BY id' | sed 's/^/    /'

say "3 more orders"
sql -c "INSERT INTO pipe_demo.orders (customer, amount) SELECT 'customer-' || g, g * 10 FROM generate_series(1, 3) g"
wait_for_rows 8
sql -c 'SELECT id, customer, amount FROM pipe_demo.orders_copy WHERE id > 5 ORDER BY id' | sed 's/^/    /'
CMP="id, customer, amount, date_trunc('milliseconds', placed_at)"
DIFF="(SELECT $CMP FROM pipe_demo.orders EXCEPT SELECT $CMP FROM pipe_demo.orders_copy) UNION ALL (SELECT $CMP FROM pipe_demo.orders_copy EXCEPT SELECT $CMP FROM pipe_demo.orders)"
# Connect's Timestamp holds milliseconds; PostgreSQL keeps microseconds.
echo "    rows that differ between orders and orders_copy (times to the millisecond): $(sql -tAc "$DIFF" | wc -l)"

say "pipe status"
# Task counters reach the status topic every few seconds.
for _ in $(seq 1 40); do
  $PIPE -C "$PROJECT" status >"$WORK/status.txt" 2>&1 || true
  if grep -qE '^orders-copy +sink:postgres +RUNNING +1/1 +8 +8 ' "$WORK/status.txt" &&
    grep -qE '^orders-from-db +source:postgres +RUNNING +1/1 +8 +8 ' "$WORK/status.txt"; then break; fi
  sleep 0.5
done
sed 's/^/    /' "$WORK/status.txt"

say "stopping (Ctrl-C for pipe up: tasks flush and store their offsets)"
stop
trap - EXIT
say "done"
