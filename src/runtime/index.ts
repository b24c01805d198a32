// What handlers import: `import { db, config, onInit } from "mxcp-gen/runtime"`.
// This module must stay free of generator code (ts-morph, handlebars, openapi-typescript).
import type { ReloadOptions, ReloadResult } from "./database.js";
import { redactText } from "./redact.js";
import { runtimeState, type ElicitAnswer, type ElicitSchema, type Hook, type LogLevel, type McpReporter, type SampleRequest, type SampleResult, type UserContext } from "./state.js";

export { definePlugin, plugins, type PluginDefinition, type PluginFunction, type SqlTypeName } from "./plugins.js";
export { isErrorObject, toErrorDict, type ErrorObject } from "./errors.js";
export type { ReloadContext, ReloadOptions, ReloadResult } from "./database.js";
export type { ElicitAnswer, ElicitSchema, LogLevel, SampleMessage, SampleRequest, SampleResult, UserContext } from "./state.js";
export { content, type Bytes, type ContentBlock, type ContentResult } from "./content.js";
export { config } from "./config.js";
export { ApiClient, DEFAULT_LIMITS, type BinaryResult, type ClientLimits } from "./http/client.js";
export type * from "./http/types.js";
export type { FileArgument } from "./http/serialize.js";
export { cachedRead, pagedResult, writeThrough, type SdkCachePolicy } from "./sdk-calls.js";
export { compact, constructorArguments, constructorOf, envValue, hostOf, libraryNotInstalled, redactSecrets, sdkErrorToDict, toPlain, urlParts, usesHttps, withPathSuffix, type SdkClient, type SdkConstructor } from "./sdk.js";
export { CallerClients, type Made } from "./caller-clients.js";
export { namesCaller } from "./caller-token.js";

export const db = {
  /** Run SQL with `$name` parameters on the project's DuckDB; rows come back as plain objects. */
  async execute(sql: string, params: Record<string, unknown> = {}): Promise<Record<string, unknown>[]> {
    const database = runtimeState().database;
    if (!database) throw new Error("No database: the runtime is not attached to an MXCP project (use mxcp-gen run or serve)");
    return database.execute(sql, params);
  },
};

/** Run `hook` once the project is loaded, before the first call; hooks run in registration order. */
export function onInit(hook: Hook): void {
  const s = runtimeState();
  s.initHooks.push(hook);
  if (s.initDone) {
    // Registered by a module loaded after start-up: it runs after every hook registered before it, each
    // awaited in turn, as at start-up; the call that loaded the module waits for the chain.
    s.lateInit = s.lateInit.then(async () => {
      try {
        await hook();
      } catch (e) {
        s.log("error", `init hook ${hook.name || "(anonymous)"} failed: ${(e as Error)?.message ?? String(e)}`);
      }
    });
  }
}

/** Run `hook` when the server stops; a failing hook is logged and the next one still runs. */
export function onShutdown(hook: Hook): void {
  runtimeState().shutdownHooks.push(hook);
}

/**
 * Reload the database: hold new calls, let calls in flight finish, close DuckDB, run `payload`
 * with the file to itself, reopen, then let the held calls run. A failing payload restores the
 * previous file; the result says what happened. It never rejects for a payload failure.
 */
export async function reloadDuckdb(options: ReloadOptions = {}): Promise<ReloadResult> {
  const s = runtimeState();
  if (!s.database) throw new Error("No database: the runtime is not attached to an MXCP project");
  const db = s.database;
  const callId = s.calls.getStore()?.callId;
  // One reload at a time. A call waiting for another reload leaves the gate first, so that reload's
  // drain does not wait for it (two reloading calls would otherwise wait on each other).
  if (callId !== undefined) s.gate.leave(callId);
  const previous = reloadChain;
  let done!: () => void;
  reloadChain = new Promise<void>((r) => (done = r));
  await previous;
  const release = s.gate.close();
  try {
    const timeout = options.drainTimeoutMs ?? 90_000;
    const started = Date.now();
    const drained = await s.gate.drain(callId, timeout);
    if (!drained) s.log("warning", `reload: calls still running after ${timeout} ms; interrupting their queries and reloading`);
    const result = await db.reload({ ...options, drainTimeoutMs: Math.max(0, timeout - (Date.now() - started)) });
    if (!result.ok) s.log("error", `reload${result.description ? ` (${result.description})` : ""} failed, previous database restored: ${result.error}`);
    return result;
  } finally {
    release();
    if (callId !== undefined) s.gate.rejoin(callId);
    done();
  }
}

let reloadChain: Promise<void> = Promise.resolve();

/** The user behind the current call, or null (no authentication, or outside a call). */
export function getUserContext(): UserContext | null {
  return runtimeState().calls.getStore()?.user ?? null;
}

async function report(level: LogLevel, message: string): Promise<void> {
  const s = runtimeState();
  const mcp = s.calls.getStore()?.mcp;
  const clean = redactText(message);
  if (mcp) await mcp.log(level, clean);
  else s.log(level, clean);
}

/** The MCP client of the current call; outside a call from an MCP client (run, test), what needs one fails saying so. */
function client(what: string): McpReporter {
  const mcp = runtimeState().calls.getStore()?.mcp;
  if (!mcp) throw new McpUnavailableError(`${what} needs an MCP client: it works in a call made through mxcp-gen serve, not in run or test`);
  return mcp;
}

/** Thrown by `mcp.sample` and `mcp.elicit` outside a call from an MCP client. */
export class McpUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "MCP client unavailable";
  }
}

/** Logging, progress, sampling and elicitation with the MCP client of the current call (logs go to stderr outside MCP). */
export const mcp = {
  debug: (message: string) => report("debug", message),
  info: (message: string) => report("info", message),
  warning: (message: string) => report("warning", message),
  error: (message: string) => report("error", message),
  log: (level: LogLevel, message: string) => report(level, message),
  async progress(progress: number, total?: number, message?: string): Promise<void> {
    await runtimeState().calls.getStore()?.mcp?.progress(progress, total, message === undefined ? undefined : redactText(message));
  },
  /**
   * Ask the client's model to complete a prompt (`sampling/createMessage`). Rejects when the client did not
   * declare sampling, or outside MCP. The user's client may show or change the request before it is answered.
   */
  sample(request: SampleRequest | string): Promise<SampleResult> {
    return client("mcp.sample").sample(typeof request === "string" ? { prompt: request } : request);
  },
  /**
   * Ask the user to fill in a form (`elicitation/create`): a flat object of strings, numbers, booleans and enums,
   * with defaults. Resolves with the user's action; rejects when the client did not declare elicitation.
   */
  elicit(message: string, schema: ElicitSchema, options: { timeoutMs?: number } = {}): Promise<ElicitAnswer> {
    return client("mcp.elicit").elicit(message, schema, options.timeoutMs);
  },
  /**
   * Close this call's HTTP event stream while the handler keeps working: the client reconnects and is sent the
   * rest (for long calls behind proxies that cut idle connections). False where there is none to close.
   */
  releaseStream(): boolean {
    return runtimeState().calls.getStore()?.mcp?.releaseStream() ?? false;
  },
};

/** Resources a handler serves. */
export const resources = {
  /**
   * Say that the resource at `uri` changed: every session that subscribed to it (resources/subscribe) is sent
   * notifications/resources/updated, and no other.
   */
  changed(uri: string): void {
    for (const listener of runtimeState().resourceListeners) listener(String(uri));
  },
};
