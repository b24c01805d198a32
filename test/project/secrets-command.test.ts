// Issue 16 item 5: `secrets add` merges one secret into the user config (created when missing) and keeps
// everything else; `secrets check` says what is set and what is missing, and never prints a value.
import { spawn, spawnSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { CLI, REPO_ROOT, runCli, tempDir } from "../helpers.js";

// util-linux's `script` gives the command a real pseudo-terminal, as a user's shell would.
const hasScript = spawnSync("script", ["--version"]).status === 0;

/** Run the CLI in a terminal; each answer is typed once the text before it has appeared. */
function atTerminal(args: string[], cwd: string, env: Record<string, string>, answers: [waitFor: string, typed: string][]): Promise<{ code: number | null; output: string }> {
  const command = [process.execPath, CLI, ...args].map((a) => `'${a.replace(/'/g, "'\\''")}'`).join(" ");
  const child = spawn("script", ["-qec", command, "/dev/null"], { cwd, env: { PATH: process.env.PATH ?? "", HOME: cwd, ...env } });
  let output = "";
  let next = 0;
  const typeWhenAsked = () => {
    while (next < answers.length && output.includes(answers[next]![0])) child.stdin.write(answers[next++]![1]);
  };
  child.stdout.on("data", (d: Buffer) => {
    output += d.toString();
    typeWhenAsked();
  });
  return new Promise((resolve) => child.on("close", (code) => resolve({ code, output })));
}

describe("mxcp-gen secrets", () => {
  it("says when the API's document declares no credentials, at generation and in check, with the --auth to use", async () => {
    const dir = tempDir("mxcp-gen-no-credentials-");
    writeFileSync(
      join(dir, "api.json"),
      JSON.stringify({ openapi: "3.0.3", info: { title: "Hub", version: "1" }, servers: [{ url: "https://api.github.com" }], paths: { "/user": { get: { operationId: "getUser", responses: { "200": { description: "ok" } } } } } }),
    );
    const gen = await runCli(["openapi", "api.json", "--name", "hub", "--out", "p"], { cwd: dir });
    expect(gen.code, gen.stderr).toBe(0);
    expect(gen.stderr).toContain("Note: the document declares no credentials, so the project sends none. api.github.com takes --auth bearer");
    const env = { MXCP_CONFIG: join(dir, "user.yml"), HOME: dir };
    expect((await runCli(["secrets", "add", "hub", "--set", "base_url=http://127.0.0.1:9"], { cwd: join(dir, "p"), env })).code).toBe(0);
    const check = await runCli(["secrets", "check"], { cwd: join(dir, "p"), env });
    expect(check.stdout).toContain("✓ hub: set");
    expect(check.stdout).toContain("! the API's document declares no credentials, so its tools send none: api.github.com takes --auth bearer");
    const json = await runCli(["secrets", "check", "--json-output"], { cwd: join(dir, "p"), env });
    expect(JSON.parse(json.stdout).result.secrets[0].noCredentials).toContain("--auth bearer");
    // Regenerated with --auth bearer, the API takes a token and nothing is said.
    const again = await runCli(["openapi", "api.json", "--name", "hub", "--out", "p", "--auth", "bearer"], { cwd: dir });
    expect(again.stderr).not.toContain("declares no credentials");
    // Files changed under a project that may be served: said once (issue 24 item 7); a first generation says nothing.
    expect(again.stderr).toContain("Restart any server running this project");
    expect(gen.stderr).not.toContain("Restart any server");
    expect((await runCli(["secrets", "check"], { cwd: join(dir, "p"), env })).stdout).not.toContain("declares no credentials");
  }, 120_000);

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
    // The bearer token is the other credential this API takes: not the one given, so not written (it would have to be set).
    expect(Object.keys(secret.parameters).sort()).toEqual(["api_key", "base_url"]);
    const after = await runCli(["secrets", "check", "--json-output"], { cwd: dir, env });
    expect(after.stdout).not.toContain("sk-canary-123");
    expect(JSON.parse(after.stdout).result.secrets[0]).toMatchObject({ name: "pets", state: "set" });
  }, 120_000);

  it("of several credentials keeps the ones chosen: by --set, else by the variables set; none chosen is refused with the choices", async () => {
    const dir = tempDir("mxcp-gen-secrets-choice-");
    expect((await runCli(["openapi", join(REPO_ROOT, "specs", "petstore3.yaml"), "--name", "pets", "--out", dir], { cwd: dir })).code).toBe(0);
    const config = join(dir, "user.yml");
    const written = () => Object.values((parse(readFileSync(config, "utf8")) as { projects: Record<string, { profiles: { default: { secrets: { parameters: Record<string, string> }[] } } }> }).projects)[0]!.profiles.default.secrets[0]!.parameters;

    const none = await runCli(["secrets", "add", "pets", "--json-output"], { cwd: dir, env: { MXCP_CONFIG: config } });
    expect(none.code).toBe(2);
    const refused = JSON.parse(none.stdout) as { error: string; fix: string };
    expect(refused.error).toContain("token ($PETS_TOKEN), api_key ($PETS_API_KEY)");
    expect(refused.fix).toContain("mxcp-gen secrets add pets --set token=");
    expect(existsSync(config)).toBe(false);

    const fromEnv = await runCli(["secrets", "add", "pets"], { cwd: dir, env: { MXCP_CONFIG: config, PETS_API_KEY: "k-canary-1" } });
    expect(fromEnv.code, fromEnv.stderr).toBe(0);
    expect(fromEnv.stdout).toContain("api_key from $PETS_API_KEY");
    expect(written()).toEqual({ base_url: "https://petstore3.swagger.io/api/v3", api_key: "${PETS_API_KEY}" });
    // Only the chosen credential has to be set for the secret to be usable.
    const check = await runCli(["secrets", "check"], { cwd: dir, env: { MXCP_CONFIG: config, PETS_API_KEY: "k-canary-1" } });
    expect(check.code, check.stdout).toBe(0);
    const unset = await runCli(["secrets", "check"], { cwd: dir, env: { MXCP_CONFIG: config } });
    expect(unset.code).toBe(1);
    expect(unset.stdout).toContain("PETS_API_KEY is not set");
    expect(unset.stdout).toContain("Fix: set the variables named above");

    // A reference given with --set is a choice too.
    const named = await runCli(["secrets", "add", "pets", "--set", "token=${PETS_TOKEN}"], { cwd: dir, env: { MXCP_CONFIG: config, PETS_API_KEY: "k-canary-1" } });
    expect(named.code, named.stderr).toBe(0);
    expect(written()).toEqual({ base_url: "https://petstore3.swagger.io/api/v3", token: "${PETS_TOKEN}" });
  }, 120_000);

  it.skipIf(!hasScript)("at a terminal, asks for each credential without showing what is typed", async () => {
    const dir = tempDir("mxcp-gen-secrets-ask-");
    expect((await runCli(["openapi", join(REPO_ROOT, "specs", "petstore3.yaml"), "--name", "pets", "--out", dir], { cwd: dir })).code).toBe(0);
    const config = join(dir, "user.yml");
    // The token is typed (with a typo taken back); the API key is skipped, and read from its variable, which is set.
    const run = await atTerminal(["secrets", "add", "pets"], dir, { MXCP_CONFIG: config, PETS_API_KEY: "k-from-env" }, [
      ["token — Bearer token", "tok-canary-5x\u007f51\r"],
      ["api_key — API key", "\r"],
    ]);
    expect(run.code, run.output).toBe(0);
    expect(run.output).toContain("Enter reads $PETS_API_KEY");
    expect(run.output).not.toContain("tok-canary");
    const written = Object.values((parse(readFileSync(config, "utf8")) as { projects: Record<string, { profiles: { default: { secrets: { parameters: Record<string, string> }[] } } }> }).projects)[0]!.profiles.default.secrets[0]!.parameters;
    expect(written).toEqual({ base_url: "https://petstore3.swagger.io/api/v3", token: "tok-canary-551", api_key: "${PETS_API_KEY}" });

    // Ctrl-C at a question changes nothing.
    const cancelled = await atTerminal(["secrets", "add", "pets"], dir, { MXCP_CONFIG: join(dir, "other.yml") }, [["token — Bearer token", "\u0003"]]);
    expect(cancelled.code).toBe(1);
    expect(cancelled.output).toContain("Cancelled: the user config was not changed");
    expect(existsSync(join(dir, "other.yml"))).toBe(false);
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
