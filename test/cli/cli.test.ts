import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, realpathSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { REPO_ROOT, runCli, tempDir } from "../helpers.js";

let demo: string;

beforeAll(async () => {
  const parent = tempDir();
  const r = await runCli(["init", "demo"], { cwd: parent });
  expect(r.code, r.stderr).toBe(0);
  demo = join(parent, "demo");
});

describe("mxcp-gen init", () => {
  it("creates the project files", () => {
    for (const f of ["mxcp-site.yml", "tools/hello.yml", "tools/hello_sql.yml", "handlers/hello.ts", "package.json", "tsconfig.json"]) {
      expect(existsSync(join(demo, f)), f).toBe(true);
    }
    expect(readFileSync(join(demo, "mxcp-site.yml"), "utf8")).toContain("project: demo");
  });

  it("refuses to overwrite an existing project", async () => {
    const r = await runCli(["init", "."], { cwd: demo });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^Error: .*mxcp-site\.yml already exists\n$/);
  });

  it("writes handlers that type-check under tsc --strict, with node_modules/mxcp-gen linked to this checkout by init", () => {
    // init linked it: this checkout is not from a registry (issue 24 item 1).
    expect(realpathSync(join(demo, "node_modules", "mxcp-gen"))).toBe(realpathSync(REPO_ROOT));
    const tsc = join(REPO_ROOT, "node_modules", "typescript", "bin", "tsc");
    expect(() => execFileSync(process.execPath, [tsc, "-p", join(demo, "tsconfig.json")], { encoding: "utf8" })).not.toThrow();
  });
});

describe("mxcp-gen run", () => {
  it("runs the TypeScript hello tool", async () => {
    const r = await runCli(["run", "tool", "hello", "-p", "name=World"], { cwd: demo });
    expect(r).toMatchObject({ code: 0, stdout: "Hello, World!\n" });
  });

  it("runs the SQL hello tool with the JSON envelope", async () => {
    const r = await runCli(["run", "tool", "hello_sql", "-p", "name=SQL", "--json-output"], { cwd: demo });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ status: "ok", result: "Hello, SQL!" });
  });

  it("prints MXCP's error envelope and exits 1 when a parameter is missing", async () => {
    const r = await runCli(["run", "tool", "hello", "--json-output"], { cwd: demo });
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout)).toMatchObject({ status: "error", error: "Required parameter missing: name" });
  });

  it("prints one error line without --json-output, and a traceback only with --debug", async () => {
    const r = await runCli(["run", "tool", "nope"], { cwd: demo });
    expect(r).toMatchObject({ code: 1, stdout: "", stderr: "Error: Unknown tool: nope (mxcp-gen list shows them all)\n" });
    const d = await runCli(["run", "tool", "nope", "--json-output", "--debug"], { cwd: demo });
    expect(JSON.parse(d.stdout)).toMatchObject({ status: "error", error: "Unknown tool: nope (mxcp-gen list shows them all)", type: "CliError" });
    expect(JSON.parse(d.stdout).traceback).toContain("at ");
  });

  it("reads -p key=@file.json as JSON", async () => {
    writeFileSync(join(demo, "arg.json"), JSON.stringify("from a file"));
    const r = await runCli(["run", "tool", "hello", "-p", "name=@arg.json"], { cwd: demo });
    expect(r.stdout).toBe("Hello, from a file!\n");
  });

  it("rejects a malformed -p with exit code 2", async () => {
    const r = await runCli(["run", "tool", "hello", "-p", "novalue"], { cwd: demo });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("Invalid parameter 'novalue': expected key=value");
  });

  it("rejects an unknown flag with usage and exit code 2", async () => {
    const r = await runCli(["run", "tool", "hello", "--nope"], { cwd: demo });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("Usage: mxcp-gen run");
  });
});

describe("mxcp-gen list and validate", () => {
  it("lists endpoints as MXCP's JSON", async () => {
    const r = await runCli(["list", "--json-output"], { cwd: demo });
    expect(JSON.parse(r.stdout)).toEqual({
      status: "ok",
      result: {
        endpoints: [
          { path: "tools/hello.yml", kind: "tool", name: "hello", error: null },
          { path: "tools/hello_sql.yml", kind: "tool", name: "hello_sql", error: null },
        ],
      },
    });
  });

  it("validate names each broken file and key, and exits 0", async () => {
    const root = tempDir();
    await runCli(["init", "p"], { cwd: root });
    const p = join(root, "p");
    writeFileSync(join(p, "tools", "broken.yml"), "mxcp: 1\ntool:\n  name: broken\n  source: {code: 'SELECT 1'}\n  colour: red\n");
    writeFileSync(join(p, "tools", "syntax.yml"), "mxcp: 1\ntool: [\n");
    writeFileSync(join(p, "tools", "noexport.yml"), "mxcp: 1\ntool:\n  name: noexport\n  language: typescript\n  source: {file: ../handlers/hello.ts}\n");
    writeFileSync(join(p, "tools", "nofile.yml"), "mxcp: 1\ntool:\n  name: nofile\n  language: typescript\n  source: {file: ../handlers/gone.ts}\n");
    const r = await runCli(["validate", "--json-output"], { cwd: p });
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { status: string; validated: { path: string; status: string; message?: string }[] };
    expect(out.status).toBe("error");
    const by = Object.fromEntries(out.validated.map((v) => [v.path, v]));
    expect(by["tools/hello.yml"]!.status).toBe("ok");
    expect(by["tools/broken.yml"]!.message).toBe("tools/broken.yml:5:11: tool.colour: Extra inputs are not permitted");
    expect(by["tools/syntax.yml"]!.message).toMatch(/^tools\/syntax\.yml:\d+:\d+: YAML syntax error/);
    expect(by["tools/noexport.yml"]!.message).toBe("tools/noexport.yml: tool.source.file: Function 'noexport' not found in handlers/hello.ts");
    expect(by["tools/nofile.yml"]!.message).toContain("tool.source.file: Source file not found: handlers/gone.ts");
    // The good tool still runs next to the broken ones.
    const run = await runCli(["run", "tool", "hello", "-p", "name=x"], { cwd: p });
    expect(run.stdout).toBe("Hello, x!\n");
  });

  it("a missing secret's variable names the file and key", async () => {
    const root = tempDir();
    await runCli(["init", "s"], { cwd: root });
    const p = join(root, "s");
    writeFileSync(join(p, "user.yml"), "mxcp: 1\nprojects:\n  s:\n    profiles:\n      default:\n        secrets:\n          - {name: api, type: api, parameters: {key: '${MISSING_VAR_X}'}}\n");
    // Listing never needs a secret's value: the variable is only asked for when a tool uses the secret.
    const r = await runCli(["list"], { cwd: p, env: { MXCP_CONFIG: join(p, "user.yml") } });
    expect(r.code, r.stderr).toBe(0);
    writeFileSync(join(p, "mxcp-site.yml"), readFileSync(join(p, "mxcp-site.yml"), "utf8").replace("secrets: []", "").trimEnd() + "\nsecrets: [api]\n");
    const check = await runCli(["secrets", "check"], { cwd: p, env: { MXCP_CONFIG: join(p, "user.yml") } });
    expect(check.code).toBe(1);
    expect(check.stdout).toContain("projects.s.profiles.default.secrets.0.parameters.key: Environment variable MISSING_VAR_X is not set");
  });

  it("a mistyped tool name gets a suggestion; a stray argument says arguments take -p; arrays are JSON", async () => {
    const typo = await runCli(["run", "tool", "helo"], { cwd: demo });
    expect(typo.stderr).toContain("Did you mean 'hello'?");
    const stray = await runCli(["run", "tool", "hello", "name=World"], { cwd: demo });
    expect(stray.code).toBe(2);
    expect(stray.stderr).toContain("arguments are given with -p, as in -p name=World");
  });
});

describe("help", () => {
  it("lists every command and each command's flags", async () => {
    const r = await runCli(["--help"], { cwd: demo });
    for (const c of ["init", "list", "validate", "run"]) expect(r.stdout).toContain(`  ${c}`);
    const run = await runCli(["run", "--help"], { cwd: demo });
    for (const f of ["-p, --param key=value", "-u, --user JSON", "--skip-output-validation", "--profile", "--json-output", "--debug"]) expect(run.stdout).toContain(f);
  });
});

describe("rough edges", () => {
  it("no command is a usage error (exit 2); a mistyped command or flag gets a suggestion", async () => {
    const none = await runCli([], { cwd: demo });
    expect(none.code).toBe(2);
    expect(none.stderr).toContain("no command given");
    const typo = await runCli(["serv"], { cwd: demo });
    expect(typo.code).toBe(2);
    expect(typo.stderr).toContain("Did you mean 'serve'?");
    const flag = await runCli(["lint", "--severty", "error"], { cwd: demo });
    expect(flag.code).toBe(2);
    expect(flag.stderr).toContain("Did you mean '--severity'?");
  });
});
