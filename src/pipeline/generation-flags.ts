// The options of `openapi` and `wrap`, declared once. The CLI parses and documents its flags from here, the
// generators take them as options, and the lock file and every regenerate command are written from them.
// (Kept apart from the generators so the CLI can show help without loading them.)
import type { FlagTable } from "./flag-table.js";

/** What `openapi` reads and generates: each flag is one option of `generateOpenApiProject` (src/pipeline/openapi.ts). */
export const OPENAPI_FLAGS = {
  name: { kind: "string", value: "API", help: ["the API's name: tool prefix, handlers/<API>/ folder and secret name (default: the server host's name, else the title's first word; at most 16 characters)"] },
  tag: { kind: "strings", value: "T", option: "tags", help: ["only operations with this tag (repeatable)"] },
  include: { kind: "strings", value: "GLOB", help: ["only operations whose operationId, tool name or path matches (repeatable)"] },
  exclude: { kind: "strings", value: "GLOB", help: ["leave out operations whose operationId, tool name or path matches (repeatable)"] },
  methods: { kind: "list", value: "LIST", help: ["only these HTTP methods, comma-separated (get,post,…)"] },
  "read-only": { kind: "boolean", help: ["only safe methods (GET, HEAD, OPTIONS, TRACE)"] },
  "base-url": { kind: "string", value: "URL", help: ["use this server instead of the document's servers"] },
  "allow-remote-refs": { kind: "boolean", help: ["fetch http(s) $refs (refused by default)"] },
  bind: {
    kind: "strings",
    value: "NAME[=KEY]",
    help: ["fill the parameter NAME of every operation from the secret's KEY (default: NAME in snake_case)", "instead of asking the model for it: credentials modelled as parameters (repeatable)"],
  },
  auth: {
    kind: "string",
    value: "KIND",
    help: [
      "credentials for an API whose document declares none: bearer, basic, header:NAME or query:NAME",
      "(the secret's token, username/password or api_key is sent on every operation without its own); or user:",
      "each caller's own token, from their sign-in at the team's server (bearer when the document declares none)",
    ],
  },
  cache: { kind: "string", value: "DURATION", help: ["keep answers of safe reads (GET, HEAD) in the project's DuckDB this long: 30s, 10m, 1h, 1d"] },
  "cache-include": { kind: "strings", value: "GLOB", help: ["only these tools (name or operationId) are cached (repeatable)"] },
  "cache-exclude": { kind: "strings", value: "GLOB", help: ["these tools are never cached (repeatable)"] },
  naming: {
    kind: "string",
    value: "RULE",
    help: [
      "how an operation is named when its operationId only restates method and path, or is absent: route (what the",
      "method means on the path: create_customer, list_folder_items; new APIs) or operation-id (post_customers; kept",
      "by APIs generated before, as their lock file records)",
    ],
  },
} as const satisfies FlagTable;

/** What `wrap` reads and generates: each flag is one option of `wrapPackageProject` (src/pipeline/wrap.ts). */
export const WRAP_FLAGS = {
  client: { kind: "string", value: "NAME", help: ["the client export, a class or a function returning the client (default: the profile's, else found)"] },
  prefix: { kind: "string", value: "NAME", help: ["tool prefix and secret name (default: the profile's, else the product's name: @aws-sdk/client-s3 → s3)"] },
  include: {
    kind: "strings",
    value: "GLOB",
    help: ["only these operations, by dotted path (customers.*, chat.completions.create; repeatable)"],
  },
  exclude: { kind: "strings", value: "GLOB", help: ["leave these operations out (repeatable)"] },
  "allow-destructive": { kind: "boolean", help: ["include delete/remove/cancel/… operations"] },
  "max-depth": { kind: "string", value: "N", help: ["levels of nesting kept below a parameter (default 4)"] },
  sync: { kind: "boolean", help: ["wrap a synchronous function library (date-fns, lodash): module functions, not a client"] },
  "profile-file": {
    kind: "string",
    value: "FILE",
    help: ["an SDK profile (JSON) for this package: how to construct its client (not an MXCP profile);", "default: wrap-profiles/<package>.json, then built-in"],
  },
  cache: {
    kind: "string",
    value: "DURATION",
    help: ["keep reads (the profile's read verbs) in the project's DuckDB this long (30s, 10m, 1h);", "any other call drops its resource's cached reads"],
  },
  "cache-include": { kind: "strings", value: "GLOB", help: ["only these reads are cached (tool name or dotted path; repeatable)"] },
  "cache-exclude": { kind: "strings", value: "GLOB", help: ["these reads are never cached (repeatable)"] },
} as const satisfies FlagTable;
