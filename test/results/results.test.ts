// Issue 15: large results stay in DuckDB. A 5 MB list is stored and queried with query_results (a GROUP BY
// that matches a computation here); another session cannot read it; the byte budget drops the oldest first;
// fields an output policy filters are never written; results go with the server unless --keep-results.
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DuckDBInstance } from "@duckdb/node-api";
import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { writeProject } from "../helpers.js";
import { httpClient, startHttpServer, type HttpServerProcess } from "../serve/servers.js";

const ROWS = 40_000;
const rows = Array.from({ length: ROWS }, (_, i) => ({ id: i, team: `t${i % 7}`, score: i % 100, note: "x".repeat(80), secret: `never-stored-${i}` }));

function project(): string {
  return writeProject({
    "mxcp-site.yml": "mxcp: 1\nproject: rs\nprofile: d\n",
    "user.yml": "mxcp: 1\n",
    "tools/big_list.yml": `mxcp: 1
tool:
  name: big_list
  description: A long list
  language: typescript
  return: {type: array, items: {type: object, properties: {id: {type: integer}, team: {type: string}, score: {type: integer}, note: {type: string}, secret: {type: string}}}}
  source: {file: ../handlers/big.ts}
  policies:
    output:
      - {condition: "true", action: filter_fields, fields: [secret]}
`,
    "tools/small.yml": "mxcp: 1\ntool:\n  name: small\n  description: A short answer\n  source: {code: \"SELECT 'hi' AS greeting\"}\n",
    "handlers/big.ts": `export async function big_list() {
  return Array.from({ length: ${ROWS} }, (_, i) => ({ id: i, team: "t" + (i % 7), score: i % 100, note: "x".repeat(80), secret: "never-stored-" + i }));
}
`,
  });
}

const json = (r: unknown) => (r as CallToolResult).structuredContent as Record<string, any>;

describe("results over the threshold are stored and queried, per session", () => {
  let root: string;
  let server: HttpServerProcess;
  let a: Client;
  let b: Client;

  beforeAll(async () => {
    root = project();
    server = await startHttpServer(root, ["--results-budget", String(9 * 1024 * 1024)]);
    a = await httpClient(server.url);
    b = await httpClient(server.url);
  }, 60_000);
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await server?.stop();
  });

  it("lists query_results; a small result is sent as it is", async () => {
    expect((await a.listTools()).tools.map((t) => t.name)).toContain("query_results");
    expect(((await a.callTool({ name: "small", arguments: {} })) as CallToolResult).content).toEqual([{ type: "text", text: JSON.stringify({ greeting: "hi" }, null, 2) }]);
  });

  let first = "";
  it("a 5 MB list comes back as a summary, a few KB, without the filtered field", async () => {
    const r = (await a.callTool({ name: "big_list", arguments: {} })) as CallToolResult;
    const s = json(r);
    first = s.stored_as;
    expect(s.stored_as).toMatch(/^mxcp_results\.big_list_\d+$/);
    expect(s.rows).toBe(ROWS);
    expect(s.bytes).toBeGreaterThan(5_000_000);
    expect(s.columns.map((c: { name: string }) => c.name)).toEqual(["id", "team", "score", "note"]);
    expect(s.preview).toHaveLength(5);
    expect(s.hint).toMatch(/query_results/);
    expect(Buffer.byteLength(JSON.stringify(r))).toBeLessThan(10_000);
    expect(JSON.stringify(r)).not.toContain("never-stored");
  });

  it("query_results answers a GROUP BY that matches the data", async () => {
    const r = json(await a.callTool({ name: "query_results", arguments: { sql: `SELECT team, count(*)::INTEGER AS n, sum(score)::INTEGER AS total FROM ${first} GROUP BY team ORDER BY team` } }));
    const expected = [...new Set(rows.map((x) => x.team))].sort().map((team) => {
      const mine = rows.filter((x) => x.team === team);
      return { team, n: mine.length, total: mine.reduce((t, x) => t + x.score, 0) };
    });
    expect(r.result).toEqual(expected);
  });

  it("another session cannot read it, and no session reaches the project's tables or writes", async () => {
    const r = (await b.callTool({ name: "query_results", arguments: { sql: `SELECT count(*) FROM ${first}` } })) as CallToolResult;
    expect(r.isError).toBe(true);
    expect(JSON.stringify(r.content)).toMatch(/not one of this session's stored results/);
    for (const sql of [`DELETE FROM ${first}`, "SELECT * FROM duckdb_settings()", `SELECT * FROM ${first}; DROP TABLE ${first}`]) {
      const x = (await a.callTool({ name: "query_results", arguments: { sql } })) as CallToolResult;
      expect(x.isError, sql).toBe(true);
    }
  });

  it("the byte budget drops the oldest stored result first", async () => {
    const second = json(await a.callTool({ name: "big_list", arguments: {} })).stored_as as string;
    const gone = (await a.callTool({ name: "query_results", arguments: { sql: `SELECT count(*) AS n FROM ${first}` } })) as CallToolResult;
    expect(gone.isError).toBe(true);
    expect(json(await a.callTool({ name: "query_results", arguments: { sql: `SELECT count(*)::INTEGER AS n FROM ${second}` } })).result).toEqual([{ n: ROWS }]);
  });

  it("stored results go with the server, and never touch the project's database", async () => {
    await a.close();
    await b.close();
    expect(await server.stop()).toBe(0);
    const db = await DuckDBInstance.create(join(root, "data", "db-d.duckdb"));
    const conn = await db.connect();
    const schemas = (await conn.runAndReadAll("SELECT schema_name FROM information_schema.schemata")).getRowObjects().map((r) => r.schema_name);
    conn.closeSync();
    db.closeSync();
    expect(schemas, server.stderr()).not.toContain("mxcp_results");
    expect(existsSync(join(root, "data", "results")), "nothing kept without --keep-results").toBe(false);
  });
});

describe("--keep-results", () => {
  it("keeps each session's stored results in its own 0600 DuckDB file after the server stops", async () => {
    const root = project();
    const server = await startHttpServer(root, ["--keep-results"]);
    const client = await httpClient(server.url);
    const stored = json(await client.callTool({ name: "big_list", arguments: {} })).stored_as as string;
    await client.close();
    expect(await server.stop()).toBe(0);
    const files = readdirSync(join(root, "data", "results"));
    expect(files).toHaveLength(1);
    const file = join(root, "data", "results", files[0]!);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const db = await DuckDBInstance.create(file);
    const conn = await db.connect();
    const n = (await conn.runAndReadAll(`SELECT count(*)::INTEGER AS n FROM ${stored}`)).getRowObjects()[0]!.n;
    conn.closeSync();
    db.closeSync();
    expect(n).toBe(ROWS);
  }, 60_000);
});
