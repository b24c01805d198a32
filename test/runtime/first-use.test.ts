// Issue 23 bug 1, as a class: every lazily opened resource is opened once however many first calls arrive
// together. DuckDB (in process, and through two MCP clients' concurrent first calls), OAuth tokens.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { Database } from "../../src/runtime/database.js";
import { ApiClient } from "../../src/runtime/http/client.js";
import { runtimeState } from "../../src/runtime/state.js";
import { tempDir, writeProject } from "../helpers.js";
import { httpClient, startHttpServer } from "../serve/servers.js";

describe("DuckDB opens once", () => {
  it("three concurrent first queries share one instance: every table each made is there", async () => {
    const db = new Database({ path: join(tempDir(), "data", "db.duckdb") });
    await Promise.all(["a", "b", "c"].map((t, i) => db.execute(`CREATE TABLE ${t} AS SELECT ${i} AS x`)));
    const rows = await db.execute("SELECT (SELECT x FROM a) + (SELECT x FROM b) + (SELECT x FROM c) AS n");
    expect(rows).toEqual([{ n: 3 }]);
    await db.close();
  });

  it("two MCP clients' concurrent first calls reach the same database", async () => {
    const root = writeProject({
      "mxcp-site.yml": "mxcp: 1\nproject: first\nprofile: d\n",
      "user.yml": "mxcp: 1\n",
      "tools/make_a.yml": "mxcp: 1\ntool:\n  name: make_a\n  description: a\n  source: {code: \"CREATE TABLE IF NOT EXISTS a AS SELECT 1 AS x; SELECT 'a' AS made\"}\n",
      "tools/make_b.yml": "mxcp: 1\ntool:\n  name: make_b\n  description: b\n  source: {code: \"CREATE TABLE IF NOT EXISTS b AS SELECT 2 AS x; SELECT 'b' AS made\"}\n",
      "tools/sum.yml": "mxcp: 1\ntool:\n  name: sum\n  description: both\n  source: {code: \"SELECT (SELECT x FROM a) + (SELECT x FROM b) AS n\"}\n",
    });
    const server = await startHttpServer(root);
    const [one, two] = await Promise.all([httpClient(server.url), httpClient(server.url)]);
    try {
      const made = (await Promise.all([one.callTool({ name: "make_a", arguments: {} }), two.callTool({ name: "make_b", arguments: {} })])) as CallToolResult[];
      expect(made.every((r) => !r.isError)).toBe(true);
      const sum = (await one.callTool({ name: "sum", arguments: {} })) as CallToolResult;
      expect(JSON.stringify(sum.content)).toMatch(/n\\+": 3/);
    } finally {
      await one.close();
      await two.close();
      await server.stop();
    }
  });
});

describe("an OAuth token is fetched once", () => {
  let api: Server;
  let base = "";
  let tokenRequests = 0;
  beforeAll(async () => {
    api = createServer((req, res) => {
      if (req.url === "/token") {
        tokenRequests++;
        // Slow enough that every first call is waiting on it at once.
        setTimeout(() => res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ access_token: "tok-once", expires_in: 3600 })), 200);
        return;
      }
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ auth: req.headers.authorization }));
    });
    await new Promise<void>((r) => api.listen(0, "127.0.0.1", r));
    base = `http://127.0.0.1:${(api.address() as AddressInfo).port}`;
  });
  afterAll(() => {
    api.closeAllConnections();
    api.close();
  });

  it("five concurrent first calls make one token request and all use its token", async () => {
    runtimeState().secrets = [{ name: "o", type: "api", parameters: { base_url: base, client_id: "id", client_secret: "CNRYoauthsecret" } }];
    const client = new ApiClient({ name: "o", servers: [], securitySchemes: { oauth: { type: "oauth2", clientCredentials: true, tokenUrl: `${base}/token` } } });
    client.configure();
    const op = { method: "GET" as const, path: "/me", parameters: [], security: [["oauth"]] };
    const results = await Promise.all(Array.from({ length: 5 }, () => client.call(op, {})));
    expect(tokenRequests).toBe(1);
    // (The client hands back what the upstream echoed; the host redacts the obtained token before anything leaves.)
    expect(results).toEqual(Array.from({ length: 5 }, () => ({ auth: "Bearer tok-once" })));
  });
});
