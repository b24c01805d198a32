// Issue 11, runtime and server items 11-21: each with a real server on 127.0.0.1, real DuckDB, the real MCP client.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { ApiClient } from "../../src/runtime/http/client.js";
import type { HttpOperation } from "../../src/runtime/http/types.js";
import { runtimeState } from "../../src/runtime/state.js";
import { ProjectHost } from "../../src/server/host.js";
import { capResult } from "../../src/server/mcp/mcp-server.js";
import { runTests } from "../../src/devtools/test-runner.js";
import { tempDir, writeProject } from "../helpers.js";
import { startHttpServer, stdioClient } from "../serve/servers.js";

const USER = "CNRYuser";
const PASS = "pa ss/w+rd=7f3a9";
const KEY = "CNRYapikey/x+7f3a9=";
const hits: string[] = [];
let upstream: Server;
let base = "";

beforeAll(async () => {
  upstream = createServer((req, res) => {
    hits.push(`${req.method} ${req.url}`);
    if (req.url?.startsWith("/reset")) return req.socket.destroy();
    let body = "";
    req.on("data", (d) => (body += d));
    req.on("end", () => {
      // An upstream that echoes everything it was sent, in a successful answer.
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ url: req.url, headers: req.headers, body }));
    });
  });
  await new Promise<void>((r) => upstream.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
});
afterAll(() => {
  upstream.closeAllConnections();
  upstream.close();
});

/** Every form a canary can travel in. */
const FORMS = [KEY, encodeURIComponent(KEY), PASS, encodeURIComponent(PASS), Buffer.from(`${USER}:${PASS}`).toString("base64"), Buffer.from(KEY).toString("base64")];

function project(files: Record<string, string>): string {
  return writeProject({
    "mxcp-site.yml": "mxcp: 1\nproject: atk\nprofile: d\nsecrets: [svc]\n",
    "user.yml": `mxcp: 1\nprojects:\n  atk:\n    profiles:\n      d:\n        secrets:\n          - name: svc\n            type: api\n            parameters: {username: ${JSON.stringify(USER)}, password: ${JSON.stringify(PASS)}, api_key: ${JSON.stringify(KEY)}, base_url: "${base}"}\n`,
    ...files,
  });
}

const leakTools = {
  "tools/echo_all.yml": "mxcp: 1\ntool:\n  name: echo_all\n  description: calls an echoing upstream with every credential form\n  language: typescript\n  source: {file: ../handlers/leak.ts}\n",
  "tools/throw_key.yml": "mxcp: 1\ntool:\n  name: throw_key\n  description: throws with the key in its message\n  language: typescript\n  source: {file: ../handlers/leak.ts}\n",
  "handlers/leak.ts": `import { config, mcp } from "mxcp-gen/runtime";
export async function echo_all() {
  const s = config.getSecret("svc")!;
  const auth = Buffer.from(String(s.username) + ":" + String(s.password)).toString("base64");
  const r = await fetch(String(s.base_url) + "/echo?api_key=" + encodeURIComponent(String(s.api_key)), { headers: { authorization: "Basic " + auth, "x-api-key": String(s.api_key) } });
  await mcp.info("sent with " + String(s.api_key));
  return await r.json();
}
export async function throw_key() {
  throw new Error("auth failed for key " + String(config.getSecret("svc")!.api_key) + " and " + String(config.getSecret("svc")!.password));
}
`,
};

describe("item 11: every form of a secret is removed from results, errors and logs, in the host", () => {
  it("raw, percent-encoded, base64 user:password in a 200 answer and in a handler's error", async () => {
    const root = project(leakTools);
    const logged: string[] = [];
    const host = ProjectHost.load({ cwd: root, env: { MXCP_CONFIG: join(root, "user.yml") }, log: (l, m) => logged.push(`${l} ${m}`) });
    await host.start();
    try {
      const ok = await host.callTool("echo_all", {});
      expect(ok.status).toBe("ok");
      const okText = JSON.stringify(ok);
      expect(okText).toContain("[REDACTED]");
      const bad = await host.callTool("throw_key", {});
      expect(bad.status).toBe("error");
      for (const f of FORMS) {
        expect(okText).not.toContain(f);
        expect(JSON.stringify(bad)).not.toContain(f);
        expect(logged.join("\n")).not.toContain(f);
      }
    } finally {
      await host.shutdown();
    }
  });
});

async function stdio(root: string): Promise<{ client: Client; stderr: () => string; close(): Promise<void> }> {
  const { client, stderr } = await stdioClient(root);
  return { client, stderr, close: () => client.close() };
}

describe("item 12: a handler's async throw or odd error never ends the server", () => {
  it("a timer that throws, an unhandled rejection, a throwing message getter and a thrown Proxy", async () => {
    const root = project({
      "tools/timer.yml": "mxcp: 1\ntool:\n  name: timer\n  description: d\n  language: typescript\n  source: {file: ../handlers/odd.ts}\n",
      "tools/reject.yml": "mxcp: 1\ntool:\n  name: reject\n  description: d\n  language: typescript\n  source: {file: ../handlers/odd.ts}\n",
      "tools/getter.yml": "mxcp: 1\ntool:\n  name: getter\n  description: d\n  language: typescript\n  source: {file: ../handlers/odd.ts}\n",
      "tools/proxy.yml": "mxcp: 1\ntool:\n  name: proxy\n  description: d\n  language: typescript\n  source: {file: ../handlers/odd.ts}\n",
      "tools/fine.yml": "mxcp: 1\ntool:\n  name: fine\n  description: d\n  language: typescript\n  source: {file: ../handlers/odd.ts}\n",
      "handlers/odd.ts": `export async function timer() { setTimeout(() => { throw new Error("late throw"); }, 10); return "started"; }
export async function reject() { void Promise.reject(new Error("nobody catches me")); return "started"; }
export async function getter() { const e = new Error("x"); Object.defineProperty(e, "message", { get() { throw new Error("no"); } }); throw e; }
export async function proxy() { throw new Proxy({}, { get() { throw new Error("trap"); }, ownKeys() { throw new Error("trap"); }, getPrototypeOf() { throw new Error("trap"); } }); }
export async function fine() { return "still here"; }
`,
    });
    const { client, stderr, close } = await stdio(root);
    try {
      await client.callTool({ name: "timer", arguments: {} });
      await client.callTool({ name: "reject", arguments: {} });
      await new Promise((r) => setTimeout(r, 100));
      for (const name of ["getter", "proxy"]) {
        const r = await client.callTool({ name, arguments: {} });
        expect(r.isError, name).toBe(true);
      }
      const fine = await client.callTool({ name: "fine", arguments: {} });
      expect(fine.content).toEqual([{ type: "text", text: "still here" }]);
      expect(stderr()).toMatch(/uncaught exception in a handler.*late throw/);
      expect(stderr()).toMatch(/unhandled rejection in a handler.*nobody catches me/);
    } finally {
      await close();
    }
  }, 60_000);
});

describe("items 13 and 14: reloads", () => {
  let root: string;
  let host: ProjectHost;
  beforeAll(async () => {
    root = project({
      "tools/reload.yml": "mxcp: 1\ntool:\n  name: reload\n  description: d\n  language: typescript\n  parameters: [{name: tag, type: string, description: t}]\n  source: {file: ../handlers/db.ts}\n",
      "tools/long_query.yml": "mxcp: 1\ntool:\n  name: long_query\n  description: d\n  language: typescript\n  source: {file: ../handlers/db.ts}\n",
      "tools/garbage.yml": "mxcp: 1\ntool:\n  name: garbage\n  description: d\n  language: typescript\n  source: {file: ../handlers/db.ts}\n",
      "tools/count.yml": "mxcp: 1\ntool:\n  name: count\n  description: d\n  source: {code: 'SELECT count(*) AS n FROM t'}\n",
      "handlers/db.ts": `import { db, reloadDuckdb } from "mxcp-gen/runtime";
import { writeFileSync } from "node:fs";
export async function reload(args: { tag: string }) {
  const r = await reloadDuckdb({ description: args.tag, drainTimeoutMs: 500, payload: () => undefined });
  return { ok: r.ok, tag: args.tag };
}
export async function long_query() {
  return await db.execute("SELECT count(*) AS n FROM range(100000000000) a");
}
export async function garbage() {
  return await reloadDuckdb({ description: "garbage", payload: ({ path }) => writeFileSync(path, "this is not a DuckDB file") });
}
`,
    });
    host = ProjectHost.load({ cwd: root, env: { MXCP_CONFIG: join(root, "user.yml") }, log: () => {} });
    await host.start();
    await host.database.execute("CREATE TABLE t AS SELECT * FROM range(3)");
  });
  afterAll(async () => host?.shutdown());

  it("two calls that each reload both finish, one after the other", async () => {
    const [a, b] = await Promise.all([host.callTool("reload", { tag: "a" }), host.callTool("reload", { tag: "b" })]);
    expect([a, b]).toEqual([{ status: "ok", result: { ok: true, tag: "a" } }, { status: "ok", result: { ok: true, tag: "b" } }]);
  }, 60_000);

  it("a long query is interrupted after the drain timeout; its caller is told why", async () => {
    const long = host.callTool("long_query", {});
    await new Promise((r) => setTimeout(r, 300));
    const reload = await host.callTool("reload", { tag: "c" });
    expect(reload).toEqual({ status: "ok", result: { ok: true, tag: "c" } });
    const out = await long;
    expect(out.status).toBe("error");
    expect(out.status === "error" && out.message).toMatch(/interrupted by reload/);
  }, 60_000);

  it("a payload that leaves an unopenable file gets the previous database back", async () => {
    const r = await host.callTool("garbage", {});
    expect(r.status).toBe("ok");
    expect((r as { result: { ok: boolean; error: string } }).result).toMatchObject({ ok: false, error: expect.stringMatching(/previous database restored/) });
    expect(await host.callTool("count", {})).toEqual({ status: "ok", result: [{ n: 3 }] });
  }, 60_000);
});

describe("item 15: HTTP sessions are capped and expire", () => {
  it("the cap answers 503 with a clear message; an idle session expires", async () => {
    const root = project({ "tools/fine.yml": "mxcp: 1\ntool:\n  name: fine\n  description: d\n  source: {code: 'SELECT 1 AS x'}\n" });
    const srv = await startHttpServer(root, ["--max-sessions", "2", "--session-idle", "1"], { MXCP_CONFIG: join(root, "user.yml") });
    try {
      const init = (id: number) =>
        fetch(srv.url, {
          method: "POST",
          headers: { "content-type": "application/json", accept: "application/json, text/event-stream" },
          body: JSON.stringify({ jsonrpc: "2.0", id, method: "initialize", params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "x", version: "1" } } }),
        });
      const first = await init(1);
      expect((await init(2)).status).toBe(200);
      const third = await init(3);
      expect(third.status).toBe(503);
      expect(await third.text()).toMatch(/maximum of 2 sessions/);
      await new Promise((r) => setTimeout(r, 2500));
      const stale = await fetch(srv.url, { method: "POST", headers: { "content-type": "application/json", accept: "application/json, text/event-stream", "mcp-session-id": first.headers.get("mcp-session-id")! }, body: JSON.stringify({ jsonrpc: "2.0", id: 9, method: "tools/list" }) });
      expect(stale.status).toBe(404);
      const client = new Client({ name: "x", version: "1" });
      await client.connect(new StreamableHTTPClientTransport(new URL(srv.url)));
      expect((await client.listTools()).tools.map((t) => t.name)).toEqual(["fine", "query_results"]);
      await client.close();
    } finally {
      await srv.stop();
    }
  }, 60_000);
});

function apiClient(): ApiClient {
  runtimeState().secrets = [{ name: "svc", type: "api", parameters: { base_url: base, api_key: KEY } }];
  const c = new ApiClient({ name: "svc", servers: [], securitySchemes: { q: { type: "apiKey", in: "query", name: "api_key" } } });
  c.configure();
  return c;
}

describe("items 16-18: requests that would go somewhere else, or be resent, are refused", () => {
  it("16: empty path values never change the endpoint, and nothing is sent", async () => {
    const op: HttpOperation = { method: "GET", path: "/users/{id}/profile", parameters: [{ name: "id", in: "path", arg: "id", style: "label", explode: false }], security: [["q"]] };
    const simple: HttpOperation = { ...op, parameters: [{ name: "id", in: "path", arg: "id", style: "simple", explode: false }] };
    hits.length = 0;
    for (const [o, v] of [[op, []], [op, {}], [simple, ""], [simple, []], [op, ""]] as const) {
      const out = await apiClient().call(o, { id: v });
      expect(out, JSON.stringify(v)).toMatchObject({ error: "Invalid argument" });
    }
    expect(hits).toEqual([]);
  });

  it("17: a free-form object's key cannot set a credential or another parameter", async () => {
    const op: HttpOperation = { method: "GET", path: "/search", parameters: [{ name: "obj", in: "query", arg: "obj", style: "form", explode: true }, { name: "limit", in: "query", arg: "limit", style: "form", explode: true }], security: [["q"]] };
    hits.length = 0;
    expect(await apiClient().call(op, { obj: { api_key: "attacker" } })).toMatchObject({ error: "Invalid argument", message: expect.stringMatching(/api_key/) });
    expect(await apiClient().call(op, { obj: { limit: "1000000" } })).toMatchObject({ error: "Invalid argument" });
    expect(hits).toEqual([]);
    await apiClient().call(op, { obj: { color: "red" } });
    expect(hits[0]).toMatch(/color=red/);
  });

  it("18: a POST whose connection reset is not retryable, and says its outcome is unknown", async () => {
    hits.length = 0;
    const out = await apiClient().call({ method: "POST", path: "/reset", parameters: [], security: [] }, {});
    expect(out).toMatchObject({ error: "Connection failed", retryable: false, message: expect.stringMatching(/outcome is unknown/) });
    expect(hits).toHaveLength(1);
  });
});

describe("item 19: generated example tests of unsafe methods run only against a mock", () => {
  it("a DELETE example is skipped without --mock, and nothing is sent", async () => {
    const root = project({
      "tools/del.yml": `mxcp: 1\nmetadata:\n  generated_by: mxcp-gen\n  operation: {method: DELETE, path: '/echo/{name}'}\ntool:\n  name: del\n  description: d\n  language: typescript\n  parameters: [{name: name, type: string, description: n}]\n  source: {file: ../handlers/del.ts}\n  tests:\n    - name: example\n      arguments: [{key: name, value: production-database}]\n`,
      "handlers/del.ts": `export async function del(a: { name: string }) { await fetch("${base}/echo/" + a.name, { method: "DELETE" }); return "deleted"; }\n`,
    });
    const host = ProjectHost.load({ cwd: root, env: { MXCP_CONFIG: join(root, "user.yml") }, log: () => {} });
    await host.start();
    try {
      hits.length = 0;
      const r = await runTests(host);
      expect(r.endpoints[0]!.test_results.tests[0]).toMatchObject({ status: "skipped", error: expect.stringMatching(/--mock/) });
      expect(hits).toEqual([]);
    } finally {
      await host.shutdown();
    }
  });
});

describe("item 20: one result sends at most the cap to the model", () => {
  it("5 MB of text is cut with a notice saying how much", () => {
    const big = "x".repeat(5 * 1024 * 1024);
    const r = capResult({ content: [{ type: "text", text: big }] }, 256 * 1024);
    const text = (r.content[0] as { text: string }).text;
    expect(Buffer.byteLength(text)).toBeLessThan(256 * 1024 + 500);
    expect(text).toMatch(/Result cut: 262144 of 5242880 bytes shown/);
    expect(capResult({ content: [{ type: "text", text: "small" }] }, 256 * 1024)).toEqual({ content: [{ type: "text", text: "small" }] });
  });
});

describe("item 21: hostile project files", () => {
  it("a source file outside the project is refused; a SQL error quotes no line of its file", async () => {
    const outside = tempDir();
    writeFileSync(join(outside, "x.ts"), "export async function out() { return 'ran'; }\n");
    const root = project({
      "tools/out.yml": `mxcp: 1\ntool:\n  name: out\n  description: d\n  language: typescript\n  source: {file: ${JSON.stringify(join("..", "..", "..", "..", "..", "..", outside, "x.ts"))}}\n`,
      "tools/leaky_sql.yml": "mxcp: 1\ntool:\n  name: leaky_sql\n  description: d\n  source: {file: ../data.txt}\n",
      "data.txt": "root:x:0:0:root:/root:/bin/bash\n",
    });
    const host = ProjectHost.load({ cwd: root, env: { MXCP_CONFIG: join(root, "user.yml") }, log: () => {} });
    await host.start();
    try {
      expect(host.endpoints.find((e) => e.name === "out")!.problems.map((p) => p.message).join()).toMatch(/outside the project/);
      expect((await host.callTool("out", {})).status).toBe("error");
      const sql = await host.callTool("leaky_sql", {});
      expect(sql.status).toBe("error");
      expect(JSON.stringify(sql)).not.toContain("root:x");
      expect(JSON.stringify(sql)).toMatch(/line 1/);
    } finally {
      await host.shutdown();
    }
  });
});
