// SQL a model writes (run_code's `sql()`, query_results) may read tables and nothing else. DuckDB itself parses
// the statement (`json_serialize_sql`, which accepts only SELECT); we walk its syntax tree and allow one
// statement that reads existing tables and views (or its own CTEs), calls no table function but a few pure
// generators, and no function that reaches outside the database (files, environment, settings).
import type { Database } from "../../runtime/database.js";

export class ReadOnlySqlError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ReadOnlySqlError";
  }
}

// Table functions that only compute.
const TABLE_FUNCTIONS = new Set(["range", "generate_series", "unnest", "json_each", "json_tree"]);
// Scalar functions that read the environment or the instance's configuration.
const DENIED_FUNCTIONS = /^(getenv|current_setting|read_\w+|\w+_scan|glob|sniff_csv|query|query_table|load|install)$/i;

export interface TableRef {
  schema: string;
  name: string;
}

export interface ReadOnlyOptions {
  /** Only these tables may be read, named with their schema (default: the database's tables and views). */
  only?: TableRef[] | undefined;
  /** Tables readable besides the database's own (with their schema), when `only` is not given. */
  also?: TableRef[] | undefined;
  /** Schemas whose tables are not readable unless listed in `also` (stored results of other sessions). */
  hiddenSchemas?: string[] | undefined;
  /** Most rows returned (default 10,000). */
  maxRows?: number | undefined;
}

interface Walked {
  tables: { schema: string; name: string }[];
  tableFunctions: string[];
  functions: string[];
  ctes: string[];
}

function walk(node: unknown, out: Walked): void {
  if (Array.isArray(node)) {
    for (const x of node) walk(x, out);
    return;
  }
  if (!node || typeof node !== "object") return;
  const n = node as Record<string, unknown>;
  if ((n.type === "BASE_TABLE" || n.type === "SHOW_REF") && typeof n.table_name === "string") {
    out.tables.push({ schema: String(n.schema_name ?? ""), name: n.table_name });
  }
  if (n.type === "TABLE_FUNCTION") {
    const fn = n.function as Record<string, unknown> | undefined;
    if (typeof fn?.function_name === "string") out.tableFunctions.push(fn.function_name);
  }
  if (n.class === "FUNCTION" && typeof n.function_name === "string") out.functions.push(n.function_name);
  if (n.cte_map && typeof n.cte_map === "object") {
    for (const entry of ((n.cte_map as { map?: { key?: unknown }[] }).map ?? [])) if (typeof entry.key === "string") out.ctes.push(entry.key.toLowerCase());
  }
  for (const v of Object.values(n)) if (v && typeof v === "object") walk(v, out);
}

/** Check `sql` and run it; rows as plain objects. Throws ReadOnlySqlError saying what is not allowed. */
export async function runReadOnly(db: Database, sql: string, params: Record<string, unknown> = {}, opts: ReadOnlyOptions = {}): Promise<Record<string, unknown>[]> {
  if (typeof sql !== "string" || sql.trim() === "") throw new ReadOnlySqlError("sql must be a non-empty string");
  const [parsed] = await db.execute("SELECT json_serialize_sql($q::VARCHAR) AS tree", { q: sql });
  const tree = JSON.parse(String(parsed?.tree ?? "{}")) as { error?: boolean; error_message?: string; statements?: unknown[] };
  if (tree.error) {
    const why = tree.error_message?.includes("Only SELECT") ? "only a SELECT (or WITH … SELECT, DESCRIBE) statement may run here" : (tree.error_message ?? "it does not parse");
    throw new ReadOnlySqlError(`Refused: ${why}`);
  }
  if ((tree.statements ?? []).length !== 1) throw new ReadOnlySqlError("Refused: exactly one statement may run at a time");
  const seen: Walked = { tables: [], tableFunctions: [], functions: [], ctes: [] };
  walk(tree.statements, seen);
  const fn = seen.tableFunctions.find((f) => !TABLE_FUNCTIONS.has(f.toLowerCase()));
  if (fn) throw new ReadOnlySqlError(`Refused: the table function ${fn}() is not allowed here (only ${[...TABLE_FUNCTIONS].join(", ")})`);
  const denied = seen.functions.find((f) => DENIED_FUNCTIONS.test(f));
  if (denied) throw new ReadOnlySqlError(`Refused: the function ${denied}() is not allowed here`);
  const listed = (list: TableRef[] | undefined, schema: string, name: string) =>
    (list ?? []).some((t) => t.schema.toLowerCase() === schema && t.name.toLowerCase() === name);
  const hidden = new Set((opts.hiddenSchemas ?? []).map((x) => x.toLowerCase()));
  const known = opts.only
    ? []
    : await db.execute(
        "SELECT lower(schema_name) AS s, lower(table_name) AS t FROM duckdb_tables() WHERE NOT internal UNION ALL SELECT lower(schema_name), lower(view_name) FROM duckdb_views() WHERE NOT internal",
      );
  for (const t of seen.tables) {
    const name = t.name.toLowerCase();
    const schema = t.schema.toLowerCase();
    if (!schema && seen.ctes.includes(name)) continue;
    const ok = opts.only
      ? !!schema && listed(opts.only, schema, name)
      : (!!schema && listed(opts.also, schema, name)) ||
        known.some((r) => r.t === name && (schema ? r.s === schema : r.s === "main") && !hidden.has(String(r.s)));
    if (!ok) {
      const how = opts.only ? " (name stored results with their schema, as stored_as gives them)" : "";
      throw new ReadOnlySqlError(`Refused: ${t.schema ? `${t.schema}.` : ""}${t.name} is not a table or view that may be read here${how}`);
    }
  }
  const rows = await db.execute(sql, params);
  return rows.slice(0, opts.maxRows ?? 10_000);
}
