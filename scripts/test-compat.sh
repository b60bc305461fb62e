#!/bin/sh
# Runs the SDK-facing tests (test/sdk) against the lowest and highest OpenTelemetry JS versions the
# package claims, each installed side by side in test/compat/<name> (npm workspaces):
#   otel2-lowest, otel2-highest  the 2.x line (sdk-logs 0.220.0 / 0.223.1) on the machine's Node (20 here)
#   otel3-lowest                 the 3.x line's lowest (sdk-logs 3.0.0) on the Node 22 of the `node`
#                                devDependency; the highest (3.1.1) is the root install, run by test:unit
set -e
system_path=$(printf '%s' "$PATH" | tr ':' '\n' | grep -v '/node_modules/\.bin$' | grep -v 'node-gyp-bin$' | paste -sd: -)
system_node=$(PATH="$system_path" command -v node)
node22=$(command -v node)
for project in otel2-lowest otel2-highest otel3-lowest; do
  case $project in otel2-*) runtime=$system_node ;; *) runtime=$node22 ;; esac
  echo "compat: $project on Node $("$runtime" --version)"
  OTEL_COMPAT=$project "$runtime" node_modules/vitest/vitest.mjs run --project "$project" "$@"
done
