// Whether a wrapped package's handlers, as they are on disk, still compile against the package installed now:
// an `npm update` of the SDK can change a method's types under handlers generated for the old ones. `validate`
// and `check` both ask this, with the same in-memory check `wrap` runs before writing.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { allowedTypeRoots } from "../../generators/npm/confined-fs.js";
import { findPackage } from "../../generators/npm/package-location.js";
import { uncompiledHandlers } from "../emit/handlers-check.js";
import { readLock } from "../project/lock-file.js";

export interface HandlerTypeProblem {
  api: string;
  /** Project-relative path of the handler (or client) file. */
  path: string;
  message: string;
}

/** Every wrapped API's handler files that do not type-check, with the first error of each. */
export function wrappedHandlerProblems(root: string): HandlerTypeProblem[] {
  const problems: HandlerTypeProblem[] = [];
  for (const [api, entry] of Object.entries(readLock(root).apis)) {
    if (entry.kind !== "npm") continue;
    const pkg = String((entry.input as { package?: unknown }).package ?? "");
    const dir = `handlers/${api}`;
    if (!existsSync(join(root, dir))) continue;
    const pkgDir = findPackage(pkg, root);
    if (!pkgDir) {
      problems.push({ api, path: dir, message: `${pkg} is not installed: npm install ${pkg}` });
      continue;
    }
    const files = new Map<string, string>();
    for (const name of readdirSync(join(root, dir)).filter((f) => f.endsWith(".ts")).sort()) files.set(`${dir}/${name}`, readFileSync(join(root, dir, name), "utf8"));
    for (const [path, message] of uncompiledHandlers(root, files, dir, allowedTypeRoots(pkgDir, findPackage))) {
      problems.push({ api, path, message: `does not type-check against ${pkg} as installed (${message}); regenerate with mxcp-gen wrap ${pkg}` });
    }
  }
  return problems;
}
