// The shapes generated OpenAPI handlers hand to the runtime's HTTP client. Plain data, so a
// handler reads as a description of its operation.

import type { HttpMethod } from "./methods.js";

export type { HttpMethod };
export type ParameterLocation = "path" | "query" | "header" | "cookie";
export const PARAMETER_STYLES = ["simple", "label", "matrix", "form", "spaceDelimited", "pipeDelimited", "deepObject"] as const;
export type ParameterStyle = (typeof PARAMETER_STYLES)[number];

export interface HttpParameter {
  /** The tool argument that holds the value. */
  arg: string;
  /** The name on the wire. */
  name: string;
  in: ParameterLocation;
  style: ParameterStyle;
  explode: boolean;
  allowReserved?: boolean;
  /** `content: application/json` parameters are sent as JSON text. */
  json?: boolean;
  /** Swagger 2.0 `collectionFormat: tsv`. */
  tabDelimited?: boolean;
  /** Filled from this key of the API's secret, not from a tool argument (`openapi --bind`). */
  secret?: string;
}

export interface BodyEncoding {
  contentType?: string;
  style?: ParameterStyle;
  explode?: boolean;
}

export interface HttpBody {
  mediaType: string;
  /** How the media type is written: chosen at generation time from `mediaType`. */
  kind: "json" | "form" | "multipart" | "binary" | "text";
  /** The whole body comes from one argument... */
  arg?: string;
  /** ...or from several, one per top-level property (`arg` → wire `name`). */
  properties?: { arg: string; name: string; binary?: boolean }[];
  required: boolean;
  encoding?: Record<string, BodyEncoding>;
}

export interface HttpOperation {
  method: HttpMethod;
  /** The path template, such as `/pets/{petId}`. */
  path: string;
  parameters: HttpParameter[];
  body?: HttpBody;
  /** Alternatives of security requirements (scheme names); an empty alternative means anonymous is allowed. */
  security: string[][];
  /** Operation-level servers, overriding the API's. */
  servers?: ServerDef[];
  /** Whether a retry is safe although the method is not idempotent (an idempotency-key header is declared). */
  idempotencyKey?: boolean;
  /** Answers are kept for the API's cache TTL (GET and HEAD only): clients generated before CachePolicy.reads. */
  cache?: boolean;
  /** How the operation pages, when it does: one call may then fetch up to `max_pages` pages. */
  paging?: PagingDef;
}

/** How a list operation pages (decided by the generator from the document). */
export interface PagingDef {
  style: "link" | "cursor" | "token" | "offset" | "page";
  /** Where the items are in one page: "" when the page is the array itself, else its property. */
  items: string;
  /** The tool argument that holds the cursor, token, offset or page number (absent for a Link header alone). */
  arg?: string;
  /** That argument's name on the wire (`starting_after`, `page_token`, `offset`, `page`). */
  param?: string;
  /** The page-size argument, if any (for offset, and to know a short page is the last). */
  sizeArg?: string;
  /** cursor: the response's flag saying more pages follow. */
  hasMore?: string;
  /** token: the response property holding the next token. */
  next?: string;
  /** The tool argument that says how many pages to fetch (`max_pages`). */
  maxPagesArg?: string;
}

export interface ServerDef {
  url: string;
  variables?: Record<string, { default: string; enum?: string[] }>;
}

export type SecuritySchemeDef =
  | { type: "apiKey"; in: "header" | "query" | "cookie"; name: string }
  | { type: "http"; scheme: "bearer" | "basic" | string }
  | {
      type: "oauth2";
      tokenUrl?: string;
      clientCredentials: boolean;
      scopes?: string[];
      /** The document's authorization code flow: where `mxcp-gen login` signs the user in, and the token is refreshed. */
      authorizationCode?: { authorizationUrl: string; tokenUrl: string; scopes?: string[] };
    }
  | { type: "openIdConnect" };

export interface ApiDefinition {
  /** The API's name: the secret's name and the prefix of its tools. */
  name: string;
  servers: ServerDef[];
  securitySchemes: Record<string, SecuritySchemeDef>;
  /** Cached reads (`mxcp-gen openapi --cache`): how long an answer is kept, at most. */
  cache?: CachePolicy;
  /**
   * `user` (`mxcp-gen openapi --auth user`): bearer tokens are the calling user's own at the API (the token the
   * server's OAuth proxy signed them in with), never a shared one from the secret.
   */
  credentials?: "user";
}

/**
 * How long answers are kept, and which reads are kept: `"all"` every safe read, or the listed operations
 * (`GET /pets/{petId}`). Said by the client alone, so changing `--cache` rewrites the client, not every handler.
 * Without `reads` (a client generated before), an operation's own `cache` flag says.
 */
export interface CachePolicy {
  ttlSeconds: number;
  reads?: "all" | string[];
}

/** Whether a scheme sends a bearer token (which a signed-in user's own token can be). */
export function sendsBearer(s: SecuritySchemeDef): boolean {
  return (s.type === "http" && s.scheme.toLowerCase() === "bearer") || s.type === "oauth2" || s.type === "openIdConnect";
}

/** The key a CachePolicy lists an operation by. */
export function cacheReadKey(op: { method: string; path: string }): string {
  return `${op.method.toUpperCase()} ${op.path}`;
}
