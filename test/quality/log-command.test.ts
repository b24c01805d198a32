// Issue 16 item 17: `mxcp-gen log` queries the audit log the server writes, as MXCP's `mxcp log` does.
import { join } from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { describe, expect, it } from "vitest";
import { CLI, runCli, tempDir } from "../helpers.js";

describe("mxcp-gen log", () => {
  it("lists, filters and exports the served calls", async () => {
    const root = tempDir("mxcp-gen-log-");
    expect((await runCli(["init", root, "--project", "logged"], { cwd: root })).code).toBe(0);
    const none = await runCli(["log"], { cwd: root });
    expect(none.code).toBe(1);
    expect(none.stderr).toContain("audit.enabled");
    const transport = new StdioClientTransport({ command: process.execPath, args: [CLI, "serve", "--transport", "stdio"], cwd: root, env: { PATH: process.env.PATH ?? "", HOME: root, MXCP_CONFIG: join(root, "none.yml"), MXCP_AUDIT_ENABLED: "1" }, stderr: "pipe" });
    const client = new Client({ name: "t", version: "1" });
    await client.connect(transport);
    await client.callTool({ name: "hello", arguments: { name: "A" } });
    await client.callTool({ name: "hello_sql", arguments: { name: "B" } });
    await client.callTool({ name: "hello", arguments: {} });
    await client.close();

    const all = JSON.parse((await runCli(["log", "--json-output"], { cwd: root })).stdout) as { result: { operation_name: string; operation_status: string }[] };
    expect(all.result.map((r) => `${r.operation_name}:${r.operation_status}`)).toEqual(["hello:error", "hello_sql:success", "hello:success"]);
    const errors = JSON.parse((await runCli(["log", "--status", "error", "--json-output"], { cwd: root })).stdout) as { result: unknown[] };
    expect(errors.result).toHaveLength(1);
    const one = JSON.parse((await runCli(["log", "--tool", "hello", "--limit", "1", "--json-output"], { cwd: root })).stdout) as { result: { operation_status: string }[] };
    expect(one.result.map((r) => r.operation_status)).toEqual(["error"]);
    expect(JSON.parse((await runCli(["log", "--since", "1h", "--json-output"], { cwd: root })).stdout).result).toHaveLength(3);
    const plain = await runCli(["log"], { cwd: root });
    expect(plain.stdout).toMatch(/hello_sql\s+success/);

    const file = join(root, "audit.duckdb");
    const exported = await runCli(["log", "--export-duckdb", file], { cwd: root });
    expect(exported.code, exported.stderr).toBe(0);
    const db = await DuckDBInstance.create(file);
    const conn = await db.connect();
    const rows = (await conn.runAndReadAll("SELECT operation_name, count(*)::INTEGER AS n FROM logs GROUP BY 1 ORDER BY 1")).getRowObjectsJson();
    conn.closeSync();
    expect(rows).toEqual([{ operation_name: "hello", n: 2 }, { operation_name: "hello_sql", n: 1 }]);
  }, 120_000);
});
