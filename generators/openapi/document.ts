// The OpenAPI document as the generator reads it: openapi-typescript's object types, a schema type loose
// enough for documents nobody here wrote, and the one way to follow a `$ref`.
//
// The types say what each key should hold; a document is still untrusted input, so a reader checks a value's
// kind (`typeof`, `Array.isArray`) wherever a wrong one would throw or end up in the output.
import type {
  MediaTypeObject,
  OAuthFlowObject,
  OpenAPI3,
  OperationObject,
  ParameterObject,
  PathItemObject,
  ReferenceObject,
  RequestBodyObject,
  ResponseObject,
  SchemaObject,
  SecuritySchemeObject,
  ServerObject,
} from "openapi-typescript";
import { getAtPointer, type JsonObject } from "./load.js";

export type { MediaTypeObject, OAuthFlowObject, OperationObject, ParameterObject, PathItemObject, ReferenceObject, RequestBodyObject, ResponseObject, SecuritySchemeObject, ServerObject };

/** A bundled OpenAPI 3.x document (a 2.0 one is converted first). */
export type OpenApiDocument = OpenAPI3;

export type { JsonObject };

/**
 * The loaded root as a 3.x document. The loader has checked that it says `openapi` (a `swagger` one is
 * converted instead); from here on it is read through the types above, its values checked where read.
 */
export function openApiDocument(root: JsonObject): OpenApiDocument {
  return root as unknown as OpenApiDocument;
}

export type Referenced<T> = T | ReferenceObject;

/**
 * A schema. openapi-typescript's `SchemaObject` is a union told apart by `type`, and leaves out JSON Schema's
 * validation keywords; documents mix keywords of several types, and 3.1 allows a list of types. So: its
 * shared keywords, with every type's keywords optional beside them.
 */
export type Schema = Omit<SchemaObject, "type" | "oneOf" | "allOf" | "anyOf" | "enum" | "required" | "example"> & {
  type?: string | string[];
  oneOf?: Referenced<Schema>[];
  allOf?: Referenced<Schema>[];
  anyOf?: Referenced<Schema>[];
  enum?: unknown[];
  required?: unknown[];
  example?: unknown;
  examples?: unknown[];
  properties?: Record<string, Referenced<Schema>>;
  additionalProperties?: boolean | Referenced<Schema>;
  /** A list is a tuple (3.0 does not allow it; documents have it). */
  items?: Referenced<Schema> | Referenced<Schema>[];
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  minimum?: number;
  maximum?: number;
  /** A boolean in 3.0, a number in 3.1. */
  exclusiveMinimum?: boolean | number;
  exclusiveMaximum?: boolean | number;
  multipleOf?: number;
  minItems?: number;
  maxItems?: number;
  uniqueItems?: boolean;
  contentEncoding?: string;
  contentMediaType?: string;
};

export function isReference(node: unknown): node is ReferenceObject {
  return !!node && typeof node === "object" && typeof (node as { $ref?: unknown }).$ref === "string";
}

export interface Resolved<T> {
  value: T;
  /** The references followed, outermost first. */
  refs: string[];
  /** The chain came back to a reference in `stack` or in itself: `value` is empty. */
  cycle: boolean;
}

/**
 * Follow `$ref`s (local ones: the loader bundled every other file in) to the object they name. Keys beside a
 * `$ref` (3.1's `description`, `summary`) override the target's. A reference that names nothing, or a value
 * that is not an object, gives an empty object, so a reader sees "nothing declared".
 */
export function resolveRef<T extends object>(doc: OpenApiDocument, node: Referenced<T> | undefined, stack: readonly string[] = []): Resolved<T> {
  let cur: unknown = node;
  const refs: string[] = [];
  while (isReference(cur)) {
    const ref = cur.$ref;
    if (stack.includes(ref) || refs.includes(ref)) return { value: {} as T, refs, cycle: true };
    refs.push(ref);
    const target = ref.startsWith("#") ? getAtPointer(doc, ref.slice(1)) : undefined;
    const { $ref: _ref, ...siblings } = cur;
    cur = target && typeof target === "object" ? (Object.keys(siblings).length > 0 ? { ...target, ...siblings } : target) : {};
  }
  // The one place a document's object is taken to be the kind its position says it is; readers check values.
  return { value: (cur && typeof cur === "object" ? cur : {}) as T, refs, cycle: false };
}

/** The object a node names, through any `$ref`s. */
export function resolved<T extends object>(doc: OpenApiDocument, node: Referenced<T> | undefined): T {
  return resolveRef(doc, node).value;
}
