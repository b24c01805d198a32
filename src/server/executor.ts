import { relative } from "node:path";
import type { PromptDef, ResourceDef, ToolDef } from "../project/definitions.js";
import { resolveSourceFile, type EndpointEntry } from "../project/endpoints.js";
import { renderTemplate } from "../project/prompt-template.js";
import { messageKind, messageMediaType } from "../project/prompt-messages.js";
import { readFileSync } from "node:fs";
import { isErrorObject, toErrorDict, type ErrorObject } from "../runtime/errors.js";
import { contentReturn, type ContentBlock } from "../runtime/content.js";
import type { Database } from "../runtime/database.js";
import { ValidationError, validateInput } from "../types/validate-input.js";
import { validateWithSchema } from "../types/json-schema-input.js";
import { reshapeResult, toJsonSafe, validateOutput } from "../types/validate-output.js";
import { fitOutput } from "../types/fit-output.js";
import { confirmCall } from "./confirmation.js";
import { runtimeState, type UserContext } from "../runtime/state.js";
import { loadModule } from "./module-loader.js";
import { enforceInput, enforceOutput, loadPolicyEngine, policyUser, type PolicyTrace } from "./policies.js";

/** What the runtime noted during a call, for the MCP result's `_meta` and the audit record. */
export interface CallMeta {
  cache?: "hit" | "miss" | "revalidated";
  ageSeconds?: number;
  pages?: number;
  next?: Record<string, unknown>;
}

export type CallOutcome =
  /**
   * `misfits`: where the answer of an API tool does not fit its declared type (it is returned as sent);
   * `structured` is then the answer with those values as null, for structuredContent.
   */
  | { status: "ok"; result: unknown; meta?: CallMeta; misfits?: string[]; structured?: unknown; content?: ContentOutcome; blob?: true }
  /**
   * `message` is what MXCP would print; `errorObject` describes the failure as an error object;
   * `returned` is true when the handler itself returned that object (rather than something failing).
   */
  | { status: "error"; message: string; errorObject: ErrorObject; returned?: true };

/**
 * Content a handler returned (see runtime/content.ts): the blocks, whether the value goes before them as text, and
 * whether it is an API's binary answer (whose value is then sent without the bytes, which travel in the block).
 * `blob` on the outcome: a resource answered bytes, and `result` holds them base64-encoded.
 */
export interface ContentOutcome {
  blocks: ContentBlock[];
  valueAsText: boolean;
  binary: boolean;
}

export interface ExecuteOptions {
  skipOutputValidation?: boolean;
  /** Fail an API tool's answer that does not fit its declared type, as hand-written tools do (MXCP's check). */
  strictOutput?: boolean | undefined;
  /** Ask the user before a tool marked destructive runs (serve --confirm-destructive). */
  confirmDestructive?: boolean | undefined;
  /** The caller, for policies. */
  user?: UserContext | undefined;
  /** Filled with what the policies decided (for the audit log). */
  trace?: PolicyTrace | undefined;
  log?: ((message: string) => void) | undefined;
}

export interface ExecutionTarget {
  root: string;
  database: Database;
}

/** The function a TypeScript endpoint calls: the export named like the tool (resources: name, `main`, default). */
export async function resolveHandler(root: string, entry: EndpointEntry): Promise<(args: Record<string, unknown>) => unknown> {
  const def = entry.definition as ToolDef | ResourceDef;
  const file = resolveSourceFile(root, `${root}/${entry.path}`, def.source)!;
  const mod = await loadModule(file);
  const candidates = entry.kind === "tool" ? [(def as ToolDef).name] : [def.name, "main", "default"].filter((n): n is string => !!n);
  for (const name of candidates) {
    if (typeof mod[name] === "function") return mod[name] as (args: Record<string, unknown>) => unknown;
  }
  throw new Error(`Function '${candidates[0]}' not found in ${relative(root, file).split("\\").join("/")}`);
}

/** Run one tool or resource: validate the arguments, execute, reshape, validate the output. */
export async function executeEndpoint(
  target: ExecutionTarget,
  entry: EndpointEntry,
  args: Record<string, unknown>,
  opts: ExecuteOptions = {},
): Promise<CallOutcome> {
  const def = entry.definition as ToolDef | ResourceDef;
  const trace = opts.trace ?? { evaluated: [], decision: "allow" };
  const log = opts.log ?? (() => {});
  const user = policyUser(opts.user);
  try {
    // MXCP's order: input policies, then validation and conversion, execution, reshaping, output validation, output policies.
    if (def.policies) await loadPolicyEngine();
    const confirmations = enforceInput(def.policies, args, user, trace, log);
    const params = def.parameters ?? [];
    const schema = entry.kind === "tool" ? (def as ToolDef).input_schema : undefined;
    const validated = schema ? validateWithSchema(schema, { ...args }) : params.length > 0 ? validateInput(params, args) : { ...args };
    // Asked once the arguments are valid, so the user is never asked about a call that would fail anyway.
    const destructive = entry.kind === "tool" && opts.confirmDestructive === true && (def as ToolDef).annotations?.destructiveHint === true;
    if (entry.kind === "tool" && (destructive || confirmations.length > 0)) await confirmCall(def as ToolDef, validated, confirmations[0]);
    let result: unknown;
    if (def.language === "sql") {
      const sql = def.source.file ? readFileSync(resolveSourceFile(target.root, `${target.root}/${entry.path}`, def.source)!, "utf8") : def.source.code!;
      result = await target.database.execute(sql, validated);
    } else {
      const fn = await resolveHandler(target.root, entry);
      // A module loaded just now may have registered init hooks (its client): they finish first.
      await runtimeState().lateInit;
      result = await fn(validated);
    }
    if (isErrorObject(result)) return { status: "error", message: result.message, errorObject: toJsonSafe(result) as ErrorObject, returned: true };
    if (entry.kind === "resource" && (result instanceof Uint8Array || result instanceof ArrayBuffer)) {
      return { status: "ok", result: Buffer.from(result instanceof ArrayBuffer ? new Uint8Array(result) : result).toString("base64"), blob: true };
    }
    const returned = contentReturn(result);
    if (!returned) return finishValue(entry, result, opts, user, trace, log);
    if (!returned.hasValue && def.return) throw new TypeError(`The handler returned content blocks, but the ${entry.kind} declares a return type: return content.with(value, …blocks)`);
    const outcome = returned.hasValue ? finishValue(entry, returned.value, opts, user, trace, log) : ({ status: "ok", result: null } as CallOutcome);
    if (outcome.status !== "ok") return outcome;
    // An output policy that filtered or masked the bytes' field keeps them out of the block too.
    const bytesKept = !returned.binary || (outcome.result as { content_base64?: unknown } | null)?.content_base64 === (returned.value as { content_base64?: unknown }).content_base64;
    if (!bytesKept) return outcome;
    return { ...outcome, content: { blocks: returned.blocks, valueAsText: returned.hasValue && !returned.binary, binary: returned.binary } };
  } catch (e) {
    const errorObject = toErrorDict(e);
    return { status: "error", message: errorObject.message, errorObject };
  }
}

/** Reshape, validate and filter a value by the endpoint's `return` and output policies. */
function finishValue(entry: EndpointEntry, result: unknown, opts: ExecuteOptions, user: ReturnType<typeof policyUser>, trace: PolicyTrace, log: (m: string) => void): CallOutcome {
  const def = entry.definition as ToolDef | ResourceDef;
  const shaped = reshapeResult(result, def.return);
  if (!def.return || opts.skipOutputValidation || opts.strictOutput || !answersForAnApi(entry)) {
    if (def.return && !opts.skipOutputValidation) validateOutput(shaped, def.return);
    return { status: "ok", result: toJsonSafe(enforceOutput(def.policies, shaped, user, def.return, trace, log)) };
  }
  const fitted = fitOutput(shaped, def.return);
  const value = toJsonSafe(enforceOutput(def.policies, fitted.value, user, def.return, trace, log));
  if (fitted.misfits.length === 0) return { status: "ok", result: value };
  return { status: "ok", result: value, misfits: fitted.misfits, structured: toJsonSafe(enforceOutput(def.policies, fitted.structured, user, def.return, { evaluated: [], decision: "allow" }, () => undefined)) };
}

/** A tool mxcp-gen generated from an API document or a package: its answers come from someone else's code. */
function answersForAnApi(entry: EndpointEntry): boolean {
  return entry.metadata?.generated_by === "mxcp-gen";
}

/** One message's content, as MCP's prompts/get gives it. */
export type PromptContent =
  | { type: "text"; text: string }
  | { type: "image" | "audio"; data: string; mimeType: string }
  | { type: "resource"; resource: ResourceContents };

/** A resource's contents as resources/read gives them: its text, or its bytes base64-encoded. */
export type ResourceContents = { uri: string; mimeType: string; text: string } | { uri: string; mimeType: string; blob: string };

export interface PromptMessage {
  role: "user" | "assistant";
  content: PromptContent;
}

/** Where a prompt's image, audio and embedded resources come from. */
export interface PromptSources {
  /** The bytes of a media file the message names (relative to the prompt's YAML file). */
  readFile(file: string): Buffer;
  /** The project's resource at `uri`, as resources/read reads it. */
  readResource(uri: string): Promise<ResourceContents>;
}

/** Render a prompt's messages with validated arguments, in the shape MCP expects. */
export async function renderPrompt(def: PromptDef, args: Record<string, unknown>, sources: PromptSources): Promise<PromptMessage[]> {
  const params = def.parameters ?? [];
  const validated = params.length > 0 ? validateInput(params, args) : { ...args };
  const messages: PromptMessage[] = [];
  for (const m of def.messages) {
    const role = m.role === "assistant" ? "assistant" : "user";
    const kind = messageKind(m);
    if (kind === "image" || kind === "audio") {
      messages.push({ role, content: { type: kind, data: sources.readFile(m.file!).toString("base64"), mimeType: messageMediaType(m)! } });
    } else if (kind === "resource") {
      const uri = renderTemplate(m.uri!, validated);
      const resource: ResourceContents = m.prompt !== undefined ? { uri, mimeType: m.mime_type ?? "text/plain", text: renderTemplate(m.prompt, validated) } : await sources.readResource(uri);
      messages.push({ role, content: { type: "resource", resource } });
    } else {
      messages.push({ role, content: { type: "text", text: renderTemplate(m.prompt!, validated) } });
    }
  }
  return messages;
}

export { ValidationError };
