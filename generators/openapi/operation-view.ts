// One operation of the document, its references followed once: the parameters (the path item's merged with
// the operation's own), the request body and the successful responses, each with its media types. The
// parameter, body, result, paging and example steps all read this view, never the raw document's
// references again.
import type { HttpMethod } from "../../src/runtime/http/methods.js";
import { setOwn } from "../../src/runtime/own.js";
import { pointerOf } from "./diagnostics.js";
import {
  resolved,
  type MediaTypeObject,
  type OpenApiDocument,
  type OperationObject,
  type ParameterObject,
  type PathItemObject,
  type Referenced,
  type RequestBodyObject,
  type ResponseObject,
} from "./document.js";

export type PathItemMethod = Lowercase<HttpMethod>;

export interface ParameterSite {
  parameter: ParameterObject;
  /** Where it is declared, for diagnostics. */
  pointer: string;
}

export interface RequestBodySite {
  body: RequestBodyObject;
  /** Media type → its object, in the document's order. */
  content: Record<string, MediaTypeObject>;
  pointer: string;
}

export interface ResponseSite {
  /** `200`, `201`, `2XX`. */
  code: string;
  response: ResponseObject;
  content: Record<string, MediaTypeObject>;
}

export interface OperationView {
  path: string;
  method: PathItemMethod;
  /** `/paths/~1pets/get`. */
  pointer: string;
  item: PathItemObject;
  operation: OperationObject;
  parameters: ParameterSite[];
  requestBody?: RequestBodySite;
  /** The 2xx responses in code order (`200` … `299`, then `2XX`). */
  successes: ResponseSite[];
}

const SUCCESS = /^2(\d\d|XX)$/i;

export function viewOperation(doc: OpenApiDocument, path: string, method: PathItemMethod, item: PathItemObject, operation: OperationObject): OperationView {
  const pointer = pointerOf(["paths", path, method]);
  const view: OperationView = { path, method, pointer, item, operation, parameters: mergedParameters(doc, item, operation, pointer), successes: [] };
  if (operation.requestBody) {
    const body = resolved(doc, operation.requestBody);
    view.requestBody = { body, content: contentOf(doc, body.content), pointer: `${pointer}/requestBody` };
  }
  const responses = operation.responses && typeof operation.responses === "object" ? operation.responses : {};
  for (const code of Object.keys(responses).filter((c) => SUCCESS.test(c)).sort()) {
    const response = resolved(doc, responses[code]);
    view.successes.push({ code, response, content: contentOf(doc, response.content) });
  }
  return view;
}

/**
 * The path item's parameters and the operation's, resolved; one the operation declares with the same name and
 * location replaces the path item's (OpenAPI 3 §4.8.9).
 */
function mergedParameters(doc: OpenApiDocument, item: PathItemObject, operation: OperationObject, pointer: string): ParameterSite[] {
  const merged = new Map<string, ParameterSite>();
  const add = (list: Referenced<ParameterObject>[] | undefined, base: string) => {
    if (!Array.isArray(list)) return;
    list.forEach((p, i) => {
      const parameter = resolved(doc, p);
      merged.set(`${String(parameter.in)}:${String(parameter.name)}`, { parameter, pointer: `${base}/parameters/${i}` });
    });
  };
  add(item.parameters, pointer.replace(/\/[^/]+$/, ""));
  add(operation.parameters, pointer);
  return [...merged.values()];
}

/** A `content` map with every media type object resolved (a document may not give one at all). */
function contentOf(doc: OpenApiDocument, content: Record<string, Referenced<MediaTypeObject>> | undefined): Record<string, MediaTypeObject> {
  const out: Record<string, MediaTypeObject> = {};
  if (!content || typeof content !== "object") return out;
  for (const [mediaType, media] of Object.entries(content)) setOwn(out, mediaType, resolved(doc, media));
  return out;
}
