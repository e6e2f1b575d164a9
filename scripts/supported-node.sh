#!/usr/bin/env bash
# Prints the bin folder of a Node.js that package.json's `engines` accepts:
# the one on PATH when it is recent enough, else an official build fetched
# once from the npm registry (package node-<platform>-<arch>) into pipe's
# cache. CI machines may carry an older Node than pipe's dependencies declare,
# and npm then warns on every install (EBADENGINE).
set -euo pipefail
cd "$(dirname "$0")/.."

MINIMUM=$(node -p "require('./package.json').engines.node.replace(/^>=\s*/, '')")
recent_enough() {
  "$1" -e '
    const want = process.argv[1].split(".").map(Number);
    const have = process.versions.node.split(".").map(Number);
    const diff = have.map((n, i) => n - want[i]).find((d) => d !== 0) ?? 0;
    process.exit(diff >= 0 ? 0 : 1);
  ' "$MINIMUM"
}

if recent_enough node; then
  dirname "$(command -v node)"
  exit 0
fi

PACKAGE="node-$(node -p 'process.platform')-$(node -p 'process.arch')"
MAJOR=${MINIMUM%%.*}
FOLDER="${PIPE_CACHE_DIR:-$HOME/.cache/pipe}/node-$MAJOR"
BIN="$FOLDER/node_modules/$PACKAGE/bin"
if [ ! -x "$BIN/node" ] || ! recent_enough "$BIN/node"; then
  echo "Node.js $(node --version) is older than the $MINIMUM pipe requires: fetching $PACKAGE@$MAJOR from the npm registry into $FOLDER" >&2
  mkdir -p "$FOLDER"
  npm install --prefix "$FOLDER" --no-audit --no-fund --no-save --loglevel=error "$PACKAGE@$MAJOR" >&2
fi
recent_enough "$BIN/node" || { echo "$BIN/node is not Node.js $MINIMUM or later" >&2; exit 1; }
echo "$BIN"
