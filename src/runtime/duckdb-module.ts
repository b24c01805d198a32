// DuckDB's binding, loaded the first time something needs it: loading it takes about 0.2 s, which a server whose
// tools never touch the database (most API projects) should not pay at every start. Types come from the package
// as usual (`import type`); values through `duckdb()`.
import { createRequire } from "node:module";

type DuckDB = typeof import("@duckdb/node-api");

let loaded: DuckDB | undefined;

export function duckdb(): DuckDB {
  return (loaded ??= createRequire(import.meta.url)("@duckdb/node-api") as DuckDB);
}
