// How a handler writes the TypeScript types the model refers to. The model says which operation part or
// SDK argument a type is; this module spells it against the short aliases a handler declares.
import type { TypeRef } from "../model/tool-model.js";
import { tsString } from "./ts-text.js";

/**
 * The aliases a handler declares: `Operation` (an OpenAPI operation in openapi-typescript's `paths`),
 * `Body` (its request body), `Method` (a wrapped SDK method), `Params` (that method's object bag) and
 * `Accessor0`, `Accessor1`… (the accessors called on the way to the method).
 */
export interface TypeAliases {
  /** The SDK argument index `Params` stands for. */
  paramsIndex?: number | undefined;
}

/** The response status as openapi-typescript keys it: numbers bare, ranges such as `2XX` quoted. */
function statusKey(status: string): string {
  return /^\d+$/.test(status) ? status : tsString(status);
}

export function renderTypeRef(ref: TypeRef, aliases: TypeAliases = {}): string {
  switch (ref.kind) {
    case "builtin":
      return ref.name;
    case "parameter":
      return `NonNullable<Operation["parameters"][${tsString(ref.in)}]>[${tsString(ref.name)}]`;
    case "body":
      return ref.property === undefined ? "Body" : `Body[${tsString(ref.property)}]`;
    case "response":
      return `Operation["responses"][${statusKey(ref.status)}]["content"][${tsString(ref.mediaType)}]`;
    case "argument":
      if (ref.accessor !== undefined) return `Parameters<Accessor${ref.accessor}>[${ref.index}]`;
      if (ref.property === undefined) return `Parameters<Method>[${ref.index}]${ref.rest ? "[]" : ""}`;
      return aliases.paramsIndex === ref.index ? `Params[${tsString(ref.property)}]` : `NonNullable<Parameters<Method>[${ref.index}]>[${tsString(ref.property)}]`;
  }
}

/** What `Body` stands for: the request body of one media type (nullable bodies lose their null). */
export function bodyAlias(mediaType: string): string {
  return `NonNullable<NonNullable<Operation["requestBody"]>["content"][${tsString(mediaType)}]>`;
}

/** Whether any of these types is written over the operation's types (so `Operation` must be declared). */
export function usesOperation(refs: TypeRef[]): boolean {
  return refs.some((r) => r.kind === "parameter" || r.kind === "body" || r.kind === "response");
}
