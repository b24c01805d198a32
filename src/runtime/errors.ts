/** What handlers return instead of throwing; the server sends it with `isError: true`. */
export interface ErrorObject {
  error: string;
  message: string;
  type?: string;
  status?: number;
  code?: string | number;
  fix?: string;
  retryable?: boolean;
  [extra: string]: unknown;
}

export function isErrorObject(v: unknown): v is ErrorObject {
  return (
    typeof v === "object" && v !== null && !Array.isArray(v) &&
    typeof (v as Record<string, unknown>).error === "string" &&
    typeof (v as Record<string, unknown>).message === "string"
  );
}

/**
 * Any thrown value as an error object. Keeps `status`, `code` and `type` when the error carries them
 * (HTTP and SDK errors usually do), and never copies other fields, which may hold request headers.
 * Total: a thrown Proxy, a `message` getter that throws, or a revoked object still give an error object.
 */
export function toErrorDict(e: unknown): ErrorObject {
  try {
    return convert(e);
  } catch {
    return { error: "Error", message: "A handler threw a value that cannot be read", type: "unknown" };
  }
}

function convert(e: unknown): ErrorObject {
  if (isErrorObject(e)) return { ...e, error: String(e.error), message: String(e.message) };
  if (e instanceof Error) {
    const read = (k: string): unknown => {
      try {
        return (e as unknown as Record<string, unknown>)[k];
      } catch {
        return undefined;
      }
    };
    const name = read("name");
    const message = read("message");
    const out: ErrorObject = {
      error: typeof name === "string" && name && name !== "Error" ? name : "Error",
      message: typeof message === "string" ? message : "(the error's message cannot be read)",
      type: safeCtorName(e),
    };
    const statusCode = read("statusCode");
    const status = typeof read("status") === "number" ? (read("status") as number) : typeof statusCode === "number" ? statusCode : undefined;
    if (status !== undefined) out.status = status;
    const code = read("code");
    if (typeof code === "string" || typeof code === "number") out.code = code;
    return out;
  }
  return { error: "Error", message: typeof e === "string" ? e : safeString(e), type: typeof e };
}

function safeCtorName(e: object): string {
  try {
    const n = (e.constructor as { name?: unknown } | undefined)?.name;
    return typeof n === "string" ? n : "Error";
  } catch {
    return "Error";
  }
}

function safeString(v: unknown): string {
  try {
    return JSON.stringify(v) ?? String(v);
  } catch {
    try {
      return String(v);
    } catch {
      return "(unreadable value)";
    }
  }
}
