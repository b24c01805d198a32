// One HTTP request and its answer, on node:http with connections kept alive per origin. This replaces the global
// fetch under generated clients because fetch's WHATWG streams, AbortSignal and Request/Response objects cost
// about 0.25 ms of CPU per call on a small answer: more than the rest of a tool call. What fetch did for us is
// kept: the same request headers on the wire, bodies of every kind fetch accepts, gzip/deflate/br answers
// decoded, no redirect followed (the transport decides), one time limit over the whole exchange.
import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from "node:http";
import { Agent as HttpsAgent, request as httpsRequest } from "node:https";
import type { Readable } from "node:stream";
import { readCapped } from "./capped-read.js";
import { createBrotliDecompress, createGunzip, createInflate } from "node:zlib";

export type RequestBody = string | Uint8Array | ArrayBuffer | Blob | FormData | URLSearchParams;

/** An answer whose body is still to be read. */
export interface UpstreamResponse {
  readonly status: number;
  readonly statusText: string;
  readonly ok: boolean;
  readonly headers: { get(name: string): string | null };
  /** The body's bytes after decoding; undefined as soon as they pass `max` (the rest is not read). */
  read(max: number): Promise<Uint8Array | undefined>;
  /** Drop the body unread (and the connection with it). */
  discard(): void;
}

// Kept-alive connections: a second call to an API skips the TCP (and TLS) handshake. Node's agent closes an idle
// connection a second before the server's Keep-Alive hint says the server would.
const agents = { http: new HttpAgent({ keepAlive: true, scheduling: "lifo" }), https: new HttpsAgent({ keepAlive: true, scheduling: "lifo" }) };

// What fetch put on every request, so an API sees the same request as before (GitHub refuses one without a
// User-Agent).
const DEFAULT_HEADERS: [string, string][] = [
  ["accept-language", "*"],
  ["user-agent", "node"],
  ["accept-encoding", "gzip, deflate"],
];

/** Send one request; resolves when the answer's head arrives. Fails with a `TimeoutError` past `timeoutMs`, reading the body included. */
export async function exchange(method: string, url: URL, headers: Headers, body: RequestBody | undefined, timeoutMs: number): Promise<UpstreamResponse> {
  const outgoing: Record<string, string> = {};
  for (const [name, value] of headers) outgoing[name] = value;
  for (const [name, value] of DEFAULT_HEADERS) outgoing[name] ??= value;
  const bytes = body === undefined ? undefined : await encodeBody(body, outgoing);
  if (bytes) outgoing["content-length"] = String(bytes.byteLength);
  return send(method, url, outgoing, bytes, timeoutMs);
}

function timeoutError(): Error {
  const err = new Error("The operation was aborted due to timeout");
  err.name = "TimeoutError";
  return err;
}

function send(method: string, url: URL, headers: Record<string, string>, body: Uint8Array | undefined, timeoutMs: number): Promise<UpstreamResponse> {
  const secure = url.protocol === "https:";
  return new Promise((resolve, reject) => {
    // A request is never resent here, not even on a kept-alive connection the server closed as it was reused:
    // the transport alone decides what may be sent twice.
    const req = (secure ? httpsRequest : httpRequest)(url, { method, headers, agent: secure ? agents.https : agents.http });
    const clock = { timedOut: false, timer: undefined as NodeJS.Timeout | undefined };
    clock.timer = setTimeout(() => {
      clock.timedOut = true;
      req.destroy(timeoutError());
    }, timeoutMs);
    const done = () => clearTimeout(clock.timer);
    let answered = false;
    req.on("error", (e) => {
      done();
      if (!answered) reject(clock.timedOut ? timeoutError() : e);
    });
    req.on("response", (res) => {
      answered = true;
      resolve(upstreamResponse(res, done, clock));
    });
    req.end(body);
  });
}

function upstreamResponse(res: IncomingMessage, done: () => void, clock: { timedOut: boolean }): UpstreamResponse {
  const status = res.statusCode ?? 0;
  return {
    status,
    statusText: res.statusMessage ?? "",
    ok: status >= 200 && status < 300,
    headers: {
      get(name: string): string | null {
        const v = res.headers[name.toLowerCase()];
        return v === undefined ? null : Array.isArray(v) ? v.join(", ") : v;
      },
    },
    read(max: number): Promise<Uint8Array | undefined> {
      return readCapped(decoded(res), max).then(
        (bytes) => {
          done();
          return bytes;
        },
        (e: unknown) => {
          done();
          // The time limit cut the body off: say so, not how the cut connection looked.
          throw clock.timedOut ? timeoutError() : e;
        },
      );
    },
    discard(): void {
      done();
      res.destroy();
    },
  };
}

/** The body as sent, decoded from each `Content-Encoding` in turn, as fetch does. */
function decoded(res: IncomingMessage): Readable {
  const codings = (res.headers["content-encoding"] ?? "")
    .toLowerCase()
    .split(",")
    .map((c) => c.trim())
    .filter((c) => c && c !== "identity")
    .reverse();
  let stream: Readable = res;
  for (const coding of codings) {
    const decoder = coding === "gzip" || coding === "x-gzip" ? createGunzip() : coding === "deflate" ? createInflate() : coding === "br" ? createBrotliDecompress() : undefined;
    if (!decoder) break; // an unknown coding: the bytes are given as they came, as fetch does
    const from: Readable = stream;
    from.on("error", (e) => decoder.destroy(e));
    stream = from.pipe(decoder);
  }
  return stream;
}

/** Bytes to send, setting the Content-Type fetch would have set for this kind of body when none is given. */
async function encodeBody(body: RequestBody, headers: Record<string, string>): Promise<Uint8Array> {
  if (typeof body === "string") {
    headers["content-type"] ??= "text/plain;charset=UTF-8";
    return Buffer.from(body, "utf8");
  }
  if (body instanceof Uint8Array) return body;
  if (body instanceof ArrayBuffer) return new Uint8Array(body);
  // FormData (its multipart boundary), URLSearchParams and Blob: encoded as fetch encodes them.
  const encoded = new Response(body);
  const type = encoded.headers.get("content-type");
  if (type) headers["content-type"] ??= type;
  return new Uint8Array(await encoded.arrayBuffer());
}
