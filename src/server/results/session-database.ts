// SQL a model writes (query_results, run_code's `sql()`) runs where there is nothing else to reach: one
// DuckDB instance per MCP session, in memory, holding that session's stored results and nothing else. File
// access, extension loading and installing are off and the configuration is locked before the model's first
// statement, so no file on the machine, no other session's table, no project table or sequence and no setting
// is there to be read or changed, whatever the statement says. Each query is bounded: rows are pulled only up
// to the limit, a timer interrupts it, the instance has its own memory limit and one thread.
import { chmodSync, mkdirSync } from "node:fs";
import { dirname } from "node:path";
import type { DuckDBConnection, DuckDBInstance } from "@duckdb/node-api";
import { duckdb } from "../../runtime/duckdb-module.js";
import { bindParams } from "../../runtime/params.js";
import { readRows } from "../../runtime/rows.js";
import { sqlErrorMessage } from "../../runtime/database.js";

export interface SessionDatabaseLimits {
  /** DuckDB's memory_limit for the instance, in bytes. */
  memoryBytes: number;
  /** How long one model statement may run before it is interrupted. */
  queryTimeoutMs: number;
}

export const DEFAULT_SESSION_LIMITS: SessionDatabaseLimits = { memoryBytes: 512 * 1024 * 1024, queryTimeoutMs: 10_000 };

/** Thrown when a model's statement hit a limit: the caller is told which. */
export class QueryLimitError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "QueryLimitError";
  }
}

export class SessionDatabase {
  private readonly connections = new Set<DuckDBConnection>();
  private readonly timedOut = new WeakSet<DuckDBConnection>();
  private closed = false;

  private constructor(
    private readonly instance: DuckDBInstance,
    readonly limits: SessionDatabaseLimits,
  ) {}

  /**
   * A locked-down instance: in memory, or in `file` (created 0600) when results are kept after the server stops.
   * Options are applied in order, and DuckDB refuses a path setting once file access is off, so the temporary
   * directory (none: nothing spills to disk) comes first and the lock last.
   */
  static async create(limits: SessionDatabaseLimits = DEFAULT_SESSION_LIMITS, file?: string): Promise<SessionDatabase> {
    if (file) {
      mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    }
    const instance = await duckdb().DuckDBInstance.create(file ?? ":memory:", {
      temp_directory: "",
      memory_limit: `${Math.max(16, Math.floor(limits.memoryBytes / (1024 * 1024)))}MB`,
      threads: "1",
      autoload_known_extensions: "false",
      autoinstall_known_extensions: "false",
      allow_community_extensions: "false",
      enable_external_access: "false",
      lock_configuration: "true",
    });
    if (file) chmodSync(file, 0o600);
    return new SessionDatabase(instance, limits);
  }

  /** The server's own statements (loading and dropping stored results): no row limit, no timeout. */
  async run(sql: string, params: Record<string, unknown> = {}): Promise<Record<string, unknown>[]> {
    return this.withConnection(async (conn) => {
      const { values, types } = bindParams(params);
      const reader = Object.keys(values).length > 0 ? await conn.runAndReadAll(sql, values, types) : await conn.runAndReadAll(sql);
      return readRows(reader);
    });
  }

  /**
   * A model's statement: rows are pulled from DuckDB only until `maxRows` are read (so `SELECT * FROM
   * range(1e9)` reads one chunk), and the statement is interrupted after the timeout.
   */
  async query(sql: string, params: Record<string, unknown>, maxRows: number): Promise<Record<string, unknown>[]> {
    return this.withConnection(async (conn) => {
      const timer = setTimeout(() => {
        this.timedOut.add(conn);
        conn.interrupt();
      }, this.limits.queryTimeoutMs);
      try {
        const { values, types } = bindParams(params);
        const reader = await conn.streamAndReadUntil(sql, maxRows, Object.keys(values).length > 0 ? values : undefined, Object.keys(values).length > 0 ? types : undefined);
        return readRows(reader).slice(0, maxRows);
      } catch (e) {
        if (this.timedOut.has(conn)) throw new QueryLimitError(`Limit reached: the query ran longer than ${this.limits.queryTimeoutMs / 1000} s and was stopped; ask for less (a filter, a LIMIT, an aggregate over fewer rows)`);
        if (this.closed) throw new QueryLimitError("The query was stopped: the session or the server is closing");
        const message = sqlErrorMessage((e as Error).message);
        if (/out of memory|memory limit/i.test(message)) throw new QueryLimitError(`Limit reached: the query needed more than the ${Math.round(this.limits.memoryBytes / (1024 * 1024))} MB this session's SQL may use; ask for less`);
        throw new Error(message);
      } finally {
        clearTimeout(timer);
      }
    });
  }

  private async withConnection<T>(work: (conn: DuckDBConnection) => Promise<T>): Promise<T> {
    if (this.closed) throw new QueryLimitError("The query was stopped: the session or the server is closing");
    const conn = await this.instance.connect();
    this.connections.add(conn);
    try {
      return await work(conn);
    } finally {
      this.connections.delete(conn);
      conn.closeSync();
    }
  }

  /** Stop every running statement (their callers get an error) and close the instance. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const conn of this.connections) conn.interrupt();
    // A connection closes once its statement has returned from the interrupt; the instance goes with the last.
    const done = () => {
      if (this.connections.size > 0) {
        setTimeout(done, 10).unref();
        return;
      }
      this.instance.closeSync();
    };
    done();
  }
}
