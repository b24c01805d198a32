// `mxcp-gen wrap` as a library call: package types → model → files → project.
import { commandLine } from "./command-line.js";
import { flagWords, pickOptions } from "./flag-table.js";
import { WRAP_FLAGS } from "./generation-flags.js";
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { closest } from "../model/suggest.js";
import { allowedTypeRoots } from "../../generators/npm/confined-fs.js";
import { findPackage } from "../../generators/npm/discover.js";
import { builderWarning, generateWrapModel, type WrapOptions } from "../../generators/npm/index.js";
import { uncompiledHandlers } from "../emit/handlers-check.js";
import { sdkFiles } from "../emit/sdk-files.js";
import { writeFiles, type WriteOptions, type WriteResult } from "../emit/writer.js";
import { readLock } from "../project/lock-file.js";
import { loadSiteConfig, SITE_FILE } from "../project/site-config.js";
import { defaultProjectName, missingProjectFiles, siteFile } from "../scaffold/project-skeleton.js";

export interface WrapProjectOptions extends Omit<WrapOptions, "projectDir">, WriteOptions {
  out?: string | undefined;
  /** Run `npm install --ignore-scripts <package>` in the project when the package is missing. */
  install?: boolean | undefined;
  progress?: ((line: string) => void) | undefined;
}

export interface WrapProjectResult extends WriteResult {
  api: string;
  package: string;
  version: string;
  tools: number;
  skipped: { path: string; reason: string }[];
  groups: Record<string, number>;
  notes: number;
  out: string;
}



/** The packages installed in the node_modules folders `dir` resolves from (`name` and `@scope/name`). */
function installedPackages(dir: string): string[] {
  const names = new Set<string>();
  for (let cur = resolve(dir); ; cur = dirname(cur)) {
    const modules = join(cur, "node_modules");
    if (existsSync(modules)) {
      for (const entry of readdirSync(modules)) {
        if (entry.startsWith(".")) continue;
        if (entry.startsWith("@")) for (const sub of readdirSync(join(modules, entry))) names.add(`${entry}/${sub}`);
        else names.add(entry);
      }
    }
    if (dirname(cur) === cur) return [...names];
  }
}

export async function wrapPackageProject(pkg: string, opts: WrapProjectOptions = {}): Promise<WrapProjectResult> {
  const out = resolve(opts.out ?? ".");
  const progress = opts.progress ?? (() => {});
  if (!findPackage(pkg, out)) {
    if (!opts.install) {
      // Never invite installing a name only typed here: a misspelt name can be someone else's package.
      const guess = closest(pkg, installedPackages(out));
      throw new Error(
        guess
          ? `Package ${pkg} is not installed in ${out}; ${guess} is: did you mean \`mxcp-gen wrap ${guess}\`?`
          : `Package ${pkg} is not installed in ${out}: install the SDK you mean there with npm install and its exact name (check it on npmjs.com: a misspelt name can be someone else's package), or pass --install to install ${JSON.stringify(pkg)} as typed (npm install --ignore-scripts)`,
      );
    }
    progress(`installing ${pkg} with npm install --ignore-scripts …`);
    const r = spawnSync("npm", ["install", "--ignore-scripts", "--no-audit", "--no-fund", pkg], { cwd: out, stdio: ["ignore", "pipe", "pipe"], encoding: "utf8" });
    if (r.status !== 0) throw new Error(`npm install ${pkg} failed:\n${(r.stderr || r.stdout).slice(-2000)}`);
  }
  let t = Date.now();
  const wrapped = generateWrapModel(pkg, { ...opts, projectDir: out });
  const model = wrapped.model;
  progress(`✔ read ${pkg}@${model.version} types (${wrapped.profileSource} profile): ${model.tools.length} tools, ${wrapped.skipped.length} skipped (${Date.now() - t} ms)`);
  if (wrapped.clientChoice) {
    const { chosen, others } = wrapped.clientChoice;
    progress(`  client: the export ${chosen}${others.length ? ` (also possible: ${others.join(", ")}; pick one with --client)` : ""}`);
  }
  t = Date.now();
  const site = existsSync(join(out, SITE_FILE)) ? loadSiteConfig(out) : undefined;
  const project = site?.project ?? defaultProjectName(out);
  const profile = site?.profile ?? "default";
  const flags = ["mxcp-gen", "wrap", pkg, ...flagWords(WRAP_FLAGS, opts)];
  const command = commandLine(flags);
  const emitOpts = { api: model.name, source: `${pkg}@${model.version}`, command, types: "", warnings: [] as string[] };
  let files = sdkFiles(model, project, profile, emitOpts, wrapped.genericConstruction, wrapped.skipped);
  const secrets = model.secretParameters.length > 0 ? [model.name] : [];
  const projectFiles = new Map<string, string>([[SITE_FILE, siteFile(out, { project, profile, secrets })], ...missingProjectFiles(out, project)]);
  // Nothing is written that does not compile: a tool whose handler fails the type check is left out, with why.
  t = Date.now();
  const handlers = `handlers/${model.name}`;
  const pkgDir = findPackage(pkg, out)!;
  const broken = uncompiledHandlers(out, new Map([...projectFiles, ...files]), handlers, allowedTypeRoots(pkgDir, findPackage));
  const clientError = broken.get(`${handlers}/client.ts`);
  if (clientError) throw new Error(`The generated client module for ${pkg} does not type-check (${clientError}); nothing was written. Name the client with --client, or give a profile (--profile-file)`);
  if (broken.size > 0) {
    const left = model.tools.filter((tool) => broken.has(`${handlers}/${tool.moduleName}.ts`));
    for (const tool of left) wrapped.skipped.push({ path: tool.target.kind === "sdk" ? tool.target.path.join(".") : tool.name, reason: `its handler does not type-check (${broken.get(`${handlers}/${tool.moduleName}.ts`)})` });
    model.tools = model.tools.filter((tool) => !left.includes(tool));
    for (const tool of left) {
      const group = tool.target.kind === "sdk" && tool.target.path.length > 1 ? tool.target.path[0]! : "(top level)";
      if (--wrapped.groups[group]! <= 0) delete wrapped.groups[group];
    }
    files = sdkFiles(model, project, profile, emitOpts, wrapped.genericConstruction, wrapped.skipped);
    progress(`  left out ${left.length} tool(s) whose handler does not type-check (listed in the report)`);
  }
  progress(`✔ type-checked ${model.tools.length} handlers (${Date.now() - t} ms)`);
  // Said of the tools that are written: a builder chain's first call may have been left out above.
  emitOpts.warnings = wrapped.builders.map((b) => `warning: ${builderWarning(pkg, b, model.tools)}`);
  for (const w of emitOpts.warnings) progress(`  ${w}`);
  if (emitOpts.warnings.length > 0) files = sdkFiles(model, project, profile, emitOpts, wrapped.genericConstruction, wrapped.skipped);
  t = Date.now();
  // The same package wrapped before under another prefix: that set is replaced, not left beside this one.
  const replaces = Object.entries(readLock(out).apis)
    .filter(([name, entry]) => name !== model.name && entry.kind === "npm" && (entry.input as { package?: unknown }).package === pkg)
    .map(([name]) => name);
  const written = writeFiles(
    {
      out,
      api: model.name,
      replaces,
      kind: "npm",
      input: { package: pkg, version: model.version },
      options: pickOptions(WRAP_FLAGS, opts),
      files,
      projectFiles,
    },
    opts,
  );
  if (!opts.check && !opts.dryRun) progress(`✔ wrote ${written.added.length + written.changed.length} files, removed ${written.deleted.length} (${Date.now() - t} ms)`);
  return { ...written, api: model.name, package: pkg, version: model.version, tools: model.tools.length, skipped: wrapped.skipped, groups: wrapped.groups, notes: model.notes.length, out };
}
