// The intermediate model every generator produces and every emitter reads: pure data, no I/O.
import type { AnnotationsDef, TestDef, TypeDef } from "../project/definitions.js";
import type { CachePolicy, HttpOperation, SecuritySchemeDef, ServerDef } from "../runtime/http/types.js";

export interface ToolParameter {
  /** The MXCP parameter name (letters, digits, `_`). */
  name: string;
  type: TypeDef;
  /** Required parameters have no default; optional ones get `default: null` unless the source gives one. */
  required: boolean;
  /** How the TypeScript handler types this argument (the emitters render it). */
  tsType: TypeRef;
  /** Where the value came from, shown to readers of the YAML (`query parameter created[gte]`). */
  origin: string;
}

/**
 * A TypeScript type a handler is typed with, as data: which operation part or SDK argument it is. The
 * emitters decide how it is written (and which aliases make it short).
 */
export type TypeRef =
  /** A type of the language or of the runtime. */
  | { kind: "builtin"; name: "string" | "number" | "boolean" | "unknown" | "null" | "FileArgument" | "BinaryResult" }
  /** An operation parameter's type in openapi-typescript's output. */
  | { kind: "parameter"; in: "query" | "header" | "path" | "cookie"; name: string }
  /** The request body of one media type, or one of its properties. */
  | { kind: "body"; mediaType: string; property?: string }
  /** A response body. */
  | { kind: "response"; status: string; mediaType: string }
  /** A wrapped SDK method's argument, or a property of its object bag; or an argument of an accessor on the way. */
  | { kind: "argument"; index: number; property?: string; accessor?: number; /** A rest parameter: a list of its elements. */ rest?: true };

/** A note about a lossy or surprising step, kept in the report so nothing changes silently. */
export interface ModelNote {
  tool?: string;
  where: string;
  message: string;
}

export interface HttpToolTarget {
  kind: "http";
  operation: HttpOperation;
  /** The TypeScript type of a successful result: the union of these. */
  resultType: TypeRef[];
}

/** How a wrapped SDK method gets its arguments back. */
export type SdkArgument =
  | { kind: "positional"; arg: string; /** A rest parameter: the list is spread into the call. */ spread?: true }
  /**
   * The object bag, rebuilt from flattened tool parameters (`arg` → SDK property `name`); untyped when
   * TypeScript cannot check it (overloads, unions).
   */
  | { kind: "bag"; index: number; properties: { arg: string; name: string }[]; typed: boolean }
  /** An argument the tool does not expose (an optional bag with nothing left in it). */
  | { kind: "undefined" };

export interface SdkToolTarget {
  kind: "sdk";
  /** The property path from the client (`["customers", "create"]`). */
  path: string[];
  arguments: SdkArgument[];
  /** Synchronous module functions (`--sync`) return their value as it is. */
  sync: boolean;
  /**
   * The SDK declares several overloads. TypeScript's `Parameters<>` only sees the last one, so such a
   * method is called through a loose signature and its arguments are typed `unknown`.
   */
  overloaded: boolean;
  /**
   * The method returns a page of a list: `pages` for a Stainless page that fetches the next one itself,
   * `cursor` for a Stripe list asked again after its last item. `maxPagesArg` is the tool argument.
   */
  paging?: { style: "pages" | "cursor"; maxPagesArg: string };
  /** Accessor calls on the way (`accounts(sid)`): after `path[index]`, a call with these arguments. */
  accessors?: { index: number; arguments: SdkArgument[] }[];
  /** With a cache (`wrap --cache`): a read kept in it, or a write that drops its resource's reads. */
  cache?: "read" | "write";
  /** The command class this tool sends through the client's `send` (`ListObjectsV2Command`); `path` is its stem. */
  command?: string;
}

export interface ToolModel {
  name: string;
  description: string;
  annotations: AnnotationsDef;
  tags: string[];
  parameters: ToolParameter[];
  returns?: TypeDef;
  /** Tests built from the source's own examples, when it has them. */
  tests?: TestDef[];
  target: HttpToolTarget | SdkToolTarget;
  /** Where the tool came from, written to the YAML `metadata`. */
  origin: Record<string, string>;
  /** A file-name-safe stem for this tool's handler module. */
  moduleName: string;
}

/** How the emitted client module constructs, configures and closes the SDK's client (from its profile). */
/** A value a client is constructed with: a secret parameter's text, an object of such values, or nothing. */
export type ConstructorValue =
  | {
      kind: "secret";
      parameter: string;
      /** The constructor's type takes no undefined here. */
      required: boolean;
      /** Only part of a URL: its `host:port` (`requestHost`), or whether it is https (`useHttps`). */
      part?: "host" | "https";
    }
  | { kind: "object"; properties: { name: string; value: ConstructorValue }[] }
  | { kind: "omitted" };

/** How a client without a profile is built from the secret, read off its constructor's parameter types. */
export interface ConstructionPlan {
  arguments: ConstructorValue[];
  /** Groups of secret parameters of which one must be set (the key, or one of several key choices). */
  required: string[][];
}

/** A parameter of an API's secret, as the sample config and `secrets check` list it. */
export interface SecretParameter {
  name: string;
  description: string;
  /** The client cannot be created without it. */
  required?: boolean;
  /** The client needs this or one of these others (several ways to pass a credential). */
  oneOf?: string[];
  /** Where the SDK's client takes it (`createClient(options).secretKey`). */
  passedAs?: string;
}

export interface SdkClientSpec {
  /**
   * `key-first`: new Client(key, options); `options`: new Client({ [keyOption]: key, ...options }); `url-first`;
   * `none`; `plan`: as `plan` says.
   */
  construct: "key-first" | "options" | "url-first" | "none" | "plan";
  plan?: ConstructionPlan | undefined;
  /** The option that takes the key in `options` style. */
  keyOption: string;
  /** The secret parameter holding the key (or URL), and the environment variable used when it is unset. */
  keyParameter: string;
  keyEnv?: string | undefined;
  /** How a `base_url` secret parameter reaches the SDK. */
  baseUrl?: { option: string; style: "url" | "host-port-protocol"; suffix: string } | undefined;
  /** Options always passed. */
  options: Record<string, unknown>;
  /** The method that closes the client on shutdown. */
  close?: string | undefined;
}

export interface SdkInfo {
  package: string;
  version: string;
  /** The client export (`default` or a name); absent for --sync module functions. */
  client?: string;
  /** The client export is a function returning the client (called, and awaited), not a class. */
  factory?: true;
  construction: SdkClientSpec;
}

export interface ApiModel {
  /** The API's name: folder, secret and tool prefix. */
  name: string;
  title: string;
  version: string;
  servers: ServerDef[];
  securitySchemes: Record<string, SecuritySchemeDef>;
  /** For an OpenAPI document that declares no credentials: what to regenerate with (one line). */
  undeclaredAuth?: string;
  /** Cached reads: the longest an answer is kept, and (OpenAPI) which reads: every safe one or those listed. */
  cache?: CachePolicy;
  /** For `wrap`: the package the tools call. */
  sdk?: SdkInfo;
  /** Which secret parameters the API's auth reads, for the sample config. */
  secretParameters: SecretParameter[];
  /** `user`: bearer tokens are each caller's own (`openapi --auth user`), none is kept in the secret. */
  credentials?: "user";
  tools: ToolModel[];
  notes: ModelNote[];
}
