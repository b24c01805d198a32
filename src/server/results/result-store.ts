// Large tool results stay in the project's DuckDB instead of flooding the model's context: the model gets
// where the data is, its columns and a preview, and queries it with `query_results` (or `sql()` in code).
// Stored results belong to the MCP session that made them, expire, count against a byte budget (oldest
// dropped first) and are dropped with the server unless `--keep-results`.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Database } from "../../runtime/database.js";
import { runReadOnly } from "../surfaces/read-only-sql.js";

export const RESULTS_SCHEMA = "mxcp_results";

export interface ResultStoreOptions {
  /** Results larger than this many bytes (as JSON) are stored; 0 turns storing off. Default 64 KiB. */
  thresholdBytes: number;
  /** All stored results together; the oldest are dropped beyond it. Default 512 MiB. */
  budgetBytes: number;
  /** How long a stored result lives. Default one hour. */
  ttlMs: number;
  /** Keep stored results in the database file when the server stops (and do not drop old ones at start). */
  keep: boolean;
}

export const DEFAULT_RESULT_STORE: ResultStoreOptions = { thresholdBytes: 64 * 1024, budgetBytes: 512 * 1024 * 1024, ttlMs: 60 * 60_000, keep: false };

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

const MAX_QUERY_ROWS = 1000;

export class ResultStore {
  readonly options: ResultStoreOptions;
  private readonly tables: StoredTable[] = [];
  private counter = 0;
  private ready: Promise<void> | undefined;
  // One change at a time: concurrent DDL on one schema conflicts in DuckDB (a session's drop against the
  // server's final DROP SCHEMA, two stores evicting the same table).
  private queue: Promise<unknown> = Promise.resolve();

  private serial<T>(work: () => Promise<T>): Promise<T> {
    const next = this.queue.then(work, work);
    this.queue = next.catch(() => undefined);
    return next;
  }

  constructor(
    private readonly db: Database,
    options: Partial<ResultStoreOptions> = {},
  ) {
    this.options = { ...DEFAULT_RESULT_STORE, ...options };
  }

  get enabled(): boolean {
    return this.options.thresholdBytes > 0;
  }

  /** Whether a result this large is stored rather than sent. */
  wants(bytes: number): boolean {
    return this.enabled && bytes > this.options.thresholdBytes;
  }

  private init(): Promise<void> {
    // Results never outlive the server that made them, unless asked: a fresh server starts empty.
    this.ready ??= (async () => {
      if (!this.options.keep) await this.db.execute(`DROP SCHEMA IF EXISTS ${RESULTS_SCHEMA} CASCADE`);
      await this.db.execute(`CREATE SCHEMA IF NOT EXISTS ${RESULTS_SCHEMA}`);
    })();
    return this.ready;
  }

  /** Store `value` for `session` and describe it. `query` says how the model reaches it (by surface). */
  store(session: string, tool: string, value: unknown, bytes: number, query: string): Promise<StoredSummary> {
    return this.serial(() => this.storeNow(session, tool, value, bytes, query));
  }

  private async storeNow(session: string, tool: string, value: unknown, bytes: number, query: string): Promise<StoredSummary> {
    await this.init();
    await this.sweep();
    const name = `${tool.toLowerCase().replace(/[^a-z0-9_]/g, "_").slice(0, 40)}_${++this.counter}`;
    const qualified = `${RESULTS_SCHEMA}.${name}`;
    const rowsOfObjects = Array.isArray(value) && value.length > 0 && value.every((x) => x !== null && typeof x === "object" && !Array.isArray(x));
    if (rowsOfObjects) {
      // DuckDB's JSON reader infers the columns (nested values become STRUCTs and LISTs).
      const dir = mkdtempSync(join(tmpdir(), "mxcp-gen-result-"));
      try {
        const file = join(dir, "result.json");
        writeFileSync(file, JSON.stringify(value), { mode: 0o600 });
        await this.db.execute(`CREATE TABLE ${qualified} AS SELECT * FROM read_json_auto('${file.replace(/'/g, "''")}', format = 'array', maximum_object_size = 268435456)`);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    } else {
      await this.db.execute(`CREATE TABLE ${qualified} (value JSON)`);
      await this.db.execute(`INSERT INTO ${qualified} VALUES ($v::JSON)`, { v: JSON.stringify(value) });
    }
    this.tables.push({ name, session, bytes, created: Date.now() });
    await this.enforceBudget();
    const columns = (await this.db.execute("SELECT column_name AS name, data_type AS type FROM information_schema.columns WHERE table_schema = $s AND table_name = $t ORDER BY ordinal_position", { s: RESULTS_SCHEMA, t: name })).map((r) => ({ name: String(r.name), type: String(r.type) }));
    const [count] = await this.db.execute(`SELECT count(*)::BIGINT AS n FROM ${qualified}`);
    const preview = await this.db.execute(`SELECT * FROM ${qualified} LIMIT 5`);
    const rows = Number(count?.n ?? 0);
    return {
      stored_as: qualified,
      rows,
      columns,
      preview,
      bytes,
      hint: `The result (${bytes} bytes, ${rows} rows) was too large to send, so it is stored as ${qualified}. Query it with ${query}, for example SELECT ${columns.slice(0, 3).map((c) => c.name).join(", ") || "*"} FROM ${qualified} LIMIT 20 (read-only SQL, DuckDB dialect, at most ${MAX_QUERY_ROWS} rows per query).`,
    };
  }

  /** The qualified tables a session may read. */
  tablesOf(session: string): { schema: string; name: string }[] {
    return this.tables.filter((t) => t.session === session).map((t) => ({ schema: RESULTS_SCHEMA, name: t.name }));
  }

  /** Read-only SQL over this session's stored results (and nothing else); at most 1,000 rows. */
  async query(session: string, sql: string): Promise<Record<string, unknown>[]> {
    await this.serial(async () => {
      await this.init();
      await this.sweep();
    });
    return runReadOnly(this.db, sql, {}, { only: this.tablesOf(session), maxRows: MAX_QUERY_ROWS });
  }

  dropSession(session: string): Promise<void> {
    return this.serial(async () => {
      for (const t of this.tables.filter((x) => x.session === session)) await this.drop(t);
    });
  }

  /** At shutdown: every stored result goes, unless kept. */
  close(): Promise<void> {
    return this.serial(async () => {
      if (!this.ready || this.options.keep) return;
      await this.db.execute(`DROP SCHEMA IF EXISTS ${RESULTS_SCHEMA} CASCADE`);
      this.tables.length = 0;
    });
  }

  private async drop(t: StoredTable): Promise<void> {
    const i = this.tables.indexOf(t);
    if (i !== -1) this.tables.splice(i, 1);
    await this.db.execute(`DROP TABLE IF EXISTS ${RESULTS_SCHEMA}.${t.name}`);
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
