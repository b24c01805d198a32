import { addSecretValue, redactText, redactValue } from "../runtime/redact.js";
import { join } from "node:path";
import type { PromptDef, ResourceDef, ToolDef } from "../project/definitions.js";
import { endpointError, insideProject, resolveSourceFile, type EndpointEntry } from "../project/endpoints.js";
import { auditLogPath } from "../project/audit-path.js";
import { loadProject, type LoadProjectOptions, type Project } from "../project/project.js";
import { Database } from "../runtime/database.js";
import { runtimeState, type CallContext, type Hook, type LogLevel, type SecretEntry } from "../runtime/state.js";
import { checkArgumentSize } from "./argument-limits.js";
import { AuditLog } from "./audit.js";
import { redactSensitive, type PolicyTrace } from "./policies.js";
import { toErrorDict } from "../runtime/errors.js";
import { toJsonSafe } from "../types/validate-output.js";
import { executeEndpoint, renderPrompt, resolveHandler, type CallOutcome, type ExecuteOptions, type PromptMessage, type ResourceContents } from "./executor.js";
import { matchUriTemplate } from "./mcp/uri-template.js";
import { readFileSync } from "node:fs";
import { prepareConnection } from "./database-setup.js";
import { HandlerExports } from "./handler-exports.js";
import { loadPlugins } from "./plugin-loader.js";
import { redactOutputStreams } from "./output-streams.js";

export interface HostOptions extends LoadProjectOptions {
  /** Where runtime diagnostics go; defaults to stderr. */
  log?: (level: LogLevel, message: string) => void;
  /**
   * Load TypeScript handler modules on first use instead of at start (serve does, so a project with
   * a thousand tools starts fast). Exports are then checked from the source text at start.
   */
  lazyHandlers?: boolean;
  /**
   * With `lazyHandlers`: skip the start-up check of every handler's export (`run` calls one tool; its
   * module is loaded, and a missing export reported, when it is called).
   */
  skipExportCheck?: boolean;
  /** Every tool's answer must fit its declared type, API tools' too (MXCP's check; `--strict-output`). */
  strictOutput?: boolean;
  /** Ask the user before a tool marked destructive runs (`serve --confirm-destructive`). */
  confirmDestructive?: boolean;
}

export interface CallOptions extends ExecuteOptions {
  user?: CallContext["user"];
  mcp?: CallContext["mcp"];
  /** For the audit log. */
  sessionId?: string | undefined;
}

let nextCallId = 1;

/**
 * A loaded MXCP project attached to the shared runtime: database, config, plugins, hooks.
 * `run`, `test` and `serve` all call endpoints through it.
 */
function redactOutcome(outcome: CallOutcome): CallOutcome {
  if (outcome.status === "ok") {
    const { structured, misfits, content, ...rest } = outcome;
    return {
      ...rest,
      result: redactValue(outcome.result),
      ...(misfits ? { misfits: misfits.map((m) => redactText(m)), structured: redactValue(structured) } : {}),
      ...(content ? { content: { ...content, blocks: redactValue(content.blocks) } } : {}),
    };
  }
  return { ...outcome, message: redactText(outcome.message), errorObject: redactValue(outcome.errorObject) };
}

export class ProjectHost {
  readonly project: Project;
  readonly database: Database;
  private started = false;
  private audit: { log: AuditLog; callerType: "stdio" | "http" } | undefined;
  /** Told each tool call's outcome and time (the HTTP server's metrics). */
  callObserver: ((tool: string, ok: boolean, seconds: number) => void) | undefined;

  private readonly lazyHandlers: boolean;
  private skipExportCheck = false;
  private strictOutput = false;
  private confirmDestructive = false;

  private constructor(project: Project, log: HostOptions["log"], lazyHandlers: boolean) {
    this.project = project;
    this.lazyHandlers = lazyHandlers;
    const state = runtimeState();
    // Every diagnostic line leaves without secrets, whoever wrote it.
    const sink = log ?? state.log;
    state.log = (level, message) => sink(level, redactText(message));
    const secrets: SecretEntry[] = (project.userProfile?.secrets ?? []).map((s) => ({ name: s.name, type: s.type, parameters: s.parameters, ...(s.unresolved ? { unresolved: s.unresolved } : {}) }));
    state.siteConfig = project.site as unknown as Record<string, unknown>;
    state.userConfig = project.userConfig as unknown as Record<string, unknown>;
    state.secrets = secrets;
    this.database = new Database({
      path: project.duckdbPath,
      readonly: project.duckdbReadonly,
      onOpen: (conn) => prepareConnection(conn, secrets, this.project.site.extensions),
      onLocked: (message) => runtimeState().log("warning", `${message}. Tools that do not use the database keep working.`),
    });
    state.database = this.database;
  }

  static load(opts: HostOptions = {}): ProjectHost {
    const host = new ProjectHost(loadProject(opts), opts.log, opts.lazyHandlers === true);
    host.skipExportCheck = opts.skipExportCheck === true;
    host.strictOutput = opts.strictOutput === true;
    host.confirmDestructive = opts.confirmDestructive === true;
    return host;
  }

  /**
   * Record every call in MXCP's audit log when the profile (or MXCP_AUDIT_ENABLED) turns it on;
   * as in MXCP, only the server does.
   */
  enableAudit(callerType: "stdio" | "http"): string | undefined {
    const { siteProfile, env } = this.project;
    const flag = env.MXCP_AUDIT_ENABLED;
    const enabled = flag !== undefined ? /^(1|true|yes|on)$/i.test(flag) : siteProfile.audit.enabled;
    if (!enabled) return undefined;
    const path = auditLogPath(this.project);
    const secrets = runtimeState().secrets.flatMap((s) => Object.values(s.parameters).filter((v): v is string => typeof v === "string"));
    this.audit = { log: new AuditLog(path, secrets), callerType };
    return path;
  }

  get endpoints(): EndpointEntry[] {
    return this.project.endpoints;
  }

  /** Endpoints that loaded without problems. */
  get validEndpoints(): EndpointEntry[] {
    return this.project.endpoints.filter((e) => e.problems.length === 0);
  }

  find(kind: EndpointEntry["kind"], name: string): EndpointEntry | undefined {
    return this.project.endpoints.find((e) => e.kind === kind && e.name === name);
  }

  /**
   * Open the database, load plugins and every TypeScript handler module (so their hooks register; with
   * `lazyHandlers`, only check their exports in the source text), then run the init hooks.
   * A handler module that fails to load, or lacks its export, marks its endpoints.
   */
  async start(): Promise<void> {
    if (this.started) return;
    this.started = true;
    // From here project code runs: whatever it prints leaves without secrets.
    redactOutputStreams();
    // DuckDB opens on first use: a project whose tools never touch it serves even while another process
    // (a second client's server) holds the file.
    await loadPlugins(this.project, this.database);
    const exportsCheck = this.lazyHandlers && !this.skipExportCheck ? new HandlerExports(this.project.root) : undefined;
    for (const entry of this.project.endpoints) {
      // An endpoint listed by name only (`run` loads just the one it calls) has nothing to check.
      if (entry.problems.length > 0 || entry.kind === "prompt" || !entry.definition) continue;
      const def = entry.definition as ToolDef | ResourceDef;
      if (def.language !== "typescript") continue;
      const file = resolveSourceFile(this.project.root, join(this.project.root, entry.path), def.source);
      if (this.lazyHandlers) {
        if (!exportsCheck) continue;
        const missing = exportsCheck.missing(entry, file);
        if (missing) entry.problems.push({ file: entry.path, path: `${entry.kind}.source.file`, message: missing });
        continue;
      }
      try {
        await resolveHandler(this.project.root, entry);
      } catch (e) {
        entry.problems.push({ file: entry.path, path: `${entry.kind}.source.file`, message: loadFailure(e, file) });
      }
    }
    exportsCheck?.save();
    const state = runtimeState();
    await runHooks(state.initHooks, "init");
    state.initDone = true;
  }

  async callTool(name: string, args: Record<string, unknown>, opts: CallOptions = {}): Promise<CallOutcome> {
    return this.call("tool", name, args, opts);
  }

  async readResource(uri: string, args: Record<string, unknown>, opts: CallOptions = {}): Promise<CallOutcome> {
    return this.call("resource", uri, args, opts);
  }

  /** A prompt's messages; its media files are read from the project, its embedded resources through readContents. */
  async getPrompt(name: string, args: Record<string, unknown>, opts: CallOptions = {}): Promise<PromptMessage[]> {
    const entry = this.find("prompt", name);
    if (!entry) throw new Error(`Unknown prompt: ${name}`);
    const problem = endpointError(entry);
    if (problem) throw new Error(problem);
    const yamlFile = join(this.project.root, entry.path);
    return renderPrompt(entry.definition as PromptDef, args, {
      readFile: (file) => {
        const path = resolveSourceFile(this.project.root, yamlFile, { file })!;
        // Checked again when read: the file may have become a link since the project loaded.
        if (!insideProject(this.project.root, path)) throw new Error(`The prompt's file is outside the project: ${file}`);
        return readFileSync(path);
      },
      readResource: (uri) => this.readContents(uri, opts),
    });
  }

  /** The resource at a concrete `uri` (a static one, or a template's match), as resources/read gives it. */
  async readContents(uri: string, opts: CallOptions = {}): Promise<ResourceContents> {
    for (const e of this.validEndpoints) {
      if (e.kind !== "resource") continue;
      const def = e.definition as ResourceDef;
      const vars = matchUriTemplate(def.uri, uri);
      if (!vars) continue;
      const outcome = await this.readResource(def.uri, vars, opts);
      if (outcome.status === "error") throw new Error(`Error reading resource ${uri}: ${outcome.message}`);
      const value = outcome.result;
      if (outcome.blob) return { uri, mimeType: def.mime_type ?? "application/octet-stream", blob: value as string };
      const mimeType = def.mime_type ?? (typeof value === "string" ? "text/plain" : "application/json");
      return { uri, mimeType, text: typeof value === "string" ? value : JSON.stringify(value, null, 2) };
    }
    throw new UnknownResourceError(`Unknown resource: ${uri}`);
  }

  private async call(kind: "tool" | "resource", name: string, args: Record<string, unknown>, opts: CallOptions): Promise<CallOutcome> {
    const entry = this.find(kind, name);
    if (!entry) return failure(`Unknown ${kind}: ${name}`, "Unknown endpoint");
    const problem = endpointError(entry);
    if (problem) return failure(problem, "Invalid endpoint");
    try {
      checkArgumentSize(args);
    } catch (e) {
      return failure((e as Error).message, "Invalid arguments");
    }
    await this.start();
    const def = entry.definition as ToolDef;
    return this.guarded(kind, name, args, opts, def, (ctx, trace) =>
      executeEndpoint({ root: this.project.root, database: this.database }, entry, args, { strictOutput: this.strictOutput, confirmDestructive: this.confirmDestructive, ...opts, trace, log: (m) => runtimeState().log("warning", m) }),
    );
  }

  /**
   * A call the server answers itself (query_results, run_code's sql()): through the same gate (a reload or a
   * shutdown waits for it), redaction and audit log as a tool's.
   */
  async callBuiltIn(name: string, args: Record<string, unknown>, opts: CallOptions, work: () => Promise<unknown>): Promise<CallOutcome> {
    return this.guarded("tool", name, args, opts, undefined, async () => {
      try {
        return { status: "ok", result: toJsonSafe(await work()) };
      } catch (e) {
        const errorObject = toErrorDict(e);
        return { status: "error", message: errorObject.message, errorObject };
      }
    });
  }

  /** Record a call that did not run through the gate (the surfaces' meta-tools, whose inner calls do). */
  recordCall(name: string, args: Record<string, unknown>, opts: CallOptions, outcome: { ok: boolean; output: unknown; error: string | null; durationMs: number }): void {
    this.callObserver?.(name, outcome.ok, outcome.durationMs / 1000);
    this.audit?.log.write({
      operationType: "tool",
      operationName: name,
      status: outcome.ok ? "success" : "error",
      durationMs: outcome.durationMs,
      callerType: this.audit.callerType,
      userId: opts.user?.user_id ?? null,
      sessionId: opts.sessionId ?? null,
      input: redactValue(args),
      output: redactValue(outcome.output ?? null),
      error: outcome.error === null ? null : redactText(outcome.error),
      policiesEvaluated: [],
      policyDecision: "allow",
      policyReason: null,
    });
  }

  private async guarded(
    kind: "tool" | "resource",
    name: string,
    args: Record<string, unknown>,
    opts: CallOptions,
    def: ToolDef | undefined,
    run: (ctx: CallContext, trace: PolicyTrace) => Promise<CallOutcome>,
  ): Promise<CallOutcome> {
    const state = runtimeState();
    const ctx: CallContext = { callId: nextCallId++, endpoint: `${kind}/${name}`, user: opts.user, mcp: opts.mcp };
    // The user's own token at an API (an OAuth proxy's sign-in) is as secret as a configured key, wherever it shows.
    if (opts.user?.external_token) addSecretValue(opts.user.external_token);
    await state.gate.enter(ctx.callId);
    const started = performance.now();
    const trace: PolicyTrace = { evaluated: [], decision: "allow" };
    try {
      // Secrets are removed here, once, from whatever any handler, SDK or upstream produced.
      const outcome = redactOutcome(await state.calls.run(ctx, () => run(ctx, trace)));
      // A cached read during the call says so in the result's metadata and in the audit record.
      if ((ctx.cache || ctx.paging) && outcome.status === "ok") {
        outcome.meta = {
          ...(ctx.cache ? { cache: ctx.cache.state, ...(ctx.cache.ageSeconds !== undefined ? { ageSeconds: ctx.cache.ageSeconds } : {}) } : {}),
          ...(ctx.paging ? { pages: ctx.paging.pages, ...(ctx.paging.next ? { next: redactValue(ctx.paging.next) } : {}) } : {}),
        };
      }
      if (kind === "tool") this.callObserver?.(name, outcome.status === "ok", (performance.now() - started) / 1000);
      this.audit?.log.write({
        operationType: kind,
        operationName: name,
        status: outcome.status === "ok" ? "success" : "error",
        durationMs: performance.now() - started,
        callerType: this.audit.callerType,
        userId: opts.user?.user_id ?? null,
        sessionId: opts.sessionId ?? null,
        input: def ? redactSensitive(args, { type: "object", properties: Object.fromEntries(def.parameters?.map((p) => [p.name, p]) ?? []) }) : redactValue(args),
        output: outcome.status === "ok" ? (def ? redactSensitive(outcome.result, def.return) : outcome.result) : null,
        error: outcome.status === "error" ? outcome.message : null,
        policiesEvaluated: trace.evaluated,
        policyDecision: trace.decision,
        policyReason: trace.reason ?? null,
        businessContext: ctx.cache ? { cache: ctx.cache.state, ...(ctx.cache.ageSeconds !== undefined ? { cache_age_seconds: ctx.cache.ageSeconds } : {}) } : {},
      });
      return outcome;
    } finally {
      state.gate.leave(ctx.callId);
    }
  }

  /** Run the shutdown hooks, then checkpoint and close the database. */
  async shutdown(): Promise<void> {
    const state = runtimeState();
    await runHooks(state.shutdownHooks, "shutdown");
    await this.database.close();
    if (state.database === this.database) state.database = undefined;
  }

}

/** resources/read of a URI no resource of the project serves. */
export class UnknownResourceError extends Error {}

function failure(message: string, kind: string): CallOutcome {
  return { status: "error", message, errorObject: { error: kind, message } };
}

function loadFailure(e: unknown, file: string | undefined): string {
  const msg = (e as Error)?.message ?? String(e);
  return msg.startsWith("Function '") ? msg : `Failed to load ${file ?? "handler"}: ${msg.split("\n")[0]}`;
}

/** Run hooks in order, awaiting each; a failure is logged and the next hook still runs. */
export async function runHooks(hooks: Hook[], kind: "init" | "shutdown"): Promise<void> {
  for (const hook of hooks) {
    try {
      await hook();
    } catch (e) {
      runtimeState().log("error", `${kind} hook ${hook.name || "(anonymous)"} failed: ${(e as Error)?.message ?? String(e)}`);
    }
  }
}
