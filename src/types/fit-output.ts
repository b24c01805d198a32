// Real APIs answer a little differently from their documents: Twilio declares `price: number` and sends
// "-0.0025"; a mock serves an object as a JSON string. For tools that call someone else's API, an answer is
// converted where nothing is lost, and what still does not fit is returned as sent, with a note naming the
// field and how it differs, instead of failing the call. `structuredContent` gets the same answer with the
// misfitting values as null (every level of MXCP's output schema accepts null), so it still matches the
// schema the tool declared. Hand-written tools, and every tool under --strict-output, keep MXCP's check.
import type { TypeDef } from "../project/definitions.js";
import { setOwn } from "../runtime/own.js";
import { pyType } from "./python-names.js";
import { ValidationError } from "./validate-input.js";
import { validateOutput } from "./validate-output.js";

export interface FittedOutput {
  /** The answer, with the lossless conversions made and everything else as the API sent it. */
  value: unknown;
  /** The same, with each value that does not fit its declared type as null. */
  structured: unknown;
  /** One line per field that did not fit (array items counted together). */
  misfits: string[];
}

const DECIMAL = /^\s*[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?\s*$/;

export function fitOutput(value: unknown, ret: TypeDef): FittedOutput {
  const found = new Map<string, { message: string; count: number }>();
  const misfit = (path: string, message: string) => {
    const key = `${path}\u0000${message}`;
    const seen = found.get(key);
    if (seen) seen.count++;
    else found.set(key, { message: `${path ? `'${path}'` : "the answer"}: ${message}`, count: 1 });
  };
  const fitted = fit(value, ret, "", misfit);
  const lines = [...found.values()].map((m) => (m.count > 1 ? `${m.message} (${m.count} places)` : m.message));
  // An answer with thousands of odd fields (a hostile or broken API) still gets a note of bounded size.
  const shown = lines.slice(0, MAX_MISFITS);
  if (lines.length > MAX_MISFITS) shown.push(`and ${lines.length - MAX_MISFITS} more field(s)`);
  return { ...fitted, misfits: shown };
}

const MAX_MISFITS = 20;

type Misfit = (path: string, message: string) => void;

function fit(v: unknown, s: TypeDef, path: string, misfit: Misfit): { value: unknown; structured: unknown } {
  if (v === null || v === undefined) return { value: v, structured: v };
  if (s.type === "object" || s.type === "array") {
    const decoded = decodedJson(v, s.type);
    if (s.type === "object") return fitObject(decoded, s, path, misfit);
    if (!Array.isArray(decoded)) {
      misfit(path, `the document declares an array, the API sent ${pyType(decoded)}`);
      return { value: v, structured: null };
    }
    const items = decoded.map((item) => (s.items ? fit(item, s.items, `${path}[]`, misfit) : { value: item, structured: item }));
    const whole = { value: items.map((i) => i.value), structured: items.map((i) => i.structured) };
    return checked(whole, { ...s, items: undefined }, path, misfit);
  }
  const converted = convertScalar(v, s);
  return checked({ value: converted, structured: converted }, s, path, misfit);
}

function fitObject(v: unknown, s: TypeDef, path: string, misfit: Misfit): { value: unknown; structured: unknown } {
  if (typeof v !== "object" || v === null || Array.isArray(v) || v instanceof Date) {
    misfit(path, `the document declares an object, the API sent ${pyType(v)}`);
    return { value: v, structured: null };
  }
  const props = s.properties ?? {};
  const value: Record<string, unknown> = {};
  const structured: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) {
    const at = path ? `${path}.${k}` : k;
    if (Object.hasOwn(props, k)) {
      const r = fit(x, props[k]!, at, misfit);
      setOwn(value, k, r.value);
      setOwn(structured, k, r.structured);
    } else {
      setOwn(value, k, x);
      if (s.additionalProperties === false) misfit(at, "the document allows no such property (left out of structuredContent)");
      else setOwn(structured, k, x);
    }
  }
  for (const k of s.required ?? []) {
    if (Object.hasOwn(v, k)) continue;
    misfit(path ? `${path}.${k}` : k, "the document requires it, the API did not send it");
    setOwn(structured, k, null);
  }
  return { value, structured };
}

/** The container's own rules (lengths) or a scalar's (type, range, format), by MXCP's check. */
function checked(r: { value: unknown; structured: unknown }, s: TypeDef, path: string, misfit: Misfit): { value: unknown; structured: unknown } {
  try {
    validateOutput(r.value, s);
    return r;
  } catch (e) {
    if (!(e instanceof ValidationError)) throw e;
    misfit(path, e.message.replace(/^Output validation failed: /, ""));
    return { value: r.value, structured: null };
  }
}

/** Conversions that lose nothing: a decimal string to a number, "true"/"false" to a boolean, a number to a string. */
function convertScalar(v: unknown, s: TypeDef): unknown {
  if ((s.type === "number" || s.type === "integer") && typeof v === "string" && DECIMAL.test(v)) {
    const n = Number(v);
    if (Number.isFinite(n) && (s.type === "number" || Number.isSafeInteger(n))) return n;
  }
  if (s.type === "boolean" && (v === "true" || v === "false")) return v === "true";
  if (s.type === "string" && (typeof v === "number" || typeof v === "boolean")) return String(v);
  return v;
}

/** A JSON text holding the declared object or array (a mock serving string-typed examples). */
function decodedJson(v: unknown, type: "object" | "array"): unknown {
  if (typeof v !== "string") return v;
  const t = v.trim();
  if (!(type === "object" ? t.startsWith("{") : t.startsWith("["))) return v;
  try {
    const parsed: unknown = JSON.parse(t);
    return type === "object" ? (parsed && typeof parsed === "object" && !Array.isArray(parsed) ? parsed : v) : Array.isArray(parsed) ? parsed : v;
  } catch {
    return v;
  }
}
