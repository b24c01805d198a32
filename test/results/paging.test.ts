// Issue 15: pagination in each style the generator recognises, against a local server that pages 23 items
// five to a page: Link headers, has_more cursors, next-page tokens, offsets and page numbers.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateOpenApiModel } from "../../generators/openapi/index.js";
import { generateOpenApiProject } from "../../src/pipeline/openapi.js";
import { ProjectHost } from "../../src/server/host.js";
import { McpCatalog } from "../../src/server/mcp/mcp-server.js";
import { tempDir } from "../helpers.js";
import { writeUserConfig } from "../serve/servers.js";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { InMemoryTransport } from "@modelcontextprotocol/sdk/inMemory.js";

const ALL = Array.from({ length: 23 }, (_, i) => ({ id: `it_${String(i).padStart(2, "0")}`, n: i }));
const SIZE = 5;
let server: Server;
let base = "";
const requests: string[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    requests.push(req.url!);
    const url = new URL(req.url!, "http://x");
    const q = url.searchParams;
    const json = (body: unknown, headers: Record<string, string> = {}) => res.writeHead(200, { "content-type": "application/json", ...headers }).end(JSON.stringify(body));
    switch (url.pathname) {
      case "/link": {
        const page = Number(q.get("page") ?? 1);
        const slice = ALL.slice((page - 1) * SIZE, page * SIZE);
        const last = Math.ceil(ALL.length / SIZE);
        const link = page < last ? `<${base}/link?page=${page + 1}&per_page=${SIZE}>; rel="next", <${base}/link?page=${last}>; rel="last"` : `<${base}/link?page=1>; rel="first"`;
        return json(slice, { link });
      }
      case "/cursor": {
        const after = q.get("starting_after");
        const start = after ? ALL.findIndex((x) => x.id === after) + 1 : 0;
        const slice = ALL.slice(start, start + SIZE);
        return json({ object: "list", data: slice, has_more: start + SIZE < ALL.length });
      }
      case "/token": {
        const start = Number(q.get("page_token") ?? 0);
        return json({ items: ALL.slice(start, start + SIZE), next_page_token: start + SIZE < ALL.length ? String(start + SIZE) : "" });
      }
      case "/offset": {
        const off = Number(q.get("offset") ?? 0);
        const limit = Number(q.get("limit") ?? SIZE);
        return json({ results: ALL.slice(off, off + limit), count: ALL.length });
      }
      case "/page": {
        const page = Number(q.get("page") ?? 1);
        const per = Number(q.get("per_page") ?? SIZE);
        return json(ALL.slice((page - 1) * per, page * per));
      }
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => {
  server.closeAllConnections();
  server.close();
});

const item = { type: "object", properties: { id: { type: "string" }, n: { type: "integer" } } };
const list = { type: "array", items: item };
const ok = (schema: unknown, headers?: unknown) => ({ "200": { description: "ok", ...(headers ? { headers } : {}), content: { "application/json": { schema } } } });
const q = (name: string, type = "string") => ({ name, in: "query", schema: { type } });
const spec = {
  openapi: "3.0.3",
  info: { title: "Pages", version: "1" },
  servers: [{ url: "https://api.example.com" }],
  paths: {
    "/link": { get: { operationId: "link", parameters: [q("page", "integer"), q("per_page", "integer")], responses: ok(list, { Link: { schema: { type: "string" } } }) } },
    "/cursor": { get: { operationId: "cursor", parameters: [q("starting_after"), q("limit", "integer")], responses: ok({ type: "object", properties: { object: { type: "string" }, data: list, has_more: { type: "boolean" } } }) } },
    "/token": { get: { operationId: "token", parameters: [q("page_token")], responses: ok({ type: "object", properties: { items: list, next_page_token: { type: "string" } } }) } },
    "/offset": { get: { operationId: "offset", parameters: [q("offset", "integer"), q("limit", "integer")], responses: ok({ type: "object", properties: { results: list, count: { type: "integer" } } }) } },
    "/page": { get: { operationId: "page", parameters: [q("page", "integer"), q("per_page", "integer")], responses: ok(list) } },
    "/plain": { get: { operationId: "plain", responses: ok(list) } },
  },
};

describe("pagination", () => {
  let catalog: McpCatalog;
  let host: ProjectHost;
  let root: string;

  beforeAll(async () => {
    root = tempDir("mxcp-gen-pages-");
    writeFileSync(join(root, "spec.json"), JSON.stringify(spec));
    await generateOpenApiProject(join(root, "spec.json"), { out: root, name: "pg" });
    writeUserConfig(root, "pg", { base_url: base });
    host = ProjectHost.load({ cwd: root, env: { MXCP_CONFIG: join(root, "user.yml") }, log: () => {} });
    await host.start();
    catalog = new McpCatalog(host, { results: { thresholdBytes: 0 } });
  }, 60_000);
  afterAll(async () => host?.shutdown());

  it("recognises each style from the document, and leaves a plain list alone (noted in the report)", async () => {
    const r = await generateOpenApiModel(join(root, "spec.json"), { name: "pg" });
    const styles = Object.fromEntries(r.model.tools.map((t) => [t.name, t.target.kind === "http" ? t.target.operation.paging?.style ?? null : null]));
    expect(styles).toEqual({ pg_cursor: "cursor", pg_link: "link", pg_offset: "offset", pg_page: "page", pg_plain: null, pg_token: "token" });
    const maxPages = r.model.tools.find((t) => t.name === "pg_link")!.parameters.find((p) => p.name === "max_pages")!;
    expect(maxPages.type).toMatchObject({ type: "integer", minimum: 1, maximum: 20, default: 1 });
    expect(r.model.tools.find((t) => t.name === "pg_plain")!.parameters.map((p) => p.name)).toEqual([]);
    expect(r.model.notes.some((n) => n.tool === "pg_cursor" && /a cursor and has_more/.test(n.message))).toBe(true);
  });

  const call = async (tool: string, args: Record<string, unknown>) => {
    const outcome = await host.callTool(tool, args);
    if (outcome.status !== "ok") throw new Error(outcome.message);
    return outcome;
  };
  const ids = (v: unknown, key = "") => ((key ? (v as Record<string, unknown>)[key] : v) as { id: string }[]).map((x) => x.id);

  for (const [tool, key, args] of [
    ["pg_link", "", { per_page: SIZE }],
    ["pg_cursor", "data", {}],
    ["pg_token", "items", {}],
    ["pg_offset", "results", { limit: SIZE }],
    ["pg_page", "", { per_page: SIZE }],
  ] as const) {
    it(`${tool}: max_pages fetches that many pages in order, and says where to continue`, async () => {
      const one = await call(tool, { ...args });
      expect(ids(one.result, key)).toEqual(ALL.slice(0, SIZE).map((x) => x.id));
      const three = await call(tool, { ...args, max_pages: 3 });
      expect(ids(three.result, key)).toEqual(ALL.slice(0, 15).map((x) => x.id));
      expect(three.meta?.pages).toBe(3);
      // Continuing with the arguments it gave returns the next items.
      const more = await call(tool, { ...args, ...three.meta!.next!, max_pages: 20 });
      expect(ids(more.result, key)).toEqual(ALL.slice(15).map((x) => x.id));
      expect(more.meta?.next).toBeUndefined();
      expect(more.meta?.pages).toBe(2);
    });
  }

  it("an object page keeps its other fields; _meta carries pages and next_arguments over MCP", async () => {
    const out = await call("pg_cursor", { max_pages: 2 });
    expect(out.result).toMatchObject({ object: "list", has_more: true });
    const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
    await catalog.createServer({ session: "t" }).connect(serverSide);
    const client = new Client({ name: "paging", version: "1" });
    await client.connect(clientSide);
    const r = await client.callTool({ name: "pg_token", arguments: { max_pages: 2 } });
    expect(r._meta).toEqual({ pages: 2, next_arguments: { page_token: "10" } });
    await client.close();
  });
});
