#!/bin/sh
# Runs the SDK-facing tests (test/sdk) against the OpenTelemetry JS 2.x line (test/otel-2x) on the
# machine's own Node — Node 20 here — rather than the Node 22 that the `node` devDependency puts
# first on the PATH of npm scripts for the 3.x line.
set -e
system_path=$(printf '%s' "$PATH" | tr ':' '\n' | grep -v '/node_modules/\.bin$' | grep -v 'node-gyp-bin$' | paste -sd: -)
system_node=$(PATH="$system_path" command -v node)
echo "otel2: OpenTelemetry JS 2.x line on Node $("$system_node" --version) ($system_node)"
OTEL_LINE=2 exec "$system_node" node_modules/vitest/vitest.mjs run --project otel2 "$@"
