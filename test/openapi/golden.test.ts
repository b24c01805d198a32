import { cpSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { generateOpenApiProject } from "../../src/pipeline/openapi.js";
import { REPO_ROOT, tempDir } from "../helpers.js";

// Golden output, file by file. Update after an intended change with: npx vitest run test/openapi/golden.test.ts -u
const CASES = [
  { spec: "petstore3.yaml", name: "petstore" },
  { spec: "petstore-swagger2.json", name: "petstore2" },
];

function listFiles(root: string, dir = root): string[] {
  return readdirSync(dir).flatMap((f) => {
    const full = join(dir, f);
    return statSync(full).isDirectory() ? listFiles(root, full) : [relative(root, full)];
  });
}

// openapi-typescript's types.ts is a dependency's output (its own tests cover it): kept out of the goldens,
// with its hash in the lock file, so a dependency bump does not churn them. The typecheck tests compile it.
const DEPENDENCY_OUTPUT = /^handlers\/[^/]+\/types\.ts$/;

function comparable(file: string, text: string): string {
  if (!file.endsWith("mxcp-gen.lock.json")) return text;
  return text.replace(/^\s*"handlers\/[^/"]+\/types\.ts": "[0-9a-f]+",?\n/gm, "");
}

/** Generate into a fresh project holding a copy of the spec, so headers name it the same way every time. */
async function generate(spec: string, name: string): Promise<string> {
  const out = tempDir("mxcp-gen-golden-");
  mkdirSync(join(out, "specs"));
  cpSync(join(REPO_ROOT, "specs", spec), join(out, "specs", spec));
  writeFileSync(join(out, "mxcp-site.yml"), "mxcp: 1\nproject: golden\nprofile: default\n");
  await generateOpenApiProject(join(out, "specs", spec), { out, name });
  rmSync(join(out, "specs"), { recursive: true });
  rmSync(join(out, "package.json"));
  return out;
}

describe("golden output", () => {
  for (const c of CASES) {
    it(`${c.spec} generates exactly the committed files`, async () => {
      const out = await generate(c.spec, c.name);
      const golden = join(REPO_ROOT, "test", "golden", c.name);
      const produced = listFiles(out)
        .filter((f) => !DEPENDENCY_OUTPUT.test(f))
        .sort();
      // Each file is a file snapshot: a normal run always compares; `-u` writes what changed (and a file no longer
      // produced must be deleted by hand, which the list check below says).
      for (const f of produced) await expect(comparable(f, readFileSync(join(out, f), "utf8")), f).toMatchFileSnapshot(join(golden, f));
      expect(produced, `files in ${golden} that are no longer produced: delete them`).toEqual(listFiles(golden).sort());
    });
  }

  it("is deterministic: a second generation is byte-identical and writes nothing", async () => {
    const out = await generate("petstore3.yaml", "petstore");
    const before = new Map(listFiles(out).map((f) => [f, readFileSync(join(out, f), "utf8")]));
    mkdirSync(join(out, "specs"));
    cpSync(join(REPO_ROOT, "specs", "petstore3.yaml"), join(out, "specs", "petstore3.yaml"));
    const again = await generateOpenApiProject(join(out, "specs", "petstore3.yaml"), { out, name: "petstore" });
    expect(again.added.filter((f) => f !== "package.json")).toEqual([]);
    expect(again.changed).toEqual([]);
    for (const [f, text] of before) expect(readFileSync(join(out, f), "utf8"), f).toBe(text);
  });
});
