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
import { resolved, type OpenApiDocument, type Schema } from "./document.js";
import type { OperationView } from "./operation-view.js";

const CURSOR_PARAMS = ["starting_after", "after"];
const TOKEN_PARAMS = ["page_token", "pageToken", "pagetoken", "cursor", "next_token", "nextToken", "continuation_token", "continuationToken", "page_cursor"];
const TOKEN_FIELDS = ["next_page_token", "nextPageToken", "next_cursor", "nextCursor", "next_token", "nextToken", "continuation_token", "continuationToken", "cursor"];
const SIZE_PARAMS = ["per_page", "page_size", "pageSize", "perPage", "limit", "size"];

/** The first 2xx response's JSON schema, resolved, and the headers it declares. */
function responseSchema(doc: OpenApiDocument, view: OperationView): { schema: Schema; headers: string[] } | undefined {
  const first = view.successes[0];
  if (!first) return undefined;
  const headers = Object.keys(first.response.headers && typeof first.response.headers === "object" ? first.response.headers : {}).map((h) => h.toLowerCase());
  const json = Object.keys(first.content).find((t) => /json/i.test(t));
  return { schema: json ? resolved(doc, first.content[json]!.schema) : {}, headers };
}

/** Where the items are: "" for an array response, else the name of its only (or `data`/`items`) array property. */
function itemsOf(doc: OpenApiDocument, schema: Schema): string | undefined {
  if (schema.type === "array" || schema.items) return "";
  const arrays = Object.entries(schema.properties ?? {}).filter(([, p]) => {
    const s = resolved(doc, p);
    return s.type === "array" || s.items !== undefined;
  });
  const preferred = arrays.find(([k]) => ["data", "items", "results", "records", "entries", "values"].includes(k));
  if (preferred) return preferred[0];
  return arrays.length === 1 ? arrays[0]![0] : undefined;
}

export function detectPaging(doc: OpenApiDocument, view: OperationView, wire: HttpParameter[]): PagingDef | undefined {
  if (view.method !== "get") return undefined;
  const query = wire.filter((p) => p.in === "query");
  const find = (names: string[]) => query.find((p) => names.includes(p.name));
  const response = responseSchema(doc, view);
  if (!response) return undefined;
  const items = itemsOf(doc, response.schema);
  if (items === undefined) return undefined;
  const props = response.schema.properties ?? {};
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
