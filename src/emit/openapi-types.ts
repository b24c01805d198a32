import openapiTS, { astToString, type OpenAPI3 } from "openapi-typescript";
import { lineCommentText } from "./ts-text.js";

export interface TypesModule {
  text: string;
  /** Set when openapi-typescript could not read the document and the handlers are typed loosely. */
  warning?: string;
}

/**
 * openapi-typescript's types for a bundled OpenAPI 3.x document (no I/O: the document is passed in).
 * openapi-typescript may change the document it is given; pass `{ consume: true }` when it is not needed after.
 */
export async function openapiTypes(document: OpenAPI3, opts: { consume?: boolean } = {}): Promise<TypesModule> {
  try {
    const input = opts.consume ? document : structuredClone(document);
    const ast = await openapiTS(input, { silent: true });
    return { text: astToString(ast) };
  } catch (e) {
    // Seen with property names such as `toString` that its bundler mistakes for its own methods.
    const why = lineCommentText((e as Error)?.message ?? String(e)).slice(0, 200);
    return {
      text: [
        `// openapi-typescript could not read this document (${why}),`,
        "// so the operations are typed loosely here.",
        "// eslint-disable-next-line @typescript-eslint/no-explicit-any",
        "export type paths = Record<string, any>;",
        "// eslint-disable-next-line @typescript-eslint/no-explicit-any",
        "export type components = Record<string, any>;",
        "",
      ].join("\n"),
      warning: `openapi-typescript failed (${why}); handlers are typed loosely`,
    };
  }
}

