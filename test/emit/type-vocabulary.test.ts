// Issue 23 item 5: MXCP's type vocabulary is written once (src/project/type-schema.ts). A type with every key the
// schema knows is written out with every key, in the schema's order, and loads back as it was.
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { toolYaml } from "../../src/emit/api-files.js";
import type { ApiModel, ToolModel } from "../../src/model/tool-model.js";
import { TYPE_KEYS, typeSchema, type TypeDef } from "../../src/project/type-schema.js";

const leaf: TypeDef = { type: "string" };
/** A value for every key of the vocabulary (not a meaningful type: a test of the words, not of their sense). */
const everyKey: TypeDef = {
  type: "object",
  format: "email",
  description: "All of it.",
  enum: ["a"],
  examples: ["a"],
  minLength: 1,
  maxLength: 2,
  pattern: "^a$",
  minimum: 1,
  maximum: 2,
  exclusiveMinimum: 0,
  exclusiveMaximum: 3,
  multipleOf: 1,
  minItems: 1,
  maxItems: 2,
  uniqueItems: true,
  items: leaf,
  properties: { a: leaf },
  required: ["a"],
  additionalProperties: false,
  sensitive: true,
  default: "a",
};

describe("the type vocabulary", () => {
  it("the test's type has every key the schema knows", () => {
    expect(Object.keys(everyKey).sort()).toEqual([...TYPE_KEYS].sort());
  });

  it("every key is written to the tool YAML, in the schema's order, and loads back unchanged", () => {
    const api: ApiModel = { name: "v", title: "v", version: "1", servers: [], securitySchemes: {}, secretParameters: [], tools: [], notes: [] };
    const tool: ToolModel = {
      name: "v_all",
      description: "Takes a type with every key.",
      annotations: {},
      tags: [],
      parameters: [{ name: "p", type: everyKey, required: false, tsType: { kind: "builtin", name: "unknown" }, origin: "test" }],
      target: { kind: "sdk", path: ["all"], arguments: [], sync: false, overloaded: false },
      origin: {},
      moduleName: "v_all",
    };
    const yaml = parse(toolYaml(api, tool, { api: "v", source: "test", command: "test" })) as { tool: { parameters: Record<string, unknown>[] } };
    const written = yaml.tool.parameters[0]!;
    expect(Object.keys(written)).toEqual(["name", ...TYPE_KEYS]);
    const { name: _name, ...type } = written;
    expect(typeSchema.parse(type)).toEqual(everyKey);
  });

  it("a key the vocabulary does not have is refused when a file is loaded", () => {
    expect(typeSchema.safeParse({ type: "string", minimumLength: 1 }).success).toBe(false);
  });
});
