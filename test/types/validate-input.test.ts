import { describe, expect, it } from "vitest";
import type { ParamDef, TypeDef } from "../../src/project/definitions.js";
import { convertValue, validateInput, ValidationError } from "../../src/types/validate-input.js";

type Case = [name: string, schema: TypeDef, given: unknown, want: unknown];
type FailCase = [name: string, schema: TypeDef, given: unknown, message: string];

// Conversions that succeed, one row per rule of MXCP's type conversion.
const converts: Case[] = [
  ["null passes for string", { type: "string" }, null, null],
  ["null passes for integer", { type: "integer", minimum: 5 }, null, null],
  ["null passes for object", { type: "object", required: ["a"] }, null, null],
  ["plain string", { type: "string" }, "abc", "abc"],
  ["number is stringified", { type: "string" }, 42, "42"],
  ["string length inside limits", { type: "string", minLength: 2, maxLength: 3 }, "abc", "abc"],
  ["pattern is never enforced", { type: "string", pattern: "^x+$" }, "abc", "abc"],
  ["formatted string skips length checks", { type: "string", format: "email", maxLength: 3 }, "a@b.co", "a@b.co"],
  ["email", { type: "string", format: "email" }, "x@example.com", "x@example.com"],
  ["uri", { type: "string", format: "uri" }, "https://a.b/c", "https://a.b/c"],
  ["duration", { type: "string", format: "duration" }, "P1DT2H", "P1DT2H"],
  ["date stays a checked string", { type: "string", format: "date" }, "2024-02-29", "2024-02-29"],
  ["time stays a checked string", { type: "string", format: "time" }, "14:30:45", "14:30:45"],
  ["date-time with Z becomes a Date", { type: "string", format: "date-time" }, "2024-01-15T14:30:45Z", new Date("2024-01-15T14:30:45Z")],
  ["date-time without zone is UTC", { type: "string", format: "date-time" }, "2024-01-15T14:30:45", new Date("2024-01-15T14:30:45Z")],
  ["date-time with offset", { type: "string", format: "date-time" }, "2024-01-15T16:30:45+02:00", new Date("2024-01-15T14:30:45Z")],
  ["timestamp from unix seconds", { type: "string", format: "timestamp" }, 1705329045, new Date("2024-01-15T14:30:45Z")],
  ["number from string", { type: "number" }, "4.5", 4.5],
  ["number from int", { type: "number" }, 3, 3],
  ["number from exponent text", { type: "number" }, "1e3", 1000],
  ["number from bool (Python float(True))", { type: "number" }, true, 1],
  ["integer truncates floats", { type: "integer" }, 3.7, 3],
  ["integer from string", { type: "integer" }, "42", 42],
  ["integer from negative string", { type: "integer" }, " -7 ", -7],
  ["number at minimum", { type: "number", minimum: 1 }, 1, 1],
  ["number multiple of", { type: "number", multipleOf: 0.1 }, 0.3, 0.3],
  ["boolean from 'true'", { type: "boolean" }, "true", true],
  ["boolean from 'TRUE' (case-insensitive)", { type: "boolean" }, "TRUE", true],
  ["boolean from 'yes' is false (only 'true' is true)", { type: "boolean" }, "yes", false],
  ["boolean from 1 by truthiness", { type: "boolean" }, 1, true],
  ["boolean from 0 by truthiness", { type: "boolean" }, 0, false],
  ["boolean from [] by truthiness", { type: "boolean" }, [], false],
  ["array from JSON string", { type: "array", items: { type: "integer" } }, "[1, 2]", [1, 2]],
  ["array items converted", { type: "array", items: { type: "integer" } }, ["1", 2.9], [1, 2]],
  ["array without items kept", { type: "array" }, [1, "a"], [1, "a"]],
  ["array within item limits", { type: "array", minItems: 1, maxItems: 2 }, [1], [1]],
  ["unique items", { type: "array", uniqueItems: true }, [1, 2], [1, 2]],
  ["object from JSON string", { type: "object" }, '{"a": 1}', { a: 1 }],
  ["object properties converted", { type: "object", properties: { n: { type: "integer" } } }, { n: "5" }, { n: 5 }],
  ["object keeps extra keys by default", { type: "object", properties: { n: { type: "integer" } } }, { n: 1, x: true }, { n: 1, x: true }],
  ["nested object in array", { type: "array", items: { type: "object", properties: { d: { type: "string", format: "date" } } } }, [{ d: "2024-01-01" }], [{ d: "2024-01-01" }]],
];

const failures: FailCase[] = [
  ["string too short", { type: "string", minLength: 3 }, "ab", "String must be at least 3 characters long"],
  ["string too long", { type: "string", maxLength: 2 }, "abc", "String must be at most 2 characters long"],
  ["bad email", { type: "string", format: "email" }, "nope", "Invalid email format: nope"],
  ["bad uri", { type: "string", format: "uri" }, "no scheme", "Invalid uri format: no scheme"],
  ["bad duration", { type: "string", format: "duration" }, "1 day", "Invalid duration format: 1 day"],
  ["bad date", { type: "string", format: "date" }, "2023-02-29", "Invalid date format: 2023-02-29"],
  ["bad time", { type: "string", format: "time" }, "25:00:00", "Invalid time format: 25:00:00"],
  ["bad date-time", { type: "string", format: "date-time" }, "yesterday", "Invalid date-time format: yesterday"],
  ["date-time must be a string", { type: "string", format: "date-time" }, 5, "Expected string, got int"],
  ["bad timestamp", { type: "string", format: "timestamp" }, "soon", "Invalid timestamp: soon"],
  ["number from text", { type: "number" }, "abc", "Expected number, got str"],
  ["number from list", { type: "number" }, [1], "Expected number, got list"],
  ["integer from decimal text", { type: "integer" }, "4.2", "Expected integer, got str"],
  ["integer from dict", { type: "integer" }, { a: 1 }, "Expected integer, got dict"],
  ["not a multiple", { type: "number", multipleOf: 2 }, 3, "Value must be multiple of 2"],
  ["below minimum", { type: "integer", minimum: 5 }, 4, "Value must be >= 5"],
  ["above maximum", { type: "number", maximum: 1.5 }, 2, "Value must be <= 1.5"],
  ["not above exclusive minimum", { type: "number", exclusiveMinimum: 0 }, 0, "Value must be > 0"],
  ["not below exclusive maximum", { type: "number", exclusiveMaximum: 10 }, 10, "Value must be < 10"],
  ["multipleOf is checked before minimum", { type: "integer", multipleOf: 2, minimum: 10 }, 3, "Value must be multiple of 2"],
  ["array from bad JSON", { type: "array" }, "[1,", "Invalid JSON array: [1,"],
  ["array from number", { type: "array" }, 5, "Expected array, got int"],
  ["array JSON that is an object", { type: "array" }, '{"a":1}', "Expected array, got dict"],
  ["too few items", { type: "array", minItems: 2 }, [1], "Array must have at least 2 items"],
  ["too many items", { type: "array", maxItems: 1 }, [1, 2], "Array must have at most 1 items"],
  ["duplicate items", { type: "array", uniqueItems: true }, [1, 1], "Array must contain unique items"],
  ["bad item", { type: "array", items: { type: "integer" } }, ["x"], "[0]: Expected integer, got str"],
  ["object from bad JSON", { type: "object" }, "{", "Invalid JSON object: {"],
  ["object from list", { type: "object" }, [1], "Expected object, got list"],
  ["missing required properties", { type: "object", required: ["a", "b"] }, { c: 1 }, "Missing required properties: a, b"],
  ["unexpected property", { type: "object", properties: { a: { type: "string" } }, additionalProperties: false }, { a: "x", b: 1 }, "Unexpected property: b"],
];

describe("convertValue (MXCP's conversion rules)", () => {
  it.each(converts)("%s", (_name, schema, given, want) => {
    expect(convertValue(given, schema)).toEqual(want);
  });
  it.each(failures)("%s", (_name, schema, given, message) => {
    let error: unknown;
    try {
      convertValue(given, schema);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as Error).message).toBe(message);
  });
});

describe("validateInput (order: defaults, required, unknown, raw enum, convert)", () => {
  const params: ParamDef[] = [
    { name: "name", type: "string" },
    { name: "limit", type: "integer", default: 10, maximum: 100 },
    { name: "mode", type: "string", enum: ["a", "b"], default: null },
  ];

  it("applies defaults, including default: null", () => {
    expect(validateInput(params, { name: "x" })).toEqual({ name: "x", limit: 10, mode: null });
  });
  it("reports a missing required parameter", () => {
    expect(() => validateInput(params, {})).toThrow("Required parameter missing: name");
  });
  it("reports required before unknown", () => {
    expect(() => validateInput(params, { other: 1 })).toThrow("Required parameter missing: name");
  });
  it("reports an unknown parameter", () => {
    expect(() => validateInput(params, { name: "x", other: 1 })).toThrow("Unknown parameter: other");
  });
  it("checks the enum against the raw value, with Python's list repr", () => {
    expect(() => validateInput(params, { name: "x", mode: "c" })).toThrow("Invalid value for mode. Must be one of: ['a', 'b']");
  });
  it("checks the raw enum before conversion (a number is not its string)", () => {
    const p: ParamDef[] = [{ name: "n", type: "integer", enum: [1, 2] }];
    expect(() => validateInput(p, { n: "1" })).toThrow("Invalid value for n. Must be one of: [1, 2]");
    expect(validateInput(p, { n: 2 })).toEqual({ n: 2 });
  });
  it("wraps conversion errors with the parameter name", () => {
    expect(() => validateInput(params, { name: "x", limit: 500 })).toThrow("Error validating parameter 'limit': Value must be <= 100");
  });
  it("checks enums and constraints at every depth, naming the place that failed", () => {
    const p: ParamDef[] = [
      { name: "type", type: "array", items: { type: "string", enum: ["album", "track"] } },
      {
        name: "messages",
        type: "array",
        default: null,
        items: { type: "object", required: ["role"], properties: { role: { type: "string", enum: ["user", "system"] }, content: { type: "string", maxLength: 3 }, "odd key": { type: "integer", minimum: 1 } } },
      },
    ];
    expect(() => validateInput(p, { type: ["albums"] })).toThrow("Error validating parameter 'type[0]': Must be one of: ['album', 'track']");
    expect(validateInput(p, { type: ["album", "track"] })).toEqual({ type: ["album", "track"], messages: null });
    expect(() => validateInput(p, { type: [], messages: [{ role: "user", content: "hi" }, { role: "bot" }] })).toThrow("Error validating parameter 'messages[1].role': Must be one of: ['user', 'system']");
    expect(() => validateInput(p, { type: [], messages: [{ role: "user", content: "long" }] })).toThrow("Error validating parameter 'messages[0].content': String must be at most 3 characters long");
    expect(() => validateInput(p, { type: [], messages: [{ role: "user", "odd key": 0 }] })).toThrow(`Error validating parameter 'messages[0]["odd key"]': Value must be >= 1`);
    expect(() => validateInput(p, { type: [], messages: [{ content: "x" }] })).toThrow("Error validating parameter 'messages[0]': Missing required properties: role");
  });
  it("converts string arguments as the CLI passes them", () => {
    expect(validateInput(params, { name: "x", limit: "7" })).toEqual({ name: "x", limit: 7, mode: null });
  });
  it("keeps __proto__ an own key and pollutes nothing", () => {
    const p: ParamDef[] = [{ name: "o", type: "object" }];
    const out = validateInput(p, { o: JSON.parse('{"__proto__": {"polluted": true}}') as unknown });
    expect(Object.hasOwn(out.o as object, "__proto__")).toBe(true);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(() => validateInput(p, JSON.parse('{"__proto__": {"x": 1}}') as Record<string, unknown>)).toThrow("Required parameter missing: o");
  });
});
