import { createServer, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ApiClient } from "../../src/runtime/http/client.js";
import type { HttpOperation } from "../../src/runtime/http/types.js";
import { runtimeState } from "../../src/runtime/state.js";

// Every secret is a unique canary; no outcome below may contain it.
const CANARY = "canary-secret-7f3e9a1c";
const hits = new Map<string, number>();
let server: Server;
let base: string;

const json = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) =>
  res.writeHead(status, { "content-type": "application/json", ...headers }).end(JSON.stringify(body));

beforeAll(async () => {
  server = createServer((req, res) => {
    const path = new URL(req.url!, "http://x").pathname;
    hits.set(path, (hits.get(path) ?? 0) + 1);
    switch (path) {
      case "/always-500":
        return json(res, 500, { message: `boom, your key is ${req.headers["x-key"]}` });
      case "/always-503":
        return json(res, 503, { message: "unavailable" });
      case "/rate-limited":
        return hits.get(path)! === 1 ? json(res, 429, { message: "slow down" }, { "retry-after": "1" }) : json(res, 200, { ok: true });
      case "/rate-limited-long":
        return json(res, 429, { message: "come back tomorrow" }, { "retry-after": "86400" });
      case "/reset":
        return req.socket.destroy();
      case "/slow-body":
        res.writeHead(200, { "content-type": "application/json" });
        res.write('{"data": "');
        return; // never finishes
      case "/huge":
        res.writeHead(200, { "content-type": "application/json" });
        {
          const chunk = Buffer.alloc(1024 * 1024, "a");
          let sent = 0;
          const pump = () => {
            while (sent < 50 && res.write(chunk)) sent++;
            if (sent < 50) res.once("drain", pump);
            else res.end();
          };
          pump();
        }
        return;
      case "/gzip-bomb": {
        const bomb = gzipSync(Buffer.alloc(200 * 1024 * 1024, 0));
        return res.writeHead(200, { "content-type": "application/json", "content-encoding": "gzip", "content-length": String(bomb.length) }).end(bomb);
      }
      case "/echo-headers":
        return json(res, 400, { error: { message: "bad", headers: req.headers } });
      default:
        return json(res, 404, {});
    }
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => {
  server.closeAllConnections();
  server.close();
});

function client(limits: Partial<ApiClient["limits"]> = {}): ApiClient {
  runtimeState().secrets = [{ name: "faulty", type: "api", parameters: { base_url: base, api_key: CANARY } }];
  const c = new ApiClient({ name: "faulty", servers: [], securitySchemes: { key: { type: "apiKey", in: "header", name: "X-Key" } } }, limits);
  c.configure();
  return c;
}

const op = (method: HttpOperation["method"], path: string): HttpOperation => ({ method, path, parameters: [], security: [["key"]] });

async function call(method: HttpOperation["method"], path: string, limits: Partial<ApiClient["limits"]> = {}) {
  hits.delete(path);
  const out = await client(limits).call(op(method, path), {});
  expect(JSON.stringify(out)).not.toContain(CANARY);
  return out;
}

describe("upstream faults become error objects within the deadline, and no secret leaks", () => {
  it("a 500 is an error object at once (not a retryable status), with the echoed key redacted", async () => {
    const out = await call("GET", "/always-500");
    expect(out).toMatchObject({ error: "HTTP 500", status: 500, retryable: false, body: { message: "boom, your key is [REDACTED]" } });
    expect(hits.get("/always-500")).toBe(1);
  });

  it("repeated 503s: a GET is retried twice, then an error object", async () => {
    expect(await call("GET", "/always-503")).toMatchObject({ error: "HTTP 503", status: 503, retryable: true });
    expect(hits.get("/always-503")).toBe(3);
  });

  it("repeated 503s: a POST is never retried", async () => {
    await call("POST", "/always-503");
    expect(hits.get("/always-503")).toBe(1);
  });

  it("429 with Retry-After within the deadline is waited out and retried", async () => {
    expect(await call("GET", "/rate-limited")).toEqual({ ok: true });
    expect(hits.get("/rate-limited")).toBe(2);
  });

  it("429 with a Retry-After beyond the deadline is not waited for", async () => {
    const started = Date.now();
    expect(await call("GET", "/rate-limited-long")).toMatchObject({ error: "HTTP 429", status: 429 });
    expect(hits.get("/rate-limited-long")).toBe(1);
    expect(Date.now() - started).toBeLessThan(50_000);
  });

  it("a connection reset is a clear error (retried for GET)", async () => {
    expect(await call("GET", "/reset", { retries: 1 })).toMatchObject({ error: "Connection failed", retryable: true });
    expect(hits.get("/reset")).toBe(2);
  });

  it("a body that never finishes times out", async () => {
    expect(await call("GET", "/slow-body", { attemptTimeoutMs: 500, deadlineMs: 1500, retries: 0 })).toMatchObject({ error: "Timeout" });
  });

  it("a 50 MB body is cut at the size cap", async () => {
    expect(await call("GET", "/huge", { maxResponseBytes: 10 * 1024 * 1024 })).toMatchObject({ error: "Response too large" });
  });

  it("a gzip bomb is cut at the cap, counted after decompression", async () => {
    expect(await call("GET", "/gzip-bomb", { maxResponseBytes: 10 * 1024 * 1024 })).toMatchObject({ error: "Response too large" });
  });

  it("an upstream error that echoes the request headers carries no credential", async () => {
    const out = await call("GET", "/echo-headers");
    expect(out).toMatchObject({ error: "HTTP 400", status: 400 });
  });
});
