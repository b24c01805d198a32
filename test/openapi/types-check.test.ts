// types.ts is type-checked in memory; only the declarations with errors are degraded, whatever the error.
import { describe, expect, it } from "vitest";
import { degradeBrokenTypes } from "../../src/emit/types-check.js";

describe("degrading what openapi-typescript got wrong", () => {
  it("leaves a compiling module as it is", () => {
    const text = "export interface components {\n  schemas: {\n    A: { x?: string };\n  };\n}\n";
    expect(degradeBrokenTypes(text)).toEqual({ text, degraded: [] });
  });

  it("degrades each broken declaration, and only those, to any", () => {
    const text = [
      "type WithRequired<T, K extends keyof T> = T & { [P in K]-?: T[P] };",
      "export interface components {",
      "  schemas: {",
      '    A: { x?: string } | null;',
      '    B: WithRequired<components["schemas"]["A"], "x">;',
      '    C: Pick<{ a: string }, "b">;',
      '    D: components["schemas"]["A"];',
      "  };",
      "}",
      "",
    ].join("\n");
    const checked = degradeBrokenTypes(text);
    expect(checked.degraded).toEqual(["components.schemas.B", "components.schemas.C"]);
    expect(checked.text).toContain('A: { x?: string } | null;');
    expect(checked.text).toContain('D: components["schemas"]["A"];');
    expect(checked.text).toMatch(/B: any \/\* degraded by mxcp-gen/);
    expect(degradeBrokenTypes(checked.text).degraded).toEqual([]);
  });
});
