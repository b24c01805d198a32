import { cpSync, existsSync, mkdirSync, writeFileSync } from "node:fs";
import { basename, join, relative, resolve } from "node:path";
import { Document } from "yaml";
import { PACKAGE_ROOT } from "../package-info.js";
import { SITE_FILE } from "../project/site-config.js";

export interface InitOptions {
  project?: string;
  profile?: string;
}

/**
 * Create a new project: mxcp-site.yml, tools/, handlers/, a `hello` tool in TypeScript and one in SQL,
 * and package.json + tsconfig.json so the handlers type-check. Returns the files written.
 */
export function initProject(dir: string, opts: InitOptions = {}): string[] {
  const root = resolve(dir);
  if (existsSync(join(root, SITE_FILE))) throw new Error(`${join(root, SITE_FILE)} already exists`);
  mkdirSync(root, { recursive: true });
  const project = opts.project ?? (basename(root).replace(/[^A-Za-z0-9_-]/g, "_") || "project");
  const profile = opts.profile ?? "default";
  const templates = join(PACKAGE_ROOT, "templates", "init");
  const written: string[] = [];
  const write = (file: string, text: string) => {
    mkdirSync(join(root, file, ".."), { recursive: true });
    writeFileSync(join(root, file), text);
    written.push(file);
  };

  const site = new Document({ mxcp: 1, project, profile, secrets: [], profiles: { [profile]: { duckdb: { readonly: false } } } });
  site.commentBefore = " MXCP project settings. Secrets live in the user config (~/.mxcp/config.yml or $MXCP_CONFIG).";
  write(SITE_FILE, site.toString({ lineWidth: 0 }));
  for (const file of ["tools/hello.yml", "tools/hello_sql.yml", "handlers/hello.ts", "tsconfig.json"]) {
    cpSync(join(templates, file), join(root, file));
    written.push(file);
  }
  cpSync(join(templates, "gitignore"), join(root, ".gitignore"));
  written.push(".gitignore");
  for (const folder of ["resources", "prompts", "plugins"]) mkdirSync(join(root, folder), { recursive: true });
  const pkg = {
    name: project.toLowerCase(),
    private: true,
    type: "module",
    scripts: { serve: "mxcp-gen serve", typecheck: "tsc -p tsconfig.json" },
    // The runtime handlers import; a file: link to the mxcp-gen this project was made with.
    dependencies: { "mxcp-gen": `file:${relative(root, PACKAGE_ROOT).split("\\").join("/") || "."}` },
    devDependencies: { typescript: "~5.9.3" },
  };
  write("package.json", JSON.stringify(pkg, null, 2) + "\n");
  return written;
}
