import { spawn } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

export const REPO_ROOT = fileURLToPath(new URL("..", import.meta.url));
export const CLI = join(REPO_ROOT, "bin", "mxcp-gen.js");
/** A module to preload (`node --import`) into a CLI run: kills it at the write step $MXCP_GEN_TEST_KILL_AT names. */
export const KILL_AT_STEP = pathToFileURL(join(REPO_ROOT, "test", "fixtures", "kill-at-step.mjs")).href;

export function tempDir(prefix = "mxcp-gen-test-"): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** Write a project from a map of relative paths to contents; returns its root. */
export function writeProject(files: Record<string, string>, root = tempDir()): string {
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Run the built CLI as a user would, in `cwd`, with an isolated user config unless one is given. */
export function runCli(args: string[], opts: { cwd: string; env?: NodeJS.ProcessEnv }): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      cwd: opts.cwd,
      env: { PATH: process.env.PATH, HOME: opts.cwd, MXCP_CONFIG: join(opts.cwd, "no-user-config.yml"), ...opts.env },
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

/** Copy a fixture project to a temp folder, with the repo's node_modules linked in (as after `npm install`). */
export function copyFixture(name: string): string {
  const root = tempDir(`mxcp-gen-${name}-`);
  cpSync(join(REPO_ROOT, "test", "fixtures", name), root, { recursive: true });
  symlinkSync(join(REPO_ROOT, "node_modules"), join(root, "node_modules"), "dir");
  return root;
}

/** Wait until `condition` holds (a child's output arriving in several chunks, say); false after `ms`. */
export async function until(condition: () => boolean, ms = 5_000): Promise<boolean> {
  const end = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > end) return false;
    await new Promise((r) => setTimeout(r, 20));
  }
  return true;
}
