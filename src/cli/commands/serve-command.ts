import { loadProject } from "../../project/project.js";
import { parseExpose, serveProject, type TransportName } from "../../server/mcp/serve.js";
import { claudeDesktopConfigPath, clientConfig, CLIENTS, installClaudeDesktop, serverEntry, type ClientName } from "../client-configs.js";
import type { ExposeMode } from "../../server/surfaces/surfaces.js";
import { CliError } from "../output.js";
import type { ServeValues } from "../command-flags.js";
import { isPlaceholder } from "../../project/interpolate.js";

function positiveNumber(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) throw new CliError(`--${flag} must be a non-negative number, got '${value}'`, 2);
  return n;
}

/** `mxcp-gen serve`: runs until SIGINT/SIGTERM (or stdin closes, on stdio), then shuts down cleanly with exit 0. */
export async function serveCommand(flags: ServeValues): Promise<number> {
  let expose: ExposeMode | undefined;
  try {
    expose = parseExpose(flags.expose);
  } catch (e) {
    throw new CliError(`--expose: ${(e as Error).message}`, 2);
  }
  if (flags.printConfig !== undefined || flags.install !== undefined) {
    const client = flags.printConfig ?? flags.install!;
    if (!(CLIENTS as readonly string[]).includes(client)) throw new CliError(`--print-config takes ${CLIENTS.join(", ")}, got '${client}'`, 2);
    if (flags.install !== undefined && flags.install !== "claude") throw new CliError(`--install supports 'claude' (Claude Desktop); for ${flags.install}, print its entry with --print-config ${flags.install}`, 2);
    const env = { ...process.env };
    const project = loadProject({ cwd: flags.dir, profile: flags.profile, env });
    const entry = serverEntry(project, { profile: flags.profile, expose, withValues: flags.withEnvValues, env });
    if (flags.install !== undefined) {
      const done = installClaudeDesktop(entry, claudeDesktopConfigPath(env));
      const unset = Object.entries(entry.env).filter(([, v]) => isPlaceholder(v)).map(([k]) => k);
      process.stderr.write(
        `${done.replaced ? "Replaced" : "Added"} '${entry.name}' in ${done.path}${done.backup ? ` (backup: ${done.backup})` : ""}; restart Claude Desktop.\n` +
          (unset.length > 0 ? `Fill in ${unset.join(", ")} in its "env" there (or run again with --with-env-values).\n` : ""),
      );
      return 0;
    }
    process.stdout.write(clientConfig(client as ClientName, entry) + "\n");
    return 0;
  }
  const scaled = (flag: string, value: string | undefined, unit: number) => {
    const n = positiveNumber(flag, value);
    return n === undefined ? undefined : n * unit;
  };
  const codeLimits = Object.fromEntries(
    Object.entries({
      timeMs: scaled("code-timeout", flags.codeTimeout, 1000),
      memoryBytes: scaled("code-memory", flags.codeMemory, 1024 * 1024),
      stackBytes: scaled("code-stack", flags.codeStack, 1024),
      maxCalls: positiveNumber("code-max-calls", flags.codeMaxCalls),
      maxOutputBytes: positiveNumber("code-max-output", flags.codeMaxOutput),
    }).filter(([, v]) => v !== undefined),
  );
  if (flags.transport !== undefined && flags.transport !== "stdio" && flags.transport !== "streamable-http") {
    throw new CliError(`--transport must be stdio or streamable-http, got '${flags.transport}'`, 2);
  }
  const port = positiveNumber("port", flags.port);
  const running = await serveProject({
    transport: flags.transport as TransportName | undefined,
    host: flags.host,
    port,
    stateless: flags.stateless || undefined,
    jsonResponse: flags.jsonResponse || undefined,
    metricsPublic: flags.metricsPublic || undefined,
    profile: flags.profile,
    cwd: flags.dir,
    ignoreErrors: flags.ignoreErrors,
    insecure: flags.insecure,
    maxBodyBytes: positiveNumber("max-body-size", flags.maxBodySize),
    gracePeriodMs: (positiveNumber("grace-period", flags.gracePeriod) ?? 10) * 1000,
    maxSessions: positiveNumber("max-sessions", flags.maxSessions),
    sessionIdleMs: flags.sessionIdle === undefined ? undefined : positiveNumber("session-idle", flags.sessionIdle)! * 1000,
    readonly: flags.readonly,
    strictOutput: flags.strictOutput,
    confirmDestructive: flags.confirmDestructive,
    replica: flags.replica,
    allowHosts: flags.allowHost,
    auth: flags.auth,
    authIssuer: flags.authIssuer,
    publicUrl: flags.publicUrl,
    allowOrigins: flags.allowOrigin.map((o) => {
      let url: URL;
      try {
        url = new URL(o);
      } catch {
        throw new CliError(`--allow-origin takes an origin such as http://localhost:6274, not '${o}'`, 2);
      }
      if ((url.protocol !== "http:" && url.protocol !== "https:") || url.origin !== o.replace(/\/$/, "")) throw new CliError(`--allow-origin takes an origin (scheme, host and port only) such as http://localhost:6274, not '${o}'`, 2);
      return url.origin;
    }),
    maxResultBytes: positiveNumber("max-result-bytes", flags.maxResultBytes),
    expose,
    exposeThreshold: positiveNumber("expose-threshold", flags.exposeThreshold),
    codeLimits,
    results: Object.fromEntries(
      Object.entries({
        thresholdBytes: positiveNumber("store-results-over", flags.storeResultsOver),
        budgetBytes: positiveNumber("results-budget", flags.resultsBudget),
        keep: flags.keepResults || undefined,
        queryTimeoutMs: scaled("sql-timeout", flags.sqlTimeout, 1000),
        memoryBytes: scaled("sql-memory", flags.sqlMemory, 1024 * 1024),
      }).filter(([, v]) => v !== undefined),
    ),
  });
  return new Promise<number>((resolve) => {
    const shutdown = (why: string) => {
      process.stderr.write(`mxcp-gen: ${why}, shutting down\n`);
      running.stop().then(
        () => resolve(0),
        (e: unknown) => {
          process.stderr.write(`Error during shutdown: ${(e as Error)?.message ?? e}\n`);
          resolve(1);
        },
      );
    };
    process.once("SIGINT", () => shutdown("SIGINT"));
    process.once("SIGTERM", () => shutdown("SIGTERM"));
    if (running.transport === "stdio") process.stdin.once("end", () => shutdown("stdin closed"));
  });
}
