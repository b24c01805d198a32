// Large tool results stay in DuckDB instead of flooding the model's context: the model gets where the data is,
// its columns and a preview, and queries it with `query_results` (or `sql()` in code). Each MCP session's stored
// results live in that session's own locked-down instance (session-database.ts), so a session's SQL reaches its
// own results and nothing else. Stored results expire, count against one byte budget for every session (oldest
// dropped first) and go with their session, unless `--keep-results` keeps each session's file.
import { createHash } from "node:crypto";
import { join } from "node:path";
import { ReadOnlySqlError, runReadOnly } from "./read-only-sql.js";
import { DEFAULT_SESSION_LIMITS, SessionDatabase, type SessionDatabaseLimits } from "./session-database.js";

export const RESULTS_SCHEMA = "mxcp_results";

export interface ResultStoreOptions extends SessionDatabaseLimits {
  /** Results larger than this many bytes (as JSON) are stored; 0 turns storing off. Default 64 KiB. */
  thresholdBytes: number;
  /** All stored results together; the oldest are dropped beyond it. Default 512 MiB. */
  budgetBytes: number;
  /** How long a stored result lives. Default one hour. */
  ttlMs: number;
  /** Keep each session's stored results in a DuckDB file under `keepDir` after it ends. */
  keep: boolean;
  /** Where kept sessions' files go (the project's data folder). */
  keepDir?: string | undefined;
  /** Longest text one preview cell keeps; the rest is cut with a note. Default 1,000 characters. */
  previewCellChars: number;
}

export const DEFAULT_RESULT_STORE: ResultStoreOptions = {
  thresholdBytes: 64 * 1024,
  budgetBytes: 512 * 1024 * 1024,
  ttlMs: 60 * 60_000,
  keep: false,
  previewCellChars: 1000,
  ...DEFAULT_SESSION_LIMITS,
};

export interface StoredSummary {
  stored_as: string;
  rows: number;
  columns: { name: string; type: string }[];
  preview: unknown[];
  bytes: number;
  hint: string;
}

interface StoredTable {
  name: string;
  session: string;
  bytes: number;
  created: number;
}

export const MAX_QUERY_ROWS = 1000;

export class ResultStore {
  readonly options: ResultStoreOptions;
  private readonly tables: StoredTable[] = [];
  private readonly sessions = new Map<string, Promise<SessionDatabase>>();
  private counter = 0;
  // One change at a time: the budget spans sessions, and a session's drop must not race its own store.
  private queue: Promise<unknown> = Promise.resolve();

  private serial<T>(work: () => Promise<T>): Promise<T> {
    const next = this.queue.then(work, work);
    this.queue = next.catch(() => undefined);
    return next;
  }

  constructor(options: Partial<ResultStoreOptions> = {}) {
    this.options = { ...DEFAULT_RESULT_STORE, ...options };
  }

  /** Bytes the stored results hold now, every session's together. */
  get storedBytes(): number {
    return this.tables.reduce((n, t) => n + t.bytes, 0);
  }

  /** Whether results are stored at all (SQL over a session's instance works either way). */
  get enabled(): boolean {
    return this.options.thresholdBytes > 0;
  }

  /** Whether a result this large is stored rather than sent. */
  wants(bytes: number): boolean {
    return this.enabled && bytes > this.options.thresholdBytes;
  }

  /** The session's instance, made on first use (one open per session, however many calls arrive at once). */
  private database(session: string): Promise<SessionDatabase> {
    let db = this.sessions.get(session);
    if (!db) {
      const file = this.options.keep && this.options.keepDir ? join(this.options.keepDir, `${createHash("sha256").update(session).digest("hex").slice(0, 24)}.duckdb`) : undefined;
      db = SessionDatabase.create(this.options, file).then(async (d) => {
        await d.run(`CREATE SCHEMA IF NOT EXISTS ${RESULTS_SCHEMA}`);
        return d;
      });
      this.sessions.set(session, db);
      db.catch(() => this.sessions.delete(session));
    }
    return db;
  }

  /** Store `value` for `session` and describe it. `query` says how the model reaches it (by surface). */
  store(session: string, tool: string, value: unknown, bytes: number, query: string): Promise<StoredSummary> {
    return this.serial(() => this.storeNow(session, tool, value, bytes, query));
  }

  private async storeNow(session: string, tool: string, value: unknown, bytes: number, query: string): Promise<StoredSummary> {
    await this.sweep();
    const db = await this.database(session);
    const name = `${tool.toLowerCase().replace(/[^a-z0-9_]/g, "_").slice(0, 40)}_${++this.counter}`;
    const qualified = `${RESULTS_SCHEMA}.${name}`;
    const rowsOfObjects = Array.isArray(value) && value.length > 0 && value.every((x) => x !== null && typeof x === "object" && !Array.isArray(x));
    const text = JSON.stringify(value);
    // Loaded from a parameter, never a file: the columns are inferred by DuckDB's JSON functions (nested values
    // become STRUCTs and LISTs, mixed types JSON), in the instance the model will query.
    if (rowsOfObjects) {
      await db.run(`CREATE TABLE ${qualified} AS SELECT r.* FROM (SELECT unnest(from_json($v::JSON, json_structure($v::JSON))) AS r)`, { v: text });
    } else {
      await db.run(`CREATE TABLE ${qualified} (value JSON)`);
      await db.run(`INSERT INTO ${qualified} VALUES ($v::JSON)`, { v: text });
    }
    this.tables.push({ name, session, bytes, created: Date.now() });
    await this.enforceBudget();
    const columns = (await db.run("SELECT column_name AS name, data_type AS type FROM information_schema.columns WHERE table_schema = $s AND table_name = $t ORDER BY ordinal_position", { s: RESULTS_SCHEMA, t: name })).map((r) => ({ name: String(r.name), type: String(r.type) }));
    const [count] = await db.run(`SELECT count(*)::BIGINT AS n FROM ${qualified}`);
    const preview = (await db.run(`SELECT * FROM ${qualified} LIMIT 5`)).map((row) => shortened(row, this.options.previewCellChars));
    const rows = Number(count?.n ?? 0);
    return {
      stored_as: qualified,
      rows,
      columns,
      preview,
      bytes,
      hint: `The result (${bytes} bytes, ${rows} rows) was too large to send, so it is stored as ${qualified}. Query it with ${query}, for example SELECT ${columns.slice(0, 3).map((c) => c.name).join(", ") || "*"} FROM ${qualified} LIMIT 20 (read-only SQL, DuckDB dialect, at most ${MAX_QUERY_ROWS} rows per query). It belongs to this session: in a new session, call the tool again.`,
    };
  }

  /** The qualified tables a session may read. */
  tablesOf(session: string): { schema: string; name: string }[] {
    return this.tables.filter((t) => t.session === session).map((t) => ({ schema: RESULTS_SCHEMA, name: t.name }));
  }

  /** Read-only SQL over this session's stored results, in its own instance (and nothing else); at most 1,000 rows. */
  async query(session: string, sql: string, params: Record<string, unknown> = {}): Promise<Record<string, unknown>[]> {
    if (typeof sql !== "string") throw new ReadOnlySqlError("sql must be a string");
    await this.serial(() => this.sweep());
    return runReadOnly(await this.database(session), sql, params, { only: this.tablesOf(session), maxRows: MAX_QUERY_ROWS });
  }

  /** A session ended: its instance (and every statement still running in it) goes. */
  dropSession(session: string): Promise<void> {
    return this.serial(async () => {
      for (let i = this.tables.length - 1; i >= 0; i--) if (this.tables[i]!.session === session) this.tables.splice(i, 1);
      const db = this.sessions.get(session);
      this.sessions.delete(session);
      (await db?.catch(() => undefined))?.close();
    });
  }

  /** At shutdown: every session's statements are interrupted and its instance closed. */
  close(): Promise<void> {
    // Not queued behind a store that may be waiting on a stuck statement: interrupting is what unsticks it.
    const all = [...this.sessions.values()];
    this.sessions.clear();
    this.tables.length = 0;
    return Promise.all(all.map(async (db) => (await db.catch(() => undefined))?.close())).then(() => undefined);
  }

  private async drop(t: StoredTable): Promise<void> {
    const i = this.tables.indexOf(t);
    if (i !== -1) this.tables.splice(i, 1);
    const db = await this.sessions.get(t.session)?.catch(() => undefined);
    await db?.run(`DROP TABLE IF EXISTS ${RESULTS_SCHEMA}.${t.name}`).catch(() => undefined);
  }

  private async sweep(): Promise<void> {
    const limit = Date.now() - this.options.ttlMs;
    for (const t of this.tables.filter((x) => x.created <= limit)) await this.drop(t);
  }

  private async enforceBudget(): Promise<void> {
    let total = this.tables.reduce((n, t) => n + t.bytes, 0);
    while (total > this.options.budgetBytes && this.tables.length > 1) {
      const oldest = this.tables[0]!;
      total -= oldest.bytes;
      await this.drop(oldest);
    }
  }

  /** The names currently stored (oldest first), for tests and stats. */
  get stored(): string[] {
    return this.tables.map((t) => `${RESULTS_SCHEMA}.${t.name}`);
  }
}

/** A preview row with long text cut, so five rows of a result stay a preview. */
function shortened(row: Record<string, unknown>, max: number): Record<string, unknown> {
  const text = JSON.stringify(row);
  if (text.length <= max * 2) return row;
  const cutValue = (v: unknown): unknown => {
    if (typeof v === "string") return v.length > max ? `${v.slice(0, max)}… [${v.length - max} more characters]` : v;
    if (v === null || typeof v !== "object") return v;
    const s = JSON.stringify(v);
    return s.length > max ? `${s.slice(0, max)}… [${s.length - max} more characters; query the table for the rest]` : v;
  };
  return Object.fromEntries(Object.entries(row).map(([k, v]) => [k, cutValue(v)]));
}
