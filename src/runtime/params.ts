import { setOwn } from "./own.js";
import type { DuckDBType, DuckDBValue } from "@duckdb/node-api";
import { duckdb } from "./duckdb-module.js";

/** Turn JS values into DuckDB parameter values with explicit types where JS alone is ambiguous. */
export function bindParams(params: Record<string, unknown>): { values: Record<string, DuckDBValue>; types: Record<string, DuckDBType | undefined> } {
  const values: Record<string, DuckDBValue> = {};
  const types: Record<string, DuckDBType | undefined> = {};
  for (const [name, v] of Object.entries(params)) {
    values[name] = toDuckValue(v);
    types[name] = typeFor(v);
  }
  return { values, types };
}

function typeFor(v: unknown): DuckDBType | undefined {
  // INTEGER when it fits, so functions declared on INTEGER match; DuckDB widens it where BIGINT is wanted.
  const { BIGINT, BOOLEAN, DOUBLE, INTEGER, TIMESTAMPTZ, VARCHAR } = duckdb();
  if (typeof v === "number") return Number.isInteger(v) ? (Math.abs(v) < 2 ** 31 ? INTEGER : BIGINT) : DOUBLE;
  if (typeof v === "boolean") return BOOLEAN;
  if (typeof v === "string") return VARCHAR;
  if (typeof v === "bigint") return BIGINT;
  if (v instanceof Date) return TIMESTAMPTZ;
  return undefined;
}

function toDuckValue(v: unknown): DuckDBValue {
  if (v === null || v === undefined) return null;
  if (typeof v === "number" && Number.isInteger(v) && Math.abs(v) >= 2 ** 31) return BigInt(v);
  if (typeof v === "number" || typeof v === "string" || typeof v === "boolean" || typeof v === "bigint") return v;
  const { listValue, structValue, timestampTZValue } = duckdb();
  if (v instanceof Date) return timestampTZValue(BigInt(v.getTime()) * 1000n);
  if (Array.isArray(v)) return listValue(v.map(toDuckValue));
  if (typeof v === "object") {
    const entries: Record<string, DuckDBValue> = {};
    for (const [k, x] of Object.entries(v)) setOwn(entries, k, toDuckValue(x));
    return structValue(entries);
  }
  return String(v);
}
