import { AsyncLocalStorage } from "node:async_hooks";
import { CallGate } from "./call-gate.js";
import type { Database } from "./database.js";

export interface UserContext {
  provider: string;
  user_id: string;
  username: string;
  email?: string | null;
  name?: string | null;
  avatar_url?: string | null;
  raw_profile?: Record<string, unknown> | null;
  external_token?: string | null;
  capabilities?: string[] | null;
  /** The scopes the user's access token grants (an HTTP server with OAuth). */
  scopes?: string[] | null;
}

export type LogLevel = "debug" | "info" | "notice" | "warning" | "error" | "critical" | "alert" | "emergency";

/** How a handler's `mcp.*` calls reach the client of the current call. */
export interface McpReporter {
  log(level: LogLevel, message: string): Promise<void>;
  progress(progress: number, total?: number, message?: string): Promise<void>;
  /** `sampling/createMessage` to this call's client; rejects when the client did not declare sampling. */
  sample(request: SampleRequest): Promise<SampleResult>;
  /** `elicitation/create` (a form) to this call's client; rejects when the client did not declare elicitation. */
  elicit(message: string, schema: ElicitSchema, timeoutMs?: number): Promise<ElicitAnswer>;
  /**
   * Close this call's HTTP event stream: the client reconnects and is sent the rest, the result included (SEP-1699).
   * False where there is no stream to close (stdio, JSON responses, or no event store).
   */
  releaseStream(): boolean;
}

/** One message of a sampling request: text, an image or audio. */
export interface SampleMessage {
  role: "user" | "assistant";
  content: { type: "text"; text: string } | { type: "image" | "audio"; data: string; mimeType: string };
}

/** What a handler asks the client's model: a prompt (one user message) or messages, and the usual limits. */
export interface SampleRequest {
  prompt?: string;
  messages?: SampleMessage[];
  systemPrompt?: string;
  maxTokens?: number;
  temperature?: number;
  stopSequences?: string[];
  modelPreferences?: { hints?: { name?: string }[]; costPriority?: number; speedPriority?: number; intelligencePriority?: number };
  /** How long to wait for the answer (default 60 s). */
  timeoutMs?: number;
}

/** The client's model's answer; `text` is its text content (empty when it answered with an image or audio). */
export interface SampleResult {
  role: "user" | "assistant";
  model: string;
  stopReason?: string;
  content: { type: string; [field: string]: unknown };
  text: string;
}

/** A form the user fills in: a flat object of strings, numbers, integers, booleans and enums (MCP's elicitation schema). */
export interface ElicitSchema {
  type: "object";
  properties: Record<string, Record<string, unknown>>;
  required?: string[];
}

/** The user's answer: `accept` with the form's values, `decline`, or `cancel` (dismissed). */
export interface ElicitAnswer {
  action: "accept" | "decline" | "cancel";
  content?: Record<string, unknown>;
}

export interface CallContext {
  callId: number;
  endpoint: string;
  user?: UserContext | undefined;
  mcp?: McpReporter | undefined;
  /** Set by a cached read during the call: whether the answer came from the cache, and how old it was. */
  cache?: { state: "hit" | "miss" | "revalidated"; ageSeconds?: number } | undefined;
  /** Set by a call that fetched several pages: how many, and the arguments of the next page if there is one. */
  paging?: { pages: number; next?: Record<string, unknown> } | undefined;
}

export interface SecretEntry {
  name: string;
  type: string;
  parameters: Record<string, unknown>;
  /** Why the parameters could not be read (an unset variable): said when the secret is used. */
  unresolved?: string;
}

export type Hook = () => unknown;

export interface PluginInstance {
  name: string;
  module: string;
  config: Record<string, string>;
  functions: string[];
  /** Whatever the plugin module's setup returned, for handlers that need it. */
  value: unknown;
}

/** Who wants to know what the runtime does (the server's metrics); nobody by default. */
export interface RuntimeObserver {
  /** An upstream API answered with this HTTP status (0: no answer, the connection failed or timed out). */
  upstreamAnswer?(api: string, status: number): void;
  /** A read through the HTTP cache was answered from it (hit) or needed the API (miss). */
  cacheLookup?(api: string, hit: boolean): void;
}

export interface RuntimeState {
  database: Database | undefined;
  siteConfig: Record<string, unknown>;
  userConfig: Record<string, unknown>;
  secrets: SecretEntry[];
  initHooks: Hook[];
  shutdownHooks: Hook[];
  /** Whether the init hooks have run; a hook registered later (a handler module loaded lazily) runs at once. */
  initDone: boolean;
  /** Init hooks started after the init phase; calls wait for them. */
  lateInit: Promise<void>;
  plugins: Map<string, PluginInstance>;
  calls: AsyncLocalStorage<CallContext>;
  gate: CallGate;
  /** Where runtime diagnostics go; stderr unless the host says otherwise. Never stdout. */
  log: (level: LogLevel, message: string) => void;
  observer: RuntimeObserver;
  /** Told when a handler says a resource changed (the server's sessions that subscribed to it). */
  resourceListeners: Set<(uri: string) => void>;
}

// One state per process, even if two copies of this module get loaded (a project's own
// node_modules/mxcp-gen next to the serving one): handlers and the server must share db and config.
const KEY = Symbol.for("mxcp-gen.runtime.state");

export function runtimeState(): RuntimeState {
  const g = globalThis as unknown as Record<symbol, RuntimeState | undefined>;
  let s = g[KEY];
  if (!s) {
    s = {
      database: undefined,
      siteConfig: {},
      userConfig: {},
      secrets: [],
      initHooks: [],
      shutdownHooks: [],
      initDone: false,
      lateInit: Promise.resolve(),
      plugins: new Map(),
      calls: new AsyncLocalStorage<CallContext>(),
      gate: new CallGate(),
      log: (level, message) => process.stderr.write(`[${level}] ${message}\n`),
      observer: {},
      resourceListeners: new Set(),
    };
    g[KEY] = s;
  }
  return s;
}
