// Parameter and body serialization exactly as OpenAPI 3 defines it (style and explode per location).
import type { BodyEncoding, HttpParameter, ParameterStyle } from "./types.js";

export class ArgumentError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ArgumentError";
  }
}

type Pair = [string, string];

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === "object" && !Array.isArray(v) && !(v instanceof Date);
}

/** The text of a scalar value on the wire. */
export function scalarText(v: unknown): string {
  if (v instanceof Date) return v.toISOString();
  if (typeof v === "object" && v !== null) return JSON.stringify(v);
  return String(v);
}

const encodeStrict = (s: string) => encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
// allowReserved keeps RFC 3986 reserved characters as they are.
const encodeReserved = (s: string) => encodeURI(s).replace(/[#?&=+]/g, (c) => encodeURIComponent(c)).replace(/%25([0-9A-Fa-f]{2})/g, "%$1");

/** A path parameter's text: simple, label or matrix. Refuses values that would change the path. */
export function serializePath(p: HttpParameter, value: unknown): string {
  const enc = (s: string) => {
    if (s === "." || s === ".." || s === "") throw new ArgumentError(`Invalid value for path parameter '${p.arg}': '${s}' would change the request path`);
    return encodeStrict(s);
  };
  const v = p.json ? JSON.stringify(value) : value;
  if ((Array.isArray(v) && v.length === 0) || (isObject(v) && Object.values(v).every((x) => x === null || x === undefined))) {
    throw new ArgumentError(`Invalid value for path parameter '${p.arg}': an empty ${Array.isArray(v) ? "list" : "object"} would change the request path`);
  }
  const prefix = p.style === "label" ? "." : p.style === "matrix" ? `;${encodeStrict(p.name)}=` : "";
  if (Array.isArray(v)) {
    const items = v.map((x) => enc(scalarText(x)));
    if (p.style === "label") return "." + items.join(p.explode ? "." : ",");
    if (p.style === "matrix") return p.explode ? items.map((i) => `;${encodeStrict(p.name)}=${i}`).join("") : `${prefix}${items.join(",")}`;
    return items.join(",");
  }
  if (isObject(v)) {
    const entries = Object.entries(v).filter(([, x]) => x !== null && x !== undefined);
    if (p.explode) {
      const parts = entries.map(([k, x]) => `${enc(k)}=${enc(scalarText(x))}`);
      if (p.style === "label") return "." + parts.join(".");
      if (p.style === "matrix") return parts.map((x) => `;${x}`).join("");
      return parts.join(",");
    }
    return prefix + entries.flatMap(([k, x]) => [enc(k), enc(scalarText(x))]).join(",");
  }
  return prefix + enc(scalarText(v));
}

/** Query pairs (already percent-encoded) for one parameter: form, spaceDelimited, pipeDelimited, deepObject. */
export function serializeQuery(p: HttpParameter, value: unknown): string[] {
  const enc = p.allowReserved ? encodeReserved : encodeStrict;
  const name = encodeStrict(p.name);
  const v = p.json ? JSON.stringify(value) : value;
  if (p.style === "deepObject") {
    // Arrays, and arrays or objects inside, take the indexed bracket form (Stripe's `expand[0]=…`), never JSON.
    if (!isObject(v) && !Array.isArray(v)) return [`${name}=${enc(scalarText(v))}`];
    return deepPairs(p.name, v).map(([k, x]) => `${encodeStrict(k).replace(/%5B/g, "[").replace(/%5D/g, "]")}=${enc(x)}`);
  }
  const delimiter = p.tabDelimited ? "%09" : p.style === "spaceDelimited" ? "%20" : p.style === "pipeDelimited" ? "|" : ",";
  if (Array.isArray(v)) {
    const items = v.filter((x) => x !== null && x !== undefined).map((x) => enc(scalarText(x)));
    if (p.explode) return items.map((i) => `${name}=${i}`);
    return [`${name}=${items.join(delimiter)}`];
  }
  if (isObject(v)) {
    const entries = Object.entries(v).filter(([, x]) => x !== null && x !== undefined);
    if (p.explode && p.style === "form") return entries.map(([k, x]) => `${encodeStrict(k)}=${enc(scalarText(x))}`);
    return [`${name}=${entries.flatMap(([k, x]) => [enc(k), enc(scalarText(x))]).join(delimiter)}`];
  }
  return [`${name}=${enc(scalarText(v))}`];
}

/** Nested keys as `name[a][b]` (arrays as `name[a][0]`), the form used by deepObject and form APIs such as Stripe. */
export function deepPairs(prefix: string, value: unknown): Pair[] {
  if (value === null || value === undefined) return [];
  if (Array.isArray(value)) return value.flatMap((x, i) => deepPairs(`${prefix}[${i}]`, x));
  if (isObject(value)) return Object.entries(value).flatMap(([k, x]) => deepPairs(`${prefix}[${k}]`, x));
  return [[prefix, scalarText(value)]];
}

/** A header value (style simple); refuses CR, LF and NUL, which would split or end the header. */
export function serializeHeader(p: HttpParameter, value: unknown): string {
  const v = p.json ? JSON.stringify(value) : value;
  let text: string;
  if (Array.isArray(v)) text = v.map(scalarText).join(",");
  else if (isObject(v)) {
    const entries = Object.entries(v).filter(([, x]) => x !== null && x !== undefined);
    text = p.explode ? entries.map(([k, x]) => `${k}=${scalarText(x)}`).join(",") : entries.flatMap(([k, x]) => [k, scalarText(x)]).join(",");
  } else text = scalarText(v);
  if (/[\r\n\0]/.test(text)) throw new ArgumentError(`Invalid value for header parameter '${p.arg}': line breaks are not allowed`);
  return text;
}

/** A cookie pair (style form); values are percent-encoded so `;` and `,` cannot start another cookie. */
export function serializeCookie(p: HttpParameter, value: unknown): string {
  const v = p.json ? JSON.stringify(value) : value;
  if (Array.isArray(v)) return `${p.name}=${v.map((x) => encodeStrict(scalarText(x))).join(",")}`;
  if (isObject(v)) return `${p.name}=${Object.entries(v).flatMap(([k, x]) => [encodeStrict(k), encodeStrict(scalarText(x))]).join(",")}`;
  return `${p.name}=${encodeStrict(scalarText(v))}`;
}

/**
 * `application/x-www-form-urlencoded`: each property by its `encoding` (style/explode) when the document
 * gives one; otherwise scalars as `k=v`, arrays as repeated keys (form, explode) and objects as `k[a]=b`.
 */
export function formUrlEncoded(body: Record<string, unknown>, encoding: Record<string, BodyEncoding> = {}): string {
  const parts: string[] = [];
  for (const [name, value] of Object.entries(body)) {
    if (value === null || value === undefined) continue;
    const enc = encoding[name];
    if (enc?.contentType && /json/.test(enc.contentType)) {
      parts.push(`${formEncode(name)}=${formEncode(JSON.stringify(value))}`);
      continue;
    }
    const nested = isObject(value) || (Array.isArray(value) && value.some((x) => isObject(x) || Array.isArray(x)));
    const style: ParameterStyle = enc?.style ?? (nested ? "deepObject" : "form");
    const explode = enc?.explode ?? true;
    if (style === "deepObject") {
      for (const [k, x] of deepPairs(name, value)) parts.push(`${formKey(k)}=${formEncode(x)}`);
      continue;
    }
    for (const pair of serializeQuery({ arg: name, name, in: "query", style, explode }, value)) parts.push(pair.replace(/%20/g, "+"));
  }
  return parts.join("&");
}

function formEncode(s: string): string {
  return encodeStrict(s).replace(/%20/g, "+");
}

/** Keys keep their brackets readable (`items[0][price]`); servers decode both forms alike. */
function formKey(s: string): string {
  return formEncode(s).replace(/%5B/g, "[").replace(/%5D/g, "]");
}

/** A file given to a tool: base64 content with an optional name and type. */
export interface FileArgument {
  filename?: string;
  content_type?: string;
  content_base64: string;
}

export function isFileArgument(v: unknown): v is FileArgument {
  return isObject(v) && typeof v.content_base64 === "string";
}

export function decodeBase64(text: string, what: string): Buffer {
  const clean = text.replace(/\s+/g, "");
  if (!/^[A-Za-z0-9+/_-]*={0,2}$/.test(clean)) throw new ArgumentError(`Invalid base64 in ${what}`);
  return Buffer.from(clean, "base64");
}

/** `multipart/form-data`: file parts from base64, objects and arrays of objects as JSON parts, scalars as text. */
export function multipartBody(body: Record<string, unknown>, binaryFields: Set<string>, encoding: Record<string, BodyEncoding> = {}): FormData {
  const form = new FormData();
  for (const [name, value] of Object.entries(body)) {
    if (value === null || value === undefined) continue;
    const contentType = encoding[name]?.contentType;
    if (binaryFields.has(name) || isFileArgument(value)) {
      const file = isFileArgument(value) ? value : { content_base64: String(value) };
      const bytes = decodeBase64(file.content_base64, `'${name}'`);
      const type = file.content_type ?? contentType ?? "application/octet-stream";
      form.append(name, new Blob([bytes], { type }), file.filename ?? name);
    } else if (Array.isArray(value) && value.every((x) => !isObject(x))) {
      for (const x of value) form.append(name, scalarText(x));
    } else if (isObject(value) || Array.isArray(value)) {
      form.append(name, new Blob([JSON.stringify(value)], { type: contentType ?? "application/json" }));
    } else {
      form.append(name, scalarText(value));
    }
  }
  return form;
}
