#!/bin/sh
# Runs the benchmark on the machine's own Node (20 here) instead of the `node` devDependency (22):
# that Node cannot strip TypeScript types, so bench/run.ts is bundled to JavaScript first.
#   sh bench/node20.sh [bench/run.ts options]   → bench/results/latest-node20.json
set -e
cd "$(dirname "$0")/.."
system_path=$(printf '%s' "$PATH" | tr ':' '\n' | grep -v '/node_modules/\.bin$' | grep -v 'node-gyp-bin$' | paste -sd: -)
system_node=$(PATH="$system_path" command -v node)
npm run build >/dev/null
node_modules/.bin/rolldown -c bench/rolldown.config.mjs >/dev/null
echo "bench: $("$system_node" --version) at $system_node"
exec "$system_node" bench/.run.bundle.mjs --out=bench/results/latest-node20.json "$@"
