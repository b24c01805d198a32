// Issue 23 item 13: many tests run the CLI (bin/mxcp-gen.js), which runs dist/. After an edit to src/ or
// generators/, `npx vitest run <file>` would test the old build and nothing would say so: the suite rebuilds
// first whenever a source file is newer than the build.
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));

function newest(dir: string, ext: RegExp): number {
  if (!existsSync(dir)) return 0;
  let latest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) latest = Math.max(latest, newest(path, ext));
    else if (ext.test(entry.name)) latest = Math.max(latest, statSync(path).mtimeMs);
  }
  return latest;
}

export default function setup(): void {
  const source = Math.max(newest(join(ROOT, "src"), /\.ts$/), newest(join(ROOT, "generators"), /\.ts$/));
  const built = newest(join(ROOT, "dist"), /\.js$/);
  if (built >= source) return;
  process.stderr.write("dist/ is older than the sources: building it first (npm run build)\n");
  const tsc = join(ROOT, "node_modules", "typescript", "bin", "tsc");
  const r = spawnSync(process.execPath, [tsc, "-p", join(ROOT, "tsconfig.build.json")], { cwd: ROOT, stdio: "inherit" });
  if (r.status !== 0) throw new Error("npm run build failed: the tests would run an old dist/");
}
