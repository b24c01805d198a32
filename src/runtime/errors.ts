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
 */
export function toErrorDict(e: unknown): ErrorObject {
  if (isErrorObject(e)) return e;
  if (e instanceof Error) {
    const out: ErrorObject = { error: e.name && e.name !== "Error" ? e.name : "Error", message: e.message, type: e.constructor?.name ?? "Error" };
    const x = e as unknown as Record<string, unknown>;
    const status = typeof x.status === "number" ? x.status : typeof x.statusCode === "number" ? x.statusCode : undefined;
    if (status !== undefined) out.status = status;
    if (typeof x.code === "string" || typeof x.code === "number") out.code = x.code;
    return out;
  }
  return { error: "Error", message: typeof e === "string" ? e : safeString(e), type: typeof e };
}

function safeString(v: unknown): string {
  try {
    return JSON.stringify(v) ?? String(v);
  } catch {
    return String(v);
  }
}
