// Issue 27 item 1: what an operator (a load balancer, Kubernetes, Prometheus) asks a running server, off the MCP
// path: /healthz (alive), /readyz (ready for calls; 503 while draining) and /metrics (Prometheus text). They are
// behind the same token as /mcp unless --metrics-public, and what they say is counts and names, never an
// argument, an answer or a secret.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { REPO_ROOT, runCli, tempDir } from "../helpers.js";
import { httpClient, serveFixture, startHttpServer, writeUserConfig } from "./servers.js";

const base = (mcpUrl: string) => mcpUrl.replace(/\/mcp$/, "");

async function get(url: string, headers: Record<string, string> = {}): Promise<{ status: number; type: string; text: string }> {
  const r = await fetch(url, { headers });
  return { status: r.status, type: r.headers.get("content-type") ?? "", text: await r.text() };
}

describe("health, readiness and metrics", () => {
  it("answer off the MCP path; the metrics count calls by tool and outcome, and hold no argument or secret", async () => {
    const root = serveFixture();
    const server = await startHttpServer(root);
    try {
      const at = base(server.url);
      expect(await get(`${at}/healthz`)).toMatchObject({ status: 200, text: JSON.stringify({ status: "alive" }) });
      const ready = await get(`${at}/readyz`);
      expect(ready.status).toBe(200);
      expect(JSON.parse(ready.text)).toMatchObject({ ready: true, draining: false });
      const client = await httpClient(server.url);
      await client.callTool({ name: "add_item", arguments: { id: 5, name: "argument-canary-5" } });
      await client.callTool({ name: "add_item", arguments: { id: 6, name: "argument-canary-6" } });
      const failed = await client.callTool({ name: "add_item", arguments: { id: "not a number" } });
      expect(failed.isError).toBe(true);
      const metrics = await get(`${at}/metrics`);
      expect(metrics.status).toBe(200);
      expect(metrics.type).toContain("text/plain");
      expect(metrics.text).toContain('mxcp_gen_tool_calls_total{tool="add_item",outcome="ok"} 2');
      expect(metrics.text).toContain('mxcp_gen_tool_calls_total{tool="add_item",outcome="error"} 1');
      expect(metrics.text).toContain('mxcp_gen_tool_call_duration_seconds_count{tool="add_item"} 3');
      expect(metrics.text).toMatch(/^mxcp_gen_sessions 1$/m);
      expect(metrics.text).toMatch(/^mxcp_gen_process_resident_memory_bytes \d+/m);
      expect(metrics.text).not.toContain("argument-canary");
      expect(metrics.text).not.toContain("canary-secret-value");
      // Only GET (and HEAD) reach them; anything else is refused.
      expect((await fetch(`${at}/metrics`, { method: "POST" })).status).toBe(405);
      await client.close();
    } finally {
      await server.stop();
    }
  });

  it("/readyz says 503 while the server drains on SIGTERM; the call in flight finishes and the server exits 0", async () => {
    const root = serveFixture();
    const server = await startHttpServer(root);
    const at = base(server.url);
    const client = await httpClient(server.url);
    const inFlight = client.callTool({ name: "slow", arguments: { ms: 2000 } });
    await new Promise((r) => setTimeout(r, 300));
    server.child.kill("SIGTERM");
    let seen: { status: number; text: string } | undefined;
    for (let i = 0; i < 30 && seen?.status !== 503; i++) {
      seen = await get(`${at}/readyz`).catch(() => undefined);
      if (seen?.status !== 503) await new Promise((r) => setTimeout(r, 50));
    }
    expect(seen?.status).toBe(503);
    expect(JSON.parse(seen!.text)).toMatchObject({ ready: false, draining: true });
    // A new session is not started on a draining server: the load balancer sends it elsewhere.
    const refused = await fetch(server.url, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json, text/event-stream" },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "initialize", params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "late", version: "1" } } }),
    });
    expect(refused.status).toBe(503);
    expect((await inFlight).structuredContent).toEqual({ result: 2000 });
    expect(await server.exited).toBe(0);
  });

  it("need the server's token unless --metrics-public, which opens them and never /mcp", async () => {
    const root = serveFixture();
    const env = { MXCP_GEN_HTTP_TOKEN: "operator-token-41" };
    const closed = await startHttpServer(root, [], env);
    try {
      const at = base(closed.url);
      for (const path of ["/healthz", "/readyz", "/metrics"]) {
        expect((await get(`${at}${path}`)).status).toBe(401);
        expect((await get(`${at}${path}`, { authorization: "Bearer wrong" })).status).toBe(401);
        expect((await get(`${at}${path}`, { authorization: "Bearer operator-token-41" })).status).toBe(200);
      }
    } finally {
      await closed.stop();
    }
    const open = await startHttpServer(root, ["--metrics-public"], env);
    try {
      const at = base(open.url);
      for (const path of ["/healthz", "/readyz", "/metrics"]) expect((await get(`${at}${path}`)).status).toBe(200);
      const mcp = await fetch(open.url, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" });
      expect(mcp.status).toBe(401);
    } finally {
      await open.stop();
    }
  });

  it("count the upstream API's status codes and the cache's hits and misses", async () => {
    const api = createServer((req, res) => {
      if (req.url?.startsWith("/pet/404")) return res.writeHead(404, { "content-type": "application/json" }).end('{"message":"no such pet"}');
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ id: 1, name: "rex", photoUrls: [] }));
    });
    await new Promise<void>((r) => api.listen(0, "127.0.0.1", r));
    const dir = tempDir("mxcp-gen-metrics-");
    try {
      const gen = await runCli(["openapi", join(REPO_ROOT, "specs", "petstore3.yaml"), "--name", "pets", "--cache", "10m", "--out", dir], { cwd: dir });
      expect(gen.code, gen.stderr).toBe(0);
      writeUserConfig(dir, "pets", { api_key: "upstream-key-canary", base_url: `http://127.0.0.1:${(api.address() as AddressInfo).port}` });
      const server = await startHttpServer(dir);
      try {
        const client = await httpClient(server.url);
        await client.callTool({ name: "pets_get_pet_by_id", arguments: { petId: 1 } });
        await client.callTool({ name: "pets_get_pet_by_id", arguments: { petId: 1 } });
        await client.callTool({ name: "pets_get_pet_by_id", arguments: { petId: 404 } });
        const text = (await get(`${base(server.url)}/metrics`)).text;
        expect(text).toContain('mxcp_gen_upstream_responses_total{api="pets",status="200"} 1');
        expect(text).toContain('mxcp_gen_upstream_responses_total{api="pets",status="404"} 1');
        expect(text).toContain('mxcp_gen_cache_lookups_total{api="pets",result="hit"} 1');
        expect(text).toContain('mxcp_gen_cache_lookups_total{api="pets",result="miss"} 2');
        expect(text).toContain('mxcp_gen_tool_calls_total{tool="pets_get_pet_by_id",outcome="error"} 1');
        expect(text).not.toContain("upstream-key-canary");
        await client.close();
      } finally {
        await server.stop();
      }
    } finally {
      api.close();
    }
  }, 60_000);
});
