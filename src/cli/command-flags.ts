// Every command's flags, declared once (loaded at start-up: no command module is imported here).
import type { FlagTable, FlagValues } from "../pipeline/flag-table.js";
import { OPENAPI_FLAGS, WRAP_FLAGS } from "../pipeline/generation-flags.js";
import type { CommonValues } from "./flags.js";

/** What `openapi` and `wrap` add to their generation options: where to write, and how. */
const WRITE_FLAGS = {
  "dry-run": { kind: "boolean", help: ["print the plan and the diffs; write nothing"] },
  force: { kind: "boolean", help: ["overwrite generated files you edited, and remove stale ones you edited"] },
  check: { kind: "boolean", help: ["exit 1 if the project differs from what would be generated (for CI); write nothing"] },
} as const satisfies FlagTable;

export const INIT_FLAGS = {
  project: { kind: "string", value: "NAME", help: ["project name (default: the folder's name)"] },
} as const satisfies FlagTable;

export const RUN_FLAGS = {
  param: { kind: "strings", short: "p", value: "key=value", help: ["an argument (values are strings; the tool's types convert them);", "-p key=@file.json reads the value as JSON from a file (repeatable)"] },
  user: { kind: "string", short: "u", value: "JSON|@file", help: ["user context for the call (JSON object)"] },
  "skip-output-validation": { kind: "boolean", help: ["return the result without checking it against `return`"] },
  "strict-output": { kind: "boolean", help: ["fail an API tool's answer that does not fit its declared type, as MXCP does (default: convert what is lossless, return the rest as sent, with a note)"] },
} as const satisfies FlagTable;

export const TEST_FLAGS = {
  mock: {
    kind: "boolean",
    help: ["start a local mock (Prism) of each OpenAPI document the project was generated from,", "point the APIs at it, run the tests, and stop it: no network needed"],
  },
  user: { kind: "string", short: "u", value: "JSON|@file", help: ["a user context for every test (wins over each test's user_context)"] },
} as const satisfies FlagTable;

export const LINT_FLAGS = {
  severity: { kind: "string", value: "S", help: ["show only this level (all, error, warning, info; default all)"] },
} as const satisfies FlagTable;

export const OPENAPI_CLI_FLAGS = {
  out: { kind: "string", short: "o", value: "DIR", help: ["the project folder to write (default: --dir, else the current folder; created if needed)"] },
  ...OPENAPI_FLAGS,
  ...WRITE_FLAGS,
} as const satisfies FlagTable;

export const WRAP_CLI_FLAGS = {
  out: { kind: "string", short: "o", value: "DIR", help: ["the project folder whose node_modules holds the package (default: --dir, else the current folder)"] },
  ...WRAP_FLAGS,
  install: { kind: "boolean", help: ["run npm install --ignore-scripts <package> first if it is missing"] },
  ...WRITE_FLAGS,
} as const satisfies FlagTable;

export const CACHE_FLAGS = {
  api: { kind: "string", value: "NAME", help: ["only this API"] },
} as const satisfies FlagTable;

export const SECRETS_FLAGS = {
  set: { kind: "strings", value: "key=value", help: ["a parameter's value for `add` (repeatable; never printed); `--set 'key=${VAR}'` stores a reference", "read when a tool runs. Of several credentials, only those given are kept"] },
} as const satisfies FlagTable;

export const LOGIN_FLAGS = {
  port: { kind: "string", value: "N", help: ["the loopback port the browser comes back to (default: a free one; use one your app registered)"] },
  scope: { kind: "string", value: "S", help: ["scopes to ask for (default: the secret's scopes, else every scope the document's flow lists)"] },
  "no-browser": { kind: "boolean", help: ["only print the address to open (the default where no browser can be started)"] },
  timeout: { kind: "string", value: "S", help: ["seconds to wait for the sign-in to come back (default 300)"] },
} as const satisfies FlagTable;

export const LOG_FLAGS = {
  tool: { kind: "string", value: "NAME", help: ["only calls of this endpoint"] },
  type: { kind: "string", value: "T", help: ["only tool, resource or prompt calls"] },
  status: { kind: "string", value: "S", help: ["only success or error"] },
  since: { kind: "string", value: "WHEN", help: ["only records from this long ago on (30s, 10m, 2h, 1d) or since an ISO time"] },
  limit: { kind: "string", value: "N", help: ["most records shown, newest first (default 100)"] },
  "export-duckdb": { kind: "string", value: "FILE", help: ["write every matching record to table logs of this DuckDB file instead"] },
} as const satisfies FlagTable;

export const SERVE_FLAGS = {
  transport: { kind: "string", value: "T", help: ["stdio or streamable-http (default: the user config's transport.provider, else streamable-http)"] },
  host: { kind: "string", value: "H", help: ["HTTP bind address (default 127.0.0.1); a non-loopback address needs a token or --insecure"] },
  port: { kind: "string", value: "P", help: ["HTTP port (default: the user config's transport.http.port, else 8000; 0 picks a free port)"] },
  stateless: { kind: "boolean", help: ["HTTP without sessions: a fresh server and transport per request"] },
  "json-response": { kind: "boolean", help: ["HTTP answers as plain JSON, not SSE: faster, but no progress or log notifications per call"] },
  "metrics-public": { kind: "boolean", help: ["HTTP: /healthz, /readyz and /metrics answer without the bearer token (probes, scrapers)"] },
  "ignore-errors": { kind: "boolean", help: ["serve the valid endpoints even if others are invalid (default: refuse to start)"] },
  insecure: { kind: "boolean", help: ["allow a non-loopback bind without a bearer token"] },
  readonly: { kind: "boolean", help: ["open the project's DuckDB read-only, as MXCP's --readonly (a second server beside one that writes)"] },
  "strict-output": { kind: "boolean", help: ["fail an API tool's answer that does not fit its declared type, as MXCP does (default: convert what is lossless, return the rest as sent, with a note)"] },
  "confirm-destructive": {
    kind: "boolean",
    help: ["ask the user (elicitation) before a tool marked destructive runs; where the client cannot ask, the call is refused"],
  },
  "allow-origin": {
    kind: "strings",
    value: "ORIGIN",
    help: ["a browser origin allowed to call the HTTP server besides its own, such as the MCP Inspector's", "http://localhost:6274 (repeatable; exact scheme, host and port)"],
  },
  "allow-host": {
    kind: "strings",
    value: "HOST",
    help: ["a Host header the HTTP server accepts besides its own address: the public name a proxy in front", "forwards, such as mcp.example.com (repeatable; host or host:port)"],
  },
  auth: {
    kind: "string",
    value: "PROVIDER",
    help: [
      "HTTP sign-in: who may call (default: the user config profile's auth.provider): none; oidc or keycloak (each",
      "request's access token is checked against the issuer); github, google, atlassian or salesforce (this server",
      "signs users in through the team's app and issues its own tokens; see docs/serving.md, Serving a team)",
    ],
  },
  "auth-issuer": { kind: "string", value: "URL", help: ["the OAuth issuer whose access tokens are accepted (default: the profile's auth.oidc.issuer)"] },
  "public-url": {
    kind: "string",
    value: "URL",
    help: ["the MCP endpoint as clients reach it, which tokens must name (default: the user config's", "transport.http.base_url + /mcp, else the bound address)"],
  },
  replica: {
    kind: "string",
    value: "NAME",
    help: ["serve as one replica of several: session ids start with NAME. (a load balancer routes on them), and the", "DuckDB file and audit log are named for it (see docs/serving.md, Running more than one)"],
  },
  "print-config": {
    kind: "string",
    value: "CLIENT",
    help: ["print this project's entry for claude (Claude Desktop), cursor, vscode or claude-code (the `claude mcp add`", "command) and exit; the variables its secrets read go in `env`, as placeholders unless --with-env-values"],
  },
  "with-env-values": { kind: "boolean", help: ["with --print-config or --install: put the variables' current values in `env` (they are secrets)"] },
  install: { kind: "string", value: "claude", help: ["merge this project's entry into Claude Desktop's config file (a backup first; other servers kept)"] },
  "max-body-size": { kind: "string", value: "N", help: ["largest HTTP request body in bytes (default 4194304; larger gets 413)"] },
  "grace-period": { kind: "string", value: "S", help: ["seconds calls in flight get to finish on SIGINT/SIGTERM (default 10)"] },
  "max-sessions": { kind: "string", value: "N", help: ["most HTTP sessions at once (default 1000; beyond it an initialize gets 503)"] },
  "session-idle": { kind: "string", value: "S", help: ["seconds an unused HTTP session lives (default 1800)"] },
  "max-result-bytes": { kind: "string", value: "N", help: ["most text one tool result sends (default 262144; longer is cut with a notice)"] },
  expose: {
    kind: "string",
    value: "all|search|code|auto",
    help: [
      "what tools/list shows (default auto, else $MXCP_GEN_EXPOSE): every tool; search_tools,",
      "describe_tool and call_tool; or search_tools, describe_tool and run_code. auto: all up to the threshold, else search",
    ],
  },
  "expose-threshold": { kind: "string", value: "N", help: ["most tools auto lists one by one (default 100)"] },
  "code-timeout": { kind: "string", value: "S", help: ["run_code: seconds one run may take, tool calls included (default 30)"] },
  "code-memory": { kind: "string", value: "MB", help: ["run_code: memory of one run (default 64)"] },
  "code-stack": { kind: "string", value: "KB", help: ["run_code: stack of one run (default 48)"] },
  "code-max-calls": { kind: "string", value: "N", help: ["run_code: tool and sql calls per run (default 50)"] },
  "code-max-output": { kind: "string", value: "N", help: ["run_code: bytes of result and log returned (default 102400; longer is cut with a note)"] },
  "store-results-over": {
    kind: "string",
    value: "N",
    help: ["a result over N bytes is stored in DuckDB and summarised; query it with query_results (default 65536; 0 = off)"],
  },
  "results-budget": { kind: "string", value: "N", help: ["bytes all stored results may take; the oldest go first (default 536870912)"] },
  "keep-results": { kind: "boolean", help: ["keep each session's stored results in a DuckDB file under data/results/ after it ends"] },
  "sql-timeout": { kind: "string", value: "S", help: ["query_results and sql(): seconds one statement may run before it is stopped (default 10)"] },
  "sql-memory": { kind: "string", value: "MB", help: ["query_results and sql(): memory of one session's SQL instance (default 512)"] },
} as const satisfies FlagTable;

export type InitValues = FlagValues<typeof INIT_FLAGS> & CommonValues;
export type RunValues = FlagValues<typeof RUN_FLAGS> & CommonValues;
export type TestValues = FlagValues<typeof TEST_FLAGS> & CommonValues;
export type LintValues = FlagValues<typeof LINT_FLAGS> & CommonValues;
export type OpenApiValues = FlagValues<typeof OPENAPI_CLI_FLAGS> & CommonValues;
export type WrapValues = FlagValues<typeof WRAP_CLI_FLAGS> & CommonValues;
export type CacheValues = FlagValues<typeof CACHE_FLAGS> & CommonValues;
export type ServeValues = FlagValues<typeof SERVE_FLAGS> & CommonValues;
export type LogValues = FlagValues<typeof LOG_FLAGS> & CommonValues;
export type SecretsValues = FlagValues<typeof SECRETS_FLAGS> & CommonValues;
export type LoginValues = FlagValues<typeof LOGIN_FLAGS> & CommonValues;
