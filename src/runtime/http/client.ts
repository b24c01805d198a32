// The client generated handlers call: one operation with a tool's arguments → one request (or several pages),
// through the cache when the API keeps one, with every failure an error object. Building the request, the
// credentials and the HTTP exchange are their own modules.
import { redactText } from "../redact.js";
import { runtimeState } from "../state.js";
import { cacheKey, cacheLifetime, identityOf, openCache, varyDigest, type CachedAnswer, type HttpCache } from "./cache.js";
import { joinPages, MAX_PAGES, nextArguments, pageItems } from "./paging.js";
import { config } from "../config.js";
import type { ErrorObject } from "../errors.js";
import { ArgumentError, serializeCookie, serializeHeader } from "./serialize.js";
import { cacheReadKey, type ApiDefinition, type HttpOperation, type PagingDef } from "./types.js";
import { CallFailure } from "./call-failure.js";
import { DEFAULT_LIMITS, HttpTransport, type ClientLimits } from "./transport.js";
import type { UpstreamResponse } from "./exchange.js";
import { Credentials } from "./credentials.js";
import { requestBase, requestBody, requestUrl } from "./request.js";
import { isCacheableMethod, isIdempotentMethod } from "./methods.js";

export { DEFAULT_LIMITS, type BinaryResult, type ClientLimits } from "./transport.js";

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
    this.transport = new HttpTransport(
      () => this.limits,
      (text) => this.redact(text),
      (status) => runtimeState().observer.upstreamAnswer?.(definition.name, status),
    );
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
    const max = Math.min(MAX_PAGES, Math.max(1, Math.floor(Number(args[paging.maxPagesArg!]))));
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

  private async send(op: HttpOperation, given: Record<string, unknown>, onResponse?: (response: UpstreamResponse) => void): Promise<unknown> {
    const args = this.withBoundParameters(op, given);
    const base = requestBase(this.definition, this.secret, op.servers);
    const url = requestUrl(this.definition, base, op, args);
    const headers = new Headers();
    const cookies: string[] = [];
    for (const p of op.parameters) {
      const value = args[p.arg];
      if (value === null || value === undefined) continue;
      if (p.in === "header") headers.set(p.name, serializeHeader(p, value));
      else if (p.in === "cookie") cookies.push(serializeCookie(p, value));
    }
    // What the caller chose to send besides the URL: part of a cached answer's key.
    const parameterHeaders: [string, string][] = [...headers, ...cookies.map((c): [string, string] => ["cookie", c])];
    const body = op.body ? requestBody(op.body, args, headers) : undefined;
    await this.credentials.apply(op, url, headers, cookies);
    // The secret's own `headers:` go on every request (an API version, a tenant), after what the operation set.
    const extra = this.secret.headers;
    if (extra && typeof extra === "object" && !Array.isArray(extra)) {
      for (const [name, value] of Object.entries(extra)) if (typeof value === "string" && !headers.has(name)) headers.set(name, value);
    }
    if (cookies.length > 0) headers.set("cookie", cookies.join("; "));
    if (!headers.has("accept")) headers.set("accept", "application/json, text/plain;q=0.9, */*;q=0.8");
    const retryable = isIdempotentMethod(op.method) || op.idempotencyKey === true;
    const cache = this.cacheFor(op);
    if (cache) return this.cachedRead(cache, op, url, headers, base, parameterHeaders);
    try {
      return await this.transport.withRetries(op.method, url, headers, body, retryable, base, onResponse ? { onBody: async (response) => onResponse(response) } : {});
    } finally {
      if (!isCacheableMethod(op.method) && this.definition.cache) await this.invalidateAfterWrite(op, url);
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
    const policy = this.definition.cache;
    if (!policy || !isCacheableMethod(op.method)) return undefined;
    const kept = policy.reads === undefined ? op.cache === true : policy.reads === "all" || policy.reads.includes(cacheReadKey(op));
    return kept ? openCache() : undefined;
  }

  /**
   * Answer from the cache when fresh; revalidate with If-None-Match / If-Modified-Since when stale; else ask
   * and keep a successful answer (never an error) for the TTL, or less when Cache-Control says so.
   */
  private async cachedRead(cache: HttpCache, op: HttpOperation, url: URL, headers: Headers, base: URL, parameterHeaders: [string, string][]): Promise<unknown> {
    const call = runtimeState().calls.getStore();
    const identity = identityOf(this.secret, call?.user?.user_id);
    const key = cacheKey(op.method, url.href, identity, parameterHeaders);
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
    if (entry && !Object.entries(entry.vary).every(([h, v]) => varyDigest(identity, h, headers.get(h) ?? "") === v)) entry = undefined;
    const api = this.definition.name;
    if (entry && entry.expiresAt > Date.now()) {
      cache.count(api, true);
      runtimeState().observer.cacheLookup?.(api, true);
      note("hit", entry.storedAt);
      return this.transport.decode(entry.body, entry.contentType, entry.status, op.method);
    }
    runtimeState().observer.cacheLookup?.(api, false);
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
          vary[h] = varyDigest(identity, h, headers.get(h) ?? "");
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

  /** Remove every secret value from text that leaves the process. */
  private redact(text: string): string {
    return redactText(text, this.credentials.obtainedTokens());
  }
}

