import { existsSync } from "node:fs";
import { dirname, join } from "node:path";

/** The package's folder in the project's node_modules (walking up), or undefined. Light: no compiler loaded. */
export function findPackage(name: string, from: string): string | undefined {
  let dir = from;
  for (;;) {
    const candidate = join(dir, "node_modules", name, "package.json");
    if (existsSync(candidate)) return dirname(candidate);
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}
