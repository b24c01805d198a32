// Issue 24 items 1 and 2: the README's quick start and its Inspector command line, run as written from a
// fresh folder. `mxcp-gen` is on the PATH the way `npm link` puts it there (a symlink to bin/mxcp-gen.js);
// the home folder is a new one, so `~/.mxcp/config.yml` is the test's own.
import { execFile, execFileSync, spawn } from "node:child_process";
import { copyFileSync, existsSync, lstatSync, mkdirSync, readFileSync, realpathSync, symlinkSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { CLI, REPO_ROOT, tempDir } from "../helpers.js";

const README = readFileSync(join(REPO_ROOT, "README.md"), "utf8");

/** The README's fenced `sh` block whose text contains `marker`, unindented. */
function block(marker: string): string {
  for (const m of README.matchAll(/^( *)```sh\n([\s\S]*?)^ *```$/gm)) {
    const indent = m[1]!.length;
    const text = m[2]!.split("\n").map((line) => line.slice(indent)).join("\n");
    if (text.includes(marker)) return text;
  }
  throw new Error(`README.md has no sh block with ${marker}`);
}

function shell(script: string, cwd: string, env: NodeJS.ProcessEnv): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile("bash", ["-euo", "pipefail", "-c", script], { cwd, env, timeout: 300_000, maxBuffer: 32 * 1024 * 1024 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === "number" ? error.code : 1) : 0, stdout, stderr });
    });
  });
}

describe("the README's quick start, as written, from a fresh folder", () => {
  it("generates, installs with mxcp-gen linked, type-checks, stores the secret; the Inspector line lists the tools", async () => {
    const folder = tempDir("mxcp-gen-readme-");
    const home = join(folder, "home");
    const bin = join(folder, "bin");
    mkdirSync(join(folder, "specs"), { recursive: true });
    mkdirSync(home);
    mkdirSync(bin);
    copyFileSync(join(REPO_ROOT, "specs", "petstore3.yaml"), join(folder, "specs", "petstore3.yaml"));
    symlinkSync(CLI, join(bin, "mxcp-gen"));
    const npmCache = execFileSync("npm", ["config", "get", "cache"], { encoding: "utf8" }).trim();
    const env: NodeJS.ProcessEnv = {
      PATH: `${bin}:${process.env.PATH ?? ""}`,
      HOME: home,
      // The machine's npm cache (HOME moved), preferred to the registry; and no lifecycle scripts, so the
      // checkout the project links to is never rebuilt under the tests that use it.
      npm_config_cache: npmCache,
      npm_config_prefer_offline: "true",
      npm_config_ignore_scripts: "true",
      npm_config_update_notifier: "false",
      npm_config_fund: "false",
      npm_config_audit: "false",
      // The machine's own certificate authorities, where it names extra ones (a proxy in front of the registry).
      ...(process.env.NODE_EXTRA_CA_CERTS ? { NODE_EXTRA_CA_CERTS: process.env.NODE_EXTRA_CA_CERTS } : {}),
    };

    const quickStart = block("mxcp-gen openapi specs/petstore3.yaml");
    const run = await shell(quickStart, folder, env);
    expect(run.code, `${run.stdout}\n${run.stderr}`).toBe(0);
    const project = join(folder, "petstore");
    // The link the command made, kept by `npm install` and recorded in its lock file.
    expect(lstatSync(join(project, "node_modules", "mxcp-gen")).isSymbolicLink()).toBe(true);
    expect(realpathSync(join(project, "node_modules", "mxcp-gen"))).toBe(realpathSync(REPO_ROOT));
    expect(run.stderr).toContain("node_modules/mxcp-gen →");
    const lock = JSON.parse(readFileSync(join(project, "package-lock.json"), "utf8")) as { packages: Record<string, { link?: boolean }> };
    expect(lock.packages["node_modules/mxcp-gen"]?.link).toBe(true);
    expect(existsSync(join(project, "node_modules", "typescript"))).toBe(true);
    expect(JSON.parse(readFileSync(join(project, "package.json"), "utf8")).dependencies["mxcp-gen"]).toMatch(/^\^\d/);
    expect(run.stdout).toMatch(/✓ petstore/);
    expect(readFileSync(join(home, ".mxcp", "config.yml"), "utf8")).toContain("special-key");

    // The Inspector's line, run from the project folder while `mxcp-gen serve` (HTTP, port 8000) runs there.
    const server = spawn("mxcp-gen", ["serve"], { cwd: project, env, stdio: ["ignore", "ignore", "pipe"] });
    let banner = "";
    try {
      await new Promise<void>((resolve, reject) => {
        server.stderr.on("data", (chunk: Buffer) => {
          banner += chunk.toString();
          if (banner.includes("/mcp")) resolve();
        });
        server.on("exit", (code) => reject(new Error(`serve exited ${code}: ${banner}`)));
      });
      const inspector = await shell(block("inspector-cli@"), project, env);
      expect(inspector.code, inspector.stderr).toBe(0);
      const listed = JSON.parse(inspector.stdout) as { tools: { name: string }[] };
      expect(listed.tools.map((t) => t.name)).toContain("petstore_get_pet_by_id");
    } finally {
      server.kill("SIGTERM");
    }
  }, 600_000);
});
