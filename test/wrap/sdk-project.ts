// What the wrap tests share: a project with real npm packages linked in (its user config and server come from
// test/serve/servers.ts, as for every served project).
import { mkdirSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { REPO_ROOT, tempDir } from "../helpers.js";

/** A project with real npm packages linked into its node_modules (as after npm install). */
export function project(...packages: string[]): string {
  const dir = tempDir("mxcp-gen-wrap-");
  mkdirSync(join(dir, "node_modules"));
  for (const p of packages) {
    mkdirSync(join(dir, "node_modules", p, ".."), { recursive: true });
    symlinkSync(join(REPO_ROOT, "node_modules", p), join(dir, "node_modules", p));
  }
  symlinkSync(REPO_ROOT, join(dir, "node_modules", "mxcp-gen"));
  writeFileSync(join(dir, "package.json"), JSON.stringify({ private: true, type: "module" }));
  return dir;
}
