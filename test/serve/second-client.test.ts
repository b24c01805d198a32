// Issue 16 item 8: a second client on the same project. DuckDB opens on first use, so while one server holds
// the file, another process still serves every tool that does not need it; one that does is told who holds
// the file and what to do.
import { join } from "node:path";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { describe, expect, it } from "vitest";
import { CLI, runCli, tempDir } from "../helpers.js";

async function stdioServer(dir: string, args: string[] = []) {
  let stderr = "";
  const transport = new StdioClientTransport({ command: process.execPath, args: [CLI, "serve", "--transport", "stdio", ...args], cwd: dir, env: { PATH: process.env.PATH ?? "", HOME: dir, MXCP_CONFIG: join(dir, "none.yml") }, stderr: "pipe" });
  transport.stderr?.on("data", (d: Buffer) => (stderr += d.toString()));
  const client = new Client({ name: "t", version: "1" });
  await client.connect(transport);
  return { client, stderr: () => stderr };
}

describe("a second client on one project", () => {
  it("serves while another process holds the database; the database's tools say who holds it", async () => {
    const root = tempDir("mxcp-gen-second-");
    expect((await runCli(["init", root, "--project", "two"], { cwd: root })).code).toBe(0);
    const first = await stdioServer(root);
    try {
      const sql = (await first.client.callTool({ name: "hello_sql", arguments: { name: "A" } })) as CallToolResult;
      expect(sql.isError, JSON.stringify(sql.content)).toBeFalsy();

      const ts = await runCli(["run", "tool", "hello", "-p", "name=B"], { cwd: root });
      expect(ts.code, ts.stderr).toBe(0);
      expect(ts.stdout).toContain("Hello, B!");

      const second = await stdioServer(root);
      try {
        const hello = (await second.client.callTool({ name: "hello", arguments: { name: "C" } })) as CallToolResult;
        expect(hello.isError, JSON.stringify(hello.content)).toBeFalsy();
        const locked = (await second.client.callTool({ name: "hello_sql", arguments: { name: "D" } })) as CallToolResult;
        expect(locked.isError).toBe(true);
        const text = (locked.content[0] as { text: string }).text;
        expect(text).toMatch(/is in use by .*PID \d+/);
        expect(text).toContain("--readonly");
        expect(second.stderr()).toMatch(/is in use by .*Tools that do not use the database keep working/);
      } finally {
        await second.client.close();
      }
    } finally {
      await first.client.close();
    }
  }, 120_000);
});
