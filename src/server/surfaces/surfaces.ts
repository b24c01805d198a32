// How an assistant meets a project: every tool listed (`all`), three tools to find, describe and call the
// rest (`search`), or find and describe plus a sandbox that calls them from code (`code`). Every surface
// reaches a tool through the same host call (validation, policies, audit, error objects).
import type { CallToolResult, Tool } from "@modelcontextprotocol/sdk/types.js";
import type { ToolDef, TypeDef } from "../../project/definitions.js";
import type { EndpointEntry } from "../../project/endpoints.js";
import { toolDeclaration, toolsNamespace } from "./declarations.js";
import { DEFAULT_SANDBOX_LIMITS, type SandboxLimits } from "./sandbox-limits.js";
import { splitWords, ToolIndex, type IndexedTool } from "./tool-index.js";

export type Surface = "all" | "search" | "code";
export type ExposeMode = Surface | "auto";
export const EXPOSE_MODES: readonly ExposeMode[] = ["all", "search", "code", "auto"];
export const DEFAULT_EXPOSE_THRESHOLD = 100;

/** Which surface a project gets, and why (for the start-up line). */
export function chooseSurface(mode: ExposeMode, tools: number, threshold = DEFAULT_EXPOSE_THRESHOLD): { surface: Surface; reason: string } {
  if (mode !== "auto") return { surface: mode, reason: `--expose ${mode}` };
  if (tools <= threshold) return { surface: "all", reason: `auto: ${tools} tools, at most ${threshold}` };
  return { surface: "search", reason: `auto: ${tools} tools, over ${threshold} (--expose all lists every one)` };
}

/** What the surfaces need from the catalog: the listing as `all` gives it, and the definitions. */
export interface SurfaceHost {
  /** Every tool's name. */
  names: string[];
  /** A tool exactly as tools/list gives it under `all`. */
  listed(name: string): Tool | undefined;
  definition(name: string): ToolDef | undefined;
  entry(name: string): EndpointEntry | undefined;
}

/** The one call path, bound to the request that carries the meta-tool call (its session, its progress). */
export interface CallBackend {
  /** A tool's MCP result, exactly as tools/call under `all` gives it. */
  callTool(name: string, args: Record<string, unknown>): Promise<CallToolResult>;
  /** A tool's plain result, or an Error with the tool's error, for code. */
  callForCode(name: string, args: Record<string, unknown>): Promise<unknown>;
  /** Read-only SQL for code, over this session's stored results and nothing else. */
  sql(query: string, params: Record<string, unknown>): Promise<unknown>;
}

const SEARCH_DESCRIPTION =
  "Find the tools of this server that fit a task. This server has many tools, so they are not all listed: " +
  "search by what you want to do (\"list open pull requests\", \"create an invoice\"), then call describe_tool " +
  "with the best result's name to get its parameters, then call it with {surface_call}. " +
  "An empty query lists the tool groups with their sizes.";
const DESCRIBE_DESCRIPTION =
  "Get one tool's full definition: description, input schema (its parameters), output schema, annotations, " +
  "and a TypeScript declaration. Call it before calling a tool found with search_tools.";
const CALL_DESCRIPTION =
  "Call a tool found with search_tools, by name, with its arguments as an object (see describe_tool for the " +
  "parameters). Arguments are validated and the tool's result or error is returned as if it were called directly.";
const RUN_CODE_DESCRIPTION =
  "Run a short JavaScript or TypeScript program that calls this server's tools, to do several calls, loops and " +
  "filtering in one step. Inside: `await tools.<name>(args)` calls a tool (describe_tool shows its TypeScript " +
  "declaration) and returns its result or throws its error; `await sql(query, params?)` runs read-only SQL over " +
  "this session's stored results (a tool answer too large to send names its table in stored_as); `console.log` is captured. Return a value (or end with an expression): it comes back as JSON. " +
  "There are no modules, files, network or timers.";

export class ToolSurfaces {
  private index: ToolIndex | undefined;
  readonly limits: SandboxLimits;

  constructor(
    private readonly host: SurfaceHost,
    readonly surface: Surface,
    limits: Partial<SandboxLimits> = {},
  ) {
    this.limits = { ...DEFAULT_SANDBOX_LIMITS, ...limits };
  }

  /** Milliseconds the index took to build, once built. */
  indexMs: number | undefined;

  /**
   * Build the index once the event loop is free: called when the first listing has been answered, so a client's
   * start (initialize, tools/list) never waits for it, and it is ready before the model's first search.
   */
  warmSoon(): void {
    if (this.index || this.warming) return;
    this.warming = setTimeout(() => this.searchIndex(), 0);
    this.warming.unref();
  }

  private warming: NodeJS.Timeout | undefined;

  private searchIndex(): ToolIndex {
    if (!this.index) {
      clearTimeout(this.warming);
      const started = performance.now();
      this.index = new ToolIndex(this.host.names.map((n) => this.indexed(n)));
      this.indexMs = performance.now() - started;
    }
    return this.index;
  }

  /** What the index knows of a tool, from its definition (the listing is not needed for searching). */
  private indexed(name: string): IndexedTool {
    const def = this.host.definition(name);
    const op = (this.host.entry(name)?.metadata?.operation ?? {}) as Record<string, unknown>;
    const operation = typeof op.path === "string" && typeof op.method === "string" ? { method: op.method, path: op.path } : undefined;
    const route = typeof op.path === "string" ? `${String(op.method ?? "")} ${op.path}` : typeof op.method === "string" ? op.method : "";
    const params = (def?.parameters ?? []).map((p) => `${p.name} ${p.description ?? ""}`).join(" ");
    const tags = def?.tags ?? [];
    const sdkGroup = typeof op.package === "string" && typeof op.method === "string" && op.method.includes(".") ? op.method.split(".")[0]! : undefined;
    return {
      name,
      title: def?.annotations?.title ?? splitWords(name).join(" "),
      description: def?.description ?? "",
      tags,
      route,
      ...(operation ? { operation } : {}),
      parameters: params,
      fields: answerFields(def?.return),
      readOnly: def?.annotations?.readOnlyHint === true,
      destructive: def?.annotations?.destructiveHint === true,
      group: tags[0] ?? sdkGroup ?? String(this.host.entry(name)?.metadata?.api ?? "(no group)"),
    };
  }

  /** tools/list under this surface. */
  listing(): Tool[] {
    const callHow = this.surface === "code" ? "run_code (await tools.<name>(args))" : "call_tool";
    const tools: Tool[] = [
      {
        name: "search_tools",
        description: SEARCH_DESCRIPTION.replace("{surface_call}", callHow),
        inputSchema: {
          type: "object",
          properties: {
            query: { type: "string", description: "What you want to do, in a few words; empty lists the groups" },
            limit: { type: "integer", minimum: 1, maximum: 25, default: 8, description: "How many results (at most 25)" },
            ...(this.surface === "code" ? { declarations: { type: "boolean", default: false, description: "Include each result's TypeScript declaration" } } : {}),
          },
          required: ["query"],
          additionalProperties: false,
        },
        annotations: { title: "Search tools", readOnlyHint: true, openWorldHint: false },
      },
      {
        name: "describe_tool",
        description: DESCRIBE_DESCRIPTION,
        inputSchema: { type: "object", properties: { name: { type: "string", description: "A tool name from search_tools" } }, required: ["name"], additionalProperties: false },
        annotations: { title: "Describe a tool", readOnlyHint: true, openWorldHint: false },
      },
    ];
    if (this.surface === "search") {
      tools.push({
        name: "call_tool",
        description: CALL_DESCRIPTION,
        inputSchema: {
          type: "object",
          properties: {
            name: { type: "string", description: "The tool's name" },
            arguments: { type: "object", description: "The tool's arguments", additionalProperties: true },
          },
          required: ["name"],
          additionalProperties: false,
        },
        annotations: { title: "Call a tool", openWorldHint: true },
      });
    } else {
      tools.push({
        name: "run_code",
        description: RUN_CODE_DESCRIPTION,
        inputSchema: { type: "object", properties: { code: { type: "string", description: "JavaScript or TypeScript; top-level await is allowed" } }, required: ["code"], additionalProperties: false },
        annotations: { title: "Run code against the tools", openWorldHint: true },
      });
    }
    return tools;
  }

  isMetaTool(name: string): boolean {
    return name === "search_tools" || name === "describe_tool" || (this.surface === "search" ? name === "call_tool" : name === "run_code");
  }

  async call(name: string, args: Record<string, unknown>, backend: CallBackend): Promise<CallToolResult> {
    switch (name) {
      case "search_tools":
        return this.search(args);
      case "describe_tool":
        return this.describe(args);
      case "call_tool":
        return this.callTool(args, backend);
      case "run_code":
        return this.runCode(args, backend);
      default:
        return failure(`Unknown tool: ${name}`);
    }
  }

  private search(args: Record<string, unknown>): CallToolResult {
    const query = args.query;
    if (typeof query !== "string") return failure("search_tools needs query: a string (empty for the list of groups)");
    const limit = args.limit === undefined || args.limit === null ? 8 : Number(args.limit);
    if (!Number.isInteger(limit) || limit < 1 || limit > 25) return failure("limit must be an integer from 1 to 25");
    const index = this.searchIndex();
    const out: Record<string, unknown> = {};
    if (query.trim() === "") {
      out.results = [];
      out.groups = index.groups();
    } else {
      const results = index.query(query, limit);
      out.results =
        args.declarations === true
          ? results.map((r) => {
              const def = this.host.definition(r.name);
              return def ? { ...r, declaration: toolDeclaration(def, "") } : r;
            })
          : results;
    }
    return { content: [{ type: "text", text: JSON.stringify(out, null, 2) }], structuredContent: out };
  }

  private unknownTool(name: unknown): CallToolResult {
    const text = typeof name === "string" ? name : "";
    const close = text ? this.searchIndex().closest(text) : [];
    return failure(`Unknown tool: ${JSON.stringify(name)}.${close.length > 0 ? ` Did you mean ${close.join(", ")}?` : ""} Use search_tools to find one.`);
  }

  private describe(args: Record<string, unknown>): CallToolResult {
    const name = args.name;
    const tool = typeof name === "string" ? this.host.listed(name) : undefined;
    const def = typeof name === "string" ? this.host.definition(name) : undefined;
    if (!tool || !def) return this.unknownTool(name);
    // The whole description, even when tools/list had to shorten it to fit its budget; the schemas stay as
    // listed, since call_tool shapes results by them.
    const out = { ...tool, ...(def.description ? { description: def.description } : {}), ...(def.annotations ? { annotations: def.annotations } : {}), declaration: toolsNamespace([def]) };
    return { content: [{ type: "text", text: JSON.stringify(out, null, 2) }], structuredContent: out };
  }

  private async callTool(args: Record<string, unknown>, backend: CallBackend): Promise<CallToolResult> {
    const name = args.name;
    if (typeof name !== "string" || !this.host.definition(name)) return this.unknownTool(name);
    const inner = args.arguments ?? {};
    if (inner === null || typeof inner !== "object" || Array.isArray(inner)) return failure("arguments must be an object of the tool's parameters");
    return backend.callTool(name, inner as Record<string, unknown>);
  }

  private async runCode(args: Record<string, unknown>, backend: CallBackend): Promise<CallToolResult> {
    if (typeof args.code !== "string" || args.code.trim() === "") return failure("run_code needs code: a non-empty string");
    const { runCode } = await import("./sandbox.js"); // QuickJS, esbuild and a parser: loaded on first use
    const outcome = await runCode(
      args.code,
      {
        callTool: async (name, toolArgs) => {
          if (!this.host.definition(name)) {
            const close = this.searchIndex().closest(name);
            throw new Error(`Unknown tool: tools.${name}${close.length > 0 ? `. Did you mean ${close.map((c) => `tools.${c}`).join(", ")}?` : ""}`);
          }
          if (toolArgs === null || typeof toolArgs !== "object" || Array.isArray(toolArgs)) throw new Error(`tools.${name} takes one object of arguments`);
          return backend.callForCode(name, toolArgs as Record<string, unknown>);
        },
        sql: (query, params) => backend.sql(query, (params ?? {}) as Record<string, unknown>),
      },
      this.limits,
    );
    if (!outcome.ok) {
      const where = outcome.line !== undefined ? ` (line ${outcome.line})` : "";
      const text = `Error running code${where}: ${outcome.error}${outcome.logs.length > 0 ? `\n\nLog:\n${outcome.logs.join("\n")}` : ""}`;
      return { isError: true, content: [{ type: "text", text }] };
    }
    const out: Record<string, unknown> = { result: outcome.value, logs: outcome.logs, tool_calls: outcome.calls };
    if (outcome.notice) out.notice = outcome.notice;
    const text = JSON.stringify(out, null, 2);
    // run_code declares no output schema: a cut result (text, not the value) is sent once, as text.
    return outcome.notice ? { content: [{ type: "text", text }] } : { content: [{ type: "text", text }], structuredContent: out };
  }
}

function failure(message: string): CallToolResult {
  return { isError: true, content: [{ type: "text", text: message }] };
}

/** The names of an answer's fields: an object's properties, or an array's items'. */
function answerFields(ret: TypeDef | undefined): string {
  const shape = ret?.type === "array" ? ret.items : ret;
  return Object.keys(shape?.type === "object" ? (shape.properties ?? {}) : {}).join(" ");
}
