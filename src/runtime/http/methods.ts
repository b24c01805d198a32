// The HTTP methods an operation may use and what each promises (RFC 9110 §9.2.1, §9.2.2): one list for the
// generator (which keys of a path item are operations, which operations are reads) and the runtime (what may
// be retried, what may be cached, what a write must drop from the cache).

export const HTTP_METHODS = ["GET", "PUT", "POST", "DELETE", "OPTIONS", "HEAD", "PATCH", "TRACE"] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];

/** Safe: asking changes nothing on the server. */
export function isSafeMethod(method: string): boolean {
  return SAFE.has(method.toUpperCase());
}

/** Idempotent: sending it twice does what sending it once does, so a lost answer may be retried. */
export function isIdempotentMethod(method: string): boolean {
  return isSafeMethod(method) || IDEMPOTENT_WRITES.has(method.toUpperCase());
}

/** A read whose answer may be kept and given again. */
export function isCacheableMethod(method: string): boolean {
  return CACHEABLE.has(method.toUpperCase());
}

const SAFE = new Set(["GET", "HEAD", "OPTIONS", "TRACE"]);
const IDEMPOTENT_WRITES = new Set(["PUT", "DELETE"]);
const CACHEABLE = new Set(["GET", "HEAD"]);
