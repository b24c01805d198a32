// Tests from the document's own examples: arguments from parameter, schema and request-body examples
// (defaults and the first enum value count too: they are the document's words), and, when the 2xx
// response has an example, a few of its fields to check. Nothing is made up: without a value from
// the document for every required argument there is no test.
import type { TestDef } from "../../src/project/definitions.js";
import type { ToolParameter } from "../../src/model/tool-model.js";
import { fitExample } from "../../src/model/example-fit.js";
import { resolveSchema } from "./schema.js";

type Json = Record<string, unknown>;

function documentValue(p: ToolParameter, bodyExample: Json | undefined, wireName: string | undefined): unknown {
  if (bodyExample && wireName !== undefined && Object.hasOwn(bodyExample, wireName)) return bodyExample[wireName];
  if (p.type.examples && p.type.examples.length > 0) return p.type.examples[0];
  if (p.type.default !== undefined && p.type.default !== null) return p.type.default;
  if (p.type.enum && p.type.enum.length > 0) return p.type.enum[0];
  return undefined;
}

function isScalar(v: unknown): boolean {
  return v === null || ["string", "number", "boolean"].includes(typeof v);
}

export function exampleTests(doc: Json, op: Json, parameters: ToolParameter[], bodyWireNames: Map<string, string>, bodyExample: unknown): TestDef[] {
  const args: { key: string; value: unknown }[] = [];
  const example = bodyExample && typeof bodyExample === "object" && !Array.isArray(bodyExample) ? (bodyExample as Json) : undefined;
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
  const response = responseExample(doc, op);
  if (response && typeof response === "object" && !Array.isArray(response)) {
    const fields = Object.entries(response as Json).filter(([, v]) => isScalar(v)).slice(0, 3);
    if (fields.length > 0) test.result_contains = Object.fromEntries(fields);
  }
  return [test];
}

function responseExample(doc: Json, op: Json): unknown {
  const responses = (op.responses ?? {}) as Json;
  const code = Object.keys(responses).filter((c) => /^2\d\d$/.test(c)).sort()[0];
  if (!code) return undefined;
  const r = resolveSchema(doc, responses[code]).schema;
  const media = ((r.content ?? {}) as Record<string, Json>)["application/json"];
  if (!media) return undefined;
  if (media.example !== undefined) return media.example;
  const first = Object.values((media.examples ?? {}) as Json)[0];
  return first ? resolveSchema(doc, first).schema.value : undefined;
}
