import { sendsBearer, type SecuritySchemeDef } from "../../src/runtime/http/types.js";
import { setOwn } from "../../src/runtime/own.js";
import { schemeSecretKey } from "../../src/runtime/http/secret-keys.js";
import type { Diagnostics } from "./diagnostics.js";
import { resolved, type OAuthFlowObject, type OpenApiDocument, type SecuritySchemeObject } from "./document.js";

/** The document's security schemes in the runtime's terms. Unknown kinds are warned about and skipped. */
export function securitySchemes(doc: OpenApiDocument, file: string, diagnostics: Diagnostics): Record<string, SecuritySchemeDef> {
  const out: Record<string, SecuritySchemeDef> = {};
  for (const [name, raw] of Object.entries(doc.components?.securitySchemes ?? {})) {
    const s: Partial<SecuritySchemeObject> = resolved(doc, raw);
    const pointer = `/components/securitySchemes/${name}`;
    if (s.type === "apiKey" && typeof s.name === "string" && (s.in === "header" || s.in === "query" || s.in === "cookie")) {
      setOwn(out, name, { type: "apiKey", in: s.in, name: s.name });
    } else if (s.type === "http" && typeof s.scheme === "string") {
      setOwn(out, name, { type: "http", scheme: s.scheme.toLowerCase() });
    } else if (s.type === "oauth2") {
      const flows: Record<string, Partial<OAuthFlowObject> | undefined> = s.flows && typeof s.flows === "object" ? { ...s.flows } : {};
      const cc = flows.clientCredentials;
      const tokenUrl = [cc, ...Object.values(flows)].map((f) => f?.tokenUrl).find((u): u is string => typeof u === "string");
      const scopes = Object.keys(cc?.scopes && typeof cc.scopes === "object" ? cc.scopes : {});
      const ac = flows.authorizationCode;
      const codeScopes = Object.keys(ac?.scopes && typeof ac.scopes === "object" ? ac.scopes : {});
      const authorizationCode =
        typeof ac?.authorizationUrl === "string" && typeof ac.tokenUrl === "string" ? { authorizationUrl: ac.authorizationUrl, tokenUrl: ac.tokenUrl, ...(codeScopes.length ? { scopes: codeScopes } : {}) } : undefined;
      setOwn(out, name, { type: "oauth2", clientCredentials: cc !== undefined, ...(tokenUrl ? { tokenUrl } : {}), ...(scopes.length ? { scopes } : {}), ...(authorizationCode ? { authorizationCode } : {}) });
    } else if (s.type === "openIdConnect") {
      setOwn(out, name, { type: "openIdConnect" });
    } else {
      diagnostics.warn(file, pointer, `Security scheme type '${String(s.type)}' is not supported; operations needing only it are sent without credentials`);
    }
  }
  return out;
}

/** An operation's requirement alternatives as lists of scheme names (`[]` = anonymous allowed). */
export function securityRequirements(requirements: unknown, schemes: Record<string, SecuritySchemeDef>): string[][] {
  if (!Array.isArray(requirements)) return [];
  const out: string[][] = [];
  for (const req of requirements) {
    if (!req || typeof req !== "object") continue;
    const names = Object.keys(req);
    if (names.every((n) => Object.hasOwn(schemes, n))) out.push(names);
  }
  return out;
}

/** The kinds of credentials a document declares, for a message. */
export function describeSchemes(schemes: Record<string, SecuritySchemeDef>): string {
  const kinds = new Set(Object.values(schemes).map((s) => (s.type === "apiKey" ? "API keys" : s.type === "http" ? `HTTP ${s.scheme}` : s.type)));
  return kinds.size ? [...kinds].join(", ") : "none";
}

/**
 * Secret parameters the API's schemes read, for the sample user config and the README of the API. With
 * `perUser` the bearer schemes read nothing: each caller's own token is sent.
 */
export function secretParameters(schemes: Record<string, SecuritySchemeDef>, perUser = false): { name: string; description: string }[] {
  const params = new Map<string, string>();
  params.set("base_url", "Base URL of the API (overrides the document's servers)");
  for (const [name, s] of Object.entries(schemes)) {
    if (perUser && sendsBearer(s)) continue;
    if (s.type === "apiKey") {
      params.set("api_key", `API key (sent in ${s.in} '${s.name}')`);
      if (Object.values(schemes).filter((x) => x.type === "apiKey").length > 1) params.set(schemeSecretKey(name), `API key for the '${name}' scheme (overrides api_key)`);
    } else if (s.type === "http" && s.scheme === "basic") {
      params.set("username", "User name for HTTP basic auth");
      params.set("password", "Password for HTTP basic auth");
    } else if (s.type === "oauth2" && s.clientCredentials) {
      params.set("client_id", "OAuth2 client id (client credentials flow)");
      params.set("client_secret", "OAuth2 client secret (client credentials flow)");
      params.set("token", "Or: an access token to send as a bearer token");
    } else if (s.type === "oauth2" && s.authorizationCode) {
      params.set("client_id", "OAuth2 client id of your app registered at the API; then sign in with mxcp-gen login, which keeps a refresh_token here");
      params.set("client_secret", "OAuth2 client secret of that app (leave it out for a public client)");
      params.set("token", "Or: an access token to send as a bearer token");
    } else {
      params.set("token", "Bearer token (access token)");
    }
  }
  return [...params].map(([name, description]) => ({ name, description }));
}

/** The scheme `--auth` adds (named so it cannot clash with the document's own). */
export const ADDED_SCHEME = "mxcp_gen_auth";

/**
 * `--auth bearer|basic|header:NAME|query:NAME`: a security scheme for an API whose document declares none
 * (GitHub's), required by every operation the document leaves without a requirement. Throws on a bad value.
 */
export function addAuthScheme(doc: OpenApiDocument, auth: string): void {
  const m = /^(bearer|basic|header:(.+)|query:(.+))$/.exec(auth.trim());
  if (!m) throw new Error(`--auth takes bearer, basic, header:NAME or query:NAME, not '${auth}'`);
  const scheme: SecuritySchemeObject =
    m[1] === "bearer" ? { type: "http", scheme: "bearer" } : m[1] === "basic" ? { type: "http", scheme: "basic" } : { type: "apiKey", in: m[2] !== undefined ? "header" : "query", name: (m[2] ?? m[3])!.trim() };
  const components = (doc.components ??= {});
  setOwn((components.securitySchemes ??= {}), ADDED_SCHEME, scheme);
  const requirement = { [ADDED_SCHEME]: [] };
  // Operations with their own requirements keep them; the rest (and the document's default) use this one.
  doc.security = Array.isArray(doc.security) && doc.security.length > 0 ? [...doc.security, requirement] : [requirement];
}
