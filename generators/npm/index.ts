// `mxcp-gen wrap <package>`: an installed npm package's types → the tool model. The package is
// never run while generating; only its .d.ts files are read.
import { snakeCase } from "../../src/model/naming.js";
import { cacheSelector, parseDuration } from "../../src/model/selection.js";
import type { ApiModel, ModelNote, SecretParameter, ToolModel } from "../../src/model/tool-model.js";
import { builderEntries, discoverOperations, loadPackage, type BuilderEntry, type ClientChoice, type SkippedOperation } from "./discover.js";
import { buildSdkTools, type WrapFilters } from "./operations.js";
import { loadProfile } from "./profiles.js";

export interface WrapOptions extends WrapFilters {
  /** The tool prefix and secret name (default: the profile's, else the product's name from the package name). */
  prefix?: string | undefined;
  /** The project folder whose node_modules holds the package. */
  projectDir: string;
  /** The client export, overriding the profile (`default` or a name). */
  client?: string | undefined;
  /** Module functions of a synchronous library (date-fns, lodash) instead of a client's methods. */
  sync?: boolean | undefined;
  profileFile?: string | undefined;
  /** Keep reads in the project's DuckDB this long (`10m`); writes drop their resource's reads. */
  cache?: string | undefined;
  /** Only these reads are cached (tool names or dotted paths). */
  cacheInclude?: string[] | undefined;
  /** These reads are never cached. */
  cacheExclude?: string[] | undefined;
}

// Words in package names that name the kind of package, not the product (`@hubspot/api-client`, `@qdrant/js-client-rest`).
const GENERIC_WORDS = new Set(["web", "api", "apis", "client", "clients", "sdk", "sdks", "js", "ts", "node", "nodejs", "rest", "http", "lib", "library", "official", "core", "typescript", "javascript", "wrapper", "backend", "server", "admin", "v1", "v2", "v3", "v4"]);

/**
 * The tool prefix and secret name for a package without a profile: the product or vendor's name, not the
 * package's path. What is left of the package name once its generic words go (`@aws-sdk/client-s3` → s3,
 * `acme-sdk` → acme), else the scope's (`@hubspot/api-client` → hubspot, `@qdrant/js-client-rest` → qdrant).
 */
export function vendorPrefix(pkgName: string): string {
  const scope = /^@([^/]+)\//.exec(pkgName)?.[1];
  const name = pkgName.replace(/^@[^/]+\//, "");
  const meaningful = (text: string) => text.split(/[^A-Za-z0-9]+/).filter((w) => w && !GENERIC_WORDS.has(w.toLowerCase()));
  const fromName = meaningful(name);
  if (fromName.length > 0) return snakeCase(fromName.join("_"));
  // A company scope often carries a suffix that is not the product's name (`@notionhq` → notion).
  const fromScope = scope ? meaningful(scope).map((w) => (w.length > 4 ? w.replace(/hq$/i, "") : w)) : [];
  return snakeCase(fromScope.length > 0 ? fromScope.join("_") : name);
}

/**
 * What a user must know of an SDK whose main API is a builder chain: its steps are not tool parameters; the chain's
 * first call may be a tool (run without steps), and the other tools wrap the SDK's other calls.
 */
export function builderWarning(pkgName: string, b: BuilderEntry, tools: ToolModel[]): string {
  const pathOf = (t: ToolModel) => (t.target.kind === "sdk" ? t.target.path : [t.name]);
  const starts = tools.filter((t) => pathOf(t)[0] === b.entry).map((t) => t.name);
  const others = [...new Set(tools.filter((t) => pathOf(t)[0] !== b.entry).map((t) => pathOf(t)[0]!))];
  return [
    `${pkgName}'s ${b.entry}(…) starts a builder chain (${b.entry}(…).${b.starts[0]}(…).${b.steps[0]}(…)…, awaited at its end; ${list(b.starts)} then ${list(b.steps)}): wrap does not turn the chain's steps into tool parameters`,
    starts.length > 0 ? `; ${list(starts)} run${starts.length === 1 ? "s" : ""} the chain's first call without them` : "",
    others.length > 0 ? `. The other tools wrap the SDK's other calls (${list(others)})` : "",
    `; for filtered queries, write a handler of your own that builds the chain from its arguments`,
  ].join("");
}

/** A few names, then how many more. */
function list(names: string[]): string {
  return names.length > 5 ? `${names.slice(0, 5).join(", ")} and ${names.length - 5} more` : names.join(", ");
}

export interface WrapResult {
  model: ApiModel;
  skipped: SkippedOperation[];
  profileSource: string;
  /** Tool counts by first path segment. */
  groups: Record<string, number>;
  /** No profile and no options object: the client is built from the secret's constructor_args, else its key. */
  genericConstruction: boolean;
  /** The client export found when none was named. */
  clientChoice?: ClientChoice;
  /** Builder chains on the client, which `wrap` does not turn into tools (see `builderWarning`). */
  builders: BuilderEntry[];
}

export function generateWrapModel(pkgName: string, opts: WrapOptions): WrapResult {
  const { profile, source } = loadProfile(pkgName, opts.projectDir, opts.profileFile);
  if (opts.client) profile.client = opts.client;
  const sync = opts.sync === true;
  const generic = source === "generic";
  const pkg = loadPackage(pkgName, opts.projectDir, profile, sync, generic && !opts.client);
  // Without a profile, the client is built from the secret as its constructor's parameter types say (`new
  // ServerClient(serverToken)`, `algoliasearch(appId, apiKey)`, `new Groq({ apiKey, baseURL })`); when they name
  // nothing a secret can hold, from the secret's constructor_args, else its key, positionally.
  const construction = generic ? pkg.construction : undefined;
  const { operations, skipped } = discoverOperations(pkg, sync, profile);
  const prefix = opts.prefix ? snakeCase(opts.prefix) : (profile.prefix ?? vendorPrefix(pkgName));
  const notes: ModelNote[] = [];
  if (pkg.clientChoice) {
    const others = pkg.clientChoice.others.length > 0 ? `; also a client: ${pkg.clientChoice.others.join(", ")} (name one with --client)` : "";
    notes.push({ where: pkgName, message: `no profile and no default client: using the export ${pkg.clientChoice.chosen}${pkg.clientChoice.factory ? " (a function that returns the client: it is called with the secret's values)" : ""}${others}` });
  }
  if (construction) notes.push({ where: pkgName, message: `the client is created from the secret: ${construction.secrets.map((s) => `${s.name} → ${s.passedAs}`).join(", ")}` });
  const tools = buildSdkTools({ pkg, profile, prefix, operations, filters: opts, sync, notes, skipped });
  const builders = sync ? [] : builderEntries(pkg);
  for (const path of [...pkg.refused].sort()) {
    notes.push({ where: path, message: "the package's types refer to this file outside the package and its dependencies; it was not read" });
  }
  const cache = opts.cache && !sync ? { ttlSeconds: parseDuration(opts.cache) } : undefined;
  if (cache) markCached(tools, opts.cacheInclude, opts.cacheExclude);
  const groups: Record<string, number> = {};
  for (const t of tools) {
    const g = t.target.kind === "sdk" && t.target.path.length > 1 ? t.target.path[0]! : "(top level)";
    groups[g] = (groups[g] ?? 0) + 1;
  }
  const secretParameters: SecretParameter[] = sync
    ? []
    : construction
      ? construction.secrets
      : [
          {
            name: profile.keyParameter,
            description: `${profile.construct === "url-first" ? "Connection URL" : "API key"} for ${pkgName}${profile.keyEnv ? ` (else $${profile.keyEnv})` : ""}`,
          },
          ...(profile.baseUrl ? [{ name: "base_url", description: "Base URL override (a proxy or a local mock)" }] : []),
        ];
  const model: ApiModel = {
    name: prefix,
    title: pkgName,
    version: pkg.version,
    servers: [],
    securitySchemes: {},
    ...(cache ? { cache } : {}),
    sdk: {
      package: pkgName,
      version: pkg.version,
      ...(sync ? {} : { client: profile.client }),
      ...(!sync && pkg.factory ? { factory: true as const } : {}),
      construction: {
        construct: construction ? "plan" : profile.construct,
        keyOption: profile.keyOption,
        keyParameter: profile.keyParameter,
        keyEnv: profile.keyEnv,
        baseUrl: profile.baseUrl,
        options: profile.options,
        close: profile.close,
        ...(construction ? { plan: construction.plan } : {}),
      },
    },
    secretParameters,
    tools,
    notes,
  };
  return { model, skipped, profileSource: source, groups, builders, genericConstruction: generic && !construction && !sync, ...(pkg.clientChoice ? { clientChoice: pkg.clientChoice } : {}) };
}

/**
 * The profile's reads (read-only tools) are kept, as the globs select; every other call may change what
 * they return, so it drops its resource's cached reads.
 */
function markCached(tools: ToolModel[], include: string[] | undefined, exclude: string[] | undefined): void {
  const selected = cacheSelector(include, exclude);
  for (const tool of tools) {
    if (tool.target.kind !== "sdk") continue;
    if (tool.annotations.readOnlyHint !== true) tool.target.cache = "write";
    else if (selected([tool.name, tool.target.path.join(".")])) tool.target.cache = "read";
  }
}
