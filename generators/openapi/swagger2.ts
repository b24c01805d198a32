// Swagger 2.0 → OpenAPI 3.0, on an already bundled document. Nothing is dropped silently:
// body and formData parameters become request bodies, collectionFormat becomes style/explode,
// host/basePath/schemes become servers, securityDefinitions become securitySchemes.
import { getAtPointer } from "./load.js";
import type { JsonObject, OpenApiDocument } from "./document.js";
import { setOwn } from "../../src/runtime/own.js";
import { HTTP_METHODS } from "../../src/runtime/http/methods.js";


// A 2.0 path item has every method but TRACE.
const METHODS = HTTP_METHODS.filter((m) => m !== "TRACE").map((m) => m.toLowerCase());
const SCHEMA_KEYS = [
  "type", "format", "items", "enum", "default", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum",
  "minLength", "maxLength", "pattern", "minItems", "maxItems", "uniqueItems", "multipleOf",
];

export function convertSwagger2(doc: JsonObject): OpenApiDocument {
  const out: JsonObject = { openapi: "3.0.3", info: doc.info ?? { title: "API", version: "1.0.0" } };
  for (const k of Object.keys(doc)) if (k.startsWith("x-")) out[k] = doc[k];
  if (doc.tags) out.tags = doc.tags;
  if (doc.externalDocs) out.externalDocs = doc.externalDocs;
  out.servers = servers(doc);
  const consumes = (doc.consumes as string[] | undefined) ?? ["application/json"];
  const produces = (doc.produces as string[] | undefined) ?? ["application/json"];

  const components: JsonObject = {};
  if (doc.definitions) components.schemas = doc.definitions;
  const params = (doc.parameters ?? {}) as Record<string, JsonObject>;
  const convertedParams: JsonObject = {};
  for (const [name, p] of Object.entries(params)) {
    if (p.in !== "body" && p.in !== "formData") setOwn(convertedParams, name, convertParameter(p));
  }
  if (Object.keys(convertedParams).length > 0) components.parameters = convertedParams;
  if (doc.responses) {
    const responses: JsonObject = {};
    for (const [name, r] of Object.entries(doc.responses as Record<string, JsonObject>)) responses[name] = convertResponse(r, produces);
    components.responses = responses;
  }
  if (doc.securityDefinitions) components.securitySchemes = convertSecurity(doc.securityDefinitions as Record<string, JsonObject>);
  out.components = components;
  if (doc.security) out.security = doc.security;

  const paths: JsonObject = {};
  for (const [path, item] of Object.entries((doc.paths ?? {}) as Record<string, JsonObject>)) {
    const newItem: JsonObject = {};
    const shared = (item.parameters ?? []) as JsonObject[];
    for (const [k, v] of Object.entries(item)) if (k.startsWith("x-") || k === "summary" || k === "description") newItem[k] = v;
    for (const method of METHODS) {
      const op = item[method] as JsonObject | undefined;
      if (op) newItem[method] = convertOperation(doc, op, shared, consumes, produces);
    }
    setOwn(paths, path, newItem);
  }
  out.paths = paths;
  // Built key by key above from the 2.0 document's own values, in 3.0's places.
  return rewriteRefs(out) as OpenApiDocument;
}

function servers(doc: JsonObject): JsonObject[] {
  const basePath = typeof doc.basePath === "string" ? doc.basePath : "";
  if (typeof doc.host !== "string") return [{ url: basePath || "/" }];
  const schemes = (doc.schemes as string[] | undefined) ?? ["https"];
  const ordered = [...schemes].sort((a, b) => (a === "https" ? -1 : b === "https" ? 1 : 0));
  return ordered.map((s) => ({ url: `${s}://${doc.host}${basePath}` }));
}

function deref(doc: JsonObject, p: JsonObject): JsonObject {
  if (typeof p.$ref === "string" && p.$ref.startsWith("#/")) {
    const target = getAtPointer(doc, p.$ref.slice(1));
    if (target && typeof target === "object") return target as JsonObject;
  }
  return p;
}

function convertOperation(doc: JsonObject, op: JsonObject, shared: JsonObject[], consumes0: string[], produces0: string[]): JsonObject {
  const out: JsonObject = {};
  for (const k of ["tags", "summary", "description", "externalDocs", "operationId", "deprecated", "security"]) if (op[k] !== undefined) out[k] = op[k];
  for (const k of Object.keys(op)) if (k.startsWith("x-")) out[k] = op[k];
  const consumes = (op.consumes as string[] | undefined) ?? consumes0;
  const produces = (op.produces as string[] | undefined) ?? produces0;

  // Operation parameters override path-level ones with the same name and location.
  const merged = new Map<string, JsonObject>();
  for (const p of [...shared, ...((op.parameters ?? []) as JsonObject[])]) {
    const real = deref(doc, p);
    merged.set(`${String(real.in)}:${String(real.name)}`, p);
  }
  const parameters: JsonObject[] = [];
  const form: JsonObject[] = [];
  for (const p of merged.values()) {
    const real = deref(doc, p);
    if (real.in === "body") {
      out.requestBody = {
        ...(real.description ? { description: real.description } : {}),
        required: real.required === true,
        content: Object.fromEntries(consumes.map((c) => [c, { schema: real.schema ?? {} }])),
        ...(typeof real.name === "string" ? { "x-body-name": real.name } : {}),
      };
    } else if (real.in === "formData") {
      form.push(real);
    } else if (p === real) {
      parameters.push(convertParameter(real));
    } else {
      parameters.push(p); // a $ref to #/parameters/..., rewritten below
    }
  }
  if (form.length > 0) {
    const hasFile = form.some((f) => f.type === "file");
    const types = consumes.filter((c) => c === "multipart/form-data" || c === "application/x-www-form-urlencoded");
    const mediaType = hasFile || types.includes("multipart/form-data") && !types.includes("application/x-www-form-urlencoded")
      ? "multipart/form-data"
      : "application/x-www-form-urlencoded";
    const properties: JsonObject = {};
    const required: string[] = [];
    for (const f of form) {
      const schema = f.type === "file" ? { type: "string", format: "binary" } : schemaOf(f);
      if (f.description) (schema as JsonObject).description = f.description;
      properties[String(f.name)] = schema;
      if (f.required) required.push(String(f.name));
    }
    out.requestBody = {
      required: required.length > 0,
      content: { [mediaType]: { schema: { type: "object", properties, ...(required.length ? { required } : {}) } } },
    };
  }
  if (parameters.length > 0) out.parameters = parameters;
  const responses: JsonObject = {};
  for (const [code, r] of Object.entries((op.responses ?? {}) as Record<string, JsonObject>)) {
    responses[code] = typeof r.$ref === "string" ? r : convertResponse(r, produces);
  }
  out.responses = Object.keys(responses).length > 0 ? responses : { default: { description: "Response" } };
  return out;
}

function schemaOf(p: JsonObject): JsonObject {
  const schema: JsonObject = {};
  for (const k of SCHEMA_KEYS) if (p[k] !== undefined) schema[k] = p[k];
  if (schema.items && typeof schema.items === "object") {
    const items = { ...(schema.items as JsonObject) };
    delete items.collectionFormat;
    schema.items = items;
  }
  return schema;
}

function convertParameter(p: JsonObject): JsonObject {
  const out: JsonObject = { name: p.name, in: p.in };
  if (p.description) out.description = p.description;
  if (p.required !== undefined) out.required = p.required;
  if (p.in === "path") out.required = true;
  for (const k of Object.keys(p)) if (k.startsWith("x-")) out[k] = p[k];
  out.schema = schemaOf(p);
  if (p.type === "array") {
    const format = (p.collectionFormat as string | undefined) ?? "csv";
    const location = p.in as string;
    if (format === "multi") Object.assign(out, { style: "form", explode: true });
    else if (format === "ssv") Object.assign(out, { style: "spaceDelimited", explode: false });
    else if (format === "pipes") Object.assign(out, { style: "pipeDelimited", explode: false });
    else if (format === "tsv") Object.assign(out, { style: "form", explode: false, "x-collection-format": "tsv" });
    else Object.assign(out, { style: location === "query" || location === "cookie" ? "form" : "simple", explode: false });
  }
  return out;
}

function convertResponse(r: JsonObject, produces: string[]): JsonObject {
  const out: JsonObject = { description: r.description ?? "" };
  if (r.schema) {
    const types = r.schema && (r.schema as JsonObject).type === "file" ? ["application/octet-stream"] : produces;
    const schema = (r.schema as JsonObject).type === "file" ? { type: "string", format: "binary" } : r.schema;
    out.content = Object.fromEntries(types.map((t) => [t, { schema }]));
  }
  if (r.headers) {
    const headers: JsonObject = {};
    for (const [name, h] of Object.entries(r.headers as Record<string, JsonObject>)) {
      headers[name] = { ...(h.description ? { description: h.description } : {}), schema: schemaOf(h) };
    }
    out.headers = headers;
  }
  if (r.examples) {
    const content = (out.content ?? {}) as Record<string, JsonObject>;
    for (const [type, example] of Object.entries(r.examples as JsonObject)) if (content[type]) content[type]!.example = example;
  }
  return out;
}

function convertSecurity(defs: Record<string, JsonObject>): JsonObject {
  const out: JsonObject = {};
  for (const [name, d] of Object.entries(defs)) {
    if (d.type === "basic") out[name] = { type: "http", scheme: "basic", ...(d.description ? { description: d.description } : {}) };
    else if (d.type === "apiKey") out[name] = { type: "apiKey", name: d.name, in: d.in, ...(d.description ? { description: d.description } : {}) };
    else if (d.type === "oauth2") {
      const flowName = { implicit: "implicit", password: "password", application: "clientCredentials", accessCode: "authorizationCode" }[String(d.flow)] ?? "implicit";
      const flow: JsonObject = { scopes: d.scopes ?? {} };
      if (d.authorizationUrl) flow.authorizationUrl = d.authorizationUrl;
      if (d.tokenUrl) flow.tokenUrl = d.tokenUrl;
      out[name] = { type: "oauth2", flows: { [flowName]: flow }, ...(d.description ? { description: d.description } : {}) };
    }
  }
  return out;
}

const REF_MOVES: [string, string][] = [
  ["#/definitions/", "#/components/schemas/"],
  ["#/parameters/", "#/components/parameters/"],
  ["#/responses/", "#/components/responses/"],
];

function rewriteRefs(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(rewriteRefs);
  if (node === null || typeof node !== "object") return node;
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(node)) {
    if (k === "$ref" && typeof v === "string") {
      const move = REF_MOVES.find(([from]) => v.startsWith(from));
      setOwn(out, k, move ? move[1] + v.slice(move[0].length) : v);
    } else {
      setOwn(out, k, rewriteRefs(v));
    }
  }
  return out;
}
