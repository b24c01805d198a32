// Issue 21 items 16 and 17 (and issue 23's retry without a wait): what a model's arguments and an upstream's
// faults can do to a request. A free-form query object cannot set a credential or another parameter however its
// key is spelled; a safe read cut off mid-body is retried, as its error says it may be; every retry waits.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ApiClient } from "../../src/runtime/http/client.js";
import type { HttpOperation } from "../../src/runtime/http/types.js";
import { runtimeState } from "../../src/runtime/state.js";

let upstream: Server;
let base = "";
const seen: { url: string; at: number }[] = [];
let flaky = 0;
let failing = 0;

beforeAll(async () => {
  upstream = createServer((req, res) => {
    seen.push({ url: req.url ?? "", at: Date.now() });
    if (req.url === "/flaky" && flaky++ === 0) {
      // Headers and half the body, then the connection goes.
      res.writeHead(200, { "content-type": "application/json", "content-length": "100" });
      res.write('{"half":');
      setTimeout(() => res.socket?.destroy(), 20);
      return;
    }
    if (req.url === "/fail-twice" && failing++ < 2) return res.writeHead(503, { "content-type": "application/json" }).end('{"message":"busy"}');
    res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ url: req.url }));
  });
  await new Promise<void>((r) => upstream.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
  runtimeState().secrets = [{ name: "svc", type: "api", parameters: { base_url: base, api_key: "CNRYquerykey" } }];
});
afterAll(() => {
  upstream.closeAllConnections();
  upstream.close();
});

function client(): ApiClient {
  const c = new ApiClient({ name: "svc", servers: [], securitySchemes: { key: { type: "apiKey", in: "query", name: "api_key" } } });
  c.configure();
  return c;
}

describe("item 16: free-form query keys", () => {
  const op: HttpOperation = {
    method: "GET",
    path: "/search",
    parameters: [
      { arg: "q", name: "q", in: "query", style: "form", explode: true },
      { arg: "filters", name: "filters", in: "query", style: "form", explode: true },
    ],
    security: [["key"]],
  };

  it.each(["api_key", "API_KEY", "api_key[]", "api_key ", " Api_Key[0][x]", "q", "Q", "q ", "q[]"])("the key %j is refused before anything is sent", async (key) => {
    const before = seen.length;
    const r = (await client().call(op, { q: "real", filters: { [key]: "injected" } })) as { error?: string; message?: string };
    expect(r.error).toBeDefined();
    expect(r.message).toMatch(/is the name of another query parameter or a credential/);
    expect(seen.length).toBe(before);
  });

  it("other keys pass", async () => {
    const r = (await client().call(op, { q: "real", filters: { colour: "red", "api_key_hint": "x" } })) as { url: string };
    expect(r.url).toBe("/search?q=real&colour=red&api_key_hint=x&api_key=CNRYquerykey");
  });
});

describe("item 17 and issue 23: retries", () => {
  it("a GET whose connection resets mid-body is retried and answers", async () => {
    const before = seen.length;
    const r = await client().call({ method: "GET", path: "/flaky", parameters: [], security: [] }, {});
    expect(r).toEqual({ url: "/flaky" });
    expect(seen.length - before).toBe(2);
  });

  it("a POST cut off mid-body is not retried, and says its outcome is unknown", async () => {
    flaky = 0;
    const before = seen.length;
    const r = (await client().call({ method: "POST", path: "/flaky", parameters: [], security: [] }, {})) as { retryable?: boolean; error?: string };
    expect(r.error).toBe("Connection failed");
    expect(r.retryable).toBe(false);
    expect(seen.length - before).toBe(1);
  });

  it("every retry waits its backoff (0.5 s · 2^n, less at most 25%)", async () => {
    const before = seen.length;
    expect(await client().call({ method: "GET", path: "/fail-twice", parameters: [], security: [] }, {})).toEqual({ url: "/fail-twice" });
    const times = seen.slice(before).map((s) => s.at);
    expect(times).toHaveLength(3);
    expect(times[1]! - times[0]!).toBeGreaterThanOrEqual(375);
    expect(times[2]! - times[1]!).toBeGreaterThanOrEqual(750);
  });
});
