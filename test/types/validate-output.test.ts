import { describe, expect, it } from "vitest";
import type { TypeDef } from "../../src/project/definitions.js";
import { reshapeResult, toJsonSafe, validateOutput } from "../../src/types/validate-output.js";

describe("reshapeResult (a list result for a non-array return type)", () => {
  it.each<[string, unknown, TypeDef | undefined, unknown]>([
    ["no return type leaves the list", [{ a: 1 }, { a: 2 }], undefined, [{ a: 1 }, { a: 2 }]],
    ["array return leaves the list", [{ a: 1 }], { type: "array" }, [{ a: 1 }]],
    ["object takes the single row", [{ a: 1, b: 2 }], { type: "object" }, { a: 1, b: 2 }],
    ["scalar takes the single column", [{ greeting: "hi" }], { type: "string" }, "hi"],
    ["a non-list passes unchanged", { a: 1 }, { type: "object" }, { a: 1 }],
  ])("%s", (_n, given, ret, want) => {
    expect(reshapeResult(given, ret)).toEqual(want);
  });

  it.each<[string, unknown, TypeDef, string]>([
    ["no rows", [], { type: "object" }, "No results returned"],
    ["several rows", [{ a: 1 }, { a: 2 }], { type: "object" }, "Expected single result for return type 'object', but got 2 results"],
    ["several columns for a scalar", [{ a: 1, b: 2 }], { type: "string" }, "Expected single value for return type 'string', but got 2 values"],
  ])("%s", (_n, given, ret, message) => {
    expect(() => reshapeResult(given, ret)).toThrow(message);
  });
});

describe("validateOutput", () => {
  it.each<[string, unknown, TypeDef]>([
    ["null always passes", null, { type: "object", required: ["a"] }],
    ["string", "x", { type: "string" }],
    ["a Date is a valid string", new Date(0), { type: "string" }],
    ["date format is not checked", "not-a-date", { type: "string", format: "date" }],
    ["integer", 3, { type: "integer", minimum: 1, maximum: 3 }],
    ["number accepts ints", 3, { type: "number" }],
    ["boolean", false, { type: "boolean" }],
    ["array", [1, 2], { type: "array", items: { type: "integer" }, minItems: 1, maxItems: 2 }],
    ["object with extra keys", { a: 1, z: 2 }, { type: "object", properties: { a: { type: "integer" } }, required: ["a"] }],
  ])("accepts: %s", (_n, value, ret) => {
    expect(() => validateOutput(value, ret)).not.toThrow();
  });

  it.each<[string, unknown, TypeDef, string]>([
    ["number for string", 1, { type: "string" }, "Output validation failed: Expected string, got int"],
    ["string for array", "x", { type: "array" }, "Output validation failed: Expected array, got str"],
    ["bool is not a number", true, { type: "number" }, "Output validation failed: Expected number, got bool"],
    ["float is not an integer", 1.5, { type: "integer" }, "Output validation failed: Expected integer, got float"],
    ["string is not a boolean", "true", { type: "boolean" }, "Output validation failed: Expected boolean, got str"],
    ["below minimum", 0, { type: "integer", minimum: 1 }, "Output validation failed: Value must be >= 1"],
    ["above maximum", 5, { type: "number", maximum: 1 }, "Output validation failed: Value must be <= 1"],
    ["bad email", "x", { type: "string", format: "email" }, "Output validation failed: Invalid email format: x"],
    ["too long", "abcd", { type: "string", maxLength: 2 }, "Output validation failed: String must be at most 2 characters long"],
    ["too many items", [1, 2, 3], { type: "array", maxItems: 2 }, "Output validation failed: Array must have at most 2 items"],
    ["bad array item", [1, "x"], { type: "array", items: { type: "integer" } }, "Output validation failed: Array item 1: Expected integer, got str"],
    ["missing required", { b: 1 }, { type: "object", required: ["a"] }, "Output validation failed: Missing required properties: a"],
    ["bad property", { a: "x" }, { type: "object", properties: { a: { type: "integer" } } }, "Output validation failed: Property 'a': Expected integer, got str"],
    ["additionalProperties false", { a: 1, b: 2 }, { type: "object", properties: { a: { type: "integer" } }, additionalProperties: false }, "Output validation failed: Unexpected property: b"],
    [
      "nested path",
      { items: [{ id: "x" }] },
      { type: "object", properties: { items: { type: "array", items: { type: "object", properties: { id: { type: "integer" } } } } } },
      "Output validation failed: Property 'items': Array item 0: Property 'id': Expected integer, got str",
    ],
  ])("rejects: %s", (_n, value, ret, message) => {
    expect(() => validateOutput(value, ret)).toThrow(message);
  });
});

describe("toJsonSafe", () => {
  it("serialises dates, bigints, bytes and NaN", () => {
    expect(
      toJsonSafe({ d: new Date("2024-01-15T14:30:45Z"), small: 5n, big: 2n ** 64n, bytes: new Uint8Array([104, 105]), nan: NaN, list: [1n] }),
    ).toEqual({ d: "2024-01-15T14:30:45.000Z", small: 5, big: "18446744073709551616", bytes: "aGk=", nan: null, list: [1] });
  });
});
