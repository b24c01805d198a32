import { chmodSync, copyFileSync, existsSync, mkdirSync, rmSync } from "node:fs";
import { dirname } from "node:path";
import type { DuckDBConnection, DuckDBInstance, DuckDBScalarFunction } from "@duckdb/node-api";
import { duckdb } from "./duckdb-module.js";
import { bindParams } from "./params.js";
import { readRows } from "./rows.js";

export interface DatabaseOptions {
  path: string;
  readonly?: boolean;
  /** Run on every fresh instance (plugins' functions, temporary secrets, extensions). */
  onOpen?: (connection: DuckDBConnection) => Promise<void>;
  /** Told once when another process holds the file (every query that needs it fails with the same message). */
  onLocked?: (message: string) => void;
}

export interface ReloadContext {
  /** The database file; the payload has it to itself until it returns. */
  path: string;
}

export interface ReloadOptions {
  payload?: (ctx: ReloadContext) => unknown;
  description?: string;
  /** How long calls and queries in flight get to finish before queries are interrupted (default 90 s). */
  drainTimeoutMs?: number;
}

/** What a caller whose query a reload interrupted is told. */
export const INTERRUPTED_BY_RELOAD = "Query interrupted by reload: the database was reloaded while it ran; try again";

export interface ReloadResult {
  ok: boolean;
  description: string;
  /** Why the payload failed; the previous database was restored. */
  error?: string;
}

/**
 * DuckDB quotes the statement's line, and the token it failed at, in its errors; a statement can hold data
 * (a SQL file pointed at a file of secrets, a literal). Keep the error and its place, not the text.
 */
export function sqlErrorMessage(message: string): string {
  const lines = message.split("\n");
  const at = lines.findIndex((l) => /^LINE \d+:/.test(l));
  let place = "";
  if (at !== -1) {
    const lineNo = /^LINE (\d+):/.exec(lines[at]!)![1];
    const caret = lines[at + 1]?.indexOf("^") ?? -1;
    const column = caret === -1 ? undefined : caret - `LINE ${lineNo}: `.length + 1;
    place = ` (at line ${lineNo}${column !== undefined && column > 0 ? `, column ${column}` : ""})`;
  }
  const head = lines.slice(0, at === -1 ? lines.length : at).join("\n").trim();
  return head.replace(/ at or near "[^"]*"/, " here") + place;
}

/** Scalar functions to register on every instance, so they survive a reload. */
export type FunctionFactory = () => DuckDBScalarFunction;

/**
 * One embedded DuckDB file for the process. Queries get their own short-lived connection;
 * a reload waits for running queries, closes the instance, runs the payload, and reopens.
 */
export class Database {
  readonly path: string;
  private readonly options: DatabaseOptions;
  private instance: DuckDBInstance | undefined;
  private running = 0;
  private readonly connections = new Set<DuckDBConnection>();
  private readonly interrupted = new WeakSet<DuckDBConnection>();
  private idleWaiters: (() => void)[] = [];
  /** Set while the instance is closed for a reload; queries wait on it. */
  private paused: Promise<void> | undefined;
  private readonly functions: FunctionFactory[] = [];
  private lockReported = false;
  private opening: Promise<void> | undefined;

  constructor(options: DatabaseOptions) {
    this.options = options;
    this.path = options.path;
  }

  /**
   * Open the instance once, however many first calls arrive together: they all wait on the one opening (two
   * instances on one file would each see their own tables).
   */
  open(): Promise<void> {
    if (this.instance) return Promise.resolve();
    this.opening ??= this.openNow().finally(() => {
      this.opening = undefined;
    });
    return this.opening;
  }

  private async openNow(): Promise<void> {
    // The file can hold cached answers and loaded API data: owner-only, like the folder DuckDB writes its WAL in.
    mkdirSync(dirname(this.path), { recursive: true, mode: 0o700 });
    const opts: Record<string, string> = this.options.readonly ? { access_mode: "READ_ONLY" } : {};
    try {
      this.instance = await duckdb().DuckDBInstance.create(this.path, opts);
      if (!this.options.readonly) for (const f of [this.path, `${this.path}.wal`]) if (existsSync(f)) chmodSync(f, 0o600);
    } catch (e) {
      const message = (e as Error).message;
      const holder = /Conflicting lock is held in (.+?) \(PID (\d+)\)/.exec(message);
      if (holder || /Could not set lock/i.test(message)) {
        const who = holder ? `${holder[1]} (PID ${holder[2]})` : "another process";
        const explained = new Error(
          `The DuckDB database ${this.path} is in use by ${who}. Stop that process, serve this one with --readonly, or give this profile another database (profiles.<profile>.duckdb.path in mxcp-site.yml, or $MXCP_DUCKDB_PATH)`,
        );
        if (!this.lockReported) this.options.onLocked?.(explained.message);
        this.lockReported = true;
        throw explained;
      }
      throw new Error(`Cannot open DuckDB database ${this.path}: ${message}`);
    }
    const conn = await this.instance.connect();
    try {
      for (const make of this.functions) conn.registerScalarFunction(make());
      await this.options.onOpen?.(conn);
    } finally {
      conn.closeSync();
    }
  }

  get isOpen(): boolean {
    return this.instance !== undefined;
  }

  /** Register a scalar function now (if open) and on every reopen. */
  async addFunction(make: FunctionFactory): Promise<void> {
    this.functions.push(make);
    if (!this.instance) return;
    const conn = await this.instance.connect();
    try {
      conn.registerScalarFunction(make());
    } finally {
      conn.closeSync();
    }
  }

  /** Run SQL with `$name` parameters and return the rows as plain objects. */
  async execute(sql: string, params: Record<string, unknown> = {}): Promise<Record<string, unknown>[]> {
    while (this.paused) await this.paused;
    if (!this.instance) await this.open();
    this.running++;
    try {
      const conn = await this.instance!.connect();
      this.connections.add(conn);
      try {
        const { values, types } = bindParams(params);
        const reader = Object.keys(values).length > 0 ? await conn.runAndReadAll(sql, values, types) : await conn.runAndReadAll(sql);
        return readRows(reader);
      } catch (e) {
        if (this.interrupted.has(conn)) throw new Error(INTERRUPTED_BY_RELOAD);
        if (e instanceof Error) e.message = sqlErrorMessage(e.message);
        throw e;
      } finally {
        this.connections.delete(conn);
        conn.closeSync();
      }
    } finally {
      this.running--;
      if (this.running === 0) this.idleWaiters.splice(0).forEach((w) => w());
    }
  }

  private whenIdle(): Promise<void> {
    return this.running === 0 ? Promise.resolve() : new Promise((r) => this.idleWaiters.push(r));
  }

  /** Wait for running queries up to `timeoutMs`, then interrupt the rest (their callers get an error). */
  private async idleOrInterrupt(timeoutMs: number): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const timedOut = await Promise.race([
      this.whenIdle().then(() => false),
      new Promise<boolean>((r) => (timer = setTimeout(() => r(true), Math.max(0, timeoutMs)))),
    ]);
    clearTimeout(timer);
    if (!timedOut) return;
    for (const conn of this.connections) {
      this.interrupted.add(conn);
      conn.interrupt();
    }
    await this.whenIdle();
  }

  /**
   * Close the instance with nothing running, give the file to `payload`, reopen.
   * If the payload throws, the file as it was before is put back.
   */
  async reload(options: ReloadOptions = {}): Promise<ReloadResult> {
    const description = options.description ?? "";
    let resume!: () => void;
    const previous = this.paused;
    const gate = new Promise<void>((r) => (resume = r));
    this.paused = gate;
    if (previous) await previous;
    const backup = `${this.path}.reload-backup`;
    let result: ReloadResult = { ok: true, description };
    try {
      await this.idleOrInterrupt(options.drainTimeoutMs ?? 90_000);
      await this.closeInstance();
      const existed = existsSync(this.path);
      if (existed) copyFileSync(this.path, backup);
      const restore = () => {
        rmSync(`${this.path}.wal`, { force: true });
        if (existed) copyFileSync(backup, this.path);
        else rmSync(this.path, { force: true });
      };
      try {
        await options.payload?.({ path: this.path });
      } catch (e) {
        result = { ok: false, description, error: (e as Error)?.message ?? String(e) };
        restore();
      }
      try {
        await this.open();
      } catch (e) {
        // The payload left something DuckDB cannot open: the database as it was comes back.
        result = { ok: false, description, error: `the database could not be opened after the payload (${(e as Error).message}); previous database restored` };
        this.instance = undefined;
        restore();
        await this.open();
      }
      rmSync(backup, { force: true });
    } finally {
      resume();
      if (this.paused === gate) this.paused = undefined;
    }
    return result;
  }

  private async closeInstance(): Promise<void> {
    if (!this.instance || this.options.readonly) {
      this.instance?.closeSync();
      this.instance = undefined;
      return;
    }
    const conn = await this.instance.connect();
    try {
      await conn.run("CHECKPOINT");
    } finally {
      conn.closeSync();
    }
    this.instance.closeSync();
    this.instance = undefined;
  }

  /** Interrupt every running query (at shutdown, once the grace period is over); their callers get an error. */
  interruptRunning(): void {
    for (const conn of this.connections) conn.interrupt();
  }

  /** Wait for running queries, checkpoint and close. */
  async close(): Promise<void> {
    await this.whenIdle();
    await this.closeInstance();
  }
}
