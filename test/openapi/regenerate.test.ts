import { cpSync, existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { safeTarget, WriteError } from "../../src/emit/writer.js";
import { REPO_ROOT, runCli, tempDir } from "../helpers.js";

function project(): string {
  const out = tempDir("mxcp-gen-regen-");
  mkdirSync(join(out, "specs"));
  cpSync(join(REPO_ROOT, "specs", "petstore3.yaml"), join(out, "specs", "petstore3.yaml"));
  return out;
}

const gen = (out: string, ...flags: string[]) => runCli(["openapi", "specs/petstore3.yaml", "--name", "petstore", ...flags], { cwd: out });

describe("mxcp-gen openapi: regeneration", () => {
  it("writes the project, then a rerun changes nothing and --check passes", async () => {
    const out = project();
    const first = await gen(out);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toContain("Generated: API petstore, 19 tools");
    expect(first.stderr).toContain("✔ read specs/petstore3.yaml: OpenAPI 3.0.4, 19 operations");
    expect(readFileSync(join(out, "mxcp-site.yml"), "utf8")).toContain("- petstore");
    const lock = JSON.parse(readFileSync(join(out, "mxcp-gen.lock.json"), "utf8"));
    expect(lock.apis.petstore.input).toEqual({ source: "specs/petstore3.yaml", files: [{ path: "petstore3.yaml", sha256: expect.stringMatching(/^[0-9a-f]{64}$/) }] });
    expect(Object.keys(lock.apis.petstore.files)).toContain("tools/petstore/petstore_get_pet_by_id.yml");
    const again = await gen(out);
    expect(again.stdout).toContain("0 added, 0 changed, 0 deleted");
    const lint = await runCli(["lint", "--severity", "error", "--json-output"], { cwd: out });
    expect(JSON.parse(lint.stdout)).toEqual([]);
    expect((await gen(out, "--check")).code).toBe(0);
  });

  it("refuses to overwrite a file the user edited, unless --force; --check reports the drift", async () => {
    const out = project();
    await gen(out);
    const handler = join(out, "handlers", "petstore", "petstore_get_pet_by_id.ts");
    writeFileSync(handler, readFileSync(handler, "utf8") + "// my change\n");
    const check = await gen(out, "--check");
    expect(check.code).toBe(1);
    expect(check.stdout).toContain("-// my change");
    const refused = await gen(out);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain("Not overwritten: handlers/petstore/petstore_get_pet_by_id.ts was edited since it was generated (use --force to replace it)");
    expect(readFileSync(handler, "utf8")).toContain("// my change");
    const forced = await gen(out, "--force");
    expect(forced.code).toBe(0);
    expect(readFileSync(handler, "utf8")).not.toContain("// my change");
  });

  it("removes the files it created and no longer needs, and keeps edited ones", async () => {
    const out = project();
    await gen(out);
    const edited = join(out, "tools", "petstore", "petstore_delete_pet.yml");
    writeFileSync(edited, readFileSync(edited, "utf8") + "# mine\n");
    const r = await gen(out, "--read-only");
    expect(r.stdout).toMatch(/deleted/);
    expect(existsSync(join(out, "tools", "petstore", "petstore_add_pet.yml"))).toBe(false);
    expect(existsSync(join(out, "handlers", "petstore", "petstore_add_pet.ts"))).toBe(false);
    expect(existsSync(join(out, "tools", "petstore", "petstore_get_pet_by_id.yml"))).toBe(true);
    expect(existsSync(edited)).toBe(true);
    expect(r.stderr).toContain("petstore_delete_pet.yml is no longer generated but was edited; left in place");
  });

  it("mxcp-gen check regenerates an API only when the lock's hashes show a change, and reports drift", async () => {
    const out = project();
    await gen(out, "--read-only");
    // Nothing differs from the lock file: nothing is regenerated (issue 28 item 2).
    const clean = await runCli(["check"], { cwd: out });
    expect(clean.code).toBe(0);
    expect(clean.stdout).toContain("petstore: up to date (inputs, generator and");
    expect(clean.stdout).toContain("nothing regenerated");
    const yml = join(out, "tools", "petstore", "petstore_get_pet_by_id.yml");
    const original = readFileSync(yml, "utf8");
    writeFileSync(yml, original.replace("Find pet by ID", "Find a pet"));
    const drift = await runCli(["check"], { cwd: out });
    expect(drift.code).toBe(1);
    expect(drift.stdout).toContain("petstore: drift (regenerated: tools/petstore/petstore_get_pet_by_id.yml differs from what was generated");
    expect(drift.stdout).toContain("-    Find a pet");
    // A changed input is regenerated and gets the full diff.
    writeFileSync(yml, original);
    const spec = join(out, "specs", "petstore3.yaml");
    writeFileSync(spec, readFileSync(spec, "utf8").replace("summary: Find pet by ID.", "summary: Look a pet up by ID."));
    const changed = await runCli(["check"], { cwd: out });
    expect(changed.code).toBe(1);
    expect(changed.stdout).toContain("petstore: drift (regenerated: petstore3.yaml changed");
    expect(changed.stdout).toContain("+    Look a pet up by ID.");
  });

  it("--dry-run prints the plan and diffs and writes nothing", async () => {
    const out = project();
    const r = await gen(out, "--dry-run");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("+++ b/tools/petstore/petstore_get_pet_by_id.yml");
    expect(r.stdout).toContain("Would change: API petstore");
    expect(existsSync(join(out, "tools"))).toBe(false);
    expect(existsSync(join(out, "mxcp-gen.lock.json"))).toBe(false);
  });

  it("filters by tag, glob and method", async () => {
    const out = project();
    await gen(out, "--tag", "store", "--exclude", "deleteOrder");
    const lock = JSON.parse(readFileSync(join(out, "mxcp-gen.lock.json"), "utf8"));
    const tools = Object.keys(lock.apis.petstore.files).filter((f) => f.startsWith("tools/")).map((f) => f.split("/").pop());
    expect(tools).toEqual(["petstore_get_inventory.yml", "petstore_get_order_by_id.yml", "petstore_place_order.yml"]);
    const out2 = project();
    await gen(out2, "--methods", "delete");
    const lock2 = JSON.parse(readFileSync(join(out2, "mxcp-gen.lock.json"), "utf8"));
    expect(Object.keys(lock2.apis.petstore.files).filter((f) => f.startsWith("tools/"))).toHaveLength(3);
  });
});

describe("nothing is written outside the project", () => {
  it.each(["../x.ts", "/etc/x", "a/../../x", "a//b", "con.ts", "a\\b", "./a"])("refuses %j", (rel) => {
    expect(() => safeTarget(tempDir(), rel)).toThrow(WriteError);
  });
  it("refuses to follow a symlinked folder out of the project", () => {
    const out = tempDir();
    const elsewhere = tempDir();
    symlinkSync(elsewhere, join(out, "tools"));
    expect(() => safeTarget(out, "tools/x.yml")).toThrow(/is a link or not a folder/);
  });
});
