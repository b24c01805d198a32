// Issue 11, item 8: `wrap` reads only the package's own folder and its declared dependencies' types.
import { readdirSync, readFileSync, statSync, symlinkSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { REPO_ROOT, runCli, tempDir, writeProject } from "../helpers.js";

function allText(dir: string): string {
  return readdirSync(dir)
    .filter((n) => n !== "node_modules" && n !== "outside")
    .map((n) => {
      const p = join(dir, n);
      return statSync(p).isDirectory() ? allText(p) : readFileSync(p, "utf8");
    })
    .join("\n");
}

describe("a package's types that reach outside it are not read", () => {
  it("/// <reference path> and import type outside the package give nothing, and the report says so", async () => {
    const dir = writeProject({
      "package.json": JSON.stringify({ private: true, type: "module" }),
      "outside/x.d.ts": "declare interface StolenGlobal { stolen_global_field: string }\n",
      "outside/y.d.ts": "export interface Stolen { stolen_import_field: string; other_stolen: number }\n",
      "node_modules/evil-sdk/package.json": JSON.stringify({ name: "evil-sdk", version: "1.0.0", types: "index.d.ts", main: "index.js" }),
      "node_modules/evil-sdk/index.js": "export default class Evil {}\n",
      "node_modules/evil-sdk/index.d.ts": [
        '/// <reference path="../../outside/x.d.ts" />',
        'import type { Stolen } from "../../outside/y";',
        "export interface Things {",
        "  /** Create a thing. */",
        "  create(params: Stolen): Promise<{ id: string }>;",
        "  /** Update a thing. */",
        "  update(id: string, params: StolenGlobal): Promise<{ id: string }>;",
        "}",
        "export default class Evil {",
        "  constructor(apiKey: string);",
        "  things: Things;",
        "}",
        "",
      ].join("\n"),
    }, tempDir("mxcp-gen-evil-"));
    symlinkSync(REPO_ROOT, join(dir, "node_modules", "mxcp-gen"));
    const r = await runCli(["wrap", "evil-sdk", "--include", "*.*"], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    const out = allText(dir);
    expect(out).not.toContain("stolen_import_field");
    expect(out).not.toContain("stolen_global_field");
    const report = readFileSync(join(dir, "mxcp-gen.report.evil.md"), "utf8");
    expect(report).toMatch(/outside\/x\.d\.ts.*not read/);
    expect(report).toMatch(/outside\/y\.d\.ts.*not read/);
  }, 60_000);

  it("the handlers' type check reads no file outside either: an outside file that would break every handler is not seen", async () => {
    const dir = writeProject({
      "package.json": JSON.stringify({ private: true, type: "module" }),
      // Read, this would make every generated handler fail the check (toPlain no longer callable).
      "outside/x.d.ts": 'declare module "mxcp-gen/runtime" { export const toPlain: number; }\nexport {};\n',
      "node_modules/evil-sdk/package.json": JSON.stringify({ name: "evil-sdk", version: "1.0.0", type: "module", types: "index.d.ts", main: "index.js" }),
      "node_modules/evil-sdk/index.js": "export default class Evil { constructor() { this.things = { list: async () => [] }; } }\n",
      "node_modules/evil-sdk/index.d.ts": ['/// <reference path="../../outside/x.d.ts" />', "export interface Things {", "  /** List things. */", "  list(): Promise<{ id: string }[]>;", "}", "export default class Evil {", "  constructor(apiKey: string);", "  things: Things;", "}", ""].join("\n"),
    }, tempDir("mxcp-gen-evil-"));
    symlinkSync(REPO_ROOT, join(dir, "node_modules", "mxcp-gen"));
    const r = await runCli(["wrap", "evil-sdk"], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).not.toContain("does not type-check");
    expect(readFileSync(join(dir, "tools", "evil", "evil_things_list.yml"), "utf8")).toContain("evil_things_list");
  }, 60_000);
});

describe("names from a hostile package never become code", () => {
  const hostile = 'Client } from "node:fs"; process.exit(7); //';
  const project = () =>
    writeProject(
      {
        "package.json": JSON.stringify({ private: true, type: "module" }),
        "node_modules/named-sdk/package.json": JSON.stringify({ name: "named-sdk", version: "1.0.0", types: "index.d.ts", main: "index.js", type: "module" }),
        "node_modules/named-sdk/index.js": `class Client { async list() { return []; } }\nexport { Client as ${JSON.stringify(hostile)} };\n`,
        // An export named by a string (`export { C as "…" }`): the only client is reachable only by a name that is no identifier.
        "node_modules/named-sdk/index.d.ts": `declare class Client {\n  /** Lists things. */\n  list(): Promise<string[]>;\n}\nexport { Client as ${JSON.stringify(hostile)} };\n`,
      },
      tempDir("mxcp-gen-named-"),
    );

  it("an export whose name is not an identifier is never chosen as the client, and nothing is written", async () => {
    const dir = project();
    const gen = await runCli(["wrap", "named-sdk"], { cwd: dir });
    expect(gen.code).toBe(1);
    expect(gen.stderr).toContain("no export is a client class");
    expect(readdirSync(dir).sort()).toEqual(["node_modules", "package.json"]);
  });

  it("--client with such a name is refused before any code is generated", async () => {
    const dir = project();
    const gen = await runCli(["wrap", "named-sdk", "--client", hostile], { cwd: dir });
    expect(gen.code).toBe(1);
    expect(gen.stderr).toContain("is not an export name");
    expect(readdirSync(dir).sort()).toEqual(["node_modules", "package.json"]);
  });
});
