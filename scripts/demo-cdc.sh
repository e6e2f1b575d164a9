#!/usr/bin/env bash
# The CDC demo: PostgreSQL change data capture with Debezium on a Kafka Connect
# cluster that pipe plans and applies to. It starts a private PostgreSQL with
# wal_level=logical (the machine's binaries, as the postgres OS user, on a free
# port), a local Kafka broker and a two-worker Kafka Connect cluster with
# Debezium's PostgreSQL connector as a plugin, writes a pipe project (the CDC
# topic, a Debezium source and a file sink, both on the cluster), applies it,
# inserts, updates and deletes rows, and shows the change events in the topic
# and the sink file, an empty plan, `pipe status`, then `pipe destroy`.
# Everything started here is stopped, and every folder removed, at the end.
#
#   npm run demo:cdc                      # the first run downloads Kafka's jars and Debezium
#   KAFKA_BROKERS=host:port npm run demo:cdc   # uses a running broker instead
set -euo pipefail
cd "$(dirname "$0")/.."

PIPE=${PIPE:-node dist/cli/main.js}
WORK=$(mktemp -d "${TMPDIR:-/tmp}/pipe-demo-cdc.XXXXXX")
PGWORK=$(mktemp -d "${TMPDIR:-/tmp}/pipe-demo-cdc-pg.XXXXXX")
PROJECT=$WORK/project
SINK=$WORK/orders.jsonl
TOPIC=shop.public.orders
BROKER_PID=
CONNECT_PID=
PG_STARTED=

# shellcheck source=scripts/demo-lib.sh
. scripts/demo-lib.sh

PG_BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
if [ -z "$PG_BIN" ] || [ ! -x "$PG_BIN/initdb" ]; then
  echo "no PostgreSQL server binaries (initdb, pg_ctl) under /usr/lib/postgresql" >&2
  exit 1
fi

# PostgreSQL refuses to run as root: its binaries run as the postgres OS user.
as_postgres() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

sql() { psql -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres "$@"; }

stop() {
  interrupt "$CONNECT_PID"
  interrupt "$BROKER_PID"
  if [ -n "$PG_STARTED" ]; then as_postgres "$PG_BIN/pg_ctl" -D "$PGWORK/data" -m fast -w stop >/dev/null || true; fi
  rm -rf "$WORK" "$PGWORK"
}
trap stop EXIT

# Waits until the sink file holds $1 change events, for at most 120 seconds.
wait_for_events() {
  for _ in $(seq 1 1200); do
    # grep -c prints 0 and fails when nothing matches; the file may not exist yet.
    n=$(grep -c . "$SINK" 2>/dev/null) || n=0
    if [ "$n" -ge "$1" ]; then return 0; fi
    sleep 0.1
  done
  echo "the sink file did not reach $1 change events:" >&2
  cat "$SINK" >&2 || true
  return 1
}

# One line per Debezium change event: op, then the row before and after.
show_events() {
  node -e '
    const ops = { r: "read (snapshot)", c: "create", u: "update", d: "delete" };
    for (const line of require("fs").readFileSync(process.argv[1], "utf8").split("\n").filter(Boolean)) {
      const e = JSON.parse(line);
      console.log(`    ${(ops[e.op] ?? e.op).padEnd(15)} before ${JSON.stringify(e.before)}  after ${JSON.stringify(e.after)}`);
    }' "$SINK"
}

build_pipe_if_needed

say "a private PostgreSQL with wal_level=logical ($PG_BIN, as the postgres OS user)"
PG_PORT=$(node -e 'const s = require("net").createServer(); s.listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close(); })')
if [ "$(id -u)" = 0 ]; then chown postgres: "$PGWORK"; fi
as_postgres "$PG_BIN/initdb" -D "$PGWORK/data" -U postgres --auth=trust -E UTF8 --no-sync >"$WORK/initdb.log"
as_postgres "$PG_BIN/pg_ctl" -D "$PGWORK/data" -l "$PGWORK/server.log" -w -t 60 \
  -o "-c port=$PG_PORT -c listen_addresses=127.0.0.1 -c unix_socket_directories=$PGWORK -c wal_level=logical -c fsync=off" \
  start >/dev/null
PG_STARTED=1
echo "    PostgreSQL at 127.0.0.1:$PG_PORT: $(sql -tAc 'SHOW server_version') with wal_level=$(sql -tAc 'SHOW wal_level')"
sql -c 'CREATE TABLE orders (id int PRIMARY KEY, customer text NOT NULL, amount numeric(10,2))' \
  -c 'ALTER TABLE orders REPLICA IDENTITY FULL' \
  -c "INSERT INTO orders VALUES (1, 'ada', 12.50), (2, 'grace', 99.99)"
echo "    table orders with 2 rows (REPLICA IDENTITY FULL: updates and deletes carry the old row)"

start_broker_unless_given

say "starting a Kafka Connect cluster of 2 workers with Debezium's PostgreSQL connector (the first run downloads it)"
node scripts/connect-cluster.mjs "$KAFKA_BROKERS" 2 debezium-postgres >"$WORK/connect.log" 2>&1 &
CONNECT_PID=$!
wait_for_line "$WORK/connect.log" '^ready ' 600 "$CONNECT_PID"
CONNECT_URLS=$(sed -n 's/^ready //p' "$WORK/connect.log")
echo "    workers at $CONNECT_URLS"

say "the pipe project ($PROJECT)"
mkdir -p "$PROJECT/pipelines"
cat >"$PROJECT/pipeline.config.yaml" <<EOF
project: cdc-demo
kafka: { brokers: ["$KAFKA_BROKERS"] }
runtimes:
  cluster:
    type: connect
    urls: [$(echo "$CONNECT_URLS" | sed 's/[^,]*/"&"/g; s/,/, /g')]
    providers: { env: env, file: file, dir: dir }
runtime: cluster
EOF
cat >"$PROJECT/pipelines/cdc.yaml" <<EOF
topics:
  $TOPIC: { partitions: 1 }
sources:
  orders-cdc:
    connector: connect:io.debezium.connector.postgresql.PostgresConnector
    key: { converter: json, schemas: false }
    value: { converter: json, schemas: false, decimalFormat: NUMERIC }
    config:
      database.hostname: 127.0.0.1
      database.port: $PG_PORT
      database.user: postgres
      database.dbname: postgres
      topic.prefix: shop
      plugin.name: pgoutput
      publication.autocreate.mode: filtered
      table.include.list: public.orders
      tombstones.on.delete: false
sinks:
  orders-file:
    connector: file
    topics: [$TOPIC]
    key: { converter: string }
    value: { converter: string }
    config: { file: $SINK }
EOF
for f in pipeline.config.yaml pipelines/cdc.yaml; do
  echo "    --- $f"
  sed 's/^/    /' "$PROJECT/$f"
done

say "pipe apply: the topic, then both connectors on the cluster, waiting until they run"
$PIPE -C "$PROJECT" apply --auto-approve --wait-timeout 180 2>&1 | sed 's/^/    /'

say "the snapshot: Debezium reads the 2 rows already in the table"
wait_for_events 2
show_events

say "insert, update and delete in PostgreSQL"
sql -c "INSERT INTO orders VALUES (3, 'linus', 5.00)"
echo "    INSERT INTO orders VALUES (3, 'linus', 5.00)"
sql -c "UPDATE orders SET amount = 109.99 WHERE id = 2"
echo "    UPDATE orders SET amount = 109.99 WHERE id = 2"
sql -c "DELETE FROM orders WHERE id = 1"
echo "    DELETE FROM orders WHERE id = 1"
wait_for_events 5

say "the change events in topic $TOPIC (key: the row's primary key)"
KAFKA_BROKERS=$KAFKA_BROKERS node --input-type=module -e "
  import { connectionFor, createKafka } from './dist/kafka/client.js';
  import { readTopicToEnd } from './dist/kafka/read-topic.js';
  const kafka = createKafka(connectionFor(process.env.KAFKA_BROKERS));
  for (const r of await readTopicToEnd(kafka, '$TOPIC')) {
    console.log('    offset ' + r.offset + ': key ' + r.key + ' op ' + JSON.parse(String(r.value)).op);
  }
"

say "the sink file $SINK, written by Kafka Connect's FileStreamSink"
show_events

say "pipe plan --detailed-exitcode: nothing to change right after apply"
set +e
$PIPE -C "$PROJECT" plan --detailed-exitcode 2>&1 | sed 's/^/    /'
PLAN_EXIT=${PIPESTATUS[0]}
set -e
echo "    exit code $PLAN_EXIT"
if [ "$PLAN_EXIT" != 0 ]; then
  echo "the plan after apply is not empty" >&2
  exit 1
fi

say "pipe status"
$PIPE -C "$PROJECT" status 2>&1 | sed 's/^/    /' || true

say "pipe destroy: both connectors (and the source's offsets) and the topic"
$PIPE -C "$PROJECT" destroy --auto-approve --allow-delete 2>&1 | sed 's/^/    /'
echo "    connectors left on the cluster: $(curl -s "${CONNECT_URLS%%,*}/connectors")"

say "stopping the Connect workers, the broker and PostgreSQL"
stop
trap - EXIT
say "done"
