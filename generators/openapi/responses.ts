// What a successful call returns: the 2xx response schemas collapsed for output (lenient), text as a
// string, binary as {content_type, size, content_base64}, no content as null.
import type { TypeRef } from "../../src/model/tool-model.js";
import type { TypeDef } from "../../src/project/definitions.js";
import { isJsonMediaType, isTextMediaType } from "../../src/runtime/http/media-types.js";
import type { Referenced, Schema } from "./document.js";
import type { ResponseSite } from "./operation-view.js";
import { collapseSchema, type SchemaContext } from "./schema.js";

export interface ResultShape {
  returns?: TypeDef;
  /** TypeScript type of the result: the union of these. */
  tsType: TypeRef[];
}

const BINARY_RESULT: TypeDef = {
  type: "object",
  description: "Binary content, base64-encoded.",
  properties: {
    content_type: { type: "string", description: "Media type of the content." },
    size: { type: "integer", description: "Size in bytes." },
    content_base64: { type: "string", description: "The content, base64-encoded." },
  },
};

const NULL: TypeRef = { kind: "builtin", name: "null" };

export function resultShape(successes: ResponseSite[], ctx: SchemaContext, pointer: string): ResultShape {
  const withContent: { code: string; mt: string; schema: Referenced<Schema> | undefined }[] = [];
  let empty = false;
  for (const { code, content } of successes) {
    const types = Object.keys(content);
    if (types.length === 0) {
      empty = true;
      continue;
    }
    const mt = types.find(isJsonMediaType) ?? types.find(isTextMediaType) ?? types[0]!;
    withContent.push({ code, mt, schema: content[mt]!.schema });
  }
  if (withContent.length === 0) return { tsType: [NULL] };
  const first = withContent[0]!;
  if (!isJsonMediaType(first.mt)) {
    if (isTextMediaType(first.mt)) return { returns: { type: "string", description: `Response body (${first.mt}).` }, tsType: [{ kind: "builtin", name: "string" }, ...(empty ? [NULL] : [])] };
    return { returns: BINARY_RESULT, tsType: [{ kind: "builtin", name: "BinaryResult" }] };
  }
  const schemas = withContent.filter((w) => isJsonMediaType(w.mt)).map((w) => w.schema ?? {});
  const schema = schemas.length === 1 ? schemas[0] : { anyOf: schemas };
  const returns = collapseSchema(schema, ctx, `${pointer}/responses/${first.code}`);
  const members = withContent.filter((w) => isJsonMediaType(w.mt)).map((w): TypeRef => ({ kind: "response", status: w.code, mediaType: w.mt }));
  const tsType = [...members, ...(empty ? [NULL] : [])];
  return returns ? { returns, tsType } : { tsType };
}
