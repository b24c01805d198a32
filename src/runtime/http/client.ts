import { redactText } from "../redact.js";
import { runtimeState } from "../state.js";
import { cacheKey, cacheLifetime, identityOf, openCache, type CachedAnswer, type HttpCache } from "./cache.js";
import { joinPages, nextArguments, pageItems } from "./paging.js";
import { addressKind, refusedByDefault } from "./addresses.js";
import { config } from "../config.js";
import type { ErrorObject } from "../errors.js";
import {
  ArgumentError,
  decodeBase64,
  formUrlEncoded,
  isFileArgument,
  multipartBody,
  serializeCookie,
  serializeHeader,
  serializePath,
  serializeQuery,
} from "./serialize.js";
import type { ApiDefinition, HttpBody, HttpOperation, PagingDef, ServerDef } from "./types.js";
import { setOwn } from "../own.js";
import { CallFailure } from "./call-failure.js";
import { DEFAULT_LIMITS, HttpTransport, type ClientLimits, type RequestBody } from "./transport.js";
import { Credentials } from "./credentials.js";

export { DEFAULT_LIMITS, type BinaryResult, type ClientLimits } from "./transport.js";


const IDEMPOTENT = new Set(["GET", "HEAD", "OPTIONS", "PUT", "DELETE", "TRACE"]);

/**
 * The client generated handlers call: base URL and credentials come from the API's secret
 * (`base_url`, `api_key`, `token`, `username`/`password`, `client_id`/`client_secret`, ...).
 * It builds the URL and body as the document says, applies auth, and turns every failure into an error object.
 */
export class ApiClient {
  readonly definition: ApiDefinition;
  limits: ClientLimits;
  private secret: Record<string, unknown> = {};
  private readonly credentials: Credentials;

  private readonly transport: HttpTransport;

  constructor(definition: ApiDefinition, limits: Partial<ClientLimits> = {}) {
    this.definition = definition;
    this.limits = { ...DEFAULT_LIMITS, ...limits };
    // The transport reads the limits when it runs (configure() may change the attempt timeout).
    this.transport = new HttpTransport(() => this.limits, (text) => this.redact(text));
    this.credentials = new Credentials(definition, () => this.secret, () => this.limits.attemptTimeoutMs);
  }

  /** Read the API's secret; called from the generated onInit hook, and again whenever it is missing. */
  configure(): void {
    this.secret = config.getSecret(this.definition.name) ?? {};
    this.credentials.forgetTokens();
    const timeout = Number(this.secret.timeout_seconds);
    if (Number.isFinite(timeout) && timeout > 0) this.limits.attemptTimeoutMs = timeout * 1000;
  }

  /**
   * Run one operation with a tool's validated arguments. Never throws: failures are error objects. `R` is
   * what the document says a success returns (the answer is decoded as it came, not checked against it).
   */
  async call<R = unknown>(op: HttpOperation, args: object): Promise<R | ErrorObject> {
    const values = args as Record<string, unknown>;
    try {
      if (Object.keys(this.secret).length === 0) this.configure();
    } catch (e) {
      return { error: "Secret not set", message: this.redact((e as Error).message), fix: "Set it, then restart the server; `mxcp-gen secrets check` shows what the project needs" };
    }
    try {
      if (op.paging?.maxPagesArg && Number(values[op.paging.maxPagesArg] ?? 1) > 1) return (await this.pages(op, op.paging, values)) as R;
      return (await this.send(op, values)) as R;
    } catch (e) {
      if (e instanceof CallFailure) return e.object;
      if (e instanceof ArgumentError) return { error: "Invalid argument", message: e.message };
      return { error: "Request failed", message: this.redact((e as Error)?.message ?? String(e)) };
    }
  }

  /**
   * Up to `max_pages` pages (at most 20) in one call, their items joined in order; where to continue goes to the
   * call's metadata as the tool arguments of the next page. The pages are never served from the cache.
   */
  private async pages(op: HttpOperation, paging: PagingDef, args: Record<string, unknown>): Promise<unknown> {
    const max = Math.min(20, Math.max(1, Math.floor(Number(args[paging.maxPagesArg!]))));
    const items: unknown[] = [];
    let current = { ...args };
    let last: unknown;
    let next: Record<string, unknown> | undefined;
    let fetched = 0;
    while (fetched < max) {
      let link: string | null = null;
      last = await this.send({ ...op, cache: false }, current, (response) => {
        link = response.headers.get("link");
      });
      fetched++;
      const found = pageItems(last, paging);
      items.push(...found);
      next = nextArguments(op, paging, current, last, found, link);
      if (!next) break;
      if (fetched < max) current = { ...current, ...next };
    }
    const call = runtimeState().calls.getStore();
    if (call) call.paging = { pages: fetched, ...(next ? { next } : {}) };
    return joinPages(last, paging, items);
  }

  private async send(op: HttpOperation, given: Record<string, unknown>, onResponse?: (response: Response) => void): Promise<unknown> {
    const args = this.withBoundParameters(op, given);
    const base = this.baseUrl(op.servers);
    const url = this.buildUrl(base, op, args);
    const headers = new Headers();
    const cookies: string[] = [];
    for (const p of op.parameters) {
      const value = args[p.arg];
      if (value === null || value === undefined) continue;
      if (p.in === "header") headers.set(p.name, serializeHeader(p, value));
      else if (p.in === "cookie") cookies.push(serializeCookie(p, value));
    }
    const body = op.body ? this.buildBody(op.body, args, headers) : undefined;
    await this.credentials.apply(op, url, headers, cookies);
    // The secret's own `headers:` go on every request (an API version, a tenant), after what the operation set.
    const extra = this.secret.headers;
    if (extra && typeof extra === "object" && !Array.isArray(extra)) {
      for (const [name, value] of Object.entries(extra)) if (typeof value === "string" && !headers.has(name)) headers.set(name, value);
    }
    if (cookies.length > 0) headers.set("cookie", cookies.join("; "));
    if (!headers.has("accept")) headers.set("accept", "application/json, text/plain;q=0.9, */*;q=0.8");
    const retryable = IDEMPOTENT.has(op.method) || op.idempotencyKey === true;
    const cache = this.cacheFor(op);
    if (cache) return this.cachedRead(cache, op, url, headers, base);
    try {
      return await this.transport.withRetries(op.method, url, headers, body, retryable, base, onResponse ? { onBody: async (response) => onResponse(response) } : {});
    } finally {
      if (op.method !== "GET" && op.method !== "HEAD" && this.definition.cache) await this.invalidateAfterWrite(op, url);
    }
  }

  /** Parameters bound to the secret (`openapi --bind`) take its values; the model never sees them. */
  private withBoundParameters(op: HttpOperation, args: Record<string, unknown>): Record<string, unknown> {
    const bound = op.parameters.filter((p) => p.secret !== undefined);
    if (bound.length === 0) return args;
    const out = { ...args };
    for (const p of bound) {
      const value = this.secret[p.secret!];
      if (value === undefined || value === null || value === "") {
        throw new CallFailure({
          error: "Secret not set",
          message: `The '${this.definition.name}' secret has no '${p.secret}', which fills the ${p.in} parameter '${p.name}'`,
          fix: `Add ${p.secret} to the '${this.definition.name}' secret (mxcp-gen secrets add ${this.definition.name} --set ${p.secret}=…)`,
        });
      }
      out[p.arg] = value;
    }
    return out;
  }

  /** The cache for a safe read of a caching API, when the project has a database it may write. */
  private cacheFor(op: HttpOperation): HttpCache | undefined {
    if (!op.cache || !this.definition.cache || (op.method !== "GET" && op.method !== "HEAD")) return undefined;
    return openCache();
  }

  /**
   * Answer from the cache when fresh; revalidate with If-None-Match / If-Modified-Since when stale; else ask
   * and keep a successful answer (never an error) for the TTL, or less when Cache-Control says so.
   */
  private async cachedRead(cache: HttpCache, op: HttpOperation, url: URL, headers: Headers, base: URL): Promise<unknown> {
    const call = runtimeState().calls.getStore();
    const identity = identityOf(this.secret, call?.user?.user_id);
    const key = cacheKey(op.method, url.href, identity);
    const note = (state: "hit" | "miss" | "revalidated", storedAt?: number) => {
      if (call) call.cache = { state, ...(storedAt !== undefined ? { ageSeconds: Math.round((Date.now() - storedAt) / 1000) } : {}) };
    };
    let entry: CachedAnswer | undefined;
    try {
      entry = await cache.get(key);
    } catch (e) {
      runtimeState().log("warning", `cache unavailable, asking ${this.definition.name} directly: ${(e as Error).message}`);
      return this.transport.withRetries(op.method, url, headers, undefined, true, base);
    }
    if (entry && !Object.entries(entry.vary).every(([h, v]) => (headers.get(h) ?? "") === v)) entry = undefined;
    const api = this.definition.name;
    if (entry && entry.expiresAt > Date.now()) {
      cache.count(api, true);
      note("hit", entry.storedAt);
      return this.transport.decode(entry.body, entry.contentType, entry.status, op.method);
    }
    if (entry?.etag) headers.set("if-none-match", entry.etag);
    else if (entry?.lastModified) headers.set("if-modified-since", entry.lastModified);
    const stale = entry;
    const ttl = this.definition.cache!.ttlSeconds;
    let revalidated = false;
    const result = await this.transport.withRetries(op.method, url, headers, undefined, true, base, {
      notModified: stale
        ? async (response) => {
            revalidated = true;
            const life = cacheLifetime(response.headers.get("cache-control"), ttl) ?? 0;
            await cache.refresh(key, Date.now() + life * 1000);
            return this.transport.decode(stale.body, stale.contentType, stale.status, op.method);
          }
        : undefined,
      onBody: async (response, bytes) => {
        const life = cacheLifetime(response.headers.get("cache-control"), ttl);
        if (life === undefined) return;
        // Stale at once and nothing to revalidate with: keeping it would only cost a lookup.
        if (life === 0 && !response.headers.get("etag") && !response.headers.get("last-modified")) return;
        const vary: Record<string, string> = {};
        for (const h of (response.headers.get("vary") ?? "").split(",").map((x) => x.trim().toLowerCase()).filter(Boolean)) {
          if (h === "*") return; // varies on anything: not cacheable
          vary[h] = headers.get(h) ?? "";
        }
        const now = Date.now();
        await cache.put(key, api, op.method, url.pathname, {
          status: response.status,
          contentType: response.headers.get("content-type") ?? "",
          body: bytes,
          etag: response.headers.get("etag") ?? undefined,
          lastModified: response.headers.get("last-modified") ?? undefined,
          storedAt: now,
          expiresAt: now + life * 1000,
          vary,
        });
      },
    });
    cache.count(api, revalidated);
    note(revalidated ? "revalidated" : "miss", revalidated ? Date.now() : undefined);
    return result;
  }

  /**
   * A write went through the API: its cached reads under the written path are stale. A path that ends in a
   * parameter (`/pets/{id}`) also changes the collection above it (`/pets`).
   */
  private async invalidateAfterWrite(op: HttpOperation, url: URL): Promise<void> {
    const store = openCache();
    if (!store) return;
    let prefix = url.pathname.replace(/\/$/, "");
    if (/\{[^}]+\}\/?$/.test(op.path)) prefix = prefix.replace(/\/[^/]*$/, "");
    try {
      await store.invalidate(this.definition.name, prefix || "/");
    } catch (e) {
      runtimeState().log("warning", `could not drop cached reads after ${op.method} ${url.pathname}: ${(e as Error).message}`);
    }
  }

  /**
   * A configured `base_url` serves every operation (so a mock or a proxy catches all traffic);
   * otherwise the operation's own servers, then the API's.
   */
  private baseUrl(opServers: ServerDef[] | undefined): URL {
    const configured = typeof this.secret.base_url === "string" && this.secret.base_url ? this.secret.base_url : undefined;
    const server = opServers?.[0] ?? this.definition.servers[0];
    const raw = configured ?? (server ? this.substitute(server) : undefined);
    if (!raw || !/^https?:\/\//i.test(raw)) {
      throw new CallFailure({
        error: "No base URL",
        message: `The ${this.definition.name} API has no absolute server URL${raw ? ` (the document says '${raw}')` : ""}`,
        fix: `Set base_url in the '${this.definition.name}' secret of your MXCP user config`,
      });
    }
    const url = new URL(raw);
    const kind = addressKind(url.hostname);
    if (!configured && refusedByDefault(kind)) {
      throw new CallFailure({
        error: "Refused server",
        message: `The ${this.definition.name} API's server ${url.host} is a ${kind} address; requests there are refused unless you name it yourself`,
        fix: `Set base_url in the '${this.definition.name}' secret of your MXCP user config if you really mean ${url.origin}`,
      });
    }
    if (!url.pathname.endsWith("/")) url.pathname += "/";
    return url;
  }

  private substitute(server: ServerDef): string {
    return server.url.replace(/\{([^}]+)\}/g, (_m, name: string) => {
      const v = server.variables?.[name];
      const given = this.secret[name];
      const value = typeof given === "string" ? given : (v?.default ?? "");
      if (v?.enum && !v.enum.includes(value)) {
        throw new CallFailure({ error: "Invalid server variable", message: `Server variable ${name} must be one of: ${v.enum.join(", ")}` });
      }
      return value;
    });
  }

  private buildUrl(base: URL, op: HttpOperation, args: Record<string, unknown>): URL {
    // Some documents tell operations on one path apart by a fragment or a fixed query in the path key
    // (Box's `/files/{file_id}#get_shared_link`, `/items?type=a`): a fragment never reaches the server, a
    // fixed query goes before the parameters.
    const [keyed = ""] = op.path.split("#");
    const mark = keyed.indexOf("?");
    const template = mark >= 0 ? keyed.slice(0, mark) : keyed;
    const fixedQuery = mark >= 0 ? keyed.slice(mark + 1).split("&").filter(Boolean) : [];
    const path = template.replace(/\{([^}]+)\}/g, (_m, name: string) => {
      const p = op.parameters.find((x) => x.in === "path" && x.name === name);
      const value = p ? args[p.arg] : undefined;
      if (!p || value === null || value === undefined) throw new ArgumentError(`Missing value for path parameter '${p?.arg ?? name}'`);
      return serializePath(p, value);
    });
    const url = new URL(base.href);
    const intended = base.pathname.replace(/\/$/, "") + (path.startsWith("/") ? path : `/${path}`);
    url.pathname = intended;
    // URL normalisation drops `.` segments and an empty value leaves `//`: either way another endpoint.
    if (url.pathname !== intended || (path.includes("//") && !template.includes("//"))) {
      throw new ArgumentError(`The path parameters would change the request path away from ${op.path}; refused`);
    }
    // Names a free-form object's keys may not take: the declared query parameters and the query credentials.
    const taken = new Set(op.parameters.filter((x) => x.in === "query").map((x) => x.name));
    for (const scheme of Object.values(this.definition.securitySchemes)) if (scheme.type === "apiKey" && scheme.in === "query") taken.add(scheme.name);
    const query: string[] = [...fixedQuery];
    for (const p of op.parameters) {
      if (p.in !== "query") continue;
      const value = args[p.arg];
      if (value === null || value === undefined) continue;
      if (p.explode && (p.style ?? "form") === "form" && value && typeof value === "object" && !Array.isArray(value)) {
        const clash = Object.keys(value).find((k) => taken.has(k));
        if (clash !== undefined) throw new ArgumentError(`Invalid value for '${p.arg}': the key '${clash}' is the name of another query parameter or a credential`);
      }
      query.push(...serializeQuery(p, value));
    }
    url.search = query.length > 0 ? `?${query.join("&")}` : "";
    url.hash = "";
    // The request must stay on the configured server, under its path.
    if (url.origin !== base.origin || !url.pathname.startsWith(base.pathname.replace(/\/$/, ""))) {
      throw new ArgumentError("Arguments would send the request outside the configured server");
    }
    return url;
  }

  private buildBody(spec: HttpBody, args: Record<string, unknown>, headers: Headers): RequestBody | undefined {
    let value: unknown;
    if (spec.arg !== undefined) value = args[spec.arg];
    else if (spec.properties) {
      const obj: Record<string, unknown> = {};
      for (const p of spec.properties) {
        const v = args[p.arg];
        if (v !== null && v !== undefined) setOwn(obj, p.name, v);
      }
      value = Object.keys(obj).length > 0 || spec.required ? obj : undefined;
    }
    if (value === null || value === undefined) {
      if (!spec.required) return undefined;
      value = spec.kind === "json" || spec.kind === "form" || spec.kind === "multipart" ? {} : "";
    }
    switch (spec.kind) {
      case "json":
        headers.set("content-type", spec.mediaType);
        return JSON.stringify(value);
      case "form":
        headers.set("content-type", spec.mediaType);
        return formUrlEncoded(value as Record<string, unknown>, spec.encoding);
      case "multipart": {
        const binary = new Set((spec.properties ?? []).filter((p) => p.binary).map((p) => p.name));
        return multipartBody(value as Record<string, unknown>, binary, spec.encoding);
      }
      case "binary": {
        const file = isFileArgument(value) ? value : { content_base64: String(value) };
        headers.set("content-type", file.content_type ?? spec.mediaType);
        return new Uint8Array(decodeBase64(file.content_base64, "the request body"));
      }
      case "text":
        headers.set("content-type", spec.mediaType);
        return typeof value === "string" ? value : JSON.stringify(value);
    }
  }

  /** Remove every secret value from text that leaves the process. */
  private redact(text: string): string {
    return redactText(text, this.credentials.obtainedTokens());
  }
}

