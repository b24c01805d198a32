import { existsSync, lstatSync, mkdirSync, readFileSync, realpathSync, symlinkSync } from "node:fs";
import { dirname, join, relative, sep } from "node:path";
import { PACKAGE_ROOT } from "../package-info.js";

// A project asks for `"mxcp-gen": "^<version>"` so it can be shared, but this mxcp-gen may come from a
// checkout or a tarball that no registry serves. Then `npm install` in the project (or `npm install <sdk>`
// before `wrap`) would fail with E404. A link `node_modules/mxcp-gen` to the running package satisfies
// that range offline: npm keeps an existing link whose version fits, and records it in package-lock.json.

export type RuntimeLink =
  | { kind: "linked"; target: string }
  | { kind: "present" }
  | { kind: "registry" };

/** Whether the running package was installed from a registry (its hidden lock file says where it came from). */
export function installedFromRegistry(packageRoot: string = PACKAGE_ROOT): boolean {
  const real = realpathSync(packageRoot);
  const parts = real.split(sep);
  const at = parts.lastIndexOf("node_modules");
  if (at < 0) return false;
  const prefix = parts.slice(0, at).join(sep) || sep;
  const lockPath = join(prefix, "node_modules", ".package-lock.json");
  if (!existsSync(lockPath)) return false;
  try {
    const lock = JSON.parse(readFileSync(lockPath, "utf8")) as { packages?: Record<string, { resolved?: string }> };
    const key = relative(prefix, real).split(sep).join("/");
    return /^https?:\/\//.test(lock.packages?.[key]?.resolved ?? "");
  } catch {
    return false;
  }
}

/**
 * Makes `root/node_modules/mxcp-gen` resolve to the running package when the project has none and this
 * package is not from a registry. Never replaces what the project already has.
 */
export function linkRunningPackage(root: string, packageRoot: string = PACKAGE_ROOT): RuntimeLink {
  const link = join(root, "node_modules", "mxcp-gen");
  if (exists(link)) return { kind: "present" };
  if (installedFromRegistry(packageRoot)) return { kind: "registry" };
  mkdirSync(dirname(link), { recursive: true });
  const target = realpathSync(packageRoot);
  symlinkSync(target, link, "junction");
  return { kind: "linked", target };
}

function exists(path: string): boolean {
  try {
    lstatSync(path);
    return true;
  } catch {
    return false;
  }
}

/** The line a command prints about the link, or nothing. */
export function runtimeLinkLine(link: RuntimeLink): string | undefined {
  return link.kind === "linked" ? `  node_modules/mxcp-gen → ${link.target} (this mxcp-gen is not from the registry; npm install keeps the link)` : undefined;
}
