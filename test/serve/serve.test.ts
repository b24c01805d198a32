import { spawn } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { request } from "node:http";
import { join } from "node:path";
import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { LoggingMessageNotificationSchema, type CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DuckDBInstance } from "@duckdb/node-api";
import { CLI, runCli } from "../helpers.js";
import { baseEnv, httpClient, serveFixture, startHttpServer, stdioClient, type HttpServerProcess } from "./servers.js";

const text = (r: unknown) => ((r as CallToolResult).content as { type: string; text: string }[]).map((c) => c.text).join("\n");

/** The checks every transport must pass, run against a connected client. */
function protocolSuite(getClient: () => Client) {
  it("lists tools with input and output schemas, annotations and no $ref", async () => {
    const { tools } = await getClient().listTools();
    const byName = Object.fromEntries(tools.map((t) => [t.name, t]));
    expect(Object.keys(byName)).toEqual(expect.arrayContaining(["add_item", "count_items", "echo", "types_demo", "shout_sql"]));
    expect(byName.add_item!.inputSchema).toEqual({
      type: "object",
      properties: { id: { type: "integer", description: "Item id" }, name: { type: "string", description: "Item name" } },
      required: ["id", "name"],
      additionalProperties: false,
    });
    expect(byName.shout_sql!.inputSchema.required).toEqual(["text"]);
    expect((byName.shout_sql!.inputSchema.properties as Record<string, unknown>).n).toEqual({ type: "integer", description: "Number", default: 2 });
    expect(byName.count_items!.outputSchema).toEqual({ type: "object", properties: { result: { type: ["integer", "null"] } }, required: ["result"] });
    expect(byName.echo!.annotations).toEqual({ readOnlyHint: true, idempotentHint: true });
    expect(JSON.stringify(tools)).not.toContain("$ref");
  });

  it("calls a tool: text content and structuredContent, declared-but-missing properties as null", async () => {
    const r = await getClient().callTool({ name: "echo", arguments: { value: 7 } });
    expect(r.isError).toBeFalsy();
    expect(r.structuredContent).toEqual({ value: 7, note: null });
    expect(JSON.parse(text(r))).toEqual({ value: 7 });
    const count = await getClient().callTool({ name: "count_items", arguments: {} });
    expect(count.structuredContent).toEqual({ result: expect.any(Number) });
  });

  it("converts arguments as MXCP does and reports a validation error with isError", async () => {
    const ok = await getClient().callTool({ name: "echo", arguments: { value: "41" } });
    expect(ok.structuredContent).toEqual({ value: 41, note: null });
    const bad = await getClient().callTool({ name: "echo", arguments: { value: "x" } });
    expect(bad.isError).toBe(true);
    expect(text(bad)).toBe("Error executing tool echo: Error validating parameter 'value': Expected integer, got str");
    const missing = await getClient().callTool({ name: "echo", arguments: {} });
    expect(text(missing)).toBe("Error executing tool echo: Required parameter missing: value");
  });

  it("sends a handler's error object as its JSON with isError", async () => {
    const r = await getClient().callTool({ name: "fail_object", arguments: {} });
    expect(r.isError).toBe(true);
    expect(JSON.parse(text(r))).toEqual({ error: "Not found", message: "No item 7", status: 404 });
  });

  it("sends a thrown error as isError", async () => {
    const r = await getClient().callTool({ name: "fail_throw", arguments: {} });
    expect(r).toMatchObject({ isError: true });
    expect(text(r)).toBe("Error executing tool fail_throw: handler blew up");
  });

  it("reports an output validation failure", async () => {
    const r = await getClient().callTool({ name: "bad_output", arguments: {} });
    expect(r.isError).toBe(true);
    expect(text(r)).toBe("Error executing tool bad_output: Output validation failed: Property 'id': Expected integer, got str");
  });

  it("answers an unknown tool with an error naming it", async () => {
    const r = await getClient().callTool({ name: "no_such_tool", arguments: {} });
    expect(r.isError).toBe(true);
    expect(text(r)).toBe("Error executing tool no_such_tool: Unknown tool: no_such_tool");
  });

  it("rejects prototype-ish keys as unknown parameters", async () => {
    const c = await getClient().callTool({ name: "echo", arguments: { value: 2, constructor: "x" } });
    expect(text(c)).toBe("Error executing tool echo: Unknown parameter: constructor");
    const h = await getClient().callTool({ name: "echo", arguments: { value: 2, hasOwnProperty: 1 } });
    expect(text(h)).toBe("Error executing tool echo: Unknown parameter: hasOwnProperty");
    const ok = await getClient().callTool({ name: "echo", arguments: { value: 3 } });
    expect(ok.structuredContent).toEqual({ value: 3, note: null });
  });

  it("reads a resource through its URI template", async () => {
    await getClient().callTool({ name: "add_item", arguments: { id: 42, name: "answer" } });
    const { resourceTemplates } = await getClient().listResourceTemplates();
    expect(resourceTemplates.map((t) => t.uriTemplate)).toEqual(["items://{id}"]);
    const r = await getClient().readResource({ uri: "items://42" });
    expect(r.contents).toEqual([{ uri: "items://42", mimeType: "application/json", text: JSON.stringify({ id: 42, name: "answer" }, null, 2) }]);
    await expect(getClient().readResource({ uri: "items://9999" })).rejects.toThrow(/Error reading resource items:\/\/9999: No results returned/);
  });

  it("lists and gets prompts as MCP messages", async () => {
    const { prompts } = await getClient().listPrompts();
    expect(prompts).toEqual([{ name: "describe", description: "Ask for a description.", arguments: [{ name: "topic", description: "What to describe", required: true }] }]);
    const p = await getClient().getPrompt({ name: "describe", arguments: { topic: "ducks" } });
    expect(p.messages).toEqual([
      { role: "user", content: { type: "text", text: "Describe ducks in one sentence." } },
      { role: "assistant", content: { type: "text", text: "Sure: DUCKS." } },
    ]);
  });
}

describe("serve over stdio (the CLI spawned as a client would)", () => {
  let client: Client;
  let stderr: () => string;
  beforeAll(async () => {
    const s = await stdioClient(serveFixture());
    client = s.client;
    stderr = s.stderr;
  });
  afterAll(async () => {
    await client?.close();
  });

  protocolSuite(() => client);

  it("keeps stdout for JSON-RPC: a handler's console.log goes to stderr", async () => {
    const r = await client.callTool({ name: "noisy", arguments: {} });
    expect(r.structuredContent).toEqual({ result: "still fine" });
    // stderr is a separate pipe: under load its lines can arrive a little after the result.
    for (let i = 0; i < 100 && !stderr().includes("so would this"); i++) await new Promise((res) => setTimeout(res, 20));
    expect(stderr()).toContain("this would corrupt a stdio stream");
    expect(stderr()).toContain("so would this");
    expect((await client.callTool({ name: "echo", arguments: { value: 1 } })).structuredContent).toEqual({ value: 1, note: null });
  });

  it("sends mcp.progress and mcp.info as notifications before the result (raw JSON-RPC over the pipe)", async () => {
    const root = serveFixture();
    const child = spawn(process.execPath, [CLI, "serve", "--transport", "stdio"], { cwd: root, env: baseEnv(root) });
    const lines: Record<string, unknown>[] = [];
    let buf = "";
    const done = new Promise<void>((resolve) => {
      child.stdout.on("data", (d: Buffer) => {
        buf += d.toString();
        let i;
        while ((i = buf.indexOf("\n")) >= 0) {
          lines.push(JSON.parse(buf.slice(0, i)) as Record<string, unknown>);
          buf = buf.slice(i + 1);
          if (lines.at(-1)!.id === 2) resolve();
        }
      });
    });
    const send = (m: unknown) => child.stdin.write(JSON.stringify(m) + "\n");
    send({ jsonrpc: "2.0", id: 1, method: "initialize", params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "raw", version: "1" } } });
    send({ jsonrpc: "2.0", method: "notifications/initialized" });
    send({ jsonrpc: "2.0", id: 2, method: "tools/call", params: { name: "report_progress", arguments: { steps: 3 }, _meta: { progressToken: "p" } } });
    await done;
    child.stdin.end();
    expect(await new Promise((r) => child.on("exit", r))).toBe(0);
    const after = lines.slice(1);
    expect(after.map((l) => (l.method as string | undefined) ?? `response ${String(l.id)}`)).toEqual([
      "notifications/progress",
      "notifications/progress",
      "notifications/progress",
      "notifications/message",
      "response 2",
    ]);
    expect(after.slice(0, 3).map((l) => (l.params as { progress: number }).progress)).toEqual([1, 2, 3]);
    expect((after[3]!.params as { data: string }).data).toBe("finished 3 steps");
  });

  it("prints the endpoint, the tool count and how to get a client's entry on stderr", async () => {
    // The count is the project's tools, the number the surface line uses; the result store's tool is named apart.
    const listed = (await client.listTools()).tools.map((t) => t.name);
    const own = listed.filter((n) => n !== "query_results").length;
    expect(listed).toContain("query_results");
    expect(stderr()).toContain(`mxcp-gen serving rt (test) over stdio: ${own} tools, and query_results for stored results`);
    expect(stderr()).toContain(`auto: ${own} tools, at most 100`);
    expect(stderr()).toContain("--print-config claude|cursor|vscode|claude-code");
  });
});

describe("serve over streamable HTTP", () => {
  let server: HttpServerProcess;
  let client: Client;
  beforeAll(async () => {
    server = await startHttpServer(serveFixture());
    client = await httpClient(server.url);
  });
  afterAll(async () => {
    await client?.close();
    await server?.stop();
  });

  protocolSuite(() => client);

  it("delivers a handler's mcp.progress and mcp.info to the client", async () => {
    const logs: string[] = [];
    client.setNotificationHandler(LoggingMessageNotificationSchema, (n) => {
      logs.push(`${n.params.level}:${String(n.params.data)}`);
    });
    const progress: number[] = [];
    const r = await client.callTool({ name: "report_progress", arguments: { steps: 3 } }, undefined, { onprogress: (p) => progress.push(p.progress) });
    expect(r.structuredContent).toEqual({ result: 3 });
    expect(progress).toEqual([1, 2, 3]);
    expect(logs).toContain("info:finished 3 steps");
  });

  it("answers 100 concurrent calls, each with its own result", async () => {
    const results = await Promise.all(Array.from({ length: 100 }, (_, i) => client.callTool({ name: "echo", arguments: { value: i } })));
    results.forEach((r, i) => expect(r.structuredContent).toEqual({ value: i, note: null }));
  });

  it("refuses a bad Origin or Host with 403", async () => {
    const init = { jsonrpc: "2.0", id: 1, method: "initialize", params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "x", version: "1" } } };
    const post = (headers: Record<string, string>) =>
      fetch(server.url, { method: "POST", headers: { "content-type": "application/json", accept: "application/json, text/event-stream", ...headers }, body: JSON.stringify(init) });
    expect((await post({ origin: "http://evil.example" })).status).toBe(403);
    const port = new URL(server.url).port;
    expect((await post({ origin: `http://localhost:${port}` })).status).toBe(200);
    const badHost = await new Promise<number>((resolve, reject) => {
      const req = request(
        { host: "127.0.0.1", port, path: "/mcp", method: "POST", headers: { host: "attacker.example", "content-type": "application/json" } },
        (res) => resolve(res.statusCode ?? 0),
      );
      req.on("error", reject);
      req.end(JSON.stringify(init));
    });
    expect(badHost).toBe(403);
  });

  it("a browser origin named with --allow-origin is let in; other loopback ports stay refused", async () => {
    const inspector = await startHttpServer(serveFixture(), ["--allow-origin", "http://localhost:6274"]);
    try {
      const init = { jsonrpc: "2.0", id: 1, method: "initialize", params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "x", version: "1" } } };
      const post = (origin: string) => fetch(inspector.url, { method: "POST", headers: { "content-type": "application/json", accept: "application/json, text/event-stream", origin }, body: JSON.stringify(init) });
      expect((await post("http://localhost:6274")).status).toBe(200);
      expect((await post("http://localhost:6275")).status).toBe(403);
      expect((await post("http://127.0.0.1:6274")).status).toBe(403);
    } finally {
      await inspector.stop();
    }
  });

  it("refuses a body over the limit with 413", async () => {
    const r = await fetch(server.url, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json, text/event-stream" },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "initialize", params: { pad: "x".repeat(5 * 1024 * 1024) } }),
    });
    expect(r.status).toBe(413);
  });
});

describe("HTTP options", () => {
  it("requires the bearer token when one is set (401 without it)", async () => {
    const server = await startHttpServer(serveFixture(), [], { MXCP_GEN_HTTP_TOKEN: "tok-123" });
    try {
      const r = await fetch(server.url, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" });
      expect(r.status).toBe(401);
      expect(r.headers.get("www-authenticate")).toMatch(/^Bearer/);
      await expect(httpClient(server.url, { authorization: "Bearer wrong" })).rejects.toThrow();
      const client = await httpClient(server.url, { authorization: "Bearer tok-123" });
      expect((await client.callTool({ name: "echo", arguments: { value: 5 } })).structuredContent).toEqual({ value: 5, note: null });
      await client.close();
    } finally {
      await server.stop();
    }
  });

  it("serves statelessly with a fresh transport per request", async () => {
    const server = await startHttpServer(serveFixture(), ["--stateless"]);
    try {
      const client = await httpClient(server.url);
      const results = await Promise.all(Array.from({ length: 20 }, (_, i) => client.callTool({ name: "echo", arguments: { value: i } })));
      results.forEach((r, i) => expect(r.structuredContent).toEqual({ value: i, note: null }));
      await client.close();
      // A raw request with a __proto__ argument: the SDK's parser drops the key before the tool sees it;
      // the call runs with the remaining arguments and no prototype in the server changes.
      const raw = await fetch(server.url, {
        method: "POST",
        headers: { "content-type": "application/json", accept: "application/json, text/event-stream" },
        body: '{"jsonrpc":"2.0","id":9,"method":"tools/call","params":{"name":"echo","arguments":{"value":1,"__proto__":{"polluted":true}}}}',
      });
      const body = await raw.text();
      expect(body).toContain('"structuredContent":{"value":1,"note":null}');
      const again = await httpClient(server.url);
      expect((await again.callTool({ name: "prototype_clean", arguments: {} })).structuredContent).toEqual({ result: true });
      await again.close();
    } finally {
      await server.stop();
    }
  });

  it("--json-response answers with plain JSON instead of an SSE stream", async () => {
    const server = await startHttpServer(serveFixture(), ["--json-response"]);
    try {
      const init = { jsonrpc: "2.0", id: 1, method: "initialize", params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "x", version: "1" } } };
      const r = await fetch(server.url, { method: "POST", headers: { "content-type": "application/json", accept: "application/json, text/event-stream" }, body: JSON.stringify(init) });
      expect(r.headers.get("content-type")).toMatch(/^application\/json/);
      expect(((await r.json()) as { result: { serverInfo: { name: string } } }).result.serverInfo.name).toBe("mxcp-gen:rt");
      const client = await httpClient(server.url);
      expect((await client.callTool({ name: "echo", arguments: { value: 9 } })).structuredContent).toEqual({ value: 9, note: null });
      await client.close();
    } finally {
      await server.stop();
    }
  });

  it("refuses to bind a non-loopback address without a token unless --insecure", async () => {
    const root = serveFixture();
    const r = await runCli(["serve", "--host", "0.0.0.0", "--port", "0"], { cwd: root, env: { MXCP_CONFIG: join(root, "user.yml") } });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("Refusing to serve on 0.0.0.0 without a token");
  });
});

describe("lifecycle", () => {
  it("refuses to start with invalid endpoints, listing every problem, unless --ignore-errors", async () => {
    const root = serveFixture();
    writeFileSync(join(root, "tools", "broken.yml"), "mxcp: 1\ntool:\n  name: broken\n  source: {code: SELECT 1}\n  extra: 1\n");
    writeFileSync(join(root, "tools", "noexport.yml"), "mxcp: 1\ntool:\n  name: noexport\n  source: {file: ../handlers/items.ts}\n");
    const r = await runCli(["serve", "--port", "0"], { cwd: root, env: { MXCP_CONFIG: join(root, "user.yml") } });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("2 invalid endpoint(s)");
    expect(r.stderr).toContain("tools/broken.yml:5:10: tool.extra: Extra inputs are not permitted");
    expect(r.stderr).toContain("Function 'noexport' not found in handlers/items.ts");
    const server = await startHttpServer(root, ["--ignore-errors"]);
    try {
      const client = await httpClient(server.url);
      const names = (await client.listTools()).tools.map((t) => t.name);
      expect(names).toContain("echo");
      expect(names).not.toContain("broken");
      await client.close();
    } finally {
      await server.stop();
    }
  });

  it("on SIGTERM lets a call in flight finish, runs onShutdown, checkpoints DuckDB and exits 0", async () => {
    const root = serveFixture();
    const server = await startHttpServer(root);
    const client = await httpClient(server.url);
    await client.callTool({ name: "add_item", arguments: { id: 77, name: "kept" } });
    const inFlight = client.callTool({ name: "slow", arguments: { ms: 1500 } });
    await new Promise((r) => setTimeout(r, 300));
    server.child.kill("SIGTERM");
    const result = await inFlight;
    expect(result.structuredContent).toEqual({ result: 1500 });
    expect(await server.exited).toBe(0);
    expect(server.stderr()).toContain("SIGTERM, shutting down");
    expect(server.stderr()).toContain("shutdown hook fails on purpose");
    // The file is closed and checkpointed: another process opens it and sees the write.
    const db = await DuckDBInstance.create(join(root, "data", "db-test.duckdb"));
    const conn = await db.connect();
    const rows = (await conn.runAndReadAll("SELECT name FROM items WHERE id = 77")).getRowObjectsJson();
    conn.closeSync();
    db.closeSync();
    expect(rows).toEqual([{ name: "kept" }]);
  });

  it("stdio: exits 0 when the client closes stdin", async () => {
    const root = serveFixture();
    const child = spawn(process.execPath, [CLI, "serve", "--transport", "stdio"], { cwd: root, env: baseEnv(root) });
    let out = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    child.stdin.end();
    const code = await new Promise<number | null>((r) => child.on("exit", r));
    expect(code).toBe(0);
    expect(out).toBe("");
  });
});

describe("--print-config and --install", () => {
  it("prints just the Claude Desktop entry with absolute paths", async () => {
    const root = serveFixture();
    const r = await runCli(["serve", "--print-config", "claude"], { cwd: root });
    expect(r.code).toBe(0);
    const entry = JSON.parse(r.stdout) as { mcpServers: Record<string, { command: string; args: string[] }> };
    expect(entry.mcpServers.rt!.command).toBe(process.execPath);
    expect(entry.mcpServers.rt!.args).toEqual([CLI, "serve", "--transport", "stdio", "--dir", root]);
  });

  it("puts the variables the secrets read in env (placeholders, or values when asked), in each client's format", async () => {
    const root = serveFixture();
    const config = join(root, "vars.yml");
    writeFileSync(config, "mxcp: 1\nprojects:\n  rt:\n    profiles:\n      test:\n        secrets:\n          - {name: svc, type: api, parameters: {api_key: '${SVC_KEY_UNSET}', other: '${SVC_OTHER}'}}\n");
    const env = { MXCP_CONFIG: config, SVC_OTHER: "other-value" };
    const claude = await runCli(["serve", "--print-config", "claude"], { cwd: root, env });
    expect(claude.code, claude.stderr).toBe(0);
    const entry = (JSON.parse(claude.stdout) as { mcpServers: Record<string, { env: Record<string, string> }> }).mcpServers.rt!;
    expect(entry.env).toEqual({ MXCP_CONFIG: config, SVC_KEY_UNSET: "<set SVC_KEY_UNSET>", SVC_OTHER: "<set SVC_OTHER>" });
    const withValues = JSON.parse((await runCli(["serve", "--print-config", "cursor", "--with-env-values"], { cwd: root, env })).stdout) as { mcpServers: Record<string, { env: Record<string, string> }> };
    expect(withValues.mcpServers.rt!.env.SVC_OTHER).toBe("other-value");
    const vscode = JSON.parse((await runCli(["serve", "--print-config", "vscode"], { cwd: root, env })).stdout) as { servers: Record<string, { type: string; command: string }> };
    expect(vscode.servers.rt).toMatchObject({ type: "stdio", command: process.execPath });
    const code = (await runCli(["serve", "--print-config", "claude-code"], { cwd: root, env })).stdout;
    expect(code).toMatch(/^claude mcp add rt -e MXCP_CONFIG=\S+ -e 'SVC_KEY_UNSET=<set SVC_KEY_UNSET>' -e 'SVC_OTHER=<set SVC_OTHER>' -- /);
  });

  it("--install claude merges into Claude Desktop's config: a backup first, other servers kept", async () => {
    const root = serveFixture();
    const desktop = join(root, "claude_desktop_config.json");
    writeFileSync(desktop, JSON.stringify({ mcpServers: { other: { command: "x", args: [] } }, globalShortcut: "Ctrl+Space" }));
    const r = await runCli(["serve", "--install", "claude"], { cwd: root, env: { MXCP_GEN_CLAUDE_CONFIG: desktop } });
    expect(r.code, r.stderr).toBe(0);
    const merged = JSON.parse(readFileSync(desktop, "utf8")) as { mcpServers: Record<string, unknown>; globalShortcut: string };
    expect(Object.keys(merged.mcpServers).sort()).toEqual(["other", "rt"]);
    expect(merged.globalShortcut).toBe("Ctrl+Space");
    const backup = /backup: (\S+)\)/.exec(r.stderr)![1]!;
    expect(JSON.parse(readFileSync(backup, "utf8"))).toEqual({ mcpServers: { other: { command: "x", args: [] } }, globalShortcut: "Ctrl+Space" });
  });
});
