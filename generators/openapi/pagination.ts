// How a list operation pages, read from the document, so one call can fetch several pages (`max_pages`).
// The styles, tried in order:
//  - link:   a 2xx response declares a `Link` header (RFC 8288 rel="next", GitHub).
//  - cursor: a cursor query parameter (`starting_after`, `after`) and a `has_more` flag in the response (Stripe);
//            the next cursor is the last item's `id`.
//  - token:  a page-token query parameter (`page_token`, `pageToken`, `cursor`, …) and a next-token property in
//            the response (`next_page_token`, `nextPageToken`, `next_cursor`, …).
//  - offset: `offset` with `limit` (or a page size) query parameters.
//  - page:   `page` with `per_page` (or `page_size`, `pageSize`, `limit`) query parameters.
// The items are the response itself when it is an array, else its one array property (`data`, `items`, …).
import type { HttpOperation, HttpParameter, PagingDef } from "../../src/runtime/http/types.js";
import { resolveSchema } from "./schema.js";

type Json = Record<string, unknown>;

const CURSOR_PARAMS = ["starting_after", "after"];
const TOKEN_PARAMS = ["page_token", "pageToken", "pagetoken", "cursor", "next_token", "nextToken", "continuation_token", "continuationToken", "page_cursor"];
const TOKEN_FIELDS = ["next_page_token", "nextPageToken", "next_cursor", "nextCursor", "next_token", "nextToken", "continuation_token", "continuationToken", "cursor"];
const SIZE_PARAMS = ["per_page", "page_size", "pageSize", "perPage", "limit", "size"];

/** The first 2xx JSON response's schema, resolved. */
function responseSchema(doc: Json, op: Json): { schema: Json; headers: string[] } | undefined {
  const responses = (op.responses ?? {}) as Record<string, unknown>;
  for (const code of Object.keys(responses).filter((c) => /^2(\d\d|XX)$/i.test(c)).sort()) {
    const r = resolveSchema(doc, responses[code]).schema;
    const headers = Object.keys((r.headers ?? {}) as Json).map((h) => h.toLowerCase());
    const content = (r.content ?? {}) as Record<string, Json>;
    const json = Object.keys(content).find((t) => /json/i.test(t));
    const schema = json ? resolveSchema(doc, content[json]!.schema ?? {}).schema : {};
    return { schema, headers };
  }
  return undefined;
}

/** Where the items are: "" for an array response, else the name of its only (or `data`/`items`) array property. */
function itemsOf(doc: Json, schema: Json): string | undefined {
  if (schema.type === "array" || schema.items) return "";
  const props = (schema.properties ?? {}) as Record<string, unknown>;
  const arrays = Object.entries(props).filter(([, p]) => {
    const s = resolveSchema(doc, p).schema;
    return s.type === "array" || s.items !== undefined;
  });
  const preferred = arrays.find(([k]) => ["data", "items", "results", "records", "entries", "values"].includes(k));
  if (preferred) return preferred[0];
  return arrays.length === 1 ? arrays[0]![0] : undefined;
}

export function detectPaging(doc: Json, op: Json, method: string, wire: HttpParameter[]): PagingDef | undefined {
  if (method !== "get") return undefined;
  const query = wire.filter((p) => p.in === "query");
  const find = (names: string[]) => query.find((p) => names.includes(p.name));
  const response = responseSchema(doc, op);
  if (!response) return undefined;
  const items = itemsOf(doc, response.schema);
  if (items === undefined) return undefined;
  const props = (response.schema.properties ?? {}) as Record<string, unknown>;
  const size = find(SIZE_PARAMS);
  const base = { items, ...(size ? { sizeArg: size.arg } : {}) };
  if (response.headers.includes("link")) {
    const page = find(["page"]);
    return { style: "link", ...base, ...(page ? { arg: page.arg } : {}) };
  }
  const cursor = find(CURSOR_PARAMS);
  if (cursor && Object.hasOwn(props, "has_more")) return { style: "cursor", ...base, arg: cursor.arg, param: cursor.name, hasMore: "has_more" };
  const token = find(TOKEN_PARAMS);
  const field = TOKEN_FIELDS.find((f) => Object.hasOwn(props, f));
  if (token && field) return { style: "token", ...base, arg: token.arg, param: token.name, next: field };
  const offset = find(["offset", "skip"]);
  if (offset && size) return { style: "offset", ...base, arg: offset.arg, param: offset.name };
  const page = find(["page", "page_number", "pageNumber"]);
  if (page && size) return { style: "page", ...base, arg: page.arg, param: page.name };
  return undefined;
}

/** The name of the extra tool argument, avoiding the operation's own names. */
export function maxPagesArg(operation: HttpOperation, taken: string[]): string {
  let name = "max_pages";
  while (taken.includes(name) || operation.parameters.some((p) => p.arg === name)) name = `${name}_`;
  return name;
}
