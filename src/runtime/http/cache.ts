// Cached reads in the project's DuckDB: MXCP's pattern for wrapping an API (look the request up, call on a
// miss, store the answer with a timestamp), done once here for every generated client. An entry is keyed by
// every request input that can change the answer: the method, the final URL (path and query parameters), every
// header and cookie parameter, the credential's identity and the caller, so two secrets, two users or two
// callers passing their own token as a parameter never share one. The request headers the answer varies on
// must match too; they are stored as keyed hashes, never as values (a `Vary: Authorization` would otherwise
// put the token in the database file).
import { createHash, createHmac } from "node:crypto";
import type { Database } from "../database.js";
import { runtimeState } from "../state.js";

export const CACHE_SCHEMA = "mxcp_cache";

export interface CachedAnswer {
  status: number;
  contentType: string;
  body: Uint8Array;
  etag: string | undefined;
  lastModified: string | undefined;
  storedAt: number;
  expiresAt: number;
  /** Request headers the answer varies on (lower-case names) and their values' keyed digests (varyDigest). */
  vary: Record<string, string>;
}

/**
 * How long an answer may be kept fresh, in seconds: max-age caps the configured TTL; `undefined` when
 * `no-store` says it may not be kept at all. (An answer fresh for 0 s is still kept, to be revalidated.)
 */
export function cacheLifetime(cacheControl: string | null, configuredSeconds: number): number | undefined {
  const cc = (cacheControl ?? "").toLowerCase();
  if (/(^|[,\s])no-store($|[,\s=])/.test(cc)) return undefined;
  const maxAge = /(?:^|[,\s])(?:s-)?max-age\s*=\s*"?(\d+)/.exec(cc);
  return maxAge ? Math.min(configuredSeconds, Number(maxAge[1])) : configuredSeconds;
}

/**
 * The entry's key: a hash of the method, the final URL, the identity and every header or cookie parameter the
 * caller sent (name and value, in order), so an answer is shared only by requests that were the same on the wire.
 */
export function cacheKey(method: string, url: string, identity: string, parameterHeaders: [string, string][] = []): string {
  const headers = [...parameterHeaders].map(([k, v]) => [k.toLowerCase(), v]).sort(([a], [b]) => (a! < b! ? -1 : a! > b! ? 1 : 0));
  return createHash("sha256").update(JSON.stringify([method, url, identity, headers])).digest("hex");
}

/**
 * A request header value the answer varies on, as stored: an HMAC keyed with the identity (itself a hash of the
 * secret), so the database file holds nothing a token could be read or guessed from without the secret.
 */
export function varyDigest(identity: string, name: string, value: string): string {
  return createHmac("sha256", identity).update(`${name.toLowerCase()}\n${value}`).digest("hex");
}

/** A hash of everything that says who is asking: the secret's credentials and the caller. Never the values. */
export function identityOf(secret: Record<string, unknown>, user: string | undefined): string {
  const creds = Object.entries(secret)
    .filter(([k]) => k !== "base_url" && k !== "timeout_seconds")
    .sort(([a], [b]) => (a < b ? -1 : 1));
  return createHash("sha256").update(JSON.stringify([creds, user ?? null])).digest("hex");
}

export class HttpCache {
  private ready: Promise<void> | undefined;
  // Hits and misses are counted in memory and written in batches: a write per lookup would cost a hit
  // more than the request it saves.
  private readonly pending = new Map<string, { hits: number; misses: number }>();
  private flushTimer: NodeJS.Timeout | undefined;

  constructor(private readonly db: Database) {
    runtimeState().shutdownHooks.push(() => this.flush());
  }

  private init(): Promise<void> {
    // Created on first use: projects that never cache have no such schema.
    this.ready ??= (async () => {
      await this.db.execute(`CREATE SCHEMA IF NOT EXISTS ${CACHE_SCHEMA}`);
      await this.db.execute(
        `CREATE TABLE IF NOT EXISTS ${CACHE_SCHEMA}.http (key VARCHAR PRIMARY KEY, api VARCHAR, method VARCHAR, path VARCHAR, status INTEGER, content_type VARCHAR, body VARCHAR, etag VARCHAR, last_modified VARCHAR, vary VARCHAR, stored_at BIGINT, expires_at BIGINT, bytes BIGINT)`,
      );
      await this.db.execute(`CREATE TABLE IF NOT EXISTS ${CACHE_SCHEMA}.counters (api VARCHAR PRIMARY KEY, hits BIGINT, misses BIGINT)`);
    })().catch((e: unknown) => {
      this.ready = undefined;
      throw e;
    });
    return this.ready;
  }

  async get(key: string): Promise<CachedAnswer | undefined> {
    await this.init();
    const [row] = await this.db.execute(`SELECT * FROM ${CACHE_SCHEMA}.http WHERE key = $key`, { key });
    if (!row) return undefined;
    return {
      status: Number(row.status),
      contentType: String(row.content_type ?? ""),
      body: Buffer.from(String(row.body ?? ""), "base64"),
      etag: row.etag === null ? undefined : String(row.etag),
      lastModified: row.last_modified === null ? undefined : String(row.last_modified),
      storedAt: Number(row.stored_at),
      expiresAt: Number(row.expires_at),
      vary: JSON.parse(String(row.vary ?? "{}")) as Record<string, string>,
    };
  }

  async put(key: string, api: string, method: string, path: string, answer: CachedAnswer): Promise<void> {
    await this.init();
    await this.db.execute(`DELETE FROM ${CACHE_SCHEMA}.http WHERE key = $key`, { key });
    await this.db.execute(
      `INSERT INTO ${CACHE_SCHEMA}.http VALUES ($key, $api, $method, $path, $status, $ct, $body, $etag, $lm, $vary, $stored, $expires, $bytes)`,
      {
        key,
        api,
        method,
        path,
        status: answer.status,
        ct: answer.contentType,
        body: Buffer.from(answer.body).toString("base64"),
        etag: answer.etag ?? null,
        lm: answer.lastModified ?? null,
        vary: JSON.stringify(answer.vary),
        stored: answer.storedAt,
        expires: answer.expiresAt,
        bytes: answer.body.byteLength,
      },
    );
  }

  /** A 304 said the stored answer is still good: keep it longer. */
  async refresh(key: string, expiresAt: number): Promise<void> {
    await this.init();
    await this.db.execute(`UPDATE ${CACHE_SCHEMA}.http SET expires_at = $e, stored_at = $now WHERE key = $key`, { e: expiresAt, now: Date.now(), key });
  }

  /** A write went through: drop every entry of the API under `pathPrefix`. */
  async invalidate(api: string, pathPrefix: string): Promise<number> {
    await this.init();
    const [row] = await this.db.execute(`SELECT count(*)::INTEGER AS n FROM ${CACHE_SCHEMA}.http WHERE api = $api AND starts_with(path, $p)`, { api, p: pathPrefix });
    await this.db.execute(`DELETE FROM ${CACHE_SCHEMA}.http WHERE api = $api AND starts_with(path, $p)`, { api, p: pathPrefix });
    return Number(row?.n ?? 0);
  }

  count(api: string, hit: boolean): void {
    const c = this.pending.get(api) ?? { hits: 0, misses: 0 };
    if (hit) c.hits++;
    else c.misses++;
    this.pending.set(api, c);
    this.flushTimer ??= setTimeout(() => void this.flush().catch(() => undefined), 1000).unref();
  }

  /** Write the counted hits and misses (also when the server stops). */
  async flush(): Promise<void> {
    clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    if (this.pending.size === 0) return;
    const batch = [...this.pending];
    this.pending.clear();
    await this.init();
    for (const [api, c] of batch) {
      await this.db.execute(
        `INSERT INTO ${CACHE_SCHEMA}.counters VALUES ($api, $h, $m) ON CONFLICT (api) DO UPDATE SET hits = hits + excluded.hits, misses = misses + excluded.misses`,
        { api, h: c.hits, m: c.misses },
      );
    }
  }
}

// One cache per database: each writes its counters when the server stops, so two would count twice.
const stores = new WeakMap<Database, HttpCache>();

/** The cache kept in the open project database, or undefined when there is none. */
export function openCache(): HttpCache | undefined {
  const db = runtimeState().database;
  if (!db) return undefined;
  let store = stores.get(db);
  if (!store) stores.set(db, (store = new HttpCache(db)));
  return store;
}

/** Per API: entries, bytes, hits and misses (`mxcp-gen cache stats`). */
export async function cacheStats(db: Database): Promise<{ api: string; entries: number; bytes: number; hits: number; misses: number }[]> {
  const exists = await db.execute("SELECT 1 FROM duckdb_tables() WHERE schema_name = $s AND table_name = 'http'", { s: CACHE_SCHEMA });
  if (exists.length === 0) return [];
  const rows = await db.execute(
    `SELECT coalesce(e.api, c.api) AS api, coalesce(e.entries, 0)::INTEGER AS entries, coalesce(e.bytes, 0)::BIGINT AS bytes, coalesce(c.hits, 0)::BIGINT AS hits, coalesce(c.misses, 0)::BIGINT AS misses
     FROM (SELECT api, count(*) AS entries, sum(bytes) AS bytes FROM ${CACHE_SCHEMA}.http GROUP BY api) e
     FULL OUTER JOIN ${CACHE_SCHEMA}.counters c ON e.api = c.api ORDER BY 1`,
  );
  return rows.map((r) => ({ api: String(r.api), entries: Number(r.entries), bytes: Number(r.bytes), hits: Number(r.hits), misses: Number(r.misses) }));
}

/** Drop every entry (of one API, or all); counters go too. Returns how many entries were dropped. */
export async function clearCache(db: Database, api?: string): Promise<number> {
  const exists = await db.execute("SELECT 1 FROM duckdb_tables() WHERE schema_name = $s AND table_name = 'http'", { s: CACHE_SCHEMA });
  if (exists.length === 0) return 0;
  const where = api ? " WHERE api = $api" : "";
  const params = api ? { api } : {};
  const [row] = await db.execute(`SELECT count(*)::INTEGER AS n FROM ${CACHE_SCHEMA}.http${where}`, params);
  await db.execute(`DELETE FROM ${CACHE_SCHEMA}.http${where}`, params);
  await db.execute(`DELETE FROM ${CACHE_SCHEMA}.counters${where}`, params);
  return Number(row?.n ?? 0);
}
