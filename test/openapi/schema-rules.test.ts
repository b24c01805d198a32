// One row per rule in the header of generators/openapi/schema.ts (and the rules added since): a small
// schema given, the MXCP type wanted, and the note when the rule says one is written.
import { describe, expect, it } from "vitest";
import type { TypeDef } from "../../src/project/definitions.js";
import type { ModelNote } from "../../src/model/tool-model.js";
import { collapseSchema, type SchemaMode } from "../../generators/openapi/schema.js";
import { openApiDocument, type Referenced, type Schema } from "../../generators/openapi/document.js";

type Json = Record<string, unknown>;

interface Row {
  given: Referenced<Schema>;
  want: TypeDef | undefined;
  mode?: SchemaMode;
  /** The document's components, for $ref rows. */
  schemas?: Record<string, Schema>;
  /** A note that must be written (substring). */
  note?: string;
  openapi31?: boolean;
}

function deep(levels: number): Json {
  let s: Json = { type: "string" };
  for (let i = 0; i < levels; i++) s = { type: "object", properties: { next: s } };
  return s;
}

const rows: [string, Row][] = [
  ["$ref is inlined", { given: { $ref: "#/components/schemas/Id" }, schemas: { Id: { type: "integer", minimum: 1 } }, want: { type: "integer", minimum: 1 } }],
  [
    "a reference back into itself is a bare object, noted",
    { given: { $ref: "#/components/schemas/Node" }, schemas: { Node: { type: "object", properties: { child: { $ref: "#/components/schemas/Node" } } } }, want: { type: "object", properties: { child: { type: "object" } } }, note: "recursive schema" },
  ],
  [
    "allOf joins properties and required lists",
    {
      given: { allOf: [{ type: "object", properties: { a: { type: "string" } }, required: ["a"] }, { type: "object", properties: { b: { type: "integer" } }, required: ["b"] }] },
      want: { type: "object", properties: { a: { type: "string" }, b: { type: "integer" } }, required: ["a", "b"] },
    },
  ],
  ["oneOf drops null", { given: { oneOf: [{ type: "string", maxLength: 3 }, { type: "null" }] }, want: { type: "string", maxLength: 3 } }],
  ["a 3.1 type list drops null", { given: { type: ["integer", "null"] }, want: { type: "integer" }, openapi31: true }],
  [
    "members of one type merge; anyOf keeps only what every member requires",
    {
      given: { anyOf: [{ type: "object", properties: { a: { type: "string" } }, required: ["a"] }, { type: "object", properties: { b: { type: "string" } }, required: ["a", "b"] }] },
      want: { type: "object", properties: { a: { type: "string" }, b: { type: "string" } }, required: ["a"] },
    },
  ],
  [
    "oneOf objects merge, and the description says which properties go together",
    {
      given: { oneOf: [{ type: "object", properties: { x: { type: "number" }, y: { type: "number" } } }, { type: "object", properties: { node_id: { type: "string" } } }] },
      want: { type: "object", properties: { x: { type: "number" }, y: { type: "number" }, node_id: { type: "string" } }, description: "Exactly one of these shapes: (x, y); (node_id)." },
    },
  ],
  ["mixed types in an input take the widest kind, noted", { given: { oneOf: [{ type: "string" }, { type: "object" }] }, want: { type: "object" }, note: "values of several types" }],
  ["mixed types in an output are left unchecked", { given: { oneOf: [{ type: "string" }, { type: "integer" }] }, mode: "output", want: undefined, note: "left unchecked" }],
  [
    "inputs keep enum, lengths, ranges, items and required",
    {
      given: { type: "object", required: ["n"], properties: { n: { type: "integer", minimum: 1, maximum: 9 }, s: { type: "string", enum: ["a", "b"] }, l: { type: "array", items: { type: "string", minLength: 2 }, maxItems: 3 } } },
      want: {
        type: "object",
        properties: { n: { type: "integer", minimum: 1, maximum: 9 }, s: { type: "string", enum: ["a", "b"] }, l: { type: "array", items: { type: "string", minLength: 2 }, maxItems: 3 } },
        required: ["n"],
      },
    },
  ],
  [
    "every property and item of an output is described: the document's words, else its name",
    { given: { type: "object", properties: { created_by: { type: "object", properties: { userStatus: { type: "integer" } } }, tags: { type: "array", items: { type: "string" } } } }, mode: "output", want: { type: "object", properties: { created_by: { type: "object", description: "Created by.", properties: { userStatus: { type: "integer", description: "User status." } } }, tags: { type: "array", description: "Tags.", items: { type: "string", description: "One item." } } } } },
  ],
  ["outputs keep only types and descriptions", { given: { type: "string", enum: ["a"], maxLength: 2, description: "Kind." }, mode: "output", want: { type: "string", description: "Kind." } }],
  ["a pattern that backtracks catastrophically is dropped, noted", { given: { type: "string", pattern: "^(a+)+$" }, want: { type: "string" }, note: "dropped" }],
  ["past the output depth budget a value is left bare, noted", { given: deep(8), mode: "output", want: collapseWant(5), note: "schema budget reached" }],
  ["a lone 3.1 const is a one-value enum", { given: { const: "users" }, want: { type: "string", enum: ["users"] }, openapi31: true }],
  [
    "a union of consts is an enum, each value's title kept in the description",
    {
      given: { description: "Resource kind.", oneOf: [{ const: "users", title: "People" }, { const: "roles", title: "Roles they hold" }] },
      want: { type: "string", enum: ["users", "roles"], description: "Resource kind. Values: users (People); roles (Roles they hold)." },
      openapi31: true,
    },
  ],
  [
    "nested const unions too",
    {
      given: { type: "array", items: { anyOf: [{ const: 1 }, { const: 2 }, { type: "integer", enum: [3] }] } },
      want: { type: "array", items: { type: "integer", enum: [1, 2, 3] } },
      openapi31: true,
    },
  ],
  [
    "a required name with no property schema is asked for as a string, noted",
    {
      given: { type: "object", required: ["project", "name"], properties: { name: { type: "string" } } },
      want: { type: "object", properties: { name: { type: "string" }, project: { type: "string", description: "Required by the API; the document gives no schema for it." } }, required: ["project", "name"] },
      note: "'project' is required but has no property schema",
    },
  ],
  ["an example that breaks its format is repaired when exact (a date-time cut to its date)", { given: { type: "string", format: "date", example: "2025-10-15T13:51:00.923Z" }, want: { type: "string", format: "date", examples: ["2025-10-15"] }, note: "cut to its date" }],
  ["an example outside its enum is dropped, noted", { given: { type: "string", enum: ["a", "b"], example: "c" }, want: { type: "string", enum: ["a", "b"] }, note: "breaks the schema" }],
  ["a default over its maximum is dropped, noted", { given: { type: "integer", maximum: 100, default: 500 }, want: { type: "integer", maximum: 100 }, note: "default 500 breaks the schema" }],
  ["an example that breaks its pattern is dropped", { given: { type: "string", pattern: "^[a-z]+$", example: "ABC" }, want: { type: "string", pattern: "^[a-z]+$" }, note: "does not match its pattern" }],
];

function collapseWant(levels: number): TypeDef {
  // Five levels of objects, then the rest is left out of the output schema; every property is described.
  let t: TypeDef = { type: "object", description: "Next." };
  for (let i = 0; i < levels - 1; i++) t = { type: "object", properties: { next: t }, description: "Next." };
  return { type: "object", properties: { next: t } };
}

describe("schema collapse rules (generators/openapi/schema.ts)", () => {
  it.each(rows)("%s", (_name, row) => {
    const notes: ModelNote[] = [];
    const doc = openApiDocument({ openapi: row.openapi31 ? "3.1.0" : "3.0.3", info: { title: "Rules", version: "1" }, components: { schemas: row.schemas ?? {} } });
    const got = collapseSchema(row.given, { doc, mode: row.mode ?? "input", notes, openapi31: row.openapi31 === true }, "#/test");
    expect(got).toEqual(row.want);
    if (row.note) expect(notes.map((n) => n.message).join("\n")).toContain(row.note);
  });
});
