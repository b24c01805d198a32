// One row per rule both generators share (src/model/optionality.ts, annotations.ts, object-merge.ts and the
// runtime's HTTP method rules), so a change to one is seen for both.
import { describe, expect, it } from "vitest";
import type { AnnotationsDef, TypeDef } from "../../src/project/definitions.js";
import { withOptionality } from "../../src/model/optionality.js";
import { toolAnnotations, type Effect } from "../../src/model/annotations.js";
import { mergeObjectTypes, type ObjectMergeRules } from "../../src/model/object-merge.js";
import { HTTP_METHODS, isCacheableMethod, isIdempotentMethod, isSafeMethod } from "../../src/runtime/http/methods.js";

const optionality: [string, { given: { type: TypeDef; required: boolean }; want: TypeDef }][] = [
  ["an optional parameter without a default gets default: null", { given: { type: { type: "string" }, required: false }, want: { type: "string", default: null } }],
  ["an optional parameter keeps its source's default", { given: { type: { type: "integer", default: 10 }, required: false }, want: { type: "integer", default: 10 } }],
  ["a required parameter has no default, even one its source gives", { given: { type: { type: "integer", default: 10 }, required: true }, want: { type: "integer" } }],
  ["a required parameter without a default is left as it is", { given: { type: { type: "boolean" }, required: true }, want: { type: "boolean" } }],
];

const annotations: [string, { given: { effect: Effect; idempotent: boolean; title?: string }; want: AnnotationsDef }][] = [
  ["a read is read-only and idempotent", { given: { effect: "read", idempotent: false }, want: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true } }],
  ["a write is neither read-only nor destructive", { given: { effect: "write", idempotent: false }, want: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true } }],
  ["an idempotent write (PUT) says so", { given: { effect: "write", idempotent: true }, want: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: true } }],
  ["a destructive call is flagged", { given: { effect: "destructive", idempotent: true }, want: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: true } }],
  ["a title comes first", { given: { effect: "read", idempotent: true, title: "List pets" }, want: { title: "List pets", readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true } }],
];

const a: TypeDef = { type: "object", description: "A card", properties: { number: { type: "string" }, kind: { type: "string", enum: ["card"] } }, required: ["number", "kind"] };
const b: TypeDef = { type: "object", description: "A bank account", properties: { iban: { type: "string" }, kind: { type: "string", enum: ["bank"] } }, required: ["iban", "kind"] };
const joinEnums = (x: TypeDef, y: TypeDef): TypeDef => ({ ...x, enum: [...(x.enum ?? []), ...(y.enum ?? [])] });

const merges: [string, { given: { objects: TypeDef[]; mode: "all" | "any"; rules?: ObjectMergeRules }; want: TypeDef }][] = [
  [
    "all (allOf): properties join, every member's required names are required, the first description stays",
    { given: { objects: [a, b], mode: "all" }, want: { type: "object", description: "A card", properties: { number: { type: "string" }, kind: { type: "string", enum: ["card"] }, iban: { type: "string" } }, required: ["number", "kind", "iban"] } },
  ],
  [
    "any (oneOf): only what every member requires is required",
    { given: { objects: [a, b], mode: "any" }, want: { type: "object", description: "A card", properties: { number: { type: "string" }, kind: { type: "string", enum: ["card"] }, iban: { type: "string" } }, required: ["kind"] } },
  ],
  [
    "a property several members declare follows the caller's rule",
    { given: { objects: [a, b], mode: "any", rules: { property: joinEnums } }, want: { type: "object", description: "A card", properties: { number: { type: "string" }, kind: { type: "string", enum: ["card", "bank"] }, iban: { type: "string" } }, required: ["kind"] } },
  ],
  [
    "required is left out when the caller does not check it (results)",
    { given: { objects: [a, b], mode: "all", rules: { required: false } }, want: { type: "object", description: "A card", properties: { number: { type: "string" }, kind: { type: "string", enum: ["card"] }, iban: { type: "string" } } } },
  ],
];

const methods: [string, { given: string; want: { safe: boolean; idempotent: boolean; cacheable: boolean } }][] = [
  ["GET is a safe, cacheable read", { given: "GET", want: { safe: true, idempotent: true, cacheable: true } }],
  ["HEAD is a safe, cacheable read (any case)", { given: "head", want: { safe: true, idempotent: true, cacheable: true } }],
  ["OPTIONS and TRACE are safe, not cached", { given: "TRACE", want: { safe: true, idempotent: true, cacheable: false } }],
  ["PUT is an idempotent write", { given: "PUT", want: { safe: false, idempotent: true, cacheable: false } }],
  ["DELETE is an idempotent write", { given: "delete", want: { safe: false, idempotent: true, cacheable: false } }],
  ["POST is neither", { given: "POST", want: { safe: false, idempotent: false, cacheable: false } }],
  ["PATCH is neither", { given: "PATCH", want: { safe: false, idempotent: false, cacheable: false } }],
];

describe("rules both generators share", () => {
  it.each(optionality)("optionality: %s", (_name, { given, want }) => {
    expect(withOptionality(given.type, given.required)).toEqual(want);
  });
  it.each(annotations)("annotations: %s", (_name, { given, want }) => {
    const got = toolAnnotations(given.effect, given.idempotent, given.title);
    expect(got).toEqual(want);
    expect(Object.keys(got)[0]).toBe(Object.keys(want)[0]);
  });
  it.each(merges)("object merge: %s", (_name, { given, want }) => {
    expect(mergeObjectTypes(given.objects, given.mode, given.rules)).toEqual(want);
  });
  it.each(methods)("HTTP methods: %s", (_name, { given, want }) => {
    expect({ safe: isSafeMethod(given), idempotent: isIdempotentMethod(given), cacheable: isCacheableMethod(given) }).toEqual(want);
  });
  it("one list of methods: the eight of RFC 9110 an OpenAPI path item holds", () => {
    expect([...HTTP_METHODS].sort()).toEqual(["DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT", "TRACE"]);
  });
});
