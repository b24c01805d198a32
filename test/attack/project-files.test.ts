// Issue 21 items 14 and 15: what a hostile project file can make the loader run or accept. A plugin module
// outside the project (by path or by link) is never loaded; a regeneration that died half-way is finished or
// refused by every loader, and two generations into one folder do not interleave.
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ProjectHost } from "../../src/server/host.js";
import { CLI, KILL_AT_STEP, runCli, tempDir, writeProject } from "../helpers.js";

describe("item 14: plugin modules stay inside the project", () => {
  it("a ../ module and a link that leads outside are refused, and neither runs", async () => {
    const outside = tempDir();
    const marker = join(outside, "ran.txt");
    const evil = `import { writeFileSync } from "node:fs";\nwriteFileSync(${JSON.stringify(marker)}, "ran");\nexport default { functions: {} };\n`;
    writeFileSync(join(outside, "evilplugin.ts"), evil);
    mkdirSync(join(outside, "linked"));
    writeFileSync(join(outside, "linked", "index.ts"), evil);
    const root = writeProject({
      "mxcp-site.yml": `mxcp: 1\nproject: plug\nprofile: d\nplugin:\n  - {name: up, module: ${JSON.stringify(join("..".repeat(1), "..", "..", "..", "..", "..", "..", outside, "evilplugin"))}}\n  - {name: link, module: linked}\n`,
      "user.yml": "mxcp: 1\n",
      "plugins/.keep": "",
    });
    symlinkSync(join(outside, "linked"), join(root, "plugins", "linked"));
    const logs: string[] = [];
    const host = ProjectHost.load({ cwd: root, env: { MXCP_CONFIG: join(root, "user.yml") }, log: (_l, m) => logs.push(m) });
    await host.start();
    await host.shutdown();
    expect(existsSync(marker)).toBe(false);
    expect(logs.filter((l) => /outside the project; it is not loaded/.test(l))).toHaveLength(2);
  });
});

describe("item 15: a half-switched file set is never read, and writers take turns", () => {
  const spec = (names: string[], summary: string) =>
    `openapi: 3.0.3\ninfo: {title: j, version: '1'}\npaths:\n${names.map((n) => `  /${n}:\n    get:\n      operationId: get_${n}\n      summary: ${summary}\n      responses:\n        '200': {description: ok}\n`).join("")}`;
  const env = (dir: string, extra: Record<string, string> = {}) => ({ PATH: process.env.PATH ?? "", HOME: dir, MXCP_CONFIG: join(dir, "user.yml"), ...extra });
  const generate = (dir: string, file: string, extra: Record<string, string> = {}) =>
    spawnSync(process.execPath, ["--import", KILL_AT_STEP, CLI, "openapi", file, "--name", "j"], { cwd: dir, encoding: "utf8", env: env(dir, extra) });
  /** Every generated tool file agrees with the lock file, and nothing staged or temporary is left. */
  const whole = (dir: string) => {
    const lock = JSON.parse(readFileSync(join(dir, "mxcp-gen.lock.json"), "utf8")) as { apis: { j: { files: Record<string, string> } } };
    const tools = readdirSync(join(dir, "tools", "j")).sort();
    expect(tools).toEqual(Object.keys(lock.apis.j.files).filter((f) => f.startsWith("tools/")).map((f) => f.split("/").pop()).sort());
    expect(existsSync(join(dir, ".mxcp-gen"))).toBe(false);
    expect(existsSync(join(dir, ".mxcp-gen.lock"))).toBe(false);
    return tools;
  };

  it("validate finishes a regeneration killed between renames before reading anything", async () => {
    const dir = tempDir();
    writeFileSync(join(dir, "a.yaml"), spec(["a", "b", "c", "d"], "version A"));
    writeFileSync(join(dir, "b.yaml"), spec(["c", "d", "e", "f", "g"], "version B"));
    expect(generate(dir, "a.yaml").status).toBe(0);
    expect(generate(dir, "b.yaml", { MXCP_GEN_TEST_KILL_AT: "move:3" }).signal).toBe("SIGKILL");
    expect(existsSync(join(dir, ".mxcp-gen", "journal.json"))).toBe(true);
    const validated = await runCli(["validate"], { cwd: dir, env: env(dir) });
    expect(validated.code, validated.stderr + validated.stdout).toBe(0);
    expect(whole(dir)).toEqual(["c", "d", "e", "f", "g"].map((n) => `j_get_${n}.yml`));
    expect(readFileSync(join(dir, "tools", "j", "j_get_c.yml"), "utf8")).toContain("version B");
  }, 60_000);

  it("a loader refuses to start while another live process is writing, and says so", async () => {
    const dir = tempDir();
    writeFileSync(join(dir, "a.yaml"), spec(["a", "b"], "version A"));
    expect(generate(dir, "a.yaml").status).toBe(0);
    const writer = spawn("sleep", ["60"]);
    try {
      mkdirSync(join(dir, ".mxcp-gen", "staging"), { recursive: true });
      writeFileSync(join(dir, ".mxcp-gen.lock"), JSON.stringify({ pid: writer.pid }));
      const validated = await runCli(["validate"], { cwd: dir, env: env(dir) });
      expect(validated.code).not.toBe(0);
      expect(validated.stderr + validated.stdout).toMatch(new RegExp(`Another mxcp-gen \\(PID ${writer.pid}\\) is writing this project`));
      const second = generate(dir, "a.yaml");
      expect(second.status).not.toBe(0);
      expect(second.stderr).toMatch(/Another mxcp-gen \(PID \d+\) is writing this project; run this again when it has finished/);
    } finally {
      writer.kill();
    }
    // The writer is gone: its lock is taken over and its staging dropped.
    await new Promise((r) => writer.once("exit", r));
    expect(generate(dir, "a.yaml").status).toBe(0);
    expect(whole(dir)).toEqual(["j_get_a.yml", "j_get_b.yml"]);
  }, 60_000);

  it("two generations started together into one folder: each finishes or is told to wait, never a raw error", async () => {
    const dir = tempDir();
    const names = Array.from({ length: 150 }, (_, i) => `op${i}`);
    writeFileSync(join(dir, "a.yaml"), spec(names, "version A"));
    writeFileSync(join(dir, "b.yaml"), spec(names.slice(20), "version B"));
    const run = (file: string) =>
      new Promise<{ code: number | null; stderr: string }>((resolve) => {
        const child = spawn(process.execPath, [CLI, "openapi", file, "--name", "j"], { cwd: dir, env: env(dir) });
        let stderr = "";
        child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
        child.on("exit", (code) => resolve({ code, stderr }));
      });
    for (let round = 0; round < 3; round++) {
      const outcomes = await Promise.all([run("a.yaml"), run("b.yaml")]);
      for (const o of outcomes) {
        expect(o.stderr).not.toMatch(/ENOENT|EEXIST/);
        if (o.code !== 0) expect(o.stderr).toMatch(/Another mxcp-gen \(PID \d+\) is writing this project/);
      }
      expect(outcomes.some((o) => o.code === 0)).toBe(true);
      whole(dir);
    }
  }, 120_000);
});
