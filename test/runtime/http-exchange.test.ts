// The HTTP exchange under generated clients (node:http, connections kept alive) in place of fetch: what an API
// sees on the wire stays what fetch sent, answers decode as fetch decoded them, and keeping connections alive
// neither resends a request nor mixes one origin's connection into another's.
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { brotliCompressSync, deflateSync, gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { exchange } from "../../src/runtime/http/exchange.js";
import { ApiClient } from "../../src/runtime/http/client.js";
import { runtimeState } from "../../src/runtime/state.js";

interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage["headers"];
  body: string;
  socket: string;
}

const BODY = JSON.stringify({ id: 7, name: "rex" });
let server: Server;
let base: string;
const seen: Seen[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      seen.push({ method: req.method!, url: req.url!, headers: req.headers, body: Buffer.concat(chunks).toString(), socket: `${req.socket.remotePort}` });
      const coding = req.url!.slice(1);
      const encoded = coding === "gzip" ? gzipSync(BODY) : coding === "deflate" ? deflateSync(BODY) : coding === "br" ? brotliCompressSync(BODY) : Buffer.from(BODY);
      res.writeHead(200, { "content-type": "application/json", ...(["gzip", "deflate", "br"].includes(coding) ? { "content-encoding": coding } : {}) });
      res.end(encoded);
      // The server drops this connection a moment after answering, as a server does when its idle time is up.
      if (coding === "closing") setTimeout(() => req.socket.destroy(), 50);
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => {
  server.closeAllConnections();
  server.close();
});

async function text(path: string, init: { method?: string; body?: Parameters<typeof exchange>[3]; headers?: Headers } = {}): Promise<string> {
  const r = await exchange(init.method ?? "GET", new URL(path, base), init.headers ?? new Headers(), init.body, 5_000);
  return new TextDecoder().decode(await r.read(1024 * 1024));
}

describe("the HTTP exchange", () => {
  it("decodes gzip, deflate and br answers as fetch did", async () => {
    for (const coding of ["gzip", "deflate", "br", "plain"]) expect(await text(`/${coding}`)).toBe(BODY);
  });

  it("sends the headers fetch sent (a User-Agent: some APIs refuse a request without one), and the caller's win", async () => {
    seen.length = 0;
    await text("/plain");
    expect(seen[0]!.headers).toMatchObject({ "user-agent": "node", "accept-language": "*", "accept-encoding": "gzip, deflate" });
    await text("/plain", { headers: new Headers({ "User-Agent": "my-app/1", accept: "application/json" }) });
    expect(seen[1]!.headers).toMatchObject({ "user-agent": "my-app/1", accept: "application/json" });
  });

  it("encodes each kind of body with the Content-Type fetch gave it", async () => {
    seen.length = 0;
    await text("/plain", { method: "POST", body: "hello" });
    await text("/plain", { method: "POST", body: new URLSearchParams({ a: "1", b: "x y" }) });
    const form = new FormData();
    form.append("file", new Blob([Buffer.from("bytes")], { type: "image/png" }), "a.png");
    await text("/plain", { method: "POST", body: form });
    await text("/plain", { method: "PUT", body: new Uint8Array([1, 2, 3]), headers: new Headers({ "content-type": "application/octet-stream" }) });
    expect(seen.map((s) => [s.headers["content-type"], s.headers["content-length"]])).toEqual([
      ["text/plain;charset=UTF-8", "5"],
      ["application/x-www-form-urlencoded;charset=UTF-8", "9"],
      [expect.stringMatching(/^multipart\/form-data; boundary=/), String(Buffer.byteLength(seen[2]!.body))],
      ["application/octet-stream", "3"],
    ]);
    expect(seen[1]!.body).toBe("a=1&b=x+y");
    expect(seen[2]!.body).toContain('filename="a.png"');
  });

  it("keeps one connection alive across calls, and opens a new one after the server closed the idle one", async () => {
    seen.length = 0;
    await text("/plain");
    await text("/plain");
    expect(seen[1]!.socket).toBe(seen[0]!.socket);
    // The server closes the idle connection: the next call must not fail on the closed one.
    await text("/closing");
    expect(seen[2]!.socket).toBe(seen[0]!.socket);
    await new Promise((r) => setTimeout(r, 200));
    expect(await text("/plain")).toBe(BODY);
    expect(seen[3]!.socket).not.toBe(seen[0]!.socket);
  });

  it("a client of one API never sends on another origin's connection, and each request is sent once", async () => {
    const other = createServer((req, res) => {
      seen.push({ method: req.method!, url: req.url!, headers: req.headers, body: "", socket: `other:${req.socket.remotePort}` });
      res.writeHead(200, { "content-type": "application/json" }).end("{}");
    });
    await new Promise<void>((r) => other.listen(0, "127.0.0.1", r));
    try {
      seen.length = 0;
      runtimeState().secrets = [
        { name: "one", type: "api", parameters: { base_url: base } },
        { name: "two", type: "api", parameters: { base_url: `http://127.0.0.1:${(other.address() as AddressInfo).port}` } },
      ];
      const one = new ApiClient({ name: "one", servers: [], securitySchemes: {} });
      const two = new ApiClient({ name: "two", servers: [], securitySchemes: {} });
      one.configure();
      two.configure();
      const op = { method: "POST" as const, path: "/plain", parameters: [], security: [] };
      await Promise.all([one.call(op, {}), two.call(op, {}), one.call(op, {}), two.call(op, {})]);
      expect(seen.filter((s) => s.socket.startsWith("other:"))).toHaveLength(2);
      expect(seen.filter((s) => !s.socket.startsWith("other:"))).toHaveLength(2);
    } finally {
      other.closeAllConnections();
      other.close();
    }
  });
});
