// The layers and the lines between them (docs/development.md), checked on the real import graph by dependency-cruiser:
// the runtime is the ground floor; serving never reaches into generation; the model is data that neither
// generators, emitters nor the CLI shape; generators hand the model to emit and never import it; the two
// generators share nothing but the model and the runtime.
import { describe, expect, it } from "vitest";
import { cruise, type DependencyType, type ICruiseOptions, type IForbiddenRuleType } from "dependency-cruiser";
import { REPO_ROOT, writeProject } from "../helpers.js";

// `reachable` rules follow every path, not only direct imports: serving that reaches the pipeline through a helper
// in `src/project` is still serving reaching into generation.
const NPM: DependencyType[] = ["npm", "npm-dev", "npm-optional", "npm-peer", "npm-bundled", "npm-no-pkg", "npm-unknown"];
const RULES: IForbiddenRuleType[] = [
  { name: "runtime-is-the-ground-floor", severity: "error", from: { path: "^src/runtime/" }, to: { path: "^(src/(?!runtime/)|generators/)", reachable: true } },
  // Generated projects install the runtime: it may use DuckDB and Node's own modules, nothing else from npm.
  { name: "runtime-needs-only-duckdb", severity: "error", from: { path: "^src/runtime/" }, to: { dependencyTypes: NPM, pathNot: "node_modules/@duckdb/" } },
  { name: "serving-never-reaches-into-generation", severity: "error", from: { path: "^src/server/" }, to: { path: "^(generators/|src/(emit|pipeline|devtools|scaffold|cli)/)", reachable: true } },
  { name: "the-model-is-data", severity: "error", from: { path: "^src/model/" }, to: { path: "^(generators/|src/(emit|cli|server|pipeline|devtools)/)", reachable: true } },
  { name: "generators-never-emit", severity: "error", from: { path: "^generators/" }, to: { path: "^src/(emit|pipeline|cli|server)/", reachable: true } },
  { name: "emit-never-reads-inputs", severity: "error", from: { path: "^src/emit/" }, to: { path: "^(generators/|src/(pipeline|cli|server)/)", reachable: true } },
  { name: "project-below-the-commands", severity: "error", from: { path: "^src/project/" }, to: { path: "^src/(cli|pipeline|server|devtools)/", reachable: true } },
  { name: "only-the-pipeline-drives-generators", severity: "error", from: { path: "^src/(?!pipeline/)" }, to: { path: "^generators/" } },
  { name: "openapi-generator-stays-apart", severity: "error", from: { path: "^generators/openapi/" }, to: { path: "^generators/npm/", reachable: true } },
  { name: "npm-generator-stays-apart", severity: "error", from: { path: "^generators/npm/" }, to: { path: "^generators/openapi/", reachable: true } },
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

  it("each rule catches its crossing, direct or through another module (a small tree with one of each)", async () => {
    const ts = (imports: string[]) => imports.map((i, n) => `import * as m${n} from "${i}";\nvoid m${n};\n`).join("");
    const root = writeProject({
      "tsconfig.json": JSON.stringify({ compilerOptions: { module: "nodenext", moduleResolution: "nodenext", strict: true } }),
      "package.json": JSON.stringify({ type: "module", dependencies: { "ts-morph": "*", "@duckdb/node-api": "*" } }),
      "node_modules/ts-morph/package.json": JSON.stringify({ name: "ts-morph", main: "index.js" }),
      "node_modules/ts-morph/index.js": "export const Project = 1;\n",
      "node_modules/@duckdb/node-api/package.json": JSON.stringify({ name: "@duckdb/node-api", main: "index.js" }),
      "node_modules/@duckdb/node-api/index.js": "export const DuckDBInstance = 1;\n",
      // The six crossings the review added to a copy (server → pipeline, server → devtools, emit → generators,
      // model → server, project → cli, runtime → ts-morph), an indirect one (server → project → pipeline), and
      // one of each older rule. The runtime's DuckDB import is allowed.
      "src/runtime/r.ts": ts(["../server/s.js", "ts-morph", "@duckdb/node-api"]),
      "src/server/s.ts": ts(["../../generators/openapi/o.js", "../emit/e.js", "../pipeline/p.js", "../devtools/d.js"]),
      "src/server/indirect.ts": ts(["../project/via.js"]),
      "src/project/via.ts": ts(["../pipeline/p.js"]),
      "src/project/up.ts": ts(["../cli/c.js"]),
      "src/model/m.ts": ts(["../../generators/npm/n.js", "../emit/e.js", "../cli/c.js", "../server/s.js"]),
      "src/emit/e.ts": ts(["../../generators/npm/n.js"]),
      "src/pipeline/p.ts": ts(["../../generators/npm/n.js"]),
      "src/devtools/d.ts": ts(["../../generators/openapi/o.js"]),
      "src/cli/c.ts": "export const c = 1;\n",
      "generators/openapi/o.ts": ts(["../npm/n.js", "../../src/emit/e.js"]),
      "generators/npm/n.ts": ts(["../openapi/o.js"]),
    });
    const found = await violations(root);
    for (const crossing of [
      "serving-never-reaches-into-generation: src/server/s.ts → src/pipeline/p.ts",
      "serving-never-reaches-into-generation: src/server/s.ts → src/devtools/d.ts",
      "emit-never-reads-inputs: src/emit/e.ts → generators/npm/n.ts",
      "the-model-is-data: src/model/m.ts → src/server/s.ts",
      "project-below-the-commands: src/project/up.ts → src/cli/c.ts",
      "runtime-needs-only-duckdb: src/runtime/r.ts → node_modules/ts-morph/index.js",
      // Indirect: serving reaches the pipeline (and, through it, a generator) only through src/project/via.ts.
      "serving-never-reaches-into-generation: src/server/indirect.ts → src/pipeline/p.ts",
      "serving-never-reaches-into-generation: src/server/indirect.ts → generators/npm/n.ts",
      "project-below-the-commands: src/project/via.ts → src/pipeline/p.ts",
      "only-the-pipeline-drives-generators: src/devtools/d.ts → generators/openapi/o.ts",
      "only-the-pipeline-drives-generators: src/emit/e.ts → generators/npm/n.ts",
      "generators-never-emit: generators/openapi/o.ts → src/emit/e.ts",
      "npm-generator-stays-apart: generators/npm/n.ts → generators/openapi/o.ts",
      "openapi-generator-stays-apart: generators/openapi/o.ts → generators/npm/n.ts",
      "runtime-is-the-ground-floor: src/runtime/r.ts → src/server/s.ts",
      "serving-never-reaches-into-generation: src/server/s.ts → generators/openapi/o.ts",
      "serving-never-reaches-into-generation: src/server/s.ts → src/emit/e.ts",
      "the-model-is-data: src/model/m.ts → generators/npm/n.ts",
      "the-model-is-data: src/model/m.ts → src/cli/c.ts",
      "the-model-is-data: src/model/m.ts → src/emit/e.ts",
    ]) {
      expect(found, crossing).toContain(crossing);
    }
    // The runtime's DuckDB import is allowed, and nothing is reported twice.
    expect(found.join("\n")).not.toContain("@duckdb");
    expect(new Set(found).size).toBe(found.length);
  }, 60_000);
});
