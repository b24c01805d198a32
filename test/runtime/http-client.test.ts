import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { ApiClient } from "../../src/runtime/http/client.js";
import type { ApiDefinition, HttpOperation } from "../../src/runtime/http/types.js";
import { runtimeState } from "../../src/runtime/state.js";

interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage["headers"];
  body: Buffer;
}

type Handler = (req: IncomingMessage, res: ServerResponse, body: Buffer) => void;

async function startServer(handler: Handler): Promise<{ server: Server; url: string; seen: Seen[] }> {
  const seen: Seen[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks);
      seen.push({ method: req.method!, url: req.url!, headers: req.headers, body });
      handler(req, res, body);
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen };
}

const json = (res: ServerResponse, status: number, value: unknown, headers: Record<string, string> = {}) =>
  res.writeHead(status, { "content-type": "application/json", ...headers }).end(JSON.stringify(value));

let api: Awaited<ReturnType<typeof startServer>>;
let other: Awaited<ReturnType<typeof startServer>>;
let tokenRequests = 0;
let flaky = 0;

beforeAll(async () => {
  other = await startServer((_req, res) => json(res, 200, { stolen: true }));
  api = await startServer((req, res, body) => {
    const url = new URL(req.url!, "http://x");
    switch (url.pathname) {
      case "/v1/echo":
        return json(res, 200, { url: req.url, body: body.toString("utf8") });
      case "/v1/oauth/token":
        tokenRequests++;
        return json(res, 200, { access_token: `tok-${tokenRequests}`, expires_in: 3600 });
      case "/v1/missing":
        return json(res, 404, { message: "No such pet", echoed: req.headers["x-api-key"] });
      case "/v1/empty":
        return res.writeHead(204).end();
      case "/v1/text":
        return res.writeHead(200, { "content-type": "text/plain" }).end("plain words");
      case "/v1/bytes":
        return res.writeHead(200, { "content-type": "image/png" }).end(Buffer.from([1, 2, 3]));
      case "/v1/flaky":
        flaky++;
        return flaky % 2 === 1 ? json(res, 503, { message: "busy" }, { "retry-after": "0" }) : json(res, 200, { ok: true, attempt: flaky });
      case "/v1/redirect-here":
        return res.writeHead(302, { location: "/v1/text" }).end();
      case "/v1/redirect-away":
        return res.writeHead(302, { location: `${other.url}/steal` }).end();
      case "/v1/big":
        return res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ data: "x".repeat(5000) }));
      case "/v1/hang":
        return; // never answers
      case "/v1/html":
        return res.writeHead(200, { "content-type": "application/json" }).end("<html>oops</html>");
      default:
        return json(res, 500, { message: "unexpected" });
    }
  });
});

afterAll(() => {
  api?.server.closeAllConnections();
  api?.server.close();
  other?.server.close();
});

function client(secret: Record<string, unknown>, defn: Partial<ApiDefinition> = {}): ApiClient {
  runtimeState().secrets = [{ name: "pets", type: "api", parameters: { base_url: `${api.url}/v1`, ...secret } }];
  const c = new ApiClient({
    name: "pets",
    servers: [{ url: "https://unused.example/v1" }],
    securitySchemes: {
      key: { type: "apiKey", in: "header", name: "X-Api-Key" },
      qkey: { type: "apiKey", in: "query", name: "api_key" },
      bearer: { type: "http", scheme: "bearer" },
      basic: { type: "http", scheme: "basic" },
      oauth: { type: "oauth2", clientCredentials: true, tokenUrl: `${api.url}/v1/oauth/token` },
    },
    ...defn,
  });
  c.configure();
  return c;
}

const get = (path: string, extra: Partial<HttpOperation> = {}): HttpOperation => ({ method: "GET", path, parameters: [], security: [], ...extra });

beforeEach(() => {
  api.seen.length = 0;
  other.seen.length = 0;
});

describe("ApiClient requests", () => {
  it("builds the URL and headers from every location and applies an API key header", async () => {
    const op = get("/echo/{id}", {
      path: "/echo",
      parameters: [
        { arg: "q", name: "q", in: "query", style: "form", explode: true },
        { arg: "tags", name: "tags", in: "query", style: "pipeDelimited", explode: false },
        { arg: "trace", name: "X-Trace", in: "header", style: "simple", explode: false },
        { arg: "session", name: "session", in: "cookie", style: "form", explode: true },
      ],
      security: [["key"]],
    });
    const out = (await client({ key: "k-1" }).call(op, { q: "a b", tags: ["x", "y"], trace: "t1", session: "s;1" })) as { url: string };
    expect(out.url).toBe("/v1/echo?q=a%20b&tags=x|y");
    const h = api.seen[0]!.headers;
    expect(h["x-api-key"]).toBe("k-1");
    expect(h["x-trace"]).toBe("t1");
    expect(h.cookie).toBe("session=s%3B1");
  });

  it("appends a query API key without re-encoding the serialized query", async () => {
    const op = get("/echo", { parameters: [{ arg: "f", name: "filter", in: "query", style: "deepObject", explode: true }], security: [["qkey"]] });
    const out = (await client({ api_key: "q k" }).call(op, { f: { a: "1" } })) as { url: string };
    expect(out.url).toBe("/v1/echo?filter[a]=1&api_key=q%20k");
  });

  it("uses bearer and basic credentials", async () => {
    await client({ token: "tkn" }).call(get("/echo", { security: [["bearer"]] }), {});
    expect(api.seen[0]!.headers.authorization).toBe("Bearer tkn");
    await client({ username: "u", password: "p" }).call(get("/echo", { security: [["basic"]] }), {});
    expect(api.seen[1]!.headers.authorization).toBe(`Basic ${Buffer.from("u:p").toString("base64")}`);
  });

  it("fetches an OAuth2 client-credentials token once and reuses it", async () => {
    tokenRequests = 0;
    const c = client({ client_id: "id", client_secret: "sec" });
    await c.call(get("/echo", { security: [["oauth"]] }), {});
    await c.call(get("/echo", { security: [["oauth"]] }), {});
    expect(tokenRequests).toBe(1);
    const calls = api.seen.filter((s) => s.url.startsWith("/v1/echo"));
    expect(calls.map((s) => s.headers.authorization)).toEqual(["Bearer tok-1", "Bearer tok-1"]);
  });

  it("picks the first security alternative it has credentials for, and says what is missing otherwise", async () => {
    await client({ token: "tkn" }).call(get("/echo", { security: [["key"], ["bearer"]] }), {});
    expect(api.seen[0]!.headers.authorization).toBe("Bearer tkn");
    expect(api.seen[0]!.headers["x-api-key"]).toBeUndefined();
    const out = await client({}).call(get("/echo", { security: [["key"], ["bearer"]] }), {});
    expect(out).toMatchObject({ error: "Missing credentials", fix: expect.stringContaining("'pets' secret") });
    expect(api.seen).toHaveLength(1);
  });

  it("sends JSON, form, multipart, binary and text bodies; a required empty body as {}", async () => {
    const c = client({});
    const post = (body: HttpOperation["body"]): HttpOperation => ({ method: "POST", path: "/echo", parameters: [], security: [], ...(body ? { body } : {}) });
    const r1 = (await c.call(post({ mediaType: "application/json", kind: "json", properties: [{ arg: "name", name: "name" }, { arg: "tag", name: "tag" }], required: true }), { name: "rex", tag: null })) as { body: string };
    expect(JSON.parse(r1.body)).toEqual({ name: "rex" });
    const r2 = (await c.call(post({ mediaType: "application/json", kind: "json", properties: [{ arg: "name", name: "name" }], required: true }), { name: null })) as { body: string };
    expect(r2.body).toBe("{}");
    const r3 = (await c.call(post({ mediaType: "application/x-www-form-urlencoded", kind: "form", arg: "body", required: true }), { body: { To: "+1", Meta: { a: "b" } } })) as { body: string };
    expect(r3.body).toBe("To=%2B1&Meta[a]=b");
    await c.call(post({ mediaType: "multipart/form-data", kind: "multipart", properties: [{ arg: "file", name: "file", binary: true }, { arg: "note", name: "note" }], required: true }), {
      file: { filename: "a.txt", content_type: "text/plain", content_base64: Buffer.from("hello").toString("base64") },
      note: "n",
    });
    const multipart = api.seen.at(-1)!;
    expect(multipart.headers["content-type"]).toMatch(/^multipart\/form-data; boundary=/);
    expect(multipart.body.toString()).toContain('filename="a.txt"');
    expect(multipart.body.toString()).toContain("hello");
    await c.call(post({ mediaType: "application/octet-stream", kind: "binary", arg: "body", required: true }), { body: Buffer.from([9, 8, 7]).toString("base64") });
    expect([...api.seen.at(-1)!.body]).toEqual([9, 8, 7]);
    const r6 = (await c.call(post({ mediaType: "text/plain", kind: "text", arg: "body", required: true }), { body: "just text" })) as { body: string };
    expect(r6.body).toBe("just text");
  });
});

describe("ApiClient responses and failures", () => {
  it("turns a 404 into an error object with status and a bounded body, secrets redacted", async () => {
    const out = await client({ key: "canary-key-1234" }).call(get("/missing", { security: [["key"]] }), {});
    expect(out).toEqual({
      error: "HTTP 404",
      message: "GET /v1/missing returned 404 Not Found: No such pet",
      status: 404,
      type: "http_error",
      retryable: false,
      body: { message: "No such pet", echoed: "[REDACTED]" },
    });
    expect(JSON.stringify(out)).not.toContain("canary-key-1234");
  });

  it("returns null for 204, text for text/*, and base64 for binary", async () => {
    const c = client({});
    expect(await c.call(get("/empty"), {})).toBeNull();
    expect(await c.call(get("/text"), {})).toBe("plain words");
    expect(await c.call(get("/bytes"), {})).toEqual({ content_type: "image/png", size: 3, content_base64: Buffer.from([1, 2, 3]).toString("base64") });
  });

  it("retries an idempotent request after 503 with Retry-After, and never retries a POST", async () => {
    flaky = 0;
    expect(await client({}).call(get("/flaky"), {})).toEqual({ ok: true, attempt: 2 });
    flaky = 0;
    const out = await client({}).call({ method: "POST", path: "/flaky", parameters: [], security: [] }, {});
    expect(out).toMatchObject({ error: "HTTP 503", status: 503, retryable: true });
    expect(flaky).toBe(1);
  });

  it("follows a redirect on the same origin and refuses one to another origin, sending nothing there", async () => {
    expect(await client({}).call(get("/redirect-here"), {})).toBe("plain words");
    const out = await client({ key: "k" }).call(get("/redirect-away", { security: [["key"]] }), {});
    expect(out).toMatchObject({ error: "Redirect refused" });
    expect(other.seen).toHaveLength(0);
  });

  it("caps the response size", async () => {
    const c = client({});
    c.limits.maxResponseBytes = 1000;
    expect(await c.call(get("/big"), {})).toMatchObject({ error: "Response too large" });
  });

  it("times out a server that never answers", async () => {
    const c = client({});
    c.limits.attemptTimeoutMs = 300;
    c.limits.deadlineMs = 1000;
    c.limits.retries = 0;
    expect(await c.call(get("/hang"), {})).toMatchObject({ error: "Timeout" });
  });

  it("reports HTML sent as JSON as an invalid response", async () => {
    expect(await client({}).call(get("/html"), {})).toMatchObject({ error: "Invalid response", message: expect.stringContaining("<html>oops</html>") });
  });

  it("refuses arguments that would leave the path, sending nothing", async () => {
    const op = get("/echo/{id}", { parameters: [{ arg: "id", name: "id", in: "path", style: "simple", explode: false }] });
    expect(await client({}).call(op, { id: ".." })).toMatchObject({ error: "Invalid argument", message: expect.stringContaining("'id'") });
    expect(api.seen).toHaveLength(0);
    const ok = (await client({}).call(get("/echo"), {})) as { url: string };
    expect(ok.url).toBe("/v1/echo");
  });

  it("needs an absolute base URL", async () => {
    runtimeState().secrets = [];
    const c = new ApiClient({ name: "rel", servers: [{ url: "/api" }], securitySchemes: {} });
    c.configure();
    expect(await c.call(get("/x"), {})).toMatchObject({ error: "No base URL", fix: expect.stringContaining("base_url") });
  });
});
