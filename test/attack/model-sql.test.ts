// Issue 21 items 1, 5, 12 and 13: SQL a model writes (query_results, run_code's sql()) runs in the calling
// session's own locked-down DuckDB instance, where no file, no other session's table, no project table or
// sequence and no setting is there to reach; it is bounded (rows, time, memory, shutdown), redacted and audited.
// Every escape the third attack used is replayed under both surfaces that reach model SQL.
import { mkdirSync, readdirSync, readFileSync, watch, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { SessionDatabase } from "../../src/server/results/session-database.js";
import { writeProject } from "../helpers.js";
import { httpClient, startHttpServer, type HttpServerProcess } from "../serve/servers.js";

const CANARY = "CNRYmodelsql7f3a9Zq";
const FILE_CANARY = "file-canary-2b8d1e";

function project(): string {
  const root = writeProject({
    "mxcp-site.yml": "mxcp: 1\nproject: msql\nprofile: d\nsecrets: [svc]\nprofiles:\n  d:\n    audit: {enabled: true}\n",
    "user.yml": `mxcp: 1\nprojects:\n  msql:\n    profiles:\n      d:\n        secrets:\n          - {name: svc, type: api, parameters: {api_key: ${CANARY}}}\n`,
    "tools/big_list.yml":
      "mxcp: 1\ntool:\n  name: big_list\n  description: A long list\n  language: typescript\n  return: {type: array, items: {type: object}}\n  source: {file: ../handlers/big.ts}\n",
    "tools/make_seq.yml": "mxcp: 1\ntool:\n  name: make_seq\n  description: Makes the project's sequence and table\n  source: {code: \"CREATE SEQUENCE IF NOT EXISTS s1; CREATE TABLE IF NOT EXISTS items AS SELECT 'private-row' AS v; SELECT nextval('s1') AS n\"}\n",
    "tools/next_id.yml": "mxcp: 1\ntool:\n  name: next_id\n  description: The project's next id\n  source: {code: \"SELECT nextval('s1') AS n\"}\n",
    "handlers/big.ts": `import { config } from "mxcp-gen/runtime";
export async function big_list() {
  const key = config.getSecret("svc")!.api_key as string;
  // Halves of the secret in two columns: only SQL that joins them makes the secret, and that output is redacted.
  return Array.from({ length: 3000 }, (_, i) => ({ id: i, team: "t" + (i % 7), a: key.slice(0, 9), b: key.slice(9), note: "x".repeat(40) }));
}
`,
    "secret.json": JSON.stringify({ token: FILE_CANARY }),
  });
  mkdirSync(join(root, "tmp"));
  return root;
}

const text = (r: CallToolResult) => JSON.stringify(r);
const structured = (r: CallToolResult) => r.structuredContent as Record<string, any>;

for (const surface of ["all", "code"] as const) {
  describe(`model SQL under the ${surface} surface`, () => {
    let root: string;
    let server: HttpServerProcess;
    let a: Client;
    let b: Client;
    let stored = "";

    /** Run `sql` as the model would on this surface: query_results, or sql() in run_code. */
    const query = async (client: Client, sql: string): Promise<CallToolResult> => {
      if (surface === "all") return (await client.callTool({ name: "query_results", arguments: { sql } })) as CallToolResult;
      return (await client.callTool({ name: "run_code", arguments: { code: `await sql(${JSON.stringify(sql)})` } })) as CallToolResult;
    };
    const rows = (r: CallToolResult) => {
      expect(r.isError ?? false, text(r)).toBe(false);
      return structured(r).result as Record<string, unknown>[];
    };
    const call = async (client: Client, name: string): Promise<CallToolResult> =>
      surface === "all"
        ? ((await client.callTool({ name, arguments: {} })) as CallToolResult)
        : ((await client.callTool({ name: "run_code", arguments: { code: `await tools.${name}({})` } })) as CallToolResult);

    beforeAll(async () => {
      root = project();
      server = await startHttpServer(root, ["--expose", surface, "--store-results-over", "1000", "--sql-timeout", "2"], { TMPDIR: join(root, "tmp") });
      a = await httpClient(server.url);
      b = await httpClient(server.url);
      expect(text(await call(a, "make_seq"))).toMatch(/n\\+": 1/);
    }, 60_000);
    afterAll(async () => {
      await a?.close();
      await b?.close();
      await server?.stop();
    });

    it("a stored result is written with no temporary file anyone could race for", async () => {
      const before = readdirSync(join(root, "tmp")).sort();
      const created: string[] = [];
      const watcher = watch(join(root, "tmp"), (_e, name) => created.push(String(name)));
      const r = (await a.callTool({ name: "big_list", arguments: {} })) as CallToolResult;
      watcher.close();
      // Under the code surface too: a tool called by name (not listed) is answered, and its large result stored.
      stored = structured(r).stored_as;
      expect(stored).toMatch(/^mxcp_results\.big_list_\d+$/);
      // (tsx keeps its compile cache for the handler there; nothing else may appear, even for a moment.)
      expect(created.filter((n) => !n.startsWith("tsx-"))).toEqual([]);
      expect(readdirSync(join(root, "tmp")).filter((n) => !n.startsWith("tsx-")).sort()).toEqual(before.filter((n) => !n.startsWith("tsx-")));
    });

    it("the session reads its own table, with CTEs, WITH RECURSIVE and DESCRIBE", async () => {
      expect(rows(await query(a, `WITH t AS (SELECT team FROM ${stored}) SELECT count(*)::INTEGER AS n FROM t WHERE team = 't1'`))).toEqual([{ n: 429 }]);
      expect(rows(await query(a, "WITH RECURSIVE r AS (SELECT 1 AS n UNION ALL SELECT n + 1 FROM r WHERE n < 3) SELECT n FROM r"))).toEqual([{ n: 1 }, { n: 2 }, { n: 3 }]);
      const described = rows(await query(a, `DESCRIBE ${stored}`));
      expect(described.map((c) => c.column_name)).toEqual(["id", "team", "a", "b", "note"]);
    });

    it("a CTE's name is not a table outside its scope: the file glob of the attack reads nothing", async () => {
      const glob = join(root, "*.json");
      for (const sql of [
        `SELECT b.* FROM (WITH "${glob}" AS (SELECT 1) SELECT 1) a, "${glob}" b`,
        `WITH x AS (SELECT 1) SELECT * FROM (SELECT * FROM "${glob}")`,
        `SELECT * FROM "${glob}"`,
        `SELECT * FROM read_json_auto('${glob}')`,
        `SELECT * FROM read_text('${join(root, "audit", "logs-d.jsonl")}')`,
        `SELECT * FROM read_csv('${join(root, "secret.json")}')`,
        `SELECT * FROM glob('${root}/*')`,
      ]) {
        const r = await query(a, sql);
        expect(r.isError, sql).toBe(true);
        expect(text(r), sql).not.toContain(FILE_CANARY);
      }
    });

    it("no other session's table, project table, catalog or sequence is there to read or change", async () => {
      const other = await query(b, `SELECT count(*) FROM ${stored}`);
      expect(other.isError).toBe(true);
      for (const sql of ["SELECT * FROM items", "SELECT * FROM main.items", "SELECT * FROM sqlite_master", "SELECT * FROM duckdb_tables()", "SELECT nextval('s1') FROM range(1000)", "SELECT current_setting('home_directory')"]) {
        const r = await query(a, sql);
        expect(r.isError, sql).toBe(true);
        expect(text(r), sql).not.toContain("private-row");
      }
      // The project's sequence moved only by the project's own tool.
      expect(text(await call(a, "next_id"))).toMatch(/n\\+": 2/);
    });

    it("SQL output is redacted, and every model query is audited", async () => {
      const joined = await query(a, `SELECT a || b AS k FROM ${stored} LIMIT 1`);
      expect(text(joined)).not.toContain(CANARY);
      expect(text(joined)).toContain("[REDACTED]");
      const audit = readFileSync(join(root, "audit", "logs-d.jsonl"), "utf8");
      expect(audit).not.toContain(CANARY);
      const names = audit.trim().split("\n").map((l) => (JSON.parse(l) as { operation_name: string }).operation_name);
      expect(names).toContain(surface === "all" ? "query_results" : "sql");
      if (surface === "code") expect(names).toContain("run_code");
    });

    it("rows are limited in the query, a long statement is stopped at --sql-timeout", async () => {
      const many = await query(a, "SELECT * FROM range(100000000) t(x)");
      expect(rows(many)).toHaveLength(1000);
      const slow = await query(a, "SELECT sum(x) FROM range(1000000000000000) t(x)");
      expect(slow.isError).toBe(true);
      expect(text(slow)).toMatch(/longer than 2 s and was stopped/);
      // The session still answers afterwards.
      expect(rows(await query(a, "SELECT 1 AS one"))).toEqual([{ one: 1 }]);
    });
  });
}

describe("the session instance itself holds nothing else (the first line, without the checker)", () => {
  let db: SessionDatabase;
  let dir: string;
  beforeAll(async () => {
    dir = writeProject({ "secret.json": JSON.stringify({ token: FILE_CANARY }) });
    db = await SessionDatabase.create();
  });
  afterAll(() => db.close());

  it("files, extensions, attachments and settings are out of reach even for SQL the checker never saw", async () => {
    for (const sql of [
      `SELECT * FROM read_json_auto('${join(dir, "secret.json")}')`,
      `SELECT * FROM '${join(dir, "secret.json")}'`,
      `ATTACH '${join(dir, "other.duckdb")}' AS o`,
      `COPY (SELECT 1) TO '${join(dir, "out.csv")}'`,
      "INSTALL httpfs",
      "LOAD httpfs",
      "SET enable_external_access = true",
      "SET memory_limit = '100GB'",
      "SET lock_configuration = false",
    ]) {
      await expect(db.query(sql, {}, 10), sql).rejects.toThrow();
    }
    expect(readdirSync(dir)).toEqual(["secret.json"]);
  });
});

describe("shutdown with model SQL in flight", () => {
  it("SIGTERM interrupts a runaway statement and the server exits", async () => {
    const root = project();
    writeFileSync(join(root, "secret.json"), "{}");
    const server = await startHttpServer(root, ["--expose", "all", "--sql-timeout", "600", "--grace-period", "1"]);
    const client = await httpClient(server.url);
    const running = client.callTool({ name: "query_results", arguments: { sql: "SELECT sum(x) FROM range(1000000000000000) t(x)" } }).catch((e: unknown) => e);
    await new Promise((r) => setTimeout(r, 500));
    expect(await server.stop()).toBe(0);
    const answer = (await running) as CallToolResult;
    expect(answer.isError).toBe(true);
    expect(text(answer)).toMatch(/stopped/);
    expect(server.stderr()).toMatch(/interrupting them and stopping/);
  });
});
