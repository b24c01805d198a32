// The HTTP exchange under every generated client: one request with retries (idempotent ones, with backoff or
// Retry-After, within a deadline), redirects followed only within the configured origin, bodies read under a
// cap, answers decoded by media type, and failures turned into error objects.
import { markBinary } from "../content.js";
import { STATUS_CODES } from "node:http";
import { runtimeState } from "../state.js";
import type { ErrorObject } from "../errors.js";
import { CallFailure } from "./call-failure.js";
import { exchange, type RequestBody, type UpstreamResponse } from "./exchange.js";
import { isJsonMediaType, isTextMediaType } from "./media-types.js";

export interface ClientLimits {
  /** One attempt's time limit. */
  attemptTimeoutMs: number;
  /** All attempts together, retries and waits included (under an MCP client's usual 60 s). */
  deadlineMs: number;
  /** Retries after the first attempt, for idempotent requests. */
  retries: number;
  /** Largest response body kept, counted after decompression. */
  maxResponseBytes: number;
  /** Longest error body put in an error object. */
  maxErrorBodyChars: number;
  maxRedirects: number;
}

export const DEFAULT_LIMITS: ClientLimits = {
  attemptTimeoutMs: 30_000,
  deadlineMs: 50_000,
  retries: 2,
  maxResponseBytes: 10 * 1024 * 1024,
  maxErrorBodyChars: 2_000,
  maxRedirects: 5,
};

/** A binary response, as tools return it. */
export interface BinaryResult {
  content_type: string;
  size: number;
  content_base64: string;
}

export type { RequestBody } from "./exchange.js";

const RETRY_STATUS = new Set([408, 429, 502, 503, 504]);
const REDIRECTS = new Set([301, 302, 303, 307, 308]);

export class HttpTransport {
  constructor(
    private readonly limits: () => ClientLimits,
    /** Removes every secret value from text that leaves the process. */
    private readonly redact: (text: string) => string,
    /** Told each attempt's HTTP status (0 when there was no answer). */
    private readonly onStatus: (status: number) => void = () => {},
  ) {}

  async withRetries(
    method: string,
    url: URL,
    headers: Headers,
    body: RequestBody | undefined,
    retryable: boolean,
    base: URL,
    hooks: { onBody?: (response: UpstreamResponse, bytes: Uint8Array) => Promise<void>; notModified?: ((response: UpstreamResponse) => Promise<unknown>) | undefined } = {},
  ): Promise<unknown> {
    const deadline = Date.now() + this.limits().deadlineMs;
    // One computed delay, used once: whether to retry and how long to wait are the same draw.
    const backOff = async (attempt: number, retryAfter?: string | null): Promise<boolean> => {
      if (!retryable || attempt >= this.limits().retries) return false;
      const delay = this.wait(attempt, retryAfter, deadline);
      if (delay === undefined) return false;
      await sleep(delay);
      return true;
    };
    for (let attempt = 0; ; attempt++) {
      const left = deadline - Date.now();
      let response: UpstreamResponse;
      try {
        response = await this.fetchFollowing(method, url, headers, body, Math.min(this.limits().attemptTimeoutMs, left), base);
        this.onStatus(response.status);
      } catch (e) {
        if (e instanceof CallFailure) throw e;
        this.onStatus(0);
        const timedOut = (e as Error)?.name === "TimeoutError" || (e as Error)?.name === "AbortError";
        // Only a request refused before it was sent is surely not applied; a non-idempotent one that may
        // have reached the server must not invite the model to send it again.
        const neverSent = NEVER_SENT.test(causeOf(e));
        const failure: ErrorObject = {
          error: timedOut ? "Timeout" : "Connection failed",
          message: `${method} ${url.origin}${url.pathname} ${timedOut ? "timed out" : `failed: ${causeOf(e)}`}`,
          retryable: true,
        };
        if (!retryable && !neverSent) outcomeUnknown(failure);
        if (await backOff(attempt)) continue;
        throw new CallFailure(failure);
      }
      if (response.ok) {
        try {
          return await this.readSuccess(response, method, hooks.onBody);
        } catch (e) {
          if (e instanceof CallFailure) throw e;
          const name = (e as Error)?.name;
          const failure: ErrorObject =
            name === "TimeoutError" || name === "AbortError"
              ? { error: "Timeout", message: `${method} ${url.origin}${url.pathname} timed out while reading the response`, retryable: true }
              : { error: "Connection failed", message: `${method} ${url.origin}${url.pathname} failed while reading the response: ${causeOf(e)}`, retryable: true };
          if (!retryable) outcomeUnknown(failure); // the server answered: it did the work
          // A safe request cut off mid-body is asked again, as its error's `retryable: true` says it may be.
          if (await backOff(attempt)) continue;
          throw new CallFailure(failure);
        }
      }
      if (response.status === 304 && hooks.notModified) {
        response.discard();
        return await hooks.notModified(response);
      }
      const retryAfter = response.headers.get("retry-after");
      if (RETRY_STATUS.has(response.status)) {
        const delay = retryable && attempt < this.limits().retries ? this.wait(attempt, retryAfter, deadline) : undefined;
        if (delay !== undefined) {
          response.discard();
          await sleep(delay);
          continue;
        }
      }
      throw new CallFailure(await this.errorObject(response, method, url));
    }
  }

  /** Backoff 0.5 s · 2^n (±25%), or Retry-After; undefined when the wait would pass the deadline. */
  private wait(attempt: number, retryAfter: string | null | undefined, deadline: number): number | undefined {
    let delay = 500 * 2 ** attempt * (0.75 + Math.random() * 0.5);
    if (retryAfter) {
      const secs = Number(retryAfter);
      const at = Number.isFinite(secs) ? Date.now() + secs * 1000 : Date.parse(retryAfter);
      if (!Number.isNaN(at)) delay = Math.max(0, at - Date.now());
    }
    delay = Math.min(delay, retryAfter ? Infinity : 8_000);
    return Date.now() + delay < deadline - 100 ? delay : undefined;
  }

  /** Follow redirects only within the configured origin; a redirect elsewhere is an error (credentials never follow). */
  private async fetchFollowing(method: string, url: URL, headers: Headers, body: RequestBody | undefined, timeoutMs: number, base: URL): Promise<UpstreamResponse> {
    let current = url;
    let currentMethod = method;
    let currentBody = body;
    for (let hop = 0; ; hop++) {
      const response = await exchange(currentMethod, current, headers, currentBody, timeoutMs);
      if (!REDIRECTS.has(response.status)) return response;
      const location = response.headers.get("location");
      response.discard();
      if (!location) return response;
      const next = new URL(location, current);
      if (next.origin !== base.origin) {
        throw new CallFailure({ error: "Redirect refused", message: `The server redirected to another origin (${next.origin}); not followed`, status: response.status });
      }
      if (hop >= this.limits().maxRedirects) throw new CallFailure({ error: "Too many redirects", message: `More than ${this.limits().maxRedirects} redirects` });
      if (response.status === 303 || ((response.status === 301 || response.status === 302) && currentMethod === "POST")) {
        currentMethod = "GET";
        currentBody = undefined;
      }
      current = next;
    }
  }

  private async readBody(response: UpstreamResponse): Promise<Uint8Array> {
    const declared = Number(response.headers.get("content-length"));
    if (declared > this.limits().maxResponseBytes) {
      response.discard();
      throw new CallFailure({ error: "Response too large", message: `The response is ${declared} bytes, over the limit of ${this.limits().maxResponseBytes}` });
    }
    const bytes = await response.read(this.limits().maxResponseBytes);
    if (!bytes) throw new CallFailure({ error: "Response too large", message: `The response is over the limit of ${this.limits().maxResponseBytes} bytes` });
    return bytes;
  }

  private async readSuccess(response: UpstreamResponse, method: string, onBody?: (response: UpstreamResponse, bytes: Uint8Array) => Promise<void>): Promise<unknown> {
    const bytes = await this.readBody(response);
    const value = this.decode(bytes, response.headers.get("content-type") ?? "", response.status, method);
    // Kept only once it decoded: an answer that is not what it says it is never enters the cache.
    if (onBody) {
      try {
        await onBody(response, bytes);
      } catch (e) {
        runtimeState().log("warning", `could not keep the answer in the cache: ${(e as Error).message}`);
      }
    }
    return value;
  }

  decode(bytes: Uint8Array, type: string, status: number, method: string): unknown {
    if (status === 204 || status === 205 || method === "HEAD" || bytes.byteLength === 0) return null;
    if (isJsonMediaType(type)) {
      const text = new TextDecoder().decode(bytes);
      try {
        return JSON.parse(text) as unknown;
      } catch {
        throw new CallFailure({ error: "Invalid response", message: `The server sent invalid JSON: ${this.snippet(text)}`, status });
      }
    }
    if (isTextMediaType(type)) return new TextDecoder().decode(bytes);
    const result: BinaryResult = { content_type: type || "application/octet-stream", size: bytes.byteLength, content_base64: Buffer.from(bytes).toString("base64") };
    // Marked, so an image or audio answer reaches an MCP client as an image or audio block.
    return markBinary(result);
  }

  private async errorObject(response: UpstreamResponse, method: string, url: URL): Promise<ErrorObject> {
    let bodyText = "";
    try {
      const bytes = await this.readBody(response);
      bodyText = new TextDecoder().decode(bytes);
    } catch {
      bodyText = "(body over the size limit)";
    }
    const type = response.headers.get("content-type") ?? "";
    let body: unknown = this.snippet(bodyText);
    if (isJsonMediaType(type)) {
      try {
        body = JSON.parse(this.redact(bodyText)) as unknown;
        if (JSON.stringify(body).length > this.limits().maxErrorBodyChars) body = this.snippet(bodyText);
      } catch {
        // keep the text
      }
    }
    const reason = response.statusText || statusText(response.status);
    const detail = typeof body === "string" ? body : messageFrom(body);
    const out: ErrorObject = {
      error: `HTTP ${response.status}`,
      message: `${method} ${url.pathname} returned ${response.status} ${reason}${detail ? `: ${detail}` : ""}`,
      status: response.status,
      type: "http_error",
      retryable: RETRY_STATUS.has(response.status),
    };
    if (bodyText) out.body = body;
    return out;
  }

  private snippet(text: string): string {
    const clean = this.redact(text).trim();
    const max = this.limits().maxErrorBodyChars;
    return clean.length > max ? `${clean.slice(0, max)}… (${clean.length - max} more characters)` : clean;
  }

}

// Causes that mean the request never left this machine (nothing was applied upstream).
const NEVER_SENT = /ECONNREFUSED|ENOTFOUND|EAI_AGAIN|EHOSTUNREACH|ENETUNREACH|ERR_INVALID_URL/;

function outcomeUnknown(failure: ErrorObject): void {
  failure.retryable = false;
  failure.message += ". The request may have been applied: its outcome is unknown, so check before sending it again";
}

function messageFrom(body: unknown): string {
  if (body && typeof body === "object") {
    const b = body as Record<string, unknown>;
    const nested = b.error && typeof b.error === "object" ? (b.error as Record<string, unknown>) : undefined;
    for (const v of [b.message, nested?.message, b.error_description, b.detail, b.error, b.title]) if (typeof v === "string" && v) return v;
  }
  return "";
}

function causeOf(e: unknown): string {
  const err = e as { code?: string; cause?: { code?: string; message?: string }; message?: string };
  return err?.code ?? err?.cause?.code ?? err?.cause?.message ?? err?.message ?? String(e);
}

function statusText(status: number): string {
  return STATUS_CODES[status] ?? "Error";
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
