// `mxcp-gen openapi`: an OpenAPI document (2.0, 3.0, 3.1; one file or many) → the tool model.
import { isUrl } from "../../src/model/source-location.js";
import { basename } from "node:path";
import { snakeCase } from "../../src/model/naming.js";
import { setOwn } from "../../src/runtime/own.js";
import { cacheSelector, parseDuration } from "../../src/model/selection.js";
import type { ApiModel, ModelNote, ToolModel } from "../../src/model/tool-model.js";
import { cacheReadKey, type ServerDef } from "../../src/runtime/http/types.js";
import { addressKind, refusedByDefault } from "../../src/runtime/http/addresses.js";
import { HTTP_METHODS, isCacheableMethod } from "../../src/runtime/http/methods.js";
import { pointerOf, type Diagnostics, type SpecProblem } from "./diagnostics.js";
import { confineRefs, loadDocument, type LoadOptions, type SourceFile } from "./load.js";
import { buildTools, type OperationFilters } from "./operations.js";
import { sendsBearer } from "../../src/runtime/http/types.js";
import { addAuthScheme, describeSchemes, secretParameters, securitySchemes } from "./security.js";
import { undeclaredAuthAdvice } from "./undeclared-auth.js";
import { convertSwagger2 } from "./swagger2.js";
import { openApiDocument, type OpenApiDocument, type ServerObject } from "./document.js";


export interface OpenApiOptions extends LoadOptions, OperationFilters {
  /** API name: the tool prefix, folder and secret name. Default: from the document's title. */
  name?: string | undefined;
  /** Replaces the document's servers. */
  baseUrl?: string | undefined;
  /** Credentials for a document that declares none: `bearer`, `basic`, `header:NAME` or `query:NAME`. */
  auth?: string | undefined;
  /** Cache safe reads (GET, HEAD) this long: `30s`, `10m`, `1h`, `1d`. Off when not given. */
  cache?: string | undefined;
  /** Only these tools (names or operationIds, globs) are cached; default every safe read. */
  cacheInclude?: string[] | undefined;
  /** These tools are never cached. */
  cacheExclude?: string[] | undefined;
  /**
   * Called with the document as soon as it is read (bundled, converted to 3.x, credentials added), before the tools
   * are built from it, for work that can start on it meanwhile. It must copy what it keeps: the document is not
   * final (`document` in the result is), and its references are not yet confined (see `confineRefs`).
   */
  onDocument?: ((document: OpenApiDocument) => void) | undefined;
}

export interface OpenApiResult {
  model: ApiModel;
  /** The bundled OpenAPI 3.x document the model was built from (for the types module). */
  document: OpenApiDocument;
  /** The version the input declared. */
  inputVersion: string;
  files: SourceFile[];
  warnings: SpecProblem[];
  /** Where the API's name came from: --name, the server host, the title. */
  nameFrom: "flag" | "host" | "title" | "none";
}

const GENERIC_WORDS = new Set(["a", "an", "of", "for", "api", "apis", "openapi", "open", "rest", "the", "v", "official", "spec", "specification", "swagger", "public", "service", "services", "platform", "developer", "developers", "documentation", "docs", "http", "www", "gateway", "app", "server"]);
const PUBLIC_SUFFIXES = new Set(["com", "io", "net", "org", "co", "uk", "dev", "cloud", "ai", "app", "us", "eu", "de", "fr", "info", "biz", "tech", "sh", "me"]);
const MAX_DEFAULT_NAME = 16;

/**
 * A short default name for an API: the server host's own name (`api.github.com` → `github`), else the
 * title's first meaningful word, kept whole (`GitHub's official OpenAPI spec` → `github`), at most 16
 * characters. Placeholder hosts (example.com, localhost) say nothing.
 */
export function defaultApiName(title: string, serverUrl?: string): { name: string; from: "host" | "title" | "none" } {
  if (serverUrl && /^https?:\/\//i.test(serverUrl)) {
    try {
      const labels = new URL(serverUrl.replace(/\{[^}]*\}/g, "x")).hostname.toLowerCase().split(".");
      const meaningful = labels.filter((l) => !PUBLIC_SUFFIXES.has(l) && !GENERIC_WORDS.has(l) && !/^(v?\d+|x)$/.test(l));
      const site = meaningful.at(-1);
      if (site && !/^(example|localhost|invalid|test)$/.test(site) && !/^\d+$/.test(site)) {
        const name = snakeCase(site.replace(/-/g, "_")).slice(0, MAX_DEFAULT_NAME).replace(/_+$/, "");
        if (name) return { name, from: "host" };
      }
    } catch {
      // not a URL: the title decides
    }
  }
  const words = title
    .replace(/['’]s\b/g, "")
    .split(/[^A-Za-z0-9]+/)
    .map((w) => w.toLowerCase())
    .filter((w) => w && !GENERIC_WORDS.has(w) && !/^v?\d+$/.test(w));
  const first = words[0];
  return first ? { name: first.slice(0, MAX_DEFAULT_NAME), from: "title" } : { name: "api", from: "none" };
}

export async function generateOpenApiModel(source: string, opts: OpenApiOptions = {}): Promise<OpenApiResult> {
  const loaded = await loadDocument(source, opts);
  const diagnostics = loaded.diagnostics;
  const raw = loaded.document;
  const inputVersion = String(raw.swagger ?? raw.openapi);
  const doc: OpenApiDocument = typeof raw.swagger === "string" ? convertSwagger2(raw) : openApiDocument(raw);
  const file = isUrl(source) ? source : basename(source);
  const info: Partial<OpenApiDocument["info"]> = doc.info && typeof doc.info === "object" ? doc.info : {};
  const title = typeof info.title === "string" ? info.title : "API";
  const firstServer: unknown = Array.isArray(doc.servers) ? doc.servers[0]?.url : undefined;
  const chosen = opts.name ? { name: snakeCase(opts.name) || "api", from: "flag" as const } : defaultApiName(title, typeof firstServer === "string" ? firstServer : undefined);
  const name = chosen.name;
  const perUser = opts.auth === "user";
  // Each caller's own token is a bearer token: a document that declares no scheme gets one.
  if (opts.auth && (!perUser || Object.keys(doc.components?.securitySchemes ?? {}).length === 0)) addAuthScheme(doc, perUser ? "bearer" : opts.auth);
  opts.onDocument?.(doc);
  const schemes = securitySchemes(doc, file, diagnostics);
  if (perUser && !Object.values(schemes).some(sendsBearer)) {
    diagnostics.error(file, "/components/securitySchemes", `--auth user sends each caller's own token as a bearer token, and this document's credentials are ${describeSchemes(schemes)}: a user's sign-in cannot stand in for them`);
  }
  const undeclaredAuth = Object.keys(schemes).length === 0 ? undeclaredAuthAdvice(typeof firstServer === "string" ? firstServer : opts.baseUrl) : undefined;
  if (undeclaredAuth) diagnostics.warn(file, "/components/securitySchemes", `The document declares no credentials (no security scheme), so the project sends none: ${undeclaredAuth}`);
  const notes: ModelNote[] = [];
  const toServers = (rawServers: ServerObject[] | undefined): ServerDef[] | undefined => {
    if (!Array.isArray(rawServers) || rawServers.length === 0) return undefined;
    return rawServers
      .filter((s): s is ServerObject => !!s && typeof s === "object" && typeof s.url === "string")
      .map((s) => {
        const url = isUrl(source) ? new URL(s.url, source).href : s.url;
        const vars = s.variables && typeof s.variables === "object" ? s.variables : {};
        const variables: NonNullable<ServerDef["variables"]> = {};
        for (const [k, v] of Object.entries(vars)) {
          setOwn(variables, k, { default: String(v.default ?? ""), ...(Array.isArray(v.enum) ? { enum: v.enum.map(String) } : {}) });
        }
        return Object.keys(variables).length > 0 ? { url, variables } : { url };
      });
  };
  const servers = opts.baseUrl ? [{ url: opts.baseUrl }] : (toServers(doc.servers) ?? []);
  if (!opts.baseUrl) {
    warnSpecialServers(servers, file, diagnostics, ["servers"]);
    // Path- and operation-level servers override the document's for their operations: the same warning.
    for (const [path, item] of Object.entries(doc.paths ?? {})) {
      if (!item || typeof item !== "object") continue;
      const pathServers = toServers((item as { servers?: ServerObject[] }).servers);
      if (pathServers) warnSpecialServers(pathServers, file, diagnostics, ["paths", path, "servers"]);
      for (const method of HTTP_METHODS) {
        const op = (item as Record<string, unknown>)[method.toLowerCase()] as { servers?: ServerObject[] } | undefined;
        const opServers = op && typeof op === "object" ? toServers(op.servers) : undefined;
        if (opServers) warnSpecialServers(opServers, file, diagnostics, ["paths", path, method.toLowerCase(), "servers"]);
      }
    }
  }
  const tools = buildTools({
    doc,
    api: name,
    file,
    diagnostics,
    notes,
    schemes,
    filters: opts,
    openapi31: String(doc.openapi).startsWith("3.1"),
    servers: (s) => (opts.baseUrl ? undefined : toServers(s)),
  });
  const pathCount = Object.keys(doc.paths ?? {}).length;
  if (tools.length === 0 && pathCount > 0) {
    // A document with paths that gives nothing is never a silent success: say why.
    const filtered = [opts.include, opts.exclude, opts.methods, opts.tags].some((f) => Array.isArray(f) && f.length > 0) || opts.readOnly;
    diagnostics.error(
      file,
      "/paths",
      filtered
        ? `None of the document's ${pathCount} paths has an operation that the filters (--tag, --include, --exclude, --methods, --read-only) let through`
        : `The document has ${pathCount} paths but no operation in them became a tool (see the warnings above: operations that are references to nothing, or excluded with x-mcp: false)`,
    );
  }
  diagnostics.throwIfErrors();
  const cache = opts.cache ? { ttlSeconds: parseDuration(opts.cache), reads: cachedReads(tools, opts.cacheInclude, opts.cacheExclude) } : undefined;
  const model: ApiModel = {
    name,
    title,
    version: typeof info.version === "string" ? info.version : "",
    servers,
    securitySchemes: schemes,
    ...(undeclaredAuth ? { undeclaredAuth } : {}),
    ...(cache ? { cache } : {}),
    secretParameters: withBound(secretParameters(schemes, perUser), boundSecretParameters(tools)),
    ...(perUser ? { credentials: "user" as const } : {}),
    tools,
    notes,
  };
  // The document goes on to openapi-typescript, whose resolver follows every `$ref` it meets.
  confineRefs(doc);
  return { model, document: doc, inputVersion, files: loaded.files, warnings: diagnostics.warnings, nameFrom: chosen.from };
}

/**
 * Which reads the client keeps: every safe read, or (with include or exclude globs, matched against tool names
 * and operationIds) the listed ones. Said in the client only, so a change of `--cache` leaves the handlers as
 * they are.
 */
function cachedReads(tools: ToolModel[], include: string[] | undefined, exclude: string[] | undefined): "all" | string[] {
  if (!include?.length && !exclude?.length) return "all";
  const selected = cacheSelector(include, exclude);
  return tools.flatMap((tool) => {
    if (tool.target.kind !== "http" || !isCacheableMethod(tool.target.operation.method)) return [];
    return selected([tool.name, tool.origin.operationId ?? ""].filter(Boolean)) ? [cacheReadKey(tool.target.operation)] : [];
  });
}

/**
 * A server (with any value its variables may take) on a metadata, link-local or private address would
 * send the API's credentials there: say so. The runtime refuses the first two unless the user names them.
 */
function warnSpecialServers(servers: ServerDef[], file: string, diagnostics: Diagnostics, at: string[]): void {
  servers.forEach((server, i) => {
    const choices = Object.entries(server.variables ?? {}).map(([name, v]) => [name, [...new Set([v.default, ...(v.enum ?? [])])]] as const);
    let urls = [server.url];
    for (const [name, values] of choices) urls = urls.flatMap((u) => values.map((v) => u.split(`{${name}}`).join(v))).slice(0, 64);
    for (const url of urls) {
      let host: string;
      try {
        host = new URL(url).hostname;
      } catch {
        continue;
      }
      const kind = addressKind(host);
      if (kind && kind !== "loopback") {
        diagnostics.warn(file, pointerOf([...at, i]), `server ${url} is a ${kind} address: requests would carry the API's credentials there${refusedByDefault(kind) ? " (refused at run time unless base_url names it)" : ""}`);
        return;
      }
    }
  });
}


/** The secret keys `--bind` fills parameters from, for the sample config. */
function boundSecretParameters(tools: ToolModel[]): { name: string; description: string }[] {
  const keys = new Map<string, string>();
  for (const tool of tools) {
    if (tool.target.kind !== "http") continue;
    for (const p of tool.target.operation.parameters) if (p.secret !== undefined && !keys.has(p.secret)) keys.set(p.secret, `Fills the ${p.in} parameter '${p.name}' of every operation (--bind)`);
  }
  return [...keys].sort(([a], [b]) => (a < b ? -1 : 1)).map(([name, description]) => ({ name, description }));
}

function withBound(declared: { name: string; description: string }[], bound: { name: string; description: string }[]): { name: string; description: string }[] {
  return [...declared, ...bound.filter((b) => !declared.some((d) => d.name === b.name))];
}
