// The layers and the lines between them (design.md), checked on the real import graph by dependency-cruiser:
// the runtime is the ground floor; serving never reaches into generation; the model is data that neither
// generators, emitters nor the CLI shape; generators hand the model to emit and never import it; the two
// generators share nothing but the model and the runtime.
import { describe, expect, it } from "vitest";
import { cruise, type ICruiseOptions, type IForbiddenRuleType } from "dependency-cruiser";
import { REPO_ROOT, writeProject } from "../helpers.js";

const RULES: IForbiddenRuleType[] = [
  { name: "runtime-is-the-ground-floor", severity: "error", from: { path: "^src/runtime/" }, to: { path: "^(src/(?!runtime/)|generators/)" } },
  { name: "serving-never-reaches-into-generation", severity: "error", from: { path: "^src/server/" }, to: { path: "^(generators/|src/emit/)" } },
  { name: "the-model-is-data", severity: "error", from: { path: "^src/model/" }, to: { path: "^(generators/|src/emit/|src/cli/)" } },
  { name: "generators-never-emit", severity: "error", from: { path: "^generators/" }, to: { path: "^src/emit/" } },
  { name: "openapi-generator-stays-apart", severity: "error", from: { path: "^generators/openapi/" }, to: { path: "^generators/npm/" } },
  { name: "npm-generator-stays-apart", severity: "error", from: { path: "^generators/npm/" }, to: { path: "^generators/openapi/" } },
];

async function violations(baseDir: string): Promise<string[]> {
  const result = await cruise(["src", "generators"], {
    baseDir,
    tsPreCompilationDeps: true,
    doNotFollow: { path: "node_modules" },
    // ESM TypeScript imports name the .js the .ts becomes; enhanced-resolve's extensionAlias maps it back
    // (passed through by dependency-cruiser, though its option type does not list it).
    enhancedResolveOptions: { extensionAlias: { ".js": [".ts", ".js"] } } as NonNullable<ICruiseOptions["enhancedResolveOptions"]>,
    validate: true,
    ruleSet: { forbidden: RULES },
  });
  const output = result.output as { summary: { violations: { from: string; to: string; rule: { name: string } }[] } };
  return output.summary.violations.map((v) => `${v.rule.name}: ${v.from} → ${v.to}`).sort();
}

describe("imports respect the layers", () => {
  it("the code base has no forbidden import", async () => {
    expect(await violations(REPO_ROOT)).toEqual([]);
  }, 60_000);

  it("each rule catches its crossing (a small tree with one of each)", async () => {
    const ts = (imports: string[]) => imports.map((i, n) => `import * as m${n} from "${i}";\nvoid m${n};\n`).join("");
    const root = writeProject({
      "tsconfig.json": JSON.stringify({ compilerOptions: { module: "nodenext", moduleResolution: "nodenext", strict: true } }),
      "package.json": JSON.stringify({ type: "module" }),
      "src/runtime/r.ts": ts(["../server/s.js"]),
      "src/server/s.ts": ts(["../../generators/openapi/o.js", "../emit/e.js"]),
      "src/model/m.ts": ts(["../../generators/npm/n.js", "../emit/e.js", "../cli/c.js"]),
      "src/emit/e.ts": "export const e = 1;\n",
      "src/cli/c.ts": "export const c = 1;\n",
      "generators/openapi/o.ts": ts(["../npm/n.js", "../../src/emit/e.js"]),
      "generators/npm/n.ts": ts(["../openapi/o.js"]),
    });
    expect(await violations(root)).toEqual([
      "generators-never-emit: generators/openapi/o.ts → src/emit/e.ts",
      "npm-generator-stays-apart: generators/npm/n.ts → generators/openapi/o.ts",
      "openapi-generator-stays-apart: generators/openapi/o.ts → generators/npm/n.ts",
      "runtime-is-the-ground-floor: src/runtime/r.ts → src/server/s.ts",
      "serving-never-reaches-into-generation: src/server/s.ts → generators/openapi/o.ts",
      "serving-never-reaches-into-generation: src/server/s.ts → src/emit/e.ts",
      "the-model-is-data: src/model/m.ts → generators/npm/n.ts",
      "the-model-is-data: src/model/m.ts → src/cli/c.ts",
      "the-model-is-data: src/model/m.ts → src/emit/e.ts",
    ]);
  }, 60_000);
});
