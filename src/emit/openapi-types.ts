import openapiTS, { astToString } from "openapi-typescript";

/** openapi-typescript's types for a bundled OpenAPI 3.x document (no I/O: the document is passed in). */
export async function openapiTypes(document: Record<string, unknown>): Promise<string> {
  const ast = await openapiTS(structuredClone(document) as unknown as Parameters<typeof openapiTS>[0], { silent: true });
  return astToString(ast);
}
