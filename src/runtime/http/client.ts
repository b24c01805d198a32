import { addSecretValue, redactText } from "../redact.js";
import { runtimeState } from "../state.js";
import { cacheKey, cacheLifetime, identityOf, openCache, type CachedAnswer, type HttpCache } from "./cache.js";
import { joinPages, nextArguments, pageItems } from "./paging.js";
import { schemeSecretKey } from "./secret-keys.js";
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
import { isJsonMediaType, isTextMediaType } from "./media-types.js";
import type { ApiDefinition, HttpBody, HttpOperation, PagingDef, SecuritySchemeDef, ServerDef } from "./types.js";
import { setOwn } from "../own.js";

export interface ClientLimits {
  /** One attempt's time limit. */
  attemptTimeoutMs: number;
  /** All attempts together, retries and waits included (under an MCP client's usual 60 s). */
  deadlineMs: number;
  /** Retries after the first attempt, for idempotent requests. */
  retries: number;
  /** Largest response body kept, counted after decompression. */
  maxResponseBytes: number;
  /** Longest error body put in an error object. */
  maxErrorBodyChars: number;
  maxRedirects: number;
}

export const DEFAULT_LIMITS: ClientLimits = {
  attemptTimeoutMs: 30_000,
  deadlineMs: 50_000,
  retries: 2,
  maxResponseBytes: 10 * 1024 * 1024,
  maxErrorBodyChars: 2_000,
  maxRedirects: 5,
};

/** A binary response, as tools return it. */
export interface BinaryResult {
  content_type: string;
  size: number;
  content_base64: string;
}

type RequestBody = NonNullable<RequestInit["body"]>;

const IDEMPOTENT = new Set(["GET", "HEAD", "OPTIONS", "PUT", "DELETE", "TRACE"]);
const RETRY_STATUS = new Set([408, 429, 502, 503, 504]);
const REDIRECTS = new Set([301, 302, 303, 307, 308]);

class CallFailure extends Error {
  constructor(readonly object: ErrorObject) {
    super(object.message);
  }
}

/**
 * The client generated handlers call: base URL and credentials come from the API's secret
 * (`base_url`, `api_key`, `token`, `username`/`password`, `client_id`/`client_secret`, ...).
 * It builds the URL and body as the document says, applies auth, and turns every failure into an error object.
 */
export class ApiClient {
  readonly definition: ApiDefinition;
  limits: ClientLimits;
  private secret: Record<string, unknown> = {};
  private oauthTokens = new Map<string, { token: string; expiresAt: number }>();

  constructor(definition: ApiDefinition, limits: Partial<ClientLimits> = {}) {
    this.definition = definition;
    this.limits = { ...DEFAULT_LIMITS, ...limits };
  }

  /** Read the API's secret; called from the generated onInit hook, and again whenever it is missing. */
  configure(): void {
    this.secret = config.getSecret(this.definition.name) ?? {};
    this.oauthTokens.clear();
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
    await this.applySecurity(op, url, headers, cookies);
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
      return await this.withRetries(op.method, url, headers, body, retryable, base, onResponse ? { onBody: async (response) => onResponse(response) } : {});
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
      return this.withRetries(op.method, url, headers, undefined, true, base);
    }
    if (entry && !Object.entries(entry.vary).every(([h, v]) => (headers.get(h) ?? "") === v)) entry = undefined;
    const api = this.definition.name;
    if (entry && entry.expiresAt > Date.now()) {
      cache.count(api, true);
      note("hit", entry.storedAt);
      return this.decode(entry.body, entry.contentType, entry.status, op.method);
    }
    if (entry?.etag) headers.set("if-none-match", entry.etag);
    else if (entry?.lastModified) headers.set("if-modified-since", entry.lastModified);
    const stale = entry;
    const ttl = this.definition.cache!.ttlSeconds;
    let revalidated = false;
    const result = await this.withRetries(op.method, url, headers, undefined, true, base, {
      notModified: stale
        ? async (response) => {
            revalidated = true;
            const life = cacheLifetime(response.headers.get("cache-control"), ttl) ?? 0;
            await cache.refresh(key, Date.now() + life * 1000);
            return this.decode(stale.body, stale.contentType, stale.status, op.method);
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

  private async applySecurity(op: HttpOperation, url: URL, headers: Headers, cookies: string[]): Promise<void> {
    if (op.security.length === 0) return;
    const missing: string[] = [];
    for (const alternative of op.security) {
      const lacking = alternative.filter((name) => !this.hasCredentials(name));
      if (lacking.length > 0) {
        missing.push(alternative.map((n) => `${n} (${this.credentialKeys(n)})`).join(" + ") || "anonymous");
        continue;
      }
      for (const name of alternative) await this.applyScheme(name, url, headers, cookies);
      return;
    }
    throw new CallFailure({
      error: "Missing credentials",
      message: `This operation needs credentials: one of ${missing.join(" or ")}`,
      fix: `Add them to the parameters of the '${this.definition.name}' secret in your MXCP user config`,
    });
  }

  private scheme(name: string): SecuritySchemeDef | undefined {
    return this.definition.securitySchemes[name];
  }

  /** The secret keys a scheme reads, most specific first. */
  private credentialKeys(name: string): string {
    const s = this.scheme(name);
    const own = schemeSecretKey(name);
    if (!s) return own;
    if (s.type === "apiKey") return `${own} or api_key`;
    if (s.type === "http" && s.scheme.toLowerCase() === "basic") return "username and password";
    if (s.type === "oauth2" && s.clientCredentials) return "client_id and client_secret, or token";
    return `${own} or token`;
  }

  private secretString(...keys: string[]): string | undefined {
    for (const k of keys) {
      const v = this.secret[k];
      if (typeof v === "string" && v !== "") return v;
    }
    return undefined;
  }

  private hasCredentials(name: string): boolean {
    const s = this.scheme(name);
    if (!s) return false;
    const own = schemeSecretKey(name);
    if (s.type === "apiKey") return this.secretString(own, "api_key") !== undefined;
    if (s.type === "http" && s.scheme.toLowerCase() === "basic") return this.secretString("username") !== undefined;
    if (s.type === "oauth2" && s.clientCredentials && this.secretString("client_id") && this.secretString("client_secret")) return true;
    return this.secretString(own, "token", "access_token") !== undefined;
  }

  private async applyScheme(name: string, url: URL, headers: Headers, cookies: string[]): Promise<void> {
    const s = this.scheme(name)!;
    const own = schemeSecretKey(name);
    if (s.type === "apiKey") {
      const key = this.secretString(own, "api_key")!;
      if (s.in === "header") headers.set(s.name, key);
      // Appended by hand: URLSearchParams would re-encode the query already serialized as the document says.
      else if (s.in === "query") url.search = `${url.search ? `${url.search}&` : "?"}${encodeURIComponent(s.name)}=${encodeURIComponent(key)}`;
      else cookies.push(`${s.name}=${encodeURIComponent(key)}`);
      return;
    }
    if (s.type === "http" && s.scheme.toLowerCase() === "basic") {
      const user = this.secretString("username") ?? "";
      const pass = this.secretString("password") ?? "";
      headers.set("authorization", `Basic ${Buffer.from(`${user}:${pass}`).toString("base64")}`);
      return;
    }
    const direct = this.secretString(own, "token", "access_token");
    if (direct) {
      headers.set("authorization", `Bearer ${direct}`);
      return;
    }
    if (s.type === "oauth2") headers.set("authorization", `Bearer ${await this.clientCredentialsToken(name, s)}`);
  }

  /** OAuth2 client credentials: fetched once, cached until shortly before it expires. */
  private async clientCredentialsToken(name: string, s: Extract<SecuritySchemeDef, { type: "oauth2" }>): Promise<string> {
    const cached = this.oauthTokens.get(name);
    if (cached && cached.expiresAt > Date.now() + 30_000) return cached.token;
    const tokenUrl = this.secretString("token_url") ?? s.tokenUrl;
    if (!tokenUrl) throw new CallFailure({ error: "Missing credentials", message: `No token URL for ${name}`, fix: "Set token_url in the secret" });
    const form = new URLSearchParams({ grant_type: "client_credentials" });
    const scopes = this.secretString("scopes") ?? s.scopes?.join(" ");
    if (scopes) form.set("scope", scopes);
    const basic = Buffer.from(`${encodeURIComponent(this.secretString("client_id")!)}:${encodeURIComponent(this.secretString("client_secret")!)}`).toString("base64");
    const res = await fetch(tokenUrl, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", authorization: `Basic ${basic}`, accept: "application/json" },
      body: form.toString(),
      redirect: "error",
      signal: AbortSignal.timeout(this.limits.attemptTimeoutMs),
    });
    const body = (await res.json().catch(() => ({}))) as { access_token?: string; expires_in?: number };
    if (!res.ok || typeof body.access_token !== "string") {
      throw new CallFailure({ error: "Authentication failed", message: `Token request for ${name} failed with HTTP ${res.status}`, status: res.status });
    }
    addSecretValue(body.access_token);
    this.oauthTokens.set(name, { token: body.access_token, expiresAt: Date.now() + (Number(body.expires_in) || 3600) * 1000 });
    return body.access_token;
  }

  private async withRetries(
    method: string,
    url: URL,
    headers: Headers,
    body: RequestBody | undefined,
    retryable: boolean,
    base: URL,
    hooks: { onBody?: (response: Response, bytes: Uint8Array) => Promise<void>; notModified?: ((response: Response) => Promise<unknown>) | undefined } = {},
  ): Promise<unknown> {
    const deadline = Date.now() + this.limits.deadlineMs;
    for (let attempt = 0; ; attempt++) {
      const left = deadline - Date.now();
      let response: Response;
      try {
        response = await this.fetchFollowing(method, url, headers, body, Math.min(this.limits.attemptTimeoutMs, left), base);
      } catch (e) {
        if (e instanceof CallFailure) throw e;
        const timedOut = (e as Error)?.name === "TimeoutError" || (e as Error)?.name === "AbortError";
        // Only a request refused before it was sent is surely not applied; a non-idempotent one that may
        // have reached the server must not invite the model to send it again.
        const neverSent = NEVER_SENT.test(causeOf(e));
        const failure: ErrorObject = {
          error: timedOut ? "Timeout" : "Connection failed",
          message: `${method} ${url.origin}${url.pathname} ${timedOut ? "timed out" : `failed: ${causeOf(e)}`}`,
          retryable: true,
        };
        if (!retryable && !neverSent) outcomeUnknown(failure);
        if (retryable && attempt < this.limits.retries && this.wait(attempt, undefined, deadline) !== undefined) {
          await sleep(this.wait(attempt, undefined, deadline)!);
          continue;
        }
        throw new CallFailure(failure);
      }
      if (response.ok) {
        try {
          return await this.readSuccess(response, method, hooks.onBody);
        } catch (e) {
          if (e instanceof CallFailure) throw e;
          const name = (e as Error)?.name;
          const failure: ErrorObject =
            name === "TimeoutError" || name === "AbortError"
              ? { error: "Timeout", message: `${method} ${url.origin}${url.pathname} timed out while reading the response`, retryable: true }
              : { error: "Connection failed", message: `${method} ${url.origin}${url.pathname} failed while reading the response: ${causeOf(e)}`, retryable: true };
          if (!retryable) outcomeUnknown(failure); // the server answered: it did the work
          throw new CallFailure(failure);
        }
      }
      if (response.status === 304 && hooks.notModified) {
        await response.body?.cancel();
        return await hooks.notModified(response);
      }
      const retryAfter = response.headers.get("retry-after");
      if (retryable && RETRY_STATUS.has(response.status) && attempt < this.limits.retries) {
        const delay = this.wait(attempt, retryAfter, deadline);
        if (delay !== undefined) {
          await response.body?.cancel();
          await sleep(delay);
          continue;
        }
      }
      throw new CallFailure(await this.errorObject(response, method, url));
    }
  }

  /** Backoff 0.5 s · 2^n (±25%), or Retry-After; undefined when the wait would pass the deadline. */
  private wait(attempt: number, retryAfter: string | null | undefined, deadline: number): number | undefined {
    let delay = 500 * 2 ** attempt * (0.75 + Math.random() * 0.5);
    if (retryAfter) {
      const secs = Number(retryAfter);
      const at = Number.isFinite(secs) ? Date.now() + secs * 1000 : Date.parse(retryAfter);
      if (!Number.isNaN(at)) delay = Math.max(0, at - Date.now());
    }
    delay = Math.min(delay, retryAfter ? Infinity : 8_000);
    return Date.now() + delay < deadline - 100 ? delay : undefined;
  }

  /** Follow redirects only within the configured origin; a redirect elsewhere is an error (credentials never follow). */
  private async fetchFollowing(method: string, url: URL, headers: Headers, body: RequestBody | undefined, timeoutMs: number, base: URL): Promise<Response> {
    let current = url;
    let currentMethod = method;
    let currentBody = body;
    for (let hop = 0; ; hop++) {
      const response = await fetch(current, { method: currentMethod, headers, body: currentBody, redirect: "manual", signal: AbortSignal.timeout(timeoutMs) });
      if (!REDIRECTS.has(response.status)) return response;
      const location = response.headers.get("location");
      await response.body?.cancel();
      if (!location) return response;
      const next = new URL(location, current);
      if (next.origin !== base.origin) {
        throw new CallFailure({ error: "Redirect refused", message: `The server redirected to another origin (${next.origin}); not followed`, status: response.status });
      }
      if (hop >= this.limits.maxRedirects) throw new CallFailure({ error: "Too many redirects", message: `More than ${this.limits.maxRedirects} redirects` });
      if (response.status === 303 || ((response.status === 301 || response.status === 302) && currentMethod === "POST")) {
        currentMethod = "GET";
        currentBody = undefined;
      }
      current = next;
    }
  }

  private async readBody(response: Response): Promise<Uint8Array> {
    const declared = Number(response.headers.get("content-length"));
    if (declared > this.limits.maxResponseBytes) {
      await response.body?.cancel();
      throw new CallFailure({ error: "Response too large", message: `The response is ${declared} bytes, over the limit of ${this.limits.maxResponseBytes}` });
    }
    if (!response.body) return new Uint8Array();
    const chunks: Uint8Array[] = [];
    let size = 0;
    const reader = response.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > this.limits.maxResponseBytes) {
        await reader.cancel();
        throw new CallFailure({ error: "Response too large", message: `The response is over the limit of ${this.limits.maxResponseBytes} bytes` });
      }
      chunks.push(value);
    }
    return Buffer.concat(chunks);
  }

  private async readSuccess(response: Response, method: string, onBody?: (response: Response, bytes: Uint8Array) => Promise<void>): Promise<unknown> {
    const bytes = await this.readBody(response);
    const value = this.decode(bytes, response.headers.get("content-type") ?? "", response.status, method);
    // Kept only once it decoded: an answer that is not what it says it is never enters the cache.
    if (onBody) {
      try {
        await onBody(response, bytes);
      } catch (e) {
        runtimeState().log("warning", `could not keep the answer in the cache: ${(e as Error).message}`);
      }
    }
    return value;
  }

  private decode(bytes: Uint8Array, type: string, status: number, method: string): unknown {
    if (status === 204 || status === 205 || method === "HEAD" || bytes.byteLength === 0) return null;
    if (isJsonMediaType(type)) {
      const text = new TextDecoder().decode(bytes);
      try {
        return JSON.parse(text) as unknown;
      } catch {
        throw new CallFailure({ error: "Invalid response", message: `The server sent invalid JSON: ${this.snippet(text)}`, status });
      }
    }
    if (isTextMediaType(type)) return new TextDecoder().decode(bytes);
    const result: BinaryResult = { content_type: type || "application/octet-stream", size: bytes.byteLength, content_base64: Buffer.from(bytes).toString("base64") };
    return result;
  }

  private async errorObject(response: Response, method: string, url: URL): Promise<ErrorObject> {
    let bodyText = "";
    try {
      const bytes = await this.readBody(response);
      bodyText = new TextDecoder().decode(bytes);
    } catch {
      bodyText = "(body over the size limit)";
    }
    const type = response.headers.get("content-type") ?? "";
    let body: unknown = this.snippet(bodyText);
    if (isJsonMediaType(type)) {
      try {
        body = JSON.parse(this.redact(bodyText)) as unknown;
        if (JSON.stringify(body).length > this.limits.maxErrorBodyChars) body = this.snippet(bodyText);
      } catch {
        // keep the text
      }
    }
    const reason = response.statusText || statusText(response.status);
    const detail = typeof body === "string" ? body : messageFrom(body);
    const out: ErrorObject = {
      error: `HTTP ${response.status}`,
      message: `${method} ${url.pathname} returned ${response.status} ${reason}${detail ? `: ${detail}` : ""}`,
      status: response.status,
      type: "http_error",
      retryable: RETRY_STATUS.has(response.status),
    };
    if (bodyText) out.body = body;
    return out;
  }

  private snippet(text: string): string {
    const clean = this.redact(text).trim();
    const max = this.limits.maxErrorBodyChars;
    return clean.length > max ? `${clean.slice(0, max)}… (${clean.length - max} more characters)` : clean;
  }

  /** Remove every secret value from text that leaves the process. */
  private redact(text: string): string {
    return redactText(text, [...this.oauthTokens.values()].map((t) => t.token));
  }
}

// Causes that mean the request never left this machine (nothing was applied upstream).
const NEVER_SENT = /ECONNREFUSED|ENOTFOUND|EAI_AGAIN|EHOSTUNREACH|ENETUNREACH|ERR_INVALID_URL/;

function outcomeUnknown(failure: ErrorObject): void {
  failure.retryable = false;
  failure.message += ". The request may have been applied: its outcome is unknown, so check before sending it again";
}

function messageFrom(body: unknown): string {
  if (body && typeof body === "object") {
    const b = body as Record<string, unknown>;
    const nested = b.error && typeof b.error === "object" ? (b.error as Record<string, unknown>) : undefined;
    for (const v of [b.message, nested?.message, b.error_description, b.detail, b.error, b.title]) if (typeof v === "string" && v) return v;
  }
  return "";
}

function causeOf(e: unknown): string {
  const err = e as { cause?: { code?: string; message?: string }; message?: string };
  return err?.cause?.code ?? err?.cause?.message ?? err?.message ?? String(e);
}

const STATUS_TEXT: Record<number, string> = {
  400: "Bad Request", 401: "Unauthorized", 403: "Forbidden", 404: "Not Found", 405: "Method Not Allowed", 409: "Conflict",
  410: "Gone", 413: "Payload Too Large", 415: "Unsupported Media Type", 422: "Unprocessable Entity", 429: "Too Many Requests",
  500: "Internal Server Error", 501: "Not Implemented", 502: "Bad Gateway", 503: "Service Unavailable", 504: "Gateway Timeout",
};

function statusText(status: number): string {
  return STATUS_TEXT[status] ?? "Error";
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
