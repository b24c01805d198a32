// The MCP protocol layer in one process: the SDK's client and the catalog's server joined by the SDK's
// InMemoryTransport, so protocol behaviour is tested without a child process (the fast tier runs this file).
// The same project over real stdio and HTTP is in serve.test.ts.
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { InMemoryTransport } from "@modelcontextprotocol/sdk/inMemory.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { McpCatalog } from "../../src/server/mcp/mcp-server.js";
import { ProjectHost } from "../../src/server/host.js";
import { copyFixture } from "../helpers.js";

let host: ProjectHost;
let catalog: McpCatalog;
let client: Client;

beforeAll(async () => {
  const root = copyFixture("runtime-project");
  writeFileSync(join(root, "user.yml"), "mxcp: 1\nprojects:\n  rt:\n    profiles:\n      test:\n        secrets:\n          - name: svc\n            type: api\n            parameters: {api_key: 'k', base_url: 'http://127.0.0.1:1'}\n");
  host = ProjectHost.load({ cwd: root, env: { MXCP_CONFIG: join(root, "user.yml") }, log: () => undefined });
  await host.start();
  catalog = new McpCatalog(host, { maxResultBytes: 4096 });
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await catalog.createServer({ session: "in-memory" }).connect(serverSide);
  client = new Client({ name: "in-process-test", version: "1.0.0" });
  await client.connect(clientSide);
});

afterAll(async () => {
  await client?.close();
  await catalog?.close();
  await host?.shutdown();
});

describe("the MCP layer in process", () => {
  it("lists the project's tools with their schemas and annotations", async () => {
    const { tools } = await client.listTools();
    const echo = tools.find((t) => t.name === "echo");
    expect(echo?.inputSchema).toMatchObject({ type: "object", properties: { value: { type: "integer" } }, required: ["value"] });
    expect(echo?.annotations).toMatchObject({ readOnlyHint: true, idempotentHint: true });
    expect(echo?.outputSchema).toMatchObject({ type: "object" });
  });

  it("answers a call with text and structured content shaped by the output schema", async () => {
    const r = (await client.callTool({ name: "echo", arguments: { value: 7 } })) as CallToolResult;
    expect(r.isError).toBeFalsy();
    expect(r.structuredContent).toEqual({ value: 7, note: null });
  });

  it("a bad argument is a tool error naming the parameter, not a protocol error", async () => {
    const r = (await client.callTool({ name: "echo", arguments: { value: "seven" } })) as CallToolResult;
    expect(r.isError).toBe(true);
    expect(JSON.stringify(r.content)).toContain("value");
  });

  it("logging/setLevel is answered, and an unknown tool is an error result", async () => {
    await expect(client.setLoggingLevel("debug")).resolves.toEqual({});
    const r = (await client.callTool({ name: "no_such_tool", arguments: {} })) as CallToolResult;
    expect(r.isError).toBe(true);
  });
});
