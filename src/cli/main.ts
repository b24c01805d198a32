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
const secretsCommand = async (...a: Parameters<typeof import("./commands/secrets-command.js").secretsCommand>) => (await import("./commands/secrets-command.js")).secretsCommand(...a);
const loginCommand = async (...a: Parameters<typeof import("./commands/login-command.js").loginCommand>) => (await import("./commands/login-command.js")).loginCommand(...a);
const logCommand = async (...a: Parameters<typeof import("./commands/log-command.js").logCommand>) => (await import("./commands/log-command.js")).logCommand(...a);
const serveCommand = async (...a: Parameters<typeof import("./commands/serve-command.js").serveCommand>) => (await import("./commands/serve-command.js")).serveCommand(...a);

import { CACHE_FLAGS, INIT_FLAGS, LINT_FLAGS, LOGIN_FLAGS, LOG_FLAGS, OPENAPI_CLI_FLAGS, RUN_FLAGS, SECRETS_FLAGS, SERVE_FLAGS, TEST_FLAGS, WRAP_CLI_FLAGS } from "./command-flags.js";
import { COMMON_FLAGS, commandHelp, defineCommand, parseCommandLine, type CommandSpec } from "./flags.js";
import { CliError, printError } from "./output.js";
import { closest } from "../model/suggest.js";

export const COMMANDS: Record<string, CommandSpec> = {
  init: defineCommand({
    summary: "Create an MXCP project with a hello tool in TypeScript and one in SQL",
    positionals: "[DIR]",
    flags: INIT_FLAGS,
    run: (pos, v) => initCommand(pos[0] ?? v.dir ?? ".", v),
  }),
  list: defineCommand({ summary: "List the project's endpoints and any load errors", positionals: "", flags: {}, run: (_pos, v) => listCommand(v) }),
  validate: defineCommand({
    summary: "Check every endpoint (shape, parameters, SQL, handler exports); always exits 0",
    positionals: "",
    flags: {},
    run: (_pos, v) => validateCommand(v),
  }),
  run: defineCommand({
    summary: "Run one tool, resource or prompt",
    positionals: "tool|resource|prompt NAME",
    flags: RUN_FLAGS,
    run: (pos, v) => {
      if (pos.length < 2) throw new CliError("usage: mxcp-gen run tool|resource|prompt NAME [-p key=value]…", 2);
      if (pos.length > 2) {
        const stray = pos[2]!;
        throw new CliError(`unexpected argument '${stray}'${stray.includes("=") ? `: arguments are given with -p, as in -p ${stray}` : ""}`, 2);
      }
      return runCommand(pos[0]!, pos[1]!, v);
    },
  }),
  test: defineCommand({
    summary: "Run the endpoints' tests (through validation, policies and output validation); exit 1 on any failure",
    positionals: "[tool|resource|prompt] [NAME]",
    flags: TEST_FLAGS,
    run: (pos, v) => testCommand(pos, v),
  }),
  lint: defineCommand({
    summary: "Check endpoints for what makes tools hard or unsafe for a model to use; exits 0",
    positionals: "",
    flags: LINT_FLAGS,
    run: (_pos, v) => lintCommand({ ...v, severity: v.severity ?? "all" }),
  }),
  openapi: defineCommand({
    summary: "Generate typed handlers and tool YAML from an OpenAPI document (2.0, 3.0, 3.1)",
    positionals: "<spec file or URL>",
    flags: OPENAPI_CLI_FLAGS,
    run: (pos, v) => openapiCommand(pos[0], v),
  }),
  wrap: defineCommand({
    summary: "Generate typed handlers and tool YAML from an installed npm package's own types",
    positionals: "<package>",
    flags: WRAP_CLI_FLAGS,
    run: (pos, v) => wrapCommand(pos[0], v),
  }),
  check: defineCommand({
    summary: "Regenerate every API in mxcp-gen.lock.json in memory and exit 1 on any drift (for CI)",
    positionals: "",
    flags: {},
    notes: ["Uses the inputs and options recorded in mxcp-gen.lock.json; writes nothing."],
    run: (_pos, v) => checkCommand(v),
  }),
  cache: defineCommand({
    summary: "Show or clear the cached reads kept in the project's DuckDB (openapi --cache, wrap --cache)",
    positionals: "stats|clear",
    flags: CACHE_FLAGS,
    notes: ["stats: entries, bytes, hits and misses per API", "clear: drop the entries (and counters) of every API, or of --api NAME"],
    run: (pos, v) => cacheCommand(pos[0], v),
  }),
  log: defineCommand({
    summary: "Query the audit log of the served calls, newest first (as MXCP's mxcp log)",
    positionals: "",
    flags: LOG_FLAGS,
    notes: ["The log is written while serving when profiles.<profile>.audit.enabled is true (or MXCP_AUDIT_ENABLED=1)"],
    run: (_pos, v) => logCommand(v),
  }),
  secrets: defineCommand({
    summary: "Check which secrets the project needs and which are set, or add one to the user config",
    positionals: "check | add <name>",
    flags: SECRETS_FLAGS,
    notes: [
      "check: exit 1 when a secret is missing or cannot be used (an unset variable); no value is printed",
      "add: creates the user config (and ~/.mxcp) when missing; keeps its comments, other projects and other secrets.",
      "  At a terminal without --set it asks for each credential (input not shown; Enter skips one). Otherwise the",
      "  credentials whose variables are set are kept as ${VAR} references; several with none chosen is refused",
    ],
    run: (pos, v) => secretsCommand(pos, v),
  }),
  login: defineCommand({
    summary: "Sign in to an API that needs a user's OAuth, and keep the refresh token in its secret",
    positionals: "<api>",
    flags: LOGIN_FLAGS,
    notes: [
      "Needs client_id (and client_secret for a confidential app) in the API's secret: mxcp-gen secrets add <api> --set client_id=…",
      "Prints the address to open; the browser comes back to http://127.0.0.1:<port>/callback. Nothing of the sign-in is printed",
    ],
    run: (pos, v) => loginCommand(pos, v),
  }),
  serve: defineCommand({
    summary: "Serve the project's tools, resources and prompts over MCP (stdio or streamable HTTP)",
    positionals: "",
    flags: SERVE_FLAGS,
    notes: ["HTTP bearer token: $MXCP_GEN_HTTP_TOKEN, else transport.http.token in the user config"],
    run: (_pos, v) => serveCommand(v),
  }),
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
    const parsed = parseCommandLine(command.flags, rest);
    values = parsed.values;
    if (values.help) {
      process.stdout.write(commandHelp(name, command) + "\n");
      return 0;
    }
    return await command.run(parsed.positionals, values as Parameters<CommandSpec["run"]>[1]);
  } catch (e) {
    const flags = { json: values.json === true, debug: values.debug === true };
    if (e instanceof Error && "code" in e && String((e as { code: unknown }).code).startsWith("ERR_PARSE_ARGS")) {
      const unknown = /Unknown option '(--?[^']+)'/.exec(e.message)?.[1];
      const known = Object.keys({ ...COMMON_FLAGS, ...command.flags }).map((o) => `--${o}`);
      const guess = unknown ? closest(unknown, known) : undefined;
      // Node's own advice about positionals starting with "-" only distracts from a mistyped flag.
      const said = e.message.replace(/\. To specify a positional argument[\s\S]*$/, "");
      printError(new CliError(`${said}${guess ? `. Did you mean '${guess}'?` : ""}\n\n${commandHelp(name, command)}`, 2), flags);
      return 2;
    }
    printError(e, flags);
    if (e instanceof CliError) return e.exitCode;
    return 1;
  }
}
