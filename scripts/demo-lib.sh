# Shared by the demo scripts (sourced, not run): what every demo does the same
# way around pipe. Expects PIPE and WORK to be set by the demo.

say() { printf '\n\033[1m==> %s\033[0m\n' "$*"; }

# Stops process $1 (when running) with SIGINT, Ctrl-C: pipe stores offsets
# and leaves, the broker and Connect workers shut down cleanly.
interrupt() {
  if [ -n "$1" ] && kill -0 "$1" 2>/dev/null; then
    kill -INT "$1"
    wait "$1" || true
  fi
}

# Waits until file $1 holds a line matching $2, for at most $3 seconds, or
# until process $4 (when given) exits.
wait_for_line() {
  for _ in $(seq 1 $(($3 * 10))); do
    if grep -qE "$2" "$1" 2>/dev/null; then return 0; fi
    if [ -n "${4:-}" ] && ! kill -0 "$4" 2>/dev/null; then break; fi
    sleep 0.1
  done
  echo "did not see /$2/ in $1:" >&2
  cat "$1" >&2 || true
  return 1
}

build_pipe_if_needed() {
  if [ "$PIPE" = "node dist/cli/main.js" ] && [ ! -f dist/cli/main.js ]; then
    say "building pipe"
    npm run build
  fi
}

# Starts a local broker unless KAFKA_BROKERS names one; sets BROKER_PID and
# exports KAFKA_BROKERS.
start_broker_unless_given() {
  if [ -z "${KAFKA_BROKERS:-}" ]; then
    say "starting a local Kafka broker (pipe dev kafka; the first run downloads Kafka's jars)"
    $PIPE dev kafka >"$WORK/broker.log" 2>&1 &
    BROKER_PID=$!
    wait_for_line "$WORK/broker.log" '^ready ' 600 "$BROKER_PID"
    KAFKA_BROKERS=$(sed -n 's/^ready //p' "$WORK/broker.log")
    export KAFKA_BROKERS
  fi
  echo "broker at $KAFKA_BROKERS"
}
