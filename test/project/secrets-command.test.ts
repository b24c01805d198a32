// Issue 16 item 5: `secrets add` merges one secret into the user config (created when missing) and keeps
// everything else; `secrets check` says what is set and what is missing, and never prints a value.
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { REPO_ROOT, runCli, tempDir } from "../helpers.js";

describe("mxcp-gen secrets", () => {
  it("adds a secret to a user config that does not exist yet, in a folder that does not exist yet", async () => {
    const dir = tempDir("mxcp-gen-secrets-");
    expect((await runCli(["openapi", join(REPO_ROOT, "specs", "petstore3.yaml"), "--name", "pets", "--out", dir], { cwd: dir })).code).toBe(0);
    const sample = readFileSync(join(dir, "config.pets.sample.yml"), "utf8");
    expect(sample).not.toContain("Do not edit");
    expect(sample).toContain("mxcp-gen secrets add pets");
    const config = join(dir, "home", ".mxcp", "config.yml");
    const env = { MXCP_CONFIG: config };
    const before = await runCli(["secrets", "check"], { cwd: dir, env });
    expect(before.code).toBe(1);
    expect(before.stdout).toContain("✗ pets: missing");
    const add = await runCli(["secrets", "add", "pets", "--set", "api_key=sk-canary-123"], { cwd: dir, env });
    expect(add.code, add.stderr).toBe(0);
    expect(add.stdout + add.stderr).not.toContain("sk-canary-123");
    expect(existsSync(config)).toBe(true);
    const written = parse(readFileSync(config, "utf8")) as { projects: Record<string, { profiles: { default: { secrets: { name: string; parameters: Record<string, string> }[] } } }> };
    const secret = Object.values(written.projects)[0]!.profiles.default.secrets[0]!;
    expect(secret.name).toBe("pets");
    expect(secret.parameters.api_key).toBe("sk-canary-123");
    expect(secret.parameters.base_url).toBe("https://petstore3.swagger.io/api/v3");
    const after = await runCli(["secrets", "check", "--json-output"], { cwd: dir, env: { ...env, PETS_TOKEN: "t" } });
    expect(after.stdout).not.toContain("sk-canary-123");
    expect(JSON.parse(after.stdout).result.secrets[0]).toMatchObject({ name: "pets", state: "set" });
  }, 120_000);

  it("merges into a used config: comments, other projects and other secrets stay; the same name is replaced", async () => {
    const dir = tempDir("mxcp-gen-secrets-merge-");
    expect((await runCli(["openapi", join(REPO_ROOT, "specs", "petstore3.yaml"), "--name", "pets", "--out", dir], { cwd: dir })).code).toBe(0);
    const project = (parse(readFileSync(join(dir, "mxcp-site.yml"), "utf8")) as { project: string }).project;
    const config = join(dir, "config.yml");
    writeFileSync(
      config,
      `# my settings, keep me\nmxcp: 1\nprojects:\n  other:\n    profiles:\n      default:\n        secrets:\n          - {name: github, type: api, parameters: {token: keep-this}}\n  ${project}:\n    profiles:\n      default:\n        secrets:\n          - {name: slack, type: api, parameters: {token: s}}\n          - {name: pets, type: api, parameters: {api_key: old}}\n`,
    );
    const add = await runCli(["secrets", "add", "pets", "--set", "api_key=new"], { cwd: dir, env: { MXCP_CONFIG: config } });
    expect(add.code, add.stderr).toBe(0);
    const text = readFileSync(config, "utf8");
    expect(text).toContain("# my settings, keep me");
    const written = parse(text) as { projects: Record<string, { profiles: { default: { secrets: { name: string; parameters: Record<string, string> }[] } } }> };
    expect(written.projects.other!.profiles.default.secrets[0]!.parameters.token).toBe("keep-this");
    const mine = written.projects[project]!.profiles.default.secrets;
    expect(mine.map((s) => s.name)).toEqual(["slack", "pets"]);
    expect(mine[1]!.parameters.api_key).toBe("new");
  }, 120_000);
});
