// Issue 15: cached reads. A local server counting requests proves one upstream request for two identical reads
// within the TTL, revalidation with a 304, no sharing across secrets, no caching of errors, of no-store answers
// or of writes, and invalidation by a write; `mxcp-gen cache stats|clear` and the audit record see it all.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { generateOpenApiProject } from "../../src/pipeline/openapi.js";
import { runCli, tempDir } from "../helpers.js";
import { stdioClient, writeUserConfig } from "../serve/servers.js";

const counts = new Map<string, number>();
const conditional: string[] = [];
const keys: string[] = [];
let api: Server;
let base = "";
let items = [{ id: 1, name: "one" }];

beforeAll(async () => {
  api = createServer((req, res) => {
    const path = new URL(req.url!, "http://x").pathname;
    const key = `${req.method} ${path}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
    keys.push(String(req.headers["x-key"]));
    const send = (status: number, body: unknown, headers: Record<string, string> = {}) => res.writeHead(status, { "content-type": "application/json", ...headers }).end(JSON.stringify(body));
    if (req.method === "POST" && path === "/items") {
      items = [...items, { id: items.length + 1, name: "new" }];
      return send(201, items.at(-1));
    }
    if (path === "/items") return send(200, items);
    if (path === "/items/1") return send(200, items[0]);
    if (path === "/etag") {
      if (req.headers["if-none-match"] === '"v1"') {
        conditional.push(String(req.headers["if-none-match"]));
        return res.writeHead(304, { etag: '"v1"', "cache-control": "max-age=0" }).end();
      }
      return send(200, { version: 1 }, { etag: '"v1"', "cache-control": "max-age=0" });
    }
    if (path === "/fail") return send(500, { message: "broken" });
    if (path === "/nostore") return send(200, { fresh: true }, { "cache-control": "no-store" });
    return send(404, {});
  });
  await new Promise<void>((r) => api.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(api.address() as AddressInfo).port}`;
});
afterAll(() => {
  api.closeAllConnections();
  api.close();
});

const spec = () => ({
  openapi: "3.0.3",
  info: { title: "Cached", version: "1" },
  servers: [{ url: "https://api.example.com" }],
  components: { securitySchemes: { key: { type: "apiKey", in: "header", name: "X-Key" } } },
  security: [{ key: [] }],
  paths: Object.fromEntries(
    ["/items", "/items/1", "/etag", "/fail", "/nostore"].map((p) => [
      p,
      {
        get: { operationId: `get${p.replace(/\W/g, "_")}`, responses: { "200": { description: "ok", content: { "application/json": { schema: {} } } } } },
        ...(p === "/items" ? { post: { operationId: "createItem", responses: { "201": { description: "ok", content: { "application/json": { schema: {} } } } } } } : {}),
      },
    ]),
  ),
});

describe("cached reads", () => {
  let root: string;
  let client: Client;

  const start = async (key: string) => {
    writeUserConfig(root, "cached", { base_url: base, api_key: key });
    ({ client } = await stdioClient(root, [], { MXCP_AUDIT_ENABLED: "true" }));
  };
  const call = async (name: string) => (await client.callTool({ name: `cached_${name}`, arguments: {} })) as CallToolResult;

  beforeAll(async () => {
    root = tempDir("mxcp-gen-cache-");
    writeFileSync(join(root, "spec.json"), JSON.stringify(spec()));
    await generateOpenApiProject(join(root, "spec.json"), { out: root, name: "cached", cache: "10m" });
    await start("secret-a-123");
  }, 60_000);
  afterAll(async () => client?.close());

  it("is said by the generated client alone: a TTL and every safe read; the handlers do not change with it", () => {
    expect(readFileSync(join(root, "handlers/cached/client.ts"), "utf8")).toContain('cache: { ttlSeconds: 600, reads: "all" }');
    expect(readFileSync(join(root, "handlers/cached/cached_get_items_1.ts"), "utf8")).not.toMatch(/\bcache:/);
    expect(readFileSync(join(root, "handlers/cached/cached_create_item.ts"), "utf8")).not.toMatch(/\bcache:/);
    expect(JSON.parse(readFileSync(join(root, "mxcp-gen.lock.json"), "utf8")).apis.cached.options.cache).toBe("10m");
  });

  it("two identical reads within the TTL make one upstream request; the second says it was cached", async () => {
    const first = await call("get_items_1");
    const second = await call("get_items_1");
    expect(counts.get("GET /items/1")).toBe(1);
    expect(first._meta?.cached).toBeUndefined();
    expect(second._meta).toMatchObject({ cached: true, age_seconds: expect.any(Number) });
    expect(second.content).toEqual(first.content);
  });

  it("a stale entry with an ETag is revalidated; a 304 answers from the cache", async () => {
    await call("get_etag");
    const again = await call("get_etag");
    expect(conditional).toEqual(['"v1"']);
    expect(again._meta?.cached).toBe(true);
    expect(JSON.stringify(again.content)).toContain("version");
  });

  it("errors and no-store answers are never kept", async () => {
    await call("get_fail");
    await call("get_fail");
    expect(counts.get("GET /fail")).toBe(2);
    await call("get_nostore");
    await call("get_nostore");
    expect(counts.get("GET /nostore")).toBe(2);
  });

  it("a write drops the cached reads under its path; the write itself is never cached", async () => {
    await call("list_items");
    await call("list_items");
    expect(counts.get("GET /items")).toBe(1);
    await call("create_item");
    await call("create_item");
    expect(counts.get("POST /items")).toBe(2);
    const after = await call("list_items");
    expect(counts.get("GET /items")).toBe(2);
    expect(JSON.stringify(after.content)).toContain("new");
  });

  it("another secret never gets this one's entries", async () => {
    await client.close();
    await start("secret-b-456");
    await call("get_items_1");
    expect(counts.get("GET /items/1")).toBe(2);
    expect(keys.at(-1)).toBe("secret-b-456");
  }, 30_000);

  it("the audit record says hit or miss; cache stats counts them; cache clear empties it", async () => {
    await call("get_items_1");
    await client.close();
    const audit = readFileSync(join(root, "audit", "logs-default.jsonl"), "utf8").trim().split("\n").map((l) => JSON.parse(l) as { operation_name: string; business_context: { cache?: string } });
    const states = audit.filter((a) => a.operation_name === "cached_get_items_1").map((a) => a.business_context.cache);
    expect(states).toEqual(["miss", "hit", "miss", "hit"]);
    const stats = await runCli(["cache", "stats", "--json-output"], { cwd: root });
    expect(stats.code, stats.stderr).toBe(0);
    const row = (JSON.parse(stats.stdout) as { result: { api: string; entries: number; hits: number; misses: number }[] }).result[0]!;
    // items/1 twice, /items once, and the revalidated /etag
    expect(row).toMatchObject({ api: "cached", hits: 4 });
    expect(row.entries).toBeGreaterThan(1);
    expect(row.misses).toBeGreaterThan(3);
    const clear = await runCli(["cache", "clear", "--api", "cached", "--json-output"], { cwd: root });
    expect(JSON.parse(clear.stdout).result.dropped).toBe(row.entries);
    expect(JSON.parse((await runCli(["cache", "stats", "--json-output"], { cwd: root })).stdout).result).toEqual([]);
  }, 30_000);
});
