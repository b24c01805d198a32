// Building one request from an operation and a tool's arguments: the base URL (the secret's, else the
// document's servers, refusing metadata and link-local hosts it did not name), the URL and the body.
import { addressKind, refusedByDefault } from "./addresses.js";
import { CallFailure } from "./call-failure.js";
import { ArgumentError, decodeBase64, formUrlEncoded, isFileArgument, multipartBody, serializePath, serializeQuery } from "./serialize.js";
import type { RequestBody } from "./transport.js";
import type { ApiDefinition, HttpBody, HttpOperation, ServerDef } from "./types.js";
import { setOwn } from "../own.js";

/**
 * A configured `base_url` serves every operation (so a mock or a proxy catches all traffic);
 * otherwise the operation's own servers, then the API's.
 */
export function requestBase(definition: ApiDefinition, secret: Record<string, unknown>, opServers: ServerDef[] | undefined): URL {
  const configured = typeof secret.base_url === "string" && secret.base_url ? secret.base_url : undefined;
  const server = opServers?.[0] ?? definition.servers[0];
  const raw = configured ?? (server ? substitute(server, secret) : undefined);
  if (!raw || !/^https?:\/\//i.test(raw)) {
    throw new CallFailure({
      error: "No base URL",
      message: `The ${definition.name} API has no absolute server URL${raw ? ` (the document says '${raw}')` : ""}`,
      fix: `Set base_url in the '${definition.name}' secret of your MXCP user config`,
    });
  }
  const url = new URL(raw);
  const kind = addressKind(url.hostname);
  if (!configured && refusedByDefault(kind)) {
    throw new CallFailure({
      error: "Refused server",
      message: `The ${definition.name} API's server ${url.host} is a ${kind} address; requests there are refused unless you name it yourself`,
      fix: `Set base_url in the '${definition.name}' secret of your MXCP user config if you really mean ${url.origin}`,
    });
  }
  if (!url.pathname.endsWith("/")) url.pathname += "/";
  return url;
}

function substitute(server: ServerDef, secret: Record<string, unknown>): string {
  return server.url.replace(/\{([^}]+)\}/g, (_m, name: string) => {
    const v = server.variables?.[name];
    const given = secret[name];
    const value = typeof given === "string" ? given : (v?.default ?? "");
    if (v?.enum && !v.enum.includes(value)) {
      throw new CallFailure({ error: "Invalid server variable", message: `Server variable ${name} must be one of: ${v.enum.join(", ")}` });
    }
    return value;
  });
}

/** The request URL: path parameters serialized and checked to stay on the path, query parameters after any fixed query. */
export function requestUrl(definition: ApiDefinition, base: URL, op: HttpOperation, args: Record<string, unknown>): URL {
  // Some documents tell operations on one path apart by a fragment or a fixed query in the path key
  // (Box's `/files/{file_id}#get_shared_link`, `/items?type=a`): a fragment never reaches the server, a
  // fixed query goes before the parameters.
  const [keyed = ""] = op.path.split("#");
  const mark = keyed.indexOf("?");
  const template = mark >= 0 ? keyed.slice(0, mark) : keyed;
  const fixedQuery = mark >= 0 ? keyed.slice(mark + 1).split("&").filter(Boolean) : [];
  const path = template.replace(/\{([^}]+)\}/g, (_m, name: string) => {
    const p = op.parameters.find((x) => x.in === "path" && x.name === name);
    const value = p ? args[p.arg] : undefined;
    if (!p || value === null || value === undefined) throw new ArgumentError(`Missing value for path parameter '${p?.arg ?? name}'`);
    return serializePath(p, value);
  });
  const url = new URL(base.href);
  const intended = base.pathname.replace(/\/$/, "") + (path.startsWith("/") ? path : `/${path}`);
  url.pathname = intended;
  // URL normalisation drops `.` segments and an empty value leaves `//`: either way another endpoint.
  if (url.pathname !== intended || (path.includes("//") && !template.includes("//"))) {
    throw new ArgumentError(`The path parameters would change the request path away from ${op.path}; refused`);
  }
  // Names a free-form object's keys may not take: the declared query parameters and the query credentials,
  // compared as a lenient server may read them (any case, spaces around, `[…]` suffixes as in `api_key[]`).
  const taken = new Set(op.parameters.filter((x) => x.in === "query").map((x) => queryKeyName(x.name)));
  for (const scheme of Object.values(definition.securitySchemes)) if (scheme.type === "apiKey" && scheme.in === "query") taken.add(queryKeyName(scheme.name));
  const query: string[] = [...fixedQuery];
  for (const p of op.parameters) {
    if (p.in !== "query") continue;
    const value = args[p.arg];
    if (value === null || value === undefined) continue;
    if (p.explode && (p.style ?? "form") === "form" && value && typeof value === "object" && !Array.isArray(value)) {
      const clash = Object.keys(value).find((k) => taken.has(queryKeyName(k)));
      if (clash !== undefined) throw new ArgumentError(`Invalid value for '${p.arg}': the key '${clash}' is the name of another query parameter or a credential`);
    }
    query.push(...serializeQuery(p, value));
  }
  url.search = query.length > 0 ? `?${query.join("&")}` : "";
  url.hash = "";
  // The request must stay on the configured server, under its path.
  if (url.origin !== base.origin || !url.pathname.startsWith(base.pathname.replace(/\/$/, ""))) {
    throw new ArgumentError("Arguments would send the request outside the configured server");
  }
  return url;
}

/** A query key as servers compare it at their most lenient: case-folded, trimmed, without `[…]` suffixes. */
function queryKeyName(key: string): string {
  return key.replace(/(\[[^\]]*\])+$/, "").trim().toLowerCase();
}

/** The request body in the operation's media type (its content type set on `headers`), or none. */
export function requestBody(spec: HttpBody, args: Record<string, unknown>, headers: Headers): RequestBody | undefined {
  let value: unknown;
  if (spec.arg !== undefined) value = args[spec.arg];
  else if (spec.properties) {
    const obj: Record<string, unknown> = {};
    for (const p of spec.properties) {
      const v = args[p.arg];
      if (v !== null && v !== undefined) setOwn(obj, p.name, v);
    }
    value = Object.keys(obj).length > 0 || spec.required ? obj : undefined;
  }
  if (value === null || value === undefined) {
    if (!spec.required) return undefined;
    value = spec.kind === "json" || spec.kind === "form" || spec.kind === "multipart" ? {} : "";
  }
  switch (spec.kind) {
    case "json":
      headers.set("content-type", spec.mediaType);
      return JSON.stringify(value);
    case "form":
      headers.set("content-type", spec.mediaType);
      return formUrlEncoded(value as Record<string, unknown>, spec.encoding);
    case "multipart": {
      const binary = new Set((spec.properties ?? []).filter((p) => p.binary).map((p) => p.name));
      return multipartBody(value as Record<string, unknown>, binary, spec.encoding);
    }
    case "binary": {
      const file = isFileArgument(value) ? value : { content_base64: String(value) };
      headers.set("content-type", file.content_type ?? spec.mediaType);
      return new Uint8Array(decodeBase64(file.content_base64, "the request body"));
    }
    case "text":
      headers.set("content-type", spec.mediaType);
      return typeof value === "string" ? value : JSON.stringify(value);
  }
}

