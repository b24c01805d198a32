// Issue 28 item 3: a one-flag change rewrites what it changes. The files' headers point to the report for the
// regenerate command instead of repeating every flag, and which reads are cached is said by the client alone:
// adding --cache to a generated project rewrites its client (and report and lock), not its handlers and tools.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { generateOpenApiProject } from "../../src/pipeline/openapi.js";
import { REPO_ROOT, tempDir } from "../helpers.js";

const PETSTORE = join(REPO_ROOT, "specs", "petstore3.yaml");

describe("regenerating with one more flag", () => {
  it("--cache rewrites the client and the report, nothing else", async () => {
    const out = tempDir("mxcp-gen-cache-regen-");
    const first = await generateOpenApiProject(PETSTORE, { out, name: "pets" });
    expect(first.added.length).toBeGreaterThan(40);
    const again = await generateOpenApiProject(PETSTORE, { out, name: "pets", cache: "10m" });
    expect(again.changed.sort()).toEqual(["handlers/pets/client.ts", "mxcp-gen.report.pets.md"]);
    expect(again.added).toEqual([]);
    expect(again.deleted).toEqual([]);
    expect(readFileSync(join(out, "handlers/pets/client.ts"), "utf8")).toContain('cache: { ttlSeconds: 600, reads: "all" }');
    expect(readFileSync(join(out, "mxcp-gen.report.pets.md"), "utf8")).toContain("--cache 10m");
  });

  it("--cache-include and --cache-exclude list the cached reads in the client, by method and path", async () => {
    const out = tempDir("mxcp-gen-cache-list-");
    await generateOpenApiProject(PETSTORE, { out, name: "pets", cache: "1m", cacheInclude: ["pets_*_pet*"], cacheExclude: ["pets_find_pets_by_tags"] });
    const client = readFileSync(join(out, "handlers/pets/client.ts"), "utf8");
    const reads = /reads: \[([^\]]*)\]/.exec(client)?.[1]?.match(/"[^"]+"/g);
    expect(reads).toEqual(['"GET /pet/findByStatus"', '"GET /pet/{petId}"']);
    expect(readFileSync(join(out, "handlers/pets/pets_get_pet_by_id.ts"), "utf8")).not.toMatch(/\bcache:/);
  });
});
