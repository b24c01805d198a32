// What every DuckDB instance of a project gets when it opens (at start, and again after a reload).
import type { DuckDBConnection } from "@duckdb/node-api";
import type { SiteConfig } from "../project/site-config.js";
import { runtimeState, type SecretEntry } from "../runtime/state.js";

/** A fresh DuckDB instance as MXCP prepares it: the site's extensions, and every secret offered as a temporary secret. */
export async function prepareConnection(conn: DuckDBConnection, secrets: SecretEntry[], extensions: SiteConfig["extensions"]): Promise<void> {
  for (const ext of extensions) {
    const name = typeof ext === "string" ? ext : ext.name;
    const repo = typeof ext === "string" ? undefined : ext.repo;
    if (!/^\w+$/.test(name)) continue;
    try {
      await conn.run(`INSTALL ${name}${repo ? ` FROM ${repo}` : ""}`);
      await conn.run(`LOAD ${name}`);
    } catch (e) {
      runtimeState().log("warning", `DuckDB extension ${name} could not be loaded: ${(e as Error).message}`);
    }
  }
  // As MXCP does: every secret with parameters is offered to DuckDB; types DuckDB doesn't know fail quietly.
  for (const s of secrets) {
    if (Object.keys(s.parameters).length === 0 || !/^\w+$/.test(s.name) || !/^\w+$/.test(s.type)) continue;
    const fields = Object.entries(s.parameters)
      .filter(([k]) => /^\w+$/.test(k))
      .map(([k, v]) => `${k} ${sqlLiteral(v)}`);
    try {
      await conn.run(`CREATE TEMPORARY SECRET ${s.name} (TYPE ${s.type}${fields.length ? ", " + fields.join(", ") : ""})`);
    } catch {
      // Not a DuckDB secret type (api, python, custom...): only handlers use it.
    }
  }
}

function sqlLiteral(v: unknown): string {
  if (v !== null && typeof v === "object" && !Array.isArray(v)) {
    return `MAP {${Object.entries(v).map(([k, x]) => `${sqlLiteral(k)}: ${sqlLiteral(x)}`).join(", ")}}`;
  }
  return `'${String(v).replace(/'/g, "''")}'`;
}
