// What `wrap` needs to know about an SDK beyond its types: how to construct the client from a secret,
// where its operations start, and which parameters are credentials. Built in for a few SDKs; any
// package can have one in `wrap-profiles/<package>.json` of the project (or --profile FILE).
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { z } from "zod";

const profileSchema = z.strictObject({
  /** The npm package this profile is for. */
  package: z.string(),
  /** Tool-name prefix and secret name (default: the unscoped package name in snake_case). */
  prefix: z.string().optional(),
  /** The export that is the client class (`default` for the default export). */
  client: z.string().default("default"),
  /** Property path to walk from the client (`["rest"]` for Octokit). */
  root: z.array(z.string()).default([]),
  /**
   * How the client is constructed from the secret's parameters:
   *  - `key-first`: `new Client(secret.api_key, options)`;
   *  - `options`: `new Client({ [keyOption]: secret.api_key, ...options })`;
   *  - `url-first`: `new Client(secret.url, options)` (database and cache clients).
   */
  construct: z.enum(["key-first", "options", "url-first", "none"]).default("options"),
  /** The option that takes the API key in `options` style. */
  keyOption: z.string().default("apiKey"),
  /** The secret parameter that holds the key (or URL). */
  keyParameter: z.string().default("api_key"),
  /** The environment variable used when the secret has no key. */
  keyEnv: z.string().optional(),
  /** How a `base_url` secret parameter reaches the SDK. */
  baseUrl: z
    .strictObject({ option: z.string(), style: z.enum(["url", "host-port-protocol"]).default("url"), suffix: z.string().default("") })
    .optional(),
  /** Options always passed: quiet logging, few retries. */
  options: z.record(z.string(), z.unknown()).default({}),
  /** Parameters never exposed as tool parameters (credentials, transport knobs). */
  dropParameters: z.array(z.string()).default([]),
  /** Dotted operation paths (globs) never wrapped. */
  exclude: z.array(z.string()).default([]),
  /** A method closing the client on shutdown (`quit`, `end`, `close`). */
  close: z.string().optional(),
  /** Root methods that are transport helpers, not operations (`get`/`post`/`request` on an HTTP client). */
  transportHelpers: z
    .array(z.string())
    .default(["get", "post", "put", "patch", "delete", "request", "on", "off", "once", "emit", "errors", "rawRequest", "webhooks", "paginate", "hook", "graphql", "log", "auth", "plugin", "withOptions", "buildRequest", "makeRequest"]),
  /** Methods on the client itself are transport helpers (Stainless and Stripe SDKs); only resources hold operations. */
  skipRootMethods: z.boolean().default(false),
  /** Read-only verbs beyond the defaults (for clients whose verbs are not REST-like, such as Redis's). */
  readVerbs: z.array(z.string()).default([]),
});

export type WrapProfile = z.infer<typeof profileSchema>;

const BUILT_IN: Record<string, z.input<typeof profileSchema>> = {
  stripe: {
    package: "stripe",
    construct: "key-first",
    keyEnv: "STRIPE_API_KEY",
    baseUrl: { option: "host", style: "host-port-protocol" },
    options: { maxNetworkRetries: 1, telemetry: false },
    exclude: ["webhooks.*", "oauth.*", "testHelpers.*"],
    skipRootMethods: true,
  },
  openai: {
    package: "openai",
    construct: "options",
    keyOption: "apiKey",
    keyEnv: "OPENAI_API_KEY",
    baseUrl: { option: "baseURL", suffix: "/v1" },
    options: { maxRetries: 1, logLevel: "off" },
    skipRootMethods: true,
  },
  "@anthropic-ai/sdk": {
    package: "@anthropic-ai/sdk",
    prefix: "anthropic",
    construct: "options",
    keyOption: "apiKey",
    keyEnv: "ANTHROPIC_API_KEY",
    baseUrl: { option: "baseURL" },
    options: { maxRetries: 1, logLevel: "off" },
    skipRootMethods: true,
  },
  "@octokit/rest": {
    package: "@octokit/rest",
    prefix: "github",
    client: "Octokit",
    root: ["rest"],
    construct: "options",
    keyOption: "auth",
    keyParameter: "token",
    keyEnv: "GITHUB_TOKEN",
    baseUrl: { option: "baseUrl" },
    // Octokit's default logger writes warnings and errors to stderr only, which stdio allows.
    options: { request: { retries: 0 } },
    dropParameters: ["baseUrl", "headers", "mediaType", "request", "query"],
    skipRootMethods: true,
  },
  ioredis: {
    package: "ioredis",
    prefix: "redis",
    client: "Redis",
    transportHelpers: ["on", "off", "once", "emit", "connect", "disconnect", "duplicate", "pipeline", "multi", "monitor", "subscribe", "psubscribe"],
    construct: "url-first",
    keyParameter: "url",
    keyEnv: "REDIS_URL",
    options: { maxRetriesPerRequest: 1, lazyConnect: false },
    close: "quit",
    readVerbs: ["get", "mget", "exists", "ttl", "pttl", "type", "strlen", "hget", "hgetall", "hkeys", "hlen", "lrange", "llen", "smembers", "scard", "zrange", "zcard", "ping", "keys", "scan", "dbsize", "info"],
  },
};

export function loadProfile(pkg: string, root: string, file?: string): { profile: WrapProfile; source: string } {
  // A scoped package's profile may sit at wrap-profiles/@scope/name.json (as the package is named) or
  // wrap-profiles/scope__name.json (one flat folder); the first found is used, and reported as the source.
  const candidates = file ? [file] : [...new Set([join(root, "wrap-profiles", `${pkg}.json`), join(root, "wrap-profiles", `${pkg.replace(/^@/, "").replace(/\//g, "__")}.json`)])];
  for (const path of candidates) {
    if (!existsSync(path)) {
      if (file) throw new Error(`Profile file not found: ${file}`);
      continue;
    }
    let raw: unknown;
    try {
      raw = JSON.parse(readFileSync(path, "utf8"));
    } catch (e) {
      throw new Error(`${path}: invalid JSON: ${(e as Error).message}`);
    }
    const parsed = profileSchema.safeParse(raw);
    if (!parsed.success) throw new Error(`${path}: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`);
    return { profile: parsed.data, source: path };
  }
  const builtIn = BUILT_IN[pkg];
  if (builtIn) return { profile: profileSchema.parse(builtIn), source: "built-in" };
  return { profile: profileSchema.parse({ package: pkg }), source: "generic" };
}
