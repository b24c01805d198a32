import type { TypeDef } from "../project/definitions.js";
import { pyType } from "./python-names.js";
import { setOwn } from "../runtime/own.js";
import { ValidationError } from "./validate-input.js";

const OUTPUT_FORMATS: Partial<Record<string, RegExp>> = {
  email: /^[^@]+@[^@]+\.[^@]+$/,
  uri: /^[A-Za-z][A-Za-z0-9+.-]*:/,
  duration: /^P(\d+Y)?(\d+M)?(\d+D)?(T(\d+H)?(\d+M)?(\d+S)?)?$/,
};

/**
 * MXCP's reshaping: a list result for a non-array return type becomes its single row,
 * and for a scalar type that row's single column.
 */
export function reshapeResult(result: unknown, ret: TypeDef | undefined): unknown {
  if (!ret || !Array.isArray(result) || ret.type === "array") return result;
  if (result.length === 0) throw new ValidationError("No results returned");
  if (result.length > 1) throw new ValidationError(`Expected single result for return type '${ret.type}', but got ${result.length} results`);
  const row: unknown = result[0];
  if (ret.type === "object") return row;
  if (row !== null && typeof row === "object" && !Array.isArray(row) && !(row instanceof Date)) {
    const values = Object.values(row);
    if (values.length !== 1) throw new ValidationError(`Expected single value for return type '${ret.type}', but got ${values.length} values`);
    return values[0];
  }
  return row;
}

/** MXCP's `validate_output`, with failures prefixed `Output validation failed: `. */
export function validateOutput(value: unknown, ret: TypeDef): void {
  try {
    checkOutput(value, ret);
  } catch (e) {
    if (e instanceof ValidationError) throw new ValidationError(`Output validation failed: ${e.message}`);
    throw e;
  }
}

function checkOutput(v: unknown, s: TypeDef): void {
  if (v === null || v === undefined) return;
  switch (s.type) {
    case "string": {
      if (v instanceof Date) return;
      if (typeof v !== "string") throw new ValidationError(`Expected string, got ${pyType(v)}`);
      const pattern = s.format ? OUTPUT_FORMATS[s.format] : undefined;
      if (pattern && !pattern.test(v)) throw new ValidationError(`Invalid ${s.format} format: ${v}`);
      if (s.minLength !== undefined && [...v].length < s.minLength) throw new ValidationError(`String must be at least ${s.minLength} characters long`);
      if (s.maxLength !== undefined && [...v].length > s.maxLength) throw new ValidationError(`String must be at most ${s.maxLength} characters long`);
      return;
    }
    case "number":
    case "integer": {
      if (typeof v !== "number" || (s.type === "integer" && !Number.isInteger(v))) {
        throw new ValidationError(`Expected ${s.type}, got ${pyType(v)}`);
      }
      if (s.minimum !== undefined && v < s.minimum) throw new ValidationError(`Value must be >= ${s.minimum}`);
      if (s.maximum !== undefined && v > s.maximum) throw new ValidationError(`Value must be <= ${s.maximum}`);
      return;
    }
    case "boolean":
      if (typeof v !== "boolean") throw new ValidationError(`Expected boolean, got ${pyType(v)}`);
      return;
    case "array": {
      if (!Array.isArray(v)) throw new ValidationError(`Expected array, got ${pyType(v)}`);
      if (s.minItems !== undefined && v.length < s.minItems) throw new ValidationError(`Array must have at least ${s.minItems} items`);
      if (s.maxItems !== undefined && v.length > s.maxItems) throw new ValidationError(`Array must have at most ${s.maxItems} items`);
      if (s.items) {
        v.forEach((item, i) => {
          try {
            checkOutput(item, s.items!);
          } catch (e) {
            if (e instanceof ValidationError) throw new ValidationError(`Array item ${i}: ${e.message}`);
            throw e;
          }
        });
      }
      return;
    }
    case "object": {
      if (typeof v !== "object" || Array.isArray(v) || v instanceof Date) throw new ValidationError(`Expected object, got ${pyType(v)}`);
      const obj = v as Record<string, unknown>;
      const missing = (s.required ?? []).filter((k) => !Object.hasOwn(obj, k));
      if (missing.length > 0) throw new ValidationError(`Missing required properties: ${missing.join(", ")}`);
      const props = s.properties ?? {};
      for (const [k, x] of Object.entries(obj)) {
        if (Object.hasOwn(props, k)) {
          try {
            checkOutput(x, props[k]!);
          } catch (e) {
            if (e instanceof ValidationError) throw new ValidationError(`Property '${k}': ${e.message}`);
            throw e;
          }
        } else if (s.additionalProperties === false) {
          throw new ValidationError(`Unexpected property: ${k}`);
        }
      }
      return;
    }
  }
}

/** Make a result JSON-safe: dates as ISO strings, bigints as numbers (strings beyond 2^53), bytes as base64, NaN as null. */
export function toJsonSafe(v: unknown): unknown {
  if (v === null || v === undefined) return null;
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? null : v.toISOString();
  if (typeof v === "bigint") return Number.isSafeInteger(Number(v)) ? Number(v) : v.toString();
  if (typeof v === "number") return Number.isFinite(v) ? v : null;
  if (v instanceof Uint8Array) return Buffer.from(v).toString("base64");
  if (Array.isArray(v)) return v.map(toJsonSafe);
  if (typeof v === "object") {
    const maybe = v as { toJSON?: () => unknown };
    if (typeof maybe.toJSON === "function") return toJsonSafe(maybe.toJSON());
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) setOwn(out, k, toJsonSafe(x));
    return out;
  }
  return v;
}
