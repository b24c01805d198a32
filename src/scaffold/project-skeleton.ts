import { existsSync, readFileSync } from "node:fs";
import { basename, join } from "node:path";
import { Document, parseDocument } from "yaml";
import { PACKAGE_ROOT, VERSION } from "../package-info.js";
import { SITE_FILE } from "../project/site-config.js";
import { portableYaml } from "../emit/yaml-text.js";

// The files every mxcp-gen project has besides its endpoints; shared by `init` and the generators.

export function defaultProjectName(root: string): string {
  return basename(root).replace(/[^A-Za-z0-9_-]/g, "_") || "project";
}

/** mxcp-site.yml for a new project, or the existing one with `secrets` completed (comments kept). */
export function siteFile(root: string, opts: { project: string; profile: string; secrets: string[] }): string {
  const path = join(root, SITE_FILE);
  if (!existsSync(path)) {
    const doc = new Document({ mxcp: 1, project: opts.project, profile: opts.profile, secrets: opts.secrets, profiles: { [opts.profile]: { duckdb: { readonly: false } } } });
    doc.commentBefore = " MXCP project settings. Secrets live in the user config (~/.mxcp/config.yml or $MXCP_CONFIG).";
    return portableYaml(doc);
  }
  const text = readFileSync(path, "utf8");
  const doc = parseDocument(text);
  const current = doc.get("secrets");
  const list = (current && typeof current === "object" && "toJSON" in current ? (current as { toJSON(): unknown }).toJSON() : current) as unknown;
  const names = Array.isArray(list) ? list.map(String) : typeof list === "string" ? [list] : [];
  const missing = opts.secrets.filter((s) => !names.includes(s));
  if (missing.length === 0) return text;
  doc.set("secrets", [...names, ...missing]);
  // The user's own file keeps its scalars as written: requoting `readonly: no` would change what MXCP reads.
  return doc.toString({ lineWidth: 0 });
}

/**
 * package.json for a project anyone can clone: mxcp-gen by version range, as from the registry. (Working
 * from a checkout or a tarball, the commands link the project's node_modules/mxcp-gen to it: runtime-link.ts.)
 */
export function packageJson(project: string): string {
  const pkg = {
    name: project.toLowerCase().replace(/[^a-z0-9._-]/g, "-"),
    private: true,
    type: "module",
    scripts: { serve: "mxcp-gen serve", typecheck: "tsc -p tsconfig.json" },
    // The runtime handlers import, at the version this project was made with or a compatible one.
    dependencies: { "mxcp-gen": `^${VERSION}` },
    devDependencies: { typescript: "~5.9.3" },
  };
  return JSON.stringify(pkg, null, 2) + "\n";
}

export function templateText(name: string): string {
  return readFileSync(join(PACKAGE_ROOT, "templates", "init", name), "utf8");
}

/** The project files that are missing, for a project the generators write into. */
export function missingProjectFiles(root: string, project: string): Map<string, string> {
  const files = new Map<string, string>();
  if (!existsSync(join(root, "package.json"))) files.set("package.json", packageJson(project));
  if (!existsSync(join(root, "tsconfig.json"))) files.set("tsconfig.json", templateText("tsconfig.json"));
  if (!existsSync(join(root, ".gitignore"))) files.set(".gitignore", templateText("gitignore"));
  return files;
}
