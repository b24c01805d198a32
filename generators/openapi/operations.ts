// Each operation of the document becomes one tool in the model.
import { restatesRoute, routeName, summaryVerb, type NamingRule } from "./route-names.js";
import { routeAction } from "../../src/model/verbs.js";
import picomatch from "picomatch";
import { detectPaging, maxPagesArg } from "./pagination.js";
import { toolAnnotations, type Effect } from "../../src/model/annotations.js";
import { HTTP_METHODS, isIdempotentMethod, isSafeMethod, type HttpMethod } from "../../src/runtime/http/methods.js";
import { MAX_TOOL_NAME, parameterName, shortenName, snakeCase, uniqueName } from "../../src/model/naming.js";
import { nonEmpty } from "../../src/model/selection.js";
import { DESTRUCTIVE_WORD } from "../../src/model/verbs.js";
import { maxPagesParameter } from "../../src/model/paging.js";
import { cleanDescription, joinSummary } from "../../src/model/text.js";
import type { ModelNote, ToolModel, ToolParameter } from "../../src/model/tool-model.js";
import type { HttpOperation, HttpParameter, SecuritySchemeDef, ServerDef } from "../../src/runtime/http/types.js";
import { pointerOf, type Diagnostics } from "./diagnostics.js";
import { isReference, resolved, type OpenApiDocument, type OperationObject, type PathItemObject, type ServerObject } from "./document.js";
import { exampleTests, requestBodyExample } from "./examples.js";
import { viewOperation, type OperationView, type PathItemMethod } from "./operation-view.js";
import { operationInputs } from "./parameters.js";
import { resultShape } from "./responses.js";
import { securityRequirements } from "./security.js";

// The keys of a path item that hold operations.
const METHODS = HTTP_METHODS.map((m) => m.toLowerCase() as PathItemMethod);

export interface OperationFilters {
  /**
   * Parameters filled from the secret instead of being asked for (`apiKey=api_key`, or a bare name, whose
   * secret key is its snake_case form): credentials a document models as ordinary parameters.
   */
  bind?: string[] | undefined;
  tags?: string[] | undefined;
  include?: string[] | undefined;
  exclude?: string[] | undefined;
  methods?: string[] | undefined;
  readOnly?: boolean | undefined;
  /** How operations are named (route-names.ts); `operation-id` when not given. */
  naming?: NamingRule | undefined;
}

export interface OperationsContext {
  doc: OpenApiDocument;
  api: string;
  file: string;
  diagnostics: Diagnostics;
  notes: ModelNote[];
  schemes: Record<string, SecuritySchemeDef>;
  filters: OperationFilters;
  openapi31: boolean;
  servers: (raw: ServerObject[] | undefined) => ServerDef[] | undefined;
}

/**
 * What an operation does, by its method (RFC 9110's safe and idempotent methods), except that a write whose name
 * says it deletes, revokes, cancels or terminates is destructive whatever its method.
 */
function effectOf(method: string, name: string): { effect: Effect; idempotent: boolean } {
  if (isSafeMethod(method)) return { effect: "read", idempotent: true };
  const destructive = DESTRUCTIVE_WORD.test(name) || method === "delete";
  return { effect: destructive ? "destructive" : "write", idempotent: isIdempotentMethod(method) };
}

/**
 * A readable base name: the operationId in snake_case, unless (under the `route` rule) it only restates the
 * method and path, or there is none: then what the method means on the path (`create_customer`). Under the
 * `operation-id` rule, kept by projects generated before, an absent operationId gives method and path.
 */
function baseName(method: string, path: string, op: OperationObject, naming: NamingRule, item: PathItemObject): string {
  const id = typeof op.operationId === "string" && snakeCase(op.operationId) ? op.operationId : undefined;
  if (naming === "route" && (id === undefined || restatesRoute(id, method, path))) {
    // A POST on an item beside a PUT or PATCH is not the update: its summary's verb names it, if it has one.
    if (method === "post" && routeAction(method, path).action === "update" && (item.put || item.patch)) {
      const verb = summaryVerb(op.summary);
      if (verb) return routeName(method, path, verb);
    } else return routeName(method, path);
  }
  if (id !== undefined) return snakeCase(id);
  return snakeCase(`${method} ${path.replace(/[{}]/g, "")}`) || method;
}

const WINDOWS_RESERVED = /^(con|prn|aux|nul|com\d|lpt\d)$/i;

export function buildTools(ctx: OperationsContext): ToolModel[] {
  const tools: ToolModel[] = [];
  const taken = new Set<string>();
  // An empty list filters nothing, as an absent one.
  const includes = nonEmpty(ctx.filters.include)?.map((g) => picomatch(g, { nocase: true }));
  const excludes = nonEmpty(ctx.filters.exclude)?.map((g) => picomatch(g, { nocase: true }));
  const methods = nonEmpty(ctx.filters.methods)?.map((m) => m.toLowerCase());
  const tagFilter = nonEmpty(ctx.filters.tags);
  for (const [path, rawItem] of Object.entries(ctx.doc.paths ?? {})) {
    if (!rawItem || typeof rawItem !== "object") continue;
    const item = resolved(ctx.doc, rawItem);
    for (const method of METHODS) {
      const pointer = pointerOf(["paths", path, method]);
      // The specification has no operation references, but multi-file documents use them: a local one is
      // followed here (the loader inlined the external ones); one that leads nowhere is said, not skipped.
      const raw = item[method];
      const op = raw && typeof raw === "object" && isReference(raw) ? resolved(ctx.doc, raw) : raw;
      if (!op || typeof op !== "object") continue;
      if (isReference(op) || Object.keys(op).length === 0) {
        ctx.diagnostics.warn(ctx.file, pointer, "The operation is a $ref that resolves to nothing: no tool is made for it");
        continue;
      }
      if (op["x-mcp"] === false || op["x-mxcp"]?.exclude === true) continue;
      if (ctx.filters.readOnly && !isSafeMethod(method)) continue;
      if (methods && !methods.includes(method)) continue;
      const tags = Array.isArray(op.tags) ? op.tags.filter((t): t is string => typeof t === "string") : [];
      if (tagFilter && !tags.some((t) => tagFilter.some((f) => f.toLowerCase() === t.toLowerCase()))) continue;
      const naming = ctx.filters.naming ?? "operation-id";
      const withPrefix = (base: string) => (base === ctx.api || base.startsWith(`${ctx.api}_`) ? base : `${ctx.api}_${base}`);
      // Two operations that mean the same on a path (PUT and Stripe's POST on an item): the later keeps its own name.
      let base = baseName(method, path, op, naming, item);
      if (naming === "route" && taken.has(withPrefix(base))) base = baseName(method, path, op, "operation-id", item);
      const prefixed = withPrefix(base);
      const candidates = [typeof op.operationId === "string" ? op.operationId : "", base, prefixed, path, `${method.toUpperCase()} ${path}`].filter(Boolean);
      if (includes && !candidates.some((c) => includes.some((m) => m(c)))) continue;
      if (excludes && candidates.some((c) => excludes.some((m) => m(c)))) continue;
      if (typeof op.operationId !== "string") ctx.diagnostics.warn(ctx.file, pointer, `No operationId: the tool is named from the method and path`);
      const short = shortenName(prefixed, MAX_TOOL_NAME, ctx.api);
      const name = uniqueName(short, taken, MAX_TOOL_NAME);
      if (name !== prefixed) ctx.notes.push({ tool: name, where: pointer, message: `name shortened from ${prefixed}` });
      tools.push(buildTool(ctx, viewOperation(ctx.doc, path, method, item, op), name, tags));
    }
  }
  return tools;
}

function buildTool(ctx: OperationsContext, view: OperationView, name: string, tags: string[]): ToolModel {
  const { path, method, item, operation: op, pointer } = view;
  const schemaCtx = { doc: ctx.doc, mode: "input" as const, notes: ctx.notes, tool: name, openapi31: ctx.openapi31 };
  const inputs = operationInputs(view, { doc: ctx.doc, file: ctx.file, schemaCtx, diagnostics: ctx.diagnostics, schemes: ctx.schemes });
  const result = resultShape(view.successes, { ...schemaCtx, mode: "output" }, pointer);
  const security = securityRequirements(op.security ?? ctx.doc.security, ctx.schemes);
  const servers = ctx.servers(op.servers ?? item.servers);
  const operation: HttpOperation = {
    method: method.toUpperCase() as HttpMethod,
    path,
    parameters: inputs.wire,
    ...(inputs.body ? { body: inputs.body } : {}),
    security,
    ...(servers ? { servers } : {}),
    ...(inputs.idempotencyKey ? { idempotencyKey: true } : {}),
  };
  bindParameters(inputs, ctx.filters.bind, ctx.notes, name, pointer);
  const paging = detectPaging(ctx.doc, view, inputs.wire);
  if (paging) {
    paging.maxPagesArg = maxPagesArg(operation, inputs.parameters.map((p) => p.name));
    operation.paging = paging;
    inputs.parameters.push(maxPagesParameter(paging.maxPagesArg, `Pages by ${PAGING_WORDS[paging.style]}.`));
    ctx.notes.push({ tool: name, where: pointer, message: `pages by ${PAGING_WORDS[paging.style]}: ${paging.maxPagesArg} fetches several pages in one call` });
  }
  const summary = typeof op.summary === "string" ? op.summary : undefined;
  let description = joinSummary(summary, typeof op.description === "string" ? op.description : undefined, 1024);
  if (op.deprecated === true) description = `Deprecated. ${description}`.trim();
  if (!description) description = `${method.toUpperCase()} ${cleanDescription(path, 200)}`;
  const title = cleanDescription(summary, 100).split("\n")[0] ?? "";
  const { effect, idempotent } = effectOf(method, name);
  const moduleName = WINDOWS_RESERVED.test(name) ? `${name}_op` : name;
  const bodyWireNames = new Map((inputs.body?.properties ?? []).map((p) => [p.arg, p.name] as const));
  const tests = exampleTests(ctx.doc, view.successes, inputs.parameters, bodyWireNames, requestBodyExample(ctx.doc, view.requestBody, inputs.body?.mediaType));
  const origin: Record<string, string> = { method: method.toUpperCase(), path };
  if (typeof op.operationId === "string") origin.operationId = op.operationId;
  return {
    name,
    description,
    annotations: toolAnnotations(effect, idempotent, title),
    tags: tags.map((t) => cleanDescription(t, 60)).filter(Boolean),
    parameters: inputs.parameters,
    ...(result.returns ? { returns: result.returns.description ? result.returns : { ...result.returns, description: returnsDescription(view) } } : {}),
    ...(tests.length > 0 ? { tests } : {}),
    target: { kind: "http", operation, resultType: result.tsType },
    origin,
    moduleName,
  };
}

const PAGING_WORDS: Record<NonNullable<HttpOperation["paging"]>["style"], string> = {
  link: "the Link header (rel=next)",
  cursor: "a cursor and has_more",
  token: "a next-page token",
  offset: "offset and limit",
  page: "page number",
};

const CREDENTIAL_NAME = /^(api[_-]?key|apikey|token|access[_-]?token|auth[_-]?token|key|secret|client[_-]?secret|password)$/i;

/**
 * `--bind NAME[=KEY]`: the parameter leaves the tool and is filled from the secret's KEY at run time. A
 * parameter whose name looks like a credential and is not bound is noted, with the flag to bind it.
 */
function bindParameters(inputs: { wire: HttpParameter[]; parameters: ToolParameter[] }, bind: string[] | undefined, notes: ModelNote[], tool: string, pointer: string): void {
  const bound = new Map(
    (bind ?? []).map((b) => {
      const eq = b.indexOf("=");
      const name = (eq === -1 ? b : b.slice(0, eq)).trim();
      const key = eq === -1 ? "" : b.slice(eq + 1).trim();
      return [name, key || parameterName(snakeCase(name))] as const;
    }),
  );
  for (const w of inputs.wire) {
    const key = bound.get(w.name);
    if (key !== undefined) {
      w.secret = key;
      inputs.parameters = inputs.parameters.filter((p) => p.name !== w.arg);
    } else if (CREDENTIAL_NAME.test(w.name)) {
      notes.push({ tool, where: pointer, message: `${w.in} parameter '${w.name}' looks like a credential: the model is asked for it; if it is one, --bind ${w.name} fills it from the secret's ${parameterName(snakeCase(w.name))} instead` });
    }
  }
}

/** What a result is, when its schema does not say: the 2xx response's own words, else the operation it answers. */
function returnsDescription({ successes, method, path }: OperationView): string {
  const said = cleanDescription(successes[0]?.response.description, 200);
  // "OK" and "successful operation" say nothing about what comes back.
  if (said && !/^(ok|success(ful)?( operation| response)?|200( ok)?|default response)\.?$/i.test(said)) return said;
  return `What ${method.toUpperCase()} ${cleanDescription(path, 200)} returns.`;
}
