import { cpSync, existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { PACKAGE_ROOT } from "../package-info.js";
import { defaultProjectName, missingProjectFiles, siteFile } from "./project-skeleton.js";
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
  const project = opts.project ?? defaultProjectName(root);
  const profile = opts.profile ?? "default";
  const templates = join(PACKAGE_ROOT, "templates", "init");
  const written: string[] = [];
  const write = (file: string, text: string) => {
    mkdirSync(join(root, file, ".."), { recursive: true });
    writeFileSync(join(root, file), text);
    written.push(file);
  };

  write(SITE_FILE, siteFile(root, { project, profile, secrets: [] }));
  for (const file of ["tools/hello.yml", "tools/hello_sql.yml", "handlers/hello.ts"]) {
    cpSync(join(templates, file), join(root, file));
    written.push(file);
  }
  for (const folder of ["resources", "prompts", "plugins"]) mkdirSync(join(root, folder), { recursive: true });
  for (const [file, text] of missingProjectFiles(root, project)) write(file, text);
  return written;
}
