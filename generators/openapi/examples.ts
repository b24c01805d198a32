// Tests from the document's own examples: arguments from parameter, schema and request-body examples
// (defaults and the first enum value count too: they are the document's words), and, when the 2xx
// response has an example, a few of its fields to check. Nothing is made up: without a value from
// the document for every required argument there is no test.
import type { TestDef } from "../../src/project/definitions.js";
import type { ToolParameter } from "../../src/model/tool-model.js";
import { fitExample } from "../../src/model/example-fit.js";
import { resolved, type JsonObject, type MediaTypeObject, type OpenApiDocument } from "./document.js";
import type { RequestBodySite, ResponseSite } from "./operation-view.js";

function documentValue(p: ToolParameter, bodyExample: JsonObject | undefined, wireName: string | undefined): unknown {
  if (bodyExample && wireName !== undefined && Object.hasOwn(bodyExample, wireName)) return bodyExample[wireName];
  if (p.type.examples && p.type.examples.length > 0) return p.type.examples[0];
  if (p.type.default !== undefined && p.type.default !== null) return p.type.default;
  if (p.type.enum && p.type.enum.length > 0) return p.type.enum[0];
  return undefined;
}

function isScalar(v: unknown): boolean {
  return v === null || ["string", "number", "boolean"].includes(typeof v);
}

export function exampleTests(doc: OpenApiDocument, successes: ResponseSite[], parameters: ToolParameter[], bodyWireNames: Map<string, string>, bodyExample: unknown): TestDef[] {
  const args: { key: string; value: unknown }[] = [];
  const example = bodyExample && typeof bodyExample === "object" && !Array.isArray(bodyExample) ? (bodyExample as JsonObject) : undefined;
  for (const p of parameters) {
    if (!p.required) continue;
    const value = p.name === "body" && bodyExample !== undefined && !bodyWireNames.has(p.name) ? bodyExample : documentValue(p, example, bodyWireNames.get(p.name));
    if (value === undefined) return [];
    // A test must pass our own validation: a value its schema refuses (and cannot be repaired) means no test.
    const fit = fitExample(value, p.type);
    if (!fit.ok) return [];
    args.push({ key: p.name, value: fit.value });
  }
  const test: TestDef = { name: "example", description: "Calls the operation with the document's example values.", arguments: args };
  const response = responseExample(doc, successes);
  if (response && typeof response === "object" && !Array.isArray(response)) {
    const fields = Object.entries(response).filter(([, v]) => isScalar(v)).slice(0, 3);
    if (fields.length > 0) test.result_contains = Object.fromEntries(fields);
  }
  return [test];
}

function responseExample(doc: OpenApiDocument, successes: ResponseSite[]): unknown {
  const media = successes.find((r) => /^2\d\d$/.test(r.code))?.content["application/json"];
  return media ? mediaExample(doc, media) : undefined;
}

/** A media type's own example: `example`, else the first of its named `examples`. */
function mediaExample(doc: OpenApiDocument, media: MediaTypeObject): unknown {
  if (media.example !== undefined) return media.example;
  const first = media.examples && typeof media.examples === "object" ? Object.values(media.examples)[0] : undefined;
  return first ? resolved(doc, first).value : undefined;
}

/** The request body's example in the media type the tool sends: the media type's own, else its schema's. */
export function requestBodyExample(doc: OpenApiDocument, body: RequestBodySite | undefined, mediaType: string | undefined): unknown {
  const media = body && mediaType ? body.content[mediaType] : undefined;
  if (!media) return undefined;
  const own = mediaExample(doc, media);
  return own !== undefined ? own : resolved(doc, media.schema).example;
}
