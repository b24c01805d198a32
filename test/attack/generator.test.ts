// Issue 11, generator items 2, 4, 5, 6, 7, 9 and 10: each a class, each with an input of our own that has the trait.
import { spawnSync } from "node:child_process";
import { existsSync, lstatSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { SpecError } from "../../generators/openapi/diagnostics.js";
import { generateOpenApiModel } from "../../generators/openapi/index.js";
import { loadDocument } from "../../generators/openapi/load.js";
import { generateOpenApiProject } from "../../src/pipeline/openapi.js";
import { loadProject } from "../../src/project/project.js";
import { CLI, KILL_AT_STEP, REPO_ROOT, tempDir, writeProject } from "../helpers.js";

// The shared documents, as the repository carries them (a clean clone has no ../shared).
const SPECS = join(REPO_ROOT, "specs");

/** The project's own files: node_modules (its link to this checkout) is not the project's. */
function files(dir: string, base = dir): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    if (n === "node_modules") return [];
    return lstatSync(p).isDirectory() ? files(p, base) : [p.slice(base.length + 1)];
  });
}

const op = (extra = "") => `paths:\n  /pets:\n    get:\n      operationId: listPets\n${extra}      responses:\n        '200': {description: ok}\n`;
const head = (extra = "") => `openapi: 3.0.3\ninfo: {title: t, version: '1'}\nservers: [{url: 'https://api.example.com'}]\n${extra}`;

describe("item 2: an alias bomb under the alias cap stops at the expanded-size bound", () => {
  it("in a document: an error naming the limit, quickly", async () => {
    const list = Array.from({ length: 100_000 }, (_, i) => i).join(",");
    const refs = Array.from({ length: 9_000 }, (_, i) => `  k${i}: *big`).join("\n");
    const root = writeProject({ "api.yaml": `${head()}x-big: &big [${list}]\nx-refs:\n${refs}\n${op()}` });
    const err = await loadDocument(join(root, "api.yaml")).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SpecError);
    expect(String((err as Error).message)).toMatch(/api\.yaml.*expands to more than 10000000 nodes/);
  }, 60_000);

  it("in a tool file: that file is named and the rest of the project loads", () => {
    const list = Array.from({ length: 10_000 }, (_, i) => i).join(",");
    const aliases = Array.from({ length: 90 }, (_, i) => `    a${i}: *big`).join("\n");
    const root = writeProject({
      "mxcp-site.yml": "mxcp: 1\nproject: p\nprofile: d\n",
      "tools/good.yml": "mxcp: 1\ntool:\n  name: good\n  source: {code: 'SELECT 1 AS x'}\n",
      "tools/bomb.yml": `mxcp: 1\ntool:\n  name: bomb\n  source: {code: 'SELECT 1'}\n  metadata_pad: &big [${list}]\nx:\n${aliases}\n`,
    });
    const project = loadProject({ cwd: root, env: { MXCP_CONFIG: join(root, 'none.yml') } });
    const bomb = project.endpoints.find((e) => e.path === "tools/bomb.yml");
    expect(bomb?.problems.map((p) => p.message).join(" ")).toMatch(/expands to more than 200000 nodes/);
    expect(project.endpoints.find((e) => e.name === "good")?.problems).toEqual([]);
  });
});

describe("item 4: tool YAML reads the same under YAML 1.1 (MXCP) and 1.2", () => {
  const tricky = ["no", "on", "off", "yes", "Y", "1_000", "1:20", "<<", "=", "0o17", "2024-01-01", "~", "null", ".inf", "0x1F", "1e3"];
  it("enum values and a description with U+2028 cannot become keys or other types", async () => {
    const root = writeProject({
      "api.yaml": `${head()}paths:\n  /pets:\n    get:\n      operationId: listPets\n      summary: "List pets\\u2028  name:\\u2028    delete_all_pets"\n      parameters:\n        - {name: mode, in: query, schema: {type: string, enum: ${JSON.stringify(tricky)}}}\n      responses:\n        '200': {description: ok}\n`,
    });
    const out = tempDir();
    await generateOpenApiProject(join(root, "api.yaml"), { out, name: "y" });
    const text = readFileSync(join(out, "tools/y/y_list_pets.yml"), "utf8");
    expect(text).not.toMatch(/[\u2028\u2029\u0085]/);
    const v11 = parse(text, { version: "1.1" }) as any;
    const v12 = parse(text) as any;
    expect(v11).toEqual(v12);
    expect(v11.tool.name).toBe("y_list_pets");
    expect(v11.tool.parameters[0].enum).toEqual(tricky);
  });

  it("every shared document's generated YAML reads identically with a YAML 1.1 parser", async () => {
    const docs = readdirSync(SPECS).filter((f) => /\.(ya?ml|json)$/.test(f));
    expect(docs.length).toBeGreaterThan(3);
    for (const doc of docs) {
      const out = tempDir();
      await generateOpenApiProject(join(SPECS, doc), { out });
      for (const f of files(out).filter((f) => f.endsWith(".yml"))) {
        const text = readFileSync(join(out, f), "utf8");
        expect(parse(text, { version: "1.1" }), `${doc}: ${f}`).toEqual(parse(text));
        expect(text, `${doc}: ${f}`).not.toMatch(/[\u2028\u2029\u0085]/);
      }
    }
  }, 300_000);
});

describe("item 5: no hidden or bidi character is written raw anywhere", () => {
  it("client.ts, handlers, types.ts, tool YAML, the report and the lock file", async () => {
    const hidden = "a\u202Eb\u200Bc";
    const root = writeProject({
      "api.yaml": `${head()}components:\n  securitySchemes:\n    "k${hidden}\\n</script>": {type: apiKey, in: header, name: "X-${hidden}"}\nsecurity: [{"k${hidden}\\n</script>": []}]\npaths:\n  /pets/{id${hidden}}:\n    get:\n      operationId: "list${hidden}"\n      parameters:\n        - {name: "id${hidden}", in: path, required: true, schema: {type: string, enum: ["${hidden}"]}}\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: {type: object, properties: {"p${hidden}": {type: string, description: "${hidden}"}}}\n`,
    });
    const out = tempDir();
    await generateOpenApiProject(join(root, "api.yaml"), { out, name: "h", include: ["*"] });
    for (const f of files(out)) expect(readFileSync(join(out, f), "utf8"), f).not.toMatch(/[\u202E\u200B]/);
    const report = readFileSync(join(out, "mxcp-gen.report.h.md"), "utf8");
    expect(report).not.toContain("</script>");
    expect(report).toMatch(/Regenerate \(in the project folder\):\n\n {4}mxcp-gen openapi \S+ --name h --include '\*'\n/);
    const tool = parse(readFileSync(join(out, files(out).find((f) => f.startsWith("tools/"))!), "utf8")) as any;
    expect(tool.tool.parameters[0].enum).toEqual([hidden]); // escaped on disk, the same value once read
    const tsc = spawnSync(process.execPath, [join(REPO_ROOT, "node_modules/typescript/bin/tsc"), "--noEmit", "--strict", "--skipLibCheck", "--module", "nodenext", "--target", "es2022", join(out, "handlers/h/types.ts")], { encoding: "utf8" });
    expect(tsc.stdout + tsc.stderr).toBe("");
  }, 60_000);
});

describe("item 6: patterns that do not compile or backtrack catastrophically are dropped, with a note", () => {
  it("keeps a safe pattern and drops (?< and ^(a|a)*$", async () => {
    const root = writeProject({
      "api.yaml": `${head()}paths:\n  /p:\n    get:\n      operationId: p\n      parameters:\n        - {name: ok, in: query, schema: {type: string, pattern: '^[a-z]+$'}}\n        - {name: bad, in: query, schema: {type: string, pattern: '(?<'}}\n        - {name: slow, in: query, schema: {type: string, pattern: '^(a|a)*$'}}\n        - {name: nested, in: query, schema: {type: string, pattern: '^(\\w+\\s?)*$'}}\n      responses:\n        '200': {description: ok}\n`,
    });
    const r = await generateOpenApiModel(join(root, "api.yaml"), { name: "re" });
    const types = Object.fromEntries(r.model.tools[0]!.parameters.map((p) => [p.name, p.type.pattern]));
    expect(types).toEqual({ ok: "^[a-z]+$", bad: undefined, slow: undefined, nested: undefined });
    const notes = r.model.notes.map((n) => n.message).join("\n");
    expect(notes).toMatch(/"\(\?<" dropped: invalid regular expression/);
    expect(notes).toMatch(/"\^\(a\|a\)\*\$" dropped: catastrophic backtracking \(exponential\)/);
  });
});

describe("item 7: metadata, link-local and private servers", () => {
  it("warns at generation, for a literal host and for a server variable's default", async () => {
    const root = writeProject({
      "api.yaml": `openapi: 3.0.3\ninfo: {title: t, version: '1'}\nservers:\n  - url: 'http://{host}/v1'\n    variables: {host: {default: 169.254.169.254}}\n  - url: 'http://10.0.0.5/api'\n  - url: 'http://[::ffff:a9fe:a9fe]/'\n${op()}`,
    });
    const r = await generateOpenApiModel(join(root, "api.yaml"), { name: "s" });
    const w = r.warnings.map((x) => `${x.pointer} ${x.message}`);
    expect(w.find((x) => x.startsWith("/servers/0"))).toMatch(/169\.254\.169\.254.*metadata address.*refused at run time/);
    expect(w.find((x) => x.startsWith("/servers/1"))).toMatch(/private address/);
    expect(w.find((x) => x.startsWith("/servers/2"))).toMatch(/metadata address/);
  });
});

describe("item 10: a security scheme or server variable named __proto__ is kept", () => {
  it("as an own key, never as the map's prototype", async () => {
    const root = writeProject({
      "api.yaml": `openapi: 3.0.3\ninfo: {title: t, version: '1'}\nservers:\n  - url: 'https://{__proto__}.example.com'\n    variables: {__proto__: {default: api}}\ncomponents:\n  securitySchemes:\n    __proto__: {type: apiKey, in: header, name: X-Key}\nsecurity: [{__proto__: []}]\n${op()}`,
    });
    const r = await generateOpenApiModel(join(root, "api.yaml"), { name: "pp" });
    expect(Object.keys(r.model.securitySchemes)).toEqual(["__proto__"]);
    expect(Object.getPrototypeOf(r.model.securitySchemes)).toBe(Object.prototype);
    expect(Object.keys(r.model.servers[0]!.variables!)).toEqual(["__proto__"]);
  });
});

describe("item 9: a regeneration killed at any step leaves one whole file set", () => {
  const specA = `${head()}paths:\n${["a", "b", "c", "d"].map((n) => `  /${n}:\n    get:\n      operationId: get_${n}\n      responses:\n        '200': {description: ok}\n`).join("")}`;
  const specB = `${head()}paths:\n${["c", "d", "e", "f", "g"].map((n) => `  /${n}:\n    get:\n      operationId: get_${n}\n      summary: version B\n      responses:\n        '200': {description: ok}\n`).join("")}`;

  function generate(dir: string, spec: string, killAt?: string) {
    writeFileSync(join(dir, "api.yaml"), spec);
    return spawnSync(process.execPath, ["--import", KILL_AT_STEP, CLI, "openapi", "api.yaml", "--name", "j"], {
      cwd: dir,
      encoding: "utf8",
      env: { PATH: process.env.PATH, HOME: dir, ...(killAt ? { MXCP_GEN_TEST_KILL_AT: killAt } : {}) },
    });
  }

  /** The project's generated files agree with its lock file, and no temporary is left. */
  function consistent(dir: string, staged = false): string[] {
    const lock = JSON.parse(readFileSync(join(dir, "mxcp-gen.lock.json"), "utf8"));
    const tools = files(join(dir, "tools")).sort();
    expect(tools).toEqual(Object.keys(lock.apis.j.files).filter((f: string) => f.startsWith("tools/")).map((f: string) => f.slice(6)).sort());
    if (!staged) expect(files(dir).filter((f) => f.endsWith(".tmp") || f.startsWith(".mxcp-gen"))).toEqual([]);
    return tools;
  }

  for (const killAt of ["staging", "journal", "move:0", "move:5"]) {
    it(`killed at ${killAt}: the next run finishes or rolls back, and no temporary stays`, () => {
      const dir = tempDir();
      expect(generate(dir, specA).status).toBe(0);
      const killed = generate(dir, specB, killAt);
      expect(killed.signal).toBe("SIGKILL");
      if (killAt === "staging") expect(consistent(dir, true)).toEqual(["j/j_get_a.yml", "j/j_get_b.yml", "j/j_get_c.yml", "j/j_get_d.yml"]);
      expect(generate(dir, specB).status).toBe(0);
      expect(consistent(dir)).toEqual(["c", "d", "e", "f", "g"].map((n) => `j/j_get_${n}.yml`));
      expect(readFileSync(join(dir, "tools/j/j_get_c.yml"), "utf8")).toContain("version B");
      expect(existsSync(join(dir, ".mxcp-gen"))).toBe(false);
    }, 60_000);
  }
});
