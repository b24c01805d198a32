import { parseArgs, type ParseArgsConfig } from "node:util";
import { VERSION } from "../package-info.js";
// Commands load on demand: `serve` never pays for the generators (ts-morph, openapi-typescript).
type Project = typeof import("./commands/project-commands.js");
type Quality = typeof import("./commands/quality-commands.js");
const project = () => import("./commands/project-commands.js");
const quality = () => import("./commands/quality-commands.js");
const initCommand = async (...a: Parameters<Project["initCommand"]>) => (await project()).initCommand(...a);
const listCommand = async (...a: Parameters<Project["listCommand"]>) => (await project()).listCommand(...a);
const validateCommand = async (...a: Parameters<Project["validateCommand"]>) => (await project()).validateCommand(...a);
const runCommand = async (...a: Parameters<Project["runCommand"]>) => (await project()).runCommand(...a);
const testCommand = async (...a: Parameters<Quality["testCommand"]>) => (await quality()).testCommand(...a);
const lintCommand = async (...a: Parameters<Quality["lintCommand"]>) => (await quality()).lintCommand(...a);
const openapiCommand = async (...a: Parameters<typeof import("./commands/openapi-command.js").openapiCommand>) =>
  (await import("./commands/openapi-command.js")).openapiCommand(...a);
const wrapCommand = async (...a: Parameters<typeof import("./commands/wrap-command.js").wrapCommand>) => (await import("./commands/wrap-command.js")).wrapCommand(...a);
const checkCommand = async (...a: Parameters<typeof import("./commands/check-command.js").checkCommand>) => (await import("./commands/check-command.js")).checkCommand(...a);
const cacheCommand = async (...a: Parameters<typeof import("./commands/cache-command.js").cacheCommand>) => (await import("./commands/cache-command.js")).cacheCommand(...a);
const serveCommand = async (...a: Parameters<typeof import("./commands/serve-command.js").serveCommand>) => (await import("./commands/serve-command.js")).serveCommand(...a);

import { CliError, printError } from "./output.js";

const COMMON_OPTIONS = {
  profile: { type: "string" },
  dir: { type: "string" },
  "json-output": { type: "boolean", default: false },
  debug: { type: "boolean", default: false },
  help: { type: "boolean", short: "h", default: false },
} as const satisfies ParseArgsConfig["options"];

interface Command {
  summary: string;
  usage: string;
  options: ParseArgsConfig["options"];
  flagsHelp: string[];
  run(positionals: string[], values: Record<string, unknown>): Promise<number> | number;
}

const COMMON_HELP = [
  "--profile P       profile to use (else $MXCP_PROFILE, else the site's profile)",
  "--dir DIR         the project folder, or a folder inside it (default: the current folder)",
  "--json-output     print MXCP's JSON envelope: {\"status\":\"ok\",\"result\":…} / {\"status\":\"error\",\"error\":…}",
  "--debug           show stack traces",
];

function common(values: Record<string, unknown>) {
  return { profile: values.profile as string | undefined, dir: values.dir as string | undefined, json: values["json-output"] === true, debug: values.debug === true };
}

const COMMANDS: Record<string, Command> = {
  init: {
    summary: "Create an MXCP project with a hello tool in TypeScript and one in SQL",
    usage: "mxcp-gen init [DIR] [--project NAME]",
    options: { project: { type: "string" } },
    flagsHelp: ["--project NAME    project name (default: the folder's name)"],
    run: (pos, v) => initCommand(pos[0] ?? ".", { ...common(v), project: v.project as string | undefined }),
  },
  list: {
    summary: "List the project's endpoints and any load errors",
    usage: "mxcp-gen list",
    options: {},
    flagsHelp: [],
    run: (_pos, v) => listCommand(common(v)),
  },
  validate: {
    summary: "Check every endpoint (shape, parameters, SQL, handler exports); always exits 0",
    usage: "mxcp-gen validate",
    options: {},
    flagsHelp: [],
    run: (_pos, v) => validateCommand(common(v)),
  },
  run: {
    summary: "Run one tool, resource or prompt",
    usage: "mxcp-gen run tool|resource|prompt NAME [-p key=value]… [-p key=@file.json] [-u JSON|@file]",
    options: {
      param: { type: "string", short: "p", multiple: true, default: [] },
      user: { type: "string", short: "u" },
      "skip-output-validation": { type: "boolean", default: false },
    },
    flagsHelp: [
      "-p key=value      an argument (values are strings; the tool's types convert them)",
      "-p key=@file.json an argument read as JSON from a file",
      "-u JSON|@file     user context for the call (JSON object)",
      "--skip-output-validation   return the result without checking it against `return`",
    ],
    run: (pos, v) => {
      if (pos.length < 2) throw new CliError("usage: mxcp-gen run tool|resource|prompt NAME [-p key=value]…", 2);
      return runCommand(pos[0]!, pos[1]!, {
        ...common(v),
        param: v.param as string[],
        user: v.user as string | undefined,
        skipOutputValidation: v["skip-output-validation"] === true,
      });
    },
  },
  test: {
    summary: "Run the endpoints' tests (through validation, policies and output validation); exit 1 on any failure",
    usage: "mxcp-gen test [tool|resource|prompt] [NAME] [--mock] [-u JSON|@file]",
    options: { user: { type: "string", short: "u" }, mock: { type: "boolean", default: false } },
    flagsHelp: [
      "--mock            start a local mock (Prism) of each OpenAPI document the project was generated from,",
      "                  point the APIs at it, run the tests, and stop it: no network needed",
      "-u JSON|@file     a user context for every test (wins over each test's user_context)",
    ],
    run: (pos, v) => testCommand(pos, { ...common(v), user: v.user as string | undefined, mock: v.mock === true }),
  },
  lint: {
    summary: "Check endpoints for what makes tools hard or unsafe for a model to use; exits 0",
    usage: "mxcp-gen lint [--severity all|error|warning|info]",
    options: { severity: { type: "string", default: "all" } },
    flagsHelp: ["--severity S      show only this level (all, error, warning, info; default all)"],
    run: (_pos, v) => lintCommand({ ...common(v), severity: v.severity as string }),
  },
  openapi: {
    summary: "Generate typed handlers and tool YAML from an OpenAPI document (2.0, 3.0, 3.1)",
    usage:
      "mxcp-gen openapi <spec file or URL> [--out DIR] [--name API] [--tag T]… [--include GLOB]… [--exclude GLOB]… [--methods get,post] [--read-only] [--base-url URL] [--allow-remote-refs] [--cache DURATION [--cache-include GLOB]… [--cache-exclude GLOB]…] [--dry-run] [--force] [--check]",
    options: {
      out: { type: "string", short: "o" },
      name: { type: "string" },
      tag: { type: "string", multiple: true, default: [] },
      include: { type: "string", multiple: true, default: [] },
      exclude: { type: "string", multiple: true, default: [] },
      methods: { type: "string" },
      "read-only": { type: "boolean", default: false },
      "base-url": { type: "string" },
      "allow-remote-refs": { type: "boolean", default: false },
      cache: { type: "string" },
      "cache-include": { type: "string", multiple: true, default: [] },
      "cache-exclude": { type: "string", multiple: true, default: [] },
      "dry-run": { type: "boolean", default: false },
      force: { type: "boolean", default: false },
      check: { type: "boolean", default: false },
    },
    flagsHelp: [
      "--out DIR         the project folder to write (default: the current folder; created if needed)",
      "--name API        the API's name: tool prefix, handlers/<API>/ folder and secret name (default: from info.title)",
      "--tag T           only operations with this tag (repeatable)",
      "--include GLOB    only operations whose operationId, tool name or path matches (repeatable)",
      "--exclude GLOB    leave out operations whose operationId, tool name or path matches (repeatable)",
      "--methods LIST    only these HTTP methods, comma-separated (get,post,…)",
      "--read-only       only safe methods (GET, HEAD, OPTIONS, TRACE)",
      "--base-url URL    use this server instead of the document's servers",
      "--allow-remote-refs   fetch http(s) $refs (refused by default)",
      "--cache DURATION  keep answers of safe reads (GET, HEAD) in the project's DuckDB this long: 30s, 10m, 1h, 1d",
      "--cache-include GLOB  only these tools (name or operationId) are cached (repeatable)",
      "--cache-exclude GLOB  these tools are never cached (repeatable)",
      "--dry-run         print the plan and the diffs; write nothing",
      "--force           overwrite generated files you edited, and remove stale ones you edited",
      "--check           exit 1 if the project differs from what would be generated (for CI); write nothing",
    ],
    run: (pos, v) =>
      openapiCommand(pos[0], {
        json: v["json-output"] === true,
        debug: v.debug === true,
        out: (v.out as string | undefined) ?? (v.dir as string | undefined),
        name: v.name as string | undefined,
        tag: v.tag as string[],
        include: v.include as string[],
        exclude: v.exclude as string[],
        methods: v.methods as string | undefined,
        readOnly: v["read-only"] === true,
        baseUrl: v["base-url"] as string | undefined,
        allowRemoteRefs: v["allow-remote-refs"] === true,
        cache: v.cache as string | undefined,
        cacheInclude: v["cache-include"] as string[],
        cacheExclude: v["cache-exclude"] as string[],
        dryRun: v["dry-run"] === true,
        force: v.force === true,
        check: v.check === true,
      }),
  },
  wrap: {
    summary: "Generate typed handlers and tool YAML from an installed npm package's own types",
    usage:
      "mxcp-gen wrap <package> [--out DIR] [--client ExportName] [--include GLOB]… [--exclude GLOB]… [--allow-destructive] [--max-depth N] [--sync] [--profile-file FILE] [--cache DURATION [--cache-include GLOB]… [--cache-exclude GLOB]…] [--install] [--dry-run] [--force] [--check]",
    options: {
      out: { type: "string", short: "o" },
      client: { type: "string" },
      include: { type: "string", multiple: true, default: [] },
      exclude: { type: "string", multiple: true, default: [] },
      "allow-destructive": { type: "boolean", default: false },
      "max-depth": { type: "string" },
      sync: { type: "boolean", default: false },
      "profile-file": { type: "string" },
      cache: { type: "string" },
      "cache-include": { type: "string", multiple: true, default: [] },
      "cache-exclude": { type: "string", multiple: true, default: [] },
      install: { type: "boolean", default: false },
      "dry-run": { type: "boolean", default: false },
      force: { type: "boolean", default: false },
      check: { type: "boolean", default: false },
    },
    flagsHelp: [
      "--out DIR         the project folder whose node_modules holds the package (default: the current folder)",
      "--client NAME     the client class export (default: the profile's, else the default export)",
      "--include GLOB    only these operations, by dotted path (customers.*, chat.completions.create); also",
      "                  admits verbs outside the default scope (reads plus create/update)",
      "--exclude GLOB    leave these operations out (repeatable)",
      "--allow-destructive   include delete/remove/cancel/… operations",
      "--sync            wrap a synchronous function library (date-fns, lodash): module functions, not a client",
      "--profile-file F  a profile (JSON) for this package; default: wrap-profiles/<package>.json, then built-in",
      "--install         run npm install --ignore-scripts <package> first if it is missing",
      "--max-depth N     levels of nesting kept below a parameter (default 4)",
      "--cache DURATION  keep reads (the profile's read verbs) in the project's DuckDB this long (30s, 10m, 1h);",
      "                  any other call drops its resource's cached reads",
      "--cache-include GLOB   only these reads are cached (tool name or dotted path; repeatable)",
      "--cache-exclude GLOB   these reads are never cached (repeatable)",
      "--dry-run, --force, --check   as for openapi",
    ],
    run: (pos, v) =>
      wrapCommand(pos[0], {
        json: v["json-output"] === true,
        debug: v.debug === true,
        out: (v.out as string | undefined) ?? (v.dir as string | undefined),
        client: v.client as string | undefined,
        include: v.include as string[],
        exclude: v.exclude as string[],
        allowDestructive: v["allow-destructive"] === true,
        maxDepth: v["max-depth"] as string | undefined,
        sync: v.sync === true,
        profileFile: v["profile-file"] as string | undefined,
        cache: v.cache as string | undefined,
        cacheInclude: v["cache-include"] as string[],
        cacheExclude: v["cache-exclude"] as string[],
        install: v.install === true,
        dryRun: v["dry-run"] === true,
        force: v.force === true,
        check: v.check === true,
      }),
  },
  check: {
    summary: "Regenerate every API in mxcp-gen.lock.json in memory and exit 1 on any drift (for CI)",
    usage: "mxcp-gen check",
    options: {},
    flagsHelp: ["Uses the inputs and options recorded in mxcp-gen.lock.json; writes nothing."],
    run: (_pos, v) => checkCommand({ ...common(v) }),
  },
  cache: {
    summary: "Show or clear the cached reads kept in the project's DuckDB (openapi --cache)",
    usage: "mxcp-gen cache stats | mxcp-gen cache clear [--api NAME]",
    options: { api: { type: "string" } },
    flagsHelp: ["stats: entries, bytes, hits and misses per API", "clear: drop the entries (and counters) of every API, or of --api NAME", "--api NAME        only this API"],
    run: (pos, v) => cacheCommand(pos[0], { ...common(v), api: v.api as string | undefined }),
  },
  serve: {
    summary: "Serve the project's tools, resources and prompts over MCP (stdio or streamable HTTP)",
    usage: "mxcp-gen serve [--transport stdio|streamable-http] [--expose all|search|code|auto] [--host H] [--port P] [--stateless] [--json-response] [--ignore-errors] [--insecure] [--print-config claude]",
    options: {
      transport: { type: "string" },
      host: { type: "string" },
      port: { type: "string" },
      stateless: { type: "boolean", default: false },
      "json-response": { type: "boolean", default: false },
      "ignore-errors": { type: "boolean", default: false },
      insecure: { type: "boolean", default: false },
      "print-config": { type: "string" },
      "max-body-size": { type: "string" },
      "grace-period": { type: "string" },
      "max-sessions": { type: "string" },
      "session-idle": { type: "string" },
      "max-result-bytes": { type: "string" },
      expose: { type: "string" },
      "expose-threshold": { type: "string" },
      "code-timeout": { type: "string" },
      "code-memory": { type: "string" },
      "code-stack": { type: "string" },
      "code-max-calls": { type: "string" },
      "code-max-output": { type: "string" },
      "store-results-over": { type: "string" },
      "results-budget": { type: "string" },
      "keep-results": { type: "boolean", default: false },
    },
    flagsHelp: [
      "--transport T     stdio or streamable-http (default: the user config's transport.provider, else streamable-http)",
      "--host H          HTTP bind address (default 127.0.0.1); a non-loopback address needs a token or --insecure",
      "--port P          HTTP port (default: the user config's transport.http.port, else 8000; 0 picks a free port)",
      "--stateless       HTTP without sessions: a fresh server and transport per request",
      "--json-response   HTTP answers as plain JSON, not SSE: faster, but no progress or log notifications per call",
      "--ignore-errors   serve the valid endpoints even if others are invalid (default: refuse to start)",
      "--insecure        allow a non-loopback bind without a bearer token",
      "--print-config claude   print a Claude Desktop entry for this project and exit",
      "--max-body-size N largest HTTP request body in bytes (default 4194304; larger gets 413)",
      "--grace-period S  seconds calls in flight get to finish on SIGINT/SIGTERM (default 10)",
      "--max-sessions N  most HTTP sessions at once (default 1000; beyond it an initialize gets 503)",
      "--session-idle S  seconds an unused HTTP session lives (default 1800)",
      "--max-result-bytes N  most text one tool result sends (default 262144; longer is cut with a notice)",
      "--expose all|search|code|auto  what tools/list shows (default auto, else $MXCP_GEN_EXPOSE): every tool; search_tools,",
      "                  describe_tool and call_tool; or search_tools, describe_tool and run_code. auto: all up to the threshold, else search",
      "--expose-threshold N  most tools auto lists one by one (default 100)",
      "--code-timeout S  run_code: seconds one run may take, tool calls included (default 30)",
      "--code-memory MB  run_code: memory of one run (default 64)",
      "--code-stack KB   run_code: stack of one run (default 48)",
      "--code-max-calls N  run_code: tool and sql calls per run (default 50)",
      "--code-max-output N  run_code: bytes of result and log returned (default 102400; longer is cut with a note)",
      "--store-results-over N  a result over N bytes is stored in DuckDB and summarised; query it with query_results (default 65536; 0 = off)",
      "--results-budget N  bytes all stored results may take; the oldest go first (default 536870912)",
      "--keep-results    keep stored results in the database after the server stops",
      "HTTP bearer token: $MXCP_GEN_HTTP_TOKEN, else transport.http.token in the user config",
    ],
    run: (_pos, v) =>
      serveCommand({
        ...common(v),
        transport: v.transport as string | undefined,
        host: v.host as string | undefined,
        port: v.port as string | undefined,
        stateless: v.stateless === true,
        jsonResponse: v["json-response"] === true,
        ignoreErrors: v["ignore-errors"] === true,
        insecure: v.insecure === true,
        printConfig: v["print-config"] as string | undefined,
        maxBodySize: v["max-body-size"] as string | undefined,
        gracePeriod: v["grace-period"] as string | undefined,
        maxSessions: v["max-sessions"] as string | undefined,
        sessionIdle: v["session-idle"] as string | undefined,
        maxResultBytes: v["max-result-bytes"] as string | undefined,
        expose: v.expose as string | undefined,
        exposeThreshold: v["expose-threshold"] as string | undefined,
        codeTimeout: v["code-timeout"] as string | undefined,
        codeMemory: v["code-memory"] as string | undefined,
        codeStack: v["code-stack"] as string | undefined,
        codeMaxCalls: v["code-max-calls"] as string | undefined,
        codeMaxOutput: v["code-max-output"] as string | undefined,
        storeResultsOver: v["store-results-over"] as string | undefined,
        resultsBudget: v["results-budget"] as string | undefined,
        keepResults: v["keep-results"] === true,
      }),
  },
};

function mainHelp(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((c) => c.length));
  return [
    `mxcp-gen ${VERSION}: generate and serve MXCP tools`,
    "",
    "Usage: mxcp-gen <command> [options]",
    "",
    "Commands:",
    ...Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`),
    "",
    "Run `mxcp-gen <command> --help` for a command's options.",
  ].join("\n");
}

function commandHelp(c: Command): string {
  return [`${c.summary}.`, "", `Usage: ${c.usage}`, "", "Options:", ...[...c.flagsHelp, ...COMMON_HELP].map((l) => `  ${l}`)].join("\n");
}

/** The closest of `choices` to `typed` by edit distance, when it is close enough to be a typo. */
export function closest(typed: string, choices: string[]): string | undefined {
  const distance = (a: string, b: string): number => {
    const row = Array.from({ length: b.length + 1 }, (_, j) => j);
    for (let i = 1; i <= a.length; i++) {
      let prev = row[0]!;
      row[0] = i;
      for (let j = 1; j <= b.length; j++) {
        const cur = row[j]!;
        row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
        prev = cur;
      }
    }
    return row[b.length]!;
  };
  const best = choices.map((c) => ({ c, d: distance(typed, c) })).sort((x, y) => x.d - y.d)[0];
  return best && best.d <= Math.max(2, Math.floor(typed.length / 3)) ? best.c : undefined;
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  // Output piped into `head` closes early: that is the reader's choice, not an error.
  process.stdout.on("error", (e: NodeJS.ErrnoException) => {
    if (e.code === "EPIPE") process.exit(process.exitCode ?? 0);
  });
  if (!name) {
    process.stderr.write(`Error: no command given\n\n${mainHelp()}\n`);
    return 2;
  }
  if (name === "--help" || name === "-h" || name === "help") {
    process.stdout.write(mainHelp() + "\n");
    return 0;
  }
  if (name === "--version" || name === "-v") {
    process.stdout.write(`${VERSION}\n`);
    return 0;
  }
  const command = COMMANDS[name];
  if (!command) {
    const guess = closest(name, Object.keys(COMMANDS));
    process.stderr.write(`Error: unknown command '${name}'${guess ? `. Did you mean '${guess}'?` : ""}\n\n${mainHelp()}\n`);
    return 2;
  }
  let values: Record<string, unknown> = {};
  try {
    const parsed = parseArgs({ args: rest, options: { ...COMMON_OPTIONS, ...command.options }, allowPositionals: true, strict: true });
    values = parsed.values as Record<string, unknown>;
    if (values.help) {
      process.stdout.write(commandHelp(command) + "\n");
      return 0;
    }
    return await command.run(parsed.positionals, values);
  } catch (e) {
    const flags = { json: values["json-output"] === true, debug: values.debug === true };
    if (e instanceof Error && "code" in e && String((e as { code: unknown }).code).startsWith("ERR_PARSE_ARGS")) {
      const unknown = /Unknown option '(--?[^']+)'/.exec(e.message)?.[1];
      const known = Object.keys({ ...COMMON_OPTIONS, ...command.options }).map((o) => `--${o}`);
      const guess = unknown ? closest(unknown, known) : undefined;
      printError(new CliError(`${e.message}${guess ? `. Did you mean '${guess}'?` : ""}\n\n${commandHelp(command)}`, 2), flags);
      return 2;
    }
    printError(e, flags);
    if (e instanceof CliError) return e.exitCode;
    return 1;
  }
}
