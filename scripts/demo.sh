#!/usr/bin/env bash
# The README's main job, end to end: generate the Petstore project from its OpenAPI document, then call
# its tools against a local mock of the same API (prism, on 127.0.0.1; nothing leaves the machine).
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
mxcp_gen() { node "$here/bin/mxcp-gen.js" "$@"; }

rm -rf "$here/demo"
echo "\$ mxcp-gen openapi specs/petstore3.yaml --out demo --name petstore"
mxcp_gen openapi "$here/specs/petstore3.yaml" --out "$here/demo" --name petstore

port=$(node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
node "$here/node_modules/@stoplight/prism-cli/dist/index.js" mock -h 127.0.0.1 -p "$port" "$here/specs/petstore3.yaml" > "$here/demo/prism.log" 2>&1 &
prism=$!
trap 'kill $prism 2>/dev/null || true' EXIT
for _ in $(seq 1 120); do grep -q "Prism is listening" "$here/demo/prism.log" && break; sleep 0.5; done
grep -q "Prism is listening" "$here/demo/prism.log" || { echo "the mock API did not start:" >&2; cat "$here/demo/prism.log" >&2; exit 1; }

# The user config holds the API's secret: here, the mock's address and a key.
cat > "$here/demo/user-config.yml" <<YAML
mxcp: 1
projects:
  demo:
    profiles:
      default:
        secrets:
          - name: petstore
            type: api
            parameters:
              base_url: http://127.0.0.1:$port
              api_key: special-key
              token: demo-token
YAML
export MXCP_CONFIG="$here/demo/user-config.yml"
cd "$here/demo"
echo
echo "\$ mxcp-gen run tool petstore_get_pet_by_id -p petId=10"
mxcp_gen run tool petstore_get_pet_by_id -p petId=10
echo
echo "\$ mxcp-gen run tool petstore_find_pets_by_status -p status=sold --json-output"
mxcp_gen run tool petstore_find_pets_by_status -p status=sold --json-output
echo
echo "\$ mxcp-gen run tool petstore_get_pet_by_id -p petId=abc --json-output   # a bad argument: MXCP's error envelope, exit 1"
if mxcp_gen run tool petstore_get_pet_by_id -p petId=abc --json-output; then echo "expected a failure" >&2; exit 1; fi
