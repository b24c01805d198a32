import { misfitNote } from "../misfit-note.js";
import { Server } from "@modelcontextprotocol/sdk/server/index.js";
import {
  CallToolRequestSchema,
  CompleteRequestSchema,
  ErrorCode,
  GetPromptRequestSchema,
  ListPromptsRequestSchema,
  ListResourcesRequestSchema,
  ListResourceTemplatesRequestSchema,
  ListToolsRequestSchema,
  McpError,
  ReadResourceRequestSchema,
  SetLevelRequestSchema,
  SubscribeRequestSchema,
  UnsubscribeRequestSchema,
  type CallToolResult,
  type LoggingLevel,
  type Tool,
} from "@modelcontextprotocol/sdk/types.js";
import type { PromptDef, ResourceDef, ToolDef } from "../../project/definitions.js";
import { VERSION } from "../../package-info.js";
import { runtimeState } from "../../runtime/state.js";
import type { CallOutcome } from "../executor.js";
import { UnknownResourceError, type CallOptions, type ProjectHost } from "../host.js";
import { userOfAuth } from "../auth/auth-user.js";
import type { ResourceContents } from "../executor.js";
import { inputSchema, outputShape, type OutputShape } from "./json-schema.js";
import { callReporter, type CallExtra } from "./call-reporter.js";
import { completeArgument } from "./completions.js";
import { matchUriTemplate, uriVariables } from "./uri-template.js";
import type { SandboxLimits } from "../surfaces/sandbox-limits.js";
import { ToolSurfaces, type Surface } from "../surfaces/surfaces.js";
import { dirname, join } from "node:path";
import { redactValue } from "../../runtime/redact.js";
import { ResultStore, type ResultStoreOptions } from "../results/result-store.js";
import { ReadOnlySqlError } from "../results/read-only-sql.js";
import { QueryLimitError } from "../results/session-database.js";
import { utf8Prefix } from "../utf8-prefix.js";

/** What the SDK passes a request handler: the session, the progress token, and a way to notify during the call. */
type ToolCallExtra = CallExtra;

/** The tools as tools/list gives them, the level that fit the budget, and the output shape each declares. */
interface Listed {
  tools: Tool[];
  level: ListingLevel;
  outputs: Map<string, OutputShape | undefined>;
  /** At level 2: the length descriptions were cut at (undefined when every one is whole). */
  descriptionCap?: number;
}

/** tools/list should stay under this many bytes; a huge API gets leaner listings, never fewer parameters. */
export const LIST_BUDGET_BYTES = 1_000_000;

/**
 * How much a listing keeps, fullest first: 0 = output schemas as MXCP maps them; 1 = output schemas
 * one level deep; 2 = output schemas as bare types and tool descriptions cut to their first paragraph.
 * Input schemas are never trimmed.
 */
type ListingLevel = 0 | 1 | 2;

/** What every MCP session of one project shares: the host and the tool list, built once. */
export class McpCatalog {
  readonly host: ProjectHost;
  private listed: Listed | undefined;
  private readonly defs: ToolDef[];
  /** Set when the server is stopping: new calls are refused, calls in flight finish. */
  stopping = false;

  /** The meta-tools that stand in for the tool list under the search and code surfaces. */
  readonly surfaces: ToolSurfaces;
  private readonly maxResultBytes: number;
  private readonly listBudget: number;

  /** Each session's SQL instance: its stored results, and what sql() in run_code reads. */
  private readonly sessionSql: ResultStore;

  /** Bytes every session's stored results hold now (for the metrics). */
  get storedResultBytes(): number {
    return this.sessionSql.storedBytes;
  }

  constructor(host: ProjectHost, options: CatalogOptions = {}) {
    this.host = host;
    this.maxResultBytes = options.maxResultBytes ?? DEFAULT_MAX_RESULT_BYTES;
    this.listBudget = options.listBudgetBytes ?? LIST_BUDGET_BYTES;
    const store = new ResultStore({ keepDir: join(dirname(host.project.duckdbPath), "results"), ...options.results });
    this.sessionSql = store;
    this.defs = host.validEndpoints.filter((e) => e.kind === "tool").map((e) => e.definition as ToolDef);
    if (this.results && !this.defs.some((d) => d.name === QUERY_RESULTS)) this.defs.push(QUERY_RESULTS_DEF);
    const entries = new Map(this.host.validEndpoints.filter((e) => e.kind === "tool").map((e) => [(e.definition as ToolDef).name, e]));
    this.surfaces = new ToolSurfaces(
      {
        names: this.defs.map((d) => d.name),
        listed: (name) => this.tools.find((t) => t.name === name),
        definition: (name) => (entries.get(name)?.definition as ToolDef | undefined) ?? (name === QUERY_RESULTS && this.queryResultsServed ? QUERY_RESULTS_DEF : undefined),
        entry: (name) => entries.get(name),
      },
      options.surface ?? "all",
      options.sandbox,
    );
  }

  /**
   * Every tool as tools/list gives it under `all`, built on first use (the search and code surfaces start
   * without it): each listing level is tried until the whole fits the budget.
   */
  get tools(): Tool[] {
    return this.listedTools().tools;
  }

  /** Which listing level fit the budget (see ListingLevel). */
  get listingLevel(): ListingLevel {
    return this.listedTools().level;
  }

  /** The listing and the output shapes it declares, made once: each level is tried until the whole fits the budget. */
  private listedTools(): Listed {
    if (!this.listed) {
      let level: ListingLevel = 0;
      let listed = this.listing(this.defs, level);
      while (level < 2 && JSON.stringify(listed.tools).length > this.listBudget) {
        level = (level + 1) as ListingLevel;
        listed = this.listing(this.defs, level);
      }
      this.listed = level === 2 ? this.longestDescriptions(listed) : listed;
    }
    return this.listed;
  }

  /**
   * Level 2 keeps each description's first paragraph; the room the budget has left goes back to the rest of
   * them, every description cut at the same length (the longest that fits), so no tool is reduced to one
   * line when the whole text would have fitted.
   */
  private longestDescriptions(listed: Listed): Listed {
    const full = new Map(this.defs.map((d) => [d.name, d.description ?? ""]));
    const at = (cap: number): Tool[] =>
      listed.tools.map((tool) => {
        const text = descriptionWithin(full.get(tool.name) ?? "", tool.description ?? "", cap);
        return text ? { ...tool, description: text } : tool;
      });
    const fits = (cap: number) => JSON.stringify(at(cap)).length <= this.listBudget;
    let low = 0;
    let high = Math.max(0, ...[...full.values()].map((d) => d.length));
    if (fits(high)) return { ...listed, tools: at(high) };
    if (!fits(low)) return { ...listed, descriptionCap: 0 };
    while (high - low > 16) {
      const mid = Math.floor((low + high) / 2);
      if (fits(mid)) low = mid;
      else high = mid;
    }
    return { ...listed, tools: at(low), descriptionCap: low };
  }

  /** At level 2, the length the listing cut descriptions at; undefined when none was cut. */
  get descriptionCap(): number | undefined {
    return this.listedTools().descriptionCap;
  }

  get toolCount(): number {
    return this.defs.length;
  }

  get surface(): Surface {
    return this.surfaces.surface;
  }

  /** The tools as listed at one level, and the output shape each declares there (results are shaped to match). */
  private listing(defs: ToolDef[], level: ListingLevel): Listed {
    const outputs = new Map<string, OutputShape | undefined>();
    const tools = defs.map((def) => {
      const shape = outputShape(def.return, level === 0 ? Infinity : level === 1 ? 1 : 0);
      outputs.set(def.name, shape);
      const tool: Tool = { name: def.name, inputSchema: (def.input_schema ?? inputSchema(def.parameters)) as Tool["inputSchema"] };
      const description = level === 2 ? def.description?.split(/\n\s*\n/)[0] : def.description;
      if (description) tool.description = description;
      if (def.annotations) {
        const { title, ...rest } = def.annotations;
        tool.annotations = level === 2 && title && description?.startsWith(title) ? rest : def.annotations;
      }
      if (shape) tool.outputSchema = shape.schema as Tool["outputSchema"];
      return tool;
    });
    return { tools, level, outputs };
  }

  get projectName(): string {
    return this.host.project.site.project;
  }

  /**
   * A fresh low-level SDK server answering from this catalog (one per session or stateless request): one
   * registration per capability, as the SDK's McpServer shapes it.
   */
  createServer(opts: { session?: string } = {}): Server {
    const server = new Server(
      { name: `mxcp-gen:${this.projectName}`, version: VERSION },
      { capabilities: { tools: {}, resources: { subscribe: true }, prompts: {}, logging: {}, completions: {} } },
    );
    const minLevel = this.registerLogging(server);
    this.registerTools(server, minLevel, opts.session);
    this.registerResources(server);
    this.registerPrompts(server);
    server.setRequestHandler(CompleteRequestSchema, async (req, extra) => ({ completion: await completeArgument(this.host, req.params, callerOf(extra)) }));
    return server;
  }

  /**
   * `logging/setLevel` for this server's session: messages below the level are not sent. (The SDK keeps its own
   * per-session level, but only its `sendLoggingMessage` reads it, and that message is not tied to the request:
   * an HTTP client would get it on another stream, or not at all, instead of during its call.)
   */
  private registerLogging(server: Server): () => LoggingLevel {
    let minLevel: LoggingLevel = "info";
    server.removeRequestHandler("logging/setLevel");
    server.setRequestHandler(SetLevelRequestSchema, async (req) => {
      minLevel = req.params.level;
      return {};
    });
    return () => minLevel;
  }

  private registerTools(server: Server, minLevel: () => LoggingLevel, defaultSession: string | undefined): void {
    server.setRequestHandler(ListToolsRequestSchema, async () => {
      if (this.surface === "all") return { tools: this.tools };
      // The search index is built once this listing has gone out, before the model's first search.
      this.surfaces.warmSoon();
      return { tools: this.surfaces.listing() };
    });
    server.setRequestHandler(CallToolRequestSchema, async (req, extra): Promise<CallToolResult> => this.answerToolCall(server, req.params.name, (req.params.arguments ?? {}) as Record<string, unknown>, extra, minLevel, defaultSession));
  }

  /** One `tools/call`: a tool, `query_results`, or a meta-tool of the search and code surfaces; redacted and capped. */
  private async answerToolCall(server: Server, name: string, args: Record<string, unknown>, extra: ToolCallExtra, minLevel: () => LoggingLevel, defaultSession: string | undefined): Promise<CallToolResult> {
    if (this.stopping) return errorResult(name, "Server is shutting down");
    const mcp = callReporter(server, extra, name, minLevel);
    // Stored results belong to a session: an HTTP session, or the one client of a stdio server.
    const session = extra.sessionId ?? defaultSession;
    // The session and signed-in user (OAuth over HTTP): for the handler, the policies, the audit record and the cache.
    const callOpts = { ...callerOf(extra), mcp };
    const call = async (tool: string, toolArgs: Record<string, unknown>): Promise<CallOutcome> => {
      if (tool === QUERY_RESULTS && this.queryResultsServed) return this.host.callBuiltIn(QUERY_RESULTS, toolArgs, callOpts, () => this.queryResults(session, toolArgs.sql, {}));
      return this.host.callTool(tool, toolArgs, callOpts);
    };
    const finish = async (tool: string, outcome: CallOutcome) => (await this.storedResult(tool, outcome, session)) ?? this.toolResult(tool, outcome);
    let result: CallToolResult;
    if (this.surface !== "all" && this.surfaces.isMetaTool(name)) {
      const started = performance.now();
      result = await this.surfaces.call(name, args, {
        callTool: async (tool, toolArgs) => finish(tool, await call(tool, toolArgs)),
        callForCode: async (tool, toolArgs) => {
          const outcome = await call(tool, toolArgs);
          if (outcome.status === "ok") return outcome.result;
          throw new Error(outcome.returned ? JSON.stringify(outcome.errorObject) : outcome.message);
        },
        sql: async (query, params) => {
          const outcome = await this.host.callBuiltIn("sql", { sql: query, params }, callOpts, () => this.queryResults(session, query, params));
          if (outcome.status === "ok") return outcome.result;
          throw new Error(outcome.message);
        },
      });
      // The meta-tool itself is audited too (the calls it made are, each on its own).
      this.host.recordCall(name, args, callOpts, {
        ok: result.isError !== true,
        output: result.isError ? null : (result.structuredContent ?? null),
        error: result.isError ? result.content.map((c) => (c.type === "text" ? c.text : "")).join("\n") : null,
        durationMs: performance.now() - started,
      });
    } else {
      result = await finish(name, await call(name, args));
    }
    // Every result leaves the same way, whichever path made it: without secrets, and within the size cap.
    return capResult(redactValue(result), this.maxResultBytes);
  }

  private registerResources(server: Server): void {
    server.setRequestHandler(ListResourcesRequestSchema, async () => ({
      resources: this.resources()
        .filter((r) => uriVariables(r.uri).length === 0)
        .map((r) => ({ uri: r.uri, name: r.name ?? r.uri, ...(r.description ? { description: r.description } : {}), ...(r.mime_type ? { mimeType: r.mime_type } : {}) })),
    }));

    server.setRequestHandler(ListResourceTemplatesRequestSchema, async () => ({
      resourceTemplates: this.resources()
        .filter((r) => uriVariables(r.uri).length > 0)
        .map((r) => ({ uriTemplate: r.uri, name: r.name ?? r.uri, ...(r.description ? { description: r.description } : {}), ...(r.mime_type ? { mimeType: r.mime_type } : {}) })),
    }));

    server.setRequestHandler(ReadResourceRequestSchema, async (req, extra) => ({ contents: [await this.contents(req.params.uri, callerOf(extra))] }));

    // Subscriptions are this session's own: a change is sent to the sessions that subscribed to that URI, no other.
    const subscribed = new Set<string>();
    server.setRequestHandler(SubscribeRequestSchema, async (req) => {
      if (!this.serves(req.params.uri)) throw new McpError(ErrorCode.InvalidParams, `Unknown resource: ${req.params.uri}`);
      subscribed.add(req.params.uri);
      return {};
    });
    server.setRequestHandler(UnsubscribeRequestSchema, async (req) => {
      subscribed.delete(req.params.uri);
      return {};
    });
    const listener = (uri: string) => {
      if (subscribed.has(uri)) void server.sendResourceUpdated({ uri }).catch(() => undefined);
    };
    const listeners = runtimeState().resourceListeners;
    listeners.add(listener);
    const closed = server.onclose;
    server.onclose = () => {
      listeners.delete(listener);
      closed?.();
    };
  }

  /** Whether a resource of the project answers `uri` (a static URI, or a template's match). */
  private serves(uri: string): boolean {
    return this.resources().some((r) => matchUriTemplate(r.uri, uri) !== undefined);
  }

  /** resources/read of one URI; a failure is the JSON-RPC error MXCP gives. */
  private async contents(uri: string, opts: CallOptions): Promise<ResourceContents> {
    try {
      return await this.host.readContents(uri, opts);
    } catch (e) {
      throw new McpError(e instanceof UnknownResourceError ? ErrorCode.InvalidParams : ErrorCode.InternalError, (e as Error).message);
    }
  }

  private registerPrompts(server: Server): void {
    server.setRequestHandler(ListPromptsRequestSchema, async () => ({
      prompts: this.host.validEndpoints
        .filter((e) => e.kind === "prompt")
        .map((e) => {
          const def = e.definition as PromptDef;
          return {
            name: def.name,
            ...(def.description ? { description: def.description } : {}),
            arguments: (def.parameters ?? []).map((p) => ({
              name: p.name,
              ...(p.description ? { description: p.description } : {}),
              required: !Object.hasOwn(p, "default"),
            })),
          };
        }),
    }));

    server.setRequestHandler(GetPromptRequestSchema, async (req, extra) => {
      try {
        const messages = await this.host.getPrompt(req.params.name, (req.params.arguments ?? {}) as Record<string, unknown>, callerOf(extra));
        const def = this.host.find("prompt", req.params.name)?.definition as PromptDef;
        return { ...(def.description ? { description: def.description } : {}), messages };
      } catch (e) {
        throw new McpError(ErrorCode.InvalidParams, `Error getting prompt ${req.params.name}: ${(e as Error).message}`);
      }
    });
  }

  private resources(): ResourceDef[] {
    return this.host.validEndpoints.filter((e) => e.kind === "resource").map((e) => e.definition as ResourceDef);
  }

  /** Where large results are kept: the session SQL store, when storing is on (the threshold is not 0). */
  get results(): ResultStore | undefined {
    return this.sessionSql.enabled ? this.sessionSql : undefined;
  }

  /** Whether `query_results` is one of this server's tools (the store is on and no project tool has the name). */
  get queryResultsServed(): boolean {
    return this.defs.some((d) => d === QUERY_RESULTS_DEF);
  }

  /** Model SQL over the session's own instance; throws what the caller is told. */
  private async queryResults(session: string | undefined, sql: unknown, params: unknown): Promise<unknown> {
    if (!session) throw new QueryRefused("Stored results and SQL need a session (stdio, or HTTP with sessions)");
    if (typeof sql !== "string") throw new QueryRefused("query_results needs sql: a string");
    if (params === null || typeof params !== "object" || Array.isArray(params)) throw new QueryRefused("sql() takes its parameters as one object");
    try {
      return await this.sessionSql.query(session, sql, params as Record<string, unknown>);
    } catch (e) {
      const message = (e as Error).message;
      throw new QueryRefused(e instanceof ReadOnlySqlError || e instanceof QueryLimitError ? message : `SQL failed: ${message}`);
    }
  }

  /** A result over the store's threshold, stored and described instead of sent; undefined to send it as it is. */
  private async storedResult(name: string, outcome: CallOutcome, session: string | undefined): Promise<CallToolResult | undefined> {
    if (outcome.status !== "ok" || outcome.content || !this.results || !session || name === QUERY_RESULTS) return undefined;
    const text = JSON.stringify(outcome.result);
    const bytes = text === undefined ? 0 : Buffer.byteLength(text);
    if (!this.results.wants(bytes)) return undefined;
    const shape = this.listedTools().outputs.get(name);
    // A closed output schema cannot take the summary's fields: such a result is sent (and capped) as usual.
    if (shape && shape.schema.additionalProperties === false) return undefined;
    const how = this.surface === "all" ? "the query_results tool" : this.surface === "search" ? 'call_tool with {"name": "query_results", "arguments": {"sql": "…"}}' : "sql() in run_code";
    let summary;
    try {
      summary = await this.results.store(session, name, outcome.result, bytes, how);
    } catch (e) {
      // A result the session's instance cannot take (its memory limit) is sent as usual, cut to the size cap.
      runtimeState().log("warning", `${name}: the result could not be stored (${(e as Error).message}); sending it cut to the size cap`);
      return undefined;
    }
    const structured = { ...(shape ? shape.toStructured(null) : {}), ...summary };
    return { content: [{ type: "text", text: JSON.stringify(summary, null, 2) }], structuredContent: structured, _meta: { stored: true } };
  }

  /** An HTTP session ended: its stored results and SQL instance go with it. */
  async sessionClosed(session: string): Promise<void> {
    await this.sessionSql.dropSession(session);
  }

  /** At shutdown: every session's running SQL is interrupted and its instance closed. */
  async close(): Promise<void> {
    await this.sessionSql.close();
    if (this.surface === "code") await (await import("../surfaces/sandbox.js")).closeSandboxes();
  }

  /** MXCP's content rules: a dict as one indented JSON text, a list as one text per item, a string raw, null as nothing. */
  private toolResult(name: string, outcome: CallOutcome): CallToolResult {
    if (outcome.status === "error") {
      return outcome.returned
        ? { isError: true, content: [{ type: "text", text: JSON.stringify(outcome.errorObject) }] }
        : errorResult(name, outcome.message);
    }
    const value = outcome.result;
    const returned = outcome.content;
    const asText = !returned || returned.valueAsText;
    const content: CallToolResult["content"] =
      value === null || value === undefined || !asText
        ? []
        : Array.isArray(value)
          ? value.map((v) => ({ type: "text" as const, text: typeof v === "string" ? v : JSON.stringify(v, null, 2) }))
          : [{ type: "text", text: typeof value === "string" ? value : JSON.stringify(value, null, 2) }];
    if (returned) content.push(...(returned.blocks as CallToolResult["content"]));
    // An API's answer that does not fit the document: returned as sent, said, and null where it misfits in
    // structuredContent, which must match the declared schema.
    if (outcome.misfits) content.push({ type: "text", text: misfitNote(outcome.misfits) });
    const shape = this.listedTools().outputs.get(name);
    // An API's bytes travel once, in their block; the structured value says what they are.
    const structuredValue = returned?.binary ? { ...(value as object), content_base64: null } : outcome.misfits ? outcome.structured : value;
    const result: CallToolResult = shape ? { content, structuredContent: shape.toStructured(structuredValue) } : { content };
    // Said in _meta, not in structuredContent, so the tool's output schema stays as it is.
    const meta = outcome.meta;
    if (meta && ((meta.cache && meta.cache !== "miss") || meta.pages !== undefined)) {
      result._meta = {
        ...(meta.cache && meta.cache !== "miss" ? { cached: true, ...(meta.ageSeconds !== undefined ? { age_seconds: meta.ageSeconds } : {}) } : {}),
        ...(meta.pages !== undefined ? { pages: meta.pages, next_arguments: meta.next ?? null } : {}),
      };
    }
    return result;
  }
}

/** The session and signed-in user of a request, for a read or a prompt made on their behalf. */
function callerOf(extra: ToolCallExtra): CallOptions {
  const user = userOfAuth(extra.authInfo);
  return { sessionId: extra.sessionId, ...(user ? { user } : {}) };
}

/** A refused or failed model query: the error object says so under one name. */
class QueryRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = "Query refused";
  }
}

export const DEFAULT_MAX_RESULT_BYTES = 256 * 1024;

const QUERY_RESULTS = "query_results";

/** The built-in tool over stored results, defined like a project's tool so every surface serves it the same way. */
const QUERY_RESULTS_DEF: ToolDef = {
  name: QUERY_RESULTS,
  description:
    "Query results that were too large to send and were stored instead (a tool's answer then names the table in stored_as). " +
    "Read-only DuckDB SQL over this session's stored tables only: one SELECT, WITH … SELECT or DESCRIBE; at most 1,000 rows.",
  parameters: [{ name: "sql", type: "string", description: "The query, naming stored tables as stored_as gives them (mxcp_results.<name>)" }],
  return: { type: "array", description: "The rows", items: { type: "object" } },
  annotations: { title: "Query stored results", readOnlyHint: true, openWorldHint: false },
  language: "sql",
  source: { code: "-- answered by the server itself" },
} as ToolDef;

export interface CatalogOptions {
  /** Large results kept in DuckDB (threshold 0 turns it off). */
  results?: Partial<ResultStoreOptions> | undefined;
  /** Most text one tool result sends (default 256 KiB). */
  maxResultBytes?: number | undefined;
  /** What tools/list shows (default `all`). */
  surface?: Surface | undefined;
  /** run_code's limits. */
  sandbox?: Partial<SandboxLimits> | undefined;
  /** The most bytes tools/list may take under `all` (default LIST_BUDGET_BYTES). */
  listBudgetBytes?: number | undefined;
}

/**
 * One result may send at most `max` bytes of text to the model. A longer one is cut, says how much was cut,
 * and is marked an error: a cut structured value would not match the tool's output schema.
 */
export function capResult(result: CallToolResult, max: number): CallToolResult {
  // What the model reads as text counts: text blocks and embedded resources' text (images, audio and blobs do not).
  const texts = result.content.map((c) => (c.type === "text" ? c.text : c.type === "resource" && "text" in c.resource ? c.resource.text : ""));
  const size = texts.reduce((n, t) => n + Buffer.byteLength(t), 0) + (result.structuredContent ? Buffer.byteLength(JSON.stringify(result.structuredContent)) : 0);
  if (size <= max) return result;
  const joined = texts.join("\n");
  const kept = utf8Prefix(joined, max);
  const notice = `[Result cut: ${Buffer.byteLength(kept)} of ${size} bytes shown. Ask for less (filters, a smaller page, fewer fields) to see the rest.]`;
  return { isError: true, content: [{ type: "text", text: `${notice}\n${kept}\n${notice}` }] };
}

function errorResult(name: string, message: string): CallToolResult {
  return { isError: true, content: [{ type: "text", text: `Error executing tool ${name}: ${message}` }] };
}

/**
 * A description cut to `cap` characters at a paragraph, line or sentence end where one is near (marked "…"),
 * never shorter than `least` (its first paragraph).
 */
export function descriptionWithin(full: string, least: string, cap: number): string {
  if (full.length <= cap) return full;
  if (least.length >= cap) return least;
  const cut = full.slice(0, cap);
  const end = Math.max(cut.lastIndexOf("\n"), cut.lastIndexOf(". ") + 1);
  return `${(end > Math.max(least.length, cap * 0.6) ? cut.slice(0, end) : cut).trimEnd()}…`;
}
