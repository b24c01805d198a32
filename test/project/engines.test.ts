// The README promises Node 20.19: every package `npm ci` installs must accept it, or `npm ci` warns EBADENGINE
// (and some packages then fail at run time). A dependency that moves its floor past 20 is pinned or overridden.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import semver from "semver";
import { describe, expect, it } from "vitest";
import { REPO_ROOT } from "../helpers.js";

describe("supported Node", () => {
  it("every locked package accepts the Node version the README and package.json name", () => {
    const pkg = JSON.parse(readFileSync(join(REPO_ROOT, "package.json"), "utf8")) as { engines: { node: string } };
    const floor = semver.minVersion(pkg.engines.node)!.version;
    expect(readFileSync(join(REPO_ROOT, "README.md"), "utf8")).toContain(`Node ${floor.replace(/\.0$/, "")}`);
    const lock = JSON.parse(readFileSync(join(REPO_ROOT, "package-lock.json"), "utf8")) as { packages: Record<string, { engines?: { node?: string } | string[] }> };
    const refusing = Object.entries(lock.packages)
      .filter(([, p]) => p.engines && !Array.isArray(p.engines) && p.engines.node && !semver.satisfies(floor, p.engines.node, { includePrerelease: true }))
      .map(([name, p]) => `${name} (${(p.engines as { node: string }).node})`);
    expect(refusing).toEqual([]);
  });
});
