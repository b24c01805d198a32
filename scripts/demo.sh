#!/usr/bin/env bash
# The README's main job, end to end on the embedded defaults: scaffold a project, run its tools.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
mxcp_gen() { node "$here/bin/mxcp-gen.js" "$@"; }

rm -rf "$here/demo"
cd "$here"
mxcp_gen init demo
cd demo
echo
echo "\$ mxcp-gen run tool hello -p name=World"
mxcp_gen run tool hello -p name=World
echo
echo "\$ mxcp-gen run tool hello_sql -p name=DuckDB --json-output"
mxcp_gen run tool hello_sql -p name=DuckDB --json-output
echo
echo "\$ mxcp-gen run tool hello --json-output   # parameter missing: MXCP's error envelope, exit 1"
if mxcp_gen run tool hello --json-output; then echo "expected a failure" >&2; exit 1; fi
