// The second line for SQL a model writes (run_code's `sql()`, query_results). The first is where it runs: a
// session's own locked-down instance (session-database.ts), which holds nothing else. Here DuckDB itself parses
// the statement (`json_serialize_sql`, which accepts only SELECT, DESCRIBE, SUMMARIZE); we walk its syntax tree
// with each CTE's scope resolved and allow one statement that reads only the session's stored tables (or CTEs in
// scope), calls no table function but a few pure generators, and no function that reaches outside the database.
// Anything the walk does not recognise is refused.
import type { SessionDatabase } from "./session-database.js";

export class ReadOnlySqlError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ReadOnlySqlError";
  }
}

// Table functions that only compute.
const TABLE_FUNCTIONS = new Set(["range", "generate_series", "unnest", "json_each", "json_tree"]);
// Scalar functions that read the environment or the instance's configuration, or change state.
const DENIED_FUNCTIONS = /^(getenv|current_setting|read_\w+|\w+_scan|glob|sniff_csv|query|query_table|load|install|nextval|currval|setseed)$/i;
// FROM-clause nodes the walk understands; any other kind of table reference is refused.
const TABLE_REFS = new Set(["BASE_TABLE", "SHOW_REF", "TABLE_FUNCTION", "SUBQUERY", "JOIN", "EMPTY", "EXPRESSION_LIST", "PIVOT"]);

export interface TableRef {
  schema: string;
  name: string;
}

interface Walked {
  tables: TableRef[];
  tableFunctions: string[];
  functions: string[];
  unknownRefs: string[];
}

/** Collect what the statement reads; a table name that a CTE in scope defines is not a table. */
function walk(node: unknown, scope: ReadonlySet<string>, out: Walked): void {
  if (Array.isArray(node)) {
    for (const x of node) walk(x, scope, out);
    return;
  }
  if (!node || typeof node !== "object") return;
  const n = node as Record<string, unknown>;
  // A WITH clause's names are visible in its own query node (its CTEs included, for WITH RECURSIVE), not beside it.
  let inner = scope;
  const cteMap = n.cte_map as { map?: { key?: unknown }[] } | undefined;
  if (cteMap && Array.isArray(cteMap.map) && cteMap.map.length > 0) {
    inner = new Set([...scope, ...cteMap.map.map((e) => String(e.key).toLowerCase())]);
  }
  if (n.type === "RECURSIVE_CTE_NODE" && typeof n.cte_name === "string") inner = new Set([...inner, n.cte_name.toLowerCase()]);
  if (typeof n.type === "string" && "alias" in n && "sample" in n && !TABLE_REFS.has(n.type)) out.unknownRefs.push(n.type);
  if (n.type === "BASE_TABLE" && typeof n.table_name === "string") {
    const schema = String(n.schema_name ?? "").toLowerCase();
    const name = n.table_name.toLowerCase();
    if (n.catalog_name || schema || !inner.has(name)) out.tables.push({ schema: String(n.schema_name ?? ""), name: n.table_name });
  }
  // DESCRIBE / SUMMARIZE of a table carries it as a query; SHOW TABLES and the like name a table of their own.
  if (n.type === "SHOW_REF" && typeof n.table_name === "string" && n.table_name !== "") out.tables.push({ schema: "", name: n.table_name });
  if (n.type === "TABLE_FUNCTION") {
    const fn = n.function as Record<string, unknown> | undefined;
    out.tableFunctions.push(typeof fn?.function_name === "string" ? fn.function_name : "(unknown)");
  }
  if (n.class === "FUNCTION" && typeof n.function_name === "string") out.functions.push(n.function_name);
  for (const v of Object.values(n)) if (v && typeof v === "object") walk(v, inner, out);
}

export interface ReadOnlyOptions {
  /** The only tables that may be read, named with their schema. */
  only: TableRef[];
  /** Most rows returned. */
  maxRows: number;
}

/** Check `sql` and run it on the session's instance; rows as plain objects. Throws ReadOnlySqlError saying what is not allowed. */
export async function runReadOnly(db: SessionDatabase, sql: string, params: Record<string, unknown>, opts: ReadOnlyOptions): Promise<Record<string, unknown>[]> {
  if (typeof sql !== "string" || sql.trim() === "") throw new ReadOnlySqlError("sql must be a non-empty string");
  const [parsed] = await db.run("SELECT json_serialize_sql($q::VARCHAR) AS tree", { q: sql });
  const tree = JSON.parse(String(parsed?.tree ?? "{}")) as { error?: boolean; error_message?: string; statements?: unknown[] };
  if (tree.error) {
    const why = tree.error_message?.includes("Only SELECT") ? "only a SELECT (or WITH … SELECT, DESCRIBE) statement may run here" : (tree.error_message ?? "it does not parse");
    throw new ReadOnlySqlError(`Refused: ${why}`);
  }
  if ((tree.statements ?? []).length !== 1) throw new ReadOnlySqlError("Refused: exactly one statement may run at a time");
  const seen: Walked = { tables: [], tableFunctions: [], functions: [], unknownRefs: [] };
  walk(tree.statements, new Set(), seen);
  if (seen.unknownRefs.length > 0) throw new ReadOnlySqlError(`Refused: a ${seen.unknownRefs[0]} table reference is not allowed here`);
  const fn = seen.tableFunctions.find((f) => !TABLE_FUNCTIONS.has(f.toLowerCase()));
  if (fn) throw new ReadOnlySqlError(`Refused: the table function ${fn}() is not allowed here (only ${[...TABLE_FUNCTIONS].join(", ")})`);
  const denied = seen.functions.find((f) => DENIED_FUNCTIONS.test(f));
  if (denied) throw new ReadOnlySqlError(`Refused: the function ${denied}() is not allowed here`);
  for (const t of seen.tables) {
    const ok = opts.only.some((o) => o.schema.toLowerCase() === t.schema.toLowerCase() && o.name.toLowerCase() === t.name.toLowerCase());
    if (!ok) throw new ReadOnlySqlError(`Refused: ${t.schema ? `${t.schema}.` : ""}${t.name} is not one of this session's stored results (name them as stored_as gives them; a result stored in an earlier session, or on another server, went with it: call the tool again)`);
  }
  return db.query(sql, params, opts.maxRows);
}
