import type { ParamDef, TypeDef } from "../project/definitions.js";
import { setOwn } from "../runtime/own.js";
import { pyRepr, pyTruthy, pyType } from "./python-names.js";

/** A validation failure; its message is MXCP's text. */
export class ValidationError extends Error {
  /**
   * Where below the parameter the value failed (`[0].content`); empty at the top. `reason` is the message
   * without it, so an outer level can prefix its own step.
   */
  constructor(
    readonly reason: string,
    readonly path = "",
  ) {
    super(path ? `${path}: ${reason}` : reason);
    this.name = "ValidationError";
  }
}

/** A nested value: its enum checked as the top level's is, and any failure named by where it is. */
function convertAt(value: unknown, schema: TypeDef, step: string): unknown {
  try {
    if (schema.enum && value !== null && value !== undefined && !schema.enum.some((e) => sameValue(e, value))) {
      throw new ValidationError(`Must be one of: ${pyRepr(schema.enum)}`);
    }
    return convertValue(value, schema);
  } catch (e) {
    if (e instanceof ValidationError) throw new ValidationError(e.reason, `${step}${e.path}`);
    throw e;
  }
}

/** `name` as a path step: `.name`, or `["odd name"]` when it is not a plain identifier. */
function propertyStep(name: string): string {
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(name) ? `.${name}` : `[${JSON.stringify(name)}]`;
}

const FORMAT_PATTERNS: Partial<Record<string, RegExp>> = {
  email: /^[^@]+@[^@]+\.[^@]+$/,
  uri: /^[A-Za-z][A-Za-z0-9+.-]*:/,
  duration: /^P(\d+Y)?(\d+M)?(\d+D)?(T(\d+H)?(\d+M)?(\d+S)?)?$/,
};


/**
 * MXCP's `validate_input`: defaults, required, unknown, the raw enum, then conversion.
 * Returns new arguments; the caller's object is not changed.
 */
export function validateInput(params: ParamDef[], args: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(args)) setOwn(out, k, v);
  for (const p of params) {
    if (!Object.hasOwn(out, p.name) && Object.hasOwn(p, "default")) setOwn(out, p.name, p.default);
  }
  for (const p of params) {
    if (!Object.hasOwn(out, p.name)) throw new ValidationError(`Required parameter missing: ${p.name}`);
  }
  const known = new Set(params.map((p) => p.name));
  for (const k of Object.keys(out)) {
    if (!known.has(k)) throw new ValidationError(`Unknown parameter: ${k}`);
  }
  for (const p of params) {
    const raw = out[p.name];
    if (p.enum && raw !== null && raw !== undefined && !p.enum.some((e) => sameValue(e, raw))) {
      throw new ValidationError(`Invalid value for ${p.name}. Must be one of: ${pyRepr(p.enum)}`);
    }
    try {
      setOwn(out, p.name, convertValue(raw, p));
    } catch (e) {
      if (e instanceof ValidationError) throw new ValidationError(`Error validating parameter '${p.name}${e.path}': ${e.reason}`);
      throw e;
    }
  }
  return out;
}

export function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a === "object" && typeof b === "object" && a !== null && b !== null) return JSON.stringify(a) === JSON.stringify(b);
  return false;
}

/** Convert one value to its declared type, as MXCP's converters do. `null` passes for every type. */
export function convertValue(value: unknown, schema: TypeDef): unknown {
  if (value === null || value === undefined) return null;
  switch (schema.type) {
    case "string":
      return convertString(value, schema);
    case "number":
      return checkNumber(toNumber(value, "number"), schema);
    case "integer":
      return checkNumber(toInteger(value), schema);
    case "boolean":
      return typeof value === "string" ? value.toLowerCase() === "true" : pyTruthy(value);
    case "array":
      return convertArray(value, schema);
    case "object":
      return convertObject(value, schema);
  }
}

function convertString(value: unknown, schema: TypeDef): unknown {
  const format = schema.format;
  if (format === "date-time") {
    if (typeof value !== "string") throw new ValidationError(`Expected string, got ${pyType(value)}`);
    return parseDateTime(value);
  }
  if (format === "date") {
    if (typeof value !== "string" || !isValidDate(value)) throw new ValidationError(`Invalid date format: ${String(value)}`);
    return value;
  }
  if (format === "time") {
    if (typeof value !== "string" || !/^([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d+)?$/.test(value)) {
      throw new ValidationError(`Invalid time format: ${String(value)}`);
    }
    return value;
  }
  if (format === "timestamp") {
    const n = typeof value === "number" ? value : typeof value === "string" && value.trim() !== "" ? Number(value) : NaN;
    if (!Number.isFinite(n)) throw new ValidationError(`Invalid timestamp: ${String(value)}`);
    return new Date(n * 1000);
  }
  if (format) {
    const s = String(value);
    if (!FORMAT_PATTERNS[format]!.test(s)) throw new ValidationError(`Invalid ${format} format: ${s}`);
    return s;
  }
  const s = typeof value === "string" ? value : stringify(value);
  if (schema.minLength !== undefined && [...s].length < schema.minLength) {
    throw new ValidationError(`String must be at least ${schema.minLength} characters long`);
  }
  if (schema.maxLength !== undefined && [...s].length > schema.maxLength) {
    throw new ValidationError(`String must be at most ${schema.maxLength} characters long`);
  }
  return s;
}

function stringify(v: unknown): string {
  return typeof v === "object" ? JSON.stringify(v) : String(v);
}

/** ISO 8601 with an optional trailing `Z` or offset, as Python's `fromisoformat` takes it. */
function parseDateTime(s: string): Date {
  const m = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/.exec(s);
  if (!m || !isValidDate(`${m[1]}-${m[2]}-${m[3]}`)) throw new ValidationError(`Invalid date-time format: ${s}`);
  const iso = `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6] ?? "00"}${m[7] ?? ""}${m[8] ?? "Z"}`;
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) throw new ValidationError(`Invalid date-time format: ${s}`);
  return d;
}

function isValidDate(s: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.getUTCFullYear() === Number(m[1]) && d.getUTCMonth() === Number(m[2]) - 1 && d.getUTCDate() === Number(m[3]);
}

const FLOAT_TEXT = /^\s*[+-]?((\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?|inf(inity)?|nan)\s*$/i;

function toNumber(value: unknown, name: "number" | "integer"): number {
  if (typeof value === "boolean") return value ? 1 : 0;
  if (typeof value === "number") return value;
  if (typeof value === "bigint") return Number(value);
  if (typeof value === "string" && FLOAT_TEXT.test(value)) {
    const t = value.trim().toLowerCase().replace(/^\+/, "");
    if (/^-?inf(inity)?$/.test(t)) return t.startsWith("-") ? -Infinity : Infinity;
    return Number(t);
  }
  throw new ValidationError(`Expected ${name}, got ${pyType(value)}`);
}

/** Python's `int()`: floats truncate, strings must be whole numbers. */
function toInteger(value: unknown): number {
  if (typeof value === "string") {
    if (!/^\s*[+-]?\d+\s*$/.test(value)) throw new ValidationError(`Expected integer, got ${pyType(value)}`);
    return Number(value.trim());
  }
  const n = toNumber(value, "integer");
  if (!Number.isFinite(n)) throw new ValidationError(`Expected integer, got ${pyType(value)}`);
  return Math.trunc(n);
}

function checkNumber(n: number, s: TypeDef): number {
  if (s.multipleOf !== undefined && s.multipleOf !== 0) {
    const q = n / s.multipleOf;
    if (Math.abs(q - Math.round(q)) > 1e-9) throw new ValidationError(`Value must be multiple of ${s.multipleOf}`);
  }
  if (s.minimum !== undefined && n < s.minimum) throw new ValidationError(`Value must be >= ${s.minimum}`);
  if (s.maximum !== undefined && n > s.maximum) throw new ValidationError(`Value must be <= ${s.maximum}`);
  if (s.exclusiveMinimum !== undefined && n <= s.exclusiveMinimum) throw new ValidationError(`Value must be > ${s.exclusiveMinimum}`);
  if (s.exclusiveMaximum !== undefined && n >= s.exclusiveMaximum) throw new ValidationError(`Value must be < ${s.exclusiveMaximum}`);
  return n;
}

function convertArray(value: unknown, s: TypeDef): unknown[] {
  let v = value;
  if (typeof v === "string") {
    try {
      v = JSON.parse(v);
    } catch {
      throw new ValidationError(`Invalid JSON array: ${value as string}`);
    }
  }
  if (!Array.isArray(v)) throw new ValidationError(`Expected array, got ${pyType(v)}`);
  if (s.minItems !== undefined && v.length < s.minItems) throw new ValidationError(`Array must have at least ${s.minItems} items`);
  if (s.maxItems !== undefined && v.length > s.maxItems) throw new ValidationError(`Array must have at most ${s.maxItems} items`);
  if (s.uniqueItems) {
    const seen = new Set(v.map((x) => JSON.stringify(x)));
    if (seen.size !== v.length) throw new ValidationError("Array must contain unique items");
  }
  return s.items ? v.map((x, i) => convertAt(x, s.items!, `[${i}]`)) : [...v];
}

function convertObject(value: unknown, s: TypeDef): Record<string, unknown> {
  let v = value;
  if (typeof v === "string") {
    try {
      v = JSON.parse(v);
    } catch {
      throw new ValidationError(`Invalid JSON object: ${value as string}`);
    }
  }
  if (typeof v !== "object" || v === null || Array.isArray(v) || v instanceof Date) {
    throw new ValidationError(`Expected object, got ${pyType(v)}`);
  }
  const obj = v as Record<string, unknown>;
  const missing = (s.required ?? []).filter((k) => !Object.hasOwn(obj, k) || obj[k] === undefined);
  if (missing.length > 0) throw new ValidationError(`Missing required properties: ${missing.join(", ")}`);
  const out: Record<string, unknown> = {};
  const props = s.properties ?? {};
  for (const [k, x] of Object.entries(obj)) {
    if (Object.hasOwn(props, k)) setOwn(out, k, convertAt(x, props[k]!, propertyStep(k)));
    else if (s.additionalProperties === false) throw new ValidationError(`Unexpected property: ${k}`);
    else setOwn(out, k, x);
  }
  return out;
}
