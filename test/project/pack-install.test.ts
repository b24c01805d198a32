// Issue 16 item 1: the path a real user takes. The package is packed (`npm pack`), installed from the tarball
// into an empty folder with no network (its dependencies from npm's cache, as `npm ci` left it), and a project
// generated there is shareable (a version range, no file: link), type-checks and calls a tool.
import { execFile } from "node:child_process";
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { REPO_ROOT, tempDir } from "../helpers.js";

const run = promisify(execFile);
const npm = process.platform === "win32" ? "npm.cmd" : "npm";

/**
 * `npm ci --offline` of the tarball into `dir`. With no network npm cannot look packages up, so the folder
 * gets a lock file: the tarball, and every package it (and `extra`) depends on at the versions, tarballs and
 * integrity this repository's own lock file pins, which `npm ci` left in npm's cache.
 */
async function offlineInstall(dir: string, tarball: string, extra: Record<string, string>, flags: string[]): Promise<void> {
  const ours = JSON.parse(readFileSync(join(REPO_ROOT, "package-lock.json"), "utf8")) as { packages: Record<string, Record<string, unknown>> };
  const manifest = JSON.parse(readFileSync(join(dir, "package.json"), "utf8").toString() || "{}") as Record<string, unknown>;
  const dependencies = { ...((manifest.dependencies as Record<string, string> | undefined) ?? {}), "mxcp-gen": `file:${tarball}`, ...extra };
  const ownManifest = JSON.parse(readFileSync(join(REPO_ROOT, "package.json"), "utf8")) as { version: string; bin: Record<string, string>; dependencies: Record<string, string> };
  const packages: Record<string, Record<string, unknown>> = {
    "": { name: "user", dependencies },
    "node_modules/mxcp-gen": { version: ownManifest.version, resolved: `file:${tarball}`, bin: ownManifest.bin, dependencies: ownManifest.dependencies },
  };
  for (const [key, entry] of Object.entries(ours.packages)) {
    if (!key || key === "node_modules/mxcp-gen") continue;
    const name = key.replace(/^.*node_modules\//, "");
    if (entry.dev && !Object.hasOwn(extra, name)) continue;
    const { dev: _dev, devOptional: _devOptional, ...rest } = entry;
    packages[key] = rest;
  }
  writeFileSync(join(dir, "package.json"), JSON.stringify({ ...manifest, name: "user", private: true, type: "module", dependencies }, null, 2));
  writeFileSync(join(dir, "package-lock.json"), JSON.stringify({ name: "user", lockfileVersion: 3, requires: true, packages }, null, 2));
  await run(npm, ["ci", ...flags], { cwd: dir, maxBuffer: 16 * 1024 * 1024, timeout: 300_000 });
}

describe("the packed package, installed with no network", () => {
  it("ships what it needs, installs offline, generates a shareable project that type-checks and runs", async () => {
    const dist = tempDir("mxcp-gen-pack-");
    // The build is already there (npm test builds first); --ignore-scripts keeps pack from rebuilding it under other tests.
    await run(npm, ["pack", "--ignore-scripts", "--pack-destination", dist], { cwd: REPO_ROOT, maxBuffer: 16 * 1024 * 1024 });
    const tarball = join(dist, readdirSync(dist).find((f) => f.endsWith(".tgz"))!);
    const { stdout: listing } = await run("tar", ["-tzf", tarball], { maxBuffer: 16 * 1024 * 1024 });
    const files = listing.split("\n").filter(Boolean);
    expect(files).toContain("package/bin/mxcp-gen.js");
    expect(files).toContain("package/dist/src/runtime/index.js");
    expect(files.some((f) => f.startsWith("package/templates/"))).toBe(true);
    expect(files.filter((f) => /\.map$|^package\/(src|test|bench|specs)\//.test(f))).toEqual([]);

    const tools = tempDir("mxcp-gen-user-");
    writeFileSync(join(tools, "package.json"), JSON.stringify({ private: true, type: "module" }));
    const offline = ["--offline", "--no-audit", "--no-fund", "--ignore-scripts", "--loglevel", "error"];
    await offlineInstall(tools, tarball, {}, offline);
    const cli = join(tools, "node_modules", ".bin", "mxcp-gen");
    const out = join(tools, "pets");
    mkdirSync(out);
    await run(cli, ["openapi", join(REPO_ROOT, "specs", "petstore3.yaml"), "--name", "pets", "--out", out], { cwd: tools });
    const pkg = JSON.parse(readFileSync(join(out, "package.json"), "utf8")) as { dependencies: Record<string, string> };
    expect(pkg.dependencies["mxcp-gen"]).toMatch(/^\^\d+\.\d+\.\d+/);

    // The project as a teammate gets it: its dependencies installed (mxcp-gen from the same tarball), no network.
    await offlineInstall(out, tarball, { typescript: "~5.9.3" }, offline);
    const tsc = await run(npm, ["run", "typecheck", "--silent"], { cwd: out }).catch((e: { stdout: string; stderr: string }) => ({ stdout: e.stdout, stderr: e.stderr, failed: true }));
    expect("failed" in tsc ? `${tsc.stdout}${tsc.stderr}` : "").toBe("");
    const called = await run(join(out, "node_modules", ".bin", "mxcp-gen"), ["run", "tool", "pets_find_pets_by_status", "-p", "status=available", "--json-output"], {
      cwd: out,
      env: { PATH: process.env.PATH ?? "", HOME: out, MXCP_CONFIG: join(out, "none.yml") },
    }).catch((e: { stdout: string }) => ({ stdout: e.stdout }));
    // No secret is configured and no server is reachable: the call is made, and fails as an error object.
    expect(JSON.parse(called.stdout)).toMatchObject({ status: "error" });
  }, 600_000);
});
