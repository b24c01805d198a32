import { copyFileSync, existsSync, mkdirSync, rmSync } from "node:fs";
import { dirname } from "node:path";
import { DuckDBInstance, type DuckDBConnection, type DuckDBScalarFunction } from "@duckdb/node-api";
import { bindParams } from "./params.js";
import { readRows } from "./rows.js";

export interface DatabaseOptions {
  path: string;
  readonly?: boolean;
  /** Run on every fresh instance (plugins' functions, temporary secrets, extensions). */
  onOpen?: (connection: DuckDBConnection) => Promise<void>;
}

export interface ReloadContext {
  /** The database file; the payload has it to itself until it returns. */
  path: string;
}

export interface ReloadOptions {
  payload?: (ctx: ReloadContext) => unknown;
  description?: string;
}

export interface ReloadResult {
  ok: boolean;
  description: string;
  /** Why the payload failed; the previous database was restored. */
  error?: string;
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
  private idleWaiters: (() => void)[] = [];
  /** Set while the instance is closed for a reload; queries wait on it. */
  private paused: Promise<void> | undefined;
  private readonly functions: FunctionFactory[] = [];

  constructor(options: DatabaseOptions) {
    this.options = options;
    this.path = options.path;
  }

  async open(): Promise<void> {
    if (this.instance) return;
    mkdirSync(dirname(this.path), { recursive: true });
    const opts: Record<string, string> = this.options.readonly ? { access_mode: "READ_ONLY" } : {};
    try {
      this.instance = await DuckDBInstance.create(this.path, opts);
    } catch (e) {
      throw new Error(`Cannot open DuckDB database ${this.path}: ${(e as Error).message}`);
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
      try {
        const { values, types } = bindParams(params);
        const reader = Object.keys(values).length > 0 ? await conn.runAndReadAll(sql, values, types) : await conn.runAndReadAll(sql);
        return readRows(reader);
      } finally {
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
      await this.whenIdle();
      await this.closeInstance();
      const existed = existsSync(this.path);
      if (existed) copyFileSync(this.path, backup);
      try {
        await options.payload?.({ path: this.path });
      } catch (e) {
        result = { ok: false, description, error: (e as Error)?.message ?? String(e) };
        rmSync(`${this.path}.wal`, { force: true });
        if (existed) copyFileSync(backup, this.path);
        else rmSync(this.path, { force: true });
      }
      rmSync(backup, { force: true });
      await this.open();
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

  /** Wait for running queries, checkpoint and close. */
  async close(): Promise<void> {
    await this.whenIdle();
    await this.closeInstance();
  }
}
