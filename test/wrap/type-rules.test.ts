// One row per rule in the header of generators/npm/types.ts: a TypeScript type given (as source), the MXCP
// type wanted, and the note when the rule writes one.
import { Project, ts } from "ts-morph";
import { describe, expect, it } from "vitest";
import type { ModelNote } from "../../src/model/tool-model.js";
import type { TypeDef } from "../../src/project/definitions.js";
import { typeToMxcp } from "../../generators/npm/types.js";

interface Row {
  /** Declarations, then `type Given = …` names the type under test. */
  given: string;
  want: TypeDef | undefined;
  note?: string;
}

const rows: [string, Row][] = [
  ["null and undefined members are dropped", { given: "type Given = string | null | undefined;", want: { type: "string" } }],
  ["a closed union of string literals is an enum", { given: 'type Given = "a" | "b";', want: { type: "string", enum: ["a", "b"] } }],
  [
    "an open union is a string with the known values as examples",
    { given: 'type Given = "a" | "b" | (string & {});', want: { type: "string", examples: ["a", "b"], description: "Known values: a, b." } },
  ],
  [
    "object unions merge; required only where every member requires it",
    { given: "type Given = { a: string; b?: number } | { a: string; c: boolean };", want: { type: "object", properties: { a: { type: "string" }, b: { type: "number" }, c: { type: "boolean" } }, required: ["a"] } },
  ],
  [
    "a property several members declare merges: enums join",
    {
      given: 'type Given = { role: "user"; content: string } | { role: "assistant"; content: string | null } | { role: "tool"; content: string; id: string };',
      want: { type: "object", properties: { role: { type: "string", enum: ["user", "assistant", "tool"] }, content: { type: "string" }, id: { type: "string" } }, required: ["role", "content"] },
    },
  ],
  [
    "a union with a string member takes a string, saying what else is accepted",
    { given: "interface Part { type: string; text: string }\ntype Given = string | Part[];", want: { type: "string", description: "The SDK also accepts: array." }, note: "taken as string" },
  ],
  [
    "other mixed unions take the array before the object (issue 22 item 11: `vector: [0.1, 0.2]` must pass)",
    { given: "type Given = number[] | { a: string };", want: { type: "array", items: { type: "number" }, description: "The SDK also accepts: object." }, note: "taken as array" },
  ],
  [
    "text before binary",
    { given: "type Given = Uint8Array | string;", want: { type: "string" } },
  ],
  ["Date is a date-time string", { given: "type Given = Date;", want: { type: "string", format: "date-time" } }],
  ["an index signature is an open object", { given: "type Given = Record<string, number>;", want: { type: "object", description: "A map of values." } }],
  ["recursion ends in a bare object, noted", { given: "interface Node { child?: Node; name: string }\ntype Given = Node;", want: undefined, note: "recursive" }],
];

function convert(source: string): { got: TypeDef | undefined; notes: ModelNote[] } {
  const project = new Project({ useInMemoryFileSystem: true, compilerOptions: { strict: true, target: ts.ScriptTarget.ES2022 } });
  const file = project.createSourceFile("/given.ts", `${source}\nexport declare const __given: Given;\n`);
  const decl = file.getVariableDeclarationOrThrow("__given").compilerNode;
  const checker = project.getTypeChecker().compilerObject;
  const notes: ModelNote[] = [];
  const got = typeToMxcp(checker.getTypeAtLocation(decl), { checker, node: decl, notes, tool: "t" }, "given");
  return { got, notes };
}

describe("SDK type rules (generators/npm/types.ts)", () => {
  it.each(rows)("%s", (_name, row) => {
    const { got, notes } = convert(row.given);
    if (row.want === undefined) expect(got?.type).toBe("object");
    else expect(got).toEqual(row.want);
    if (row.note) expect(notes.map((n) => n.message).join("\n")).toContain(row.note);
  });
});
