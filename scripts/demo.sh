#!/usr/bin/env bash
# The seed demo, end to end, on a fresh machine: start a local Kafka broker,
# bring the example project up (topic connect-test, a file source and a file
# sink), append three lines to the source file, and show them arrive in the
# topic and in the sink file. Everything started here is stopped at the end.
#
#   npm run demo                      # starts its own broker (downloads Kafka's jars on first use)
#   KAFKA_BROKERS=host:port npm run demo   # uses a running broker instead
set -euo pipefail
cd "$(dirname "$0")/.."

PIPE=${PIPE:-node dist/cli/main.js}
SOURCE=/tmp/connectorfile/test.txt
SINK=/tmp/connectorfile/test.sink.txt
WORK=$(mktemp -d "${TMPDIR:-/tmp}/pipe-demo.XXXXXX")
BROKER_PID=
UP_PID=
TAIL_PID=

# shellcheck source=scripts/demo-lib.sh
. scripts/demo-lib.sh

stop() {
  interrupt "$UP_PID"
  if [ -n "$TAIL_PID" ]; then kill "$TAIL_PID" 2>/dev/null || true; fi
  interrupt "$BROKER_PID"
  rm -rf "$WORK"
}
trap stop EXIT


build_pipe_if_needed

start_broker_unless_given

say "preparing $SOURCE (empty) and removing $SINK"
mkdir -p "$(dirname "$SOURCE")"
: >"$SOURCE"
rm -f "$SINK"

say "pipe up: apply the example project, then run its pipelines"
$PIPE up --http-listen 127.0.0.1:0 >"$WORK/up.log" 2>&1 &
UP_PID=$!
tail -n +1 -f "$WORK/up.log" > >(while IFS= read -r line; do printf '    up | %s\n' "$line"; done) &
TAIL_PID=$!
wait_for_line "$WORK/up.log" 'watching ' 120 "$UP_PID"

say "appending aaa, bbb, ccc to $SOURCE"
for line in aaa bbb ccc; do
  echo "$line" >>"$SOURCE"
  echo "    $ echo $line >> $SOURCE"
done

say "the topic connect-test"
# JSON values, as Kafka Connect's JsonConverter writes them with schemas.
KAFKA_BROKERS=$KAFKA_BROKERS node --input-type=module -e "
  import { connectionFor, createKafka } from './dist/kafka/client.js';
  import { readTopicToEnd } from './dist/kafka/read-topic.js';
  const kafka = createKafka(connectionFor(process.env.KAFKA_BROKERS));
  for (let i = 0; i < 100; i++) {
    const records = await readTopicToEnd(kafka, 'connect-test');
    if (records.length >= 3) {
      for (const r of records) console.log('    partition ' + r.partition + ' offset ' + r.offset + ': ' + r.value);
      process.exit(0);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  console.error('the records did not reach connect-test');
  process.exit(1);
"

say "the sink file $SINK"
wait_for_line "$SINK" '^ccc$' 60
wait_for_line "$SINK" '^aaa$' 5
sed 's/^/    /' "$SINK"

say "pipe status"
# Task counters reach the status topic every 2 seconds.
for _ in $(seq 1 20); do
  $PIPE status >"$WORK/status.txt" 2>&1 || true
  if grep -qE '^local-file-sink +sink:file +RUNNING +1/1 +3 +3 ' "$WORK/status.txt"; then break; fi
  sleep 0.5
done
sed 's/^/    /' "$WORK/status.txt"

say "stopping (Ctrl-C for pipe up: tasks flush and store their offsets)"
stop
trap - EXIT
say "done"
