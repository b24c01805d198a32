// `wrap --cache` and `max_pages` with real SDKs against local servers that count what reaches them: a read
// kept per credential, errors never kept, a write dropping its resource's reads; Stripe's list followed by
// cursor and a Stainless page (openai) by the SDK itself, with the continuation in `_meta`.
import { readFileSync } from "node:fs";
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../helpers.js";
import { project } from "./sdk-project.js";
import { stdioClient, writeUserConfig } from "../serve/servers.js";

const serve = async (dir: string): Promise<Client> => (await stdioClient(dir)).client;


const call = async (c: Client, name: string, args: Record<string, unknown>) => (await c.callTool({ name, arguments: args })) as CallToolResult;

/** Five customers; lists page by `starting_after` and `limit`, as Stripe's API does. */
function stripeServer() {
  const seen: { method: string; path: string; query: URLSearchParams; auth: string }[] = [];
  const customers = [1, 2, 3, 4, 5].map((n) => ({ id: `cus_${n}`, object: "customer", name: `c${n}` }));
  const server = createServer((req: IncomingMessage, res) => {
    req.resume();
    req.on("end", () => {
      const url = new URL(req.url!, "http://x");
      seen.push({ method: req.method!, path: url.pathname, query: url.searchParams, auth: req.headers.authorization ?? "" });
      res.setHeader("content-type", "application/json");
      if (url.pathname === "/v1/customers" && req.method === "GET") {
        const limit = Number(url.searchParams.get("limit") ?? 10);
        const after = url.searchParams.get("starting_after");
        const start = after ? customers.findIndex((c) => c.id === after) + 1 : 0;
        const data = customers.slice(start, start + limit);
        res.end(JSON.stringify({ object: "list", data, has_more: start + limit < customers.length, url: "/v1/customers" }));
      } else if (url.pathname === "/v1/customers/cus_missing") {
        res.statusCode = 404;
        res.end(JSON.stringify({ error: { type: "invalid_request_error", code: "resource_missing", message: "No such customer" } }));
      } else if (url.pathname.startsWith("/v1/customers/")) {
        const id = url.pathname.split("/").at(-1);
        res.end(JSON.stringify({ id, object: "customer", name: `read ${seen.length}` }));
      } else {
        res.statusCode = 500;
        res.end("{}");
      }
    });
  });
  return { server, seen, count: (method: string, path: string) => seen.filter((s) => s.method === method && s.path === path).length };
}

describe("wrap stripe --cache: reads kept in DuckDB, per credential; errors never; writes drop them", () => {
  const mock = stripeServer();
  let base = "";
  let dir = "";
  beforeAll(async () => {
    await new Promise<void>((r) => mock.server.listen(0, "127.0.0.1", r));
    base = `http://127.0.0.1:${(mock.server.address() as AddressInfo).port}`;
    dir = project("stripe");
    const gen = await runCli(["wrap", "stripe", "--include", "customers.*", "--cache", "10m", "--cache-exclude", "customers.search"], { cwd: dir });
    expect(gen.code, gen.stderr).toBe(0);
  }, 120_000);
  afterAll(() => mock.server.close());

  it("is visible in the generated client, recorded in the lock file and in the report's regenerate command", () => {
    const clientTs = readFileSync(join(dir, "handlers/stripe/client.ts"), "utf8");
    expect(clientTs).toContain('export const cache: SdkCachePolicy = { api: "stripe", ttlSeconds: 600 };');
    expect(readFileSync(join(dir, "handlers/stripe/stripe_customers_retrieve.ts"), "utf8")).toContain('cachedRead(cache, "customers.retrieve", args');
    expect(readFileSync(join(dir, "handlers/stripe/stripe_customers_update.ts"), "utf8")).toContain('writeThrough(cache, "customers.update"');
    expect(readFileSync(join(dir, "handlers/stripe/stripe_customers_search.ts"), "utf8")).not.toContain("cachedRead");
    const lock = JSON.parse(readFileSync(join(dir, "mxcp-gen.lock.json"), "utf8")) as { apis: Record<string, { options: Record<string, unknown> }> };
    expect(lock.apis.stripe!.options).toMatchObject({ cache: "10m", cacheExclude: ["customers.search"] });
    const report = readFileSync(join(dir, "mxcp-gen.report.stripe.md"), "utf8");
    expect(report).toContain("--cache 10m --cache-exclude customers.search");
    expect(report).toContain("--include 'customers.*'");
    // The files' headers point to the report instead of repeating every flag (issue 28 item 3).
    expect(clientTs).toContain("Regenerate: the command in mxcp-gen.report.stripe.md");
  });

  it("answers a repeated read from the cache, never an error, and drops the resource's reads after a write", async () => {
    writeUserConfig(dir, "stripe", { api_key: "sk_test_first", base_url: base });
    const client = await serve(dir);
    try {
      const first = await call(client, "stripe_customers_retrieve", { id: "cus_1" });
      const second = await call(client, "stripe_customers_retrieve", { id: "cus_1" });
      expect(first.isError, JSON.stringify(first.content)).toBeFalsy();
      expect(second.structuredContent).toEqual(first.structuredContent);
      expect(mock.count("GET", "/v1/customers/cus_1")).toBe(1);
      expect(first._meta?.cached).toBeUndefined();
      expect(second._meta).toMatchObject({ cached: true, age_seconds: expect.any(Number) });

      for (let i = 0; i < 2; i++) expect((await call(client, "stripe_customers_retrieve", { id: "cus_missing" })).isError).toBe(true);
      expect(mock.count("GET", "/v1/customers/cus_missing")).toBe(2);

      // A list read is kept too; a write to customers drops both.
      await call(client, "stripe_customers_list", { limit: 2 });
      await call(client, "stripe_customers_list", { limit: 2 });
      expect(mock.count("GET", "/v1/customers")).toBe(1);
      const updated = await call(client, "stripe_customers_update", { id: "cus_1", name: "new" });
      expect(updated.isError, JSON.stringify(updated.content)).toBeFalsy();
      expect(mock.count("POST", "/v1/customers/cus_1")).toBe(1);
      await call(client, "stripe_customers_retrieve", { id: "cus_1" });
      await call(client, "stripe_customers_list", { limit: 2 });
      expect(mock.count("GET", "/v1/customers/cus_1")).toBe(2);
      expect(mock.count("GET", "/v1/customers")).toBe(2);
    } finally {
      await client.close();
    }
    const stats = await runCli(["cache", "stats", "--json-output"], { cwd: dir });
    const row = (JSON.parse(stats.stdout) as { result: { api: string; entries: number; hits: number; misses: number }[] }).result.find((r) => r.api === "stripe")!;
    expect(row).toMatchObject({ hits: 2, entries: 2 });
    expect(row.misses).toBeGreaterThanOrEqual(4);
  }, 120_000);

  it("never answers one credential with what another was given", async () => {
    const before = mock.count("GET", "/v1/customers/cus_1");
    writeUserConfig(dir, "stripe", { api_key: "sk_test_second", base_url: base });
    const client = await serve(dir);
    try {
      await call(client, "stripe_customers_retrieve", { id: "cus_1" });
      expect(mock.count("GET", "/v1/customers/cus_1")).toBe(before + 1);
      expect(mock.seen.at(-1)!.auth).toBe("Bearer sk_test_second");
      await call(client, "stripe_customers_retrieve", { id: "cus_1" });
      expect(mock.count("GET", "/v1/customers/cus_1")).toBe(before + 1);
    } finally {
      await client.close();
    }
  }, 120_000);

  it("max_pages follows Stripe's cursor: items of every page in order, and where to continue", async () => {
    writeUserConfig(dir, "stripe", { api_key: "sk_test_first", base_url: base });
    const client = await serve(dir);
    try {
      const before = mock.count("GET", "/v1/customers");
      const two = await call(client, "stripe_customers_list", { limit: 2, max_pages: 2 });
      expect(two.isError, JSON.stringify(two.content)).toBeFalsy();
      expect((two.structuredContent as { data: { id: string }[] }).data.map((c) => c.id)).toEqual(["cus_1", "cus_2", "cus_3", "cus_4"]);
      expect(two.structuredContent).toMatchObject({ object: "list", has_more: true });
      expect(two._meta).toMatchObject({ pages: 2, next_arguments: { starting_after: "cus_4" } });
      const requests = mock.seen.filter((s) => s.method === "GET" && s.path === "/v1/customers").slice(before);
      expect(requests.map((r) => r.query.get("starting_after"))).toEqual([null, "cus_2"]);

      const all = await call(client, "stripe_customers_list", { limit: 2, max_pages: 20 });
      expect((all.structuredContent as { data: { id: string }[] }).data.map((c) => c.id)).toEqual(["cus_1", "cus_2", "cus_3", "cus_4", "cus_5"]);
      expect(all.structuredContent).toMatchObject({ has_more: false });
      expect(all._meta).toMatchObject({ pages: 3, next_arguments: null });
      // Several pages are never served from, or kept in, the cache.
      expect(mock.count("GET", "/v1/customers")).toBe(before + 5);
    } finally {
      await client.close();
    }
  }, 120_000);
});

describe("wrap openai: max_pages through a Stainless page that fetches the next one itself", () => {
  it("follows `after` cursors across pages and says where to continue", async () => {
    const files = [1, 2, 3, 4, 5].map((n) => ({ id: `file-${n}`, object: "file", bytes: n, created_at: n, filename: `f${n}`, purpose: "assistants", status: "processed" }));
    const seen: URL[] = [];
    const server = createServer((req, res) => {
      req.resume();
      const url = new URL(req.url!, "http://x");
      seen.push(url);
      const limit = Number(url.searchParams.get("limit") ?? 2);
      const after = url.searchParams.get("after");
      const start = after ? files.findIndex((f) => f.id === after) + 1 : 0;
      const data = files.slice(start, start + limit);
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ object: "list", data, has_more: start + limit < files.length }));
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const dir = project("openai");
    const gen = await runCli(["wrap", "openai", "--include", "files.list"], { cwd: dir });
    expect(gen.code, gen.stderr).toBe(0);
    expect(readFileSync(join(dir, "mxcp-gen.report.openai.md"), "utf8")).toContain("max_pages fetches several pages in one call");
    // A base_url that already ends in the SDK's /v1 keeps it once (the profile adds /v1 only when it is missing).
    writeUserConfig(dir, "openai", { api_key: "sk-test", base_url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/` });
    const client = await serve(dir);
    try {
      const r = await call(client, "openai_files_list", { limit: 2, max_pages: 2 });
      expect(r.isError, JSON.stringify(r.content)).toBeFalsy();
      expect((r.structuredContent as { data: { id: string }[] }).data.map((f) => f.id)).toEqual(["file-1", "file-2", "file-3", "file-4"]);
      expect(r.structuredContent).toMatchObject({ has_more: true });
      expect(r._meta).toMatchObject({ pages: 2, next_arguments: { after: "file-4" } });
      expect(seen.map((u) => u.searchParams.get("after"))).toEqual([null, "file-2"]);
      expect(seen.map((u) => u.pathname)).toEqual(["/v1/files", "/v1/files"]);
      const one = await call(client, "openai_files_list", { limit: 2 });
      expect(one.structuredContent).toMatchObject({ data: [{ id: "file-1" }, { id: "file-2" }], has_more: true });
    } finally {
      await client.close();
      server.close();
    }
  }, 120_000);
});
