#!/usr/bin/env bash
# What a user gets from the npm registry, checked before it is published: pack
# the package, install the tarball into an empty folder, and run it the ways
# README says (`npx pipe-kafka --help`, the `pipe` command, `import … from
# 'pipe-kafka'`). Prints the tarball's size and the installed size.
set -euo pipefail
cd "$(dirname "$0")/.."

NAME=$(node -p "require('./package.json').name")
WORK=$(mktemp -d "${TMPDIR:-/tmp}/pipe-package-check.XXXXXX")
trap 'rm -rf "$WORK"' EXIT

TARBALL=$(npm pack --silent --pack-destination "$WORK" | tail -n 1)
mkdir "$WORK/empty"
cd "$WORK/empty"
# A tarball is not a registry package, so npm would list its `prepare` script
# (which builds dist/ in a clone; the tarball already holds dist/) as skipped.
printf '{ "name": "consumer", "private": true, "type": "module", "allowScripts": { "%s": false } }\n' "$NAME" >package.json
npm install --no-audit --no-fund --loglevel=error "$WORK/$TARBALL" >/dev/null

npx --no-install "$NAME" --help | grep -q '^Usage: pipe' || { echo "npx $NAME --help did not print pipe's usage" >&2; exit 1; }
npx --no-install pipe --version | grep -qx "$(node -p "require('$OLDPWD/package.json').version")"
node --input-type=module -e "
  import { JsonConverter } from '$NAME';
  if (typeof JsonConverter !== 'function') { console.error('no JsonConverter export'); process.exit(1); }
"
echo "$NAME: tarball $(du -k "$WORK/$TARBALL" | cut -f1) KB, installed $(du -sk node_modules | cut -f1) KB in $(ls node_modules | wc -l) top-level packages"
