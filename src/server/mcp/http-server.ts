import { portHolder } from "./port-holder.js";
import { readCapped } from "../../runtime/http/capped-read.js";
import { randomUUID, timingSafeEqual } from "node:crypto";
import { createServer, type IncomingMessage, type Server as HttpServer, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
import { isInitializeRequest } from "@modelcontextprotocol/sdk/types.js";
import type { McpCatalog } from "./mcp-server.js";
import { DEFAULT_EVENT_LIMITS, EventBudget, RECONNECT_AFTER_MS, SessionEventStore } from "./session-events.js";
import type { AuthInfo } from "@modelcontextprotocol/sdk/server/auth/types.js";
import type { HttpAuth, HttpAuthGate } from "../auth/http-auth.js";
import { ownerOf } from "../auth/auth-user.js";
import type { ServerMetrics } from "../metrics.js";

export interface HttpOptions {
  host: string;
  port: number;
  stateless: boolean;
  /** When set, every request needs `Authorization: Bearer <token>`. */
  token?: string | undefined;
  /** Allow a non-loopback bind without a token. */
  insecure: boolean;
  /** Largest accepted request body, in bytes (413 above). */
  maxBodyBytes: number;
  /**
   * Answer each request with plain JSON instead of an SSE stream: less latency per call, but a call's
   * progress and log notifications are not delivered (the SDK's JSON mode drops them).
   */
  jsonResponse?: boolean | undefined;
  /** Most sessions at once (default 1,000); an initialize beyond it gets 503. */
  maxSessions?: number | undefined;
  /** A session unused this long is closed (default 30 minutes). */
  sessionIdleMs?: number | undefined;
  /**
   * Browser origins allowed besides the server's own (`http://localhost:6274`, the MCP Inspector's web UI):
   * exact scheme, host and port; a loopback origin on another port stays refused unless named here.
   */
  allowOrigins?: string[] | undefined;
  /** Host header values accepted besides the bound address (`host` or `host:port`): the name a proxy forwards. */
  allowHosts?: string[] | undefined;
  /** This server is one replica of several: its session ids start with `<replica>.`, so a proxy can route on them. */
  replica?: string | undefined;
  /**
   * OAuth: given the MCP URL the server listens at, how tokens are checked (the issuer, this server's public URL).
   * Until it is ready every request is refused; with it, the static token is not used.
   */
  auth?: ((listeningAt: string) => Promise<HttpAuth>) | undefined;
  /** What /metrics reports; without it /metrics is 404. */
  metrics?: ServerMetrics | undefined;
  /** /healthz, /readyz and /metrics answer without the token (for probes and scrapers that cannot send one). */
  metricsPublic?: boolean | undefined;
  /** Whether the project is ready for calls beyond not draining (its database usable). */
  ready?: (() => Promise<{ ready: boolean; database: string }>) | undefined;
}

/** The operator's endpoints, off the MCP path. */
const OPERATOR_PATHS = new Set(["/healthz", "/readyz", "/metrics"]);

export const DEFAULT_MAX_SESSIONS = 1000;
export const DEFAULT_SESSION_IDLE_MS = 30 * 60_000;

const LOOPBACK = new Set(["127.0.0.1", "localhost", "::1", "[::1]"]);

export function isLoopback(host: string): boolean {
  return LOOPBACK.has(host) || /^127\.\d+\.\d+\.\d+$/.test(host);
}

interface Session {
  transport: StreamableHTTPServerTransport;
  events: SessionEventStore;
  /** The signed-in user who started it (OAuth); another user's requests never reach it. */
  owner: string | undefined;
  close(): Promise<void>;
  lastUsed: number;
}

/**
 * Streamable HTTP at `/mcp`: Host and Origin checked against DNS rebinding (403), an optional bearer
 * token (401), a body limit (413), stateful sessions or a fresh server and transport per request.
 */
export class McpHttpServer {
  private readonly catalog: McpCatalog;
  private readonly options: HttpOptions;
  private readonly http: HttpServer;
  private readonly sessions = new Map<string, Session>();
  private allowedHosts = new Set<string>();
  /** POST requests not yet answered: their responses must go out before shutdown closes anything. */
  private pendingPosts = 0;
  private idleWaiters: (() => void)[] = [];
  private readonly sweeper: NodeJS.Timeout;
  /** Shutting down: /readyz says 503 and no new session starts, while calls in flight finish. */
  private draining = false;
  /** What every session's resumable events may hold together. */
  private readonly eventBudget = new EventBudget();
  /** OAuth, once set up at listen. */
  private gate: HttpAuthGate | undefined;

  constructor(catalog: McpCatalog, options: HttpOptions) {
    if (!isLoopback(options.host) && !options.token && !options.auth && !options.insecure) {
      throw new Error(
        `Refusing to serve on ${options.host} without a token: set MXCP_GEN_HTTP_TOKEN (or transport.http.token in the user config), or pass --insecure`,
      );
    }
    this.catalog = catalog;
    this.options = options;
    this.http = createServer((req, res) => {
      if (req.method === "POST") {
        this.pendingPosts++;
        res.once("close", () => {
          this.pendingPosts--;
          if (this.pendingPosts === 0) this.idleWaiters.splice(0).forEach((w) => w());
        });
      }
      this.handle(req, res).catch((e: unknown) => {
        if (!res.headersSent) reply(res, 500, `Internal error: ${(e as Error)?.message ?? e}`);
        else res.end();
      });
    });
    const idle = options.sessionIdleMs ?? DEFAULT_SESSION_IDLE_MS;
    this.sweeper = setInterval(() => this.expireIdle(idle), Math.min(60_000, Math.max(50, idle / 4)));
    this.sweeper.unref();
  }

  /** Close sessions nobody has used for `idleMs` (their memory would otherwise grow without end). */
  private expireIdle(idleMs: number): void {
    const now = Date.now();
    for (const [id, s] of this.sessions) {
      if (now - s.lastUsed < idleMs) continue;
      this.forget(id);
      void s.close().catch(() => undefined);
    }
  }

  /** A session is gone: its entry and whatever it stored. */
  private forget(id: string): void {
    this.sessions.get(id)?.events.release();
    this.sessions.delete(id);
    void this.catalog.sessionClosed(id).catch(() => undefined);
  }

  /** Who signs users in, once listening (the operator's line at start). */
  get signIn(): string | undefined {
    return this.gate?.summary;
  }

  get sessionCount(): number {
    return this.sessions.size;
  }

  /** Start listening; resolves with the URL of the MCP endpoint. */
  async listen(): Promise<string> {
    await new Promise<void>((resolve, reject) => {
      this.http.once("error", (e: NodeJS.ErrnoException) => reject(e.code === "EADDRINUSE" ? new Error(portInUse(this.options.host, this.options.port)) : e));
      this.http.listen(this.options.port, this.options.host, () => resolve());
    });
    const port = (this.http.address() as AddressInfo).port;
    const names = isLoopback(this.options.host) ? ["127.0.0.1", "localhost", "[::1]"] : [this.options.host];
    this.allowedHosts = new Set([...names.map((h) => `${h}:${port}`), ...(this.options.allowHosts ?? []).map((h) => h.toLowerCase())]);
    const shown = this.options.host.includes(":") ? `[${this.options.host}]` : this.options.host;
    const url = `http://${shown}:${port}/mcp`;
    if (this.options.auth) {
      try {
        // Express and the SDK's auth modules load only for a server that signs users in.
        const [{ HttpAuthGate }, auth] = await Promise.all([import("../auth/http-auth.js"), this.options.auth(url)]);
        this.gate = new HttpAuthGate(auth);
      } catch (e) {
        await this.close();
        throw e;
      }
    }
    return url;
  }

  /**
   * Begin a shutdown: /readyz answers 503 (a load balancer stops sending work), a new session is refused with 503,
   * and the listener stays open so probes and the calls in flight are still answered until `close`.
   */
  beginDrain(): void {
    this.draining = true;
  }

  /** Wait until every POST in progress has been answered, or `timeoutMs` passes. */
  async whenIdle(timeoutMs: number): Promise<boolean> {
    if (this.pendingPosts === 0) return true;
    return new Promise((resolve) => {
      const t = setTimeout(() => resolve(false), timeoutMs);
      this.idleWaiters.push(() => {
        clearTimeout(t);
        resolve(true);
      });
    });
  }

  /** Close every session and connection. */
  async close(): Promise<void> {
    clearInterval(this.sweeper);
    this.http.close();
    await Promise.all([...this.sessions.values()].map((s) => s.close().catch(() => undefined)));
    this.sessions.clear();
    this.http.closeAllConnections();
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://placeholder");
    // Set up at listen: until then nothing is answered as if no sign-in were needed.
    if (this.options.auth && !this.gate) return reply(res, 503, "Service unavailable: sign-in is being set up");
    if (OPERATOR_PATHS.has(url.pathname)) return this.operator(url.pathname, req, res);
    if (this.gate?.answers(url.pathname)) return this.gate.answer(req, res);
    if (url.pathname !== "/mcp") return reply(res, 404, "Not found: the MCP endpoint is /mcp");
    const host = req.headers.host ?? "";
    if (!this.allowedHosts.has(host.toLowerCase())) return reply(res, 403, "Forbidden: Host not allowed");
    const origin = req.headers.origin;
    if (origin !== undefined && !this.originAllowed(origin)) return reply(res, 403, "Forbidden: Origin not allowed");
    let owner: string | undefined;
    if (this.gate) {
      const auth = await this.gate.authenticate(req, res);
      if (!auth) return;
      // The SDK's transport hands this to every request handler (extra.authInfo): the user of each call.
      (req as IncomingMessage & { auth?: AuthInfo }).auth = auth;
      owner = ownerOf(auth);
    } else if (this.options.token && !tokenMatches(req.headers.authorization, this.options.token)) {
      res.setHeader("WWW-Authenticate", 'Bearer realm="mxcp-gen"');
      return reply(res, 401, "Unauthorized: a valid bearer token is required");
    }
    const declared = Number(req.headers["content-length"] ?? 0);
    if (declared > this.options.maxBodyBytes) return reply(res, 413, `Request body over ${this.options.maxBodyBytes} bytes`);

    if (this.options.stateless) return this.handleStateless(req, res);

    const sessionId = req.headers["mcp-session-id"];
    if (typeof sessionId === "string") {
      const session = this.sessions.get(sessionId);
      // Another user's session is answered as no session at all: nothing says it exists.
      if (!session || session.owner !== owner) return reply(res, 404, "Unknown or expired session");
      session.lastUsed = Date.now();
      return session.transport.handleRequest(req, res);
    }
    if (req.method !== "POST") return reply(res, 400, "Missing mcp-session-id header");
    if (this.draining) {
      res.setHeader("Retry-After", "1");
      return reply(res, 503, "Service unavailable: this server is shutting down; start the session on another");
    }
    const body = await readJson(req, this.options.maxBodyBytes);
    if (body === TOO_LARGE) return reply(res, 413, `Request body over ${this.options.maxBodyBytes} bytes`);
    if (body === INVALID) return replyJsonRpcError(res, 400, -32700, "Parse error");
    if (!isInitializeRequest(body)) return replyJsonRpcError(res, 400, -32000, "Bad Request: no session; send initialize first");
    const max = this.options.maxSessions ?? DEFAULT_MAX_SESSIONS;
    if (this.sessions.size >= max) {
      this.expireIdle(this.options.sessionIdleMs ?? DEFAULT_SESSION_IDLE_MS);
      if (this.sessions.size >= max) {
        res.setHeader("Retry-After", "60");
        return reply(res, 503, `Service unavailable: the server holds its maximum of ${max} sessions; close one (DELETE /mcp) or try again later (serve --max-sessions raises the limit)`);
      }
    }
    const server = this.catalog.createServer();
    const events = new SessionEventStore(DEFAULT_EVENT_LIMITS, this.eventBudget);
    const transport: StreamableHTTPServerTransport = new StreamableHTTPServerTransport({
      sessionIdGenerator: () => (this.options.replica ? `${this.options.replica}.${randomUUID()}` : randomUUID()),
      maxRequestBodySize: this.options.maxBodyBytes,
      enableJsonResponse: this.options.jsonResponse === true,
      // A dropped stream can be resumed: the session keeps its recent events, and clients are told when to reconnect.
      eventStore: events,
      retryInterval: RECONNECT_AFTER_MS,
      onsessioninitialized: (id) => {
        this.sessions.set(id, { transport, events, owner, close: () => server.close(), lastUsed: Date.now() });
      },
      onsessionclosed: (id) => this.forget(id),
    });
    transport.onclose = () => {
      if (transport.sessionId) this.forget(transport.sessionId);
    };
    await server.connect(transport);
    await transport.handleRequest(req, res, body);
  }

  /**
   * /healthz (the process answers), /readyz (ready for calls: 503 while draining or when the project's database
   * cannot be used) and /metrics (Prometheus text). No Host check: they hold no data a rebinding page could read
   * without the token, and probes send the address they dialled. The token is checked unless --metrics-public.
   */
  private async operator(path: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (req.method !== "GET" && req.method !== "HEAD") {
      res.setHeader("Allow", "GET, HEAD");
      return reply(res, 405, "Method not allowed: use GET");
    }
    if (!this.options.metricsPublic) {
      if (this.gate) {
        if (!(await this.gate.authenticate(req, res))) return;
      } else if (this.options.token && !tokenMatches(req.headers.authorization, this.options.token)) {
        res.setHeader("WWW-Authenticate", 'Bearer realm="mxcp-gen"');
        return reply(res, 401, "Unauthorized: a valid bearer token is required (or serve --metrics-public)");
      }
    }
    res.setHeader("Cache-Control", "no-store");
    if (path === "/healthz") return replyJson(res, 200, { status: "alive" });
    if (path === "/readyz") {
      const project = this.draining ? { ready: false, database: "not checked" } : ((await this.options.ready?.()) ?? { ready: true, database: "not checked" });
      const ready = !this.draining && project.ready;
      return replyJson(res, ready ? 200 : 503, { ready, draining: this.draining, database: project.database, sessions: this.sessions.size, ...(this.options.replica ? { replica: this.options.replica } : {}) });
    }
    if (!this.options.metrics) return reply(res, 404, "Not found: metrics are off");
    const text = await this.options.metrics.text();
    res.writeHead(200, { "content-type": this.options.metrics.contentType }).end(req.method === "HEAD" ? undefined : text);
  }

  private async handleStateless(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (req.method !== "POST") return reply(res, 405, "Method not allowed in stateless mode");
    if (this.draining) {
      res.setHeader("Retry-After", "1");
      return reply(res, 503, "Service unavailable: this server is shutting down; send the request to another");
    }
    // A fresh server and transport per request: nothing is shared between clients.
    const server = this.catalog.createServer();
    const transport = new StreamableHTTPServerTransport({
      sessionIdGenerator: undefined,
      maxRequestBodySize: this.options.maxBodyBytes,
      enableJsonResponse: this.options.jsonResponse === true,
    });
    res.on("close", () => {
      void transport.close();
      void server.close();
    });
    await server.connect(transport);
    await transport.handleRequest(req, res);
  }

  private originAllowed(origin: string): boolean {
    try {
      const u = new URL(origin);
      if ((this.options.allowOrigins ?? []).some((o) => new URL(o).origin === u.origin)) return true;
      return (u.protocol === "http:" || u.protocol === "https:") && this.allowedHosts.has(u.host.toLowerCase());
    } catch {
      return false;
    }
  }
}

const TOO_LARGE = Symbol("too large");
const INVALID = Symbol("invalid");

async function readJson(req: IncomingMessage, max: number): Promise<unknown> {
  const bytes = await readCapped(req, max);
  if (!bytes) return TOO_LARGE;
  try {
    return JSON.parse(Buffer.from(bytes).toString("utf8"));
  } catch {
    return INVALID;
  }
}

function tokenMatches(header: string | undefined, token: string): boolean {
  const m = /^Bearer\s+(.+)$/i.exec(header ?? "");
  if (!m) return false;
  const given = Buffer.from(m[1]!.trim());
  const want = Buffer.from(token);
  return given.length === want.length && timingSafeEqual(given, want);
}

function reply(res: ServerResponse, status: number, message: string): void {
  res.writeHead(status, { "content-type": "text/plain; charset=utf-8" }).end(message + "\n");
}

function replyJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
}

function replyJsonRpcError(res: ServerResponse, status: number, code: number, message: string): void {
  res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify({ jsonrpc: "2.0", error: { code, message }, id: null }));
}

function portInUse(host: string, port: number): string {
  const holder = portHolder(port);
  return `Port ${port} on ${host} is already in use${holder ? ` by ${holder}` : ""}: serve on another with --port N (--port 0 picks a free one), or stop that process`;
}
