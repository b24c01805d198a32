import { AuthSettingsError, authSettings } from "../auth/auth-settings.js";
import type { HttpAuth } from "../auth/http-auth.js";
import { toErrorDict } from "../../runtime/errors.js";
import type { SandboxLimits } from "../surfaces/sandbox-limits.js";
import type { ResultStoreOptions } from "../results/result-store.js";
import { chooseSurface, DEFAULT_EXPOSE_THRESHOLD, EXPOSE_MODES, type ExposeMode, type Surface } from "../surfaces/surfaces.js";
import { redactText } from "../../runtime/redact.js";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { endpointError } from "../../project/endpoints.js";
import { runtimeState } from "../../runtime/state.js";
import { ProjectHost } from "../host.js";
import { existsSync } from "node:fs";
import { isAbsolute } from "node:path";
import { userConfigPath } from "../../project/user-config.js";
import type { McpHttpServer } from "./http-server.js";
import { LIST_BUDGET_BYTES, McpCatalog } from "./mcp-server.js";
import { reserveStdout } from "./stdio.js";

export type TransportName = "stdio" | "streamable-http";

export interface ServeOptions {
  transport?: TransportName | undefined;
  host?: string | undefined;
  port?: number | undefined;
  stateless?: boolean | undefined;
  profile?: string | undefined;
  cwd?: string | undefined;
  env?: NodeJS.ProcessEnv | undefined;
  /** Serve the valid endpoints even when others are broken. */
  ignoreErrors?: boolean | undefined;
  /** Allow a non-loopback HTTP bind without a token. */
  insecure?: boolean | undefined;
  /** Bearer token for HTTP; else MXCP_GEN_HTTP_TOKEN, else the user config's transport.http.token. */
  token?: string | undefined;
  maxBodyBytes?: number | undefined;
  /** HTTP: plain JSON answers instead of SSE streams (faster; no per-call notifications). */
  jsonResponse?: boolean | undefined;
  /** HTTP: /healthz, /readyz and /metrics answer without the token. */
  metricsPublic?: boolean | undefined;
  /** How long calls in flight may take to finish on shutdown. */
  gracePeriodMs?: number | undefined;
  /** HTTP: most sessions at once, and how long an unused one lives. */
  maxSessions?: number | undefined;
  sessionIdleMs?: number | undefined;
  /** Open DuckDB read-only (a second server beside one that writes). */
  readonly?: boolean | undefined;
  /** Fail API tools' answers that do not fit their declared types. */
  strictOutput?: boolean | undefined;
  /** Ask the user (elicitation) before a tool marked destructive runs; refuse where the client cannot ask. */
  confirmDestructive?: boolean | undefined;
  /** One of several replicas: session ids start with `<name>.` (a load balancer routes on them), files are its own. */
  replica?: string | undefined;
  /** HTTP: Host names accepted besides the bound address (the public name a proxy in front forwards). */
  allowHosts?: string[] | undefined;
  /** HTTP sign-in: the provider (none, oidc, keycloak) and issuer, over the user config's `auth`. */
  auth?: string | undefined;
  authIssuer?: string | undefined;
  /** The MCP endpoint as clients reach it (default: the user config's transport.http.base_url + /mcp, else the bound address). */
  publicUrl?: string | undefined;
  /** HTTP: browser origins allowed besides the server's own (the MCP Inspector's web UI). */
  allowOrigins?: string[] | undefined;
  /** Most text one tool result sends to the client (default 256 KiB). */
  maxResultBytes?: number | undefined;
  /** What tools/list shows: every tool, or the search or code surface (default `auto`, else $MXCP_GEN_EXPOSE). */
  expose?: ExposeMode | undefined;
  /** `auto` lists every tool up to this many (default 100). */
  exposeThreshold?: number | undefined;
  /** run_code's limits under the code surface. */
  codeLimits?: Partial<SandboxLimits> | undefined;
  /** Large results kept in DuckDB: threshold (0 = off), budget, keep after stopping. */
  results?: Partial<ResultStoreOptions> | undefined;
  /** Where start-up messages go (never stdout). */
  notice?: ((line: string) => void) | undefined;
}

export interface RunningServer {
  transport: TransportName;
  /** The HTTP endpoint, for streamable-http. */
  url?: string | undefined;
  toolCount: number;
  /** What tools/list shows. */
  surface: Surface;
  /** Stop accepting, let calls finish within the grace period, run onShutdown, close DuckDB. */
  stop(): Promise<void>;
}

/** `$MXCP_GEN_EXPOSE` as a mode; an unknown value is an error naming the choices. */
export function parseExpose(value: string | undefined): ExposeMode | undefined {
  if (value === undefined || value === "") return undefined;
  if ((EXPOSE_MODES as readonly string[]).includes(value)) return value as ExposeMode;
  throw new StartupError(`Unknown surface '${value}': choose one of ${EXPOSE_MODES.join(", ")}`);
}

export class StartupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "StartupError";
  }
}

/** Serve the project in `cwd` over MCP. Resolves once the server is accepting requests. */
export async function serveProject(opts: ServeOptions = {}): Promise<RunningServer> {
  const env = opts.env ?? process.env;
  const notice = opts.notice ?? ((line: string) => process.stderr.write(line + "\n"));
  const host = ProjectHost.load({ cwd: opts.cwd, profile: opts.profile, env, lazyHandlers: true, readonly: opts.readonly, replica: opts.replica, strictOutput: opts.strictOutput === true, confirmDestructive: opts.confirmDestructive === true, log: (level, message) => notice(`[${level}] ${message}`) });
  const transportName: TransportName = opts.transport ?? (host.project.userConfig.transport?.provider === "stdio" ? "stdio" : "streamable-http");
  // Reserve stdout before any project code loads, so nothing a handler prints reaches it.
  const stdout = transportName === "stdio" ? reserveStdout() : undefined;
  await startHost(host, opts, notice);
  const auditPath = host.enableAudit(transportName === "stdio" ? "stdio" : "http");
  if (auditPath) notice(`Audit log: ${auditPath}`);
  const toolCount = host.validEndpoints.filter((e) => e.kind === "tool").length;
  const exposeMode = opts.expose ?? parseExpose(env.MXCP_GEN_EXPOSE) ?? "auto";
  const chosen = chooseSurface(exposeMode, toolCount, opts.exposeThreshold ?? DEFAULT_EXPOSE_THRESHOLD);
  const catalog = new McpCatalog(host, { maxResultBytes: opts.maxResultBytes, surface: chosen.surface, sandbox: opts.codeLimits, results: opts.results });
  const connected = await connect(transportName, catalog, host, opts, env, stdout);
  const detach = keepServingOnStrayErrors(notice);
  const stop = stopper({ catalog, host, connected, stdout, grace: opts.gracePeriodMs ?? 10_000, notice, detach });
  announce(catalog, host, { transportName, url: connected.url, signIn: connected.http?.signIn, toolCount, chosen }, notice);
  return { transport: transportName, url: connected.url, toolCount: catalog.toolCount, surface: chosen.surface, stop };
}

/** Start the project's hooks; invalid endpoints stop the start, unless `--ignore-errors` (then they are skipped, said). */
async function startHost(host: ProjectHost, opts: ServeOptions, notice: (line: string) => void): Promise<void> {
  await host.start();
  const broken = host.endpoints.filter((e) => e.problems.length > 0);
  if (broken.length === 0) return;
  const list = broken.map((e) => endpointError(e)!).join("\n");
  if (!opts.ignoreErrors) {
    await host.shutdown();
    throw new StartupError(`${broken.length} invalid endpoint(s); fix them or pass --ignore-errors:\n${list}`);
  }
  notice(`Skipping ${broken.length} invalid endpoint(s):\n${list}`);
}

interface Connected {
  http?: McpHttpServer;
  stdio?: { close(): Promise<void> };
  url?: string;
}

/** The catalog on its transport: one server on stdin/stdout, or the HTTP server listening (flags over the user config). */
async function connect(transportName: TransportName, catalog: McpCatalog, host: ProjectHost, opts: ServeOptions, env: NodeJS.ProcessEnv, stdout: ReturnType<typeof reserveStdout> | undefined): Promise<Connected> {
  if (transportName === "stdio") {
    const server = catalog.createServer({ session: "stdio" });
    await server.connect(new StdioServerTransport(process.stdin, stdout));
    return { stdio: { close: () => server.close() } };
  }
  const userHttp = host.project.userConfig.transport?.http;
  const token = opts.token ?? env.MXCP_GEN_HTTP_TOKEN ?? userHttp?.token;
  try {
    const signIn = httpSignIn(host, opts, userHttp?.base_url);
    if (signIn && token) throw new Error("Both a static bearer token (MXCP_GEN_HTTP_TOKEN or transport.http.token) and OAuth sign-in (auth) are set: choose one");
    // The HTTP server's modules (the SDK's HTTP transport, Hono) load only when serving over HTTP.
    const [{ McpHttpServer }, { ServerMetrics }] = await Promise.all([import("./http-server.js"), import("../metrics.js")]);
    // Read when scraped, once the server below exists.
    const metrics = new ServerMetrics({ sessions: (): number => http.sessionCount, storedBytes: () => catalog.storedResultBytes });
    host.callObserver = (tool, ok, seconds) => metrics.call(tool, ok, seconds);
    runtimeState().observer = { upstreamAnswer: (api, status) => metrics.upstreamAnswer(api, status), cacheLookup: (api, hit) => metrics.cacheLookup(api, hit) };
    const http = new McpHttpServer(catalog, {
      metrics,
      metricsPublic: opts.metricsPublic,
      ready: () => databaseReady(host),
      host: opts.host ?? userHttp?.host ?? "127.0.0.1",
      port: opts.port ?? userHttp?.port ?? 8000,
      stateless: opts.stateless ?? userHttp?.stateless ?? false,
      token,
      insecure: opts.insecure ?? false,
      maxBodyBytes: opts.maxBodyBytes ?? 4 * 1024 * 1024,
      jsonResponse: opts.jsonResponse,
      maxSessions: opts.maxSessions,
      sessionIdleMs: opts.sessionIdleMs,
      allowOrigins: opts.allowOrigins,
      allowHosts: [...(opts.allowHosts ?? []), ...(signIn?.publicHost ? [signIn.publicHost] : [])],
      replica: host.project.replica,
      auth: signIn?.setUp,
    });
    return { http, url: await http.listen() };
  } catch (e) {
    await host.shutdown();
    throw new StartupError((e as Error).message);
  }
}

/**
 * OAuth sign-in over HTTP, when the profile's `auth` (or `--auth`) names an issuer: set up once the server knows
 * the address it listens at, since that (or the public URL) is the resource its tokens must name.
 */
function httpSignIn(host: ProjectHost, opts: ServeOptions, baseUrl: string | undefined): { setUp: (listeningAt: string) => Promise<HttpAuth>; publicHost?: string } | undefined {
  let settings;
  try {
    settings = authSettings(host.project.userProfile?.auth, { provider: opts.auth, issuer: opts.authIssuer });
  } catch (e) {
    if (e instanceof AuthSettingsError) throw new Error(e.message);
    throw e;
  }
  if (!settings) return undefined;
  const configured = opts.publicUrl ?? (baseUrl ? `${baseUrl.replace(/\/$/, "")}/mcp` : undefined);
  let publicHost: string | undefined;
  if (configured) {
    try {
      publicHost = new URL(configured).host;
    } catch {
      throw new Error(`The public URL '${configured}' is not a URL`);
    }
  }
  const found = settings;
  return {
    ...(publicHost ? { publicHost } : {}),
    setUp: async (listeningAt) => {
      const resource = configured ?? listeningAt;
      const resourceName = `mxcp-gen: ${host.project.site.project}`;
      if (found.mode === "proxy") {
        const { proxySignIn } = await import("../auth/proxy-sign-in.js");
        const p = host.project;
        return proxySignIn(found, { resource, resourceName, serverName: p.site.project, root: p.root, profile: p.profile, replica: p.replica });
      }
      const { discoverIssuer, IssuerTokenVerifier } = await import("../auth/token-verifier.js");
      const metadata = await discoverIssuer(found.issuer);
      const verifier = new IssuerTokenVerifier({ issuer: found.issuer, resource, metadata, clientId: found.clientId, clientSecret: found.clientSecret, provider: found.provider });
      return { verifier, metadata, resource, requiredScopes: found.requiredScopes, resourceName, summary: `Sign-in: access tokens from ${found.issuer}, issued for ${resource}` };
    },
  };
}

/**
 * Whether the project's database can be used: not opened yet is fine (it opens on first use); once open it must
 * answer a trivial query within a second.
 */
async function databaseReady(host: ProjectHost): Promise<{ ready: boolean; database: string }> {
  if (!host.database.isOpen) return { ready: true, database: "opens on first use" };
  const answered = await Promise.race([
    host.database.execute("SELECT 1 AS ok").then(
      () => true,
      () => false,
    ),
    new Promise<false>((r) => setTimeout(() => r(false), 1000).unref()),
  ]);
  return answered ? { ready: true, database: "ok" } : { ready: false, database: "does not answer" };
}

/** A handler's stray timer or forgotten promise must not end the server for every other call. Returns the undo. */
function keepServingOnStrayErrors(notice: (line: string) => void): () => void {
  const stray = (kind: string) => (e: unknown) => {
    const err = toErrorDict(e);
    notice(`[error] ${kind} in a handler, ignored so the server keeps serving: ${redactText(err.message)}`);
  };
  const onException = stray("uncaught exception");
  const onRejection = stray("unhandled rejection");
  process.on("uncaughtException", onException);
  process.on("unhandledRejection", onRejection);
  return () => {
    process.off("uncaughtException", onException);
    process.off("unhandledRejection", onRejection);
  };
}

/**
 * The server's stop, once however often it is asked: stop accepting, let calls finish within the grace period
 * (then interrupt what still runs), close the transports, drop stored results, run onShutdown.
 */
function stopper(s: { catalog: McpCatalog; host: ProjectHost; connected: Connected; stdout: ReturnType<typeof reserveStdout> | undefined; grace: number; notice: (line: string) => void; detach: () => void }): () => Promise<void> {
  const { catalog, host, connected, stdout, grace, notice } = s;
  const { http, stdio } = connected;
  let stopping: Promise<void> | undefined;
  return () => {
    stopping ??= (async () => {
      s.detach();
      catalog.stopping = true;
      http?.beginDrain();
      const deadline = Date.now() + grace;
      let drained = await runtimeState().gate.drain(undefined, grace);
      // A finished call's response is written after its handler returns; let it reach the client.
      if (http) drained = (await http.whenIdle(Math.max(0, deadline - Date.now()))) && drained;
      if (stdout) await flushed(stdout);
      if (!drained) {
        // Stopping means stopping: every statement still running (the model's SQL, a project query) is interrupted.
        notice(`[warning] calls still running after ${grace} ms; interrupting them and stopping`);
        await catalog.close().catch(() => undefined);
        host.database.interruptRunning();
        // The interrupted calls answer their callers ("stopped") before the connections close.
        await runtimeState().gate.drain(undefined, 2000);
        if (http) await http.whenIdle(2000);
        if (stdout) await flushed(stdout);
      }
      await http?.close();
      await stdio?.close();
      await catalog.close().catch((e: unknown) => notice(`[warning] could not drop stored results: ${(e as Error).message}`));
      await host.shutdown();
    })();
    return stopping;
  };
}

/** The start-up lines: what is served where, the surface and why, the listing's size when it was trimmed. */
function announce(catalog: McpCatalog, host: ProjectHost, at: { transportName: TransportName; url: string | undefined; signIn: string | undefined; toolCount: number; chosen: ReturnType<typeof chooseSurface> }, notice: (line: string) => void): void {
  const { transportName, url, toolCount, chosen } = at;
  // The project's tools, as the surface line counts them; the result store's own tool is named apart.
  const tools = `${toolCount} tools${catalog.queryResultsServed ? ", and query_results for stored results" : ""}`;
  notice(`mxcp-gen serving ${catalog.projectName} (${host.project.profile}) over ${transportName}${url ? ` at ${url}` : ""}: ${tools}`);
  if (at.signIn) notice(at.signIn);
  notice(
    chosen.surface === "all"
      ? `Surface: all (${chosen.reason}): every tool is listed`
      : `Surface: ${chosen.surface} (${chosen.reason}): tools/list shows ${catalog.surfaces.listing().map((t) => t.name).join(", ")}; their search index is built after the first listing`,
  );
  if (chosen.surface === "all" && catalog.listingLevel > 0) {
    // Say what was achieved, not what was aimed at: the trimmed listing can still be over the budget.
    const bytes = Buffer.byteLength(JSON.stringify({ tools: catalog.tools }));
    const cap = catalog.descriptionCap;
    const descriptions = cap === undefined ? "descriptions whole" : cap === 0 ? "descriptions cut to their first paragraph" : `descriptions cut at ${cap} characters, never below their first paragraph`;
    const how = catalog.listingLevel === 1 ? "output schemas one level deep" : `output schemas as bare types, ${descriptions}`;
    notice(`tools/list is ${bytes} bytes (${how}; ${bytes > LIST_BUDGET_BYTES ? `still over the ${LIST_BUDGET_BYTES}-byte budget: consider --expose search` : `within the ${LIST_BUDGET_BYTES}-byte budget`})`);
  }
  // A config named by MXCP_CONFIG that is not there is no config: every secret is missing, and each tool would
  // only say "Missing credentials". A relative path is read from the server's folder, which a client chooses.
  const named = host.project.env.MXCP_CONFIG;
  if (named !== undefined && !existsSync(userConfigPath(host.project.env))) {
    notice(`[warning] MXCP_CONFIG names ${named}, which does not exist${isAbsolute(named) ? "" : ` (a relative path is read from ${process.cwd()})`}: no secrets are loaded; give the config's absolute path`);
  }
  // Said once here, and again by each tool that needs the secret when it is called.
  for (const secret of host.project.userProfile?.secrets ?? []) {
    if (secret.unresolved) notice(`[warning] the '${secret.name}' secret cannot be used until this is fixed, and the tools that need it answer "Secret not set": ${secret.unresolved}`);
  }
  notice("A client's entry for this project: mxcp-gen serve --print-config claude|cursor|vscode|claude-code (or --install claude)");
}

async function flushed(stream: NodeJS.WritableStream & { writableLength: number }): Promise<void> {
  await new Promise((r) => setImmediate(r));
  if (stream.writableLength > 0) await new Promise((r) => stream.once("drain", r));
}

